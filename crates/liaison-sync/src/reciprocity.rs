//! Reading a partner's reciprocity figures: what it says it shared with each member, received
//! from each, and how fast each answered its flash alerts. Every node serves its own table to
//! every registered peer (a signed GET on the federation listener), so each member can set the
//! figures its partners publish beside its own: the brief's mistrust made measurable, by all.

use liaison_core::CountryCode;
use time::OffsetDateTime;

use crate::client::{Node, SyncError, SyncOptions, Transport};

/// Where a node serves its reciprocity figures to its peers.
pub const RECIPROCITY_PATH: &str = "/liaison/v1/reciprocity";

impl Node<'_> {
    /// `peer`'s reciprocity table as it publishes it (one JSON object per member).
    pub async fn fetch_reciprocity<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<Vec<serde_json::Value>, SyncError> {
        let r = self
            .send_retrying(peer, transport, opts, || {
                self.sign(
                    "GET",
                    RECIPROCITY_PATH.to_owned(),
                    String::new(),
                    Vec::new(),
                    clock(),
                )
            })
            .await?;
        serde_json::from_slice(&r.body).map_err(|e| SyncError::Transport {
            peer: peer.to_string(),
            message: format!("reciprocity: {e}"),
        })
    }
}
