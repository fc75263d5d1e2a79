//! Golden snapshots of the mapping: each fixture incident exported alone, compared as JSON values
//! with `tests/golden/<name>.json`. After a deliberate change of the mapping, regenerate them
//! with `UPDATE_GOLDEN=1 cargo test -p liaison-stix --test golden` and review the diff.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::path::PathBuf;

use serde_json::Value;

fn check(name: &str, got: &Value) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.json"));
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        let text = serde_json::to_string_pretty(got).unwrap();
        std::fs::write(&path, format!("{text}\n")).unwrap();
        return;
    }
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; make it with UPDATE_GOLDEN=1 cargo test -p liaison-stix --test golden",
            path.display()
        )
    });
    let want: Value = serde_json::from_str(&text).unwrap();
    if &want == got {
        return;
    }
    // Name the objects that differ, so the failure is readable.
    let by_id = |v: &Value| -> Vec<(String, Value)> {
        v["objects"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|o| (o["id"].as_str().unwrap_or("?").to_owned(), o.clone()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (w, g) = (by_id(&want), by_id(got));
    for (id, o) in &g {
        match w.iter().find(|(i, _)| i == id) {
            None => eprintln!("new object {id}: {o:#}"),
            Some((_, wo)) if wo != o => eprintln!("changed {id}:\n want {wo:#}\n got  {o:#}"),
            _ => {}
        }
    }
    for (id, _) in &w {
        if !g.iter().any(|(i, _)| i == id) {
            eprintln!("object gone: {id}");
        }
    }
    panic!(
        "{} differs from the export (see above); if the change is meant, UPDATE_GOLDEN=1",
        path.display()
    );
}

#[test]
fn restricted_kidnapping_with_records_and_granular_marking() {
    check(
        "kidnapping",
        &common::export(&[common::kidnapping()]).to_value(),
    );
}

#[test]
fn ucdp_row_with_unlinked_actors() {
    check("ucdp", &common::export(&[common::ucdp()]).to_value());
}

#[test]
fn country_precision_has_no_point() {
    check(
        "country_only",
        &common::export(&[common::country_only()]).to_value(),
    );
}

#[test]
fn an_empty_export_is_an_empty_bundle() {
    check("empty", &common::export(&[]).to_value());
}
