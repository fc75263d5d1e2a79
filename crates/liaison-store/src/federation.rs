//! Federation tables: peers, agreements (every version), disclosures, recalls, what was received
//! from other originators, attestations, sync state and refused requests.
//!
//! The store keeps these facts; it decides nothing. Who may receive what is `liaison-policy`'s
//! business, the protocol is `liaison-sync`'s. The outbox is `incidents.seq` itself (a new
//! version gets a new `seq`), so [`Store::outbox_page`] is a range scan.

use liaison_core::{Incident, IncidentId};
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use time::OffsetDateTime;

use crate::incidents::{Prepared, from_doc, insert_new, replace_current, ts};
use crate::sql::{Arg, Sql};
use crate::{Backend, Store, StoreError};

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
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
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
        .bind(ts(at)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Marks a peer removed; `NotFound` if it is not an active peer.
    pub async fn remove_peer(&self, member: &str, at: OffsetDateTime) -> Result<(), StoreError> {
        let done = sqlx::query(
            "UPDATE peers SET removed_at = $1 WHERE member = $2 AND removed_at IS NULL",
        )
        .bind(ts(at)?)
        .bind(member)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
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
        let done = sqlx::query(
            "INSERT INTO agreements (id, version, doc, recorded_at, recorded_by)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id, version) DO NOTHING",
        )
        .bind(id)
        .bind(version)
        .bind(doc)
        .bind(ts(at)?)
        .bind(by)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!(
                "agreement {id} version {version} exists"
            )));
        }
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
        tx.commit().await?;
        Ok(())
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
        let rows = sqlx::query(
            "SELECT peer, incident_id, originator, version, kind, agreement, agreement_version,
                 applied, object_sha256, at
             FROM disclosures WHERE incident_id = $1 ORDER BY seq",
        )
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Disclosure {
                    peer: r.try_get(0)?,
                    incident_id: r.try_get(1)?,
                    originator: r.try_get(2)?,
                    version: r.try_get(3)?,
                    kind: r.try_get(4)?,
                    agreement: r.try_get(5)?,
                    agreement_version: r.try_get(6)?,
                    applied: r.try_get(7)?,
                    object_sha256: r.try_get(8)?,
                    at: r.try_get(9)?,
                })
            })
            .collect()
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
        replace_current(&mut tx, self.backend, tombstone, &ts(at)?, by).await?;
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
        let r = sqlx::query(
            "SELECT originator, incident_id, version, from_peer, object, object_sha256,
                 received_at, recalled_at
             FROM received WHERE originator = $1 AND incident_id = $2",
        )
        .bind(originator)
        .bind(incident_id)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
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
        })
        .transpose()
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
        })
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
    tx: Transaction<'static, Any>,
    backend: Backend,
    peer: String,
    at: String,
    stored: i64,
}

impl ReceiveSession {
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
        self.stored += stored.len() as i64;
        Ok(outcomes)
    }

    /// Hides a recalled incident: its content leaves the node (the current row, its older
    /// versions and the signed object); the fact of the recall stays. Returns whether it was
    /// held (a recall of something never received changes nothing).
    pub async fn hide_recalled(
        &mut self,
        originator: &str,
        id: &str,
        version: i64,
        object_sha256: &str,
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
                 recalled_at = $3, from_peer = $4
             WHERE originator = $5 AND incident_id = $6",
        )
        .bind(version)
        .bind(object_sha256)
        .bind(&self.at)
        .bind(&self.peer)
        .bind(originator)
        .bind(id)
        .execute(&mut *self.tx)
        .await?;
        self.stored += 1;
        Ok(Received::Stored)
    }

    /// Stores an attestation issued here or received, in this page's transaction. An
    /// attestation already held for that incident and member is kept (a recall is final, so a
    /// second one for the same incident can only be a repeat).
    pub async fn put_attestation(&mut self, a: &AttestationRow) -> Result<(), StoreError> {
        sqlx::query(
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
        Ok(())
    }

    /// Commits the page with the peer's new cursor.
    pub async fn commit(mut self, cursor: &str) -> Result<i64, StoreError> {
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
}
