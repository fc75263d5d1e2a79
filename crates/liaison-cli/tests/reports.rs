//! Field reports run as a user would: a report checked, submitted as a draft, listed, accepted
//! into an incident of the node (then findable like any other), an unreadable report kept with
//! the word at fault (exit 1, nothing lost), rejected, and reviews that cannot happen twice.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fails, json_of, ok, run};

#[test]
fn a_report_becomes_a_draft_then_an_incident() {
    let checked = json_of(&ok(&[
        "report",
        "check",
        "ATK @Aguelhok 17/01/2012 06:30 K3 W2 A:AQIM / attaque du poste",
        "--json",
    ]));
    assert_eq!(checked["sub_type"], "armed_attack");
    assert_eq!(checked["location"]["place_name"], "Aguelhok");
    assert_eq!(checked["location"]["country"], "MLI");
    assert_eq!(checked["location"]["precision"], "near");
    assert_eq!(checked["date"]["start"], "2012-01-17");
    assert_eq!(checked["casualties"]["injured"], 2);

    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok(&["init", "--data", d, "--member", "MLI"]);
    let text = "KID @Tombouctou 20/01/2012 H2 A:AQIM / deux touristes enleves";
    let submitted = json_of(&ok(&[
        "report",
        "submit",
        text,
        "--from",
        "+223 70 00 00 00",
        "--data",
        d,
        "--json",
    ]));
    assert_eq!(submitted["status"], "draft");
    assert_eq!(submitted["text"], text);
    assert_eq!(submitted["draft"]["location"]["place_name"], "Timbuktu");
    let id = submitted["id"].as_i64().unwrap();

    let drafts = json_of(&ok(&[
        "report", "list", "--status", "draft", "--data", d, "--json",
    ]));
    assert_eq!(drafts.as_array().unwrap().len(), 1);
    let accepted = json_of(&ok(&[
        "report",
        "accept",
        &id.to_string(),
        "--data",
        d,
        "--json",
    ]));
    assert_eq!(accepted["status"], "accepted");
    let incident_id = accepted["incident_id"].as_str().unwrap().to_owned();
    assert_eq!(incident_id, format!("mli-report-{id}"));
    let shown = json_of(&ok(&[
        "incidents",
        "show",
        &incident_id,
        "--data",
        d,
        "--json",
    ]));
    assert_eq!(shown["incident"]["sub_type"], "kidnapping");
    assert_eq!(shown["incident"]["casualties"]["kidnapped"], 2);
    assert_eq!(shown["incident"]["sources"][0]["reliability"], "F");
    let listed = json_of(&ok(&[
        "incidents",
        "list",
        "--data",
        d,
        "--type",
        "kidnapping",
        "--json",
    ]));
    assert_eq!(listed["incidents"].as_array().unwrap().len(), 1);

    let err = fails(&["report", "accept", &id.to_string(), "--data", d]);
    assert!(err.contains("only a draft can be accepted"), "{err}");
    let err = fails(&[
        "report",
        "reject",
        &id.to_string(),
        "--reason",
        "dup",
        "--data",
        d,
    ]);
    assert!(err.contains("not waiting for review"), "{err}");
}

#[test]
fn an_unreadable_report_is_kept_and_named() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok(&["init", "--data", d, "--member", "NER"]);
    let text = "ATK @Agadez hier K3";
    let out = run(&["report", "submit", text, "--from", "patrol-4", "--data", d]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("word 3 'hier'"), "{err}");
    assert!(err.contains("kept for a person to read"), "{err}");
    let kept = json_of(&ok(&[
        "report",
        "list",
        "--status",
        "unreadable",
        "--data",
        d,
        "--json",
    ]));
    let kept = &kept.as_array().unwrap()[0];
    assert_eq!(kept["text"], text);
    let id = kept["id"].as_i64().unwrap().to_string();
    assert!(fails(&["report", "accept", &id, "--data", d]).contains("unreadable"));
    let rejected = json_of(&ok(&[
        "report",
        "reject",
        &id,
        "--reason",
        "called back: it was 17/01",
        "--data",
        d,
        "--json",
    ]));
    assert_eq!(rejected["status"], "rejected");

    for (args, needle) in [
        (
            vec!["report", "check", "ATK @Nowhereville 17/01"],
            "not in the gazetteer",
        ),
        (
            vec!["report", "check", "ATK @Gao 17/01", "--lang", "de"],
            "--lang",
        ),
        (
            vec!["report", "show", "99", "--data", d],
            "field report 99 not found",
        ),
        (
            vec!["report", "list", "--status", "lost", "--data", d],
            "--status",
        ),
        (
            vec![
                "report",
                "submit",
                "ATK @Gao 17/01",
                "--from",
                " ",
                "--data",
                d,
            ],
            "--from",
        ),
    ] {
        let err = fails(&args);
        assert!(err.contains(needle), "{args:?}: {err}");
    }
}
