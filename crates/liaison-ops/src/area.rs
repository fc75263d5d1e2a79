//! Where an operation takes place: a bounding box, a zone (by id, with the zone's polygons as
//! they were when the operation was declared), or polygons given by the declaring member.
//!
//! A zone is copied into the operation rather than looked up each time, because an operation is
//! declared over the area the member meant then: redrawing a zone later must not move declared
//! operations, nor make the notices already issued say something else. Areas do not cross the
//! antimeridian (the region lies between 25° W and 30° E).
//!
//! Not here: reading files (the CLI hands [`parse_area_geojson`] the text).

use geo::{BoundingRect, Coord, Intersects, LineString, MultiPolygon, Polygon, Rect};
use liaison_core::ValidationErrors;
use liaison_geo::zones::{Zone, ZoneArea};
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Most positions in one area's polygons: an area of operations is drawn by people.
pub const MAX_AREA_POINTS: usize = 10_000;

/// A ring of `[lon, lat]` positions, closed (first = last), as GeoJSON writes it.
pub type Ring = Vec<[f64; 2]>;
/// A polygon: its outer ring, then its holes.
pub type Rings = Vec<Ring>;

/// An area of operations. JSON: `{"type": "bbox", "bbox": [west, south, east, north]}`,
/// `{"type": "zone", "zone": ID, "polygons": [...]}` or `{"type": "polygon", "polygons": [...]}`,
/// where `polygons` holds GeoJSON `MultiPolygon` coordinates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Area {
    Bbox { bbox: [f64; 4] },
    Zone { zone: String, polygons: Vec<Rings> },
    Polygon { polygons: Vec<Rings> },
}

fn lon_ok(x: f64) -> bool {
    x.is_finite() && (-180.0..=180.0).contains(&x)
}

fn lat_ok(y: f64) -> bool {
    y.is_finite() && (-90.0..=90.0).contains(&y)
}

/// Checks `[west, south, east, north]`; the message names what is wrong.
pub fn check_bbox(b: [f64; 4]) -> Result<(), String> {
    let [w, s, e, n] = b;
    if !lon_ok(w) || !lon_ok(e) {
        return Err("west and east must be longitudes in -180..180".into());
    }
    if !lat_ok(s) || !lat_ok(n) {
        return Err("south and north must be latitudes in -90..90".into());
    }
    if w >= e {
        return Err(format!("west ({w}) must be less than east ({e})"));
    }
    if s >= n {
        return Err(format!("south ({s}) must be less than north ({n})"));
    }
    Ok(())
}

fn check_polygons(polygons: &[Rings], e: &mut ValidationErrors) {
    if polygons.is_empty() {
        e.push("polygons", "holds no polygon");
        return;
    }
    let total: usize = polygons.iter().flatten().map(Vec::len).sum();
    if total > MAX_AREA_POINTS {
        e.push(
            "polygons",
            format!("{total} positions; an area holds at most {MAX_AREA_POINTS}"),
        );
        return;
    }
    for (i, poly) in polygons.iter().enumerate() {
        if poly.is_empty() {
            e.push(format!("polygons[{i}]"), "holds no ring");
        }
        for (j, ring) in poly.iter().enumerate() {
            let field = format!("polygons[{i}][{j}]");
            if ring.len() < 4 {
                e.push(&field, "a ring needs at least 4 positions");
            } else if ring.first() != ring.last() {
                e.push(&field, "a ring must end where it starts");
            }
            if let Some(k) = ring.iter().position(|p| !lon_ok(p[0]) || !lat_ok(p[1])) {
                e.push(
                    format!("{field}[{k}]"),
                    "must be [longitude in -180..180, latitude in -90..90]",
                );
            }
        }
    }
}

fn ring_of(ring: &Ring) -> LineString<f64> {
    LineString::new(ring.iter().map(|p| Coord { x: p[0], y: p[1] }).collect())
}

