//! `liaison actors link | review | merge | split` run as a user would, on a node holding the
//! `sahel-2012` scenario, the UCDP actor list and field reports naming Abdelkarim Targui in
//! other spellings and scripts: the names are linked (with their reasons) or proposed, a second
//! pass changes nothing, proposals are reviewed, a merge of two records of AQIM from two sources
//! is shown and split back exactly, and bad input is refused with the argument named.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fails, ok};
use serde_json::Value;

const TARGUI: &str = "sahel-2012:abdelkarim-targui";

fn json(args: &[&str]) -> Value {
    let out = ok(args);
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: not JSON ({e}): {out}"))
}

/// A node with the scenario (and the UCDP actor list if `ucdp`) and three accepted field reports,
/// whose actors are written «عبد الكريم الطارقي», "Abd al-Karim al-Targui" and "katiba Targui".
fn node(tmp: &tempfile::TempDir, ucdp: bool) -> String {
    let dir = tmp.path().join("node");
    let dir = dir.to_str().unwrap().to_owned();
    ok(&["init", "--data", &dir, "--member", "MLI"]);
    ok(&["scenario", "load", "sahel-2012", "--data", &dir]);
    let actors = format!(
        "{}/../../data/ucdp/ucdp_actors_v22_1_sahel_maghreb.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    if ucdp {
        ok(&["import", "ucdp-actors", &actors, "--data", &dir]);
    }
    for (n, text) in [
        "ATK @Gao 05/01/2012 K2 A:Abd_al-Karim_al-Targui / embuscade",
        "ATK @Gao 06/01/2012 A:عبد_الكريم_الطارقي / embuscade",
        "KID @Gao 07/01/2012 H1 A:katiba_Targui / enlevement",
    ]
    .iter()
    .enumerate()
    {
        ok(&[
            "report", "submit", text, "--from", "patrol-7", "--data", &dir,
        ]);
        ok(&["report", "accept", &(n + 1).to_string(), "--data", &dir]);
    }
    dir
}

fn decision<'a>(pass: &'a Value, name: &str) -> &'a Value {
    pass["decisions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("no decision for {name}: {pass}"))
}

#[test]
fn names_are_linked_or_proposed_with_reasons_and_reviewed() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = node(&tmp, false);

    let pass = json(&["actors", "link", "--data", &dir, "--json"]);
    assert_eq!(pass["confident_threshold"], 0.75);
    for name in ["Abd al-Karim al-Targui", "عبد الكريم الطارقي"] {
        let d = decision(&pass, name);
        assert_eq!(d["verdict"], "linked", "{d}");
        assert_eq!(d["actor_id"], TARGUI, "{d}");
        assert!(d["score"].as_f64().unwrap() >= 0.75, "{d}");
        assert!(!d["reasons"].as_array().unwrap().is_empty(), "{d}");
    }
    let katiba = decision(&pass, "katiba Targui");
    assert_eq!(katiba["verdict"], "proposed", "{katiba}");
    assert_eq!(katiba["actor_id"], TARGUI);
    let linked = pass["linked"].as_u64().unwrap();
    assert!(linked >= 2, "{pass}");

    // A second pass finds nothing left to decide and records nothing.
    let again = json(&["actors", "link", "--data", &dir, "--json"]);
    assert_eq!(
        (again["linked"].as_u64(), again["proposed"].as_u64()),
        (Some(0), Some(0))
    );
    assert!(
        again["decisions"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["verdict"] == "none"),
        "{again}"
    );

    // The auto links are on the record with their provenance.
    let auto = json(&[
        "actors", "review", "list", "--status", "linked", "--data", &dir, "--json",
    ]);
    let row = auto
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["actor_name"] == "عبد الكريم الطارقي")
        .unwrap();
    assert_eq!(row["method"], "auto");
    assert_eq!(row["incident_id"], "mli-report-2");
    assert_eq!(row["decided_by"], "cli");
    assert!(
        row["reasons"]["explanation"]
            .as_str()
            .unwrap()
            .contains("across scripts")
            || row["score"].as_f64().unwrap() > 0.99,
        "{row}"
    );

    // The proposal, reviewed: listed in text with its reasons, then accepted.
    let text = ok(&["actors", "review", "list", "--data", &dir]);
    assert!(
        text.contains("\"katiba Targui\" -> sahel-2012:abdelkarim-targui"),
        "{text}"
    );
    assert!(
        text.contains("Targui = Tuareg (same consonants: trk)"),
        "{text}"
    );
    let proposals = json(&["actors", "review", "list", "--data", &dir, "--json"]);
    let id = proposals
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["actor_name"] == "katiba Targui")
        .unwrap()["id"]
        .to_string();
    let accepted = json(&["actors", "review", "accept", &id, "--data", &dir, "--json"]);
    assert_eq!(accepted["status"], "linked");
    assert_eq!(accepted["method"], "accepted");
    let err = fails(&["actors", "review", "reject", &id, "--data", &dir]);
    assert!(err.contains(&format!("link {id} is linked")), "{err}");

    // Every one of the three reports now counts for the man.
    let show = json(&["actors", "show", TARGUI, "--data", &dir, "--json"]);
    assert_eq!(show["incidents"]["by_name"], 3, "{show}");
    let text = ok(&["actors", "show", TARGUI, "--data", &dir]);
    assert!(text.contains("3 by name"), "{text}");
}

