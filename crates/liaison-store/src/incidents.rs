//! Writing and reading incidents: bulk import sessions (one transaction, idempotent by incident
//! id), single creations, new versions by the originator, and the version history.

use liaison_core::text::index_terms;
use liaison_core::{Incident, IncidentId};
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::sql::{Arg, Sql};
use crate::{Backend, Store, StoreError};

/// Rows per multi-row INSERT: 21 columns × 400 rows stays under SQLite's and PostgreSQL's limits
/// on bound parameters (32,766 and 65,535).
const ROWS_PER_STATEMENT: usize = 400;

/// Page cache of the connection that runs a bulk import, in KiB (256 MiB).
const IMPORT_CACHE_KIB: u32 = 262_144;

const INCIDENT_COLUMNS: &str = "id, originator, version, event_type, sub_type, date_start, \
     date_end, year, month, lat, lon, country, coords_country, fatalities_best, fatalities_low, \
     fatalities_high, dataset, record_id, recorded_at, recorded_by, doc";

/// What one batch of an import did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct BatchOutcome {
    /// New incidents stored.
    pub inserted: u64,
    /// Incidents already stored with the same content: nothing changed.
    pub unchanged: u64,
    /// Incidents already stored whose content differed: stored as a new version.
    pub updated: u64,
}

impl std::ops::AddAssign for BatchOutcome {
    fn add_assign(&mut self, o: BatchOutcome) {
        self.inserted += o.inserted;
        self.unchanged += o.unchanged;
        self.updated += o.updated;
    }
}

/// A summary of an import, kept in the `imports` table for audit.
#[derive(Debug, Clone)]
pub struct ImportRecord {
    pub dataset: String,
    pub file_name: String,
    pub file_sha256: String,
    pub rows_read: u64,
    pub outcome: BatchOutcome,
    pub rejected: u64,
}

/// One version of an incident as stored, with who stored it and when.
#[derive(Debug, Clone)]
pub struct VersionRecord {
    pub incident: Incident,
    pub recorded_at: String,
    pub recorded_by: String,
}

pub fn ts(at: OffsetDateTime) -> Result<String, StoreError> {
    at.format(&Rfc3339)
        .map_err(|e| StoreError::Config(format!("timestamp: {e}")))
}

fn to_doc(inc: &Incident) -> Result<String, StoreError> {
    serde_json::to_string(inc).map_err(|e| StoreError::Corrupt(format!("encoding {}: {e}", inc.id)))
}

/// Incident documents read per query by [`Store::each_incident_after`].
const SCAN_PAGE: i64 = 1_000;

impl Store {
    /// Calls `each` with every current incident stored after counter `after`, in counter order,
    /// reading a page of documents at a time (the whole-table scans that count, collect or
    /// decide per incident). Returns the highest counter read (`after` when none).
    pub(crate) async fn each_incident_after(
        &self,
        after: i64,
        mut each: impl FnMut(i64, Incident) -> Result<(), StoreError>,
    ) -> Result<i64, StoreError> {
        let mut after = after;
        loop {
            let page: Vec<(i64, String)> = sqlx::query_as(
                "SELECT seq, doc FROM incidents WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .bind(after)
            .bind(SCAN_PAGE)
            .fetch_all(&self.pool)
            .await?;
            let Some((last, _)) = page.last() else {
                return Ok(after);
            };
            after = *last;
            for (seq, doc) in &page {
                each(*seq, from_doc(doc)?)?;
            }
        }
    }
}

pub(crate) fn from_doc(doc: &str) -> Result<Incident, StoreError> {
    serde_json::from_str(doc).map_err(|e| StoreError::Corrupt(format!("incident document: {e}")))
}

/// Pushes the bound values of one incident row, in `INCIDENT_COLUMNS` order.
fn push_row(sql: &mut Sql, p: &Prepared, recorded_at: &str, recorded_by: &str) {
    let inc = &p.incident;
    let c = &inc.content;
    let point = c.location.point;
    let f = &c.casualties.fatalities;
    let (dataset, record_id) = match &c.provenance {
        Some(prov) => (Some(prov.dataset.clone()), Some(prov.record_id.clone())),
        None => (None, None),
    };
    let start = c.date.start;
    let args = [
        Arg::Text(inc.id.as_str().to_owned()),
        Arg::Text(inc.originator.as_str().to_owned()),
        Arg::Int(i64::from(inc.version)),
        Arg::Text(inc.event_type.as_str().to_owned()),
        Arg::Text(c.sub_type.as_str().to_owned()),
        Arg::Text(start.to_string()),
        Arg::Text(c.date.end.to_string()),
        Arg::Int(i64::from(start.year())),
        Arg::Text(format!(
            "{:04}-{:02}",
            start.year(),
            u8::from(start.month())
        )),
        Arg::OptReal(point.map(|p| p.lat)),
        Arg::OptReal(point.map(|p| p.lon)),
        Arg::Text(
            c.location
                .country
                .as_ref()
                .map_or_else(String::new, |x| x.as_str().to_owned()),
        ),
        Arg::OptText(
            c.location
                .coordinates_country
                .as_ref()
                .map(|x| x.as_str().to_owned()),
        ),
        Arg::Int(i64::from(f.best)),
        Arg::Int(i64::from(f.low)),
        Arg::Int(i64::from(f.high)),
        Arg::OptText(dataset),
        Arg::OptText(record_id),
        Arg::Text(recorded_at.to_owned()),
        Arg::Text(recorded_by.to_owned()),
        Arg::Text(p.doc.clone()),
    ];
    sql.push("(");
    for (i, a) in args.into_iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(a);
    }
}

