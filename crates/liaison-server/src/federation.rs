//! The federation face of a node: the TAXII 2.1 API roots its peers pull from and deliver to,
//! served on the federation listener (HTTPS with the node's key, see `liaison_sync::tls`).
//!
//! Each registered peer `P` has its own API root, `/taxii2/peer-p/`, holding only what our
//! policy releases to `P` (collection `releases`, read) and an inbox it delivers attestations and
//! flash items to (collection `inbox`, write). Every request must carry an HTTP message signature
//! by the registered key of the member it names (`liaison_sync::httpsig`); the authenticated
//! member may only use its own root. Anything else — an unregistered key, a bad signature, a
//! replay, another peer's root, a root or collection that does not exist — gets the same
//! answers: 401 for a request we cannot attribute, 404 for anything not its own, so nobody learns
//! which roots exist. Every refusal is logged in the store (`refusals`) with its reason.
//!
//! The pages come from `liaison_sync::egress` (decision → transformation → seal → disclosure);
//! this module routes and authenticates, nothing more.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use liaison_core::{Agreement, CountryCode};
use liaison_policy::{NodeKey, NodePublicKey, Policy};
use liaison_store::Store;
use liaison_sync::client::{
    BACKLOG_HEADER, INBOX_COLLECTION, RELEASES_COLLECTION, TAXII_MEDIA, api_root,
};
use liaison_sync::cursor::CursorKey;
use liaison_sync::ledger_wire;

use crate::fed_ledger;
use liaison_sync::egress::{DEFAULT_PAGE_OBJECTS, Egress, Keyring};
use liaison_sync::httpsig::{AuthError, PEER_HEADER, ReplayGuard, RequestParts, verify_request};
use liaison_sync::ingest::Ingest;
use serde_json::json;
use time::OffsetDateTime;
use tokio::sync::RwLock;

/// Largest body a peer may POST to its inbox, in bytes.
pub const MAX_INBOX_BYTES: usize = 8 * 1024 * 1024;
/// Signatures remembered to refuse exact replays.
const REPLAY_MEMORY: usize = 100_000;

/// The policy, keys and peers in force, rebuilt when agreements or peers change.
pub(crate) struct Compiled {
    stamp: String,
    pub(crate) policy: Arc<Policy>,
    keyring: Arc<Keyring>,
    pub(crate) peers: HashMap<CountryCode, NodePublicKey>,
}

/// What the federation routes share.
#[derive(Clone)]
pub struct FederationState {
    pub(crate) store: Store,
    pub(crate) own: CountryCode,
    pub(crate) key: NodeKey,
    cursor_key: CursorKey,
    pub(crate) clock: Arc<dyn Fn() -> OffsetDateTime + Send + Sync>,
    replay: Arc<Mutex<ReplayGuard>>,
    compiled: Arc<RwLock<Option<Arc<Compiled>>>>,
}

impl FederationState {
    pub fn new(
        store: Store,
        own: CountryCode,
        key: NodeKey,
        clock: Arc<dyn Fn() -> OffsetDateTime + Send + Sync>,
    ) -> Self {
        Self {
            cursor_key: CursorKey::derive(&key),
            store,
            own,
            key,
            clock,
            replay: Arc::new(Mutex::new(ReplayGuard::new(REPLAY_MEMORY))),
            compiled: Arc::new(RwLock::new(None)),
        }
    }

    /// The policy and keys in force: recompiled only when the stored agreements, peers or the
    /// node's own zones changed.
    async fn compiled(&self) -> Result<Arc<Compiled>, Refusal> {
        let peers = self.store.peers().await.map_err(Refusal::internal)?;
        let agreements = self.store.agreements().await.map_err(Refusal::internal)?;
        let zones = self.store.node_zones().await.map_err(Refusal::internal)?;
        let mut stamp = String::new();
        for z in &zones {
            stamp.push_str(&format!("zone {}@{};", z.zone.id, z.version));
        }
        for p in peers.iter().filter(|p| p.removed_at.is_none()) {
            stamp.push_str(&format!("{}={};", p.member, p.public_key));
        }
        for a in &agreements {
            stamp.push_str(&format!("{}@{};", a.id, a.version));
        }
        if let Some(c) = self.compiled.read().await.as_ref()
            && c.stamp == stamp
        {
            return Ok(c.clone());
        }
        let mut keys = HashMap::new();
        for p in peers.iter().filter(|p| p.removed_at.is_none()) {
            if let (Ok(m), Ok(k)) = (
                CountryCode::parse(&p.member),
                NodePublicKey::from_base64(&p.public_key),
            ) {
                keys.insert(m, k);
            }
        }
        let parsed: Vec<Agreement> = agreements
            .iter()
            .filter_map(|a| serde_json::from_str(&a.doc).ok())
            .collect();
        let node_zones: Vec<_> = zones.into_iter().map(|z| z.zone).collect();
        let policy = Policy::compile_with_zones(&self.own, &parsed, &node_zones)
            .map_err(Refusal::internal)?;
        let mut ring: Vec<(CountryCode, NodePublicKey)> =
            keys.iter().map(|(m, k)| (m.clone(), *k)).collect();
        ring.push((self.own.clone(), self.key.public()));
        let c = Arc::new(Compiled {
            stamp,
            policy: Arc::new(policy),
            keyring: Arc::new(Keyring::new(ring)),
            peers: keys,
        });
        *self.compiled.write().await = Some(c.clone());
        Ok(c)
    }
}

