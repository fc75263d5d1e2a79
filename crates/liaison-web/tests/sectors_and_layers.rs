//! The joint command's newer surfaces on the web: the patrol sectors screen (sectors with
//! contacts, members' constraints, the proposed allocation explained sector by sector, in
//! English and French, with its parameters checked), the operations screen's link to it and
//! row anchors, an incident's page listing the operations it belongs to, and the map's
//! operations, sectors and notices layers as GeoJSON (empty when there is nothing, never an
//! objective).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{Client, NOW, TestNode, api_create, content, node};
use liaison_core::CountryCode;
use liaison_ops::sectors::{Constraint, Sector};
use liaison_ops::{Deconflictor, Force, Operation};
use serde_json::{Value, json};

fn op(v: Value) -> Operation {
    serde_json::from_value(v).unwrap()
}

async fn declare(node: &TestNode, o: &Operation) {
    let declared: Vec<Operation> = node
        .store
        .operations()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.operation)
        .collect();
    let (_, notices) = Deconflictor::new(&declared).check(o);
    node.store
        .record_operation(o, &notices, NOW, "root")
        .await
        .unwrap();
}

fn sector(v: Value) -> Sector {
    let s: Sector = serde_json::from_value(v).unwrap();
    s.with_countries(liaison_geo::default_boundaries())
}

async fn json_of(c: &mut Client<'_>, path: &str) -> Value {
    let a = c.get(path).await;
    assert_eq!(a.status, StatusCode::OK, "GET {path}: {}", a.body);
    serde_json::from_str(&a.body).unwrap()
}

