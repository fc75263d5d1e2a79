//! Signed notes and checkpoints: the Go note package's known answer, interoperation with
//! cloudflare/azul's `signed_note` in both directions, a golden checkpoint, and bad input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use common::TestKey;
use liaison_ledger::note::{
    MAX_NOTE_BYTES, MAX_NOTE_SIGNATURES, note_text, open_note, parse_verifier_key, sign_note,
};
use liaison_ledger::{
    Checkpoint, NoteError, add_signature_lines, key_id, leaf_hash, note_signature_lines,
    open_checkpoint, sign_checkpoint, verifier_key,
};
use signed_note::{Note, StandardSigner, StandardVerifier, VerifierList};

const ORIGIN: &str = "liaison.example/DZA";

fn checkpoint() -> Checkpoint {
    Checkpoint {
        origin: ORIGIN.into(),
        size: 20852163,
        root: leaf_hash(b"golden"),
        extensions: vec![],
    }
}

fn signed(cp: &Checkpoint, key: &TestKey) -> String {
    sign_checkpoint(cp, ORIGIN, &key.public, &|m| key.sign(m))
}

/// The known answer of golang.org/x/mod/sumdb/note (`note_test.go`), also in the signed_note
/// crate's documentation: key "PeterNeumann", its signer and verifier keys, and the note.
#[test]
fn go_note_known_answer() {
    let skey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    let vkey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    let text = "If you think cryptography is the answer to your problem,\n\
                then you don't know what your problem is.\n";
    let want = "If you think cryptography is the answer to your problem,\n\
                then you don't know what your problem is.\n\
                \n\
                — PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    let material = B64.decode(skey.splitn(5, '+').nth(4).unwrap()).unwrap();
    assert_eq!(material[0], 0x01);
    let key = TestKey::from_seed(material[1..].try_into().unwrap());
    assert_eq!(verifier_key("PeterNeumann", &key.public), vkey);
    assert_eq!(
        key_id("PeterNeumann", &key.public),
        [0xc7, 0x4f, 0x20, 0xa3]
    );
    let note = sign_note(text, "PeterNeumann", &key.public, &|m| key.sign(m));
    assert_eq!(note, want);
    assert_eq!(open_note(want, "PeterNeumann", &key.public).unwrap(), text);
    assert_eq!(
        parse_verifier_key(vkey).unwrap(),
        ("PeterNeumann".to_string(), key.public)
    );
}

#[test]
fn checkpoint_body_and_golden_note() {
    let key = TestKey::new(7);
    let mut cp = checkpoint();
    cp.size = 3;
    cp.extensions = vec!["ext one".into()];
    let body = cp.body();
    assert_eq!(
        body,
        format!(
            "{ORIGIN}\n3\n{}\next one\n",
            B64.encode(leaf_hash(b"golden"))
        )
    );
    assert_eq!(Checkpoint::parse_body(&body).unwrap(), cp);
    let note = signed(&cp, &key);
    let golden = common::golden("checkpoint.note", &note);
    assert_eq!(open_checkpoint(&golden, ORIGIN, &key.public).unwrap(), cp);
}

#[test]
fn signed_note_verifies_ours() {
    let key = TestKey::new(1);
    let note = signed(&checkpoint(), &key);
    let verifier = StandardVerifier::new(&verifier_key(ORIGIN, &key.public)).unwrap();
    let parsed = Note::from_bytes(note.as_bytes()).unwrap();
    let (ok, unknown) = parsed
        .verify(&VerifierList::new(vec![Box::new(verifier.clone())]))
        .unwrap();
    assert_eq!(ok.len(), 1);
    assert!(unknown.is_empty());
    assert_eq!(parsed.text(), checkpoint().body().as_bytes());

    // With extra lines from other signers (cosignatures), it still verifies and lists them.
    let other = TestKey::new(2);
    let extra = sign_note(
        &checkpoint().body(),
        "witness.example/w1",
        &other.public,
        &|m| other.sign(m),
    );
    let line = extra.lines().last().unwrap().to_string();
    let both = add_signature_lines(&note, &[line]).unwrap();
    let parsed = Note::from_bytes(both.as_bytes()).unwrap();
    let (ok, unknown) = parsed
        .verify(&VerifierList::new(vec![Box::new(verifier)]))
        .unwrap();
    assert_eq!((ok.len(), unknown.len()), (1, 1));
    assert_eq!(
        open_checkpoint(&both, ORIGIN, &key.public).unwrap(),
        checkpoint()
    );
}

