//! Federation in one process: N nodes, each a SQLite store with its own key, talking through
//! their federation routers called in process (no sockets, no sleeps) with a stepped clock.
//! Proves what issue 4 asks of the protocol: each recipient holds exactly what the agreements
//! allow, transformed; a recall is hidden and attested within one sync; every malicious-peer
//! case is refused, stores nothing and is logged.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::atomic::Ordering;

use axum::Router;
use liaison_core::{Incident, IncidentId, LocationPrecision};
use liaison_policy::NodeKey;
use liaison_sync::client::{RELEASES_COLLECTION, Transport, WireRequest, WireResponse, api_root};
use liaison_sync::httpsig::sign_request;
use serde_json::{Value, json};

mod common;
use common::*;

#[tokio::test]
async fn each_recipient_holds_exactly_what_the_agreements_allow_transformed() {
    let clock = Clock::new();
    let (mli, dza, ner) = three(&clock).await;
    for (a, b) in [
        (&dza, &mli),
        (&ner, &mli),
        (&ner, &dza),
        (&mli, &dza),
        (&mli, &ner),
        (&dza, &ner),
    ] {
        sync(a, b, &clock).await;
        clock.step(1);
    }
    let ids = |v: Vec<Incident>| {
        let mut ids: Vec<String> = v.iter().map(|i| i.id.to_string()).collect();
        ids.sort();
        ids
    };
    assert_eq!(ids(held(&dza).await), ["mli-1", "mli-2", "mli-3"]);
    assert_eq!(ids(held(&ner).await), ["dza-1", "mli-1", "mli-2", "mli-3"]);
    assert!(
        held(&mli).await.is_empty(),
        "Algeria and Niger release nothing to Mali"
    );

    // Mali's incidents arrive whole; Algeria's as its agreement with Niger says.
    let from_mli = ner
        .store
        .get_incident(&IncidentId::parse("mli-1").unwrap())
        .await
        .unwrap();
    assert_eq!(from_mli.content, content("Aguelhok", 18.4411, 1.4078));
    let from_dza = ner
        .store
        .get_incident(&IncidentId::parse("dza-1").unwrap())
        .await
        .unwrap();
    let loc = &from_dza.content.location;
    assert_eq!(loc.precision, LocationPrecision::Admin1);
    assert_eq!(loc.place_name, None);
    let p = loc.point.unwrap();
    assert_eq!(
        (p.lat, p.lon),
        (18.5, 1.5),
        "snapped to the centre of its 1° cell"
    );
    assert!(from_dza.content.narrative.is_none());
    assert_eq!(from_dza.content.sources.len(), 1);
    assert_ne!(from_dza.content.sources[0].name, "Gendarmerie report 17/01");
    assert_eq!(
        from_dza.content.sources[0].reliability,
        liaison_core::Reliability::B
    );

    // Disclosures were recorded by each originator, with the agreement and what it did.
    let d = dza.store.disclosures_of("dza-1").await.unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(
        (d[0].peer.as_str(), d[0].agreement.as_deref()),
        ("NER", Some("dza-ner"))
    );
    assert!(d[0].applied.contains("location"), "{}", d[0].applied);

    // A second sync changes nothing anywhere.
    let again = sync(&ner, &mli, &clock).await;
    assert_eq!((again.received.stored, again.received.unchanged), (0, 0));
    assert_eq!(ids(held(&ner).await).len(), 4);
}

#[tokio::test]
async fn a_recall_is_hidden_and_attested_within_one_sync() {
    let clock = Clock::new();
    let (mli, dza, ner) = three(&clock).await;
    sync(&dza, &mli, &clock).await;
    sync(&ner, &mli, &clock).await;
    clock.step(60);
    let current = mli
        .store
        .get_incident(&IncidentId::parse("mli-2").unwrap())
        .await
        .unwrap();
    let mut tombstone = current.clone();
    tombstone.version += 1;
    mli.store
        .recall_incident(&tombstone, "analyst", clock.now())
        .await
        .unwrap();
    clock.step(60);
    let r_dza = sync(&dza, &mli, &clock).await;
    let r_ner = sync(&ner, &mli, &clock).await;
    assert_eq!(
        (r_dza.received.hidden, r_dza.attestations_delivered),
        (1, 1)
    );
    assert_eq!(
        (r_ner.received.hidden, r_ner.attestations_delivered),
        (1, 1)
    );
    for n in [&dza, &ner] {
        assert!(
            n.store
                .get_incident(&IncidentId::parse("mli-2").unwrap())
                .await
                .is_err(),
            "{} still shows the recalled incident",
            n.member
        );
        let r = n.store.received("MLI", "mli-2").await.unwrap().unwrap();
        assert!(
            r.object.is_none() && r.recalled_at.is_some(),
            "content gone, fact kept"
        );
    }
    let att = mli.store.attestations_of("MLI", "mli-2").await.unwrap();
    let by: Vec<&str> = att.iter().map(|a| a.by_member.as_str()).collect();
    assert_eq!(by, ["DZA", "NER"]);
    assert!(att.iter().all(|a| a.version == 2));
    // The others are untouched, and a later sync does not bring the recalled one back.
    sync(&dza, &mli, &clock).await;
    assert_eq!(held(&dza).await.len(), 2);
}

