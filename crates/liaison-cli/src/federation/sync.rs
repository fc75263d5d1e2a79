//! `liaison sync --once` and the continuous sync inside `serve`: pull from every active peer
//! over HTTPS with its key pinned, deliver attestations, flash responses and deconfliction
//! notices, record each peer's outcome.

use std::path::Path;
use std::time::Duration;

use anyhow::{Result, anyhow, bail};
use liaison_core::CountryCode;
use liaison_policy::{NodeKey, NodePublicKey};
use liaison_sync::client::{HttpsTransport, Node as SyncNode, SyncOptions, SyncReport};

use crate::federation::{identity, keyring};
use crate::node::Node;

/// Seconds between rounds of the continuous sync in `serve`.
pub const SYNC_INTERVAL_SECS: u64 = 30;
/// Longest wait before retrying a failing peer, in seconds.
const MAX_PEER_BACKOFF_SECS: u64 = 600;

/// One sync with every active peer (or only `only`). Returns each peer's outcome.
pub async fn once(
    node: &Node,
    key: &NodeKey,
    only: Option<&CountryCode>,
    opts: &SyncOptions,
) -> Result<Vec<(CountryCode, Result<SyncReport, String>)>> {
    let ring = keyring(node, key).await?;
    let agreements = crate::federation::agreements::current(node).await?;
    let zones = crate::federation::agreements::node_zones(node).await?;
    let policy = liaison_policy::Policy::compile_with_zones(&node.member, &agreements, &zones)?;
    let sync = SyncNode {
        store: &node.store,
        own: &node.member,
        key,
        keyring: &ring,
    };
    let mut out = Vec::new();
    let peers = node.store.peers().await?;
    if let Some(o) = only
        && !peers
            .iter()
            .any(|p| p.member == o.as_str() && p.removed_at.is_none())
    {
        bail!("{o} is not a peer of this node");
    }
    for p in peers.iter().filter(|p| p.removed_at.is_none()) {
        let Ok(member) = CountryCode::parse(&p.member) else {
            continue;
        };
        if only.is_some_and(|o| o != &member) {
            continue;
        }
        let outcome = match NodePublicKey::from_base64(&p.public_key)
            .map_err(|e| e.to_string())
            .and_then(|k| HttpsTransport::new(&p.url, &k))
        {
            Ok(transport) => {
                let pulled = sync
                    .sync_peer(&member, &transport, opts, &crate::now)
                    .await
                    .map_err(|e| e.to_string());
                match pulled {
                    // The peer answers: the deconfliction notices we owe it go now.
                    Ok(mut report) => match sync
                        .deliver_notices(&member, &policy, &transport, opts, &crate::now)
                        .await
                    {
                        Ok((sent, held)) => {
                            report.notices_delivered = sent;
                            report.notices_held = held;
                            Ok(report)
                        }
                        Err(e) => {
                            let e = format!("deconfliction notices: {e}");
                            node.store
                                .sync_failed(member.as_str(), &e, crate::now())
                                .await?;
                            Err(e)
                        }
                    },
                    Err(e) => Err(e),
                }
            }
            Err(e) => {
                node.store
                    .sync_failed(member.as_str(), &e, crate::now())
                    .await?;
                Err(e)
            }
        };
        out.push((member, outcome));
    }
    Ok(out)
}

