//! Watch rules and alerts on both engines: a rule watches only what comes after it; a hit raises
//! one alert per incident whatever its later versions; thresholds wait for enough hits in their
//! window and attach further hits to the open alert; steps go forward only and cannot be taken
//! twice; a partner's flash raises one alert per incident and our steps on it become responses
//! owed to the partner; partners' responses give the reciprocity figures.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::field_report::{ResolvedPlace, parse};
use liaison_core::{
    CountryCode, GeoPoint, Incident, IncidentContent, IncidentId, Lang, LocationPrecision,
};
use liaison_ops::watch::{WatchRule, parse_rules};
use liaison_store::{
    AlertFilter, AlertKind, AlertResponseRow, AlertState, Disclosure, Store, StoreError,
};
use time::OffsetDateTime;

#[macro_use]
mod common;

fn at(s: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_326_000_000 + s).unwrap()
}

/// An incident of `member` read from a field report, e.g. `ATK @Gao 05/01 K12 A:MUJAO`.
fn incident(member: &str, n: u32, text: &str) -> Incident {
    let report = parse(text, at(0).date()).unwrap();
    let place = ResolvedPlace {
        point: GeoPoint {
            lat: 16.27,
            lon: -0.04,
        },
        country: Some(CountryCode::parse("MLI").unwrap()),
        place_name: Some("Gao".into()),
        admin1: Some("Gao".into()),
        precision: LocationPrecision::Near,
    };
    let content: IncidentContent = report.draft(&place, "patrol", text, Lang::Fr);
    Incident::new(
        IncidentId::parse(&format!("{}-{n}", member.to_ascii_lowercase())).unwrap(),
        CountryCode::parse(member).unwrap(),
        1,
        content,
    )
}

fn rules(json: &str) -> Vec<WatchRule> {
    parse_rules(json).unwrap()
}

/// No zones: these rules do not name any.
fn no_zones(_: f64, _: f64) -> Vec<String> {
    Vec::new()
}

async fn a_rule_watches_what_comes_and_raises_once(store: &Store) {
    store
        .create_incident(
            &incident("MLI", 1, "ATK @Gao 05/01 K12 A:MUJAO"),
            "t",
            at(1),
        )
        .await
        .unwrap();
    let rule = rules(
        r#"{"id": "mujao-deadly", "member": "MLI", "name": "MUJAO, 5 killed or more",
            "actors": ["mujao"], "min_fatalities": 5}"#,
    );
    let recorded = store.put_watch_rules(&rule, at(2), "t").await.unwrap();
    assert!(recorded[0].changed);
    assert_eq!(recorded[0].version, 1);
    // Recording the same rule again writes nothing.
    let again = store.put_watch_rules(&rule, at(3), "t").await.unwrap();
    assert!(!again[0].changed);

    store
        .create_incident(&incident("MLI", 2, "ATK @Gao 06/01 K7 A:MUJAO"), "t", at(4))
        .await
        .unwrap();
    store
        .create_incident(&incident("MLI", 3, "ATK @Gao 06/01 K1 A:MUJAO"), "t", at(5))
        .await
        .unwrap();
    let report = store.scan_watch(&no_zones, at(6)).await.unwrap();
    // mli-1 came before the rule; mli-3 has too few killed.
    assert_eq!(report.raised.len(), 1);
    let alerts = store.alerts(&AlertFilter::default()).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].incident_id, "mli-2");
    assert_eq!(alerts[0].rule_id.as_deref(), Some("mujao-deadly"));
    assert_eq!(alerts[0].state, AlertState::Raised);
    assert!(!alerts[0].reasons.is_empty());
    // A second scan finds nothing new; a new version of mli-2 raises nothing either.
    assert!(
        store
            .scan_watch(&no_zones, at(7))
            .await
            .unwrap()
            .raised
            .is_empty()
    );
    let mut v2 = incident("MLI", 2, "ATK @Gao 06/01 K9 A:MUJAO");
    v2.version = 2;
    store.update_incident(&v2, "t", at(8)).await.unwrap();
    let report = store.scan_watch(&no_zones, at(9)).await.unwrap();
    assert_eq!(report.scanned, 1);
    assert!(report.raised.is_empty());
    // A retired rule raises nothing.
    store
        .retire_watch_rule("mujao-deadly", at(10), "t")
        .await
        .unwrap();
    assert!(matches!(
        store.retire_watch_rule("mujao-deadly", at(11), "t").await,
        Err(StoreError::Conflict(_))
    ));
    store
        .create_incident(
            &incident("MLI", 4, "ATK @Gao 07/01 K20 A:MUJAO"),
            "t",
            at(12),
        )
        .await
        .unwrap();
    assert!(
        store
            .scan_watch(&no_zones, at(13))
            .await
            .unwrap()
            .raised
            .is_empty()
    );
    assert!(store.watch_rules(false).await.unwrap().is_empty());
    let all = store.watch_rules(true).await.unwrap();
    assert_eq!((all[0].version, all[0].active), (2, false));
}
on_both!(
    rule_watches_what_comes,
    a_rule_watches_what_comes_and_raises_once
);

