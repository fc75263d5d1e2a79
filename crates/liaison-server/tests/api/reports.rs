//! Field reports over the API: a gateway posts a report (analysts and admins; read-only roles
//! may not), a readable one is a 201 draft, an unreadable one a 422 naming the word at fault yet
//! kept; listing by status, accepting a draft into an incident, rejecting, and reviews that
//! cannot happen twice.

use super::*;

#[tokio::test]
async fn reports_are_read_kept_and_reviewed() {
    let n = node().await;
    let body = json!({"text": "ATK @Aguelhok 17/01 06:30 K3 W2 A:AQIM / poste attaque",
                      "from": "+223 70 00 00 00"});
    assert_eq!(
        post(&n.app, "/api/v1/reports", AUDITOR, &body).await.status,
        StatusCode::FORBIDDEN
    );
    let a = post(&n.app, "/api/v1/reports", ANALYST, &body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    let draft = a.json();
    assert_eq!(draft["status"], "draft");
    assert_eq!(
        draft["draft"]["date"]["start"], "2013-01-17",
        "DD/MM in the year received"
    );
    assert_eq!(draft["draft"]["location"]["country"], "MLI");
    let id = draft["id"].as_i64().unwrap();

    let bad = json!({"text": "ATK @Gao demain", "from": "patrol-2"});
    let a = post(&n.app, "/api/v1/reports", ANALYST, &bad).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.fields(), ["text"]);
    let message = a.json()["error"]["fields"][0]["message"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(message.contains("word 3 'demain'"), "{message}");
    assert!(message.contains("kept as report"), "{message}");
    let a = post(
        &n.app,
        "/api/v1/reports",
        ANALYST,
        &json!({"text": "x", "from": ""}),
    )
    .await;
    assert_eq!(a.fields(), ["from"]);

    let unreadable = get(&n.app, "/api/v1/reports?status=unreadable", LIAISON)
        .await
        .json();
    assert_eq!(unreadable.as_array().unwrap().len(), 1);
    assert_eq!(unreadable[0]["text"], "ATK @Gao demain");
    assert_eq!(
        get(&n.app, "/api/v1/reports?status=lost", ANALYST)
            .await
            .fields(),
        ["status"]
    );

    let uri = format!("/api/v1/reports/{id}/accept");
    let a = post(&n.app, &uri, ANALYST, &json!({})).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json());
    assert_eq!(a.json()["incident_id"], format!("mli-report-{id}"));
    let inc = get(
        &n.app,
        &format!("/api/v1/incidents/mli-report-{id}"),
        ANALYST,
    )
    .await;
    assert_eq!(inc.status, StatusCode::OK);
    assert_eq!(
        post(&n.app, &uri, ANALYST, &json!({})).await.status,
        StatusCode::CONFLICT
    );
    assert_eq!(
        post(&n.app, "/api/v1/reports/999/accept", ANALYST, &json!({}))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let unreadable_id = unreadable[0]["id"].as_i64().unwrap();
    let uri = format!("/api/v1/reports/{unreadable_id}/reject");
    assert_eq!(
        post(&n.app, &uri, ANALYST, &json!({"reason": " "}))
            .await
            .fields(),
        ["reason"]
    );
    let a = post(
        &n.app,
        &uri,
        ADMIN,
        &json!({"reason": "sender called back"}),
    )
    .await;
    assert_eq!(a.json()["status"], "rejected");
    assert_eq!(
        post(&n.app, &uri, ADMIN, &json!({"reason": "again"}))
            .await
            .status,
        StatusCode::CONFLICT
    );
}