/// A refused or failed request: its status, and the reason kept in the log (never sent).
pub(crate) struct Refusal {
    status: StatusCode,
    reason: String,
}

impl Refusal {
    pub(crate) fn unauthorized(reason: impl Into<String>) -> Self {
        Self {
            status: StatusCode::UNAUTHORIZED,
            reason: reason.into(),
        }
    }
    pub(crate) fn not_found(reason: impl Into<String>) -> Self {
        Self {
            status: StatusCode::NOT_FOUND,
            reason: reason.into(),
        }
    }
    pub(crate) fn bad_request(reason: impl Into<String>) -> Self {
        Self {
            status: StatusCode::BAD_REQUEST,
            reason: reason.into(),
        }
    }
    pub(crate) fn internal(e: impl std::fmt::Display) -> Self {
        Self {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            reason: e.to_string(),
        }
    }

    /// The answer: the same body for every refusal of a kind. A bad request says what was
    /// wrong with the request itself (the peer sent it), never anything about our data.
    pub(crate) fn response(&self) -> Response {
        let (title, description) = match self.status {
            StatusCode::UNAUTHORIZED => ("Unauthorized", None),
            StatusCode::NOT_FOUND => ("Not Found", None),
            StatusCode::BAD_REQUEST => ("Bad Request", Some(self.reason.as_str())),
            StatusCode::PAYLOAD_TOO_LARGE => ("Payload Too Large", None),
            _ => ("Internal Server Error", None),
        };
        let mut body = json!({ "title": title });
        if let Some(d) = description {
            body["description"] = json!(d);
        }
        taxii_json(self.status, &body)
    }
}

fn taxii_json(status: StatusCode, body: &serde_json::Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut r = Response::new(Body::from(bytes));
    *r.status_mut() = status;
    if let Ok(v) = TAXII_MEDIA.parse() {
        r.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    r
}

fn header_str<'a>(h: &'a HeaderMap, name: &str) -> Option<&'a str> {
    h.get(name).and_then(|v| v.to_str().ok())
}

