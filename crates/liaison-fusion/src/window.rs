//! The fusion window: when two claims may be reports of one event, and how strongly.
//!
//! Two claims are *candidates* when all of these hold (each is a rule of [`Window`]):
//!
//! - **space**: both have a point and the points are at most `km × f` apart (haversine), where
//!   `f` is the [`precision_factor`] of the coarser of the two location precisions (exact and
//!   near 1, admin2 2, admin1 3, country 6): a point that only stands for a region is allowed to
//!   sit further from the event. A claim without a point is never fused automatically.
//! - **time**: their date spans are at most `days` apart (0 when they overlap; a claim known to
//!   the week or the month spans that week or month, so coarse dates are compared by overlap).
//! - **type** ([`TypeRule`]): the same event type (default), the same sub-type, or any.
//! - **actors** ([`ActorRule`]): by default, when both claims name actors they must share at
//!   least one, matched by actor id, by folded name (case, accents and punctuation dropped), or
//!   by `liaison_names` similarity at its default threshold (so «Government of Mali» meets
//!   "Mali government"); a claim naming no actor is compatible with any.
//! - **originators**: two claims of the same originator are never fused unless
//!   `same_originator` is set (one originator's records are distinct events by construction).
//!
//! A candidate pair gets a [`PairScore`] with its reasons and a score in about [0.2, 1.3]: one,
//! less `0.5·km/allowed_km` and `0.3·day_gap/(days+1)`, plus 0.1 for the same sub-type, 0.1 for
//! a shared actor and `0.1·(1 − |best_a − best_b| / max(best_a, best_b, 1))` for how close the
//! best fatality estimates are (which tells apart two events at one place on one day). Only the
//! order of scores matters: the constrained union joins the best pairs first.
//!
//! Defaults (25 km, 2 days, same event type, shared actor, never the same originator) were chosen
//! on the development half of the evaluation (`docs/fusion.md`), never on the test half. Pure.

use std::collections::HashMap;

use liaison_core::{ActorId, Incident, IncidentId, LocationPrecision};
use serde::{Deserialize, Serialize};

use crate::geo::{day_gap, haversine_km};

/// Largest window radius accepted, in kilometres (× 6 for country precision stays regional).
pub const MAX_KM: f64 = 500.0;
/// Largest window in days.
pub const MAX_DAYS: u32 = 366;

/// Which event types may be fused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TypeRule {
    /// The same `EventType` (an `armed_attack` and an `assassination` may be fused).
    #[default]
    SameEventType,
    /// The same `SubType` exactly.
    SameSubType,
    /// Any types.
    Any,
}

/// How the actors of two claims must relate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActorRule {
    /// When both claims name actors, at least one is shared (id, folded name or similar name).
    #[default]
    SharedWhenNamed,
    /// Actors are not considered.
    Ignore,
}

/// The window that decides which claims are reports of the same event.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Window {
    pub km: f64,
    pub days: u32,
    #[serde(default)]
    pub types: TypeRule,
    #[serde(default)]
    pub actors: ActorRule,
    #[serde(default)]
    pub same_originator: bool,
}

/// Default radius, chosen on the development split (`docs/fusion.md`).
pub const DEFAULT_KM: f64 = 25.0;
/// Default day gap, chosen on the development split.
pub const DEFAULT_DAYS: u32 = 2;

impl Default for Window {
    fn default() -> Self {
        Self {
            km: DEFAULT_KM,
            days: DEFAULT_DAYS,
            types: TypeRule::default(),
            actors: ActorRule::default(),
            same_originator: false,
        }
    }
}

/// A window that cannot be used, with the field at fault.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WindowError(pub String);

impl std::fmt::Display for WindowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for WindowError {}

impl Window {
    /// Checks the window: `km` a finite number in (0, [`MAX_KM`]], `days` at most [`MAX_DAYS`].
    pub fn validate(&self) -> Result<(), WindowError> {
        if !self.km.is_finite() || self.km <= 0.0 || self.km > MAX_KM {
            return Err(WindowError(format!(
                "window km must be a number greater than 0 and at most {MAX_KM} (got {})",
                self.km
            )));
        }
        if self.days > MAX_DAYS {
            return Err(WindowError(format!(
                "window days must be at most {MAX_DAYS} (got {})",
                self.days
            )));
        }
        Ok(())
    }

