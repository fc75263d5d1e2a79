//! Federation tables: peers, agreements (every version), disclosures, recalls, what was received
//! from other originators, attestations, sync state and refused requests.
//!
//! The store keeps these facts; it decides nothing. Who may receive what is `liaison-policy`'s
//! business, the protocol is `liaison-sync`'s. The outbox is `incidents.seq` itself (a new
//! version gets a new `seq`), so [`Store::outbox_page`] is a range scan.

use liaison_core::{Incident, IncidentId};
use sqlx::{AssertSqlSafe, Row};
use time::OffsetDateTime;

use liaison_ledger::{Entry, Event};

use crate::incidents::{from_doc, replace_current, ts};
use crate::ledger;
use crate::sql::{Arg, Sql};
use crate::{Store, StoreError};

/// A registered peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerRow {
    pub member: String,
    pub url: String,
    pub public_key: String,
    pub fingerprint: String,
    pub added_at: String,
    pub removed_at: Option<String>,
}

/// One stored version of an agreement (its JSON document).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgreementRow {
    pub id: String,
    pub version: i64,
    pub doc: String,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// One incident in the outbox: its current version, when its first and current versions were
/// recorded, and the version of its recall if it was recalled.
#[derive(Debug, Clone)]
pub struct OutboxRow {
    pub seq: i64,
    pub incident: Incident,
    pub created_at: String,
    pub recorded_at: String,
    pub recalled_version: Option<i64>,
}

/// A disclosure, written before the object leaves.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Disclosure {
    pub peer: String,
    pub incident_id: String,
    pub originator: String,
    pub version: i64,
    /// `release`, `recall` or `relay`.
    pub kind: String,
    pub agreement: Option<String>,
    pub agreement_version: Option<i64>,
    /// JSON array of what the obligations did.
    pub applied: String,
    pub object_sha256: String,
    pub at: String,
}

/// An incident of another originator as this node holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedRow {
    pub originator: String,
    pub incident_id: String,
    pub version: i64,
    pub from_peer: String,
    /// The signed object as received; `None` once recalled.
    pub object: Option<String>,
    pub object_sha256: String,
    pub received_at: String,
    pub recalled_at: Option<String>,
}

/// A signed attestation that a member hid a recalled incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttestationRow {
    pub originator: String,
    pub incident_id: String,
    pub by_member: String,
    pub version: i64,
    pub hidden_at: String,
    pub object: String,
    pub recorded_at: String,
    pub delivered_at: Option<String>,
}

/// Sync with one peer, as the puller sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncState {
    pub peer: String,
    pub cursor: String,
    pub last_attempt: Option<String>,
    pub last_success: Option<String>,
    pub last_error: Option<String>,
    pub failures: i64,
    pub received: i64,
    pub backlog: Option<i64>,
}

/// A refused federation request or object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    pub seq: i64,
    pub peer: String,
    pub at: String,
    pub reason: String,
}

