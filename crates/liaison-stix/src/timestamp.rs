//! STIX timestamps: `YYYY-MM-DDTHH:MM:SS[.s+]Z`, always UTC, upper-case `T` and `Z`.
//!
//! Liaison writes them with millisecond precision (`2016-05-26T10:00:00.000Z`), as STIX 2.1
//! requires for `created` and `modified`. Incoming ones are read strictly: the form, then the
//! range of every field (month 1–12, a day the month has, hour ≤ 23, minute ≤ 59, second ≤ 59:
//! like the OASIS validator, no leap second).

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// Formats an instant as a STIX timestamp with millisecond precision, in UTC.
pub fn format_ms(at: OffsetDateTime) -> Result<String, String> {
    let at = at.to_offset(UtcOffset::UTC);
    if !(0..=9999).contains(&at.year()) {
        return Err(format!(
            "year {} cannot be written in a STIX timestamp",
            at.year()
        ));
    }
    Ok(format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.millisecond()
    ))
}

/// A STIX timestamp read from outside: the instant, and the fixed-width key that orders
/// versions as text.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Parsed {
    /// How many digits the fraction of a second was written with (0 without one).
    pub fraction_digits: usize,
    /// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ` (nanoseconds, fraction padded or cut to 9 digits). Two
    /// spellings of the same instant (`…:00Z`, `…:00.000Z`) have the same key.
    pub key: String,
    /// The instant.
    pub instant: OffsetDateTime,
}

fn digits(b: &[u8], what: &str, s: &str) -> Result<u32, String> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return Err(not_stix(s, &format!("{what} is not a number")));
    }
    // At most 9 digits reach here (fields are fixed-width, fractions cut to 9): no overflow.
    Ok(b.iter().fold(0u32, |n, d| {
        n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
    }))
}

fn not_stix(s: &str, why: &str) -> String {
    format!(
        "'{}' is not a STIX timestamp (YYYY-MM-DDTHH:MM:SS[.s]Z): {why}",
        crate::ids::shorten(s)
    )
}

/// Reads a STIX timestamp strictly.
pub fn parse(s: &str) -> Result<Parsed, String> {
    let b = s.as_bytes();
    if b.len() < 20 || !s.is_ascii() {
        return Err(not_stix(s, "too short or not ASCII"));
    }
    let sep = |i: usize, c: u8| b[i] == c;
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return Err(not_stix(s, "separators must be '-', 'T' and ':'"));
    }
    if b[b.len() - 1] != b'Z' {
        return Err(not_stix(s, "must end with 'Z' (UTC)"));
    }
    let year = digits(&b[0..4], "year", s)?;
    let month = digits(&b[5..7], "month", s)?;
    let day = digits(&b[8..10], "day", s)?;
    let hour = digits(&b[11..13], "hour", s)?;
    let minute = digits(&b[14..16], "minute", s)?;
    let second = digits(&b[17..19], "second", s)?;
    let rest = &b[19..b.len() - 1];
    let fraction_digits = rest.len().saturating_sub(1);
    let nanos = match rest {
        [] => 0,
        [b'.', frac @ ..] => {
            if frac.is_empty() || !frac.iter().all(u8::is_ascii_digit) {
                return Err(not_stix(s, "fraction of a second is not a number"));
            }
            let mut padded: Vec<u8> = frac.iter().copied().take(9).collect();
            padded.resize(9, b'0');
            digits(&padded, "fraction of a second", s)?
        }
        _ => {
            return Err(not_stix(
                s,
                "seconds must be followed by '.fraction' or 'Z'",
            ));
        }
    };
    let month_e = u8::try_from(month)
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| not_stix(s, &format!("month {month} is out of range")))?;
    let year_i = i32::try_from(year).map_err(|_| not_stix(s, "year out of range"))?;
    let day_u = u8::try_from(day).map_err(|_| not_stix(s, "day out of range"))?;
    let date = Date::from_calendar_date(year_i, month_e, day_u)
        .map_err(|_| not_stix(s, &format!("{month_e} {year} has no day {day}")))?;
    if hour > 23 || minute > 59 || second > 59 {
        return Err(not_stix(
            s,
            &format!("time {hour:02}:{minute:02}:{second:02} is out of range"),
        ));
    }
    let to_u8 = |v: u32| u8::try_from(v).unwrap_or(0);
    let time = Time::from_hms_nano(to_u8(hour), to_u8(minute), to_u8(second), nanos)
        .map_err(|e| not_stix(s, &e.to_string()))?;
    let instant = PrimitiveDateTime::new(date, time).assume_utc();
    let key =
        format!("{year:04}-{month:02}-{day:02}T{hour:02}:{minute:02}:{second:02}.{nanos:09}Z");
    Ok(Parsed {
        fraction_digits,
        key,
        instant,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn writes_milliseconds_in_utc() {
        let at = OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_123_456_789).unwrap();
        assert_eq!(format_ms(at).unwrap(), "2023-11-14T22:13:20.123Z");
        let plus_one = at.to_offset(UtcOffset::from_hms(1, 0, 0).unwrap());
        assert_eq!(format_ms(plus_one).unwrap(), "2023-11-14T22:13:20.123Z");
    }

    #[test]
    fn reads_strictly() {
        let p = parse("2016-05-26T10:00:00Z").unwrap();
        assert_eq!(p.key, "2016-05-26T10:00:00.000000000Z");
        assert_eq!(parse("2016-05-26T10:00:00.000Z").unwrap().key, p.key);
        assert!(parse("2016-05-26T10:00:00.1Z").unwrap() > p);
        assert_eq!(parse("2016-12-31T23:59:59.5Z").unwrap().fraction_digits, 1);
        // Found by the fuzzer: a long fraction once overflowed.
        let long = parse("2016-12-31T23:59:59.12345678901234567890123Z").unwrap();
        assert_eq!(long.key, "2016-12-31T23:59:59.123456789Z");
        for bad in [
            "2024-13-01T00:00:00Z",
            "2023-02-29T00:00:00Z",
            "2024-01-01T24:00:00Z",
            "2024-01-01T00:60:00Z",
            "2024-01-01T00:00:60Z",
            "2024-01-01 00:00:00Z",
            "2024-01-01T00:00:00",
            "2024-01-01T00:00:00+01:00",
            "2024-01-01t00:00:00z",
            "2024-01-01T00:00:00.Z",
            "2024-01-01T00:00:00.x1Z",
            "2024-01-01T00:00:00.12345678901234567890x1Z",
            "24-01-01T00:00:00Z",
            "2024-01-01T00:00:00ZZ",
            "",
        ] {
            let e = parse(bad).unwrap_err();
            assert!(e.contains("is not a STIX timestamp"), "{bad}: {e}");
        }
        assert!(
            parse("2024-13-01T00:00:00Z")
                .unwrap_err()
                .contains("month 13")
        );
    }
}
