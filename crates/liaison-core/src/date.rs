//! When an incident happened: a span of calendar days and how precisely it is known.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::ValidationErrors;

/// How precisely the date of an event is known. UCDP's `date_prec` 1–5 and ACLED's
/// `time_precision` 1–3 map onto it (see the importers).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DatePrecision {
    Day,
    Week,
    Month,
    Year,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Week => "week",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
        }
    }
}

/// The days an event spans (`start` ≤ `end`, both inclusive) and the precision of that span.
/// A single-day event has `start == end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DateSpan {
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub start: Date,
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub end: Date,
    pub precision: DatePrecision,
}

impl DateSpan {
    pub fn day(d: Date) -> Self {
        Self {
            start: d,
            end: d,
            precision: DatePrecision::Day,
        }
    }

    pub fn validate(&self) -> ValidationErrors {
        let mut errs = ValidationErrors::default();
        if self.end < self.start {
            errs.push(
                "end",
                format!("{} is before start {}", self.end, self.start),
            );
        }
        errs
    }
}

/// Parses `YYYY-MM-DD`.
pub fn parse_iso_date(s: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), &format).map_err(|_| format!("'{s}' is not a date (YYYY-MM-DD)"))
}
