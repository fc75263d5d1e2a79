//! Entries: the golden encoding of one entry per variant (`tests/golden/entries.jsonl`),
//! round trips, refusal of every non-canonical form, and the readable renderings.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use liaison_ledger::entry::event_kinds;
use liaison_ledger::{Entry, EntryError, Event, leaf_hash};
use proptest::prelude::*;

const AT: &str = "2026-03-01T12:00:00Z";
const SHA_A: &str = "ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12cd34ef56ab12";
const SHA_B: &str = "0011223344556677889900112233445566778899001122334455667788990011";

fn e(event: Event) -> Entry {
    Entry {
        at: AT.into(),
        event,
    }
}

fn samples() -> Vec<Entry> {
    let s = |x: &str| x.to_string();
    vec![
        e(Event::IncidentRecorded {
            incident_id: s("DZA-2026-0001"),
            originator: s("DZA"),
            version: 2,
            content_sha256: s(SHA_A),
            by: s("amina"),
        }),
        e(Event::Disclosed {
            recipient: s("MLI"),
            incident_id: s("DZA-2026-0001"),
            originator: s("DZA"),
            version: 2,
            kind: s("release"),
            agreement: Some(s("agr-sahel-1")),
            agreement_version: Some(3),
            applied: vec![s("location:admin1"), s("narrative:dropped")],
            object_sha256: s(SHA_B),
        }),
        e(Event::Received {
            from_peer: s("MLI"),
            originator: s("MLI"),
            incident_id: s("MLI-2026-0042"),
            version: 1,
            object_sha256: s(SHA_A),
        }),
        e(Event::ReceiptIssued {
            to: s("MLI"),
            receipt_sha256: s(SHA_B),
            first_index: 40,
            count: 12,
        }),
        e(Event::ReceiptReceived {
            from: s("NER"),
            receipt_sha256: s(SHA_A),
            count: 3,
        }),
        e(Event::RecallIssued {
            incident_id: s("DZA-2026-0001"),
            version: 3,
            by: s("amina"),
        }),
        e(Event::AttestationReceived {
            from: s("MLI"),
            incident_id: s("DZA-2026-0001"),
            version: 3,
            attestation_sha256: s(SHA_B),
        }),
        e(Event::AgreementChanged {
            change: s("created"),
            agreement: s("agr-sahel-1"),
            version: 1,
            doc_sha256: s(SHA_A),
            recipients: vec![s("MLI"), s("NER")],
            by: s("omar"),
        }),
        e(Event::Reads {
            user: s("analyst.é"),
            incident_ids: vec![s("DZA-2026-0001"), s("MLI-2026-0042")],
        }),
        e(Event::PeerChanged {
            change: s("added"),
            member: s("NER"),
            fingerprint: s("SHA256:abc"),
            by: s("omar"),
        }),
        e(Event::KeyRotated {
            old_fingerprint: s("SHA256:old"),
            new_fingerprint: s("SHA256:new"),
        }),
        e(Event::Cosigned {
            peer: s("MLI"),
            size: 120,
            root: s("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="),
        }),
        e(Event::Alarm {
            peer: s("NER"),
            kind: s("fork"),
            detail: s("size 10 root \"x\"\ttab"),
        }),
        e(Event::Characterised {
            incident_id: s("DZA-2026-0001"),
            member: s("MLI"),
            version: 2,
            category: s("banditry"),
            by: s("amina"),
        }),
        e(Event::Fused {
            fusion_id: s("af4bb33b-6734-5736-8218-99db3b76ea97"),
            claims: vec![s("mli:1@1"), s("ner:2@3")],
            members: vec![s("MLI"), s("NER")],
            agreed_sha256: s(SHA_A),
            by: s("amina"),
        }),
        e(Event::FusionSigned {
            fusion_id: s("af4bb33b-6734-5736-8218-99db3b76ea97"),
            version: 1,
            member: s("MLI"),
            agreed_sha256: s(SHA_A),
            by: s("amina"),
        }),
        e(Event::FusionSplit {
            fusion_id: s("af4bb33b-6734-5736-8218-99db3b76ea97"),
            claims: vec![s("ner:2")],
            parts: vec![],
            members: vec![s("MLI"), s("NER")],
            by: s("amina"),
        }),
        e(Event::ZoneRecorded {
            zone_id: s("menaka-box"),
            version: 2,
            feature_sha256: s(SHA_A),
            by: s("amina"),
        }),
        e(Event::OperationRecorded {
            operation_id: s("sahel-2012:wagadou-forest-2011-06-09"),
            member: s("MLI"),
            version: 1,
            status: s("completed"),
            doc_sha256: s(SHA_A),
            by: s("amina"),
        }),
        e(Event::ForceRecorded {
            force_id: s("force:00112233445566778899aabbccddeeff"),
            member: s("XJC"),
            as_of: s("2010-04-01"),
            doc_sha256: s(SHA_A),
            by: s("amina"),
        }),
        e(Event::SectorRecorded {
            sector_id: s("kidal"),
            version: 3,
            doc_sha256: s(SHA_A),
            by: s("amina"),
        }),
        e(Event::AlertStep {
            alert_id: 7,
            incident_id: s("mli-flash"),
            member: s("MLI"),
            state: s("acknowledged"),
            by: s("karim"),
        }),
    ]
}

