//! Operations and forces over the API: operations listed and declared (an analyst or admin of
//! the joint command's node declares for the member whose operation it is), conflicts between
//! members' operations, the deconfliction notices given, and the pledged-versus-committed view
//! of force contributions.
//!
//! The rules are `liaison_ops`' (validation, conflicts, notices); storing and versioning are
//! the store's. This module only turns a body into an operation (drawing an id when none is
//! given and copying a named zone's polygons into the area) and answers. Notices are recorded,
//! not sent to peers: that is not built yet (`docs/operations.md`).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use liaison_core::{CountryCode, FieldError, ValidationErrors};
use liaison_ops::{Area, Conflict, Deconflictor, Kind, Operation, Settings, Status};
use liaison_store::{NoticeRow, OperationRow, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::Date;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Writer;
use crate::error::{ApiError, ErrorBody};
use crate::params::{JsonBody, QueryPairs};

/// An operation declared through `POST /api/v1/operations`. `area` is `{"type": "bbox",
/// "bbox": [w, s, e, n]}`, `{"type": "zone", "zone": ID}` (the zone's polygons are copied in) or
/// `{"type": "polygon", "polygons": [...]}` (GeoJSON MultiPolygon coordinates).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewOperation {
    /// Drawn when not given; give an existing id to declare its next version.
    #[serde(default)]
    pub id: Option<String>,
    /// Whose operation it is (ISO3).
    #[schema(value_type = String, example = "MLI")]
    pub member: CountryCode,
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub participants: Vec<CountryCode>,
    #[schema(value_type = Object)]
    pub area: Value,
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    /// patrol, raid, search, escort, exercise, joint_operation, reconnaissance, unspecified.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub kind: Option<Kind>,
    #[serde(default)]
    pub objective: Option<String>,
    /// planned (default), active, completed, cancelled.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub status: Option<Status>,
    /// Say the kind in notices too.
    #[serde(default)]
    pub notice_kind: bool,
    /// Neighbours within this distance get a notice (default 50 km).
    #[serde(default)]
    pub border_km: Option<f64>,
}

/// What declaring an operation did.
#[derive(Debug, Serialize, ToSchema)]
pub struct Declared {
    pub id: String,
    pub version: i64,
    /// False when declared again unchanged: nothing recorded.
    pub changed: bool,
    #[schema(value_type = Vec<Object>)]
    pub conflicts: Vec<Conflict>,
    /// `{"recipient", "content": {"declared_by", "area", "from", "to", "kind"?}}`.
    #[schema(value_type = Vec<Object>)]
    pub notices: Vec<Value>,
}

fn validation(errors: ValidationErrors) -> ApiError {
    ApiError::Validation(errors.0)
}

/// The `member` or `to` parameter, if given: the only parameter these lists take.
fn member_param(pairs: &[(String, String)], name: &str) -> Result<Option<CountryCode>, ApiError> {
    let mut found = None;
    for (k, v) in pairs {
        if k != name {
            return Err(ApiError::bad_param(
                k.as_str(),
                format!("unknown parameter; use {name}"),
            ));
        }
        if found.is_some() {
            return Err(ApiError::bad_param(name, "given more than once"));
        }
        found = Some(CountryCode::parse(v).map_err(|e| ApiError::bad_param(name, e))?);
    }
    Ok(found)
}

async fn declared_operations(state: &AppState) -> Result<Vec<Operation>, ApiError> {
    Ok(state
        .store
        .operations()
        .await?
        .into_iter()
        .map(|r| r.operation)
        .collect())
}

