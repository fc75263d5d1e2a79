//! `liaison serve` and `liaison demo`: bind, build the server's state from the node, serve.
//! The clock and the id source are chosen here, at the edge.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use liaison_import::Dataset;
use liaison_server::AppState;

use crate::import::Input;
use crate::node::{self, Node};

/// Real event data the program ships for the demo: UCDP GED 23.1 rows for the region.
const SHIPPED_UCDP: &[(&str, &[u8])] = &[
    (
        "ucdp_ged_Mali.csv",
        include_bytes!("../../../data/ucdp/ucdp_ged_Mali.csv"),
    ),
    (
        "ucdp_ged_Burkina.csv",
        include_bytes!("../../../data/ucdp/ucdp_ged_Burkina.csv"),
    ),
    (
        "ucdp_ged_Niger_cleaned.csv",
        include_bytes!("../../../data/ucdp/ucdp_ged_Niger_cleaned.csv"),
    ),
    (
        "ucdp_ged_Senegal.csv",
        include_bytes!("../../../data/ucdp/ucdp_ged_Senegal.csv"),
    ),
];

/// The UCDP actor list for the region, shipped so that the demo's UCDP events link to actors.
const SHIPPED_UCDP_ACTORS: (&str, &[u8]) = (
    "ucdp_actors_v22_1_sahel_maghreb.csv",
    include_bytes!("../../../data/ucdp/ucdp_actors_v22_1_sahel_maghreb.csv"),
);

/// The example watch rules the demo records for its member.
const EXAMPLE_RULES: &str = include_str!("../../../docs/examples/watch-rules.json");

pub const UCDP_ATTRIBUTION: &str = "UCDP Georeferenced Event Dataset (GED) Global version 23.1, \
    Uppsala Conflict Data Program, CC BY 4.0 (Sundberg & Melander 2013; Davies, Pettersson & Öberg 2023)";

/// Seconds between flushes of users' reads into the ledger.
const READS_FLUSH_SECS: u64 = 5;

/// Appends users' pending reads to the ledger every few seconds (see `liaison_store::reads`).
fn spawn_read_flusher(store: liaison_store::Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(READS_FLUSH_SECS));
        loop {
            tick.tick().await;
            flush_reads(&store).await;
        }
    });
}

/// Flushes users' pending reads; a failure is logged, never fatal to serving.
pub async fn flush_reads(store: &liaison_store::Store) {
    let at = liaison_store::ts_of(crate::now()).unwrap_or_default();
    if let Err(e) = store.flush_reads(&at).await {
        tracing::error!("cannot log users' reads in the ledger: {e}");
    }
}

/// Seconds between scans of new incidents against the watch rules (and flash pushes).
const ALERT_SCAN_SECS: u64 = 3;

/// Matches new incidents against the watch rules every few seconds, so an alert is raised
/// whatever path stored the incident (a form, an import, a received page).
fn spawn_alert_scanner(store: liaison_store::Store) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(ALERT_SCAN_SECS));
        loop {
            tick.tick().await;
            if let Err(e) = liaison_server::alerts::scan(&store, crate::now()).await {
                tracing::error!("watch rules: scan failed: {e}");
            }
        }
    });
}

/// Pushes flash alerts to the partners an agreement releases their incident to, as soon as the
/// scanner raised them: a flash goes ahead of any backlog the partners have yet to pull.
fn spawn_flash_pusher(node: Node, key: liaison_policy::NodeKey) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(1));
        loop {
            tick.tick().await;
            if let Err(e) = crate::alerts::push_pending(&node, &key).await {
                tracing::error!("flash alerts: push failed: {e}");
            }
        }
    });
}

/// Seconds between automatic passes linking new incidents' actor names to actors.
const ACTOR_LINK_SECS: u64 = 60;

/// Links the actor names of incidents stored since the last pass (forms, received pages) to
/// this node's actors, or proposes them for review, every minute.
fn spawn_actor_linker(node: Node) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(ACTOR_LINK_SECS));
        loop {
            tick.tick().await;
            if let Err(e) = crate::actor_review::link_new(&node, "server").await {
                tracing::error!("actor names: link pass failed: {e}");
            }
        }
    });
}

