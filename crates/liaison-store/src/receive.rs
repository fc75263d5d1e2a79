//! One page received from a peer, stored in one transaction: the incidents (new, newer
//! versions, recalls hidden), the attestations, the page's ledger entries and the signed receipt
//! the peer gets back, and the peer's new cursor — all or nothing.

use liaison_core::Incident;
use liaison_ledger::{Entry, Event};
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use crate::federation::AttestationRow;
use crate::incidents::ts;
use crate::incidents::{Prepared, insert_new, replace_current};
use crate::ledger;
use crate::sql::{Arg, Sql};
use crate::{Backend, Store, StoreError};
use time::OffsetDateTime;

/// What storing one received object did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// A new incident, or a newer version of one held.
    Stored,
    /// The same version was held already: nothing changed (a repeated page).
    Unchanged,
    /// An older version than the one held (a replay or reordering): refused, nothing changed.
    Stale { held: i64 },
    /// An incident of another originator holds that id on this node: refused.
    IdTaken,
}

/// An incident received from its originator, with the signed object as it came.
#[derive(Debug, Clone)]
pub struct ReceivedIncident {
    pub incident: Incident,
    pub object: String,
    pub object_sha256: String,
}

/// Ids per `IN (…)` list: well under both engines' limits on bound parameters.
const IN_LIST_MAX: usize = 500;
/// Rows per multi-row insert into `received` (7 parameters each).
const RECEIVED_ROWS_PER_STATEMENT: usize = 500;

fn push_ids(q: &mut Sql, chunk: &[ReceivedIncident]) {
    for (i, item) in chunk.iter().enumerate() {
        if i > 0 {
            q.push(", ");
        }
        q.bind(Arg::Text(item.incident.id.to_string()));
    }
    q.push(")");
}

/// One page of a pull, in one transaction (see [`Store::begin_receive`]).
pub struct ReceiveSession {
    pub(crate) tx: Transaction<'static, Any>,
    backend: Backend,
    peer: String,
    at: String,
    stored: i64,
    /// "received" entries of this page, logged (and receipted) at commit.
    received: Vec<Entry>,
    /// Other entries of this page (attestations received).
    other: Vec<Entry>,
    signer: Option<std::sync::Arc<ledger::LedgerSigner>>,
}

impl ReceiveSession {
    fn log_received(&mut self, originator: &str, id: &str, version: i64, object_sha256: &str) {
        self.received.push(Entry {
            at: self.at.clone(),
            event: Event::Received {
                from_peer: self.peer.clone(),
                originator: originator.to_owned(),
                incident_id: id.to_owned(),
                version,
                object_sha256: object_sha256.to_owned(),
            },
        });
    }

    async fn held(
        &mut self,
        originator: &str,
        id: &str,
    ) -> Result<Option<(i64, bool)>, StoreError> {
        let r: Option<(i64, Option<String>)> = sqlx::query_as(
            "SELECT version, recalled_at FROM received WHERE originator = $1 AND incident_id = $2",
        )
        .bind(originator)
        .bind(id)
        .fetch_optional(&mut *self.tx)
        .await?;
        Ok(r.map(|(v, recalled)| (v, recalled.is_some())))
    }

    /// Stores an incident received from its originator (`object`: the signed object as it came).
    pub async fn put_incident(
        &mut self,
        incident: &Incident,
        object: &str,
        object_sha256: &str,
    ) -> Result<Received, StoreError> {
        let originator = incident.originator.as_str();
        let id = incident.id.as_str();
        let version = i64::from(incident.version);
        match self.held(originator, id).await? {
            Some((held, _)) if held > version => return Ok(Received::Stale { held }),
            Some((_, true)) => return Ok(Received::Stale { held: version }),
            Some((held, false)) if held == version => {
                let same: Option<String> = sqlx::query_scalar(
                    "SELECT object_sha256 FROM received WHERE originator = $1 AND incident_id = $2",
                )
                .bind(originator)
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await?;
                if same.as_deref() == Some(object_sha256) {
                    return Ok(Received::Unchanged);
                }
            }
            _ => {}
        }
        let owner: Option<String> =
            sqlx::query_scalar("SELECT originator FROM incidents WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *self.tx)
                .await?;
        let recorded_by = format!("peer:{}", self.peer);
        match owner {
            Some(o) if o != originator => return Ok(Received::IdTaken),
            Some(_) => {
                replace_current(&mut self.tx, self.backend, incident, &self.at, &recorded_by)
                    .await?
            }
            None => {
                let p = Prepared::new(incident.clone())?;
                insert_new(
                    &mut self.tx,
                    self.backend,
                    std::slice::from_ref(&p),
                    &self.at,
                    &recorded_by,
                )
                .await?;
            }
        }
        sqlx::query(
            "INSERT INTO received (originator, incident_id, version, from_peer, object,
                 object_sha256, received_at, recalled_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, NULL)
             ON CONFLICT (originator, incident_id) DO UPDATE SET version = excluded.version,
                 from_peer = excluded.from_peer, object = excluded.object,
                 object_sha256 = excluded.object_sha256, received_at = excluded.received_at",
        )
        .bind(originator)
        .bind(id)
        .bind(version)
        .bind(&self.peer)
        .bind(object)
        .bind(object_sha256)
        .bind(&self.at)
        .execute(&mut *self.tx)
        .await?;
        self.log_received(originator, id, version, object_sha256);
        self.stored += 1;
        Ok(Received::Stored)
    }

