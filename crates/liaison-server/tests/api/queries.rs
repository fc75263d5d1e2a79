//! Queries: the list's filters and cursor paging, bad parameters, statistics, registers.

use super::*;

/// Creates 12 incidents: Mali, Niger and Algeria, 2011 to 2013, some on the same day.
async fn seed(app: &Router) {
    let rows = [
        ("Attack on a patrol", "armed_attack", "2011-02-01", GAO, 3),
        (
            "Kidnapping of two tourists",
            "kidnapping",
            "2011-05-10",
            NIAMEY,
            0,
        ),
        (
            "Bombing of a barracks",
            "bombing",
            "2011-09-01",
            TAMANRASSET,
            2,
        ),
        ("Ambush on the road", "armed_attack", "2012-01-17", GAO, 5),
        (
            "Kidnapping of an engineer",
            "kidnapping",
            "2012-01-17",
            GAO,
            0,
        ),
        (
            "Clash with the army",
            "armed_clash",
            "2012-01-17",
            NIAMEY,
            4,
        ),
        (
            "Seizure of cocaine",
            "seizure_drugs",
            "2012-03-22",
            TAMANRASSET,
            0,
        ),
        ("Riot in the market", "riot", "2012-06-30", GAO, 1),
        ("Suicide bombing", "suicide_bombing", "2012-11-02", GAO, 6),
        (
            "Attack on gendarmes",
            "armed_attack",
            "2013-01-16",
            TAMANRASSET,
            7,
        ),
        (
            "Hostage release",
            "hostage_release",
            "2013-01-20",
            NIAMEY,
            0,
        ),
        ("Air strike", "air_strike", "2013-01-20", GAO, 8),
    ];
    for (title, sub, date, at, dead) in rows {
        create(app, &content(title, sub, date, at, dead)).await;
    }
}

