//! The actor review and merge endpoints end to end, in process (the harness is `tests/api.rs`'s,
//! copied): every role reads, only analysts and admins decide; proposals accepted and rejected
//! (once only), a merge shown with its aliases' provenance and split back, and bad input answered
//! with the field named.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use liaison_core::date::parse_iso_date;
use liaison_core::{
    Actor, ActorId, ActorKind, ActorRole, Alias, Casualties, CountryCode, DatePrecision, DateSpan,
    Incident, IncidentActor, IncidentContent, IncidentId, Location, LocationPrecision, Markings,
    SubType,
};
use liaison_server::auth::hash_token;
use liaison_server::{AppState, router};
use liaison_store::{NewNameLink, Role, Store};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;
use tower::ServiceExt;

const ANALYST: &str = "lsn_analyst_token";
const AUDITOR: &str = "lsn_auditor_token";
const LIAISON: &str = "lsn_liaison_token";
const NOW: OffsetDateTime = datetime!(2013-02-01 09:30 UTC);

struct Node {
    app: Router,
    store: Store,
    _dir: tempfile::TempDir,
}

async fn node() -> Node {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&format!("sqlite://{}/t.db", dir.path().display()))
        .await
        .unwrap();
    for (name, role, tok) in [
        ("amadou", Role::Analyst, ANALYST),
        ("awa", Role::Auditor, AUDITOR),
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
    Node {
        app: router(state),
        store,
        _dir: dir,
    }
}

struct Answer {
    status: StatusCode,
    json: Value,
}

impl Answer {
    fn fields(&self) -> Vec<String> {
        self.json["error"]["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| f["field"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

async fn send(app: &Router, method: Method, uri: &str, token: &str, body: Option<Value>) -> Answer {
    let mut b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    let req = match body {
        Some(v) => {
            b = b.header(header::CONTENT_TYPE, "application/json");
            b.body(Body::from(v.to_string())).unwrap()
        }
        None => b.body(Body::empty()).unwrap(),
    };
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    let json = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&bytes)));
    Answer { status, json }
}

fn actor(id: &str, name: &str, alias: &str, source: &str) -> Actor {
    Actor {
        id: ActorId::parse(id).unwrap(),
        kind: ActorKind::ArmedGroup,
        name: name.into(),
        aliases: vec![Alias::new(alias, Some(source))],
        country: None,
        ucdp_id: None,
        description: None,
        source: Some(source.into()),
        reliability: None,
        credibility: None,
        relations: vec![],
    }
}

/// Two records of AQIM from two sources, and an incident naming it by a name only, with two
/// proposals recorded as the link pass would.
async fn seed(store: &Store) {
    store
        .put_actor(&actor(
            "x:aqim",
            "Al Qaeda in the Islamic Maghreb",
            "AQIM",
            "scenario",
        ))
        .await
        .unwrap();
    store
        .put_actor(&actor(
            "ucdp-actor:539",
            "AQIM",
            "تنظيم القاعدة في بلاد المغرب الإسلامي",
            "UCDP actor list v22.1",
        ))
        .await
        .unwrap();
    let start = parse_iso_date("2012-04-01").unwrap();
    let content = IncidentContent {
        title: "Attack".into(),
        sub_type: SubType::ArmedClash,
        date: DateSpan {
            start,
            end: start,
            precision: DatePrecision::Day,
        },
        location: Location {
            point: None,
            precision: LocationPrecision::Country,
            place_name: None,
            admin1: None,
            admin2: None,
            country: Some(CountryCode::parse("MLI").unwrap()),
            coordinates_country: None,
        },
        actors: ["AQMI", "Al-Qaida au Maghreb"]
            .iter()
            .map(|n| IncidentActor {
                name: (*n).into(),
                role: ActorRole::Perpetrator,
                actor_id: None,
            })
            .collect(),
        casualties: Casualties::default(),
        narrative: None,
        sources: vec![],
        markings: Markings::open(),
        provenance: None,
    };
    let inc = Incident::new(
        IncidentId::parse("mli-1").unwrap(),
        CountryCode::parse("MLI").unwrap(),
        1,
        content,
    );
    store.create_incident(&inc, "amadou", NOW).await.unwrap();
    let proposal = |name: &str| NewNameLink {
        incident_id: IncidentId::parse("mli-1").unwrap(),
        actor_name: name.into(),
        actor_id: ActorId::parse("x:aqim").unwrap(),
        linked: false,
        matched: "AQIM".into(),
        score: 0.7,
        reasons: json!({"explanation": "AQMI = AQIM"}),
    };
    store
        .record_name_links(
            &[proposal("AQMI"), proposal("Al-Qaida au Maghreb")],
            "link-pass",
            NOW,
        )
        .await
        .unwrap();
}