/// The API's state; also starts the flusher of users' reads, the alert scanner and the actor
/// linker.
pub fn state(node: Node) -> AppState {
    spawn_read_flusher(node.store.clone());
    spawn_alert_scanner(node.store.clone());
    spawn_actor_linker(Node {
        member: node.member.clone(),
        store: node.store.clone(),
    });
    AppState {
        store: node.store,
        member: node.member,
        clock: Arc::new(crate::now),
        new_id: Arc::new(|| {
            let mut b = [0u8; 8];
            // The OS random source does not fail on supported platforms; should it, a
            // time-derived suffix still keeps ids distinct on this node.
            if getrandom::fill(&mut b).is_err() {
                b = crate::now().unix_timestamp_nanos().to_le_bytes()[..8]
                    .try_into()
                    .unwrap_or_default();
            }
            hex::encode(b)
        }),
    }
}

async fn bind(listen: &str, fallback_to_any_port: bool) -> Result<tokio::net::TcpListener> {
    match tokio::net::TcpListener::bind(listen).await {
        Ok(l) => Ok(l),
        Err(e) if fallback_to_any_port => {
            let host = listen.rsplit_once(':').map_or("127.0.0.1", |(h, _)| h);
            eprintln!("{listen} is not available ({e}); using another port");
            tokio::net::TcpListener::bind(format!("{host}:0"))
                .await
                .with_context(|| format!("cannot listen on {host}"))
        }
        Err(e) => Err(anyhow!("cannot listen on {listen}: {e}")),
    }
}

pub async fn serve(
    node: Node,
    dir: &Path,
    listen: &str,
    federation_listen: Option<&str>,
) -> Result<()> {
    let listener = bind(listen, false).await?;
    let addr = listener.local_addr()?;
    eprintln!(
        "liaison node {} serving on http://{addr}/api/v1 (Ctrl-C to stop)",
        node.member
    );
    eprintln!("web application: http://{addr}/ui/");
    eprintln!("TAXII 2.1 discovery: http://{addr}/taxii2/");
    if let Some(f) = federation_listen {
        let url = start_federation(&node, dir, f, false).await?;
        eprintln!("federation (peers only, HTTPS, key-pinned): {url}");
    }
    let store = node.store.clone();
    liaison_server::serve_app(crate::web::app(state(node), dir), listener).await?;
    flush_reads(&store).await;
    Ok(())
}

/// Starts the federation listener (HTTPS with the node's key, peers' signed requests only) and
/// the continuous sync with the peers; returns the URL peers use.
pub async fn start_federation(
    node: &Node,
    dir: &Path,
    listen: &str,
    fallback_to_any_port: bool,
) -> Result<String> {
    let key = crate::federation::identity::load(dir)?;
    liaison_sync::tls::install_crypto_provider();
    let listener = bind(listen, fallback_to_any_port).await?;
    let addr = listener.local_addr()?;
    let config = liaison_sync::tls::server_config(&key, &node.member, &[])
        .map_err(|e| anyhow!("TLS: {e}"))?;
    let state = liaison_server::federation::FederationState::new(
        node.store.clone(),
        node.member.clone(),
        key.clone(),
        Arc::new(crate::now),
    );
    let app = liaison_server::federation::router(state);
    tokio::spawn(async move {
        if let Err(e) =
            liaison_sync::tls::serve_tls(listener, config, app, std::future::pending::<()>()).await
        {
            tracing::error!("federation listener stopped: {e}");
        }
    });
    let sync_node = Node {
        member: node.member.clone(),
        store: node.store.clone(),
    };
    spawn_flash_pusher(
        Node {
            member: node.member.clone(),
            store: node.store.clone(),
        },
        key.clone(),
    );
    tokio::spawn(crate::federation::sync::continuous(sync_node, key));
    Ok(format!("https://{addr}"))
}

