//! TAXII 2.1 storage: collections, the STIX objects they hold (each version kept verbatim, as
//! the JSON text that was received), Status resources, and where the TAXII client stopped.
//!
//! Every stored version gets `seq`, the node's own counter, and every listing is ordered by it:
//! a TAXII `next` token carries the last `seq` a page returned (invariant 5, counters not
//! clocks), so objects that share a `date_added` are never lost nor repeated. A write to a
//! collection first updates the collection's row, which serialises writers per collection on
//! both engines; so `seq` follows commit order within a collection (a reader never sees seq 10
//! before seq 9 is visible), and `date_added`, taken as max(now, the collection's last one),
//! never goes back.
//!
//! This module decides nothing about who may read or write (the server does) nor whether an
//! object is valid STIX (the server checks before calling). It compares documents only to tell
//! an exact duplicate (same id, version and content: unchanged) from a clash (same id and
//! version, other content).

//! Submodules: `write` (a write transaction: objects, Status, pull cursor), `query` (listings
//! and deletion).

mod query;
mod write;

use time::OffsetDateTime;

use crate::{Store, StoreError};

pub use write::TaxiiWrite;

/// A collection as TAXII describes it. Who may write it is decided above the store; the store
/// only keeps whether it is read-only for everyone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxiiCollection {
    /// A UUID.
    pub id: String,
    pub title: String,
    pub description: String,
    /// Nobody writes it through TAXII (the node fills it itself, or a pull does).
    pub read_only: bool,
}

/// A STIX object's version: the timestamp as the object gives it, and its fixed-width UTC form
/// ([`taxii_timestamp_key`]) used to compare versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectVersion {
    pub text: String,
    pub key: String,
}

/// An object to store, already checked by the caller.
#[derive(Debug, Clone)]
pub struct NewTaxiiObject {
    pub id: String,
    pub object_type: String,
    pub spec_version: String,
    /// `modified`, else `created`; `None` for an object with neither (an SCO), whose version is
    /// then the `date_added` of the write that first stores this content.
    pub version: Option<ObjectVersion>,
    /// The object's JSON text, stored and served as received.
    pub doc: String,
}

/// What a write did with one object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddOutcome {
    /// Stored as a new version.
    Added { version: String },
    /// The same id and version were stored with equal content: nothing changed.
    Unchanged { version: String },
    /// The same id and version are stored with other content: refused, the stored one stays.
    Clash { version: String },
}

/// Which versions of each object a query takes. The TAXII default is `last` only.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VersionMatch {
    pub all: bool,
    pub first: bool,
    pub last: bool,
    /// Exact versions, as [`taxii_timestamp_key`] keys.
    pub keys: Vec<String>,
}

impl VersionMatch {
    pub fn last() -> VersionMatch {
        VersionMatch {
            last: true,
            ..VersionMatch::default()
        }
    }

    pub fn all() -> VersionMatch {
        VersionMatch {
            all: true,
            ..VersionMatch::default()
        }
    }
}

/// A listing of a collection: rows after `after_seq`, in `seq` order, matching every filter.
#[derive(Debug, Clone, Default)]
pub struct TaxiiQuery {
    pub after_seq: i64,
    /// Only rows added after this time (a [`taxii_date_added`]-form string, compared strictly).
    pub added_after: Option<String>,
    pub object_ids: Vec<String>,
    pub types: Vec<String>,
    pub versions: VersionMatch,
    /// Empty: every spec version.
    pub spec_versions: Vec<String>,
    pub limit: u32,
}

/// One stored version of an object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxiiRow {
    pub seq: i64,
    pub object_id: String,
    pub version: String,
    pub spec_version: String,
    pub date_added: String,
    /// The object's JSON text; empty when the query did not ask for it.
    pub doc: String,
}

/// Rows of a listing, and whether more match after them.
#[derive(Debug, Clone, Default)]
pub struct TaxiiPage {
    pub rows: Vec<TaxiiRow>,
    pub more: bool,
}