#[test]
fn a_merge_is_shown_and_split_back_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = node(&tmp, true);
    let (keep, other) = ("sahel-2012:aqim", "ucdp-actor:539");
    // With UCDP's actors on the node "katiba Targui" is proposed for the Tarok (same consonants);
    // the analyst says it is UCDP's AQIM record: a manual link to it.
    ok(&["actors", "link", "--data", &dir]);
    let proposals = json(&["actors", "review", "list", "--data", &dir, "--json"]);
    let id = proposals
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["actor_name"] == "katiba Targui")
        .unwrap()["id"]
        .to_string();
    let err = fails(&[
        "actors",
        "review",
        "reject",
        &id,
        "--actor",
        "ucdp-actor:1",
        "--data",
        &dir,
    ]);
    assert!(
        err.contains("--actor: no actor ucdp-actor:1 on this node"),
        "{err}"
    );
    let manual = json(&[
        "actors", "review", "reject", &id, "--actor", other, "--data", &dir, "--json",
    ]);
    assert_eq!(
        (manual["status"].as_str(), manual["method"].as_str()),
        (Some("linked"), Some("manual"))
    );
    assert_eq!(manual["proposed_actor_id"], "ucdp-actor:689");
    let before_keep = json(&["actors", "show", keep, "--data", &dir, "--json"]);
    let before_other = json(&["actors", "show", other, "--data", &dir, "--json"]);

    let out = ok(&[
        "actors",
        "merge",
        keep,
        other,
        "--reason",
        "the scenario's AQIM is UCDP actor 539",
        "--data",
        &dir,
    ]);
    assert!(
        out.contains("merge 1: ucdp-actor:539 merged into sahel-2012:aqim"),
        "{out}"
    );
    let merged = json(&["actors", "show", keep, "--data", &dir, "--json"]);
    let from_other: Vec<&Value> = merged["effective_aliases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["from_actor"] == other)
        .collect();
    assert!(!from_other.is_empty(), "{merged}");
    assert!(from_other.iter().all(|a| a["merge_id"] == 1));
    assert!(
        from_other.iter().all(|a| a["source"]
            .as_str()
            .unwrap_or("")
            .contains("UCDP actor list")),
        "{merged}"
    );
    // The name linked to actor 539 now counts for the kept record.
    assert_eq!(
        merged["incidents"]["by_name"].as_u64().unwrap(),
        before_keep["incidents"]["by_name"].as_u64().unwrap() + 1,
        "{merged}"
    );
    let text = ok(&["actors", "show", keep, "--data", &dir]);
    assert!(
        text.contains("merge 1: ucdp-actor:539 merged into sahel-2012:aqim"),
        "{text}"
    );
    assert!(text.contains("from ucdp-actor:539 by merge 1"), "{text}");
    let text = ok(&["actors", "show", other, "--data", &dir]);
    assert!(
        text.contains("merged into sahel-2012:aqim (merge 1)"),
        "{text}"
    );

    // Merged already: refused, naming the merge.
    let err = fails(&[
        "actors",
        "merge",
        "sahel-2012:tuareg-rebels",
        other,
        "--reason",
        "x",
        "--data",
        &dir,
    ]);
    assert!(
        err.contains("already merged into sahel-2012:aqim (merge 1)"),
        "{err}"
    );

    ok(&[
        "actors",
        "split",
        "1",
        "--reason",
        "checked: keep both",
        "--data",
        &dir,
    ]);
    let after_keep = json(&["actors", "show", keep, "--data", &dir, "--json"]);
    let after_other = json(&["actors", "show", other, "--data", &dir, "--json"]);
    // Exactly as before, but for the merge on the record, now split.
    let without_merges = |v: &Value| {
        let mut v = v.clone();
        v.as_object_mut().unwrap().remove("merges");
        v
    };
    assert_eq!(without_merges(&after_keep), without_merges(&before_keep));
    assert_eq!(without_merges(&after_other), without_merges(&before_other));
    assert_eq!(
        after_keep["merges"][0]["split_reason"],
        "checked: keep both"
    );
    let err = fails(&["actors", "split", "1", "--data", &dir]);
    assert!(err.contains("merge 1 was already split"), "{err}");
}

#[test]
fn bad_input_is_refused_with_the_argument_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("node");
    let dir = dir.to_str().unwrap();
    ok(&["init", "--data", dir, "--member", "MLI"]);
    ok(&["scenario", "load", "sahel-2012", "--data", dir]);
    for (args, want) in [
        (
            vec!["actors", "merge", TARGUI, TARGUI, "--reason", "same"],
            "OTHER: sahel-2012:abdelkarim-targui cannot be merged with itself",
        ),
        (
            vec![
                "actors",
                "merge",
                "sahel-2012:nobody",
                TARGUI,
                "--reason",
                "x",
            ],
            "KEEP: no actor sahel-2012:nobody on this node",
        ),
        (
            vec![
                "actors",
                "merge",
                TARGUI,
                "sahel-2012:nobody",
                "--reason",
                "x",
            ],
            "OTHER: no actor sahel-2012:nobody on this node",
        ),
        (
            vec![
                "actors",
                "merge",
                TARGUI,
                "sahel-2012:aqim",
                "--reason",
                "  ",
            ],
            "--reason: say why",
        ),
        (vec!["actors", "split", "7"], "no merge 7 on this node"),
        (
            vec!["actors", "review", "accept", "7"],
            "no link 7 on this node",
        ),
        (
            vec!["actors", "review", "list", "--status", "maybe"],
            "--status: 'maybe' is not a link status",
        ),
        (
            vec!["actors", "show", "sahel-2012:nobody"],
            "no actor sahel-2012:nobody on this node",
        ),
    ] {
        let mut args = args.clone();
        args.extend(["--data", dir]);
        let err = fails(&args);
        assert!(err.contains(want), "{args:?}: {err}");
    }
    // A malformed number is a usage error naming the argument.
    let err = fails(&["actors", "split", "one", "--data", dir]);
    assert!(err.contains("MERGE_ID"), "{err}");
}