fn titles(page: &Value) -> Vec<String> {
    page["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

async fn list_titles(app: &Router, query: &str) -> Vec<String> {
    let a = get(app, &format!("/api/v1/incidents?{query}"), ANALYST).await;
    assert_eq!(a.status, StatusCode::OK, "{query}: {}", a.json());
    titles(&a.json())
}

#[tokio::test]
async fn list_filters_and_pages() {
    let n = node().await;
    seed(&n.app).await;

    // Paging: 5 + 5 + 2, newest first, no repeats, the last page without a cursor.
    let mut seen: Vec<Value> = Vec::new();
    let mut uri = "/api/v1/incidents?limit=5".to_owned();
    let mut pages = 0;
    loop {
        let a = get(&n.app, &uri, ANALYST).await;
        assert_eq!(a.status, StatusCode::OK);
        let page = a.json();
        pages += 1;
        seen.extend(page["incidents"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => uri = format!("/api/v1/incidents?limit=5&cursor={c}"),
            None => {
                assert!(page["next_cursor"].is_null());
                break;
            }
        }
    }
    assert_eq!(pages, 3);
    assert_eq!(seen.len(), 12);
    let mut ids: Vec<&str> = seen.iter().map(|i| i["id"].as_str().unwrap()).collect();
    let dates: Vec<&str> = seen
        .iter()
        .map(|i| i["date"]["start"].as_str().unwrap())
        .collect();
    assert!(dates.windows(2).all(|w| w[0] >= w[1]), "{dates:?}");
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), 12);
    // Default page size holds them all.
    let a = get(&n.app, "/api/v1/incidents", ANALYST).await;
    assert_eq!(a.json()["incidents"].as_array().unwrap().len(), 12);
    assert!(a.json()["next_cursor"].is_null());

    assert_eq!(
        list_titles(&n.app, "country=NER").await,
        [
            "Hostage release",
            "Clash with the army",
            "Kidnapping of two tourists"
        ]
    );
    assert_eq!(
        list_titles(&n.app, "from=2012-01-01&to=2012-01-31&country=mli")
            .await
            .len(),
        2
    );
    assert_eq!(
        list_titles(&n.app, "type=kidnapping").await,
        ["Kidnapping of an engineer", "Kidnapping of two tourists"]
    );
    assert_eq!(
        list_titles(&n.app, "type=explosion,riot").await,
        [
            "Air strike",
            "Suicide bombing",
            "Riot in the market",
            "Bombing of a barracks"
        ]
    );
    // Around Tamanrasset only.
    assert_eq!(
        list_titles(&n.app, "bbox=4,21,7,24").await,
        [
            "Attack on gendarmes",
            "Seizure of cocaine",
            "Bombing of a barracks"
        ]
    );
    assert_eq!(
        list_titles(&n.app, "text=cocaine").await,
        ["Seizure of cocaine"]
    );
    assert_eq!(
        list_titles(&n.app, "text=gendarmerie+ambush").await,
        ["Ambush on the road"]
    );
    assert_eq!(list_titles(&n.app, "originator=MLI").await.len(), 12);
    assert!(list_titles(&n.app, "originator=NER").await.is_empty());
    // Empty values mean "not given", as an HTML form sends them.
    assert_eq!(list_titles(&n.app, "country=&type=").await.len(), 12);
}

#[tokio::test]
async fn bad_parameters_are_named() {
    let n = node().await;
    for (query, param) in [
        ("bbox=1,2,3", "bbox"),
        ("from=2020-13-01", "from"),
        ("to=yesterday", "to"),
        ("type=picnic", "type"),
        ("cursor=zzz", "cursor"),
        ("limit=abc", "limit"),
        ("limit=0", "limit"),
        ("limit=1001", "limit"),
        ("country=QQQ", "country"),
        ("originator=Mali", "originator"),
        ("contry=MLI", "contry"),
        ("country=MLI&country=NER", "country"),
    ] {
        let a = get(&n.app, &format!("/api/v1/incidents?{query}"), ANALYST).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(a.code(), "bad_request");
        assert_eq!(a.fields(), [param], "{query}");
        let message = a.json()["error"]["message"].as_str().unwrap().to_owned();
        assert!(message.starts_with(&format!("{param}: ")), "{message}");
    }
    // Several at once are all named.
    let a = get(
        &n.app,
        "/api/v1/incidents?bbox=1,2,3&from=2020-13-01&type=picnic&cursor=zzz&limit=abc",
        ANALYST,
    )
    .await;
    assert_eq!(a.fields(), ["from", "type", "bbox", "limit", "cursor"]);
}

#[tokio::test]
async fn stats_group_and_sum() {
    let n = node().await;
    seed(&n.app).await;
    let a = get(&n.app, "/api/v1/stats?by=country,year", AUDITOR).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json());
    let rows = a.json();
    let rows = rows.as_array().unwrap();
    let row = |c: &str, y: i64| {
        rows.iter()
            .find(|r| r["country"] == c && r["year"] == y)
            .unwrap_or_else(|| panic!("no row {c} {y} in {rows:?}"))
            .clone()
    };
    assert_eq!(row("MLI", 2012)["incidents"], 4);
    assert_eq!(row("MLI", 2012)["fatalities_best"], 12);
    assert_eq!(row("NER", 2011)["incidents"], 1);
    assert_eq!(row("DZA", 2013)["fatalities_high"], 7);
    let total: u64 = rows.iter().map(|r| r["incidents"].as_u64().unwrap()).sum();
    assert_eq!(total, 12);
    let dead: u64 = rows
        .iter()
        .map(|r| r["fatalities_best"].as_u64().unwrap())
        .sum();
    assert_eq!(dead, 36);
    assert!(rows.iter().all(|r| r.get("event_type").is_none()));
    // With the list's filters.
    let a = get(&n.app, "/api/v1/stats?by=type&country=NER", AUDITOR).await;
    let rows = a.json();
    let types: Vec<&str> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["event_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["abduction", "battle"]);
    assert_eq!(rows[0]["incidents"], 2);
    // Bad dimensions are named.
    for q in [
        "by=colour",
        "by=country,country",
        "by=",
        "",
        "by=year&limit=5",
    ] {
        let a = get(&n.app, &format!("/api/v1/stats?{q}"), AUDITOR).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{q}");
        let expected = if q.contains("limit") { "limit" } else { "by" };
        assert_eq!(a.fields(), [expected], "{q}");
    }
}

#[tokio::test]
async fn registers_are_arrays() {
    let n = node().await;
    for path in ["/api/v1/members", "/api/v1/actors", "/api/v1/places"] {
        let a = get(&n.app, path, LIAISON).await;
        assert_eq!(a.status, StatusCode::OK);
        assert_eq!(a.json(), json!([]));
    }
    n.store
        .put_member(&liaison_core::Member {
            code: CountryCode::parse("MLI").unwrap(),
            name: "Mali".into(),
            joint_command: true,
            fusion_cell: true,
            assets: Vec::new(),
            attacks_since_2001: None,
        })
        .await
        .unwrap();
    let a = get(&n.app, "/api/v1/members", LIAISON).await;
    assert_eq!(a.json()[0]["code"], "MLI");
}

#[tokio::test]
async fn peers_show_their_sync_status_and_failures_are_not_silent() {
    let n = node().await;
    let a = get(&n.app, "/api/v1/peers", AUDITOR).await;
    assert_eq!((a.status, a.json()), (StatusCode::OK, json!([])));
    n.store
        .put_peer("DZA", "https://dz:8443", "key", "SHA256:x", "test", NOW)
        .await
        .unwrap();
    n.store
        .sync_failed("DZA", "peer DZA: connection refused", NOW)
        .await
        .unwrap();
    let a = get(&n.app, "/api/v1/peers", AUDITOR).await;
    let p = &a.json()[0];
    assert_eq!(p["member"], "DZA");
    assert_eq!(p["last_error"], "peer DZA: connection refused");
    assert_eq!(p["failures"], 1);
    assert!(p["last_success"].is_null());
    n.store.sync_succeeded("DZA", 12, NOW).await.unwrap();
    let p = get(&n.app, "/api/v1/peers", AUDITOR).await.json()[0].clone();
    assert!(
        p["last_error"].is_null() && p["failures"] == 0 && p["backlog"] == 12,
        "{p}"
    );
    assert_eq!(
        (p["alarms"].clone(), p["last_alarm"].clone()),
        (json!(0), json!(null))
    );
    // An alarm against the peer's ledger shows beside its sync status, and in the ledger view.
    n.store
        .raise_alarm(
            "DZA",
            "fork",
            "two roots for size 9",
            "2012-01-31T00:00:00Z",
        )
        .await
        .unwrap();
    let p = get(&n.app, "/api/v1/peers", AUDITOR).await.json()[0].clone();
    assert_eq!(p["alarms"], 1);
    assert_eq!(p["last_alarm"], "fork: two roots for size 9");
    let l = get(&n.app, "/api/v1/ledger", AUDITOR).await;
    assert_eq!(l.status, StatusCode::OK);
    assert_eq!(l.json()["alarms"][0]["kind"], "fork");
}

#[tokio::test]
async fn the_ledger_is_read_by_auditors_and_records_reads() {
    let n = node().await;
    // Analysts write incidents; the ledger is for auditors, liaison officers and admins.
    assert_eq!(
        get(&n.app, "/api/v1/ledger", ANALYST).await.status,
        StatusCode::FORBIDDEN
    );
    let created = create(
        &n.app,
        &content("Attack", "armed_attack", "2012-03-05", GAO, 3),
    )
    .await;
    let id = created["id"].as_str().unwrap().to_owned();
    let status = get(&n.app, "/api/v1/ledger", AUDITOR).await.json();
    assert_eq!(status["size"], 1);
    let page = get(&n.app, "/api/v1/ledger/entries?start=0&end=10", AUDITOR)
        .await
        .json();
    let entry: serde_json::Value =
        serde_json::from_str(page["entries"][0]["entry"].as_str().unwrap()).unwrap();
    assert_eq!(
        (entry["type"].clone(), entry["incident_id"].clone()),
        (json!("incident_recorded"), json!(id))
    );
    // Reading the incident is noted, and logged in one batch at the next flush.
    assert_eq!(
        get(&n.app, &format!("/api/v1/incidents/{id}"), LIAISON)
            .await
            .status,
        StatusCode::OK
    );
    n.store.flush_reads("2012-01-31T00:00:01Z").await.unwrap();
    let page = get(&n.app, "/api/v1/ledger/entries?start=1&end=10", AUDITOR)
        .await
        .json();
    let entry: serde_json::Value =
        serde_json::from_str(page["entries"][0]["entry"].as_str().unwrap()).unwrap();
    assert_eq!(entry["type"], "reads");
    assert_eq!(entry["user"], "karim");
    assert_eq!(entry["incident_ids"], json!([id]));
    // Proofs: a bad range is a 400 naming the problem.
    let bad = get(
        &n.app,
        "/api/v1/ledger/proof/inclusion?index=5&size=9",
        AUDITOR,
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    let ok = get(
        &n.app,
        "/api/v1/ledger/proof/consistency?from=1&to=2",
        AUDITOR,
    )
    .await;
    assert_eq!(ok.status, StatusCode::OK);
}
