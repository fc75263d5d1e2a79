//! Federation commands: `identity`, `peer`, `agreement`, `sync`, `incidents recall`, and the
//! federation side of `serve` and `demo`. The rules live below (`liaison-policy` decides and
//! seals, `liaison-sync` runs the protocol); this module reads files and arguments and prints.

pub mod agreements;
pub mod demo;
pub mod identity;
pub mod peers;
pub mod recall;
pub mod sync;

use std::path::PathBuf;

use anyhow::Result;
use clap::Subcommand;
use liaison_core::CountryCode;
use liaison_policy::{NodeKey, NodePublicKey};
use liaison_sync::egress::Keyring;

use crate::cli::DataDir;
use crate::node::{self, Node};

#[derive(Subcommand, Debug)]
pub enum IdentityCommand {
    /// Print this node's member code, public key and fingerprint (give the key to peers).
    Show {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum PeerCommand {
    /// Register a peer: its member code, HTTPS URL and public key (from its `identity show`).
    Add {
        #[arg(value_name = "ISO3")]
        member: String,
        #[arg(value_name = "URL")]
        url: String,
        /// Base64url keys may begin with '-': accepted as a value, not read as an option.
        #[arg(long, value_name = "PUBKEY", allow_hyphen_values = true)]
        key: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// List peers with their sync status (last success, backlog, last error).
    List {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Stop federating with a peer.
    Remove {
        #[arg(value_name = "ISO3")]
        member: String,
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Subcommand, Debug)]
pub enum AgreementCommand {
    /// Store an agreement from a JSON file (see docs/agreements.md); a known id gets a new version.
    Add {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        data: DataDir,
    },
    /// List agreements with their status and recipients.
    List {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Show an agreement in plain language, its versions and its Cedar policy.
    Show {
        id: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Revoke an agreement: it releases nothing from now on.
    Revoke {
        id: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// Print exactly what a partner would receive now, transformed (nothing is sent).
    Preview {
        #[arg(long, value_name = "ISO3")]
        to: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
}

/// The keys this node checks seals with: its peers' (active ones) and its own.
pub async fn keyring(node: &Node, own: &NodeKey) -> Result<Keyring> {
    let mut keys: Vec<(CountryCode, NodePublicKey)> = vec![(node.member.clone(), own.public())];
    for p in node.store.peers().await? {
        if p.removed_at.is_some() {
            continue;
        }
        if let (Ok(m), Ok(k)) = (
            CountryCode::parse(&p.member),
            NodePublicKey::from_base64(&p.public_key),
        ) {
            keys.push((m, k));
        }
    }
    Ok(Keyring::new(keys))
}

pub async fn run_identity(command: IdentityCommand) -> Result<()> {
    match command {
        IdentityCommand::Show { data, json } => {
            let node = node::open(&data.dir).await?;
            identity::show(&node, &data.dir, json)
        }
    }
}

pub async fn run_peer(command: PeerCommand) -> Result<()> {
    match command {
        PeerCommand::Add {
            member,
            url,
            key,
            data,
        } => peers::add(&node::open(&data.dir).await?, &member, &url, &key).await,
        PeerCommand::List { data, json } => peers::list(&node::open(&data.dir).await?, json).await,
        PeerCommand::Remove { member, data } => {
            peers::remove(&node::open(&data.dir).await?, &member).await
        }
    }
}

pub async fn run_agreement(command: AgreementCommand) -> Result<()> {
    match command {
        AgreementCommand::Add { file, data } => {
            agreements::add(&node::open(&data.dir).await?, &file).await
        }
        AgreementCommand::List { data, json } => {
            agreements::list(&node::open(&data.dir).await?, json).await
        }
        AgreementCommand::Show { id, data, json } => {
            agreements::show(&node::open(&data.dir).await?, &id, json).await
        }
        AgreementCommand::Revoke { id, data } => {
            agreements::revoke(&node::open(&data.dir).await?, &id).await
        }
        AgreementCommand::Preview { to, data, json } => {
            let node = node::open(&data.dir).await?;
            agreements::preview(&node, &data.dir, &to, json).await
        }
    }
}
