//! The proposed agreed version of a fused incident, its canonical bytes and its id.
//!
//! Rules, applied to the claims in claim-id order:
//!
//! - **date**: the overlap of the claims' spans when they overlap (precision `day` when the
//!   overlap is one day, else the finest precision among the claims); otherwise the union of the
//!   spans, with precision `week` when it is at most 7 days, `month` at most 31, else `year`.
//! - **place**: the whole location of the claim with the most precise location; ties by the
//!   finest date precision, then the lowest claim id. Its title comes with it.
//! - **type**: the most frequent sub-type; ties by the taxonomy's order (`SubType::ALL`).
//! - **fatalities**: best = the median of the bests (for an even count, the mean of the two
//!   middle values rounded down), low = the least low, high = the greatest high; when the claims'
//!   figures differ, a dispute note lists each claim's `originator best (low–high)`.
//! - **actors**: the union, an actor already listed (same actor id or folded name) not repeated,
//!   with the role of its first mention.
//!
//! [`AgreedVersion::canonical_bytes`] is compact JSON in the struct's field order (no maps, so
//! no key-order question); members sign these bytes, and [`AgreedVersion::sha256_hex`] names
//! them. [`fusion_id`] is a UUIDv5 of the sorted claim ids under [`FUSION_NAMESPACE`], so any
//! node holding the same claims computes the same id. Pure.

use liaison_core::{
    CountryCode, DatePrecision, DateSpan, EventType, Fatalities, Incident, IncidentActor,
    IncidentId, Location, SubType,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::geo::day_number;
use crate::window::fold_name;

/// The UUIDv5 namespace of fused-incident ids (a fixed, random-looking constant; never change
/// it, or every node's ids change).
pub const FUSION_NAMESPACE: uuid::Uuid = uuid::Uuid::from_bytes([
    0x6c, 0x69, 0x61, 0x69, 0x73, 0x6f, 0x6e, 0x2d, 0x66, 0x75, 0x73, 0x69, 0x6f, 0x6e, 0x2d, 0x31,
]);

/// The id of the fused incident made of these claims: UUIDv5 of the sorted, de-duplicated ids
/// joined by `\n`, under [`FUSION_NAMESPACE`].
pub fn fusion_id(claims: &[IncidentId]) -> String {
    let mut ids: Vec<&str> = claims.iter().map(IncidentId::as_str).collect();
    ids.sort_unstable();
    ids.dedup();
    uuid::Uuid::new_v5(&FUSION_NAMESPACE, ids.join("\n").as_bytes()).to_string()
}

/// A claim as the agreed version cites it: the version fused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClaimRef {
    pub id: IncidentId,
    pub originator: CountryCode,
    pub version: u32,
}

/// What the members are asked to sign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgreedVersion {
    /// The fused incident's id.
    pub fusion: String,
    pub claims: Vec<ClaimRef>,
    pub title: String,
    pub event_type: EventType,
    pub sub_type: SubType,
    pub date: DateSpan,
    pub location: Location,
    pub fatalities: Fatalities,
    pub actors: Vec<IncidentActor>,
}

impl AgreedVersion {
    /// The bytes members sign: compact JSON, fields in declaration order.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        // Serialising plain structs, enums, strings, integers and finite floats cannot fail.
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// SHA-256 of [`Self::canonical_bytes`], lower-case hex.
    pub fn sha256_hex(&self) -> String {
        hex::encode(Sha256::digest(self.canonical_bytes()))
    }
}

fn agreed_date(claims: &[&Incident]) -> DateSpan {
    let spans: Vec<DateSpan> = claims.iter().map(|c| c.content.date).collect();
    let (Some(first), Some(finest)) = (
        spans.first().copied(),
        spans.iter().map(|s| s.precision).min(),
    ) else {
        return DateSpan::day(time::Date::MIN);
    };
    let start = spans.iter().map(|s| s.start).max().unwrap_or(first.start);
    let end = spans.iter().map(|s| s.end).min().unwrap_or(first.end);
    if start <= end {
        let precision = if start == end {
            DatePrecision::Day
        } else {
            finest
        };
        return DateSpan {
            start,
            end,
            precision,
        };
    }
    let start = spans.iter().map(|s| s.start).min().unwrap_or(first.start);
    let end = spans.iter().map(|s| s.end).max().unwrap_or(first.end);
    let len = day_number(end) - day_number(start) + 1;
    let precision = match len {
        ..=7 => DatePrecision::Week,
        8..=31 => DatePrecision::Month,
        _ => DatePrecision::Year,
    };
    DateSpan {
        start,
        end,
        precision,
    }
}