/// A peer answering with crafted pages.
struct Forged(Vec<u8>);

impl Transport for Forged {
    async fn send(&self, _req: WireRequest) -> Result<WireResponse, String> {
        Ok(WireResponse {
            status: 200,
            headers: Vec::new(),
            body: self.0.clone(),
            wire_bytes: self.0.len(),
        })
    }
}

#[tokio::test]
async fn forged_misaddressed_and_oversized_pages_are_refused_and_nothing_is_stored() {
    let clock = Clock::new();
    let (mli, dza, ner) = three(&clock).await;
    // A genuine page, as Mali would serve it to Algeria.
    let ring = keyring(&mli).await;
    let policy = liaison_policy::Policy::compile(
        &mli.member,
        &[serde_json::from_str(&mli.store.agreements().await.unwrap()[0].doc).unwrap()],
    )
    .unwrap();
    let egress = liaison_sync::egress::Egress {
        store: &mli.store,
        own: &mli.member,
        key: &mli.key,
        cursor_key: &liaison_sync::cursor::CursorKey::derive(&mli.key),
        policy: &policy,
        keyring: &ring,
    };
    let page = egress.preview(&dza.member, clock.now()).await.unwrap();
    let good: Vec<Value> = page.iter().map(|r| r.sealed().object().clone()).collect();
    let envelope = |objects: Vec<Value>| {
        serde_json::to_vec(&json!({"more": false, "objects": objects})).unwrap()
    };

    // 1. A byte changed after signing.
    let mut tampered = good.clone();
    tampered[0]["name"] = json!("Somewhere else");
    // 2. Signed by a key that is not Mali's registered key (a forger claiming to be Mali).
    let forger = NodeKey::from_secret([9; 32]);
    let mut forged = good.clone();
    let ext = liaison_stix::EXTENSION_ID;
    forged[0]["extensions"][ext]["signature"]["key"] = json!(forger.public().fingerprint());
    // 3. Addressed to Niger, replayed to Algeria.
    let for_ner: Vec<Value> = egress
        .preview(&ner.member, clock.now())
        .await
        .unwrap()
        .iter()
        .map(|r| r.sealed().object().clone())
        .collect();
    // 4. Algeria's own incident coming back (signed by Algeria, addressed to Algeria).
    for (name, body) in [
        ("tampered", envelope(tampered)),
        ("unknown key", envelope(forged)),
        ("misaddressed", envelope(for_ner)),
        ("not JSON", b"<html>".to_vec()),
        ("oversized", vec![b' '; liaison_stix::MAX_BUNDLE_BYTES + 1]),
    ] {
        let before = dza.store.sync_state("MLI").await.unwrap();
        let err = sync_via(&dza, &mli, &Forged(body), &clock).await;
        assert!(err.is_err(), "{name} accepted");
        assert!(held(&dza).await.is_empty(), "{name}: something was stored");
        let after = dza.store.sync_state("MLI").await.unwrap();
        assert_eq!(after.cursor, before.cursor, "{name}: the cursor moved");
        assert!(
            after.last_error.is_some(),
            "{name}: the failure is not recorded"
        );
    }
    let logged = dza.store.refusals(50).await.unwrap();
    assert!(logged.len() >= 3, "refusals logged: {logged:?}");
    // The genuine page is then accepted.
    sync_via(&dza, &mli, &Forged(envelope(good)), &clock)
        .await
        .unwrap();
    assert_eq!(
        held(&dza).await.len(),
        3,
        "the whole genuine preview is stored"
    );
}

/// Sends a request signed as `as_member` with `key` to `app`, returning status and body.
async fn signed(
    app: &Router,
    method: &str,
    target: (&str, &str),
    body: &[u8],
    caller: (&str, &NodeKey),
    at: i64,
) -> (u16, Vec<u8>, WireRequest) {
    let ((path, query), (as_member, key)) = (target, caller);
    let h = sign_request(method, path, query, body, &code(as_member), key, at);
    let req = WireRequest {
        method: if method == "GET" { "GET" } else { "POST" },
        path: path.to_owned(),
        query: query.to_owned(),
        headers: vec![
            ("signature-input".into(), h.signature_input),
            ("signature".into(), h.signature),
            ("content-digest".into(), h.content_digest),
            ("liaison-peer".into(), h.peer),
        ],
        body: body.to_vec(),
    };
    let r = InProcess(app).send(req.clone()).await.unwrap();
    (r.status, r.body, req)
}

