//! The incident endpoints: search with filters and cursor paging, creation, reading one, its
//! version history, and new versions by the originator.
//!
//! Every incident entering through the API is normalised (the country derived from the point
//! when the source gave none, and the point's own country recorded) and validated before it is
//! stored; this node's member is the originator of what it creates, and only the originator
//! makes new versions (invariant 3, one writer per object). A malformed id is answered like a
//! missing one (invariant 6). This module holds no query logic of its own: filters are parsed in
//! `params` and run by the store.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::LOCATION;
use axum::http::{HeaderValue, StatusCode};
use axum::response::IntoResponse;
use liaison_core::{CountryCode, FieldError, Incident, IncidentContent, IncidentId};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::{Caller, Writer};
use crate::error::{ApiError, ErrorBody};
use crate::params::{JsonBody, ListQuery, QueryPairs, list_request};

/// One page of incidents, newest first, and the cursor of the next page (`null` on the last).
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentPage {
    pub incidents: Vec<Incident>,
    pub next_cursor: Option<String>,
}

/// The incident detail: the incident, plus the joint command's operations it is linked to. The
/// field is left out when there are none, so an unlinked incident's detail is the incident
/// itself, byte for byte, as before the field existed.
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentDetail {
    #[serde(flatten)]
    pub incident: Incident,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub operations: Vec<LinkedOperation>,
}

/// An operation an incident belongs to, named enough to find it (`/api/v1/operations`).
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkedOperation {
    pub id: String,
    /// The declaring member (ISO3).
    pub member: String,
    pub kind: String,
    pub status: String,
}

/// One stored version of an incident, with who recorded it and when (RFC 3339).
#[derive(Debug, Serialize, ToSchema)]
pub struct IncidentVersion {
    pub version: u32,
    pub recorded_at: String,
    pub recorded_by: String,
    pub incident: Incident,
}

/// A new version: the version it replaces, and the new content.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewVersion {
    /// The version the editor started from; must be the stored version, or the edit is stale.
    pub base_version: u32,
    pub content: IncidentContent,
}

/// Path of an incident, for `Location` headers.
fn location_of(id: &IncidentId) -> Result<HeaderValue, ApiError> {
    HeaderValue::from_str(&format!("/api/v1/incidents/{id}")).map_err(ApiError::internal)
}

/// Derives what coordinates tell (the country) and checks every rule, naming each broken one;
/// `prefix` is where the content sits in the request body.
fn prepare(
    mut content: IncidentContent,
    prefix: Option<&str>,
) -> Result<IncidentContent, ApiError> {
    content.location.normalise(|lat, lon| {
        liaison_geo::default_boundaries()
            .country_at(lat, lon)
            .and_then(|c| CountryCode::parse(c).ok())
    });
    content
        .validate()
        .map_err(|e| ApiError::invalid_content(e, prefix))?;
    Ok(content)
}

/// An id from a path segment; one that cannot be an id (or cannot even be decoded) is simply
/// not found.
pub(crate) fn parse_id(raw: Result<Path<String>, PathRejection>) -> Result<IncidentId, ApiError> {
    let Path(raw) = raw.map_err(|_| ApiError::NotFound)?;
    IncidentId::parse(&raw).map_err(|_| ApiError::NotFound)
}

/// Search incidents.
#[utoipa::path(
    get,
    path = "/api/v1/incidents",
    tag = "incidents",
    params(ListQuery),
    responses(
        (status = 200, description = "A page of incidents, newest first", body = IncidentPage),
        (status = 400, description = "A bad query parameter, named in fields", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<IncidentPage>, ApiError> {
    let req = list_request(&pairs)?;
    let page = state
        .store
        .list_incidents(&req.filter, req.limit, req.cursor.as_ref())
        .await?;
    let ids: Vec<&str> = page.incidents.iter().map(|i| i.id.as_str()).collect();
    note_reads(&state, &caller, &ids).await?;
    Ok(Json(IncidentPage {
        incidents: page.incidents,
        next_cursor: page.next_cursor,
    }))
}

/// Record a new incident, originated by this node's member.
#[utoipa::path(
    post,
    path = "/api/v1/incidents",
    tag = "incidents",
    request_body = IncidentContent,
    responses(
        (status = 201, description = "Created; Location names it", body = Incident),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Invalid content, every problem named", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Writer(caller): Writer,
    JsonBody(content): JsonBody<IncidentContent>,
) -> Result<impl IntoResponse, ApiError> {
    let content = prepare(content, None)?;
    let raw_id = format!(
        "{}-{}",
        state.member.as_str().to_lowercase(),
        (state.new_id)()
    );
    let id = IncidentId::parse(&raw_id)
        .map_err(|e| ApiError::internal(format!("new incident id '{raw_id}': {e}")))?;
    let incident = Incident::new(id, state.member.clone(), 1, content);
    state
        .store
        .create_incident(&incident, &caller.name, (state.clock)())
        .await?;
    let location = location_of(&incident.id)?;
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(incident)))
}

