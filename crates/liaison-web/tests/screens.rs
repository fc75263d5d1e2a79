//! The agreements, preview, peers, ledger and statistics screens: who may open them, and that
//! each shows what the store holds (an agreement's summary and Cedar text, a partner's preview
//! with its obligations, a failing peer's error, the ledger's size and checkpoint, the right
//! counts in every chart), in English and in French.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::sync::Arc;

use axum::http::StatusCode;
use common::{Client, NOW, node, node_with, signed};
use liaison_core::{CountryCode, Incident, IncidentContent, IncidentId};
use liaison_store::{Cosignature, Store};
use liaison_web::{BoxFuture, PreviewFn, PreviewItem};
use serde_json::json;

/// Mali's agreement with the fusion cell, as in docs/examples, with obligations added.
const MLI_ALL: &str = r#"{
  "id": "mli-all", "version": 1, "originator": "MLI",
  "recipients": ["DZA", "MRT", "NER", "BFA", "TCD", "LBY"],
  "title": "Mali shares everything unclassified with all members of the fusion cell",
  "scope": {"max_classification": "unclassified", "max_tlp": "amber"},
  "obligations": {"location": {"precision": "admin1"}, "drop_narrative": true},
  "onward_release": true
}"#;

/// An agreement whose embargo ends after the test clock's day.
const MLI_LATER: &str = r#"{
  "id": "mli-ner-later", "version": 1, "originator": "MLI", "recipients": ["NER"],
  "title": "Mali shares attacks with Niger from 2027",
  "scope": {"event_types": ["attack"], "zones": ["liptako-gourma"], "max_age_days": 90},
  "valid_from": "2027-01-01"
}"#;

async fn put_agreements(store: &Store) {
    store
        .put_agreement("mli-all", 1, MLI_ALL, "karim", NOW)
        .await
        .unwrap();
    let mut revoked: serde_json::Value = serde_json::from_str(MLI_ALL).unwrap();
    revoked["version"] = json!(2);
    revoked["revoked"] = json!(true);
    store
        .put_agreement("mli-all", 2, &revoked.to_string(), "root", NOW)
        .await
        .unwrap();
    store
        .put_agreement("mli-ner-later", 1, MLI_LATER, "karim", NOW)
        .await
        .unwrap();
}

