//! `liaison taxii …`: the node's TAXII collections (`collection add`, `collection list`, and the
//! default pair that `init` and `demo` make) and the TAXII client (`pull`, in `taxii/pull.rs`).
//!
//! Collection ids are UUIDs drawn from the operating system's random source, here at the edge.
//! What a collection may be used for is the server's rule (`liaison_server::taxii`): read-only
//! collections are filled by the node itself or by pulls; read-write ones by analysts and admins
//! through TAXII.

mod pull;
#[cfg(test)]
mod tests;

use anyhow::{Result, anyhow, bail};
use liaison_store::TaxiiCollection;

use crate::cli::{CollectionCommand, TaxiiCommand};
use crate::node::{self, Node};

pub use pull::{Auth, PullArgs, PullReport, pull};

/// Longest collection title, in characters.
const MAX_TITLE_CHARS: usize = 200;
/// Longest collection description, in characters.
const MAX_DESCRIPTION_CHARS: usize = 2_000;

/// A new random (version 4) UUID.
pub fn new_uuid() -> Result<String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("no random source: {e}"))?;
    Ok(uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string())
}

/// Adds a collection; returns its id.
pub async fn add_collection(
    node: &Node,
    title: &str,
    description: &str,
    read_only: bool,
) -> Result<String> {
    let title = title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_CHARS {
        bail!("--title must be 1 to {MAX_TITLE_CHARS} characters");
    }
    if description.chars().count() > MAX_DESCRIPTION_CHARS {
        bail!("--description must be at most {MAX_DESCRIPTION_CHARS} characters");
    }
    let c = TaxiiCollection {
        id: new_uuid()?,
        title: title.to_owned(),
        description: description.to_owned(),
        read_only,
    };
    node.store.add_taxii_collection(&c, crate::now()).await?;
    Ok(c.id)
}

/// The two collections a new node starts with: one analysts write to, one only the node fills.
pub async fn default_collections(node: &Node) -> Result<(String, String)> {
    let shared = add_collection(
        node,
        "Shared",
        "STIX 2.1 objects that this node's analysts and partners' tools add over TAXII",
        false,
    )
    .await?;
    let published = add_collection(
        node,
        "Published",
        "STIX 2.1 objects this node publishes; read-only over TAXII",
        true,
    )
    .await?;
    Ok((shared, published))
}

/// One line per collection: id, read-only or read-write, title.
pub async fn list_collections(node: &Node) -> Result<Vec<String>> {
    Ok(node
        .store
        .taxii_collections()
        .await?
        .into_iter()
        .map(|c| {
            let mode = if c.read_only {
                "read-only "
            } else {
                "read-write"
            };
            format!("{} {mode} {}", c.id, c.title)
        })
        .collect())
}

/// Runs `liaison taxii …`.
pub async fn run(command: TaxiiCommand) -> Result<()> {
    match command {
        TaxiiCommand::Pull {
            url,
            collection,
            user,
            password,
            token,
            into,
            limit,
            max_pages,
            data,
            json,
        } => {
            let auth = match (user, password, token) {
                (Some(user), Some(password), None) => Auth::Basic { user, password },
                (None, _, Some(t)) => Auth::Bearer(t),
                (None, None, None) => Auth::None,
                _ => bail!("give --user with --password, or --token, not both"),
            };
            let node = node::open(&data.dir).await?;
            let args = PullArgs {
                url,
                collection,
                auth,
                into,
                limit,
                max_pages,
            };
            let result = pull(&node, &args).await;
            node.store.close().await;
            let r = result?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                print_report(&r);
            }
        }
        TaxiiCommand::Collection { command } => match command {
            CollectionCommand::Add {
                title,
                description,
                read_only,
                data,
            } => {
                let node = node::open(&data.dir).await?;
                let id = add_collection(&node, &title, &description, read_only).await?;
                node.store.close().await;
                println!("{id}");
            }
            CollectionCommand::List { data } => {
                let node = node::open(&data.dir).await?;
                for line in list_collections(&node).await? {
                    println!("{line}");
                }
            }
        },
    }
    Ok(())
}

fn print_report(r: &PullReport) {
    println!(
        "pulled {} objects in {} pages from {} collection {} (resumed from {}): {} new, {} \
         already held, {} refused",
        r.fetched,
        r.pages,
        r.api_root,
        r.collection,
        r.resumed_from,
        r.added,
        r.unchanged,
        r.refused
    );
    for why in &r.refusals {
        println!("  refused: {why}");
    }
    println!(
        "into local collection {}; {}",
        r.local_collection,
        if r.complete {
            "up to date (run again to fetch what is new)"
        } else {
            "stopped before the end (run again to continue)"
        }
    );
}
