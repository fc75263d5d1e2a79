//! Persistence of a Liaison node: SQLite (the embedded default, in WAL mode) or PostgreSQL (for a
//! large node, chosen by a `postgres://` URL), behind one API.
//!
//! Both engines run the same SQL through sqlx's `Any` driver, with `$N` placeholders, which the
//! SQLite driver accepts too. Only four things differ, and each is chosen by [`Backend`]: the
//! migration folder, the full-text index (FTS5 on SQLite, a `tsvector` GIN index on
//! PostgreSQL), the spelling of a few casts, and how an optional real is bound (`sql.rs`). Full-text search gives the same answers on both
//! because the search terms are made in Rust (`liaison_core::text`) and the engines only match
//! whole terms.
//!
//! This crate holds no business rule: who may write what is decided above it. It never reads the
//! clock: timestamps are arguments.

mod actor_graph;
mod actor_links;
mod actor_match;
mod actor_review;
mod alerts;
mod audit;
mod characterisations;
mod error;
mod federation;
mod field_reports;
pub mod fusions;
mod incidents;
mod ledger;
mod notices;
mod operations;
mod points;
mod reads;
mod receive;
mod registry;
mod search;
mod sectors;
mod sessions;
mod sql;
mod stix;
mod taxii;
mod users;
mod watch;
mod witness;
mod zones;

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, ConnectOptions, Executor};

pub use actor_graph::ActorGraphInput;
pub use actor_links::{ActorLinks, ActorsOutcome};
pub use actor_review::{
    ActorIncidents, EffectiveActor, EffectiveAlias, LinkOutcome, LinkStatus, MAX_NAME_LINKS,
    MergeRow, NameLinkRow, NewNameLink, UnlinkedName, effective_actor,
};
pub use alerts::{
    AlertDetail, AlertFilter, AlertKind, AlertResponseRow, AlertRow, AlertStatsRow, DeliveryRow,
    MAX_ALERTS, ReciprocityRow,
};
pub use audit::{AlarmSummary, RecallRow, ReceivedCursor};
pub use characterisations::{CharacterisationRow, Divergence, MAX_DIVERGENCES, Reading};
pub use error::StoreError;
pub use federation::{
    AgreementRow, AttestationRow, Disclosure, OutboxRow, PeerRow, ReceivedRow, Refusal, SyncState,
};
pub use field_reports::{FieldReportRow, MAX_FIELD_REPORTS, ReportStatus};
pub use fusions::{
    AgreedRow, FusionClaim, FusionDetail, FusionOutcome, FusionRow, NewFusion, SignoffRow, SplitRow,
};
pub use incidents::ts as ts_of;
pub use incidents::{BatchOutcome, ImportRecord, ImportSession, Prepared, VersionRecord};
pub use ledger::{
    CheckpointRow, FIRST_STORED_LEVEL, LedgerHead, LedgerSigner, MAX_ENTRIES_PER_READ, StoredEntry,
    hex_to_hash,
};
/// An alert's state, as the store keeps it (the rules of its steps are `liaison_ops`'s).
pub use liaison_ops::alerts::AlertState;
pub use notices::received_operation_id;
pub use operations::{NoticeRow, OperationRow, OperationVersion, OperationWrite};
pub use points::MapPoint;
pub use reads::READS_PER_ENTRY;
pub use receive::{ReceiveSession, Received, ReceivedIncident};
pub use search::{Cursor, MAX_PAGE_SIZE, Page};
pub use sectors::{ConstraintRow, SectorRow};
pub use sessions::WebSession;
pub use stix::{NewStixObject, StixObjectRow};
pub use taxii::{
    AddOutcome, NewTaxiiObject, ObjectVersion, PullCursor, TaxiiCollection, TaxiiPage, TaxiiQuery,
    TaxiiRow, TaxiiWrite, VersionMatch, taxii_date_added, taxii_timestamp_key,
};
pub use users::{Role, User};
pub use watch::{RuleRecorded, ScanReport, WatchRuleRow};
pub use witness::{Alarm, Cosignature, ReceiptRow, WitnessState, WitnessedEntry};
pub use zones::ZoneRow;

/// The database engine behind a store.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The engine a URL names, or an error naming what was given.
    pub fn from_url(url: &str) -> Result<Backend, StoreError> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Config(format!(
                "database URL must start with sqlite: or postgres:// (got '{}')",
                redact_url(url)
            )))
        }
    }
}