#[tokio::test]
async fn proposals_are_read_by_all_and_decided_by_analysts_once() {
    let n = node().await;
    seed(&n.store).await;
    let list = send(&n.app, Method::GET, "/api/v1/actors/review", AUDITOR, None).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.json);
    let rows = list.json.as_array().unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["status"], "proposed");
    assert_eq!(rows[0]["reasons"]["explanation"], "AQMI = AQIM");
    let (first, second) = (
        rows[0]["id"].as_i64().unwrap(),
        rows[1]["id"].as_i64().unwrap(),
    );

    let accept = format!("/api/v1/actors/review/{first}/accept");
    let denied = send(&n.app, Method::POST, &accept, AUDITOR, None).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    let ok = send(&n.app, Method::POST, &accept, ANALYST, None).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.json);
    assert_eq!(ok.json["status"], "linked");
    assert_eq!(ok.json["method"], "accepted");
    assert_eq!(ok.json["decided_by"], "amadou");
    assert_eq!(ok.json["decided_at"], "2013-02-01T09:30:00Z");
    let twice = send(&n.app, Method::POST, &accept, ANALYST, None).await;
    assert_eq!(twice.status, StatusCode::CONFLICT, "{}", twice.json);
    let missing = send(
        &n.app,
        Method::POST,
        "/api/v1/actors/review/999/accept",
        ANALYST,
        None,
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    let reject = format!("/api/v1/actors/review/{second}/reject");
    let unknown = send(
        &n.app,
        Method::POST,
        &reject,
        ANALYST,
        Some(json!({"actor": "x:nobody"})),
    )
    .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST, "{}", unknown.json);
    assert_eq!(unknown.fields(), ["actor"]);
    let malformed = send(
        &n.app,
        Method::POST,
        &reject,
        ANALYST,
        Some(json!({"actor": "not an id"})),
    )
    .await;
    assert_eq!(malformed.fields(), ["actor"], "{}", malformed.json);
    let rejected = send(&n.app, Method::POST, &reject, ANALYST, Some(json!({}))).await;
    assert_eq!(rejected.status, StatusCode::OK, "{}", rejected.json);
    assert_eq!(rejected.json["status"], "rejected");
    assert!(rejected.json.get("actor_id").is_none());

    let all = send(
        &n.app,
        Method::GET,
        "/api/v1/actors/review?status=all",
        LIAISON,
        None,
    )
    .await;
    assert_eq!(all.json.as_array().unwrap().len(), 2);
    let bad = send(
        &n.app,
        Method::GET,
        "/api/v1/actors/review?status=maybe",
        LIAISON,
        None,
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.fields(), ["status"]);
}

