//! `liaison hotspots` and `liaison zone`, run as a user would: a node holding the UCDP events
//! of `data/ucdp/`, clustered and compared with scikit-learn's answer on the same events (the
//! fixture `crates/liaison-geo/tests/data/ucdp_hotspots_sklearn.json`), filters shared with
//! `incidents list`, the text table, refused options; the built-in zones listed and shown.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{ok, repo, run};

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;

/// The files whose events the fixture holds, in its order.
const FILES: [&str; 5] = [
    "ucdp_ged_Mali.csv",
    "ucdp_ged_Burkina.csv",
    "ucdp_ged_Niger_cleaned.csv",
    "ucdp_ged_Senegal.csv",
    "ucdp_ged_v23_1_sample_region.csv",
];

/// A node with every event of the fixture's files.
fn ucdp_node(dir: &Path) -> String {
    let d = dir.to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", "MLI"]);
    let files: Vec<String> = FILES
        .iter()
        .map(|f| repo(&format!("data/ucdp/{f}")))
        .collect();
    let mut args = vec!["import", "ucdp"];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--data", &d]);
    ok(&args);
    d
}

fn hotspots(d: &str, extra: &[&str]) -> Value {
    let mut args = vec!["hotspots", "--data", d, "--json"];
    args.extend(extra);
    serde_json::from_str(&ok(&args)).unwrap()
}