/// The ledger entry of a stored agreement version. The store reads only the two fields it
/// names (recipients, revoked); the agreement's meaning is `liaison-policy`'s.
fn agreement_entry(id: &str, version: i64, doc: &str, by: &str, at: &str) -> Entry {
    use sha2::Digest as _;
    let v: serde_json::Value = serde_json::from_str(doc).unwrap_or_default();
    let revoked = v.get("revoked").and_then(serde_json::Value::as_bool) == Some(true);
    let recipients = v
        .get("recipients")
        .and_then(serde_json::Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|r| r.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    Entry {
        at: at.to_owned(),
        event: Event::AgreementChanged {
            change: if revoked {
                "revoked"
            } else if version == 1 {
                "created"
            } else {
                "changed"
            }
            .into(),
            agreement: id.to_owned(),
            version,
            doc_sha256: hex::encode(sha2::Sha256::digest(doc.as_bytes())),
            recipients,
            by: by.to_owned(),
        },
    }
}

/// The columns [`disclosure_row`] reads, in its order.
pub(crate) const DISCLOSURE_COLUMNS: &str = "peer, incident_id, originator, version, kind, \
    agreement, agreement_version, applied, object_sha256, at";

/// A disclosure from a row holding [`DISCLOSURE_COLUMNS`] from column `first` on.
pub(crate) fn disclosure_row(
    r: &sqlx::any::AnyRow,
    first: usize,
) -> Result<Disclosure, StoreError> {
    Ok(Disclosure {
        peer: r.try_get(first)?,
        incident_id: r.try_get(first + 1)?,
        originator: r.try_get(first + 2)?,
        version: r.try_get(first + 3)?,
        kind: r.try_get(first + 4)?,
        agreement: r.try_get(first + 5)?,
        agreement_version: r.try_get(first + 6)?,
        applied: r.try_get(first + 7)?,
        object_sha256: r.try_get(first + 8)?,
        at: r.try_get(first + 9)?,
    })
}

/// The columns [`received_row`] reads, in its order.
pub(crate) const RECEIVED_COLUMNS: &str = "originator, incident_id, version, from_peer, object, \
    object_sha256, received_at, recalled_at";

pub(crate) fn received_row(r: &sqlx::any::AnyRow) -> Result<ReceivedRow, StoreError> {
    Ok(ReceivedRow {
        originator: r.try_get(0)?,
        incident_id: r.try_get(1)?,
        version: r.try_get(2)?,
        from_peer: r.try_get(3)?,
        object: r.try_get(4)?,
        object_sha256: r.try_get(5)?,
        received_at: r.try_get(6)?,
        recalled_at: r.try_get(7)?,
    })
}

fn sync_state_of(r: &sqlx::any::AnyRow) -> Result<SyncState, StoreError> {
    Ok(SyncState {
        peer: r.try_get(0)?,
        cursor: r.try_get(1)?,
        last_attempt: r.try_get(2)?,
        last_success: r.try_get(3)?,
        last_error: r.try_get(4)?,
        failures: r.try_get(5)?,
        received: r.try_get(6)?,
        backlog: r.try_get(7)?,
    })
}

fn disclosed_entry(d: &Disclosure) -> Entry {
    let applied: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&d.applied)
        .map(|v| {
            v.into_iter()
                .map(|x| match x {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                })
                .collect()
        })
        .unwrap_or_else(|_| vec![d.applied.clone()]);
    Entry {
        at: d.at.clone(),
        event: Event::Disclosed {
            recipient: d.peer.clone(),
            incident_id: d.incident_id.clone(),
            originator: d.originator.clone(),
            version: d.version,
            kind: d.kind.clone(),
            agreement: d.agreement.clone(),
            agreement_version: d.agreement_version,
            applied,
            object_sha256: d.object_sha256.clone(),
        },
    }
}

/// Rows per multi-row insert into `disclosures` (10 parameters each).
const DISCLOSURE_ROWS_PER_STATEMENT: usize = 300;

const SYNC_COLUMNS: &str =
    "peer, cursor, last_attempt, last_success, last_error, failures, received, backlog";

