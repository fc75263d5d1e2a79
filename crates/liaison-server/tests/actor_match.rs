//! Asking a partner whether it holds an actor, in one process: Mali asks Niger about «عبد الكريم
//! الطارقي» with the name blinded; Niger, whose agreement names Mali, answers with a handle;
//! Mali fetches the record, which Niger releases because an incident naming the man is released
//! to Mali; an actor in no released incident, an unknown handle, and Algeria (named by no
//! agreement of Niger's) all get the listener's one 404; malformed keys a 400.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::{Actor, Incident, IncidentId};
use liaison_sync::client::{Node as SyncNode, SyncError, SyncOptions, Transport, WireRequest};
use liaison_sync::httpsig::sign_request;
use serde_json::json;

mod common;
use common::*;

fn actor(v: serde_json::Value) -> Actor {
    serde_json::from_value(v).unwrap()
}

#[tokio::test]
async fn a_partner_is_asked_without_the_name_and_releases_only_what_it_may() {
    let clock = Clock::new();
    let (mli, dza, ner) = (
        node("MLI", 1, &clock).await,
        node("DZA", 2, &clock).await,
        node("NER", 3, &clock).await,
    );
    mesh(&[&mli, &dza, &ner], &clock).await;
    agree(
        &ner,
        json!({"id": "ner-mli", "originator": "NER", "recipients": ["MLI"],
        "title": "Niger shares with Mali"}),
        &clock,
    )
    .await;
    for a in [
        json!({"id": "ner:targui", "kind": "person", "name": "Abdelkarim Targui",
               "aliases": [{"name": "Abdelkrim el-Targui", "script": "latin"},
                           {"name": "Abdelkarim le Touareg", "script": "latin"}]}),
        json!({"id": "ner:belmokhtar", "kind": "person", "name": "Mokhtar Belmokhtar"}),
        json!({"id": "ner:aqim", "kind": "armed_group", "name": "AQIM"}),
    ] {
        ner.store.put_actor(&actor(a)).await.unwrap();
    }
    // One of Niger's incidents names Targui by id; none names Belmokhtar.
    let mut content = content("Arlit kidnapping", 18.74, 7.39);
    content.actors = vec![
        serde_json::from_value(
            json!({"name": "Abdelkarim Targui", "role": "perpetrator", "actor_id": "ner:targui"}),
        )
        .unwrap(),
    ];
    ner.store
        .create_incident(
            &Incident::new(
                IncidentId::parse("ner-1").unwrap(),
                ner.member.clone(),
                1,
                content,
            ),
            "analyst",
            clock.now(),
        )
        .await
        .unwrap();

    let ring = keyring(&mli).await;
    let asker = SyncNode {
        store: &mli.store,
        own: &mli.member,
        key: &mli.key,
        keyring: &ring,
    };
    let c = clock.clone();
    let now = move || c.now();
    let opts = SyncOptions {
        retries: 0,
        ..Default::default()
    };
    let to_ner = InProcess(&ner.app);
    let answer = asker
        .ask_actor(
            &ner.member,
            &ner.key.public(),
            &to_ner,
            "عبد الكريم الطارقي",
            None,
            &opts,
            &now,
        )
        .await
        .unwrap();
    assert_eq!(answer.matches.len(), 1, "{answer:?}");
    let m = &answer.matches[0];
    assert_eq!(m.kind, "person");
    assert!(m.shared >= 2);
    assert!(!m.handle.contains("targui"));
    // Asked about a group, the same name finds nothing.
    let groups = asker
        .ask_actor(
            &ner.member,
            &ner.key.public(),
            &to_ner,
            "عبد الكريم الطارقي",
            Some("armed_group"),
            &opts,
            &now,
        )
        .await
        .unwrap();
    assert!(groups.matches.is_empty());

    // The record comes, with the incident that releases it.
    let record = asker
        .fetch_actor(&ner.member, &to_ner, &m.handle, &opts, &now)
        .await
        .unwrap();
    assert_eq!(record.name, "Abdelkarim Targui");
    assert_eq!(record.incidents, ["ner-1"]);
    assert!(record.aliases.contains(&"Abdelkrim el-Targui".to_owned()));

    // Belmokhtar is held but named in no incident released to Mali: the same 404 as a handle
    // that does not exist.
    let bel = asker
        .ask_actor(
            &ner.member,
            &ner.key.public(),
            &to_ner,
            "Mokhtar Belmokhtar",
            None,
            &opts,
            &now,
        )
        .await
        .unwrap();
    assert_eq!(bel.matches.len(), 1);
    fn status<T: std::fmt::Debug>(r: Result<T, SyncError>) -> (u16, String) {
        match r {
            Err(SyncError::Status {
                status, message, ..
            }) => (status, message),
            other => panic!("expected a refusal, got {other:?}"),
        }
    }
    let held = status(
        asker
            .fetch_actor(&ner.member, &to_ner, &bel.matches[0].handle, &opts, &now)
            .await,
    );
    let unknown = status(
        asker
            .fetch_actor(&ner.member, &to_ner, "h-00000000000000000000", &opts, &now)
            .await,
    );
    assert_eq!(held.0, 404);
    assert_eq!(
        held, unknown,
        "a held actor and a missing one look the same"
    );

    // Algeria: no agreement of Niger's names it.
    let dza_ring = keyring(&dza).await;
    let algeria = SyncNode {
        store: &dza.store,
        own: &dza.member,
        key: &dza.key,
        keyring: &dza_ring,
    };
    let refused = status(
        algeria
            .ask_actor(
                &ner.member,
                &ner.key.public(),
                &to_ner,
                "Abdelkarim Targui",
                None,
                &opts,
                &now,
            )
            .await,
    );
    assert_eq!(refused, unknown);
    // Keys that are not blinded keys (a name in clear, say) are refused, naming the key.
    for (body, why) in [
        (json!({"keys": ["Abdelkarim Targui"]}), "keys[0]"),
        (json!({"keys": []}), "keys"),
        (json!({"keys": ["a"], "name": "x"}), "unknown field"),
    ] {
        let bytes = serde_json::to_vec(&body).unwrap();
        let path = liaison_sync::actor_match::MATCH_PATH;
        let h = sign_request(
            "POST",
            path,
            "",
            &bytes,
            &mli.member,
            &mli.key,
            clock.now().unix_timestamp(),
        );
        let r = to_ner
            .send(WireRequest {
                method: "POST",
                path: path.to_owned(),
                query: String::new(),
                headers: vec![
                    ("signature-input".into(), h.signature_input),
                    ("signature".into(), h.signature),
                    ("content-digest".into(), h.content_digest),
                    ("liaison-peer".into(), h.peer),
                ],
                body: bytes,
            })
            .await
            .unwrap();
        assert_eq!(r.status, 400, "{body}");
        let logged = ner.store.refusals(50).await.unwrap();
        assert!(
            logged.iter().any(|l| l.reason.contains(why)),
            "{why}: {logged:?}"
        );
    }

    let logged = ner.store.refusals(20).await.unwrap();
    assert!(
        logged
            .iter()
            .any(|r| r.reason.contains("no agreement in force names it")),
        "{logged:?}"
    );
}
