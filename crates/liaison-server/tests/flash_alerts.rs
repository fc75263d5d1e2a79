//! A flash alert ahead of a 10,000-object backlog, tracked to closure across two nodes: Mali's
//! flash rule matches one of its incidents, the incident is pushed to Niger's inbox while
//! 10,000 others wait for Niger's next pull; Niger's inbox raises an alert, Niger acknowledges,
//! acts and closes it; the signed responses go back with the next sync, and both nodes' figures
//! (response times, reciprocity) show it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use liaison_core::{Incident, IncidentId};
use liaison_store::{AlertFilter, AlertKind, AlertState, Prepared};
use liaison_sync::client::{Node as SyncNode, SyncOptions};
use serde_json::json;

mod common;
use common::*;

const BACKLOG: usize = 10_000;

#[tokio::test]
async fn a_flash_alert_goes_ahead_of_the_backlog_and_its_response_comes_back() {
    let clock = Clock::new();
    let (mli, ner) = (node("MLI", 1, &clock).await, node("NER", 3, &clock).await);
    mesh(&[&mli, &ner], &clock).await;
    agree(
        &mli,
        json!({"id": "mli-ner", "originator": "MLI", "recipients": ["NER"],
        "title": "Mali shares with Niger"}),
        &clock,
    )
    .await;

    // Mali's backlog: 10,000 incidents Niger has not pulled yet.
    let mut import = mli.store.begin_import("import", clock.now()).await.unwrap();
    let batch: Vec<Prepared> = (0..BACKLOG)
        .map(|i| {
            Prepared::new(Incident::new(
                IncidentId::parse(&format!("mli-b{i}")).unwrap(),
                mli.member.clone(),
                1,
                content(&format!("Backlog {i}"), 16.0 + (i % 100) as f64 * 0.01, 0.5),
            ))
            .unwrap()
        })
        .collect();
    import.insert_batch(&batch).await.unwrap();
    import.commit().await.unwrap();

    // A flash rule: 20 killed or more in Mali. Then the attack it is about.
    let rule = liaison_ops::watch::parse_rules(
        r#"{"id": "mass-casualty", "member": "MLI", "name": "20 killed or more",
            "countries": ["MLI"], "min_fatalities": 20, "flash": true}"#,
    )
    .unwrap();
    mli.store
        .put_watch_rules(&rule, clock.now(), "analyst")
        .await
        .unwrap();
    let mut attack = content("Aguelhok", 18.4411, 1.4078);
    attack.casualties.fatalities.best = 82;
    attack.casualties.fatalities.high = 97;
    let attack = Incident::new(
        IncidentId::parse("mli-flash").unwrap(),
        mli.member.clone(),
        1,
        attack,
    );
    mli.store
        .create_incident(&attack, "analyst", clock.now())
        .await
        .unwrap();
    let scanned = liaison_server::alerts::scan(&mli.store, clock.now())
        .await
        .unwrap();
    assert_eq!(scanned.raised.len(), 1, "{scanned:?}");
    let pending = mli.store.pending_flash_pushes().await.unwrap();
    assert_eq!(pending.len(), 1);
    assert!(pending[0].flash);
    assert_eq!(pending[0].incident_id, "mli-flash");

    // The push: the same decision, transformation and seal as a pull, to Niger's inbox now.
    let started = Instant::now();
    let ring = keyring(&mli).await;
    let agreements: Vec<_> = mli
        .store
        .agreements()
        .await
        .unwrap()
        .iter()
        .map(|a| serde_json::from_str(&a.doc).unwrap())
        .collect();
    let policy = liaison_policy::Policy::compile(&mli.member, &agreements).unwrap();
    let cursor_key = liaison_sync::cursor::CursorKey::derive(&mli.key);
    let egress = liaison_sync::egress::Egress {
        store: &mli.store,
        own: &mli.member,
        key: &mli.key,
        cursor_key: &cursor_key,
        policy: &policy,
        keyring: &ring,
    };
    let release = egress
        .release_now(&ner.member, &attack.id, clock.now())
        .await
        .unwrap()
        .expect("the agreement releases it");
    let sync = SyncNode {
        store: &mli.store,
        own: &mli.member,
        key: &mli.key,
        keyring: &ring,
    };
    let c = clock.clone();
    sync.push(
        &ner.member,
        &InProcess(&ner.app),
        &[release],
        &SyncOptions::default(),
        &move || c.now(),
    )
    .await
    .unwrap();
    mli.store
        .record_flash_push(pending[0].id, &[("NER".into(), None)], clock.now())
        .await
        .unwrap();
    let push_took = started.elapsed();

    // Niger holds the flash and nothing of the backlog yet, and has an alert for it.
    let held_now = held(&ner).await;
    assert_eq!(
        held_now.iter().map(|i| i.id.as_str()).collect::<Vec<_>>(),
        ["mli-flash"]
    );
    let flash = AlertFilter {
        kind: Some(AlertKind::Flash),
        ..Default::default()
    };
    let alerts = ner.store.alerts(&flash).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].from_member.as_deref(), Some("MLI"));
    assert_eq!(alerts[0].incident_id, "mli-flash");
    // Only the flash has left Mali: the backlog waits for Niger's pull.
    let before_pull = mli.store.reciprocity("MLI").await.unwrap();
    assert_eq!(before_pull[0].member, "NER");
    assert_eq!(before_pull[0].we_shared, 1);

    // Niger takes it up: acknowledged after 40 s, action after 2 min, closed after 10 min.
    let id = alerts[0].id;
    for (secs, to, note) in [
        (40, AlertState::Acknowledged, None),
        (80, AlertState::ActionTaken, Some("patrol sent from Menaka")),
        (
            480,
            AlertState::Closed,
            Some("perpetrators crossed back; watch kept"),
        ),
    ] {
        clock.step(secs);
        ner.store
            .advance_alert(id, to, note, "liaison-officer", "NER", clock.now())
            .await
            .unwrap();
    }

    // Niger's next sync pulls the backlog and delivers its responses.
    clock.step(5);
    let started = Instant::now();
    let ring = keyring(&ner).await;
    let puller = SyncNode {
        store: &ner.store,
        own: &ner.member,
        key: &ner.key,
        keyring: &ring,
    };
    let c = clock.clone();
    let report = puller
        .sync_peer(
            &mli.member,
            &InProcess(&mli.app),
            &SyncOptions {
                page_objects: 1_000,
                retries: 0,
                backoff: std::time::Duration::ZERO,
                ..Default::default()
            },
            &move || c.now(),
        )
        .await
        .unwrap();
    let pull_took = started.elapsed();
    assert_eq!(report.received.stored, BACKLOG as u64);
    assert_eq!(report.responses_delivered, 3);
    eprintln!(
        "flash push: {push_took:?}; backlog pull of {BACKLOG}: {pull_took:?} ({} pages)",
        report.pages
    );
    assert!(
        ner.store
            .undelivered_alert_responses("NER", "MLI")
            .await
            .unwrap()
            .is_empty()
    );

    // Mali sees Niger's steps on its alert, signed, with their times.
    let detail = mli.store.alert(pending[0].id).await.unwrap();
    assert_eq!(detail.deliveries.len(), 1);
    let steps: Vec<(&str, AlertState)> = detail
        .responses
        .iter()
        .map(|r| (r.by_member.as_str(), r.state))
        .collect();
    assert_eq!(
        steps,
        [
            ("NER", AlertState::Acknowledged),
            ("NER", AlertState::ActionTaken),
            ("NER", AlertState::Closed)
        ]
    );
    assert!(detail.responses.iter().all(|r| r.object.is_some()));

    // Reciprocity, as each side sees it.
    let seen_by_mali = mli.store.reciprocity("MLI").await.unwrap();
    let niger = seen_by_mali.iter().find(|r| r.member == "NER").unwrap();
    assert_eq!(niger.we_shared, BACKLOG as u64 + 1);
    assert_eq!((niger.flashes_to, niger.flashes_answered), (1, 1));
    assert_eq!(niger.its_acknowledge.median_secs, Some(40));
    assert_eq!(niger.its_close.median_secs, Some(600));
    let seen_by_niger = ner.store.reciprocity("NER").await.unwrap();
    let mali = seen_by_niger.iter().find(|r| r.member == "MLI").unwrap();
    assert_eq!(mali.shared_with_us, BACKLOG as u64 + 1);
    assert_eq!(mali.flashes_from, 1);
    assert_eq!(mali.our_acknowledge.median_secs, Some(40));

    // Niger publishes its figures to its peers: Mali reads them as Niger reports them.
    let mali_ring = keyring(&mli).await;
    let mali = SyncNode {
        store: &mli.store,
        own: &mli.member,
        key: &mli.key,
        keyring: &mali_ring,
    };
    let published = mali
        .fetch_reciprocity(
            &ner.member,
            &InProcess(&ner.app),
            &SyncOptions::default(),
            &|| clock.now(),
        )
        .await
        .unwrap();
    let about_mali = published.iter().find(|r| r["member"] == "MLI").unwrap();
    assert_eq!(about_mali["flashes_from"], 1);
    assert_eq!(about_mali["our_acknowledge"]["median_secs"], 40);
    assert_eq!(about_mali["shared_with_us"], BACKLOG as u64 + 1);

    // A response cannot be forged for another member, nor replayed as another step: a second
    // sync delivers nothing more and stores nothing.
    let again = puller
        .sync_peer(
            &mli.member,
            &InProcess(&mli.app),
            &SyncOptions::default(),
            &|| clock.now(),
        )
        .await
        .unwrap();
    assert_eq!((again.received.stored, again.responses_delivered), (0, 0));
}
