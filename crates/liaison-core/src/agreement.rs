//! Sharing agreements as data: what an originating member releases to which recipients, under
//! which obligations (the transformations applied before anything leaves), and for how long.
//!
//! An agreement is the originator's unilateral statement: "I release to these members what
//! matches this scope, degraded as these obligations say, from this date until that one". The
//! egress policy (`liaison-policy`) compiles agreements to Cedar policies and applies the
//! obligations; this module only says what an agreement is and when one is well formed.
//!
//! Nothing is ever implied: an empty recipient list is refused, scope caps default to the most
//! cautious value that still lets an agreement mean something (unclassified, TLP:GREEN), and
//! onward release (a recipient passing the object on) is off unless stated.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::ValidationErrors;
use crate::ids::{ActorId, CountryCode};
use crate::location::BBox;
use crate::markings::{Classification, Tlp};
use crate::taxonomy::EventType;

/// Longest agreement id, in bytes (ids travel in URLs, ledger entries and Cedar policy ids).
pub const MAX_AGREEMENT_ID_BYTES: usize = 64;
/// Most recipients one agreement may name.
pub const MAX_RECIPIENTS: usize = 64;
/// Most entries in any one scope list (event types, countries, actors, zones).
pub const MAX_SCOPE_ENTRIES: usize = 256;
/// Finest H3 resolution an obligation may ask for (coarsening to resolution 15 is no coarsening).
pub const MAX_H3_RESOLUTION: u8 = 12;
/// Longest zone id, in bytes: the limit `liaison-geo` puts on the zones it parses.
pub const MAX_ZONE_ID_BYTES: usize = 64;

/// An agreement's id, chosen by its originator: lower-case ASCII letters, digits and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct AgreementId(String);

impl AgreementId {
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.len() <= MAX_AGREEMENT_ID_BYTES
            && s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !s.starts_with('-');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "agreement id '{s}' must be 1 to {MAX_AGREEMENT_ID_BYTES} lower-case letters, digits or '-', not starting with '-'"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for AgreementId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for AgreementId {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        AgreementId::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// What an agreement covers. Every list left empty means "no restriction on this axis"; every
/// cap has a cautious default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scope {
    /// Event types released; empty: all types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub event_types: Vec<EventType>,
    /// Countries whose incidents are released (the incident's country, or where its point
    /// falls); empty: anywhere.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub countries: Vec<CountryCode>,
    /// Only incidents whose point lies in this box; an incident without a point is outside.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bbox: Option<BBox>,
    /// Highest classification released.
    #[serde(default = "Scope::default_classification")]
    pub max_classification: Classification,
    /// Highest TLP colour released. TLP:AMBER+STRICT and TLP:RED never leave an organisation,
    /// so a cap above TLP:AMBER is refused.
    #[serde(default = "Scope::default_tlp")]
    pub max_tlp: Tlp,
    /// Only incidents whose end date is at most this many days before the release.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_age_days: Option<u32>,
    /// Only incidents involving one of these actors (by actor record id); empty: any actor.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<ActorId>,
    /// Only incidents whose point lies in one of these integrated regional zones (by zone id,
    /// `liaison-geo`'s built-in zones); an incident without a point is outside; empty: anywhere.
    /// This crate cannot see the zones, so it checks only the ids' form: whether each names a
    /// known zone is checked when the egress policy compiles the agreement.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub zones: Vec<String>,
}

impl Scope {
    fn default_classification() -> Classification {
        Classification::Unclassified
    }
    fn default_tlp() -> Tlp {
        Tlp::Green
    }
}

impl Default for Scope {
    fn default() -> Self {
        Self {
            event_types: Vec::new(),
            countries: Vec::new(),
            bbox: None,
            max_classification: Scope::default_classification(),
            max_tlp: Scope::default_tlp(),
            max_age_days: None,
            actors: Vec::new(),
            zones: Vec::new(),
        }
    }
}

/// How a released location is coarsened.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum LocationCoarsening {
    /// To a precision class: `admin2` keeps the district, `admin1` the province, `country` only
    /// the country (the point moves to the centre of what is kept, or is dropped).
    Precision(CoarsePrecision),
    /// To the centre of the H3 cell of this resolution that holds the point.
    H3(u8),
    /// To the centre of the square grid cell of this size, in degrees.
    GridDegrees(f64),
}

/// The precision classes a location may be coarsened to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoarsePrecision {
    Admin2,
    Admin1,
    Country,
}

impl CoarsePrecision {
    /// The serialised name: `admin2`, `admin1`, `country`.
    pub fn as_str(self) -> &'static str {
        match self {
            CoarsePrecision::Admin2 => "admin2",
            CoarsePrecision::Admin1 => "admin1",
            CoarsePrecision::Country => "country",
        }
    }
}

