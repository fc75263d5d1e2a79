//! Integrated regional zones: named areas that may cross borders, drawn as GeoJSON polygons or
//! given as sets of H3 cells, and the test of whether a point lies in one.
//!
//! The built-in zones (`data/zones.geojson`) are approximate areas from the region's geography
//! (the Liptako-Gourma tri-border area, the Adrar des Ifoghas–Kidal–Tamanrasset corridor, the
//! Aïr–Djanet–Fezzan area, the Mauritania–Mali border with the Wagadou forest); how each was
//! drawn is in `docs/zones.md`. Not here: storing a node's own zones and placing incidents in
//! zones (`liaison-store`, which asks [`Zone::contains`]).
//!
//! A zone file is a GeoJSON `FeatureCollection` (or one `Feature`) whose features carry
//! `properties.id` (1 to 64 of `a-z 0-9 -`), `properties.name`, optionally
//! `properties.description`, and either a `Polygon`/`MultiPolygon` geometry (lon, lat degrees;
//! edges straight in lon/lat, as RFC 7946 draws them; holes allowed) or a null geometry with
//! `properties.h3_cells`, an array of H3 cell indexes in hexadecimal (any resolutions).
//! A point on a polygon's edge is inside.

use std::collections::BTreeSet;
use std::sync::OnceLock;

use geo::{
    BoundingRect, Coord, GeodesicArea, Intersects, LineString, MultiPolygon, Point, Polygon,
};
use h3o::{CellIndex, LatLng, Resolution};
use serde_json::{Value, json};

use crate::Boundaries;

const BUILTIN_GEOJSON: &str = include_str!("../data/zones.geojson");

/// Longest zone id, in bytes.
pub const MAX_ZONE_ID_BYTES: usize = 64;
/// Most positions in one zone's polygons, and most H3 cells in one zone: a zone is a region
/// drawn by people, not a coastline.
pub const MAX_ZONE_POINTS: usize = 100_000;

/// A named area.
#[derive(Debug, Clone, PartialEq)]
pub struct Zone {
    pub id: String,
    pub name: String,
    pub description: String,
    pub area: ZoneArea,
}

/// What a zone covers.
#[derive(Debug, Clone, PartialEq)]
pub enum ZoneArea {
    /// Polygons in (lon, lat) degrees.
    Polygons(MultiPolygon<f64>),
    /// H3 cells; a point is inside when its cell at one of their resolutions is in the set.
    Cells(BTreeSet<CellIndex>),
}

/// Why a zone file was refused. Nothing is kept from a refused file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum ZoneError {
    #[error("zone file is not valid JSON: {0}")]
    Json(String),
    #[error("zone file must be a GeoJSON FeatureCollection or Feature, found {0}")]
    NotGeoJson(String),
    #[error("zone file holds no feature")]
    Empty,
    /// `index` counts from 0 in `features`; `field` is the JSON path within the feature.
    #[error("feature {index}: {field}: {problem}")]
    Feature {
        index: usize,
        field: String,
        problem: String,
    },
}

