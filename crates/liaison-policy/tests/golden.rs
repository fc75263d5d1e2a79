//! Golden files of what a liaison officer reads: the Cedar text and the plain-language summary
//! of the example agreements in `docs/examples/agreements/` (every one of them). After a deliberate change,
//! regenerate with `UPDATE_GOLDEN=1 cargo test -p liaison-policy --test golden` and review the
//! diff.

#![allow(clippy::unwrap_used, clippy::panic)]

use std::path::PathBuf;

use liaison_core::{Agreement, CountryCode};
use liaison_policy::{Policy, cedar_text, summary};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn example(name: &str) -> Agreement {
    let path = root()
        .join("../../docs/examples/agreements")
        .join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap();
    let a: Agreement = serde_json::from_str(&text).unwrap();
    a.validate().unwrap();
    a
}

fn check(file: &str, got: &str) {
    let path = root().join("tests/golden").join(file);
    if std::env::var("UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::write(&path, got).unwrap();
        return;
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{file}: {e}; make it with UPDATE_GOLDEN=1 cargo test -p liaison-policy --test golden"
        )
    });
    assert!(
        want == got,
        "{file} differs; if the change is meant, UPDATE_GOLDEN=1.\n--- want\n{want}\n--- got\n{got}"
    );
}

const EXAMPLES: [&str; 3] = ["mli-all", "dza-ner-mrt", "ner-bfa-mli-liptako"];

/// A new example file must be added to [`EXAMPLES`], so that none goes unchecked.
#[test]
fn every_example_has_golden_files() {
    let mut found: Vec<String> = std::fs::read_dir(root().join("../../docs/examples/agreements"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter_map(|f| f.strip_suffix(".json").map(str::to_owned))
        .collect();
    found.sort();
    let mut listed: Vec<String> = EXAMPLES.iter().map(|s| (*s).to_owned()).collect();
    listed.sort();
    assert_eq!(found, listed);
}

#[test]
fn the_examples_read_as_recorded() {
    for name in EXAMPLES {
        let a = example(name);
        check(&format!("{name}.cedar"), &cedar_text(&a));
        check(&format!("{name}.txt"), &summary(&a));
        // The text a liaison officer reads is the text that is compiled.
        Policy::compile(&a.originator, std::slice::from_ref(&a)).unwrap();
        // Another member's node compiles nothing of it (no example is Chad's).
        assert_ne!(a.originator.as_str(), "TCD");
        assert!(
            Policy::compile(&CountryCode::parse("TCD").unwrap(), &[a])
                .unwrap()
                .agreements()
                .is_empty()
        );
    }
}
