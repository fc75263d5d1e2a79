//! Helpers shared by the integration tests: where the test data lives, and reading a whole file
//! or string into its parsed rows and its errors.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::path::PathBuf;

use liaison_import::{Dataset, ParsedRow, RowError, open};

/// A test file: the real UCDP files live in the repository's `data/ucdp/`, the synthetic
/// fixtures in this crate's `tests/data/`.
pub fn data(name: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    if name.starts_with("ucdp_") {
        root.join("../../data/ucdp").join(name)
    } else {
        root.join("tests/data").join(name)
    }
}

fn split(
    reader: impl Iterator<Item = Result<ParsedRow, RowError>>,
) -> (Vec<ParsedRow>, Vec<RowError>) {
    let mut ok = Vec::new();
    let mut errs = Vec::new();
    for item in reader {
        match item {
            Ok(r) => ok.push(r),
            Err(e) => errs.push(e),
        }
    }
    (ok, errs)
}

pub fn read_file(dataset: Dataset, name: &str) -> (Vec<ParsedRow>, Vec<RowError>) {
    let file = std::fs::File::open(data(name)).unwrap();
    split(open(dataset, file).unwrap())
}

pub fn read_str(dataset: Dataset, text: &str) -> (Vec<ParsedRow>, Vec<RowError>) {
    split(open(dataset, text.as_bytes()).unwrap())
}