#[test]
fn golden_encodings() {
    let entries = samples();
    let kinds: Vec<_> = entries.iter().map(Entry::kind).collect();
    assert_eq!(
        kinds,
        event_kinds().collect::<Vec<_>>(),
        "one sample per variant"
    );
    let mut text = String::new();
    for entry in &entries {
        text.push_str(std::str::from_utf8(&entry.encode()).unwrap());
        text.push('\n');
    }
    let golden = common::golden("entries.jsonl", &text);
    for (line, entry) in golden.lines().zip(&entries) {
        assert_eq!(Entry::decode(line.as_bytes()).unwrap(), *entry);
        assert_eq!(entry.leaf_hash(), leaf_hash(line.as_bytes()));
    }
}

#[test]
fn disclosed_encoding_inline() {
    let d = &samples()[1];
    let want = format!(
        r#"{{"agreement":"agr-sahel-1","agreement_version":3,"applied":["location:admin1","narrative:dropped"],"at":"{AT}","incident_id":"DZA-2026-0001","kind":"release","object_sha256":"{SHA_B}","originator":"DZA","recipient":"MLI","type":"disclosed","v":1,"version":2}}"#
    );
    assert_eq!(String::from_utf8(d.encode()).unwrap(), want);
    let mut none = d.clone();
    if let Event::Disclosed {
        agreement,
        agreement_version,
        ..
    } = &mut none.event
    {
        *agreement = None;
        *agreement_version = None;
    }
    let text = String::from_utf8(none.encode()).unwrap();
    assert!(text.starts_with(r#"{"agreement":null,"agreement_version":null,"#));
    assert_eq!(Entry::decode(text.as_bytes()).unwrap(), none);
}

/// The joint command's kinds, spelled out: their canonical bytes (members sorted by key), a
/// decode back to the same entry, and refusals naming a renamed field, a missing one and a
/// version given as text.
#[test]
fn operations_forces_and_sectors_encodings() {
    let s = samples();
    let cases = [
        (
            &s[18],
            format!(
                r#"{{"at":"{AT}","by":"amina","doc_sha256":"{SHA_A}","member":"MLI","operation_id":"sahel-2012:wagadou-forest-2011-06-09","status":"completed","type":"operation_recorded","v":1,"version":1}}"#
            ),
        ),
        (
            &s[19],
            format!(
                r#"{{"as_of":"2010-04-01","at":"{AT}","by":"amina","doc_sha256":"{SHA_A}","force_id":"force:00112233445566778899aabbccddeeff","member":"XJC","type":"force_recorded","v":1}}"#
            ),
        ),
        (
            &s[20],
            format!(
                r#"{{"at":"{AT}","by":"amina","doc_sha256":"{SHA_A}","sector_id":"kidal","type":"sector_recorded","v":1,"version":3}}"#
            ),
        ),
    ];
    for (entry, bytes) in cases {
        assert_eq!(String::from_utf8(entry.encode()).unwrap(), bytes);
        assert_eq!(Entry::decode(bytes.as_bytes()).unwrap(), *entry);
        let renamed = bytes.replacen(r#""by":"#, r#""bx":"#, 1);
        assert_eq!(
            refuse(&renamed),
            EntryError::UnknownField("bx".into()),
            "{renamed}"
        );
        let without = bytes.replacen(r#""doc_sha256":"#, r#""zzz":"#, 1);
        assert!(
            matches!(
                refuse(&without),
                EntryError::UnknownField(_) | EntryError::MissingField(_)
            ),
            "{without}"
        );
    }
    let text = version_as_text(&s[20]);
    assert!(matches!(refuse(&text), EntryError::Invalid(_)), "{text}");
}

fn version_as_text(entry: &Entry) -> String {
    String::from_utf8(entry.encode())
        .unwrap()
        .replace(r#""version":3"#, r#""version":"3""#)
}

fn refuse(bytes: &str) -> EntryError {
    Entry::decode(bytes.as_bytes()).unwrap_err()
}

#[test]
fn non_canonical_bytes_are_refused() {
    let good = String::from_utf8(samples()[5].encode()).unwrap();
    assert_eq!(
        good,
        format!(
            r#"{{"at":"{AT}","by":"amina","incident_id":"DZA-2026-0001","type":"recall_issued","v":1,"version":3}}"#
        )
    );
    // Whitespace.
    let spaced = good.replacen(",", ", ", 1);
    assert!(
        matches!(refuse(&spaced), EntryError::NotCanonical { offset, .. } if offset == good.find(',').unwrap() + 1)
    );
    assert!(matches!(
        refuse(&format!("{good}\n")),
        EntryError::NotCanonical { .. }
    ));
    assert!(matches!(
        refuse(&format!(" {good}")),
        EntryError::NotCanonical { offset: 0, .. }
    ));
    // Unsorted keys: "by" moved after "incident_id".
    let unsorted = good.replacen(
        r#""by":"amina","incident_id":"DZA-2026-0001""#,
        r#""incident_id":"DZA-2026-0001","by":"amina""#,
        1,
    );
    let err = refuse(&unsorted);
    assert!(matches!(err, EntryError::NotCanonical { .. }), "{err}");
    assert!(err.to_string().contains("sorted"));
    // Needless escape.
    assert!(matches!(
        refuse(&good.replacen("amina", "\\u0061mina", 1)),
        EntryError::NotCanonical { .. }
    ));
    // Unknown type, missing field, unknown field, bad value types, versions.
    assert_eq!(
        refuse(&good.replacen("recall_issued", "recall_made", 1)),
        EntryError::UnknownType("`recall_made`".into())
    );
    assert_eq!(
        refuse(&good.replacen(r#""by":"amina","#, "", 1)),
        EntryError::MissingField("by".into())
    );
    assert_eq!(
        refuse(&good.replacen(r#""at":"#, r#""aa":1,"at":"#, 1)),
        EntryError::UnknownField("aa".into())
    );
    assert!(matches!(
        refuse(&good.replacen(r#""version":3"#, r#""version":"3""#, 1)),
        EntryError::Invalid(_)
    ));
    assert!(matches!(
        refuse(&good.replacen(r#""version":3"#, r#""version":3.0"#, 1)),
        EntryError::Invalid(_)
    ));
    assert_eq!(
        refuse(&good.replacen(r#","v":1"#, "", 1)),
        EntryError::MissingField("v".into())
    );
    assert_eq!(
        refuse(&good.replacen(r#""v":1"#, r#""v":2"#, 1)),
        EntryError::UnsupportedVersion("2".into())
    );
    assert_eq!(
        refuse(&good.replacen(r#""type":"recall_issued","#, "", 1)),
        EntryError::MissingField("type".into())
    );
    // A duplicated key parses (the last wins) but is not the canonical form.
    let dup = good.replacen(r#""by":"amina","#, r#""by":"x","by":"amina","#, 1);
    assert!(matches!(refuse(&dup), EntryError::NotCanonical { .. }));
    // Not JSON, not an object.
    assert!(matches!(refuse("{"), EntryError::Json(_)));
    assert_eq!(refuse("[1]"), EntryError::NotAnObject);
    // Missing option keys are missing fields, not nulls.
    let d = String::from_utf8(samples()[1].encode()).unwrap();
    assert_eq!(
        refuse(&d.replacen(r#""agreement":"agr-sahel-1","#, "", 1)),
        EntryError::MissingField("agreement".into())
    );
    let err = refuse(&spaced);
    assert!(err.to_string().contains("whitespace"), "{err}");
}

#[test]
fn concerns_and_summaries() {
    let s = samples();
    assert_eq!(s[1].concerns(), vec!["MLI", "DZA"]);
    assert_eq!(s[2].concerns(), vec!["MLI"]);
    assert_eq!(s[7].concerns(), vec!["MLI", "NER"]);
    assert!(s[10].concerns().is_empty());
    assert_eq!(
        s[1].summary(),
        "disclosed DZA-2026-0001 v2 to MLI under agr-sahel-1@3 (location:admin1, narrative:dropped), object sha256 001122334455…"
    );
    assert_eq!(
        s[8].summary(),
        "analyst.é read 2 incident(s): DZA-2026-0001, MLI-2026-0042"
    );
    assert_eq!(
        s[12].summary(),
        "ALARM fork on peer NER: size 10 root \"x\"\ttab"
    );
    assert_eq!(s[13].concerns(), vec!["MLI"]);
    assert_eq!(
        s[13].summary(),
        "MLI characterised DZA-2026-0001 as banditry (reading v2), by amina"
    );
    assert_eq!(s[14].concerns(), vec!["MLI", "NER"]);
    assert_eq!(
        s[14].summary(),
        "fused 2 claims of MLI, NER into af4bb33b-6734-5736-8218-99db3b76ea97, agreed version v1 sha256 ab12cd34ef56…, by amina"
    );
    assert_eq!(s[15].concerns(), vec!["MLI"]);
    assert_eq!(
        s[16].summary(),
        "split af4bb33b-6734-5736-8218-99db3b76ea97: ner:2 left, by amina"
    );
    assert!(s[17].concerns().is_empty(), "a node's own record");
    assert_eq!(
        s[17].summary(),
        "zone menaka-box recorded (v2, sha256 ab12cd34ef56…), by amina"
    );
    assert_eq!(s[18].concerns(), vec!["MLI"], "the declaring member's");
    assert_eq!(
        s[18].summary(),
        "operation sahel-2012:wagadou-forest-2011-06-09 of MLI recorded (v1, completed, sha256 ab12cd34ef56…), by amina"
    );
    assert_eq!(s[19].concerns(), vec!["XJC"]);
    assert!(s[20].concerns().is_empty(), "a node's own record");
    assert_eq!(
        s[20].summary(),
        "sector kidal recorded (v3, sha256 ab12cd34ef56…), by amina"
    );
    for entry in &s {
        assert!(!entry.summary().is_empty());
        assert!(!entry.summary().contains('\n'), "{}", entry.summary());
    }
}

proptest! {
    #[test]
    fn any_strings_round_trip(
        at in ".*",
        id in ".*",
        by in "\\PC*",
        version in any::<i64>(),
        ids in proptest::collection::vec(".*", 0..4),
        count in any::<u64>(),
    ) {
        let entries = [
            Entry { at: at.clone(), event: Event::RecallIssued { incident_id: id.clone(), version, by: by.clone() } },
            Entry { at: at.clone(), event: Event::Reads { user: by.clone(), incident_ids: ids.clone() } },
            Entry { at, event: Event::ReceiptIssued { to: id, receipt_sha256: by, first_index: count, count } },
        ];
        for entry in entries {
            let bytes = entry.encode();
            prop_assert_eq!(Entry::decode(&bytes).unwrap(), entry.clone());
            // serde_json reads the same value back: the encoding is plain JSON.
            let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
            prop_assert_eq!(v["v"].as_u64(), Some(1));
        }
    }
}
