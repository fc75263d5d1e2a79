//! The federation as the node's own users see it: its peers and the state of the sync with each
//! (last attempt, last success, last error, failures in a row, received, backlog) and the alarms
//! raised against its ledger, so a failing or misbehaving peer is never silent. Read by every role; the peers' keys are public by nature.

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;

use crate::AppState;
use crate::error::{ApiError, ErrorBody};

/// One peer and the sync with it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeerStatus {
    #[schema(example = "DZA")]
    pub member: String,
    pub url: String,
    /// Base64url of the peer's Ed25519 key.
    pub public_key: String,
    #[schema(example = "SHA256:…")]
    pub fingerprint: String,
    pub added_at: String,
    pub removed_at: Option<String>,
    pub last_attempt: Option<String>,
    pub last_success: Option<String>,
    /// The last sync's error, until a sync succeeds.
    pub last_error: Option<String>,
    /// Failed syncs in a row.
    pub failures: i64,
    /// Objects received from this peer in all.
    pub received: i64,
    /// Objects the peer had not yet examined for us at the last sync.
    pub backlog: Option<i64>,
    /// Alarms raised against the peer's ledger (fork, rollback, altered entry…), and the latest
    /// as `kind: detail`. Never silent: an alarm stays until an operator resolves it.
    pub alarms: i64,
    pub last_alarm: Option<String>,
}

/// The node's peers and their sync status.
#[utoipa::path(
    get,
    path = "/api/v1/peers",
    tag = "federation",
    responses(
        (status = 200, description = "Peers, active first, by member", body = [PeerStatus]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn peers(State(state): State<AppState>) -> Result<Json<Vec<PeerStatus>>, ApiError> {
    let states = state.store.sync_states().await?;
    let alarms = state.store.alarm_summaries().await?;
    let out = state
        .store
        .peers()
        .await?
        .into_iter()
        .map(|p| {
            let s = states.iter().find(|s| s.peer == p.member);
            let a = alarms.iter().find(|a| a.peer == p.member);
            PeerStatus {
                alarms: a.map_or(0, |a| a.count),
                last_alarm: a.map(|a| format!("{}: {}", a.latest.kind, a.latest.detail)),
                last_attempt: s.and_then(|s| s.last_attempt.clone()),
                last_success: s.and_then(|s| s.last_success.clone()),
                last_error: s.and_then(|s| s.last_error.clone()),
                failures: s.map_or(0, |s| s.failures),
                received: s.map_or(0, |s| s.received),
                backlog: s.and_then(|s| s.backlog),
                member: p.member,
                url: p.url,
                public_key: p.public_key,
                fingerprint: p.fingerprint,
                added_at: p.added_at,
                removed_at: p.removed_at,
            }
        })
        .collect();
    Ok(Json(out))
}