/// Read the current version of an incident.
#[utoipa::path(
    get,
    path = "/api/v1/incidents/{id}",
    tag = "incidents",
    params(("id" = String, Path, description = "Incident id")),
    responses(
        (status = 200, description = "The incident, with `operations` when it belongs to any", body = IncidentDetail),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such incident (or not visible: the same answer)", body = ErrorBody),
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<IncidentDetail>, ApiError> {
    let id = parse_id(id)?;
    let incident = state.store.get_incident(&id).await?;
    let mut operations = Vec::new();
    for op_id in state
        .store
        .incident_operations(incident.id.as_str())
        .await?
    {
        // Operations are never deleted, so a link finds its operation; should a row be missing
        // all the same, the incident is still answered.
        if let Some(row) = state.store.operation(&op_id).await? {
            let op = row.operation;
            operations.push(LinkedOperation {
                id: op.id,
                member: op.member.as_str().to_owned(),
                kind: op.kind.as_str().to_owned(),
                status: op.status.as_str().to_owned(),
            });
        }
    }
    note_reads(&state, &caller, &[incident.id.as_str()]).await?;
    Ok(Json(IncidentDetail {
        incident,
        operations,
    }))
}

/// Reads are logged in the ledger, batched (`liaison_store::Store::note_reads`).
pub(crate) async fn note_reads(
    state: &AppState,
    caller: &Caller,
    ids: &[&str],
) -> Result<(), ApiError> {
    if ids.is_empty() {
        return Ok(());
    }
    let at = liaison_store::ts_of((state.clock)())?;
    state.store.note_reads(&caller.name, ids, &at).await?;
    Ok(())
}

/// Every version of an incident, oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/incidents/{id}/versions",
    tag = "incidents",
    params(("id" = String, Path, description = "Incident id")),
    responses(
        (status = 200, description = "The versions, oldest first", body = [IncidentVersion]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such incident (or not visible: the same answer)", body = ErrorBody),
    )
)]
pub async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Vec<IncidentVersion>>, ApiError> {
    let id = parse_id(id)?;
    let records = state.store.incident_versions(&id).await?;
    note_reads(&state, &caller, &[id.as_str()]).await?;
    Ok(Json(
        records
            .into_iter()
            .map(|r| IncidentVersion {
                version: r.incident.version,
                recorded_at: r.recorded_at,
                recorded_by: r.recorded_by,
                incident: r.incident,
            })
            .collect(),
    ))
}

/// Record a new version of an incident this node's member originated.
#[utoipa::path(
    post,
    path = "/api/v1/incidents/{id}/versions",
    tag = "incidents",
    params(("id" = String, Path, description = "Incident id")),
    request_body = NewVersion,
    responses(
        (status = 201, description = "The new version", body = Incident),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write (forbidden), or another member originated the incident (not_originator)", body = ErrorBody),
        (status = 404, description = "No such incident", body = ErrorBody),
        (status = 409, description = "base_version is not the stored version", body = ErrorBody),
        (status = 413, description = "Body too large", body = ErrorBody),
        (status = 422, description = "Invalid content, every problem named", body = ErrorBody),
    )
)]
pub async fn new_version(
    State(state): State<AppState>,
    Writer(caller): Writer,
    id: Result<Path<String>, PathRejection>,
    JsonBody(req): JsonBody<NewVersion>,
) -> Result<impl IntoResponse, ApiError> {
    let id = parse_id(id)?;
    let stored = state.store.get_incident(&id).await?;
    if stored.originator != state.member {
        return Err(ApiError::NotOriginator {
            originator: stored.originator.to_string(),
        });
    }
    if req.base_version != stored.version {
        return Err(ApiError::Conflict {
            message: format!(
                "base_version {} is stale: the incident is at version {}; reload and edit again",
                req.base_version, stored.version
            ),
            fields: vec![FieldError::new(
                "base_version",
                format!("the stored version is {}", stored.version),
            )],
        });
    }
    let content = prepare(req.content, Some("content"))?;
    let next = stored
        .version
        .checked_add(1)
        .ok_or_else(|| ApiError::internal(format!("incident {id}: version overflow")))?;
    let incident = Incident::new(id, state.member.clone(), next, content);
    state
        .store
        .update_incident(&incident, &caller.name, (state.clock)())
        .await?;
    let location = location_of(&incident.id)?;
    Ok((StatusCode::CREATED, [(LOCATION, location)], Json(incident)))
}
