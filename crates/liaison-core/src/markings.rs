//! Markings: the classification level, the Traffic Light Protocol 2.0 colour, and the members an
//! incident is releasable to. Markings are data here; deciding what they allow is the egress
//! policy's business.

use serde::{Deserialize, Serialize};

use crate::ids::CountryCode;

/// National classification levels, lowest first, in the NATO-style ladder most member services
/// use ("Diffusion restreinte" = Restricted, "Confidentiel" = Confidential, "Secret").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Classification {
    Unclassified,
    Restricted,
    Confidential,
    Secret,
}

/// TLP 2.0 (FIRST, 2022). `AmberStrict` is TLP:AMBER+STRICT.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Tlp {
    Clear,
    Green,
    Amber,
    AmberStrict,
    Red,
}

impl Tlp {
    pub fn label(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }
}

/// The markings of one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Markings {
    pub classification: Classification,
    pub tlp: Tlp,
    /// Members the originator has marked this incident as releasable to: when not empty, a cap
    /// no agreement can lift (a recipient outside it receives nothing). Empty: no per-incident
    /// list, the originator's agreements alone decide (and without one, nothing leaves).
    #[serde(default)]
    pub releasable_to: Vec<CountryCode>,
}

impl Default for Markings {
    /// The cautious default for anything entered without markings: restricted, amber, nobody.
    fn default() -> Self {
        Self {
            classification: Classification::Restricted,
            tlp: Tlp::Amber,
            releasable_to: Vec::new(),
        }
    }
}

impl Markings {
    /// Markings for published open data (UCDP, ACLED, the brief): anyone may see it.
    pub fn open() -> Self {
        Self {
            classification: Classification::Unclassified,
            tlp: Tlp::Clear,
            releasable_to: Vec::new(),
        }
    }
}
