//! The alert screens: a watch rule raising an alert from an incident stored after it, the list
//! and its filters, acknowledging, acting and closing through the no-script forms, a second
//! acknowledgement told plainly that someone was first, auditors reading but refused on the
//! server, rules pasted as JSON with their errors named field by field and retired, and the
//! reciprocity figures in English and French.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{Client, NOW, content, csrf_of, node};
use liaison_core::{CountryCode, Incident, IncidentContent, IncidentId};
use liaison_ops::alerts::AlertState;
use liaison_store::Store;
use time::Duration;

/// An incident of `originator`'s stored as the given sub-type, straight into the store.
async fn incident(store: &Store, id: &str, originator: &str, sub_type: &str) {
    let c: IncidentContent = serde_json::from_value(content(
        &format!("Incident {id}"),
        sub_type,
        "2026-11-27",
        (16.27, -0.04),
        1,
    ))
    .unwrap();
    let inc = Incident::new(
        IncidentId::parse(id).unwrap(),
        CountryCode::parse(originator).unwrap(),
        1,
        c,
    );
    store.create_incident(&inc, "seed", NOW).await.unwrap();
}

/// MLI's rule on kidnappings, then a kidnapping (which it raises an alert on) and an armed
/// attack (which it does not).
async fn seeded(store: &Store) {
    let rules = liaison_ops::watch::parse_rules(
        r#"{"id": "kidnap-watch", "member": "MLI", "name": "Kidnappings",
            "sub_types": ["kidnapping"], "flash": true}"#,
    )
    .unwrap();
    store.put_watch_rules(&rules, NOW, "root").await.unwrap();
    incident(store, "mli-0001", "MLI", "kidnapping").await;
    incident(store, "mli-0002", "MLI", "armed_attack").await;
}

