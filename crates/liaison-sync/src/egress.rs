//! One page of what a peer may receive (DESIGN data flow "egress"):
//! outbox since the peer's cursor → decision for that peer → transformation → seal →
//! disclosure recorded (durable before anything is returned) → the page.
//!
//! Only `liaison_policy::Release` values come out of here: our own incidents through
//! `liaison_policy::release` (and `recall` for peers that had received a recalled one), other
//! originators' incidents through `liaison_policy::relay`, which passes them on unchanged only
//! when their originator's signed terms name this peer. A denied object leaves no trace in the
//! answer: the cursor moves past it as past anything else.

use std::collections::HashMap;

use liaison_core::{CountryCode, Incident};
use liaison_policy::{NodeKey, NodePublicKey, Policy, Release, ReleaseError};
use liaison_stix::IncidentRecord;
use liaison_store::{Disclosure, OutboxRow, Store, StoreError};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::cursor::{BadCursor, CursorKey, epoch};

/// Most objects one page may hold, whatever the peer asks.
pub const MAX_PAGE_OBJECTS: usize = 1_000;
/// Objects per page when the peer does not say.
pub const DEFAULT_PAGE_OBJECTS: usize = 200;
/// Most outbox rows examined for one page: bounds the work a request can cause when little of
/// the outbox is releasable to the asker.
pub const MAX_SCANNED_ROWS: usize = 20_000;
/// Outbox rows read per store query.
const SCAN_CHUNK_ROWS: i64 = 500;

/// Why a page could not be made.
#[derive(Debug, thiserror::Error)]
pub enum EgressError {
    #[error(transparent)]
    Cursor(#[from] BadCursor),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("timestamp: {0}")]
    Time(String),
}

/// Registered keys of the members this node knows (its peers and itself), to check the seals
/// of objects it relays or receives.
#[derive(Debug, Clone, Default)]
pub struct Keyring(HashMap<CountryCode, NodePublicKey>);

impl Keyring {
    pub fn new(keys: impl IntoIterator<Item = (CountryCode, NodePublicKey)>) -> Self {
        Self(keys.into_iter().collect())
    }

    /// The key of `member` whose fingerprint is `fingerprint`.
    pub fn key_of(&self, member: &CountryCode, fingerprint: &str) -> Option<NodePublicKey> {
        self.0
            .get(member)
            .filter(|k| k.fingerprint() == fingerprint)
            .copied()
    }

    pub fn get(&self, member: &CountryCode) -> Option<NodePublicKey> {
        self.0.get(member).copied()
    }
}

/// What egress needs of the node.
pub struct Egress<'a> {
    pub store: &'a Store,
    pub own: &'a CountryCode,
    pub key: &'a NodeKey,
    pub cursor_key: &'a CursorKey,
    pub policy: &'a Policy,
    pub keyring: &'a Keyring,
}

/// One page for one peer.
#[derive(Debug)]
pub struct EgressPage {
    pub releases: Vec<Release>,
    /// The token for the next request.
    pub next: String,
    /// Whether the outbox holds more after this page.
    pub more: bool,
    /// Outbox rows after this page not yet examined for this peer.
    pub backlog: i64,
}

fn parse_time(s: &str) -> Result<OffsetDateTime, EgressError> {
    OffsetDateTime::parse(s, &Rfc3339).map_err(|e| EgressError::Time(e.to_string()))
}

/// The SHA-256 of an object's canonical bytes, as disclosures and receipts name it.
pub fn object_sha256(object: &serde_json::Value) -> String {
    hex::encode(Sha256::digest(liaison_policy::canonical::to_vec(object)))
}

