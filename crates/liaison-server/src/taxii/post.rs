//! `POST {api-root}/collections/{id}/objects/`: add the objects of an envelope, answered 202
//! with a Status resource that is already `complete` (processing is synchronous).
//!
//! Checks, in order: write access (403), `Content-Type` (415), size against
//! `max_content_length` (413, from `Content-Length` before reading and while reading), then
//! the envelope's shape (400: not JSON, or an element that is not an object with an id: nothing
//! is stored). Each identifiable object is then checked on its own (`validate`): a bad one is a
//! failure in the Status, the others are stored. An exact duplicate (same id, version and
//! content) is a success that changes nothing; the same id and version with other content is a
//! failure, and the stored object stays. Objects, their `date_added` and the Status are written
//! in one transaction.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_store::{AddOutcome, NewTaxiiObject, taxii_date_added};
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::collections::{find, path};
use super::error::TaxiiError;
use super::media::{answer, content_is_taxii, unsupported_content};
use super::status::{StatusDetail, StatusResource};
use super::validate::check_object;
use super::{MAX_CONTENT_BYTES, MAX_ENVELOPE_OBJECTS};
use crate::auth::Caller;
use crate::{ApiError, AppState};

/// A TAXII envelope as received; `more` and `next` are ignored on a POST.
#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(borrow, default)]
    objects: Vec<&'a RawValue>,
}

fn too_large() -> TaxiiError {
    TaxiiError::new(
        ApiError::PayloadTooLarge,
        format!("the body exceeds max_content_length ({MAX_CONTENT_BYTES} bytes)"),
    )
}

/// The body, refused (413) past [`MAX_CONTENT_BYTES`] before or while it is read.
async fn read_body(headers: &HeaderMap, body: Body) -> Result<axum::body::Bytes, TaxiiError> {
    let declared = headers
        .get(CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_CONTENT_BYTES as u64) {
        return Err(too_large());
    }
    axum::body::to_bytes(body, MAX_CONTENT_BYTES)
        .await
        .map_err(|e| {
            let limit = std::error::Error::source(&e)
                .is_some_and(|s| s.is::<http_body_util::LengthLimitError>());
            if limit {
                too_large()
            } else {
                TaxiiError::bad_param("body", format!("the body could not be read: {e}"))
            }
        })
}

/// A Status id: an RFC 4122 UUID made from the node's id source (random in production, a
/// counter in tests).
fn status_id(state: &AppState) -> String {
    let digest = Sha256::digest(format!("{}:{}", (state.new_id)(), (state.new_id)()));
    let mut bytes = [0u8; 16];
    for (b, d) in bytes.iter_mut().zip(digest.iter()) {
        *b = *d;
    }
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// Objects that passed the checks, and the failures, each with its place in the envelope.
struct Checked {
    valid: Vec<(usize, NewTaxiiObject)>,
    failed: Vec<(usize, StatusDetail)>,
}

fn check_all(raws: &[&RawValue]) -> Result<Checked, TaxiiError> {
    let mut ok = Vec::with_capacity(raws.len());
    let mut failed = Vec::new();
    for (i, raw) in raws.iter().enumerate() {
        match check_object(raw) {
            Ok(o) => ok.push((i, o)),
            Err(refused) => match refused.id {
                Some(id) => failed.push((
                    i,
                    StatusDetail {
                        id,
                        version: None,
                        message: Some(refused.message),
                    },
                )),
                // Nothing to name it by in a Status: the whole envelope is refused.
                None => {
                    return Err(TaxiiError::bad_param(
                        &format!("objects[{i}]"),
                        refused.message,
                    ));
                }
            },
        }
    }
    Ok(Checked { valid: ok, failed })
}

pub(crate) async fn add(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, TaxiiError> {
    let (c, access) = find(&state, &caller, &path(id)?).await?;
    access.write(&caller, &c)?;
    if !content_is_taxii(&headers) {
        return Err(unsupported_content());
    }
    let bytes = read_body(&headers, body).await?;
    let envelope: Envelope = serde_json::from_slice(&bytes).map_err(|e| {
        TaxiiError::bad_param(
            "body",
            format!("not a TAXII envelope ({{\"objects\": […]}}): {e}"),
        )
    })?;
    if envelope.objects.len() > MAX_ENVELOPE_OBJECTS {
        return Err(TaxiiError::new(
            ApiError::PayloadTooLarge,
            format!("at most {MAX_ENVELOPE_OBJECTS} objects per envelope"),
        ));
    }
    let Checked { valid, mut failed } = check_all(&envelope.objects)?;
    let now = (state.clock)();
    let mut write = state.store.taxii_write(&c.id, now).await?;
    let (positions, objects): (Vec<usize>, Vec<NewTaxiiObject>) = valid.into_iter().unzip();
    let outcomes = write.add(&objects).await?;
    let mut succeeded = Vec::with_capacity(outcomes.len());
    for ((i, o), outcome) in positions.into_iter().zip(objects).zip(outcomes) {
        let (version, message, ok) = match outcome {
            AddOutcome::Added { version } => (version, None, true),
            AddOutcome::Unchanged { version } => (
                version,
                Some("already held, identical: nothing changed"),
                true,
            ),
            AddOutcome::Clash { version } => (
                version,
                Some("another object with this id and version is held; it was kept"),
                false,
            ),
        };
        let detail = StatusDetail {
            id: o.id,
            version: Some(version),
            message: message.map(str::to_owned),
        };
        if ok {
            succeeded.push((i, detail));
        } else {
            failed.push((i, detail));
        }
    }
    // Details in envelope order.
    succeeded.sort_by_key(|(i, _)| *i);
    failed.sort_by_key(|(i, _)| *i);
    let status = StatusResource::complete(
        status_id(&state),
        taxii_date_added(now),
        succeeded.into_iter().map(|(_, d)| d).collect(),
        failed.into_iter().map(|(_, d)| d).collect(),
    );
    let doc = serde_json::to_string(&status).map_err(ApiError::internal)?;
    write
        .put_status(&status.id, &caller.name, now, &doc)
        .await?;
    write.commit().await?;
    tracing::debug!(
        collection = %c.id,
        added = status.success_count,
        failed = status.failure_count,
        user = %caller.name,
        "TAXII objects added"
    );
    Ok(answer(StatusCode::ACCEPTED, doc, None))
}
