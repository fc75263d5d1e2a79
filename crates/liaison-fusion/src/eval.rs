//! The evaluation: real events turned into two nodes' overlapping, noisy claims, and pairwise
//! precision and recall of a fusion against the truth (claims of one source event).
//!
//! Pure: randomness is a [`SplitMix64`] stream seeded by the caller, so a seed gives the same
//! claims on every machine (floating-point functions aside: `ln`, `cos` and `sqrt` of the
//! platform's libm, the same on the x86-64 Linux machines we run on).
//!
//! # The generator ([`generate`]), every parameter a field of [`Noise`]
//!
//! Each source event is reported by node A with probability `p_a` (0.8) and, independently, by
//! node B with `p_b` (0.7), so some events are held by one node only (and some by none). Each
//! report copies the event and then, independently per node:
//!
//! - **point**: moved north and east by a Gaussian of σ `jitter_km` chosen by the location
//!   precision (exact 1 km, near 3, admin2 6, admin1 12, country 25), capped at 3σ;
//! - **date** (day-precision events only): shifted by one day, earlier or later, with
//!   `p_date_shift` (0.2); else coarsened to its Monday-to-Sunday week with `p_week` (0.05), or to
//!   its calendar month with `p_month` (0.03);
//! - **fatalities** with `p_fatalities` (0.3): half of the time the best estimate is moved by
//!   up to 20 % (at least 1, never below 0; low and high follow), the other half it becomes a
//!   range (low and high widened by as much);
//! - **actors**: all omitted with `p_actors_omitted` (0.1); else, with `p_actors_rewritten`
//!   (0.3), every actor loses its actor id and its name is written differently (upper case;
//!   folded to lower case without accents and punctuation; or "Government of X" as
//!   "X government", other names with hyphens and apostrophes as spaces);
//! - **sub-type** replaced by a neighbouring one with `p_sub_type` (0.08): three times in four
//!   one of the same event type (a clash with armed forces read as an armed clash), once in four
//!   one of another (an attack on civilians read as an armed clash).
//!
//! Claim ids are `<node>:<event id>` (`mli:ucdp-ged:235799`), originators the two nodes' codes.
//! The truth of a claim is the index of its source event.
//!
//! [`scale`] makes more events from fewer for the benchmark: event `k` is event `k mod n`
//! moved by up to 50 km in a random direction and by a whole number of years (−10 to +10) plus
//! up to ±30 days, with the id `<id>.s<k>`; these are new, distinct events.
//!
//! # The metric ([`score`])
//!
//! Pairwise: the predicted pairs are the pairs of claims in one fused incident, the true pairs
//! the pairs of claims of one source event. Precision = correct / predicted, recall = correct /
//! true, F1 their harmonic mean.

use std::collections::HashMap;

use liaison_core::{CountryCode, DatePrecision, DateSpan, GeoPoint, Incident, IncidentId, SubType};
use serde::Serialize;
use time::Duration;

use crate::cluster::Fusion;

/// SplitMix64 (Steele, Lea and Flood 2014): a small, fast, well-mixed 64-bit generator.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), 53 bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-shift.
    pub fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Standard normal, by Box–Muller.
    pub fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit();
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }
}

/// The generator's noise (defaults in the module's documentation).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Noise {
    pub p_a: f64,
    pub p_b: f64,
    /// σ in km for exact, near, admin2, admin1, country precision.
    pub jitter_km: [f64; 5],
    pub p_date_shift: f64,
    pub p_week: f64,
    pub p_month: f64,
    pub p_fatalities: f64,
    pub p_actors_omitted: f64,
    pub p_actors_rewritten: f64,
    pub p_sub_type: f64,
}

impl Default for Noise {
    fn default() -> Self {
        Self {
            p_a: 0.8,
            p_b: 0.7,
            jitter_km: [1.0, 3.0, 6.0, 12.0, 25.0],
            p_date_shift: 0.2,
            p_week: 0.05,
            p_month: 0.03,
            p_fatalities: 0.3,
            p_actors_omitted: 0.1,
            p_actors_rewritten: 0.3,
            p_sub_type: 0.08,
        }
    }
}

/// Generated claims and, per claim, the index of its source event.
#[derive(Debug, Clone)]
pub struct Claims {
    pub claims: Vec<Incident>,
    pub truth: Vec<usize>,
}

