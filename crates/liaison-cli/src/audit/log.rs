//! `liaison audit log`: the log's entries for an auditor, one readable line each (index, time,
//! kind, summary), or as JSON with the decoded entry and its leaf hash.
//!
//! Filters read the entry's own text, not the store's index columns, so what is listed is what
//! was hashed into the log. An entry that no longer decodes is still listed, marked, so a
//! damaged log is visible here too (`audit verify` says what is wrong with it).

use anyhow::{Result, anyhow, bail};
use liaison_core::CountryCode;
use liaison_ledger::Entry;
use liaison_store::StoredEntry;
use serde_json::{Value, json};

use crate::node::Node;

/// Entries read per page.
const PAGE: u64 = 1_000;

/// What to list.
#[derive(Debug, Clone)]
pub struct Filter {
    from: u64,
    limit: u64,
    kind: Option<String>,
    peer: Option<String>,
}

impl Filter {
    /// Checks the options: a kind must be one of the ledger's, a peer an ISO3 code.
    pub fn parse(from: u64, limit: u64, kind: Option<&str>, peer: Option<&str>) -> Result<Filter> {
        let kind = kind
            .map(|k| {
                let k = k.trim().to_ascii_lowercase();
                if liaison_ledger::entry::event_kinds().any(|known| known == k) {
                    Ok(k)
                } else {
                    Err(anyhow!(
                        "--kind: unknown kind '{k}'; the kinds are: {}",
                        liaison_ledger::entry::event_kinds()
                            .collect::<Vec<_>>()
                            .join(", ")
                    ))
                }
            })
            .transpose()?;
        let peer = peer
            .map(|p| {
                CountryCode::parse(p)
                    .map(|c| c.to_string())
                    .map_err(|e| anyhow!("--peer: {e}"))
            })
            .transpose()?;
        if limit == 0 {
            bail!("--limit must be at least 1");
        }
        Ok(Filter {
            from,
            limit,
            kind,
            peer,
        })
    }

    fn keeps(&self, row: &StoredEntry, decoded: Option<&Entry>) -> bool {
        let kind_ok = self.kind.as_ref().is_none_or(|k| match decoded {
            Some(e) => e.kind() == k,
            None => &row.kind == k,
        });
        let peer_ok = self.peer.as_ref().is_none_or(|p| match decoded {
            Some(e) => e.concerns().iter().any(|m| m == p),
            None => row.concerns(p),
        });
        kind_ok && peer_ok
    }
}

/// One listed entry.
struct Listed {
    row: StoredEntry,
    decoded: Result<Entry, String>,
}

impl Listed {
    fn kind(&self) -> &str {
        self.decoded.as_ref().map_or(&self.row.kind, |e| e.kind())
    }

    fn to_json(&self) -> Value {
        match &self.decoded {
            Ok(e) => json!({
                "index": self.row.index, "at": e.at, "kind": e.kind(), "concerns": e.concerns(),
                "entry": serde_json::to_value(e).unwrap_or(Value::Null),
                "leaf_hash": self.row.leaf_hash,
            }),
            Err(why) => json!({
                "index": self.row.index, "at": self.row.at, "kind": self.row.kind,
                "concerns": self.row.concerns, "entry": null, "leaf_hash": self.row.leaf_hash,
                "error": format!("entry does not decode: {why}"), "text": self.row.entry,
            }),
        }
    }

    fn to_line(&self) -> String {
        let (at, summary) = match &self.decoded {
            Ok(e) => (e.at.as_str(), e.summary()),
            Err(why) => (
                self.row.at.as_str(),
                format!("DAMAGED: does not decode ({why})"),
            ),
        };
        format!(
            "{:>7}  {at}  {:<20}  {summary}",
            self.row.index,
            self.kind()
        )
    }
}

/// `liaison audit log`.
pub async fn run(node: &Node, filter: &Filter, json: bool) -> Result<()> {
    let head = node.store.ledger_head().await?;
    let mut listed: Vec<Listed> = Vec::new();
    let mut next = filter.from;
    // Where to resume when the page was filled before the end of the log.
    let mut more_from = None;
    // Every stored row is listed, past a gap or beyond the head too: the auditor sees the
    // table as it is.
    'pages: loop {
        let page = node.store.ledger_rows_from(next, PAGE).await?;
        let Some(last) = page.last() else { break };
        let after_page = last.index + 1;
        for row in page {
            let decoded = Entry::decode(row.entry.as_bytes()).map_err(|e| e.to_string());
            if !filter.keeps(&row, decoded.as_ref().ok()) {
                continue;
            }
            if listed.len() as u64 == filter.limit {
                more_from = Some(row.index);
                break 'pages;
            }
            listed.push(Listed { row, decoded });
        }
        next = after_page;
    }
    if json {
        let out: Vec<Value> = listed.iter().map(Listed::to_json).collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    let latest = node.store.latest_checkpoint().await?;
    println!(
        "log {}: size {}, root {}",
        super::origin(node),
        head.size,
        liaison_sync::ledger_wire::b64(&head.root)
    );
    match &latest {
        Some(cp) => println!(
            "latest checkpoint: size {}, signed {}",
            cp.size, cp.signed_at
        ),
        None => println!("latest checkpoint: none signed yet"),
    }
    if listed.is_empty() {
        println!("no entries match");
    }
    for l in &listed {
        println!("{}", l.to_line());
    }
    if let Some(from) = more_from {
        println!("more entries match: continue with --from {from}");
    }
    Ok(())
}
