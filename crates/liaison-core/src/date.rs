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

/// Longest span of one incident, in days. An incident is an event; a longer activity (a
/// campaign, an occupation) is recorded as several incidents or, later, as an operation. The
/// bound also lets searches by time window use the start-date index (`start ≥ from − span`).
/// UCDP GED's longest spans are 364 days.
pub const MAX_SPAN_DAYS: i64 = 366;

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
        let days = (self.end - self.start).whole_days();
        if days > MAX_SPAN_DAYS {
            errs.push(
                "end",
                format!(
                    "the span is {days} days; an incident spans at most {MAX_SPAN_DAYS} (record a longer activity as several incidents)"
                ),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans() {
        let d = |s| parse_iso_date(s).unwrap_or(Date::MIN);
        let ok = DateSpan {
            start: d("2012-01-01"),
            end: d("2012-12-31"),
            precision: DatePrecision::Year,
        };
        assert!(ok.validate().is_empty());
        let long = DateSpan {
            end: d("2013-01-03"),
            ..ok
        };
        assert_eq!(long.validate().0[0].field, "end");
        let backwards = DateSpan {
            end: d("2011-12-31"),
            ..ok
        };
        assert!(backwards.validate().0[0].message.contains("before start"));
        assert!(parse_iso_date("2012-02-30").is_err());
        assert!(parse_iso_date("12/01/2012").is_err());
    }
}
