//! The incident list and detail, and the map's data: filters as the API's, paging, escaping of
//! what users typed, sources with grades, versions, reads logged, and the compact rows the map
//! draws (types, countries, zone masks).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{Client, api_create, content, node};

#[tokio::test]
async fn list_filters_pages_and_detail() {
    let node = node().await;
    // Gao and Kidal in Mali, Tillabéri in Niger, Menaka near the Liptako-Gourma zone.
    let gao = api_create(
        &node,
        &content(
            "Attaque à Gao",
            "armed_attack",
            "2012-03-01",
            (16.27, -0.04),
            4,
        ),
    )
    .await;
    api_create(
        &node,
        &content(
            "Clash near Kidal",
            "clash_with_armed_forces",
            "2012-02-01",
            (18.44, 1.41),
            12,
        ),
    )
    .await;
    api_create(
        &node,
        &content(
            "Enlèvement <b>Tillabéri</b>",
            "kidnapping",
            "2012-01-10",
            (14.21, 1.45),
            0,
        ),
    )
    .await;
    let mut c = Client::new(&node);
    c.sign_in("amadou").await;

    let all = c.page("/ui/incidents").await;
    assert_eq!(all.matches("<tr>").count(), 1 + 3, "header and three rows");
    // What users typed is escaped.
    assert!(
        all.contains("Enlèvement &#60;b&#62;Tillabéri&#60;/b&#62;")
            || all.contains("Enlèvement &lt;b&gt;Tillabéri&lt;/b&gt;"),
        "{all}"
    );
    assert!(!all.contains("<b>Tillabéri</b>"));
    // Newest first.
    assert!(all.find("Attaque à Gao").unwrap() < all.find("Clash near Kidal").unwrap());

    let mali = c.page("/ui/incidents?country=MLI&type=&from=&to=").await;
    assert_eq!(mali.matches("<tr>").count(), 1 + 2);
    let battles = c.page("/ui/incidents?type=battle").await;
    assert!(battles.contains("Clash near Kidal") && !battles.contains("Gao"));
    let words = c.page("/ui/incidents?text=enlevement").await;
    assert!(words.contains("Tillabéri") && !words.contains("Clash near Kidal"));

    // A bad filter is named, with nothing listed.
    let bad = c.get("/ui/incidents?country=XX1").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("country"), "{}", bad.body);

    // The detail: grades, versions, where it went.
    let detail = c
        .page(&format!("/ui/incidents/{}", gao.replace(':', "%3A")))
        .await;
    assert!(detail.contains("Attaque à Gao"));
    assert!(detail.contains("Gendarmerie nationale") && detail.contains("B2"));
    assert!(detail.contains("id=\"versions\""));
    assert!(detail.contains("Not disclosed to any partner yet."));
    assert!(
        detail.contains("href=\"/ui/incidents/mli-0001/edit\""),
        "the analyst may edit"
    );
    // Unknown and malformed ids are the same "not found".
    let a = c.get("/ui/incidents/mli%3A9999").await;
    let b = c.get("/ui/incidents/%00%00").await;
    assert_eq!(a.status, StatusCode::NOT_FOUND);
    assert_eq!(b.status, StatusCode::NOT_FOUND);
    assert_eq!(a.body, b.body);

    // An auditor reads but is not offered the edit.
    let mut auditor = Client::new(&node);
    auditor.accept_language = "fr";
    auditor.sign_in("awa").await;
    let fr = auditor
        .page(&format!("/ui/incidents/{}", gao.replace(':', "%3A")))
        .await;
    assert!(!fr.contains("/edit\""));
    assert!(
        fr.contains("Sources") && fr.contains("Cotation") && fr.contains("1 mars 2012"),
        "{fr}"
    );
}

