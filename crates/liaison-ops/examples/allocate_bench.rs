//! Benchmark of the patrol allocation (`liaison_ops::sectors::allocate`): 200 sectors, 4 to 8
//! members, thousands of units (the goal from issue 9 is at most 1 s). Run in release by
//! `scripts/bench-sectors`.
//!
//! Inputs are random but seeded (SplitMix64, the same on every run): 200 sectors, each a box
//! 0.5° to 2° across somewhere over the region, touching two to three of the members' countries
//! (given, not computed: computing countries is not part of the allocation), loads of 0 to 80
//! incidents, 0 to 600 killed and 0 to 40 hotspot points. Each case is run `RUNS` times and only
//! `allocate` is timed (median and maximum printed): 4 members with 12,000 troops each in
//! companies of 100 (480 units), 8 members with 25,000 each (2,000 units), and 8 members with
//! 100,000 each in units of 100 (8,000 units); half the members are constrained to a third of
//! the sectors, the rest serve the sectors touching their territory.
//!
//! Usage: `allocate_bench [RUNS]` (default 50).

use std::time::{Duration, Instant};

use liaison_core::CountryCode;
use liaison_ops::Area;
use liaison_ops::sectors::{Constraint, MemberTroops, Sector, SectorLoad, Settings, allocate};

const CODES: [&str; 8] = ["DZA", "MLI", "MRT", "NER", "BFA", "TCD", "LBY", "MAR"];
const SECTORS: usize = 200;

/// SplitMix64: a seeded generator, so every run draws the same inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One case: sectors, their loads, the members.
type Inputs = (Vec<Sector>, Vec<SectorLoad>, Vec<MemberTroops>);

fn inputs(rng: &mut Rng, members: usize, troops: u64) -> Result<Inputs, String> {
    let mut sectors = Vec::with_capacity(SECTORS);
    let mut loads = Vec::with_capacity(SECTORS);
    for i in 0..SECTORS {
        let w = rng.range(-17.0, 14.0);
        let s = rng.range(10.0, 25.0);
        let size = rng.range(0.5, 2.0);
        let touching = 2 + rng.below(2) as usize;
        let mut countries: Vec<String> = (0..touching)
            .map(|_| CODES[rng.below(members as u64) as usize].to_owned())
            .collect();
        countries.sort();
        countries.dedup();
        sectors.push(Sector {
            id: format!("sector-{i:03}"),
            name: format!("Sector {i}"),
            area: Area::Bbox {
                bbox: [w, s, w + size, s + size],
            },
            countries,
            contacts: Vec::new(),
        });
        loads.push(SectorLoad {
            incidents: rng.below(81),
            fatalities: rng.below(601),
            hotspot_points: rng.below(41),
        });
    }
    let mut ms = Vec::with_capacity(members);
    for (k, code) in CODES.iter().take(members).enumerate() {
        ms.push(MemberTroops {
            member: CountryCode::parse(code)?,
            committed_troops: troops,
            constraint: (k % 2 == 1).then(|| {
                Constraint::Sectors(
                    sectors
                        .iter()
                        .filter(|_| rng.below(3) == 0)
                        .map(|s| s.id.clone())
                        .collect(),
                )
            }),
        });
    }
    Ok((sectors, loads, ms))
}

fn main() -> Result<(), String> {
    let runs: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(50)
        .max(1);
    let mut rng = Rng(0x5EC7_0125);
    println!("patrol allocation, {SECTORS} sectors, {runs} runs per case, allocate() only");
    for (members, troops) in [(4usize, 12_000u64), (8, 25_000), (8, 100_000)] {
        let (sectors, loads, ms) = inputs(&mut rng, members, troops)?;
        let settings = Settings::default();
        let mut times: Vec<Duration> = Vec::with_capacity(runs);
        let mut placed = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let a = allocate(&sectors, &loads, &ms, &settings).map_err(|e| e.to_string())?;
            times.push(t.elapsed());
            placed = a.sectors.iter().map(|s| s.allocated_troops).sum::<u64>();
        }
        times.sort();
        let median = times[times.len() / 2];
        let max = times[times.len() - 1];
        let units = members as u64 * troops / u64::from(settings.unit_troops);
        println!(
            "{members} members, {units} units ({placed} troops placed): median {:.3} ms, max {:.3} ms",
            median.as_secs_f64() * 1e3,
            max.as_secs_f64() * 1e3
        );
    }
    Ok(())
}