impl Store {
    /// Registers a peer, or updates the URL and key of one (a re-added peer becomes active).
    pub async fn put_peer(
        &self,
        member: &str,
        url: &str,
        public_key: &str,
        fingerprint: &str,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO peers (member, url, public_key, fingerprint, added_at, removed_at)
             VALUES ($1, $2, $3, $4, $5, NULL)
             ON CONFLICT (member) DO UPDATE SET url = excluded.url,
                 public_key = excluded.public_key, fingerprint = excluded.fingerprint,
                 added_at = excluded.added_at, removed_at = NULL",
        )
        .bind(member)
        .bind(url)
        .bind(public_key)
        .bind(fingerprint)
        .bind(&at)
        .execute(&mut *tx)
        .await?;
        let entry = Entry {
            at: at.clone(),
            event: Event::PeerChanged {
                change: "added".into(),
                member: member.to_owned(),
                fingerprint: fingerprint.to_owned(),
                by: by.to_owned(),
            },
        };
        ledger::append(&mut tx, self.backend, std::slice::from_ref(&entry)).await?;
        ledger::seal(&mut tx, self.signer(), &at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Marks a peer removed; `NotFound` if it is not an active peer.
    pub async fn remove_peer(
        &self,
        member: &str,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        let fingerprint: Option<String> = sqlx::query_scalar(
            "UPDATE peers SET removed_at = $1 WHERE member = $2 AND removed_at IS NULL
             RETURNING fingerprint",
        )
        .bind(&at)
        .bind(member)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(fingerprint) = fingerprint else {
            return Err(StoreError::NotFound);
        };
        let entry = Entry {
            at: at.clone(),
            event: Event::PeerChanged {
                change: "removed".into(),
                member: member.to_owned(),
                fingerprint,
                by: by.to_owned(),
            },
        };
        ledger::append(&mut tx, self.backend, std::slice::from_ref(&entry)).await?;
        ledger::seal(&mut tx, self.signer(), &at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every peer ever registered, active first, by member code.
    pub async fn peers(&self) -> Result<Vec<PeerRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT member, url, public_key, fingerprint, added_at, removed_at FROM peers
             ORDER BY removed_at IS NOT NULL, member",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PeerRow {
                    member: r.try_get(0)?,
                    url: r.try_get(1)?,
                    public_key: r.try_get(2)?,
                    fingerprint: r.try_get(3)?,
                    added_at: r.try_get(4)?,
                    removed_at: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Stores a version of an agreement; `Conflict` if that version exists.
    pub async fn put_agreement(
        &self,
        id: &str,
        version: i64,
        doc: &str,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "INSERT INTO agreements (id, version, doc, recorded_at, recorded_by)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id, version) DO NOTHING",
        )
        .bind(id)
        .bind(version)
        .bind(doc)
        .bind(&at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "agreement {id} version {version} exists"
            )));
        }
        let entry = agreement_entry(id, version, doc, by, &at);
        ledger::append(&mut tx, self.backend, std::slice::from_ref(&entry)).await?;
        ledger::seal(&mut tx, self.signer(), &at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The current version of every agreement, by id.
    pub async fn agreements(&self) -> Result<Vec<AgreementRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT a.id, a.version, a.doc, a.recorded_at, a.recorded_by FROM agreements a
             WHERE a.version = (SELECT MAX(b.version) FROM agreements b WHERE b.id = a.id)
             ORDER BY a.id",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(agreement_row).collect()
    }

