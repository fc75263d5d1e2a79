//! `liaison demo --federation`: the brief's federation on one machine. Nodes for Algeria, Mali,
//! Mauritania and Niger and one for the fusion-and-liaison cell (`XFL`) start on loopback, each
//! with the scenario's incidents that happened in its own country and agreements modelled on the
//! brief; Mali has a flash watch rule on the northern clashes, whose alerts are pushed to its
//! partners before anything else; they register each other's keys, sync once, print what each
//! holds, the alerts and Mali's reciprocity figures, and keep serving (API per node, federation
//! over HTTPS, continuous sync) until Ctrl-C.

use std::path::Path;

use anyhow::{Result, anyhow};
use liaison_sync::client::SyncOptions;

use crate::node::{self, Node};

/// The members of the demo and the agreements each makes (JSON as `agreement add` reads it).
const MEMBERS: &[(&str, &[&str])] = &[
    (
        "MLI",
        &[
            r#"{"id": "mli-all", "originator": "MLI", "recipients": ["DZA", "MRT", "NER", "XFL"],
             "title": "Mali shares everything unclassified with all members and the cell"}"#,
        ],
    ),
    (
        "DZA",
        &[
            r#"{"id": "dza-neighbours", "originator": "DZA", "recipients": ["NER", "MRT"],
                "title": "Algeria shares with Niger and Mauritania, locations coarsened to the province",
                "obligations": {"location": {"precision": "admin1"}, "drop_narrative": true,
                                "pseudonymise_sources": true}}"#,
            r#"{"id": "dza-cell", "originator": "DZA", "recipients": ["XFL"],
                "title": "Algeria gives the fusion cell what it gives its neighbours",
                "obligations": {"location": {"precision": "admin1"}, "drop_narrative": true,
                                "pseudonymise_sources": true}}"#,
        ],
    ),
    (
        "MRT",
        &[
            r#"{"id": "mrt-cell", "originator": "MRT", "recipients": ["XFL", "MLI"],
             "title": "Mauritania shares with the cell and Mali, week-rounded, fatalities banded",
             "obligations": {"time": "week", "fatalities_as_ranges": true}}"#,
        ],
    ),
    (
        "NER",
        &[
            r#"{"id": "ner-all", "originator": "NER", "recipients": ["DZA", "MLI", "MRT", "XFL"],
             "title": "Niger shares with all members and the cell"}"#,
        ],
    ),
    ("XFL", &[]),
];

/// The members' flash watch rules: Mali wants its partners told at once of every clash with the
/// Tuareg rebels in the north.
const FLASH_RULES: &[(&str, &str)] = &[(
    "MLI",
    r#"{"id": "northern-clashes", "member": "MLI", "flash": true,
        "name": "Clashes with the Tuareg rebels in northern Mali (flash to partners)",
        "actors": ["Tuareg rebel groups"], "countries": ["MLI"]}"#,
)];

struct DemoNode {
    node: Node,
    dir: std::path::PathBuf,
    federation_url: String,
}