#[tokio::test]
async fn the_list_pages_by_fifty() {
    let node = node().await;
    for day in 1..=55 {
        let date = format!("2012-{:02}-{:02}", 1 + day / 28, 1 + day % 28);
        api_create(
            &node,
            &content(
                &format!("Event {day}"),
                "armed_attack",
                &date,
                (16.27, -0.04),
                1,
            ),
        )
        .await;
    }
    let mut c = Client::new(&node);
    c.sign_in("amadou").await;
    let first = c.page("/ui/incidents?country=MLI").await;
    assert_eq!(first.matches("<tr>").count(), 1 + 50);
    let at = first.find("id=\"next-page\"").expect("a next page");
    let href_start = first[..at].rfind("href=\"").unwrap() + 6;
    let href = first[href_start..]
        .split('"')
        .next()
        .unwrap()
        .replace("&#38;", "&")
        .replace("&amp;", "&");
    assert!(
        href.contains("country=MLI") && href.contains("cursor="),
        "{href}"
    );
    let second = c.page(&href).await;
    assert_eq!(second.matches("<tr>").count(), 1 + 5);
    assert!(!second.contains("id=\"next-page\""));
}

#[tokio::test]
async fn the_map_gets_compact_rows_with_zones() {
    let node = node().await;
    // Ménaka lies in the Liptako-Gourma zone; Kidal does not.
    api_create(
        &node,
        &content("Ménaka", "armed_attack", "2012-03-01", (15.92, 2.40), 4),
    )
    .await;
    api_create(
        &node,
        &content(
            "Kidal",
            "clash_with_armed_forces",
            "2012-02-01",
            (18.44, 1.41),
            12,
        ),
    )
    .await;
    let mut c = Client::new(&node);
    c.sign_in("awa").await;
    let page = c.page("/ui/").await;
    assert!(page.contains("id=\"map-i18n\""));
    assert!(page.contains("/static/dist/map.js?v="));
    assert!(page.contains("<option value=\"MLI\">"));
    let data = c.get("/ui/data/incidents.json").await;
    assert_eq!(data.status, StatusCode::OK);
    let v: serde_json::Value = serde_json::from_str(&data.body).unwrap();
    let rows = v["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 2);
    let zones: Vec<&str> = v["zones"]
        .as_array()
        .unwrap()
        .iter()
        .map(|z| z.as_str().unwrap())
        .collect();
    let liptako = zones
        .iter()
        .position(|z| z.contains("liptako"))
        .expect("the Liptako-Gourma zone") as u64;
    // Oldest first: Kidal (February) then Ménaka (March).
    assert_eq!(rows[0][0], "mli-0002");
    assert_eq!(v["types"][rows[0][3].as_u64().unwrap() as usize], "battle");
    assert_eq!(rows[0][8].as_u64().unwrap() & (1 << liptako), 0);
    assert_ne!(rows[1][8].as_u64().unwrap() & (1 << liptako), 0);
    assert_eq!(rows[1][6], 15400, "days since 1970 of 2012-03-01");
    assert_eq!(v["countries"][rows[1][4].as_u64().unwrap() as usize], "MLI");
    let zones = c.get("/ui/data/zones.json").await;
    assert!(zones.body.contains("FeatureCollection"));
    let hot = c.get("/ui/data/hotspots.json").await;
    assert_eq!(hot.status, StatusCode::OK);
    assert!(hot.body.contains("\"hotspots\""));
    // The assets are served and cached by their fingerprint.
    let js_url = page
        .split("src=\"")
        .find_map(|p| p.split('"').next().filter(|u| u.contains("map.js")))
        .unwrap();
    let js = c.get(js_url).await;
    assert_eq!(js.status, StatusCode::OK);
    assert!(
        js.headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    let stale = c.get("/static/dist/map.js?v=old").await;
    assert_eq!(stale.headers["cache-control"], "no-cache");
}

#[tokio::test]
async fn members_readings_sit_side_by_side() {
    let node = node().await;
    let id = api_create(
        &node,
        &content(
            "Attaque à Gao",
            "armed_attack",
            "2012-03-01",
            (16.27, -0.04),
            4,
        ),
    )
    .await;
    let path = format!("/ui/incidents/{id}");
    let mut c = Client::new(&node);
    c.sign_in("amadou").await;
    let page = c.page(&path).await;
    assert!(page.contains("No member has characterised this incident yet."));
    let csrf = common::csrf_of(&page);
    // A reading without a rationale is refused, naming why; nothing is stored.
    let a = c
        .post(
            &format!("{path}/characterisations"),
            &[
                ("csrf", &csrf),
                ("category", "banditry"),
                ("confidence", "high"),
                ("rationale", " "),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(a.body.contains("Say why"), "{}", a.body);
    let a = c
        .post(
            &format!("{path}/characterisations"),
            &[
                ("csrf", &csrf),
                ("category", "banditry"),
                ("confidence", "high"),
                ("rationale", "Cattle raid, no claim"),
                ("term", "banditisme armé"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), format!("{path}#readings"));
    let page = c.page(&path).await;
    assert!(page.contains("<td>MLI</td><td>Banditry</td><td>high</td><td>Cattle raid, no claim</td><td>banditisme armé</td>"), "{page}");
    // A second reading is a new version, the first is not lost.
    let a = c
        .post(
            &format!("{path}/characterisations"),
            &[
                ("csrf", &csrf),
                ("category", "terrorism"),
                ("confidence", "low"),
                ("rationale", "JNIM claimed it"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    let page = c.page(&path).await;
    assert!(page.contains("<td>Terrorism</td>") && page.contains("v2 ·"));
    let history = node
        .store
        .characterisation_history(&liaison_core::IncidentId::parse(&id).unwrap())
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    // An auditor reads them, in French, and is not offered the form.
    let mut auditor = Client::new(&node);
    auditor.accept_language = "fr";
    auditor.sign_in("awa").await;
    let fr = auditor.page(&path).await;
    assert!(fr.contains("Terrorisme") && !fr.contains("id=\"reading-form\""));
    // Each reading is an entry of the disclosure ledger, readable by the auditor.
    let ledger = auditor.page("/ui/ledger").await;
    assert!(
        ledger.contains("MLI a qualifié l&#39;incident mli-0001 de Banditisme"),
        "{ledger}"
    );
    let csrf = common::csrf_of(&fr);
    let a = auditor
        .post(
            &format!("{path}/characterisations"),
            &[
                ("csrf", &csrf),
                ("category", "banditry"),
                ("confidence", "high"),
                ("rationale", "x"),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_list_filters_by_zone_built_in_or_the_nodes_own() {
    let node = node().await;
    // Ménaka lies in the built-in Liptako-Gourma zone; Kidal does not.
    api_create(
        &node,
        &content("Ménaka", "armed_attack", "2020-01-10", (15.92, 2.40), 1),
    )
    .await;
    api_create(
        &node,
        &content("Kidal", "armed_attack", "2020-01-11", (18.44, 1.41), 1),
    )
    .await;
    let own = liaison_geo::zones::parse_zones(
        r#"{"type":"Feature","properties":{"id":"kidal-box","name":"Kidal box"},
            "geometry":{"type":"Polygon","coordinates":[[[1,18],[2,18],[2,19],[1,19],[1,18]]]}}"#,
    )
    .unwrap();
    node.store
        .add_zones(&own, "2026-11-28T08:00:00Z", "root")
        .await
        .unwrap();
    let mut c = Client::new(&node);
    c.sign_in("amadou").await;
    let form = c.page("/ui/incidents").await;
    assert!(
        form.contains("<option value=\"kidal-box\">Kidal box</option>"),
        "{form}"
    );
    let liptako = c.page("/ui/incidents?zone=liptako-gourma").await;
    assert!(
        liptako.contains(">Ménaka</a>") && !liptako.contains(">Kidal</a>"),
        "{liptako}"
    );
    assert!(liptako.contains("<option value=\"liptako-gourma\" selected>"));
    let kidal = c.page("/ui/incidents?zone=kidal-box").await;
    assert!(
        kidal.contains(">Kidal</a>") && !kidal.contains(">Ménaka</a>"),
        "{kidal}"
    );
    let unknown = c.get("/ui/incidents?zone=nowhere").await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(
        unknown.body.contains("no zone &#39;nowhere&#39;"),
        "{}",
        unknown.body
    );
}
