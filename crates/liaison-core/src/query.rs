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
    /// Only incidents whose point lies in this integrated regional zone (a built-in zone or one
    /// the node holds, by id). An incident without a point lies in no zone.
    pub zone: Option<String>,
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
    /// The integrated regional zone an incident lies in. Zones may overlap, so an incident in two
    /// zones is counted in both rows, and one in none is in no row.
    Zone,
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
            "zone" => StatsDimension::Zone,
            other => {
                return Err(format!(
                    "unknown dimension '{other}': use country, year, month, type, sub_type, originator, category or zone"
                ));
            }
        })
    }

    /// The name of the field (JSON) and column (CSV) a dimension fills in a [`StatsRow`].
    pub fn column(self) -> &'static str {
        match self {
            StatsDimension::Country => "country",
            StatsDimension::Year => "year",
            StatsDimension::Month => "month",
            StatsDimension::Type => "event_type",
            StatsDimension::SubType => "sub_type",
            StatsDimension::Originator => "originator",
            StatsDimension::Category => "category",
            StatsDimension::Zone => "zone",
        }
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
    /// The zone's id (see [`StatsDimension::Zone`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    pub incidents: u64,
    pub fatalities_best: u64,
    pub fatalities_low: u64,
    pub fatalities_high: u64,
}

/// The counts every statistics row carries after its dimensions, in CSV column order.
pub const STATS_COUNT_COLUMNS: [&str; 4] = [
    "incidents",
    "fatalities_best",
    "fatalities_low",
    "fatalities_high",
];

impl StatsRow {
    /// The row as text cells: the asked dimensions in order, then [`STATS_COUNT_COLUMNS`]. The
    /// shape of a CSV record and of a line for people alike.
    pub fn cells(&self, dims: &[StatsDimension]) -> Vec<String> {
        let mut cells: Vec<String> = dims
            .iter()
            .map(|d| {
                let value = match d {
                    StatsDimension::Country => self.country.clone(),
                    StatsDimension::Year => self.year.map(|y| y.to_string()),
                    StatsDimension::Month => self.month.clone(),
                    StatsDimension::Type => self.event_type.clone(),
                    StatsDimension::SubType => self.sub_type.clone(),
                    StatsDimension::Originator => self.originator.clone(),
                    StatsDimension::Category => self.category.clone(),
                    StatsDimension::Zone => self.zone.clone(),
                };
                value.unwrap_or_default()
            })
            .collect();
        cells.extend(
            [
                self.incidents,
                self.fatalities_best,
                self.fatalities_low,
                self.fatalities_high,
            ]
            .map(|n| n.to_string()),
        );
        cells
    }
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
        assert_eq!(
            StatsDimension::parse_list("zone,month,type"),
            Ok(vec![
                StatsDimension::Zone,
                StatsDimension::Month,
                StatsDimension::Type
            ])
        );
    }

    #[test]
    fn rows_as_cells() {
        let row = StatsRow {
            country: None,
            year: None,
            month: Some("2012-03".into()),
            event_type: None,
            sub_type: None,
            originator: None,
            category: None,
            zone: Some("liptako-gourma".into()),
            incidents: 4,
            fatalities_best: 10,
            fatalities_low: 8,
            fatalities_high: 15,
        };
        let dims = [StatsDimension::Zone, StatsDimension::Month];
        assert_eq!(
            row.cells(&dims),
            ["liptako-gourma", "2012-03", "4", "10", "8", "15"]
        );
        let header: Vec<&str> = dims.iter().map(|d| d.column()).collect();
        assert_eq!(header, ["zone", "month"]);
    }
}
