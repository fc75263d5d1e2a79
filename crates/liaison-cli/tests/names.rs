//! `liaison names compare` and `liaison actors match`, run as a user would: pairs files good and
//! bad, and the scenario's actors matched across scripts and spellings.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{ok, run};

use std::path::Path;

use serde_json::Value;

/// Runs a command that must fail; returns its one line of stderr.
fn fails(args: &[&str]) -> (String, String) {
    let out = run(args);
    assert_eq!(out.status.code(), Some(1), "liaison {args:?} should fail");
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

fn lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_owned()
}

const PAIRS: &str = r#"{"a": "Abdelkarim Targui", "b": "عبد الكريم الطارقي"}
{"a": "Abd al-Karim al-Targui", "b": "Abdelkrim el-Targui", "source": "scenario"}

{"a": "AQMI", "b": "Al-Qaïda au Maghreb islamique"}
{"a": "Mohamed Ould Abdel Aziz", "b": "Mohamed Ould Ghazouani"}
{"a": "Mouvement national pour la libération de l'Azawad", "b": "Mouvement Arabe de l'Azawad"}
"#;

#[test]
fn compare_scores_every_pair_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "pairs.jsonl", PAIRS);
    let out = lines(&ok(&["names", "compare", "--pairs", &f]));
    let same: Vec<bool> = out.iter().map(|l| l["same"].as_bool().unwrap()).collect();
    assert_eq!(same, [true, true, true, false, false]);
    assert_eq!(out[0]["a"], "Abdelkarim Targui");
    assert_eq!(out[0]["b"], "عبد الكريم الطارقي");
    for l in &out {
        let s = l["score"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&s), "{l}");
        assert!(l.get("reasons").is_none(), "reasons only with --json");
    }
    // The two Mohameds share a first name and a particle, and score below every true variant.
    let lowest_true = out[..3]
        .iter()
        .map(|l| l["score"].as_f64().unwrap())
        .fold(1.0, f64::min);
    assert!(out[3]["score"].as_f64().unwrap() < lowest_true);
}

#[test]
fn compare_with_json_gives_the_reasons() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "pairs.jsonl", PAIRS);
    let out = lines(&ok(&["names", "compare", "--pairs", &f, "--json"]));
    let targui = &out[0]["reasons"];
    let last = targui
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["a"] == "Targui")
        .unwrap();
    assert_eq!(last["b"], "الطارقي");
    assert_eq!(last["how"], "same_consonants");
    assert_eq!(last["across_scripts"], true);
    assert_eq!(out[2]["reasons"][0]["how"], "acronym");
    let mohameds = out[3]["explanation"].as_str().unwrap();
    assert!(mohameds.contains("Abdel Aziz (unmatched)"), "{mohameds}");
    assert!(mohameds.contains("Ghazouani (unmatched)"), "{mohameds}");
}

#[test]
fn bad_pairs_files_are_refused_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "{\"a\": \"x\", \"b\": \"y\"}\nnot json\n",
            "line 2: not JSON",
        ),
        ("{\"b\": \"y\"}\n", "line 1: no \"a\""),
        ("{\"a\": \"x\"}\n", "line 1: no \"b\""),
        (
            "{\"a\": \"x\", \"b\": 7}\n",
            "line 1: \"b\" is not a string: 7",
        ),
        ("[\"x\", \"y\"]\n", "line 1: not a JSON object"),
    ];
    for (k, (text, want)) in cases.iter().enumerate() {
        let f = write(dir.path(), &format!("bad{k}.jsonl"), text);
        let (stdout, stderr) = fails(&["names", "compare", "--pairs", &f]);
        assert!(stderr.contains(want), "{text:?}: {stderr}");
        assert!(stdout.is_empty(), "nothing is written for a refused file");
    }
    let missing = dir.path().join("absent.jsonl");
    let (_, stderr) = fails(&["names", "compare", "--pairs", missing.to_str().unwrap()]);
    assert!(stderr.contains("cannot read"), "{stderr}");
}

fn scenario_node(dir: &Path) -> String {
    let d = dir.to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", "MLI"]);
    ok(&["scenario", "load", "sahel-2012", "--data", &d]);
    d
}

fn candidates(out: &str) -> Vec<Value> {
    let doc: Value = serde_json::from_str(out).unwrap();
    doc["candidates"].as_array().unwrap().clone()
}

#[test]
fn actors_match_ranks_the_scenario_actors_across_scripts() {
    let dir = tempfile::tempdir().unwrap();
    let d = scenario_node(dir.path());

    let c = candidates(&ok(&[
        "actors",
        "match",
        "عبد الكريم الطارقي",
        "--data",
        &d,
        "--json",
    ]));
    assert_eq!(c[0]["name"], "Abdelkarim Targui");
    assert_eq!(c[0]["same"], true);
    assert!(!c[0]["reasons"].as_array().unwrap().is_empty());
    let scores: Vec<f64> = c.iter().map(|x| x["score"].as_f64().unwrap()).collect();
    assert!(
        scores.windows(2).all(|w| w[0] >= w[1]),
        "best first: {scores:?}"
    );

    let c = candidates(&ok(&["actors", "match", "AQMI", "--data", &d, "--json"]));
    assert_eq!(c[0]["name"], "Al Qaeda in the Islamic Maghreb");
    assert_eq!(c[0]["same"], true);

    let c = candidates(&ok(&[
        "actors",
        "match",
        "Khalid Bernawi",
        "--data",
        &d,
        "--json",
    ]));
    assert_eq!(c[0]["name"], "Khaled Bernaoui");

    // Another Mauritanian Mohamed: the president is the closest name, but not the same man.
    let c = candidates(&ok(&[
        "actors",
        "match",
        "Mohamed Ould Ghazouani",
        "--data",
        &d,
        "--json",
    ]));
    assert_eq!(c[0]["name"], "Mohamed Ould Abdel Aziz");
    assert_eq!(c[0]["same"], false);
}

#[test]
fn actors_match_filters_by_kind_and_limits() {
    let dir = tempfile::tempdir().unwrap();
    let d = scenario_node(dir.path());
    let args = ["actors", "match", "Targui", "--data", &d, "--json"];
    let all = candidates(&ok(&args));
    assert!(all.iter().any(|c| c["kind"] == "person"));
    let groups = candidates(&ok(&[&args[..], &["--kind", "group"]].concat()));
    assert!(groups.iter().all(|c| c["kind"] != "person"), "{groups:?}");
    let one = candidates(&ok(&[&args[..], &["--limit", "1"]].concat()));
    assert_eq!(one.len(), 1);

    let text = ok(&["actors", "match", "Abdelkrim Targui", "--data", &d]);
    let first = text.lines().next().unwrap();
    assert!(
        first.starts_with('=') && first.contains("Abdelkarim Targui"),
        "{text}"
    );

    let (_, stderr) = fails(&["actors", "match", "?! ()", "--data", &d]);
    assert!(stderr.contains("no letters"), "{stderr}");
    let (_, stderr) = fails(&[
        "actors",
        "match",
        "x",
        "--data",
        dir.path().join("none").to_str().unwrap(),
    ]);
    assert!(stderr.contains("not a node's data directory"), "{stderr}");
}