pub async fn run(base: &Path, no_serve: bool) -> Result<()> {
    let mut nodes = Vec::new();
    for (member, agreements) in MEMBERS {
        let dir = base.join(member.to_ascii_lowercase());
        let node = node::init(&dir, member, None).await?;
        let own = node.member.clone();
        if let Some(rule) = FLASH_RULES
            .iter()
            .find(|(m, _)| m == member)
            .map(|(_, r)| r)
        {
            // Recorded before the node's own incidents load, so they raise its alerts.
            let rules = liaison_ops::watch::parse_rules(rule).map_err(|e| anyhow!("{e}"))?;
            node.store
                .put_watch_rules(&rules, crate::now(), "demo")
                .await?;
        }
        let loaded = crate::scenario::load_where(&node, "sahel-2012", |c| {
            c.location.country.as_ref() == Some(&own)
        })
        .await?;
        for (i, text) in agreements.iter().enumerate() {
            let path = dir.join(format!("agreement-{i}.json"));
            std::fs::write(&path, text)?;
            crate::federation::agreements::add_quiet(&node, &path).await?;
        }
        let federation_url =
            crate::serve::start_federation(&node, &dir, "127.0.0.1:0", true).await?;
        eprintln!(
            "{member}: {} own incidents, {} agreement(s), federation at {federation_url}",
            loaded.outcome.inserted,
            agreements.len()
        );
        nodes.push(DemoNode {
            node,
            dir,
            federation_url,
        });
    }
    // Everyone registers everyone's key and URL (in the field: read aloud and checked).
    for a in &nodes {
        for b in &nodes {
            if a.node.member == b.node.member {
                continue;
            }
            let key = crate::federation::identity::load(&b.dir)?.public();
            a.node
                .store
                .put_peer(
                    b.node.member.as_str(),
                    &b.federation_url,
                    &key.to_base64(),
                    &key.fingerprint(),
                    "demo",
                    crate::now(),
                )
                .await?;
        }
    }
    // Flash alerts go first, ahead of the backlog the first sync carries: each partner's inbox
    // raises its own alert; Niger's liaison officer acknowledges, and Mali hears of it at the
    // sync.
    for n in &nodes {
        liaison_server::alerts::scan(&n.node.store, crate::now()).await?;
        let key = crate::federation::identity::load(&n.dir)?;
        for (alert, outcomes) in crate::alerts::push_pending(&n.node, &key).await? {
            let to: Vec<String> = outcomes
                .iter()
                .map(|(p, e)| match e {
                    None => p.clone(),
                    Some(e) => format!("{p} (failed: {e})"),
                })
                .collect();
            println!(
                "{}: flash alert #{alert} pushed to {} ahead of the first sync",
                n.node.member,
                to.join(", ")
            );
        }
    }
    for n in nodes.iter().filter(|n| n.node.member.as_str() == "NER") {
        let flash = liaison_store::AlertFilter {
            kind: Some(liaison_store::AlertKind::Flash),
            ..Default::default()
        };
        for a in n.node.store.alerts(&flash).await? {
            n.node
                .store
                .advance_alert(
                    a.id,
                    liaison_store::AlertState::Acknowledged,
                    Some("seen by the Niamey liaison officer"),
                    "demo-liaison",
                    "NER",
                    crate::now(),
                )
                .await?;
        }
    }
    for n in &nodes {
        let key = crate::federation::identity::load(&n.dir)?;
        let outcomes =
            crate::federation::sync::once(&n.node, &key, None, &SyncOptions::default()).await?;
        for (peer, outcome) in outcomes {
            if let Err(e) = outcome {
                return Err(anyhow!("{} could not sync with {peer}: {e}", n.node.member));
            }
        }
    }
    println!("The brief's federation, synced once:");
    for n in &nodes {
        let held = held_by_originator(&n.node).await?;
        let list: Vec<String> = held.iter().map(|(o, c)| format!("{o} {c}")).collect();
        println!(
            "  {} holds {} ({}), data {}",
            n.node.member,
            held.iter().map(|(_, c)| c).sum::<i64>(),
            list.join(", "),
            n.dir.display()
        );
    }
    println!("Flash alerts, and Mali's reciprocity figures after the sync:");
    for n in &nodes {
        let open = n
            .node
            .store
            .alerts(&liaison_store::AlertFilter {
                open_only: true,
                ..Default::default()
            })
            .await?
            .len();
        println!("  {} has {open} open alert(s)", n.node.member);
    }
    if let Some(mali) = nodes.iter().find(|n| n.node.member.as_str() == "MLI") {
        for r in mali.node.store.reciprocity("MLI").await? {
            println!(
                "  MLI ↔ {}: it shared {}, Mali shared {}, flash alerts {} ({} answered)",
                r.member, r.shared_with_us, r.we_shared, r.flashes_to, r.flashes_answered
            );
        }
    }
    println!("Their ledgers, witnessed by each other at that sync:");
    for n in &nodes {
        println!("  {}", ledger_line(&n.node).await?);
    }
    println!(
        "Try: liaison agreement preview --to NER --data {}",
        nodes[1].dir.display()
    );
    println!(
        "     liaison audit verify --data {}",
        nodes[0].dir.display()
    );
    println!(
        "     liaison incidents list --data {} --originator DZA",
        nodes[2].dir.display()
    );
    if no_serve {
        return Ok(());
    }
    let mut handles = Vec::new();
    let password = crate::users::new_password()?;
    println!("  web: sign in as demo-analyst or demo-liaison, password {password}");
    for n in nodes {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let token = crate::users::add(&n.node, "demo-analyst", "analyst").await?;
        crate::users::add(&n.node, "demo-liaison", "liaison").await?;
        for name in ["demo-analyst", "demo-liaison"] {
            crate::users::set_password(&n.node, name, &password).await?;
        }
        println!(
            "  {} web http://{addr}/ui/  API http://{addr}/api/v1/incidents  token {token}  federation {}",
            n.node.member, n.federation_url
        );
        let app = crate::web::app(crate::serve::state(n.node), &n.dir);
        handles.push(tokio::spawn(async move {
            liaison_server::serve_app(app, listener).await
        }));
    }
    eprintln!("serving the federation (Ctrl-C to stop)");
    for h in handles {
        h.await??;
    }
    Ok(())
}

/// A node's log in one line: size, latest checkpoint, who witnessed it up to which size, alarms.
async fn ledger_line(node: &Node) -> Result<String> {
    let head = node.store.ledger_head().await?;
    let mut witnessed: std::collections::BTreeMap<String, u64> = Default::default();
    for c in node.store.cosignatures(None).await? {
        let w = witnessed.entry(c.witness).or_default();
        *w = (*w).max(c.size);
    }
    let by: Vec<String> = witnessed
        .iter()
        .map(|(w, size)| format!("{w} (at {size})"))
        .collect();
    let alarms = node.store.alarms(None, 1_000).await?.len();
    Ok(format!(
        "{}: {} entries, cosigned by {}; alarms: {}",
        node.member,
        head.size,
        if by.is_empty() {
            "nobody yet".to_owned()
        } else {
            by.join(", ")
        },
        if alarms == 0 {
            "none".to_owned()
        } else {
            alarms.to_string()
        }
    ))
}

/// How many incidents a node holds, by originator.
async fn held_by_originator(node: &Node) -> Result<Vec<(String, i64)>> {
    let rows = node
        .store
        .stats(
            &liaison_core::IncidentFilter::default(),
            &[liaison_core::StatsDimension::Originator],
        )
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            (
                r.originator.unwrap_or_default(),
                i64::try_from(r.incidents).unwrap_or(0),
            )
        })
        .collect())
}
