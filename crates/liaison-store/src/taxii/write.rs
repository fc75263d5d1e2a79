//! One write to a TAXII collection, in one transaction: the objects (an exact duplicate is left
//! alone, the same id and version with other content is refused), the Status resource that
//! reports them, and where a pull stopped. The collection's row is updated first, which
//! serialises writers per collection and fixes the write's `date_added`.

use std::collections::HashMap;
use std::fmt::Write as _;

use sqlx::any::AnyArguments;
use sqlx::{Any, Arguments, AssertSqlSafe, Row, Transaction};
use time::OffsetDateTime;

use super::{AddOutcome, NewTaxiiObject, PullCursor, TaxiiCollection, taxii_date_added};
use crate::sql::{Arg, Sql};
use crate::{Backend, Store, StoreError};

/// Rows per multi-row INSERT: 8 columns × 500 rows stays far under both engines' limits on
/// bound parameters.
const ROWS_PER_STATEMENT: usize = 500;
/// Ids per `IN (…)` list when looking up what a write already holds.
const IDS_PER_LOOKUP: usize = 500;
/// The version key of a version taken from a `date_added` (milliseconds → nanoseconds).
fn key_of_date_added(date_added: &str) -> Result<String, StoreError> {
    match date_added.strip_suffix('Z') {
        Some(stem) if stem.len() == 23 => Ok(format!("{stem}000000Z")),
        _ => Err(StoreError::Corrupt(format!(
            "taxii_collections.last_added '{date_added}' is not a date_added"
        ))),
    }
}

/// Equal as JSON: the same text, or the same value once parsed (key order and spacing aside).
fn same_json(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    match (
        serde_json::from_str::<serde_json::Value>(a),
        serde_json::from_str::<serde_json::Value>(b),
    ) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}
/// One transaction writing to one collection: objects, the Status resource that reports them,
/// and (for a pull) where the pull stopped. Dropped without [`TaxiiWrite::commit`], it rolls
/// back.
pub struct TaxiiWrite {
    tx: Transaction<'static, Any>,
    backend: Backend,
    /// The collection, and its row number, which object rows carry.
    collection: TaxiiCollection,
    num: i64,
    date_added: String,
}

/// A version already stored, as a write sees it.
struct Stored {
    key: String,
    version: String,
    doc: String,
}

impl TaxiiWrite {
    /// The `date_added` of everything this write stores.
    pub fn date_added(&self) -> &str {
        &self.date_added
    }

    /// The collection written to (whether it is read-only is the caller's to check).
    pub fn collection(&self) -> &TaxiiCollection {
        &self.collection
    }

