//! The node's Ed25519 key: made at `init` in `node.key` (readable by its owner only), loaded
//! by every command that signs, shown by `liaison identity show`.

use std::path::Path;

use anyhow::{Context, Result, bail};
use liaison_policy::NodeKey;

use crate::node::Node;

/// The key file in a node's data directory: base64url of the 32 secret bytes.
pub const KEY_FILE: &str = "node.key";

/// Draws a new key from the operating system's random source.
fn draw() -> Result<NodeKey> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| anyhow::anyhow!("no random source: {e}"))?;
    Ok(NodeKey::from_secret(secret))
}

/// Makes the node's key; refuses to replace one (a new key is a rotation, not a re-init).
pub fn create(dir: &Path) -> Result<NodeKey> {
    let path = dir.join(KEY_FILE);
    if path.exists() {
        bail!("{} exists: this node has a key already", path.display());
    }
    let key = draw()?;
    crate::node::write_private(&path, &key.secret_base64())?;
    Ok(key)
}

/// Loads the node's key. A node made before federation existed gets its key now, once.
pub fn load(dir: &Path) -> Result<NodeKey> {
    let path = dir.join(KEY_FILE);
    if !path.exists() {
        let key = create(dir)?;
        eprintln!(
            "this node had no key: made one in {} ({})",
            path.display(),
            key.public().fingerprint()
        );
        return Ok(key);
    }
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    NodeKey::from_base64(text.trim())
        .map_err(|e| anyhow::anyhow!("{} is damaged: {e}", path.display()))
}

/// What signs the node's ledger checkpoints and receipts: its key, under the log's origin name.
pub fn ledger_signer(
    member: &liaison_core::CountryCode,
    key: NodeKey,
) -> liaison_store::LedgerSigner {
    liaison_store::LedgerSigner {
        member: member.to_string(),
        origin: liaison_sync::ledger_wire::log_origin(member),
        public_key: *key.public().as_bytes(),
        sign: std::sync::Arc::new(move |message: &[u8]| key.sign(message)),
    }
}

/// `liaison identity show`.
pub fn show(node: &Node, dir: &Path, json: bool) -> Result<()> {
    let key = load(dir)?;
    let public = key.public();
    if json {
        println!(
            "{}",
            serde_json::json!({
                "member": node.member.as_str(),
                "public_key": public.to_base64(),
                "fingerprint": public.fingerprint(),
            })
        );
    } else {
        println!("member       {}", node.member);
        println!("public key   {}", public.to_base64());
        println!("fingerprint  {}", public.fingerprint());
    }
    Ok(())
}
