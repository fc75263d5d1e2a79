//! Read-only queries for `liaison audit`: the log's rows as stored, gaps and all; every
//! disclosure, recall and received row (so `audit verify` can check that each fact the store
//! holds is also in the log); and a per-member summary of alarms (so `sync --status` and `peer
//! list` show them without reading every alarm).
//!
//! Disclosures and received rows are read in pages, keyed by their primary order, so a node
//! with many of them is checked without holding them all at once.

use sqlx::Row;

use crate::federation::{
    DISCLOSURE_COLUMNS, Disclosure, RECEIVED_COLUMNS, ReceivedRow, disclosure_row, received_row,
};
use crate::ledger::{MAX_ENTRIES_PER_READ, StoredEntry};
use crate::witness::Alarm;
use crate::{Store, StoreError};

/// One recall this node issued, as stored in `recalls`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecallRow {
    pub incident_id: String,
    /// The version that is the tombstone.
    pub version: i64,
    pub at: String,
    pub by_user: String,
}

/// The alarms raised about one member's log: how many, and the latest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlarmSummary {
    pub peer: String,
    pub count: i64,
    pub latest: Alarm,
}

/// Where the next page of `received` rows starts (after this originator and incident id).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReceivedCursor {
    pub originator: String,
    pub incident_id: String,
}

fn index(v: i64) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| StoreError::Corrupt(format!("ledger index {v} is negative")))
}

impl Store {
    /// The next stored entries from index `start`, however far apart, at most `limit` (capped at
    /// [`MAX_ENTRIES_PER_READ`]). Unlike `ledger_entries`, which reads a window of indices, a
    /// gap wider than a page does not end the reading, so an audit sees every row.
    pub async fn ledger_rows_from(
        &self,
        start: u64,
        limit: u64,
    ) -> Result<Vec<StoredEntry>, StoreError> {
        let rows: Vec<(i64, String, String, String, String, String)> = sqlx::query_as(
            "SELECT idx, kind, at, concerns, entry, leaf_hash FROM ledger_entries
             WHERE idx >= $1 ORDER BY idx LIMIT $2",
        )
        .bind(i64::try_from(start).unwrap_or(i64::MAX))
        .bind(i64::try_from(limit.min(MAX_ENTRIES_PER_READ)).unwrap_or(0))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(idx, kind, at, concerns, entry, leaf_hash)| {
                Ok(StoredEntry {
                    index: index(idx)?,
                    kind,
                    at,
                    concerns: concerns.split_whitespace().map(str::to_owned).collect(),
                    entry,
                    leaf_hash,
                })
            })
            .collect()
    }

    /// Disclosures after `after_seq` (their insertion order), at most `limit`, with their seq.
    pub async fn disclosures_page(
        &self,
        after_seq: i64,
        limit: i64,
    ) -> Result<Vec<(i64, Disclosure)>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT seq, {DISCLOSURE_COLUMNS} FROM disclosures WHERE seq > $1 ORDER BY seq LIMIT $2"
        )))
        .bind(after_seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, disclosure_row(r, 1)?)))
            .collect()
    }

    /// Every recall this node issued, oldest first. Recalls are few (one per recalled incident).
    pub async fn recalls(&self) -> Result<Vec<RecallRow>, StoreError> {
        let rows: Vec<(String, i64, String, String)> = sqlx::query_as(
            "SELECT incident_id, version, at, by_user FROM recalls ORDER BY at, incident_id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(incident_id, version, at, by_user)| RecallRow {
                incident_id,
                version,
                at,
                by_user,
            })
            .collect())
    }

    /// Received rows after `after` in (originator, incident id) order, at most `limit`.
    pub async fn received_page(
        &self,
        after: &ReceivedCursor,
        limit: i64,
    ) -> Result<Vec<ReceivedRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RECEIVED_COLUMNS} FROM received
             WHERE originator > $1 OR (originator = $1 AND incident_id > $2)
             ORDER BY originator, incident_id LIMIT $3"
        )))
        .bind(&after.originator)
        .bind(&after.incident_id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(received_row).collect()
    }

    /// For each member with alarms: their number and the latest one, by member code.
    pub async fn alarm_summaries(&self) -> Result<Vec<AlarmSummary>, StoreError> {
        let rows: Vec<(String, i64, i64, String, String, String)> = sqlx::query_as(
            "SELECT a.peer, c.n, a.seq, a.kind, a.detail, a.at
             FROM ledger_alarms a
             JOIN (SELECT peer, COUNT(*) AS n, MAX(seq) AS last FROM ledger_alarms GROUP BY peer) c
               ON a.seq = c.last
             ORDER BY a.peer",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(peer, count, seq, kind, detail, at)| AlarmSummary {
                peer: peer.clone(),
                count,
                latest: Alarm {
                    seq,
                    peer,
                    kind,
                    detail,
                    at,
                },
            })
            .collect())
    }
}
