//! The watch index: rules bucketed once by their most selective criterion, so matching an
//! incident looks only at the rules that could match it, then checks those fully.
//!
//! Each rule goes in exactly one kind of bucket, chosen by the first criterion it gives in the
//! order actors, zones, sub-types, countries, event types, minimum fatalities, minimum
//! kidnapped. The order is a fixed guess at selectivity (an actor or a zone concerns a small
//! share of incidents, an event type a large one), not measured per rule set: any choice is
//! correct, since every candidate is checked against all its criteria; the order only decides
//! how many candidates are checked. Within its kind a rule is filed under every entry of its
//! list (an actor entry both as an id and as a folded name), and the minimums are kept sorted
//! so the rules an incident's figure reaches are a prefix. A rule without any criterion (which
//! validation refuses) is a candidate for every incident, as a plain scan would have it.
//!
//! Not here: validation (`WatchRule::validate`), thresholds, or which zones an incident lies in.

use std::collections::HashMap;

use liaison_core::text::fold_words;
use liaison_core::{CountryCode, EventType, IncidentActor, IncidentContent, SubType};
use serde::Serialize;

use super::WatchRule;

/// An actor name folded for comparison: case and accents dropped, words joined by one space
/// (`"Ansâr  Dine"` → `"ansar dine"`), as `liaison_core::text` folds search text.
pub fn fold_actor(name: &str) -> String {
    fold_words(name).join(" ")
}

/// A rule an incident matched: its index in the rules the index was built from, and why, in
/// plain words (`"sub-type armed attack"`, `"actor AQIM"`, `"fatalities 12 ≥ 10"`), one reason
/// per criterion the rule gives.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleMatch {
    pub rule: usize,
    pub reasons: Vec<String>,
}

/// A rule as the matcher reads it: actor entries trimmed (for ids) and folded (for names) once.
#[derive(Debug, Clone)]
struct Compiled {
    event_types: Vec<EventType>,
    sub_types: Vec<SubType>,
    /// (the entry as given, trimmed: compared with actor ids; its folded form: compared with
    /// folded names, empty when it holds no letter or digit and so names nothing).
    actors: Vec<(String, String)>,
    zones: Vec<String>,
    countries: Vec<CountryCode>,
    min_fatalities: Option<u32>,
    min_kidnapped: Option<u32>,
}

