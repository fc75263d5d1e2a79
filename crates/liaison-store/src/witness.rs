//! What a node keeps of other members' logs and of their view of its own: the state of each
//! peer's log as last verified here, the entries of theirs that concern us, alarms, the
//! cosignatures witnesses returned for our checkpoints, and receipts in both directions.
//!
//! Every alarm and every cosignature issued is also an entry of our own ledger, appended in the
//! same transaction, so the log records what we saw of the others.

use liaison_ledger::{Entry, Event};
use sqlx::Row;

use crate::ledger::{append, seal};
use crate::{Store, StoreError};

/// A peer's log as last verified by this node.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitnessState {
    pub peer: String,
    pub size: u64,
    /// Hex.
    pub root: String,
    /// The frontier's hashes, hex, largest subtree first.
    pub frontier: Vec<String>,
    /// The checkpoint note as received (with its signature).
    pub note: String,
    pub checked_at: String,
    /// Where the rolling re-check of the old entries that concern us resumes.
    pub recheck_from: u64,
}

/// An entry of a peer's log that concerns us, as first verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WitnessedEntry {
    pub index: u64,
    pub leaf_hash: String,
    pub entry: String,
}

/// An inconsistency found in a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alarm {
    pub seq: i64,
    pub peer: String,
    pub kind: String,
    pub detail: String,
    pub at: String,
}

/// A witness's cosignature of one of our checkpoints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cosignature {
    pub size: u64,
    pub witness: String,
    pub line: String,
    pub cosigned_at: u64,
    pub received_at: String,
}

/// A signed receipt, issued (for a page we received) or received (for what we disclosed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptRow {
    /// `issued` or `received`.
    pub direction: String,
    pub peer: String,
    pub sha256: String,
    /// The signed receipt (JSON).
    pub doc: String,
    pub first_index: u64,
    pub count: u64,
    pub at: String,
    pub delivered_at: Option<String>,
}

fn u(v: i64) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| StoreError::Corrupt(format!("negative ledger number {v}")))
}

fn i(v: u64) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::Invalid {
        field: "index".into(),
        message: format!("{v} is out of range"),
    })
}

const RECEIPT_COLUMNS: &str = "direction, peer, sha256, doc, first_index, count, at, delivered_at";

fn receipt_of(r: &sqlx::any::AnyRow) -> Result<ReceiptRow, StoreError> {
    Ok(ReceiptRow {
        direction: r.try_get(0)?,
        peer: r.try_get(1)?,
        sha256: r.try_get(2)?,
        doc: r.try_get(3)?,
        first_index: u(r.try_get(4)?)?,
        count: u(r.try_get(5)?)?,
        at: r.try_get(6)?,
        delivered_at: r.try_get(7)?,
    })
}

impl Store {
    /// What this node last verified of `peer`'s log.
    pub async fn witness_state(&self, peer: &str) -> Result<Option<WitnessState>, StoreError> {
        let r = sqlx::query(
            "SELECT peer, size, root, frontier, note, checked_at, recheck_from
             FROM witness_state WHERE peer = $1",
        )
        .bind(peer)
        .fetch_optional(&self.pool)
        .await?;
        r.map(|r| {
            let frontier: String = r.try_get(3)?;
            Ok(WitnessState {
                peer: r.try_get(0)?,
                size: u(r.try_get(1)?)?,
                root: r.try_get(2)?,
                frontier: frontier
                    .as_bytes()
                    .chunks(64)
                    .map(|c| String::from_utf8_lossy(c).into_owned())
                    .collect(),
                note: r.try_get(4)?,
                checked_at: r.try_get(5)?,
                recheck_from: u(r.try_get(6)?)?,
            })
        })
        .transpose()
    }