fn to_multipolygon(polygons: &[Rings]) -> MultiPolygon<f64> {
    MultiPolygon::new(
        polygons
            .iter()
            .filter_map(|rings| {
                let (outer, holes) = rings.split_first()?;
                Some(Polygon::new(
                    ring_of(outer),
                    holes.iter().map(ring_of).collect(),
                ))
            })
            .collect(),
    )
}

fn rings_of(p: &Polygon<f64>) -> Rings {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .map(|ls| ls.0.iter().map(|c| [c.x, c.y]).collect())
        .collect()
}

impl Area {
    /// The area of a zone, its polygons copied (an H3 zone becomes one polygon per cell).
    pub fn of_zone(zone: &Zone) -> Area {
        let polygons = match &zone.area {
            ZoneArea::Polygons(mp) => mp.0.iter().map(rings_of).collect(),
            ZoneArea::Cells(cells) => cells
                .iter()
                .map(|c| {
                    let mut ring: Ring =
                        c.boundary().iter().map(|ll| [ll.lng(), ll.lat()]).collect();
                    if let Some(&first) = ring.first() {
                        ring.push(first);
                    }
                    vec![ring]
                })
                .collect(),
        };
        Area::Zone {
            zone: zone.id.clone(),
            polygons,
        }
    }

    /// Every broken rule, with its field relative to the area (`bbox`, `polygons[0][0][3]`).
    pub fn validate(&self) -> ValidationErrors {
        let mut e = ValidationErrors::default();
        match self {
            Area::Bbox { bbox } => {
                if let Err(m) = check_bbox(*bbox) {
                    e.push("bbox", m);
                }
            }
            Area::Zone { zone, polygons } => {
                if zone.trim().is_empty() {
                    e.push("zone", "must name a zone");
                }
                check_polygons(polygons, &mut e);
            }
            Area::Polygon { polygons } => check_polygons(polygons, &mut e),
        }
        e
    }

    /// The area as polygons in (lon, lat) degrees.
    pub fn geometry(&self) -> MultiPolygon<f64> {
        match self {
            Area::Bbox { bbox: [w, s, e, n] } => MultiPolygon::new(vec![
                Rect::new(Coord { x: *w, y: *s }, Coord { x: *e, y: *n }).to_polygon(),
            ]),
            Area::Zone { polygons, .. } | Area::Polygon { polygons } => to_multipolygon(polygons),
        }
    }

    /// `[west, south, east, north]`, or `None` for an area with no position.
    pub fn bbox(&self) -> Option<[f64; 4]> {
        match self {
            Area::Bbox { bbox } => Some(*bbox),
            _ => {
                let r = self.geometry().bounding_rect()?;
                Some([r.min().x, r.min().y, r.max().x, r.max().y])
            }
        }
    }

    /// Whether the point (degrees) lies in the area, edges included.
    pub fn contains(&self, lat: f64, lon: f64) -> bool {
        self.geometry().intersects(&geo::Point::new(lon, lat))
    }
}

/// Reads an area file: a GeoJSON `Polygon` or `MultiPolygon` geometry, a `Feature` holding one,
/// or a `FeatureCollection` whose features all do (their polygons are joined). The error says
/// where the file is wrong.
pub fn parse_area_geojson(text: &str) -> Result<Area, String> {
    let doc: Value = serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let mut polygons: Vec<Rings> = Vec::new();
    collect_polygons(&doc, "", &mut polygons)?;
    let area = Area::Polygon { polygons };
    let errors = area.validate();
    match errors.0.first() {
        Some(first) => Err(first.to_string()),
        None => Ok(area),
    }
}

