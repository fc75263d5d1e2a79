//! The TAXII 2.1 server end to end, in process: requests through `router(state)` with
//! `tower::ServiceExt::oneshot`, against a SQLite store in a temporary directory, with a clock
//! the tests move and a counter for ids. This file holds the harness and the tests of discovery,
//! authentication, negotiation and limits; `taxii/objects.rs` tests adding, paging, filters,
//! versions, deletion and Status resources.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "taxii/objects.rs"]
mod objects;

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use liaison_core::CountryCode;
use liaison_server::auth::hash_token;
use liaison_server::taxii::{MAX_CONTENT_BYTES, TAXII_MEDIA_TYPE};
use liaison_server::{AppState, router};
use liaison_store::{Role, Store, TaxiiCollection};
use serde_json::{Value, json};
use time::OffsetDateTime;
use tower::ServiceExt;

const ANALYST: &str = "lsn_analyst_token";
const ADMIN: &str = "lsn_admin_token";
const AUDITOR: &str = "lsn_auditor_token";
const RW: &str = "4f0a3c55-6c1e-4d33-9d7a-3b5f2a9e1c01";
const RO: &str = "7d1b8f2e-2f43-4c8a-a1a5-0c9e3e6b5d02";
const ROOT: &str = "/taxii2/liaison";

pub(crate) struct Node {
    app: Router,
    /// Milliseconds since the Unix epoch: what the node's clock says.
    clock_ms: Arc<AtomicI64>,
    _dir: tempfile::TempDir,
}

impl Node {
    fn set_clock(&self, iso: &str) {
        let t = OffsetDateTime::parse(iso, &time::format_description::well_known::Rfc3339).unwrap();
        let ms = (t.unix_timestamp_nanos() / 1_000_000) as i64;
        self.clock_ms.store(ms, Ordering::SeqCst);
    }
}

async fn node() -> Node {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}/t.db", dir.path().display()))
        .await
        .unwrap();
    let at = OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap();
    for (name, role, tok) in [
        ("amadou", Role::Analyst, ANALYST),
        ("root", Role::Admin, ADMIN),
        ("awa", Role::Auditor, AUDITOR),
    ] {
        store
            .add_user(name, role, &hash_token(tok), at)
            .await
            .unwrap();
    }
    for (id, title, read_only) in [(RW, "Shared", false), (RO, "Published", true)] {
        let c = TaxiiCollection {
            id: id.into(),
            title: title.into(),
            description: format!("{title} objects"),
            read_only,
        };
        store.add_taxii_collection(&c, at).await.unwrap();
    }
    let clock_ms = Arc::new(AtomicI64::new(1_717_200_000_000));
    let clock = clock_ms.clone();
    let counter = Arc::new(AtomicU64::new(0));
    let state = AppState {
        store,
        member: CountryCode::parse("MLI").unwrap(),
        clock: Arc::new(move || {
            let ms = clock.load(Ordering::SeqCst);
            OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000).unwrap()
        }),
        new_id: Arc::new(move || format!("{:04}", counter.fetch_add(1, Ordering::SeqCst) + 1)),
    };
    Node {
        app: router(state),
        clock_ms,
        _dir: dir,
    }
}

pub(crate) struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    bytes: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }

    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    fn is_taxii(&self) -> bool {
        self.header("content-type") == Some(TAXII_MEDIA_TYPE)
    }
}

/// A request with TAXII's Accept, and Bearer `token` (or the raw Authorization `auth`).
fn req(method: Method, uri: &str, auth: Option<String>) -> axum::http::request::Builder {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::ACCEPT, TAXII_MEDIA_TYPE);
    if let Some(a) = auth {
        b = b.header(header::AUTHORIZATION, a);
    }
    b
}

fn bearer(token: &str) -> Option<String> {
    Some(format!("Bearer {token}"))
}

async fn send(app: &Router, r: Request<Body>) -> Answer {
    let resp = app.clone().oneshot(r).await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        headers,
        bytes,
    }
}

pub(crate) async fn get(n: &Node, uri: &str, token: &str) -> Answer {
    send(
        &n.app,
        req(Method::GET, uri, bearer(token))
            .body(Body::empty())
            .unwrap(),
    )
    .await
}

pub(crate) async fn post_objects(n: &Node, coll: &str, token: &str, objects: &[Value]) -> Answer {
    let body = json!({ "objects": objects }).to_string();
    let r = req(
        Method::POST,
        &format!("{ROOT}/collections/{coll}/objects/"),
        bearer(token),
    )
    .header(header::CONTENT_TYPE, TAXII_MEDIA_TYPE)
    .body(Body::from(body))
    .unwrap();
    send(&n.app, r).await
}

