//! Operations and forces over the API: an analyst declares operations for members (an auditor
//! may not), overlapping operations of two members are one conflict reported to both, a border
//! operation gives its neighbour a minimal notice, bad bodies are named by field, another
//! member may not change an operation, and the forces view sums records.

use super::*;

fn operation(id: &str, member: &str, bbox: [f64; 4], from: &str, to: &str) -> Value {
    json!({"id": id, "member": member, "area": {"type": "bbox", "bbox": bbox},
        "from": from, "to": to, "kind": "patrol", "objective": "kept on this node"})
}

#[tokio::test]
async fn operations_conflicts_and_notices() {
    let n = node().await;
    let a = operation(
        "mli-1",
        "MLI",
        [3.0, 15.0, 4.0, 16.0],
        "2026-03-01",
        "2026-03-10",
    );
    assert_eq!(
        post(&n.app, "/api/v1/operations", AUDITOR, &a).await.status,
        StatusCode::FORBIDDEN
    );
    let r = post(&n.app, "/api/v1/operations", ANALYST, &a).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
    assert_eq!(r.json()["version"], 1);
    assert_eq!(r.json()["conflicts"], json!([]));
    let b = operation(
        "ner-1",
        "NER",
        [3.5, 15.2, 4.5, 15.8],
        "2026-03-05",
        "2026-03-20",
    );
    let r = post(&n.app, "/api/v1/operations", ADMIN, &b).await.json();
    assert_eq!(r["conflicts"][0]["other"], "mli-1");
    assert_eq!(r["conflicts"][0]["reported_to"], json!(["NER", "MLI"]));
    // Declared again unchanged: nothing recorded.
    let r = post(&n.app, "/api/v1/operations", ADMIN, &b).await.json();
    assert_eq!(
        (r["version"].as_i64(), r["changed"].as_bool()),
        (Some(1), Some(false))
    );

    let all = get(&n.app, "/api/v1/operations/conflicts", LIAISON)
        .await
        .json();
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["reported_to"], json!(["MLI", "NER"]));
    for m in ["MLI", "NER"] {
        let mine = get(
            &n.app,
            &format!("/api/v1/operations/conflicts?member={m}"),
            AUDITOR,
        )
        .await
        .json();
        assert_eq!(mine.as_array().unwrap().len(), 1);
    }
    let none = get(&n.app, "/api/v1/operations/conflicts?member=MRT", AUDITOR)
        .await
        .json();
    assert_eq!(none, json!([]));
    let bad = get(&n.app, "/api/v1/operations/conflicts?member=QQQ", AUDITOR).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad.fields(), ["member"]);
    let bad = get(&n.app, "/api/v1/operations/notices?who=DZA", AUDITOR).await;
    assert_eq!(bad.fields(), ["who"]);

    // Near the Algerian border: a minimal notice to DZA.
    let c = operation(
        "mli-2",
        "MLI",
        [0.98, 20.88, 1.02, 20.92],
        "2026-04-01",
        "2026-04-05",
    );
    let r = post(&n.app, "/api/v1/operations", ANALYST, &c).await.json();
    assert_eq!(r["notices"][0]["recipient"], "DZA");
    let notices = get(&n.app, "/api/v1/operations/notices?to=DZA", AUDITOR)
        .await
        .json();
    let list = notices.as_array().unwrap();
    assert!(list.iter().any(|n| n["operation_id"] == "mli-2"));
    for n in list {
        assert!(n["content"].get("objective").is_none() && n["content"].get("kind").is_none());
    }
    let ops = get(&n.app, "/api/v1/operations?member=NER", AUDITOR)
        .await
        .json();
    assert_eq!(ops.as_array().unwrap().len(), 1);
    assert_eq!(ops[0]["objective"], "kept on this node");
    assert_eq!(
        get(&n.app, "/api/v1/operations", AUDITOR)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
}

#[tokio::test]
async fn bad_operations_are_named_and_only_the_member_changes_its_own() {
    let n = node().await;
    let backwards = operation(
        "x",
        "MLI",
        [3.0, 15.0, 4.0, 16.0],
        "2026-03-10",
        "2026-03-01",
    );
    let r = post(&n.app, "/api/v1/operations", ANALYST, &backwards).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(r.fields(), ["to"]);
    let out_of_range = operation(
        "x",
        "MLI",
        [3.0, 15.0, 4.0, 96.0],
        "2026-03-01",
        "2026-03-02",
    );
    assert_eq!(
        post(&n.app, "/api/v1/operations", ANALYST, &out_of_range)
            .await
            .fields(),
        ["area.bbox"]
    );
    let mut no_zone = operation("x", "MLI", [0.0; 4], "2026-03-01", "2026-03-02");
    no_zone["area"] = json!({"type": "zone", "zone": "atlantis"});
    assert_eq!(
        post(&n.app, "/api/v1/operations", ANALYST, &no_zone)
            .await
            .fields(),
        ["area.zone"]
    );
    let mut zone = no_zone.clone();
    zone["area"]["zone"] = json!("liptako-gourma");
    let r = post(&n.app, "/api/v1/operations", ANALYST, &zone).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.json());
    let stored = get(&n.app, "/api/v1/operations", ANALYST).await.json();
    assert_eq!(stored[0]["area"]["type"], "zone");
    assert!(
        stored[0]["area"]["polygons"]
            .as_array()
            .is_some_and(|p| !p.is_empty())
    );
    let mut taken = zone.clone();
    taken["member"] = json!("NER");
    let r = post(&n.app, "/api/v1/operations", ANALYST, &taken).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let mut km = operation(
        "y",
        "MLI",
        [3.0, 15.0, 4.0, 16.0],
        "2026-03-01",
        "2026-03-02",
    );
    km["border_km"] = json!(0);
    assert_eq!(
        post(&n.app, "/api/v1/operations", ANALYST, &km)
            .await
            .fields(),
        ["border_km"]
    );
    // No id: one is drawn.
    let mut anon = operation(
        "z",
        "NER",
        [3.0, 15.0, 4.0, 16.0],
        "2026-03-01",
        "2026-03-02",
    );
    anon.as_object_mut().unwrap().remove("id");
    let r = post(&n.app, "/api/v1/operations", ANALYST, &anon)
        .await
        .json();
    assert!(r["id"].as_str().unwrap().starts_with("op:ner:"), "{r}");
}

#[tokio::test]
async fn forces_view() {
    let n = node().await;
    let base = liaison_ops::forces::base_forces();
    n.store.add_forces(&base, NOW, "test").await.unwrap();
    let v = get(&n.app, "/api/v1/forces", LIAISON).await.json();
    assert_eq!(v["total"]["pledged"], 75_000);
    assert_eq!(v["total"]["gap"], 75_000);
    assert_eq!(v["members"][0]["member"], "XJC");
    assert_eq!(v["records"].as_array().unwrap().len(), 2);
    let v = get(&n.app, "/api/v1/forces?member=MLI", LIAISON)
        .await
        .json();
    assert_eq!(v["records"], json!([]));
}