/// An incident ready to store: its JSON document and search terms made in advance, so that a
/// bulk import can make them on another thread than the one that writes.
#[derive(Debug, Clone)]
pub struct Prepared {
    pub incident: Incident,
    doc: String,
    terms: String,
}

/// The ledger entry recording that an incident version was stored here.
pub(crate) fn recorded_entry(p: &Prepared, at: &str, by: &str) -> liaison_ledger::Entry {
    use sha2::Digest as _;
    liaison_ledger::Entry {
        at: at.to_owned(),
        event: liaison_ledger::Event::IncidentRecorded {
            incident_id: p.incident.id.as_str().to_owned(),
            originator: p.incident.originator.as_str().to_owned(),
            version: i64::from(p.incident.version),
            content_sha256: hex::encode(sha2::Sha256::digest(p.doc.as_bytes())),
            by: by.to_owned(),
        },
    }
}

impl Prepared {
    pub fn new(incident: Incident) -> Result<Prepared, StoreError> {
        Ok(Prepared {
            doc: to_doc(&incident)?,
            terms: index_terms(&incident.content.searchable_text()).join(" "),
            incident,
        })
    }
}

/// Inserts incidents that are not stored yet; returns the ids inserted with their row numbers.
pub(crate) async fn insert_new(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    batch: &[Prepared],
    recorded_at: &str,
    recorded_by: &str,
) -> Result<Vec<(i64, String)>, StoreError> {
    let mut inserted = Vec::new();
    for chunk in batch.chunks(ROWS_PER_STATEMENT) {
        let mut sql = Sql::new(backend, "INSERT INTO incidents (");
        sql.push(INCIDENT_COLUMNS);
        if backend == Backend::Postgres {
            sql.push(", terms");
        }
        sql.push(") VALUES ");
        for (i, p) in chunk.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            push_row(&mut sql, p, recorded_at, recorded_by);
            if backend == Backend::Postgres {
                sql.push(", ").bind(Arg::Text(p.terms.clone()));
            }
            sql.push(")");
        }
        sql.push(" ON CONFLICT (id) DO NOTHING RETURNING seq, id");
        let args = sql.arguments()?;
        let rows = sqlx::query_with(AssertSqlSafe(sql.text), args)
            .fetch_all(&mut **tx)
            .await?;
        let mut chunk_inserted = Vec::with_capacity(rows.len());
        for r in rows {
            chunk_inserted.push((r.try_get::<i64, _>(0)?, r.try_get::<String, _>(1)?));
        }
        if backend == Backend::Sqlite && !chunk_inserted.is_empty() {
            let by_id: std::collections::HashMap<&str, &Prepared> =
                chunk.iter().map(|p| (p.incident.id.as_str(), p)).collect();
            let mut fts = Sql::new(backend, "INSERT INTO incident_terms (rowid, terms) VALUES ");
            for (i, (seq, id)) in chunk_inserted.iter().enumerate() {
                let p = by_id.get(id.as_str()).ok_or_else(|| {
                    StoreError::Corrupt(format!("insert returned unknown id {id}"))
                })?;
                if i > 0 {
                    fts.push(", ");
                }
                fts.push("(").bind(Arg::Int(*seq)).push(", ");
                fts.bind(Arg::Text(p.terms.clone())).push(")");
            }
            let args = fts.arguments()?;
            sqlx::query_with(AssertSqlSafe(fts.text), args)
                .execute(&mut **tx)
                .await?;
        }
        inserted.extend(chunk_inserted);
    }
    Ok(inserted)
}