/// How released dates are rounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimeRounding {
    Day,
    /// To the ISO week (Monday to Sunday) holding the dates.
    Week,
    /// To the calendar month holding the dates.
    Month,
}

impl TimeRounding {
    /// The serialised name: `day`, `week`, `month`.
    pub fn as_str(self) -> &'static str {
        match self {
            TimeRounding::Day => "day",
            TimeRounding::Week => "week",
            TimeRounding::Month => "month",
        }
    }
}

/// The transformations applied to everything released under an agreement.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligations {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<LocationCoarsening>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<TimeRounding>,
    /// Release without the narrative.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub drop_narrative: bool,
    /// Replace each source by a pseudonym stable per agreement (grades kept, names, references
    /// and URLs dropped).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pseudonymise_sources: bool,
    /// Release fatality counts as ranges (low and high widened to bands), best as the band's low.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub fatalities_as_ranges: bool,
}

impl Obligations {
    /// How many obligations change what is released (rounding to the day changes nothing): the
    /// egress policy prefers, among several agreements that allow a release, the one with the
    /// fewest.
    pub fn count(&self) -> usize {
        usize::from(self.location.is_some())
            + usize::from(self.time.is_some_and(|t| t != TimeRounding::Day))
            + usize::from(self.drop_narrative)
            + usize::from(self.pseudonymise_sources)
            + usize::from(self.fatalities_as_ranges)
    }
}

/// One agreement, as its originator wrote it. `version` is kept by the node: 1, then +1 at each
/// change; `revoked` agreements release nothing from their revocation on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Agreement {
    pub id: AgreementId,
    #[serde(default = "Agreement::first_version")]
    pub version: u32,
    /// The member whose objects this agreement releases.
    pub originator: CountryCode,
    /// The members that receive.
    pub recipients: Vec<CountryCode>,
    /// A short title a liaison officer recognises ("Mali shares everything with all").
    pub title: String,
    #[serde(default)]
    pub scope: Scope,
    #[serde(default)]
    pub obligations: Obligations,
    /// Embargo: nothing released before this day.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<Date>,
    /// Expiry: nothing released from this day on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires: Option<Date>,
    /// Whether recipients may pass what they receive on to the other recipients of this
    /// agreement. Never to anyone else.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub onward_release: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub revoked: bool,
}

impl Agreement {
    fn first_version() -> u32 {
        1
    }

    /// Every broken rule, with its field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if self.recipients.is_empty() {
            e.push("recipients", "must name at least one member");
        }
        if self.recipients.len() > MAX_RECIPIENTS {
            e.push("recipients", format!("at most {MAX_RECIPIENTS} members"));
        }
        if self.recipients.contains(&self.originator) {
            e.push("recipients", "must not name the originator itself");
        }
        for (i, r) in self.recipients.iter().enumerate() {
            if self.recipients[..i].contains(r) {
                e.push(format!("recipients[{i}]"), format!("{r} is named twice"));
            }
        }
        let title = self.title.trim();
        if title.is_empty() || title.chars().count() > 300 {
            e.push("title", "must be 1 to 300 characters");
        }
        if self.version == 0 {
            e.push("version", "starts at 1");
        }
        let s = &self.scope;
        for (name, len) in [
            ("scope.event_types", s.event_types.len()),
            ("scope.countries", s.countries.len()),
            ("scope.actors", s.actors.len()),
            ("scope.zones", s.zones.len()),
        ] {
            if len > MAX_SCOPE_ENTRIES {
                e.push(name, format!("at most {MAX_SCOPE_ENTRIES} entries"));
            }
        }
        if s.max_tlp > Tlp::Amber {
            e.push(
                "scope.max_tlp",
                "TLP:AMBER+STRICT and TLP:RED never leave the organisation; the highest is amber",
            );
        }
        if let Some(b) = s.bbox
            && (b.west > b.east || b.south > b.north)
        {
            e.push("scope.bbox", "west must not exceed east, nor south north");
        }
        for (i, z) in s.zones.iter().enumerate() {
            if !is_zone_id(z) {
                e.push(
                    format!("scope.zones[{i}]"),
                    format!(
                        "zone id '{z}' must be 1 to {MAX_ZONE_ID_BYTES} lower-case letters, digits or '-'"
                    ),
                );
            }
        }
        match self.obligations.location {
            Some(LocationCoarsening::H3(r)) if r > MAX_H3_RESOLUTION => e.push(
                "obligations.location.h3",
                format!("resolution 0 to {MAX_H3_RESOLUTION}"),
            ),
            Some(LocationCoarsening::GridDegrees(d))
                if !(d.is_finite() && d > 0.0 && d <= 90.0) =>
            {
                e.push(
                    "obligations.location.grid_degrees",
                    "must be more than 0 and at most 90",
                )
            }
            _ => {}
        }
        if let (Some(from), Some(until)) = (self.valid_from, self.expires)
            && until <= from
        {
            e.push("expires", "must come after valid_from");
        }
        e.into_result()
    }

    /// Whether the agreement releases anything on `day` (embargo, expiry, revocation).
    pub fn in_force_on(&self, day: Date) -> bool {
        !self.revoked
            && self.valid_from.is_none_or(|f| day >= f)
            && self.expires.is_none_or(|x| day < x)
    }
}