/// `liaison sync --once`: prints one line per peer; fails if any peer failed.
pub async fn run_once(node: &Node, dir: &Path, only: Option<&str>, json: bool) -> Result<()> {
    let key = identity::load(dir)?;
    let only = only
        .map(|o| CountryCode::parse(o).map_err(|e| anyhow!("--peer: {e}")))
        .transpose()?;
    let outcomes = once(node, &key, only.as_ref(), &SyncOptions::default()).await?;
    // Names in what arrived are linked to this node's actors, or proposed for review.
    crate::actor_review::link_new_and_say(node, "sync").await?;
    let mut failed = 0;
    let mut rows = Vec::new();
    for (peer, outcome) in &outcomes {
        match outcome {
            Ok(r) => {
                rows.push(serde_json::json!({
                    "peer": peer.as_str(), "ok": true, "pages": r.pages,
                    "stored": r.received.stored, "unchanged": r.received.unchanged,
                    "hidden": r.received.hidden, "attestations_received": r.received.attestations,
                    "attestations_delivered": r.attestations_delivered,
                    "responses_delivered": r.responses_delivered,
                    "notices_delivered": r.notices_delivered, "notices_held": r.notices_held,
                    "skipped": r.received.skipped, "backlog": r.backlog,
                    "wire_bytes": r.wire_bytes, "body_bytes": r.body_bytes,
                }));
                if !json {
                    println!(
                        "{peer}: ok, {} new, {} unchanged, {} recalled and hidden, {} attestations received, {} delivered, {} flash responses delivered, {} notices received, {} delivered, {} held back (no agreement in force){}",
                        r.received.stored,
                        r.received.unchanged,
                        r.received.hidden,
                        r.received.attestations,
                        r.attestations_delivered,
                        r.responses_delivered,
                        r.received.notices,
                        r.notices_delivered,
                        r.notices_held,
                        if r.received.skipped.is_empty() {
                            String::new()
                        } else {
                            format!(
                                ", {} skipped (see `liaison sync status`)",
                                r.received.skipped.len()
                            )
                        }
                    );
                }
            }
            Err(e) => {
                failed += 1;
                rows.push(serde_json::json!({"peer": peer.as_str(), "ok": false, "error": e}));
                if !json {
                    println!("{peer}: FAILED: {e}");
                }
            }
        }
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    }
    if outcomes.is_empty() && !json {
        println!("no peers to sync with");
    }
    if failed > 0 {
        bail!("{failed} of {} peer(s) failed", outcomes.len());
    }
    Ok(())
}

/// `liaison sync status`: each peer's last success, last error, failures and backlog, and the
/// latest refusals.
pub async fn status(node: &Node, json: bool) -> Result<()> {
    let states = node.store.sync_states().await?;
    let refusals = node.store.refusals(20).await?;
    let alarms = crate::audit::alarms::summaries(&node.store).await?;
    if json {
        let out = serde_json::json!({
            "peers": states.iter().map(|s| serde_json::json!({
                "peer": s.peer, "last_attempt": s.last_attempt, "last_success": s.last_success,
                "last_error": s.last_error, "failures": s.failures, "received": s.received,
                "backlog": s.backlog,
                "alarms": crate::audit::alarms::to_json(alarms.get(&s.peer)),
            })).collect::<Vec<_>>(),
            "refusals": refusals.iter().map(|r| serde_json::json!({
                "peer": r.peer, "at": r.at, "reason": r.reason,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    for s in &states {
        println!(
            "{}: last success {}, {} received, backlog {}, {}{}",
            s.peer,
            s.last_success.as_deref().unwrap_or("never"),
            s.received,
            s.backlog.map_or("unknown".into(), |b| b.to_string()),
            match &s.last_error {
                Some(e) => format!("FAILING ({} in a row): {e}", s.failures),
                None => "no error".into(),
            },
            crate::audit::alarms::to_text(alarms.get(&s.peer))
                .map_or(String::new(), |a| format!(", {a}"))
        );
    }
    if !refusals.is_empty() {
        println!("latest refusals:");
        for r in &refusals {
            println!("  {} {}: {}", r.at, r.peer, r.reason);
        }
    }
    Ok(())
}

/// The continuous sync of `serve`: a round every [`SYNC_INTERVAL_SECS`], a failing peer retried
/// after a wait that doubles with each failure (bounded), errors logged and kept per peer.
pub async fn continuous(node: Node, key: NodeKey) {
    let mut round: u64 = 0;
    loop {
        round += 1;
        let states = node.store.sync_states().await.unwrap_or_default();
        let peers = node.store.peers().await.unwrap_or_default();
        for p in peers.iter().filter(|p| p.removed_at.is_none()) {
            let Ok(member) = CountryCode::parse(&p.member) else {
                continue;
            };
            let failures = states
                .iter()
                .find(|s| s.peer == p.member)
                .map_or(0, |s| s.failures);
            // Skip rounds for a failing peer: 1, 2, 4, … rounds, at most the bound.
            let every =
                (1u64 << failures.clamp(0, 10)).min(MAX_PEER_BACKOFF_SECS / SYNC_INTERVAL_SECS);
            if failures > 0 && !round.is_multiple_of(every.max(1)) {
                continue;
            }
            match once(&node, &key, Some(&member), &SyncOptions::default()).await {
                Ok(list) => {
                    for (peer, outcome) in list {
                        if let Err(e) = outcome {
                            tracing::warn!(%peer, "sync failed: {e}");
                        }
                    }
                }
                Err(e) => tracing::warn!(peer = %member, "sync failed: {e}"),
            }
        }
        tokio::time::sleep(Duration::from_secs(SYNC_INTERVAL_SECS)).await;
    }
}
