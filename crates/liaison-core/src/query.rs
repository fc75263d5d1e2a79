//! Queries as data: the filters of `incidents list` and the API's search, and the dimensions and
//! rows of statistics. The store turns these into SQL; the CLI and the API parse them from text.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::characterisation::Category;
use crate::ids::CountryCode;
use crate::location::BBox;
use crate::taxonomy::{EventType, SubType};

/// `--type` accepts an event type (`attack`) or a sub-type (`kidnapping`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum TypeFilter {
    Event(EventType),
    Sub(SubType),
}

impl TypeFilter {
    pub fn parse(s: &str) -> Result<TypeFilter, String> {
        let s = s.trim();
        if let Some(t) = EventType::parse(s) {
            return Ok(TypeFilter::Event(t));
        }
        if let Some(t) = SubType::parse(s) {
            return Ok(TypeFilter::Sub(t));
        }
        Err(format!(
            "unknown type '{s}': use an event type ({}) or a sub-type such as kidnapping",
            EventType::ALL.map(EventType::as_str).join(", ")
        ))
    }

    pub fn matches(self, t: SubType) -> bool {
        match self {
            TypeFilter::Event(e) => t.event_type() == e,
            TypeFilter::Sub(s) => t == s,
        }
    }
}

/// Filters on incidents; every one given must hold. Dates are compared with the incident's
/// span: an incident matches `from..=to` when its span overlaps the window.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct IncidentFilter {
    pub country: Option<CountryCode>,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub types: Vec<TypeFilter>,
    pub bbox: Option<BBox>,
    /// Free text, matched word by word (all words must occur) after folding and stemming.
    pub text: Option<String>,
    pub originator: Option<CountryCode>,
    /// "As characterised by X": only incidents member X has a reading of.
    pub characterised_by: Option<CountryCode>,
    /// With `characterised_by`: only incidents whose *current* reading by that member is this
    /// category. Meaningless alone (whose reading?), so refused without it.
    pub category: Option<Category>,
}

/// Longest free-text query, in characters, and most words in it.
pub const MAX_QUERY_CHARS: usize = 500;
pub const MAX_QUERY_TERMS: usize = 16;

/// What statistics are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum StatsDimension {
    Country,
    Year,
    Month,
    Type,
    SubType,
    Originator,
    /// The current category given by the filter's `characterised_by` member (required).
    Category,
}

impl StatsDimension {
    pub fn parse(s: &str) -> Result<StatsDimension, String> {
        Ok(match s.trim() {
            "country" => StatsDimension::Country,
            "year" => StatsDimension::Year,
            "month" => StatsDimension::Month,
            "type" | "event_type" => StatsDimension::Type,
            "sub_type" => StatsDimension::SubType,
            "originator" => StatsDimension::Originator,
            "category" => StatsDimension::Category,
            other => {
                return Err(format!(
                    "unknown dimension '{other}': use country, year, month, type, sub_type, originator or category"
                ));
            }
        })
    }

    /// Parses a comma-separated list, refusing repeats and empty lists.
    pub fn parse_list(s: &str) -> Result<Vec<StatsDimension>, String> {
        let mut dims = Vec::new();
        for part in s.split(',').filter(|p| !p.trim().is_empty()) {
            let d = StatsDimension::parse(part)?;
            if dims.contains(&d) {
                return Err(format!("dimension '{}' is given twice", part.trim()));
            }
            dims.push(d);
        }
        if dims.is_empty() {
            return Err("give at least one dimension, e.g. country,year".into());
        }
        Ok(dims)
    }
}

/// One row of statistics. Only the dimensions asked for are present; the counts always are.
/// Incidents are counted by the year and month their span starts in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StatsRow {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// `YYYY-MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub month: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub originator: Option<String>,
    /// The `characterised_by` member's current category (see [`StatsDimension::Category`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<String>,
    pub incidents: u64,
    pub fatalities_best: u64,
    pub fatalities_low: u64,
    pub fatalities_high: u64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_filters() {
        assert_eq!(
            TypeFilter::parse("attack"),
            Ok(TypeFilter::Event(EventType::Attack))
        );
        assert_eq!(
            TypeFilter::parse("kidnapping"),
            Ok(TypeFilter::Sub(SubType::Kidnapping))
        );
        assert!(TypeFilter::parse("picnic").is_err());
        assert!(TypeFilter::Event(EventType::Explosion).matches(SubType::SuicideBombing));
        assert!(!TypeFilter::Sub(SubType::Bombing).matches(SubType::SuicideBombing));
    }

    #[test]
    fn dimensions() {
        assert_eq!(
            StatsDimension::parse_list("country,year,type"),
            Ok(vec![
                StatsDimension::Country,
                StatsDimension::Year,
                StatsDimension::Type
            ])
        );
        assert!(StatsDimension::parse_list("country,country").is_err());
        assert!(StatsDimension::parse_list("").is_err());
        assert!(StatsDimension::parse_list("colour").is_err());
    }
}
