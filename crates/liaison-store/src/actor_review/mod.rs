//! Names incidents give their actors, linked to actor records after the fact, and merges of
//! actor records, both reversible and both on the record (migration 0016).
//!
//! A link is a row of `actor_name_links` beside the incident (incident id, the name as written,
//! the actor, how, score, reasons, when, who): the incident document is never rewritten, since
//! incidents are versioned by their originator only. A merge is a row of `actor_merges` beside
//! both actor records, which are never rewritten either: the merged record's names, aliases and
//! links count for the kept one while the merge stands, and a split (which only fills the row's
//! split columns) gives both records back exactly as they were.
//!
//! What this is not: the matcher (`liaison_names::link` decides, the caller records the
//! decision), nor who may review (decided above the store).
//!
//! `links.rs` holds the link rows (the pass's record, reviews), `merges.rs` the merges, splits and
//! what they make of an actor; this file the rows and the pure rules both share.

mod links;
mod merges;

use std::collections::{BTreeMap, BTreeSet};

use liaison_core::{Actor, ActorId, IncidentId, Script};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::StoreError;

/// Most link rows one listing returns.
pub const MAX_NAME_LINKS: i64 = 1_000;
/// Longest chain of merges followed (A into B into C …): more means the table was altered.
const MERGE_DEPTH_MAX: usize = 64;

/// Where a name link stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkStatus {
    /// The incident counts as naming the actor.
    Linked,
    /// Waiting for a person's review.
    Proposed,
    /// A person said the proposal was wrong.
    Rejected,
}

impl LinkStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkStatus::Linked => "linked",
            LinkStatus::Proposed => "proposed",
            LinkStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Result<LinkStatus, String> {
        match s {
            "linked" => Ok(LinkStatus::Linked),
            "proposed" => Ok(LinkStatus::Proposed),
            "rejected" => Ok(LinkStatus::Rejected),
            other => Err(format!(
                "'{other}' is not a link status: linked, proposed or rejected"
            )),
        }
    }
}

/// A name an incident gives an actor without an actor id, with no link row yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnlinkedName {
    pub incident_id: IncidentId,
    pub name: String,
}

/// A decision of the link pass, to record.
#[derive(Debug, Clone)]
pub struct NewNameLink {
    pub incident_id: IncidentId,
    pub actor_name: String,
    pub actor_id: ActorId,
    /// Linked at once (a confident match) rather than proposed for review.
    pub linked: bool,
    /// The actor's name or alias that matched.
    pub matched: String,
    pub score: f64,
    /// The matcher's reasons, as JSON.
    pub reasons: serde_json::Value,
}

/// A link row.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NameLinkRow {
    pub id: i64,
    pub incident_id: String,
    /// The name as the incident writes it.
    pub actor_name: String,
    /// The actor linked (or proposed); none once rejected.
    pub actor_id: Option<String>,
    pub status: LinkStatus,
    /// `auto`, `proposed`, `accepted`, `rejected` or `manual`.
    pub method: String,
    /// What the matcher proposed, kept whatever the review decided.
    pub proposed_actor_id: String,
    pub matched: String,
    pub score: f64,
    pub reasons: serde_json::Value,
    pub found_at: String,
    pub found_by: String,
    pub decided_at: Option<String>,
    pub decided_by: Option<String>,
}

/// What recording a pass's decisions did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct LinkOutcome {
    pub linked: u64,
    pub proposed: u64,
    /// Decisions already on the record (another pass got there first): left as they were.
    pub already: u64,
}

/// A merge of two actor records, standing or split.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergeRow {
    pub id: i64,
    pub keep_id: String,
    pub other_id: String,
    pub reason: String,
    pub merged_at: String,
    pub merged_by: String,
    pub split_at: Option<String>,
    pub split_by: Option<String>,
    pub split_reason: Option<String>,
}

impl MergeRow {
    pub fn standing(&self) -> bool {
        self.split_at.is_none()
    }
}

/// One name an actor goes by, with where it comes from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveAlias {
    pub name: String,
    pub script: Script,
    /// The alias's source, else its record's.
    pub source: Option<String>,
    /// The record the name belongs to.
    pub from_actor: String,
    /// The merge that brought it here; none for the actor's own aliases.
    pub merge_id: Option<i64>,
}

/// An actor record as the node's merges make it: its own aliases plus the names and aliases of
/// every record merged into it (and into those), with their provenance.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EffectiveActor {
    pub actor: Actor,
    /// The standing merge of this record into another, if any.
    pub merged_into: Option<MergeRow>,
    /// Records that count as this one (merged into it, directly or not).
    pub absorbed: Vec<String>,
    pub aliases: Vec<EffectiveAlias>,
}