fn members(c: &Value) -> Vec<String> {
    c["members"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn hotspots_of_the_ucdp_events_are_scikit_learns_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let d = ucdp_node(dir.path());
    let text = std::fs::read_to_string(repo(
        "crates/liaison-geo/tests/data/ucdp_hotspots_sklearn.json",
    ))
    .unwrap();
    let fixture: Value = serde_json::from_str(&text).unwrap();
    let ids: Vec<String> = fixture["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| format!("ucdp-ged:{}", i.as_str().unwrap()))
        .collect();
    for run in fixture["runs"].as_array().unwrap() {
        let eps = run["eps_km"].as_f64().unwrap().to_string();
        let min = run["min_points"].as_u64().unwrap().to_string();
        let got = hotspots(&d, &["--eps-km", &eps, "--min-points", &min]);
        let ctx = format!("eps {eps}, min {min}");
        assert_eq!(
            got["incidents"],
            ids.len(),
            "{ctx}: every event has a point"
        );
        assert_eq!(got["without_point"], 0);

        let labels: Vec<i64> = run["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_i64().unwrap())
            .collect();
        let label_of: BTreeMap<&str, i64> = ids
            .iter()
            .map(String::as_str)
            .zip(labels.iter().copied())
            .collect();
        let core: BTreeSet<&str> = run["core"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| ids[i.as_u64().unwrap() as usize].as_str())
            .collect();
        let clusters = got["clusters"].as_array().unwrap();
        assert_eq!(
            clusters.len() as i64,
            labels.iter().max().unwrap() + 1,
            "{ctx}: cluster count"
        );
        // The node clusters in its own order (oldest first), so ids and the side a tied border
        // point takes may differ; what may not: which incidents are clustered at all, and
        // which core points go together.
        let clustered: BTreeSet<String> = clusters.iter().flat_map(members).collect();
        let want_clustered: BTreeSet<String> = ids
            .iter()
            .filter(|i| label_of[i.as_str()] >= 0)
            .cloned()
            .collect();
        assert_eq!(clustered, want_clustered, "{ctx}: clustered incidents");
        assert_eq!(
            got["noise"].as_u64().unwrap() as usize,
            ids.len() - want_clustered.len()
        );
        let mut seen = BTreeSet::new();
        for c in clusters {
            let sk: BTreeSet<i64> = members(c)
                .iter()
                .filter(|m| core.contains(m.as_str()))
                .map(|m| label_of[m.as_str()])
                .collect();
            assert_eq!(
                sk.len(),
                1,
                "{ctx}: cluster {} joins sklearn clusters {sk:?}",
                c["id"]
            );
            assert!(
                seen.insert(sk),
                "{ctx}: two clusters hold one sklearn cluster"
            );
            let countries = c["countries"].as_array().unwrap();
            assert_eq!(c["cross_border"], countries.len() >= 2);
            assert_eq!(c["size"], members(c).len());
        }
        // The region's hotspots straddle borders (Liptako-Gourma at least).
        assert!(
            clusters.iter().any(|c| c["cross_border"] == true),
            "{ctx}: no cross-border cluster"
        );
    }
}

#[test]
fn filters_select_the_incidents_and_the_text_table_lists_the_clusters() {
    let dir = tempfile::tempdir().unwrap();
    let d = ucdp_node(dir.path());
    let filters = [
        "--country",
        "BFA",
        "--from",
        "2019-01-01",
        "--to",
        "2020-12-31",
    ];
    let got = hotspots(&d, &filters);
    // The same filters as `incidents list`, counted by `stats`.
    let mut args = vec!["stats", "--data", &d, "--by", "country", "--json"];
    args.extend(filters);
    let rows: Vec<Value> = serde_json::from_str(&ok(&args)).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(got["incidents"], rows[0]["incidents"]);
    for c in got["clusters"].as_array().unwrap() {
        let first = c["first_date"].as_str().unwrap();
        assert!(first >= "2019-01-01", "{first}");
        assert!(c["countries"].as_array().unwrap().contains(&"BFA".into()));
    }

    let table = ok(&[
        "hotspots",
        "--data",
        &d,
        "--eps-km",
        "25",
        "--min-points",
        "5",
    ]);
    let mut lines = table.lines();
    let head = lines.next().unwrap();
    let all = hotspots(&d, &["--eps-km", "25", "--min-points", "5"]);
    let n = all["clusters"].as_array().unwrap().len();
    assert!(
        head.starts_with(&format!("{n} clusters of {} incidents", all["incidents"])),
        "{head}"
    );
    assert!(lines.next().unwrap().contains("centroid"));
    assert_eq!(lines.clone().count(), n);
    assert_eq!(
        lines.filter(|l| l.ends_with("cross-border")).count(),
        all["clusters"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|c| c["cross_border"] == true)
            .count()
    );
}

#[test]
fn a_zone_keeps_the_incidents_inside_it() {
    let dir = tempfile::tempdir().unwrap();
    let d = ucdp_node(dir.path());
    // The oracle: the fixture's points (the same events) inside the zone, by the library.
    let fixture: Value = serde_json::from_str(
        &std::fs::read_to_string(repo(
            "crates/liaison-geo/tests/data/ucdp_hotspots_sklearn.json",
        ))
        .unwrap(),
    )
    .unwrap();
    let zone = liaison_geo::zones::builtin_zone("liptako-gourma").unwrap();
    let inside: BTreeSet<String> = fixture["ids"]
        .as_array()
        .unwrap()
        .iter()
        .zip(fixture["points"].as_array().unwrap())
        .filter(|(_, p)| {
            let f = |k: usize| p[k].as_str().unwrap().parse::<f64>().unwrap();
            zone.contains(f(0), f(1))
        })
        .map(|(id, _)| format!("ucdp-ged:{}", id.as_str().unwrap()))
        .collect();
    assert!(inside.len() > 300, "the tri-border area is a hotspot");
    let got = hotspots(&d, &["--zone", "liptako-gourma", "--min-points", "3"]);
    assert_eq!(got["zone"], "liptako-gourma");
    assert_eq!(got["incidents"], inside.len());
    let clusters = got["clusters"].as_array().unwrap();
    assert!(!clusters.is_empty());
    for c in clusters {
        for m in members(c) {
            assert!(inside.contains(&m), "{m} is outside the zone");
        }
        for country in c["countries"].as_array().unwrap() {
            assert!(["BFA", "MLI", "NER"].contains(&country.as_str().unwrap()));
        }
    }
    assert!(clusters.iter().any(|c| c["cross_border"] == true));

    let out = run(&["hotspots", "--data", &d, "--zone", "sahara"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--zone: no zone 'sahara'"), "{err}");
}

#[test]
fn an_empty_node_has_no_hotspots() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok(&["init", "--data", d, "--member", "NER"]);
    let got = hotspots(d, &[]);
    assert_eq!(got["incidents"], 0);
    assert_eq!(got["clusters"], serde_json::json!([]));
    assert!(ok(&["hotspots", "--data", d]).starts_with("0 clusters of 0 incidents"));
}

#[test]
fn bad_options_are_refused_naming_the_option() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok(&["init", "--data", d, "--member", "NER"]);
    for (args, code, want) in [
        (vec!["--eps-km", "0"], 1, "--eps-km must be from 0.001"),
        (vec!["--eps-km", "25000"], 1, "--eps-km must be from"),
        (vec!["--eps-km", "NaN"], 1, "--eps-km must be from"),
        (vec!["--eps-km", "abc"], 2, "--eps-km"),
        (
            vec!["--min-points", "0"],
            1,
            "--min-points must be at least 1",
        ),
        (vec!["--min-points=-3"], 2, "--min-points"),
        (vec!["--min-points", "many"], 2, "--min-points"),
        (vec!["--from", "2020-13-01"], 1, "--from"),
        (vec!["--country", "Mali"], 1, "--country"),
        (vec!["--type", "picnic"], 1, "--type"),
    ] {
        let mut all = vec!["hotspots", "--data", d];
        all.extend(&args);
        let out = run(&all);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(code), "{args:?}: {err}");
        assert!(err.contains(want), "{args:?}: {err}");
    }
}

// ---- zones --------------------------------------------------------------------------------

#[test]
fn zone_list_and_show_describe_the_built_in_zones() {
    let zones: Vec<Value> = serde_json::from_str(&ok(&["zone", "list", "--json"])).unwrap();
    let ids: Vec<&str> = zones.iter().map(|z| z["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "liptako-gourma",
            "adrar-ifoghas-kidal-tamanrasset",
            "air-djanet-fezzan",
            "mauritania-mali-wagadou"
        ]
    );
    // Each zone is named for a border: it covers two or more countries.
    for z in &zones {
        assert!(z["countries"].as_array().unwrap().len() >= 2, "{z}");
    }
    let text = ok(&["zone", "list"]);
    assert_eq!(text.lines().count(), zones.len());
    assert!(text.contains("BFA,MLI,NER"));

    let lg: Value =
        serde_json::from_str(&ok(&["zone", "show", "liptako-gourma", "--json"])).unwrap();
    assert_eq!(lg["countries"], serde_json::json!(["BFA", "MLI", "NER"]));
    assert_eq!(lg["feature"]["geometry"]["type"], "MultiPolygon");
    assert!(lg["description"].as_str().unwrap().contains("Tillabéri"));
    let shown = ok(&["zone", "show", "air-djanet-fezzan"]);
    assert!(
        shown.starts_with("Aïr–Djanet–Fezzan area (air-djanet-fezzan)"),
        "{shown}"
    );
}

#[test]
fn an_unknown_zone_is_refused_listing_the_known_ones() {
    let out = run(&["zone", "show", "timbuktu"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("zone \"timbuktu\" not found; the zones are liptako-gourma,"),
        "{err}"
    );
    assert_eq!(run(&["zone", "show"]).status.code(), Some(2));
}

#[test]
fn geo_locate_is_right_on_the_twin_border_towns() {
    // In Guezzam (Algeria) and Assamaka (Niger), 24 km apart across the border; and points 2.6 km
    // either side of the line at Ti-n-Zaouatene (Algeria / Mali).
    let dz = ok(&["geo", "locate", "19.960", "2.963", "--json"]);
    let ml = ok(&["geo", "locate", "19.908", "2.963", "--json"]);
    let dz: Value = serde_json::from_str(&dz).unwrap();
    let ml: Value = serde_json::from_str(&ml).unwrap();
    assert_eq!(
        (dz["country"].as_str(), ml["country"].as_str()),
        (Some("DZA"), Some("MLI")),
        "{dz} {ml}"
    );
    assert!(dz["distance_to_border_km"].as_f64().unwrap() < 5.0);
    let ig: Value =
        serde_json::from_str(&ok(&["geo", "locate", "19.568", "5.770", "--json"])).unwrap();
    let asm: Value =
        serde_json::from_str(&ok(&["geo", "locate", "19.358", "5.706", "--json"])).unwrap();
    assert_eq!(
        (ig["country"].as_str(), asm["country"].as_str()),
        (Some("DZA"), Some("NER"))
    );
    let kidal: Value =
        serde_json::from_str(&ok(&["geo", "locate", "18.44", "1.41", "--json"])).unwrap();
    assert_eq!(kidal["country"], "MLI");
    assert!(
        !kidal["zones"].as_array().unwrap().is_empty(),
        "Kidal is in a built-in zone: {kidal}"
    );
    let text = ok(&["geo", "locate", "16.27", "-0.04"]);
    assert!(text.starts_with("MLI (Mali)"), "{text}");
    for (lat, lon, field) in [("91", "0", "LAT"), ("0", "-181", "LON")] {
        let out = run(&["geo", "locate", lat, lon]);
        assert_eq!(out.status.code(), Some(1));
        assert!(String::from_utf8_lossy(&out.stderr).contains(field));
    }
}
