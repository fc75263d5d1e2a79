//! Onward release in one process: Mali's agreement with Algeria and Niger allows onward release;
//! Niger does not sync with Mali, only with Algeria, and receives Mali's incidents from Algeria
//! unchanged, Mali's signature intact. When Mali recalls one, Algeria hides it and passes the
//! recall on to Niger, which hides it too and attests to Mali through Algeria.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::IncidentId;
use serde_json::json;

mod common;
use common::*;

#[tokio::test]
async fn relayed_incidents_arrive_signed_by_their_originator() {
    let clock = Clock::new();
    let (mli, dza, ner) = (
        node("MLI", 1, &clock).await,
        node("DZA", 2, &clock).await,
        node("NER", 3, &clock).await,
    );
    mesh(&[&mli, &dza, &ner], &clock).await;
    agree(
        &mli,
        json!({"id": "mli-onward", "originator": "MLI", "recipients": ["DZA", "NER"],
        "title": "Mali shares with Algeria and Niger, onward release allowed",
        "onward_release": true}),
        &clock,
    )
    .await;
    incident(&mli, "mli-1", "Aguelhok", &clock).await;
    incident(&mli, "mli-2", "Tessalit", &clock).await;
    sync(&dza, &mli, &clock).await;
    clock.step(5);
    // Niger pulls from Algeria only.
    let r = sync(&ner, &dza, &clock).await;
    assert_eq!(r.received.stored, 2, "{r:?}");
    let got = ner
        .store
        .get_incident(&IncidentId::parse("mli-1").unwrap())
        .await
        .unwrap();
    assert_eq!(got.originator.as_str(), "MLI");
    let held = ner.store.received("MLI", "mli-1").await.unwrap().unwrap();
    assert_eq!(held.from_peer, "DZA");
    // Algeria disclosed the relays; Mali disclosed to Algeria only.
    let relays = dza.store.disclosures_of("mli-1").await.unwrap();
    assert_eq!(relays.len(), 1);
    assert_eq!(
        (relays[0].peer.as_str(), relays[0].kind.as_str()),
        ("NER", "relay")
    );
    assert_eq!(mli.store.disclosed_peers("mli-1").await.unwrap(), ["DZA"]);

    // A relay that changed a byte would break Mali's seal: Niger holds exactly Mali's object.
    let from_mli = dza.store.received("MLI", "mli-1").await.unwrap().unwrap();
    assert_eq!(held.object_sha256, from_mli.object_sha256);

    // Mali recalls mli-1. Algeria hides it at its next sync with Mali and, at its next sync with
    // Niger, passes the recall on; Niger hides it and attests to Mali at its next sync with Mali.
    clock.step(60);
    let mut tombstone = mli
        .store
        .get_incident(&IncidentId::parse("mli-1").unwrap())
        .await
        .unwrap();
    tombstone.version += 1;
    mli.store
        .recall_incident(&tombstone, "analyst", clock.now())
        .await
        .unwrap();
    clock.step(60);
    let r = sync(&dza, &mli, &clock).await;
    assert_eq!(r.received.hidden, 1);
    let r = sync(&dza, &ner, &clock).await;
    assert_eq!(r.recalls_relayed, 1, "{r:?}");
    assert!(
        ner.store
            .get_incident(&IncidentId::parse("mli-1").unwrap())
            .await
            .is_err(),
        "Niger still shows the recalled incident"
    );
    assert!(
        ner.store
            .get_incident(&IncidentId::parse("mli-2").unwrap())
            .await
            .is_ok()
    );
    // Passed on once only.
    assert_eq!(sync(&dza, &ner, &clock).await.recalls_relayed, 0);
    let r = sync(&ner, &mli, &clock).await;
    assert_eq!(r.attestations_delivered, 1);
    let att = mli.store.attestations_of("MLI", "mli-1").await.unwrap();
    let by: Vec<&str> = att.iter().map(|a| a.by_member.as_str()).collect();
    assert_eq!(by, ["DZA", "NER"]);
}

#[tokio::test]
async fn without_onward_release_nothing_is_relayed() {
    let clock = Clock::new();
    let (mli, dza, ner) = (
        node("MLI", 1, &clock).await,
        node("DZA", 2, &clock).await,
        node("NER", 3, &clock).await,
    );
    mesh(&[&mli, &dza, &ner], &clock).await;
    agree(
        &mli,
        json!({"id": "mli-dza", "originator": "MLI", "recipients": ["DZA", "NER"],
        "title": "Mali shares with Algeria and Niger, no onward release"}),
        &clock,
    )
    .await;
    incident(&mli, "mli-1", "Aguelhok", &clock).await;
    sync(&dza, &mli, &clock).await;
    // Algeria's node does not pass it on (the policy says never)...
    let r = sync(&ner, &dza, &clock).await;
    assert_eq!(r.received.stored, 0);
    // ...and an object addressed to Algeria without onward terms, pushed by Algeria, is refused.
    let held = dza.store.received("MLI", "mli-1").await.unwrap().unwrap();
    let object: serde_json::Value = serde_json::from_str(&held.object.unwrap()).unwrap();
    let ring = keyring(&dza).await;
    let checked = liaison_policy::verify(object, |m, f| ring.key_of(m, f)).unwrap();
    assert!(liaison_policy::relay(&ner.member, &checked).is_none());
}
