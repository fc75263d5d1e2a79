//! STIX objects kept verbatim (`stix_objects`): every object of every imported bundle, known to
//! Liaison or not, stored as the JSON text it came as, once per id and version, and read back in
//! the node's own order (`seq`). Also the recorded times a STIX export needs of each incident.
//!
//! The table knows nothing of STIX beyond the id, type, spec_version and version the caller
//! gives: checking objects is `liaison-stix`'s business.

use std::collections::HashMap;

use liaison_core::IncidentId;
use sqlx::{AssertSqlSafe, Row};

use crate::sql::{Arg, Sql};
use crate::{ImportSession, Store, StoreError};

/// Rows per multi-row INSERT: 6 columns × 1,000 rows stays under both engines' parameter limits.
const ROWS_PER_STATEMENT: usize = 1_000;
/// Ids per `IN (…)` list when reading by id.
const IDS_PER_QUERY: usize = 500;

/// A STIX object to keep.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewStixObject {
    pub id: String,
    pub object_type: String,
    pub spec_version: Option<String>,
    /// The version key: `modified`, else `created`, fixed-width (see the migration), or ''.
    pub modified: String,
    /// The object's JSON text as received.
    pub doc: String,
}

/// A kept STIX object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StixObjectRow {
    pub seq: i64,
    pub id: String,
    pub object_type: String,
    pub spec_version: Option<String>,
    pub modified: String,
    pub doc: String,
    pub imported_at: String,
}

const COLUMNS: &str = "seq, id, type, spec_version, modified, doc, imported_at";

fn row(r: &sqlx::any::AnyRow) -> Result<StixObjectRow, StoreError> {
    Ok(StixObjectRow {
        seq: r.try_get(0)?,
        id: r.try_get(1)?,
        object_type: r.try_get(2)?,
        spec_version: r.try_get(3)?,
        modified: r.try_get(4)?,
        doc: r.try_get(5)?,
        imported_at: r.try_get(6)?,
    })
}

impl ImportSession {
    /// Keeps objects in the import's transaction; an object whose id and version are stored
    /// already is left as it is. Returns how many were new.
    pub async fn put_stix_objects(&mut self, objects: &[NewStixObject]) -> Result<u64, StoreError> {
        let mut inserted = 0u64;
        for chunk in objects.chunks(ROWS_PER_STATEMENT) {
            let mut sql = Sql::new(
                self.backend,
                "INSERT INTO stix_objects (id, type, spec_version, modified, doc, imported_at) \
                 VALUES ",
            );
            for (i, o) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.push("(").bind(Arg::Text(o.id.clone())).push(", ");
                sql.bind(Arg::Text(o.object_type.clone())).push(", ");
                sql.bind(Arg::OptText(o.spec_version.clone())).push(", ");
                sql.bind(Arg::Text(o.modified.clone())).push(", ");
                sql.bind(Arg::Text(o.doc.clone())).push(", ");
                sql.bind(Arg::Text(self.recorded_at.clone())).push(")");
            }
            sql.push(" ON CONFLICT (id, modified) DO NOTHING RETURNING seq");
            let args = sql.arguments()?;
            let rows = sqlx::query_with(AssertSqlSafe(sql.text), args)
                .fetch_all(&mut *self.tx)
                .await?;
            inserted += rows.len() as u64;
        }
        Ok(inserted)
    }
}

impl Store {
    /// Kept objects after row `after_seq`, in the order they were kept, at most `limit`.
    pub async fn stix_objects(
        &self,
        after_seq: i64,
        limit: u32,
    ) -> Result<Vec<StixObjectRow>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM stix_objects WHERE seq > $1 ORDER BY seq LIMIT $2");
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(after_seq)
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(row).collect()
    }

    /// Every kept version of one object, oldest first.
    pub async fn stix_object_versions(&self, id: &str) -> Result<Vec<StixObjectRow>, StoreError> {
        let sql =
            format!("SELECT {COLUMNS} FROM stix_objects WHERE id = $1 ORDER BY modified, seq");
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(row).collect()
    }

    /// The newest kept version of each of `ids` that is kept at all.
    pub async fn latest_stix_objects(
        &self,
        ids: &[String],
    ) -> Result<HashMap<String, StixObjectRow>, StoreError> {
        let mut out: HashMap<String, StixObjectRow> = HashMap::new();
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let mut sql = Sql::new(
                self.backend,
                &format!("SELECT {COLUMNS} FROM stix_objects WHERE id IN ("),
            );
            for (i, id) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Arg::Text(id.clone()));
            }
            sql.push(")");
            let args = sql.arguments()?;
            let rows = sqlx::query_with(AssertSqlSafe(sql.text), args)
                .fetch_all(&self.pool)
                .await?;
            for r in &rows {
                let r = row(r)?;
                let newer = out
                    .get(&r.id)
                    .is_none_or(|o| (&r.modified, r.seq) > (&o.modified, o.seq));
                if newer {
                    out.insert(r.id.clone(), r);
                }
            }
        }
        Ok(out)
    }

    /// How many objects are kept (all versions).
    pub async fn count_stix_objects(&self) -> Result<u64, StoreError> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM stix_objects")
            .fetch_one(&self.pool)
            .await?;
        Ok(u64::try_from(n).unwrap_or(0))
    }

    /// For each stored incident of `ids`: when its first version was recorded and when its
    /// current one was (STIX `created` and `modified`), as stored (RFC 3339).
    pub async fn incident_recorded_span(
        &self,
        ids: &[IncidentId],
    ) -> Result<HashMap<String, (String, String)>, StoreError> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(IDS_PER_QUERY) {
            let list = |sql: &mut Sql| {
                for (i, id) in chunk.iter().enumerate() {
                    if i > 0 {
                        sql.push(", ");
                    }
                    sql.bind(Arg::Text(id.as_str().to_owned()));
                }
                sql.push(")");
            };
            let mut cur = Sql::new(
                self.backend,
                "SELECT id, recorded_at FROM incidents WHERE id IN (",
            );
            list(&mut cur);
            let args = cur.arguments()?;
            for r in sqlx::query_with(AssertSqlSafe(cur.text), args)
                .fetch_all(&self.pool)
                .await?
            {
                let at: String = r.try_get(1)?;
                out.insert(r.try_get::<String, _>(0)?, (at.clone(), at));
            }
            let mut first = Sql::new(
                self.backend,
                "SELECT incident_id, recorded_at FROM incident_versions WHERE version = 1 AND \
                 incident_id IN (",
            );
            list(&mut first);
            let args = first.arguments()?;
            for r in sqlx::query_with(AssertSqlSafe(first.text), args)
                .fetch_all(&self.pool)
                .await?
            {
                let id: String = r.try_get(0)?;
                if let Some(span) = out.get_mut(&id) {
                    span.0 = r.try_get(1)?;
                }
            }
        }
        Ok(out)
    }
}
