//! Auditing the receipts a peer returned: for each receipt it signed for what we disclosed, fetch
//! the peer's latest checkpoint (signed by its key), the "received" entries the receipt names and
//! an inclusion proof of each in that checkpoint, and check that every item is logged on its side
//! exactly as the receipt says — received from us, same incident, version and object hash — and
//! that we hold a disclosure of that object to that peer.
//!
//! A receipt that verifies proves the peer cannot later deny, without its own log contradicting
//! its checkpoints, that it received what it received.

use liaison_core::CountryCode;
use liaison_ledger::{Entry, Event, SignedReceipt};
use time::OffsetDateTime;

use crate::client::{Node, SyncError, SyncOptions, Transport};
use crate::ledger_wire::{
    CHECKPOINT_PATH, ENTRIES_PATH, EntriesPage, INCLUSION_PATH, InclusionProof, log_origin, unb64,
};

/// The audit of one receipt.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReceiptCheck {
    pub receipt_sha256: String,
    pub items: u64,
    /// Items whose entry and inclusion proof verified.
    pub verified: u64,
    /// What did not verify, one line per item or per receipt.
    pub problems: Vec<String>,
}

/// The audit of every receipt from one peer.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReceiptAudit {
    pub peer: String,
    /// The size of the peer's checkpoint the proofs were checked against.
    pub checkpoint_size: u64,
    pub receipts: Vec<ReceiptCheck>,
}

impl ReceiptAudit {
    pub fn problems(&self) -> usize {
        self.receipts.iter().map(|r| r.problems.len()).sum()
    }
}

impl Node<'_> {
    /// Verifies every receipt `peer` returned to us (see the module's doc).
    pub async fn audit_receipts<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<ReceiptAudit, SyncError> {
        let refused = |message: String| SyncError::Transport {
            peer: peer.to_string(),
            message,
        };
        let key = self
            .keyring
            .get(peer)
            .ok_or_else(|| refused("not a registered peer".into()))?;
        let get = |path: &'static str, query: String| {
            self.send_retrying(peer, transport, opts, move || {
                self.sign("GET", path.to_owned(), query.clone(), Vec::new(), clock())
            })
        };
        let note = get(CHECKPOINT_PATH, String::new()).await?;
        let cp = liaison_ledger::open_checkpoint(
            &String::from_utf8_lossy(&note.body),
            &log_origin(peer),
            key.as_bytes(),
        )
        .map_err(|e| refused(format!("its checkpoint does not verify: {e}")))?;
        let mut audit = ReceiptAudit {
            peer: peer.to_string(),
            checkpoint_size: cp.size,
            receipts: Vec::new(),
        };
        for row in self.store.receipts("received", Some(peer.as_str())).await? {
            let mut check = ReceiptCheck {
                receipt_sha256: row.sha256.clone(),
                items: row.count,
                ..Default::default()
            };
            let signed: SignedReceipt = match serde_json::from_str(&row.doc) {
                Ok(s) => s,
                Err(e) => {
                    check
                        .problems
                        .push(format!("stored receipt is unreadable: {e}"));
                    audit.receipts.push(check);
                    continue;
                }
            };
            if let Err(e) = signed.verify(key.as_bytes()) {
                check.problems.push(format!("signature: {e}"));
            }
            for item in &signed.receipt.items {
                match self.check_item(peer, &get, &cp, item).await? {
                    Ok(()) => check.verified += 1,
                    Err(p) => check.problems.push(format!("item {}: {p}", item.index)),
                }
            }
            audit.receipts.push(check);
        }
        Ok(audit)
    }

    async fn check_item<F, Fut>(
        &self,
        peer: &CountryCode,
        get: &F,
        cp: &liaison_ledger::Checkpoint,
        item: &liaison_ledger::ReceiptItem,
    ) -> Result<Result<(), String>, SyncError>
    where
        F: Fn(&'static str, String) -> Fut,
        Fut: std::future::Future<Output = Result<crate::client::WireResponse, SyncError>>,
    {
        if item.index >= cp.size {
            return Ok(Err(format!(
                "index beyond the peer's checkpoint (size {})",
                cp.size
            )));
        }
        let page = get(
            ENTRIES_PATH,
            format!("?start={}&end={}", item.index, item.index + 1),
        )
        .await?;
        let page: EntriesPage = match serde_json::from_slice(&page.body) {
            Ok(p) => p,
            Err(e) => return Ok(Err(format!("entries answer unreadable: {e}"))),
        };
        let Some(text) = page
            .entries
            .into_iter()
            .find(|e| e.index == item.index)
            .and_then(|e| e.entry)
        else {
            return Ok(Err("the peer does not show us this entry".into()));
        };
        let entry = match Entry::decode(text.as_bytes()) {
            Ok(e) => e,
            Err(e) => return Ok(Err(format!("entry unreadable: {e}"))),
        };
        match &entry.event {
            Event::Received {
                from_peer,
                originator,
                incident_id,
                version,
                object_sha256,
            } if from_peer == self.own.as_str()
                && originator == &item.originator
                && incident_id == &item.incident_id
                && *version == item.version
                && object_sha256 == &item.object_sha256 => {}
            _ => {
                return Ok(Err(format!(
                    "the logged entry says something else: {}",
                    entry.summary()
                )));
            }
        }
        let proof = get(
            INCLUSION_PATH,
            format!("?index={}&size={}", item.index, cp.size),
        )
        .await?;
        let proof: InclusionProof = match serde_json::from_slice(&proof.body) {
            Ok(p) => p,
            Err(e) => return Ok(Err(format!("proof answer unreadable: {e}"))),
        };
        let hashes: Result<Vec<_>, String> = proof.proof.iter().map(|h| unb64(h)).collect();
        let verified = hashes.and_then(|h| {
            liaison_ledger::verify_inclusion(
                &liaison_ledger::leaf_hash(text.as_bytes()),
                item.index,
                cp.size,
                &h,
                &cp.root,
            )
            .map_err(|e| e.to_string())
        });
        if let Err(e) = verified {
            return Ok(Err(format!("inclusion proof: {e}")));
        }
        let disclosed = self
            .store
            .disclosures_of(&item.incident_id)
            .await?
            .iter()
            .any(|d| d.peer == peer.as_str() && d.object_sha256 == item.object_sha256);
        if !disclosed {
            return Ok(Err(
                "we hold no disclosure of that object to this peer".into()
            ));
        }
        Ok(Ok(()))
    }
}
