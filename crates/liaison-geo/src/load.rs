//! GeoJSON text → country regions: parsing, validation with errors that name the feature, the
//! Natural Earth name → ISO 3166-1 alpha-3 mapping, and the Western Sahara setting.
//!
//! Not here: any index or lookup (see `grid` and `border`), any file or network access.

use geojson::{Feature, GeometryValue, Position};
use serde_json::Value;

use crate::WesternSahara;
use crate::error::{FeatureProblem, GeoError};
use crate::names;

/// The northern limit of Western Sahara (the former Spanish Sahara, which the UN lists as a
/// non-self-governing territory): the parallel 27°40′ N, from the Atlantic to 8°40′ W (Algeria).
pub(crate) const WESTERN_SAHARA_NORTH_LAT: f64 = 27.0 + 40.0 / 60.0;

/// A longitude/latitude box, bounds included.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Bbox {
    pub(crate) min_lon: f64,
    pub(crate) min_lat: f64,
    pub(crate) max_lon: f64,
    pub(crate) max_lat: f64,
}

impl Bbox {
    /// The box of some points; `None` when there are none.
    pub(crate) fn of_points<'a>(points: impl IntoIterator<Item = &'a [f64; 2]>) -> Option<Bbox> {
        let mut points = points.into_iter();
        let &[lon, lat] = points.next()?;
        let start = Bbox {
            min_lon: lon,
            min_lat: lat,
            max_lon: lon,
            max_lat: lat,
        };
        Some(points.fold(start, |b, &[lon, lat]| Bbox {
            min_lon: b.min_lon.min(lon),
            min_lat: b.min_lat.min(lat),
            max_lon: b.max_lon.max(lon),
            max_lat: b.max_lat.max(lat),
        }))
    }

    pub(crate) fn union(self, other: Bbox) -> Bbox {
        Bbox {
            min_lon: self.min_lon.min(other.min_lon),
            min_lat: self.min_lat.min(other.min_lat),
            max_lon: self.max_lon.max(other.max_lon),
            max_lat: self.max_lat.max(other.max_lat),
        }
    }

    /// False for NaN.
    pub(crate) fn contains(&self, lat: f64, lon: f64) -> bool {
        lon >= self.min_lon && lon <= self.max_lon && lat >= self.min_lat && lat <= self.max_lat
    }
}

/// An area answering one country code: a feature, or the part of one on one side of 27°40′ N.
/// Its rings are closed (`first == last`) and are read with the even-odd rule, so holes and the
/// separate polygons of a MultiPolygon need no distinction.
#[derive(Debug, Clone)]
pub(crate) struct Region {
    pub(crate) iso3: &'static str,
    /// `[longitude, latitude]` in degrees.
    pub(crate) rings: Rings,
    pub(crate) bbox: Bbox,
}

/// Parse a GeoJSON FeatureCollection of Natural Earth admin-0 features into regions, in feature
/// order (which is also the order of precedence where polygons overlap).
pub(crate) fn parse(text: &str, ws: WesternSahara) -> Result<Vec<Region>, GeoError> {
    let value: Value = serde_json::from_str(text).map_err(|e| GeoError::Json(e.to_string()))?;
    let features = feature_array(value)?;
    if features.is_empty() {
        return Err(GeoError::Empty);
    }
    let mut regions = Vec::with_capacity(features.len() + 1);
    for (index, value) in features.into_iter().enumerate() {
        let (iso3, rings) =
            parse_feature(value).map_err(|problem| GeoError::Feature { index, problem })?;
        push_regions(&mut regions, iso3, rings, ws);
    }
    Ok(regions)
}