impl Egress<'_> {
    /// The page after `token` for `peer` (`limit` objects at most), with its disclosures
    /// recorded before it is returned.
    pub async fn page(
        &self,
        peer: &CountryCode,
        token: Option<&str>,
        limit: usize,
        now: OffsetDateTime,
    ) -> Result<EgressPage, EgressError> {
        let page = self.scan(peer, token, limit, now).await?;
        self.disclose(peer, &page.releases, now).await?;
        Ok(page)
    }

    /// The release of one incident for `peer` now, out of the outbox's order (a flash item that
    /// must not wait behind a backlog), its disclosure recorded; `None` when the policy denies.
    /// The peer's next pull sends it again, and it changes nothing there.
    pub async fn release_now(
        &self,
        peer: &CountryCode,
        id: &liaison_core::IncidentId,
        now: OffsetDateTime,
    ) -> Result<Option<Release>, EgressError> {
        let row = self.store.outbox_row(id).await?;
        let r = self.decide(peer, &row, now.date()).await?;
        if let Some(r) = &r {
            self.disclose(peer, std::slice::from_ref(r), now).await?;
        }
        Ok(r)
    }

    /// Everything `peer` would receive if it pulled now from the beginning, made by the same
    /// code as [`Egress::page`] but recording no disclosure: nothing leaves.
    pub async fn preview(
        &self,
        peer: &CountryCode,
        now: OffsetDateTime,
    ) -> Result<Vec<Release>, EgressError> {
        let mut all = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let page = self
                .scan(peer, token.as_deref(), MAX_PAGE_OBJECTS, now)
                .await?;
            all.extend(page.releases);
            if !page.more {
                return Ok(all);
            }
            token = Some(page.next);
        }
    }

    async fn scan(
        &self,
        peer: &CountryCode,
        token: Option<&str>,
        limit: usize,
        now: OffsetDateTime,
    ) -> Result<EgressPage, EgressError> {
        let limit = limit.clamp(1, MAX_PAGE_OBJECTS);
        let epoch = epoch(&self.policy.agreements_for(peer));
        let mut after = self.cursor_key.read(peer, &epoch, token)?;
        let today = now.date();
        let mut releases = Vec::new();
        let mut scanned = 0usize;
        let mut exhausted = false;
        'scan: while releases.len() < limit && scanned < MAX_SCANNED_ROWS {
            let rows = self.store.outbox_page(after, SCAN_CHUNK_ROWS).await?;
            if rows.is_empty() {
                exhausted = true;
                break;
            }
            for row in rows {
                scanned += 1;
                let seq = row.seq;
                if let Some(r) = self.decide(peer, &row, today).await? {
                    releases.push(r);
                }
                after = seq;
                if releases.len() >= limit || scanned >= MAX_SCANNED_ROWS {
                    break 'scan;
                }
            }
        }
        let head = self.store.outbox_head().await?;
        let backlog = if exhausted { 0 } else { (head - after).max(0) };
        Ok(EgressPage {
            next: self.cursor_key.issue(peer, &epoch, after),
            more: !exhausted && after < head,
            backlog,
            releases,
        })
    }

    /// The release of one outbox row for `peer`, if any.
    async fn decide(
        &self,
        peer: &CountryCode,
        row: &OutboxRow,
        today: time::Date,
    ) -> Result<Option<Release>, EgressError> {
        let inc: &Incident = &row.incident;
        if &inc.originator != self.own {
            return self.relay(peer, inc).await;
        }
        let created = parse_time(&row.created_at)?;
        let modified = parse_time(&row.recorded_at)?;
        if let Some(recall_version) = row.recalled_version {
            // A recall reveals nothing new, but only to those who had the incident.
            let had = self.store.disclosed_peers(inc.id.as_str()).await?;
            if !had.iter().any(|p| p == peer.as_str()) {
                return Ok(None);
            }
            let version = u32::try_from(recall_version).unwrap_or(inc.version);
            return match liaison_policy::recall(
                self.key, self.own, peer, &inc.id, version, created, modified,
            ) {
                Ok(r) => Ok(Some(r)),
                Err(e) => {
                    tracing::warn!(incident = %inc.id, "recall not sent: {e}");
                    Ok(None)
                }
            };
        }
        let record = IncidentRecord {
            incident: inc,
            created,
            modified,
        };
        match liaison_policy::release(self.policy, self.key, peer, &record, today) {
            Ok(r) => Ok(r),
            // An incident the obligations cannot degrade validly is held back, and said so in
            // the node's log (never to the peer).
            Err(ReleaseError::Invalid { incident, errors }) => {
                tracing::warn!(%incident, %peer, "held back: {errors}");
                Ok(None)
            }
            Err(e) => {
                tracing::warn!(incident = %inc.id, %peer, "held back: {e}");
                Ok(None)
            }
        }
    }

    /// Another originator's incident: passed on unchanged only if its signed terms allow.
    async fn relay(
        &self,
        peer: &CountryCode,
        inc: &Incident,
    ) -> Result<Option<Release>, EgressError> {
        if &inc.originator == peer {
            return Ok(None);
        }
        let Some(held) = self
            .store
            .received(inc.originator.as_str(), inc.id.as_str())
            .await?
        else {
            return Ok(None);
        };
        let Some(text) = held.object else {
            return Ok(None);
        };
        let Ok(value) = serde_json::from_str(&text) else {
            return Ok(None);
        };
        let Ok(checked) = liaison_policy::verify(value, |m, f| self.keyring.key_of(m, f)) else {
            tracing::warn!(incident = %inc.id, "a held object no longer verifies: not relayed");
            return Ok(None);
        };
        Ok(liaison_policy::relay(peer, &checked))
    }

    /// Write-ahead disclosure: every object of the page is recorded before the page leaves.
    async fn disclose(
        &self,
        peer: &CountryCode,
        releases: &[Release],
        now: OffsetDateTime,
    ) -> Result<(), EgressError> {
        if releases.is_empty() {
            return Ok(());
        }
        let at = now
            .format(&Rfc3339)
            .map_err(|e| EgressError::Time(e.to_string()))?;
        let list: Vec<Disclosure> = releases
            .iter()
            .map(|r| {
                let object = r.sealed().object();
                let originator = object
                    .get("extensions")
                    .and_then(|e| e.get(liaison_stix::EXTENSION_ID))
                    .and_then(|x| x.get("originator"))
                    .and_then(|o| o.as_str())
                    .unwrap_or_default()
                    .to_owned();
                let kind = if object.get("revoked").and_then(|v| v.as_bool()) == Some(true) {
                    "recall"
                } else if originator != self.own.as_str() {
                    "relay"
                } else {
                    "release"
                };
                Disclosure {
                    peer: peer.to_string(),
                    incident_id: r.incident_id().to_string(),
                    originator,
                    version: i64::from(r.version()),
                    kind: kind.to_owned(),
                    agreement: r.agreement().map(|(a, _)| a.to_string()),
                    agreement_version: r.agreement().map(|(_, v)| i64::from(v)),
                    applied: serde_json::to_string(r.applied()).unwrap_or_else(|_| "[]".into()),
                    object_sha256: object_sha256(object),
                    at: at.clone(),
                }
            })
            .collect();
        self.store.record_disclosures(&list).await?;
        Ok(())
    }
}
