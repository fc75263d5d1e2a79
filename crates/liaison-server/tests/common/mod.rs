//! What the in-process federation tests share: a stepped clock, nodes (a SQLite store, a key,
//! a ledger signer and the federation router each), a transport that calls a router in process,
//! and small builders of incidents and agreements.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::Request;
use liaison_core::{CountryCode, Incident, IncidentContent, IncidentId};
use liaison_policy::NodeKey;
use liaison_server::federation::{FederationState, router};
use liaison_store::Store;
use liaison_sync::client::{
    Node as SyncNode, SyncError, SyncOptions, Transport, WireRequest, WireResponse,
};
use liaison_sync::egress::Keyring;
use serde_json::{Value, json};
use time::OffsetDateTime;
use tower::ServiceExt;

/// The stepped clock every node and client reads: seconds since the Unix epoch.
#[derive(Clone)]
pub struct Clock(pub Arc<AtomicI64>);

impl Clock {
    pub fn new() -> Self {
        Self(Arc::new(AtomicI64::new(1_328_000_000))) // 2012-01-31
    }
    pub fn now(&self) -> OffsetDateTime {
        OffsetDateTime::from_unix_timestamp(self.0.load(Ordering::SeqCst)).unwrap()
    }
    pub fn step(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

pub struct TestNode {
    pub member: CountryCode,
    pub key: NodeKey,
    pub store: Store,
    pub app: Router,
    pub _dir: tempfile::TempDir,
}

pub fn code(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap()
}

pub async fn node(member: &str, secret: u8, clock: &Clock) -> TestNode {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&format!("sqlite://{}/n.db", dir.path().display()))
        .await
        .unwrap();
    let key = NodeKey::from_secret([secret; 32]);
    let signing = key.clone();
    store.set_ledger_signer(liaison_store::LedgerSigner {
        member: member.to_owned(),
        origin: liaison_sync::ledger_wire::log_origin(&code(member)),
        public_key: *key.public().as_bytes(),
        sign: Arc::new(move |m: &[u8]| signing.sign(m)),
    });
    let c = clock.clone();
    let state = FederationState::new(
        store.clone(),
        code(member),
        key.clone(),
        Arc::new(move || c.now()),
    );
    TestNode {
        member: code(member),
        key,
        store,
        app: router(state),
        _dir: dir,
    }
}

/// Registers every node as a peer of every other.
pub async fn mesh(nodes: &[&TestNode], clock: &Clock) {
    for a in nodes {
        for b in nodes {
            if a.member != b.member {
                let k = b.key.public();
                a.store
                    .put_peer(
                        b.member.as_str(),
                        "https://127.0.0.1:1",
                        &k.to_base64(),
                        &k.fingerprint(),
                        "test",
                        clock.now(),
                    )
                    .await
                    .unwrap();
            }
        }
    }
}

/// Calls a node's federation router in process.
pub struct InProcess<'a>(pub &'a Router);

impl Transport for InProcess<'_> {
    async fn send(&self, req: WireRequest) -> Result<WireResponse, String> {
        let mut b = Request::builder()
            .method(req.method)
            .uri(format!("{}{}", req.path, req.query));
        for (k, v) in &req.headers {
            b = b.header(k, v);
        }
        let resp = self
            .0
            .clone()
            .oneshot(b.body(Body::from(req.body)).unwrap())
            .await
            .map_err(|e| e.to_string())?;
        let status = resp.status().as_u16();
        let headers = resp
            .headers()
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .map_err(|e| e.to_string())?
            .to_vec();
        Ok(WireResponse {
            status,
            headers,
            wire_bytes: body.len(),
            body,
        })
    }
}

pub async fn keyring(n: &TestNode) -> Keyring {
    let mut keys = vec![(n.member.clone(), n.key.public())];
    for p in n.store.peers().await.unwrap() {
        keys.push((
            code(&p.member),
            liaison_policy::NodePublicKey::from_base64(&p.public_key).unwrap(),
        ));
    }
    Keyring::new(keys)
}