    /// Stores a page's incidents with a handful of statements instead of several per incident
    /// (same outcomes as [`ReceiveSession::put_incident`] one by one). The page must not name the
    /// same incident twice (the caller refuses such a page).
    pub async fn put_incidents(
        &mut self,
        items: &[ReceivedIncident],
    ) -> Result<Vec<Received>, StoreError> {
        use std::collections::HashMap;
        let mut held: HashMap<(String, String), (i64, bool, String)> = HashMap::new();
        let mut owners: HashMap<String, String> = HashMap::new();
        for chunk in items.chunks(IN_LIST_MAX) {
            let mut q = Sql::new(
                self.backend,
                "SELECT originator, incident_id, version, recalled_at, object_sha256 FROM received \
                 WHERE incident_id IN (",
            );
            push_ids(&mut q, chunk);
            for r in sqlx::query_with(AssertSqlSafe(q.text.clone()), q.arguments()?)
                .fetch_all(&mut *self.tx)
                .await?
            {
                let recalled: Option<String> = r.try_get(3)?;
                held.insert(
                    (r.try_get(0)?, r.try_get(1)?),
                    (r.try_get(2)?, recalled.is_some(), r.try_get(4)?),
                );
            }
            let mut q = Sql::new(
                self.backend,
                "SELECT id, originator FROM incidents WHERE id IN (",
            );
            push_ids(&mut q, chunk);
            for r in sqlx::query_with(AssertSqlSafe(q.text.clone()), q.arguments()?)
                .fetch_all(&mut *self.tx)
                .await?
            {
                owners.insert(r.try_get(0)?, r.try_get(1)?);
            }
        }
        let mut outcomes = Vec::with_capacity(items.len());
        let mut fresh = Vec::new();
        let mut stored = Vec::new();
        let recorded_by = format!("peer:{}", self.peer);
        for item in items {
            let inc = &item.incident;
            let (o, id) = (inc.originator.as_str(), inc.id.as_str());
            let version = i64::from(inc.version);
            let outcome = match held.get(&(o.to_owned(), id.to_owned())) {
                Some((h, _, _)) if *h > version => Received::Stale { held: *h },
                Some((_, true, _)) => Received::Stale { held: version },
                Some((h, false, sha)) if *h == version && *sha == item.object_sha256 => {
                    Received::Unchanged
                }
                _ => match owners.get(id) {
                    Some(owner) if owner != o => Received::IdTaken,
                    Some(_) => {
                        replace_current(&mut self.tx, self.backend, inc, &self.at, &recorded_by)
                            .await?;
                        stored.push(item);
                        Received::Stored
                    }
                    None => {
                        fresh.push(Prepared::new(inc.clone())?);
                        stored.push(item);
                        Received::Stored
                    }
                },
            };
            outcomes.push(outcome);
        }
        if !fresh.is_empty() {
            insert_new(&mut self.tx, self.backend, &fresh, &self.at, &recorded_by).await?;
        }
        for chunk in stored.chunks(RECEIVED_ROWS_PER_STATEMENT) {
            let mut q = Sql::new(
                self.backend,
                "INSERT INTO received (originator, incident_id, version, from_peer, object, \
                 object_sha256, received_at, recalled_at) VALUES ",
            );
            for (i, item) in chunk.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.push("(")
                    .bind(Arg::Text(item.incident.originator.to_string()))
                    .push(", ")
                    .bind(Arg::Text(item.incident.id.to_string()))
                    .push(", ")
                    .bind(Arg::Int(i64::from(item.incident.version)))
                    .push(", ")
                    .bind(Arg::Text(self.peer.clone()))
                    .push(", ")
                    .bind(Arg::Text(item.object.clone()))
                    .push(", ")
                    .bind(Arg::Text(item.object_sha256.clone()))
                    .push(", ")
                    .bind(Arg::Text(self.at.clone()))
                    .push(", NULL)");
            }
            q.push(
                " ON CONFLICT (originator, incident_id) DO UPDATE SET version = excluded.version, \
                 from_peer = excluded.from_peer, object = excluded.object, \
                 object_sha256 = excluded.object_sha256, received_at = excluded.received_at",
            );
            sqlx::query_with(AssertSqlSafe(q.text.clone()), q.arguments()?)
                .execute(&mut *self.tx)
                .await?;
        }
        for item in &stored {
            self.log_received(
                item.incident.originator.as_str(),
                item.incident.id.as_str(),
                i64::from(item.incident.version),
                &item.object_sha256,
            );
        }
        self.stored += stored.len() as i64;
        Ok(outcomes)
    }

    /// Hides a recalled incident: its content leaves the node (the current row, its older
    /// versions and the signed object); the fact of the recall stays, with the originator's
    /// signed tombstone (no content) to pass on where this node relayed the incident. Returns whether it was
    /// held (a recall of something never received changes nothing).
    pub async fn hide_recalled(
        &mut self,
        originator: &str,
        id: &str,
        version: i64,
        object_sha256: &str,
        tombstone: &str,
    ) -> Result<Received, StoreError> {
        match self.held(originator, id).await? {
            None => return Ok(Received::Unchanged),
            Some((_, true)) => return Ok(Received::Unchanged),
            Some((held, false)) if held >= version => return Ok(Received::Stale { held }),
            Some(_) => {}
        }
        let seq: Option<i64> =
            sqlx::query_scalar("SELECT seq FROM incidents WHERE id = $1 AND originator = $2")
                .bind(id)
                .bind(originator)
                .fetch_optional(&mut *self.tx)
                .await?;
        if let Some(seq) = seq {
            sqlx::query("DELETE FROM incidents WHERE seq = $1")
                .bind(seq)
                .execute(&mut *self.tx)
                .await?;
            if self.backend == Backend::Sqlite {
                sqlx::query("DELETE FROM incident_terms WHERE rowid = $1")
                    .bind(seq)
                    .execute(&mut *self.tx)
                    .await?;
            }
            sqlx::query("DELETE FROM incident_versions WHERE incident_id = $1")
                .bind(id)
                .execute(&mut *self.tx)
                .await?;
        }
        sqlx::query(
            "UPDATE received SET version = $1, object = NULL, object_sha256 = $2,
                 recalled_at = $3, from_peer = $4, recall_object = $5
             WHERE originator = $6 AND incident_id = $7",
        )
        .bind(version)
        .bind(object_sha256)
        .bind(&self.at)
        .bind(&self.peer)
        .bind(tombstone)
        .bind(originator)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        self.log_received(originator, id, version, object_sha256);
        self.stored += 1;
        Ok(Received::Stored)
    }

    /// Stores an attestation issued here or received, in this page's transaction. An
    /// attestation already held for that incident and member is kept (a recall is final, so a
    /// second one for the same incident can only be a repeat).
    pub async fn put_attestation(&mut self, a: &AttestationRow) -> Result<(), StoreError> {
        let done = sqlx::query(
            "INSERT INTO attestations (originator, incident_id, by_member, version, hidden_at,
                 object, recorded_at, delivered_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT (originator, incident_id, by_member) DO NOTHING",
        )
        .bind(&a.originator)
        .bind(&a.incident_id)
        .bind(&a.by_member)
        .bind(a.version)
        .bind(&a.hidden_at)
        .bind(&a.object)
        .bind(&a.recorded_at)
        .bind(&a.delivered_at)
        .execute(&mut *self.tx)
        .await?;
        // Attestations we issue are logged by their recall's "received" entry; those a peer
        // sends us about our own incidents are logged here.
        if done.rows_affected() > 0 && a.by_member == self.peer {
            use sha2::Digest as _;
            self.other.push(Entry {
                at: self.at.clone(),
                event: Event::AttestationReceived {
                    from: a.by_member.clone(),
                    incident_id: a.incident_id.clone(),
                    version: a.version,
                    attestation_sha256: hex::encode(sha2::Sha256::digest(a.object.as_bytes())),
                },
            });
        }
        Ok(())
    }

    /// Commits the page with the peer's new cursor, its ledger entries and, when a signer is
    /// set and something was received, the signed receipt for the peer (delivered at the next
    /// exchange) with its own "receipt issued" entry.
    pub async fn commit(mut self, cursor: &str) -> Result<i64, StoreError> {
        let received = std::mem::take(&mut self.received);
        let other = std::mem::take(&mut self.other);
        if !received.is_empty() {
            let first = ledger::append(&mut self.tx, self.backend, &received).await?;
            if let Some(signer) = self.signer.clone() {
                self.issue_receipt(&signer, &received, first).await?;
            }
        }
        ledger::append(&mut self.tx, self.backend, &other).await?;
        let at = self.at.clone();
        ledger::seal(&mut self.tx, self.signer.as_deref(), &at).await?;
        sqlx::query(
            "INSERT INTO sync_state (peer, cursor, received) VALUES ($1, $2, $3)
             ON CONFLICT (peer) DO UPDATE SET cursor = excluded.cursor,
                 received = sync_state.received + excluded.received",
        )
        .bind(&self.peer)
        .bind(cursor)
        .bind(self.stored)
        .execute(&mut *self.tx)
        .await?;
        self.tx.commit().await?;
        Ok(self.stored)
    }

    async fn issue_receipt(
        &mut self,
        signer: &ledger::LedgerSigner,
        received: &[Entry],
        first: u64,
    ) -> Result<(), StoreError> {
        let items = received
            .iter()
            .zip(first..)
            .filter_map(|(e, index)| match &e.event {
                Event::Received {
                    originator,
                    incident_id,
                    version,
                    object_sha256,
                    ..
                } => Some(liaison_ledger::ReceiptItem {
                    originator: originator.clone(),
                    incident_id: incident_id.clone(),
                    version: *version,
                    object_sha256: object_sha256.clone(),
                    index,
                }),
                _ => None,
            })
            .collect::<Vec<_>>();
        let count = items.len() as u64;
        let receipt = liaison_ledger::Receipt {
            recipient: signer.member.clone(),
            originator: self.peer.clone(),
            items,
            issued_at: self.at.clone(),
        };
        let sign = &*signer.sign;
        let signed = receipt.sign(&sign);
        let sha = signed.sha256_hex();
        let doc = serde_json::to_string(&signed)
            .map_err(|e| StoreError::Corrupt(format!("receipt: {e}")))?;
        sqlx::query(
            "INSERT INTO receipts (direction, peer, sha256, doc, first_index, count, at, delivered_at)
             VALUES ('issued', $1, $2, $3, $4, $5, $6, NULL)
             ON CONFLICT (direction, sha256) DO NOTHING",
        )
        .bind(&self.peer)
        .bind(&sha)
        .bind(&doc)
        .bind(i64::try_from(first).unwrap_or(i64::MAX))
        .bind(i64::try_from(count).unwrap_or(i64::MAX))
        .bind(&self.at)
        .execute(&mut *self.tx)
        .await?;
        let entry = Entry {
            at: self.at.clone(),
            event: Event::ReceiptIssued {
                to: self.peer.clone(),
                receipt_sha256: sha,
                first_index: first,
                count,
            },
        };
        ledger::append(&mut self.tx, self.backend, std::slice::from_ref(&entry)).await?;
        Ok(())
    }
}

impl Store {
    /// Begins storing one page pulled from `peer`: every object and the new cursor commit
    /// together, so an interrupted sync resumes exactly where the last page ended.
    pub async fn begin_receive(
        &self,
        peer: &str,
        at: OffsetDateTime,
    ) -> Result<ReceiveSession, StoreError> {
        Ok(ReceiveSession {
            tx: self.pool.begin().await?,
            backend: self.backend,
            peer: peer.to_owned(),
            at: ts(at)?,
            stored: 0,
            received: Vec::new(),
            other: Vec::new(),
            signer: self.ledger_signer.clone(),
        })
    }
}
