//! Fused incidents on both engines: recording (skipping what exists, what is taken and what a
//! split kept apart), the pool of claims, sign-offs by the node key (verified here), splits that
//! record where each claim went, and the ledger entries each write appends.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::sync::Arc;

use base64::Engine as _;
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use liaison_core::date::parse_iso_date;
use liaison_core::{
    CountryCode, DatePrecision, DateSpan, GeoPoint, Incident, IncidentContent, IncidentId,
    Location, LocationPrecision, Markings, SubType,
};
use liaison_store::{FusionClaim, FusionOutcome, LedgerSigner, NewFusion, Store, StoreError};
use time::OffsetDateTime;

#[macro_use]
mod common;

fn at(s: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_700_000_000 + s).unwrap()
}

fn code(c: &str) -> CountryCode {
    CountryCode::parse(c).unwrap()
}

fn id(s: &str) -> IncidentId {
    IncidentId::parse(s).unwrap()
}

fn incident(i: &str, origin: &str, day: &str) -> Incident {
    let start = parse_iso_date(day).unwrap();
    let content = IncidentContent {
        title: format!("Incident {i}"),
        sub_type: SubType::ArmedAttack,
        date: DateSpan {
            start,
            end: start,
            precision: DatePrecision::Day,
        },
        location: Location {
            point: Some(GeoPoint {
                lat: 16.0,
                lon: 0.0,
            }),
            precision: LocationPrecision::Exact,
            place_name: None,
            admin1: None,
            admin2: None,
            country: Some(code("MLI")),
            coordinates_country: None,
        },
        actors: vec![],
        casualties: Default::default(),
        narrative: None,
        sources: vec![],
        markings: Markings::open(),
        provenance: None,
    };
    Incident::new(id(i), code(origin), 1, content)
}

