//! Members' readings of incidents: every member's current reading side by side, this node's
//! member adding its own, and where members disagree.
//!
//! The node's member is always the one characterising: a node cannot record another state's
//! reading. Readings never change the incident (`liaison_core::characterisation`). Unknown and
//! malformed incident ids are the same 404, as everywhere.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use liaison_core::{Category, Characterisation, Confidence};
use liaison_store::{CharacterisationRow, Divergence};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::{Caller, Writer};
use crate::error::{ApiError, ErrorBody};
use crate::incidents::{note_reads, parse_id};
use crate::params::{DivergenceQuery, JsonBody, QueryPairs, divergence_request};

/// One member's current reading of an incident.
#[derive(Debug, Serialize, ToSchema)]
pub struct CharacterisationView {
    #[schema(example = "MLI")]
    pub member: String,
    pub category: Category,
    pub confidence: Confidence,
    pub rationale: String,
    /// The member's own word for it, e.g. "banditisme armé".
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_term: Option<String>,
    /// Which of the member's readings this is (1, 2, …); older ones are kept.
    pub version: i64,
    /// RFC 3339 UTC.
    pub recorded_at: String,
    pub recorded_by: String,
    /// How many readings the member has recorded of this incident.
    pub history: u64,
}

/// Every member's current reading of one incident.
#[derive(Debug, Serialize, ToSchema)]
pub struct Characterisations {
    pub incident_id: String,
    /// By member code.
    pub readings: Vec<CharacterisationView>,
}

/// This node's member's reading of an incident.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCharacterisation {
    pub category: Category,
    pub confidence: Confidence,
    /// Why (required, at most 2,000 characters).
    pub rationale: String,
    /// The member's own word for it (at most 200 characters).
    #[serde(default)]
    pub national_term: Option<String>,
}

/// One member's current reading, as the divergence report lists it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReadingView {
    #[schema(example = "NER")]
    pub member: String,
    pub category: Category,
    pub confidence: Confidence,
}

/// An incident on which members' current categories differ.
#[derive(Debug, Serialize, ToSchema)]
pub struct DivergenceView {
    pub incident_id: String,
    pub readings: Vec<ReadingView>,
}

fn view(r: CharacterisationRow, history: &[CharacterisationRow]) -> CharacterisationView {
    let count = history.iter().filter(|h| h.member == r.member).count();
    CharacterisationView {
        member: r.member.to_string(),
        category: r.category,
        confidence: r.confidence,
        rationale: r.rationale,
        national_term: r.national_term,
        version: r.version,
        recorded_at: r.recorded_at,
        recorded_by: r.recorded_by,
        history: u64::try_from(count).unwrap_or(u64::MAX),
    }
}

async fn readings_of(
    state: &AppState,
    id: &liaison_core::IncidentId,
) -> Result<Vec<CharacterisationView>, ApiError> {
    let current = state.store.characterisations_of(id).await?;
    let history = state.store.characterisation_history(id).await?;
    Ok(current.into_iter().map(|r| view(r, &history)).collect())
}

/// Every member's current reading of an incident, side by side.
#[utoipa::path(
    get,
    path = "/api/v1/incidents/{id}/characterisations",
    tag = "characterisations",
    params(("id" = String, Path, description = "Incident id")),
    responses(
        (status = 200, description = "The readings, by member", body = Characterisations),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such incident (or not visible: the same answer)", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<Characterisations>, ApiError> {
    let id = parse_id(id)?;
    let readings = readings_of(&state, &id).await?;
    note_reads(&state, &caller, &[id.as_str()]).await?;
    Ok(Json(Characterisations {
        incident_id: id.to_string(),
        readings,
    }))
}

/// Record this node's member's reading of an incident (its next version; none is overwritten).
#[utoipa::path(
    post,
    path = "/api/v1/incidents/{id}/characterisations",
    tag = "characterisations",
    params(("id" = String, Path, description = "Incident id")),
    request_body = NewCharacterisation,
    responses(
        (status = 201, description = "Recorded: the member's new current reading", body = CharacterisationView),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 404, description = "No such incident", body = ErrorBody),
        (status = 422, description = "Invalid reading, every problem named", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Writer(caller): Writer,
    id: Result<Path<String>, PathRejection>,
    JsonBody(body): JsonBody<NewCharacterisation>,
) -> Result<impl IntoResponse, ApiError> {
    let id = parse_id(id)?;
    let c = Characterisation {
        incident_id: id.clone(),
        member: state.member.clone(),
        category: body.category,
        confidence: body.confidence,
        rationale: body.rationale,
        national_term: body.national_term,
    };
    c.validate()
        .map_err(|e| ApiError::invalid_content(e, None))?;
    let version = state
        .store
        .characterise(&c, &caller.name, (state.clock)())
        .await?;
    let mine = readings_of(&state, &id)
        .await?
        .into_iter()
        .find(|r| r.member == state.member.as_str() && r.version == version)
        .ok_or_else(|| ApiError::internal(format!("reading v{version} of {id} not read back")))?;
    Ok((StatusCode::CREATED, Json(mine)))
}

/// Incidents on which members' current categories differ, the most recently read first.
#[utoipa::path(
    get,
    path = "/api/v1/characterisations/divergence",
    tag = "characterisations",
    params(DivergenceQuery),
    responses(
        (status = 200, description = "The incidents and every member's current reading", body = [DivergenceView]),
        (status = 400, description = "A bad query parameter, named in fields", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn divergence(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Vec<DivergenceView>>, ApiError> {
    let limit = divergence_request(&pairs)?;
    let rows: Vec<Divergence> = state.store.divergences(limit).await?;
    Ok(Json(
        rows.into_iter()
            .map(|d| DivergenceView {
                incident_id: d.incident_id.to_string(),
                readings: d
                    .readings
                    .into_iter()
                    .map(|r| ReadingView {
                        member: r.member.to_string(),
                        category: r.category,
                        confidence: r.confidence,
                    })
                    .collect(),
            })
            .collect(),
    ))
}
