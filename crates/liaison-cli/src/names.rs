//! `liaison names compare` and `liaison actors match`: the names pipeline of `liaison-names` at
//! the command line. This module reads files and the store and writes answers; every score and
//! every reason comes from `liaison-names`.

use std::collections::HashMap;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::{Subcommand, ValueEnum};
use liaison_core::{Actor, ActorKind};
use liaison_names::{Comparison, DEFAULT_THRESHOLD, Index, Name, compare_names};
use serde_json::json;

use crate::cli::DataDir;
use crate::node;

/// A pairs file larger than this is refused: it is an evaluation set, not a bulk job.
const PAIRS_FILE_BYTES_MAX: u64 = 256 * 1024 * 1024;

/// A name longer than this (in bytes) is refused, in a pairs file and on the command line.
const NAME_BYTES_MAX: usize = 1_000;

#[derive(Subcommand, Debug)]
pub enum NamesCommand {
    /// Score pairs of names: reads JSON lines {"a": …, "b": …}, writes JSON lines
    /// {"a", "b", "score", "same"} (`same`: the decision at the default threshold).
    Compare {
        /// The pairs file (JSON lines; other fields on a line are ignored).
        #[arg(long, value_name = "FILE")]
        pairs: PathBuf,
        /// Also write each pair's reasons: which words matched which, and how.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Subcommand, Debug)]
pub enum ActorsCommand {
    /// Ask a partner whether it holds an actor: the name is blinded here and never sent.
    Ask(crate::actor_match::AskArgs),
    /// Fetch from a partner the record behind a handle it answered with, if its agreements
    /// release it to this node.
    Fetch(crate::actor_match::FetchArgs),
    /// Rank this node's actors (by their names and aliases) against a name, with the reasons.
    Match {
        /// The name to look for, in any script.
        name: String,
        /// Only persons, or only groups (every other kind of actor).
        #[arg(long, value_enum)]
        kind: Option<KindArg>,
        /// At most this many actors.
        #[arg(long, default_value_t = 10, value_name = "N")]
        limit: usize,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// List this node's actors with the number of incidents naming each.
    List {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Show one actor: aliases, relations (with the related actors' names) and incidents linked.
    Show {
        id: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Link incidents' actor names that have no actor id to this node's actors: confident
    /// matches are linked (with score and reasons), doubtful ones proposed for review.
    Link {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Review proposed links: list, accept, reject (or link to another actor).
    Review {
        #[command(subcommand)]
        command: crate::actor_review::ReviewCommand,
    },
    /// Record that OTHER is the same actor as KEEP (undone by `actors split`).
    Merge {
        keep: String,
        other: String,
        /// Why the two records are one actor.
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Undo a merge: both records count as themselves again.
    Split {
        merge_id: i64,
        /// Why the merge is undone.
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// An actor's neighbourhood in the link graph: relations with their spans, shared UCDP
    /// ids and incidents naming actors together (text tree, Cytoscape.js JSON or GraphML).
    Graph(crate::actor_graph::GraphArgs),
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum KindArg {
    Person,
    Group,
}

impl KindArg {
    fn admits(self, kind: ActorKind) -> bool {
        (kind == ActorKind::Person) == (self == KindArg::Person)
    }
}

pub fn run_names(command: NamesCommand) -> Result<()> {
    match command {
        NamesCommand::Compare { pairs, json } => compare_pairs(&pairs, json),
    }
}

pub async fn run_actors(command: ActorsCommand) -> Result<()> {
    match command {
        ActorsCommand::Ask(args) => crate::actor_match::ask(args).await,
        ActorsCommand::Fetch(args) => crate::actor_match::fetch(args).await,
        ActorsCommand::Match {
            name,
            kind,
            limit,
            data,
            json,
        } => {
            let node = node::open(&data.dir).await?;
            let actors = node.store.actors().await?;
            node.store.close().await;
            match_actors(&actors, &name, kind, limit, json)
        }
        ActorsCommand::List { data, json } => {
            let node = node::open(&data.dir).await?;
            crate::actors_import::list(&node, json).await
        }
        ActorsCommand::Show { id, data, json } => {
            let node = node::open(&data.dir).await?;
            crate::actor_review::show(&node, &id, json).await
        }
        ActorsCommand::Link { data, json } => {
            let node = node::open(&data.dir).await?;
            crate::actor_review::link(&node, json).await
        }
        ActorsCommand::Review { command } => crate::actor_review::review(command).await,
        ActorsCommand::Merge {
            keep,
            other,
            reason,
            data,
            json,
        } => crate::actor_review::merge(&data.dir, &keep, &other, &reason, json).await,
        ActorsCommand::Split {
            merge_id,
            reason,
            data,
            json,
        } => crate::actor_review::split(&data.dir, merge_id, reason.as_deref(), json).await,
        ActorsCommand::Graph(args) => crate::actor_graph::run(args).await,
    }
}

/// One pair of a pairs file.
struct Pair {
    a: String,
    b: String,
}

/// Reads a pairs file whole, refusing it at its first bad line (named by its number), so that
/// nothing is written for a file that is not what it claims.
fn read_pairs(path: &Path) -> Result<Vec<Pair>> {
    let size = std::fs::metadata(path)
        .with_context(|| format!("cannot read {}", path.display()))?
        .len();
    if size > PAIRS_FILE_BYTES_MAX {
        bail!(
            "{}: {size} bytes, more than the {PAIRS_FILE_BYTES_MAX} a pairs file may have",
            path.display()
        );
    }
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read {} as UTF-8 text", path.display()))?;
    let mut pairs = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let at = || format!("{}: line {}", path.display(), i + 1);
        let value: serde_json::Value =
            serde_json::from_str(line).map_err(|e| anyhow::anyhow!("{}: not JSON: {e}", at()))?;
        let field = |key: &str| -> Result<String> {
            match value.get(key) {
                None => bail!("{}: no \"{key}\" (a pair is {{\"a\": …, \"b\": …}})", at()),
                Some(serde_json::Value::String(s)) if s.len() > NAME_BYTES_MAX => {
                    bail!("{}: \"{key}\" is longer than {NAME_BYTES_MAX} bytes", at())
                }
                Some(serde_json::Value::String(s)) => Ok(s.clone()),
                Some(other) => bail!("{}: \"{key}\" is not a string: {other}", at()),
            }
        };
        if !value.is_object() {
            bail!("{}: not a JSON object", at());
        }
        pairs.push(Pair {
            a: field("a")?,
            b: field("b")?,
        });
    }
    Ok(pairs)
}

fn compare_pairs(path: &Path, json: bool) -> Result<()> {
    let pairs = read_pairs(path)?;
    let mut out = BufWriter::new(std::io::stdout().lock());
    for p in &pairs {
        let c = compare_names(&p.a, &p.b);
        let mut line = json!({ "a": p.a, "b": p.b, "score": c.score, "same": c.same() });
        if json {
            line["reasons"] = serde_json::to_value(&c.reasons)?;
            line["explanation"] = json!(explanation(&c));
        }
        writeln!(out, "{line}")?;
    }
    out.flush()?;
    Ok(())
}

/// The reasons as one line of text.
fn explanation(c: &Comparison) -> String {
    c.reasons
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}

/// The best-matching name of each actor, best actor first.
struct Ranked<'a> {
    actor: &'a Actor,
    via: String,
    comparison: Comparison,
}

fn rank<'a>(actors: &'a [Actor], query: &str, kind: Option<KindArg>) -> Vec<Ranked<'a>> {
    let mut index = Index::new();
    for (i, a) in actors.iter().enumerate() {
        if kind.is_some_and(|k| !k.admits(a.kind)) {
            continue;
        }
        index.insert(&a.name, i);
        for alias in &a.aliases {
            index.insert(&alias.name, i);
        }
    }
    // One node holds few enough actors to score every name: no candidate is missed for want of
    // a shared blocking key.
    let hits = index.search_all(&Name::new(query), index.len());
    let mut best: HashMap<usize, Ranked<'a>> = HashMap::new();
    for h in hits {
        best.entry(*h.tag).or_insert(Ranked {
            actor: &actors[*h.tag],
            via: h.name.to_owned(),
            comparison: h.comparison,
        });
    }
    let mut ranked: Vec<Ranked<'a>> = best.into_values().collect();
    ranked.sort_by(|x, y| {
        y.comparison
            .score
            .total_cmp(&x.comparison.score)
            .then_with(|| x.actor.id.cmp(&y.actor.id))
    });
    ranked
}

fn match_actors(
    actors: &[Actor],
    query: &str,
    kind: Option<KindArg>,
    limit: usize,
    json: bool,
) -> Result<()> {
    if query.len() > NAME_BYTES_MAX {
        bail!("the name is longer than {NAME_BYTES_MAX} bytes");
    }
    if Name::new(query).tokens.is_empty() {
        bail!("{query:?} has no letters to match");
    }
    let mut ranked = rank(actors, query, kind);
    ranked.truncate(limit);
    let mut out = BufWriter::new(std::io::stdout().lock());
    if json {
        let candidates: Vec<serde_json::Value> = ranked
            .iter()
            .map(|r| {
                json!({
                    "id": r.actor.id,
                    "kind": r.actor.kind,
                    "name": r.actor.name,
                    "matched": r.via,
                    "score": r.comparison.score,
                    "same": r.comparison.same(),
                    "reasons": r.comparison.reasons,
                })
            })
            .collect();
        let doc = json!({
            "query": query,
            "threshold": DEFAULT_THRESHOLD,
            "candidates": candidates,
        });
        writeln!(out, "{doc}")?;
    } else if ranked.is_empty() {
        writeln!(out, "no actor's name resembles {query:?}")?;
    } else {
        for r in &ranked {
            let mark = if r.comparison.same() { "=" } else { " " };
            let via = if r.via == r.actor.name {
                String::new()
            } else {
                format!(" (as {:?})", r.via)
            };
            writeln!(
                out,
                "{mark} {:.3}  {}  {}{via}",
                r.comparison.score, r.actor.id, r.actor.name
            )?;
            writeln!(out, "         {}", explanation(&r.comparison))?;
        }
    }
    out.flush()?;
    Ok(())
}
