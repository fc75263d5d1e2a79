//! Patrol sectors over the API, in process against a SQLite store: analysts and admins add
//! sectors (liaison officers and auditors are refused and nothing is kept), bad bodies keep
//! nothing and name the sector and field as the CLI does, the list carries contacts and
//! constraints, an unknown sector is the API's one 404, the allocation answers as `sectors
//! allocate --json` with its parameters checked, and sectors, operations and forces are logged
//! in the ledger. Also: an incident's detail names the operations it belongs to.
//!
//! The harness is `tests/api.rs`'s in miniature (that file is a test binary of its own, so its
//! helpers cannot be imported): tokens per role, a fixed clock, a counter for ids.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use liaison_core::CountryCode;
use liaison_server::auth::hash_token;
use liaison_server::{AppState, router};
use liaison_store::{Role, Store};
use serde_json::{Value, json};
use time::OffsetDateTime;
use time::macros::datetime;
use tower::ServiceExt;

const ANALYST: &str = "lsn_analyst_token";
const ADMIN: &str = "lsn_admin_token";
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
        ("root", Role::Admin, ADMIN),
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
    bytes: Vec<u8>,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.bytes)))
    }

    fn fields(&self) -> Vec<String> {
        self.json()["error"]["fields"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| f["field"].as_str().unwrap().to_owned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

async fn send(
    app: &Router,
    method: Method,
    uri: &str,
    token: &str,
    body: Option<&Value>,
) -> Answer {
    let b = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::AUTHORIZATION, format!("Bearer {token}"));
    let req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string()))
            .unwrap(),
        None => b.body(Body::empty()).unwrap(),
    };
    let resp = app.clone().oneshot(req).await.unwrap();
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap()
        .to_vec();
    Answer { status, bytes }
}

async fn get(app: &Router, uri: &str, token: &str) -> Answer {
    send(app, Method::GET, uri, token, None).await
}

async fn post(app: &Router, uri: &str, token: &str, body: &Value) -> Answer {
    send(app, Method::POST, uri, token, Some(body)).await
}

/// Kidal's corridor (in Mali, reaching Algeria) and Liptako-Gourma (a built-in zone).
fn two_sectors() -> Value {
    json!([
        {"id": "kidal", "name": "Kidal corridor",
         "polygons": [[[[0, 18], [4.5, 18], [4.5, 21.5], [0, 21.5], [0, 18]]]],
         "contacts": [{"name": "Intalla Ag Attaher", "role": "Tuareg elder",
                       "community": "Kel Adagh", "phone_or_channel": "HF 7.045 MHz"}]},
        {"id": "liptako", "name": "Liptako-Gourma", "zone": "liptako-gourma",
         "contacts": [{"name": "Mayor of Ménaka", "role": "mayor", "community": "Ménaka"}]}
    ])
}

async fn kinds(store: &Store) -> Vec<(String, String)> {
    let size = store.ledger_head().await.unwrap().size;
    store
        .ledger_entries(0, size)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.entry))
        .collect()
}