    /// Every version of one agreement, oldest first; `NotFound` if there is none.
    pub async fn agreement_versions(&self, id: &str) -> Result<Vec<AgreementRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, version, doc, recorded_at, recorded_by FROM agreements WHERE id = $1
             ORDER BY version",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound);
        }
        rows.iter().map(agreement_row).collect()
    }

    /// Up to `limit` incidents changed after `after` (the outbox counter), in order.
    pub async fn outbox_page(&self, after: i64, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT i.seq, i.doc, COALESCE(v.recorded_at, i.recorded_at), i.recorded_at, r.version
             FROM incidents i
             LEFT JOIN incident_versions v ON v.incident_id = i.id AND v.version = 1
             LEFT JOIN recalls r ON r.incident_id = i.id
             WHERE i.seq > $1 ORDER BY i.seq LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OutboxRow {
                    seq: r.try_get(0)?,
                    incident: from_doc(&r.try_get::<String, _>(1)?)?,
                    created_at: r.try_get(2)?,
                    recorded_at: r.try_get(3)?,
                    recalled_version: r.try_get(4)?,
                })
            })
            .collect()
    }

    /// One incident as the outbox holds it (for a flash push outside the cursor's order).
    pub async fn outbox_row(&self, id: &IncidentId) -> Result<OutboxRow, StoreError> {
        let r = sqlx::query(
            "SELECT i.seq, i.doc, COALESCE(v.recorded_at, i.recorded_at), i.recorded_at, r.version
             FROM incidents i
             LEFT JOIN incident_versions v ON v.incident_id = i.id AND v.version = 1
             LEFT JOIN recalls r ON r.incident_id = i.id
             WHERE i.id = $1",
        )
        .bind(id.as_str())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        Ok(OutboxRow {
            seq: r.try_get(0)?,
            incident: from_doc(&r.try_get::<String, _>(1)?)?,
            created_at: r.try_get(2)?,
            recorded_at: r.try_get(3)?,
            recalled_version: r.try_get(4)?,
        })
    }

    /// The outbox's newest counter (0 when empty).
    pub async fn outbox_head(&self) -> Result<i64, StoreError> {
        let n: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM incidents")
            .fetch_one(&self.pool)
            .await?;
        Ok(n.unwrap_or(0))
    }

    /// Records disclosures in one transaction (before the objects leave), a few hundred rows
    /// per statement.
    pub async fn record_disclosures(&self, list: &[Disclosure]) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for chunk in list.chunks(DISCLOSURE_ROWS_PER_STATEMENT) {
            let mut q = Sql::new(
                self.backend,
                "INSERT INTO disclosures (peer, incident_id, originator, version, kind, agreement, \
                 agreement_version, applied, object_sha256, at) VALUES ",
            );
            for (i, d) in chunk.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.push("(").bind(Arg::Text(d.peer.clone())).push(", ");
                q.bind(Arg::Text(d.incident_id.clone())).push(", ");
                q.bind(Arg::Text(d.originator.clone())).push(", ");
                q.bind(Arg::Int(d.version)).push(", ");
                q.bind(Arg::Text(d.kind.clone())).push(", ");
                q.bind(Arg::OptText(d.agreement.clone())).push(", ");
                q.bind(Arg::OptInt(d.agreement_version)).push(", ");
                q.bind(Arg::Text(d.applied.clone())).push(", ");
                q.bind(Arg::Text(d.object_sha256.clone())).push(", ");
                q.bind(Arg::Text(d.at.clone())).push(")");
            }
            sqlx::query_with(AssertSqlSafe(q.text.clone()), q.arguments()?)
                .execute(&mut *tx)
                .await?;
        }
        // The ledger's entries commit with the disclosures, before the page is answered: a
        // crash after this point leaves a logged disclosure that was not delivered, never the
        // reverse (DESIGN invariant 2).
        let entries: Vec<Entry> = list.iter().map(disclosed_entry).collect();
        ledger::append(&mut tx, self.backend, &entries).await?;
        if let Some(last) = list.last() {
            ledger::seal(&mut tx, self.signer(), &last.at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Recalls this node owes `peer` as a relay: the originators' signed tombstones of incidents
    /// this node passed on to `peer` (a `relay` disclosure) and has since hidden, not yet passed
    /// on (no `recall` disclosure to `peer`). (originator, incident id, version, tombstone.)
    pub async fn relayed_recalls_owed(
        &self,
        peer: &str,
    ) -> Result<Vec<(String, String, i64, String)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT r.originator, r.incident_id, r.version, r.recall_object FROM received r
             WHERE r.recall_object IS NOT NULL
               AND EXISTS (SELECT 1 FROM disclosures d WHERE d.peer = $1
                   AND d.incident_id = r.incident_id AND d.originator = r.originator
                   AND d.kind = 'relay')
               AND NOT EXISTS (SELECT 1 FROM disclosures d WHERE d.peer = $1
                   AND d.incident_id = r.incident_id AND d.originator = r.originator
                   AND d.kind = 'recall')
             ORDER BY r.originator, r.incident_id",
        )
        .bind(peer)
        .fetch_all(&self.pool)
        .await?)
    }

    /// The peers that were sent some version of an incident.
    pub async fn disclosed_peers(&self, incident_id: &str) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT peer FROM disclosures WHERE incident_id = $1 AND kind <> 'recall'
             ORDER BY peer",
        )
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every disclosure of an incident, oldest first.
    pub async fn disclosures_of(&self, incident_id: &str) -> Result<Vec<Disclosure>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DISCLOSURE_COLUMNS} FROM disclosures WHERE incident_id = $1 ORDER BY seq"
        )))
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(|r| disclosure_row(r, 0)).collect()
    }

    /// Recalls an own incident: stores `tombstone` (its next version, same content) and the
    /// recall, in one transaction. `Conflict` if already recalled or the version is stale.
    pub async fn recall_incident(
        &self,
        tombstone: &Incident,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let current: Option<i64> =
            sqlx::query_scalar("SELECT version FROM incidents WHERE id = $1")
                .bind(tombstone.id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let current = current.ok_or(StoreError::NotFound)?;
        if i64::from(tombstone.version) != current + 1 {
            return Err(StoreError::Conflict(format!(
                "incident {} is at version {current}",
                tombstone.id
            )));
        }
        let done = sqlx::query(
            "INSERT INTO recalls (incident_id, version, at, by_user) VALUES ($1, $2, $3, $4)
             ON CONFLICT (incident_id) DO NOTHING",
        )
        .bind(tombstone.id.as_str())
        .bind(i64::from(tombstone.version))
        .bind(ts(at)?)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "incident {} is recalled already",
                tombstone.id
            )));
        }
        let at = ts(at)?;
        replace_current(&mut tx, self.backend, tombstone, &at, by).await?;
        let entry = Entry {
            at: at.clone(),
            event: Event::RecallIssued {
                incident_id: tombstone.id.as_str().to_owned(),
                version: i64::from(tombstone.version),
                by: by.to_owned(),
            },
        };
        ledger::append(&mut tx, self.backend, std::slice::from_ref(&entry)).await?;
        ledger::seal(&mut tx, self.signer(), &at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The version and time of an incident's recall, if it was recalled.
    pub async fn recall_of(&self, id: &IncidentId) -> Result<Option<(i64, String)>, StoreError> {
        Ok(
            sqlx::query_as("SELECT version, at FROM recalls WHERE incident_id = $1")
                .bind(id.as_str())
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// What this node holds from another originator.
    pub async fn received(
        &self,
        originator: &str,
        incident_id: &str,
    ) -> Result<Option<ReceivedRow>, StoreError> {
        let r = sqlx::query(AssertSqlSafe(format!(
            "SELECT {RECEIVED_COLUMNS} FROM received WHERE originator = $1 AND incident_id = $2"
        )))
        .bind(originator)
        .bind(incident_id)
        .fetch_optional(&self.pool)
        .await?;
        r.as_ref().map(received_row).transpose()
    }

    /// The attestations received or issued for an incident, by member.
    pub async fn attestations_of(
        &self,
        originator: &str,
        incident_id: &str,
    ) -> Result<Vec<AttestationRow>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ATTESTATION_COLUMNS} FROM attestations
             WHERE originator = $1 AND incident_id = $2 ORDER BY by_member"
        )))
        .bind(originator)
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(attestation_row).collect()
    }

    /// Attestations this node issued that the originator `to` has not acknowledged yet.
    pub async fn undelivered_attestations(
        &self,
        by_member: &str,
        to: &str,
    ) -> Result<Vec<AttestationRow>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {ATTESTATION_COLUMNS} FROM attestations
             WHERE by_member = $1 AND originator = $2 AND delivered_at IS NULL
             ORDER BY incident_id"
        )))
        .bind(by_member)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(attestation_row).collect()
    }

    pub async fn mark_attestation_delivered(
        &self,
        originator: &str,
        incident_id: &str,
        by_member: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE attestations SET delivered_at = $1
             WHERE originator = $2 AND incident_id = $3 AND by_member = $4",
        )
        .bind(ts(at)?)
        .bind(originator)
        .bind(incident_id)
        .bind(by_member)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Sync state of one peer (a default state if it never synced).
    pub async fn sync_state(&self, peer: &str) -> Result<SyncState, StoreError> {
        let r = sqlx::query(AssertSqlSafe(format!(
            "SELECT {SYNC_COLUMNS} FROM sync_state WHERE peer = $1"
        )))
        .bind(peer)
        .fetch_optional(&self.pool)
        .await?;
        match r {
            Some(r) => sync_state_of(&r),
            None => Ok(SyncState {
                peer: peer.to_owned(),
                ..Default::default()
            }),
        }
    }

    /// Sync state of every peer that was ever synced.
    pub async fn sync_states(&self) -> Result<Vec<SyncState>, StoreError> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {SYNC_COLUMNS} FROM sync_state ORDER BY peer"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(sync_state_of).collect()
    }

    /// Records a failed sync attempt: the error is kept and the failures counted.
    pub async fn sync_failed(
        &self,
        peer: &str,
        error: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let at = ts(at)?;
        sqlx::query(
            "INSERT INTO sync_state (peer, last_attempt, last_error, failures) VALUES ($1, $2, $3, 1)
             ON CONFLICT (peer) DO UPDATE SET last_attempt = excluded.last_attempt,
                 last_error = excluded.last_error, failures = sync_state.failures + 1",
        )
        .bind(peer)
        .bind(&at)
        .bind(error)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records a complete sync: no error, failures reset, the backlog the peer reported.
    pub async fn sync_succeeded(
        &self,
        peer: &str,
        backlog: i64,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let at = ts(at)?;
        sqlx::query(
            "INSERT INTO sync_state (peer, last_attempt, last_success, failures, backlog)
             VALUES ($1, $2, $2, 0, $3)
             ON CONFLICT (peer) DO UPDATE SET last_attempt = excluded.last_attempt,
                 last_success = excluded.last_success, last_error = NULL, failures = 0,
                 backlog = excluded.backlog",
        )
        .bind(peer)
        .bind(&at)
        .bind(backlog)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Logs a refused request or object (the reason only, never the content).
    pub async fn log_refusal(
        &self,
        peer: &str,
        reason: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO refusals (peer, at, reason) VALUES ($1, $2, $3)")
            .bind(peer)
            .bind(ts(at)?)
            .bind(reason)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The latest refusals, newest first.
    pub async fn refusals(&self, limit: i64) -> Result<Vec<Refusal>, StoreError> {
        let rows =
            sqlx::query("SELECT seq, peer, at, reason FROM refusals ORDER BY seq DESC LIMIT $1")
                .bind(limit)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(Refusal {
                    seq: r.try_get(0)?,
                    peer: r.try_get(1)?,
                    at: r.try_get(2)?,
                    reason: r.try_get(3)?,
                })
            })
            .collect()
    }
}

const ATTESTATION_COLUMNS: &str = "originator, incident_id, by_member, version, hidden_at, object, \
     recorded_at, delivered_at";

fn attestation_row(r: &sqlx::any::AnyRow) -> Result<AttestationRow, StoreError> {
    Ok(AttestationRow {
        originator: r.try_get(0)?,
        incident_id: r.try_get(1)?,
        by_member: r.try_get(2)?,
        version: r.try_get(3)?,
        hidden_at: r.try_get(4)?,
        object: r.try_get(5)?,
        recorded_at: r.try_get(6)?,
        delivered_at: r.try_get(7)?,
    })
}

fn agreement_row(r: &sqlx::any::AnyRow) -> Result<AgreementRow, StoreError> {
    Ok(AgreementRow {
        id: r.try_get(0)?,
        version: r.try_get(1)?,
        doc: r.try_get(2)?,
        recorded_at: r.try_get(3)?,
        recorded_by: r.try_get(4)?,
    })
}