/// Replaces the current version of an incident with `new`, archiving the old one.
pub(crate) async fn replace_current(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    new: &Incident,
    recorded_at: &str,
    recorded_by: &str,
) -> Result<(), StoreError> {
    let id = new.id.as_str();
    sqlx::query(
        "INSERT INTO incident_versions (incident_id, version, recorded_at, recorded_by, doc)
         SELECT id, version, recorded_at, recorded_by, doc FROM incidents WHERE id = $1",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    let seq: i64 = sqlx::query_scalar("SELECT seq FROM incidents WHERE id = $1")
        .bind(id)
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query("DELETE FROM incidents WHERE id = $1")
        .bind(id)
        .execute(&mut **tx)
        .await?;
    if backend == Backend::Sqlite {
        sqlx::query("DELETE FROM incident_terms WHERE rowid = $1")
            .bind(seq)
            .execute(&mut **tx)
            .await?;
    }
    // Re-inserted under a new row number: the node's counter records that something changed,
    // which is what later consumers of the outbox follow.
    let prepared = Prepared::new(new.clone())?;
    insert_new(
        tx,
        backend,
        std::slice::from_ref(&prepared),
        recorded_at,
        recorded_by,
    )
    .await?;
    Ok(())
}

/// A bulk write in one transaction: all of it is stored by [`ImportSession::commit`], none of it
/// if the session is dropped or [`ImportSession::rollback`] is called.
pub struct ImportSession {
    pub(crate) tx: Transaction<'static, Any>,
    pub(crate) backend: Backend,
    pub(crate) recorded_at: String,
    recorded_by: String,
    indexes_deferred: bool,
    signer: Option<std::sync::Arc<crate::LedgerSigner>>,
}

/// The secondary indexes of `incidents`, exactly as the migrations create them. A large import
/// on SQLite drops them and builds each once at the end, which is faster than maintaining them
/// row by row (measured: 53 s + 9 s instead of 88 s for 1,000,000 rows). A test checks this
/// list against the schema.
pub(crate) const SECONDARY_INDEXES: &[(&str, &str)] = &[
    ("incidents_date", "incidents (date_start, seq)"),
    (
        "incidents_type_date",
        "incidents (event_type, date_start, lat, lon, seq)",
    ),
    (
        "incidents_country_date",
        "incidents (country, date_start, seq)",
    ),
];

impl ImportSession {
    /// Stores a batch. An incident whose id is stored already is left alone when its content
    /// is the same, and stored as a new version when it differs.
    pub async fn insert_batch(&mut self, batch: &[Prepared]) -> Result<BatchOutcome, StoreError> {
        let inserted = insert_new(
            &mut self.tx,
            self.backend,
            batch,
            &self.recorded_at,
            &self.recorded_by,
        )
        .await?;
        let mut outcome = BatchOutcome {
            inserted: inserted.len() as u64,
            ..Default::default()
        };
        let by_id: std::collections::HashMap<&str, &Prepared> =
            batch.iter().map(|p| (p.incident.id.as_str(), p)).collect();
        let mut entries = Vec::with_capacity(inserted.len());
        for (_, id) in &inserted {
            if let Some(p) = by_id.get(id.as_str()) {
                entries.push(recorded_entry(p, &self.recorded_at, &self.recorded_by));
            }
        }
        if inserted.len() == batch.len() {
            crate::ledger::append(&mut self.tx, self.backend, &entries).await?;
            return Ok(outcome);
        }
        let fresh: std::collections::HashSet<&str> =
            inserted.iter().map(|(_, id)| id.as_str()).collect();
        for inc in batch
            .iter()
            .map(|p| &p.incident)
            .filter(|i| !fresh.contains(i.id.as_str()))
        {
            let doc: String = sqlx::query_scalar("SELECT doc FROM incidents WHERE id = $1")
                .bind(inc.id.as_str())
                .fetch_one(&mut *self.tx)
                .await?;
            let stored = from_doc(&doc)?;
            if stored.content == inc.content {
                outcome.unchanged += 1;
            } else {
                let mut next = inc.clone();
                next.version = stored.version + 1;
                next.originator = stored.originator;
                replace_current(
                    &mut self.tx,
                    self.backend,
                    &next,
                    &self.recorded_at,
                    &self.recorded_by,
                )
                .await?;
                entries.push(recorded_entry(
                    &Prepared::new(next)?,
                    &self.recorded_at,
                    &self.recorded_by,
                ));
                outcome.updated += 1;
            }
        }
        crate::ledger::append(&mut self.tx, self.backend, &entries).await?;
        Ok(outcome)
    }

    /// Records the import's summary in the same transaction.
    pub async fn record(&mut self, r: &ImportRecord) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO imports (dataset, file_name, file_sha256, rows_read, inserted, unchanged,
                 rejected, imported_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(r.dataset.clone())
        .bind(r.file_name.clone())
        .bind(r.file_sha256.clone())
        .bind(r.rows_read as i64)
        .bind(r.outcome.inserted as i64)
        .bind((r.outcome.unchanged + r.outcome.updated) as i64)
        .bind(r.rejected as i64)
        .bind(self.recorded_at.clone())
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// For a large import: drops the secondary indexes now and rebuilds them at commit. Only on
    /// SQLite, where readers keep their snapshot meanwhile; on PostgreSQL dropping an index
    /// would lock readers out for the whole import, so this does nothing there. A rollback
    /// brings the indexes back with everything else.
    pub async fn defer_indexes(&mut self) -> Result<(), StoreError> {
        if self.backend != Backend::Sqlite || self.indexes_deferred {
            return Ok(());
        }
        for (name, _) in SECONDARY_INDEXES {
            let drop = format!("DROP INDEX IF EXISTS {name}");
            sqlx::query(AssertSqlSafe(drop))
                .execute(&mut *self.tx)
                .await?;
        }
        self.indexes_deferred = true;
        Ok(())
    }

    pub async fn commit(mut self) -> Result<(), StoreError> {
        if self.indexes_deferred {
            for (name, def) in SECONDARY_INDEXES {
                let create = format!("CREATE INDEX {name} ON {def}");
                sqlx::query(AssertSqlSafe(create))
                    .execute(&mut *self.tx)
                    .await?;
            }
        }
        self.restore_cache().await?;
        let at = self.recorded_at.clone();
        crate::ledger::seal(&mut self.tx, self.signer.as_deref(), &at).await?;
        self.tx.commit().await?;
        Ok(())
    }

    pub async fn rollback(mut self) -> Result<(), StoreError> {
        self.restore_cache().await?;
        self.tx.rollback().await?;
        Ok(())
    }

    /// Gives the connection back to the pool with the normal page cache, so a long-running
    /// server does not keep an import's cache.
    async fn restore_cache(&mut self) -> Result<(), StoreError> {
        if self.backend == Backend::Sqlite {
            let pragma = format!("PRAGMA cache_size = -{}", crate::SQLITE_CACHE_KIB);
            sqlx::query(AssertSqlSafe(pragma))
                .execute(&mut *self.tx)
                .await?;
        }
        Ok(())
    }
}

impl Store {
    /// Begins a bulk write; `recorded_by` names the user or process, `at` is the time stamped on
    /// every row.
    pub async fn begin_import(
        &self,
        recorded_by: &str,
        at: OffsetDateTime,
    ) -> Result<ImportSession, StoreError> {
        let mut tx = self.pool.begin().await?;
        if self.backend == Backend::Sqlite {
            // A bulk write touches index pages over and over: a large page cache keeps them in
            // memory until commit instead of spilling each change to the WAL.
            let pragma = format!("PRAGMA cache_size = -{IMPORT_CACHE_KIB}");
            sqlx::query(AssertSqlSafe(pragma)).execute(&mut *tx).await?;
        }
        Ok(ImportSession {
            tx,
            backend: self.backend,
            recorded_at: ts(at)?,
            recorded_by: recorded_by.to_owned(),
            indexes_deferred: false,
            signer: self.ledger_signer.clone(),
        })
    }

    /// Stores a new incident; fails with `Conflict` if its id is taken.
    pub async fn create_incident(
        &self,
        inc: &Incident,
        recorded_by: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        self.create_incident_in(&mut tx, inc, recorded_by, at)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// [`Store::create_incident`] inside the caller's transaction, so that another write (a
    /// field report marked accepted) stands or falls with it.
    pub(crate) async fn create_incident_in(
        &self,
        tx: &mut Transaction<'static, Any>,
        inc: &Incident,
        recorded_by: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let prepared = Prepared::new(inc.clone())?;
        let inserted = insert_new(
            tx,
            self.backend,
            std::slice::from_ref(&prepared),
            &ts(at)?,
            recorded_by,
        )
        .await?;
        if inserted.is_empty() {
            return Err(StoreError::Conflict(format!("incident {} exists", inc.id)));
        }
        let at = ts(at)?;
        let entry = recorded_entry(&prepared, &at, recorded_by);
        crate::ledger::append(tx, self.backend, std::slice::from_ref(&entry)).await?;
        crate::ledger::seal(tx, self.signer(), &at).await?;
        Ok(())
    }

    /// Stores `new` as the next version of its incident. `new.version` must be the stored
    /// version plus one, so that two editors cannot silently overwrite each other; a recalled
    /// incident takes no new version (`Conflict`).
    pub async fn update_incident(
        &self,
        new: &Incident,
        recorded_by: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let current: Option<i64> =
            sqlx::query_scalar("SELECT version FROM incidents WHERE id = $1")
                .bind(new.id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        let current = current.ok_or(StoreError::NotFound)?;
        // A recall is final: a new version would flow to the partners again, undoing it.
        let recalled: Option<i64> =
            sqlx::query_scalar("SELECT version FROM recalls WHERE incident_id = $1")
                .bind(new.id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if let Some(v) = recalled {
            return Err(StoreError::Conflict(format!(
                "incident {} was recalled (version {v}): it cannot change any more",
                new.id
            )));
        }
        if i64::from(new.version) != current + 1 {
            return Err(StoreError::Conflict(format!(
                "incident {} is at version {current}; a new version must be {}",
                new.id,
                current + 1
            )));
        }
        let at = ts(at)?;
        replace_current(&mut tx, self.backend, new, &at, recorded_by).await?;
        let entry = recorded_entry(&Prepared::new(new.clone())?, &at, recorded_by);
        crate::ledger::append(&mut tx, self.backend, std::slice::from_ref(&entry)).await?;
        crate::ledger::seal(&mut tx, self.signer(), &at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The current version of an incident.
    pub async fn get_incident(&self, id: &IncidentId) -> Result<Incident, StoreError> {
        let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM incidents WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        from_doc(&doc.ok_or(StoreError::NotFound)?)
    }

    /// Every version of an incident, oldest first.
    pub async fn incident_versions(
        &self,
        id: &IncidentId,
    ) -> Result<Vec<VersionRecord>, StoreError> {
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT doc, recorded_at, recorded_by FROM incident_versions WHERE incident_id = $1
             UNION ALL
             SELECT doc, recorded_at, recorded_by FROM incidents WHERE id = $1",
        )
        .bind(id.as_str())
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Err(StoreError::NotFound);
        }
        let mut out = rows
            .into_iter()
            .map(|(doc, recorded_at, recorded_by)| {
                Ok(VersionRecord {
                    incident: from_doc(&doc)?,
                    recorded_at,
                    recorded_by,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        out.sort_by_key(|v| v.incident.version);
        Ok(out)
    }

    /// How many incidents the node holds.
    pub async fn count_incidents(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM incidents")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }
}
