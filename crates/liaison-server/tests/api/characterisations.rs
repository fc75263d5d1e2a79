//! Characterisations over the API: this node's member records its readings (analysts and
//! admins), every role reads them side by side, bad bodies are named, unknown incidents are 404,
//! the divergence report, and "as characterised by" on the list and statistics.

use liaison_core::{Category, Characterisation, Confidence};

use super::*;

const PATH: &str = "/api/v1/incidents/mli-0001/characterisations";

/// Two incidents, the first read by MLI (through the API) and by DZA and NER (as if received).
async fn seeded() -> Node {
    let n = node().await;
    create(
        &n.app,
        &content("Raid on a village", "armed_attack", "2012-01-17", GAO, 3),
    )
    .await;
    create(
        &n.app,
        &content("Ambush", "armed_attack", "2013-01-20", GAO, 2),
    )
    .await;
    for (member, category) in [("DZA", Category::Terrorism), ("NER", Category::Trafficking)] {
        let c = Characterisation {
            incident_id: liaison_core::IncidentId::parse("mli-0001").unwrap(),
            member: CountryCode::parse(member).unwrap(),
            category,
            confidence: Confidence::High,
            rationale: format!("{member}'s reading"),
            national_term: None,
        };
        n.store.characterise(&c, "peer", NOW).await.unwrap();
    }
    n
}

#[tokio::test]
async fn members_readings_side_by_side() {
    let n = seeded().await;
    let body = json!({
        "category": "banditry",
        "confidence": "moderate",
        "rationale": "cattle raid, no claim",
        "national_term": "banditisme armé"
    });
    let a = post(&n.app, PATH, ANALYST, &body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    let mine = a.json();
    assert_eq!(mine["member"], "MLI");
    assert_eq!(mine["version"], 1);
    assert_eq!(mine["recorded_by"], "amadou");
    assert_eq!(mine["national_term"], "banditisme armé");
    // A second reading is the next version; the first is kept.
    let body2 = json!({"category": "insurgency", "confidence": "low", "rationale": "MNLA claim"});
    let a = post(&n.app, PATH, ADMIN, &body2).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    assert_eq!(a.json()["version"], 2);

    for token in [ANALYST, ADMIN, AUDITOR, LIAISON] {
        let a = get(&n.app, PATH, token).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.json());
        let v = a.json();
        let readings = v["readings"].as_array().unwrap();
        let summary: Vec<(String, String, u64)> = readings
            .iter()
            .map(|r| {
                (
                    r["member"].as_str().unwrap().to_owned(),
                    r["category"].as_str().unwrap().to_owned(),
                    r["history"].as_u64().unwrap(),
                )
            })
            .collect();
        assert_eq!(
            summary,
            [
                ("DZA".into(), "terrorism".into(), 1),
                ("MLI".into(), "insurgency".into(), 2),
                ("NER".into(), "trafficking".into(), 1)
            ]
        );
    }
    // The incident itself is unchanged.
    let inc = get(&n.app, "/api/v1/incidents/mli-0001", ANALYST)
        .await
        .json();
    assert_eq!(inc["version"], 1);
    assert!(!inc.to_string().contains("insurgency"));
}

#[tokio::test]
async fn bad_readings_are_refused_and_nothing_is_stored() {
    let n = seeded().await;
    let ok = json!({"category": "banditry", "confidence": "low", "rationale": "x"});
    for token in [AUDITOR, LIAISON] {
        let a = post(&n.app, PATH, token, &ok).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN, "{}", a.json());
    }
    let a = post(
        &n.app,
        "/api/v1/incidents/mli-9999/characterisations",
        ANALYST,
        &ok,
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let a = get(
        &n.app,
        "/api/v1/incidents/mli-9999/characterisations",
        ANALYST,
    )
    .await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    let a = post(
        &n.app,
        PATH,
        ANALYST,
        &json!({"category": "piracy", "confidence": "low", "rationale": "x"}),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.fields(), ["category"]);
    let a = post(
        &n.app,
        PATH,
        ANALYST,
        &json!({
            "category": "banditry",
            "confidence": "low",
            "rationale": "  ",
            "national_term": "x".repeat(201)
        }),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.fields(), ["rationale", "national_term"]);
    let readings = get(&n.app, PATH, ANALYST).await.json()["readings"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(readings, 2, "only DZA's and NER's");
}

#[tokio::test]
async fn divergence_and_as_characterised_by() {
    let n = seeded().await;
    let body = json!({"category": "banditry", "confidence": "high", "rationale": "raid"});
    assert_eq!(
        post(&n.app, PATH, ANALYST, &body).await.status,
        StatusCode::CREATED
    );
    let a = get(&n.app, "/api/v1/characterisations/divergence", AUDITOR).await;
    assert_eq!(a.status, StatusCode::OK);
    let d = a.json();
    assert_eq!(d.as_array().unwrap().len(), 1);
    assert_eq!(d[0]["incident_id"], "mli-0001");
    assert_eq!(d[0]["readings"].as_array().unwrap().len(), 3);
    let a = get(
        &n.app,
        "/api/v1/characterisations/divergence?limit=0",
        AUDITOR,
    )
    .await;
    assert_eq!(a.fields(), ["limit"]);

    let a = get(
        &n.app,
        "/api/v1/incidents?characterised_by=DZA&category=terrorism",
        ANALYST,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json());
    let page = a.json();
    assert_eq!(page["incidents"].as_array().unwrap().len(), 1);
    assert_eq!(page["incidents"][0]["id"], "mli-0001");
    let a = get(
        &n.app,
        "/api/v1/incidents?characterised_by=DZA&category=banditry",
        ANALYST,
    )
    .await;
    assert!(a.json()["incidents"].as_array().unwrap().is_empty());
    let a = get(&n.app, "/api/v1/incidents?category=terrorism", ANALYST).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.fields(), ["category"]);

    let a = get(
        &n.app,
        "/api/v1/stats?by=category&characterised_by=MLI",
        ANALYST,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json());
    assert_eq!(
        a.json(),
        json!([{"category": "banditry", "incidents": 1, "fatalities_best": 3,
                "fatalities_low": 3, "fatalities_high": 3}])
    );
    let a = get(&n.app, "/api/v1/stats?by=category", ANALYST).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.fields(), ["by"]);
}
