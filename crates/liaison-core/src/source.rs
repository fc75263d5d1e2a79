//! Sources of an incident, each graded on the Admiralty (NATO) scale: the reliability of the
//! source (A–F) and the credibility of the information (1–6), graded independently.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::ValidationErrors;
use crate::location::check_len;

/// Reliability of the source. `F` means it cannot be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Reliability {
    /// Completely reliable.
    A,
    /// Usually reliable.
    B,
    /// Fairly reliable.
    C,
    /// Not usually reliable.
    D,
    /// Unreliable.
    E,
    /// Reliability cannot be judged.
    F,
}

/// Credibility of the information. `6` means truth cannot be judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(try_from = "u8", into = "u8")]
pub struct Credibility(u8);

impl Credibility {
    pub fn new(v: u8) -> Result<Self, String> {
        if (1..=6).contains(&v) {
            Ok(Self(v))
        } else {
            Err(format!("credibility {v} is not on the Admiralty scale 1-6"))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    pub const CANNOT_JUDGE: Credibility = Credibility(6);
}

impl TryFrom<u8> for Credibility {
    type Error = String;
    fn try_from(v: u8) -> Result<Self, String> {
        Credibility::new(v)
    }
}

impl From<Credibility> for u8 {
    fn from(c: Credibility) -> u8 {
        c.0
    }
}

impl Reliability {
    pub fn as_char(self) -> char {
        match self {
            Reliability::A => 'A',
            Reliability::B => 'B',
            Reliability::C => 'C',
            Reliability::D => 'D',
            Reliability::E => 'E',
            Reliability::F => 'F',
        }
    }
}

/// One source of an incident: who reported it, where and when, and how it is graded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Source {
    /// The source's name (a newspaper, a service, "Ministère des Armées").
    pub name: String,
    /// Headline, document title or reference.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub date: Option<Date>,
    pub reliability: Reliability,
    pub credibility: Credibility,
}

impl Source {
    /// The grade as analysts write it: `B2`.
    pub fn grade(&self) -> String {
        format!("{}{}", self.reliability.as_char(), self.credibility.get())
    }

    pub fn validate(&self) -> ValidationErrors {
        let mut errs = ValidationErrors::default();
        if self.name.trim().is_empty() {
            errs.push("name", "must not be empty");
        }
        check_len(
            &mut errs,
            "name",
            &self.name,
            crate::incident::MAX_NAME_CHARS,
        );
        if let Some(r) = &self.reference {
            check_len(
                &mut errs,
                "reference",
                r,
                crate::incident::MAX_TITLE_CHARS * 4,
            );
        }
        if let Some(u) = &self.url {
            check_len(&mut errs, "url", u, 2048);
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                errs.push("url", "must start with http:// or https://");
            }
        }
        errs
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn grades() {
        let s = Source {
            name: "Africa Center for Strategic Studies".into(),
            reference: None,
            url: None,
            date: None,
            reliability: Reliability::B,
            credibility: Credibility::new(2).unwrap(),
        };
        assert_eq!(s.grade(), "B2");
        assert!(Credibility::new(0).is_err());
        assert!(Credibility::new(7).is_err());
        let json = serde_json::to_string(&s).unwrap();
        assert!(json.contains("\"reliability\":\"B\""));
        assert!(json.contains("\"credibility\":2"));
        let bad = json.replace("\"credibility\":2", "\"credibility\":9");
        let err = serde_json::from_str::<Source>(&bad)
            .unwrap_err()
            .to_string();
        assert!(err.contains("Admiralty"), "{err}");
    }
}
