//! `liaison ops` and `liaison forces` run as a user would: overlapping operations of two members
//! reported to both, a border operation's minimal notice, bad input refused with the option
//! named, the scenario's operations linked to their incidents, and the brief's pledge.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fails, ok};
use serde_json::Value;

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

fn node(base: &std::path::Path) -> String {
    let d = base.join("jmc").to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", "DZA"]);
    d
}

fn add(d: &str, member: &str, bbox: &str, from: &str, to: &str, extra: &[&str]) -> Value {
    let mut args = vec![
        "ops", "add", "--member", member, "--bbox", bbox, "--from", from, "--to", to, "--data", d,
        "--json",
    ];
    args.extend_from_slice(extra);
    json(&ok(&args))
}

#[test]
fn overlapping_operations_of_two_members_conflict_for_both() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path());
    let a = add(
        &d,
        "MLI",
        "3.0,15.0,4.0,16.0",
        "2026-03-01",
        "2026-03-10",
        &["--id", "mli-menaka", "--kind", "patrol"],
    );
    assert_eq!(a["conflicts"].as_array().unwrap().len(), 0);
    let b = add(
        &d,
        "NER",
        "3.5,15.2,4.5,15.8",
        "2026-03-10",
        "2026-03-20",
        &["--id", "ner-tillaberi"],
    );
    let c = &b["conflicts"][0];
    assert_eq!(c["other"], "mli-menaka");
    assert_eq!(
        (c["from"].as_str(), c["to"].as_str()),
        (Some("2026-03-10"), Some("2026-03-10"))
    );
    // Every pair once, reported to both members.
    let all = json(&ok(&["ops", "conflicts", "--data", &d, "--json"]));
    assert_eq!(all.as_array().unwrap().len(), 1);
    assert_eq!(all[0]["reported_to"], serde_json::json!(["MLI", "NER"]));
    for m in ["MLI", "NER"] {
        let mine = json(&ok(&[
            "ops",
            "conflicts",
            "--member",
            m,
            "--data",
            &d,
            "--json",
        ]));
        assert_eq!(mine.as_array().unwrap().len(), 1, "{m}");
    }
    assert!(
        json(&ok(&[
            "ops",
            "conflicts",
            "--member",
            "MRT",
            "--data",
            &d,
            "--json"
        ]))
        .as_array()
        .unwrap()
        .is_empty()
    );
    let text = ok(&["ops", "conflicts", "--data", &d]);
    assert!(
        text.contains("mli-menaka (MLI) and ner-tillaberi (NER)")
            && text.contains("reported to MLI and NER"),
        "{text}"
    );
    // Cancelling one ends the conflict; the cancellation is a new version.
    let out = json(&ok(&[
        "ops",
        "status",
        "ner-tillaberi",
        "cancelled",
        "--data",
        &d,
        "--json",
    ]));
    assert_eq!(out["version"], 2);
    assert_eq!(
        ok(&["ops", "conflicts", "--data", &d]).trim(),
        "no conflicts"
    );
    // Another member may not change MLI's operation.
    let err = fails(&[
        "ops",
        "add",
        "--member",
        "NER",
        "--id",
        "mli-menaka",
        "--bbox",
        "3,15,4,16",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-10",
        "--data",
        &d,
    ]);
    assert!(err.contains("declared by MLI"), "{err}");
}

