//! Where an incident happened: a WGS84 point, how precisely it is known, the place name and
//! administrative areas, and the country, with the source's country and the coordinates' country
//! kept apart when they disagree.

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::ids::CountryCode;

/// A WGS84 point in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    pub fn validate(&self) -> ValidationErrors {
        let mut errs = ValidationErrors::default();
        if !(self.lat.is_finite() && (-90.0..=90.0).contains(&self.lat)) {
            errs.push("lat", "must be a number between -90 and 90");
        }
        if !(self.lon.is_finite() && (-180.0..=180.0).contains(&self.lon)) {
            errs.push("lon", "must be a number between -180 and 180");
        }
        errs
    }
}

/// How precisely the point locates the event. UCDP's `where_prec` and ACLED's `geo_precision`
/// map onto it; the STIX export turns it into a precision in metres.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum LocationPrecision {
    /// The exact place (a town, a village, a site).
    Exact,
    /// Near a known place, within about 25 km.
    Near,
    /// Only the second-order administrative area (cercle, département) is known.
    Admin2,
    /// Only the first-order administrative area (région, wilaya) is known.
    Admin1,
    /// Only the country is known.
    Country,
}

impl LocationPrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            LocationPrecision::Exact => "exact",
            LocationPrecision::Near => "near",
            LocationPrecision::Admin2 => "admin2",
            LocationPrecision::Admin1 => "admin1",
            LocationPrecision::Country => "country",
        }
    }
}

/// The location of an incident.
///
/// `country` is the country the source gives (or, when it gives none, the one its coordinates
/// fall in). `coordinates_country` is where the point actually falls according to the boundaries
/// the program ships; when the two differ (twin border towns such as Ti-n-Zaouatene and
/// Tinzaouaten), the source's country is kept and the disagreement is visible, never silently
/// "corrected".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Location {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub point: Option<GeoPoint>,
    pub precision: LocationPrecision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin2: Option<String>,
    /// Required once the incident is normalised (given, or derived from the point).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// The country the point falls in, set by normalisation; absent at sea, outside the shipped
    /// boundaries or without a point.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates_country: Option<CountryCode>,
}

impl Location {
    /// True when the source's country and the coordinates' country are both known and differ.
    pub fn country_disagrees(&self) -> bool {
        matches!((&self.country, &self.coordinates_country), (Some(a), Some(b)) if a != b)
    }

    /// Fills in the country from the point when the source gave none, and records the point's
    /// own country. `lookup` answers the country of a point (liaison-geo at the edge).
    pub fn normalise(&mut self, lookup: impl Fn(f64, f64) -> Option<CountryCode>) {
        self.coordinates_country = self.point.and_then(|p| lookup(p.lat, p.lon));
        if self.country.is_none() {
            self.country = self.coordinates_country.clone();
        }
    }

    pub fn validate(&self) -> ValidationErrors {
        let mut errs = ValidationErrors::default();
        if let Some(p) = &self.point {
            errs.nest("point", p.validate());
        }
        if self.country.is_none() {
            errs.push(
                "country",
                "missing, and no country could be derived from the coordinates",
            );
        }
        if self.point.is_none() && self.precision != LocationPrecision::Country {
            errs.push(
                "point",
                "missing: only a country-precision location may lack coordinates",
            );
        }
        for (field, v) in [
            ("place_name", &self.place_name),
            ("admin1", &self.admin1),
            ("admin2", &self.admin2),
        ] {
            if let Some(v) = v {
                check_len(&mut errs, field, v, crate::incident::MAX_NAME_CHARS);
            }
        }
        errs
    }
}

pub(crate) fn check_len(errs: &mut ValidationErrors, field: &str, v: &str, max_chars: usize) {
    let n = v.chars().count();
    if n > max_chars {
        errs.push(
            field,
            format!("{n} characters, at most {max_chars} allowed"),
        );
    }
}

/// A bounding box `west,south,east,north` in degrees. West may exceed east only across the
/// antimeridian, which Liaison's region never crosses, so that is refused.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct BBox {
    pub west: f64,
    pub south: f64,
    pub east: f64,
    pub north: f64,
}

impl BBox {
    /// Parses `W,S,E,N`.
    pub fn parse(s: &str) -> Result<BBox, String> {
        let parts: Vec<&str> = s.split(',').map(str::trim).collect();
        let [w, so, e, n] = parts.as_slice() else {
            return Err(format!(
                "bbox '{s}' must be four numbers: west,south,east,north"
            ));
        };
        let num = |name: &str, v: &str| -> Result<f64, String> {
            v.parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| format!("bbox {name} '{v}' is not a number"))
        };
        let b = BBox {
            west: num("west", w)?,
            south: num("south", so)?,
            east: num("east", e)?,
            north: num("north", n)?,
        };
        if !(-180.0..=180.0).contains(&b.west) || !(-180.0..=180.0).contains(&b.east) {
            return Err("bbox longitudes must be between -180 and 180".into());
        }
        if !(-90.0..=90.0).contains(&b.south) || !(-90.0..=90.0).contains(&b.north) {
            return Err("bbox latitudes must be between -90 and 90".into());
        }
        if b.west > b.east || b.south > b.north {
            return Err(format!(
                "bbox '{s}': west must not exceed east, nor south north"
            ));
        }
        Ok(b)
    }

    pub fn contains(&self, p: GeoPoint) -> bool {
        (self.south..=self.north).contains(&p.lat) && (self.west..=self.east).contains(&p.lon)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bbox_parsing() {
        let b = BBox::parse("-5,10,5,20").unwrap();
        assert!(b.contains(GeoPoint {
            lat: 15.0,
            lon: 0.0
        }));
        assert!(!b.contains(GeoPoint {
            lat: 25.0,
            lon: 0.0
        }));
        assert!(BBox::parse("1,2,3").unwrap_err().contains("four numbers"));
        assert!(BBox::parse("a,2,3,4").unwrap_err().contains("west 'a'"));
        assert!(
            BBox::parse("5,2,3,4")
                .unwrap_err()
                .contains("west must not exceed")
        );
        assert!(BBox::parse("0,-95,3,4").unwrap_err().contains("latitudes"));
        assert!(BBox::parse("0,NaN,3,4").is_err());
    }

    #[test]
    fn disagreement_is_kept_not_corrected() {
        let mut loc = Location {
            point: Some(GeoPoint {
                lat: 19.95,
                lon: 2.96,
            }),
            precision: LocationPrecision::Exact,
            place_name: Some("Ti-n-Zaouatene".into()),
            admin1: None,
            admin2: None,
            country: Some(CountryCode::parse("MLI").unwrap()),
            coordinates_country: None,
        };
        loc.normalise(|_, _| Some(CountryCode::parse("DZA").unwrap()));
        assert_eq!(loc.country.as_ref().unwrap().as_str(), "MLI");
        assert!(loc.country_disagrees());
        let mut no_country = loc.clone();
        no_country.country = None;
        no_country.normalise(|_, _| Some(CountryCode::parse("DZA").unwrap()));
        assert_eq!(no_country.country.unwrap().as_str(), "DZA");
    }

    #[test]
    fn invalid_points_are_named() {
        let p = GeoPoint {
            lat: 91.0,
            lon: f64::NAN,
        };
        let e = p.validate();
        assert_eq!(e.0.len(), 2);
        assert_eq!(e.0[0].field, "lat");
        assert_eq!(e.0[1].field, "lon");
    }
}
