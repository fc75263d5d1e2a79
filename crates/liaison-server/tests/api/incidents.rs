//! Writing and reading incidents: validation, normalisation, ids, 404s, versions and the
//! originator rule.

use liaison_core::{Incident, IncidentContent, IncidentId};

use super::*;

#[tokio::test]
async fn invalid_content_lists_every_field() {
    let n = node().await;
    let mut body = content("  ", "armed_attack", "2012-03-05", (95.0, -0.04), 3);
    body["date"]["end"] = json!("2012-03-01");
    body["casualties"]["fatalities"] = json!({"best": 1, "low": 2, "high": 3});
    body["sources"] = json!([{"name": "", "reliability": "B", "credibility": 2}]);
    let a = post(&n.app, "/api/v1/incidents", ANALYST, &body).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.json());
    assert_eq!(a.code(), "validation_failed");
    let fields = a.fields();
    for f in [
        "title",
        "date.end",
        "location.point.lat",
        "location.country",
        "casualties.fatalities",
        "sources[0].name",
    ] {
        assert!(
            fields.contains(&f.to_owned()),
            "{f} missing from {fields:?}"
        );
    }
    // Wrong types are named by their JSON path too.
    let mut body = content("Attack", "armed_attack", "2012-03-05", GAO, 3);
    body["location"]["point"]["lat"] = json!("north");
    let a = post(&n.app, "/api/v1/incidents", ANALYST, &body).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.fields(), ["location.point.lat"]);
    let body = content("Attack", "picnic", "2012-03-05", GAO, 3);
    let a = post(&n.app, "/api/v1/incidents", ANALYST, &body).await;
    assert_eq!(a.fields(), ["sub_type"]);
    let mut body = content("Attack", "armed_attack", "2012-03-05", GAO, 3);
    body["sources"] = json!([{"name": "RFI", "reliability": "B", "credibility": 9}]);
    let a = post(&n.app, "/api/v1/incidents", ANALYST, &body).await;
    assert_eq!(a.fields(), ["sources[0].credibility"]);
    let mut body = content("Attack", "armed_attack", "2012-03-05", GAO, 3);
    body.as_object_mut().unwrap().remove("title");
    let a = post(&n.app, "/api/v1/incidents", ANALYST, &body).await;
    assert_eq!(a.fields(), ["title"]);
    // Nothing was stored.
    let a = get(&n.app, "/api/v1/node", ANALYST).await;
    assert_eq!(a.json()["incidents"], 0);
}

#[tokio::test]
async fn malformed_bodies_are_400_and_non_json_415() {
    let n = node().await;
    for bad in ["{\"title\": ", "not json", "", "{\"title\" 1}"] {
        let a = send(
            &n.app,
            request(
                Method::POST,
                "/api/v1/incidents",
                Some(ANALYST),
                Some(bad.into()),
            ),
        )
        .await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad:?}");
        assert_eq!(a.code(), "bad_request");
    }
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/incidents")
        .header(header::AUTHORIZATION, format!("Bearer {ANALYST}"))
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from("{}"))
        .unwrap();
    let a = send(&n.app, req).await;
    assert_eq!(a.status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(a.code(), "unsupported_media_type");
}

#[tokio::test]
async fn create_derives_the_country_and_reads_back() {
    let n = node().await;
    let body = content(
        "Attack on a patrol near Gao",
        "armed_attack",
        "2012-03-01",
        GAO,
        3,
    );
    let a = post(&n.app, "/api/v1/incidents", ANALYST, &body).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    assert_eq!(a.headers[header::LOCATION], "/api/v1/incidents/mli-0001");
    let created = a.json();
    assert_eq!(created["id"], "mli-0001");
    assert_eq!(created["originator"], "MLI");
    assert_eq!(created["version"], 1);
    assert_eq!(created["event_type"], "attack");
    assert_eq!(created["location"]["country"], "MLI");
    assert_eq!(created["location"]["coordinates_country"], "MLI");
    // It parses as the domain type, and reads back byte for byte.
    let inc: Incident = serde_json::from_value(created.clone()).unwrap();
    assert_eq!(inc.content.title, "Attack on a patrol near Gao");
    let a = get(&n.app, "/api/v1/incidents/mli-0001", AUDITOR).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json(), created);
    let a = get(&n.app, "/api/v1/node", AUDITOR).await;
    assert_eq!(
        a.json(),
        json!({"member": "MLI", "incidents": 1, "version": env!("CARGO_PKG_VERSION")})
    );
    // The store recorded who and when.
    let v = n
        .store
        .incident_versions(&IncidentId::parse("mli-0001").unwrap())
        .await
        .unwrap();
    assert_eq!(v[0].recorded_by, "amadou");
    assert_eq!(v[0].recorded_at, "2013-02-01T09:30:00Z");
    // A given country is kept even where the point disagrees; the disagreement is visible.
    let mut body = content("Clash at the border", "armed_clash", "2012-03-02", GAO, 0);
    body["location"]["country"] = json!("NER");
    let created = create(&n.app, &body).await;
    assert_eq!(created["location"]["country"], "NER");
    assert_eq!(created["location"]["coordinates_country"], "MLI");
}

