//! The ledger's storage on both engines: appends with signed checkpoints, proofs from stored
//! subtrees that verify at every past size, peers' views, and the witness, alarm, cosignature,
//! receipt and batched-read tables. (Tampering with a stored log is tested through real nodes in
//! liaison-server's `tests/ledger.rs` and the CLI's `tests/audit.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use ed25519_dalek::{Signer, SigningKey};
use liaison_ledger::{Entry, Event, MemoryTree};
use liaison_store::{
    Cosignature, LedgerSigner, ReceiptRow, Store, StoreError, WitnessState, WitnessedEntry,
};

#[macro_use]
mod common;

fn signed(store: &Store) -> (Store, SigningKey) {
    let key = SigningKey::from_bytes(&[5u8; 32]);
    let signing = key.clone();
    let mut s = store.clone();
    s.set_ledger_signer(LedgerSigner {
        member: "DZA".into(),
        origin: "liaison/DZA".into(),
        public_key: key.verifying_key().to_bytes(),
        sign: Arc::new(move |m: &[u8]| signing.sign(m).to_bytes()),
    });
    (s, key)
}

fn disclosed(i: u64, to: &str) -> Entry {
    Entry {
        at: format!("2026-03-01T12:00:{:02}Z", i % 60),
        event: Event::Disclosed {
            recipient: to.into(),
            incident_id: format!("DZA-{i}"),
            originator: "DZA".into(),
            version: 1,
            kind: "release".into(),
            agreement: Some("a".into()),
            agreement_version: Some(1),
            applied: vec![],
            object_sha256: format!("{i:064x}"),
        },
    }
}

async fn appends_proofs_and_views(store: &Store) {
    let (store, key) = signed(store);
    let public = key.verifying_key().to_bytes();
    let mut mirror = MemoryTree::new();
    // Batches of uneven sizes, one checkpoint each.
    let mut n = 0u64;
    for batch in [1u64, 2, 5, 13, 40] {
        let entries: Vec<Entry> = (n..n + batch)
            .map(|i| disclosed(i, if i % 3 == 0 { "MLI" } else { "NER" }))
            .collect();
        let first = store.ledger_append(&entries).await.unwrap();
        assert_eq!(first, n);
        for e in &entries {
            mirror.push(e.leaf_hash());
        }
        n += batch;
    }
    let head = store.ledger_head().await.unwrap();
    assert_eq!((head.size, head.root), (n, mirror.root()));
    let cps = store.checkpoints().await.unwrap();
    assert_eq!(cps.len(), 5);
    // The latest few, newest first, are the tail of the whole list.
    let latest = store.latest_checkpoints(2).await.unwrap();
    assert_eq!(latest, vec![cps[4].clone(), cps[3].clone()]);
    for cp in &cps {
        let opened = liaison_ledger::open_checkpoint(&cp.note, "liaison/DZA", &public).unwrap();
        assert_eq!(opened.root, mirror.root_at(cp.size).unwrap());
    }
    // Proofs from the stored subtrees equal the in-memory tree's, at every past size.
    for size in [1, 3, 8, 21, n] {
        for index in [0, size / 2, size - 1] {
            let p = store.inclusion_proof(index, size).await.unwrap();
            assert_eq!(p, mirror.inclusion_proof(index, size).unwrap());
            liaison_ledger::verify_inclusion(
                &mirror.leaf(index).unwrap(),
                index,
                size,
                &p,
                &mirror.root_at(size).unwrap(),
            )
            .unwrap();
        }
        let c = store.consistency_proof(1, size).await.unwrap();
        assert_eq!(c, mirror.consistency_proof(1, size).unwrap());
        assert_eq!(
            store.ledger_root_at(size).await.unwrap(),
            mirror.root_at(size).unwrap()
        );
    }
    assert!(matches!(
        store.inclusion_proof(n, n + 1).await,
        Err(StoreError::Invalid { .. })
    ));
    // A peer's view: only the entries that name it.
    let mli = store
        .ledger_entries_concerning("MLI", 0, n, 1_000)
        .await
        .unwrap();
    assert_eq!(mli.len() as u64, n.div_ceil(3));
    assert!(mli.iter().all(|e| e.concerns("MLI") && !e.concerns("NER")));
    // Every stored row carries its leaf hash, as the tree uses it.
    let all = store.ledger_entries(0, n).await.unwrap();
    assert_eq!(all.len() as u64, n);
    let h = liaison_store::hex_to_hash(&all[0].leaf_hash).unwrap();
    assert_eq!(h, mirror.leaf(0).unwrap());
}
on_both!(ledger_appends_and_proofs, appends_proofs_and_views);

