//! Places: named locations with coordinates, for the gazetteer and the scenario.

use serde::{Deserialize, Serialize};

use crate::ids::CountryCode;
use crate::location::GeoPoint;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Place {
    /// A stable key (`tamanrasset`).
    pub key: String,
    pub name: String,
    /// Other spellings and names (`Tamanghasset`, `تمنراست`).
    #[serde(default)]
    pub alt_names: Vec<String>,
    pub point: GeoPoint,
    pub country: CountryCode,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    /// Where the coordinates come from.
    pub source: String,
}