pub fn opts() -> SyncOptions {
    SyncOptions {
        page_objects: 2,
        retries: 0,
        backoff: std::time::Duration::ZERO,
        ..Default::default()
    }
}

/// `puller` syncs once with `from` through `transport`.
pub async fn sync_via<T: Transport>(
    puller: &TestNode,
    from: &TestNode,
    transport: &T,
    clock: &Clock,
) -> Result<liaison_sync::client::SyncReport, SyncError> {
    let ring = keyring(puller).await;
    let n = SyncNode {
        store: &puller.store,
        own: &puller.member,
        key: &puller.key,
        keyring: &ring,
    };
    let c = clock.clone();
    n.sync_peer(&from.member, transport, &opts(), &move || c.now())
        .await
}

pub async fn sync(
    puller: &TestNode,
    from: &TestNode,
    clock: &Clock,
) -> liaison_sync::client::SyncReport {
    sync_via(puller, from, &InProcess(&from.app), clock)
        .await
        .unwrap()
}

pub fn content(title: &str, lat: f64, lon: f64) -> IncidentContent {
    serde_json::from_value(json!({
        "title": title,
        "sub_type": "armed_clash",
        "date": {"start": "2012-01-17", "end": "2012-01-17", "precision": "day"},
        "location": {"point": {"lat": lat, "lon": lon}, "precision": "exact",
                     "place_name": title, "admin1": "Kidal", "country": "MLI"},
        "casualties": {"fatalities": {"best": 7, "low": 5, "high": 12}},
        "narrative": {"text": format!("{title}: reported by a field officer."), "lang": "en"},
        "sources": [{"name": "Gendarmerie report 17/01", "reliability": "B", "credibility": 2}],
        "markings": {"classification": "unclassified", "tlp": "green"},
    }))
    .unwrap()
}

pub async fn incident(n: &TestNode, id: &str, title: &str, clock: &Clock) -> Incident {
    let inc = Incident::new(
        IncidentId::parse(id).unwrap(),
        n.member.clone(),
        1,
        content(title, 18.4411, 1.4078),
    );
    n.store
        .create_incident(&inc, "analyst", clock.now())
        .await
        .unwrap();
    inc
}

pub async fn agree(n: &TestNode, doc: Value, clock: &Clock) {
    let id = doc["id"].as_str().unwrap().to_owned();
    n.store
        .put_agreement(&id, 1, &doc.to_string(), "test", clock.now())
        .await
        .unwrap();
}

pub async fn held(n: &TestNode) -> Vec<Incident> {
    let page = n
        .store
        .list_incidents(&liaison_core::IncidentFilter::default(), 100, None)
        .await
        .unwrap();
    page.incidents
        .into_iter()
        .filter(|i| i.originator != n.member)
        .collect()
}

/// Three members: Mali shares everything with Algeria and Niger; Algeria shares with Niger only,
/// coarsened to the province, narrative dropped, sources pseudonymised; Niger shares nothing.
pub async fn three(clock: &Clock) -> (TestNode, TestNode, TestNode) {
    let (mli, dza, ner) = (
        node("MLI", 1, clock).await,
        node("DZA", 2, clock).await,
        node("NER", 3, clock).await,
    );
    mesh(&[&mli, &dza, &ner], clock).await;
    agree(
        &mli,
        json!({"id": "mli-all", "originator": "MLI", "recipients": ["DZA", "NER"],
        "title": "Mali shares with all"}),
        clock,
    )
    .await;
    agree(
        &dza,
        json!({"id": "dza-ner", "originator": "DZA", "recipients": ["NER"],
        "title": "Algeria to Niger, coarsened",
        "obligations": {"location": {"precision": "admin1"}, "drop_narrative": true,
                        "pseudonymise_sources": true}}),
        clock,
    )
    .await;
    incident(&mli, "mli-1", "Aguelhok", clock).await;
    incident(&mli, "mli-2", "Tessalit", clock).await;
    incident(&mli, "mli-3", "Menaka", clock).await;
    incident(&dza, "dza-1", "Tinzaouaten", clock).await;
    incident(&ner, "ner-1", "Arlit", clock).await;
    (mli, dza, ner)
}
