//! `GET /api/v1/actors/{id}/graph`: an actor's neighbourhood in the link graph, as Cytoscape.js
//! elements (JSON, the default) or GraphML (`format=graphml`).
//!
//! The graph is `liaison_core::actor_graph`'s, read by `Store::actor_graph`; this module parses
//! the two parameters and picks the media type. An id that is malformed or names no actor gets
//! the API's one 404, the same bytes as every other.

use axum::Json;
use axum::extract::{Path, State, rejection::PathRejection};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use liaison_core::actor_graph::{Filter, MAX_DEPTH};
use liaison_core::{ActorId, FieldError, GraphError};

use crate::AppState;
use crate::error::{ApiError, ErrorBody};
use crate::params::QueryPairs;

/// The depth when none is asked for.
const DEFAULT_DEPTH: u32 = 2;

/// The media type of GraphML answers.
pub const GRAPHML_TYPE: &str = "application/graphml+xml; charset=utf-8";

/// An actor's neighbourhood: the actors within `depth` hops by recorded relations (with their
/// kinds, spans and sources), shared UCDP ids, and incidents naming them together (weight: the
/// number of incidents).
#[utoipa::path(
    get,
    path = "/api/v1/actors/{id}/graph",
    tag = "registers",
    params(
        ("id" = String, Path, description = "Actor id, such as `sahel-2012:aqim`"),
        ("depth" = Option<u32>, Query, description = "Hops from the actor, 1 to 4 (default 2)"),
        ("format" = Option<String>, Query, description = "`json` (Cytoscape.js elements, the default) or `graphml`"),
    ),
    responses(
        (status = 200, description = "`{\"root\": id, \"elements\": {\"nodes\": [{\"data\": {id, label, kind, country, known, depth}}], \"edges\": [{\"data\": {id, source, target, kind, directed, from, until, reference, reliability, credibility, weight}}]}}` (application/json); with `format=graphml`, the same graph as GraphML (application/graphml+xml)", body = Object),
        (status = 400, description = "A bad `depth` or `format`, named in `fields`", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such actor", body = ErrorBody),
    )
)]
pub async fn graph(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Response, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::NotFound);
    };
    let (depth, graphml) = parse(&pairs)?;
    let id = ActorId::parse(&id).map_err(|_| ApiError::NotFound)?;
    let graph = state.store.actor_graph().await?;
    let sub = match graph.neighbourhood(&id, depth, &Filter::default()) {
        Ok(sub) => sub,
        Err(GraphError::UnknownActor(_)) => return Err(ApiError::NotFound),
        Err(e @ GraphError::TooDeep(_)) => return Err(ApiError::bad_param("depth", e.to_string())),
    };
    if graphml {
        Ok(([(header::CONTENT_TYPE, GRAPHML_TYPE)], sub.to_graphml()).into_response())
    } else {
        Ok(Json(sub.to_cytoscape()).into_response())
    }
}

/// `depth` (1 to [`MAX_DEPTH`]) and whether GraphML was asked for; every bad or unknown
/// parameter is named.
fn parse(pairs: &[(String, String)]) -> Result<(u32, bool), ApiError> {
    let mut errors = Vec::new();
    let (mut depth, mut graphml) = (None, None);
    for (name, value) in pairs {
        match name.as_str() {
            "depth" if depth.is_some() => {
                errors.push(FieldError::new("depth", "given more than once"))
            }
            "format" if graphml.is_some() => {
                errors.push(FieldError::new("format", "given more than once"))
            }
            "depth" => match value.trim().parse::<u32>() {
                Ok(d) if (1..=MAX_DEPTH).contains(&d) => depth = Some(d),
                _ => {
                    depth = Some(DEFAULT_DEPTH);
                    errors.push(FieldError::new(
                        "depth",
                        format!("{value:?} is not a whole number from 1 to {MAX_DEPTH}"),
                    ));
                }
            },
            "format" => match value.as_str() {
                "json" => graphml = Some(false),
                "graphml" => graphml = Some(true),
                _ => {
                    graphml = Some(false);
                    errors.push(FieldError::new(
                        "format",
                        format!("{value:?} is not json or graphml"),
                    ));
                }
            },
            other => errors.push(FieldError::new(
                other,
                "unknown parameter; use depth, format",
            )),
        }
    }
    if errors.is_empty() {
        Ok((depth.unwrap_or(DEFAULT_DEPTH), graphml.unwrap_or(false)))
    } else {
        Err(ApiError::bad_params(errors))
    }
}
