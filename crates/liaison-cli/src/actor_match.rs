//! `liaison actors ask NAME --peer ISO3` and `liaison actors fetch HANDLE --peer ISO3`: asking a
//! partner whether it holds an actor without sending the name (blinded blocking keys under the
//! secret the two nodes share, `liaison_sync::actor_match`), and fetching the record behind a
//! handle when the partner's agreements release it. Over HTTPS with the peer's key pinned, like
//! the sync.
//!
//! JSON shapes (stable): `ask --json` prints `{"matches": [{"handle", "kind", "shared", "of",
//! "score"}]}`; `fetch --json` prints `{"handle", "id", "kind", "name", "aliases",
//! "incidents"}`.

use anyhow::{Result, anyhow};
use clap::Args;
use liaison_core::CountryCode;
use liaison_policy::NodePublicKey;
use liaison_sync::client::{HttpsTransport, Node as SyncNode, SyncOptions};

use crate::cli::DataDir;
use crate::federation::{identity, keyring};
use crate::node::{self, Node};

#[derive(Args, Debug)]
pub struct AskArgs {
    /// The name, in any script; it never leaves this node.
    name: String,
    /// The partner to ask (a registered peer).
    #[arg(long)]
    peer: String,
    /// Only actors of this kind (person, armed_group, criminal_network, …).
    #[arg(long)]
    kind: Option<String>,
    #[command(flatten)]
    data: DataDir,
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
pub struct FetchArgs {
    /// A handle from the partner's answer to `actors ask`.
    handle: String,
    #[arg(long)]
    peer: String,
    #[command(flatten)]
    data: DataDir,
    #[arg(long)]
    json: bool,
}

/// The peer's code, key and a pinned transport (also for `reciprocity --peer`).
pub(crate) async fn peer_of(
    node: &Node,
    peer: &str,
) -> Result<(CountryCode, NodePublicKey, HttpsTransport)> {
    let member = CountryCode::parse(peer).map_err(|e| anyhow!("--peer: {e}"))?;
    let row = node
        .store
        .peers()
        .await?
        .into_iter()
        .find(|p| p.member == member.as_str() && p.removed_at.is_none())
        .ok_or_else(|| anyhow!("{member} is not a peer of this node (`liaison peer add`)"))?;
    let key = NodePublicKey::from_base64(&row.public_key).map_err(|e| anyhow!("{e}"))?;
    let transport = HttpsTransport::new(&row.url, &key).map_err(|e| anyhow!("{e}"))?;
    Ok((member, key, transport))
}

pub async fn ask(args: AskArgs) -> Result<()> {
    let node = node::open(&args.data.dir).await?;
    let key = identity::load(&args.data.dir)?;
    let (peer, peer_key, transport) = peer_of(&node, &args.peer).await?;
    let ring = keyring(&node, &key).await?;
    let sync = SyncNode {
        store: &node.store,
        own: &node.member,
        key: &key,
        keyring: &ring,
    };
    let answer = sync
        .ask_actor(
            &peer,
            &peer_key,
            &transport,
            &args.name,
            args.kind.as_deref(),
            &SyncOptions::default(),
            &crate::now,
        )
        .await
        .map_err(|e| anyhow!("{e}"))?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&answer)?);
    } else if answer.matches.is_empty() {
        println!("{peer} holds no actor sharing enough keys with that name");
    } else {
        println!("{peer} holds (the name was not sent; handles are for this pair only):");
        for m in &answer.matches {
            println!(
                "  {}  {:<16} {} of {} keys shared (score {:.2})",
                m.handle, m.kind, m.shared, m.of, m.score
            );
        }
        println!(
            "`liaison actors fetch HANDLE --peer {peer}` asks for a record; {peer} sends it only if its agreements release it to you"
        );
    }
    Ok(())
}

pub async fn fetch(args: FetchArgs) -> Result<()> {
    let node = node::open(&args.data.dir).await?;
    let key = identity::load(&args.data.dir)?;
    let (peer, _, transport) = peer_of(&node, &args.peer).await?;
    let ring = keyring(&node, &key).await?;
    let sync = SyncNode {
        store: &node.store,
        own: &node.member,
        key: &key,
        keyring: &ring,
    };
    let record = sync
        .fetch_actor(
            &peer,
            &transport,
            &args.handle,
            &SyncOptions::default(),
            &crate::now,
        )
        .await
        .map_err(|e| match e {
            liaison_sync::client::SyncError::Status { status: 404, .. } => anyhow!(
                "{peer} does not release a record for {} to this node",
                args.handle
            ),
            other => anyhow!("{other}"),
        })?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&record)?);
    } else {
        println!(
            "{} ({}) — {}'s record {}",
            record.name, record.kind, peer, record.id
        );
        if !record.aliases.is_empty() {
            println!("  also: {}", record.aliases.join("; "));
        }
        println!(
            "  named in {}'s incidents: {}",
            peer,
            record.incidents.join(", ")
        );
    }
    Ok(())
}
