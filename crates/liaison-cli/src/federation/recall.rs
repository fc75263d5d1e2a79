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

/// `liaison incidents push ID`: sends one incident now to every peer whose agreement releases
/// it, ahead of any backlog (a flash item). The same decision, transformation, seal and
/// disclosure as a pull; the peers' next pull finds it unchanged.
pub async fn push(node: &Node, dir: &std::path::Path, id: &str) -> Result<()> {
    let id = IncidentId::parse(id).map_err(|e| anyhow!("{e}"))?;
    let key = crate::federation::identity::load(dir)?;
    if node.store.get_incident(&id).await.is_err() {
        bail!("no incident {id} on this node");
    }
    let outcomes = push_to_peers(node, &key, &id).await?;
    let sent: Vec<&str> = outcomes
        .iter()
        .filter(|(_, e)| e.is_none())
        .map(|(p, _)| p.as_str())
        .collect();
    let failed: Vec<String> = outcomes
        .iter()
        .filter_map(|(p, e)| e.as_ref().map(|e| format!("{p}: {e}")))
        .collect();
    if outcomes.is_empty() {
        println!("incident {id}: no agreement releases it to any peer; nothing sent");
    } else if !sent.is_empty() {
        println!("incident {id} pushed to {}", sent.join(", "));
    }
    if !failed.is_empty() {
        bail!(
            "push failed for {} (they will get it at their next pull)",
            failed.join("; ")
        );
    }
    Ok(())
}

/// Pushes one of this node's incidents to every active peer an agreement releases it to, now.
/// Returns each such peer with `None` when delivered, or the error (the peer then gets the
/// incident at its next pull). Peers it is not releasable to are not listed.
pub async fn push_to_peers(
    node: &Node,
    key: &liaison_policy::NodeKey,
    id: &IncidentId,
) -> Result<Vec<(String, Option<String>)>> {
    use liaison_sync::client::{HttpsTransport, Node as SyncNode, SyncOptions};
    let agreements = crate::federation::agreements::current(node).await?;
    let zones = crate::federation::agreements::node_zones(node).await?;
    let policy = liaison_policy::Policy::compile_with_zones(&node.member, &agreements, &zones)?;
    let ring = crate::federation::keyring(node, key).await?;
    let cursor_key = liaison_sync::cursor::CursorKey::derive(key);
    let egress = liaison_sync::egress::Egress {
        store: &node.store,
        own: &node.member,
        key,
        cursor_key: &cursor_key,
        policy: &policy,
        keyring: &ring,
    };
    let sync = SyncNode {
        store: &node.store,
        own: &node.member,
        key,
        keyring: &ring,
    };
    let mut outcomes = Vec::new();
    for p in node
        .store
        .peers()
        .await?
        .iter()
        .filter(|p| p.removed_at.is_none())
    {
        let Ok(member) = liaison_core::CountryCode::parse(&p.member) else {
            continue;
        };
        let Some(release) = egress.release_now(&member, id, crate::now()).await? else {
            continue;
        };
        let outcome = match liaison_policy::NodePublicKey::from_base64(&p.public_key)
            .map_err(|e| e.to_string())
            .and_then(|k| HttpsTransport::new(&p.url, &k))
        {
            Ok(t) => sync
                .push(
                    &member,
                    &t,
                    &[release],
                    &SyncOptions::default(),
                    &crate::now,
                )
                .await
                .map_err(|e| e.to_string()),
            Err(e) => Err(e),
        };
        outcomes.push((member.to_string(), outcome.err()));
    }
    Ok(outcomes)
}