/// An indicator with id number `i` at version `modified`.
pub(crate) fn indicator(i: u32, modified: &str) -> Value {
    json!({
        "type": "indicator",
        "spec_version": "2.1",
        "id": format!("indicator--00000000-0000-4000-8000-{i:012}"),
        "created": "2024-01-01T00:00:00.000Z",
        "modified": modified,
        "name": format!("indicator {i}"),
        "pattern": "[ipv4-addr:value = '198.51.100.1']",
        "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z",
        "x_liaison_flag": true,
    })
}

#[tokio::test]
async fn discovery_and_api_root() {
    let n = node().await;
    let a = get(&n, "/taxii2/", ANALYST).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.is_taxii());
    let d = a.json();
    assert_eq!(d["title"], "Liaison node MLI");
    assert_eq!(d["api_roots"], json!(["/taxii2/liaison/"]));
    assert_eq!(d["default"], "/taxii2/liaison/");
    let a = get(&n, "/taxii2/liaison/", AUDITOR).await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.is_taxii());
    assert_eq!(a.json()["versions"], json!([TAXII_MEDIA_TYPE]));
    assert_eq!(a.json()["max_content_length"], MAX_CONTENT_BYTES);
}

#[tokio::test]
async fn collections_and_roles() {
    let n = node().await;
    let list = |tok| {
        let n = &n;
        async move { get(n, &format!("{ROOT}/collections/"), tok).await.json() }
    };
    let as_analyst = list(ANALYST).await;
    let cols = as_analyst["collections"].as_array().unwrap();
    assert_eq!(cols.len(), 2);
    assert_eq!(cols[0]["id"], RW);
    assert_eq!(
        (cols[0]["can_read"].clone(), cols[0]["can_write"].clone()),
        (json!(true), json!(true))
    );
    assert_eq!(cols[1]["can_write"], false, "read-only for everyone");
    assert_eq!(
        cols[0]["media_types"],
        json!(["application/stix+json;version=2.1"])
    );
    let as_auditor = list(AUDITOR).await;
    assert_eq!(as_auditor["collections"][0]["can_write"], false);
    assert_eq!(as_auditor["collections"][0]["can_read"], true);
    let one = get(&n, &format!("{ROOT}/collections/{RO}/"), ADMIN).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["title"], "Published");
    assert_eq!(one.json()["can_write"], false);
}