/// Incidents an actor (with the records merged into it) is named in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ActorIncidents {
    /// By an actor id in the incident document.
    pub by_id: u64,
    /// By a name linked in `actor_name_links`.
    pub by_name: u64,
    /// Distinct incidents either way.
    pub total: u64,
}

pub(super) fn link_row(r: &AnyRow) -> Result<NameLinkRow, StoreError> {
    let status: String = r.try_get("status")?;
    let reasons: String = r.try_get("reasons")?;
    Ok(NameLinkRow {
        id: r.try_get("id")?,
        incident_id: r.try_get("incident_id")?,
        actor_name: r.try_get("actor_name")?,
        actor_id: r.try_get("actor_id")?,
        status: LinkStatus::parse(&status).map_err(StoreError::Corrupt)?,
        method: r.try_get("method")?,
        proposed_actor_id: r.try_get("proposed_actor_id")?,
        matched: r.try_get("matched")?,
        score: r.try_get("score")?,
        reasons: serde_json::from_str(&reasons)
            .map_err(|e| StoreError::Corrupt(format!("link reasons: {e}")))?,
        found_at: r.try_get("found_at")?,
        found_by: r.try_get("found_by")?,
        decided_at: r.try_get("decided_at")?,
        decided_by: r.try_get("decided_by")?,
    })
}

pub(super) const LINK_COLUMNS: &str = "id, incident_id, actor_name, actor_id, status, method, \
     proposed_actor_id, matched, score, reasons, found_at, found_by, decided_at, decided_by";

pub(super) fn merge_row(r: &AnyRow) -> Result<MergeRow, StoreError> {
    Ok(MergeRow {
        id: r.try_get("id")?,
        keep_id: r.try_get("keep_id")?,
        other_id: r.try_get("other_id")?,
        reason: r.try_get("reason")?,
        merged_at: r.try_get("merged_at")?,
        merged_by: r.try_get("merged_by")?,
        split_at: r.try_get("split_at")?,
        split_by: r.try_get("split_by")?,
        split_reason: r.try_get("split_reason")?,
    })
}

pub(super) const MERGE_COLUMNS: &str =
    "id, keep_id, other_id, reason, merged_at, merged_by, split_at, split_by, split_reason";

/// The records that count as `root` under the standing merges (itself first), each with the
/// merge that brought it in. Pure; bounded by [`MERGE_DEPTH_MAX`] and by a visited set, so a
/// table altered into a cycle cannot loop.
pub(super) fn group(root: &str, standing: &[MergeRow]) -> Vec<(String, Option<i64>)> {
    let mut out = vec![(root.to_owned(), None)];
    let mut seen: BTreeSet<String> = BTreeSet::from([root.to_owned()]);
    let mut frontier = vec![root.to_owned()];
    for _ in 0..MERGE_DEPTH_MAX {
        let mut next = Vec::new();
        for keep in &frontier {
            for m in standing.iter().filter(|m| &m.keep_id == keep) {
                if seen.insert(m.other_id.clone()) {
                    out.push((m.other_id.clone(), Some(m.id)));
                    next.push(m.other_id.clone());
                }
            }
        }
        if next.is_empty() {
            break;
        }
        frontier = next;
    }
    out
}

/// `actor` as the standing merges make it, from the records at hand. Pure.
pub fn effective_actor(
    actor: &Actor,
    records: &BTreeMap<String, Actor>,
    standing: &[MergeRow],
) -> EffectiveActor {
    let mut aliases = Vec::new();
    let mut absorbed = Vec::new();
    for (id, merge_id) in group(actor.id.as_str(), standing) {
        let Some(record) = records.get(&id) else {
            continue;
        };
        if merge_id.is_some() {
            absorbed.push(id.clone());
            aliases.push(EffectiveAlias {
                name: record.name.clone(),
                script: Script::detect(&record.name),
                source: record.source.clone(),
                from_actor: id.clone(),
                merge_id,
            });
        }
        for a in &record.aliases {
            aliases.push(EffectiveAlias {
                name: a.name.clone(),
                script: a.script,
                source: a.source.clone().or_else(|| record.source.clone()),
                from_actor: id.clone(),
                merge_id,
            });
        }
    }
    EffectiveActor {
        actor: actor.clone(),
        merged_into: standing
            .iter()
            .find(|m| m.other_id == actor.id.as_str())
            .cloned(),
        absorbed,
        aliases,
    }
}
