//! Identifiers: country and member codes (ISO 3166-1 alpha-3), incident and actor ids.
//!
//! Each is a newtype that can only hold a valid value, so code past the edge never re-checks.

use serde::{Deserialize, Deserializer, Serialize};

use crate::country;

/// An ISO 3166-1 alpha-3 code, upper case. Also names members: every member of the cell is a
/// state. Codes `XAA`–`XZZ`, which ISO 3166 leaves to users, are accepted for bodies that run a
/// node without being a state (the joint command, the fusion cell).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[cfg_attr(feature = "openapi", schema(value_type = String, example = "MLI"))]
#[serde(transparent)]
pub struct CountryCode(String);

impl CountryCode {
    /// Parses a code, in any case. Refuses codes ISO 3166 does not assign, except `X..`.
    pub fn parse(code: &str) -> Result<Self, String> {
        let upper = code.trim().to_ascii_uppercase();
        let well_formed = upper.len() == 3 && upper.bytes().all(|b| b.is_ascii_uppercase());
        if !well_formed {
            return Err(format!(
                "'{code}' is not an ISO 3166-1 alpha-3 code (three letters)"
            ));
        }
        if upper.starts_with('X') || country::by_alpha3(&upper).is_some() {
            Ok(Self(upper))
        } else {
            Err(format!(
                "'{code}' is not an assigned ISO 3166-1 alpha-3 code"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// English short name, or the code itself for user-assigned codes.
    pub fn name_en(&self) -> &str {
        country::by_alpha3(&self.0).map_or(self.0.as_str(), |c| c.name_en)
    }
}

impl std::fmt::Display for CountryCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        CountryCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Longest id accepted, in bytes: ids travel in URLs, file names and STIX ids.
pub const MAX_ID_BYTES: usize = 96;

fn check_id(kind: &str, s: &str) -> Result<(), String> {
    if s.is_empty() || s.len() > MAX_ID_BYTES {
        return Err(format!("{kind} id must be 1 to {MAX_ID_BYTES} bytes"));
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    {
        return Err(format!(
            "{kind} id '{s}' may only hold ASCII letters, digits and - _ . :"
        ));
    }
    Ok(())
}

macro_rules! string_id {
    ($(#[$doc:meta])* $name:ident, $kind:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[cfg_attr(feature = "openapi", schema(value_type = String))]
        #[serde(transparent)]
        pub struct $name(String);

        impl $name {
            pub fn parse(s: &str) -> Result<Self, String> {
                check_id($kind, s)?;
                Ok(Self(s.to_owned()))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = String::deserialize(d)?;
                $name::parse(&s).map_err(serde::de::Error::custom)
            }
        }
    };
}

string_id!(
    /// An incident's id on its originating node. Imported incidents get ids derived from their
    /// source record (`ucdp-ged:235799`, `acled:MLI1234`), so that importing twice is a no-op;
    /// incidents entered by hand get an id drawn at the edge.
    IncidentId,
    "incident"
);

string_id!(
    /// An actor's id on this node (`ucdp-actor:72`, `sahel-2012:aqim`).
    ActorId,
    "actor"
);

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn country_codes() {
        assert_eq!(CountryCode::parse("mli").unwrap().as_str(), "MLI");
        assert_eq!(CountryCode::parse("XJC").unwrap().as_str(), "XJC");
        assert!(CountryCode::parse("ML").is_err());
        assert!(CountryCode::parse("QQQ").is_err());
        assert!(CountryCode::parse("M1I").is_err());
    }

    #[test]
    fn ids() {
        assert!(IncidentId::parse("ucdp-ged:235799").is_ok());
        assert!(IncidentId::parse("").is_err());
        assert!(IncidentId::parse("a b").is_err());
        assert!(IncidentId::parse(&"x".repeat(97)).is_err());
        let err = serde_json::from_str::<IncidentId>("\"a/b\"").unwrap_err();
        assert!(err.to_string().contains("may only hold"));
    }
}
