//! A three-node federation set up with the CLI alone, as real processes over loopback HTTPS:
//! `init`, `identity show`, `peer add`, `agreement add | show | preview`, `serve
//! --federation-listen`, `sync --once`, `incidents recall`, `incidents show`, `actors ask |
//! fetch`. Each recipient holds exactly what the agreements allow, transformed; a recall is
//! hidden and attested within one sync; a partner is asked about an actor without the name.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{Served, fails, ok, serve};
use serde_json::{Value, json};

fn json_of(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

fn node(base: &Path, member: &str) -> String {
    let d = base.join(member).to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", member]);
    d
}

fn write(base: &Path, name: &str, v: &Value) -> String {
    let p = base.join(name);
    std::fs::write(&p, v.to_string()).unwrap();
    p.to_str().unwrap().to_owned()
}

/// How many incidents of `originator` the node holds.
fn count(dir: &str, originator: &str) -> u64 {
    let rows = json_of(&ok(&[
        "stats",
        "--data",
        dir,
        "--by",
        "originator",
        "--json",
    ]));
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["originator"] == originator)
        .map_or(0, |r| r["incidents"].as_u64().unwrap())
}

/// The first page (at most 100) of the incidents of `originator` the node holds.
fn held(dir: &str, originator: &str) -> Vec<Value> {
    let out = ok(&[
        "incidents",
        "list",
        "--data",
        dir,
        "--originator",
        originator,
        "--limit",
        "100",
        "--json",
    ]);
    json_of(&out)["incidents"].as_array().unwrap().clone()
}

