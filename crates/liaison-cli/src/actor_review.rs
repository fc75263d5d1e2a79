//! `liaison actors link`, `actors review list|accept|reject`, `actors merge`, `actors split`, and
//! what `actors show` adds about merges, alias provenance and linked names.
//!
//! The link pass reads every name an incident gives an actor without an actor id and not yet
//! decided, asks `liaison_names::decide` about it against the node's actors as the standing
//! merges make them, and records each link or proposal with its provenance
//! (`Store::record_name_links`). Incident documents are never rewritten. Decisions and their
//! rules belong to `liaison-names` and the store; this module reads, calls and prints.

use std::collections::{BTreeMap, HashMap};

use anyhow::{Result, anyhow};
use clap::Subcommand;
use liaison_core::ActorId;
use liaison_names::{CONFIDENT_THRESHOLD, DEFAULT_THRESHOLD, Decision, Index, Verdict, decide};
use liaison_store::{
    EffectiveActor, LinkStatus, MergeRow, NameLinkRow, NewNameLink, StoreError, UnlinkedName,
};
use serde_json::json;

use crate::cli::DataDir;
use crate::node::{self, Node};

/// Who the command line records as the decider.
const CLI_USER: &str = "cli";

#[derive(Subcommand, Debug)]
pub enum ReviewCommand {
    /// Links proposed for review (between the default and the confident threshold), oldest
    /// first; `--status linked|rejected|all` lists the others.
    List {
        #[arg(long, default_value = "proposed")]
        status: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Accept a proposal: the incident counts as naming the proposed actor.
    Accept {
        id: i64,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Reject a proposal; with `--actor OTHER`, link the name to OTHER instead.
    Reject {
        id: i64,
        #[arg(long, value_name = "OTHER")]
        actor: Option<String>,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
}

fn actor_id(field: &str, s: &str) -> Result<ActorId> {
    ActorId::parse(s).map_err(|e| anyhow!("{field}: {s:?} is not an actor id: {e}"))
}

/// A store error as the command line says it: the field named, "no such" for unknown ids.
fn say(e: StoreError, what: &str) -> anyhow::Error {
    match e {
        StoreError::NotFound => anyhow!("no {what} on this node"),
        StoreError::Invalid { field, message } => anyhow!("{field}: {message}"),
        other => anyhow!(other),
    }
}

/// The link pass's decisions for `names`, one decision per distinct name (names repeat across
/// incidents), against the actors as merged. Pure.
pub fn pass(
    actors: &[EffectiveActor],
    names: &[UnlinkedName],
) -> (Vec<NewNameLink>, Vec<(UnlinkedName, Decision<usize>)>) {
    let mut index = Index::new();
    for (i, a) in actors.iter().enumerate() {
        index.insert(&a.actor.name, i);
        for alias in &a.aliases {
            index.insert(&alias.name, i);
        }
    }
    let mut decided: HashMap<&str, Decision<usize>> = HashMap::new();
    let mut links = Vec::new();
    let mut all = Vec::new();
    for n in names {
        let d = decided
            .entry(n.name.as_str())
            .or_insert_with(|| decide(&index, &n.name))
            .clone();
        if let (Verdict::Link | Verdict::Propose, Some(best)) = (d.verdict, &d.best)
            && let Some(actor) = actors.get(best.tag)
        {
            let explanation: Vec<String> = best
                .comparison
                .reasons
                .iter()
                .map(ToString::to_string)
                .collect();
            links.push(NewNameLink {
                incident_id: n.incident_id.clone(),
                actor_name: n.name.clone(),
                actor_id: actor.actor.id.clone(),
                linked: d.verdict == Verdict::Link,
                matched: best.matched.clone(),
                score: best.comparison.score,
                reasons: json!({
                    "pairs": best.comparison.reasons,
                    "explanation": explanation.join("; "),
                    "runner_up": d.runner_up,
                    "confident_threshold": CONFIDENT_THRESHOLD,
                    "default_threshold": DEFAULT_THRESHOLD,
                }),
            });
        }
        all.push((n.clone(), d));
    }
    (links, all)
}

/// Where the automatic pass stopped (`node_settings`).
const AUTO_LINK_WATERMARK: &str = "actor_link_seq";

/// The link pass over the incidents stored since the last automatic pass, recorded without
/// printing: what imports, `sync --once` and the server (every minute, so received pages and
/// forms are covered) run, so a new name is linked or proposed without anyone asking. Returns
/// (linked, proposed).
pub async fn link_new(node: &Node, by: &str) -> Result<(u64, u64)> {
    let after = node
        .store
        .setting(AUTO_LINK_WATERMARK)
        .await?
        .and_then(|v| v.parse::<i64>().ok())
        .unwrap_or(0);
    let (names, top) = node.store.unlinked_incident_names_after(after).await?;
    let mut out = (0, 0);
    if !names.is_empty() {
        let actors = node.store.effective_actors().await?;
        let (links, _) = pass(&actors, &names);
        let done = node
            .store
            .record_name_links(&links, by, crate::now())
            .await?;
        out = (done.linked, done.proposed);
    }
    if top > after {
        node.store
            .set_setting(AUTO_LINK_WATERMARK, &top.to_string())
            .await?;
    }
    Ok(out)
}

/// [`link_new`] after a command stored incidents, saying on stderr what it did (stdout may be
/// JSON a script reads).
pub async fn link_new_and_say(node: &Node, by: &str) -> Result<()> {
    let (linked, proposed) = link_new(node, by).await?;
    if linked + proposed > 0 {
        eprintln!(
            "actors: {linked} name(s) linked to an actor, {proposed} proposed for review (`liaison actors review list`)"
        );
    }
    Ok(())
}

/// `liaison actors link`: the pass, recorded.
pub async fn link(node: &Node, json: bool) -> Result<()> {
    let actors = node.store.effective_actors().await?;
    let names = node.store.unlinked_incident_names().await?;
    let (links, all) = pass(&actors, &names);
    let out = node
        .store
        .record_name_links(&links, CLI_USER, crate::now())
        .await?;
    let unmatched = all
        .iter()
        .filter(|(_, d)| d.verdict == Verdict::Nothing)
        .count();
    if json {
        let decisions: Vec<_> = all
            .iter()
            .map(|(n, d)| {
                let best = d.best.as_ref();
                let actor = best.and_then(|b| actors.get(b.tag));
                json!({
                    "incident_id": n.incident_id,
                    "name": n.name,
                    "verdict": match d.verdict {
                        Verdict::Link => "linked",
                        Verdict::Propose => "proposed",
                        Verdict::Nothing => "none",
                    },
                    "actor_id": actor.map(|a| &a.actor.id),
                    "actor_name": actor.map(|a| &a.actor.name),
                    "matched": best.map(|b| &b.matched),
                    "score": best.map(|b| b.comparison.score),
                    "reasons": best.map(|b| &b.comparison.reasons),
                })
            })
            .collect();
        let doc = json!({
            "names": names.len(),
            "linked": out.linked,
            "proposed": out.proposed,
            "unmatched": unmatched,
            "already": out.already,
            "confident_threshold": CONFIDENT_THRESHOLD,
            "default_threshold": DEFAULT_THRESHOLD,
            "decisions": decisions,
        });
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    for (n, d) in &all {
        let Some((best, actor)) = d
            .best
            .as_ref()
            .and_then(|b| actors.get(b.tag).map(|a| (b, a)))
        else {
            continue;
        };
        let word = match d.verdict {
            Verdict::Link => "linked  ",
            Verdict::Propose => "proposed",
            Verdict::Nothing => continue,
        };
        println!(
            "{word} {:.3}  {}  {:?} -> {}  {}",
            best.comparison.score, n.incident_id, n.name, actor.actor.id, actor.actor.name
        );
        let reasons: Vec<String> = best
            .comparison
            .reasons
            .iter()
            .map(ToString::to_string)
            .collect();
        println!("               {}", reasons.join("; "));
    }
    println!(
        "{} names without an actor id: {} linked (score >= {CONFIDENT_THRESHOLD}), {} proposed \
         for review (>= {DEFAULT_THRESHOLD}; liaison actors review list), {unmatched} without a \
         match",
        names.len(),
        out.linked,
        out.proposed
    );
    Ok(())
}

fn print_link(row: &NameLinkRow, names: &BTreeMap<String, String>) {
    let actor = row.actor_id.as_deref().unwrap_or("-");
    let name = row
        .actor_id
        .as_ref()
        .and_then(|a| names.get(a))
        .map(|n| format!(" ({n})"))
        .unwrap_or_default();
    println!(
        "{}  {}  {:.3}  {}  {:?} -> {actor}{name}  [{}{}]",
        row.id,
        row.status.as_str(),
        row.score,
        row.incident_id,
        row.actor_name,
        row.method,
        row.decided_by
            .as_ref()
            .map(|b| format!(" by {b}"))
            .unwrap_or_default(),
    );
    if let Some(e) = row.reasons.get("explanation").and_then(|e| e.as_str()) {
        println!("    as {:?}: {e}", row.matched);
    }
}

async fn actor_names(node: &Node) -> Result<BTreeMap<String, String>> {
    Ok(node
        .store
        .actors()
        .await?
        .into_iter()
        .map(|a| (a.id.as_str().to_owned(), a.name))
        .collect())
}

/// `liaison actors review …`.
pub async fn review(command: ReviewCommand) -> Result<()> {
    match command {
        ReviewCommand::List { status, data, json } => {
            let status = match status.as_str() {
                "all" => None,
                s => Some(LinkStatus::parse(s).map_err(|e| anyhow!("--status: {e} (or all)"))?),
            };
            let node = node::open(&data.dir).await?;
            let rows = node.store.name_links(status).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else if rows.is_empty() {
                println!("nothing to review");
            } else {
                let names = actor_names(&node).await?;
                for r in &rows {
                    print_link(r, &names);
                }
            }
            Ok(())
        }
        ReviewCommand::Accept { id, data, json } => {
            let node = node::open(&data.dir).await?;
            let row = node
                .store
                .accept_name_link(id, CLI_USER, crate::now())
                .await
                .map_err(|e| say(e, &format!("link {id}")))?;
            print_decided(&node, &row, json).await
        }
        ReviewCommand::Reject {
            id,
            actor,
            data,
            json,
        } => {
            let instead = actor.map(|a| actor_id("--actor", &a)).transpose()?;
            let node = node::open(&data.dir).await?;
            let row = node
                .store
                .reject_name_link(id, instead.as_ref(), CLI_USER, crate::now())
                .await
                .map_err(|e| match e {
                    StoreError::Invalid { field, message } if field == "actor" => {
                        anyhow!("--actor: {message}")
                    }
                    other => say(other, &format!("link {id}")),
                })?;
            print_decided(&node, &row, json).await
        }
    }
}

async fn print_decided(node: &Node, row: &NameLinkRow, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(row)?);
    } else {
        print_link(row, &actor_names(node).await?);
    }
    Ok(())
}

fn print_merge(m: &MergeRow) {
    let split = match (&m.split_at, &m.split_by) {
        (Some(at), by) => format!(
            "; split {at} by {}{}",
            by.as_deref().unwrap_or("?"),
            m.split_reason
                .as_ref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        ),
        (None, _) => String::new(),
    };
    println!(
        "merge {}: {} merged into {} ({} by {}: {}){split}",
        m.id, m.other_id, m.keep_id, m.merged_at, m.merged_by, m.reason
    );
}

/// `liaison actors merge KEEP OTHER --reason TEXT`.
pub async fn merge(
    dir: &std::path::Path,
    keep: &str,
    other: &str,
    reason: &str,
    json: bool,
) -> Result<()> {
    let keep = actor_id("KEEP", keep)?;
    let other = actor_id("OTHER", other)?;
    let node = node::open(dir).await?;
    let m = node
        .store
        .merge_actors(&keep, &other, reason, CLI_USER, crate::now())
        .await
        .map_err(|e| match e {
            StoreError::Invalid { field, message } if field == "reason" => {
                anyhow!("--reason: {message}")
            }
            StoreError::Invalid { field, message } => {
                anyhow!("{}: {message}", field.to_uppercase())
            }
            other => anyhow!(other),
        })?;
    if json {
        println!("{}", serde_json::to_string_pretty(&m)?);
    } else {
        print_merge(&m);
        println!("undo with: liaison actors split {}", m.id);
    }
    Ok(())
}

/// `liaison actors split MERGE_ID`.
pub async fn split(dir: &std::path::Path, id: i64, reason: Option<&str>, json: bool) -> Result<()> {
    let node = node::open(dir).await?;
    let m = node
        .store
        .split_actor_merge(id, reason, CLI_USER, crate::now())
        .await
        .map_err(|e| say(e, &format!("merge {id}")))?;
    if json {
        println!("{}", serde_json::to_string_pretty(&m)?);
    } else {
        print_merge(&m);
    }
    Ok(())
}

/// `liaison actors show ID`: the record as `actors_import::show` prints it, then its merges,
/// every name it goes by with the provenance of each, and the incidents naming it by id, by a
/// linked name or through a merged record.
pub async fn show(node: &Node, id: &str, json: bool) -> Result<()> {
    let aid = actor_id("ID", id)?;
    if !json {
        crate::actors_import::show(node, id, false).await?;
    }
    let effective = node
        .store
        .effective_actor(&aid)
        .await
        .map_err(|e| say(e, &format!("actor {aid}")))?;
    let merges = node.store.actor_merges(&aid).await?;
    let incidents = node.store.actor_incidents(&aid).await?;
    if json {
        // The same document `actors_import::show` prints, with what merges and links add.
        let names = actor_names(node).await?;
        let links = node.store.actor_links().await?;
        let mut doc = serde_json::to_value(&effective.actor)?;
        if let Some(rels) = doc.get_mut("relations").and_then(|r| r.as_array_mut()) {
            for (r, rel) in rels.iter_mut().zip(&effective.actor.relations) {
                r["actor_name"] = json!(names.get(rel.actor.as_str()));
            }
        }
        doc["incidents_linked"] = json!(links.incidents_by_actor.get(&aid).copied().unwrap_or(0));
        doc["incidents"] = serde_json::to_value(incidents)?;
        doc["merged_into"] = json!(effective.merged_into);
        doc["merges"] = json!(merges);
        doc["effective_aliases"] = json!(effective.aliases);
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    if let Some(m) = &effective.merged_into {
        println!(
            "merged into {} (merge {}): its names and incidents count for that record",
            m.keep_id, m.id
        );
    }
    for m in &merges {
        print_merge(m);
    }
    if !effective.aliases.is_empty() {
        println!("names it goes by, with their provenance:");
    }
    for a in &effective.aliases {
        let how = match a.merge_id {
            Some(m) => format!("from {} by merge {m}", a.from_actor),
            None => "own".to_owned(),
        };
        println!(
            "  {} ({:?}; {how}{})",
            a.name,
            a.script,
            a.source
                .as_ref()
                .map(|s| format!("; source: {s}"))
                .unwrap_or_default()
        );
    }
    println!(
        "incidents naming it, with linked names and merged records: {} ({} by id, {} by name)",
        incidents.total, incidents.by_id, incidents.by_name
    );
    Ok(())
}
