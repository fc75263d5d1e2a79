//! Adding, paging, filtering, versions, deletion and Status resources of the TAXII server.

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, StatusCode};
use serde_json::{Value, json};

use super::{
    ADMIN, ANALYST, AUDITOR, Answer, Node, ROOT, RW, bearer, get, indicator, node, post_objects,
    req, send,
};

fn ids(envelope: &Value) -> Vec<String> {
    envelope["objects"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|o| o["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

fn objects_uri(query: &str) -> String {
    format!("{ROOT}/collections/{RW}/objects/?{query}")
}

/// Every page of `query` (plus `next`), in order.
async fn all_pages(n: &Node, query: &str) -> (Vec<Answer>, Vec<String>) {
    let mut pages = Vec::new();
    let mut seen = Vec::new();
    let mut next: Option<String> = None;
    for _ in 0..1000 {
        let q = match &next {
            Some(t) => format!("{query}&next={t}"),
            None => query.to_owned(),
        };
        let a = get(n, &objects_uri(&q), ANALYST).await;
        assert_eq!(
            a.status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&a.bytes)
        );
        let env = a.json();
        seen.extend(ids(&env));
        let more = env["more"].as_bool().unwrap();
        next = env["next"].as_str().map(str::to_owned);
        pages.push(a);
        if !more {
            return (pages, seen);
        }
        assert!(next.is_some(), "more without next");
    }
    panic!("paging did not end");
}

fn status_of(a: &Answer) -> Value {
    assert_eq!(
        a.status,
        StatusCode::ACCEPTED,
        "{}",
        String::from_utf8_lossy(&a.bytes)
    );
    assert!(a.is_taxii());
    let s = a.json();
    assert_eq!(s["status"], "complete");
    assert_eq!(s["pending_count"], 0);
    s
}

#[tokio::test]
async fn paging_by_counter_loses_and_repeats_nothing_when_date_added_is_shared() {
    let n = node().await;
    let objs: Vec<Value> = (1..=250)
        .map(|i| indicator(i, "2024-02-01T00:00:00.000Z"))
        .collect();
    let s = status_of(&post_objects(&n, RW, ANALYST, &objs).await);
    assert_eq!(
        (s["success_count"].clone(), s["total_count"].clone()),
        (json!(250), json!(250))
    );
    assert_eq!(s["successes"][0]["version"], "2024-02-01T00:00:00.000Z");

    let (pages, seen) = all_pages(&n, "limit=7").await;
    assert_eq!(pages.len(), 36);
    let want: Vec<String> = objs
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(seen, want, "every object once, in the order added");
    for p in &pages {
        // One POST: every object shares one date_added, yet nothing was lost.
        assert_eq!(
            p.header("x-taxii-date-added-first"),
            Some("2024-06-01T00:00:00.000Z")
        );
        assert_eq!(
            p.header("x-taxii-date-added-last"),
            Some("2024-06-01T00:00:00.000Z")
        );
    }
    // The last page still gives `next`: a client resumes from it and gets only what is new.
    let last = pages.last().unwrap().json();
    let resume = last["next"].as_str().unwrap().to_owned();
    n.set_clock("2024-06-01T00:00:01Z");
    status_of(
        &post_objects(
            &n,
            RW,
            ANALYST,
            &[indicator(900, "2024-02-01T00:00:00.000Z")],
        )
        .await,
    );
    let a = get(&n, &objects_uri(&format!("next={resume}")), ANALYST).await;
    assert_eq!(
        ids(&a.json()),
        [indicator(900, "x")["id"].as_str().unwrap()]
    );
    assert_eq!(a.json()["more"], false);
    // An empty page has neither objects nor next, and no date headers.
    let next = a.json()["next"].as_str().unwrap().to_owned();
    let a = get(&n, &objects_uri(&format!("next={next}")), ANALYST).await;
    assert_eq!(a.json(), json!({"more": false}));
    assert_eq!(a.header("x-taxii-date-added-first"), None);
    // The manifest pages the same way.
    let m = get(
        &n,
        &format!("{ROOT}/collections/{RW}/manifest/?limit=100"),
        ANALYST,
    )
    .await;
    let m = m.json();
    assert_eq!(m["objects"].as_array().unwrap().len(), 100);
    assert_eq!(m["more"], true);
    assert_eq!(
        m["objects"][0],
        json!({"id": want[0], "date_added": "2024-06-01T00:00:00.000Z",
               "version": "2024-02-01T00:00:00.000Z", "media_type": "application/stix+json;version=2.1"})
    );
}

#[tokio::test]
async fn objects_come_back_verbatim_and_duplicates_are_successes() {
    let n = node().await;
    // Spacing, key order and number forms as a client wrote them.
    let text = r#"{ "type":"note","spec_version":"2.1","id":"note--11111111-1111-4111-8111-111111111111",
        "created":"2024-01-01T00:00:00.000Z","modified":"2024-01-01T00:00:00.000Z","content":"5.0 é",
        "x_count": 5.0, "object_refs":["indicator--00000000-0000-4000-8000-000000000001"] }"#;
    let body = format!("{{\"objects\":[{text}]}}");
    let post = || {
        req(
            Method::POST,
            &format!("{ROOT}/collections/{RW}/objects/"),
            bearer(ANALYST),
        )
        .header("content-type", "application/taxii+json;version=2.1")
        .body(Body::from(body.clone()))
        .unwrap()
    };
    let s = status_of(&send(&n.app, post()).await);
    assert_eq!(s["success_count"], 1);
    let a = get(&n, &objects_uri(""), ANALYST).await;
    let want = format!("{{\"more\":false,\"next\":\"1\",\"objects\":[{text}]}}");
    assert_eq!(String::from_utf8(a.bytes).unwrap(), want);
    // The same object again: a success that changes nothing (TAXII 2.1; medallion fails it).
    let s = status_of(&send(&n.app, post()).await);
    assert_eq!(
        (s["success_count"].clone(), s["failure_count"].clone()),
        (json!(1), json!(0))
    );
    assert!(
        s["successes"][0]["message"]
            .as_str()
            .unwrap()
            .contains("identical")
    );
    // Equal as JSON, written differently: still a duplicate.
    let v: Value = serde_json::from_str(text).unwrap();
    let s = status_of(&post_objects(&n, RW, ANALYST, std::slice::from_ref(&v)).await);
    assert_eq!(s["success_count"], 1);
    // Same id and version, other content: a failure; the stored object stays.
    let mut other = v.clone();
    other["content"] = json!("changed");
    let s = status_of(&post_objects(&n, RW, ANALYST, &[other]).await);
    assert_eq!(
        (s["success_count"].clone(), s["failure_count"].clone()),
        (json!(0), json!(1))
    );
    assert_eq!(s["failures"][0]["id"], v["id"]);
    let a = get(&n, &objects_uri("match[version]=all"), ANALYST).await;
    assert_eq!(a.json()["objects"].as_array().unwrap().len(), 1);
    assert_eq!(a.json()["objects"][0]["content"], "5.0 é");
}

#[tokio::test]
async fn invalid_objects_fail_alone() {
    let n = node().await;
    let mut no_modified = indicator(2, "x");
    no_modified.as_object_mut().unwrap().remove("modified");
    let mut wrong_spec = indicator(3, "2024-01-01T00:00:00.000Z");
    wrong_spec["spec_version"] = json!("2.0");
    let mut bad_id = indicator(4, "2024-01-01T00:00:00.000Z");
    bad_id["id"] = json!("indicator--42");
    let objs = [
        indicator(1, "2024-01-01T00:00:00.000Z"),
        no_modified,
        wrong_spec,
        bad_id,
    ];
    let s = status_of(&post_objects(&n, RW, ANALYST, &objs).await);
    assert_eq!(
        (s["success_count"].clone(), s["failure_count"].clone()),
        (json!(1), json!(3))
    );
    let messages: Vec<&str> = s["failures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["message"].as_str().unwrap())
        .collect();
    assert!(messages[0].starts_with("modified: missing"), "{messages:?}");
    assert!(messages[1].starts_with("spec_version"), "{messages:?}");
    assert!(messages[2].starts_with("id:"), "{messages:?}");
    assert_eq!(s["failures"][2]["id"], "indicator--42");
    let a = get(&n, &objects_uri(""), ANALYST).await;
    assert_eq!(ids(&a.json()).len(), 1);
}

#[tokio::test]
async fn every_filter() {
    let n = node().await;
    let (v1, v2, v3) = (
        "2024-01-01T00:00:00.000Z",
        "2024-02-01T00:00:00.000Z",
        "2024-03-01T00:00:00.000Z",
    );
    n.set_clock("2024-06-01T10:00:00Z");
    status_of(&post_objects(&n, RW, ANALYST, &[indicator(1, v1), indicator(2, v1)]).await);
    n.set_clock("2024-06-01T11:00:00Z");
    let report = json!({"type": "report", "spec_version": "2.1", "id": "report--22222222-2222-4222-8222-222222222222",
        "created": v1, "modified": v1, "name": "r", "published": v1, "object_refs": ["indicator--00000000-0000-4000-8000-000000000001"]});
    status_of(&post_objects(&n, RW, ANALYST, &[indicator(1, v2), report.clone()]).await);
    n.set_clock("2024-06-01T12:00:00Z");
    status_of(&post_objects(&n, RW, ANALYST, &[indicator(1, v3)]).await);
    let sco = json!({"type": "ipv4-addr", "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "value": "198.51.100.3"});
    let s = status_of(&post_objects(&n, RW, ANALYST, std::slice::from_ref(&sco)).await);
    // An SCO has no version of its own: it takes its date_added, and an identical re-post is
    // the same version.
    assert_eq!(s["successes"][0]["version"], "2024-06-01T12:00:00.000Z");
    n.set_clock("2024-06-01T13:00:00Z");
    let s = status_of(&post_objects(&n, RW, ANALYST, &[sco]).await);
    assert_eq!(s["successes"][0]["version"], "2024-06-01T12:00:00.000Z");

    let i1 = indicator(1, v1)["id"].as_str().unwrap().to_owned();
    let i2 = indicator(2, v1)["id"].as_str().unwrap().to_owned();
    let rid = report["id"].as_str().unwrap().to_owned();
    let sco_id = "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd".to_owned();
    let versions_of = |env: &Value| -> Vec<(String, String)> {
        env["objects"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|o| {
                        (
                            o["id"].as_str().unwrap().to_owned(),
                            o["modified"].as_str().unwrap_or("-").to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    let q = |query: &str| {
        let n = &n;
        let uri = objects_uri(query);
        async move {
            let a = get(n, &uri, ANALYST).await;
            assert_eq!(
                a.status,
                StatusCode::OK,
                "{uri}: {}",
                String::from_utf8_lossy(&a.bytes)
            );
            a.json()
        }
    };
    // Default: the last version of each object, in the order their last versions came.
    assert_eq!(
        ids(&q("").await),
        [i2.clone(), rid.clone(), i1.clone(), sco_id.clone()]
    );
    let all = q("match[version]=all").await;
    assert_eq!(ids(&all).len(), 6);
    assert_eq!(
        versions_of(&q(&format!("match[id]={i1}&match[version]=first")).await),
        [(i1.clone(), v1.to_owned())]
    );
    assert_eq!(
        versions_of(&q(&format!("match[id]={i1}&match[version]=first,last")).await),
        [(i1.clone(), v1.to_owned()), (i1.clone(), v3.to_owned())]
    );
    assert_eq!(
        versions_of(
            &q(&format!(
                "match[id]={i1}&match[version]=2024-02-01T00:00:00Z"
            ))
            .await
        ),
        [(i1.clone(), v2.to_owned())]
    );
    assert_eq!(
        ids(&q(&format!("match[id]={i2},{rid}")).await),
        [i2.clone(), rid.clone()]
    );
    assert_eq!(
        ids(&q("match[type]=report,ipv4-addr").await),
        [rid.clone(), sco_id.clone()]
    );
    assert_eq!(
        ids(&q("match[type]=indicator&match[version]=all").await).len(),
        4
    );
    assert_eq!(ids(&q("match[spec_version]=2.1").await).len(), 4);
    assert_eq!(q("match[spec_version]=2.0").await, json!({"more": false}));
    // added_after is strict, and compares times, not text.
    assert_eq!(
        ids(&q("added_after=2024-06-01T11:00:00Z").await),
        [i1.clone(), sco_id.clone()]
    );
    assert_eq!(
        ids(&q("added_after=2024-06-01T10:59:59.9999Z&match[version]=all").await).len(),
        4
    );
    let a = get(
        &n,
        &objects_uri("added_after=2024-06-01T10:30:00Z&match[version]=all"),
        ANALYST,
    )
    .await;
    assert_eq!(
        a.header("x-taxii-date-added-first"),
        Some("2024-06-01T11:00:00.000Z")
    );
    assert_eq!(
        a.header("x-taxii-date-added-last"),
        Some("2024-06-01T12:00:00.000Z")
    );
    // limit caps the page.
    let p = q("limit=2").await;
    assert_eq!((ids(&p).len(), p["more"].clone()), (2, json!(true)));
    // Bad filters are named.
    for bad in [
        "limit=0",
        "next=x",
        "added_after=today",
        "match[version]=newest",
        "match[colour]=red",
    ] {
        let a = get(&n, &objects_uri(bad), ANALYST).await;
        assert_eq!(a.status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(a.is_taxii());
    }

    // One object: the last version by default, the filters of the object endpoint otherwise.
    let one = |query: String| {
        let n = &n;
        let uri = format!("{ROOT}/collections/{RW}/objects/{i1}/?{query}");
        async move { get(n, &uri, AUDITOR).await }
    };
    assert_eq!(
        versions_of(&one(String::new()).await.json()),
        [(i1.clone(), v3.to_owned())]
    );
    assert_eq!(ids(&one("match[version]=all".into()).await.json()).len(), 3);
    assert_eq!(
        one("match[version]=2020-01-01T00:00:00Z".into())
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        one("match[type]=indicator".into()).await.status,
        StatusCode::BAD_REQUEST
    );
    // Its versions, oldest added first, with the date headers.
    let a = get(
        &n,
        &format!("{ROOT}/collections/{RW}/objects/{i1}/versions/"),
        ANALYST,
    )
    .await;
    assert_eq!(
        a.json(),
        json!({"more": false, "next": "5", "versions": [v1, v2, v3]})
    );
    assert_eq!(
        a.header("x-taxii-date-added-first"),
        Some("2024-06-01T10:00:00.000Z")
    );
    let a = get(
        &n,
        &format!("{ROOT}/collections/{RW}/objects/{i1}/versions/?limit=1"),
        ANALYST,
    )
    .await;
    assert_eq!(
        a.json(),
        json!({"more": true, "next": "1", "versions": [v1]})
    );
    let a = get(
        &n,
        &format!("{ROOT}/collections/{RW}/objects/{i1}/versions/?limit=1&next=1"),
        ANALYST,
    )
    .await;
    assert_eq!(a.json()["versions"], json!([v2]));
    // The manifest gives the version the objects give.
    let m = get(
        &n,
        &format!("{ROOT}/collections/{RW}/manifest/?match[id]={i1}"),
        ANALYST,
    )
    .await
    .json();
    assert_eq!(m["objects"][0]["version"], v3);
}

#[tokio::test]
async fn delete_versions_then_the_object() {
    let n = node().await;
    let (v1, v2) = ("2024-01-01T00:00:00.000Z", "2024-02-01T00:00:00.000Z");
    status_of(
        &post_objects(
            &n,
            RW,
            ANALYST,
            &[indicator(1, v1), indicator(1, v2), indicator(2, v1)],
        )
        .await,
    );
    let id = indicator(1, v1)["id"].as_str().unwrap().to_owned();
    let uri = |q: &str| format!("{ROOT}/collections/{RW}/objects/{id}/{q}");
    let delete = |tok: &'static str, q: &str| {
        let n = &n;
        let r = req(Method::DELETE, &uri(q), bearer(tok))
            .body(Body::empty())
            .unwrap();
        async move { send(&n.app, r).await }
    };
    assert_eq!(delete(AUDITOR, "").await.status, StatusCode::FORBIDDEN);
    assert_eq!(
        delete(ANALYST, "?match[version]=first").await.status,
        StatusCode::OK
    );
    let a = get(&n, &uri("versions/"), ANALYST).await;
    assert_eq!(a.json()["versions"], json!([v2]));
    assert_eq!(delete(ADMIN, "").await.status, StatusCode::OK);
    assert_eq!(
        get(&n, &uri(""), ANALYST).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(delete(ADMIN, "").await.status, StatusCode::NOT_FOUND);
    // Deleting does not disturb paging: the other object is still there.
    let (_, seen) = all_pages(&n, "limit=1").await;
    assert_eq!(seen, [indicator(2, v1)["id"].as_str().unwrap()]);
    // A deleted object can be added again, at a new place in the order.
    status_of(&post_objects(&n, RW, ANALYST, &[indicator(1, v1)]).await);
    let (_, seen) = all_pages(&n, "limit=1").await;
    assert_eq!(seen.into_iter().collect::<BTreeSet<_>>().len(), 2);
}

#[tokio::test]
async fn status_resources() {
    let n = node().await;
    let s = status_of(
        &post_objects(&n, RW, ANALYST, &[indicator(1, "2024-01-01T00:00:00.000Z")]).await,
    );
    let id = s["id"].as_str().unwrap().to_owned();
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4", "an RFC 4122 version 4 UUID");
    assert_eq!(s["request_timestamp"], "2024-06-01T00:00:00.000Z");
    for path in [
        format!("{ROOT}/status/{id}/"),
        format!("{ROOT}/status/{id}"),
    ] {
        let a = get(&n, &path, ANALYST).await;
        assert_eq!(a.status, StatusCode::OK, "{path}");
        assert!(a.is_taxii());
        assert_eq!(a.json(), s);
    }
    // Admins see every Status; other users do not learn it exists.
    assert_eq!(
        get(&n, &format!("{ROOT}/status/{id}/"), ADMIN).await.status,
        StatusCode::OK
    );
    let other = get(&n, &format!("{ROOT}/status/{id}/"), AUDITOR).await;
    let missing = get(
        &n,
        &format!("{ROOT}/status/00000000-0000-4000-8000-000000000000/"),
        AUDITOR,
    )
    .await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_eq!(other.bytes, missing.bytes);
    // An empty envelope is a complete Status with nothing in it.
    let s = status_of(&post_objects(&n, RW, ANALYST, &[]).await);
    assert_eq!(
        (s["total_count"].clone(), s.get("successes")),
        (json!(0), None)
    );
}
