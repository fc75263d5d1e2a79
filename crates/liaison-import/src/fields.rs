//! Reading the values of one record: a [`Row`] gives a column's text by precomputed index and
//! turns a bad value into a [`RowError`] that names the line and the column as the file spells
//! it; the free functions parse the value formats both datasets use (whole numbers,
//! coordinates, the date layouts met in published files) without regexes or allocation.
//!
//! What this is not: the mapping of a dataset onto an incident (see `ucdp.rs`, `acled.rs`).

use csv::StringRecord;
use time::{Date, Month};

use crate::error::RowError;

/// Longest value quoted back in an error message, in characters.
const SHOWN_CHARS: usize = 60;

/// One record, seen through the header that names its columns.
pub(crate) struct Row<'a> {
    rec: &'a StringRecord,
    names: &'a [String],
    pub(crate) line: u64,
}

impl<'a> Row<'a> {
    pub(crate) fn new(rec: &'a StringRecord, names: &'a [String], line: u64) -> Self {
        Self { rec, names, line }
    }

    /// The trimmed text of a column, empty when the record is shorter.
    pub(crate) fn get(&self, col: usize) -> &'a str {
        self.rec.get(col).unwrap_or("").trim()
    }

    /// The trimmed text of an optional column, `None` when the column is absent or empty.
    pub(crate) fn opt(&self, col: Option<usize>) -> Option<&'a str> {
        col.map(|c| self.get(c)).filter(|s| !s.is_empty())
    }

    /// The index and trimmed text of an optional column that is present and not empty.
    pub(crate) fn opt_at(&self, col: Option<usize>) -> Option<(usize, &'a str)> {
        let c = col?;
        let v = self.get(c);
        (!v.is_empty()).then_some((c, v))
    }

    /// An error about one column.
    pub(crate) fn fail(&self, col: usize, reason: impl Into<String>) -> RowError {
        RowError {
            line: self.line,
            column: Some(self.names.get(col).cloned().unwrap_or_default()),
            reason: reason.into(),
        }
    }

    /// An error quoting the column's value: `'abc' is not a whole number`.
    pub(crate) fn bad(&self, col: usize, what: &str) -> RowError {
        self.fail(col, format!("'{}' {what}", shown(self.get(col))))
    }

    /// The column's header name, for messages that cite a second column.
    pub(crate) fn name(&self, col: usize) -> &'a str {
        self.names.get(col).map_or("", String::as_str)
    }

    /// The value of a column that must not be empty.
    pub(crate) fn required(&self, col: usize) -> Result<&'a str, RowError> {
        let v = self.get(col);
        if v.is_empty() {
            Err(self.fail(col, "is empty, and the column is required"))
        } else {
            Ok(v)
        }
    }

    /// A whole number ≥ 0 that fits in 32 bits.
    pub(crate) fn whole(&self, col: usize) -> Result<u32, RowError> {
        let v = self.required(col)?;
        parse_whole(v).ok_or_else(|| self.bad(col, "is not a whole number"))
    }

    /// A small integer code (precision, type of violence).
    pub(crate) fn code(&self, col: usize) -> Result<u8, RowError> {
        let v = self.required(col)?;
        parse_whole(v)
            .and_then(|n| u8::try_from(n).ok())
            .ok_or_else(|| self.bad(col, "is not a code number"))
    }

    /// A coordinate in decimal degrees within `-limit..=limit`.
    pub(crate) fn coord(&self, col: usize, limit: f64) -> Result<f64, RowError> {
        let v = self.required(col)?;
        let x = v
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| self.bad(col, "is not a number of degrees"))?;
        if (-limit..=limit).contains(&x) {
            Ok(x)
        } else {
            Err(self.bad(
                col,
                &format!("is out of range (degrees between -{limit} and {limit})"),
            ))
        }
    }
}

/// A value as quoted in an error: clipped, so a merged record does not flood the message.
pub(crate) fn shown(v: &str) -> String {
    clip(v, SHOWN_CHARS)
}

/// `s` cut to at most `max_chars` characters, the cut marked with `…`.
pub(crate) fn clip(s: &str, max_chars: usize) -> String {
    if s.len() <= max_chars {
        return s.to_owned();
    }
    match s.char_indices().nth(max_chars) {
        None => s.to_owned(),
        Some(_) => {
            let keep = max_chars.saturating_sub(1);
            let end = s.char_indices().nth(keep).map_or(s.len(), |(i, _)| i);
            let mut out = String::with_capacity(end + 3);
            out.push_str(s.get(..end).unwrap_or(""));
            out.push('…');
            out
        }
    }
}

/// `Some(s)` clipped, `None` for an empty value.
pub(crate) fn clip_opt(s: Option<&str>, max_chars: usize) -> Option<String> {
    s.map(|v| clip(v, max_chars))
}

