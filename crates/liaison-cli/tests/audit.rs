//! `liaison audit …` run as a user would: the log listed, verified clean, then tampered with
//! directly in `liaison.db` (an entry edited, deleted, rewritten with its hash; store rows added
//! behind the log's back) and each fault named; the checkpoint exported and checked with
//! `liaison_ledger`; alarms listed and shown per peer; and two served nodes that cosign each
//! other's checkpoints, audit receipts and raise an alarm when one alters its log.
//!
//! Tampering uses the `sqlite3` command-line shell, as an attacker with the file would.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::Path;

use common::{bin, fails, ok, run, serve};
use serde_json::{Value, json};

fn json_of(s: &str) -> Value {
    serde_json::from_str(s).unwrap_or_else(|e| panic!("not JSON ({e}): {s}"))
}

/// Runs SQL on a node's SQLite file with the `sqlite3` shell; returns its output.
fn sql(dir: &str, statement: &str) -> String {
    let db = Path::new(dir).join("liaison.db");
    let out = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg(statement)
        .output()
        .expect("these tests tamper with the database through the `sqlite3` shell: install it");
    assert!(
        out.status.success(),
        "sqlite3 {statement}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A node of `member` in `base`, with the scenario and an agreement releasing to DZA and NER.
fn loaded(base: &Path, member: &str) -> String {
    let d = base.join(member).to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", member]);
    ok(&["scenario", "load", "sahel-2012", "--data", &d]);
    let agreement = base.join(format!("{member}-agreement.json"));
    std::fs::write(
        &agreement,
        json!({"id": "share-all", "originator": member, "recipients": ["DZA", "NER"],
               "title": "Everything unclassified to Algeria and Niger"})
        .to_string(),
    )
    .unwrap();
    ok(&[
        "agreement",
        "add",
        agreement.to_str().unwrap(),
        "--data",
        &d,
    ]);
    d
}

fn verify_json(dir: &str) -> (bool, Value) {
    let out = run(&["audit", "verify", "--data", dir, "--json"]);
    (
        out.status.success(),
        json_of(&String::from_utf8(out.stdout).unwrap()),
    )
}

fn problems(report: &Value) -> Vec<String> {
    report["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_clean_log_verifies_and_lists_its_entries() {
    let tmp = tempfile::tempdir().unwrap();
    let d = loaded(tmp.path(), "MLI");
    let out = ok(&["audit", "verify", "--data", &d]);
    assert!(out.contains("(d) checkpoints"), "{out}");
    let (passed, report) = verify_json(&d);
    assert!(passed, "{report}");
    assert_eq!(report["ok"], true);
    assert_eq!(
        report["entries"], 26,
        "20 incidents, 3 operations, 2 force records and one agreement"
    );
    assert!(report["checkpoints"].as_u64().unwrap() >= 1);
    assert!(problems(&report).is_empty());

    let listed = ok(&["audit", "log", "--data", &d]);
    assert!(listed.contains("size 26, root "), "{listed}");
    assert!(listed.contains("latest checkpoint: size 26"), "{listed}");
    assert!(listed.contains("incident_recorded"), "{listed}");
    assert!(listed.contains("agreement_changed"), "{listed}");
    assert!(
        listed.contains("by scenario"),
        "summaries are shown: {listed}"
    );

    let all = json_of(&ok(&["audit", "log", "--data", &d, "--json"]));
    let all = all.as_array().unwrap();
    assert_eq!(all.len(), 26);
    assert_eq!(all[0]["index"], 0);
    assert_eq!(all[0]["kind"], "incident_recorded");
    assert_eq!(all[0]["entry"]["type"], "incident_recorded");
    assert_eq!(all[0]["entry"]["by"], "scenario");
    assert_eq!(all[0]["leaf_hash"].as_str().unwrap().len(), 64);
    // The agreement and Algeria's own operation name Algeria; --kind and --peer read the
    // entries themselves.
    for (filter, found) in [(["--kind", "agreement_changed"], 1), (["--peer", "DZA"], 2)] {
        let some = json_of(&ok(&[
            "audit", "log", "--data", &d, "--json", filter[0], filter[1],
        ]));
        let some = some.as_array().unwrap();
        assert_eq!(some.len(), found, "{filter:?}: {some:?}");
        let last = some.last().unwrap();
        assert_eq!(last["index"], 25);
        assert_eq!(last["entry"]["recipients"], json!(["DZA", "NER"]));
        assert!(
            some.iter()
                .all(|e| e["concerns"].as_array().unwrap().contains(&json!("DZA")))
        );
    }
    let page = json_of(&ok(&[
        "audit", "log", "--data", &d, "--json", "--from", "5", "--limit", "3",
    ]));
    let indices: Vec<u64> = page
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["index"].as_u64().unwrap())
        .collect();
    assert_eq!(indices, [5, 6, 7]);
    let more = ok(&["audit", "log", "--data", &d, "--limit", "3"]);
    assert!(more.contains("continue with --from 3"), "{more}");
}

#[test]
fn reads_at_the_command_line_are_logged() {
    let tmp = tempfile::tempdir().unwrap();
    let d = loaded(tmp.path(), "MLI");
    let listed = json_of(&ok(&[
        "incidents",
        "list",
        "--data",
        &d,
        "--limit",
        "2",
        "--json",
    ]));
    let first = listed["incidents"][0]["id"].as_str().unwrap().to_owned();
    ok(&["incidents", "show", &first, "--data", &d]);
    let reads = json_of(&ok(&[
        "audit", "log", "--data", &d, "--json", "--kind", "reads",
    ]));
    let reads = reads.as_array().unwrap();
    assert_eq!(reads.len(), 2, "one entry per command: {reads:?}");
    assert!(
        reads[0]["entry"]["user"]
            .as_str()
            .unwrap()
            .starts_with("cli:")
    );
    assert_eq!(
        reads[0]["entry"]["incident_ids"].as_array().unwrap().len(),
        2
    );
    assert_eq!(reads[1]["entry"]["incident_ids"], json!([first]));
    let (passed, report) = verify_json(&d);
    assert!(passed, "{report}");
}

#[test]
fn an_edited_entry_is_named_modified() {
    let tmp = tempfile::tempdir().unwrap();
    let d = loaded(tmp.path(), "MLI");
    sql(
        &d,
        "UPDATE ledger_entries SET entry = replace(entry, 'scenario', 'scenariX') WHERE idx = 3",
    );
    let err = fails(&["audit", "verify", "--data", &d]);
    assert!(err.contains("entry 3 was modified"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line on stderr: {err}");
    let (passed, report) = verify_json(&d);
    assert!(!passed);
    assert_eq!(report["ok"], false);
    let p = problems(&report);
    assert!(
        p.iter().any(|p| p.starts_with("entry 3 was modified")),
        "{p:?}"
    );
    // The listing still shows the entry as it now reads.
    let listed = ok(&["audit", "log", "--data", &d, "--from", "3", "--limit", "1"]);
    assert!(listed.contains("by scenariX"), "{listed}");
}

#[test]
fn a_deleted_entry_is_named_missing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = loaded(tmp.path(), "MLI");
    sql(&d, "DELETE FROM ledger_entries WHERE idx = 5");
    let err = fails(&["audit", "verify", "--data", &d]);
    assert!(err.contains("entry 5 is missing (deleted)"), "{err}");
    let (_, report) = verify_json(&d);
    let p = problems(&report);
    assert!(
        p.contains(&"entry 5 is missing (deleted)".to_owned()),
        "{p:?}"
    );
    assert!(
        !p.iter().any(|p| p.contains("was modified")),
        "no other entry is blamed: {p:?}"
    );
}

#[test]
fn an_entry_rewritten_with_its_hash_is_bounded_by_the_checkpoints() {
    let tmp = tempfile::tempdir().unwrap();
    let d = loaded(tmp.path(), "MLI");
    let text = sql(&d, "SELECT entry FROM ledger_entries WHERE idx = 2");
    let text = text.trim_end_matches('\n').replace("scenario", "scenariX");
    let leaf = liaison_ledger::hash::to_hex(&liaison_ledger::leaf_hash(text.as_bytes()));
    sql(
        &d,
        &format!(
            "UPDATE ledger_entries SET entry = '{}', leaf_hash = '{leaf}' WHERE idx = 2",
            text.replace('\'', "''")
        ),
    );
    let (passed, report) = verify_json(&d);
    assert!(!passed);
    let p = problems(&report);
    assert!(
        !p.iter().any(|p| p.contains("was modified")),
        "the entry and its hash agree, so (b) passes: {p:?}"
    );
    let range = p
        .iter()
        .find_map(|p| {
            let rest = p.strip_prefix("an entry between index ")?;
            let (a, rest) = rest.split_once(" and ")?;
            let (b, rest) = rest.split_once(" was altered: the checkpoint of size ")?;
            let size = rest.split_whitespace().next()?;
            Some((
                a.parse::<u64>().ok()?,
                b.parse::<u64>().ok()?,
                size.parse::<u64>().ok()?,
            ))
        })
        .unwrap_or_else(|| panic!("no range named: {p:?}"));
    assert!(range.0 <= 2 && 2 <= range.1, "{range:?} holds entry 2");
    assert_eq!(
        range.1 + 1,
        range.2,
        "the range ends where the checkpoint does"
    );
    let err = fails(&["audit", "verify", "--data", &d]);
    assert!(err.contains("problem(s)"), "{err}");
}

#[test]
fn the_checkpoint_verifies_with_the_node_key() {
    let tmp = tempfile::tempdir().unwrap();
    let d = loaded(tmp.path(), "MLI");
    let out = bin()
        .args(["audit", "checkpoint", "--data", &d])
        .output()
        .unwrap();
    assert!(out.status.success());
    let note = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    let identity = json_of(&ok(&["identity", "show", "--data", &d, "--json"]));
    let key = liaison_policy::NodePublicKey::from_base64(identity["public_key"].as_str().unwrap())
        .unwrap();
    let cp = liaison_ledger::open_checkpoint(&note, "liaison/MLI", key.as_bytes())
        .unwrap_or_else(|e| panic!("{e}: {note}"));
    assert_eq!(cp.origin, "liaison/MLI");
    assert_eq!(cp.size, 26);
    let vkey = stderr
        .lines()
        .find_map(|l| l.strip_prefix("verifier key: "))
        .unwrap_or_else(|| panic!("no verifier key on stderr: {stderr}"));
    let (name, parsed) = liaison_ledger::note::parse_verifier_key(vkey).unwrap();
    assert_eq!(name, "liaison/MLI");
    assert_eq!(&parsed, key.as_bytes());
    // An empty log has nothing to export, and says so.
    let empty = tmp.path().join("empty").to_str().unwrap().to_owned();
    ok(&["init", "--data", &empty, "--member", "NER"]);
    let err = fails(&["audit", "checkpoint", "--data", &empty]);
    assert!(err.contains("no checkpoint"), "{err}");
}

#[test]
fn bad_options_are_refused_clearly() {
    let tmp = tempfile::tempdir().unwrap();
    let d = loaded(tmp.path(), "MLI");
    let err = fails(&["audit", "log", "--data", &d, "--kind", "nonsense"]);
    assert!(err.contains("'nonsense'"), "{err}");
    for kind in liaison_ledger::entry::event_kinds() {
        assert!(err.contains(kind), "{kind} is listed: {err}");
    }
    let err = fails(&["audit", "log", "--data", &d, "--peer", "zz"]);
    assert!(err.contains("--peer"), "{err}");
    let err = fails(&["audit", "receipts", "--peer", "XXX", "--data", &d]);
    assert!(err.contains("XXX is not a peer of this node"), "{err}");
    let err = fails(&["audit", "receipts", "--peer", "12", "--data", &d]);
    assert!(err.contains("--peer"), "{err}");
}

#[test]
fn store_rows_missing_from_the_log_are_named_and_unattested_recalls_pending() {
    let tmp = tempfile::tempdir().unwrap();
    let d = loaded(tmp.path(), "MLI");
    let id = "sahel-2012:g8-experts-meeting-bamako-2010-10-13";
    ok(&["incidents", "recall", id, "--data", &d]);
    let (passed, report) = verify_json(&d);
    assert!(passed, "a recall is logged: {report}");
    // Rows written behind the log's back: a disclosure of the recalled incident, and a
    // received incident.
    sql(
        &d,
        &format!(
            "INSERT INTO disclosures (peer, incident_id, originator, version, kind, agreement, \
             agreement_version, applied, object_sha256, at) VALUES ('DZA', '{id}', 'MLI', 1, \
             'release', 'share-all', 1, '[]', '{}', '2024-01-01T00:00:00Z')",
            "ab".repeat(32)
        ),
    );
    sql(
        &d,
        &format!(
            "INSERT INTO received (originator, incident_id, version, from_peer, object, \
             object_sha256, received_at) VALUES ('NER', 'ner:1', 1, 'NER', '{{}}', '{}', \
             '2024-01-01T00:00:00Z')",
            "cd".repeat(32)
        ),
    );
    let (passed, report) = verify_json(&d);
    assert!(!passed);
    let p = problems(&report);
    assert_eq!(p.len(), 2, "{p:?}");
    assert!(
        p.iter()
            .any(|p| p.contains(&format!("disclosure of {id} v1 to DZA"))),
        "{p:?}"
    );
    assert!(
        p.iter().any(|p| p.contains("received ner:1 v1 of NER")),
        "{p:?}"
    );
    let pending: Vec<&str> = report["pending"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_str().unwrap())
        .collect();
    assert_eq!(pending.len(), 1, "{pending:?}");
    assert!(pending[0].starts_with(&format!("DZA has not yet attested hiding {id}")));
}

#[test]
fn alarms_are_listed_and_shown_per_peer() {
    let tmp = tempfile::tempdir().unwrap();
    let base = tmp.path();
    let d = base.join("MLI").to_str().unwrap().to_owned();
    let other = base.join("DZA").to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", "MLI"]);
    ok(&["init", "--data", &other, "--member", "DZA"]);
    assert_eq!(ok(&["audit", "alarms", "--data", &d]).trim(), "no alarms");
    let key = json_of(&ok(&["identity", "show", "--data", &other, "--json"]))["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    // Nothing answers there: the sync fails, which gives the peer a sync status.
    ok(&[
        "peer",
        "add",
        "DZA",
        "https://127.0.0.1:9",
        "--key",
        &key,
        "--data",
        &d,
    ]);
    fails(&["sync", "--once", "--data", &d]);
    sql(
        &d,
        "INSERT INTO ledger_alarms (peer, kind, detail, at) VALUES
         ('DZA', 'rollback', 'checkpoint size went from 9 to 7', '2024-01-01T00:00:00Z'),
         ('DZA', 'fork', 'two roots for size 9', '2024-01-02T00:00:00Z')",
    );
    let listed = ok(&["audit", "alarms", "--data", &d]);
    let lines: Vec<&str> = listed.lines().collect();
    assert_eq!(lines.len(), 2, "{listed}");
    assert!(
        lines[0].contains("DZA fork: two roots for size 9"),
        "newest first: {listed}"
    );
    let listed = json_of(&ok(&["audit", "alarms", "--data", &d, "--json"]));
    assert_eq!(listed[1]["kind"], "rollback");

    let peers = ok(&["peer", "list", "--data", &d]);
    assert!(peers.contains("2 ALARM(S), latest fork"), "{peers}");
    let peers = json_of(&ok(&["peer", "list", "--data", &d, "--json"]));
    assert_eq!(peers[0]["alarms"]["count"], 2);
    assert_eq!(peers[0]["alarms"]["latest"]["kind"], "fork");
    assert_eq!(
        peers[0]["alarms"]["latest"]["detail"],
        "two roots for size 9"
    );
    let status = ok(&["sync", "--status", "--data", &d]);
    assert!(status.contains("2 ALARM(S), latest fork"), "{status}");
    let status = json_of(&ok(&["sync", "--status", "--data", &d, "--json"]));
    assert_eq!(status["peers"][0]["alarms"]["count"], 2);
    // A peer without alarms says so.
    let quiet = json_of(&ok(&["peer", "list", "--data", &other, "--json"]));
    assert!(quiet.as_array().unwrap().is_empty());
}

#[test]
fn two_nodes_cosign_audit_receipts_and_raise_an_alarm_on_an_altered_log() {
    let tmp = tempfile::tempdir().unwrap();
    let mli = loaded(tmp.path(), "MLI");
    let dza = tmp.path().join("DZA").to_str().unwrap().to_owned();
    ok(&["init", "--data", &dza, "--member", "DZA"]);
    let (s_mli, s_dza) = (serve(&mli), serve(&dza));
    let key = |d: &str| {
        json_of(&ok(&["identity", "show", "--data", d, "--json"]))["public_key"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let (k_mli, k_dza) = (key(&mli), key(&dza));
    ok(&[
        "peer", "add", "DZA", &s_dza.url, "--key", &k_dza, "--data", &mli,
    ]);
    ok(&[
        "peer", "add", "MLI", &s_mli.url, "--key", &k_mli, "--data", &dza,
    ]);
    // The first sync receives; the second delivers the receipt and the cosignature.
    ok(&["sync", "--once", "--data", &dza]);
    ok(&["sync", "--once", "--data", &dza]);
    for d in [&mli, &dza] {
        let (passed, report) = verify_json(d);
        assert!(passed, "{report}");
    }
    let (_, report) = verify_json(&mli);
    assert!(report["cosignatures"].as_u64().unwrap() >= 1, "{report}");
    let receipts = ok(&["audit", "receipts", "--peer", "DZA", "--data", &mli]);
    assert!(receipts.contains("20 verified, 0 problem(s)"), "{receipts}");
    let receipts = json_of(&ok(&[
        "audit", "receipts", "--peer", "DZA", "--data", &mli, "--json",
    ]));
    assert_eq!(receipts["ok"], true);

    // A recall is pending until the recipient attests hiding it.
    let id = "sahel-2012:g8-experts-meeting-bamako-2010-10-13";
    ok(&["incidents", "recall", id, "--data", &mli]);
    let (_, report) = verify_json(&mli);
    assert_eq!(report["pending"].as_array().unwrap().len(), 1, "{report}");
    ok(&["sync", "--once", "--data", &dza]);
    ok(&["sync", "--once", "--data", &dza]);
    let (passed, report) = verify_json(&mli);
    assert!(passed, "{report}");
    assert!(report["pending"].as_array().unwrap().is_empty(), "{report}");

    // Mali alters a disclosure to Algeria in its log: Algeria's next sync raises an alarm.
    sql(
        &mli,
        "UPDATE ledger_entries SET entry = replace(entry, '\"release\"', '\"relay\"')
         WHERE idx = (SELECT min(idx) FROM ledger_entries WHERE kind = 'disclosed')",
    );
    assert!(fails(&["audit", "verify", "--data", &mli]).contains("was modified"));
    let _ = run(&["sync", "--once", "--data", &dza]);
    let alarms = json_of(&ok(&["audit", "alarms", "--data", &dza, "--json"]));
    assert!(
        alarms
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["peer"] == "MLI"),
        "{alarms}"
    );
    let peers = json_of(&ok(&["peer", "list", "--data", &dza, "--json"]));
    assert!(
        peers[0]["alarms"]["count"].as_u64().unwrap() >= 1,
        "{peers}"
    );
}
