//! Operations and forces of the joint command (`liaison_ops`), as the node keeps them.
//!
//! - Operations: the current version in `operations`, every version (the current one included)
//!   in `operation_versions`. Declaring an operation again with a change (a status, a window)
//!   makes its next version; declaring it again unchanged writes nothing. Only the member that
//!   declared an operation may give it new versions (one writer per object).
//! - Notices: the deconfliction notices a version of an operation gave, one row per recipient,
//!   written in the same transaction as that version. Which notices to give is decided above
//!   (`liaison_ops::Deconflictor`); the store keeps what it is handed.
//! - Links between operations and incidents, checked to exist when made.
//! - Force records, append-only and idempotent by id.
//!
//! Conflicts are not stored: they follow from the operations and are worked out when asked,
//! so two operations declared at the same moment on two connections can never miss each other.
//!
//! Ledger: every operation version appends an `operation_recorded` entry and every force record
//! added a `force_recorded` entry, in the write's own transaction (signed before commit, as
//! zones are), so the log holds every declaration the store holds. The entries carry the
//! SHA-256 of the stored document, never the objective itself. Not yet: entries for notices and
//! links, and sending notices to peers.

use liaison_core::CountryCode;
use liaison_ops::{Force, Notice, NoticeContent, Operation};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;
use time::OffsetDateTime;

use crate::incidents::ts;
use crate::{Store, StoreError};

/// SHA-256 (hex) of a stored document: what a ledger entry says of it.
pub(crate) fn doc_sha256(doc: &str) -> String {
    use sha2::Digest as _;
    hex::encode(sha2::Sha256::digest(doc.as_bytes()))
}

/// An operation as stored: its current version and the incidents linked to it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationRow {
    #[serde(flatten)]
    pub operation: Operation,
    /// 1 for the first declaration, then 2, 3, …
    pub version: i64,
    /// RFC 3339 UTC.
    pub recorded_at: String,
    pub recorded_by: String,
    /// Ids of the incidents that belong to it, sorted.
    pub incidents: Vec<String>,
}

/// One stored version of an operation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OperationVersion {
    pub version: i64,
    pub operation: Operation,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// What declaring an operation did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OperationWrite {
    /// The version now current.
    pub version: i64,
    /// False when the operation was declared again unchanged: nothing was written.
    pub changed: bool,
}

/// A stored deconfliction notice.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NoticeRow {
    pub operation_id: String,
    /// The operation's version that gave it.
    pub version: i64,
    pub recipient: CountryCode,
    pub content: NoticeContent,
    /// RFC 3339 UTC.
    pub issued_at: String,
    /// When the sync delivered it to the recipient's node (signed); `None` while it waits for
    /// the next sync or for an agreement in force with the recipient.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub delivered_at: Option<String>,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

fn first_error(prefix: &str, e: liaison_core::ValidationErrors) -> StoreError {
    match e.0.into_iter().next() {
        Some(f) => invalid(format!("{prefix}{}", f.field), f.message),
        None => invalid(prefix.trim_end_matches('.'), "invalid"),
    }
}

fn operation_of(doc: &str) -> Result<Operation, StoreError> {
    serde_json::from_str(doc).map_err(|e| corrupt("stored operation", e))
}