/// Digits only (no sign, no decimal point), within `u32`.
pub(crate) fn parse_whole(s: &str) -> Option<u32> {
    if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn digits(s: &str, min: usize, max: usize) -> Option<u32> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn ymd(y: u32, m: u32, d: u32) -> Option<Date> {
    if !(1000..=9999).contains(&y) {
        return None;
    }
    let month = Month::try_from(u8::try_from(m).ok()?).ok()?;
    Date::from_calendar_date(i32::try_from(y).ok()?, month, u8::try_from(d).ok()?).ok()
}

/// `YYYY-MM-DD` (one-digit month and day tolerated).
pub(crate) fn parse_iso(s: &str) -> Option<Date> {
    let mut it = s.split('-');
    let (y, m, d) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    ymd(digits(y, 4, 4)?, digits(m, 1, 2)?, digits(d, 1, 2)?)
}

/// `MM/DD/YYYY`, the layout of the per-country GED exports.
fn parse_us(s: &str) -> Option<Date> {
    let mut it = s.split('/');
    let (m, d, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() {
        return None;
    }
    ymd(digits(y, 4, 4)?, digits(m, 1, 2)?, digits(d, 1, 2)?)
}

/// A UCDP date: `YYYY-MM-DD` (official), `YYYY-MM-DD HH:MM:SS.000` (some official releases) or
/// `MM/DD/YYYY 00:00:00` (the per-country exports). A time part, when present, must look like a
/// time and is ignored: GED dates are days.
pub(crate) fn parse_ucdp_date(s: &str) -> Option<Date> {
    let (day, time) = match s.find([' ', 'T']) {
        Some(i) => (s.get(..i)?, s.get(i + 1..)?.trim()),
        None => (s, ""),
    };
    if !time
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b':' || b == b'.')
    {
        return None;
    }
    if day.contains('/') {
        parse_us(day)
    } else {
        parse_iso(day)
    }
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// An ACLED date: `YYYY-MM-DD` (current exports) or `D Month YYYY` (`15 January 2012`, older
/// exports; the month in English, in full or as its first three letters). `DD/MM/YYYY` is refused:
/// it cannot be told from `MM/DD/YYYY`.
pub(crate) fn parse_acled_date(s: &str) -> Option<Date> {
    if s.contains('-') {
        return parse_iso(s);
    }
    let mut it = s.split_whitespace();
    let (d, m, y) = (it.next()?, it.next()?, it.next()?);
    if it.next().is_some() || m.len() < 3 {
        return None;
    }
    let month = MONTHS.iter().position(|name| {
        name.len() >= m.len()
            && (m.len() == 3 || m.len() == name.len())
            && name
                .get(..m.len())
                .is_some_and(|p| p.eq_ignore_ascii_case(m))
    })?;
    let m = u32::try_from(month + 1).ok()?;
    ymd(digits(y, 4, 4)?, m, digits(d, 1, 2)?)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn ucdp_dates_in_every_published_layout() {
        assert_eq!(parse_ucdp_date("2018-01-11"), Some(date!(2018 - 01 - 11)));
        assert_eq!(
            parse_ucdp_date("2018-01-11 00:00:00.000"),
            Some(date!(2018 - 01 - 11))
        );
        assert_eq!(
            parse_ucdp_date("05/26/2016 00:00:00"),
            Some(date!(2016 - 05 - 26))
        );
        assert_eq!(parse_ucdp_date("05/26/2016"), Some(date!(2016 - 05 - 26)));
        assert_eq!(parse_ucdp_date("26/05/2016 00:00:00"), None);
        assert_eq!(parse_ucdp_date("2016-02-30"), None);
        assert_eq!(parse_ucdp_date("2016-01-01 noon"), None);
        assert_eq!(parse_ucdp_date("Niger"), None);
        assert_eq!(parse_ucdp_date("16-01-01"), None);
        assert_eq!(parse_ucdp_date(""), None);
    }

    #[test]
    fn acled_dates() {
        assert_eq!(parse_acled_date("2012-01-15"), Some(date!(2012 - 01 - 15)));
        assert_eq!(
            parse_acled_date("15 January 2012"),
            Some(date!(2012 - 01 - 15))
        );
        assert_eq!(parse_acled_date("5 jan 2012"), Some(date!(2012 - 01 - 05)));
        assert_eq!(parse_acled_date("5 Janu 2012"), None);
        assert_eq!(parse_acled_date("15/01/2012"), None);
        assert_eq!(parse_acled_date("31 June 2012"), None);
    }

    #[test]
    fn whole_numbers_and_clipping() {
        assert_eq!(parse_whole("012"), Some(12));
        assert_eq!(parse_whole("-1"), None);
        assert_eq!(parse_whole("1.5"), None);
        assert_eq!(parse_whole("99999999999"), None);
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(clip("abcd", 3), "ab…");
        assert_eq!(clip("éééé", 3), "éé…");
        assert_eq!(clip("ééé", 3), "ééé");
    }
}
