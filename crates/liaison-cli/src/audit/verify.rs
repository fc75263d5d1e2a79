//! `liaison audit verify`: the log's fsck. It reads every stored entry, recomputes the Merkle
//! tree from the entries' own text, and checks, naming what is wrong:
//! (a) indices run from 0 to the head's size − 1 with no gap (a gap is a deleted entry);
//! (b) each entry decodes strictly and hashes to its stored leaf hash (else it was modified);
//! (c) the stored subtrees, head and frontier equal the recomputed ones;
//! (d) every checkpoint is signed by this node's key and commits to the recomputed root at its
//!     size, which catches an entry rewritten together with every hash stored beside it;
//! (e) every cosignature verifies with its witness's registered key;
//! (f) every disclosure, recall and received incident the store holds is in the log.
//!
//! The tree is recomputed from the text, not from the stored leaf hashes, because the text is
//! what the signed checkpoints committed to. Stored nodes over an entry already found missing
//! or modified are not listed again: they differ as a consequence, not as a second fault.

use std::collections::BTreeSet;

use anyhow::{Result, bail};
use liaison_ledger::{Entry, Hash, MemoryTree, NodeId, leaf_hash};
use liaison_policy::NodePublicKey;
use liaison_store::{LedgerHead, Store};
use serde_json::json;

use super::checkpoints;
use super::store_check::{self, LogFacts};
use crate::node::Node;

/// Entries read per page.
const PAGE: u64 = 10_000;
/// Most problems of one repetitive kind (missing nodes) listed before "and N more".
const LISTED_PER_KIND: usize = 10;

/// The outcome of one check.
pub(super) struct Check {
    name: &'static str,
    summary: String,
    problems: usize,
}

/// Everything `audit verify` found.
#[derive(Default)]
pub(super) struct Report {
    checks: Vec<Check>,
    pub problems: Vec<String>,
    pub pending: Vec<String>,
    pub entries: u64,
    pub checkpoints: u64,
    pub cosignatures: u64,
}

impl Report {
    /// Records the summary of a check whose problems were pushed since `problems_before`.
    pub fn done(&mut self, name: &'static str, problems_before: usize, summary: String) {
        self.checks.push(Check {
            name,
            summary,
            problems: self.problems.len() - problems_before,
        });
    }
}

/// What reading the entries produced: the recomputed tree and which leaves are not intact.
pub(super) struct Scan {
    pub head: LedgerHead,
    pub tree: MemoryTree,
    /// Indices whose entry is missing, or whose text no longer matches its leaf hash.
    pub damaged: BTreeSet<u64>,
    pub facts: LogFacts,
}

impl Scan {
    /// Whether any leaf in `[start, end)` is missing or modified.
    pub fn damaged_in(&self, start: u64, end: u64) -> bool {
        self.damaged.range(start..end).next().is_some()
    }
}

fn hex(h: &Hash) -> String {
    liaison_ledger::hash::to_hex(h)
}

fn missing(report: &mut Report, first: u64, last: u64) {
    report.problems.push(if first == last {
        format!("entry {first} is missing (deleted)")
    } else {
        format!("entries {first} to {last} are missing (deleted)")
    });
}

/// (a) and (b): reads every entry in pages and recomputes the tree. A missing entry takes a
/// placeholder leaf so that the entries after it keep their positions.
async fn scan(store: &Store, report: &mut Report) -> Result<Scan> {
    let head = store.ledger_head().await?;
    let mut s = Scan {
        head,
        tree: MemoryTree::with_capacity(head.size),
        damaged: BTreeSet::new(),
        facts: LogFacts::default(),
    };
    let a_before = report.problems.len();
    let mut modified = Vec::new();
    let mut next = 0u64;
    loop {
        let page = store.ledger_rows_from(next, PAGE).await?;
        let Some(last) = page.last() else { break };
        let after = last.index + 1;
        for row in page {
            // Placeholders go no further than the head: a row at a huge index must not make
            // the audit build a huge tree.
            let gap_end = row.index.min(head.size);
            if gap_end > next {
                missing(report, next, gap_end - 1);
                for i in next..gap_end {
                    s.tree.push([0; 32]);
                    s.damaged.insert(i);
                }
            }
            if row.index >= head.size {
                report.problems.push(format!(
                    "entry {} is beyond the head (size {}): the head was moved back, or the \
                     entry was added outside the log",
                    row.index, head.size
                ));
                next = head.size;
                continue;
            }
            let actual = leaf_hash(row.entry.as_bytes());
            s.tree.push(actual);
            let fault = match Entry::decode(row.entry.as_bytes()) {
                Err(e) => Some(format!("it no longer decodes ({e})")),
                Ok(_) if hex(&actual) != row.leaf_hash => {
                    Some("its text no longer hashes to its stored leaf hash".to_owned())
                }
                Ok(e) => {
                    s.facts.add(&e);
                    (e.kind() != row.kind || e.at != row.at)
                        .then(|| "its kind or time columns disagree with its text".to_owned())
                }
            };
            if let Some(why) = fault {
                modified.push(format!("entry {} was modified: {why}", row.index));
                s.damaged.insert(row.index);
            }
            next = row.index + 1;
        }
        next = next.max(after);
    }
    if next < head.size {
        missing(report, next, head.size - 1);
        for i in next..head.size {
            s.tree.push([0; 32]);
            s.damaged.insert(i);
        }
    }
    let missing_count = s.damaged.len() - modified.len();
    let stored = s.tree.size() - missing_count as u64;
    report.entries = stored;
    report.done(
        "(a) indices",
        a_before,
        format!(
            "head size {}, {stored} entries stored, {missing_count} missing",
            head.size
        ),
    );
    let b_before = report.problems.len();
    let intact = stored - modified.len() as u64;
    report.problems.append(&mut modified);
    report.done(
        "(b) entries",
        b_before,
        format!("{intact} of {stored} decode strictly and match their leaf hash"),
    );
    Ok(s)
}

