//! Server discovery (`GET /taxii2/`) and the API root's information (`GET /taxii2/liaison/`).
//!
//! The API root is given as a path relative to the server, so the answer stays true behind a
//! proxy that changes the host or scheme. `max_content_length` is the limit the POST handler
//! enforces ([`MAX_CONTENT_BYTES`]).

use axum::extract::State;
use axum::response::Response;
use serde::Serialize;

use super::error::TaxiiError;
use super::media::{TAXII_MEDIA_TYPE, ok_json};
use super::{MAX_CONTENT_BYTES, api_root_path};
use crate::AppState;
use crate::auth::Caller;

#[derive(Debug, Serialize)]
struct Discovery {
    title: String,
    description: &'static str,
    default: String,
    api_roots: Vec<String>,
}

#[derive(Debug, Serialize)]
struct ApiRoot {
    title: String,
    description: &'static str,
    versions: [&'static str; 1],
    max_content_length: usize,
}

/// `GET /taxii2/`.
pub(crate) async fn discovery(
    State(state): State<AppState>,
    _caller: Caller,
) -> Result<Response, TaxiiError> {
    ok_json(&Discovery {
        title: format!("Liaison node {}", state.member),
        description: "STIX 2.1 over TAXII 2.1 from a Liaison node",
        default: api_root_path(),
        api_roots: vec![api_root_path()],
    })
}

/// `GET /taxii2/liaison/`.
pub(crate) async fn api_root(
    State(state): State<AppState>,
    _caller: Caller,
) -> Result<Response, TaxiiError> {
    ok_json(&ApiRoot {
        title: format!("Liaison node {}", state.member),
        description: "The collections of this node",
        versions: [TAXII_MEDIA_TYPE],
        max_content_length: MAX_CONTENT_BYTES,
    })
}
