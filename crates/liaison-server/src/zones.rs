//! Integrated regional zones over the API: the built-in ones and the node's own, listed and shown
//! as GeoJSON, and an analyst adding the node's own from a GeoJSON body.
//!
//! The zone file's rules are `liaison_geo::zones`'; storing, versioning and placing incidents in
//! zones are the store's. A built-in zone's id cannot be taken (422 naming `properties.id`).

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use liaison_core::FieldError;
use liaison_geo::zones::{Zone, ZoneError, parse_zones};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Writer;
use crate::error::{ApiError, ErrorBody};
use crate::params::JsonBody;

/// A zone as lists show it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ZoneSummary {
    #[schema(example = "liptako-gourma")]
    pub id: String,
    pub name: String,
    /// `polygon` or `h3`.
    pub kind: String,
    /// Square kilometres, rounded.
    pub area_km2: f64,
    /// The countries (ISO 3166-1 alpha-3) the zone reaches, by the shipped boundaries.
    pub countries: Vec<String>,
    /// `[west, south, east, north]` in degrees.
    pub bbox: Option<[f64; 4]>,
    /// `built-in` (the same on every node) or `node` (this node's own).
    pub origin: String,
    /// The node's own zones: which version this is (earlier ones are kept).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
}

/// One zone with its description and shape.
#[derive(Debug, Serialize, ToSchema)]
pub struct ZoneDetail {
    #[serde(flatten)]
    pub summary: ZoneSummary,
    pub description: String,
    /// The zone as a GeoJSON Feature: the shape `POST /api/v1/zones` takes.
    #[schema(value_type = Object)]
    pub feature: Value,
}

/// A zone recorded by `POST /api/v1/zones`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ZoneRecorded {
    pub id: String,
    pub version: i64,
}

fn summary(zone: &Zone, version: Option<i64>) -> ZoneSummary {
    ZoneSummary {
        id: zone.id.clone(),
        name: zone.name.clone(),
        kind: zone.kind().to_owned(),
        area_km2: zone.area_km2().round(),
        countries: zone
            .countries(liaison_geo::default_boundaries())
            .into_iter()
            .map(str::to_owned)
            .collect(),
        bbox: zone.bbox(),
        origin: if version.is_some() {
            "node"
        } else {
            "built-in"
        }
        .to_owned(),
        version,
    }
}

/// Every zone with where it comes from: the built-in ones, then the node's own.
async fn all_zones(state: &AppState) -> Result<Vec<(Zone, Option<i64>)>, ApiError> {
    let mut out: Vec<(Zone, Option<i64>)> = liaison_geo::zones::builtin_zones()
        .iter()
        .map(|z| (z.clone(), None))
        .collect();
    for row in state.store.node_zones().await? {
        out.push((row.zone, Some(row.version)));
    }
    Ok(out)
}

/// The zones: built-in ones, then the node's own.
#[utoipa::path(
    get,
    path = "/api/v1/zones",
    tag = "zones",
    responses(
        (status = 200, description = "Built-in zones, then the node's own, by id", body = [ZoneSummary]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<Vec<ZoneSummary>>, ApiError> {
    let zones = all_zones(&state).await?;
    Ok(Json(zones.iter().map(|(z, v)| summary(z, *v)).collect()))
}

/// One zone, with its description and its GeoJSON Feature.
#[utoipa::path(
    get,
    path = "/api/v1/zones/{id}",
    tag = "zones",
    params(("id" = String, Path, description = "Zone id")),
    responses(
        (status = 200, description = "The zone", body = ZoneDetail),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such zone", body = ErrorBody),
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<ZoneDetail>, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::NotFound);
    };
    let zones = all_zones(&state).await?;
    let (zone, version) = zones
        .into_iter()
        .find(|(z, _)| z.id == id)
        .ok_or(ApiError::NotFound)?;
    Ok(Json(ZoneDetail {
        summary: summary(&zone, version),
        description: zone.description.clone(),
        feature: zone.to_geojson(),
    }))
}

/// A zone file's refusal as field errors: `features[i].field` in a collection, `field` alone in
/// a single Feature.
fn refusal(e: ZoneError, collection: bool) -> ApiError {
    let field = match &e {
        ZoneError::Feature { index, field, .. } if collection => {
            format!("features[{index}].{field}")
        }
        ZoneError::Feature { field, .. } => field.clone(),
        ZoneError::Empty => "features".to_owned(),
        _ => "type".to_owned(),
    };
    let message = match e {
        ZoneError::Feature { problem, .. } => problem,
        other => other.to_string(),
    };
    ApiError::Validation(vec![FieldError::new(field, message)])
}

/// Keep the zones of a GeoJSON FeatureCollection (or one Feature) on the node; a zone given
/// again under its id becomes its next version. All or nothing.
#[utoipa::path(
    post,
    path = "/api/v1/zones",
    tag = "zones",
    request_body(content = Object, description = "A GeoJSON FeatureCollection or Feature (docs/zones.md)"),
    responses(
        (status = 201, description = "Recorded, in the order given", body = [ZoneRecorded]),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 422, description = "A zone breaks the rules, the feature and field named", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Writer(caller): Writer,
    JsonBody(body): JsonBody<Value>,
) -> Result<impl IntoResponse, ApiError> {
    let collection = body.get("type").and_then(Value::as_str) == Some("FeatureCollection");
    let text = body.to_string();
    let zones = parse_zones(&text).map_err(|e| refusal(e, collection))?;
    let at = liaison_store::ts_of((state.clock)()).map_err(ApiError::from)?;
    let versions = state
        .store
        .add_zones(&zones, &at, &caller.name)
        .await
        .map_err(|e| match e {
            liaison_store::StoreError::Invalid { field, message } => {
                ApiError::Validation(vec![FieldError::new(field, message)])
            }
            other => other.into(),
        })?;
    let out: Vec<ZoneRecorded> = zones
        .iter()
        .zip(versions)
        .map(|(z, version)| ZoneRecorded {
            id: z.id.clone(),
            version,
        })
        .collect();
    Ok((StatusCode::CREATED, Json(out)))
}