    /// Records a verified checkpoint of `state.peer`'s log, the new entries of theirs that
    /// concern us, and (when we cosigned it) a `cosigned` entry in our own log, in one
    /// transaction.
    pub async fn put_witness_state(
        &self,
        state: &WitnessState,
        entries: &[WitnessedEntry],
        cosigned: bool,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO witness_state (peer, size, root, frontier, note, checked_at, recheck_from)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (peer) DO UPDATE SET size = excluded.size, root = excluded.root,
                 frontier = excluded.frontier, note = excluded.note,
                 checked_at = excluded.checked_at, recheck_from = excluded.recheck_from",
        )
        .bind(&state.peer)
        .bind(i(state.size)?)
        .bind(&state.root)
        .bind(state.frontier.concat())
        .bind(&state.note)
        .bind(&state.checked_at)
        .bind(i(state.recheck_from)?)
        .execute(&mut *tx)
        .await?;
        for e in entries {
            sqlx::query(
                "INSERT INTO witnessed_entries (peer, idx, leaf_hash, entry) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (peer, idx) DO NOTHING",
            )
            .bind(&state.peer)
            .bind(i(e.index)?)
            .bind(&e.leaf_hash)
            .bind(&e.entry)
            .execute(&mut *tx)
            .await?;
        }
        if cosigned {
            let root = hex::decode(&state.root)
                .map_err(|e| StoreError::Corrupt(format!("witnessed root: {e}")))?;
            use base64::Engine as _;
            let entry = Entry {
                at: state.checked_at.clone(),
                event: Event::Cosigned {
                    peer: state.peer.clone(),
                    size: state.size,
                    root: base64::engine::general_purpose::STANDARD.encode(root),
                },
            };
            append(&mut tx, self.backend, std::slice::from_ref(&entry)).await?;
            seal(&mut tx, self.signer(), &state.checked_at).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Moves the rolling re-check of `peer`'s old entries.
    pub async fn set_recheck_from(&self, peer: &str, from: u64) -> Result<(), StoreError> {
        sqlx::query("UPDATE witness_state SET recheck_from = $1 WHERE peer = $2")
            .bind(i(from)?)
            .bind(peer)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The entries of `peer`'s log that concern us, from index `from`, at most `limit`.
    pub async fn witnessed_entries(
        &self,
        peer: &str,
        from: u64,
        limit: u64,
    ) -> Result<Vec<WitnessedEntry>, StoreError> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT idx, leaf_hash, entry FROM witnessed_entries WHERE peer = $1 AND idx >= $2
             ORDER BY idx LIMIT $3",
        )
        .bind(peer)
        .bind(i(from)?)
        .bind(i(limit)?)
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(index, leaf_hash, entry)| {
                Ok(WitnessedEntry {
                    index: u(index)?,
                    leaf_hash,
                    entry,
                })
            })
            .collect()
    }

    /// Raises an alarm about `peer`'s log (or ours, with our own member code) and logs it.
    pub async fn raise_alarm(
        &self,
        peer: &str,
        kind: &str,
        detail: &str,
        at: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        sqlx::query("INSERT INTO ledger_alarms (peer, kind, detail, at) VALUES ($1, $2, $3, $4)")
            .bind(peer)
            .bind(kind)
            .bind(detail)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        let entry = Entry {
            at: at.to_owned(),
            event: Event::Alarm {
                peer: peer.to_owned(),
                kind: kind.to_owned(),
                detail: detail.to_owned(),
            },
        };
        // An alarm about our own log is kept even if our log refuses appends (it is the reason).
        match append(&mut tx, self.backend, std::slice::from_ref(&entry)).await {
            Ok(_) => {
                seal(&mut tx, self.signer(), at).await?;
            }
            Err(StoreError::Corrupt(_)) => {}
            Err(e) => return Err(e),
        }
        tx.commit().await?;
        Ok(())
    }

    /// Alarms, newest first; only `peer`'s when given.
    pub async fn alarms(&self, peer: Option<&str>, limit: i64) -> Result<Vec<Alarm>, StoreError> {
        let rows: Vec<(i64, String, String, String, String)> = sqlx::query_as(
            "SELECT seq, peer, kind, detail, at FROM ledger_alarms
             WHERE ($1 = '' OR peer = $1) ORDER BY seq DESC LIMIT $2",
        )
        .bind(peer.unwrap_or(""))
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(seq, peer, kind, detail, at)| Alarm {
                seq,
                peer,
                kind,
                detail,
                at,
            })
            .collect())
    }

    /// Keeps a witness's cosignature of one of our checkpoints (a repeat replaces it).
    pub async fn put_cosignature(&self, c: &Cosignature) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO ledger_cosignatures (size, witness, line, cosigned_at, received_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (size, witness) DO UPDATE SET line = excluded.line,
                 cosigned_at = excluded.cosigned_at, received_at = excluded.received_at",
        )
        .bind(i(c.size)?)
        .bind(&c.witness)
        .bind(&c.line)
        .bind(i(c.cosigned_at)?)
        .bind(&c.received_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Cosignatures of our checkpoints, newest checkpoint first; only those of `size` if given.
    pub async fn cosignatures(&self, size: Option<u64>) -> Result<Vec<Cosignature>, StoreError> {
        let rows: Vec<(i64, String, String, i64, String)> = sqlx::query_as(
            "SELECT size, witness, line, cosigned_at, received_at FROM ledger_cosignatures
             WHERE ($1 < 0 OR size = $1) ORDER BY size DESC, witness",
        )
        .bind(size.map(i).transpose()?.unwrap_or(-1))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(size, witness, line, cosigned_at, received_at)| {
                Ok(Cosignature {
                    size: u(size)?,
                    witness,
                    line,
                    cosigned_at: u(cosigned_at)?,
                    received_at,
                })
            })
            .collect()
    }

    /// Keeps a receipt a peer returned for what we disclosed, and logs it.
    pub async fn put_receipt_received(&self, r: &ReceiptRow) -> Result<bool, StoreError> {
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "INSERT INTO receipts (direction, peer, sha256, doc, first_index, count, at, delivered_at)
             VALUES ('received', $1, $2, $3, $4, $5, $6, NULL)
             ON CONFLICT (direction, sha256) DO NOTHING",
        )
        .bind(&r.peer)
        .bind(&r.sha256)
        .bind(&r.doc)
        .bind(i(r.first_index)?)
        .bind(i(r.count)?)
        .bind(&r.at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        let entry = Entry {
            at: r.at.clone(),
            event: Event::ReceiptReceived {
                from: r.peer.clone(),
                receipt_sha256: r.sha256.clone(),
                count: r.count,
            },
        };
        append(&mut tx, self.backend, std::slice::from_ref(&entry)).await?;
        seal(&mut tx, self.signer(), &r.at).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Receipts in one direction, oldest first; only `peer`'s when given.
    pub async fn receipts(
        &self,
        direction: &str,
        peer: Option<&str>,
    ) -> Result<Vec<ReceiptRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECEIPT_COLUMNS} FROM receipts WHERE direction = $1 AND ($2 = '' OR peer = $2)
             ORDER BY first_index, sha256"
        )))
        .bind(direction)
        .bind(peer.unwrap_or(""))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(receipt_of).collect()
    }

    /// Receipts we issued to `peer` and have not delivered yet.
    pub async fn undelivered_receipts(&self, peer: &str) -> Result<Vec<ReceiptRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECEIPT_COLUMNS} FROM receipts
             WHERE direction = 'issued' AND peer = $1 AND delivered_at IS NULL
             ORDER BY first_index"
        )))
        .bind(peer)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(receipt_of).collect()
    }

    /// Marks receipts we issued as delivered.
    pub async fn mark_receipts_delivered(
        &self,
        shas: &[String],
        at: &str,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        for sha in shas {
            sqlx::query(
                "UPDATE receipts SET delivered_at = $1 WHERE direction = 'issued' AND sha256 = $2",
            )
            .bind(at)
            .bind(sha)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