#[test]
fn we_verify_signed_notes() {
    let key = TestKey::new(3);
    let seed = key.signing.to_bytes();
    let mut material = vec![0x01];
    material.extend_from_slice(&seed);
    let skey = format!(
        "PRIVATE+KEY+{ORIGIN}+{}+{}",
        liaison_ledger::hash::to_hex(&key_id(ORIGIN, &key.public)),
        B64.encode(material)
    );
    let signer = StandardSigner::new(&skey).unwrap();
    let mut n = Note::new(checkpoint().body().as_bytes(), &[]).unwrap();
    n.add_sigs(&[&signer]).unwrap();
    let text = String::from_utf8(n.to_bytes()).unwrap();
    assert_eq!(
        open_checkpoint(&text, ORIGIN, &key.public).unwrap(),
        checkpoint()
    );
    // Ed25519 is deterministic: the same bytes as ours.
    assert_eq!(text, signed(&checkpoint(), &key));
}

fn err(note: &str, key: &TestKey) -> NoteError {
    open_checkpoint(note, ORIGIN, &key.public).unwrap_err()
}

/// Signs arbitrary text as a checkpoint would be, so body errors come after a valid signature.
fn signed_text(text: &str, key: &TestKey) -> String {
    sign_note(text, ORIGIN, &key.public, &|m| key.sign(m))
}