fn feature_array(value: Value) -> Result<Vec<Value>, GeoError> {
    let not = |found: String| GeoError::NotFeatureCollection { found };
    let Value::Object(mut object) = value else {
        return Err(not(format!("a JSON {}", json_kind(&value))));
    };
    match object.get("type") {
        Some(Value::String(kind)) if kind == "FeatureCollection" => {}
        Some(Value::String(kind)) => return Err(not(format!("type {kind:?}"))),
        _ => return Err(not("an object without a string \"type\"".to_owned())),
    }
    match object.remove("features") {
        Some(Value::Array(features)) => Ok(features),
        _ => Err(not(
            "a FeatureCollection without a \"features\" array".to_owned()
        )),
    }
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Closed rings of `[longitude, latitude]` points.
type Rings = Vec<Vec<[f64; 2]>>;

fn parse_feature(value: Value) -> Result<(&'static str, Rings), FeatureProblem> {
    let feature: Feature =
        serde_json::from_value(value).map_err(|e| FeatureProblem::NotAFeature(e.to_string()))?;
    let geometry = feature.geometry.ok_or(FeatureProblem::NoGeometry)?;
    let polygons: Vec<Vec<Vec<Position>>> = match geometry.value {
        GeometryValue::Polygon { coordinates } => vec![coordinates],
        GeometryValue::MultiPolygon { coordinates } => coordinates,
        other => return Err(FeatureProblem::UnsupportedGeometry(other.type_name())),
    };
    let name = feature
        .properties
        .as_ref()
        .and_then(|properties| properties.get("name"))
        .and_then(Value::as_str)
        .ok_or(FeatureProblem::NoName)?;
    let iso3 = names::iso3_of(name).ok_or_else(|| FeatureProblem::UnknownName(name.to_owned()))?;
    let mut rings = Vec::new();
    for (ring, positions) in polygons.into_iter().flatten().enumerate() {
        rings.push(ring_points(&positions).map_err(|what| FeatureProblem::BadRing { ring, what })?);
    }
    Ok((iso3, rings))
}

/// A GeoJSON linear ring as closed `[lon, lat]` points.
fn ring_points(positions: &[Position]) -> Result<Vec<[f64; 2]>, &'static str> {
    let mut points = Vec::with_capacity(positions.len());
    for position in positions {
        let &[lon, lat, ..] = position.as_slice() else {
            return Err("a position has fewer than 2 coordinates");
        };
        if !lon.is_finite() || !lat.is_finite() {
            return Err("a coordinate is not a finite number");
        }
        if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
            return Err("a coordinate is outside longitude ±180, latitude ±90");
        }
        points.push([lon, lat]);
    }
    if points.len() < 4 {
        return Err("fewer than 4 positions");
    }
    if points.first() != points.last() {
        return Err("not closed (first position differs from last)");
    }
    Ok(points)
}

/// Add the regions of one feature, applying the Western Sahara setting: with `PartOfMorocco` the
/// `W. Sahara` feature answers MAR; with `Separate` the part of the Morocco feature south of
/// 27°40′ N answers ESH.
fn push_regions(regions: &mut Vec<Region>, iso3: &'static str, rings: Rings, ws: WesternSahara) {
    match (iso3, ws) {
        ("ESH", WesternSahara::PartOfMorocco) => push_region(regions, "MAR", rings),
        ("MAR", WesternSahara::Separate) => {
            let cut = WESTERN_SAHARA_NORTH_LAT;
            let north = rings
                .iter()
                .filter_map(|r| clip_ring(r, cut, true))
                .collect();
            let south = rings
                .iter()
                .filter_map(|r| clip_ring(r, cut, false))
                .collect();
            push_region(regions, "MAR", north);
            push_region(regions, "ESH", south);
        }
        _ => push_region(regions, iso3, rings),
    }
}

fn push_region(regions: &mut Vec<Region>, iso3: &'static str, rings: Rings) {
    if let Some(bbox) = Bbox::of_points(rings.iter().flatten()) {
        regions.push(Region { iso3, rings, bbox });
    }
}

/// Sutherland–Hodgman clipping of one closed ring to the half-plane `lat >= cut` (`keep_north`)
/// or `lat <= cut`. A concave ring cut more than twice comes out as one ring with zero-width
/// spurs along the cut line; they are horizontal, so the even-odd test ignores them. `None` when
/// nothing of the ring is left.
fn clip_ring(ring: &[[f64; 2]], cut: f64, keep_north: bool) -> Option<Vec<[f64; 2]>> {
    let inside = |p: &[f64; 2]| if keep_north { p[1] >= cut } else { p[1] <= cut };
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(ring.len() + 4);
    for pair in ring.windows(2) {
        let (&a, &b) = (pair.first()?, pair.get(1)?);
        let (a_in, b_in) = (inside(&a), inside(&b));
        if a_in {
            out.push(a);
        }
        if a_in != b_in {
            let t = (cut - a[1]) / (b[1] - a[1]);
            out.push([a[0] + t * (b[0] - a[0]), cut]);
        }
    }
    out.dedup();
    let first = *out.first()?;
    if out.last() != Some(&first) {
        out.push(first);
    }
    (out.len() >= 4).then_some(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

    #[test]
    fn clipping_a_square_keeps_each_side() {
        let square = [[0.0, 0.0], [2.0, 0.0], [2.0, 2.0], [0.0, 2.0], [0.0, 0.0]];
        let north = clip_ring(&square, 1.0, true).unwrap();
        let south = clip_ring(&square, 1.0, false).unwrap();
        assert!(
            north.iter().all(|p| p[1] >= 1.0) && north.len() == 5,
            "{north:?}"
        );
        assert!(
            south.iter().all(|p| p[1] <= 1.0) && south.len() == 5,
            "{south:?}"
        );
        assert_eq!(clip_ring(&square, 3.0, true), None);
        assert_eq!(clip_ring(&square, 3.0, false).unwrap(), square.to_vec());
    }

    #[test]
    fn bbox_rejects_nan() {
        let b = Bbox::of_points(&[[0.0, 0.0], [1.0, 2.0]]).unwrap();
        assert!(b.contains(1.0, 0.5));
        assert!(!b.contains(f64::NAN, 0.5));
        assert!(!b.contains(3.0, 0.5));
    }
}