    /// The distance allowed between two claims of these precisions, in km.
    pub fn allowed_km(&self, a: LocationPrecision, b: LocationPrecision) -> f64 {
        self.km * precision_factor(a).max(precision_factor(b))
    }

    /// Scores one pair with its reasons, or says which rule keeps them apart. The clustering uses
    /// the same rules (with names interned once for all claims).
    pub fn score_pair(&self, a: &Incident, b: &Incident) -> Result<PairScore, String> {
        let mut names = NameTable::default();
        let ka = names.keys(a);
        let kb = names.keys(b);
        self.evaluate(a, b, &ka, &kb, &mut names)
    }

    pub(crate) fn evaluate(
        &self,
        a: &Incident,
        b: &Incident,
        ka: &[ActorKey],
        kb: &[ActorKey],
        names: &mut NameTable,
    ) -> Result<PairScore, String> {
        if !self.same_originator && a.originator == b.originator {
            return Err(format!("same originator {}", a.originator));
        }
        let (Some(pa), Some(pb)) = (a.content.location.point, b.content.location.point) else {
            return Err("a claim has no point".into());
        };
        let allowed_km =
            self.allowed_km(a.content.location.precision, b.content.location.precision);
        let km = haversine_km(pa, pb);
        if km > allowed_km {
            return Err(format!("{km:.1} km apart (window {allowed_km} km)"));
        }
        let gap = day_gap(&a.content.date, &b.content.date);
        if gap > self.days {
            return Err(format!("{gap} days apart (window {} days)", self.days));
        }
        let same_sub_type = a.content.sub_type == b.content.sub_type;
        let same_event_type = a.event_type == b.event_type;
        match self.types {
            TypeRule::SameEventType if !same_event_type => {
                return Err(format!(
                    "event types differ ({} / {})",
                    a.event_type.as_str(),
                    b.event_type.as_str()
                ));
            }
            TypeRule::SameSubType if !same_sub_type => {
                return Err(format!(
                    "sub-types differ ({} / {})",
                    a.content.sub_type.as_str(),
                    b.content.sub_type.as_str()
                ));
            }
            _ => {}
        }
        let actors = actor_match(ka, kb, names);
        if self.actors == ActorRule::SharedWhenNamed && actors == ActorMatch::NoneShared {
            return Err("both name actors and share none".into());
        }
        let shared = matches!(actors, ActorMatch::Shared { .. });
        let (fa, fb) = (
            a.content.casualties.fatalities.best,
            b.content.casualties.fatalities.best,
        );
        let fatalities_closeness = 1.0 - f64::from(fa.abs_diff(fb)) / f64::from(fa.max(fb).max(1));
        let score = 1.0 - 0.5 * km / allowed_km - 0.3 * f64::from(gap) / f64::from(self.days + 1)
            + if same_sub_type { 0.1 } else { 0.0 }
            + if shared { 0.1 } else { 0.0 }
            + 0.1 * fatalities_closeness;
        let (a_id, b_id) = if a.id <= b.id {
            (a.id.clone(), b.id.clone())
        } else {
            (b.id.clone(), a.id.clone())
        };
        Ok(PairScore {
            a: a_id,
            b: b_id,
            km: (km * 1000.0).round() / 1000.0,
            allowed_km,
            day_gap: gap,
            same_event_type,
            same_sub_type,
            actors,
            score,
        })
    }
}

/// How much further apart two points may be when the coarser of them only stands for an area.
pub fn precision_factor(p: LocationPrecision) -> f64 {
    match p {
        LocationPrecision::Exact | LocationPrecision::Near => 1.0,
        LocationPrecision::Admin2 => 2.0,
        LocationPrecision::Admin1 => 3.0,
        LocationPrecision::Country => 6.0,
    }
}

/// The largest [`precision_factor`].
pub const MAX_PRECISION_FACTOR: f64 = 6.0;