#[test]
fn malformed_notes_are_refused_with_reasons() {
    let key = TestKey::new(4);
    let good = signed(&checkpoint(), &key);
    let root = B64.encode(leaf_hash(b"golden"));

    let no_blank = good.replacen("\n\n", "\n", 1);
    assert_eq!(err(&no_blank, &key), NoteError::NoBlankLine);

    let body_err = |text: &str| match err(&signed_text(text, &key), &key) {
        NoteError::BodyMalformed(m) => m,
        other => panic!("{text:?}: {other:?}"),
    };
    assert!(body_err(&format!("{ORIGIN}\n12x\n{root}\n")).contains("not a plain decimal"));
    assert!(body_err(&format!("{ORIGIN}\n012\n{root}\n")).contains("leading zero"));
    assert!(body_err(&format!("{ORIGIN}\n+12\n{root}\n")).contains("not a plain decimal"));
    assert!(body_err(&format!("{ORIGIN}\n-1\n{root}\n")).contains("not a plain decimal"));
    assert!(body_err(&format!("{ORIGIN}\n99999999999999999999\n{root}\n")).contains("64 bits"));
    let short_root = B64.encode([1u8; 31]);
    assert!(body_err(&format!("{ORIGIN}\n1\n{short_root}\n")).contains("31 bytes"));
    assert!(body_err(&format!("{ORIGIN}\n1\nnot*base64\n")).contains("not base64"));
    assert!(body_err(&format!("{ORIGIN}\n1\n")).contains("2 line"));
    assert!(body_err(&format!("\n1\n{root}\n")).contains("origin line is empty"));
    assert!(body_err(&format!("{ORIGIN}\n1\n{root}\n\next\n")).contains("line 4 is empty"));
    // "0" is the one size allowed to start with a zero.
    let zero = signed_text(&format!("{ORIGIN}\n0\n{root}\n"), &key);
    assert_eq!(open_checkpoint(&zero, ORIGIN, &key.public).unwrap().size, 0);

    // Signature by another key: no line matches this key's id.
    let other = TestKey::new(5);
    assert!(matches!(
        err(&good, &other),
        NoteError::UnknownSigner { .. }
    ));
    // Another name, same key: also unknown.
    assert!(matches!(
        open_checkpoint(&good, "liaison.example/MLI", &key.public),
        Err(NoteError::UnknownSigner { .. })
    ));

    // Body altered after signing.
    let altered = good.replacen("20852163", "20852164", 1);
    assert!(matches!(
        err(&altered, &key),
        NoteError::BadSignature { .. }
    ));
    let altered_root = good.replacen(&B64.encode(leaf_hash(b"golden")), &short_root, 1);
    assert!(matches!(
        err(&altered_root, &key),
        NoteError::BadSignature { .. }
    ));

    // Bad base64 in the signature line.
    let line_start = good.rfind("— ").unwrap();
    let mut bad_b64 = good.clone();
    bad_b64.insert(good.len() - 3, '*');
    assert!(matches!(err(&bad_b64, &key), NoteError::BadBase64 { .. }));
    // A truncated signature: the right key id, a short signature.
    let short_sig = format!(
        "{}— {ORIGIN} {}\n",
        &good[..line_start],
        B64.encode([key_id(ORIGIN, &key.public).as_slice(), &[0u8; 10]].concat())
    );
    assert!(matches!(
        err(&short_sig, &key),
        NoteError::BadSignature { .. }
    ));

    // Trailing garbage, with or without a final newline.
    assert_eq!(
        err(&format!("{good}garbage"), &key),
        NoteError::UnterminatedSignatures
    );
    assert!(matches!(
        err(&format!("{good}garbage\n"), &key),
        NoteError::BadSignatureLine { line: 6, .. }
    ));
    assert_eq!(err(&format!("{good}\n"), &key), NoteError::NoSignatures);
    // Control characters anywhere.
    assert!(matches!(
        err(&good.replacen('\n', "\r\n", 1), &key),
        NoteError::ControlCharacter { byte: 0x0d, .. }
    ));

    // Over the size limit.
    let huge = format!("{}{good}", "x".repeat(MAX_NOTE_BYTES));
    assert!(matches!(err(&huge, &key), NoteError::TooLong { .. }));
    // Too many signature lines.
    let line = good[line_start..].to_string();
    let many = format!("{good}{}", line.repeat(MAX_NOTE_SIGNATURES));
    assert!(matches!(
        err(&many, &key),
        NoteError::TooManySignatures { count: 101, .. }
    ));
    // Messages say what is wrong.
    assert_eq!(
        NoteError::NoBlankLine.to_string(),
        "note has no blank line separating its text from its signatures"
    );
}

#[test]
fn signature_lines_are_listed_and_appended_once() {
    let key = TestKey::new(6);
    let note = signed(&checkpoint(), &key);
    let lines = note_signature_lines(&note).unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].name, ORIGIN);
    assert_eq!(lines[0].key_id, key_id(ORIGIN, &key.public));
    assert_eq!(lines[0].signature, key.sign(checkpoint().body().as_bytes()));
    assert_eq!(note_text(&note).unwrap(), checkpoint().body());

    let own_line = note[note.rfind("— ").unwrap()..].to_string();
    assert_eq!(add_signature_lines(&note, &[own_line]).unwrap(), note);
    assert!(matches!(
        add_signature_lines(&note, &["not a signature".into()]),
        Err(NoteError::BadSignatureLine { .. })
    ));
    assert!(matches!(
        add_signature_lines(&note, &["— a b\n— c d".into()]),
        Err(NoteError::BadSignatureLine { .. })
    ));
    assert!(matches!(
        add_signature_lines(&note, &["— bad+name AAAAAAA=".into()]),
        Err(NoteError::BadKeyName { .. })
    ));
}

#[test]
fn verifier_keys_parse_back() {
    let key = TestKey::new(8);
    let vkey = verifier_key(ORIGIN, &key.public);
    assert_eq!(
        parse_verifier_key(&vkey).unwrap(),
        (ORIGIN.into(), key.public)
    );
    let tampered = vkey.replacen(ORIGIN, "liaison.example/MLI", 1);
    assert!(matches!(
        parse_verifier_key(&tampered),
        Err(NoteError::BadVerifierKey(_))
    ));
    assert!(parse_verifier_key("nope").is_err());
}
