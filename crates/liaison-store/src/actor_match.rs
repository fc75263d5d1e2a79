//! What answering a partner's actor query needs of the store: the incidents that name an actor
//! by id (to tell whether the partner's agreements already release the actor through one of
//! them).

use liaison_core::Incident;

use crate::incidents::from_doc;
use crate::{Store, StoreError};

impl Store {
    /// Current incidents naming actor `id` among their actors, newest first, at most `limit`.
    /// The documents are filtered by text first (the id as the JSON holds it), then checked
    /// exactly, so a wildcard or a longer id never counts.
    pub async fn incidents_naming_actor(
        &self,
        id: &str,
        limit: usize,
    ) -> Result<Vec<Incident>, StoreError> {
        let needle = serde_json::to_string(id).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        // LIKE's own wildcards in an id are escaped, so the filter only narrows.
        let escaped = needle
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let docs: Vec<String> = sqlx::query_scalar(
            "SELECT doc FROM incidents WHERE doc LIKE $1 ESCAPE '\\' ORDER BY seq DESC",
        )
        .bind(format!("%\"actor_id\":{escaped}%"))
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for d in docs {
            let inc = from_doc(&d)?;
            if inc
                .content
                .actors
                .iter()
                .any(|a| a.actor_id.as_ref().is_some_and(|x| x.as_str() == id))
            {
                out.push(inc);
                if out.len() >= limit {
                    break;
                }
            }
        }
        Ok(out)
    }
}