async fn witness_tables(store: &Store) {
    let (store, _) = signed(store);
    assert!(store.witness_state("MLI").await.unwrap().is_none());
    let state = WitnessState {
        peer: "MLI".into(),
        size: 7,
        root: "ab".repeat(32),
        frontier: vec!["cd".repeat(32), "ef".repeat(32)],
        note: "liaison/MLI\n7\n…\n".into(),
        checked_at: "2026-03-01T12:00:00Z".into(),
        recheck_from: 0,
    };
    let seen = WitnessedEntry {
        index: 3,
        leaf_hash: "01".repeat(32),
        entry: "{}".into(),
    };
    store
        .put_witness_state(&state, std::slice::from_ref(&seen), true)
        .await
        .unwrap();
    assert_eq!(store.witness_state("MLI").await.unwrap().unwrap(), state);
    assert_eq!(
        store.witnessed_entries("MLI", 0, 10).await.unwrap(),
        vec![seen]
    );
    store.set_recheck_from("MLI", 4).await.unwrap();
    assert_eq!(
        store
            .witness_state("MLI")
            .await
            .unwrap()
            .unwrap()
            .recheck_from,
        4
    );
    // The cosignature we issued is in our own log, with a checkpoint.
    let log = store.ledger_entries(0, 10).await.unwrap();
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].kind, "cosigned");
    assert!(store.latest_checkpoint().await.unwrap().is_some());

    store
        .raise_alarm(
            "MLI",
            "fork",
            "two roots for size 7",
            "2026-03-01T12:01:00Z",
        )
        .await
        .unwrap();
    let alarms = store.alarms(Some("MLI"), 10).await.unwrap();
    assert_eq!((alarms.len(), alarms[0].kind.as_str()), (1, "fork"));
    assert!(store.alarms(Some("NER"), 10).await.unwrap().is_empty());
    assert_eq!(store.alarms(None, 10).await.unwrap().len(), 1);

    let c = Cosignature {
        size: 2,
        witness: "NER".into(),
        line: "— liaison/NER/witness AAAA".into(),
        cosigned_at: 1_700_000_000,
        received_at: "2026-03-01T12:02:00Z".into(),
    };
    store.put_cosignature(&c).await.unwrap();
    assert_eq!(store.cosignatures(Some(2)).await.unwrap(), vec![c.clone()]);
    assert_eq!(store.cosignatures(None).await.unwrap(), vec![c]);
    assert!(store.cosignatures(Some(3)).await.unwrap().is_empty());

    let r = ReceiptRow {
        direction: "received".into(),
        peer: "NER".into(),
        sha256: "aa".repeat(32),
        doc: "{}".into(),
        first_index: 10,
        count: 2,
        at: "2026-03-01T12:03:00Z".into(),
        delivered_at: None,
    };
    assert!(store.put_receipt_received(&r).await.unwrap());
    assert!(
        !store.put_receipt_received(&r).await.unwrap(),
        "a repeat is kept once"
    );
    assert_eq!(
        store.receipts("received", Some("NER")).await.unwrap(),
        vec![r]
    );
    assert!(store.undelivered_receipts("NER").await.unwrap().is_empty());

    // Reads are batched: nothing is logged until the flush, then one entry per user.
    let before = store.ledger_head().await.unwrap().size;
    store
        .note_reads("amina", &["a", "b", "a"], "2026-03-01T12:04:00Z")
        .await
        .unwrap();
    store
        .note_reads("bakary", &["c"], "2026-03-01T12:04:00Z")
        .await
        .unwrap();
    assert_eq!(store.ledger_head().await.unwrap().size, before);
    assert_eq!(store.flush_reads("2026-03-01T12:05:00Z").await.unwrap(), 2);
    let reads = store.ledger_entries(before, before + 2).await.unwrap();
    let e = Entry::decode(reads[0].entry.as_bytes()).unwrap();
    assert_eq!(
        e.event,
        Event::Reads {
            user: "amina".into(),
            incident_ids: vec!["a".into(), "b".into()]
        }
    );
    assert_eq!(store.flush_reads("2026-03-01T12:06:00Z").await.unwrap(), 0);
}
on_both!(witness_alarms_cosignatures_receipts_reads, witness_tables);
