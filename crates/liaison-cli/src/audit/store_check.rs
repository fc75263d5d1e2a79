//! Check (f) of `audit verify`: the store and the log agree. Every disclosure row has its
//! `disclosed` entry, every recall its `recall_issued` entry, every received incident its
//! `received` entry; recipients of a recalled incident that have not yet attested hiding it are
//! listed as pending (a fact of the federation, not a fault of the log).
//!
//! Both are written in one transaction, so a row without its entry means the store was edited
//! behind the log's back (or the row predates the ledger).

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use liaison_ledger::{Entry, Event};
use liaison_store::ReceivedCursor;

use super::verify::Report;
use crate::node::Node;

/// Rows read per page of disclosures or received incidents.
const PAGE: i64 = 5_000;

/// Recipient, incident id, version, object hash.
type DisclosedKey = (String, String, i64, String);

/// What the log's entries say, kept as keys for matching store rows.
#[derive(Default)]
pub(super) struct LogFacts {
    /// How many `disclosed` entries carry each key: one row, one entry.
    disclosed: HashMap<DisclosedKey, u64>,
    /// Incident id and tombstone version of each `recall_issued` entry.
    recalls: HashSet<(String, i64)>,
    /// Originator, incident id and object hash of each `received` entry.
    received: HashSet<(String, String, String)>,
}

impl LogFacts {
    pub fn add(&mut self, e: &Entry) {
        match &e.event {
            Event::Disclosed {
                recipient,
                incident_id,
                version,
                object_sha256,
                ..
            } => {
                *self
                    .disclosed
                    .entry((
                        recipient.clone(),
                        incident_id.clone(),
                        *version,
                        object_sha256.clone(),
                    ))
                    .or_default() += 1;
            }
            Event::RecallIssued {
                incident_id,
                version,
                ..
            } => {
                self.recalls.insert((incident_id.clone(), *version));
            }
            Event::Received {
                originator,
                incident_id,
                object_sha256,
                ..
            } => {
                self.received.insert((
                    originator.clone(),
                    incident_id.clone(),
                    object_sha256.clone(),
                ));
            }
            _ => {}
        }
    }
}

fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// (f).
pub(super) async fn check(node: &Node, facts: &LogFacts, report: &mut Report) -> Result<()> {
    let before = report.problems.len();
    let store = &node.store;
    let mut unmatched = facts.disclosed.clone();
    let (mut disclosures, mut after) = (0u64, 0i64);
    loop {
        let page = store.disclosures_page(after, PAGE).await?;
        let Some((last, _)) = page.last() else { break };
        after = *last;
        for (_, d) in page {
            disclosures += 1;
            let key = (
                d.peer.clone(),
                d.incident_id.clone(),
                d.version,
                d.object_sha256.clone(),
            );
            match unmatched.get_mut(&key) {
                Some(n) if *n > 0 => *n -= 1,
                _ => report.problems.push(format!(
                    "the store's disclosure of {} v{} to {} at {} ({}, object sha256 {}…) has no intact \
                     `disclosed` entry in the log",
                    d.incident_id,
                    d.version,
                    d.peer,
                    d.at,
                    d.kind,
                    short(&d.object_sha256)
                )),
            }
        }
    }
    let recalls = store.recalls().await?;
    let mut attested = 0;
    for r in &recalls {
        if !facts.recalls.contains(&(r.incident_id.clone(), r.version)) {
            report.problems.push(format!(
                "the store's recall of {} (tombstone v{}, at {} by {}) has no intact `recall_issued` \
                 entry in the log",
                r.incident_id, r.version, r.at, r.by_user
            ));
        }
        let by: HashSet<String> = store
            .attestations_of(node.member.as_str(), &r.incident_id)
            .await?
            .into_iter()
            .map(|a| a.by_member)
            .collect();
        for peer in store.disclosed_peers(&r.incident_id).await? {
            if by.contains(&peer) {
                attested += 1;
            } else {
                report.pending.push(format!(
                    "{peer} has not yet attested hiding {} (recalled at {})",
                    r.incident_id, r.at
                ));
            }
        }
    }
    let (mut received, mut cursor) = (0u64, ReceivedCursor::default());
    loop {
        let page = store.received_page(&cursor, PAGE).await?;
        let Some(last) = page.last() else { break };
        cursor = ReceivedCursor {
            originator: last.originator.clone(),
            incident_id: last.incident_id.clone(),
        };
        for r in page {
            received += 1;
            let key = (r.originator, r.incident_id, r.object_sha256);
            if !facts.received.contains(&key) {
                let (originator, incident, sha) = key;
                report.problems.push(format!(
                    "the store's received {incident} v{} of {originator} (from {}, {}object \
                     sha256 {}…) has no intact `received` entry in the log",
                    r.version,
                    r.from_peer,
                    if r.recalled_at.is_some() {
                        "recalled, tombstone "
                    } else {
                        ""
                    },
                    short(&sha)
                ));
            }
        }
    }
    report.done(
        "(f) store vs log",
        before,
        format!(
            "{disclosures} disclosures, {} recalls ({attested} attested, {} pending), \
             {received} received incidents",
            recalls.len(),
            report.pending.len()
        ),
    );
    Ok(())
}
