//! `liaison export stix` and `liaison import stix`, run as a user would: a third-party bundle
//! round-trips losslessly, the scenario goes from one node to another exactly, a bad bundle is
//! refused whole (or, with `--skip-invalid`, all but its bad objects are kept), and exports are
//! deterministic. The interop check with the OASIS validator and misp-stix needs the venv that
//! `../shared/interop/setup.sh` makes; without it the test says loudly that it did not run, and
//! with `LIAISON_REQUIRE_INTEROP=1` (as `.ci/run` sets when the interop tools are there) it fails.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{ok, run};

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../liaison-stix/tests/data")
        .join(name)
}

fn node(dir: &Path, member: &str) -> String {
    let d = dir.to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", member]);
    d
}

fn read(path: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

fn objects(v: &Value) -> Vec<Value> {
    v["objects"].as_array().cloned().unwrap_or_default()
}

/// `(id, modified or created)`: one version of one object.
fn key(o: &Value) -> (String, String) {
    let v = o.get("modified").or_else(|| o.get("created"));
    (
        o["id"].as_str().unwrap().to_owned(),
        v.and_then(Value::as_str).unwrap_or("").to_owned(),
    )
}

#[test]
fn a_third_party_bundle_round_trips_losslessly() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(&tmp.path().join("n"), "NER");
    for file in ["third_party.json", "third_party_envelope.json"] {
        let f = fixture(file);
        let report: Value = serde_json::from_str(&ok(&[
            "import",
            "stix",
            f.to_str().unwrap(),
            "--data",
            &d,
            "--json",
        ]))
        .unwrap();
        assert_eq!(report["committed"], true);
        assert_eq!(report["files"][0]["rejected"], 0);
    }
    let out = tmp.path().join("out.json");
    ok(&[
        "export",
        "stix",
        "--data",
        &d,
        "--include-foreign",
        "--out",
        out.to_str().unwrap(),
    ]);
    let exported = objects(&read(&out));
    let original = objects(&read(&fixture("third_party.json")));
    assert_eq!(original.len(), 18);
    for o in &original {
        let back: Vec<&Value> = exported.iter().filter(|e| key(e) == key(o)).collect();
        assert_eq!(back.len(), 1, "{:?} exported {} times", key(o), back.len());
        assert_eq!(back[0], o, "{:?} changed on the way", key(o));
    }
    // The second import (the same objects in an envelope) kept nothing new.
    let again: Value = serde_json::from_str(&ok(&[
        "import",
        "stix",
        fixture("third_party.json").to_str().unwrap(),
        "--data",
        &d,
        "--json",
    ]))
    .unwrap();
    assert_eq!(again["files"][0]["kept"], 0);
    assert_eq!(again["files"][0]["already_kept"], 18);
}

#[test]
fn the_scenario_goes_from_node_to_node_exactly() {
    let tmp = tempfile::tempdir().unwrap();
    let mli = node(&tmp.path().join("mli"), "MLI");
    ok(&["scenario", "load", "sahel-2012", "--data", &mli]);
    let a = tmp.path().join("a.json");
    let b = tmp.path().join("b.json");
    ok(&[
        "export",
        "stix",
        "--data",
        &mli,
        "--out",
        a.to_str().unwrap(),
    ]);
    ok(&[
        "export",
        "stix",
        "--data",
        &mli,
        "--out",
        b.to_str().unwrap(),
    ]);
    assert_eq!(
        std::fs::read(&a).unwrap(),
        std::fs::read(&b).unwrap(),
        "exports differ"
    );
    let stdout = ok(&["export", "stix", "--data", &mli, "--type", "abduction"]);
    let abductions: Value = serde_json::from_str(&stdout).unwrap();
    assert!(objects(&abductions).iter().any(|o| o["type"] == "incident"));

    let ner = node(&tmp.path().join("ner"), "NER");
    let report: Value = serde_json::from_str(&ok(&[
        "import",
        "stix",
        a.to_str().unwrap(),
        "--data",
        &ner,
        "--json",
    ]))
    .unwrap();
    assert_eq!(report["files"][0]["incidents_inserted"], 20);
    let list = |d: &str| -> Vec<Value> {
        let v: Value = serde_json::from_str(&ok(&[
            "incidents",
            "list",
            "--data",
            d,
            "--limit",
            "100",
            "--json",
        ]))
        .unwrap();
        let mut l = v["incidents"].as_array().unwrap().clone();
        l.sort_by_key(|i| i["id"].as_str().unwrap().to_owned());
        l
    };
    assert_eq!(
        list(&mli),
        list(&ner),
        "the incidents differ after the trip"
    );

    // Relayed by NER: MLI's objects go out as MLI wrote them.
    let relay = tmp.path().join("relay.json");
    ok(&[
        "export",
        "stix",
        "--data",
        &ner,
        "--out",
        relay.to_str().unwrap(),
    ]);
    let first = objects(&read(&a));
    for o in objects(&read(&relay)) {
        if let Some(orig) = first.iter().find(|f| f["id"] == o["id"]) {
            assert_eq!(&o, orig);
        }
    }
    // Importing one's own export again changes nothing.
    let back: Value = serde_json::from_str(&ok(&[
        "import",
        "stix",
        a.to_str().unwrap(),
        "--data",
        &mli,
        "--json",
    ]))
    .unwrap();
    assert_eq!(back["files"][0]["incidents_unchanged"], 20);
}

