//! What the web application's tests share: a node on a temporary SQLite store with one user
//! per role (password `PASSWORD`), served in-process, and a browser-like client that keeps its
//! session cookie and reads CSRF tokens out of pages.

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use liaison_core::CountryCode;
use liaison_server::AppState;
use liaison_server::auth::hash_token;
use liaison_store::{Role, Store};
use liaison_web::{PreviewFn, WebState};
use time::OffsetDateTime;
use time::macros::datetime;
use tower::ServiceExt;

pub const NOW: OffsetDateTime = datetime!(2026-11-28 08:00 UTC);
pub const PASSWORD: &str = "sahel-liaison-2026";
/// API tokens of the users, by name.
pub const USERS: [(&str, Role, &str); 4] = [
    ("amadou", Role::Analyst, "lsn_analyst"),
    ("root", Role::Admin, "lsn_admin"),
    ("awa", Role::Auditor, "lsn_auditor"),
    ("karim", Role::Liaison, "lsn_liaison"),
];

pub struct TestNode {
    pub app: Router,
    pub store: Store,
    pub _dir: tempfile::TempDir,
}

/// A node of member MLI with the four users; `preview` as the CLI would give it.
pub async fn node_with(preview: Option<PreviewFn>) -> TestNode {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}/t.db", dir.path().display()))
        .await
        .unwrap();
    // A fast hash is enough here; the real cost is the same code path.
    let phc = liaison_web::session::hash_password(PASSWORD, &[1; 32]).unwrap();
    for (name, role, token) in USERS {
        store
            .add_user(name, role, &hash_token(token), NOW)
            .await
            .unwrap();
        store.set_password_hash(name, &phc).await.unwrap();
    }
    let ids = Arc::new(AtomicU64::new(0));
    let app = AppState {
        store: store.clone(),
        member: CountryCode::parse("MLI").unwrap(),
        clock: Arc::new(|| NOW),
        new_id: Arc::new(move || format!("{:04}", ids.fetch_add(1, Ordering::SeqCst) + 1)),
    };
    let random = Arc::new(AtomicU64::new(0));
    let web = WebState {
        app: app.clone(),
        random: Arc::new(move || {
            let n = random.fetch_add(1, Ordering::SeqCst) + 1;
            let mut bytes = [0u8; 32];
            bytes[..8].copy_from_slice(&n.to_be_bytes());
            bytes
        }),
        secure_cookies: false,
        preview,
        throttle: Default::default(),
    };
    TestNode {
        app: liaison_server::app(app, liaison_web::router(web)),
        store,
        _dir: dir,
    }
}

pub async fn node() -> TestNode {
    node_with(None).await
}

/// An answer: status, headers, body as text.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn location(&self) -> &str {
        self.headers
            .get(LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// The value of the first `name="csrf"` hidden field of a page.
pub fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("no csrf field") + 19;
    html[at..].split('"').next().unwrap().to_owned()
}

/// A browser: its cookies, sent back on every request.
pub struct Client<'a> {
    pub node: &'a TestNode,
    pub cookies: Vec<(String, String)>,
    pub accept_language: &'a str,
}

impl<'a> Client<'a> {
    pub fn new(node: &'a TestNode) -> Client<'a> {
        Client {
            node,
            cookies: vec![],
            accept_language: "en",
        }
    }

    fn keep_cookies(&mut self, headers: &HeaderMap) {
        for v in headers.get_all(SET_COOKIE) {
            let v = v.to_str().unwrap();
            let (pair, attrs) = v.split_once(';').unwrap_or((v, ""));
            let (k, val) = pair.split_once('=').unwrap();
            self.cookies.retain(|(n, _)| n != k);
            if !attrs.contains("Max-Age=0") {
                self.cookies.push((k.to_owned(), val.to_owned()));
            }
        }
    }

    pub async fn send(&mut self, req: Request<Body>) -> Answer {
        let res = self.node.app.clone().oneshot(req).await.unwrap();
        let status = res.status();
        let headers = res.headers().clone();
        self.keep_cookies(&headers);
        let bytes = res.into_body().collect().await.unwrap().to_bytes();
        Answer {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    fn request(&self, method: &str, path: &str) -> axum::http::request::Builder {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header("host", "127.0.0.1:8080")
            .header("accept-language", self.accept_language);
        if !self.cookies.is_empty() {
            let c: Vec<String> = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            b = b.header(COOKIE, c.join("; "));
        }
        b
    }

    pub async fn get(&mut self, path: &str) -> Answer {
        let req = self.request("GET", path).body(Body::empty()).unwrap();
        self.send(req).await
    }

    /// Posts a form, urlencoded, as a browser on this site does.
    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Answer {
        let body: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(fields)
            .finish();
        let req = self
            .request("POST", path)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("origin", "http://127.0.0.1:8080")
            .body(Body::from(body))
            .unwrap();
        self.send(req).await
    }

    /// Signs in with the password; panics unless it worked.
    pub async fn sign_in(&mut self, name: &str) {
        let page = self.get("/ui/login").await;
        assert_eq!(page.status, StatusCode::OK);
        let csrf = csrf_of(&page.body);
        let done = self
            .post(
                "/ui/login",
                &[
                    ("csrf", &csrf),
                    ("next", "/ui/"),
                    ("name", name),
                    ("password", PASSWORD),
                ],
            )
            .await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
        assert!(self.cookies.iter().any(|(k, _)| k == "liaison_session"));
    }

    /// Gets a page that must answer 200 and returns its body.
    pub async fn page(&mut self, path: &str) -> String {
        let a = self.get(path).await;
        assert_eq!(a.status, StatusCode::OK, "GET {path}: {}", a.body);
        assert!(
            !a.body.contains('⟦'),
            "GET {path}: a message is missing from the catalogue:\n{}",
            a.body
        );
        a.body
    }
}

/// Records an incident through the JSON API as the analyst; returns its id.
pub async fn api_create(node: &TestNode, content: &serde_json::Value) -> String {
    let req = Request::builder()
        .method("POST")
        .uri("/api/v1/incidents")
        .header("authorization", "Bearer lsn_analyst")
        .header("content-type", "application/json")
        .body(Body::from(content.to_string()))
        .unwrap();
    let res = node.app.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    assert_eq!(
        status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&bytes)
    );
    let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    v["id"].as_str().unwrap().to_owned()
}

/// An incident's content as the API takes it.
pub fn content(
    title: &str,
    sub_type: &str,
    date: &str,
    at: (f64, f64),
    dead: u32,
) -> serde_json::Value {
    serde_json::json!({
        "title": title,
        "sub_type": sub_type,
        "date": {"start": date, "end": date, "precision": "day"},
        "location": {"point": {"lat": at.0, "lon": at.1}, "precision": "exact", "place_name": title},
        "casualties": {"fatalities": {"best": dead, "low": dead, "high": dead}},
        "sources": [{"name": "Gendarmerie nationale", "reliability": "B", "credibility": 2}],
    })
}

/// The store with MLI's node key as its ledger signer (the web state's own store has none), for
/// what needs the key: checkpoints, sign-offs.
pub fn signed(store: &Store) -> Store {
    let mut store = store.clone();
    let key = liaison_policy::NodeKey::from_secret([9; 32]);
    let public = *key.public().as_bytes();
    store.set_ledger_signer(liaison_store::LedgerSigner {
        member: "MLI".into(),
        origin: "liaison.test/MLI".into(),
        public_key: public,
        sign: Arc::new(move |m: &[u8]| key.sign(m)),
    });
    store
}