#[tokio::test]
async fn unauthenticated_requests_get_the_same_401() {
    let n = node().await;
    let basic = |user: &str, pw: &str| {
        use base64::Engine;
        Some(format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(format!("{user}:{pw}"))
        ))
    };
    let mut answers = Vec::new();
    for auth in [
        None,
        Some("Bearer".to_owned()),
        bearer("lsn_not_a_token"),
        basic("amadou", "wrong"),
        // A real token under another user's name.
        basic("root", ANALYST),
        Some(format!("Token {ANALYST}")),
    ] {
        for path in [
            "/taxii2/",
            &format!("{ROOT}/collections/{RW}/objects/"),
            "/taxii2/nowhere/",
        ] {
            let a = send(
                &n.app,
                req(Method::GET, path, auth.clone())
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED, "{auth:?} {path}");
            assert!(a.is_taxii());
            answers.push(a);
        }
    }
    for a in &answers {
        assert_eq!(a.bytes, answers[0].bytes);
        let challenges: Vec<_> = a.headers.get_all(header::WWW_AUTHENTICATE).iter().collect();
        assert_eq!(challenges.len(), 2);
    }
    assert_eq!(answers[0].json()["http_status"], "401");
    // Basic with the user's own name and token works, like Bearer.
    let a = send(
        &n.app,
        req(Method::GET, "/taxii2/", basic("amadou", ANALYST))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn wrong_accept_gets_406() {
    let n = node().await;
    for accept in [
        Some("application/json"),
        Some("application/taxii+json;version=2.0"),
        Some("*/*"),
        None,
    ] {
        for path in [
            "/taxii2/".to_owned(),
            format!("{ROOT}/collections/{RW}/objects/"),
        ] {
            let mut b = Request::builder()
                .uri(&path)
                .header(header::AUTHORIZATION, format!("Bearer {ANALYST}"));
            if let Some(v) = accept {
                b = b.header(header::ACCEPT, v);
            }
            let a = send(&n.app, b.body(Body::empty()).unwrap()).await;
            assert_eq!(a.status, StatusCode::NOT_ACCEPTABLE, "{accept:?} {path}");
            assert!(a.is_taxii());
            assert_eq!(a.json()["http_status"], "406");
        }
    }
    // Without a version, TAXII 2.1 is meant.
    let a = send(
        &n.app,
        Request::builder()
            .uri("/taxii2/")
            .header(header::AUTHORIZATION, format!("Bearer {ANALYST}"))
            .header(header::ACCEPT, "application/taxii+json")
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
}

#[tokio::test]
async fn missing_and_unknown_answer_the_same_404() {
    let n = node().await;
    let paths = [
        format!("{ROOT}/collections/00000000-0000-4000-8000-000000000000/"),
        format!("{ROOT}/collections/not-a-uuid/objects/"),
        format!("{ROOT}/collections/00000000-0000-4000-8000-000000000000/manifest/"),
        format!("{ROOT}/collections/{RW}/objects/indicator--00000000-0000-4000-8000-000000000001/"),
        format!(
            "{ROOT}/collections/{RW}/objects/indicator--00000000-0000-4000-8000-000000000001/versions/"
        ),
        format!("{ROOT}/status/00000000-0000-4000-8000-000000000000/"),
        "/taxii2/otherroot/".to_owned(),
        "/taxii2/liaison/collections/x/y/z/".to_owned(),
    ];
    let mut first: Option<Vec<u8>> = None;
    for p in &paths {
        let a = get(&n, p, ANALYST).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{p}");
        assert!(a.is_taxii(), "{p}");
        match &first {
            None => first = Some(a.bytes.clone()),
            Some(f) => assert_eq!(&a.bytes, f, "{p}"),
        }
    }
}

#[tokio::test]
async fn content_type_size_and_method_limits() {
    let n = node().await;
    let uri = format!("{ROOT}/collections/{RW}/objects/");
    let post = |ct: Option<&str>, body: Body, len: Option<usize>| {
        let mut b = req(Method::POST, &uri, bearer(ANALYST));
        if let Some(ct) = ct {
            b = b.header(header::CONTENT_TYPE, ct);
        }
        if let Some(l) = len {
            b = b.header(header::CONTENT_LENGTH, l);
        }
        b.body(body).unwrap()
    };
    for ct in [
        Some("application/json"),
        Some("application/taxii+json;version=2.0"),
        None,
    ] {
        let a = send(&n.app, post(ct, Body::from("{\"objects\":[]}"), None)).await;
        assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{ct:?}");
        assert!(a.is_taxii());
    }
    // Declared too large: refused before reading.
    let a = send(
        &n.app,
        post(
            Some(TAXII_MEDIA_TYPE),
            Body::empty(),
            Some(MAX_CONTENT_BYTES + 1),
        ),
    )
    .await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(
        a.json()["description"]
            .as_str()
            .unwrap()
            .contains("max_content_length")
    );
    // Streamed without a length: refused while reading.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        (0..11).map(|_| Ok(vec![b' '; 1024 * 1024])).collect();
    let body = Body::from_stream(futures_stream(chunks));
    let a = send(&n.app, post(Some(TAXII_MEDIA_TYPE), body, None)).await;
    assert_eq!(a.status, StatusCode::PAYLOAD_TOO_LARGE);
    // Not an envelope.
    for bad in [
        "not json",
        "[1]",
        "{\"objects\": 5}",
        "{\"objects\": [{\"type\": \"indicator\"}]}",
    ] {
        let a = send(&n.app, post(Some(TAXII_MEDIA_TYPE), Body::from(bad), None)).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(a.is_taxii());
    }
    // Other methods.
    let a = send(
        &n.app,
        req(Method::PUT, &uri, bearer(ANALYST))
            .body(Body::empty())
            .unwrap(),
    )
    .await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert!(a.is_taxii());
    // Writes to a read-only collection, or by a read-only role: 403.
    let a = post_objects(&n, RO, ADMIN, &[indicator(1, "2024-01-01T00:00:00.000Z")]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = post_objects(&n, RW, AUDITOR, &[indicator(1, "2024-01-01T00:00:00.000Z")]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert!(
        a.json()["description"]
            .as_str()
            .unwrap()
            .contains("auditor")
    );
}

/// A body stream of the given chunks (no `Content-Length`).
fn futures_stream(
    chunks: Vec<Result<Vec<u8>, std::io::Error>>,
) -> impl futures_core::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    struct Chunks(std::vec::IntoIter<Result<Vec<u8>, std::io::Error>>);
    impl futures_core::Stream for Chunks {
        type Item = Result<Vec<u8>, std::io::Error>;
        fn poll_next(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Self::Item>> {
            std::task::Poll::Ready(self.0.next())
        }
    }
    Chunks(chunks.into_iter())
}