#[test]
fn a_border_operation_gives_its_neighbour_a_minimal_notice() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path());
    // North of Tessalit, about 18 km from the Algerian border.
    let out = add(
        &d,
        "MLI",
        "0.98,20.88,1.02,20.92",
        "2026-04-01",
        "2026-04-05",
        &[
            "--kind",
            "raid",
            "--objective",
            "arrest a convoy",
            "--id",
            "mli-border",
        ],
    );
    let to: Vec<&str> = out["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["recipient"].as_str().unwrap())
        .collect();
    assert_eq!(to, ["DZA"]);
    let notices = json(&ok(&[
        "ops", "notices", "--to", "DZA", "--data", &d, "--json",
    ]));
    assert_eq!(notices.as_array().unwrap().len(), 1);
    let content = notices[0]["content"].as_object().unwrap();
    let mut keys: Vec<&str> = content.keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(keys, ["area", "declared_by", "from", "to"]);
    assert!(!notices.to_string().contains("convoy") && !notices.to_string().contains("raid"));
    assert_eq!(notices[0]["content"]["declared_by"], "MLI");
    assert!(
        json(&ok(&[
            "ops", "notices", "--to", "NER", "--data", &d, "--json"
        ]))
        .as_array()
        .unwrap()
        .is_empty()
    );
    // The objective stays on this node.
    let list = json(&ok(&["ops", "list", "--data", &d, "--json"]));
    assert_eq!(list[0]["objective"], "arrest a convoy");
    // With --notice-kind the kind is said; a tighter border distance gives no notice.
    let out = add(
        &d,
        "MLI",
        "0.98,20.88,1.02,20.92",
        "2026-05-01",
        "2026-05-05",
        &["--kind", "raid", "--notice-kind"],
    );
    assert_eq!(out["notices"][0]["content"]["kind"], "raid");
    let out = add(
        &d,
        "MLI",
        "0.98,20.88,1.02,20.92",
        "2026-06-01",
        "2026-06-05",
        &["--border-km", "5"],
    );
    assert!(out["notices"].as_array().unwrap().is_empty());
    let text = ok(&["ops", "notices", "--data", &d]);
    assert!(
        text.starts_with("to DZA: MLI operation (mli-border v1)"),
        "{text}"
    );
}

#[test]
fn an_operation_far_from_borders_gives_no_notice() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path());
    // Ségou region, about 125 km from any border.
    let out = ok(&[
        "ops",
        "add",
        "--member",
        "MLI",
        "--bbox",
        "-5.45,13.55,-5.35,13.65",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-02",
        "--data",
        &d,
    ]);
    assert!(out.contains("no conflicts, no notices"), "{out}");
    assert_eq!(ok(&["ops", "notices", "--data", &d]).trim(), "no notices");
}

#[test]
fn an_operation_over_a_zone_or_a_file() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path());
    let out = json(&ok(&[
        "ops",
        "add",
        "--member",
        "MLI",
        "--zone",
        "liptako-gourma",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-02",
        "--data",
        &d,
        "--json",
    ]));
    let to: Vec<&str> = out["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["recipient"].as_str().unwrap())
        .collect();
    assert!(to.contains(&"NER") && to.contains(&"BFA"), "{to:?}");
    let file = tmp.path().join("area.geojson");
    std::fs::write(
        &file,
        r#"{"type":"Polygon","coordinates":[[[2.5,14.5],[4.5,14.5],[4.5,16.0],[2.5,14.5]]]}"#,
    )
    .unwrap();
    let out = json(&ok(&[
        "ops",
        "add",
        "--member",
        "NER",
        "--area",
        file.to_str().unwrap(),
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-04",
        "--data",
        &d,
        "--json",
    ]));
    assert_eq!(out["conflicts"].as_array().unwrap().len(), 1);
    let list = ok(&["ops", "list", "--data", &d]);
    assert!(
        list.contains("zone liptako-gourma") && list.contains("1 polygon(s)"),
        "{list}"
    );
}