/// The form of a zone id, as `liaison-geo` accepts it in a zone file.
fn is_zone_id(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= MAX_ZONE_ID_BYTES
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<Agreement, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn a_minimal_agreement_takes_the_cautious_defaults() {
        let a = parse(
            r#"{"id":"mli-all","originator":"MLI","recipients":["DZA","NER"],"title":"Mali shares with all"}"#,
        )
        .unwrap();
        assert_eq!(a.version, 1);
        assert_eq!(a.scope.max_classification, Classification::Unclassified);
        assert_eq!(a.scope.max_tlp, Tlp::Green);
        assert!(!a.onward_release);
        assert!(a.validate().is_ok());
    }

    #[test]
    fn obligations_read_as_written() {
        let a = parse(
            r#"{"id":"dza-ner","originator":"DZA","recipients":["NER"],"title":"t",
                "obligations":{"location":{"precision":"admin1"},"time":"week","drop_narrative":true}}"#,
        )
        .unwrap();
        assert_eq!(
            a.obligations.location,
            Some(LocationCoarsening::Precision(CoarsePrecision::Admin1))
        );
        assert_eq!(a.obligations.time, Some(TimeRounding::Week));
        let h3 = parse(
            r#"{"id":"x","originator":"DZA","recipients":["NER"],"title":"t","obligations":{"location":{"h3":5}}}"#,
        )
        .unwrap();
        assert_eq!(h3.obligations.location, Some(LocationCoarsening::H3(5)));
    }

    #[test]
    fn bad_agreements_name_their_fields() {
        let a = parse(
            r#"{"id":"x","originator":"DZA","recipients":["DZA","NER","NER"],"title":" ",
                "scope":{"max_tlp":"red"},"obligations":{"location":{"h3":15}},
                "valid_from":"2012-05-01","expires":"2012-04-01"}"#,
        )
        .unwrap();
        let fields: Vec<String> = a
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.field)
            .collect();
        for want in [
            "recipients",
            "recipients[2]",
            "title",
            "scope.max_tlp",
            "obligations.location.h3",
            "expires",
        ] {
            assert!(fields.iter().any(|f| f == want), "{want} in {fields:?}");
        }
        assert!(
            parse(r#"{"id":"Bad Id","originator":"DZA","recipients":["NER"],"title":"t"}"#)
                .is_err()
        );
        let unknown = parse(
            r#"{"id":"x","originator":"DZA","recipients":["NER"],"title":"t","scope":{"colour":"red"}}"#,
        )
        .unwrap_err();
        assert!(unknown.to_string().contains("colour"), "{unknown}");
    }

    #[test]
    fn zones_are_read_and_their_ids_checked_for_form() {
        let a = parse(
            r#"{"id":"x","originator":"NER","recipients":["BFA"],"title":"t",
                "scope":{"zones":["liptako-gourma"]}}"#,
        )
        .unwrap();
        assert_eq!(a.scope.zones, ["liptako-gourma"]);
        assert!(a.validate().is_ok());
        // Absent when empty, so agreements written before zones read and print as they did.
        let plain =
            parse(r#"{"id":"x","originator":"NER","recipients":["BFA"],"title":"t"}"#).unwrap();
        assert!(plain.scope.zones.is_empty());
        let json = serde_json::to_string(&plain).unwrap();
        assert!(!json.contains("zones"), "{json}");
        let bad = parse(
            r#"{"id":"x","originator":"NER","recipients":["BFA"],"title":"t",
                "scope":{"zones":["liptako-gourma","Liptako Gourma",""]}}"#,
        )
        .unwrap();
        let fields: Vec<String> = bad
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(fields, ["scope.zones[1]", "scope.zones[2]"]);
    }

    #[test]
    fn force_follows_embargo_expiry_and_revocation() {
        let mut a = parse(
            r#"{"id":"x","originator":"DZA","recipients":["NER"],"title":"t","valid_from":"2012-01-01","expires":"2013-01-01"}"#,
        )
        .unwrap();
        let day = |s: &str| crate::date::parse_iso_date(s).unwrap();
        assert!(!a.in_force_on(day("2011-12-31")));
        assert!(a.in_force_on(day("2012-01-01")));
        assert!(a.in_force_on(day("2012-12-31")));
        assert!(!a.in_force_on(day("2013-01-01")));
        a.revoked = true;
        assert!(!a.in_force_on(day("2012-06-01")));
    }
}