const KM_PER_DEGREE: f64 = crate::geo::EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

fn move_point(p: GeoPoint, north_km: f64, east_km: f64) -> GeoPoint {
    let lat = (p.lat + north_km / KM_PER_DEGREE).clamp(-89.9, 89.9);
    let lon = p.lon + east_km / (KM_PER_DEGREE * lat.to_radians().cos().max(0.01));
    GeoPoint {
        lat,
        lon: ((lon + 540.0) % 360.0) - 180.0,
    }
}

fn neighbours(t: SubType) -> (&'static [SubType], &'static [SubType]) {
    use SubType::*;
    match t {
        ClashWithArmedForces => (&[ArmedClash, TerritoryTaken], &[ArmedAttack]),
        ArmedClash => (&[ClashWithArmedForces], &[AttackOnCivilians]),
        AttackOnCivilians => (&[ArmedAttack, Assassination], &[ArmedClash]),
        ArmedAttack => (&[AttackOnCivilians], &[ClashWithArmedForces]),
        Bombing => (&[Ied], &[ArmedAttack]),
        Ied => (&[Bombing], &[ArmedAttack]),
        Kidnapping => (&[Ransom], &[AttackOnCivilians]),
        _ => (&[], &[]),
    }
}

fn rewrite_name(name: &str, how: u64) -> String {
    match how {
        0 => name.to_uppercase(),
        1 => crate::window::fold_name(name),
        _ => match name.strip_prefix("Government of ") {
            Some(rest) => format!("{rest} government"),
            None => name.replace(['-', '\''], " "),
        },
    }
}

fn report(event: &Incident, node: &CountryCode, noise: &Noise, rng: &mut SplitMix64) -> Incident {
    let mut c = event.clone();
    c.id = IncidentId::parse(&format!("{}:{}", node.as_str().to_lowercase(), event.id))
        .unwrap_or_else(|_| event.id.clone());
    c.originator = node.clone();
    c.version = 1;
    let content = &mut c.content;
    if let Some(p) = content.location.point {
        let sigma = noise
            .jitter_km
            .get(content.location.precision as usize)
            .copied()
            .unwrap_or(1.0);
        let n = (rng.normal() * sigma).clamp(-3.0 * sigma, 3.0 * sigma);
        let e = (rng.normal() * sigma).clamp(-3.0 * sigma, 3.0 * sigma);
        content.location.point = Some(move_point(p, n, e));
    }
    if content.date.precision == DatePrecision::Day {
        let u = rng.unit();
        if u < noise.p_date_shift {
            let d = if rng.chance(0.5) { 1 } else { -1 };
            content.date.start += Duration::days(d);
            content.date.end += Duration::days(d);
        } else if u < noise.p_date_shift + noise.p_week {
            let s = content.date.start;
            let monday = s - Duration::days(i64::from(s.weekday().number_days_from_monday()));
            content.date = DateSpan {
                start: monday,
                end: (monday + Duration::days(6)).max(content.date.end),
                precision: DatePrecision::Week,
            };
        } else if u < noise.p_date_shift + noise.p_week + noise.p_month {
            let s = content.date.start;
            let first = s.replace_day(1).unwrap_or(s);
            let last = s
                .replace_day(s.month().length(s.year()))
                .unwrap_or(s)
                .max(content.date.end);
            content.date = DateSpan {
                start: first,
                end: last,
                precision: DatePrecision::Month,
            };
        }
    }
    if rng.chance(noise.p_fatalities) {
        let f = &mut content.casualties.fatalities;
        let k = ((f64::from(f.best) * 0.2 * rng.unit()).round() as u32).max(1);
        if rng.chance(0.5) {
            let up = rng.chance(0.5);
            let best = if up {
                f.best + k
            } else {
                f.best.saturating_sub(k)
            };
            f.best = best;
            f.low = f.low.min(best);
            f.high = f.high.max(best);
        } else {
            f.low = f.low.saturating_sub(k);
            f.high = f.high.saturating_add(k);
        }
    }
    let u = rng.unit();
    if u < noise.p_actors_omitted {
        content.actors.clear();
    } else if u < noise.p_actors_omitted + noise.p_actors_rewritten {
        let how = rng.below(3);
        for a in &mut content.actors {
            a.actor_id = None;
            a.name = rewrite_name(&a.name, how);
        }
    }
    if rng.chance(noise.p_sub_type) {
        let (same, other) = neighbours(content.sub_type);
        let pool = if rng.chance(0.75) || other.is_empty() {
            same
        } else {
            other
        };
        if !pool.is_empty() {
            let pick = rng.below(pool.len() as u64) as usize;
            if let Some(t) = pool.get(pick) {
                content.sub_type = *t;
            }
        }
    }
    c.event_type = c.content.sub_type.event_type();
    c
}

