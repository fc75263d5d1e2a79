//! Merges of actor records and their splits, and what the standing merges make of an actor: its
//! names with their provenance and the incidents that count for it. Records are never rewritten;
//! a split only fills its merge's split columns.

use std::collections::{BTreeMap, BTreeSet};

use liaison_core::{Actor, ActorId};
use time::OffsetDateTime;

use super::{
    ActorIncidents, EffectiveActor, MERGE_COLUMNS, MergeRow, effective_actor, group, merge_row,
};
use crate::incidents::ts;
use crate::{Store, StoreError};

impl Store {
    /// Records that `other` and `keep` are one actor. Refused (naming the field) for an actor
    /// merged with itself, an unknown actor or an empty reason; refused as a conflict when
    /// `other` is already merged into a record or `keep` is itself merged into another (merge
    /// into that one instead).
    pub async fn merge_actors(
        &self,
        keep: &ActorId,
        other: &ActorId,
        reason: &str,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<MergeRow, StoreError> {
        if keep == other {
            return Err(StoreError::Invalid {
                field: "other".into(),
                message: format!("{other} cannot be merged with itself"),
            });
        }
        if reason.trim().is_empty() {
            return Err(StoreError::Invalid {
                field: "reason".into(),
                message: "say why the two records are one actor".into(),
            });
        }
        self.require_actor("keep", keep).await?;
        self.require_actor("other", other).await?;
        let mut tx = self.pool.begin().await?;
        let sql = format!(
            "SELECT {MERGE_COLUMNS} FROM actor_merges
             WHERE split_at IS NULL AND (other_id = $1 OR other_id = $2)"
        );
        let standing = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(other.as_str())
            .bind(keep.as_str())
            .fetch_all(&mut *tx)
            .await?;
        let standing: Vec<MergeRow> = standing.iter().map(merge_row).collect::<Result<_, _>>()?;
        // The other record's merge is the one to report first: it is the one to split.
        let blocking = standing
            .iter()
            .find(|m| m.other_id == other.as_str())
            .or_else(|| standing.first());
        if let Some(m) = blocking {
            let (whose, what) = if m.other_id == other.as_str() {
                ("other", "split that merge first")
            } else {
                ("keep", "merge into that record instead")
            };
            return Err(StoreError::Conflict(format!(
                "{whose} {} is already merged into {} (merge {}): {what}",
                m.other_id, m.keep_id, m.id
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO actor_merges (keep_id, other_id, reason, merged_at, merged_by)
             VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(keep.as_str())
        .bind(other.as_str())
        .bind(reason.trim())
        .bind(ts(at)?)
        .bind(by)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        self.actor_merge(id).await
    }

    /// Undoes a standing merge: both records count as themselves again, exactly as before.
    pub async fn split_actor_merge(
        &self,
        id: i64,
        reason: Option<&str>,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<MergeRow, StoreError> {
        let done = sqlx::query(
            "UPDATE actor_merges SET split_at = $1, split_by = $2, split_reason = $3
             WHERE id = $4 AND split_at IS NULL",
        )
        .bind(ts(at)?)
        .bind(by)
        .bind(
            reason
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .map(str::to_owned),
        )
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            let m = self.actor_merge(id).await?;
            return Err(StoreError::Conflict(format!(
                "merge {id} was already split at {} by {}",
                m.split_at.as_deref().unwrap_or("?"),
                m.split_by.as_deref().unwrap_or("?")
            )));
        }
        self.actor_merge(id).await
    }

    pub async fn actor_merge(&self, id: i64) -> Result<MergeRow, StoreError> {
        let sql = format!("SELECT {MERGE_COLUMNS} FROM actor_merges WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        merge_row(&row.ok_or(StoreError::NotFound)?)
    }

    /// Every merge, standing or split, that `actor` took part in, oldest first.
    pub async fn actor_merges(&self, actor: &ActorId) -> Result<Vec<MergeRow>, StoreError> {
        let sql = format!(
            "SELECT {MERGE_COLUMNS} FROM actor_merges WHERE keep_id = $1 OR other_id = $1
             ORDER BY id"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(actor.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(merge_row).collect()
    }

    async fn standing_merges(&self) -> Result<Vec<MergeRow>, StoreError> {
        let sql =
            format!("SELECT {MERGE_COLUMNS} FROM actor_merges WHERE split_at IS NULL ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(merge_row).collect()
    }

    async fn records(&self) -> Result<BTreeMap<String, Actor>, StoreError> {
        Ok(self
            .actors()
            .await?
            .into_iter()
            .map(|a| (a.id.as_str().to_owned(), a))
            .collect())
    }

    /// Every actor not merged into another, as the standing merges make it: what names are
    /// matched against.
    pub async fn effective_actors(&self) -> Result<Vec<EffectiveActor>, StoreError> {
        let records = self.records().await?;
        let standing = self.standing_merges().await?;
        let merged: BTreeSet<&str> = standing.iter().map(|m| m.other_id.as_str()).collect();
        Ok(records
            .values()
            .filter(|a| !merged.contains(a.id.as_str()))
            .map(|a| effective_actor(a, &records, &standing))
            .collect())
    }

    /// One actor as the standing merges make it.
    pub async fn effective_actor(&self, id: &ActorId) -> Result<EffectiveActor, StoreError> {
        let records = self.records().await?;
        let actor = records.get(id.as_str()).ok_or(StoreError::NotFound)?;
        Ok(effective_actor(
            actor,
            &records,
            &self.standing_merges().await?,
        ))
    }

    /// The incidents naming `id` or a record merged into it, by actor id in the document or by
    /// a linked name that the incident's current version still gives.
    pub async fn actor_incidents(&self, id: &ActorId) -> Result<ActorIncidents, StoreError> {
        let standing = self.standing_merges().await?;
        let members: BTreeSet<String> = group(id.as_str(), &standing)
            .into_iter()
            .map(|(m, _)| m)
            .collect();
        let mut linked: BTreeSet<(String, String)> = BTreeSet::new();
        for m in &members {
            let rows: Vec<(String, String)> = sqlx::query_as(
                "SELECT incident_id, actor_name FROM actor_name_links
                 WHERE status = 'linked' AND actor_id = $1",
            )
            .bind(m.clone())
            .fetch_all(&self.pool)
            .await?;
            linked.extend(rows);
        }
        let (mut by_id, mut by_name) = (BTreeSet::new(), BTreeSet::new());
        self.each_incident_after(0, |_, incident| {
            let iid = incident.id.as_str().to_owned();
            for a in &incident.content.actors {
                match &a.actor_id {
                    Some(x) if members.contains(x.as_str()) => {
                        by_id.insert(iid.clone());
                    }
                    // A new version that no longer gives the name drops its link.
                    None if linked.contains(&(iid.clone(), a.name.clone())) => {
                        by_name.insert(iid.clone());
                    }
                    _ => {}
                }
            }
            Ok(())
        })
        .await?;
        let total = by_id.union(&by_name).count() as u64;
        Ok(ActorIncidents {
            by_id: by_id.len() as u64,
            by_name: by_name.len() as u64,
            total,
        })
    }
}
