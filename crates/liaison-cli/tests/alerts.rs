//! `liaison watch` and `liaison alerts` end to end: the example rules load (a broken file is
//! refused whole, naming the field), the scenario loaded after them raises alerts, an alert is
//! acknowledged, acted on and closed (not twice), and the figures commands answer.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;

#[test]
fn rules_raise_alerts_tracked_to_closure() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path().to_str().unwrap();
    ok(&["init", "--data", d, "--member", "MLI"]);

    let broken = dir.path().join("broken.json");
    std::fs::write(
        &broken,
        r#"[{"id": "fine", "member": "MLI", "name": "ok", "min_fatalities": 1},
            {"id": "x", "member": "MLI", "name": "x", "threshold": {"count": 0, "days": 7}}]"#,
    )
    .unwrap();
    let err = fails(&["watch", "add", broken.to_str().unwrap(), "--data", d]);
    assert!(err.contains("rules[1].threshold.count"), "{err}");
    assert!(err.contains("nothing recorded"), "{err}");
    assert!(ok(&["watch", "list", "--data", d]).contains("no watch rules"));

    let rules = repo("docs/examples/watch-rules.json");
    let out = ok(&["watch", "add", &rules, "--data", d]);
    assert!(
        out.contains("rule aqim-and-allies recorded (version 1)"),
        "{out}"
    );
    assert!(ok(&["watch", "add", &rules, "--data", d]).contains("unchanged"));
    let listed = json_of(&ok(&["watch", "list", "--data", d, "--json"]));
    assert_eq!(listed.as_array().unwrap().len(), 4);

    ok(&["scenario", "load", "sahel-2012", "--data", d]);
    let alerts = json_of(&ok(&["alerts", "list", "--data", d, "--json"]));
    let alerts = alerts.as_array().unwrap();
    assert!(!alerts.is_empty());
    let rules_hit: std::collections::BTreeSet<&str> = alerts
        .iter()
        .map(|a| a["rule_id"].as_str().unwrap())
        .collect();
    assert!(rules_hit.contains("aqim-and-allies"), "{rules_hit:?}");
    assert!(rules_hit.contains("kidnappings"), "{rules_hit:?}");
    // The scenario's incidents are Mali's own: a flash rule marks them for the push.
    let flash = alerts
        .iter()
        .find(|a| a["rule_id"] == "aqim-and-allies")
        .unwrap();
    assert_eq!(flash["flash"], true);

    let id = flash["id"].as_i64().unwrap().to_string();
    assert!(ok(&["alerts", "ack", &id, "--data", d]).contains("acknowledged"));
    let twice = fails(&["alerts", "ack", &id, "--data", d]);
    assert!(twice.contains("acknowledged already"), "{twice}");
    ok(&[
        "alerts",
        "action",
        &id,
        "--note",
        "patrol sent to Aguelhok",
        "--data",
        d,
    ]);
    ok(&[
        "alerts",
        "close",
        &id,
        "--note",
        "post reinforced",
        "--data",
        d,
    ]);
    let shown = ok(&["alerts", "show", &id, "--data", d]);
    assert!(shown.contains("action taken at"), "{shown}");
    assert!(shown.contains("patrol sent to Aguelhok"), "{shown}");
    assert!(shown.contains("closed at"), "{shown}");
    assert!(fails(&["alerts", "show", "99999", "--data", d]).contains("no alert 99999"));
    let open = json_of(&ok(&["alerts", "list", "--open", "--data", d, "--json"]));
    assert_eq!(open.as_array().unwrap().len(), alerts.len() - 1);

    // No peers: the pending flash pushes go nowhere, and say so.
    let scanned = json_of(&ok(&["alerts", "scan", "--data", d, "--json"]));
    assert_eq!(scanned["raised"].as_array().unwrap().len(), 0);
    assert!(!scanned["pushed"].as_array().unwrap().is_empty());
    let stats = json_of(&ok(&["alerts", "stats", "--data", d, "--json"]));
    assert_eq!(stats[0]["member"], "MLI");
    assert_eq!(stats[0]["to_close"]["count"], 1);
    assert!(ok(&["reciprocity", "--data", d]).contains("no partners yet"));

    ok(&["watch", "retire", "kidnappings", "--data", d]);
    assert!(fails(&["watch", "retire", "kidnappings", "--data", d]).contains("retired already"));
    assert!(fails(&["watch", "retire", "nope", "--data", d]).contains("no watch rule nope"));
}
