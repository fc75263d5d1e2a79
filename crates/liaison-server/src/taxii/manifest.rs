//! `GET {api-root}/collections/{id}/manifest/`: one record (id, date_added, version, media type)
//! per object version the filters select, paged exactly like the objects themselves.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::response::Response;

use super::collections::{path, read_page};
use super::envelope;
use super::error::TaxiiError;
use super::filters::{Endpoint, parse};
use crate::AppState;
use crate::auth::Caller;

pub(crate) async fn get(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, TaxiiError> {
    let collection = path(id)?;
    let q = parse(raw.as_deref(), Endpoint::Objects)?;
    let page = read_page(&state, &caller, &collection, &q, false).await?;
    envelope::manifest(page)
}