impl Zone {
    /// Whether the point (degrees) lies in the zone. False for non-finite input.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        if !lat.is_finite() || !lon.is_finite() {
            return false;
        }
        match &self.area {
            ZoneArea::Polygons(mp) => mp.intersects(&Point::new(lon, lat)),
            ZoneArea::Cells(cells) => {
                let Ok(ll) = LatLng::new(lat, lon) else {
                    return false;
                };
                resolutions(cells).any(|r| cells.contains(&ll.to_cell(r)))
            }
        }
    }

    /// `"polygon"` or `"h3"`.
    pub fn kind(&self) -> &'static str {
        match self.area {
            ZoneArea::Polygons(_) => "polygon",
            ZoneArea::Cells(_) => "h3",
        }
    }

    /// Area in km² (geodesic for polygons, H3's exact cell areas for cells).
    pub fn area_km2(&self) -> f64 {
        match &self.area {
            ZoneArea::Polygons(mp) => mp.geodesic_area_unsigned() / 1e6,
            ZoneArea::Cells(cells) => cells.iter().map(|c| c.area_km2()).sum(),
        }
    }

    /// `[west, south, east, north]` in degrees, or `None` for an empty zone.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        let rect = match &self.area {
            ZoneArea::Polygons(mp) => mp.bounding_rect()?,
            ZoneArea::Cells(cells) => {
                let coords: Vec<Coord<f64>> = cells
                    .iter()
                    .flat_map(|c| c.boundary().iter().copied().collect::<Vec<_>>())
                    .map(|ll| Coord {
                        x: ll.lng(),
                        y: ll.lat(),
                    })
                    .collect();
                LineString::new(coords).bounding_rect()?
            }
        };
        Some([rect.min().x, rect.min().y, rect.max().x, rect.max().y])
    }

    /// The countries the zone covers, sorted: those of its points on a 0.05° grid (about
    /// 5 km) over its bounding box, so a sliver narrower than that may be missed.
    pub fn countries(&self, boundaries: &Boundaries) -> Vec<&'static str> {
        const STEP_DEG: f64 = 0.05;
        let Some([w, s, e, n]) = self.bbox() else {
            return Vec::new();
        };
        let mut found = BTreeSet::new();
        let cols = ((e - w) / STEP_DEG).ceil() as usize;
        let rows = ((n - s) / STEP_DEG).ceil() as usize;
        for i in 0..=rows {
            let lat = (s + i as f64 * STEP_DEG).min(n);
            for j in 0..=cols {
                let lon = (w + j as f64 * STEP_DEG).min(e);
                if self.contains(lat, lon)
                    && let Some(c) = boundaries.country_at(lat, lon)
                {
                    found.insert(c);
                }
            }
        }
        found.into_iter().collect()
    }

    /// What lists of zones show of one, as JSON: `{"id", "name", "kind", "area_km2" (rounded),
    /// "countries": [ISO3…] (by the shipped boundaries), "bbox": [west, south, east, north]}`.
    pub fn summary(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "kind": self.kind(),
            "area_km2": self.area_km2().round(),
            "countries": self.countries(crate::default_boundaries()),
            "bbox": self.bbox(),
        })
    }

    /// The zone as a GeoJSON `Feature` (the shape zone files take).
    pub fn to_geojson(&self) -> Value {
        let mut props =
            json!({ "id": self.id, "name": self.name, "description": self.description });
        let geometry = match &self.area {
            ZoneArea::Polygons(mp) => {
                let polys: Vec<Value> = mp.0.iter().map(polygon_json).collect();
                json!({ "type": "MultiPolygon", "coordinates": polys })
            }
            ZoneArea::Cells(cells) => {
                props["h3_cells"] = cells.iter().map(|c| c.to_string()).collect();
                Value::Null
            }
        };
        json!({ "type": "Feature", "properties": props, "geometry": geometry })
    }
}

fn polygon_json(p: &Polygon<f64>) -> Value {
    let ring = |ls: &LineString<f64>| -> Value { ls.0.iter().map(|c| json!([c.x, c.y])).collect() };
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(ring)
        .collect()
}

fn resolutions(cells: &BTreeSet<CellIndex>) -> impl Iterator<Item = Resolution> {
    let set: BTreeSet<u8> = cells.iter().map(|c| u8::from(c.resolution())).collect();
    set.into_iter().filter_map(|r| Resolution::try_from(r).ok())
}

/// The built-in zones, parsed on first use. They are tested to parse; should that ever fail,
/// this answers no zone rather than stopping the process.
pub fn builtin_zones() -> &'static [Zone] {
    static ZONES: OnceLock<Vec<Zone>> = OnceLock::new();
    ZONES.get_or_init(|| parse_zones(BUILTIN_GEOJSON).unwrap_or_default())
}

/// The built-in zone with this id.
pub fn builtin_zone(id: &str) -> Option<&'static Zone> {
    builtin_zones().iter().find(|z| z.id == id)
}

/// Parses a zone file (see the module documentation). Every error names the feature and the
/// field at fault.
pub fn parse_zones(text: &str) -> Result<Vec<Zone>, ZoneError> {
    let doc: Value = serde_json::from_str(text).map_err(|e| ZoneError::Json(e.to_string()))?;
    let features: Vec<&Value> = match doc.get("type").and_then(Value::as_str) {
        Some("FeatureCollection") => doc
            .get("features")
            .and_then(Value::as_array)
            .ok_or_else(|| ZoneError::NotGeoJson("a FeatureCollection without features".into()))?
            .iter()
            .collect(),
        Some("Feature") => vec![&doc],
        Some(other) => return Err(ZoneError::NotGeoJson(format!("type {other:?}"))),
        None => return Err(ZoneError::NotGeoJson("no type".into())),
    };
    if features.is_empty() {
        return Err(ZoneError::Empty);
    }
    let mut zones: Vec<Zone> = Vec::with_capacity(features.len());
    for (index, f) in features.into_iter().enumerate() {
        let fail = |field: &str, problem: String| ZoneError::Feature {
            index,
            field: field.to_owned(),
            problem,
        };
        let zone = parse_feature(f).map_err(|(field, problem)| fail(&field, problem))?;
        if zones.iter().any(|z| z.id == zone.id) {
            return Err(fail(
                "properties.id",
                format!("{:?} is used twice", zone.id),
            ));
        }
        zones.push(zone);
    }
    Ok(zones)
}