#[tokio::test]
async fn unknown_and_malformed_ids_get_identical_404s() {
    let n = node().await;
    create(
        &n.app,
        &content("Attack", "armed_attack", "2012-03-01", GAO, 3),
    )
    .await;
    let mut answers = Vec::new();
    for path in [
        "/api/v1/incidents/mli-9999",
        "/api/v1/incidents/not%20an%20id",
        "/api/v1/incidents/%FF%FE",
        "/api/v1/incidents/mli-9999/versions",
        "/api/v1/incidents/a%2Fb/versions",
    ] {
        answers.push(get(&n.app, path, ANALYST).await);
    }
    for a in &answers {
        assert_eq!(a.status, StatusCode::NOT_FOUND);
        assert_eq!(a.bytes, answers[0].bytes);
    }
    assert_eq!(
        answers[0].json(),
        json!({"error": {"code": "not_found", "message": "not found"}})
    );
    // A new version of a missing incident: the same 404.
    let a = post(
        &n.app,
        "/api/v1/incidents/mli-9999/versions",
        ANALYST,
        &json!({"base_version": 1, "content": content("x", "riot", "2012-01-01", GAO, 0)}),
    )
    .await;
    assert_eq!(a.bytes, answers[0].bytes);
    // An unknown route is a JSON 404 as well; a wrong method a JSON 405.
    let a = get(&n.app, "/api/v1/nothing-here", ANALYST).await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(a.code(), "not_found");
    let a = send(
        &n.app,
        request(Method::DELETE, "/api/v1/incidents", Some(ANALYST), None),
    )
    .await;
    assert_eq!(a.status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(a.code(), "method_not_allowed");
}

#[tokio::test]
async fn originator_makes_new_versions() {
    let n = node().await;
    let body = content("Attack near Gao", "armed_attack", "2012-03-01", GAO, 3);
    let created = create(&n.app, &body).await;
    let id = created["id"].as_str().unwrap().to_owned();
    let url = format!("/api/v1/incidents/{id}/versions");

    let mut revised = body.clone();
    revised["casualties"]["fatalities"] = json!({"best": 5, "low": 4, "high": 7});
    let a = post(
        &n.app,
        &url,
        ADMIN,
        &json!({"base_version": 1, "content": revised}),
    )
    .await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    assert_eq!(
        a.headers[header::LOCATION],
        format!("/api/v1/incidents/{id}")
    );
    let v2 = a.json();
    assert_eq!(v2["version"], 2);
    assert_eq!(v2["casualties"]["fatalities"]["best"], 5);
    assert_eq!(v2["location"]["country"], "MLI");

    // Stale base version.
    let a = post(
        &n.app,
        &url,
        ANALYST,
        &json!({"base_version": 1, "content": body}),
    )
    .await;
    assert_eq!(a.status, StatusCode::CONFLICT);
    assert_eq!(a.code(), "conflict");
    assert_eq!(a.fields(), ["base_version"]);

    // Invalid content is named by its path in the request body.
    let mut bad = body.clone();
    bad["title"] = json!("");
    let a = post(
        &n.app,
        &url,
        ANALYST,
        &json!({"base_version": 2, "content": bad}),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.fields(), ["content.title"]);
    let a = post(
        &n.app,
        &url,
        ANALYST,
        &json!({"base_version": "two", "content": body}),
    )
    .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.fields(), ["base_version"]);

    // The history, oldest first.
    let a = get(&n.app, &url, AUDITOR).await;
    assert_eq!(a.status, StatusCode::OK);
    let versions = a.json();
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0]["version"], 1);
    assert_eq!(versions[0]["recorded_by"], "amadou");
    assert_eq!(versions[0]["incident"], created);
    assert_eq!(versions[1]["version"], 2);
    assert_eq!(versions[1]["recorded_by"], "root");
    assert_eq!(versions[1]["recorded_at"], "2013-02-01T09:30:00Z");
    assert_eq!(versions[1]["incident"], v2);
    let a = get(&n.app, &format!("/api/v1/incidents/{id}"), ANALYST).await;
    assert_eq!(a.json(), v2);
}

#[tokio::test]
async fn only_the_originator_makes_new_versions() {
    let n = node().await;
    let body = content(
        "Attack near Niamey",
        "armed_attack",
        "2012-04-01",
        NIAMEY,
        2,
    );
    let mut c: IncidentContent = serde_json::from_value(body.clone()).unwrap();
    c.location.country = Some(CountryCode::parse("NER").unwrap());
    let theirs = Incident::new(
        IncidentId::parse("ner-0042").unwrap(),
        CountryCode::parse("NER").unwrap(),
        1,
        c,
    );
    n.store.create_incident(&theirs, "sync", NOW).await.unwrap();
    let a = post(
        &n.app,
        "/api/v1/incidents/ner-0042/versions",
        ANALYST,
        &json!({"base_version": 1, "content": body}),
    )
    .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(a.code(), "not_originator");
    // It stays readable, unchanged.
    let a = get(&n.app, "/api/v1/incidents/ner-0042", ANALYST).await;
    assert_eq!(a.json()["version"], 1);
    assert_eq!(a.json()["originator"], "NER");
}
