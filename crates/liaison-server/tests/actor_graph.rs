//! `GET /api/v1/actors/{id}/graph` in process: AQIM's neighbourhood as Cytoscape.js JSON and as
//! GraphML, with the brief's relations and a co-occurrence counted from a stored incident; depth
//! bounded; unknown actors answered with the API's one 404; bad parameters a 400 naming them.
//! The harness is a trimmed copy of `api.rs`'s.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use liaison_core::{Actor, CountryCode};
use liaison_server::auth::hash_token;
use liaison_server::{AppState, router};
use liaison_store::{Role, Store};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;
use tower::ServiceExt;

const ANALYST: &str = "lsn_analyst_token";
const LIAISON: &str = "lsn_liaison_token";
const NOW: OffsetDateTime = datetime!(2013-02-01 09:30 UTC);

async fn node() -> (Router, Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}/t.db", dir.path().display()))
        .await
        .unwrap();
    for (name, role, tok) in [
        ("amadou", Role::Analyst, ANALYST),
        ("karim", Role::Liaison, LIAISON),
    ] {
        store
            .add_user(name, role, &hash_token(tok), NOW)
            .await
            .unwrap();
    }
    let counter = Arc::new(AtomicU64::new(0));
    let state = AppState {
        store: store.clone(),
        member: CountryCode::parse("MLI").unwrap(),
        clock: Arc::new(|| NOW),
        new_id: Arc::new(move || format!("{:04}", counter.fetch_add(1, Ordering::SeqCst) + 1)),
    };
    let actors: Vec<Actor> = serde_json::from_value(json!([
        {"id": "s:aqim", "kind": "armed_group", "name": "AQIM", "relations": [
            {"kind": "cooperates_with", "actor": "s:colombians", "from": "2010-10-21",
             "until": "2010-10-31", "source": "brief, opening section <endnote 1>",
             "reliability": "B", "credibility": 2}]},
        {"id": "s:targui", "kind": "person", "name": "Abdelkarim Targui", "relations": [
            {"kind": "part_of", "actor": "s:aqim"}]},
        {"id": "s:colombians", "kind": "criminal_network", "name": "Colombian drug traffickers"},
        {"id": "s:far", "kind": "person", "name": "Far", "relations": [
            {"kind": "trains", "actor": "s:targui"}]},
    ]))
    .unwrap();
    store.put_actors(&actors).await.unwrap();
    (router(state), store, dir)
}

struct Answer {
    status: StatusCode,
    content_type: String,
    bytes: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap()
    }
}

async fn send(
    app: &Router,
    method: &str,
    uri: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Answer {
    let mut b = Request::builder().method(method).uri(uri);
    if let Some(t) = token {
        b = b.header(header::AUTHORIZATION, format!("Bearer {t}"));
    }
    let req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    };
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let content_type = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Answer {
        status,
        content_type,
        bytes,
    }
}

async fn get(app: &Router, uri: &str) -> Answer {
    send(app, "GET", uri, Some(ANALYST), None).await
}

#[tokio::test]
async fn the_neighbourhood_in_json_and_graphml() {
    let (app, _store, _dir) = node().await;
    // An incident naming AQIM and the traffickers together adds a co-occurrence edge.
    let created = send(
        &app,
        "POST",
        "/api/v1/incidents",
        Some(ANALYST),
        Some(json!({
            "title": "Summit",
            "sub_type": "armed_group_meeting",
            "date": {"start": "2010-10-25", "end": "2010-10-25", "precision": "day"},
            "location": {"point": {"lat": 16.27, "lon": -0.04}, "precision": "exact"},
            "actors": [
                {"name": "AQIM", "role": "participant", "actor_id": "s:aqim"},
                {"name": "traffickers", "role": "participant", "actor_id": "s:colombians"}],
        })),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.json());

    let a = get(&app, "/api/v1/actors/s:aqim/graph?depth=1").await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.content_type.starts_with("application/json"),
        "{}",
        a.content_type
    );
    let doc = a.json();
    assert_eq!(doc["root"], "s:aqim");
    let nodes: Vec<&str> = doc["elements"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["data"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(nodes, ["s:aqim", "s:colombians", "s:targui"]);
    let kinds: Vec<(&str, &str, u64)> = doc["elements"]["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let d = &e["data"];
            (
                d["kind"].as_str().unwrap(),
                d["target"].as_str().unwrap(),
                d["weight"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("cooperates_with", "s:colombians", 1),
            ("co_occurs", "s:colombians", 1),
            ("part_of", "s:aqim", 1)
        ]
    );
    // Depth 2 reaches the trainer of Targui; the default depth is 2, and a liaison officer reads it too.
    let two = send(
        &app,
        "GET",
        "/api/v1/actors/s:aqim/graph",
        Some(LIAISON),
        None,
    )
    .await;
    assert_eq!(two.status, StatusCode::OK);
    assert_eq!(two.json()["elements"]["nodes"].as_array().unwrap().len(), 4);

    let x = get(&app, "/api/v1/actors/s:aqim/graph?depth=1&format=graphml").await;
    assert_eq!(x.status, StatusCode::OK);
    assert_eq!(x.content_type, "application/graphml+xml; charset=utf-8");
    let xml = String::from_utf8(x.bytes).unwrap();
    assert!(
        xml.starts_with("<?xml") && xml.trim_end().ends_with("</graphml>"),
        "{xml}"
    );
    assert!(xml.contains("opening section &lt;endnote 1&gt;"), "{xml}");
    assert_eq!(xml.matches("<edge ").count(), 3);
}

#[tokio::test]
async fn unknown_actors_404_and_bad_parameters_400_by_name() {
    let (app, _store, _dir) = node().await;
    let other_404 = get(&app, "/api/v1/incidents/nope").await;
    assert_eq!(other_404.status, StatusCode::NOT_FOUND);
    for uri in [
        "/api/v1/actors/s:nobody/graph",
        "/api/v1/actors/not%20an%20id/graph?depth=2",
    ] {
        let a = get(&app, uri).await;
        assert_eq!(a.status, StatusCode::NOT_FOUND, "{uri}");
        assert_eq!(a.bytes, other_404.bytes, "{uri}");
    }
    for (query, field) in [
        ("depth=0", "depth"),
        ("depth=5", "depth"),
        ("depth=two", "depth"),
        ("format=svg", "format"),
        ("depth=1&depth=2", "depth"),
        ("deep=2", "deep"),
    ] {
        let a = get(&app, &format!("/api/v1/actors/s:aqim/graph?{query}")).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{query}");
        let body = a.json();
        assert_eq!(
            body["error"]["fields"][0]["field"], field,
            "{query}: {body}"
        );
    }
    let unauthenticated = send(&app, "GET", "/api/v1/actors/s:aqim/graph", None, None).await;
    assert_eq!(unauthenticated.status, StatusCode::UNAUTHORIZED);
}
