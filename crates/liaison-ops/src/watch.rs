//! Watch rules: what a member wants to be alerted about ("any kidnapping in the tri-border
//! zone", "AQIM anywhere", "three armed attacks in Mali within a week"), their validation, the
//! rule file format, an index that finds the rules an incident matches without scanning them
//! all, and the threshold arithmetic.
//!
//! Not here: storing rules, raising or sending alerts, or knowing which zones an incident lies
//! in (the caller answers that with `liaison-geo` and the node's own zones), nor the clock: a
//! threshold is told the day of the hit and the days of the earlier hits.
//!
//! - [`WatchRule`] and [`WatchRule::validate`]: one rule, every broken field named.
//! - [`parse_rules`]: a rule file (one object, an array, or JSON lines), all errors at once.
//! - [`WatchIndex`]: the rules bucketed by their most selective criterion; `matches` gives the
//!   rules an incident matches, in rule order, each with its reasons.
//! - [`threshold_met`]: whether a hit, with the earlier hits, reaches a rule's threshold.

use liaison_core::{CountryCode, EventType, SubType, ValidationErrors};
use serde::{Deserialize, Serialize};
use time::{Date, Duration};

mod index;
mod parse;
#[cfg(test)]
mod tests;

pub use index::{RuleMatch, WatchIndex, fold_actor};
pub use parse::{RuleErrors, parse_rules};

/// Longest rule id, in bytes.
pub const MAX_RULE_ID_BYTES: usize = 64;
/// Longest rule name, in characters.
pub const MAX_RULE_NAME_CHARS: usize = 200;
/// Most entries in any one list of a rule (event types, actors, zones, …): a rule naming more
/// is better split, and a bound keeps the index's buckets bounded per rule.
pub const MAX_LIST_ENTRIES: usize = 100;
/// Longest actor entry or zone id, in characters (incident names are capped at 300 too).
pub const MAX_ENTRY_CHARS: usize = 300;
/// Largest threshold count: beyond this a "threshold" is a statistic, not an alert.
pub const MAX_THRESHOLD_COUNT: u32 = 10_000;
/// Longest threshold window, in days: a year, leap day included.
pub const MAX_THRESHOLD_DAYS: u32 = 366;

/// "At least `count` matching incidents within `days` days" (the hit itself included).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Threshold {
    pub count: u32,
    pub days: u32,
}

/// A member's watch rule. Every criterion given must hold (AND across criteria); within one
/// list any entry will do (OR). Lists left empty and bounds left out do not constrain, but a
/// rule must give at least one criterion: one without would match every incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WatchRule {
    /// `[a-z0-9-]{1,64}`: ids travel in URLs and alert records.
    pub id: String,
    /// The member whose rule it is.
    pub member: CountryCode,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_types: Vec<EventType>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_types: Vec<SubType>,
    /// Actor ids (`sahel-2012:aqim`) or names (`AQIM`, `Ansar Dine`); a name matches an
    /// incident actor's name after folding case and accents ([`fold_actor`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<String>,
    /// Zone ids; the caller says which zones the incident lies in.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
    /// The incident's country (`location.country`) or the country its point lies in
    /// (`location.coordinates_country`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<CountryCode>,
    /// The best estimate of deaths is at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_fatalities: Option<u32>,
    /// The people kidnapped number at least this (an incident that gives no figure has none).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_kidnapped: Option<u32>,
    /// Without a threshold every match raises an alert.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub threshold: Option<Threshold>,
    /// A match is pushed to partners ahead of any backlog (done by the callers).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub flash: bool,
}

/// Checks a rule id: 1 to 64 bytes of lower-case ASCII letters, digits and `-`.
pub fn check_rule_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > MAX_RULE_ID_BYTES {
        return Err(format!(
            "must be 1 to {MAX_RULE_ID_BYTES} bytes, found {}",
            id.len()
        ));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(format!(
            "'{id}' may only hold lower-case ASCII letters, digits and -"
        ));
    }
    Ok(())
}

impl WatchRule {
    /// Whether the rule gives at least one criterion (threshold and flash are not criteria:
    /// they say what to do with a match, not what matches).
    pub fn has_criterion(&self) -> bool {
        !(self.event_types.is_empty()
            && self.sub_types.is_empty()
            && self.actors.is_empty()
            && self.zones.is_empty()
            && self.countries.is_empty())
            || self.min_fatalities.is_some()
            || self.min_kidnapped.is_some()
    }

