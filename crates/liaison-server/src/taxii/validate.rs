//! The checks an object passes before a collection stores it: `liaison_stix::validate::check`,
//! the same checks `liaison import stix` applies (type and id forms, `spec_version` 2.1, the
//! properties each STIX type requires, timestamps precise to the millisecond, references,
//! string lengths). Everything else in the object is kept as sent.
//!
//! The object's version is `modified`, else `created`; an object with neither (an SCO) gets its
//! version from the store (the `date_added` of the write that first holds that content). TAXII
//! timestamps (`added_after`, `match[version]`) are parsed here too.

use liaison_store::{NewTaxiiObject, ObjectVersion, taxii_timestamp_key};
use serde_json::Value;
use serde_json::value::RawValue;
use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, UTC, as STIX and TAXII write timestamps (at most
/// nanosecond precision).
pub fn parse_timestamp(s: &str) -> Result<OffsetDateTime, String> {
    let bad = || format!("not a timestamp of the form YYYY-MM-DDTHH:MM:SS[.s]Z ({s:.40})");
    let b = s.as_bytes();
    let shape = b.len() >= 20
        && b.last() == Some(&b'Z')
        && b.get(4) == Some(&b'-')
        && b.get(7) == Some(&b'-')
        && b.get(10) == Some(&b'T')
        && b.get(13) == Some(&b':')
        && b.get(16) == Some(&b':');
    if !shape {
        return Err(bad());
    }
    let digits = |r: std::ops::Range<usize>| -> Result<u32, String> {
        let part = s.get(r).ok_or_else(bad)?;
        if part.bytes().all(|c| c.is_ascii_digit()) {
            part.parse().map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let nanos = match s.get(19..s.len() - 1).ok_or_else(bad)? {
        "" => 0,
        frac => {
            let f = frac.strip_prefix('.').ok_or_else(bad)?;
            if f.is_empty() || f.len() > 9 || !f.bytes().all(|c| c.is_ascii_digit()) {
                return Err(bad());
            }
            let n: u32 = f.parse().map_err(|_| bad())?;
            n * 10u32.pow(9 - f.len() as u32)
        }
    };
    let year = i32::try_from(digits(0..4)?).map_err(|_| bad())?;
    let month =
        Month::try_from(u8::try_from(digits(5..7)?).map_err(|_| bad())?).map_err(|_| bad())?;
    let date = Date::from_calendar_date(
        year,
        month,
        u8::try_from(digits(8..10)?).map_err(|_| bad())?,
    )
    .map_err(|e| format!("{s:.40}: {e}"))?;
    let hms = |r| u8::try_from(digits(r)?).map_err(|_| bad());
    let time = Time::from_hms_nano(hms(11..13)?, hms(14..16)?, hms(17..19)?, nanos)
        .map_err(|e| format!("{s:.40}: {e}"))?;
    Ok(PrimitiveDateTime::new(date, time).assume_utc())
}

/// An object refused, with the id it gave (when it gave one) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub id: Option<String>,
    pub message: String,
}

/// Checks one object of an envelope; on success, what the store needs to keep it verbatim.
pub fn check_object(raw: &RawValue) -> Result<NewTaxiiObject, Refused> {
    check_text(raw.get())
}

/// [`check_object`] on the object's JSON text.
pub(crate) fn check_text(text: &str) -> Result<NewTaxiiObject, Refused> {
    let value: Value = serde_json::from_str(text).map_err(|e| Refused {
        id: None,
        message: format!("unreadable object: {e}"),
    })?;
    // The id a refusal names; made only for a refusal.
    let id = || value.get("id").and_then(Value::as_str).map(str::to_owned);
    let header = liaison_stix::validate::check(0, &value).map_err(|errors| Refused {
        id: id(),
        message: errors
            .iter()
            .map(|e| match &e.property {
                Some(p) => format!("{p}: {}", e.reason),
                None => e.reason.clone(),
            })
            .collect::<Vec<_>>()
            .join("; "),
    })?;
    let stamp = ["modified", "created"]
        .iter()
        .find_map(|k| value.get(*k).and_then(Value::as_str));
    let version = match stamp {
        Some(text) => {
            let t = parse_timestamp(text).map_err(|e| Refused {
                id: id(),
                message: format!("version: {e}"),
            })?;
            Some(ObjectVersion {
                text: text.to_owned(),
                key: taxii_timestamp_key(t),
            })
        }
        None => None,
    };
    Ok(NewTaxiiObject {
        id: header.id,
        object_type: header.object_type,
        spec_version: header.spec_version.unwrap_or_else(|| "2.1".to_owned()),
        version,
        doc: text.to_owned(),
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    const ID: &str = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";

    fn check(text: &str) -> Result<NewTaxiiObject, String> {
        let raw: Box<RawValue> = serde_json::from_str(text).unwrap();
        check_object(&raw).map_err(|r| r.message)
    }

    fn obj(extra: &str) -> String {
        format!(
            r#"{{"type":"indicator","id":"{ID}","spec_version":"2.1","created":"2024-01-01T00:00:00.000Z","pattern":"[ipv4-addr:value = '198.51.100.1']","pattern_type":"stix","valid_from":"2024-01-01T00:00:00Z"{extra}}}"#
        )
    }

    #[test]
    fn timestamps() {
        let t = parse_timestamp("2016-05-12T08:17:27.1234Z").unwrap();
        assert_eq!(taxii_timestamp_key(t), "2016-05-12T08:17:27.123400000Z");
        assert!(parse_timestamp("2016-05-12T08:17:27Z").is_ok());
        for bad in [
            "2016-05-12 08:17:27Z",
            "2016-05-12T08:17:27",
            "2016-05-12T08:17:27+00:00",
            "2016-13-12T08:17:27Z",
            "2016-02-30T08:17:27Z",
            "2016-05-12T24:00:00Z",
            "2016-05-12T08:17:27.Z",
            "2016-05-12T08:17:27.1234567891Z",
            "2016-05-12T08:17:2xZ",
            "",
        ] {
            assert!(parse_timestamp(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn versions() {
        let o = check(&obj(r#","modified":"2024-02-01T00:00:00.000Z""#)).unwrap();
        assert_eq!(o.version.unwrap().text, "2024-02-01T00:00:00.000Z");
        let md = r#"{"type":"marking-definition","id":"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487","spec_version":"2.1","created":"2022-10-01T00:00:00.000Z","definition_type":"statement","definition":{"statement":"x"}}"#;
        assert_eq!(
            check(md).unwrap().version.unwrap().text,
            "2022-10-01T00:00:00.000Z"
        );
        let sco = r#"{"type":"ipv4-addr","id":"ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd","value":"198.51.100.3"}"#;
        let o = check(sco).unwrap();
        assert!(o.version.is_none());
        assert_eq!(o.spec_version, "2.1");
        assert_eq!(o.doc, sco);
    }

    #[test]
    fn refusals() {
        let m = r#","modified":"2024-02-01T00:00:00.000Z""#;
        let cases = [
            ("[1,2]".to_owned(), "not a JSON object"),
            (
                obj(m).replace("\"type\":\"indicator\",", ""),
                "type: missing",
            ),
            (obj(m).replace("\"indicator\"", "\"Indicator\""), "type:"),
            (obj(m).replace(ID, "indicator--1"), "id:"),
            (
                obj(m).replace(ID, "report--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"),
                "id:",
            ),
            (obj(m).replace("\"2.1\"", "\"2.0\""), "spec_version:"),
            (
                obj(m).replace("\"spec_version\":\"2.1\",", ""),
                "spec_version: missing",
            ),
            (obj(""), "modified: missing"),
            (
                obj(r#","modified":"2023-02-01T00:00:00.000Z""#),
                "modified: is before created",
            ),
            (
                obj(r#","modified":"2024-02-01T00:00:00Z""#),
                "modified: must be precise",
            ),
            (obj(r#","modified":"yesterday""#), "modified:"),
            (obj(m) + "", ""),
        ];
        for (text, want) in cases {
            match check(&text) {
                Ok(_) if want.is_empty() => {}
                Ok(_) => panic!("accepted {text}"),
                Err(e) => assert!(e.contains(want), "{text}: {e}"),
            }
        }
        let raw: Box<RawValue> = serde_json::from_str(&obj(r#","modified":5"#)).unwrap();
        let r = check_object(&raw).unwrap_err();
        assert_eq!(r.id.as_deref(), Some(ID));
    }
}
