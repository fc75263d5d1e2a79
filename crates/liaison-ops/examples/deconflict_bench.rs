//! Benchmark of deconfliction: a new operation checked against 10,000 declared ones (the goal
//! is at most 10 ms). Run in release by `scripts/bench-ops`.
//!
//! The declared operations are random but seeded (the same on every run): half bounding boxes,
//! half star-shaped polygons of 6 to 16 vertices, 0.1° to 1.5° across, anywhere over the region
//! (17° W–16° E, 10°–27° N), declared by one of six members, with windows of 1 to 60 days in
//! one year. `Deconflictor::check` (conflicts and notices) is timed on 1,000 new operations
//! drawn the same way; the median, 99th percentile and maximum are printed, for the whole check
//! and for its two halves. A first pass over the same operations is reported apart: the shipped
//! boundaries build a country's outline on its first distance query (once per process). Last,
//! a country-sized area (the bounding box of Niger) is checked 100 times: the longest boundary
//! the notice sampling walks.
//!
//! Usage: `deconflict_bench [DECLARED] [CHECKS]` (defaults 10000 and 1000).

use std::time::{Duration, Instant};

use liaison_core::CountryCode;
use liaison_ops::{Area, Deconflictor, Kind, Operation, Status};
use time::{Date, Duration as Days, macros::date};

const MEMBERS: [&str; 6] = ["DZA", "MLI", "MRT", "NER", "BFA", "TCD"];

/// SplitMix64: a seeded generator, so every run draws the same operations.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [lo, hi).
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn random_operation(rng: &mut Rng, i: usize, prefix: &str) -> Result<Operation, String> {
    let size = rng.range(0.1, 1.5);
    let cx = rng.range(-17.0, 16.0);
    let cy = rng.range(10.0, 27.0);
    let area = if i.is_multiple_of(2) {
        Area::Bbox {
            bbox: [
                cx - size / 2.0,
                cy - size / 2.0,
                cx + size / 2.0,
                cy + size / 2.0,
            ],
        }
    } else {
        let n = 6 + rng.below(11) as usize;
        let mut ring: Vec<[f64; 2]> = (0..n)
            .map(|k| {
                let angle = std::f64::consts::TAU * k as f64 / n as f64;
                let r = size / 2.0 * rng.range(0.4, 1.0);
                [cx + r * angle.cos(), cy + r * angle.sin()]
            })
            .collect();
        ring.push(ring[0]);
        Area::Polygon {
            polygons: vec![vec![ring]],
        }
    };
    let start: Date = date!(2026 - 01 - 01) + Days::days(rng.below(365) as i64);
    let member = MEMBERS[rng.below(MEMBERS.len() as u64) as usize];
    Ok(Operation {
        id: format!("{prefix}-{i}"),
        member: CountryCode::parse(member)?,
        participants: Vec::new(),
        area,
        from: start,
        to: start + Days::days(rng.below(60) as i64),
        kind: Kind::Patrol,
        objective: None,
        status: Status::Active,
        notice_kind: false,
    })
}

fn arg(n: usize, default: usize) -> Result<usize, String> {
    match std::env::args().nth(n) {
        Some(a) => a.parse().map_err(|_| format!("'{a}' is not a count")),
        None => Ok(default),
    }
}

fn stats(mut times: Vec<Duration>) -> (Duration, Duration, Duration) {
    times.sort_unstable();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99), times[times.len() - 1])
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), String> {
    let declared_n = arg(1, 10_000)?;
    let checks = arg(2, 1_000)?;
    let mut rng = Rng(0x0005_EED0_F0B5);
    let declared: Vec<Operation> = (0..declared_n)
        .map(|i| random_operation(&mut rng, i, "declared"))
        .collect::<Result<_, _>>()?;
    let new: Vec<Operation> = (0..checks)
        .map(|i| random_operation(&mut rng, i, "new"))
        .collect::<Result<_, _>>()?;

    let t = Instant::now();
    let d = Deconflictor::new(&declared);
    let build = t.elapsed();
    // The boundaries build each country's outline on its first distance query, once per
    // process: a first pass over the new operations pays that, and is reported on its own.
    let mut cold = Vec::new();
    for o in &new {
        let t = Instant::now();
        let _ = d.check(o);
        cold.push(t.elapsed());
    }

    let (mut whole, mut conflicts, mut notices) = (Vec::new(), Vec::new(), Vec::new());
    let (mut n_conflicts, mut n_notices) = (0, 0);
    for o in &new {
        let t = Instant::now();
        let (c, n) = d.check(o);
        whole.push(t.elapsed());
        n_conflicts += c.len();
        n_notices += n.len();
        let t = Instant::now();
        let _ = d.conflicts(o);
        conflicts.push(t.elapsed());
        let t = Instant::now();
        let _ = d.notices(o);
        notices.push(t.elapsed());
    }
    println!(
        "deconfliction: {declared_n} declared operations, {checks} checks ({n_conflicts} conflicts, {n_notices} notices found)"
    );
    println!("index built in {}", ms(build));
    let (median, p99, max) = stats(cold);
    println!(
        "first pass    median {}  p99 {}  max {}  (includes building country outlines on first use)",
        ms(median),
        ms(p99),
        ms(max)
    );
    for (name, times) in [
        ("check (both)", whole),
        ("conflicts", conflicts),
        ("notices", notices),
    ] {
        let (median, p99, max) = stats(times);
        println!(
            "{name:<13} median {}  p99 {}  max {}",
            ms(median),
            ms(p99),
            ms(max)
        );
    }
    // A country-sized area (the bounding box of Niger, as the scenario's France–Niger
    // operation has it): the largest boundary the notice sampling walks.
    let mut large = new[0].clone();
    large.area = Area::Bbox {
        bbox: [0.16, 11.69, 15.99, 23.52],
    };
    let times: Vec<Duration> = (0..100)
        .map(|_| {
            let t = Instant::now();
            let _ = d.check(&large);
            t.elapsed()
        })
        .collect();
    let (median, p99, max) = stats(times);
    println!(
        "Niger-sized  median {}  p99 {}  max {}  (100 checks of one area 16 x 12 degrees)",
        ms(median),
        ms(p99),
        ms(max)
    );
    let t = Instant::now();
    let all = d.all_conflicts();
    println!(
        "all conflicting pairs among the declared: {} in {}",
        all.len(),
        ms(t.elapsed())
    );
    Ok(())
}