#[test]
fn bad_input_names_the_option_and_records_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path());
    let base = |area: &[&str], from: &str, to: &str| -> String {
        let mut args = vec!["ops", "add", "--member", "MLI"];
        args.extend_from_slice(area);
        args.extend_from_slice(&["--from", from, "--to", to, "--data", &d]);
        fails(&args)
    };
    let e = base(&["--bbox", "-200,15,4,16"], "2026-03-01", "2026-03-02");
    assert!(e.contains("--bbox") && e.contains("longitude"), "{e}");
    let e = base(&["--bbox", "3,15,4"], "2026-03-01", "2026-03-02");
    assert!(e.contains("--bbox"), "{e}");
    let e = base(&["--bbox", "3,15,4,16"], "2026-03-05", "2026-03-02");
    assert!(e.contains("--to") && e.contains("before it starts"), "{e}");
    let e = base(&["--bbox", "3,15,4,16"], "2026-13-05", "2026-03-02");
    assert!(e.contains("--from"), "{e}");
    let e = base(&["--zone", "atlantis"], "2026-03-01", "2026-03-02");
    assert!(
        e.contains("--zone") && e.contains("atlantis") && e.contains("liptako-gourma"),
        "{e}"
    );
    let e = base(
        &["--bbox", "3,15,4,16", "--zone", "liptako-gourma"],
        "2026-03-01",
        "2026-03-02",
    );
    assert!(e.contains("--bbox") && e.contains("--zone"), "{e}");
    let e = base(&[], "2026-03-01", "2026-03-02");
    assert!(
        e.contains("--bbox") && e.contains("--zone") && e.contains("--area"),
        "{e}"
    );
    let e = base(
        &["--bbox", "3,15,4,16", "--kind", "invasion"],
        "2026-03-01",
        "2026-03-02",
    );
    assert!(e.contains("--kind"), "{e}");
    let e = base(
        &["--bbox", "3,15,4,16", "--participants", "MLI"],
        "2026-03-01",
        "2026-03-02",
    );
    assert!(e.contains("--participants"), "{e}");
    let e = base(
        &["--bbox", "3,15,4,16", "--border-km", "0"],
        "2026-03-01",
        "2026-03-02",
    );
    assert!(e.contains("--border-km"), "{e}");
    let e = fails(&[
        "ops",
        "add",
        "--member",
        "QQQ",
        "--bbox",
        "3,15,4,16",
        "--from",
        "2026-03-01",
        "--to",
        "2026-03-02",
        "--data",
        &d,
    ]);
    assert!(e.contains("--member"), "{e}");
    assert_eq!(ok(&["ops", "list", "--data", &d]).trim(), "no operations");
    let e = fails(&[
        "ops",
        "link",
        "nope",
        "sahel-2012:kano-bombings-2012-01",
        "--data",
        &d,
    ]);
    assert!(e.contains("operation") && e.contains("nope"), "{e}");
}

#[test]
fn the_scenario_operations_load_and_link_to_their_incidents() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path());
    ok(&["scenario", "load", "sahel-2012", "--data", &d]);
    // Loading again changes nothing.
    ok(&["scenario", "load", "sahel-2012", "--data", &d]);
    let list = json(&ok(&["ops", "list", "--data", &d, "--json"]));
    let ops = list.as_array().unwrap();
    assert_eq!(ops.len(), 3);
    let find = |id: &str| {
        ops.iter()
            .find(|o| o["id"] == id)
            .unwrap_or_else(|| panic!("{id}"))
    };
    let wagadou = find("sahel-2012:wagadou-forest-2011-06-09");
    assert_eq!(wagadou["member"], "MLI");
    assert_eq!(wagadou["participants"], serde_json::json!(["MRT"]));
    assert_eq!(wagadou["version"], 1);
    assert_eq!(
        wagadou["incidents"],
        serde_json::json!(["sahel-2012:wagadou-forest-aqim-camp-attack-2011-06-09"])
    );
    let fr_ne = find("sahel-2012:france-niger-2011-02");
    assert_eq!(
        fr_ne["incidents"],
        serde_json::json!(["sahel-2012:france-niger-operation-2011-02"])
    );
    // The France–Niger operation, over all of Niger, told Algeria (which took no part).
    let notices = json(&ok(&[
        "ops", "notices", "--to", "DZA", "--data", &d, "--json",
    ]));
    assert!(
        notices
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["operation_id"] == "sahel-2012:france-niger-2011-02")
    );
    assert_eq!(notices.as_array().unwrap().len(), 1, "{notices}");
    // Linking by hand: an incident to an operation.
    let out = ok(&[
        "ops",
        "link",
        "sahel-2012:wagadou-forest-2011-06-09",
        "sahel-2012:jmc-first-meeting-bamako-2011-04-29",
        "--data",
        &d,
    ]);
    assert!(out.contains("linked"), "{out}");
    let e = fails(&[
        "ops",
        "link",
        "sahel-2012:wagadou-forest-2011-06-09",
        "sahel-2012:nope",
        "--data",
        &d,
    ]);
    assert!(
        e.contains("incident") && e.contains("sahel-2012:nope"),
        "{e}"
    );
    // The brief's base data: the joint command's pledge, none committed, and the assets table.
    let forces = json(&ok(&["forces", "list", "--data", &d, "--json"]));
    assert_eq!(forces["total"]["pledged"], 75_000);
    assert_eq!(forces["total"]["committed"], 0);
    assert_eq!(forces["records"].as_array().unwrap().len(), 2);
    let members = forces["members"].as_array().unwrap();
    let of = |c: &str| {
        members
            .iter()
            .find(|m| m["member"] == c)
            .unwrap_or_else(|| panic!("{c}"))
    };
    assert_eq!(of("XJC")["pledged"], 75_000);
    assert_eq!(of("XJC")["gap"], 75_000);
    assert_eq!(of("DZA")["available"]["troops"], 147_000);
    assert_eq!(of("MLI")["available"]["troops"], 7_750);
    assert_eq!(of("NER")["available"]["period"], "2009-2010");
}

