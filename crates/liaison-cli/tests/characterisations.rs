//! `liaison characterise` and `liaison characterisations show|divergence`, and
//! `--characterised-by`/`--category` on `incidents list` and `stats`, run as a user would; bad
//! input is refused with an error naming it and stores nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fails, ok};
use serde_json::Value;

const KANO: &str = "sahel-2012:kano-bombings-2012-01";
const TESSALIT: &str = "sahel-2012:tessalit-clashes-2012-01";

fn node(base: &std::path::Path, member: &str) -> String {
    let d = base.join(member).to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", member]);
    ok(&["scenario", "load", "sahel-2012", "--data", &d]);
    d
}

fn json(out: &str) -> Value {
    serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
}

#[test]
fn readings_versions_filters_and_stats() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path(), "MLI");
    let out = ok(&[
        "characterise",
        TESSALIT,
        "--as",
        "insurgency",
        "--confidence",
        "high",
        "--rationale",
        "MNLA offensive",
        "--data",
        &d,
    ]);
    assert!(out.contains("MLI characterised"), "{out}");
    assert!(
        out.contains("insurgency (high confidence), reading v1"),
        "{out}"
    );
    // The category from the crosswalk, said so; the default confidence is moderate.
    let out = ok(&[
        "characterise",
        KANO,
        "--term",
        "Irhab",
        "--rationale",
        "Boko Haram claim",
        "--data",
        &d,
    ]);
    assert!(
        out.contains("category terrorism taken from the crosswalk for 'Irhab'"),
        "{out}"
    );
    let v = json(&ok(&[
        "characterise",
        TESSALIT,
        "--as",
        "banditry",
        "--term",
        "banditisme armé",
        "--rationale",
        "on second thought",
        "--data",
        &d,
        "--json",
    ]));
    assert_eq!(v["version"], 2);
    assert_eq!(v["category"], "banditry");
    assert_eq!(v["confidence"], "moderate");
    assert_eq!(v["category_from_crosswalk"], false);

    let v = json(&ok(&[
        "characterisations",
        "show",
        TESSALIT,
        "--data",
        &d,
        "--json",
    ]));
    let r = &v["readings"][0];
    assert_eq!(r["member"], "MLI");
    assert_eq!(r["category"], "banditry");
    assert_eq!(r["national_term"], "banditisme armé");
    assert_eq!(r["history"], 2);
    assert_eq!(r["recorded_by"], "cli");
    let text = ok(&["characterisations", "show", TESSALIT, "--data", &d]);
    assert!(text.contains("MLI banditry"), "{text}");
    assert!(text.contains("v2 of 2"), "{text}");

    // As characterised by MLI.
    let list = |extra: &[&str]| -> Vec<String> {
        let mut args = vec!["incidents", "list", "--data", &d, "--json"];
        args.extend_from_slice(extra);
        let v = json(&ok(&args));
        let mut ids: Vec<String> = v["incidents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect();
        ids.sort();
        ids
    };
    assert_eq!(list(&["--characterised-by", "MLI"]), [KANO, TESSALIT]);
    assert_eq!(
        list(&["--characterised-by", "MLI", "--category", "banditry"]),
        [TESSALIT]
    );
    assert!(list(&["--characterised-by", "MLI", "--category", "insurgency"]).is_empty());
    assert!(list(&["--characterised-by", "DZA"]).is_empty());
    let v = json(&ok(&[
        "stats",
        "--by",
        "category",
        "--characterised-by",
        "MLI",
        "--data",
        &d,
        "--json",
    ]));
    let cats: Vec<(&str, u64)> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["category"].as_str().unwrap(),
                r["incidents"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(cats, [("banditry", 1), ("terrorism", 1)]);
    let err = fails(&["stats", "--by", "category", "--data", &d]);
    assert!(err.contains("--characterised-by"), "{err}");
    let err = fails(&["incidents", "list", "--category", "banditry", "--data", &d]);
    assert!(err.contains("--characterised-by"), "{err}");

    // One member alone never diverges.
    let out = ok(&["characterisations", "divergence", "--data", &d]);
    assert!(out.contains("no incident"), "{out}");
    assert_eq!(
        json(&ok(&[
            "characterisations",
            "divergence",
            "--data",
            &d,
            "--json"
        ])),
        serde_json::json!([])
    );
    // Every reading is in the ledger.
    let log = ok(&["audit", "log", "--kind", "characterised", "--data", &d]);
    assert!(log.contains("MLI characterised"), "{log}");
}

#[test]
fn bad_input_is_named_and_nothing_is_stored() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path(), "NER");
    let err = fails(&[
        "characterise",
        KANO,
        "--as",
        "piracy",
        "--rationale",
        "x",
        "--data",
        &d,
    ]);
    assert!(err.contains("--as: unknown category 'piracy'"), "{err}");
    assert!(err.contains("communal_violence"), "{err}");
    let err = fails(&[
        "characterise",
        KANO,
        "--as",
        "terrorism",
        "--rationale",
        "  ",
        "--data",
        &d,
    ]);
    assert!(err.contains("--rationale"), "{err}");
    let err = fails(&[
        "characterise",
        "sahel-2012:nothing",
        "--as",
        "terrorism",
        "--rationale",
        "x",
        "--data",
        &d,
    ]);
    assert!(
        err.contains("incident sahel-2012:nothing not found"),
        "{err}"
    );
    let err = fails(&[
        "characterise",
        KANO,
        "--term",
        "piraterie",
        "--rationale",
        "x",
        "--data",
        &d,
    ]);
    assert!(err.contains("'piraterie' is not in the crosswalk"), "{err}");
    let err = fails(&[
        "characterise",
        KANO,
        "--as",
        "terrorism",
        "--confidence",
        "sure",
        "--rationale",
        "x",
        "--data",
        &d,
    ]);
    assert!(err.contains("--confidence"), "{err}");
    let err = fails(&["characterise", KANO, "--rationale", "x", "--data", &d]);
    assert!(err.contains("--as"), "{err}");
    let v = json(&ok(&[
        "characterisations",
        "show",
        KANO,
        "--data",
        &d,
        "--json",
    ]));
    assert_eq!(v["readings"], serde_json::json!([]));
    let err = fails(&["characterisations", "show", "nope:1", "--data", &d]);
    assert!(err.contains("not found"), "{err}");
}
