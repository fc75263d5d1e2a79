//! The ledger on the federation listener, for registered peers only (every request signed, as
//! the TAXII roots are): the latest checkpoint with its cosignatures, proofs, entries (those that
//! name the peer in full, hashes for the rest), and the two things peers send back: their
//! cosignature of our checkpoint, and their signed receipts for what we disclosed to them.

use axum::Json;
use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use liaison_ledger::SignedReceipt;
use liaison_store::{Cosignature, ReceiptRow, StoreError};
use liaison_sync::ledger_wire::{
    CHECKPOINT_PATH, CONSISTENCY_PATH, CosignatureUpload, ENTRIES_PATH, INCLUSION_PATH,
    MAX_RECEIPTS_PER_POST, log_origin, witness_name,
};
use serde_json::json;

use crate::federation::{FederationState, Refusal, guarded, query_param};
use crate::ledger::{Reader, checkpoint_note, note_response};

fn store_refusal(e: StoreError) -> Refusal {
    match e {
        StoreError::Invalid { field, message } => {
            Refusal::bad_request(format!("{field}: {message}"))
        }
        other => Refusal::internal(other),
    }
}

fn number(query: &str, name: &str) -> Result<u64, Refusal> {
    query_param(query, name)
        .ok_or_else(|| Refusal::bad_request(format!("{name} is required")))?
        .parse()
        .map_err(|_| Refusal::bad_request(format!("{name} must be a non-negative integer")))
}

/// Every read of the ledger (checkpoint, proofs, entries): one signature check, then the view
/// the path names.
pub async fn read(
    State(state): State<FederationState>,
    RawQuery(query): RawQuery,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let st = state.clone();
    let path = uri.path().to_owned();
    guarded(
        &state,
        method,
        uri,
        headers,
        Bytes::new(),
        |peer, _| async move {
            let q = query.unwrap_or_default();
            let store = &st.store;
            Ok(match path.as_str() {
                CHECKPOINT_PATH => {
                    note_response(checkpoint_note(store).await.map_err(store_refusal)?)
                }
                INCLUSION_PATH => {
                    let (index, size) = (number(&q, "index")?, number(&q, "size")?);
                    let proof = crate::ledger::inclusion(store, index, size).await;
                    Json(proof.map_err(store_refusal)?).into_response()
                }
                CONSISTENCY_PATH => {
                    let (from, to) = (number(&q, "from")?, number(&q, "to")?);
                    let proof = crate::ledger::consistency(store, from, to).await;
                    Json(proof.map_err(store_refusal)?).into_response()
                }
                ENTRIES_PATH => {
                    let reader = Reader::Peer {
                        member: peer.to_string(),
                        only_mine: query_param(&q, "only") == Some("mine"),
                    };
                    let (start, end) = (number(&q, "start")?, number(&q, "end")?);
                    let page = crate::ledger::entries(store, start, end, &reader).await;
                    Json(page.map_err(store_refusal)?).into_response()
                }
                other => return Err(Refusal::not_found(format!("no ledger route {other}"))),
            })
        },
    )
    .await
}

/// A peer, as witness, returns its cosignature of one of our checkpoints.
pub async fn cosignature(
    State(state): State<FederationState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let st = state.clone();
    let raw = body.clone();
    guarded(
        &state,
        method,
        uri,
        headers,
        body,
        |peer, compiled| async move {
            let upload: CosignatureUpload = serde_json::from_slice(&raw)
                .map_err(|e| Refusal::bad_request(format!("cosignature: {e}")))?;
            let key = compiled
                .peers
                .get(&peer)
                .ok_or_else(|| Refusal::unauthorized("no key for the peer"))?;
            let note = st
                .store
                .checkpoints()
                .await
                .map_err(store_refusal)?
                .into_iter()
                .find(|c| c.size == upload.size)
                .ok_or_else(|| {
                    Refusal::not_found(format!("no checkpoint of size {}", upload.size))
                })?
                .note;
            let cp = liaison_ledger::open_checkpoint(
                &note,
                &log_origin(&st.own),
                st.key.public().as_bytes(),
            )
            .map_err(Refusal::internal)?;
            let time = liaison_ledger::verify_cosignature(
                &cp,
                &upload.line,
                &witness_name(&peer),
                key.as_bytes(),
            )
            .map_err(|e| Refusal::bad_request(format!("cosignature: {e}")))?;
            let received_at = liaison_store::ts_of((st.clock)()).map_err(store_refusal)?;
            st.store
                .put_cosignature(&Cosignature {
                    size: upload.size,
                    witness: peer.to_string(),
                    line: upload.line.trim_end().to_owned(),
                    cosigned_at: time,
                    received_at,
                })
                .await
                .map_err(store_refusal)?;
            Ok((StatusCode::ACCEPTED, Json(json!({"size": upload.size}))).into_response())
        },
    )
    .await
}

/// A recipient returns signed receipts for what it received from us.
pub async fn receipts(
    State(state): State<FederationState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let st = state.clone();
    let raw = body.clone();
    guarded(
        &state,
        method,
        uri,
        headers,
        body,
        |peer, compiled| async move {
            let list: Vec<SignedReceipt> = serde_json::from_slice(&raw)
                .map_err(|e| Refusal::bad_request(format!("receipts: {e}")))?;
            if list.len() > MAX_RECEIPTS_PER_POST {
                return Err(Refusal::bad_request(format!(
                    "receipts: at most {MAX_RECEIPTS_PER_POST} per request"
                )));
            }
            let key = compiled
                .peers
                .get(&peer)
                .ok_or_else(|| Refusal::unauthorized("no key for the peer"))?;
            let at = liaison_store::ts_of((st.clock)()).map_err(store_refusal)?;
            // Every receipt is checked before any is kept: one bad receipt refuses the request.
            for (i, r) in list.iter().enumerate() {
                r.verify(key.as_bytes())
                    .map_err(|e| Refusal::bad_request(format!("receipts[{i}]: {e}")))?;
                if r.receipt.recipient != peer.as_str() || r.receipt.originator != st.own.as_str() {
                    return Err(Refusal::bad_request(format!(
                        "receipts[{i}]: not a receipt from {peer} to {}",
                        st.own
                    )));
                }
                if r.receipt.items.is_empty() {
                    return Err(Refusal::bad_request(format!("receipts[{i}]: no items")));
                }
            }
            let mut accepted = 0;
            for r in &list {
                let first = r.receipt.items.iter().map(|i| i.index).min().unwrap_or(0);
                let doc = serde_json::to_string(r).map_err(Refusal::internal)?;
                if st
                    .store
                    .put_receipt_received(&ReceiptRow {
                        direction: "received".into(),
                        peer: peer.to_string(),
                        sha256: r.sha256_hex(),
                        doc,
                        first_index: first,
                        count: r.receipt.items.len() as u64,
                        at: at.clone(),
                        delivered_at: None,
                    })
                    .await
                    .map_err(store_refusal)?
                {
                    accepted += 1;
                }
            }
            Ok((StatusCode::ACCEPTED, Json(json!({"accepted": accepted}))).into_response())
        },
    )
    .await
}