    /// Every broken rule, each naming its field (`id`, `actors[2]`, `threshold.days`). An error
    /// about the rule as a whole has an empty field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if let Err(m) = check_rule_id(&self.id) {
            e.push("id", m);
        }
        if self.name.trim().is_empty() {
            e.push("name", "must not be empty");
        } else if self.name.chars().count() > MAX_RULE_NAME_CHARS {
            e.push("name", format!("at most {MAX_RULE_NAME_CHARS} characters"));
        }
        if !self.has_criterion() {
            e.push(
                "",
                "gives no criterion, so it would match every incident: give at least one of \
                 event_types, sub_types, actors, zones, countries, min_fatalities, min_kidnapped",
            );
        }
        check_list(&mut e, "event_types", &self.event_types, |t| {
            Ok(t.as_str().to_owned())
        });
        check_list(&mut e, "sub_types", &self.sub_types, |t| {
            Ok(t.as_str().to_owned())
        });
        // A sub-type outside the listed event types could never match, since both must hold:
        // almost certainly a slip, and a silent one.
        if !self.event_types.is_empty() {
            for (i, s) in self.sub_types.iter().enumerate() {
                if !self.event_types.contains(&s.event_type()) {
                    e.push(
                        format!("sub_types[{i}]"),
                        format!(
                            "{} is a sub-type of {}, which event_types leaves out: the rule could never match",
                            s.as_str(),
                            s.event_type().as_str()
                        ),
                    );
                }
            }
        }
        // Actors are compared by id as given and by folded name, so two entries that fold to
        // the same key are one entry written twice.
        check_list(&mut e, "actors", &self.actors, |a| {
            let a = a.trim();
            if a.is_empty() {
                return Err("must not be empty".to_owned());
            }
            if a.chars().count() > MAX_ENTRY_CHARS {
                return Err(format!("at most {MAX_ENTRY_CHARS} characters"));
            }
            let key = fold_actor(a);
            if key.is_empty() {
                return Err(format!("'{a}' holds no letter or digit"));
            }
            Ok(key)
        });
        check_list(&mut e, "zones", &self.zones, |z| {
            if z.trim().is_empty() {
                return Err("must not be empty".to_owned());
            }
            if z.trim() != z {
                return Err(format!("'{z}' has spaces around it"));
            }
            if z.chars().count() > MAX_ENTRY_CHARS {
                return Err(format!("at most {MAX_ENTRY_CHARS} characters"));
            }
            Ok(z.clone())
        });
        check_list(&mut e, "countries", &self.countries, |c| {
            Ok(c.as_str().to_owned())
        });
        // Zero would hold for every incident: a criterion that is not one.
        for (field, v) in [
            ("min_fatalities", self.min_fatalities),
            ("min_kidnapped", self.min_kidnapped),
        ] {
            if v == Some(0) {
                e.push(
                    field,
                    "must be at least 1 (0 holds for every incident: leave it out instead)",
                );
            }
        }
        if let Some(t) = &self.threshold {
            if t.count == 0 || t.count > MAX_THRESHOLD_COUNT {
                e.push(
                    "threshold.count",
                    format!("must be between 1 and {MAX_THRESHOLD_COUNT}"),
                );
            }
            if t.days == 0 || t.days > MAX_THRESHOLD_DAYS {
                e.push(
                    "threshold.days",
                    format!("must be between 1 and {MAX_THRESHOLD_DAYS}"),
                );
            }
        }
        e.into_result()
    }
}

/// Checks a list's length and each entry (`check` gives the key two entries must not share, or
/// what is wrong with the entry).
fn check_list<T>(
    e: &mut ValidationErrors,
    field: &str,
    items: &[T],
    check: impl Fn(&T) -> Result<String, String>,
) {
    if items.len() > MAX_LIST_ENTRIES {
        e.push(field, format!("at most {MAX_LIST_ENTRIES} entries"));
    }
    let mut seen: Vec<String> = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        match check(item) {
            Err(m) => e.push(format!("{field}[{i}]"), m),
            Ok(key) if seen.contains(&key) => {
                e.push(format!("{field}[{i}]"), format!("'{key}' is listed twice"));
            }
            Ok(key) => seen.push(key),
        }
    }
}

/// Whether a rule's threshold is met by a hit on `this_day`: the hit itself plus the earlier
/// hits whose day lies within the `t.days` days ending at `this_day` (the window
/// `(this_day − days, this_day]`, so `days = 1` is `this_day` alone) number at least
/// `t.count`. Hits dated after `this_day` are not counted (a late report of an older incident
/// is judged by its own day). `earlier_hit_days` need not be sorted and should not include the
/// hit itself.
pub fn threshold_met(t: &Threshold, this_day: Date, earlier_hit_days: &[Date]) -> bool {
    // Before the first representable date there is nothing to exclude.
    let after = this_day.checked_sub(Duration::days(i64::from(t.days)));
    let in_window = earlier_hit_days
        .iter()
        .filter(|d| **d <= this_day && after.is_none_or(|a| **d > a))
        .count();
    // usize → u64 never loses anything on the platforms Rust supports.
    (in_window as u64).saturating_add(1) >= u64::from(t.count)
}
