//! The map, the application's home: incidents as points and clusters coloured by type over
//! Natural Earth boundaries, with no tile server; filters by time, type, country, zone and
//! originator, a time slider, and the zones and hotspots as layers.
//!
//! The page is rendered here with its filter form; the drawing and filtering happen in the
//! browser (`web/src/`, embedded as `static/dist/map.js`), on data fetched once from
//! `/ui/data/incidents.json` in a compact columnar shape (about 40 bytes per incident), so a
//! filter change costs no round trip on a poor link. Which zone each incident lies in is
//! worked out here (a bit mask per incident), so the browser needs no geometry test.
//!
//! The joint command's layers, each a GeoJSON FeatureCollection fetched only when its box is
//! ticked (`/ui/map/layers/{operations,sectors,notices}.geojson`, and open alerts at their
//! incidents from `alerts/layer.rs`): operations' areas with the
//! declaring member, participants, kind, status and window — never the objective, which the
//! map has no need of and a notice never carries —, patrol sectors with the countries they
//! touch and how many contacts they have, and the deconfliction notices (one feature per
//! operation version, naming the recipients). Labels are in the reader's language, made here.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use liaison_core::EventType;
use liaison_geo::hotspots::{self, DbscanParams, LatLon};
use serde::Serialize;
use serde_json::{Value, json};
use time::Date;
use time::macros::format_description;

use crate::WebState;
use crate::assets;
use crate::layout::{Page, failure, render};
use crate::session::{Screen, Session};

/// An option of a select: value and label.
#[derive(Debug, Clone)]
pub struct Choice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "map.html")]
struct MapPage {
    page: Page,
    types: Vec<Choice>,
    countries: Vec<Choice>,
    zones: Vec<Choice>,
    originators: Vec<Choice>,
    i18n_json: String,
    map_js: String,
    map_css: String,
    boundaries: String,
    status: String,
}

/// The event types with their translated names, for selects and the legend.
pub fn type_choices(s: &Session) -> Vec<Choice> {
    EventType::ALL
        .into_iter()
        .map(|t| Choice {
            value: t.as_str().to_owned(),
            label: s.tr.t(&format!("type-{}", t.as_str())),
        })
        .collect()
}

/// Zones the map can filter on: each row carries its zones as bits of a 31-bit mask (the
/// script's bit operations are on 32-bit signed integers). The built-in zones come first, so
/// they are always there; a node's own zones beyond the 31st are left off the map (the
/// statistics and the API still know them).
const MAX_MAP_ZONES: usize = 31;

/// Zones for selects: the built-in ones, then the node's own.
pub fn zone_choices(zones: &[liaison_geo::zones::Zone]) -> Vec<Choice> {
    zones
        .iter()
        .map(|z| Choice {
            value: z.id.clone(),
            label: z.name.clone(),
        })
        .collect()
}

/// The strings the map's script uses, in the page's language.
fn map_strings(s: &Session) -> Value {
    let types: serde_json::Map<String, Value> = EventType::ALL
        .into_iter()
        .map(|t| {
            (
                t.as_str().to_owned(),
                Value::String(s.tr.t(&format!("type-{}", t.as_str()))),
            )
        })
        .collect();
    let keys = [
        "shown",
        "cluster",
        "open",
        "hotspot",
        "cross_border",
        "fatalities",
        "slider",
        "legend",
        "error",
        "operation",
        "operation_with",
        "sector",
        "notice",
        "alert",
    ];
    let mut out = serde_json::Map::new();
    for k in keys {
        out.insert(
            k.to_owned(),
            Value::String(s.tr.t(&format!("map-js-{}", k.replace('_', "-")))),
        );
    }
    out.insert("types".to_owned(), Value::Object(types));
    Value::Object(out)
}

async fn page(State(state): State<WebState>, s: Session) -> Response {
    let member = state.app.member.as_str();
    let points = match state.app.store.map_points().await {
        Ok(p) => p,
        Err(e) => return failure(&s, member, &e),
    };
    let zones = match state.app.store.zones().await {
        Ok(z) => z,
        Err(e) => return failure(&s, member, &e),
    };
    let mut countries: Vec<String> = points.iter().map(|p| p.country.clone()).collect();
    countries.sort();
    countries.dedup();
    let mut originators: Vec<String> = points.iter().map(|p| p.originator.clone()).collect();
    originators.sort();
    originators.dedup();
    let as_choices = |codes: Vec<String>| {
        codes
            .into_iter()
            .map(|c| Choice {
                label: c.clone(),
                value: c,
            })
            .collect()
    };
    // `</` cannot appear in the JSON island: the parser would end the script element there.
    let i18n_json = map_strings(&s).to_string().replace("</", "<\\/");
    render(&MapPage {
        page: Page::new(&s, member, Screen::Map, "map-title", "/ui/"),
        types: type_choices(&s),
        countries: as_choices(countries),
        zones: zone_choices(&zones[..zones.len().min(MAX_MAP_ZONES)]),
        originators: as_choices(originators),
        i18n_json,
        map_js: assets::url("dist/map.js"),
        map_css: assets::url("dist/map.css"),
        boundaries: assets::url("dist/countries-50m.json"),
        status: s.tr.ta(
            "map-total",
            &[("total", s.tr.num(points.len() as i64).into())],
        ),
    })
}

