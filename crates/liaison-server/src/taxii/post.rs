//! `POST {api-root}/collections/{id}/objects/`: add the objects of an envelope, answered 202
//! with a Status resource that is already `complete` (processing is synchronous).
//!
//! Checks, in order: a role that writes (403), `Content-Type` (415), size against
//! `max_content_length` (413, from `Content-Length` before reading and while reading), the
//! envelope's shape (400: not JSON, or an element that is not an object with an id: nothing is
//! stored), then, inside the write's transaction, the collection (404 if it does not exist or
//! may not be seen, 403 if it is read-only). Looking the collection up there saves a database
//! round trip, and the transaction starts, as a task of its own, while the objects are checked
//! (`validate`; the larger envelopes on two threads): both measured faster. Started inside the
//! handler's own future instead, the transaction waited for the checks to finish before its
//! second statement could go. A bad object is a failure in the Status,
//! the others are stored. An exact duplicate (same id, version and content) is a success that
//! changes nothing; the same id and version with other content is a failure, and the stored
//! object stays. Objects, their `date_added` and the Status are written in one transaction.

use axum::body::Body;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::header::CONTENT_LENGTH;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use liaison_store::{AddOutcome, NewTaxiiObject, StoreError, taxii_date_added};
use serde::Deserialize;
use serde_json::value::RawValue;
use sha2::{Digest, Sha256};

use super::collections::{access, path, writer};
use super::error::TaxiiError;
use super::media::{answer, content_is_taxii, unsupported_content};
use super::status::{StatusDetail, StatusResource};
use super::validate::check_text;
use super::{MAX_CONTENT_BYTES, MAX_ENVELOPE_OBJECTS};
use crate::auth::Caller;
use crate::{ApiError, AppState};

/// Envelopes of at least this many objects are checked on two threads.
const PARALLEL_CHECK_OBJECTS: usize = 32;

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

/// Checks `texts`, the objects of the envelope from index `offset` on.
fn check_range<'a>(
    texts: impl ExactSizeIterator<Item = &'a str>,
    offset: usize,
) -> Result<Checked, TaxiiError> {
    let mut ok = Vec::with_capacity(texts.len());
    let mut failed = Vec::new();
    for (i, text) in (offset..).zip(texts) {
        match check_text(text) {
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

/// Where the text of `raw`, parsed from `bytes`, lies in them.
fn span(bytes: &[u8], raw: &RawValue) -> Option<std::ops::Range<usize>> {
    let start = (raw.get().as_ptr() as usize).checked_sub(bytes.as_ptr() as usize)?;
    let range = start..start.checked_add(raw.get().len())?;
    (range.end <= bytes.len()).then_some(range)
}

/// Checks every object of the envelope in `bytes` (parsed as `raws`). A large envelope is
/// checked on two threads: its second half on a blocking thread, which is handed where those
/// objects lie in `bytes` (no second parse of the envelope), the first half here.
async fn check_envelope(
    bytes: &axum::body::Bytes,
    raws: &[&RawValue],
) -> Result<Checked, TaxiiError> {
    let half = raws.len() / 2;
    if raws.len() < PARALLEL_CHECK_OBJECTS {
        return check_range(raws.iter().map(|r| r.get()), 0);
    }
    let spans = raws
        .get(half..)
        .unwrap_or_default()
        .iter()
        .map(|r| span(bytes, r))
        .collect::<Option<Vec<_>>>()
        .ok_or_else(|| ApiError::internal("an object outside the body it was parsed from"))?;
    let owned = bytes.clone();
    let second = tokio::task::spawn_blocking(move || {
        // The body was read as UTF-8 already (objects are `str`); this only re-asserts it.
        let texts = spans
            .into_iter()
            .map(|r| owned.get(r).and_then(|b| std::str::from_utf8(b).ok()))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| ApiError::internal("an object that is not UTF-8 text"))?;
        check_range(texts.into_iter(), half)
    });
    let first = check_range(
        raws.get(..half).unwrap_or_default().iter().map(|r| r.get()),
        0,
    );
    let second = second.await.map_err(ApiError::internal)?;
    let (mut first, second) = (first?, second?);
    first.valid.extend(second.valid);
    first.failed.extend(second.failed);
    Ok(first)
}

pub(crate) async fn add(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, TaxiiError> {
    let collection = path(id)?;
    writer(&caller)?;
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
    // The checks run while the write starts (and waits for the collection's lock): the
    // database's round trips overlap the checking. A refused envelope drops the write unused.
    let now = (state.clock)();
    let store = state.store.clone();
    let name = collection.clone();
    let write = tokio::spawn(async move { store.taxii_write(&name, now).await });
    let checked = check_envelope(&bytes, &envelope.objects).await;
    let write = write.await.map_err(ApiError::internal)?;
    let mut write = match write {
        Ok(w) => w,
        Err(StoreError::NotFound) => return Err(TaxiiError::not_found()),
        Err(e) => return Err(e.into()),
    };
    let c = write.collection().clone();
    access(&caller, &c)?.write(&caller)?;
    let Checked { valid, mut failed } = checked?;
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