#[tokio::test]
async fn a_liaison_officer_reads_the_agreements() {
    let node = node().await;
    let mut c = Client::new(&node);
    c.sign_in("karim").await;
    let empty = c.page("/ui/agreements").await;
    assert!(empty.contains("id=\"no-agreements\""), "{empty}");
    put_agreements(&node.store).await;

    let list = c.page("/ui/agreements").await;
    assert!(list.contains("<th scope=\"col\">"));
    assert!(list.contains("href=\"/ui/agreements/mli-all\""));
    assert!(list.contains("DZA, MRT, NER, BFA, TCD, LBY"));
    assert!(list.contains("badge bad\">revoked"), "{list}");
    assert!(list.contains("badge warn\">embargoed"), "{list}");
    assert!(
        list.contains("Agreement mli-ner-later, version 1: &#34;Mali shares attacks"),
        "{list}"
    );

    let one = c.page("/ui/agreements/mli-ner-later").await;
    // The plain summary, paragraph by paragraph, then the facts in the reader's language.
    assert!(
        one.contains("<p>Who: Mali (MLI) releases to Niger (NER).</p>"),
        "{one}"
    );
    assert!(one.contains("Event types: Attack"), "{one}");
    assert!(
        one.contains("With a point in: Liptako-Gourma tri-border area"),
        "{one}"
    );
    assert!(
        one.contains("Ended at most 90 days before the release"),
        "{one}"
    );
    assert!(
        one.contains("from 1 January 2027 (nothing before: embargo)"),
        "{one}"
    );
    assert!(one.contains("None: released as recorded."));
    assert!(one.contains("href=\"/ui/agreements/preview?to=NER\""));
    // The Cedar policy, under its own heading.
    assert!(one.contains("id=\"cedar-title\""));
    let cedar_at = one.find("id=\"agreement-cedar\"").unwrap();
    assert!(one[cedar_at..].contains("permit"), "{one}");
    assert!(one[cedar_at..].contains("context.today &#62;="), "{one}");

    let all = c.page("/ui/agreements/mli-all").await;
    assert!(all.contains("<title>Agreement mli-all · Liaison MLI</title>"));
    assert!(
        all.contains("Location coarsened to the province (admin1)"),
        "{all}"
    );
    assert!(all.contains("Narrative dropped"));
    // Both versions, newest first, with who recorded them.
    let v2 = all.find("<td>root").unwrap();
    let v1 = all.find("<td>karim").unwrap();
    assert!(v2 < v1);

    let missing = c.get("/ui/agreements/no-such-agreement").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    let malformed = c.get("/ui/agreements/NOT%20AN%20ID").await;
    assert_eq!(malformed.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn analysts_do_not_open_agreements_or_the_ledger() {
    let node = node().await;
    put_agreements(&node.store).await;
    let mut c = Client::new(&node);
    c.sign_in("amadou").await;
    for path in [
        "/ui/agreements",
        "/ui/agreements/mli-all",
        "/ui/agreements/preview?to=NER",
        "/ui/ledger",
    ] {
        assert_eq!(c.get(path).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    // Peers and statistics are for every role.
    c.page("/ui/peers").await;
    c.page("/ui/stats").await;
    let mut auditor = Client::new(&node);
    auditor.sign_in("awa").await;
    auditor.page("/ui/agreements").await;
    auditor.page("/ui/ledger").await;
}

/// A preview that releases one incident to any partner, as the egress pipeline would.
fn one_item_preview() -> PreviewFn {
    Arc::new(
        |to: CountryCode| -> BoxFuture<Result<Vec<PreviewItem>, String>> {
            Box::pin(async move {
                Ok(vec![PreviewItem {
                    incident_id: "MLI-2026-0042".into(),
                    version: 3,
                    agreement: Some(("mli-all".into(), 1)),
                    applied: vec![
                        "location:admin1".into(),
                        "narrative:dropped".into(),
                        "something:new".into(),
                    ],
                    object: json!({"type": "incident", "id": "incident--42", "name": "Attack near Ménaka",
                               "x_liaison_to": to.as_str()}),
                }])
            })
        },
    )
}

#[tokio::test]
async fn the_preview_shows_what_a_partner_would_receive() {
    let node = node_with(Some(one_item_preview())).await;
    put_agreements(&node.store).await;
    let mut c = Client::new(&node);
    c.sign_in("karim").await;
    let form = c.page("/ui/agreements/preview").await;
    assert!(form.contains("<option value=\"NER\">"), "{form}");
    let p = c.page("/ui/agreements/preview?to=ner").await;
    assert!(
        p.contains("NER would receive one incident from this node now."),
        "{p}"
    );
    assert!(p.contains("MLI-2026-0042"));
    assert!(p.contains("agreement mli-all, version 1"));
    assert!(p.contains("Location coarsened to the province (admin1) <code>location:admin1</code>"));
    assert!(p.contains("Narrative dropped <code>narrative:dropped</code>"));
    // An obligation this screen does not know is still shown, as its code.
    assert!(p.contains("something:new <code>something:new</code>"));
    // The object as it would leave, pretty, inside a disclosure widget.
    let details = p.find("<details>").unwrap();
    assert!(p[details..].contains("<pre class=\"code\""));
    assert!(
        p[details..].contains("&#34;x_liaison_to&#34;: &#34;NER&#34;"),
        "{p}"
    );

    let bad = c.get("/ui/agreements/preview?to=N3R").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("N3R is not a member code"),
        "{}",
        bad.body
    );
}

#[tokio::test]
async fn without_an_identity_there_is_no_preview() {
    let node = node().await;
    let mut c = Client::new(&node);
    c.sign_in("root").await;
    let p = c.page("/ui/agreements/preview?to=NER").await;
    assert!(p.contains("id=\"preview-notice\""));
    assert!(p.contains("This node has no federation identity"), "{p}");
    c.accept_language = "fr";
    let p = c.page("/ui/agreements/preview?to=NER").await;
    assert!(
        p.contains("Ce nœud n&#39;a pas d&#39;identité de fédération"),
        "{p}"
    );
}

#[tokio::test]
async fn a_failing_peer_is_never_silent() {
    let node = node().await;
    let mut c = Client::new(&node);
    c.sign_in("amadou").await;
    assert!(c.page("/ui/peers").await.contains("id=\"no-peers\""));
    let s = &node.store;
    s.put_peer(
        "NER",
        "https://ner.example:8443",
        "a2V5",
        "SHA256:nerkey",
        "root",
        NOW,
    )
    .await
    .unwrap();
    s.put_peer(
        "BFA",
        "https://bfa.example:8443",
        "a2V5",
        "SHA256:bfakey",
        "root",
        NOW,
    )
    .await
    .unwrap();
    s.sync_failed("NER", "connection refused by ner.example", NOW)
        .await
        .unwrap();
    s.sync_failed("NER", "connection refused by ner.example", NOW)
        .await
        .unwrap();
    s.sync_succeeded("BFA", 7, NOW).await.unwrap();
    s.raise_alarm(
        "NER",
        "fork",
        "two checkpoints of size 4",
        "2026-11-28T08:00:00Z",
    )
    .await
    .unwrap();
    let p = c.page("/ui/peers").await;
    assert!(
        p.contains("<span class=\"peer-error\">connection refused by ner.example</span>"),
        "{p}"
    );
    assert!(
        p.contains("NER: the sync is failing (2 failed in a row)."),
        "{p}"
    );
    assert!(
        p.contains("<span class=\"peer-alarm\">fork: two checkpoints of size 4</span>"),
        "{p}"
    );
    assert!(p.contains("https://bfa.example:8443") && p.contains("SHA256:bfakey"));
    let bfa = &p[p.find("id=\"peer-BFA\"").unwrap()..p.find("id=\"peer-NER\"").unwrap()];
    assert!(bfa.contains("badge good"), "{bfa}");
    assert!(bfa.contains("<td class=\"num\">7</td>"), "{bfa}");
}

#[tokio::test]
async fn the_ledger_shows_its_size_checkpoint_witnesses_and_entries() {
    let node = node().await;
    let mut c = Client::new(&node);
    c.sign_in("awa").await;
    let empty = c.page("/ui/ledger").await;
    assert!(empty.contains("id=\"no-checkpoint\"") && empty.contains("id=\"no-alarms\""));
    let store = signed(&node.store);
    store
        .put_agreement("mli-all", 1, MLI_ALL, "karim", NOW)
        .await
        .unwrap();
    store
        .put_peer(
            "NER",
            "https://ner.example",
            "a2V5",
            "SHA256:nerkey",
            "root",
            NOW,
        )
        .await
        .unwrap();
    let head = store.latest_checkpoint().await.unwrap().unwrap();
    assert_eq!(head.size, 2);
    store
        .put_cosignature(&Cosignature {
            size: 2,
            witness: "liaison-NER".into(),
            line: "— liaison-NER AAAAAAAAAAAAAAAA".into(),
            cosigned_at: 1_795_852_800,
            received_at: "2026-11-28T08:01:00Z".into(),
        })
        .await
        .unwrap();
    let p = c.page("/ui/ledger").await;
    assert!(p.contains("<dd id=\"ledger-size\">2</dd>"), "{p}");
    let note = &p[p.find("id=\"ledger-checkpoint\"").unwrap()..];
    assert!(
        note.starts_with("id=\"ledger-checkpoint\" tabindex=\"0\">liaison.test/MLI\n2\n"),
        "{note}"
    );
    assert!(note.contains("— liaison-NER AAAAAAAAAAAAAAAA"));
    assert!(p.contains("Witnesses of the checkpoint of size 2"));
    assert!(
        p.contains("<td>liaison-NER</td><td>28 November 2026 08:00 UTC</td>"),
        "{p}"
    );
    assert!(p.contains("The latest 2 checkpoints, newest first"), "{p}");
    // Newest entry first, each with a readable sentence.
    let peer = p.find("Peer NER added by root, key SHA256:nerke…").unwrap();
    let agreement = p
        .find("Agreement mli-all version 1 created by karim")
        .unwrap();
    assert!(peer < agreement, "{p}");
    assert!(p.contains("<td>peer changed</td>"));

    node.store
        .raise_alarm(
            "NER",
            "rollback",
            "size went from 9 to 4",
            "2026-11-28T08:02:00Z",
        )
        .await
        .unwrap();
    let p = c.page("/ui/ledger").await;
    assert!(
        p.contains("<span class=\"badge bad\">rollback</span></td><td>size went from 9 to 4</td>"),
        "{p}"
    );
    assert!(p.contains("Alarm about NER: rollback, size went from 9 to 4"));
}

/// An incident of `country` at `at` (lat, lon), begun on `date`.
fn incident(n: u32, country: &str, sub_type: &str, date: &str, at: (f64, f64)) -> Incident {
    let content: IncidentContent = serde_json::from_value(json!({
        "title": format!("Incident {n}"),
        "sub_type": sub_type,
        "date": {"start": date, "end": date, "precision": "day"},
        "location": {"point": {"lat": at.0, "lon": at.1}, "precision": "exact", "country": country},
        "casualties": {"fatalities": {"best": 1, "low": 1, "high": 1}},
    }))
    .unwrap();
    Incident::new(
        IncidentId::parse(&format!("test:{n}")).unwrap(),
        CountryCode::parse("MLI").unwrap(),
        1,
        content,
    )
}

const MENAKA: (f64, f64) = (15.92, 2.40);
const KIDAL: (f64, f64) = (18.44, 1.41);
const DJIBO: (f64, f64) = (14.10, -1.63);
const NIAMEY: (f64, f64) = (13.51, 2.11);

/// The row of a chart's table for `label`.
fn cell(label: &str, count: &str) -> String {
    format!("<tr><th scope=\"row\">{label}</th><td class=\"num\">{count}</td></tr>")
}

#[tokio::test]
async fn statistics_count_per_country_zone_month_and_type() {
    let node = node().await;
    for inc in [
        incident(1, "MLI", "armed_attack", "2026-10-05", MENAKA),
        incident(2, "MLI", "clash_with_armed_forces", "2026-10-20", KIDAL),
        incident(3, "MLI", "armed_attack", "2026-11-02", KIDAL),
        incident(4, "BFA", "kidnapping", "2026-11-10", DJIBO),
        incident(5, "NER", "ied", "2025-03-01", NIAMEY),
    ] {
        node.store
            .create_incident(&inc, "amadou", NOW)
            .await
            .unwrap();
    }
    let mut c = Client::new(&node);
    c.sign_in("amadou").await;
    let p = c.page("/ui/stats").await;
    assert!(p.contains("5 incidents match these filters."), "{p}");
    for id in ["country", "zone", "month", "type"] {
        assert!(
            p.contains(&format!("<figure class=\"chart\" id=\"chart-{id}\">")),
            "{id}"
        );
        assert!(
            p.contains(&format!("<table class=\"data\" id=\"table-{id}\">")),
            "{id}"
        );
    }
    assert_eq!(p.matches("<svg ").count(), 4);
    for (label, n) in [
        ("MLI", "3"),
        ("BFA", "1"),
        ("NER", "1"),
        ("Liptako-Gourma tri-border area", "2"),
        ("Adrar des Ifoghas–Kidal–Tamanrasset corridor", "2"),
        ("Aïr–Djanet–Fezzan area", "0"),
        ("March 2025", "1"),
        ("October 2026", "2"),
        ("November 2026", "2"),
        ("Attack", "2"),
        ("Battle", "1"),
        ("Abduction", "1"),
        ("Explosion or remote violence", "1"),
    ] {
        assert!(p.contains(&cell(label, n)), "{label}: {n}\n{p}");
    }
    assert!(p.contains("<title>MLI: 3</title>"), "{p}");
    // Months in order, oldest first.
    assert!(
        p.find(&cell("March 2025", "1")).unwrap() < p.find(&cell("October 2026", "2")).unwrap()
    );

    let mali = c.page("/ui/stats?from=&to=&type=&country=MLI").await;
    assert!(mali.contains("3 incidents match"), "{mali}");
    assert!(mali.contains(&cell("Liptako-Gourma tri-border area", "1")));
    assert!(mali.contains("<option value=\"MLI\" selected>"));
    let attacks = c.page("/ui/stats?type=attack&from=2026-11-01").await;
    assert!(
        attacks.contains("One incident matches these filters."),
        "{attacks}"
    );
    assert!(attacks.contains(&cell("Adrar des Ifoghas–Kidal–Tamanrasset corridor", "1")));

    let bad = c.get("/ui/stats?from=yesterday&country=ZZZ").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(
        bad.body.contains("From: yesterday is not a date"),
        "{}",
        bad.body
    );
    assert!(bad.body.contains("ZZZ is not a country code"));
    assert!(!bad.body.contains("<svg "));

    c.accept_language = "fr";
    let fr = c.page("/ui/stats").await;
    assert!(fr.contains(&cell("octobre 2026", "2")), "{fr}");
    assert!(fr.contains(&cell("Attaque", "2")), "{fr}");
    assert!(fr.contains("<title>MLI : 3</title>"));
}

#[tokio::test]
async fn the_screens_speak_french() {
    let node = node().await;
    put_agreements(&node.store).await;
    let mut c = Client::new(&node);
    c.accept_language = "fr-FR,fr;q=0.9";
    c.sign_in("root").await;
    for (path, title) in [
        ("/ui/agreements", "<h1>Accords</h1>"),
        (
            "/ui/agreements/mli-all",
            "<h1>Accord <code>mli-all</code></h1>",
        ),
        (
            "/ui/agreements/preview",
            "<h1>Ce que recevrait un partenaire</h1>",
        ),
        ("/ui/peers", "<h1>Pairs</h1>"),
        ("/ui/ledger", "<h1>Registre des communications</h1>"),
        ("/ui/stats", "<h1>Statistiques</h1>"),
    ] {
        let p = c.page(path).await;
        assert!(p.contains("<html lang=\"fr\""), "{path}");
        assert!(p.contains(title), "{path}: {p}");
    }
    let one = c.page("/ui/agreements/mli-all").await;
    assert!(one.contains("Lieu ramené à la province (admin1)"));
    assert!(
        one.contains("badge bad\" id=\"agreement-state\">révoqué"),
        "{one}"
    );
}