/// The fixture with `objects[3]`'s `created` out of range.
fn bad_bundle(dir: &Path) -> (PathBuf, String) {
    let mut v = read(&fixture("third_party.json"));
    v["objects"][3]["created"] = json!("2024-13-01T00:00:00.000Z");
    let id = v["objects"][3]["id"].as_str().unwrap().to_owned();
    let path = dir.join("bad.json");
    std::fs::write(&path, serde_json::to_vec(&v).unwrap()).unwrap();
    (path, id)
}

#[test]
fn a_bad_bundle_is_refused_whole_unless_skip_invalid() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(&tmp.path().join("n"), "NER");
    let (bad, id) = bad_bundle(tmp.path());
    let out = run(&["import", "stix", bad.to_str().unwrap(), "--data", &d]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!(
            "objects[3] ({id}): property 'created': '2024-13-01T00:00:00.000Z' is not a STIX timestamp"
        )),
        "{stderr}"
    );
    assert!(stderr.contains("nothing stored"), "{stderr}");
    let export = |d: &str| -> Vec<Value> {
        objects(
            &serde_json::from_str(&ok(&["export", "stix", "--data", d, "--include-foreign"]))
                .unwrap(),
        )
    };
    let fixture_ids: Vec<Value> = objects(&read(&bad))
        .iter()
        .map(|o| o["id"].clone())
        .collect();
    let foreign = |d: &str| -> Vec<Value> {
        export(d)
            .into_iter()
            .filter(|o| fixture_ids.contains(&o["id"]))
            .collect()
    };
    assert!(foreign(&d).is_empty(), "something was stored");

    let report: Value = serde_json::from_str(&ok(&[
        "import",
        "stix",
        bad.to_str().unwrap(),
        "--data",
        &d,
        "--skip-invalid",
        "--json",
    ]))
    .unwrap();
    let f = &report["files"][0];
    assert_eq!(report["committed"], true);
    assert_eq!(
        (f["rejected"].as_u64(), f["kept"].as_u64()),
        (Some(1), Some(17))
    );
    assert_eq!(f["errors"][0]["index"], 3);
    assert_eq!(f["errors"][0]["id"], id.as_str());
    assert_eq!(f["errors"][0]["property"], "created");
    let kept = foreign(&d);
    assert_eq!(kept.len(), 17);
    assert!(!kept.iter().any(|o| o["id"] == id.as_str()));
}

#[test]
fn unreadable_files_are_refused_with_their_reason() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(&tmp.path().join("n"), "MLI");
    let cases: [(&str, &[u8], &str); 4] = [
        ("syntax.json", b"{\"objects\": [1,", "not JSON"),
        ("array.json", b"[]", "top-level JSON value is an array"),
        ("deep.json", &[b'['; 100], "nested deeper than 32 levels"),
        ("v20.json", br#"{"type": "bundle", "id": "bundle--5b6a8b6e-4b8a-4d4b-9d1a-1b2c3d4e5f60", "spec_version": "2.0", "objects": []}"#, "not a STIX 2.1 bundle"),
    ];
    for (name, bytes, want) in cases {
        let path = tmp.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let out = run(&["import", "stix", path.to_str().unwrap(), "--data", &d]);
        assert_eq!(out.status.code(), Some(1), "{name}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(want) && stderr.contains(name),
            "{name}: {stderr}"
        );
    }
    let out = run(&["import", "stix", "/nonexistent.json", "--data", &d]);
    assert_eq!(out.status.code(), Some(1));
}

fn interop(tool: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/interop")
        .join(tool)
}

/// Whether the interop venv is there; without it, a loud skip (or a failure when required).
fn interop_available() -> bool {
    let home = std::env::var("HOME").unwrap_or_default();
    let venv = std::env::var("LIAISON_INTEROP_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(&home).join(".cache/liaison-interop-venv"));
    if venv.join("bin/python").exists() && interop("validate-stix").exists() {
        return true;
    }
    assert!(
        std::env::var("LIAISON_REQUIRE_INTEROP").as_deref() != Ok("1"),
        "no interop venv at {} and LIAISON_REQUIRE_INTEROP=1",
        venv.display()
    );
    eprintln!(
        "SKIPPED: no interop venv at {} (run ../shared/interop/setup.sh): STIX interop test NOT RUN",
        venv.display()
    );
    false
}

#[test]
fn the_oasis_validator_and_misp_stix_accept_our_exports() {
    if !interop_available() {
        return;
    }
    let tmp = tempfile::tempdir().unwrap();
    let d = node(&tmp.path().join("n"), "MLI");
    ok(&["scenario", "load", "sahel-2012", "--data", &d]);
    let ucdp = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/ucdp/ucdp_ged_Senegal.csv");
    ok(&["import", "ucdp", ucdp.to_str().unwrap(), "--data", &d]);
    let out = tmp.path().join("export.json");
    ok(&[
        "export",
        "stix",
        "--data",
        &d,
        "--out",
        out.to_str().unwrap(),
    ]);
    for tool in ["validate-stix", "stix-to-misp"] {
        let res = Command::new(interop(tool)).arg(&out).output().unwrap();
        assert!(
            res.status.success(),
            "{tool}: {}{}",
            String::from_utf8_lossy(&res.stdout),
            String::from_utf8_lossy(&res.stderr)
        );
    }
}