/// Every operation's current version, by id, with its linked incidents.
#[utoipa::path(
    get,
    path = "/api/v1/operations",
    tag = "operations",
    params(("member" = Option<String>, Query, description = "Only operations this member declared or takes part in")),
    responses(
        (status = 200, description = "Operations: the operation's fields plus version, recorded_at, recorded_by, incidents", body = [Object]),
        (status = 400, description = "A bad parameter", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Vec<OperationRow>>, ApiError> {
    let member = member_param(&pairs, "member")?;
    let rows = state.store.operations().await?;
    Ok(Json(
        rows.into_iter()
            .filter(|r| member.as_ref().is_none_or(|m| r.operation.involves(m)))
            .collect(),
    ))
}

/// Declare an operation (or the next version of one): checked against the declared ones, its
/// notices recorded; answers the conflicts and notices.
#[utoipa::path(
    post,
    path = "/api/v1/operations",
    tag = "operations",
    request_body = NewOperation,
    responses(
        (status = 201, description = "Recorded (or unchanged: changed is false)", body = Declared),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 409, description = "The operation was declared by another member", body = ErrorBody),
        (status = 422, description = "A field breaks the rules, named", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Writer(caller): Writer,
    JsonBody(body): JsonBody<NewOperation>,
) -> Result<impl IntoResponse, ApiError> {
    let settings = match body.border_km {
        Some(km) => Settings::with_border_km(km)
            .map_err(|m| ApiError::Validation(vec![FieldError::new("border_km", m)]))?,
        None => Settings::default(),
    };
    let area = area_of(&state, body.area).await?;
    let op = Operation {
        id: body.id.unwrap_or_else(|| {
            format!(
                "op:{}:{}",
                body.member.as_str().to_ascii_lowercase(),
                (state.new_id)()
            )
        }),
        member: body.member,
        participants: body.participants,
        area,
        from: body.from,
        to: body.to,
        kind: body.kind.unwrap_or(Kind::Unspecified),
        objective: body.objective,
        status: body.status.unwrap_or_default(),
        notice_kind: body.notice_kind,
    };
    op.validate().map_err(validation)?;
    let declared = declared_operations(&state).await?;
    let d = Deconflictor::with_settings(&declared, settings, liaison_geo::default_boundaries());
    let (conflicts, notices) = d.check(&op);
    let write = state
        .store
        .record_operation(&op, &notices, (state.clock)(), &caller.name)
        .await
        .map_err(|e| match e {
            StoreError::Invalid { field, message } => {
                ApiError::Validation(vec![FieldError::new(field, message)])
            }
            other => other.into(),
        })?;
    let notices = notices
        .into_iter()
        .map(|n| serde_json::json!({"recipient": n.recipient, "content": n.content}))
        .collect();
    Ok((
        StatusCode::CREATED,
        Json(Declared {
            id: op.id,
            version: write.version,
            changed: write.changed,
            conflicts,
            notices,
        }),
    ))
}

/// The area of a body: a zone named without polygons gets the zone's (422 naming `area.zone`
/// when there is no such zone); anything else must be an area as `liaison_ops::Area` reads it.
async fn area_of(state: &AppState, area: Value) -> Result<Area, ApiError> {
    let zone_id = (area.get("type").and_then(Value::as_str) == Some("zone")
        && area.get("polygons").is_none())
    .then(|| area.get("zone").and_then(Value::as_str).map(str::to_owned))
    .flatten();
    if let Some(id) = zone_id {
        let zone = state.store.zone(&id).await?.ok_or_else(|| {
            ApiError::Validation(vec![FieldError::new(
                "area.zone",
                format!("no zone '{id}'"),
            )])
        })?;
        return Ok(Area::of_zone(&zone));
    }
    serde_json::from_value(area)
        .map_err(|e| ApiError::Validation(vec![FieldError::new("area", e.to_string())]))
}

/// Every pair of overlapping operations of different members, once each, reported to both.
#[utoipa::path(
    get,
    path = "/api/v1/operations/conflicts",
    tag = "operations",
    params(("member" = Option<String>, Query, description = "Only conflicts reported to this member")),
    responses(
        (status = 200, description = "{operation, member, other, other_member, from, to, reported_to}", body = [Object]),
        (status = 400, description = "A bad parameter", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn conflicts(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Vec<Conflict>>, ApiError> {
    let member = member_param(&pairs, "member")?;
    let declared = declared_operations(&state).await?;
    Ok(Json(
        Deconflictor::new(&declared)
            .all_conflicts()
            .into_iter()
            .filter(|c| member.as_ref().is_none_or(|m| c.reported_to.contains(m)))
            .collect(),
    ))
}

/// The deconfliction notices given, in the order issued.
#[utoipa::path(
    get,
    path = "/api/v1/operations/notices",
    tag = "operations",
    params(("to" = Option<String>, Query, description = "Only notices addressed to this member")),
    responses(
        (status = 200, description = "{operation_id, version, recipient, content: {declared_by, area, from, to, kind?}, issued_at}", body = [Object]),
        (status = 400, description = "A bad parameter", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn notices(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Vec<NoticeRow>>, ApiError> {
    let to = member_param(&pairs, "to")?;
    Ok(Json(state.store.operation_notices(to.as_ref()).await?))
}

/// Force records and the pledged, committed and deployed sums per member and zone, with each
/// member's available strength from the assets table.
#[utoipa::path(
    get,
    path = "/api/v1/forces",
    tag = "operations",
    params(("member" = Option<String>, Query, description = "Only this member's records")),
    responses(
        (status = 200, description = "{records, members, zones, total}", body = Object),
        (status = 400, description = "A bad parameter", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn forces(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Value>, ApiError> {
    let member = member_param(&pairs, "member")?;
    let records = state.store.forces(member.as_ref()).await?;
    let members: Vec<_> = state
        .store
        .members()
        .await?
        .into_iter()
        .filter(|m| member.as_ref().is_none_or(|c| m.code == *c))
        .collect();
    let v = liaison_ops::forces::view(&records, &members);
    Ok(Json(serde_json::json!({
        "records": records,
        "members": v.members,
        "zones": v.zones,
        "total": v.total,
    })))
}