/// Days since 1970-01-01 of a stored `YYYY-MM-DD` date.
fn day_number(date: &str) -> Option<i64> {
    let d = Date::parse(date, format_description!("[year]-[month]-[day]")).ok()?;
    Some(i64::from(
        d.to_julian_day() - time::macros::date!(1970 - 01 - 01).to_julian_day(),
    ))
}

/// The map's data: lookup tables and one row per located incident (see `web/src/`).
#[derive(Serialize)]
struct MapData {
    types: Vec<&'static str>,
    countries: Vec<String>,
    originators: Vec<String>,
    zones: Vec<String>,
    rows: Vec<Value>,
}

fn index_of(list: &mut Vec<String>, value: &str) -> usize {
    match list.iter().position(|v| v == value) {
        Some(i) => i,
        None => {
            list.push(value.to_owned());
            list.len() - 1
        }
    }
}

async fn incidents_data(State(state): State<WebState>, s: Session) -> Response {
    let points = match state.app.store.map_points().await {
        Ok(p) => p,
        Err(e) => return failure(&s, state.app.member.as_str(), &e),
    };
    let zones = match state.app.store.zones().await {
        Ok(z) => z,
        Err(e) => return failure(&s, state.app.member.as_str(), &e),
    };
    let zones = &zones[..zones.len().min(MAX_MAP_ZONES)];
    let types: Vec<&'static str> = EventType::ALL.into_iter().map(|t| t.as_str()).collect();
    let mut data = MapData {
        types,
        countries: vec![],
        originators: vec![],
        zones: zones.iter().map(|z| z.id.clone()).collect(),
        rows: Vec::with_capacity(points.len()),
    };
    for p in &points {
        let Some(day) = day_number(&p.date_start) else {
            continue;
        };
        let type_index = data
            .types
            .iter()
            .position(|t| *t == p.event_type)
            .map_or(Value::Null, |i| json!(i));
        let country = index_of(&mut data.countries, &p.country);
        let originator = index_of(&mut data.originators, &p.originator);
        let mask: u32 = zones
            .iter()
            .enumerate()
            .filter(|(_, z)| z.contains(p.lat, p.lon))
            .fold(0, |m, (i, _)| m | (1 << i));
        // Five decimals of a degree are about a metre: enough for a map, and shorter.
        let round = |x: f64| (x * 1e5).round() / 1e5;
        data.rows.push(json!([
            p.id,
            round(p.lat),
            round(p.lon),
            type_index,
            country,
            originator,
            day,
            p.fatalities_best,
            mask,
            Value::Null
        ]));
    }
    Json(data).into_response()
}

async fn zones_data(State(state): State<WebState>, s: Session) -> Response {
    let zones = match state.app.store.zones().await {
        Ok(z) => z,
        Err(e) => return failure(&s, state.app.member.as_str(), &e),
    };
    let features: Vec<Value> = zones
        .iter()
        .take(MAX_MAP_ZONES)
        .map(|z| z.to_geojson())
        .collect();
    Json(json!({"type": "FeatureCollection", "features": features})).into_response()
}

/// DBSCAN neighbourhood and density of the hotspot layer: the defaults of `liaison hotspots`.
const HOTSPOT_EPS_KM: f64 = 25.0;
const HOTSPOT_MIN_POINTS: usize = 5;

async fn hotspots_data(State(state): State<WebState>, s: Session) -> Response {
    let points = match state.app.store.map_points().await {
        Ok(p) => p,
        Err(e) => return failure(&s, state.app.member.as_str(), &e),
    };
    let located: Vec<LatLon> = points
        .iter()
        .map(|p| LatLon {
            lat: p.lat,
            lon: p.lon,
        })
        .collect();
    let params = DbscanParams {
        eps_km: HOTSPOT_EPS_KM,
        min_points: HOTSPOT_MIN_POINTS,
        threads: 2,
    };
    let result = match tokio::task::spawn_blocking(move || {
        let labels = hotspots::dbscan(&located, &params)?;
        let clusters = hotspots::clusters(&located, &labels, liaison_geo::default_boundaries());
        Ok::<_, hotspots::HotspotError>((located, clusters))
    })
    .await
    {
        Ok(Ok(r)) => r,
        Ok(Err(e)) => return failure(&s, state.app.member.as_str(), &e),
        Err(e) => return failure(&s, state.app.member.as_str(), &e),
    };
    let (located, clusters) = result;
    let out: Vec<Value> = clusters
        .iter()
        .filter_map(|c| {
            let centre = c.centroid?;
            let radius = c
                .members
                .iter()
                .map(|&i| hotspots::haversine_km(centre, located[i]))
                .fold(0.0_f64, f64::max);
            Some(json!({
                "id": format!("hotspot-{}", c.id),
                "lat": centre.lat,
                "lon": centre.lon,
                "count": c.members.len(),
                "radius_km": radius.max(1.0),
                "countries": c.countries,
                "cross_border": c.cross_border,
            }))
        })
        .collect();
    Json(json!({"hotspots": out})).into_response()
}