type FieldError = (String, String);

fn parse_feature(f: &Value) -> Result<Zone, FieldError> {
    let err = |field: &str, problem: &str| (field.to_owned(), problem.to_owned());
    if f.get("type").and_then(Value::as_str) != Some("Feature") {
        return Err(err("type", "must be \"Feature\""));
    }
    let props = f
        .get("properties")
        .and_then(Value::as_object)
        .ok_or_else(|| err("properties", "missing or not an object"))?;
    let text = |key: &str, required: bool| -> Result<String, FieldError> {
        match props.get(key) {
            Some(Value::String(s)) if !required || !s.trim().is_empty() => Ok(s.trim().to_owned()),
            None | Some(Value::Null) if !required => Ok(String::new()),
            _ => Err(err(
                &format!("properties.{key}"),
                if required {
                    "must be a non-empty string"
                } else {
                    "must be a string"
                },
            )),
        }
    };
    let id = text("id", true)?;
    if id.len() > MAX_ZONE_ID_BYTES
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(err(
            "properties.id",
            &format!("{id:?} must be 1 to {MAX_ZONE_ID_BYTES} of a-z, 0-9 and -"),
        ));
    }
    let name = text("name", true)?;
    let description = text("description", false)?;
    let geometry = f.get("geometry").filter(|g| !g.is_null());
    let area = match (geometry, props.get("h3_cells")) {
        (Some(_), Some(_)) => {
            return Err(err(
                "geometry",
                "a zone has a geometry or h3_cells, not both",
            ));
        }
        (None, None) => return Err(err("geometry", "missing (or give properties.h3_cells)")),
        (Some(g), None) => ZoneArea::Polygons(parse_geometry(g)?),
        (None, Some(cells)) => ZoneArea::Cells(parse_cells(cells)?),
    };
    Ok(Zone {
        id,
        name,
        description,
        area,
    })
}

fn parse_geometry(g: &Value) -> Result<MultiPolygon<f64>, FieldError> {
    let err = |field: String, problem: String| (field, problem);
    let coords = g
        .get("coordinates")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            err(
                "geometry.coordinates".into(),
                "missing or not an array".into(),
            )
        })?;
    let polygons: Vec<(String, &Vec<Value>)> = match g.get("type").and_then(Value::as_str) {
        Some("Polygon") => vec![("geometry.coordinates".to_owned(), coords)],
        Some("MultiPolygon") => coords
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let path = format!("geometry.coordinates[{i}]");
                p.as_array()
                    .map(|rings| (path.clone(), rings))
                    .ok_or_else(|| err(path, "not an array of rings".into()))
            })
            .collect::<Result<_, _>>()?,
        _ => {
            return Err(err(
                "geometry.type".into(),
                "must be Polygon or MultiPolygon".into(),
            ));
        }
    };
    let mut total = 0usize;
    let mut out = Vec::with_capacity(polygons.len());
    for (path, rings) in polygons {
        let mut parsed = Vec::with_capacity(rings.len());
        for (r, ring) in rings.iter().enumerate() {
            let rpath = format!("{path}[{r}]");
            let positions = ring
                .as_array()
                .ok_or_else(|| err(rpath.clone(), "not an array of positions".into()))?;
            total += positions.len();
            if total > MAX_ZONE_POINTS {
                return Err(err(rpath, format!("more than {MAX_ZONE_POINTS} positions")));
            }
            let mut line = Vec::with_capacity(positions.len());
            for (k, pos) in positions.iter().enumerate() {
                let ppath = format!("{rpath}[{k}]");
                let xy: Vec<f64> = pos
                    .as_array()
                    .map(|a| a.iter().filter_map(Value::as_f64).collect())
                    .unwrap_or_default();
                let (Some(&lon), Some(&lat)) = (xy.first(), xy.get(1)) else {
                    return Err(err(ppath, "must be [lon, lat]".into()));
                };
                if !(-180.0..=180.0).contains(&lon) || !(-90.0..=90.0).contains(&lat) {
                    return Err(err(
                        ppath,
                        format!("[{lon}, {lat}] is not a lon, lat in degrees"),
                    ));
                }
                line.push(Coord { x: lon, y: lat });
            }
            if line.len() < 4 || line.first() != line.last() {
                return Err(err(
                    rpath,
                    "a ring needs at least 4 positions, the last equal to the first".into(),
                ));
            }
            parsed.push(LineString::new(line));
        }
        let mut rings = parsed.into_iter();
        let exterior = rings
            .next()
            .ok_or_else(|| err(path, "a polygon needs an exterior ring".into()))?;
        out.push(Polygon::new(exterior, rings.collect()));
    }
    Ok(MultiPolygon(out))
}