impl Store {
    /// Records `op` as its next version with the `notices` it gives, in one transaction; an
    /// unchanged declaration writes nothing (and keeps the notices of the version it repeats).
    /// `Invalid` naming the first bad field; `Conflict` when another member declared the
    /// operation.
    pub async fn record_operation(
        &self,
        op: &Operation,
        notices: &[Notice],
        at: OffsetDateTime,
        by: &str,
    ) -> Result<OperationWrite, StoreError> {
        op.validate().map_err(|e| first_error("", e))?;
        if let Some(n) = notices.iter().find(|n| n.operation != op.id) {
            return Err(invalid(
                "notices",
                format!(
                    "a notice of operation '{}' given with '{}'",
                    n.operation, op.id
                ),
            ));
        }
        let [west, south, east, north] = op
            .area
            .bbox()
            .ok_or_else(|| invalid("area", "holds no position"))?;
        let doc = serde_json::to_string(op).map_err(|e| corrupt("encoding operation", e))?;
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        let current: Option<(i64, String, String)> =
            sqlx::query("SELECT version, member, doc FROM operations WHERE id = $1")
                .bind(&op.id)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| Ok::<_, sqlx::Error>((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)))
                .transpose()?;
        let version = match &current {
            Some((_, member, _)) if member != op.member.as_str() => {
                return Err(StoreError::Conflict(format!(
                    "operation '{}' was declared by {member}: only {member} may change it",
                    op.id
                )));
            }
            Some((version, _, stored)) if *stored == doc => {
                return Ok(OperationWrite {
                    version: *version,
                    changed: false,
                });
            }
            Some((version, _, _)) => version + 1,
            None => 1,
        };
        if current.is_some() {
            sqlx::query("DELETE FROM operations WHERE id = $1")
                .bind(&op.id)
                .execute(&mut *tx)
                .await?;
        }
        sqlx::query(
            "INSERT INTO operations (id, version, member, status, from_date, to_date, west, \
             south, east, north, doc, recorded_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(&op.id)
        .bind(version)
        .bind(op.member.as_str())
        .bind(op.status.as_str())
        .bind(op.from.to_string())
        .bind(op.to.to_string())
        .bind(west)
        .bind(south)
        .bind(east)
        .bind(north)
        .bind(&doc)
        .bind(&at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        // Two writers racing for the same next version collide on the primary key and the
        // second fails: nothing is ever overwritten.
        sqlx::query(
            "INSERT INTO operation_versions (id, version, doc, recorded_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&op.id)
        .bind(version)
        .bind(&doc)
        .bind(&at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        for n in notices {
            let content =
                serde_json::to_string(&n.content).map_err(|e| corrupt("encoding notice", e))?;
            sqlx::query(
                "INSERT INTO operation_notices (operation_id, version, recipient, content, \
                 issued_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&op.id)
            .bind(version)
            .bind(n.recipient.as_str())
            .bind(content)
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        // Logged: who declared what, when, in which state; the objective stays on the node.
        let entry = liaison_ledger::Entry {
            at: at.clone(),
            event: liaison_ledger::Event::OperationRecorded {
                operation_id: op.id.clone(),
                member: op.member.as_str().to_owned(),
                version,
                status: op.status.as_str().to_owned(),
                doc_sha256: doc_sha256(&doc),
                by: by.to_owned(),
            },
        };
        crate::ledger::append(&mut tx, self.backend, &[entry]).await?;
        crate::ledger::seal(&mut tx, self.signer(), &at).await?;
        tx.commit().await?;
        Ok(OperationWrite {
            version,
            changed: true,
        })
    }

    /// Every operation's current version, by id, with its linked incidents.
    pub async fn operations(&self) -> Result<Vec<OperationRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT doc, version, recorded_at, recorded_by FROM operations ORDER BY id",
        )
        .fetch_all(&self.pool)
        .await?;
        let links = sqlx::query(
            "SELECT operation_id, incident_id FROM operation_incidents \
             ORDER BY operation_id, incident_id",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut links: Vec<(String, String)> = links
            .iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?)))
            .collect::<Result<_, sqlx::Error>>()?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            let mut row = operation_row(r)?;
            // Both lists are sorted by operation id: take this operation's links off the front.
            let here = links
                .iter()
                .take_while(|(id, _)| *id <= row.operation.id)
                .count();
            row.incidents = links
                .drain(..here)
                .filter(|(id, _)| *id == row.operation.id)
                .map(|(_, inc)| inc)
                .collect();
            out.push(row);
        }
        Ok(out)
    }

