//! Zones over the API: built-in and the node's own listed and shown, an analyst adding one (an
//! auditor may not), bad zone bodies named by feature and field, a built-in id refused, the
//! `zone` filter of the list, and statistics by zone, month and type as JSON and CSV.

use super::*;

/// A box around Gao, drawn by the node.
fn gao_box(id: &str) -> Value {
    json!({"type": "Feature", "properties": {"id": id, "name": "Gao box"},
        "geometry": {"type": "Polygon",
            "coordinates": [[[-0.5, 16.0], [0.5, 16.0], [0.5, 16.5], [-0.5, 16.5], [-0.5, 16.0]]]}})
}

async fn seeded() -> Node {
    let n = node().await;
    for (title, at) in [
        ("Gao raid", GAO),
        ("Niamey bomb", NIAMEY),
        ("Tamanrasset", TAMANRASSET),
    ] {
        create(&n.app, &content(title, "armed_attack", "2012-03-04", at, 1)).await;
    }
    n
}

#[tokio::test]
async fn an_analyst_adds_a_zone_that_then_filters_and_groups() {
    let n = seeded().await;
    let a = post(&n.app, "/api/v1/zones", AUDITOR, &gao_box("gao-box")).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = post(&n.app, "/api/v1/zones", ANALYST, &gao_box("gao-box")).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    assert_eq!(a.json(), json!([{"id": "gao-box", "version": 1}]));
    let collection = json!({"type": "FeatureCollection", "features": [gao_box("gao-box")]});
    let a = post(&n.app, "/api/v1/zones", ADMIN, &collection).await;
    assert_eq!(a.json(), json!([{"id": "gao-box", "version": 2}]));

    let list = get(&n.app, "/api/v1/zones", AUDITOR).await.json();
    let ids: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|z| (z["id"].as_str().unwrap(), z["origin"].as_str().unwrap()))
        .collect();
    assert_eq!(ids.len(), 5);
    assert_eq!(ids[4], ("gao-box", "node"));
    assert_eq!(ids[0], ("liptako-gourma", "built-in"));
    let one = get(&n.app, "/api/v1/zones/gao-box", LIAISON).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_eq!(one.json()["version"], 2);
    assert_eq!(one.json()["feature"]["geometry"]["type"], "MultiPolygon");
    assert_eq!(
        get(&n.app, "/api/v1/zones/nowhere", ANALYST).await.status,
        StatusCode::NOT_FOUND
    );

    let page = get(&n.app, "/api/v1/incidents?zone=gao-box", ANALYST)
        .await
        .json();
    let titles: Vec<&str> = page["incidents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(titles, ["Gao raid"]);
    let a = get(&n.app, "/api/v1/incidents?zone=nowhere", ANALYST).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST);
    assert_eq!(a.fields(), ["zone"]);

    let rows = get(&n.app, "/api/v1/stats?by=zone,type", ANALYST)
        .await
        .json();
    let got: Vec<(&str, u64)> = rows
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["zone"].as_str().unwrap(),
                r["incidents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [("adrar-ifoghas-kidal-tamanrasset", 1), ("gao-box", 1)]
    );
    let a = get(
        &n.app,
        "/api/v1/stats?by=zone,month,type&format=csv",
        ANALYST,
    )
    .await;
    assert_eq!(a.status, StatusCode::OK);
    assert!(
        a.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let text = String::from_utf8(a.bytes.clone()).unwrap();
    assert_eq!(
        text.lines().collect::<Vec<_>>(),
        [
            "zone,month,event_type,incidents,fatalities_best,fatalities_low,fatalities_high",
            "adrar-ifoghas-kidal-tamanrasset,2012-03,attack,1,1,1,1",
            "gao-box,2012-03,attack,1,1,1,1",
        ]
    );
    let a = get(&n.app, "/api/v1/stats?by=zone&format=xml", ANALYST).await;
    assert_eq!(a.fields(), ["format"]);
}

#[tokio::test]
async fn bad_zone_bodies_are_named_and_nothing_is_kept() {
    let n = seeded().await;
    let mut bad = gao_box("second");
    bad["properties"]["id"] = json!("Not An Id");
    let body = json!({"type": "FeatureCollection", "features": [gao_box("first"), bad]});
    let a = post(&n.app, "/api/v1/zones", ANALYST, &body).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.fields(), ["features[1].properties.id"]);
    let a = post(&n.app, "/api/v1/zones", ANALYST, &gao_box("liptako-gourma")).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.fields(), ["properties.id"]);
    let a = post(&n.app, "/api/v1/zones", ANALYST, &json!({"type": "Point"})).await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.fields(), ["type"]);
    let list = get(&n.app, "/api/v1/zones", ANALYST).await.json();
    assert_eq!(list.as_array().unwrap().len(), 4, "nothing was kept");
}