async fn a_threshold_waits_then_attaches(store: &Store) {
    let rule = rules(
        r#"{"id": "aqim-series", "member": "MLI", "name": "AQIM, 2 in 7 days",
            "actors": ["AQIM"], "threshold": {"count": 2, "days": 7}}"#,
    );
    store.put_watch_rules(&rule, at(1), "t").await.unwrap();
    let add = |n: u32, text: &'static str| {
        let inc = incident("MLI", n, text);
        async move {
            store
                .create_incident(&inc, "t", at(i64::from(n) + 10))
                .await
                .unwrap()
        }
    };
    add(1, "ATK @Gao 01/01 K1 A:AQIM").await;
    let r = store.scan_watch(&no_zones, at(20)).await.unwrap();
    assert_eq!((r.raised.len(), r.below_threshold), (0, 1));
    add(2, "ATK @Gao 03/01 K1 A:AQIM").await;
    let r = store.scan_watch(&no_zones, at(21)).await.unwrap();
    assert_eq!(r.raised.len(), 1, "{r:?}");
    let alert = r.raised[0];
    add(3, "ATK @Gao 04/01 K1 A:AQIM").await;
    let r = store.scan_watch(&no_zones, at(22)).await.unwrap();
    assert_eq!((r.raised.len(), r.attached), (0, 1));
    let detail = store.alert(alert).await.unwrap();
    assert_eq!(detail.attached.len(), 1);
    assert_eq!(detail.attached[0].0, "mli-3");
    // Once closed, the next hit within the window raises a new alert.
    store
        .advance_alert(
            alert,
            AlertState::Closed,
            Some("patrol sent"),
            "t",
            "MLI",
            at(23),
        )
        .await
        .unwrap();
    add(4, "ATK @Gao 05/01 K1 A:AQIM").await;
    let r = store.scan_watch(&no_zones, at(24)).await.unwrap();
    assert_eq!(r.raised.len(), 1);
    // Far outside the window, a lone hit is below the threshold again.
    add(5, "ATK @Gao 30/01/2011 K1 A:AQIM").await;
    store
        .advance_alert(r.raised[0], AlertState::Closed, None, "t", "MLI", at(25))
        .await
        .unwrap();
    let r = store.scan_watch(&no_zones, at(26)).await.unwrap();
    assert_eq!((r.raised.len(), r.below_threshold), (0, 1));
}
on_both!(
    threshold_waits_then_attaches,
    a_threshold_waits_then_attaches
);

