//! A node's own integrated regional zones, run as a user would, on real UCDP events: `zone add`
//! (versions, a refused file leaves nothing, a built-in id is refused), `zone list|show --data`
//! with the zone's incidents by type and month, the `--zone` filter of `incidents list`,
//! `stats` and `hotspots`, statistics and monthly trends per zone and type as CSV, and a
//! zone-scoped agreement whose preview holds only the zone's incidents.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fails, json_of, ok, repo};

use std::path::Path;

use serde_json::{Value, json};

/// A box around Ménaka and Ansongo (Mali), over the Niger border, whose south-west corner takes
/// in Burkina Faso's northern tip, drawn by the node.
const BOX: [f64; 4] = [0.0, 14.8, 3.5, 16.6];

fn zone_file(dir: &Path, name: &str, body: &Value) -> String {
    let path = dir.join(name);
    std::fs::write(&path, body.to_string()).unwrap();
    path.to_str().unwrap().to_owned()
}

fn box_feature(id: &str, [w, s, e, n]: [f64; 4]) -> Value {
    json!({"type": "Feature",
        "properties": {"id": id, "name": "Ménaka–Ansongo box", "description": "Drawn for a test"},
        "geometry": {"type": "Polygon", "coordinates": [[[w, s], [e, s], [e, n], [w, n], [w, s]]]}})
}

fn node(dir: &Path) -> String {
    let d = dir.join("node").to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", "MLI"]);
    ok(&[
        "import",
        "ucdp",
        &repo("data/ucdp/ucdp_ged_Mali.csv"),
        "--data",
        &d,
    ]);
    d
}

/// Every incident the filter selects, page by page.
fn all_ids(d: &str, extra: &[&str]) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut args = vec![
            "incidents",
            "list",
            "--data",
            d,
            "--json",
            "--limit",
            "1000",
        ];
        args.extend(extra);
        let c;
        if let Some(next) = &cursor {
            c = next.clone();
            args.extend(["--cursor", &c]);
        }
        let page = json_of(&ok(&args));
        out.extend(page["incidents"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(n) => cursor = Some(n.to_owned()),
            None => return out,
        }
    }
}

#[test]
fn a_node_zone_filters_counts_and_trends_like_a_built_in_one() {
    let dir = tempfile::tempdir().unwrap();
    let d = node(dir.path());
    let file = zone_file(dir.path(), "box.json", &box_feature("menaka-box", BOX));
    assert!(ok(&["zone", "add", &file, "--data", &d]).contains("zone menaka-box added"));

    // Listed beside the built-in ones, with its origin and version.
    let zones = json_of(&ok(&["zone", "list", "--data", &d, "--json"]));
    let mine = zones
        .as_array()
        .unwrap()
        .iter()
        .find(|z| z["id"] == "menaka-box")
        .unwrap();
    assert_eq!(mine["origin"], "node");
    assert_eq!(mine["version"], 1);
    assert_eq!(mine["countries"], json!(["BFA", "MLI", "NER"]));

    // The filter selects exactly the incidents whose point is in the box.
    let inside = all_ids(&d, &["--zone", "menaka-box"]);
    assert!(inside.len() > 50, "Ménaka is a hotspot: {}", inside.len());
    for inc in &inside {
        let p = &inc["location"]["point"];
        let (lat, lon) = (p["lat"].as_f64().unwrap(), p["lon"].as_f64().unwrap());
        assert!(
            (BOX[1]..=BOX[3]).contains(&lat) && (BOX[0]..=BOX[2]).contains(&lon),
            "{lat},{lon}"
        );
    }
    let everything = all_ids(&d, &[]);
    let in_box_by_hand = everything
        .iter()
        .filter(|inc| {
            let p = &inc["location"]["point"];
            match (p["lat"].as_f64(), p["lon"].as_f64()) {
                (Some(lat), Some(lon)) => {
                    (BOX[1]..=BOX[3]).contains(&lat) && (BOX[0]..=BOX[2]).contains(&lon)
                }
                _ => false,
            }
        })
        .count();
    assert_eq!(inside.len(), in_box_by_hand);

    // Monthly trends per zone and type as CSV: a header, then rows whose counts add up.
    let csv_text = ok(&[
        "stats",
        "--data",
        &d,
        "--by",
        "zone,month,type",
        "--zone",
        "menaka-box",
        "--csv",
    ]);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(
        header,
        [
            "zone",
            "month",
            "event_type",
            "incidents",
            "fatalities_best",
            "fatalities_low",
            "fatalities_high"
        ]
    );
    let mut in_menaka = 0;
    for record in reader.records() {
        let r = record.unwrap();
        if &r[0] == "menaka-box" {
            assert_eq!(r[1].len(), 7, "YYYY-MM: {r:?}");
            in_menaka += r[3].parse::<usize>().unwrap();
        }
    }
    assert_eq!(in_menaka, inside.len());

    // `zone show --data` counts the same incidents, by type and month.
    let shown = json_of(&ok(&["zone", "show", "menaka-box", "--data", &d, "--json"]));
    assert_eq!(shown["stats"]["incidents"], inside.len());
    assert_eq!(shown["origin"], "node");
    assert!(!shown["stats"]["by_month"].as_array().unwrap().is_empty());
    let text = ok(&["zone", "show", "menaka-box", "--data", &d]);
    assert!(
        text.contains(&format!("{} incidents in the zone", inside.len())),
        "{text}"
    );

    // Hotspots inside the node's zone.
    let hot = json_of(&ok(&[
        "hotspots",
        "--data",
        &d,
        "--zone",
        "menaka-box",
        "--min-points",
        "3",
        "--json",
    ]));
    assert_eq!(hot["zone"], "menaka-box");
    assert_eq!(hot["incidents"], inside.len());

    // Redrawn smaller: version 2, fewer incidents, version 1 kept.
    let smaller = zone_file(
        dir.path(),
        "smaller.json",
        &json!({"type": "FeatureCollection", "features": [box_feature("menaka-box", [2.0, 15.5, 2.6, 16.0])]}),
    );
    assert!(ok(&["zone", "add", &smaller, "--data", &d]).contains("now version 2"));
    let fewer = all_ids(&d, &["--zone", "menaka-box"]);
    assert!(!fewer.is_empty() && fewer.len() < inside.len());
}