#[tokio::test]
async fn merges_are_shown_with_provenance_and_split_back() {
    let n = node().await;
    seed(&n.store).await;
    let merges = "/api/v1/actors/merges";
    let body = json!({"keep": "x:aqim", "other": "ucdp-actor:539", "reason": "one group"});
    let denied = send(&n.app, Method::POST, merges, LIAISON, Some(body.clone())).await;
    assert_eq!(denied.status, StatusCode::FORBIDDEN);
    for (bad, field) in [
        (
            json!({"keep": "x:aqim", "other": "x:aqim", "reason": "r"}),
            "other",
        ),
        (
            json!({"keep": "x:nobody", "other": "x:aqim", "reason": "r"}),
            "keep",
        ),
        (
            json!({"keep": "x:aqim", "other": "bad id", "reason": "r"}),
            "other",
        ),
        (
            json!({"keep": "x:aqim", "other": "ucdp-actor:539", "reason": " "}),
            "reason",
        ),
    ] {
        let a = send(&n.app, Method::POST, merges, ANALYST, Some(bad.clone())).await;
        assert!(a.status.is_client_error(), "{bad}: {}", a.json);
        assert_eq!(a.fields(), [field], "{bad}: {}", a.json);
    }

    let before = send(
        &n.app,
        Method::GET,
        "/api/v1/actors/x:aqim/merges",
        AUDITOR,
        None,
    )
    .await;
    assert_eq!(before.status, StatusCode::OK, "{}", before.json);
    let made = send(&n.app, Method::POST, merges, ANALYST, Some(body.clone())).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.json);
    assert_eq!(made.json["standing"], true);
    assert_eq!(made.json["merged_by"], "amadou");
    let id = made.json["id"].as_i64().unwrap();
    let again = send(&n.app, Method::POST, merges, ANALYST, Some(body)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.json);

    let shown = send(
        &n.app,
        Method::GET,
        "/api/v1/actors/x:aqim/merges",
        LIAISON,
        None,
    )
    .await;
    let aliases = shown.json["aliases"].as_array().unwrap();
    let from_ucdp: Vec<(&str, &str, &str)> = aliases
        .iter()
        .filter(|a| a["from_actor"] == "ucdp-actor:539")
        .map(|a| {
            (
                a["name"].as_str().unwrap(),
                a["script"].as_str().unwrap(),
                a["source"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        from_ucdp,
        [
            ("AQIM", "latin", "UCDP actor list v22.1"),
            (
                "تنظيم القاعدة في بلاد المغرب الإسلامي",
                "arabic",
                "UCDP actor list v22.1"
            ),
        ]
    );
    let other = send(
        &n.app,
        Method::GET,
        "/api/v1/actors/ucdp-actor:539/merges",
        AUDITOR,
        None,
    )
    .await;
    assert_eq!(other.json["merged_into"]["keep"], "x:aqim");

    let split = format!("/api/v1/actors/merges/{id}/split");
    let s = send(
        &n.app,
        Method::POST,
        &split,
        ANALYST,
        Some(json!({"reason": "two groups"})),
    )
    .await;
    assert_eq!(s.status, StatusCode::OK, "{}", s.json);
    assert_eq!(s.json["standing"], false);
    assert_eq!(s.json["split_reason"], "two groups");
    let twice = send(&n.app, Method::POST, &split, ANALYST, Some(json!({}))).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    let after = send(
        &n.app,
        Method::GET,
        "/api/v1/actors/x:aqim/merges",
        AUDITOR,
        None,
    )
    .await;
    assert_eq!(after.json["aliases"], before.json["aliases"]);
    assert_eq!(after.json["merges"].as_array().unwrap().len(), 1);
    let missing = send(
        &n.app,
        Method::GET,
        "/api/v1/actors/x:nobody/merges",
        AUDITOR,
        None,
    )
    .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_endpoints_are_documented() {
    let n = node().await;
    let doc = send(&n.app, Method::GET, "/api/openapi.json", AUDITOR, None).await;
    let paths = doc.json["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/actors/review", "get"),
        ("/api/v1/actors/review/{id}/accept", "post"),
        ("/api/v1/actors/review/{id}/reject", "post"),
        ("/api/v1/actors/merges", "post"),
        ("/api/v1/actors/merges/{id}/split", "post"),
        ("/api/v1/actors/{id}/merges", "get"),
    ] {
        assert!(paths[path][method].is_object(), "{path} {method} missing");
    }
}