async fn steps_go_forward_once(store: &Store) {
    let rule =
        rules(r#"{"id": "any-attack", "member": "MLI", "name": "attacks", "actors": ["AQIM"]}"#);
    store.put_watch_rules(&rule, at(1), "t").await.unwrap();
    store
        .create_incident(&incident("MLI", 1, "ATK @Gao 01/01 K1 A:AQIM"), "t", at(2))
        .await
        .unwrap();
    let id = store.scan_watch(&no_zones, at(3)).await.unwrap().raised[0];
    let a = store
        .advance_alert(id, AlertState::Acknowledged, None, "ana", "MLI", at(4))
        .await
        .unwrap();
    assert_eq!(a.state, AlertState::Acknowledged);
    assert_eq!(a.acknowledged_by.as_deref(), Some("ana"));
    // Twice, or backwards: refused, and nothing changes.
    assert!(matches!(
        store
            .advance_alert(id, AlertState::Acknowledged, None, "bob", "MLI", at(5))
            .await,
        Err(StoreError::Conflict(_))
    ));
    let a = store
        .advance_alert(
            id,
            AlertState::ActionTaken,
            Some("patrol sent to Gao"),
            "ana",
            "MLI",
            at(6),
        )
        .await
        .unwrap();
    assert_eq!(a.action_note.as_deref(), Some("patrol sent to Gao"));
    assert!(matches!(
        store
            .advance_alert(id, AlertState::Acknowledged, None, "bob", "MLI", at(7))
            .await,
        Err(StoreError::Conflict(_))
    ));
    store
        .advance_alert(id, AlertState::Closed, None, "ana", "MLI", at(8))
        .await
        .unwrap();
    assert!(matches!(
        store
            .advance_alert(999, AlertState::Closed, None, "ana", "MLI", at(9))
            .await,
        Err(StoreError::NotFound)
    ));
    // A rule alert owes no partner anything.
    assert!(
        store
            .undelivered_alert_responses("MLI", "NER")
            .await
            .unwrap()
            .is_empty()
    );
    // Every step is in the log, with who took it: raised by the rule, then ana's three steps.
    let head = store.ledger_head().await.unwrap();
    let steps: Vec<String> = store
        .ledger_entries(0, head.size)
        .await
        .unwrap()
        .iter()
        .filter(|e| e.kind == "alert_step")
        .map(|e| {
            let v: serde_json::Value = serde_json::from_str(&e.entry).unwrap();
            format!(
                "{} by {}",
                v["state"].as_str().unwrap(),
                v["by"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(
        steps,
        [
            "raised by watch:any-attack",
            "acknowledged by ana",
            "action_taken by ana",
            "closed by ana"
        ]
    );
    let stats = store.alert_stats("MLI").await.unwrap();
    assert_eq!(stats.len(), 1);
    assert_eq!((stats[0].alerts, stats[0].open), (1, 0));
    assert_eq!(stats[0].to_acknowledge.median_secs, Some(1));
    assert_eq!(stats[0].to_close.median_secs, Some(5));
    let open = AlertFilter {
        open_only: true,
        ..Default::default()
    };
    assert!(store.alerts(&open).await.unwrap().is_empty());
}
on_both!(steps_forward_once, steps_go_forward_once);

async fn flashes_and_reciprocity(store: &Store) {
    // We are NER. A partner (MLI) pushes one incident twice: one alert.
    let raised = store
        .raise_flash_alerts("MLI", &[("mli-7".into(), 1)], at(1))
        .await
        .unwrap();
    assert_eq!(raised.len(), 1);
    assert!(
        store
            .raise_flash_alerts("MLI", &[("mli-7".into(), 1)], at(2))
            .await
            .unwrap()
            .is_empty()
    );
    let flash = AlertFilter {
        kind: Some(AlertKind::Flash),
        ..Default::default()
    };
    assert_eq!(store.alerts(&flash).await.unwrap().len(), 1);
    // Our steps on it are owed to MLI, in order, until delivered.
    store
        .advance_alert(
            raised[0],
            AlertState::Acknowledged,
            None,
            "lo",
            "NER",
            at(31),
        )
        .await
        .unwrap();
    store
        .advance_alert(
            raised[0],
            AlertState::Closed,
            Some("checked"),
            "lo",
            "NER",
            at(91),
        )
        .await
        .unwrap();
    let owed = store
        .undelivered_alert_responses("NER", "MLI")
        .await
        .unwrap();
    assert_eq!(
        owed.iter().map(|r| r.state).collect::<Vec<_>>(),
        [AlertState::Acknowledged, AlertState::Closed]
    );
    store
        .mark_alert_response_delivered(&owed[0], "{}", at(100))
        .await
        .unwrap();
    assert_eq!(
        store
            .undelivered_alert_responses("NER", "MLI")
            .await
            .unwrap()
            .len(),
        1
    );

    // Our own flash alert on one of our incidents, pushed to MLI, acknowledged by MLI 60 s later.
    store
        .put_watch_rules(
            &rules(r#"{"id": "flash-aqim", "member": "NER", "name": "AQIM", "actors": ["AQIM"], "flash": true}"#),
            at(3),
            "t",
        )
        .await
        .unwrap();
    store
        .create_incident(&incident("NER", 1, "ATK @Gao 01/01 K1 A:AQIM"), "t", at(4))
        .await
        .unwrap();
    let ours = store.scan_watch(&no_zones, at(5)).await.unwrap().raised[0];
    let pending = store.pending_flash_pushes().await.unwrap();
    assert_eq!(pending.iter().map(|a| a.id).collect::<Vec<_>>(), [ours]);
    store
        .record_flash_push(
            ours,
            &[("MLI".into(), None), ("TCD".into(), Some("refused".into()))],
            at(10),
        )
        .await
        .unwrap();
    assert!(store.pending_flash_pushes().await.unwrap().is_empty());
    store
        .record_disclosures(&[Disclosure {
            peer: "MLI".into(),
            incident_id: "ner-1".into(),
            originator: "NER".into(),
            version: 1,
            kind: "release".into(),
            agreement: None,
            agreement_version: None,
            applied: "[]".into(),
            object_sha256: "00".into(),
            at: "2012-01-08T06:40:10Z".into(),
        }])
        .await
        .unwrap();
    let mut session = store.begin_receive("MLI", at(70)).await.unwrap();
    session
        .put_alert_response(&AlertResponseRow {
            originator: "NER".into(),
            incident_id: "ner-1".into(),
            by_member: "MLI".into(),
            state: AlertState::Acknowledged,
            at: liaison_store::ts_of(at(70)).unwrap(),
            object: Some("{}".into()),
            recorded_at: liaison_store::ts_of(at(75)).unwrap(),
            delivered_at: None,
        })
        .await
        .unwrap();
    session.commit("").await.unwrap();
    let detail = store.alert(ours).await.unwrap();
    assert_eq!(detail.deliveries.len(), 2);
    assert_eq!(detail.responses.len(), 1);
    assert_eq!(detail.responses[0].by_member, "MLI");

    let rows = store.reciprocity("NER").await.unwrap();
    let mli = rows.iter().find(|r| r.member == "MLI").unwrap();
    assert_eq!(mli.we_shared, 1);
    assert_eq!((mli.flashes_to, mli.flashes_answered), (1, 1));
    assert_eq!(mli.its_acknowledge.median_secs, Some(60));
    assert_eq!(mli.flashes_from, 1);
    assert_eq!(mli.our_acknowledge.median_secs, Some(30));
    // A failed push is no flash delivered.
    assert!(rows.iter().all(|r| r.member != "TCD" || r.flashes_to == 0));
    assert!(rows.iter().all(|r| r.member != "NER"));
}
on_both!(flash_and_reciprocity, flashes_and_reciprocity);
