//! The ledger's append rate as a node sees it: realistic `disclosed` entries appended through
//! the store (entries, tree nodes, head, one signed checkpoint per batch, each batch one
//! transaction) on SQLite or PostgreSQL. Prints one JSON object; `scripts/bench-ledger` runs it
//! beside the SQLite floor measured in the same run.
//!
//! `cargo run --release -p liaison-store --example ledger_append -- [--entries 100000]
//! [--batch 1000] [--db URL]` (default: a fresh SQLite file in a temporary directory).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;
use std::time::Instant;

use ed25519_dalek::{Signer, SigningKey};
use liaison_ledger::{Entry, Event};
use liaison_store::{LedgerSigner, Store};

fn disclosed(i: u64) -> Entry {
    const RECIPIENTS: [&str; 4] = ["MLI", "NER", "MRT", "TCD"];
    Entry {
        at: format!("2026-03-01T12:{:02}:{:02}Z", i / 60 % 60, i % 60),
        event: Event::Disclosed {
            recipient: RECIPIENTS[(i % 4) as usize].to_string(),
            incident_id: format!("DZA-2026-{i:07}"),
            originator: "DZA".to_string(),
            version: (i % 3) as i64 + 1,
            kind: "release".to_string(),
            agreement: Some("agr-sahel-1".to_string()),
            agreement_version: Some(3),
            applied: vec![
                "location:admin1".to_string(),
                "narrative:dropped".to_string(),
            ],
            object_sha256: format!("{:064x}", u128::from(i as u32) * 0x9e37_79b9_7f4a_7c15),
        },
    }
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut entries = 100_000u64;
    let mut batch = 1_000u64;
    let mut db: Option<String> = None;
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().expect("a value after the flag");
        match a.as_str() {
            "--entries" => entries = value().parse().expect("--entries: a number"),
            "--batch" => batch = value().parse().expect("--batch: a number"),
            "--db" => db = Some(value()),
            other => panic!("unknown argument {other}"),
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let url = db.unwrap_or_else(|| format!("sqlite://{}/ledger.db", dir.path().display()));
    let mut store = Store::open(&url).await.unwrap();
    let key = SigningKey::from_bytes(&[7u8; 32]);
    let public = key.verifying_key().to_bytes();
    store.set_ledger_signer(LedgerSigner {
        member: "DZA".into(),
        origin: "liaison/DZA".into(),
        public_key: public,
        sign: Arc::new(move |m: &[u8]| key.sign(m).to_bytes()),
    });
    let start_size = store.ledger_head().await.unwrap().size;
    let all: Vec<Entry> = (0..entries).map(disclosed).collect();
    let started = Instant::now();
    for chunk in all.chunks(batch as usize) {
        store.ledger_append(chunk).await.unwrap();
    }
    let seconds = started.elapsed().as_secs_f64();
    let head = store.ledger_head().await.unwrap();
    assert_eq!(head.size, start_size + entries);
    let checkpoints = store.checkpoints().await.unwrap().len();
    let backend = if url.starts_with("postgres") {
        "postgres"
    } else {
        "sqlite"
    };
    println!(
        "{}",
        serde_json::json!({
            "backend": backend,
            "entries": entries,
            "batch": batch,
            "seconds": (seconds * 1000.0).round() / 1000.0,
            "entries_per_s": (entries as f64 / seconds).round(),
            "checkpoints": checkpoints,
        })
    );
    store.close().await;
}