/// How the actors of a pair relate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "match", rename_all = "snake_case")]
pub enum ActorMatch {
    /// An actor of each claim is the same: `how` is `actor_id`, `folded_name` or `similar_name`.
    Shared { a: String, b: String, how: String },
    /// At least one claim names no actor: compatible.
    Unnamed,
    /// Both name actors and none is shared.
    NoneShared,
}

/// The score of a candidate pair and the reasons it was fused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PairScore {
    /// The lower claim id.
    pub a: IncidentId,
    pub b: IncidentId,
    /// Distance between the points, km (rounded to metres).
    pub km: f64,
    /// The distance the window allowed for these precisions.
    pub allowed_km: f64,
    pub day_gap: u32,
    pub same_event_type: bool,
    pub same_sub_type: bool,
    pub actors: ActorMatch,
    pub score: f64,
}

/// An actor of a claim: its id and its folded name's index in the [`NameTable`].
#[derive(Debug, Clone)]
pub(crate) struct ActorKey {
    id: Option<ActorId>,
    name: u32,
    written: String,
}

/// Folded actor names interned once, with their `liaison_names` forms built on first use and
/// their similarity remembered per pair, so a name is analysed once however many claims hold it.
#[derive(Default)]
pub(crate) struct NameTable {
    index: HashMap<String, u32>,
    folded: Vec<String>,
    analysed: Vec<Option<liaison_names::Name>>,
    similar: HashMap<(u32, u32), bool>,
}

/// A name folded for comparison: `fold_words` joined by single spaces.
pub fn fold_name(name: &str) -> String {
    liaison_core::text::fold_words(name).join(" ")
}

impl NameTable {
    pub(crate) fn keys(&mut self, c: &Incident) -> Vec<ActorKey> {
        c.content
            .actors
            .iter()
            .map(|a| {
                let folded = fold_name(&a.name);
                let next = u32::try_from(self.folded.len()).unwrap_or(u32::MAX);
                let name = *self.index.entry(folded.clone()).or_insert_with(|| {
                    self.folded.push(folded);
                    self.analysed.push(None);
                    next
                });
                ActorKey {
                    id: a.actor_id.clone(),
                    name,
                    written: a.name.clone(),
                }
            })
            .collect()
    }

    fn similar(&mut self, a: u32, b: u32) -> bool {
        let key = (a.min(b), a.max(b));
        if let Some(&s) = self.similar.get(&key) {
            return s;
        }
        for i in [a, b] {
            let i = i as usize;
            if let (Some(slot), Some(text)) = (self.analysed.get_mut(i), self.folded.get(i))
                && slot.is_none()
            {
                *slot = Some(liaison_names::Name::new(text));
            }
        }
        let s = match (
            self.analysed.get(a as usize).and_then(Option::as_ref),
            self.analysed.get(b as usize).and_then(Option::as_ref),
        ) {
            (Some(na), Some(nb)) => {
                liaison_names::score(na, nb) >= liaison_names::DEFAULT_THRESHOLD
            }
            _ => false,
        };
        self.similar.insert(key, s);
        s
    }
}

fn actor_match(ka: &[ActorKey], kb: &[ActorKey], names: &mut NameTable) -> ActorMatch {
    if ka.is_empty() || kb.is_empty() {
        return ActorMatch::Unnamed;
    }
    // Strongest evidence first: an id, then the same folded name, then a similar name.
    for x in ka {
        for y in kb {
            if x.id.is_some() && x.id == y.id {
                return shared(x, y, "actor_id");
            }
        }
    }
    for x in ka {
        for y in kb {
            if x.name == y.name {
                return shared(x, y, "folded_name");
            }
        }
    }
    for x in ka {
        for y in kb {
            if names.similar(x.name, y.name) {
                return shared(x, y, "similar_name");
            }
        }
    }
    ActorMatch::NoneShared
}

fn shared(x: &ActorKey, y: &ActorKey, how: &str) -> ActorMatch {
    ActorMatch::Shared {
        a: x.written.clone(),
        b: y.written.clone(),
        how: how.into(),
    }
}
