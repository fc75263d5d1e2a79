//! Read-only endpoints beside incidents: statistics (counts and fatality sums grouped by the
//! dimensions asked for, under the list's filters), the node's own description, and the
//! registers of members, actors and places.
//!
//! Nothing here writes, and nothing computes: grouping and summing are the store's, parsing is
//! `params`'.

use axum::Json;
use axum::extract::State;
use liaison_core::{Actor, Member, Place, StatsRow};
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::params::{QueryPairs, StatsQuery, stats_request};

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

/// Counts and fatality sums of incidents, grouped.
#[utoipa::path(
    get,
    path = "/api/v1/stats",
    tag = "stats",
    params(StatsQuery),
    responses(
        (status = 200, description = "One row per group, ordered by the dimensions", body = [StatsRow]),
        (status = 400, description = "A bad query parameter, named in fields", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn stats(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Vec<StatsRow>>, ApiError> {
    let (filter, dims) = stats_request(&pairs)?;
    Ok(Json(state.store.stats(&filter, &dims).await?))
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
