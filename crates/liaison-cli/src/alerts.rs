//! `liaison watch add|list|retire`, `liaison alerts list|show|ack|action|close|scan|stats` and
//! `liaison reciprocity`: members' watch rules, the alerts they raise (and partners' flash
//! items), each tracked to closure, and the figures that make cooperation measurable.
//!
//! Matching is `liaison_ops::watch`'s, the scan and the views `liaison_server::alerts`'s (the
//! API's), so the command line and the API raise and show the same alerts. Flash pushes need the
//! node key: `alerts scan` pushes what is pending now, `serve --federation-listen` every few
//! seconds.
//!
//! JSON shapes (stable) are the API's: `alerts list --json` an array of `AlertView`, `alerts
//! show --json` an `AlertDetailView`, `alerts stats --json` `AlertStatsView`s, `reciprocity
//! --json` `ReciprocityView`s, `watch list --json` `RuleView`s (docs/operations.md).

use std::path::Path;

use anyhow::{Result, anyhow, bail};
use clap::Subcommand;
use liaison_core::IncidentId;
use liaison_ops::alerts::{AlertState, ResponseTimes, format_duration};
use liaison_server::alerts::{
    AlertDetailView, AlertStatsView, AlertView, ReciprocityView, RuleView, scan,
};
use liaison_store::{AlertFilter, AlertKind};

use crate::cli::DataDir;
use crate::node::{self, Node};

/// Who is recorded as acting from the command line, as for other CLI writes.
const CLI_USER: &str = "cli";