fn new_fusion(fid: &str, claims: &[(&str, &str)]) -> NewFusion {
    NewFusion {
        id: fid.into(),
        window_json: r#"{"km":25.0,"days":2}"#.into(),
        claims: claims
            .iter()
            .map(|(i, o)| FusionClaim {
                incident_id: id(i),
                originator: code(o),
                version: 1,
            })
            .collect(),
        agreed_doc: format!(r#"{{"fusion":"{fid}"}}"#),
        agreed_sha256: "ab".repeat(32),
    }
}

fn signed(store: &Store, member: &str) -> (Store, SigningKey) {
    let key = SigningKey::from_bytes(&[7u8; 32]);
    let signing = key.clone();
    let mut s = store.clone();
    s.set_ledger_signer(LedgerSigner {
        member: member.into(),
        origin: format!("liaison/{member}"),
        public_key: key.verifying_key().to_bytes(),
        sign: Arc::new(move |m: &[u8]| signing.sign(m).to_bytes()),
    });
    (s, key)
}

async fn setup(store: &Store) {
    for (i, o, d) in [
        ("mli:1", "MLI", "2020-01-05"),
        ("ner:1", "NER", "2020-01-05"),
        ("bfa:1", "BFA", "2020-01-06"),
        ("mli:2", "MLI", "2021-06-01"),
        ("ner:2", "NER", "2021-06-01"),
    ] {
        store
            .create_incident(&incident(i, o, d), "amina", at(0))
            .await
            .unwrap();
    }
}

async fn record_list_show_and_pool(store: &Store) {
    let (store, _) = signed(store, "MLI");
    setup(&store).await;
    assert_eq!(store.fusion_pool(None, None).await.unwrap().len(), 5);
    let from = parse_iso_date("2021-01-01").ok();
    assert_eq!(store.fusion_pool(from, None).await.unwrap().len(), 2);

    let f1 = new_fusion("f1", &[("mli:1", "MLI"), ("ner:1", "NER")]);
    let out = store
        .record_fusions(std::slice::from_ref(&f1), "amina", at(1))
        .await
        .unwrap();
    assert_eq!(out, vec![("f1".to_string(), FusionOutcome::Recorded)]);
    // Never re-recorded; a claim already fused is taken.
    let f1b = new_fusion("f1b", &[("ner:1", "NER"), ("bfa:1", "BFA")]);
    let out = store
        .record_fusions(&[f1, f1b], "amina", at(2))
        .await
        .unwrap();
    assert_eq!(out[0].1, FusionOutcome::Exists);
    assert_eq!(
        out[1].1,
        FusionOutcome::ClaimTaken {
            claim: "ner:1".into(),
            fusion: "f1".into()
        }
    );
    // Claims in an active fused incident leave the pool.
    let pool: Vec<String> = store
        .fusion_pool(None, None)
        .await
        .unwrap()
        .iter()
        .map(|i| i.id.to_string())
        .collect();
    assert_eq!(pool, vec!["bfa:1", "mli:2", "ner:2"]);

    let list = store.fusions().await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].status, "active");
    assert_eq!(list[0].seq, 1);
    assert_eq!(list[0].claims.len(), 2);
    let d = store.fusion("f1").await.unwrap();
    assert_eq!(d.versions.len(), 1);
    assert_eq!(d.versions[0].doc, r#"{"fusion":"f1"}"#);
    assert!(d.signoffs.is_empty() && d.split.is_empty());
    assert!(matches!(
        store.fusion("nope").await,
        Err(StoreError::NotFound)
    ));

    let head = store.ledger_head().await.unwrap().size;
    let log = store.ledger_entries(0, head).await.unwrap();
    let fused: Vec<_> = log.iter().filter(|e| e.kind == "fused").collect();
    assert_eq!(fused.len(), 1);
    assert_eq!(fused[0].concerns, vec!["MLI", "NER"]);
    assert!(
        fused[0].entry.contains(r#""claims":["mli:1@1","ner:1@1"]"#),
        "{}",
        fused[0].entry
    );
}

async fn sign_and_split(store: &Store) {
    let (store, key) = signed(store, "MLI");
    setup(&store).await;
    let f = new_fusion(
        "f3",
        &[("mli:1", "MLI"), ("ner:1", "NER"), ("bfa:1", "BFA")],
    );
    store.record_fusions(&[f], "amina", at(1)).await.unwrap();

    let s = store.sign_fusion("f3", "amina", at(2)).await.unwrap();
    assert_eq!((s.version, s.member.as_str()), (1, "MLI"));
    let b64 = base64::engine::general_purpose::STANDARD;
    let sig = Signature::from_slice(&b64.decode(&s.signature).unwrap()).unwrap();
    let pk: [u8; 32] = b64.decode(&s.public_key).unwrap().try_into().unwrap();
    assert_eq!(pk, key.verifying_key().to_bytes());
    VerifyingKey::from_bytes(&pk)
        .unwrap()
        .verify(br#"{"fusion":"f3"}"#, &sig)
        .unwrap();
    // Once per version; unknown ids are not found.
    assert!(matches!(
        store.sign_fusion("f3", "amina", at(3)).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.sign_fusion("zz", "amina", at(3)).await,
        Err(StoreError::NotFound)
    ));
    // A member with no claim in it cannot sign.
    let (dza, _) = signed(&store, "DZA");
    let err = dza.sign_fusion("f3", "amina", at(3)).await.unwrap_err();
    assert!(err.to_string().contains("DZA has no claim"), "{err}");

    // Split: bfa:1 leaves; mli:1 + ner:1 stay together as a new fused incident.
    let err = store
        .split_fusion("f3", &[id("mli:2")], &[], "amina", at(4))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("mli:2 is not a claim"), "{err}");
    let err = store
        .split_fusion(
            "f3",
            &[id("mli:1"), id("ner:1"), id("bfa:1")],
            &[],
            "amina",
            at(4),
        )
        .await
        .unwrap_err();
    assert!(err.to_string().contains("some but not all"), "{err}");
    let part = new_fusion("p1", &[("mli:1", "MLI"), ("ner:1", "NER")]);
    let rows = store
        .split_fusion("f3", &[id("bfa:1")], &[part], "amina", at(5))
        .await
        .unwrap();
    let went: Vec<(String, Option<String>)> = rows
        .iter()
        .map(|r| (r.incident_id.to_string(), r.part_id.clone()))
        .collect();
    assert_eq!(
        went,
        vec![
            ("bfa:1".into(), None),
            ("mli:1".into(), Some("p1".into())),
            ("ner:1".into(), Some("p1".into()))
        ]
    );
    let d = store.fusion("f3").await.unwrap();
    assert_eq!(d.fusion.status, "split");
    assert_eq!(d.signoffs.len(), 1, "sign-offs are kept");
    assert!(matches!(
        store
            .split_fusion("f3", &[id("bfa:1")], &[], "amina", at(6))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store.sign_fusion("f3", "amina", at(6)).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.fusion("p1").await.unwrap().fusion.status, "active");
    let apart = store.kept_apart_pairs().await.unwrap();
    assert_eq!(
        apart,
        vec![(id("bfa:1"), id("mli:1")), (id("bfa:1"), id("ner:1"))]
    );
    // A kept-apart pair is never recorded together again.
    let again = new_fusion(
        "f4",
        &[("bfa:1", "BFA"), ("mli:2", "MLI"), ("mli:1", "MLI")],
    );
    let out = store
        .record_fusions(&[again], "amina", at(7))
        .await
        .unwrap();
    assert!(
        matches!(
            &out[0].1,
            FusionOutcome::ClaimTaken { .. } | FusionOutcome::KeptApart { .. }
        ),
        "{out:?}"
    );
    let again = new_fusion("f5", &[("bfa:1", "BFA"), ("ner:2", "NER")]);
    assert_eq!(
        store
            .record_fusions(&[again], "amina", at(8))
            .await
            .unwrap()[0]
            .1,
        FusionOutcome::Recorded
    );

    let head = store.ledger_head().await.unwrap().size;
    let log = store.ledger_entries(0, head).await.unwrap();
    let kinds: Vec<&str> = log
        .iter()
        .map(|e| e.kind.as_str())
        .filter(|k| k.starts_with("fus"))
        .collect();
    assert_eq!(
        kinds,
        vec!["fused", "fusion_signed", "fusion_split", "fused", "fused"]
    );
    let split = log.iter().find(|e| e.kind == "fusion_split").unwrap();
    assert!(
        split.entry.contains(r#""claims":["bfa:1"]"#),
        "{}",
        split.entry
    );
    assert!(split.entry.contains(r#""parts":["p1"]"#), "{}", split.entry);
}

on_both!(fusions_record, record_list_show_and_pool);
on_both!(fusions_sign_split, sign_and_split);