#[test]
fn three_nodes_share_what_their_agreements_allow_and_recall_it() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path();
    let (mli, dza, ner) = (node(base, "MLI"), node(base, "DZA"), node(base, "NER"));
    // Each node's own incidents: the scenario on Mali's node, published UCDP events on Algeria's
    // (any data will do: what matters is who originated it).
    ok(&["scenario", "load", "sahel-2012", "--data", &mli]);
    let ucdp = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../data/ucdp/ucdp_ged_Senegal.csv");
    ok(&["import", "ucdp", ucdp.to_str().unwrap(), "--data", &dza]);

    let mli_all = write(
        base,
        "mli.json",
        &json!({"id": "mli-all", "originator": "MLI",
        "recipients": ["DZA", "NER"], "title": "Mali shares everything unclassified with all"}),
    );
    ok(&["agreement", "add", &mli_all, "--data", &mli]);
    let dza_ner = write(
        base,
        "dza.json",
        &json!({"id": "dza-ner", "originator": "DZA",
        "recipients": ["NER"], "title": "Algeria shares with Niger, coarsened to the province",
        "scope": {"event_types": ["attack"]},
        "obligations": {"location": {"precision": "admin1"}, "drop_narrative": true}}),
    );
    ok(&["agreement", "add", &dza_ner, "--data", &dza]);
    let shown = ok(&["agreement", "show", "dza-ner", "--data", &dza]);
    assert!(
        shown.contains("permit"),
        "the Cedar policy is shown: {shown}"
    );
    // A bad agreement file is refused with the field named, nothing stored.
    let bad = write(
        base,
        "bad.json",
        &json!({"id": "x", "originator": "DZA", "recipients": [],
        "title": "t"}),
    );
    assert!(fails(&["agreement", "add", &bad, "--data", &dza]).contains("recipients"));
    let wrong_owner = write(
        base,
        "wrong.json",
        &json!({"id": "y", "originator": "MLI",
        "recipients": ["NER"], "title": "t"}),
    );
    assert!(fails(&["agreement", "add", &wrong_owner, "--data", &dza]).contains("originator"));
    assert_eq!(
        json_of(&ok(&["agreement", "list", "--data", &dza, "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );

    let servers: Vec<(String, &str, Served)> = [("MLI", &mli), ("DZA", &dza), ("NER", &ner)]
        .into_iter()
        .map(|(m, d)| (m.to_owned(), d.as_str(), serve(d)))
        .collect();
    let keys: Vec<String> = servers
        .iter()
        .map(|(_, d, _)| {
            json_of(&ok(&["identity", "show", "--data", d, "--json"]))["public_key"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    for (i, (_, d, _)) in servers.iter().enumerate() {
        for (j, (m, _, s)) in servers.iter().enumerate() {
            if i != j {
                ok(&["peer", "add", m, &s.url, "--key", &keys[j], "--data", d]);
            }
        }
    }
    // A peer with a wrong key: the pinned TLS check refuses it, and the failure is recorded.
    let preview = json_of(&ok(&[
        "agreement",
        "preview",
        "--to",
        "NER",
        "--data",
        &dza,
        "--json",
    ]));
    let previewed = preview.as_array().unwrap().len();
    assert!(previewed > 0);

    for (_, d, _) in &servers {
        ok(&["sync", "--once", "--data", d]);
    }
    let scenario_total = count(&mli, "MLI");
    assert_eq!(
        count(&dza, "MLI"),
        scenario_total,
        "Mali's all reach Algeria"
    );
    assert_eq!(count(&ner, "MLI"), scenario_total, "and Niger");
    assert_eq!(count(&mli, "DZA"), 0, "Algeria releases nothing to Mali");
    assert_eq!(
        count(&ner, "DZA"),
        previewed as u64,
        "Niger holds exactly the preview"
    );
    for inc in &held(&ner, "DZA") {
        assert_eq!(inc["event_type"], "attack");
        let c = inc;
        assert!(
            c.get("narrative").is_none() || c["narrative"].is_null(),
            "{c}"
        );
        assert_eq!(c["location"]["precision"], "admin1");
    }

    // A flash push goes through the same decision: to Niger (agreement), not to Mali (none).
    let attack = held(&ner, "DZA")[0]["id"].as_str().unwrap().to_owned();
    let pushed = ok(&["incidents", "push", &attack, "--data", &dza]);
    assert!(
        pushed.contains("pushed to NER") && !pushed.contains("MLI"),
        "{pushed}"
    );
    assert_eq!(
        count(&ner, "DZA"),
        previewed as u64,
        "a push of a held incident changes nothing"
    );

    // Reciprocity, as Niger counts it and as Mali publishes it to its peers.
    let ours = json_of(&ok(&["reciprocity", "--data", &ner, "--json"]));
    let mali_row = ours
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member"] == "MLI")
        .unwrap();
    assert_eq!(mali_row["shared_with_us"].as_u64().unwrap(), scenario_total);
    let theirs = json_of(&ok(&[
        "reciprocity",
        "--peer",
        "MLI",
        "--data",
        &ner,
        "--json",
    ]));
    let niger_row = theirs
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["member"] == "NER")
        .unwrap();
    assert_eq!(niger_row["we_shared"].as_u64().unwrap(), scenario_total);
    assert!(ok(&["reciprocity", "--peer", "MLI", "--data", &ner]).contains("as MLI reports them"));

    // Niger asks Mali about a man by an Arabic spelling: the name is blinded, never sent; Mali
    // answers with a handle and releases the record, since its incidents naming him go to
    // Niger. Mali asking Niger, whose agreements name no one, is refused like anything unknown.
    let asked = json_of(&ok(&[
        "actors",
        "ask",
        "عبد الكريم الطارقي",
        "--peer",
        "MLI",
        "--data",
        &ner,
        "--json",
    ]));
    let matches = asked["matches"].as_array().unwrap();
    assert_eq!(matches[0]["kind"], "person", "{asked}");
    let handle = matches[0]["handle"].as_str().unwrap();
    let record = json_of(&ok(&[
        "actors", "fetch", handle, "--peer", "MLI", "--data", &ner, "--json",
    ]));
    assert_eq!(record["name"], "Abdelkarim Targui", "{record}");
    assert!(!record["incidents"].as_array().unwrap().is_empty());
    let refused = fails(&["actors", "ask", "AQIM", "--peer", "NER", "--data", &mli]);
    assert!(refused.contains("404"), "{refused}");
    assert!(
        fails(&["actors", "fetch", "h-0", "--peer", "MLI", "--data", &ner])
            .contains("does not release a record")
    );

    // Mali recalls one incident: both recipients hide it and attest within one sync each.
    let recalled = held(&mli, "MLI")[0]["id"].as_str().unwrap().to_owned();
    ok(&["incidents", "recall", &recalled, "--data", &mli]);
    ok(&["sync", "--once", "--data", &dza]);
    ok(&["sync", "--once", "--data", &ner]);
    assert_eq!(count(&dza, "MLI"), scenario_total - 1);
    assert_eq!(count(&ner, "MLI"), scenario_total - 1);
    let show = json_of(&ok(&[
        "incidents",
        "show",
        &recalled,
        "--data",
        &mli,
        "--json",
    ]));
    let by: Vec<&str> = show["attestations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["by"].as_str().unwrap())
        .collect();
    assert_eq!(by, ["DZA", "NER"], "{show}");
    assert!(show["disclosures"].as_array().unwrap().len() >= 4, "{show}");

    // Sync status is visible and clean.
    let status = json_of(&ok(&["sync", "--status", "--data", &ner, "--json"]));
    for p in status["peers"].as_array().unwrap() {
        assert!(p["last_error"].is_null(), "{p}");
        assert!(p["last_success"].is_string(), "{p}");
    }
}

#[test]
fn a_peer_whose_key_does_not_match_is_refused_and_the_failure_recorded() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path();
    let (mli, dza) = (node(base, "MLI"), node(base, "DZA"));
    let s = serve(&mli);
    // Algeria registers Mali's URL with its own key instead of Mali's.
    let wrong = json_of(&ok(&["identity", "show", "--data", &dza, "--json"]))["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    ok(&[
        "peer", "add", "MLI", &s.url, "--key", &wrong, "--data", &dza,
    ]);
    let err = fails(&["sync", "--once", "--data", &dza]);
    assert!(err.contains("failed"), "{err}");
    let status = json_of(&ok(&["sync", "--status", "--data", &dza, "--json"]));
    let p = &status["peers"][0];
    assert_eq!(p["peer"], "MLI");
    assert!(p["last_error"].as_str().unwrap().len() > 5, "{p}");
    assert_eq!(p["failures"], 1);
    // Bad peer arguments are refused with what is wrong.
    assert!(
        fails(&[
            "peer",
            "add",
            "MLI",
            "http://x:1",
            "--key",
            &wrong,
            "--data",
            &dza
        ])
        .contains("HTTPS")
    );
    assert!(
        fails(&[
            "peer", "add", "MLI", &s.url, "--key", "nope", "--data", &dza
        ])
        .contains("--key")
    );
    assert!(
        fails(&[
            "peer", "add", "DZA", &s.url, "--key", &wrong, "--data", &dza
        ])
        .contains("own member")
    );
}

#[test]
fn the_federation_demo_flashes_ahead_of_the_first_sync_and_counts_the_answers() {
    let tmp = tempfile::tempdir().unwrap();
    let out = ok(&[
        "demo",
        "--federation",
        "--no-serve",
        "--data",
        tmp.path().to_str().unwrap(),
    ]);
    let flashes = out
        .lines()
        .filter(|l| l.contains("pushed to DZA, MRT, NER, XFL ahead of the first sync"))
        .count();
    assert!(flashes >= 1, "{out}");
    assert!(out.contains("MLI ↔ NER:"), "{out}");
    let ner = out.lines().find(|l| l.contains("MLI ↔ NER:")).unwrap();
    assert!(
        ner.ends_with(&format!("flash alerts {flashes} ({flashes} answered)")),
        "{ner}"
    );
    assert!(out.contains("alarms: none"), "{out}");
}