#[derive(Subcommand, Debug)]
pub enum WatchCommand {
    /// Record watch rules from a JSON file (one rule, an array, or JSON lines). Every broken
    /// rule is named; nothing is kept unless all are good. A rule watches what comes from now on.
    Add {
        file: std::path::PathBuf,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// The rules, by id.
    List {
        /// Retired rules too.
        #[arg(long)]
        all: bool,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Retire a rule: it raises nothing more (it is kept: its alerts name it).
    Retire {
        id: String,
        #[command(flatten)]
        data: DataDir,
    },
}

#[derive(Subcommand, Debug)]
pub enum AlertsCommand {
    /// Alerts, newest first (new incidents are matched against the rules first).
    List {
        /// Only alerts not closed.
        #[arg(long)]
        open: bool,
        /// raised, acknowledged, action_taken or closed.
        #[arg(long)]
        state: Option<String>,
        /// rule or flash.
        #[arg(long)]
        kind: Option<String>,
        /// Alerts on this incident.
        #[arg(long)]
        incident: Option<String>,
        #[arg(long, default_value_t = 100)]
        limit: u32,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// One alert: why it was raised, its steps, flash pushes and partners' responses.
    Show {
        id: i64,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Acknowledge an alert (someone is on it).
    Ack {
        id: i64,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        data: DataDir,
    },
    /// Record the action taken.
    Action {
        id: i64,
        /// What was done.
        #[arg(long)]
        note: String,
        #[command(flatten)]
        data: DataDir,
    },
    /// Close an alert (with why, e.g. a false alarm).
    Close {
        id: i64,
        #[arg(long)]
        note: Option<String>,
        #[command(flatten)]
        data: DataDir,
    },
    /// Match new incidents against the rules now and push pending flash alerts to partners.
    Scan {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// How fast alerts were acknowledged, acted on and closed, per member.
    Stats {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run_watch(command: WatchCommand) -> Result<()> {
    match command {
        WatchCommand::Add { file, data, json } => {
            let node = node::open(&data.dir).await?;
            let text = std::fs::read_to_string(&file)
                .map_err(|e| anyhow!("cannot read {}: {e}", file.display()))?;
            let rules = liaison_ops::watch::parse_rules(&text).map_err(|errs| {
                anyhow!(
                    "{}: nothing recorded:\n{}",
                    file.display(),
                    errs.0
                        .iter()
                        .map(|e| format!("  {}: {}", e.field, e.message))
                        .collect::<Vec<_>>()
                        .join("\n")
                )
            })?;
            if let Some((i, r)) = rules
                .iter()
                .enumerate()
                .find(|(_, r)| r.member != node.member)
            {
                bail!(
                    "{}: rules[{i}].member: {} is not this node's member ({}); nothing recorded",
                    file.display(),
                    r.member,
                    node.member
                );
            }
            let recorded = node
                .store
                .put_watch_rules(&rules, crate::now(), CLI_USER)
                .await?;
            if json {
                let mut out = Vec::new();
                for r in &recorded {
                    out.push(RuleView::try_from(node.store.watch_rule(&r.id).await?).map_err(api)?);
                }
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                for r in &recorded {
                    if r.changed {
                        println!("rule {} recorded (version {})", r.id, r.version);
                    } else {
                        println!("rule {} unchanged (version {})", r.id, r.version);
                    }
                }
            }
        }
        WatchCommand::List { all, data, json } => {
            let node = node::open(&data.dir).await?;
            let rows = node.store.watch_rules(all).await?;
            if json {
                let out = rows
                    .into_iter()
                    .map(RuleView::try_from)
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(api)?;
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else if rows.is_empty() {
                println!("no watch rules (add some with `liaison watch add FILE`)");
            } else {
                for r in rows {
                    println!(
                        "{:<24} v{} {}{}{}",
                        r.rule.id,
                        r.version,
                        r.rule.name,
                        if r.rule.flash { "  [flash]" } else { "" },
                        if r.active { "" } else { "  (retired)" }
                    );
                }
            }
        }
        WatchCommand::Retire { id, data } => {
            let node = node::open(&data.dir).await?;
            node.store
                .retire_watch_rule(&id, crate::now(), CLI_USER)
                .await
                .map_err(|e| match e {
                    liaison_store::StoreError::NotFound => anyhow!("no watch rule {id}"),
                    other => anyhow!("{other}"),
                })?;
            println!("rule {id} retired");
        }
    }
    Ok(())
}

fn api(e: liaison_server::error::ApiError) -> anyhow::Error {
    anyhow!("{e}")
}

pub async fn run_alerts(command: AlertsCommand) -> Result<()> {
    match command {
        AlertsCommand::List {
            open,
            state,
            kind,
            incident,
            limit,
            data,
            json,
        } => {
            let node = node::open(&data.dir).await?;
            scan(&node.store, crate::now()).await?;
            let filter = AlertFilter {
                state: state
                    .map(|s| AlertState::parse(&s).map_err(|e| anyhow!("--state: {e}")))
                    .transpose()?,
                open_only: open,
                kind: match kind.as_deref() {
                    None => None,
                    Some("rule") => Some(AlertKind::Rule),
                    Some("flash") => Some(AlertKind::Flash),
                    Some(other) => bail!("--kind: '{other}': use rule or flash"),
                },
                incident_id: incident,
                limit: limit.clamp(1, liaison_store::MAX_ALERTS),
            };
            let rows = node.store.alerts(&filter).await?;
            if json {
                let out: Vec<AlertView> = rows.into_iter().map(AlertView::from).collect();
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else if rows.is_empty() {
                println!("no alerts");
            } else {
                for a in rows {
                    let origin = match (&a.rule_id, &a.from_member) {
                        (Some(r), _) => format!("rule {r}"),
                        (None, Some(m)) => format!("flash from {m}"),
                        _ => String::new(),
                    };
                    println!(
                        "#{:<5} {:<13} {:<22} {}  {}  {}",
                        a.id,
                        a.state.as_str(),
                        origin,
                        a.incident_id,
                        a.raised_at,
                        a.reasons.join("; ")
                    );
                }
            }
        }
        AlertsCommand::Show { id, data, json } => {
            let node = node::open(&data.dir).await?;
            let d = node.store.alert(id).await.map_err(|e| match e {
                liaison_store::StoreError::NotFound => anyhow!("no alert {id}"),
                other => anyhow!("{other}"),
            })?;
            let view = AlertDetailView::from(d);
            if json {
                println!("{}", serde_json::to_string_pretty(&view)?);
            } else {
                print_alert(&view);
            }
        }
        AlertsCommand::Ack { id, note, data } => {
            step(&data.dir, id, AlertState::Acknowledged, note).await?;
        }
        AlertsCommand::Action { id, note, data } => {
            step(&data.dir, id, AlertState::ActionTaken, Some(note)).await?;
        }
        AlertsCommand::Close { id, note, data } => {
            step(&data.dir, id, AlertState::Closed, note).await?;
        }
        AlertsCommand::Scan { data, json } => {
            let node = node::open(&data.dir).await?;
            let report = scan(&node.store, crate::now()).await?;
            let pushed = match crate::federation::identity::load(&data.dir) {
                Ok(key) => push_pending(&node, &key).await?,
                Err(_) => Vec::new(),
            };
            if json {
                let out = serde_json::json!({
                    "scanned": report.scanned, "raised": report.raised,
                    "attached": report.attached, "below_threshold": report.below_threshold,
                    "pushed": pushed.iter().map(|(id, o)| serde_json::json!({
                        "alert": id,
                        "peers": o.iter().map(|(p, e)| serde_json::json!({"peer": p, "error": e})).collect::<Vec<_>>(),
                    })).collect::<Vec<_>>(),
                });
                println!("{}", serde_json::to_string_pretty(&out)?);
            } else {
                println!(
                    "{} incidents matched against the rules: {} alerts raised, {} attached to open alerts, {} below their threshold",
                    report.scanned,
                    report.raised.len(),
                    report.attached,
                    report.below_threshold
                );
                for (id, outcomes) in &pushed {
                    for (peer, error) in outcomes {
                        match error {
                            None => println!("alert #{id}: flash pushed to {peer}"),
                            Some(e) => println!(
                                "alert #{id}: push to {peer} failed: {e} (it gets it at its next pull)"
                            ),
                        }
                    }
                    if outcomes.is_empty() {
                        println!("alert #{id}: no agreement releases its incident to any peer");
                    }
                }
            }
        }
        AlertsCommand::Stats { data, json } => {
            let node = node::open(&data.dir).await?;
            let rows = node.store.alert_stats(node.member.as_str()).await?;
            let views: Vec<AlertStatsView> = rows.iter().map(AlertStatsView::from).collect();
            if json {
                println!("{}", serde_json::to_string_pretty(&views)?);
            } else if rows.is_empty() {
                println!("no alerts yet");
            } else {
                println!(
                    "{:<6} {:>7} {:>6}  {:<22} {:<22} {:<22}",
                    "member",
                    "alerts",
                    "open",
                    "to acknowledge (med)",
                    "to action (med)",
                    "to close (med)"
                );
                for r in &rows {
                    println!(
                        "{:<6} {:>7} {:>6}  {:<22} {:<22} {:<22}",
                        r.member,
                        r.alerts,
                        r.open,
                        median(&r.to_acknowledge),
                        median(&r.to_action),
                        median(&r.to_close)
                    );
                }
            }
        }
    }
    Ok(())
}

/// `liaison reciprocity [--peer ISO3]`: per member, what it shared with this node and received
/// from it, and how fast each answered the other's flash alerts — this node's figures, or those
/// a partner publishes (every node serves its own to its peers).
pub async fn reciprocity(dir: &Path, peer: Option<&str>, json: bool) -> Result<()> {
    let node = node::open(dir).await?;
    let (whose, rows): (String, Vec<ReciprocityView>) = match peer {
        None => (
            node.member.to_string(),
            node.store
                .reciprocity(node.member.as_str())
                .await?
                .iter()
                .map(ReciprocityView::from)
                .collect(),
        ),
        Some(p) => {
            let key = crate::federation::identity::load(dir)?;
            let (member, _, transport) = crate::actor_match::peer_of(&node, p).await?;
            let ring = crate::federation::keyring(&node, &key).await?;
            let sync = liaison_sync::client::Node {
                store: &node.store,
                own: &node.member,
                key: &key,
                keyring: &ring,
            };
            let values = sync
                .fetch_reciprocity(
                    &member,
                    &transport,
                    &liaison_sync::client::SyncOptions::default(),
                    &crate::now,
                )
                .await
                .map_err(|e| anyhow!("{e}"))?;
            let rows = values
                .into_iter()
                .map(serde_json::from_value)
                .collect::<Result<Vec<ReciprocityView>, _>>()
                .map_err(|e| anyhow!("{member}'s reciprocity figures: {e}"))?;
            (member.to_string(), rows)
        }
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    if rows.is_empty() {
        println!("{whose} has no partners yet: reciprocity needs peers (`liaison peer add`)");
        return Ok(());
    }
    println!(
        "as {whose} reports them: shared = incidents given, flash = alerts pushed (answered), times are medians"
    );
    println!(
        "{:<6} {:>12} {:>12} {:>14} {:>16} {:>14} {:>16}",
        "member",
        format!("→{whose}"),
        format!("{whose}→"),
        "flash to (ans)",
        "it acknowledged",
        "flash from",
        format!("{whose} ack.")
    );
    for r in &rows {
        println!(
            "{:<6} {:>12} {:>12} {:>14} {:>16} {:>14} {:>16}",
            r.member,
            r.shared_with_us,
            r.we_shared,
            format!("{} ({})", r.flashes_to, r.flashes_answered),
            view_median(&r.its_acknowledge),
            r.flashes_from,
            view_median(&r.our_acknowledge)
        );
    }
    Ok(())
}

fn view_median(t: &liaison_server::alerts::TimesView) -> String {
    t.median_secs
        .map(format_duration)
        .unwrap_or_else(|| "—".into())
}

fn median(t: &ResponseTimes) -> String {
    t.median_secs
        .map(format_duration)
        .unwrap_or_else(|| "—".into())
}

async fn step(dir: &Path, id: i64, to: AlertState, note: Option<String>) -> Result<()> {
    let node = node::open(dir).await?;
    let row = node
        .store
        .advance_alert(
            id,
            to,
            note.as_deref().map(str::trim).filter(|n| !n.is_empty()),
            CLI_USER,
            node.member.as_str(),
            crate::now(),
        )
        .await
        .map_err(|e| match e {
            liaison_store::StoreError::NotFound => anyhow!("no alert {id}"),
            other => anyhow!("{other}"),
        })?;
    let mut line = format!("alert #{id} is {}", row.state.as_str().replace('_', " "));
    if row.kind == AlertKind::Flash {
        line.push_str(&format!(
            "; {} gets the signed response at the next sync",
            row.originator
        ));
    }
    println!("{line}");
    Ok(())
}

fn print_alert(v: &AlertDetailView) {
    let a = &v.alert;
    println!("alert #{} — {}", a.id, a.state.replace('_', " "));
    match (&a.rule_id, &a.from_member) {
        (Some(r), _) => println!("  raised by rule {r} at {}", a.raised_at),
        (None, Some(m)) => println!("  flash item from {m}, received at {}", a.raised_at),
        _ => println!("  raised at {}", a.raised_at),
    }
    println!(
        "  incident {} (version {}) of {}",
        a.incident_id, a.incident_version, a.originator
    );
    for r in &a.reasons {
        println!("  because: {r}");
    }
    for (label, at, by, note) in [
        (
            "acknowledged",
            &a.acknowledged_at,
            &a.acknowledged_by,
            &None,
        ),
        ("action taken", &a.action_at, &a.action_by, &a.action_note),
        ("closed", &a.closed_at, &a.closed_by, &a.closed_note),
    ] {
        if let Some(at) = at {
            println!(
                "  {label} at {at} by {}{}",
                by.as_deref().unwrap_or("?"),
                note.as_deref()
                    .map(|n| format!(": {n}"))
                    .unwrap_or_default()
            );
        }
    }
    for (inc, at) in &v.attached {
        println!("  + incident {inc} attached at {at}");
    }
    if a.flash {
        match &a.pushed_at {
            None => println!("  flash push: pending"),
            Some(_) if v.deliveries.is_empty() => {
                println!("  flash push: no agreement releases the incident to any peer")
            }
            Some(_) => {}
        }
    }
    for d in &v.deliveries {
        match &d.error {
            None => println!("  pushed to {} at {}", d.peer, d.at),
            Some(e) => println!("  push to {} failed at {}: {e}", d.peer, d.at),
        }
    }
    for r in &v.responses {
        println!(
            "  {} {} at {}{}",
            r.member,
            r.state.replace('_', " "),
            r.at,
            if r.delivered { "" } else { " (to deliver)" }
        );
    }
}

/// Pushes every flash alert waiting for its push; returns each alert with its outcomes.
pub async fn push_pending(
    node: &Node,
    key: &liaison_policy::NodeKey,
) -> Result<Vec<(i64, Vec<(String, Option<String>)>)>> {
    let mut out = Vec::new();
    for a in node.store.pending_flash_pushes().await? {
        let id = IncidentId::parse(&a.incident_id).map_err(|e| anyhow!("alert #{}: {e}", a.id))?;
        let outcomes = crate::federation::recall::push_to_peers(node, key, &id).await?;
        node.store
            .record_flash_push(a.id, &outcomes, crate::now())
            .await?;
        for (peer, error) in &outcomes {
            match error {
                None => tracing::info!("flash alert #{} pushed to {peer}", a.id),
                Some(e) => tracing::warn!("flash alert #{} to {peer} failed: {e}", a.id),
            }
        }
        out.push((a.id, outcomes));
    }
    Ok(out)
}
