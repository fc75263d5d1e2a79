//! Benchmark of watch rules: an incident matched against 10,000 rules (the goal is at most 5 ms
//! per incident). Run in release by `scripts/bench-watch`.
//!
//! The incidents are real: the shipped UCDP GED events (`data/ucdp/`, read by the fusion
//! examples' shared loader, de-duplicated by id), each with the built-in zones its point lies
//! in. The rules are random but seeded (SplitMix64, the same on every run), drawn to look like
//! a watch desk's: 30 % name one to three actors (four in five taken from the names the events
//! carry, the rest invented), 15 % one or two zones (a built-in zone or one of the node's own,
//! which these events never lie in), 20 % one to three sub-types, 15 % one or two of the
//! region's countries, 15 % one or two event types, 5 % only a fatality or kidnapping minimum;
//! most add a second criterion (one or two countries: 70 % of the sub-type and event-type
//! rules, 30 % of the others; an event type, 25 %; a fatality minimum, 25 %), one in five has
//! a threshold and one in twenty is flash. Every rule is validated first.
//!
//! Timed per incident, after one untimed pass: `WatchIndex::matches` and the plain scan
//! `WatchIndex::scan` (every rule checked); both answers are compared, so the figures are of two
//! ways to one answer. Printed: the index's build time, the median, 99th percentile and maximum
//! of each, the goal ratio (index p99 / 5 ms) and how much faster the index is than the scan.
//!
//! Usage: `watch_bench [RULES] [INCIDENTS]` (defaults 10000 and every event; at least 1,000
//! events are needed). An example, not part of the library: it reads files.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use liaison_core::{CountryCode, EventType, IncidentContent, SubType};
use liaison_geo::zones::builtin_zones;
use liaison_ops::{Threshold, WatchIndex, WatchRule};

#[path = "../../liaison-fusion/examples/ucdp/mod.rs"]
mod ucdp;

const MEMBERS: [&str; 6] = ["DZA", "MLI", "MRT", "NER", "BFA", "TCD"];
const COUNTRIES: [&str; 10] = [
    "DZA", "MLI", "MRT", "NER", "BFA", "TCD", "SEN", "LBY", "NGA", "MAR",
];
/// The goal from the issue, per incident.
const GOAL: Duration = Duration::from_millis(5);

