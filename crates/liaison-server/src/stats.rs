//! Read-only endpoints beside incidents: statistics (counts and fatality sums grouped by the
//! dimensions asked for, under the list's filters), the node's own description, and the
//! registers of members, actors and places.
//!
//! Nothing here writes, and nothing computes: grouping and summing are the store's, parsing is
//! `params`'.

use axum::Json;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use liaison_core::{Actor, Member, Place, STATS_COUNT_COLUMNS, StatsDimension, StatsRow};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::params::{QueryPairs, StatsFormat, StatsQuery, stats_request};

/// What a node says about itself.
#[derive(Debug, Serialize, ToSchema)]
pub struct NodeInfo {
    /// The member this node belongs to (ISO 3166-1 alpha-3): the originator of what it creates.
    #[schema(example = "MLI")]
    pub member: String,
    /// Incidents the node holds.
    pub incidents: u64,
    /// Version of the Liaison software.
    pub version: String,
}

/// Counts and fatality sums of incidents, grouped; as JSON rows, or CSV with `format=csv`.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    tag = "stats",
    params(StatsQuery),
    responses(
        (status = 200, description = "One row per group, ordered by the dimensions (as text/csv with a header line when format=csv)", body = [StatsRow]),
        (status = 400, description = "A bad query parameter, named in fields", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn stats(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, ApiError> {
    let request = stats_request(&pairs)?;
    let rows = state.store.stats(&request.filter, &request.dims).await?;
    Ok(match request.format {
        StatsFormat::Json => Json(rows).into_response(),
        StatsFormat::Csv => (
            [(header::CONTENT_TYPE, "text/csv; charset=utf-8")],
            stats_csv(&request.dims, &rows)?,
        )
            .into_response(),
    })
}

/// The rows as CSV: a header of the dimensions and the counts, then one record per row.
fn stats_csv(dims: &[StatsDimension], rows: &[StatsRow]) -> Result<String, ApiError> {
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = dims.iter().map(|d| d.column()).collect();
    header.extend(STATS_COUNT_COLUMNS);
    let internal = |e: csv::Error| {
        tracing::error!(error = %e, "cannot write statistics as CSV");
        ApiError::Internal
    };
    out.write_record(&header).map_err(internal)?;
    for r in rows {
        out.write_record(r.cells(dims)).map_err(internal)?;
    }
    let bytes = out.into_inner().map_err(|_| ApiError::Internal)?;
    String::from_utf8(bytes).map_err(|_| ApiError::Internal)
}

/// This node: its member, how many incidents it holds, its software version.
#[utoipa::path(
    get,
    path = "/api/v1/node",
    tag = "node",
    responses(
        (status = 200, description = "The node", body = NodeInfo),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn node(State(state): State<AppState>) -> Result<Json<NodeInfo>, ApiError> {
    Ok(Json(NodeInfo {
        member: state.member.to_string(),
        incidents: state.store.count_incidents().await?,
        version: env!("CARGO_PKG_VERSION").to_owned(),
    }))
}

/// The members of the cooperation.
#[utoipa::path(
    get,
    path = "/api/v1/members",
    tag = "registers",
    responses(
        (status = 200, description = "Members, by code", body = [Member]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn members(State(state): State<AppState>) -> Result<Json<Vec<Member>>, ApiError> {
    Ok(Json(state.store.members().await?))
}

/// The actors this node knows.
#[utoipa::path(
    get,
    path = "/api/v1/actors",
    tag = "registers",
    responses(
        (status = 200, description = "Actors, by name", body = [Actor]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn actors(State(state): State<AppState>) -> Result<Json<Vec<Actor>>, ApiError> {
    Ok(Json(state.store.actors().await?))
}

/// The places of the gazetteer.
#[utoipa::path(
    get,
    path = "/api/v1/places",
    tag = "registers",
    responses(
        (status = 200, description = "Places, by name", body = [Place]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn places(State(state): State<AppState>) -> Result<Json<Vec<Place>>, ApiError> {
    Ok(Json(state.store.places().await?))
}
