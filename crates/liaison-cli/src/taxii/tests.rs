//! The TAXII client against this node's own server, in process: a remote node served on a
//! loopback port by `liaison_server::serve` in a task, a local node pulling from it. Paging
//! across objects that share a `date_added`, resuming by the saved `next` (nothing fetched
//! twice), an interrupted pull, a refused token, both kinds of credentials.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use liaison_core::CountryCode;
use liaison_server::AppState;
use liaison_server::auth::hash_token;
use liaison_server::taxii::check_object;
use liaison_store::{PullCursor, Role, Store, TaxiiCollection, TaxiiQuery, VersionMatch};
use serde_json::value::RawValue;
use time::OffsetDateTime;

use super::pull::{Auth, PullArgs, pull};
use crate::node::Node;

const TOKEN: &str = "lsn_remote_reader";
const REMOTE: &str = "11111111-2222-4333-8444-555555555555";

struct Remote {
    store: Store,
    url: String,
    _dir: tempfile::TempDir,
}

fn at(secs: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_717_200_000 + secs).unwrap()
}

async fn store_in(dir: &tempfile::TempDir) -> Store {
    Store::open(&format!("sqlite://{}/t.db", dir.path().display()))
        .await
        .unwrap()
}

async fn remote() -> Remote {
    let dir = tempfile::tempdir().unwrap();
    let store = store_in(&dir).await;
    store
        .add_user("reader", Role::Auditor, &hash_token(TOKEN), at(0))
        .await
        .unwrap();
    let c = TaxiiCollection {
        id: REMOTE.into(),
        title: "Remote incidents".into(),
        description: String::new(),
        read_only: true,
    };
    store.add_taxii_collection(&c, at(0)).await.unwrap();
    let counter = Arc::new(AtomicU64::new(0));
    let state = AppState {
        store: store.clone(),
        member: CountryCode::parse("NER").unwrap(),
        clock: Arc::new(|| at(0)),
        new_id: Arc::new(move || counter.fetch_add(1, Ordering::SeqCst).to_string()),
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/taxii2/", listener.local_addr().unwrap());
    tokio::spawn(liaison_server::serve(state, listener));
    Remote {
        store,
        url,
        _dir: dir,
    }
}

fn object(i: u32, modified: &str) -> String {
    format!(
        r#"{{"type":"note","spec_version":"2.1","id":"note--00000000-0000-4000-8000-{i:012}","created":"2024-01-01T00:00:00.000Z","modified":"{modified}","content":"note {i}","object_refs":["incident--00000000-0000-4000-8000-000000000001"]}}"#
    )
}

/// Adds objects `range` to the remote collection in one write (one shared `date_added`).
async fn add(r: &Remote, range: std::ops::Range<u32>, modified: &str, secs: i64) {
    let objs: Vec<_> = range
        .map(|i| {
            let raw: Box<RawValue> = serde_json::from_str(&object(i, modified)).unwrap();
            check_object(&raw).unwrap()
        })
        .collect();
    let mut w = r.store.taxii_write(REMOTE, at(secs)).await.unwrap();
    w.add(&objs).await.unwrap();
    w.commit().await.unwrap();
}

async fn local() -> (Node, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let node = Node {
        member: CountryCode::parse("MLI").unwrap(),
        store: store_in(&dir).await,
    };
    (node, dir)
}

fn args(r: &Remote, auth: Auth, limit: u32) -> PullArgs {
    PullArgs {
        url: r.url.clone(),
        collection: REMOTE.into(),
        auth,
        into: None,
        limit,
        max_pages: None,
    }
}

fn bearer() -> Auth {
    Auth::Bearer(TOKEN.into())
}

/// Every version held locally: (id, version) pairs and the texts.
async fn held(node: &Node, collection: &str) -> Vec<(String, String, String)> {
    let q = TaxiiQuery {
        versions: VersionMatch::all(),
        limit: 1_000,
        ..TaxiiQuery::default()
    };
    let page = node
        .store
        .taxii_objects(collection, &q, true)
        .await
        .unwrap();
    page.rows
        .into_iter()
        .map(|r| (r.object_id, r.version, r.doc))
        .collect()
}

#[tokio::test]
async fn pulls_everything_once_then_only_what_is_new() {
    let r = remote().await;
    add(&r, 0..250, "2024-02-01T00:00:00.000Z", 1).await;
    add(&r, 0..3, "2024-03-01T00:00:00.000Z", 2).await;
    let (node, _d) = local().await;

    let rep = pull(&node, &args(&r, bearer(), 7)).await.unwrap();
    assert_eq!(rep.resumed_from, "start");
    assert_eq!(
        (rep.fetched, rep.added, rep.unchanged, rep.refused),
        (253, 253, 0, 0)
    );
    assert_eq!(rep.pages, 37);
    assert!(rep.complete);
    assert!(rep.api_root.ends_with("/taxii2/liaison/"));
    let kept = held(&node, &rep.local_collection).await;
    assert_eq!(kept.len(), 253);
    assert_eq!(
        kept[0].2,
        object(0, "2024-02-01T00:00:00.000Z"),
        "kept verbatim"
    );
    let c = node
        .store
        .taxii_collection(&rep.local_collection)
        .await
        .unwrap();
    assert!(c.read_only);
    assert_eq!(c.title, "Pulled: Remote incidents");

    // Nothing new: resumed from the saved counter, nothing fetched.
    let again = pull(&node, &args(&r, bearer(), 7)).await.unwrap();
    assert_eq!(again.resumed_from, "next");
    assert_eq!((again.fetched, again.added), (0, 0));
    assert!(again.complete);
    assert_eq!(again.local_collection, rep.local_collection);

    // New objects and a new version: only they come.
    add(&r, 300..305, "2024-02-01T00:00:00.000Z", 3).await;
    add(&r, 0..1, "2024-04-01T00:00:00.000Z", 3).await;
    let more = pull(&node, &args(&r, bearer(), 7)).await.unwrap();
    assert_eq!((more.fetched, more.added, more.unchanged), (6, 6, 0));
    assert_eq!(held(&node, &rep.local_collection).await.len(), 259);
}

#[tokio::test]
async fn an_interrupted_pull_resumes_where_it_stopped() {
    let r = remote().await;
    add(&r, 0..100, "2024-02-01T00:00:00.000Z", 1).await;
    let (node, _d) = local().await;
    let mut a = args(&r, bearer(), 10);
    a.max_pages = Some(3);
    let first = pull(&node, &a).await.unwrap();
    assert_eq!((first.pages, first.added, first.complete), (3, 30, false));
    a.max_pages = None;
    let rest = pull(&node, &a).await.unwrap();
    assert_eq!(rest.resumed_from, "next");
    assert_eq!((rest.fetched, rest.added, rest.unchanged), (70, 70, 0));
    assert!(rest.complete);

    // A token the remote does not know: resumed by date (the boundary's objects again, held
    // already), nothing lost.
    let cursor = node
        .store
        .taxii_pull_cursor(&rest.api_root, REMOTE)
        .await
        .unwrap()
        .unwrap();
    let forged = PullCursor {
        next_token: Some("not-a-token".into()),
        complete: false,
        ..cursor
    };
    let mut w = node
        .store
        .taxii_write(&forged.local_collection, at(9))
        .await
        .unwrap();
    w.put_pull_cursor(&forged, at(9)).await.unwrap();
    w.commit().await.unwrap();
    add(&r, 200..202, "2024-02-01T00:00:00.000Z", 5).await;
    let after = pull(&node, &a).await.unwrap();
    assert_eq!(after.resumed_from, "added_after");
    assert_eq!(after.added, 2);
    assert_eq!(
        after.unchanged, 100,
        "the boundary's objects, fetched again, held already"
    );
    assert_eq!(held(&node, &after.local_collection).await.len(), 102);
}

#[tokio::test]
async fn credentials_and_targets() {
    let r = remote().await;
    add(&r, 0..5, "2024-02-01T00:00:00.000Z", 1).await;
    let (node, _d) = local().await;
    // Basic: the user's name and API token; the API root URL works as well as discovery.
    let mut a = args(
        &r,
        Auth::Basic {
            user: "reader".into(),
            password: TOKEN.into(),
        },
        100,
    );
    a.url = format!("{}liaison/", r.url);
    let into = super::add_collection(&node, "Mine", "", true)
        .await
        .unwrap();
    a.into = Some(into.clone());
    let rep = pull(&node, &a).await.unwrap();
    assert_eq!(
        (rep.added, rep.local_collection.as_str()),
        (5, into.as_str())
    );
    // Later pulls of that remote collection must go to the same place.
    a.into = Some(
        super::add_collection(&node, "Other", "", true)
            .await
            .unwrap(),
    );
    let e = pull(&node, &a).await.unwrap_err().to_string();
    assert!(e.contains("would split it"), "{e}");

    let (other, _d2) = local().await;
    for auth in [
        Auth::Bearer("lsn_wrong".into()),
        Auth::Basic {
            user: "someone".into(),
            password: TOKEN.into(),
        },
        Auth::None,
    ] {
        let e = pull(&other, &args(&r, auth, 10))
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("refused the credentials"), "{e}");
    }
    let mut missing = args(&r, bearer(), 10);
    missing.collection = "99999999-2222-4333-8444-555555555555".into();
    let e = pull(&other, &missing).await.unwrap_err().to_string();
    assert!(e.contains("no API root"), "{e}");
    missing.collection = "../x".into();
    assert!(pull(&other, &missing).await.is_err());
}
