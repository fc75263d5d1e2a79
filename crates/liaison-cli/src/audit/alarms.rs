//! Alarms: `liaison audit alarms`, and the per-peer alarm summary that `sync --status` and
//! `peer list` show, so an operator sees a fork or an altered entry where they already look.

use std::collections::HashMap;

use anyhow::Result;
use liaison_store::{AlarmSummary, Store};
use serde_json::{Value, json};

use crate::node::Node;

/// `liaison audit alarms`: every alarm, newest first.
pub async fn list(node: &Node, json: bool) -> Result<()> {
    let alarms = node.store.alarms(None, i64::MAX).await?;
    if json {
        let out: Vec<Value> = alarms
            .iter()
            .map(|a| {
                json!({"seq": a.seq, "peer": a.peer, "kind": a.kind, "detail": a.detail,
                       "at": a.at})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if alarms.is_empty() {
        println!("no alarms");
    }
    for a in &alarms {
        println!("{} {} {}: {}", a.at, a.peer, a.kind, a.detail);
    }
    Ok(())
}

/// Alarm summaries by member code.
pub async fn summaries(store: &Store) -> Result<HashMap<String, AlarmSummary>> {
    Ok(store
        .alarm_summaries()
        .await?
        .into_iter()
        .map(|s| (s.peer.clone(), s))
        .collect())
}

/// The `alarms` field of a peer in JSON outputs: the count, and the latest alarm or null.
pub fn to_json(summary: Option<&AlarmSummary>) -> Value {
    match summary {
        None => json!({"count": 0, "latest": null}),
        Some(s) => json!({
            "count": s.count,
            "latest": {"kind": s.latest.kind, "detail": s.latest.detail, "at": s.latest.at},
        }),
    }
}

/// The words appended to a peer's line in human outputs, when it has alarms.
pub fn to_text(summary: Option<&AlarmSummary>) -> Option<String> {
    summary.map(|s| {
        format!(
            "{} ALARM(S), latest {} at {}: {}",
            s.count, s.latest.kind, s.latest.at, s.latest.detail
        )
    })
}
