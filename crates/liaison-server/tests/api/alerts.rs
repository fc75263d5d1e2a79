//! Watch rules and alerts over the API: rules are checked whole and named field by field, only
//! the node's member's rules are kept, read-only roles may not write them; an incident that
//! matches raises an alert on the next listing; steps go forward once (409 otherwise), auditors
//! may not take them; statistics and reciprocity are readable by every role.

use super::*;

#[tokio::test]
async fn rules_raise_alerts_that_are_tracked_to_closure() {
    let n = node().await;
    let rule = json!({"id": "gao-deadly", "member": "MLI", "name": "Deadly attacks",
                      "event_types": ["attack"], "min_fatalities": 5});
    for token in [AUDITOR, LIAISON] {
        assert_eq!(
            post(&n.app, "/api/v1/watch-rules", token, &rule)
                .await
                .status,
            StatusCode::FORBIDDEN
        );
    }
    // Broken rules: every problem named, nothing kept.
    let bad = json!([
        {"id": "ok-one", "member": "MLI", "name": "fine", "min_fatalities": 1},
        {"id": "Bad Id", "member": "MLI", "name": "", "threshold": {"count": 2, "days": 400}},
        {"id": "nothing", "member": "MLI", "name": "matches everything"},
    ]);
    let a = post(&n.app, "/api/v1/watch-rules", ANALYST, &bad).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.json());
    let fields = a.fields();
    for f in ["rules[1].id", "rules[1].name", "rules[1].threshold.days"] {
        assert!(fields.iter().any(|x| x == f), "{f} not named in {fields:?}");
    }
    assert!(
        fields.iter().any(|x| x.starts_with("rules[2]")),
        "{fields:?}"
    );
    assert!(n.store.watch_rules(true).await.unwrap().is_empty());
    // Another member's rule is not this node's to keep.
    let foreign = json!({"id": "x", "member": "NER", "name": "x", "min_fatalities": 1});
    let a = post(&n.app, "/api/v1/watch-rules", ANALYST, &foreign).await;
    assert_eq!(a.fields(), ["rules[0].member"]);

    let a = post(&n.app, "/api/v1/watch-rules", ANALYST, &rule).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    assert_eq!(a.json()[0]["version"], 1);
    let listed = get(&n.app, "/api/v1/watch-rules", LIAISON).await.json();
    assert_eq!(listed[0]["rule"]["id"], "gao-deadly");

    create(
        &n.app,
        &content("Embuscade de Gao", "armed_attack", "2013-01-30", GAO, 12),
    )
    .await;
    create(
        &n.app,
        &content("Vol de bétail", "armed_attack", "2013-01-30", GAO, 1),
    )
    .await;
    let alerts = get(&n.app, "/api/v1/alerts?open=true", AUDITOR).await;
    assert_eq!(alerts.status, StatusCode::OK);
    let alerts = alerts.json();
    assert_eq!(alerts.as_array().unwrap().len(), 1, "{alerts}");
    assert_eq!(alerts[0]["rule_id"], "gao-deadly");
    assert_eq!(alerts[0]["state"], "raised");
    let id = alerts[0]["id"].as_i64().unwrap();

    let step = |s: &str| format!("/api/v1/alerts/{id}/{s}");
    assert_eq!(
        post(&n.app, &step("acknowledge"), AUDITOR, &json!({}))
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    // A liaison officer may acknowledge; twice is a conflict.
    let a = post(&n.app, &step("acknowledge"), LIAISON, &json!({})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json());
    assert_eq!(a.json()["acknowledged_by"], "karim");
    assert_eq!(
        post(&n.app, &step("acknowledge"), ANALYST, &json!({}))
            .await
            .status,
        StatusCode::CONFLICT
    );
    let a = post(
        &n.app,
        &step("action"),
        ANALYST,
        &json!({"note": "patrol sent"}),
    )
    .await;
    assert_eq!(a.json()["action_note"], "patrol sent");
    assert_eq!(
        post(&n.app, &step("reopen"), ANALYST, &json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        post(&n.app, "/api/v1/alerts/999/close", ANALYST, &json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let a = post(&n.app, &step("close"), ANALYST, &json!({"unknown": 1})).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    let a = post(&n.app, &step("close"), ANALYST, &json!({"note": "done"})).await;
    assert_eq!(a.json()["state"], "closed");

    let one = get(&n.app, &format!("/api/v1/alerts/{id}"), AUDITOR)
        .await
        .json();
    assert_eq!(one["closed_note"], "done");
    assert!(one["reasons"].as_array().unwrap().len() >= 2, "{one}");
    assert!(
        get(&n.app, "/api/v1/alerts?open=true", ANALYST)
            .await
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        get(&n.app, "/api/v1/alerts?state=lost", ANALYST)
            .await
            .fields(),
        ["state"]
    );

    let stats = get(&n.app, "/api/v1/alerts/stats", AUDITOR).await.json();
    assert_eq!(stats[0]["member"], "MLI");
    assert_eq!(stats[0]["alerts"], 1);
    assert_eq!(stats[0]["to_close"]["count"], 1);
    let r = get(&n.app, "/api/v1/reciprocity", LIAISON).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json().as_array().unwrap().is_empty(), "no partners yet");

    // Retiring: writers only, once.
    let del = |token| {
        send(
            &n.app,
            request(
                Method::DELETE,
                "/api/v1/watch-rules/gao-deadly",
                Some(token),
                None,
            ),
        )
    };
    assert_eq!(del(LIAISON).await.status, StatusCode::FORBIDDEN);
    assert_eq!(del(ADMIN).await.status, StatusCode::NO_CONTENT);
    assert_eq!(del(ADMIN).await.status, StatusCode::CONFLICT);
    assert!(
        get(&n.app, "/api/v1/watch-rules", ANALYST)
            .await
            .json()
            .as_array()
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        get(&n.app, "/api/v1/watch-rules?all=true", ANALYST)
            .await
            .json()[0]["active"],
        false
    );
}
