//! Listings of a TAXII collection (objects, manifest, versions: rows after a `seq`, in `seq`
//! order, with the TAXII filters) and deletion of an object's versions.
//!
//! `match[version]` is answered with the unique index on (collection, object id, version key):
//! `last` is "no newer version of the same object", `first` "no older one".

use sqlx::{AssertSqlSafe, Row};

use super::{TaxiiPage, TaxiiQuery, TaxiiRow, VersionMatch};
use crate::sql::{Arg, Sql};
use crate::{Store, StoreError};

/// Object rows carry the collection's number; callers name collections by id.
const COLLECTION_NUM: &str = "(SELECT num FROM taxii_collections WHERE id = ";

/// Appends the conditions of `versions` and `spec_versions` on rows aliased `o`.
fn push_version_filters(sql: &mut Sql, versions: &VersionMatch, spec_versions: &[String]) {
    if !spec_versions.is_empty() {
        sql.push(" AND o.spec_version IN (");
        for (i, v) in spec_versions.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Text(v.clone()));
        }
        sql.push(")");
    }
    if versions.all || (!versions.first && !versions.last && versions.keys.is_empty()) {
        return;
    }
    let mut alternatives = Vec::new();
    let newer = "NOT EXISTS (SELECT 1 FROM taxii_objects n WHERE n.collection = o.collection \
                 AND n.object_id = o.object_id AND n.version_key ";
    if versions.last {
        alternatives.push(format!("{newer}> o.version_key)"));
    }
    if versions.first {
        alternatives.push(format!("{newer}< o.version_key)"));
    }
    sql.push(" AND (");
    sql.push(&alternatives.join(" OR "));
    if !versions.keys.is_empty() {
        if !alternatives.is_empty() {
            sql.push(" OR ");
        }
        sql.push("o.version_key IN (");
        for (i, k) in versions.keys.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Text(k.clone()));
        }
        sql.push(")");
    }
    sql.push(")");
}

fn push_in(sql: &mut Sql, column: &str, values: &[String]) {
    if values.is_empty() {
        return;
    }
    sql.push(" AND ").push(column).push(" IN (");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Arg::Text(v.clone()));
    }
    sql.push(")");
}
impl Store {
    /// A page of `collection` (which the caller has checked exists): at most `q.limit` rows
    /// after `q.after_seq` in `seq` order, with their JSON text when `with_doc`.
    pub async fn taxii_objects(
        &self,
        collection: &str,
        q: &TaxiiQuery,
        with_doc: bool,
    ) -> Result<TaxiiPage, StoreError> {
        let mut sql = Sql::new(
            self.backend,
            "SELECT o.seq, o.object_id, o.version, o.spec_version, o.date_added",
        );
        sql.push(if with_doc { ", o.doc" } else { ", ''" });
        sql.push(" FROM taxii_objects o WHERE o.collection = ")
            .push(COLLECTION_NUM)
            .bind(Arg::Text(collection.to_owned()))
            .push(")")
            .push(" AND o.seq > ")
            .bind(Arg::Int(q.after_seq));
        if let Some(after) = &q.added_after {
            sql.push(" AND o.date_added > ")
                .bind(Arg::Text(after.clone()));
        }
        push_in(&mut sql, "o.object_id", &q.object_ids);
        push_in(&mut sql, "o.object_type", &q.types);
        push_version_filters(&mut sql, &q.versions, &q.spec_versions);
        sql.push(" ORDER BY o.seq LIMIT ")
            .bind(Arg::Int(i64::from(q.limit) + 1));
        let args = sql.arguments()?;
        let rows = sqlx::query_with(AssertSqlSafe(sql.text), args)
            .fetch_all(&self.pool)
            .await?;
        let mut page = TaxiiPage {
            rows: Vec::with_capacity(rows.len()),
            more: false,
        };
        for r in rows {
            if page.rows.len() == q.limit as usize {
                page.more = true;
                break;
            }
            page.rows.push(TaxiiRow {
                seq: r.try_get(0)?,
                object_id: r.try_get(1)?,
                version: r.try_get(2)?,
                spec_version: r.try_get(3)?,
                date_added: r.try_get(4)?,
                doc: r.try_get(5)?,
            });
        }
        Ok(page)
    }

    /// Deletes the versions of `object_id` in `collection` that match; returns how many.
    pub async fn delete_taxii_object(
        &self,
        collection: &str,
        object_id: &str,
        versions: &VersionMatch,
        spec_versions: &[String],
    ) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut sql = Sql::new(
            self.backend,
            "SELECT o.seq FROM taxii_objects o WHERE o.collection = ",
        );
        sql.push(COLLECTION_NUM)
            .bind(Arg::Text(collection.to_owned()))
            .push(")")
            .push(" AND o.object_id = ")
            .bind(Arg::Text(object_id.to_owned()));
        push_version_filters(&mut sql, versions, spec_versions);
        let args = sql.arguments()?;
        let seqs: Vec<i64> = sqlx::query_scalar_with(AssertSqlSafe(sql.text), args)
            .fetch_all(&mut *tx)
            .await?;
        for seq in &seqs {
            sqlx::query("DELETE FROM taxii_objects WHERE seq = $1")
                .bind(*seq)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(seqs.len() as u64)
    }
}