/// A URL with any password replaced by `***`, for messages and logs.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let creds = &url[scheme_end + 3..at];
            match creds.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme_end + 3],
                    &creds[..colon],
                    &url[at..]
                ),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

/// Most connections a node keeps open.
const MAX_CONNECTIONS: u32 = 8;
/// Page cache of each SQLite connection, in KiB (16 MiB).
pub(crate) const SQLITE_CACHE_KIB: u32 = 16_384;
/// WAL pages written before SQLite copies them back into the database (40 MiB at 4 KiB pages;
/// SQLite's default is 1,000). Fewer, larger checkpoints copy a page rewritten by many commits
/// (a hot index page) once instead of many times: TAXII writes of 100 objects went from 1.7 to
/// 1.2 ms at 2,000 objects and from 3.0 to 2.0 ms at 30,000 (bench/taxii*).
const SQLITE_WAL_AUTOCHECKPOINT_PAGES: u32 = 10_000;
/// How long a writer waits for SQLite's lock before giving up.
const SQLITE_BUSY_TIMEOUT_MS: u64 = 5_000;

/// A node's database.
#[derive(Clone)]
pub struct Store {
    pool: AnyPool,
    backend: Backend,
    /// Signs the ledger's checkpoints and receipts (see [`Store::set_ledger_signer`]).
    ledger_signer: Option<std::sync::Arc<LedgerSigner>>,
    /// Users' reads waiting to be logged (see `reads.rs`).
    reads: std::sync::Arc<std::sync::Mutex<reads::ReadBuffer>>,
}

impl Store {
    /// Opens (creating it if needed, for SQLite) the database at `url` and brings its schema up
    /// to date.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        sqlx::any::install_default_drivers();
        let backend = Backend::from_url(url)?;
        let mut url = url.to_owned();
        if backend == Backend::Sqlite && !url.contains("mode=") {
            url.push_str(if url.contains('?') {
                "&mode=rwc"
            } else {
                "?mode=rwc"
            });
        }
        let options = AnyConnectOptions::from_str(&url)
            .map_err(|e| StoreError::Config(format!("{}: {e}", redact_url(&url))))?
            .disable_statement_logging();
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite {
                // SQLite has one writer; more connections only add lock waits.
                4
            } else {
                MAX_CONNECTIONS
            })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _meta| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = NORMAL").await?;
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        let cache = format!("PRAGMA cache_size = -{SQLITE_CACHE_KIB}");
                        conn.execute(sqlx::AssertSqlSafe(cache)).await?;
                        let wal = format!(
                            "PRAGMA wal_autocheckpoint = {SQLITE_WAL_AUTOCHECKPOINT_PAGES}"
                        );
                        conn.execute(sqlx::AssertSqlSafe(wal)).await?;
                        let busy = format!("PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}");
                        conn.execute(sqlx::AssertSqlSafe(busy)).await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await
            .map_err(|e| StoreError::Config(format!("cannot open {}: {e}", redact_url(&url))))?;
        let store = Store {
            pool,
            backend,
            ledger_signer: None,
            reads: Default::default(),
        };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<(), StoreError> {
        let mut migrator = match self.backend {
            Backend::Sqlite => sqlx::migrate!("migrations/sqlite"),
            Backend::Postgres => sqlx::migrate!("migrations/postgres"),
        };
        // PostgreSQL-compatible engines such as CockroachDB lack advisory locks.
        if self.backend == Backend::Postgres {
            migrator.set_locking(false);
        }
        migrator
            .run(&self.pool)
            .await
            .map_err(|e| StoreError::Config(format!("schema migration failed: {e}")))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Closes every connection, checkpointing SQLite's WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Reads a node setting.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT value FROM node_settings WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.map(|r| r.0))
    }

    /// Writes a node setting, replacing any previous value.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO node_settings (key, value) VALUES ($1, $2)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.pool)
        .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls() {
        assert_eq!(Backend::from_url("sqlite:x.db").ok(), Some(Backend::Sqlite));
        assert_eq!(
            Backend::from_url("postgres://u@h/db").ok(),
            Some(Backend::Postgres)
        );
        assert!(Backend::from_url("mysql://h/db").is_err());
        assert_eq!(
            redact_url("postgres://user:secret@host/db"),
            "postgres://user:***@host/db"
        );
        assert_eq!(
            redact_url("postgres://user@host/db"),
            "postgres://user@host/db"
        );
        let err = Backend::from_url("mysql://u:pw@h/db")
            .err()
            .map(|e| e.to_string());
        assert!(!err.unwrap_or_default().contains("pw"));
    }
}
