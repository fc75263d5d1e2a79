//! Reading and deleting objects: `GET …/objects/` (an envelope, paged by the counter), `GET` and
//! `DELETE …/objects/{id}/`, and `GET …/objects/{id}/versions/`.
//!
//! Reading needs read access to the collection; deleting needs read and write (TAXII 2.1 says
//! both). An object that does not exist, or that no version matches the filters, is 404, the
//! same as a collection the caller may not see.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::collections::{find, path, read_page};
use super::envelope;
use super::error::TaxiiError;
use super::filters::{Endpoint, parse};
use crate::AppState;
use crate::auth::Caller;

/// `GET {api-root}/collections/{id}/objects/`.
pub(crate) async fn list(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, TaxiiError> {
    let collection = path(id)?;
    let q = parse(raw.as_deref(), Endpoint::Objects)?;
    let page = read_page(&state, &caller, &collection, &q, true).await?;
    Ok(envelope::objects(page))
}

/// `GET {api-root}/collections/{id}/objects/{object_id}/`.
pub(crate) async fn one(
    State(state): State<AppState>,
    caller: Caller,
    ids: Result<Path<(String, String)>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, TaxiiError> {
    let (collection, object) = path(ids)?;
    let mut q = parse(raw.as_deref(), Endpoint::Object)?;
    q.object_ids = vec![object];
    let page = read_page(&state, &caller, &collection, &q, true).await?;
    if page.rows.is_empty() && q.after_seq == 0 {
        return Err(TaxiiError::not_found());
    }
    Ok(envelope::objects(page))
}

/// `DELETE {api-root}/collections/{id}/objects/{object_id}/`: every version, or those
/// `match[version]` / `match[spec_version]` name.
pub(crate) async fn delete(
    State(state): State<AppState>,
    caller: Caller,
    ids: Result<Path<(String, String)>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, TaxiiError> {
    let (collection, object) = path(ids)?;
    let (c, access) = find(&state, &caller, &collection).await?;
    access.read(&caller)?;
    access.write(&caller)?;
    let q = parse(raw.as_deref(), Endpoint::Delete)?;
    let deleted = state
        .store
        .delete_taxii_object(&c.id, &object, &q.versions, &q.spec_versions)
        .await?;
    if deleted == 0 {
        return Err(TaxiiError::not_found());
    }
    tracing::info!(collection = %c.id, object = %object, deleted, user = %caller.name, "TAXII delete");
    Ok(StatusCode::OK.into_response())
}

/// `GET {api-root}/collections/{id}/objects/{object_id}/versions/`.
pub(crate) async fn versions(
    State(state): State<AppState>,
    caller: Caller,
    ids: Result<Path<(String, String)>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, TaxiiError> {
    let (collection, object) = path(ids)?;
    let mut q = parse(raw.as_deref(), Endpoint::Versions)?;
    q.object_ids = vec![object];
    let page = read_page(&state, &caller, &collection, &q, false).await?;
    if page.rows.is_empty() && q.after_seq == 0 {
        return Err(TaxiiError::not_found());
    }
    envelope::versions(page)
}