/// Who signed this request, or why it is refused.
async fn authenticate(
    state: &FederationState,
    compiled: &Compiled,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<CountryCode, Refusal> {
    let query = uri.query().map(|q| format!("?{q}")).unwrap_or_default();
    let parts = RequestParts {
        method: method.as_str(),
        path: uri.path(),
        query: &query,
        body,
        signature_input: header_str(headers, "signature-input"),
        signature: header_str(headers, "signature"),
        content_digest: header_str(headers, "content-digest"),
        peer: header_str(headers, PEER_HEADER),
    };
    let now = (state.clock)().unix_timestamp();
    let member = verify_request(&parts, |m| compiled.peers.get(m).copied(), now)
        .map_err(|e| Refusal::unauthorized(format!("request signature: {e}")))?;
    let signature = parts.signature.unwrap_or_default();
    let created = liaison_sync::httpsig::created_of(parts.signature_input.unwrap_or_default())
        .map_err(|e| Refusal::unauthorized(format!("request signature: {e}")))?;
    let mut guard = state
        .replay
        .lock()
        .map_err(|_| Refusal::internal("replay memory poisoned"))?;
    guard
        .check_and_remember(signature, created, now)
        .map_err(|e: AuthError| Refusal::unauthorized(format!("request signature: {e}")))?;
    Ok(member)
}

/// Runs `f` for an authenticated peer and logs any refusal with its reason.
pub(crate) async fn guarded<F, Fut>(
    state: &FederationState,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
    f: F,
) -> Response
where
    F: FnOnce(CountryCode, Arc<Compiled>) -> Fut,
    Fut: std::future::Future<Output = Result<Response, Refusal>>,
{
    let claimed = header_str(&headers, PEER_HEADER)
        .unwrap_or("(none)")
        .chars()
        .take(8)
        .collect::<String>();
    let outcome = async {
        let compiled = state.compiled().await?;
        let peer = authenticate(state, &compiled, &method, &uri, &headers, &body).await?;
        f(peer, compiled).await
    }
    .await;
    match outcome {
        Ok(r) => r,
        Err(refusal) => {
            tracing::warn!(peer = %claimed, status = %refusal.status, "federation request refused: {}", refusal.reason);
            let now = (state.clock)();
            if let Err(e) = state
                .store
                .log_refusal(
                    &claimed,
                    &format!("{} {}: {}", method, uri.path(), refusal.reason),
                    now,
                )
                .await
            {
                tracing::error!("cannot log a refusal: {e}");
            }
            refusal.response()
        }
    }
}

/// The root named in the path must be the caller's own.
fn own_root(root: &str, peer: &CountryCode) -> Result<(), Refusal> {
    if format!("/taxii2/{root}/") == api_root(peer) {
        Ok(())
    } else {
        Err(Refusal::not_found(format!("{peer} asked for root {root}")))
    }
}

/// The federation routes, for the federation listener.
pub fn router(state: FederationState) -> Router {
    Router::new()
        .route("/taxii2/", get(discovery))
        .route("/taxii2/{root}/", get(root_info))
        .route("/taxii2/{root}/collections/", get(collections))
        .route(
            "/taxii2/{root}/collections/{collection}/objects/",
            get(get_objects).post(post_objects),
        )
        .route(ledger_wire::CHECKPOINT_PATH, get(fed_ledger::read))
        .route(ledger_wire::INCLUSION_PATH, get(fed_ledger::read))
        .route(ledger_wire::CONSISTENCY_PATH, get(fed_ledger::read))
        .route(ledger_wire::ENTRIES_PATH, get(fed_ledger::read))
        .route(
            ledger_wire::COSIGNATURES_PATH,
            post(fed_ledger::cosignature),
        )
        .route(ledger_wire::RECEIPTS_PATH, post(fed_ledger::receipts))
        .route(
            liaison_sync::actor_match::MATCH_PATH,
            post(crate::fed_actors::match_actors),
        )
        .route(
            liaison_sync::actor_match::FETCH_PATH,
            post(crate::fed_actors::fetch_actor),
        )
        .route(
            liaison_sync::reciprocity::RECIPROCITY_PATH,
            get(crate::fed_actors::reciprocity),
        )
        .fallback(|| async { Refusal::not_found("no such route").response() })
        .layer(axum::extract::DefaultBodyLimit::max(MAX_INBOX_BYTES))
        // Pages of signed STIX repeat the same keys object after object: the fastest gzip level
        // already takes them to about a tenth, for little CPU.
        .layer(
            tower_http::compression::CompressionLayer::new()
                .gzip(true)
                .quality(tower_http::CompressionLevel::Fastest),
        )
        .with_state(state)
}

async fn discovery(
    State(state): State<FederationState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let own = state.own.clone();
    guarded(
        &state,
        method,
        uri,
        headers,
        Bytes::new(),
        |peer, _| async move {
            Ok(taxii_json(
                StatusCode::OK,
                &json!({
                    "title": format!("Liaison node of {own}"),
                    "description": format!("What {own} releases to {peer}."),
                    "default": api_root(&peer),
                    "api_roots": [api_root(&peer)],
                }),
            ))
        },
    )
    .await
}

async fn root_info(
    State(state): State<FederationState>,
    Path(root): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let own = state.own.clone();
    guarded(
        &state,
        method,
        uri,
        headers,
        Bytes::new(),
        |peer, _| async move {
            own_root(&root, &peer)?;
            Ok(taxii_json(
                StatusCode::OK,
                &json!({
                    "title": format!("{own} to {peer}"),
                    "versions": ["application/taxii+json;version=2.1"],
                    "max_content_length": MAX_INBOX_BYTES,
                }),
            ))
        },
    )
    .await
}

async fn collections(
    State(state): State<FederationState>,
    Path(root): Path<String>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    guarded(&state, method, uri, headers, Bytes::new(), |peer, _| async move {
        own_root(&root, &peer)?;
        Ok(taxii_json(
            StatusCode::OK,
            &json!({"collections": [
                {"id": RELEASES_COLLECTION, "title": "releases",
                 "description": "What this node's agreements release to you, transformed and signed.",
                 "can_read": true, "can_write": false,
                 "media_types": ["application/stix+json;version=2.1"]},
                {"id": INBOX_COLLECTION, "title": "inbox",
                 "description": "Your attestations and flash items for this node.",
                 "can_read": false, "can_write": true,
                 "media_types": ["application/stix+json;version=2.1"]}
            ]}),
        ))
    })
    .await
}

pub(crate) fn query_param<'a>(query: &'a str, name: &str) -> Option<&'a str> {
    query
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