#[test]
fn bad_zone_files_and_unknown_zones_are_refused_naming_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().join("node").to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", "NER"]);
    // The second feature is bad: nothing of the file is kept, the first feature included.
    let bad = zone_file(
        dir.path(),
        "bad.json",
        &json!({"type": "FeatureCollection", "features": [
            box_feature("good-one", BOX),
            {"type": "Feature", "properties": {"id": "Bad Id", "name": "x"},
             "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]}}
        ]}),
    );
    let err = fails(&["zone", "add", &bad, "--data", &d]);
    assert!(err.contains("feature 1: properties.id"), "{err}");
    let builtin = zone_file(
        dir.path(),
        "builtin.json",
        &box_feature("liptako-gourma", BOX),
    );
    let err = fails(&["zone", "add", &builtin, "--data", &d]);
    assert!(err.contains("is a built-in zone"), "{err}");
    let zones = json_of(&ok(&["zone", "list", "--data", &d, "--json"]));
    assert!(
        zones
            .as_array()
            .unwrap()
            .iter()
            .all(|z| z["origin"] == "built-in")
    );

    let err = fails(&["incidents", "list", "--data", &d, "--zone", "nowhere"]);
    assert!(err.contains("no zone 'nowhere'"), "{err}");
    let err = fails(&["stats", "--data", &d, "--by", "zone", "--zone", "nowhere"]);
    assert!(err.contains("--zone: no zone 'nowhere'"), "{err}");
    let err = fails(&["zone", "show", "good-one", "--data", &d]);
    assert!(err.contains("not found"), "{err}");
    let err = fails(&["stats", "--data", &d, "--by", "zone", "--json", "--csv"]);
    assert!(err.contains("--csv"), "{err}");
}

#[test]
fn an_agreement_scoped_to_a_node_zone_releases_only_what_lies_in_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = node(dir.path());
    let partner = dir.path().join("partner").to_str().unwrap().to_owned();
    ok(&["init", "--data", &partner, "--member", "NER"]);
    let key = json_of(&ok(&["identity", "show", "--data", &partner, "--json"]))["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(&[
        "peer",
        "add",
        "NER",
        "https://127.0.0.1:9",
        "--key",
        &key,
        "--data",
        &d,
    ]);
    let agreement = json!({"id": "menaka-to-ner", "originator": "MLI", "recipients": ["NER"],
        "title": "Mali shares the Ménaka box with Niger", "scope": {"zones": ["menaka-box"]}});
    let file = zone_file(dir.path(), "agreement.json", &agreement);
    // Before the zone exists the agreement is refused, naming the field.
    let err = fails(&["agreement", "add", &file, "--data", &d]);
    assert!(err.contains("scope.zones[0]"), "{err}");
    let zone = zone_file(dir.path(), "box.json", &box_feature("menaka-box", BOX));
    ok(&["zone", "add", &zone, "--data", &d]);
    ok(&["agreement", "add", &file, "--data", &d]);
    let shown = ok(&["agreement", "show", "menaka-to-ner", "--data", &d]);
    assert!(shown.contains("menaka-box"), "{shown}");

    let preview = json_of(&ok(&[
        "agreement",
        "preview",
        "--to",
        "NER",
        "--data",
        &d,
        "--json",
    ]));
    let released = preview.as_array().unwrap().len();
    let inside = all_ids(&d, &["--zone", "menaka-box"]).len();
    assert!(released > 0);
    assert_eq!(
        released, inside,
        "exactly the zone's incidents are released"
    );
}
