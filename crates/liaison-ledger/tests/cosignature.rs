//! tlog-cosignature v1: made and verified; the signed message is byte for byte the one in the
//! C2SP spec's example; altered time, body, name or key fail.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use common::TestKey;
use ed25519_dalek::{Signature, VerifyingKey};
use liaison_ledger::cosignature::{
    MAX_COSIGNATURE_TIME, cosignature_message, cosigner_verifier_key,
};
use liaison_ledger::{
    Checkpoint, NoteError, add_signature_lines, cosign, cosignature_key_id, key_id,
    note_signature_lines, open_checkpoint, sign_checkpoint, verify_cosignature,
};
use sha2::{Digest, Sha256};

const WITNESS: &str = "witness.example.com/w1";

/// The checkpoint of the C2SP tlog-checkpoint and tlog-cosignature examples.
fn spec_checkpoint() -> Checkpoint {
    Checkpoint::parse_body(
        "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
    )
    .unwrap()
}

#[test]
fn message_is_the_spec_example() {
    // c2sp.org/tlog-cosignature, "Ed25519 signed message".
    let want = "cosignature/v1\ntime 1679315147\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    assert_eq!(
        cosignature_message(&spec_checkpoint(), 1679315147),
        want.as_bytes()
    );
}

#[test]
fn key_id_uses_type_four() {
    let key = TestKey::new(9);
    let mut h = Sha256::new();
    h.update(WITNESS.as_bytes());
    h.update([0x0a, 0x04]);
    h.update(key.public);
    let digest = h.finalize();
    assert_eq!(cosignature_key_id(WITNESS, &key.public), digest[..4]);
    assert_ne!(
        cosignature_key_id(WITNESS, &key.public),
        key_id(WITNESS, &key.public)
    );
    let vkey = cosigner_verifier_key(WITNESS, &key.public);
    let material = B64.decode(vkey.splitn(3, '+').nth(2).unwrap()).unwrap();
    assert_eq!(material[0], 0x04);
    assert_eq!(&material[1..], key.public.as_slice());
}

#[test]
fn cosign_and_verify() {
    let key = TestKey::new(10);
    let cp = spec_checkpoint();
    let line = cosign(&cp, WITNESS, &key.public, 1679315147, &|m| key.sign(m));
    assert!(line.starts_with("— witness.example.com/w1 ") && line.ends_with('\n'));
    assert_eq!(
        verify_cosignature(&cp, &line, WITNESS, &key.public),
        Ok(1679315147)
    );
    assert_eq!(
        verify_cosignature(&cp, line.trim_end(), WITNESS, &key.public),
        Ok(1679315147)
    );

    // The payload is key id || big-endian time || Ed25519 signature over the spec message,
    // checked here with ed25519-dalek directly.
    let raw = B64
        .decode(line.trim_end().rsplit(' ').next().unwrap())
        .unwrap();
    assert_eq!(raw.len(), 4 + 8 + 64);
    assert_eq!(raw[..4], cosignature_key_id(WITNESS, &key.public));
    assert_eq!(
        u64::from_be_bytes(raw[4..12].try_into().unwrap()),
        1679315147
    );
    let sig = Signature::from_bytes(&raw[12..].try_into().unwrap());
    VerifyingKey::from_bytes(&key.public)
        .unwrap()
        .verify_strict(&cosignature_message(&cp, 1679315147), &sig)
        .unwrap();
}

#[test]
fn altered_cosignatures_fail() {
    let key = TestKey::new(11);
    let cp = spec_checkpoint();
    let line = cosign(&cp, WITNESS, &key.public, 1700000000, &|m| key.sign(m));
    let mut raw = B64
        .decode(line.trim_end().rsplit(' ').next().unwrap())
        .unwrap();

    // Altered time, same signature.
    raw[11] ^= 1;
    let retimed = format!("— {WITNESS} {}\n", B64.encode(&raw));
    raw[11] ^= 1;
    assert!(matches!(
        verify_cosignature(&cp, &retimed, WITNESS, &key.public),
        Err(NoteError::BadSignature { .. })
    ));

    // Altered body: size, root, origin, an extension line.
    let mut other = cp.clone();
    other.size += 1;
    assert!(verify_cosignature(&other, &line, WITNESS, &key.public).is_err());
    let mut other = cp.clone();
    other.root[0] ^= 1;
    assert!(verify_cosignature(&other, &line, WITNESS, &key.public).is_err());
    let mut other = cp.clone();
    other.origin.push('x');
    assert!(verify_cosignature(&other, &line, WITNESS, &key.public).is_err());
    let mut other = cp.clone();
    other.extensions.push("ext".into());
    assert!(verify_cosignature(&other, &line, WITNESS, &key.public).is_err());

    // Another witness name or key: not this witness's line.
    assert!(matches!(
        verify_cosignature(&cp, &line, "witness.example.com/w2", &key.public),
        Err(NoteError::UnknownSigner { .. })
    ));
    let other_key = TestKey::new(12);
    assert!(matches!(
        verify_cosignature(&cp, &line, WITNESS, &other_key.public),
        Err(NoteError::UnknownSigner { .. })
    ));

    // Truncated signature, and a time beyond 2^63 - 1.
    let short = format!("— {WITNESS} {}\n", B64.encode(&raw[..40]));
    assert!(matches!(
        verify_cosignature(&cp, &short, WITNESS, &key.public),
        Err(NoteError::BadSignature { .. })
    ));
    let late = cosign(&cp, WITNESS, &key.public, MAX_COSIGNATURE_TIME + 1, &|m| {
        key.sign(m)
    });
    assert_eq!(
        verify_cosignature(&cp, &late, WITNESS, &key.public),
        Err(NoteError::CosignatureTimeTooLarge {
            time: MAX_COSIGNATURE_TIME + 1
        })
    );
}

#[test]
fn cosigned_note_still_opens_for_the_log() {
    let log = TestKey::new(13);
    let witness = TestKey::new(14);
    let cp = spec_checkpoint();
    let note = sign_checkpoint(&cp, &cp.origin, &log.public, &|m| log.sign(m));
    let line = cosign(&cp, WITNESS, &witness.public, 1700000000, &|m| {
        witness.sign(m)
    });
    let cosigned = add_signature_lines(&note, std::slice::from_ref(&line)).unwrap();
    assert_eq!(
        open_checkpoint(&cosigned, &cp.origin, &log.public).unwrap(),
        cp
    );
    let sigs = note_signature_lines(&cosigned).unwrap();
    assert_eq!(sigs.len(), 2);
    assert_eq!(sigs[1].name, WITNESS);
    // The cosignature line is found in the note and verifies.
    let found = cosigned
        .lines()
        .find(|l| l.starts_with("— witness"))
        .unwrap();
    assert_eq!(
        verify_cosignature(&cp, found, WITNESS, &witness.public),
        Ok(1700000000)
    );
    // Opening the note as if the witness were a plain note signer fails: its key id is type 4.
    assert!(matches!(
        open_checkpoint(&cosigned, WITNESS, &witness.public),
        Err(NoteError::UnknownSigner { .. })
    ));
}