pub fn demo_dir(given: Option<&Path>) -> Result<PathBuf> {
    if let Some(d) = given {
        return Ok(d.to_owned());
    }
    let stamp = crate::now().unix_timestamp();
    Ok(std::env::temp_dir().join(format!("liaison-demo-{stamp}-{}", std::process::id())))
}

/// Makes a node, loads the scenario and the shipped UCDP data, adds an analyst, serves.
pub async fn demo(dir: Option<&Path>, member: &str, listen: &str, no_serve: bool) -> Result<()> {
    let dir = demo_dir(dir)?;
    let node = node::init(&dir, member, None).await?;
    let files: Vec<Input> = SHIPPED_UCDP
        .iter()
        .map(|(name, bytes)| Input::Shipped(name, bytes))
        .collect();
    let report = crate::import::run(&node, Dataset::UcdpGed, &files, false, "demo").await?;
    crate::import::check_committed(&report)?;
    let events: u64 = report.files.iter().map(|f| f.inserted).sum();
    eprintln!("UCDP GED events: {events} ({UCDP_ATTRIBUTION})");
    // The example watch rules, recorded after the historical UCDP events and before the
    // scenario, whose incidents then arrive as new ones and raise their alerts.
    let mut rules = liaison_ops::watch::parse_rules(EXAMPLE_RULES)
        .map_err(|e| anyhow!("docs/examples/watch-rules.json: {e}"))?;
    for r in &mut rules {
        r.member = node.member.clone();
    }
    node.store
        .put_watch_rules(&rules, crate::now(), "demo")
        .await?;
    let loaded = crate::scenario::load(&node, "sahel-2012").await?;
    eprintln!(
        "scenario sahel-2012: {} incidents, {} members, {} actors, {} places ({})",
        loaded.outcome.inserted, loaded.members, loaded.actors, loaded.places, loaded.attribution
    );
    let (name, bytes) = SHIPPED_UCDP_ACTORS;
    let actors = crate::actors_import::read_list(name, bytes)?;
    let linked = crate::actors_import::store(&node, vec![name.to_owned()], &actors).await?;
    eprintln!(
        "UCDP actors: {} loaded; {} incidents link to one ({})",
        linked.actors,
        linked.incidents_linked,
        liaison_import::actor_list_source("22.1")
    );
    let alerts = liaison_server::alerts::scan(&node.store, crate::now()).await?;
    eprintln!(
        "watch rules: {} (docs/examples/watch-rules.json); {} alerts raised, {} incidents attached to open ones",
        rules.len(),
        alerts.raised.len(),
        alerts.attached
    );
    let token = crate::users::add(&node, "demo-analyst", "analyst").await?;
    // One user per role for the web application, all with one password printed below.
    let password = crate::users::new_password()?;
    for (name, role) in [
        ("demo-liaison", "liaison"),
        ("demo-auditor", "auditor"),
        ("demo-admin", "admin"),
    ] {
        crate::users::add(&node, name, role).await?;
    }
    for name in ["demo-analyst", "demo-liaison", "demo-auditor", "demo-admin"] {
        crate::users::set_password(&node, name, &password).await?;
    }
    let (shared, published) = crate::taxii::default_collections(&node).await?;
    let listener = bind(listen, true).await?;
    let addr = listener.local_addr()?;
    println!("data:  {}", dir.display());
    println!(
        "web:   http://{addr}/ui/ (sign in as demo-analyst, demo-liaison, demo-auditor or demo-admin, password {password})"
    );
    println!("url:   http://{addr}/api/v1/incidents");
    println!("token: {token}");
    println!(
        "taxii: http://{addr}/taxii2/ (user demo-analyst, the token as password; collections {shared} read-write, {published} read-only)"
    );
    println!(
        "try:   curl -H 'Authorization: Bearer {token}' 'http://{addr}/api/v1/stats?by=country,year'"
    );
    if no_serve {
        return Ok(());
    }
    eprintln!("serving (Ctrl-C to stop)");
    let store = node.store.clone();
    liaison_server::serve_app(crate::web::app(state(node), &dir), listener).await?;
    flush_reads(&store).await;
    Ok(())
}