#[tokio::test]
async fn malicious_requests_are_refused_without_revealing_anything() {
    let clock = Clock::new();
    let (mli, dza, _ner) = three(&clock).await;
    let now = clock.now().unix_timestamp();
    let objects = |root: &str| format!("{root}collections/{RELEASES_COLLECTION}/objects/");
    let own = objects(&api_root(&dza.member));

    // The genuine request works.
    let (status, _, genuine) =
        signed(&mli.app, "GET", (&own, ""), b"", ("DZA", &dza.key), now).await;
    assert_eq!(status, 200);
    // Replayed as is: refused.
    let replay = InProcess(&mli.app).send(genuine).await.unwrap();
    assert_eq!(replay.status, 401);
    // An unregistered key claiming to be Algeria; a member that is not a peer.
    let stranger = NodeKey::from_secret([42; 32]);
    let (s1, b1, _) = signed(&mli.app, "GET", (&own, ""), b"", ("DZA", &stranger), now).await;
    let (s2, b2, _) = signed(
        &mli.app,
        "GET",
        (&objects("/taxii2/peer-tcd/"), ""),
        b"",
        ("TCD", &stranger),
        now,
    )
    .await;
    assert_eq!((s1, s2), (401, 401));
    assert_eq!(b1, b2, "the same answer whoever is refused");
    // Algeria asking for Niger's root, and for a root nobody has: the same 404.
    let (s3, b3, _) = signed(
        &mli.app,
        "GET",
        (&objects(&api_root(&code("NER"))), ""),
        b"",
        ("DZA", &dza.key),
        now + 1,
    )
    .await;
    let (s4, b4, _) = signed(
        &mli.app,
        "GET",
        (&objects("/taxii2/peer-zzz/"), ""),
        b"",
        ("DZA", &dza.key),
        now + 2,
    )
    .await;
    assert_eq!((s3, s4), (404, 404));
    assert_eq!(b3, b4);
    // A tampered cursor.
    let (s5, _, _) = signed(
        &mli.app,
        "GET",
        (&own, "?next=MS5hYmNkLjMuMDA"),
        b"",
        ("DZA", &dza.key),
        now + 3,
    )
    .await;
    assert_eq!(s5, 400);
    // A signature from too long ago.
    let (s6, _, _) = signed(
        &mli.app,
        "GET",
        (&own, ""),
        b"",
        ("DZA", &dza.key),
        now - 3_600,
    )
    .await;
    assert_eq!(s6, 401);
    // An oversized delivery to the inbox.
    let inbox = format!(
        "{}collections/{}/objects/",
        api_root(&dza.member),
        liaison_sync::client::INBOX_COLLECTION
    );
    let big = vec![b' '; liaison_server::federation::MAX_INBOX_BYTES + 1];
    let (s7, _, _) = signed(
        &mli.app,
        "POST",
        (&inbox, ""),
        &big,
        ("DZA", &dza.key),
        now + 4,
    )
    .await;
    assert_eq!(s7, 413);
    // Each refusal was logged with its reason (never the content).
    let logged = mli.store.refusals(50).await.unwrap();
    assert!(logged.len() >= 6, "{logged:?}");
    assert!(
        mli.store.disclosures_of("mli-1").await.unwrap().len() == 1,
        "only the genuine request disclosed"
    );
}

#[tokio::test]
async fn an_interrupted_sync_resumes_without_loss_or_duplicates() {
    let clock = Clock::new();
    let (mli, dza, _ner) = three(&clock).await;

    /// Fails every request after the first `ok` ones.
    struct Flaky<'a> {
        inner: InProcess<'a>,
        ok: std::sync::atomic::AtomicUsize,
    }
    impl Transport for Flaky<'_> {
        async fn send(&self, req: WireRequest) -> Result<WireResponse, String> {
            if self.ok.fetch_sub(1, Ordering::SeqCst) == 0 {
                self.ok.store(0, Ordering::SeqCst);
                return Err("connection reset".into());
            }
            self.inner.send(req).await
        }
    }
    let flaky = Flaky {
        inner: InProcess(&mli.app),
        ok: std::sync::atomic::AtomicUsize::new(1),
    };
    let err = sync_via(&dza, &mli, &flaky, &clock).await;
    assert!(err.is_err());
    assert_eq!(
        held(&dza).await.len(),
        2,
        "the first page (2 objects) was kept"
    );
    let state = dza.store.sync_state("MLI").await.unwrap();
    assert!(state.last_error.unwrap().contains("connection reset"));
    clock.step(5);
    let done = sync(&dza, &mli, &clock).await;
    assert_eq!(done.received.stored, 1, "only what was missing");
    assert_eq!(held(&dza).await.len(), 3);
    assert!(
        dza.store
            .sync_state("MLI")
            .await
            .unwrap()
            .last_error
            .is_none()
    );
}