/// An area as a GeoJSON geometry: a box is a Polygon, a zone copied in or polygons a
/// MultiPolygon (its coordinates are stored in that shape already).
fn geometry_of(area: &liaison_ops::Area) -> Value {
    match area {
        liaison_ops::Area::Bbox { bbox: [w, s, e, n] } => json!({
            "type": "Polygon",
            "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]],
        }),
        liaison_ops::Area::Zone { polygons, .. } | liaison_ops::Area::Polygon { polygons } => {
            json!({"type": "MultiPolygon", "coordinates": polygons})
        }
    }
}

fn collection(features: Vec<Value>) -> Response {
    Json(json!({"type": "FeatureCollection", "features": features})).into_response()
}

/// Operations' areas. `status` is the code the script colours by; the rest is text to show.
async fn operations_layer(State(state): State<WebState>, s: Session) -> Response {
    if let Err(refused) = s.require(Screen::Operations) {
        return refused;
    }
    let rows = match state.app.store.operations().await {
        Ok(r) => r,
        Err(e) => return failure(&s, state.app.member.as_str(), &e),
    };
    let features = rows
        .iter()
        .map(|r| {
            let op = &r.operation;
            let participants: Vec<&str> = op.participants.iter().map(|c| c.as_str()).collect();
            json!({
                "type": "Feature",
                "id": op.id,
                "geometry": geometry_of(&op.area),
                // Deliberately no objective: see the module documentation.
                "properties": {
                    "id": op.id,
                    "member": op.member.as_str(),
                    "participants": participants.join(", "),
                    "kind": s.tr.t(&format!("ops-kind-{}", op.kind.as_str())),
                    "status": op.status.as_str(),
                    "status_label": s.tr.t(&format!("ops-status-{}", op.status.as_str())),
                    "from": s.tr.date(op.from),
                    "to": s.tr.date(op.to),
                    "href": crate::operations::operation_href(&op.id),
                },
            })
        })
        .collect();
    collection(features)
}

/// Patrol sectors: name, countries touched, and how many contacts (their names and numbers
/// stay on the sectors screen).
async fn sectors_layer(State(state): State<WebState>, s: Session) -> Response {
    if let Err(refused) = s.require(Screen::Operations) {
        return refused;
    }
    let rows = match state.app.store.sectors().await {
        Ok(r) => r,
        Err(e) => return failure(&s, state.app.member.as_str(), &e),
    };
    let features = rows
        .iter()
        .map(|r| {
            json!({
                "type": "Feature",
                "id": r.sector.id,
                "geometry": geometry_of(&r.sector.area),
                "properties": {
                    "id": r.sector.id,
                    "name": r.sector.name,
                    "countries": r.sector.countries.join(", "),
                    "contacts": r.sector.contacts.len(),
                    "href": format!("/ui/sectors#sector-{}", r.sector.id),
                },
            })
        })
        .collect();
    collection(features)
}

/// Deconfliction notices, one feature per operation version with its recipients: a notice's
/// content only (who declared, where, when, the kind if the declaring member said it).
async fn notices_layer(State(state): State<WebState>, s: Session) -> Response {
    if let Err(refused) = s.require(Screen::Operations) {
        return refused;
    }
    let rows = match state.app.store.operation_notices(None).await {
        Ok(r) => r,
        Err(e) => return failure(&s, state.app.member.as_str(), &e),
    };
    // Rows come in the order issued; one version's notices are consecutive.
    let mut groups: Vec<(&liaison_store::NoticeRow, Vec<&str>)> = Vec::new();
    for n in &rows {
        match groups.last_mut() {
            Some((first, to))
                if first.operation_id == n.operation_id && first.version == n.version =>
            {
                to.push(n.recipient.as_str());
            }
            _ => groups.push((n, vec![n.recipient.as_str()])),
        }
    }
    let features = groups
        .iter()
        .map(|(n, to)| {
            let c = &n.content;
            json!({
                "type": "Feature",
                "geometry": geometry_of(&c.area),
                "properties": {
                    "declared_by": c.declared_by.as_str(),
                    "recipients": to.join(", "),
                    "from": s.tr.date(c.from),
                    "to": s.tr.date(c.to),
                    "kind": c.kind.map(|k| s.tr.t(&format!("ops-kind-{}", k.as_str()))),
                },
            })
        })
        .collect();
    collection(features)
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ui/map/layers/operations.geojson", get(operations_layer))
        .route("/ui/map/layers/sectors.geojson", get(sectors_layer))
        .route("/ui/map/layers/notices.geojson", get(notices_layer))
        .route("/ui/", get(page))
        .route("/ui/data/incidents.json", get(incidents_data))
        .route("/ui/data/zones.json", get(zones_data))
        .route("/ui/data/hotspots.json", get(hotspots_data))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2012-01-24"), Some(15363));
        assert_eq!(day_number("2012-13-01"), None);
    }
}
