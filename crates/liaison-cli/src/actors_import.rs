//! `liaison import ucdp-actors` and `liaison actors list|show`: the UCDP actor list into the
//! node's actor records, and those records as a user reads them, with how incidents link to
//! them.
//!
//! An actor list import is all-or-nothing: every record of every file is read first, and one
//! bad record (named by file, line and column) stores nothing. The parsing is
//! `liaison_import::open_actors`; storing is `Store::put_actors` (one transaction, unchanged
//! records untouched), so importing the same list twice changes nothing.

use std::collections::HashMap;
use std::io::{BufReader, Read};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use liaison_core::{Actor, ActorId};
use liaison_store::ActorLinks;
use serde::Serialize;
use serde_json::json;

use crate::node::Node;

/// Most bad records a refusal lists; the count is always exact.
const SHOWN_ERRORS: usize = 20;

/// The report on an actor list import.
#[derive(Debug, Serialize)]
pub struct ActorsReport {
    pub files: Vec<String>,
    pub actors: u64,
    pub inserted: u64,
    pub unchanged: u64,
    pub replaced: u64,
    /// Stored incidents naming at least one actor id with a stored record.
    pub incidents_linked: u64,
    /// Stored incidents naming at least one actor id without one.
    pub incidents_with_unknown_actor: u64,
    /// Those ids, with how many incidents name each.
    pub unknown_actor_ids: Vec<(String, u64)>,
}

/// Reads one actor list whole: its actors, or every bad record named.
pub fn read_list(name: &str, input: impl Read) -> Result<Vec<Actor>> {
    let reader = liaison_import::open_actors(BufReader::new(input))
        .with_context(|| format!("{name}: not a UCDP actor list"))?;
    let mut actors = Vec::new();
    let mut errors = Vec::new();
    for r in reader {
        match r {
            Ok(p) => actors.push(p.actor),
            Err(e) => errors.push(e),
        }
    }
    if let Some(first) = errors.first() {
        let shown: Vec<String> = errors
            .iter()
            .take(SHOWN_ERRORS)
            .map(|e| format!("{name}: {e}"))
            .collect();
        bail!(
            "{} bad record{} (first {first}); nothing stored: {}",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            shown.join("; ")
        );
    }
    Ok(actors)
}

/// Stores the actors in one transaction and counts how incidents now link to them.
pub async fn store(node: &Node, files: Vec<String>, actors: &[Actor]) -> Result<ActorsReport> {
    let outcome = node.store.put_actors(actors).await?;
    let links = node.store.actor_links().await?;
    Ok(ActorsReport {
        files,
        actors: actors.len() as u64,
        inserted: outcome.inserted,
        unchanged: outcome.unchanged,
        replaced: outcome.replaced,
        incidents_linked: links.incidents_linked,
        incidents_with_unknown_actor: links.incidents_with_unknown,
        unknown_actor_ids: links
            .unknown()
            .map(|(id, n)| (id.as_str().to_owned(), n))
            .collect(),
    })
}

/// `liaison import ucdp-actors FILE… --data DIR [--json]`.
pub async fn import(node: &Node, files: &[PathBuf], json: bool) -> Result<()> {
    let mut actors = Vec::new();
    for path in files {
        let name = path.display().to_string();
        let file = std::fs::File::open(path).with_context(|| format!("cannot open {name}"))?;
        actors.extend(read_list(&name, file)?);
    }
    let names = files.iter().map(|p| p.display().to_string()).collect();
    let report = store(node, names, &actors).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!(
            "UCDP actor list: {} actors: {} inserted, {} unchanged, {} replaced",
            report.actors, report.inserted, report.unchanged, report.replaced
        );
        println!(
            "incidents: {} link to a known actor, {} name an actor without a record ({} ids)",
            report.incidents_linked,
            report.incidents_with_unknown_actor,
            report.unknown_actor_ids.len()
        );
    }
    Ok(())
}

/// `liaison actors list [--json]`.
pub async fn list(node: &Node, json: bool) -> Result<()> {
    let actors = node.store.actors().await?;
    let links = node.store.actor_links().await?;
    let count = |id: &ActorId| links.incidents_by_actor.get(id).copied().unwrap_or(0);
    if json {
        let rows: Vec<_> = actors
            .iter()
            .map(|a| {
                json!({
                    "id": a.id, "kind": a.kind, "name": a.name, "ucdp_id": a.ucdp_id,
                    "aliases": a.aliases.len(), "relations": a.relations.len(),
                    "incidents": count(&a.id),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        for a in &actors {
            let kind = serde_json::to_value(a.kind)?;
            println!(
                "{}  {}  {}  ({} incidents)",
                a.id,
                kind.as_str().unwrap_or_default(),
                a.name,
                count(&a.id)
            );
        }
    }
    Ok(())
}

/// `liaison actors show ID [--json]`: the record, its relations with the related actors' names
/// when they are stored, and the number of incidents naming it.
pub async fn show(node: &Node, id: &str, json: bool) -> Result<()> {
    let id = ActorId::parse(id).map_err(|e| anyhow::anyhow!("{id:?} is not an actor id: {e}"))?;
    let actor = match node.store.actor(&id).await {
        Err(liaison_store::StoreError::NotFound) => bail!("no actor {id} on this node"),
        other => other?,
    };
    let links: ActorLinks = node.store.actor_links().await?;
    let incidents = links.incidents_by_actor.get(&id).copied().unwrap_or(0);
    let names: HashMap<ActorId, String> = node
        .store
        .actors()
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect();
    if json {
        let mut doc = serde_json::to_value(&actor)?;
        if let Some(rels) = doc.get_mut("relations").and_then(|r| r.as_array_mut()) {
            for (r, rel) in rels.iter_mut().zip(&actor.relations) {
                r["actor_name"] = json!(names.get(&rel.actor));
            }
        }
        doc["incidents_linked"] = json!(incidents);
        println!("{}", serde_json::to_string_pretty(&doc)?);
        return Ok(());
    }
    let kind = serde_json::to_value(actor.kind)?;
    println!("{}  {}", actor.id, actor.name);
    println!("kind: {}", kind.as_str().unwrap_or_default());
    if let Some(c) = &actor.country {
        println!("country: {}", c.as_str());
    }
    if let Some(d) = &actor.description {
        println!("{d}");
    }
    for a in &actor.aliases {
        println!("alias: {} ({:?})", a.name, a.script);
    }
    for r in &actor.relations {
        let kind = serde_json::to_value(r.kind)?;
        let name = names.get(&r.actor).or(r.name.as_ref());
        println!(
            "{}: {}{}",
            kind.as_str().unwrap_or_default(),
            r.actor,
            name.map(|n| format!(" ({n})")).unwrap_or_default()
        );
    }
    println!("incidents linked: {incidents}");
    if let Some(s) = &actor.source {
        println!("source: {s}");
    }
    Ok(())
}
