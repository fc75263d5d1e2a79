//! `liaison actors graph` on the scenario and the shipped UCDP actor list, run as a user would:
//! AQIM's neighbourhood holds the brief's links, the UCDP record reaches them through the shared
//! UCDP id, GraphML is well-formed, and bad arguments are refused by name.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fails, ok};
use serde_json::Value;

fn node() -> (tempfile::TempDir, String) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("node").to_str().unwrap().to_owned();
    ok(&["init", "--data", &dir, "--member", "MLI"]);
    ok(&["scenario", "load", "sahel-2012", "--data", &dir]);
    let actors = format!(
        "{}/../../data/ucdp/ucdp_actors_v22_1_sahel_maghreb.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    ok(&["import", "ucdp-actors", &actors, "--data", &dir]);
    (tmp, dir)
}

#[test]
fn aqims_neighbourhood_in_text_json_and_graphml() {
    let (tmp, dir) = node();
    let args = |extra: &[&str]| {
        let mut a = vec![
            "actors",
            "graph",
            "--actor",
            "sahel-2012:aqim",
            "--data",
            &dir,
        ];
        a.extend_from_slice(extra);
        ok(&a)
    };

    let text = args(&["--depth", "2"]);
    assert!(
        text.starts_with("Al Qaeda in the Islamic Maghreb (sahel-2012:aqim)\n"),
        "{text}"
    );
    assert!(text.contains("← part_of Abdelkarim Targui"), "{text}");
    assert!(
        text.contains("→ cooperates_with [2010-10-21..2010-10-31] Colombian drug traffickers"),
        "{text}"
    );
    // The scenario's AQIM and UCDP's share the UCDP id 539, so UCDP's history joins in.
    assert!(
        text.contains("— same_ucdp_id AQIM (ucdp-actor:539)"),
        "{text}"
    );

    let doc: Value = serde_json::from_str(&args(&["--depth", "2", "--json"])).unwrap();
    let nodes: Vec<&str> = doc["elements"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["data"]["id"].as_str().unwrap())
        .collect();
    for want in [
        "sahel-2012:abdelkarim-targui",
        "sahel-2012:colombian-drug-traffickers",
        "sahel-2012:boko-haram",
        "sahel-2012:khaled-bernaoui",
        "ucdp-actor:538",
    ] {
        assert!(nodes.contains(&want), "{want} not in {nodes:?}");
    }
    let edges = doc["elements"]["edges"].as_array().unwrap();
    let summit = edges
        .iter()
        .find(|e| {
            e["data"]["kind"] == "cooperates_with" && e["data"]["source"] == "sahel-2012:aqim"
        })
        .unwrap();
    assert_eq!(summit["data"]["until"], "2010-10-31");
    assert!(
        summit["data"]["reference"]
            .as_str()
            .unwrap()
            .contains("opening section")
    );
    // The summit incident names AQIM, Targui and the traffickers together.
    assert!(
        edges.iter().any(|e| e["data"]["kind"] == "co_occurs"),
        "{doc}"
    );

    let out = tmp.path().join("aqim.graphml");
    args(&["--depth", "1", "--graphml", "--out", out.to_str().unwrap()]);
    let xml = std::fs::read_to_string(&out).unwrap();
    assert!(xml.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml"));
    assert!(xml.trim_end().ends_with("</graphml>"));
    assert_eq!(
        xml.matches("<node ").count(),
        xml.matches("</node>").count()
    );
    assert_eq!(
        xml.matches("<edge ").count(),
        xml.matches("</edge>").count()
    );
    assert!(xml.contains("<key id=\"e_source\" for=\"edge\" attr.name=\"source\""));
    // Quotes in the brief's words are escaped.
    assert!(xml.contains("&apos;summit&apos;"), "{xml}");
    assert!(!xml.contains("'summit'"));

    let only = args(&["--depth", "3", "--kind", "part_of", "--no-co-occurrence"]);
    assert!(
        only.contains("Abdelkarim Targui") && !only.contains("Colombian"),
        "{only}"
    );
}

#[test]
fn bad_arguments_and_unknown_actors_are_refused_by_name() {
    let (_tmp, dir) = node();
    let run = |extra: &[&str]| {
        let mut a = vec!["actors", "graph", "--data", dir.as_str()];
        a.extend_from_slice(extra);
        fails(&a)
    };
    let e = run(&["--actor", "sahel-2012:nobody"]);
    assert!(e.contains("no actor sahel-2012:nobody on this node"), "{e}");
    let e = run(&["--actor", "not an id"]);
    assert!(
        e.contains("--actor \"not an id\" is not an actor id"),
        "{e}"
    );
    let e = run(&["--actor", "sahel-2012:aqim", "--depth", "5"]);
    assert!(e.contains("--depth 5 is more than 4"), "{e}");
    let e = run(&["--actor", "sahel-2012:aqim", "--kind", "loves"]);
    assert!(e.contains("--kind \"loves\" is not a relation kind"), "{e}");
    let e = run(&["--actor", "sahel-2012:aqim", "--at", "2010-13-01"]);
    assert!(e.contains("--at: '2010-13-01' is not a day"), "{e}");
    let e = run(&["--actor", "sahel-2012:aqim", "--json", "--graphml"]);
    assert!(e.contains("cannot be used with"), "{e}");
}
