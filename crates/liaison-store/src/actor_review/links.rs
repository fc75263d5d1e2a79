//! Link rows of names incidents give their actors: what the link pass found (linked at once or
//! proposed), and the reviews that decide proposals. A name is decided once per incident; a review
//! changes only the decision columns and never the matcher's score, reasons or proposal.

use std::collections::BTreeSet;

use liaison_core::ActorId;
use time::OffsetDateTime;

use super::{
    LINK_COLUMNS, LinkOutcome, LinkStatus, MAX_NAME_LINKS, NameLinkRow, NewNameLink, UnlinkedName,
    link_row,
};
use crate::incidents::ts;
use crate::{Store, StoreError};

impl Store {
    /// Every name a current incident gives an actor without an actor id, once per incident,
    /// that has no link row yet (neither linked, proposed nor rejected).
    pub async fn unlinked_incident_names(&self) -> Result<Vec<UnlinkedName>, StoreError> {
        Ok(self.unlinked_incident_names_after(0).await?.0)
    }

    /// The same, over the incident rows stored after counter `after` only (an automatic pass
    /// keeps a watermark), with the highest counter read (`after` when none).
    pub async fn unlinked_incident_names_after(
        &self,
        after: i64,
    ) -> Result<(Vec<UnlinkedName>, i64), StoreError> {
        let decided: Vec<(String, String)> =
            sqlx::query_as("SELECT incident_id, actor_name FROM actor_name_links")
                .fetch_all(&self.pool)
                .await?;
        let decided: BTreeSet<(String, String)> = decided.into_iter().collect();
        let mut out = Vec::new();
        let after = self
            .each_incident_after(after, |_, incident| {
                let mut names: BTreeSet<&str> = BTreeSet::new();
                for a in incident.content.actors.iter() {
                    if a.actor_id.is_none() && !a.name.trim().is_empty() {
                        names.insert(&a.name);
                    }
                }
                for name in names {
                    let key = (incident.id.as_str().to_owned(), name.to_owned());
                    if !decided.contains(&key) {
                        out.push(UnlinkedName {
                            incident_id: incident.id.clone(),
                            name: name.to_owned(),
                        });
                    }
                }
                Ok(())
            })
            .await?;
        Ok((out, after))
    }

    /// Records a pass's decisions in one transaction. A decision already on the record for the
    /// same incident and name is left as it was, so two passes record each name once.
    pub async fn record_name_links(
        &self,
        links: &[NewNameLink],
        by: &str,
        at: OffsetDateTime,
    ) -> Result<LinkOutcome, StoreError> {
        let at = ts(at)?;
        let mut out = LinkOutcome::default();
        let mut tx = self.pool.begin().await?;
        for l in links {
            let (status, method, decided_at, decided_by) = if l.linked {
                ("linked", "auto", Some(at.clone()), Some(by.to_owned()))
            } else {
                ("proposed", "proposed", None, None)
            };
            let done = sqlx::query(
                "INSERT INTO actor_name_links (incident_id, actor_name, actor_id, status, method,
                     proposed_actor_id, matched, score, reasons, found_at, found_by, decided_at,
                     decided_by)
                 VALUES ($1, $2, $3, $4, $5, $3, $6, $7, $8, $9, $10, $11, $12)
                 ON CONFLICT (incident_id, actor_name) DO NOTHING",
            )
            .bind(l.incident_id.as_str())
            .bind(l.actor_name.clone())
            .bind(l.actor_id.as_str())
            .bind(status)
            .bind(method)
            .bind(l.matched.clone())
            .bind(l.score)
            .bind(l.reasons.to_string())
            .bind(at.clone())
            .bind(by)
            .bind(decided_at)
            .bind(decided_by)
            .execute(&mut *tx)
            .await?;
            match (done.rows_affected(), l.linked) {
                (0, _) => out.already += 1,
                (_, true) => out.linked += 1,
                (_, false) => out.proposed += 1,
            }
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Link rows, oldest first, of one status or all, at most [`MAX_NAME_LINKS`].
    pub async fn name_links(
        &self,
        status: Option<LinkStatus>,
    ) -> Result<Vec<NameLinkRow>, StoreError> {
        let sql = format!(
            "SELECT {LINK_COLUMNS} FROM actor_name_links
             WHERE ($1 = '' OR status = $1) ORDER BY id LIMIT $2"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(status.map_or("", LinkStatus::as_str))
            .bind(MAX_NAME_LINKS)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(link_row).collect()
    }

    pub async fn name_link(&self, id: i64) -> Result<NameLinkRow, StoreError> {
        let sql = format!("SELECT {LINK_COLUMNS} FROM actor_name_links WHERE id = $1");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        link_row(&row.ok_or(StoreError::NotFound)?)
    }

    /// Why a proposal could not be reviewed: it does not exist, or was decided already.
    async fn not_a_proposal(&self, id: i64) -> StoreError {
        match self.name_link(id).await {
            Ok(row) => StoreError::Conflict(format!(
                "link {id} is {} (decided by {} at {}), not a proposal",
                row.status.as_str(),
                row.decided_by.as_deref().unwrap_or("?"),
                row.decided_at.as_deref().unwrap_or("?")
            )),
            Err(e) => e,
        }
    }

    /// Accepts a proposal: the incident counts as naming the proposed actor.
    pub async fn accept_name_link(
        &self,
        id: i64,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<NameLinkRow, StoreError> {
        let done = sqlx::query(
            "UPDATE actor_name_links SET status = 'linked', method = 'accepted', decided_at = $1,
                 decided_by = $2 WHERE id = $3 AND status = 'proposed'",
        )
        .bind(ts(at)?)
        .bind(by)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Err(self.not_a_proposal(id).await);
        }
        self.name_link(id).await
    }

    /// Rejects a proposal; with `instead`, links the name to that actor (method `manual`).
    pub async fn reject_name_link(
        &self,
        id: i64,
        instead: Option<&ActorId>,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<NameLinkRow, StoreError> {
        if let Some(other) = instead {
            self.require_actor("actor", other).await?;
        }
        let (status, method) = match instead {
            Some(_) => ("linked", "manual"),
            None => ("rejected", "rejected"),
        };
        let done = sqlx::query(
            "UPDATE actor_name_links SET status = $1, method = $2, actor_id = $3,
                 decided_at = $4, decided_by = $5 WHERE id = $6 AND status = 'proposed'",
        )
        .bind(status)
        .bind(method)
        .bind(instead.map(|a| a.as_str().to_owned()))
        .bind(ts(at)?)
        .bind(by)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() != 1 {
            return Err(self.not_a_proposal(id).await);
        }
        self.name_link(id).await
    }

    /// `Invalid` naming `field` unless an actor record `id` is stored.
    pub(super) async fn require_actor(&self, field: &str, id: &ActorId) -> Result<(), StoreError> {
        let found: Option<String> = sqlx::query_scalar("SELECT id FROM actors WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        match found {
            Some(_) => Ok(()),
            None => Err(StoreError::Invalid {
                field: field.to_owned(),
                message: format!("no actor {id} on this node"),
            }),
        }
    }
}