    /// The current version of one operation, with its linked incidents.
    pub async fn operation(&self, id: &str) -> Result<Option<OperationRow>, StoreError> {
        let Some(r) = sqlx::query(
            "SELECT doc, version, recorded_at, recorded_by FROM operations WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let mut row = operation_row(&r)?;
        row.incidents = sqlx::query_scalar(
            "SELECT incident_id FROM operation_incidents WHERE operation_id = $1 \
             ORDER BY incident_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok(Some(row))
    }

    /// Every version of one operation, oldest first; empty when there is none.
    pub async fn operation_versions(&self, id: &str) -> Result<Vec<OperationVersion>, StoreError> {
        let rows = sqlx::query(
            "SELECT version, doc, recorded_at, recorded_by FROM operation_versions \
             WHERE id = $1 ORDER BY version",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OperationVersion {
                    version: r.try_get(0)?,
                    operation: operation_of(&r.try_get::<String, _>(1)?)?,
                    recorded_at: r.try_get(2)?,
                    recorded_by: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// The notices given, in the order they were issued; only those to `recipient` if given.
    pub async fn operation_notices(
        &self,
        recipient: Option<&CountryCode>,
    ) -> Result<Vec<NoticeRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT operation_id, version, recipient, content, issued_at, delivered_at \
             FROM operation_notices WHERE ($1 = '' OR recipient = $1) ORDER BY seq",
        )
        .bind(recipient.map_or("", CountryCode::as_str))
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let recipient: String = r.try_get(2)?;
                let content: String = r.try_get(3)?;
                Ok(NoticeRow {
                    operation_id: r.try_get(0)?,
                    version: r.try_get(1)?,
                    recipient: CountryCode::parse(&recipient)
                        .map_err(|e| corrupt("stored notice recipient", e))?,
                    content: serde_json::from_str(&content)
                        .map_err(|e| corrupt("stored notice", e))?,
                    issued_at: r.try_get(4)?,
                    delivered_at: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// Links an incident to the operation it belongs to. True when the link is new, false when
    /// it was there already. `Invalid` naming `operation` or `incident` when either is unknown.
    pub async fn link_operation(
        &self,
        operation_id: &str,
        incident_id: &str,
        at: OffsetDateTime,
        by: &str,
    ) -> Result<bool, StoreError> {
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        let op: Option<i64> = sqlx::query_scalar("SELECT version FROM operations WHERE id = $1")
            .bind(operation_id)
            .fetch_optional(&mut *tx)
            .await?;
        if op.is_none() {
            return Err(invalid(
                "operation",
                format!("no operation '{operation_id}'"),
            ));
        }
        let inc: Option<i64> = sqlx::query_scalar("SELECT seq FROM incidents WHERE id = $1")
            .bind(incident_id)
            .fetch_optional(&mut *tx)
            .await?;
        if inc.is_none() {
            return Err(invalid("incident", format!("no incident '{incident_id}'")));
        }
        let done = sqlx::query(
            "INSERT INTO operation_incidents (operation_id, incident_id, linked_at, linked_by) \
             VALUES ($1, $2, $3, $4) ON CONFLICT (operation_id, incident_id) DO NOTHING",
        )
        .bind(operation_id)
        .bind(incident_id)
        .bind(&at)
        .bind(by)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(done.rows_affected() > 0)
    }

    /// The operations an incident belongs to, by id.
    pub async fn incident_operations(&self, incident_id: &str) -> Result<Vec<String>, StoreError> {
        Ok(sqlx::query_scalar(
            "SELECT operation_id FROM operation_incidents WHERE incident_id = $1 \
             ORDER BY operation_id",
        )
        .bind(incident_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Adds force records in one transaction: every record is checked first, and a refused one
    /// (field named as `[index].field`) leaves nothing written. A record without an id gets its
    /// derived id; one whose id is held already is skipped. Returns how many were added.
    pub async fn add_forces(
        &self,
        forces: &[Force],
        at: OffsetDateTime,
        by: &str,
    ) -> Result<usize, StoreError> {
        for (i, f) in forces.iter().enumerate() {
            f.validate()
                .map_err(|e| first_error(&format!("[{i}]."), e))?;
        }
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        let mut added = 0;
        let mut entries = Vec::new();
        for f in forces {
            let f = f.clone().with_id();
            let id = f.id.clone().unwrap_or_default();
            let doc = serde_json::to_string(&f).map_err(|e| corrupt("encoding force", e))?;
            let done = sqlx::query(
                "INSERT INTO forces (id, member, unit_type, zone, pledged, committed, deployed, \
                 as_of, doc, recorded_at, recorded_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(&id)
            .bind(f.member.as_str())
            .bind(f.unit_type.as_str())
            .bind(f.zone.clone())
            .bind(i64::from(f.pledged))
            .bind(i64::from(f.committed))
            .bind(i64::from(f.deployed))
            .bind(f.as_of.to_string())
            .bind(&doc)
            .bind(&at)
            .bind(by)
            .execute(&mut *tx)
            .await?;
            // A record held already was added (and logged) before: only new ones are logged.
            if done.rows_affected() > 0 {
                added += 1;
                entries.push(liaison_ledger::Entry {
                    at: at.clone(),
                    event: liaison_ledger::Event::ForceRecorded {
                        force_id: id,
                        member: f.member.as_str().to_owned(),
                        as_of: f.as_of.to_string(),
                        doc_sha256: doc_sha256(&doc),
                        by: by.to_owned(),
                    },
                });
            }
        }
        if !entries.is_empty() {
            crate::ledger::append(&mut tx, self.backend, &entries).await?;
            crate::ledger::seal(&mut tx, self.signer(), &at).await?;
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Force records in the order they were added; only `member`'s if given.
    pub async fn forces(&self, member: Option<&CountryCode>) -> Result<Vec<Force>, StoreError> {
        let docs: Vec<String> = sqlx::query_scalar(
            "SELECT doc FROM forces WHERE ($1 = '' OR member = $1) ORDER BY seq",
        )
        .bind(member.map_or("", CountryCode::as_str))
        .fetch_all(&self.pool)
        .await?;
        docs.iter()
            .map(|d| serde_json::from_str(d).map_err(|e| corrupt("stored force", e)))
            .collect()
    }
}

fn operation_row(r: &AnyRow) -> Result<OperationRow, StoreError> {
    Ok(OperationRow {
        operation: operation_of(&r.try_get::<String, _>(0)?)?,
        version: r.try_get(1)?,
        recorded_at: r.try_get(2)?,
        recorded_by: r.try_get(3)?,
        incidents: Vec::new(),
    })
}
