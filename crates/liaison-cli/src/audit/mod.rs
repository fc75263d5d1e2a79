//! `liaison audit …`: what an auditor runs against a node's disclosure ledger. Read the log
//! (`log`), check it end to end against its own checkpoints and the store (`verify`), check the
//! receipts a peer signed for what we disclosed (`receipts`), export the latest checkpoint for
//! any C2SP verifier (`checkpoint`), and list alarms (`alarms`).
//!
//! Every command only reads: an audit must not change the log it audits.

pub mod alarms;
mod checkpoints;
mod log;
mod receipts;
mod store_check;
mod verify;

use anyhow::{Result, anyhow, bail};
use clap::Subcommand;
use liaison_policy::NodePublicKey;

use crate::cli::DataDir;
use crate::node::{self, Node};

#[derive(Subcommand, Debug)]
pub enum AuditCommand {
    /// List the log's entries, oldest first, with the head and the latest checkpoint.
    Log {
        #[command(flatten)]
        data: DataDir,
        /// Start at this entry index.
        #[arg(long, default_value_t = 0, value_name = "N")]
        from: u64,
        /// Most entries to print.
        #[arg(long, default_value_t = 100, value_name = "N")]
        limit: u64,
        /// Only entries of this kind (incident_recorded, disclosed, received, …).
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// Only entries that name this member.
        #[arg(long, value_name = "ISO3")]
        peer: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Check the whole log: every entry present and unmodified, the tree, the signed
    /// checkpoints and cosignatures, and that the store's disclosures, recalls and received
    /// incidents are all logged. Exits 1 naming every problem found.
    Verify {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Check over the network every receipt a peer signed for what this node disclosed to it:
    /// each item must be logged on its side, provably in its latest checkpoint.
    Receipts {
        #[arg(long, value_name = "ISO3")]
        peer: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Print the latest signed checkpoint with its cosignatures (a C2SP signed note), and the
    /// log's verifier key on stderr.
    Checkpoint {
        #[command(flatten)]
        data: DataDir,
    },
    /// Every alarm raised about a peer's log or this node's, newest first.
    Alarms {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(command: AuditCommand) -> Result<()> {
    match command {
        AuditCommand::Log {
            data,
            from,
            limit,
            kind,
            peer,
            json,
        } => {
            let node = node::open(&data.dir).await?;
            let filter = log::Filter::parse(from, limit, kind.as_deref(), peer.as_deref())?;
            log::run(&node, &filter, json).await
        }
        AuditCommand::Verify { data, json } => {
            let node = node::open(&data.dir).await?;
            let key = crate::federation::identity::load(&data.dir)?;
            verify::run(&node, &key.public(), json).await
        }
        AuditCommand::Receipts { peer, data, json } => {
            let node = node::open(&data.dir).await?;
            receipts::run(&node, &data.dir, &peer, json).await
        }
        AuditCommand::Checkpoint { data } => {
            let node = node::open(&data.dir).await?;
            let key = crate::federation::identity::load(&data.dir)?;
            checkpoint(&node, &key.public()).await
        }
        AuditCommand::Alarms { data, json } => {
            let node = node::open(&data.dir).await?;
            alarms::list(&node, json).await
        }
    }
}

/// The log's origin line, which is also the name its checkpoints are signed under.
fn origin(node: &Node) -> String {
    liaison_sync::ledger_wire::log_origin(&node.member)
}

/// `liaison audit checkpoint`: the note exactly as stored, with the cosignatures appended, so
/// the bytes on stdout are what a C2SP verifier checks.
async fn checkpoint(node: &Node, key: &NodePublicKey) -> Result<()> {
    let Some(latest) = node.store.latest_checkpoint().await? else {
        bail!("this node has signed no checkpoint yet: its log is empty");
    };
    let lines: Vec<String> = node
        .store
        .cosignatures(Some(latest.size))
        .await?
        .into_iter()
        .map(|c| c.line)
        .collect();
    let note = liaison_ledger::add_signature_lines(&latest.note, &lines)
        .map_err(|e| anyhow!("the checkpoint of size {} is damaged: {e}", latest.size))?;
    print!("{note}");
    eprintln!(
        "verifier key: {}",
        liaison_ledger::verifier_key(&origin(node), key.as_bytes())
    );
    Ok(())
}
