//! Status resources: made by every POST of objects (processing is synchronous, so a Status is
//! `complete` when it is first returned), kept in the store, and read back at
//! `GET {api-root}/status/{id}/`.
//!
//! A Status is seen by the user who made it and by admins, and only while they may still use its
//! collection; anyone else gets the 404 of a Status that does not exist (invariant 6).

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use liaison_store::{Role, StoreError};
use serde::Serialize;

use super::collections::{find, path};
use super::error::TaxiiError;
use super::media::answer;
use crate::AppState;
use crate::auth::Caller;

/// One object in a Status: its id, the version concerned, and a note.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub(crate) struct StatusDetail {
    pub id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
}

/// The TAXII 2.1 Status resource.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct StatusResource {
    pub id: String,
    pub status: &'static str,
    pub request_timestamp: String,
    pub total_count: usize,
    pub success_count: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub successes: Vec<StatusDetail>,
    pub failure_count: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub failures: Vec<StatusDetail>,
    pub pending_count: usize,
}

impl StatusResource {
    /// A finished Status.
    pub fn complete(
        id: String,
        request_timestamp: String,
        successes: Vec<StatusDetail>,
        failures: Vec<StatusDetail>,
    ) -> StatusResource {
        StatusResource {
            id,
            status: "complete",
            request_timestamp,
            total_count: successes.len() + failures.len(),
            success_count: successes.len(),
            successes,
            failure_count: failures.len(),
            failures,
            pending_count: 0,
        }
    }
}

/// `GET {api-root}/status/{id}/`.
pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, TaxiiError> {
    let id = path(id)?;
    let (created_by, collection, doc) = match state.store.taxii_status(&id).await {
        Ok(found) => found,
        Err(StoreError::NotFound) => return Err(TaxiiError::not_found()),
        Err(e) => return Err(e.into()),
    };
    if created_by != caller.name && caller.role != Role::Admin {
        return Err(TaxiiError::not_found());
    }
    find(&state, &caller, &collection).await?;
    Ok(answer(StatusCode::OK, doc, None))
}