/// Why one criterion held, kept unrendered until the whole rule is known to match: most
/// candidates fail some criterion, and they should not pay for strings.
#[derive(Clone, Copy)]
enum Why<'a> {
    EventType(EventType),
    SubType(SubType),
    Actor(&'a IncidentActor, bool),
    Zone(&'a str),
    Country(&'a CountryCode),
    Fatalities(u32, u32),
    Kidnapped(u32, u32),
}

impl Why<'_> {
    fn render(self) -> String {
        match self {
            Why::EventType(t) => format!("event type {}", t.as_str().replace('_', " ")),
            Why::SubType(t) => format!("sub-type {}", t.as_str().replace('_', " ")),
            Why::Actor(a, true) => match &a.actor_id {
                Some(id) => format!("actor {} (id {id})", a.name),
                None => format!("actor {}", a.name),
            },
            Why::Actor(a, false) => format!("actor {}", a.name),
            Why::Zone(z) => format!("zone {z}"),
            Why::Country(c) => format!("country {c}"),
            Why::Fatalities(n, min) => format!("fatalities {n} ≥ {min}"),
            Why::Kidnapped(n, min) => format!("kidnapped {n} ≥ {min}"),
        }
    }
}

/// Rules bucketed for matching; built once, then asked for many incidents.
#[derive(Debug, Clone, Default)]
pub struct WatchIndex {
    rules: Vec<Compiled>,
    by_actor_id: HashMap<String, Vec<usize>>,
    by_actor_name: HashMap<String, Vec<usize>>,
    by_zone: HashMap<String, Vec<usize>>,
    by_sub_type: HashMap<SubType, Vec<usize>>,
    by_country: HashMap<CountryCode, Vec<usize>>,
    by_event_type: HashMap<EventType, Vec<usize>>,
    /// (minimum, rule), sorted by minimum.
    by_min_fatalities: Vec<(u32, usize)>,
    by_min_kidnapped: Vec<(u32, usize)>,
    /// Rules without any criterion: candidates for every incident.
    always: Vec<usize>,
}

fn file<K: std::hash::Hash + Eq>(map: &mut HashMap<K, Vec<usize>>, key: K, rule: usize) {
    let bucket = map.entry(key).or_default();
    // A list may name one key twice (an unvalidated rule); one entry per rule is enough.
    if bucket.last() != Some(&rule) {
        bucket.push(rule);
    }
}

impl WatchIndex {
    /// Indexes `rules`; matches refer to them by their position in this slice.
    pub fn new(rules: &[WatchRule]) -> WatchIndex {
        let mut ix = WatchIndex::default();
        for (i, r) in rules.iter().enumerate() {
            let c = Compiled {
                event_types: r.event_types.clone(),
                sub_types: r.sub_types.clone(),
                actors: r
                    .actors
                    .iter()
                    .map(|a| (a.trim().to_owned(), fold_actor(a)))
                    .collect(),
                zones: r.zones.clone(),
                countries: r.countries.clone(),
                min_fatalities: r.min_fatalities,
                min_kidnapped: r.min_kidnapped,
            };
            if !c.actors.is_empty() {
                for (id, key) in &c.actors {
                    file(&mut ix.by_actor_id, id.clone(), i);
                    if !key.is_empty() {
                        file(&mut ix.by_actor_name, key.clone(), i);
                    }
                }
            } else if !c.zones.is_empty() {
                for z in &c.zones {
                    file(&mut ix.by_zone, z.clone(), i);
                }
            } else if !c.sub_types.is_empty() {
                for t in &c.sub_types {
                    file(&mut ix.by_sub_type, *t, i);
                }
            } else if !c.countries.is_empty() {
                for k in &c.countries {
                    file(&mut ix.by_country, k.clone(), i);
                }
            } else if !c.event_types.is_empty() {
                for t in &c.event_types {
                    file(&mut ix.by_event_type, *t, i);
                }
            } else if let Some(m) = c.min_fatalities {
                ix.by_min_fatalities.push((m, i));
            } else if let Some(m) = c.min_kidnapped {
                ix.by_min_kidnapped.push((m, i));
            } else {
                ix.always.push(i);
            }
            ix.rules.push(c);
        }
        ix.by_min_fatalities.sort_unstable();
        ix.by_min_kidnapped.sort_unstable();
        ix
    }

    /// How many rules the index holds.
    pub fn len(&self) -> usize {
        self.rules.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }

    /// The rules `incident` matches, in rule order, each once with its reasons. `zones` are the
    /// ids of the zones the incident lies in (the caller's to compute).
    pub fn matches(&self, incident: &IncidentContent, zones: &[&str]) -> Vec<RuleMatch> {
        let folded = fold_actors(incident);
        let mut candidates: Vec<usize> = Vec::new();
        let mut take = |bucket: Option<&Vec<usize>>| {
            if let Some(b) = bucket {
                candidates.extend_from_slice(b);
            }
        };
        for (a, key) in incident.actors.iter().zip(&folded) {
            if let Some(id) = &a.actor_id {
                take(self.by_actor_id.get(id.as_str()));
            }
            if !key.is_empty() {
                take(self.by_actor_name.get(key.as_str()));
            }
        }
        for z in zones {
            take(self.by_zone.get(*z));
        }
        take(self.by_sub_type.get(&incident.sub_type));
        for c in incident_countries(incident) {
            take(self.by_country.get(c));
        }
        take(self.by_event_type.get(&incident.event_type()));
        let best = incident.casualties.fatalities.best;
        let reached = self.by_min_fatalities.partition_point(|(m, _)| *m <= best);
        candidates.extend(self.by_min_fatalities.iter().take(reached).map(|(_, i)| *i));
        if let Some(k) = incident.casualties.kidnapped {
            let reached = self.by_min_kidnapped.partition_point(|(m, _)| *m <= k);
            candidates.extend(self.by_min_kidnapped.iter().take(reached).map(|(_, i)| *i));
        }
        candidates.extend_from_slice(&self.always);
        // A rule may be filed under several of the incident's keys (two of its actors, an id
        // and a name): sorting gives rule order and lets each be checked once.
        candidates.sort_unstable();
        candidates.dedup();
        candidates
            .into_iter()
            .filter_map(|i| self.check(i, incident, &folded, zones))
            .collect()
    }

    /// The same answer as [`WatchIndex::matches`] by checking every rule: the reference the
    /// index is tested and benchmarked against.
    pub fn scan(&self, incident: &IncidentContent, zones: &[&str]) -> Vec<RuleMatch> {
        let folded = fold_actors(incident);
        (0..self.rules.len())
            .filter_map(|i| self.check(i, incident, &folded, zones))
            .collect()
    }

    /// Rule `i` checked against every one of its criteria.
    fn check(
        &self,
        i: usize,
        incident: &IncidentContent,
        folded: &[String],
        zones: &[&str],
    ) -> Option<RuleMatch> {
        let r = self.rules.get(i)?;
        // One slot per criterion, in the order the reasons are given; a criterion that does not
        // hold ends the check (`?`), one the rule does not give leaves its slot empty.
        let mut why: [Option<Why<'_>>; 7] = [None; 7];
        if !r.event_types.is_empty() {
            let t = incident.event_type();
            why[0] = Some(Why::EventType(*r.event_types.iter().find(|e| **e == t)?));
        }
        if !r.sub_types.is_empty() {
            let t = incident.sub_type;
            why[1] = Some(Why::SubType(*r.sub_types.iter().find(|e| **e == t)?));
        }
        if !r.actors.is_empty() {
            why[2] = Some(incident.actors.iter().zip(folded).find_map(|(a, key)| {
                r.actors.iter().find_map(|(id, name)| {
                    if a.actor_id.as_ref().is_some_and(|x| x.as_str() == id) {
                        Some(Why::Actor(a, true))
                    } else if !name.is_empty() && name == key {
                        Some(Why::Actor(a, false))
                    } else {
                        None
                    }
                })
            })?);
        }
        if !r.zones.is_empty() {
            why[3] = Some(Why::Zone(
                zones.iter().find(|z| r.zones.iter().any(|x| x == **z))?,
            ));
        }
        if !r.countries.is_empty() {
            why[4] = Some(Why::Country(
                incident_countries(incident).find(|c| r.countries.contains(c))?,
            ));
        }
        if let Some(min) = r.min_fatalities {
            let n = incident.casualties.fatalities.best;
            if n < min {
                return None;
            }
            why[5] = Some(Why::Fatalities(n, min));
        }
        if let Some(min) = r.min_kidnapped {
            let n = incident.casualties.kidnapped?;
            if n < min {
                return None;
            }
            why[6] = Some(Why::Kidnapped(n, min));
        }
        Some(RuleMatch {
            rule: i,
            reasons: why.into_iter().flatten().map(Why::render).collect(),
        })
    }
}

/// The incident's actor names, folded once per incident rather than once per rule.
fn fold_actors(incident: &IncidentContent) -> Vec<String> {
    incident
        .actors
        .iter()
        .map(|a| fold_actor(&a.name))
        .collect()
}

/// The incident's country and, when it differs, the country its point lies in: an incident
/// reported in one country whose point lies across the border concerns both.
fn incident_countries(incident: &IncidentContent) -> impl Iterator<Item = &CountryCode> {
    let l = &incident.location;
    let second = l
        .coordinates_country
        .as_ref()
        .filter(|c| l.country.as_ref() != Some(*c));
    l.country.iter().chain(second)
}