/// Where a pull from a remote TAXII collection stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PullCursor {
    /// The remote API root's URL.
    pub api_root: String,
    /// The remote collection's id.
    pub collection: String,
    /// The local collection the objects go into.
    pub local_collection: String,
    /// The remote's last `next` token, if it gave one.
    pub next_token: Option<String>,
    /// The remote's last `X-TAXII-Date-Added-Last`.
    pub added_after: Option<String>,
    /// The last pull reached the end (`more` false).
    pub complete: bool,
}

/// `t` as TAXII's `date_added`: UTC, millisecond precision, fixed width
/// (`2024-05-01T10:00:00.123Z`), so that text order is time order.
pub fn taxii_date_added(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// `t` as a version key: UTC, nanosecond precision, fixed width
/// (`2024-05-01T10:00:00.123000000Z`), so that text order is time order.
pub fn taxii_timestamp_key(t: OffsetDateTime) -> String {
    let t = t.to_offset(time::UtcOffset::UTC);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:09}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.nanosecond()
    )
}

impl Store {
    /// Adds a collection; `Conflict` if its id is taken.
    pub async fn add_taxii_collection(
        &self,
        c: &TaxiiCollection,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let done = sqlx::query(
            "INSERT INTO taxii_collections (id, title, description, read_only, created_at)
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (id) DO NOTHING",
        )
        .bind(c.id.clone())
        .bind(c.title.clone())
        .bind(c.description.clone())
        .bind(i64::from(c.read_only))
        .bind(taxii_date_added(at))
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!("collection {} exists", c.id)));
        }
        Ok(())
    }

    /// Every collection, oldest first.
    pub async fn taxii_collections(&self) -> Result<Vec<TaxiiCollection>, StoreError> {
        let rows: Vec<(String, String, String, i64)> = sqlx::query_as(
            "SELECT id, title, description, read_only FROM taxii_collections
             ORDER BY created_at, id",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, title, description, ro)| TaxiiCollection {
                id,
                title,
                description,
                read_only: ro != 0,
            })
            .collect())
    }

    pub async fn taxii_collection(&self, id: &str) -> Result<TaxiiCollection, StoreError> {
        let row: Option<(String, String, String, i64)> = sqlx::query_as(
            "SELECT id, title, description, read_only FROM taxii_collections WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        let (id, title, description, ro) = row.ok_or(StoreError::NotFound)?;
        Ok(TaxiiCollection {
            id,
            title,
            description,
            read_only: ro != 0,
        })
    }
    /// A Status resource: who made it, in which collection, and its JSON text.
    pub async fn taxii_status(&self, id: &str) -> Result<(String, String, String), StoreError> {
        let row: Option<(String, String, String)> =
            sqlx::query_as("SELECT created_by, collection, doc FROM taxii_status WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        row.ok_or(StoreError::NotFound)
    }

    /// Where the last pull from `(api_root, collection)` stopped, if there was one.
    pub async fn taxii_pull_cursor(
        &self,
        api_root: &str,
        collection: &str,
    ) -> Result<Option<PullCursor>, StoreError> {
        let row: Option<(String, Option<String>, Option<String>, i64)> = sqlx::query_as(
            "SELECT local_collection, next_token, added_after, complete FROM taxii_pull_cursors
             WHERE api_root = $1 AND collection = $2",
        )
        .bind(api_root)
        .bind(collection)
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map(
            |(local_collection, next_token, added_after, complete)| PullCursor {
                api_root: api_root.to_owned(),
                collection: collection.to_owned(),
                local_collection,
                next_token,
                added_after,
                complete: complete != 0,
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_width_times() {
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_700_000_000_123_456_789)
            .unwrap_or(OffsetDateTime::UNIX_EPOCH);
        assert_eq!(taxii_date_added(t), "2023-11-14T22:13:20.123Z");
        assert_eq!(taxii_timestamp_key(t), "2023-11-14T22:13:20.123456789Z");
    }
}