fn agreed_fatalities(claims: &[&Incident]) -> Fatalities {
    let all: Vec<&Fatalities> = claims
        .iter()
        .map(|c| &c.content.casualties.fatalities)
        .collect();
    let mut bests: Vec<u32> = all.iter().map(|f| f.best).collect();
    bests.sort_unstable();
    let n = bests.len();
    let best = match n {
        0 => 0,
        _ if n % 2 == 1 => bests[n / 2],
        _ => ((u64::from(bests[n / 2 - 1]) + u64::from(bests[n / 2])) / 2) as u32,
    };
    let low = all.iter().map(|f| f.low).min().unwrap_or(0);
    let high = all.iter().map(|f| f.high).max().unwrap_or(0);
    let same = all
        .windows(2)
        .all(|w| w[0].best == w[1].best && w[0].low == w[1].low && w[0].high == w[1].high);
    let dispute = if same {
        all.first().and_then(|f| f.dispute.clone())
    } else {
        let parts: Vec<String> = claims
            .iter()
            .map(|c| {
                let f = &c.content.casualties.fatalities;
                format!("{} {} ({}–{})", c.originator, f.best, f.low, f.high)
            })
            .collect();
        Some(format!("claims differ: {}", parts.join("; ")))
    };
    Fatalities {
        best,
        low: low.min(best),
        high: high.max(best),
        dispute,
    }
}

fn agreed_sub_type(claims: &[&Incident]) -> Option<SubType> {
    let mut counts: Vec<(SubType, usize)> = Vec::new();
    for c in claims {
        match counts.iter_mut().find(|(t, _)| *t == c.content.sub_type) {
            Some((_, n)) => *n += 1,
            None => counts.push((c.content.sub_type, 1)),
        }
    }
    // Most frequent first, then the taxonomy's order.
    counts.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    counts.first().map(|(t, _)| *t)
}

fn agreed_actors(claims: &[&Incident]) -> Vec<IncidentActor> {
    let mut out: Vec<IncidentActor> = Vec::new();
    let mut folded: Vec<String> = Vec::new();
    for c in claims {
        for a in &c.content.actors {
            let f = fold_name(&a.name);
            let known = out
                .iter()
                .zip(&folded)
                .any(|(b, fb)| (a.actor_id.is_some() && a.actor_id == b.actor_id) || *fb == f);
            if !known {
                out.push(a.clone());
                folded.push(f);
            }
        }
    }
    out
}

/// Proposes the agreed version of the fused incident `fusion` made of `claims` (any order).
/// Returns `None` when there are no claims.
pub fn agreed_version(fusion: &str, claims: &[&Incident]) -> Option<AgreedVersion> {
    let mut claims: Vec<&Incident> = claims.to_vec();
    claims.sort_by(|a, b| a.id.cmp(&b.id));
    let place = claims.iter().min_by(|a, b| {
        a.content
            .location
            .precision
            .cmp(&b.content.location.precision)
            .then(a.content.date.precision.cmp(&b.content.date.precision))
            .then(a.id.cmp(&b.id))
    })?;
    let sub_type = agreed_sub_type(&claims)?;
    Some(AgreedVersion {
        fusion: fusion.to_owned(),
        claims: claims
            .iter()
            .map(|c| ClaimRef {
                id: c.id.clone(),
                originator: c.originator.clone(),
                version: c.version,
            })
            .collect(),
        title: place.content.title.clone(),
        event_type: sub_type.event_type(),
        sub_type,
        date: agreed_date(&claims),
        location: place.content.location.clone(),
        fatalities: agreed_fatalities(&claims),
        actors: agreed_actors(&claims),
    })
}
