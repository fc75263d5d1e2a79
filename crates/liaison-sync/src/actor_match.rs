//! Asking a partner "do you hold this actor?" without sending the name, and fetching the record
//! its agreements release: the paths, the bodies, and the asking side.
//!
//! The query carries only blocked keys blinded under the secret the two nodes share
//! (`liaison_names::blind`, `NodeKey::pair_secret` with [`PURPOSE`]); the answer, handles and
//! key counts. Both requests are signed like every federation request; the partner answers only
//! a member one of its agreements in force names, and a refusal is the listener's one 404.

use liaison_core::CountryCode;
use liaison_names::blind::BlindMatch;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

use crate::client::{Node, SyncError, SyncOptions, Transport};

/// The purpose the pair secret is derived for.
pub const PURPOSE: &str = "actor matching";
/// Where a peer asks.
pub const MATCH_PATH: &str = "/liaison/v1/actors/match";
/// Where a peer fetches the record of a handle.
pub const FETCH_PATH: &str = "/liaison/v1/actors/fetch";
/// Most answers one query gets.
pub const MAX_ANSWERS: usize = 10;

/// A query: blinded keys, optionally only actors of one kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatchQuery {
    pub keys: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// The answer: the partner's actors sharing enough keys, by handle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MatchAnswer {
    pub matches: Vec<BlindMatch>,
}

/// A request for the record behind a handle.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchQuery {
    pub handle: String,
}

/// The record a partner releases: what its agreements already let it send in incidents.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReleasedActor {
    pub handle: String,
    pub id: String,
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Incidents released to the asker that name the actor (ids on the partner's node).
    pub incidents: Vec<String>,
}

impl Node<'_> {
    async fn post_json<T: Transport, B: Serialize, R: for<'de> Deserialize<'de>>(
        &self,
        peer: &CountryCode,
        transport: &T,
        path: &str,
        body: &B,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<R, SyncError> {
        let fail = |message: String| SyncError::Transport {
            peer: peer.to_string(),
            message,
        };
        let bytes = serde_json::to_vec(body).map_err(|e| fail(e.to_string()))?;
        let r = self
            .send_retrying(peer, transport, opts, || {
                self.sign(
                    "POST",
                    path.to_owned(),
                    String::new(),
                    bytes.clone(),
                    clock(),
                )
            })
            .await?;
        // The transport has already undone any compression.
        serde_json::from_slice(&r.body).map_err(|e| fail(format!("answer: {e}")))
    }

    /// Asks `peer` whether it holds `name`: the name is blinded here and never sent.
    // The peer, its key, the transport and the query, plus the options and clock every request
    // of this type takes: grouping them would only move the list into a struct used once.
    #[allow(clippy::too_many_arguments)]
    pub async fn ask_actor<T: Transport>(
        &self,
        peer: &CountryCode,
        peer_key: &liaison_policy::NodePublicKey,
        transport: &T,
        name: &str,
        kind: Option<&str>,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<MatchAnswer, SyncError> {
        let secret = self.key.pair_secret(self.own, peer, peer_key, PURPOSE);
        let query = MatchQuery {
            keys: liaison_names::blind::blind_query(&secret, name),
            kind: kind.map(str::to_owned),
        };
        self.post_json(peer, transport, MATCH_PATH, &query, opts, clock)
            .await
    }

    /// Asks `peer` for the record behind `handle`; a 404 when its agreements do not release it.
    pub async fn fetch_actor<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        handle: &str,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<ReleasedActor, SyncError> {
        let query = FetchQuery {
            handle: handle.to_owned(),
        };
        self.post_json(peer, transport, FETCH_PATH, &query, opts, clock)
            .await
    }
}
