//! Receipts: signed and verified; any altered item, field or signature fails; the JSON shape
//! and the signed bytes are fixed.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::TestKey;
use liaison_ledger::receipt::RECEIPT_CONTEXT;
use liaison_ledger::{NoteError, Receipt, ReceiptItem, SignedReceipt};

fn receipt() -> Receipt {
    Receipt {
        recipient: "MLI".into(),
        originator: "DZA".into(),
        items: vec![
            ReceiptItem {
                originator: "DZA".into(),
                incident_id: "DZA-2026-0001".into(),
                version: 2,
                object_sha256: "ab".repeat(32),
                index: 40,
            },
            ReceiptItem {
                originator: "DZA".into(),
                incident_id: "DZA-2026-0002".into(),
                version: 1,
                object_sha256: "cd".repeat(32),
                index: 41,
            },
        ],
        issued_at: "2026-03-01T12:00:05Z".into(),
    }
}

#[test]
fn signed_bytes_are_prefixed_canonical_json() {
    let bytes = String::from_utf8(receipt().signed_bytes()).unwrap();
    let want = format!(
        "liaison-receipt-v1\n{{\"issued_at\":\"2026-03-01T12:00:05Z\",\"items\":[{{\"incident_id\":\"DZA-2026-0001\",\"index\":40,\"object_sha256\":\"{}\",\"originator\":\"DZA\",\"version\":2}},{{\"incident_id\":\"DZA-2026-0002\",\"index\":41,\"object_sha256\":\"{}\",\"originator\":\"DZA\",\"version\":1}}],\"originator\":\"DZA\",\"recipient\":\"MLI\"}}",
        "ab".repeat(32),
        "cd".repeat(32)
    );
    assert_eq!(bytes, want);
    assert!(bytes.starts_with(RECEIPT_CONTEXT));
}

#[test]
fn sign_verify_and_tamper() {
    let key = TestKey::new(20);
    let signed = receipt().sign(&|m| key.sign(m));
    signed.verify(&key.public).unwrap();

    let mut altered = signed.clone();
    altered.receipt.items[1].index = 42;
    assert!(matches!(
        altered.verify(&key.public),
        Err(NoteError::BadSignature { .. })
    ));
    let mut altered = signed.clone();
    altered.receipt.items[0].object_sha256 = "ef".repeat(32);
    assert!(altered.verify(&key.public).is_err());
    let mut altered = signed.clone();
    altered.receipt.items.pop();
    assert!(altered.verify(&key.public).is_err());
    let mut altered = signed.clone();
    altered.receipt.issued_at.push('Z');
    assert!(altered.verify(&key.public).is_err());

    assert!(signed.verify(&TestKey::new(21).public).is_err());
    let mut bad = signed.clone();
    bad.signature = "not base64!".into();
    assert!(matches!(
        bad.verify(&key.public),
        Err(NoteError::BadBase64 { .. })
    ));
    let mut short = signed.clone();
    short.signature = "AAAA".into();
    assert!(matches!(
        short.verify(&key.public),
        Err(NoteError::BadSignature { .. })
    ));
}

#[test]
fn json_shape_and_hash() {
    let key = TestKey::new(22);
    let signed = receipt().sign(&|m| key.sign(m));
    let json = serde_json::to_value(&signed).unwrap();
    assert_eq!(json["receipt"]["recipient"], "MLI");
    assert_eq!(json["receipt"]["items"][1]["index"], 41);
    assert!(json["signature"].is_string());
    let back: SignedReceipt = serde_json::from_value(json).unwrap();
    assert_eq!(back, signed);
    back.verify(&key.public).unwrap();

    // The hash covers the canonical form, so pretty-printing in transit does not change it.
    let pretty = serde_json::to_string_pretty(&signed).unwrap();
    let reparsed: SignedReceipt = serde_json::from_str(&pretty).unwrap();
    assert_eq!(reparsed.sha256_hex(), signed.sha256_hex());
    assert_eq!(signed.sha256_hex().len(), 64);
    let canonical = String::from_utf8(signed.canonical_json()).unwrap();
    assert!(canonical.starts_with("{\"receipt\":{\"issued_at\":"));
    assert!(canonical.ends_with(&format!(",\"signature\":\"{}\"}}", signed.signature)));
    let mut other = signed.clone();
    other.receipt.items[0].version = 3;
    assert_ne!(other.sha256_hex(), signed.sha256_hex());
}