#[tokio::test]
async fn sectors_are_added_listed_and_shown() {
    let n = node().await;
    let r = post(&n.app, "/api/v1/sectors", ANALYST, &two_sectors()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
    let out = r.json();
    assert_eq!(out[0]["id"], "kidal");
    assert_eq!(out[0]["version"], 1);
    let countries: Vec<&str> = out[0]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(
        countries.contains(&"MLI") && countries.contains(&"DZA"),
        "{countries:?}"
    );
    assert_eq!(out[1]["id"], "liptako");

    // Every role reads them, contacts and the area copied from the zone included.
    for token in [LIAISON, AUDITOR] {
        let list = get(&n.app, "/api/v1/sectors", token).await;
        assert_eq!(list.status, StatusCode::OK);
        let list = list.json();
        let ids: Vec<&str> = list["sectors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, ["kidal", "liptako"]);
        assert_eq!(
            list["sectors"][0]["contacts"][0]["phone_or_channel"],
            "HF 7.045 MHz"
        );
        assert_eq!(list["sectors"][1]["area"]["type"], "zone");
        assert_eq!(list["constraints"], json!([]));
    }
    let one = get(&n.app, "/api/v1/sectors/kidal", AUDITOR).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["name"], "Kidal corridor");
    assert_eq!(one.json()["recorded_by"], "amadou");

    // A constraint shows in the list.
    n.store
        .set_member_constraint(
            &CountryCode::parse("DZA").unwrap(),
            &liaison_ops::sectors::Constraint::Sectors(vec!["kidal".into()]),
            NOW,
            "root",
        )
        .await
        .unwrap();
    let list = get(&n.app, "/api/v1/sectors", LIAISON).await.json();
    assert_eq!(list["constraints"][0]["member"], "DZA");
    assert_eq!(
        list["constraints"][0]["constraint"],
        json!({"sectors": ["kidal"]})
    );

    // Given again unchanged: the same version; one changed field: the next.
    let again = post(&n.app, "/api/v1/sectors", ADMIN, &two_sectors())
        .await
        .json();
    assert_eq!(again[0]["version"], 1);
    let mut changed = two_sectors();
    changed[0]["name"] = json!("Kidal–Tessalit corridor");
    let r = post(&n.app, "/api/v1/sectors", ADMIN, &changed[0]).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
    assert_eq!(r.json()[0]["version"], 2);

    // Three sector versions, three entries: the unchanged write logged nothing.
    let logged: Vec<_> = kinds(&n.store)
        .await
        .into_iter()
        .filter(|(k, _)| k == "sector_recorded")
        .collect();
    assert_eq!(logged.len(), 3, "{logged:?}");
    assert!(
        logged[2].1.contains(r#""sector_id":"kidal""#),
        "{}",
        logged[2].1
    );
    assert!(logged[2].1.contains(r#""version":2"#), "{}", logged[2].1);
    assert!(logged[2].1.contains(r#""by":"root""#), "{}", logged[2].1);
}

#[tokio::test]
async fn an_unknown_sector_is_the_apis_one_404() {
    let n = node().await;
    post(&n.app, "/api/v1/sectors", ANALYST, &two_sectors()).await;
    let missing = get(&n.app, "/api/v1/sectors/nowhere", LIAISON).await;
    let elsewhere = get(&n.app, "/api/v1/incidents/mli-9999", LIAISON).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.bytes, elsewhere.bytes, "the same bytes");
}

#[tokio::test]
async fn readers_may_not_add_sectors() {
    let n = node().await;
    for token in [LIAISON, AUDITOR] {
        let r = post(&n.app, "/api/v1/sectors", token, &two_sectors()).await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.json());
    }
    let list = get(&n.app, "/api/v1/sectors", ADMIN).await.json();
    assert_eq!(list["sectors"], json!([]), "nothing kept");
    assert!(
        kinds(&n.store)
            .await
            .iter()
            .all(|(k, _)| k != "sector_recorded"),
        "nothing logged"
    );
}

#[tokio::test]
async fn bad_bodies_keep_nothing_and_name_the_field() {
    let n = node().await;
    let cases: Vec<(Value, &str)> = vec![
        // The second sector is bad: the first is not kept either.
        (
            {
                let mut v = two_sectors();
                v[1]["contacts"][0]["role"] = json!(" ");
                v
            },
            "sectors[1].contacts[0].role",
        ),
        (
            {
                let mut v = two_sectors();
                v[0].as_object_mut().unwrap().remove("name");
                v
            },
            "sectors[0].name",
        ),
        (
            {
                let mut v = two_sectors();
                v[1]["zone"] = json!("atlantis");
                v
            },
            "sectors[1].zone",
        ),
        (
            {
                let mut v = two_sectors();
                v[0]["zone"] = json!("liptako-gourma");
                v
            },
            "sectors[0].zone",
        ),
        (
            {
                let mut v = two_sectors();
                v[0]["colour"] = json!("red");
                v
            },
            "sectors[0].colour",
        ),
        (
            {
                let mut v = two_sectors();
                v[1]["id"] = json!("kidal");
                v
            },
            "sectors[1].id",
        ),
        (
            {
                let mut v = two_sectors();
                v[0]["id"] = json!("has space");
                v
            },
            "sectors[0].id",
        ),
        (json!([]), "sectors"),
        (json!("kidal"), "sectors"),
        // One sector alone: its fields are named alone.
        (
            json!({"id": "x", "name": "", "polygons": [[[[0, 0], [1, 0], [1, 1], [0, 0]]]]}),
            "name",
        ),
    ];
    for (body, field) in cases {
        let r = post(&n.app, "/api/v1/sectors", ANALYST, &body).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}: {}",
            r.json()
        );
        assert!(
            r.fields().iter().any(|f| f == field),
            "{field} named: {}",
            r.json()
        );
    }
    let malformed = send(&n.app, Method::POST, "/api/v1/sectors", ANALYST, None).await;
    assert_eq!(malformed.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let list = get(&n.app, "/api/v1/sectors", ADMIN).await.json();
    assert_eq!(list["sectors"], json!([]), "nothing kept");
    assert_eq!(
        n.store.ledger_head().await.unwrap().size,
        0,
        "nothing logged"
    );
}

/// A force record of `member` with `committed` troops.
fn force(member: &str, committed: u32) -> liaison_ops::Force {
    serde_json::from_value(json!({"member": member, "unit_type": "infantry",
        "pledged": committed, "committed": committed, "deployed": 0,
        "as_of": "2012-01-01", "source": "test"}))
    .unwrap()
}

#[tokio::test]
async fn the_allocation_answers_as_the_cli_and_checks_its_parameters() {
    let n = node().await;
    // No sectors, no incidents: the window needs a last day.
    let r = get(&n.app, "/api/v1/sectors/allocation", LIAISON).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.fields(), ["until"]);

    post(&n.app, "/api/v1/sectors", ANALYST, &two_sectors()).await;
    let added = n
        .store
        .add_forces(&[force("MLI", 600), force("DZA", 300)], NOW, "root")
        .await
        .unwrap();
    assert_eq!(added, 2);
    // Two incidents near Kidal, in the window.
    for (i, day) in ["2012-01-10", "2012-01-20"].iter().enumerate() {
        let body = json!({
            "title": format!("Attack {i} near Kidal"),
            "sub_type": "armed_attack",
            "date": {"start": day, "end": day, "precision": "day"},
            "location": {"point": {"lat": 18.44, "lon": 1.41}, "precision": "exact"},
            "casualties": {"fatalities": {"best": 5, "low": 5, "high": 5}},
            "narrative": {"text": "Reported by the gendarmerie.", "lang": "en"},
        });
        let r = post(&n.app, "/api/v1/incidents", ANALYST, &body).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
    }

    let r = get(
        &n.app,
        "/api/v1/sectors/allocation?days=30&unit=100",
        AUDITOR,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.json());
    let a = r.json();
    assert_eq!(
        a["window"],
        json!({"from": "2011-12-22", "until": "2012-01-20", "days": 30})
    );
    let alloc = &a["allocation"];
    assert_eq!(alloc["unit_troops"], 100);
    assert_eq!(alloc["total_troops"], 900);
    let kidal = alloc["sectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["sector"] == "kidal")
        .unwrap();
    assert_eq!(kidal["load"]["incidents"], 2);
    assert_eq!(kidal["load"]["fatalities"], 10);
    assert!(
        kidal["explanation"]
            .as_str()
            .unwrap()
            .contains("Kidal corridor")
    );
    let placed: u64 = alloc["sectors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["allocated_troops"].as_u64().unwrap())
        .sum();
    assert_eq!(placed, 900, "every troop of a whole unit placed");
    // The busier sector gets more.
    assert!(
        kidal["allocated_troops"].as_u64().unwrap() >= 500,
        "{kidal}"
    );

    // A window ending before the incidents: no load, only the floor.
    let r = get(&n.app, "/api/v1/sectors/allocation?until=2011-06-01", ADMIN).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["window"]["days"], 90);
    assert!(
        r.json()["allocation"]["sectors"]
            .as_array()
            .unwrap()
            .iter()
            .all(|s| s["load"]["incidents"] == 0)
    );

    for (query, field) in [
        ("days=0", "days"),
        ("days=3661", "days"),
        ("days=ninety", "days"),
        ("unit=0", "unit"),
        ("unit=-5", "unit"),
        ("until=2012-02-30", "until"),
        ("until=yesterday", "until"),
        ("size=3", "size"),
        ("days=3&days=4", "days"),
    ] {
        let r = get(
            &n.app,
            &format!("/api/v1/sectors/allocation?{query}"),
            LIAISON,
        )
        .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.json());
        assert_eq!(r.fields(), [field], "{query}");
    }
}

#[tokio::test]
async fn operations_and_forces_are_logged_and_incidents_name_their_operations() {
    let n = node().await;
    let body = json!({
        "title": "Raid on a camp", "sub_type": "armed_attack",
        "date": {"start": "2011-06-09", "end": "2011-06-09", "precision": "day"},
        "location": {"point": {"lat": 14.3, "lon": -6.8}, "precision": "exact"},
        "narrative": {"text": "Reported by the army.", "lang": "en"},
    });
    let inc = post(&n.app, "/api/v1/incidents", ANALYST, &body).await;
    assert_eq!(inc.status, StatusCode::CREATED, "{}", inc.json());
    let inc_id = inc.json()["id"].as_str().unwrap().to_owned();
    // Unlinked: the detail is the incident as created, no `operations` key at all.
    let detail = get(&n.app, &format!("/api/v1/incidents/{inc_id}"), AUDITOR).await;
    assert_eq!(detail.json(), inc.json());

    let op = json!({"id": "wagadou", "member": "MLI", "participants": ["MRT"],
        "area": {"type": "bbox", "bbox": [-7.0, 14.0, -6.5, 14.5]},
        "from": "2011-06-09", "to": "2011-06-09", "kind": "raid",
        "objective": "a secret objective", "status": "completed"});
    let r = post(&n.app, "/api/v1/operations", ANALYST, &op).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
    // Unchanged: nothing recorded, nothing logged.
    post(&n.app, "/api/v1/operations", ANALYST, &op).await;
    n.store
        .add_forces(&[force("MLI", 600)], NOW, "root")
        .await
        .unwrap();
    // The same record again is held already: not logged twice.
    n.store
        .add_forces(&[force("MLI", 600)], NOW, "root")
        .await
        .unwrap();
    let logged = kinds(&n.store).await;
    let ops: Vec<_> = logged
        .iter()
        .filter(|(k, _)| k == "operation_recorded")
        .collect();
    assert_eq!(ops.len(), 1, "{logged:?}");
    assert!(ops[0].1.contains(r#""operation_id":"wagadou""#));
    assert!(ops[0].1.contains(r#""status":"completed""#));
    assert!(!ops[0].1.contains("secret"), "the objective is not logged");
    let forces: Vec<_> = logged
        .iter()
        .filter(|(k, _)| k == "force_recorded")
        .collect();
    assert_eq!(forces.len(), 1, "{logged:?}");
    assert!(forces[0].1.contains(r#""member":"MLI""#));
    // Each write's checkpoint covers its entries: the log verifies as a whole.
    let entries = n.store.ledger_entries(0, 100).await.unwrap();
    for e in &entries {
        liaison_ledger::Entry::decode(e.entry.as_bytes()).unwrap();
    }

    n.store
        .link_operation("wagadou", &inc_id, NOW, "root")
        .await
        .unwrap();
    let detail = get(&n.app, &format!("/api/v1/incidents/{inc_id}"), LIAISON)
        .await
        .json();
    assert_eq!(
        detail["operations"],
        json!([{"id": "wagadou", "member": "MLI", "kind": "raid", "status": "completed"}])
    );
    assert_eq!(detail["title"], "Raid on a camp", "still the incident");
}

#[tokio::test]
async fn the_openapi_document_describes_the_sector_endpoints() {
    let n = node().await;
    let doc = send(&n.app, Method::GET, "/api/openapi.json", ANALYST, None)
        .await
        .json();
    for path in [
        "/api/v1/sectors",
        "/api/v1/sectors/{id}",
        "/api/v1/sectors/allocation",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} documented");
    }
    assert!(doc["paths"]["/api/v1/sectors"]["post"].is_object());
}
