//! `liaison audit receipts --peer ISO3`: checks over the network every receipt the peer signed
//! for what we disclosed to it (the work is `liaison_sync`'s `audit_receipts`); this module finds
//! the peer, connects to it the way `sync` does, and prints the outcome per receipt.

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use liaison_core::CountryCode;
use liaison_policy::NodePublicKey;
use liaison_sync::client::{HttpsTransport, Node as SyncNode, SyncOptions};

use crate::federation::{identity, keyring};
use crate::node::Node;

pub async fn run(node: &Node, dir: &Path, peer: &str, json: bool) -> Result<()> {
    let member = CountryCode::parse(peer).map_err(|e| anyhow!("--peer: {e}"))?;
    let Some(row) = node
        .store
        .peers()
        .await?
        .into_iter()
        .find(|p| p.member == member.as_str() && p.removed_at.is_none())
    else {
        bail!("{member} is not a peer of this node (see `liaison peer list`)");
    };
    let key = identity::load(dir)?;
    let ring = keyring(node, &key).await?;
    let sync = SyncNode {
        store: &node.store,
        own: &node.member,
        key: &key,
        keyring: &ring,
    };
    let transport = NodePublicKey::from_base64(&row.public_key)
        .map_err(|e| e.to_string())
        .and_then(|k| HttpsTransport::new(&row.url, &k))
        .map_err(|e| anyhow!("{member}: {e}"))?;
    let audit = sync
        .audit_receipts(&member, &transport, &SyncOptions::default(), &crate::now)
        .await
        .map_err(|e| anyhow!("auditing {member}'s receipts: {e}"))?;
    let problems = audit.problems();
    if json {
        let mut out = serde_json::to_value(&audit)?;
        if let Some(o) = out.as_object_mut() {
            o.insert("ok".into(), (problems == 0).into());
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!(
            "{member}: {} receipt(s), checked against its checkpoint of size {}",
            audit.receipts.len(),
            audit.checkpoint_size
        );
        for r in &audit.receipts {
            println!(
                "receipt {}…: {} item(s), {} verified, {} problem(s)",
                r.receipt_sha256.get(..12).unwrap_or(&r.receipt_sha256),
                r.items,
                r.verified,
                r.problems.len()
            );
            for p in &r.problems {
                println!("  - {p}");
            }
        }
    }
    if problems > 0 {
        bail!("{problems} problem(s) in the receipts of {member}");
    }
    Ok(())
}