fn parse_cells(v: &Value) -> Result<BTreeSet<CellIndex>, FieldError> {
    let field = "properties.h3_cells";
    let list = v.as_array().filter(|a| !a.is_empty()).ok_or_else(|| {
        (
            field.to_owned(),
            "must be a non-empty array of strings".to_owned(),
        )
    })?;
    if list.len() > MAX_ZONE_POINTS {
        return Err((
            field.to_owned(),
            format!("more than {MAX_ZONE_POINTS} cells"),
        ));
    }
    list.iter()
        .enumerate()
        .map(|(i, c)| {
            c.as_str()
                .and_then(|s| s.parse::<CellIndex>().ok())
                .ok_or_else(|| {
                    (
                        format!("{field}[{i}]"),
                        format!("{c} is not an H3 cell index"),
                    )
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::panic)]
    use super::*;
    use crate::default_boundaries;

    #[test]
    fn built_in_zones_parse_and_hold_the_places_they_are_drawn_around() {
        let zones = parse_zones(BUILTIN_GEOJSON).unwrap();
        assert_eq!(zones.len(), 4);
        assert_eq!(builtin_zones().len(), 4);
        // (zone, place, lat, lon, inside?)
        let cases = [
            ("liptako-gourma", "Djibo", 14.10, -1.63, true),
            ("liptako-gourma", "Ménaka", 15.92, 2.40, true),
            ("liptako-gourma", "Tillabéri", 14.21, 1.45, true),
            ("liptako-gourma", "tripoint", 14.92, 0.21, true),
            ("liptako-gourma", "Niamey", 13.51, 2.11, false),
            ("liptako-gourma", "Gao", 16.27, -0.04, false),
            (
                "adrar-ifoghas-kidal-tamanrasset",
                "Kidal",
                18.44,
                1.41,
                true,
            ),
            (
                "adrar-ifoghas-kidal-tamanrasset",
                "Tessalit",
                20.20,
                1.01,
                true,
            ),
            (
                "adrar-ifoghas-kidal-tamanrasset",
                "Tinzaouatene",
                19.95,
                2.96,
                true,
            ),
            (
                "adrar-ifoghas-kidal-tamanrasset",
                "Tamanrasset",
                22.79,
                5.53,
                true,
            ),
            (
                "adrar-ifoghas-kidal-tamanrasset",
                "Gao",
                16.27,
                -0.04,
                false,
            ),
            ("air-djanet-fezzan", "Agadez", 16.97, 7.99, true),
            ("air-djanet-fezzan", "Arlit", 18.74, 7.39, true),
            ("air-djanet-fezzan", "Djanet", 24.55, 9.48, true),
            ("air-djanet-fezzan", "Ghat", 24.96, 10.17, true),
            ("air-djanet-fezzan", "Sabha", 27.04, 14.43, true),
            ("air-djanet-fezzan", "Tamanrasset", 22.79, 5.53, false),
            ("mauritania-mali-wagadou", "Nara", 15.17, -7.29, true),
            ("mauritania-mali-wagadou", "Bassikounou", 15.87, -5.96, true),
            (
                "mauritania-mali-wagadou",
                "Nioro du Sahel",
                15.23,
                -9.59,
                true,
            ),
            ("mauritania-mali-wagadou", "Néma", 16.62, -7.26, true),
            ("mauritania-mali-wagadou", "Bamako", 12.64, -8.00, false),
        ];
        for (zone, place, lat, lon, inside) in cases {
            let z = builtin_zone(zone).unwrap();
            assert_eq!(z.contains(lat, lon), inside, "{place} in {zone}");
        }
    }

    #[test]
    fn built_in_zones_cross_the_borders_they_are_named_for() {
        let b = default_boundaries();
        let want = [
            ("liptako-gourma", vec!["BFA", "MLI", "NER"]),
            ("adrar-ifoghas-kidal-tamanrasset", vec!["DZA", "MLI"]),
            ("air-djanet-fezzan", vec!["DZA", "LBY", "NER"]),
            ("mauritania-mali-wagadou", vec!["MLI", "MRT"]),
        ];
        for (id, countries) in want {
            let z = builtin_zone(id).unwrap();
            assert_eq!(z.countries(b), countries, "{id}");
            let area = z.area_km2();
            assert!((50_000.0..1_000_000.0).contains(&area), "{id}: {area} km²");
        }
    }

    #[test]
    fn h3_zones_contain_the_points_of_their_cells_and_round_trip() {
        let kidal = LatLng::new(18.44, 1.41).unwrap();
        let gao = LatLng::new(16.27, -0.04).unwrap();
        let cells = [
            kidal.to_cell(Resolution::Five),
            gao.to_cell(Resolution::Seven),
        ];
        let text = json!({
            "type": "Feature",
            "properties": {"id": "two-towns", "name": "Two towns",
                           "h3_cells": cells.iter().map(|c| c.to_string()).collect::<Vec<_>>()},
            "geometry": null
        })
        .to_string();
        let zones = parse_zones(&text).unwrap();
        let z = &zones[0];
        assert_eq!(z.kind(), "h3");
        assert!(z.contains(18.44, 1.41) && z.contains(16.27, -0.04));
        assert!(!z.contains(16.5, -0.04) && !z.contains(12.64, -8.0));
        assert!(!z.contains(f64::NAN, 0.0));
        let again = parse_zones(&z.to_geojson().to_string()).unwrap();
        assert_eq!(&again[0], z);
        // Polygons round-trip too.
        let lg = builtin_zone("liptako-gourma").unwrap();
        assert_eq!(&parse_zones(&lg.to_geojson().to_string()).unwrap()[0], lg);
    }

    #[test]
    fn bad_zone_files_are_refused_naming_the_feature_and_field() {
        let feature = |props: Value, geometry: Value| {
            json!({"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {"id": "ok", "name": "Fine"},
                 "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}},
                {"type": "Feature", "properties": props, "geometry": geometry}
            ]})
            .to_string()
        };
        let square = json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]});
        let cases = [
            ("{".to_owned(), "not valid JSON"),
            (
                json!({"type": "Polygon"}).to_string(),
                "found type \"Polygon\"",
            ),
            (
                json!({"type": "FeatureCollection", "features": []}).to_string(),
                "no feature",
            ),
            (
                feature(json!({"name": "x"}), square.clone()),
                "feature 1: properties.id: must be",
            ),
            (
                feature(json!({"id": "Bad Id", "name": "x"}), square.clone()),
                "properties.id: \"Bad Id\"",
            ),
            (
                feature(json!({"id": "ok", "name": "x"}), square.clone()),
                "properties.id: \"ok\" is used twice",
            ),
            (
                feature(json!({"id": "b"}), square.clone()),
                "properties.name: must be",
            ),
            (
                feature(json!({"id": "b", "name": "x"}), Value::Null),
                "geometry: missing",
            ),
            (
                feature(
                    json!({"id": "b", "name": "x", "h3_cells": ["85754e67fffffff"]}),
                    square.clone(),
                ),
                "not both",
            ),
            (
                feature(
                    json!({"id": "b", "name": "x"}),
                    json!({"type": "Point", "coordinates": [0, 0]}),
                ),
                "geometry.type: must be Polygon or MultiPolygon",
            ),
            (
                feature(
                    json!({"id": "b", "name": "x"}),
                    json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [0, 0]]]}),
                ),
                "geometry.coordinates[0]: a ring needs at least 4 positions",
            ),
            (
                feature(
                    json!({"id": "b", "name": "x"}),
                    json!({"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 95], [0, 0]]]}),
                ),
                "geometry.coordinates[0][2]: [1, 95] is not a lon, lat",
            ),
            (
                feature(
                    json!({"id": "b", "name": "x"}),
                    json!({"type": "MultiPolygon", "coordinates": [[[[0, 0], [1, 0], [1, 1], [0, 0]]], 7]}),
                ),
                "geometry.coordinates[1]: not an array of rings",
            ),
            (
                feature(
                    json!({"id": "b", "name": "x", "h3_cells": ["85754e67fffffff", "zz"]}),
                    Value::Null,
                ),
                "properties.h3_cells[1]: \"zz\" is not an H3 cell index",
            ),
            (
                feature(json!({"id": "b", "name": "x", "h3_cells": []}), Value::Null),
                "must be a non-empty array",
            ),
        ];
        for (text, want) in cases {
            let e = parse_zones(&text).unwrap_err().to_string();
            assert!(e.contains(want), "{text}: got {e:?}, want {want:?}");
        }
    }
}