    /// What the collection already holds of these ids, every version, by id.
    async fn stored(&mut self, ids: &[&str]) -> Result<HashMap<String, Vec<Stored>>, StoreError> {
        let mut out: HashMap<String, Vec<Stored>> = HashMap::new();
        for chunk in ids.chunks(IDS_PER_LOOKUP) {
            let mut sql = Sql::new(
                self.backend,
                "SELECT object_id, version_key, version, doc FROM taxii_objects WHERE collection = ",
            );
            sql.bind(Arg::Int(self.num)).push(" AND object_id IN (");
            for (i, id) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(Arg::Text((*id).to_owned()));
            }
            sql.push(")");
            let args = sql.arguments()?;
            let rows = sqlx::query_with(AssertSqlSafe(sql.text), args)
                .fetch_all(&mut *self.tx)
                .await?;
            for r in rows {
                out.entry(r.try_get(0)?).or_default().push(Stored {
                    key: r.try_get(1)?,
                    version: r.try_get(2)?,
                    doc: r.try_get(3)?,
                });
            }
        }
        Ok(out)
    }

    /// The multi-row INSERT of `rows` (object index, version, version key), with its arguments.
    /// The text is made here with the engine's placeholders and the arguments bound directly,
    /// each text copied once: the documents are most of a write's bytes, and `Sql` would copy
    /// them twice.
    fn insert_statement(
        &self,
        objects: &[NewTaxiiObject],
        rows: &[(usize, String, String)],
    ) -> Result<(String, AnyArguments), StoreError> {
        // Told to skip conflicts (there are none: the caller checks the count), SQLite needs no
        // statement journal for this large statement.
        let mut sql = String::with_capacity(200 + rows.len() * 48);
        sql.push_str(match self.backend {
            Backend::Sqlite => "INSERT OR IGNORE INTO",
            Backend::Postgres => "INSERT INTO",
        });
        sql.push_str(
            " taxii_objects (collection, object_id, object_type, spec_version, version, \
             version_key, date_added, doc) VALUES ",
        );
        let mut args = AnyArguments::default();
        args.reserve(rows.len() * 8, 0);
        let mut n = 0usize;
        for (r, (i, version, key)) in rows.iter().enumerate() {
            let o = objects
                .get(*i)
                .ok_or_else(|| StoreError::Corrupt(format!("object index {i} out of range")))?;
            sql.push_str(if r == 0 { "(" } else { ", (" });
            for k in 0..8 {
                if k > 0 {
                    sql.push_str(", ");
                }
                n += 1;
                match self.backend {
                    Backend::Sqlite => sql.push('?'),
                    Backend::Postgres => {
                        let _ = write!(sql, "${n}");
                    }
                }
            }
            sql.push(')');
            args.add(self.num)
                .and_then(|()| args.add(o.id.as_str()))
                .and_then(|()| args.add(o.object_type.as_str()))
                .and_then(|()| args.add(o.spec_version.as_str()))
                .and_then(|()| args.add(version.as_str()))
                .and_then(|()| args.add(key.as_str()))
                .and_then(|()| args.add(self.date_added.as_str()))
                .and_then(|()| args.add(o.doc.as_str()))
                .map_err(sqlx::Error::Encode)?;
        }
        if self.backend == Backend::Postgres {
            sql.push_str(" ON CONFLICT (collection, object_id, version_key) DO NOTHING");
        }
        Ok((sql, args))
    }

    /// Inserts `rows` (object index, version, version key), none of whose (id, version) pairs
    /// is held (the caller looked them up under the collection's lock).
    async fn insert(
        &mut self,
        objects: &[NewTaxiiObject],
        rows: &[(usize, String, String)],
    ) -> Result<(), StoreError> {
        for chunk in rows.chunks(ROWS_PER_STATEMENT) {
            let (sql, args) = self.insert_statement(objects, chunk)?;
            let done = sqlx::query_with(AssertSqlSafe(sql), args)
                .execute(&mut *self.tx)
                .await?;
            if done.rows_affected() != chunk.len() as u64 {
                return Err(StoreError::Conflict(
                    "objects were stored concurrently; nothing was written".into(),
                ));
            }
        }
        Ok(())
    }

    /// Stores each object that is not stored yet; says for each what happened, in order.
    pub async fn add(&mut self, objects: &[NewTaxiiObject]) -> Result<Vec<AddOutcome>, StoreError> {
        let mut ids: Vec<&str> = objects.iter().map(|o| o.id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut stored = self.stored(&ids).await?;
        let date_key = key_of_date_added(&self.date_added)?;
        let mut outcomes = Vec::with_capacity(objects.len());
        // Indexes into `objects` of what to insert, with the version each gets.
        let mut fresh: Vec<(usize, String, String)> = Vec::new();
        for (i, o) in objects.iter().enumerate() {
            let same_id = stored.get(&o.id).map_or(&[][..], Vec::as_slice);
            let outcome = match &o.version {
                Some(v) => match same_id.iter().find(|s| s.key == v.key) {
                    Some(s) if same_json(&s.doc, &o.doc) => AddOutcome::Unchanged {
                        version: s.version.clone(),
                    },
                    Some(s) => AddOutcome::Clash {
                        version: s.version.clone(),
                    },
                    None => AddOutcome::Added {
                        version: v.text.clone(),
                    },
                },
                // Unversioned: equal content already stored under any version is a duplicate;
                // other content is a new version dated by this write.
                None => match same_id.iter().find(|s| same_json(&s.doc, &o.doc)) {
                    Some(s) => AddOutcome::Unchanged {
                        version: s.version.clone(),
                    },
                    None if same_id.iter().any(|s| s.key == date_key) => AddOutcome::Clash {
                        version: self.date_added.clone(),
                    },
                    None => AddOutcome::Added {
                        version: self.date_added.clone(),
                    },
                },
            };
            if let AddOutcome::Added { version } = &outcome {
                let key = o.version.as_ref().map_or(&date_key, |v| &v.key).clone();
                // Later objects of the same envelope compare against this one.
                stored.entry(o.id.clone()).or_default().push(Stored {
                    key: key.clone(),
                    version: version.clone(),
                    doc: o.doc.clone(),
                });
                fresh.push((i, version.clone(), key));
            }
            outcomes.push(outcome);
        }
        self.insert(objects, &fresh).await?;
        Ok(outcomes)
    }

    /// Records a Status resource (its JSON text, made by the caller).
    pub async fn put_status(
        &mut self,
        id: &str,
        created_by: &str,
        at: OffsetDateTime,
        doc: &str,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO taxii_status (id, collection, created_by, created_at, doc)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(self.collection.id.clone())
        .bind(created_by)
        .bind(taxii_date_added(at))
        .bind(doc)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    /// Records where a pull stopped; `cursor.local_collection` must be this write's collection.
    pub async fn put_pull_cursor(
        &mut self,
        cursor: &PullCursor,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        if cursor.local_collection != self.collection.id {
            return Err(StoreError::Invalid {
                field: "local_collection".into(),
                message: "a pull cursor is saved with writes to its own collection".into(),
            });
        }
        sqlx::query(
            "INSERT INTO taxii_pull_cursors (api_root, collection, local_collection, next_token,
                 added_after, complete, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (api_root, collection) DO UPDATE SET
                 local_collection = excluded.local_collection, next_token = excluded.next_token,
                 added_after = excluded.added_after, complete = excluded.complete,
                 updated_at = excluded.updated_at",
        )
        .bind(cursor.api_root.clone())
        .bind(cursor.collection.clone())
        .bind(cursor.local_collection.clone())
        .bind(cursor.next_token.clone())
        .bind(cursor.added_after.clone())
        .bind(i64::from(cursor.complete))
        .bind(taxii_date_added(at))
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }

    pub async fn commit(self) -> Result<(), StoreError> {
        self.tx.commit().await?;
        Ok(())
    }
}
impl Store {
    /// Starts a write to `collection` (`NotFound` if it does not exist), with `now` as the
    /// candidate `date_added`. Writers to one collection wait for each other here.
    pub async fn taxii_write(
        &self,
        collection: &str,
        now: OffsetDateTime,
    ) -> Result<TaxiiWrite, StoreError> {
        let mut tx = self.pool.begin().await?;
        let row: Option<(i64, String, String, String, i64)> = sqlx::query_as(
            "UPDATE taxii_collections
             SET last_added = CASE WHEN last_added < $2 THEN $2 ELSE last_added END
             WHERE id = $1 RETURNING num, last_added, title, description, read_only",
        )
        .bind(collection)
        .bind(taxii_date_added(now))
        .fetch_optional(&mut *tx)
        .await?;
        let (num, date_added, title, description, read_only) = row.ok_or(StoreError::NotFound)?;
        Ok(TaxiiWrite {
            tx,
            backend: self.backend,
            collection: TaxiiCollection {
                id: collection.to_owned(),
                title,
                description,
                read_only: read_only != 0,
            },
            num,
            date_added,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_added_as_a_version_key() {
        assert_eq!(
            key_of_date_added("2023-11-14T22:13:20.123Z")
                .ok()
                .as_deref(),
            Some("2023-11-14T22:13:20.123000000Z")
        );
        assert!(key_of_date_added("2023-11-14T22:13:20Z").is_err());
        assert!(key_of_date_added("").is_err());
    }

    #[test]
    fn json_sameness() {
        assert!(same_json(
            r#"{"a":1,"b":[true]}"#,
            r#"{ "b": [true], "a": 1 }"#
        ));
        assert!(!same_json(r#"{"a":1}"#, r#"{"a":true}"#));
        assert!(!same_json(r#"{"a":1}"#, "not json"));
    }
}
