//! `liaison export stix`: the incidents matching the `incidents list` filters, with their
//! recorded times, the node's actor and member records → one bundle (`liaison_stix`). Objects
//! another member wrote (incidents received from it, and what derives from them) are relayed as
//! they were received when the node kept them, never rewritten; `--include-foreign` adds every
//! kept STIX object (every version) as it came.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use liaison_core::{Actor, Incident};
use liaison_stix::{ExportContext, IncidentRecord};
use liaison_store::Cursor;
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::cli::FilterArgs;
use crate::node::Node;

/// Kept objects read per query by `--include-foreign`.
const FOREIGN_PAGE: u32 = 1_000;

fn describe(f: &FilterArgs) -> Option<String> {
    let mut parts = Vec::new();
    for (k, v) in [
        ("country", &f.country),
        ("from", &f.from),
        ("to", &f.to),
        ("bbox", &f.bbox),
        ("text", &f.text),
        ("originator", &f.originator),
    ] {
        if let Some(v) = v {
            parts.push(format!("{k} {v}"));
        }
    }
    if !f.types.is_empty() {
        parts.push(format!("type {}", f.types.join(",")));
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

fn parse_time(s: &str) -> Result<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).with_context(|| format!("stored time '{s}' is unreadable"))
}

/// The version key of an object of a bundle (as `stix_objects.modified` holds it).
fn version_key(v: &Value) -> String {
    ["modified", "created"]
        .iter()
        .find_map(|p| v.get(*p).and_then(Value::as_str))
        .and_then(|s| liaison_stix::timestamp::parse(s).ok())
        .map(|p| p.key)
        .unwrap_or_default()
}

/// `liaison export stix`.
pub async fn export(
    node: &Node,
    filters: &FilterArgs,
    out: Option<&Path>,
    include_foreign: bool,
) -> Result<()> {
    let f = crate::query::filter(filters)?;
    let mut incidents: Vec<Incident> = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let page = node
            .store
            .list_incidents(&f, liaison_store::MAX_PAGE_SIZE, cursor.as_ref())
            .await?;
        incidents.extend(page.incidents);
        match page.next_cursor {
            Some(c) => cursor = Some(Cursor::parse(&c)?),
            None => break,
        }
    }
    // Oldest first, and a stable order, so the same selection gives the same bundle.
    incidents.sort_by(|a, b| {
        (a.content.date.start, &a.originator, &a.id).cmp(&(
            b.content.date.start,
            &b.originator,
            &b.id,
        ))
    });
    let ids: Vec<_> = incidents.iter().map(|i| i.id.clone()).collect();
    let spans = node.store.incident_recorded_span(&ids).await?;
    let mut records = Vec::with_capacity(incidents.len());
    for inc in &incidents {
        let (first, current) = spans
            .get(inc.id.as_str())
            .ok_or_else(|| anyhow!("incident {} vanished during the export", inc.id))?;
        records.push(IncidentRecord {
            incident: inc,
            created: parse_time(first)?,
            modified: parse_time(current)?,
        });
    }
    let actors: HashMap<_, Actor> = node
        .store
        .actors()
        .await?
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect();
    let members = node
        .store
        .members()
        .await?
        .into_iter()
        .map(|m| (m.code.clone(), m))
        .collect();
    let description = describe(filters);
    let ctx = ExportContext {
        exporter: &node.member,
        actors: &actors,
        members: &members,
        description: description.as_deref(),
    };
    let mut bundle = liaison_stix::export_bundle(&ctx, &records)?;
    relay_as_received(node, &mut bundle.objects).await?;
    if include_foreign {
        add_foreign(node, &mut bundle.objects).await?;
    }
    let n = bundle.objects.len();
    let value = bundle.to_value();
    match out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            let mut w = std::io::BufWriter::new(file);
            serde_json::to_writer_pretty(&mut w, &value)?;
            w.write_all(b"\n")?;
            w.flush()
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "{}: bundle of {n} objects ({} incidents)",
                path.display(),
                incidents.len()
            );
        }
        None => {
            let stdout = std::io::stdout();
            let mut w = std::io::BufWriter::new(stdout.lock());
            serde_json::to_writer_pretty(&mut w, &value)?;
            w.write_all(b"\n")?;
            w.flush()?;
        }
    }
    node.store.close().await;
    Ok(())
}

/// Replaces each object that this member did not write by the newest version the node kept of
/// it, if it kept one: a relay passes on what the originator wrote, as it wrote it. This member's
/// own objects and the constants of this build (our extension-definition and project identity,
/// the TLP 2.0 marking-definitions) are always the ones just made.
async fn relay_as_received(node: &Node, objects: &mut [Value]) -> Result<()> {
    let mine = liaison_stix::actors::member_identity_id(&node.member);
    let relayed = |o: &Value| -> Option<String> {
        let id = o.get("id").and_then(Value::as_str)?;
        let by = o.get("created_by_ref").and_then(Value::as_str);
        let constant = id == liaison_stix::EXTENSION_ID
            || id == liaison_stix::LIAISON_IDENTITY_ID
            || liaison_stix::markings::tlp_from_id(id).is_some();
        (by != Some(mine.as_str()) && id != mine && !constant).then(|| id.to_owned())
    };
    let theirs: Vec<String> = objects.iter().filter_map(relayed).collect();
    let kept = node.store.latest_stix_objects(&theirs).await?;
    for o in objects.iter_mut() {
        let Some(row) = relayed(o).and_then(|id| kept.get(&id)) else {
            continue;
        };
        *o = serde_json::from_str(&row.doc)
            .with_context(|| format!("kept STIX object {} is unreadable", row.id))?;
    }
    Ok(())
}

/// Adds every kept object (every version) the bundle does not hold yet.
async fn add_foreign(node: &Node, objects: &mut Vec<Value>) -> Result<()> {
    let mut present: HashSet<(String, String)> = objects
        .iter()
        .filter_map(|o| {
            let id = o.get("id").and_then(Value::as_str)?;
            Some((id.to_owned(), version_key(o)))
        })
        .collect();
    let mut after = 0;
    loop {
        let rows = node.store.stix_objects(after, FOREIGN_PAGE).await?;
        let Some(last) = rows.last() else { break };
        after = last.seq;
        for r in rows {
            if present.insert((r.id.clone(), r.modified.clone())) {
                objects.push(
                    serde_json::from_str(&r.doc)
                        .with_context(|| format!("kept STIX object {} is unreadable", r.id))?,
                );
            }
        }
    }
    Ok(())
}
