//! `liaison actors graph`: an actor's neighbourhood in the link graph, as an indented tree of
//! relations (the default), Cytoscape.js JSON or GraphML, printed or written to a file.
//!
//! The graph and its exports are `liaison_core::actor_graph`'s; this module reads the store,
//! checks the arguments and writes.

use std::collections::BTreeSet;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use liaison_core::actor::parse_day;
use liaison_core::actor_graph::{Filter, MAX_DEPTH};
use liaison_core::{ActorId, GraphError, RelationKind};

use crate::cli::DataDir;
use crate::node;

#[derive(Args, Debug)]
pub struct GraphArgs {
    /// The actor at the centre (an actor id, such as `sahel-2012:aqim` or `ucdp-actor:539`).
    #[arg(long, value_name = "ID")]
    actor: String,
    /// Hops from the actor, 0 to 4.
    #[arg(long, default_value_t = 2, value_name = "N")]
    depth: u32,
    /// Print Cytoscape.js elements JSON.
    #[arg(long, conflicts_with = "graphml")]
    json: bool,
    /// Print GraphML.
    #[arg(long)]
    graphml: bool,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// Follow only these relation kinds (repeatable; `part_of`, `cooperates_with`, …).
    #[arg(long = "kind", value_name = "KIND")]
    kinds: Vec<String>,
    /// Leave out the edges between actors named in the same incidents.
    #[arg(long)]
    no_co_occurrence: bool,
    /// Only relations in force on this day (YYYY-MM-DD).
    #[arg(long, value_name = "DAY")]
    at: Option<String>,
    #[command(flatten)]
    data: DataDir,
}

pub async fn run(args: GraphArgs) -> Result<()> {
    let root = ActorId::parse(&args.actor)
        .map_err(|e| anyhow::anyhow!("--actor {:?} is not an actor id: {e}", args.actor))?;
    if args.depth > MAX_DEPTH {
        bail!("--depth {} is more than {MAX_DEPTH}", args.depth);
    }
    let filter = filter(&args)?;
    let node = node::open(&args.data.dir).await?;
    let graph = node.store.actor_graph().await;
    node.store.close().await;
    let sub = match graph?.neighbourhood(&root, args.depth, &filter) {
        Err(GraphError::UnknownActor(id)) => bail!("no actor {id} on this node"),
        other => other?,
    };
    let text = if args.json {
        let mut s = serde_json::to_string_pretty(&sub.to_cytoscape())?;
        s.push('\n');
        s
    } else if args.graphml {
        sub.to_graphml()
    } else {
        sub.to_text()
    };
    match &args.out {
        Some(path) => std::fs::write(path, text)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => print!("{text}"),
    }
    Ok(())
}

fn filter(args: &GraphArgs) -> Result<Filter> {
    let mut kinds = BTreeSet::new();
    for k in &args.kinds {
        let Some(kind) = RelationKind::parse(k) else {
            let known: Vec<&str> = RelationKind::ALL.iter().map(|k| k.as_str()).collect();
            bail!("--kind {k:?} is not a relation kind ({})", known.join(", "));
        };
        kinds.insert(kind);
    }
    let at = match &args.at {
        Some(d) => Some(parse_day(d).map_err(|e| anyhow::anyhow!("--at: {e}"))?),
        None => None,
    };
    Ok(Filter {
        kinds: (!kinds.is_empty()).then_some(kinds),
        no_co_occurrence: args.no_co_occurrence,
        min_weight: 0,
        at,
    })
}
