//! `liaison incidents recall ID`: the originator takes an incident back. A new version is stored
//! as the recall; it flows like any object, to the members that received the incident only, as
//! a signed tombstone; each hides the incident at its next sync and returns a signed attestation,
//! which `liaison incidents show ID` lists.

use anyhow::{Result, anyhow, bail};
use liaison_core::IncidentId;

use crate::node::Node;

pub async fn recall(node: &Node, id: &str) -> Result<()> {
    let id = IncidentId::parse(id).map_err(|e| anyhow!("{e}"))?;
    let inc = node
        .store
        .get_incident(&id)
        .await
        .map_err(|_| anyhow!("no incident {id} on this node"))?;
    if inc.originator != node.member {
        bail!(
            "incident {id} was originated by {}: only its originator can recall it",
            inc.originator
        );
    }
    if node.store.recall_of(&id).await?.is_some() {
        bail!("incident {id} is recalled already");
    }
    let mut tombstone = inc.clone();
    tombstone.version += 1;
    node.store
        .recall_incident(&tombstone, "cli", crate::now())
        .await?;
    let had = node.store.disclosed_peers(id.as_str()).await?;
    if had.is_empty() {
        println!(
            "incident {id} recalled (version {}); it was never sent to any peer",
            tombstone.version
        );
    } else {
        println!(
            "incident {id} recalled (version {}); the recall goes to {} at their next sync",
            tombstone.version,
            had.join(", ")
        );
    }
    Ok(())
}
