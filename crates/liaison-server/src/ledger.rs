//! The disclosure ledger over HTTP: the latest checkpoint with its cosignatures, inclusion and
//! consistency proofs, and pages of entries — for peers on the federation listener
//! (`fed_ledger`), and for the node's own auditors, liaison officers and admins under
//! `/api/v1/ledger/` (this module), with the alarms raised against peers' logs.
//!
//! What a reader sees of an entry depends on who reads: the node's own users see every entry in
//! full; a peer sees in full the entries that name it and only the leaf hash of the others, which
//! is enough to check the log's root but tells nothing of their content.

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine as _;
use liaison_store::{Role, Store, StoreError};
use liaison_sync::ledger_wire::{
    ConsistencyProof, EntriesPage, EntryView, InclusionProof, NOTE_MEDIA, b64,
};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::Caller;
use crate::error::{ApiError, ErrorBody};

/// Who reads the entries.
#[derive(Debug, Clone)]
pub enum Reader {
    /// The node's own user: everything in full.
    Local,
    /// A peer: its own entries in full, the rest as hashes (or left out with `only_mine`).
    Peer { member: String, only_mine: bool },
}

/// The latest checkpoint with the cosignature lines witnesses returned for it, as one note.
/// `None` while the log has no signed checkpoint.
pub async fn checkpoint_note(store: &Store) -> Result<Option<String>, StoreError> {
    let Some(cp) = store.latest_checkpoint().await? else {
        return Ok(None);
    };
    let lines: Vec<String> = store
        .cosignatures(Some(cp.size))
        .await?
        .into_iter()
        .map(|c| c.line)
        .collect();
    if lines.is_empty() {
        return Ok(Some(cp.note));
    }
    liaison_ledger::add_signature_lines(&cp.note, &lines)
        .map(Some)
        .map_err(|e| StoreError::Corrupt(format!("stored checkpoint: {e}")))
}

pub async fn inclusion(store: &Store, index: u64, size: u64) -> Result<InclusionProof, StoreError> {
    let proof = store.inclusion_proof(index, size).await?;
    Ok(InclusionProof {
        index,
        size,
        proof: proof.iter().map(b64).collect(),
    })
}

pub async fn consistency(
    store: &Store,
    from: u64,
    to: u64,
) -> Result<ConsistencyProof, StoreError> {
    let proof = store.consistency_proof(from, to).await?;
    Ok(ConsistencyProof {
        from,
        to,
        proof: proof.iter().map(b64).collect(),
    })
}

/// Entries `[start, end)` as `reader` may see them. `end` beyond the log is cut to its size.
pub async fn entries(
    store: &Store,
    start: u64,
    end: u64,
    reader: &Reader,
) -> Result<EntriesPage, StoreError> {
    let size = store.ledger_head().await?.size;
    let end = end.min(size);
    if start > end {
        return Err(StoreError::Invalid {
            field: "start".into(),
            message: format!("{start} is after end {end}"),
        });
    }
    let rows = match reader {
        Reader::Peer {
            member,
            only_mine: true,
        } => {
            store
                .ledger_entries_concerning(member, start, end, liaison_store::MAX_ENTRIES_PER_READ)
                .await?
        }
        _ => store.ledger_entries(start, end).await?,
    };
    let covered_to = match (reader, rows.last()) {
        (
            Reader::Peer {
                only_mine: true, ..
            },
            Some(last),
        ) if rows.len() as u64 == liaison_store::MAX_ENTRIES_PER_READ => last.index + 1,
        (
            Reader::Peer {
                only_mine: true, ..
            },
            _,
        ) => end,
        (_, _) => start + rows.len() as u64,
    };
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        let full = match reader {
            Reader::Local => true,
            Reader::Peer { member, .. } => r.concerns(member),
        };
        let view = if full {
            EntryView {
                index: r.index,
                entry: Some(r.entry),
                hash: None,
            }
        } else {
            let leaf = liaison_store::hex_to_hash(&r.leaf_hash)?;
            EntryView {
                index: r.index,
                entry: None,
                hash: Some(b64(&leaf)),
            }
        };
        out.push(view);
    }
    Ok(EntriesPage {
        start,
        end: covered_to,
        entries: out,
        next: (covered_to < end).then_some(covered_to),
    })
}