#[tokio::test]
async fn an_alert_is_listed_acknowledged_acted_on_and_closed() {
    let node = node().await;
    seeded(&node.store).await;
    let mut c = Client::new(&node);
    c.sign_in("amadou").await;

    let list = c.page("/ui/alerts").await;
    assert!(list.contains("id=\"alert-1\""), "{list}");
    assert!(list.contains("rule kidnap-watch"), "{list}");
    assert!(list.contains("href=\"/ui/incidents/mli-0001\""), "{list}");
    assert!(
        !list.contains("mli-0002"),
        "the armed attack matches no rule"
    );
    assert!(list.contains("28 November 2026 08:00 UTC"), "{list}");
    assert!(list.contains("sub-type kidnapping"), "{list}");
    assert!(
        list.contains(">Alerts (1)</a>"),
        "the open count in the navigation"
    );
    assert!(list.contains("href=\"/ui/alerts\" aria-current=\"page\""));

    let page = c.page("/ui/alerts/1").await;
    assert!(page.contains("data-state=\"raised\""), "{page}");
    for step in ["acknowledge", "action", "close"] {
        assert!(page.contains(&format!("id=\"step-{step}\"")), "{step}");
    }
    let csrf = csrf_of(&page);

    let done = c.post("/ui/alerts/1/acknowledge", &[("csrf", &csrf)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/ui/alerts/1?done=acknowledge");
    let page = c.page(done.location()).await;
    assert!(page.contains("The alert is acknowledged."), "{page}");
    assert!(page.contains("data-state=\"acknowledged\""));
    assert!(page.contains("<td>amadou</td>"), "{page}");
    assert!(
        !page.contains("id=\"step-acknowledge\""),
        "only allowed steps"
    );
    assert!(page.contains("id=\"step-action\"") && page.contains("id=\"step-close\""));
    let held = node.store.alert(1).await.unwrap().alert;
    assert_eq!(held.state, AlertState::Acknowledged);
    assert_eq!(held.acknowledged_by.as_deref(), Some("amadou"));

    // A liaison officer with the page still open from before acknowledges too: told, not failed.
    let mut karim = Client::new(&node);
    karim.sign_in("karim").await;
    let stale = csrf_of(&karim.page("/ui/alerts/1").await);
    let twice = karim
        .post("/ui/alerts/1/acknowledge", &[("csrf", &stale)])
        .await;
    assert_eq!(twice.status, StatusCode::OK, "{}", twice.body);
    assert!(
        twice
            .body
            .contains("“Acknowledge” was not done: the alert is now acknowledged."),
        "{}",
        twice.body
    );
    assert!(!twice.body.contains('⟦'));

    // An action needs a note; the typed text is not lost when it is refused.
    let empty = c
        .post("/ui/alerts/1/action", &[("csrf", &csrf), ("note", "  ")])
        .await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("Say what was done"), "{}", empty.body);
    let acted = c
        .post(
            "/ui/alerts/1/action",
            &[("csrf", &csrf), ("note", "Patrol <sent> to Gao")],
        )
        .await;
    assert_eq!(acted.location(), "/ui/alerts/1?done=action");
    let page = c.page(acted.location()).await;
    assert!(
        page.contains("Patrol &#60;sent&#62; to Gao"),
        "escaped: {page}"
    );

    let closed = c.post("/ui/alerts/1/close", &[("csrf", &csrf)]).await;
    assert_eq!(closed.location(), "/ui/alerts/1?done=close");
    let page = c.page(closed.location()).await;
    assert!(
        !page.contains("id=\"form-close\""),
        "nothing follows closed"
    );
    let held = node.store.alert(1).await.unwrap().alert;
    assert_eq!(held.state, AlertState::Closed);
    assert_eq!(held.action_note.as_deref(), Some("Patrol <sent> to Gao"));
    assert_eq!(held.closed_note, None);

    // Closed alerts leave the default list and stay under their state.
    let open = c.page("/ui/alerts").await;
    assert!(open.contains("id=\"no-alerts\""), "{open}");
    assert!(open.contains(">Alerts</a>"), "no count when none is open");
    let closed = c.page("/ui/alerts?state=closed&kind=rule").await;
    assert!(closed.contains("id=\"alert-1\""));
    assert!(
        closed.contains("<option value=\"closed\" selected>"),
        "{closed}"
    );
    let flash = c.page("/ui/alerts?state=all&kind=flash").await;
    assert!(!flash.contains("id=\"alert-1\""));

    // Forged posts and unknown steps.
    let forged = c.post("/ui/alerts/1/close", &[("csrf", "x")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let unknown = c.post("/ui/alerts/1/reopen", &[("csrf", &csrf)]).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(c.get("/ui/alerts/99").await.status, StatusCode::NOT_FOUND);
    assert_eq!(c.get("/ui/alerts/x").await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_auditor_reads_alerts_but_is_refused_every_step() {
    let node = node().await;
    seeded(&node.store).await;
    let mut c = Client::new(&node);
    c.sign_in("awa").await;
    let home = c.page("/ui/").await;
    assert!(home.contains("href=\"/ui/alerts\""));
    assert!(home.contains("href=\"/ui/reciprocity\""));
    let list = c.page("/ui/alerts").await;
    assert!(list.contains("id=\"alert-1\""), "{list}");
    let page = c.page("/ui/alerts/1").await;
    assert!(
        !page.contains("id=\"step-"),
        "no step offered to an auditor"
    );
    assert!(page.contains("id=\"alert-read-only\""));
    let csrf = csrf_of(&page);
    for step in ["acknowledge", "action", "close"] {
        let refused = c
            .post(
                &format!("/ui/alerts/1/{step}"),
                &[("csrf", &csrf), ("note", "n")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{step}");
    }
    assert_eq!(
        node.store.alert(1).await.unwrap().alert.state,
        AlertState::Raised
    );
    let rules = c.page("/ui/alerts/rules").await;
    assert!(rules.contains("kidnap-watch"));
    assert!(!rules.contains("id=\"rules-form\""));
    assert!(!rules.contains("id=\"retire-kidnap-watch\""));
    let add = c
        .post("/ui/alerts/rules", &[("csrf", &csrf), ("rules", "[]")])
        .await;
    assert_eq!(add.status, StatusCode::FORBIDDEN);
    let retire = c
        .post("/ui/alerts/rules/kidnap-watch/retire", &[("csrf", &csrf)])
        .await;
    assert_eq!(retire.status, StatusCode::FORBIDDEN);
    assert!(node.store.watch_rule("kidnap-watch").await.unwrap().active);
}

#[tokio::test]
async fn rules_are_pasted_checked_field_by_field_and_retired() {
    let node = node().await;
    let mut c = Client::new(&node);
    c.sign_in("amadou").await;
    let empty = c.page("/ui/alerts/rules").await;
    assert!(empty.contains("id=\"no-rules\""), "{empty}");
    let csrf = csrf_of(&empty);

    let broken = r#"[{"id": "Bad Id", "member": "MLI", "name": "x", "sub_types": ["kidnapping"]},
 {"id": "ok", "member": "MLI", "name": "y", "countries": ["MLI"], "threshold": {"count": 3, "days": 0}}]"#;
    let a = c
        .post("/ui/alerts/rules", &[("csrf", &csrf), ("rules", broken)])
        .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(a.body.contains("Nothing was recorded"), "{}", a.body);
    assert!(a.body.contains("<code>rules[0].id</code>"), "{}", a.body);
    assert!(a.body.contains("<code>rules[1].threshold.days</code>"));
    assert!(a.body.contains("aria-invalid=\"true\""));
    assert!(a.body.contains("&#34;Bad Id&#34;"), "the text is kept");
    assert!(node.store.watch_rules(true).await.unwrap().is_empty());

    let foreign = c
        .post(
            "/ui/alerts/rules",
            &[
                ("csrf", &csrf),
                (
                    "rules",
                    r#"{"id": "ner", "member": "NER", "name": "n", "countries": ["NER"]}"#,
                ),
            ],
        )
        .await;
    assert!(foreign.body.contains("<code>rules[0].member</code>"));
    assert!(
        foreign.body.contains("records MLI&#39;s rules only"),
        "{}",
        foreign.body
    );

    let none = c
        .post("/ui/alerts/rules", &[("csrf", &csrf), ("rules", " ")])
        .await;
    assert!(none.body.contains("Paste at least one rule."));

    let good = "{\"id\": \"aqim\", \"member\": \"MLI\", \"name\": \"AQIM in a week\", \"actors\": [\"AQIM\"], \"threshold\": {\"count\": 3, \"days\": 7}}\n\
                {\"id\": \"deadly\", \"member\": \"MLI\", \"name\": \"Deadly\", \"min_fatalities\": 10, \"flash\": true}";
    let a = c
        .post("/ui/alerts/rules", &[("csrf", &csrf), ("rules", good)])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert_eq!(a.location(), "/ui/alerts/rules?recorded=2&unchanged=0");
    let page = c.page(a.location()).await;
    assert!(page.contains("Rules recorded: 2; unchanged: 0."), "{page}");
    assert!(
        page.contains("actors: AQIM · 3 matching incidents within 7 days"),
        "{page}"
    );
    assert!(page.contains("at least 10 killed"));
    assert!(page.contains("id=\"retire-deadly\""));

    let a = c
        .post("/ui/alerts/rules/deadly/retire", &[("csrf", &csrf)])
        .await;
    assert_eq!(a.location(), "/ui/alerts/rules?retired=deadly");
    let page = c.page(a.location()).await;
    assert!(page.contains("Rule deadly is retired"), "{page}");
    assert!(!page.contains("id=\"retire-deadly\""));
    assert!(!node.store.watch_rule("deadly").await.unwrap().active);
    let again = c
        .post("/ui/alerts/rules/deadly/retire", &[("csrf", &csrf)])
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body.contains("Rule deadly is retired already."));
    let missing = c
        .post("/ui/alerts/rules/nothing/retire", &[("csrf", &csrf)])
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);

    c.accept_language = "fr";
    let fr = c.page("/ui/alerts/rules").await;
    assert!(fr.contains("Règles de veille"), "{fr}");
    assert!(fr.contains("3 incidents correspondants en 7 jours"), "{fr}");
}

#[tokio::test]
async fn a_partners_flash_is_answered_and_counted_in_reciprocity() {
    let node = node().await;
    incident(&node.store, "ner-0007", "NER", "kidnapping").await;
    let raised = node
        .store
        .raise_flash_alerts(
            "NER",
            &[("ner-0007".to_owned(), 1)],
            NOW - Duration::minutes(12),
        )
        .await
        .unwrap();
    assert_eq!(raised, vec![1]);

    // A liaison officer answers partners' flash items.
    let mut c = Client::new(&node);
    c.sign_in("karim").await;
    let list = c.page("/ui/alerts?kind=flash").await;
    assert!(list.contains("flash from NER"), "{list}");
    let page = c.page("/ui/alerts/1").await;
    let csrf = csrf_of(&page);
    let done = c.post("/ui/alerts/1/acknowledge", &[("csrf", &csrf)]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let page = c.page(done.location()).await;
    assert!(page.contains("Our responses to NER"), "{page}");
    assert!(
        page.contains("to be signed and sent at the next sync"),
        "{page}"
    );

    let en = c.page("/ui/reciprocity").await;
    assert!(en.contains("this node&#39;s bilateral figures"), "{en}");
    assert!(en.contains("id=\"reciprocity-NER\""), "{en}");
    assert!(en.contains("<td class=\"num\">12 min</td>"), "{en}");
    assert!(en.contains("href=\"/ui/reciprocity\" aria-current=\"page\""));
    assert!(en.contains("id=\"alert-stats-MLI\""), "{en}");
    assert!(en.contains("12 min (90 %: 12 min)"), "{en}");

    c.accept_language = "fr";
    let fr = c.page("/ui/reciprocity").await;
    assert!(fr.contains("<h1>Réciprocité</h1>"), "{fr}");
    assert!(fr.contains("chiffres bilatéraux"), "{fr}");
    assert!(fr.contains("<td class=\"num\">12 min</td>"), "{fr}");
    let list = c.page("/ui/alerts?state=all").await;
    assert!(list.contains("flash de NER"), "{list}");
    assert!(list.contains("prise en compte"), "{list}");

    // Every role reads the figures.
    let mut auditor = Client::new(&node);
    auditor.sign_in("awa").await;
    auditor.page("/ui/reciprocity").await;
}

#[tokio::test]
async fn the_maps_alerts_layer_holds_open_alerts_at_their_incidents() {
    let node = node().await;
    seeded(&node.store).await;
    let mut c = Client::new(&node);
    c.sign_in("awa").await;
    let map = c.page("/ui/").await;
    assert!(map.contains("id=\"layer-alerts\""), "{map}");
    assert!(map.contains("data-alerts-url=\"/ui/map/layers/alerts.geojson\""));

    let layer: serde_json::Value =
        serde_json::from_str(&c.page("/ui/map/layers/alerts.geojson").await).unwrap();
    let features = layer["features"].as_array().unwrap();
    assert_eq!(features.len(), 1, "{layer}");
    let f = &features[0];
    assert_eq!(
        f["geometry"]["coordinates"],
        serde_json::json!([-0.04, 16.27])
    );
    assert_eq!(f["properties"]["state"], "raised");
    assert_eq!(f["properties"]["incident"], "mli-0001");
    assert_eq!(f["properties"]["href"], "/ui/alerts/1");
    assert_eq!(f["properties"]["origin"], "rule kidnap-watch");

    // A closed alert leaves the layer.
    node.store
        .advance_alert(1, AlertState::Closed, None, "root", "MLI", NOW)
        .await
        .unwrap();
    let layer: serde_json::Value =
        serde_json::from_str(&c.page("/ui/map/layers/alerts.geojson").await).unwrap();
    assert!(layer["features"].as_array().unwrap().is_empty());
}