/// (c): stored subtrees, head and frontier against the recomputed tree.
async fn tree(store: &Store, s: &Scan, report: &mut Report) -> Result<()> {
    let before = report.problems.len();
    let stored = store.ledger_nodes().await?;
    let size = s.tree.size();
    let mut seen = std::collections::HashSet::with_capacity(stored.len());
    for (id, hash) in &stored {
        seen.insert(*id);
        let (first, end) = (id.first_leaf(), id.end_leaf());
        let Some(expected) = s.tree.node(*id).filter(|_| end <= size) else {
            report.problems.push(format!(
                "stored node (level {}, index {}) covers entries {first} to {} beyond the log",
                id.level,
                id.index,
                end - 1
            ));
            continue;
        };
        if !s.damaged_in(first, end) && *hash != hex(&expected) {
            report.problems.push(format!(
                "stored node (level {}, index {}) over entries {first} to {} differs from the \
                 one recomputed from the entries: an entry under it was rewritten with its leaf \
                 hash, or the node itself was",
                id.level,
                id.index,
                end - 1
            ));
        }
    }
    let mut absent = Vec::new();
    // Levels below the first stored one are recomputed from the entries, never stored.
    for level in liaison_store::FIRST_STORED_LEVEL..64u8 {
        let count = size >> level;
        if count == 0 {
            break;
        }
        absent.extend(
            (0..count)
                .map(|index| NodeId::new(level, index))
                .filter(|id| !seen.contains(id)),
        );
    }
    for id in absent.iter().take(LISTED_PER_KIND) {
        report.problems.push(format!(
            "node (level {}, index {}) over entries {} to {} is not stored (deleted)",
            id.level,
            id.index,
            id.first_leaf(),
            id.end_leaf() - 1
        ));
    }
    if absent.len() > LISTED_PER_KIND {
        report.problems.push(format!(
            "and {} more stored nodes are missing",
            absent.len() - LISTED_PER_KIND
        ));
    }
    // The head is compared at its own size; a fault in an entry below it already explains a
    // difference, so only an otherwise intact log is held to it.
    let head = s.head;
    if head.size <= size && !s.damaged_in(0, head.size) {
        if s.tree.root_at(head.size).ok() != Some(head.root) {
            report.problems.push(format!(
                "the head's root (size {}) differs from the root recomputed from the entries",
                head.size
            ));
        }
        let expected: Vec<String> = liaison_ledger::Frontier::ids(head.size)
            .into_iter()
            .filter_map(|id| s.tree.node(id).map(|h| hex(&h)))
            .collect();
        if store.ledger_head_frontier().await? != expected {
            report.problems.push(format!(
                "the head's frontier (size {}) differs from the one recomputed from the entries",
                head.size
            ));
        }
    }
    report.done(
        "(c) tree",
        before,
        format!(
            "{} stored nodes checked; head root and frontier compared",
            stored.len()
        ),
    );
    Ok(())
}

/// `liaison audit verify`.
pub async fn run(node: &Node, key: &NodePublicKey, json: bool) -> Result<()> {
    let mut report = Report::default();
    let s = scan(&node.store, &mut report).await?;
    tree(&node.store, &s, &mut report).await?;
    let origin = super::origin(node);
    let signed = checkpoints::check(&node.store, &origin, key, &s, &mut report).await?;
    checkpoints::cosignatures(&node.store, &signed, &mut report).await?;
    store_check::check(node, &s.facts, &mut report).await?;
    let n = report.problems.len();
    if json {
        let out = json!({
            "ok": n == 0,
            "entries": report.entries,
            "checkpoints": report.checkpoints,
            "cosignatures": report.cosignatures,
            "problems": report.problems,
            "pending": report.pending,
            "checks": report.checks.iter().map(|c| json!({
                "name": c.name, "problems": c.problems, "summary": c.summary,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("log {origin}: {} entries", report.entries);
        for c in &report.checks {
            let status = match c.problems {
                0 => "ok".to_owned(),
                p => format!("{p} PROBLEM(S)"),
            };
            println!("{:<16} {status:<14} {}", c.name, c.summary);
        }
        if n > 0 {
            println!("problems:");
            for p in &report.problems {
                println!("  - {p}");
            }
        }
        if !report.pending.is_empty() {
            println!("pending (not problems):");
            for p in &report.pending {
                println!("  - {p}");
            }
        }
    }
    if n > 0 {
        bail!(
            "audit verify found {n} problem(s) in the ledger of {}; the first: {}",
            node.member,
            report.problems[0]
        );
    }
    Ok(())
}