/// A checkpoint answered as the C2SP text it is; 404 while the log is empty.
pub fn note_response(note: Option<String>) -> Response {
    match note {
        Some(n) => ([(header::CONTENT_TYPE, NOTE_MEDIA)], n).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

fn require_reader(caller: &Caller) -> Result<(), ApiError> {
    match caller.role {
        Role::Auditor | Role::Admin | Role::Liaison => Ok(()),
        Role::Analyst => Err(ApiError::Forbidden {
            role: caller.role.as_str(),
        }),
    }
}

#[derive(Debug, Deserialize)]
pub struct InclusionQuery {
    pub index: u64,
    pub size: u64,
}

#[derive(Debug, Deserialize)]
pub struct ConsistencyQuery {
    pub from: u64,
    pub to: u64,
}

#[derive(Debug, Deserialize)]
pub struct EntriesQuery {
    pub start: u64,
    pub end: u64,
}

/// The latest signed checkpoint (a C2SP signed note) with the witnesses' cosignatures.
#[utoipa::path(
    get,
    path = "/api/v1/ledger/checkpoint",
    tag = "ledger",
    responses(
        (status = 200, description = "The note, as text", content_type = "text/plain"),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Analysts do not read the ledger", body = ErrorBody),
        (status = 404, description = "The log is empty"),
    )
)]
pub async fn api_checkpoint(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Response, ApiError> {
    require_reader(&caller)?;
    Ok(note_response(checkpoint_note(&state.store).await?))
}

/// An inclusion proof: `{"index","size","proof":[base64…]}`.
#[utoipa::path(
    get,
    path = "/api/v1/ledger/proof/inclusion",
    tag = "ledger",
    params(("index" = u64, Query, description = "Leaf index"), ("size" = u64, Query, description = "Tree size")),
    responses(
        (status = 200, description = "The proof", content_type = "application/json"),
        (status = 400, description = "Index or size out of range", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn api_inclusion(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<InclusionQuery>,
) -> Result<Json<InclusionProof>, ApiError> {
    require_reader(&caller)?;
    Ok(Json(inclusion(&state.store, q.index, q.size).await?))
}

/// A consistency proof: `{"from","to","proof":[base64…]}`.
#[utoipa::path(
    get,
    path = "/api/v1/ledger/proof/consistency",
    tag = "ledger",
    params(("from" = u64, Query, description = "Older size"), ("to" = u64, Query, description = "Newer size")),
    responses(
        (status = 200, description = "The proof", content_type = "application/json"),
        (status = 400, description = "Sizes out of range", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn api_consistency(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<ConsistencyQuery>,
) -> Result<Json<ConsistencyProof>, ApiError> {
    require_reader(&caller)?;
    Ok(Json(consistency(&state.store, q.from, q.to).await?))
}

/// Entries `[start, end)` in full (at most 10,000): `{"start","end","entries":[{"index","entry"}],"next"}`.
#[utoipa::path(
    get,
    path = "/api/v1/ledger/entries",
    tag = "ledger",
    params(("start" = u64, Query, description = "First index"), ("end" = u64, Query, description = "End (exclusive)")),
    responses(
        (status = 200, description = "A page of entries", content_type = "application/json"),
        (status = 400, description = "start after end", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn api_entries(
    State(state): State<AppState>,
    caller: Caller,
    Query(q): Query<EntriesQuery>,
) -> Result<Json<EntriesPage>, ApiError> {
    require_reader(&caller)?;
    Ok(Json(
        entries(&state.store, q.start, q.end, &Reader::Local).await?,
    ))
}

/// An alarm raised against a log (a peer's, or ours).
#[derive(Debug, Serialize)]
pub struct AlarmView {
    pub peer: String,
    pub kind: String,
    pub detail: String,
    pub at: String,
}

/// The ledger's state for the node's users: head, latest checkpoint, its cosignatures, alarms.
#[derive(Debug, Serialize)]
pub struct LedgerStatus {
    pub size: u64,
    pub root: String,
    pub checkpoint_size: Option<u64>,
    pub cosigned_by: Vec<String>,
    pub alarms: Vec<AlarmView>,
}

/// The ledger's head, latest checkpoint, its witnesses, and the alarms raised.
#[utoipa::path(
    get,
    path = "/api/v1/ledger",
    tag = "ledger",
    responses(
        (status = 200, description = "The ledger's state", content_type = "application/json"),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Analysts do not read the ledger", body = ErrorBody),
    )
)]
pub async fn api_status(
    State(state): State<AppState>,
    caller: Caller,
) -> Result<Json<LedgerStatus>, ApiError> {
    require_reader(&caller)?;
    let head = state.store.ledger_head().await?;
    let cp = state.store.latest_checkpoint().await?;
    let cosigned_by = match &cp {
        Some(cp) => state
            .store
            .cosignatures(Some(cp.size))
            .await?
            .into_iter()
            .map(|c| c.witness)
            .collect(),
        None => Vec::new(),
    };
    let alarms = state
        .store
        .alarms(None, 100)
        .await?
        .into_iter()
        .map(|a| AlarmView {
            peer: a.peer,
            kind: a.kind,
            detail: a.detail,
            at: a.at,
        })
        .collect();
    Ok(Json(LedgerStatus {
        size: head.size,
        root: base64::engine::general_purpose::STANDARD.encode(head.root),
        checkpoint_size: cp.map(|c| c.size),
        cosigned_by,
        alarms,
    }))
}
