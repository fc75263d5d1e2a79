//! `liaison import ucdp-actors` and `liaison actors list|show`, run as a user would: the real
//! UCDP events of Mali and the real actor list link up; a damaged list stores nothing.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fails, ok};
use serde_json::Value;

fn data(name: &str) -> String {
    format!("{}/../../data/ucdp/{name}", env!("CARGO_MANIFEST_DIR"))
}

const ACTORS: &str = "ucdp_actors_v22_1_sahel_maghreb.csv";

#[test]
fn events_link_to_the_imported_actors_and_a_reimport_changes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("node");
    let dir = dir.to_str().unwrap();
    ok(&["init", "--data", dir, "--member", "MLI"]);
    ok(&["import", "ucdp", &data("ucdp_ged_Mali.csv"), "--data", dir]);
    let first: Value = serde_json::from_str(&ok(&[
        "import",
        "ucdp-actors",
        &data(ACTORS),
        "--data",
        dir,
        "--json",
    ]))
    .unwrap();
    assert_eq!(first["actors"], 290);
    assert_eq!(first["inserted"], 290);
    assert!(first["incidents_linked"].as_u64().unwrap() > 0, "{first}");
    let again: Value = serde_json::from_str(&ok(&[
        "import",
        "ucdp-actors",
        &data(ACTORS),
        "--data",
        dir,
        "--json",
    ]))
    .unwrap();
    assert_eq!(
        (again["inserted"].as_u64(), again["unchanged"].as_u64()),
        (Some(0), Some(290))
    );
    assert_eq!(again["incidents_linked"], first["incidents_linked"]);

    // AQIM is UCDP actor 539: split from the GIA, and named on Mali's events.
    let aqim: Value = serde_json::from_str(&ok(&[
        "actors",
        "show",
        "ucdp-actor:539",
        "--data",
        dir,
        "--json",
    ]))
    .unwrap();
    assert_eq!(aqim["name"], "AQIM");
    let rel = &aqim["relations"][0];
    assert_eq!(
        (rel["kind"].as_str(), rel["actor"].as_str()),
        (Some("splinter_of"), Some("ucdp-actor:538"))
    );
    assert_eq!(rel["actor_name"], "GIA");
    assert!(aqim["incidents_linked"].as_u64().unwrap() > 0, "{aqim}");
    let text = ok(&["actors", "show", "ucdp-actor:539", "--data", dir]);
    assert!(text.contains("splinter_of: ucdp-actor:538 (GIA)"), "{text}");
    assert!(text.contains("alias: GSPC"), "{text}");
    let list = ok(&["actors", "list", "--data", dir]);
    assert_eq!(list.lines().count(), 290);
}

#[test]
fn a_damaged_list_is_refused_naming_line_and_column_and_nothing_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("node");
    let dir = dir.to_str().unwrap();
    ok(&["init", "--data", dir, "--member", "MLI"]);
    let text = std::fs::read_to_string(data(ACTORS)).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    // Line 5 of the file: its ActorId made non-numeric.
    let rest = lines[4].split_once(',').unwrap().1.to_owned();
    lines[4] = format!("12x,{rest}");
    let bad = tmp.path().join("actors.csv");
    std::fs::write(&bad, lines.join("\n")).unwrap();
    let err = fails(&[
        "import",
        "ucdp-actors",
        bad.to_str().unwrap(),
        "--data",
        dir,
    ]);
    assert!(
        err.contains("line 5, column ActorId: '12x' is not a whole number"),
        "{err}"
    );
    assert!(err.contains("nothing stored"), "{err}");
    assert_eq!(ok(&["actors", "list", "--data", dir]), "");
}
