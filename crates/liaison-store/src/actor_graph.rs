//! What the actors' link graph is made from, read in two queries: every actor record, and for
//! each current incident the actor ids it names.
//!
//! The graph itself (co-occurrence counts, neighbourhoods, exports) is `liaison_core::actor_graph`,
//! pure; this module only reads. Incidents name actors inside their JSON document, so the
//! documents are read a page at a time, as `actor_links.rs` does.

use liaison_core::{Actor, ActorId, IncidentId};

use crate::{Store, StoreError};

/// The inputs of the link graph.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorGraphInput {
    /// Every stored actor, by name then id.
    pub actors: Vec<Actor>,
    /// Each current incident naming at least one actor id, with those ids sorted and without
    /// repeats, in the node's order (`seq`).
    pub incident_actors: Vec<(IncidentId, Vec<ActorId>)>,
}

impl Store {
    /// Reads the actors and, for every current incident, the actor ids it names.
    pub async fn actor_graph_input(&self) -> Result<ActorGraphInput, StoreError> {
        let actors = self.actors().await?;
        let mut incident_actors = Vec::new();
        self.each_incident_after(0, |_, incident| {
            let mut ids: Vec<ActorId> = incident
                .content
                .actors
                .iter()
                .filter_map(|a| a.actor_id.clone())
                .collect();
            ids.sort();
            ids.dedup();
            if !ids.is_empty() {
                incident_actors.push((incident.id, ids));
            }
            Ok(())
        })
        .await?;
        Ok(ActorGraphInput {
            actors,
            incident_actors,
        })
    }
}

impl Store {
    /// The whole link graph: relations, shared UCDP ids, and co-occurrences counted over the
    /// current incidents.
    pub async fn actor_graph(&self) -> Result<liaison_core::ActorGraph, StoreError> {
        let input = self.actor_graph_input().await?;
        let co =
            liaison_core::co_occurrences(input.incident_actors.into_iter().map(|(_, ids)| ids));
        Ok(liaison_core::ActorGraph::new(&input.actors, &co))
    }
}
