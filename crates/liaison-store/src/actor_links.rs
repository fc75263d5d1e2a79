//! Actor records in bulk, and how incidents link to them.
//!
//! An import of an actor list stores every record in one transaction ([`Store::put_actors`]):
//! a record equal to the stored one changes nothing, a different one replaces it, so importing
//! the same list twice is a no-op. Incidents name their actors inside their JSON document
//! (`actors[].actor_id`), not in a column; [`Store::actor_links`] reads the current documents a
//! page at a time and counts, per actor id, the incidents that name it, so the caller can tell
//! ids with a stored record from ids without one.
//!
//! What this is not: a link graph or a matcher of names (`liaison-names`); ids are compared
//! exactly.

use std::collections::BTreeMap;

use liaison_core::{Actor, ActorId};

use crate::{Store, StoreError};

/// What storing a list of actors did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ActorsOutcome {
    pub inserted: u64,
    pub unchanged: u64,
    pub replaced: u64,
}

/// How stored incidents name actors by id.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorLinks {
    /// Incidents naming each actor id (an incident counts once per id).
    pub incidents_by_actor: BTreeMap<ActorId, u64>,
    /// Ids among those with a stored actor record.
    pub known: std::collections::BTreeSet<ActorId>,
    /// Incidents naming at least one actor id that has a stored record.
    pub incidents_linked: u64,
    /// Incidents naming at least one actor id that has none.
    pub incidents_with_unknown: u64,
}

impl ActorLinks {
    /// Actor ids incidents name that have no stored record, with their incident counts.
    pub fn unknown(&self) -> impl Iterator<Item = (&ActorId, u64)> {
        self.incidents_by_actor
            .iter()
            .filter(|(id, _)| !self.known.contains(*id))
            .map(|(id, n)| (id, *n))
    }
}

impl Store {
    /// Stores `actors` in one transaction: all or none.
    pub async fn put_actors(&self, actors: &[Actor]) -> Result<ActorsOutcome, StoreError> {
        let mut tx = self.pool.begin().await?;
        let mut out = ActorsOutcome::default();
        for a in actors {
            let doc = serde_json::to_string(a)
                .map_err(|e| StoreError::Corrupt(format!("encoding actor: {e}")))?;
            let stored: Option<String> = sqlx::query_scalar("SELECT doc FROM actors WHERE id = $1")
                .bind(a.id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            // Compared as records, not text, so a reordering of JSON keys is no change.
            match stored.map(|d| serde_json::from_str::<Actor>(&d)) {
                Some(Ok(old)) if old == *a => {
                    out.unchanged += 1;
                    continue;
                }
                Some(_) => out.replaced += 1,
                None => out.inserted += 1,
            }
            let kind = serde_json::to_string(&a.kind)
                .map_err(|e| StoreError::Corrupt(format!("encoding actor kind: {e}")))?;
            sqlx::query(
                "INSERT INTO actors (id, kind, name, ucdp_id, doc) VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                     ucdp_id = excluded.ucdp_id, doc = excluded.doc",
            )
            .bind(a.id.as_str())
            .bind(kind.trim_matches('"').to_owned())
            .bind(a.name.clone())
            .bind(a.ucdp_id.map(i64::from))
            .bind(doc)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Counts, over the current version of every incident, the incidents naming each actor id,
    /// and which of those ids have a stored actor record.
    pub async fn actor_links(&self) -> Result<ActorLinks, StoreError> {
        let known_ids: Vec<String> = sqlx::query_scalar("SELECT id FROM actors")
            .fetch_all(&self.pool)
            .await?;
        let known_all: std::collections::BTreeSet<String> = known_ids.into_iter().collect();
        let mut links = ActorLinks::default();
        self.each_incident_after(0, |_, incident| {
            let mut ids: Vec<&ActorId> = incident
                .content
                .actors
                .iter()
                .filter_map(|a| a.actor_id.as_ref())
                .collect();
            ids.sort();
            ids.dedup();
            let (mut linked, mut unknown) = (false, false);
            for id in ids {
                *links.incidents_by_actor.entry(id.clone()).or_default() += 1;
                if known_all.contains(id.as_str()) {
                    links.known.insert(id.clone());
                    linked = true;
                } else {
                    unknown = true;
                }
            }
            links.incidents_linked += u64::from(linked);
            links.incidents_with_unknown += u64::from(unknown);
            Ok(())
        })
        .await?;
        Ok(links)
    }
}