async fn get_objects(
    State(state): State<FederationState>,
    Path((root, collection)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    let st = state.clone();
    guarded(
        &state,
        method,
        uri,
        headers,
        Bytes::new(),
        |peer, compiled| async move {
            own_root(&root, &peer)?;
            if collection != RELEASES_COLLECTION {
                return Err(Refusal::not_found(format!(
                    "{peer} read collection {collection}"
                )));
            }
            let query = query.unwrap_or_default();
            let limit = match query_param(&query, "limit") {
                None => DEFAULT_PAGE_OBJECTS,
                Some(l) => l
                    .parse::<usize>()
                    .ok()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| Refusal::bad_request("limit must be a positive integer"))?,
            };
            let next = query_param(&query, "next");
            let egress = Egress {
                store: &st.store,
                own: &st.own,
                key: &st.key,
                cursor_key: &st.cursor_key,
                policy: &compiled.policy,
                keyring: &compiled.keyring,
            };
            let page = egress
                .page(&peer, next, limit, (st.clock)())
                .await
                .map_err(|e| match e {
                    liaison_sync::egress::EgressError::Cursor(c) => {
                        Refusal::bad_request(c.to_string())
                    }
                    other => Refusal::internal(other),
                })?;
            let objects: Vec<&serde_json::Value> =
                page.releases.iter().map(|r| r.sealed().object()).collect();
            let mut r = taxii_json(
                StatusCode::OK,
                &json!({"more": page.more, "next": page.next, "objects": objects}),
            );
            if let Ok(v) = page.backlog.to_string().parse() {
                r.headers_mut().insert(BACKLOG_HEADER, v);
            }
            Ok(r)
        },
    )
    .await
}

async fn post_objects(
    State(state): State<FederationState>,
    Path((root, collection)): Path<(String, String)>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let st = state.clone();
    let raw = body.clone();
    guarded(&state, method, uri, headers, body, |peer, compiled| async move {
        own_root(&root, &peer)?;
        if collection != INBOX_COLLECTION {
            return Err(Refusal::not_found(format!("{peer} wrote collection {collection}")));
        }
        let parsed = liaison_stix::parse(&raw).map_err(|e| Refusal::bad_request(e.to_string()))?;
        if let Some(e) = parsed.errors.first() {
            return Err(Refusal::bad_request(e.to_string()));
        }
        let ingest = Ingest {
            store: &st.store,
            own: &st.own,
            key: &st.key,
            keyring: &compiled.keyring,
        };
        // A push does not move the peer's pull cursor: keep the one stored.
        let cursor = st
            .store
            .sync_state(peer.as_str())
            .await
            .map_err(Refusal::internal)?
            .cursor;
        let report = ingest
            .page(&peer, &parsed.objects, &cursor, (st.clock)())
            .await
            .map_err(|e| match e {
                liaison_sync::ingest::IngestError::Refused { .. } => {
                    Refusal::bad_request(e.to_string())
                }
                other => Refusal::internal(other),
            })?;
        // Incidents pushed to our inbox are the partner's flash items: each raises an alert
        // here (once per incident), ahead of whatever backlog the next pull brings.
        if !report.incidents.is_empty() {
            st.store
                .raise_flash_alerts(peer.as_str(), &report.incidents, (st.clock)())
                .await
                .map_err(Refusal::internal)?;
        }
        Ok(taxii_json(
            StatusCode::ACCEPTED,
            &json!({
                "status": "complete",
                "total_count": parsed.total,
                "success_count": report.stored + report.unchanged + report.hidden + report.attestations
                    + report.responses,
                "failure_count": report.skipped.len(),
                "pending_count": 0,
            }),
        ))
    })
    .await
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        self.response()
    }
}