#[test]
fn forces_add_and_list() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path());
    let file = tmp.path().join("forces.jsonl");
    std::fs::write(
        &file,
        concat!(
            r#"{"member":"MLI","unit_type":"infantry","zone":"liptako-gourma","pledged":1000,"committed":0,"as_of":"2011-01-01","source":"test"}"#, "\n",
            r#"{"member":"MLI","unit_type":"infantry","zone":"liptako-gourma","pledged":1000,"committed":600,"deployed":400,"as_of":"2011-06-01","source":"test"}"#, "\n",
            r#"{"member":"NER","unit_type":"gendarmerie","pledged":300,"committed":300,"as_of":"2011-06-01","source":"test"}"#, "\n",
        ),
    )
    .unwrap();
    let out = json(&ok(&[
        "forces",
        "add",
        file.to_str().unwrap(),
        "--data",
        &d,
        "--json",
    ]));
    assert_eq!(
        (out["records"].as_u64(), out["added"].as_u64()),
        (Some(3), Some(3))
    );
    let out = json(&ok(&[
        "forces",
        "add",
        file.to_str().unwrap(),
        "--data",
        &d,
        "--json",
    ]));
    assert_eq!(out["added"], 0);
    let v = json(&ok(&["forces", "list", "--data", &d, "--json"]));
    let mli = v["members"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["member"] == "MLI")
        .unwrap()
        .clone();
    assert_eq!(
        (
            mli["pledged"].as_u64(),
            mli["committed"].as_u64(),
            mli["deployed"].as_u64(),
            mli["gap"].as_i64()
        ),
        (Some(1000), Some(600), Some(400), Some(400))
    );
    assert_eq!(v["zones"][0]["zone"], "liptako-gourma");
    assert_eq!(v["zones"][1]["zone"], Value::Null);
    assert_eq!(v["total"]["committed"], 900);
    let only = json(&ok(&[
        "forces", "list", "--member", "NER", "--data", &d, "--json",
    ]));
    assert_eq!(only["records"].as_array().unwrap().len(), 1);
    let text = ok(&["forces", "list", "--data", &d]);
    assert!(
        text.contains("liptako-gourma") && text.contains("total"),
        "{text}"
    );
    // A bad record is named by line and field, and nothing of the file is added.
    let bad = tmp.path().join("bad.jsonl");
    std::fs::write(
        &bad,
        concat!(
            r#"{"member":"DZA","unit_type":"air","pledged":10,"as_of":"2011-01-01","source":"test"}"#, "\n",
            r#"{"member":"DZA","unit_type":"air","pledged":10,"committed":1,"deployed":2,"as_of":"2011-01-01","source":"test"}"#, "\n",
        ),
    )
    .unwrap();
    let e = fails(&["forces", "add", bad.to_str().unwrap(), "--data", &d]);
    assert!(e.contains("line 2: deployed"), "{e}");
    let e = fails(&[
        "forces",
        "add",
        file.to_str().unwrap().replace("forces", "none").as_str(),
        "--data",
        &d,
    ]);
    assert!(e.contains("cannot read"), "{e}");
    assert!(
        json(&ok(&[
            "forces", "list", "--member", "DZA", "--data", &d, "--json"
        ]))["records"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    // `forces base`: the brief's pledge alone.
    let out = json(&ok(&["forces", "base", "--data", &d, "--json"]));
    assert_eq!(out["added"], 2);
}