#[tokio::test]
async fn the_sectors_screen_lists_sectors_and_explains_the_allocation() {
    let node = node().await;
    let mut c = Client::new(&node);
    c.sign_in("karim").await;
    let empty = c.page("/ui/sectors").await;
    assert!(empty.contains("id=\"no-sectors\""), "{empty}");
    assert!(!empty.contains("id=\"allocation\""));
    let ops = c.page("/ui/operations").await;
    assert!(
        ops.contains("href=\"/ui/sectors\""),
        "linked from operations"
    );

    let kidal = sector(json!({"id": "kidal", "name": "Kidal corridor",
        "area": {"type": "polygon", "polygons": [[[[0, 18], [4.5, 18], [4.5, 21.5], [0, 21.5], [0, 18]]]]},
        "contacts": [{"name": "Intalla Ag Attaher", "role": "Tuareg elder",
                      "community": "Kel Adagh", "phone_or_channel": "HF 7.045 MHz"}]}));
    let south = sector(json!({"id": "mopti", "name": "Mopti plain",
        "area": {"type": "bbox", "bbox": [-5.0, 13.5, -3.0, 15.0]}, "contacts": []}));
    node.store
        .add_sectors(&[kidal, south], NOW, "root")
        .await
        .unwrap();
    node.store
        .set_member_constraint(
            &CountryCode::parse("DZA").unwrap(),
            &Constraint::Sectors(vec!["kidal".into()]),
            NOW,
            "root",
        )
        .await
        .unwrap();
    let forces: Vec<Force> = serde_json::from_value(json!([
        {"member": "MLI", "unit_type": "infantry", "committed": 1000, "as_of": "2012-01-01", "source": "test"},
        {"member": "DZA", "unit_type": "infantry", "committed": 500, "as_of": "2012-01-01", "source": "test"}
    ]))
    .unwrap();
    node.store.add_forces(&forces, NOW, "root").await.unwrap();
    for day in ["2012-01-10", "2012-01-12", "2012-01-20"] {
        api_create(
            &node,
            &content("Attack near Kidal", "armed_attack", day, (18.44, 1.41), 4),
        )
        .await;
    }

    let page = c.page("/ui/sectors?days=30").await;
    // Sectors with their contacts; the constraint in words.
    assert!(page.contains("id=\"sector-kidal\""), "{page}");
    assert!(
        page.contains("Intalla Ag Attaher (Tuareg elder, Kel Adagh): HF 7.045 MHz"),
        "{page}"
    );
    assert!(
        page.contains("DZA may serve the sectors kidal (version 1)"),
        "{page}"
    );
    // The allocation, sector by sector, with its window.
    assert!(
        page.contains("Window 22 December 2011 to 20 January 2012 (30 days, 3 located incidents); 1,500 troops in units of 100."),
        "{page}"
    );
    let row = &page[page.find("id=\"allocation-kidal\"").unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(
        row.contains("Kidal corridor: 3 incidents and 12 killed in the window"),
        "{row}"
    );
    assert!(row.contains("May serve here: DZA, MLI."), "{row}");
    assert!(
        row.contains("DZA 500"),
        "DZA's troops all go to Kidal: {row}"
    );
    // The default window ends at the newest incident: the same figures without days=30
    // except the window's length.
    let default = c.page("/ui/sectors").await;
    assert!(
        default.contains("(90 days, 3 located incidents)"),
        "{default}"
    );

    c.accept_language = "fr";
    let fr = c.page("/ui/sectors?days=30").await;
    assert!(fr.contains("Secteurs de patrouille"), "{fr}");
    assert!(
        fr.contains("Kidal corridor : 3 incidents et 12 tués sur la période"),
        "{fr}"
    );
    assert!(
        fr.contains("1\u{202f}500 soldats par unités de 100"),
        "{fr}"
    );
    c.accept_language = "en";

    // A bad parameter: said on the page, the sectors still listed.
    for q in ["days=0", "unit=x", "until=2012-02-31", "colour=red"] {
        let bad = c.page(&format!("/ui/sectors?{q}")).await;
        assert!(bad.contains("id=\"allocation-refused\""), "{q}: {bad}");
        assert!(!bad.contains("id=\"allocation\""), "{q}");
        assert!(bad.contains("id=\"sector-kidal\""), "{q}");
    }
    // Empty form fields are the defaults.
    let blank = c.page("/ui/sectors?days=&until=&unit=").await;
    assert!(blank.contains("id=\"allocation\""), "{blank}");
}

#[tokio::test]
async fn an_incident_page_lists_its_operations() {
    let node = node().await;
    let linked = api_create(
        &node,
        &content(
            "Raid on a camp",
            "armed_attack",
            "2011-06-09",
            (14.3, -6.8),
            2,
        ),
    )
    .await;
    let alone = api_create(
        &node,
        &content("Ambush", "armed_attack", "2011-06-10", (14.4, -6.9), 1),
    )
    .await;
    let raid = op(
        json!({"id": "sahel-2012:wagadou", "member": "MLI", "participants": ["MRT"],
        "area": {"type": "bbox", "bbox": [-7.0, 14.0, -6.5, 14.5]},
        "from": "2011-06-09", "to": "2011-06-09", "kind": "raid", "status": "completed",
        "objective": "secret: the camp"}),
    );
    declare(&node, &raid).await;
    node.store
        .link_operation("sahel-2012:wagadou", &linked, NOW, "root")
        .await
        .unwrap();

    let mut c = Client::new(&node);
    c.sign_in("awa").await;
    let page = c.page(&format!("/ui/incidents/{linked}")).await;
    assert!(
        page.contains("<a href=\"/ui/operations#op-sahel-2012:wagadou\">sahel-2012:wagadou</a>"),
        "{page}"
    );
    assert!(
        page.contains("MLI · raid · completed, 9 June 2011 to 9 June 2011"),
        "{page}"
    );
    let other = c.page(&format!("/ui/incidents/{alone}")).await;
    assert!(other.contains("id=\"no-operations\""), "{other}");
    // The link lands on the operation's row.
    let ops = c.page("/ui/operations").await;
    assert!(ops.contains("<tr id=\"op-sahel-2012:wagadou\">"), "{ops}");

    c.accept_language = "fr";
    let fr = c.page(&format!("/ui/incidents/{linked}")).await;
    assert!(
        fr.contains("MLI · raid · terminée, du 9 juin 2011 au 9 juin 2011"),
        "{fr}"
    );
}

#[tokio::test]
async fn the_map_layers_are_geojson_without_objectives() {
    let node = node().await;
    let mut anonymous = Client::new(&node);
    let refused = anonymous.get("/ui/map/layers/operations.geojson").await;
    assert_ne!(refused.status, StatusCode::OK, "signed-in users only");

    let mut c = Client::new(&node);
    c.sign_in("karim").await;
    let map = c.page("/ui/").await;
    for id in ["layer-operations", "layer-sectors", "layer-notices"] {
        assert!(map.contains(&format!("id=\"{id}\"")), "{id}: {map}");
    }
    assert!(map.contains("data-operations-url=\"/ui/map/layers/operations.geojson\""));
    assert!(
        map.contains("\"operation\":\"Operation {id} of {member}"),
        "{map}"
    );

    // Nothing declared yet: empty collections, not errors (the map must keep working).
    for layer in ["operations", "sectors", "notices"] {
        let v = json_of(&mut c, &format!("/ui/map/layers/{layer}.geojson")).await;
        assert_eq!(
            v,
            json!({"type": "FeatureCollection", "features": []}),
            "{layer}"
        );
    }

    // Mali near the Algerian border (a notice to DZA), with an objective kept on the node.
    let mli = op(json!({"id": "op-mli-1", "member": "MLI",
        "area": {"type": "bbox", "bbox": [0.98, 20.88, 1.02, 20.92]},
        "from": "2026-04-01", "to": "2026-04-05", "kind": "patrol", "status": "active",
        "objective": "secret: escort of a convoy"}));
    declare(&node, &mli).await;
    let kidal = sector(json!({"id": "kidal", "name": "Kidal corridor",
        "area": {"type": "polygon", "polygons": [[[[0, 18], [4.5, 18], [4.5, 21.5], [0, 21.5], [0, 18]]]]},
        "contacts": [{"name": "A", "role": "mayor", "community": "Kidal", "phone_or_channel": "+223 00"}]}));
    node.store.add_sectors(&[kidal], NOW, "root").await.unwrap();

    let ops = c.get("/ui/map/layers/operations.geojson").await;
    assert!(!ops.body.contains("secret"), "no objective: {}", ops.body);
    let ops: Value = serde_json::from_str(&ops.body).unwrap();
    let f = &ops["features"][0];
    assert_eq!(f["geometry"]["type"], "Polygon");
    assert_eq!(f["geometry"]["coordinates"][0][0], json!([0.98, 20.88]));
    assert_eq!(f["properties"]["member"], "MLI");
    assert_eq!(f["properties"]["status"], "active");
    assert_eq!(f["properties"]["kind"], "patrol");
    assert_eq!(f["properties"]["from"], "1 April 2026");
    assert_eq!(f["properties"]["href"], "/ui/operations#op-op-mli-1");

    let notices = c.get("/ui/map/layers/notices.geojson").await;
    assert!(!notices.body.contains("secret"), "{}", notices.body);
    assert!(
        !notices.body.contains("op-mli-1"),
        "no operation id in a notice"
    );
    let notices: Value = serde_json::from_str(&notices.body).unwrap();
    let n = &notices["features"][0]["properties"];
    assert_eq!(n["declared_by"], "MLI");
    assert!(n["recipients"].as_str().unwrap().contains("DZA"), "{n}");
    assert_eq!(n["kind"], Value::Null, "the kind only when asked");

    let sectors = c.get("/ui/map/layers/sectors.geojson").await;
    assert!(
        !sectors.body.contains("+223"),
        "contacts stay on the sectors screen"
    );
    let sectors: Value = serde_json::from_str(&sectors.body).unwrap();
    let s = &sectors["features"][0];
    assert_eq!(s["geometry"]["type"], "MultiPolygon");
    assert_eq!(s["properties"]["name"], "Kidal corridor");
    assert_eq!(s["properties"]["contacts"], 1);

    c.accept_language = "fr";
    let fr = json_of(&mut c, "/ui/map/layers/operations.geojson").await;
    assert_eq!(fr["features"][0]["properties"]["kind"], "patrouille");
    assert_eq!(fr["features"][0]["properties"]["status_label"], "en cours");
}