/// SplitMix64: a seeded generator, so every run draws the same rules.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// True with probability `percent` / 100.
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }

    fn pick<'a, T>(&mut self, all: &'a [T]) -> &'a T {
        &all[self.below(all.len() as u64) as usize]
    }

    /// `lo..=hi` distinct picks from `all` (fewer if `all` is smaller).
    fn some<T: Clone + PartialEq>(&mut self, all: &[T], lo: u64, hi: u64) -> Vec<T> {
        let n = lo + self.below(hi - lo + 1);
        let mut out: Vec<T> = Vec::new();
        for _ in 0..n {
            let x = self.pick(all).clone();
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

fn code(c: &str) -> CountryCode {
    CountryCode::parse(c).unwrap_or_else(|e| unreachable!("{e}"))
}

fn random_rule(rng: &mut Rng, i: usize, actor_names: &[String], zone_ids: &[String]) -> WatchRule {
    let countries: Vec<CountryCode> = COUNTRIES.iter().map(|c| code(c)).collect();
    let mut r = WatchRule {
        id: format!("rule-{i}"),
        member: code(MEMBERS[rng.below(MEMBERS.len() as u64) as usize]),
        name: format!("Watch {i}"),
        event_types: Vec::new(),
        sub_types: Vec::new(),
        actors: Vec::new(),
        zones: Vec::new(),
        countries: Vec::new(),
        min_fatalities: None,
        min_kidnapped: None,
        threshold: None,
        flash: rng.chance(5),
    };
    let kind = rng.below(100);
    if kind < 30 {
        let n = 1 + rng.below(3);
        for _ in 0..n {
            let name = if rng.chance(80) {
                rng.pick(actor_names).clone()
            } else {
                format!("Invented group {}", rng.below(5_000))
            };
            if !r.actors.contains(&name) {
                r.actors.push(name);
            }
        }
    } else if kind < 45 {
        r.zones = if rng.chance(30) {
            rng.some(zone_ids, 1, 2)
        } else {
            vec![format!("node-zone-{}", rng.below(500))]
        };
    } else if kind < 65 {
        r.sub_types = rng.some(SubType::ALL, 1, 3);
    } else if kind < 80 {
        r.countries = rng.some(&countries, 1, 2);
    } else if kind < 95 {
        r.event_types = rng.some(&EventType::ALL, 1, 2);
    } else if rng.chance(70) {
        r.min_fatalities = Some(1 + rng.below(100) as u32);
    } else {
        r.min_kidnapped = Some(1 + rng.below(10) as u32);
    }
    // A second criterion on most rules: the AND that makes a rule worth watching. A desk
    // watching a kind of event mostly watches it somewhere.
    let broad = !r.event_types.is_empty() || !r.sub_types.is_empty();
    if r.countries.is_empty() && rng.chance(if broad { 70 } else { 30 }) {
        r.countries = rng.some(&countries, 1, 2);
    }
    if r.event_types.is_empty() && r.sub_types.is_empty() && rng.chance(25) {
        r.event_types = rng.some(&EventType::ALL, 1, 2);
    }
    if r.min_fatalities.is_none() && rng.chance(25) {
        r.min_fatalities = Some(1 + rng.below(50) as u32);
    }
    if rng.chance(20) {
        r.threshold = Some(Threshold {
            count: 2 + rng.below(5) as u32,
            days: 1 + rng.below(30) as u32,
        });
    }
    r
}

fn arg(n: usize) -> Result<Option<usize>, String> {
    match std::env::args().nth(n) {
        Some(a) => a
            .parse()
            .map(Some)
            .map_err(|_| format!("'{a}' is not a count")),
        None => Ok(None),
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
    let rules_n = arg(1)?.unwrap_or(10_000);
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/ucdp");
    let mut incidents: Vec<IncidentContent> =
        ucdp::load(&dir)?.into_iter().map(|i| i.content).collect();
    if let Some(n) = arg(2)? {
        incidents.truncate(n);
    }
    if incidents.len() < 1_000 {
        return Err(format!(
            "{} events read from {}: at least 1,000 are needed",
            incidents.len(),
            dir.display()
        ));
    }
    // The zones each incident lies in, as a caller would give them (the built-in zones).
    let zone_ids: Vec<String> = builtin_zones().iter().map(|z| z.id.clone()).collect();
    let zones_of: Vec<Vec<&str>> = incidents
        .iter()
        .map(|inc| match inc.location.point {
            Some(p) => builtin_zones()
                .iter()
                .filter(|z| z.contains(p.lat, p.lon))
                .map(|z| z.id.as_str())
                .collect(),
            None => Vec::new(),
        })
        .collect();
    let actor_names: Vec<String> = incidents
        .iter()
        .flat_map(|i| i.actors.iter().map(|a| a.name.clone()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();

    let mut rng = Rng(0x0005_EED0_0A7C);
    let rules: Vec<WatchRule> = (0..rules_n)
        .map(|i| random_rule(&mut rng, i, &actor_names, &zone_ids))
        .collect();
    for r in &rules {
        r.validate().map_err(|e| format!("{}: {e}", r.id))?;
    }

    let t = Instant::now();
    let index = WatchIndex::new(&rules);
    let build = t.elapsed();

    // One untimed pass: caches warm, and the two answers compared.
    let mut found = 0usize;
    for (inc, zones) in incidents.iter().zip(&zones_of) {
        let m = index.matches(inc, zones);
        if m != index.scan(inc, zones) {
            return Err(format!("index and scan disagree on '{}'", inc.title));
        }
        found += m.len();
    }
    let (mut indexed, mut scanned) = (Vec::new(), Vec::new());
    for (inc, zones) in incidents.iter().zip(&zones_of) {
        let t = Instant::now();
        let m = index.matches(inc, zones);
        indexed.push(t.elapsed());
        std::hint::black_box(m);
        let t = Instant::now();
        let m = index.scan(inc, zones);
        scanned.push(t.elapsed());
        std::hint::black_box(m);
    }

    let n = incidents.len();
    let in_zone = zones_of.iter().filter(|z| !z.is_empty()).count();
    println!(
        "watch matching: {rules_n} rules, {n} UCDP GED incidents ({in_zone} in a built-in zone, {} actor names), {found} matches found ({:.1} per incident)",
        actor_names.len(),
        found as f64 / n as f64
    );
    println!("index built in {}", ms(build));
    let (i_median, i_p99, i_max) = stats(indexed);
    let (s_median, s_p99, s_max) = stats(scanned);
    println!(
        "index match   median {}  p99 {}  max {}",
        ms(i_median),
        ms(i_p99),
        ms(i_max)
    );
    println!(
        "plain scan    median {}  p99 {}  max {}",
        ms(s_median),
        ms(s_p99),
        ms(s_max)
    );
    println!(
        "goal: at most {} per incident; index p99 / goal = {:.4}; scan / index = {:.1}x at the median, {:.1}x at p99",
        ms(GOAL),
        i_p99.as_secs_f64() / GOAL.as_secs_f64(),
        s_median.as_secs_f64() / i_median.as_secs_f64(),
        s_p99.as_secs_f64() / i_p99.as_secs_f64()
    );
    Ok(())
}