fn collect_polygons(v: &Value, path: &str, out: &mut Vec<Rings>) -> Result<(), String> {
    let at = |field: &str| {
        if path.is_empty() {
            field.to_owned()
        } else {
            format!("{path}.{field}")
        }
    };
    let kind = v.get("type").and_then(Value::as_str).unwrap_or("");
    let coords = |v: &Value| -> Result<Value, String> {
        v.get("coordinates")
            .cloned()
            .ok_or_else(|| format!("{}: missing", at("coordinates")))
    };
    let bad = |e: serde_json::Error| format!("{}: {e}", at("coordinates"));
    match kind {
        "Polygon" => {
            out.push(serde_json::from_value(coords(v)?).map_err(bad)?);
            Ok(())
        }
        "MultiPolygon" => {
            let polys: Vec<Rings> = serde_json::from_value(coords(v)?).map_err(bad)?;
            out.extend(polys);
            Ok(())
        }
        "Feature" => match v.get("geometry") {
            Some(g) if !g.is_null() => collect_polygons(g, &at("geometry"), out),
            _ => Err(format!(
                "{}: a feature needs a polygon geometry",
                at("geometry")
            )),
        },
        "FeatureCollection" => {
            let features = v
                .get("features")
                .and_then(Value::as_array)
                .ok_or_else(|| format!("{}: missing or not an array", at("features")))?;
            if features.is_empty() {
                return Err(format!("{}: holds no feature", at("features")));
            }
            for (i, f) in features.iter().enumerate() {
                collect_polygons(f, &at(&format!("features[{i}]")), out)?;
            }
            Ok(())
        }
        "" => Err(format!(
            "{}: missing: expected a GeoJSON Polygon, MultiPolygon, Feature or FeatureCollection",
            at("type")
        )),
        other => Err(format!(
            "{}: {other} is not an area: give a Polygon or MultiPolygon",
            at("type")
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bbox_rules() {
        assert!(check_bbox([0.0, 10.0, 1.0, 11.0]).is_ok());
        assert!(
            check_bbox([-200.0, 10.0, 1.0, 11.0])
                .unwrap_err()
                .contains("longitude")
        );
        assert!(
            check_bbox([0.0, 10.0, 1.0, 91.0])
                .unwrap_err()
                .contains("latitude")
        );
        assert!(
            check_bbox([1.0, 10.0, 0.0, 11.0])
                .unwrap_err()
                .contains("west")
        );
        assert!(
            check_bbox([0.0, 11.0, 1.0, 10.0])
                .unwrap_err()
                .contains("south")
        );
        assert!(check_bbox([0.0, f64::NAN, 1.0, 10.0]).is_err());
    }

    #[test]
    fn geojson_files() {
        let poly = r#"{"type":"Polygon","coordinates":[[[0,15],[1,15],[1,16],[0,16],[0,15]]]}"#;
        let a = parse_area_geojson(poly).unwrap();
        assert_eq!(a.bbox(), Some([0.0, 15.0, 1.0, 16.0]));
        assert!(a.contains(15.5, 0.5) && !a.contains(15.5, 1.5));
        let feature = format!(r#"{{"type":"Feature","properties":{{}},"geometry":{poly}}}"#);
        assert_eq!(parse_area_geojson(&feature).unwrap(), a);
        let fc = format!(r#"{{"type":"FeatureCollection","features":[{feature}]}}"#);
        assert_eq!(parse_area_geojson(&fc).unwrap(), a);
        let point = r#"{"type":"Feature","geometry":{"type":"Point","coordinates":[0,1]}}"#;
        assert!(
            parse_area_geojson(point)
                .unwrap_err()
                .starts_with("geometry.type")
        );
        let open = r#"{"type":"Polygon","coordinates":[[[0,15],[1,15],[1,16],[0,16]]]}"#;
        assert!(
            parse_area_geojson(open)
                .unwrap_err()
                .starts_with("polygons[0][0]")
        );
        assert!(parse_area_geojson("nope").unwrap_err().contains("JSON"));
    }

    #[test]
    fn zones_are_copied() {
        let zone = liaison_geo::zones::builtin_zones().first().unwrap();
        let a = Area::of_zone(zone);
        assert!(a.validate().is_empty());
        let [w, s, e, n] = zone.bbox().unwrap();
        assert_eq!(a.bbox(), Some([w, s, e, n]));
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["type"], "zone");
        assert_eq!(json["zone"], zone.id.as_str());
    }
}
