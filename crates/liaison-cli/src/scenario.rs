//! `liaison scenario load`: puts a built-in scenario's members, actors, places and incidents
//! into the node, through the same ingest path as an import (normalise, validate, one
//! transaction, idempotent).

use anyhow::{Result, anyhow, bail};
use liaison_store::BatchOutcome;

use crate::import::prepare;
use crate::node::Node;

/// What loading a scenario did.
pub struct Loaded {
    pub members: usize,
    pub actors: usize,
    pub places: usize,
    pub outcome: BatchOutcome,
    pub attribution: String,
}

pub async fn load(node: &Node, name: &str) -> Result<Loaded> {
    let loaded = load_where(node, name, |_| true).await?;
    // The scenario's joint operations, linked to their incidents, and the brief's force pledge
    // (docs/operations.md). Not in `load_where`: a node given only some incidents cannot link.
    crate::ops::load_scenario(node, name).await?;
    Ok(loaded)
}

/// Loads a scenario keeping only the incidents `keep` accepts (the federation demo gives each
/// member's node the incidents in its own country); members, actors and places are all loaded.
pub async fn load_where(
    node: &Node,
    name: &str,
    keep: impl Fn(&liaison_core::IncidentContent) -> bool,
) -> Result<Loaded> {
    let scenario = liaison_scenario::load(name).map_err(|e| anyhow!("{e}"))?;
    let mut incidents = Vec::with_capacity(scenario.incidents.len());
    for (id, content) in scenario.incidents {
        if !keep(&content) {
            continue;
        }
        let label = id.to_string();
        match prepare(id, &node.member, content) {
            Ok(inc) => incidents.push(inc),
            // The scenario is tested to validate; this guards a damaged build.
            Err(e) => bail!("scenario {name}: incident {label}: {e}"),
        }
    }
    let mut session = node.store.begin_import("scenario", crate::now()).await?;
    let prepared = incidents
        .into_iter()
        .map(liaison_store::Prepared::new)
        .collect::<Result<Vec<_>, _>>()?;
    let outcome = session.insert_batch(&prepared).await?;
    session.commit().await?;
    for m in scenario.members.iter().chain(&scenario.partners) {
        node.store.put_member(m).await?;
    }
    for a in &scenario.actors {
        node.store.put_actor(a).await?;
    }
    for p in &scenario.places {
        node.store.put_place(p).await?;
    }
    Ok(Loaded {
        members: scenario.members.len() + scenario.partners.len(),
        actors: scenario.actors.len(),
        places: scenario.places.len(),
        outcome,
        attribution: scenario.attribution,
    })
}