/// Two nodes' claims of `events` with the default or given noise; `nodes` are their members.
pub fn generate(
    events: &[Incident],
    seed: u64,
    noise: &Noise,
    nodes: (&CountryCode, &CountryCode),
) -> Claims {
    let mut rng = SplitMix64::new(seed);
    let mut claims = Vec::new();
    let mut truth = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let by_a = rng.chance(noise.p_a);
        let by_b = rng.chance(noise.p_b);
        if by_a {
            claims.push(report(e, nodes.0, noise, &mut rng));
            truth.push(i);
        }
        if by_b {
            claims.push(report(e, nodes.1, noise, &mut rng));
            truth.push(i);
        }
    }
    Claims { claims, truth }
}

/// `n` distinct events made from `events` (see the module documentation).
pub fn scale(events: &[Incident], n: usize, seed: u64) -> Vec<Incident> {
    let mut rng = SplitMix64::new(seed);
    let mut out = Vec::with_capacity(n);
    if events.is_empty() {
        return out;
    }
    for k in 0..n {
        let Some(base) = events.get(k % events.len()) else {
            break;
        };
        let mut e = base.clone();
        if k >= events.len() {
            let dist = 50.0 * rng.unit().sqrt();
            let angle = std::f64::consts::TAU * rng.unit();
            if let Some(p) = e.content.location.point {
                e.content.location.point =
                    Some(move_point(p, dist * angle.cos(), dist * angle.sin()));
            }
            let years = rng.below(21) as i64 - 10;
            let days = rng.below(61) as i64 - 30;
            let shift = Duration::days(years * 365 + days);
            e.content.date.start += shift;
            e.content.date.end += shift;
            e.id = IncidentId::parse(&format!("{}.s{k}", base.id)).unwrap_or(e.id);
        }
        out.push(e);
    }
    out
}

/// Pairwise precision, recall and F1 of a fusion against the truth.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scores {
    pub claims: usize,
    pub fused_incidents: usize,
    pub true_pairs: u64,
    pub predicted_pairs: u64,
    pub correct_pairs: u64,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Scores `fusion` of `claims` (whose source events are `truth`, index for index).
pub fn score(claims: &[Incident], truth: &[usize], fusion: &Fusion) -> Scores {
    let event_of: HashMap<&IncidentId, usize> =
        claims.iter().zip(truth).map(|(c, &t)| (&c.id, t)).collect();
    let mut per_event: HashMap<usize, u64> = HashMap::new();
    for &t in truth {
        *per_event.entry(t).or_default() += 1;
    }
    let true_pairs: u64 = per_event.values().map(|&n| pairs(n)).sum();
    let mut predicted_pairs = 0;
    let mut correct_pairs = 0;
    for c in &fusion.clusters {
        predicted_pairs += pairs(c.claims.len() as u64);
        let mut groups: HashMap<usize, u64> = HashMap::new();
        for id in &c.claims {
            if let Some(&t) = event_of.get(id) {
                *groups.entry(t).or_default() += 1;
            }
        }
        correct_pairs += groups.values().map(|&n| pairs(n)).sum::<u64>();
    }
    let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let precision = ratio(correct_pairs, predicted_pairs);
    let recall = ratio(correct_pairs, true_pairs);
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    Scores {
        claims: claims.len(),
        fused_incidents: fusion.clusters.len(),
        true_pairs,
        predicted_pairs,
        correct_pairs,
        precision,
        recall,
        f1,
    }
}

/// Splits events into a development half (even years of their start date) and a test half
/// (odd years). Whole years keep each half as dense in space and time as the data, so false
/// fusions of nearby distinct events are as likely as on a node.
pub fn is_test(event: &Incident) -> bool {
    event.content.date.start.year().rem_euclid(2) == 1
}
