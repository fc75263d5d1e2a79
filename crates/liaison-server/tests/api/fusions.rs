//! Fused incidents over the API: every role lists and reads them (claims, agreement, the agreed
//! version, who signed); analysts and admins sign as this node's member (MLI) and split; other
//! roles get 403 whether or not the id exists; unknown and malformed ids are the same 404.

use std::sync::Arc;

use liaison_core::{Incident, IncidentContent, IncidentId};
use liaison_fusion::{KeptApart, Window, agreed_version, fuse};
use liaison_store::{FusionClaim, LedgerSigner, NewFusion};
use sha2::{Digest, Sha256};

use super::*;

/// A node holding MLI's and NER's reports of two events, fused, whose store signs with a
/// stand-in key (real Ed25519 signatures are checked in the store's and the CLI's tests).
async fn fused() -> (Node, Vec<String>) {
    let n = node().await;
    let mut store = n.store.clone();
    store.set_ledger_signer(LedgerSigner {
        member: "MLI".into(),
        origin: "liaison/MLI".into(),
        public_key: [9u8; 32],
        sign: Arc::new(|m: &[u8]| {
            let mut s = [0u8; 64];
            s[..32].copy_from_slice(&Sha256::digest(m));
            s
        }),
    });
    let events = [
        ("Raid on a village", "2012-01-17", GAO, 3),
        ("Ambush", "2013-01-20", NIAMEY, 2),
    ];
    for (i, (title, day, at, dead)) in events.iter().enumerate() {
        for (origin, extra) in [("MLI", 0), ("NER", 1)] {
            let c: IncidentContent =
                serde_json::from_value(content(title, "armed_attack", day, *at, dead + extra))
                    .unwrap();
            let id = IncidentId::parse(&format!("{}-{i}", origin.to_lowercase())).unwrap();
            let inc = Incident::new(id, CountryCode::parse(origin).unwrap(), 1, c);
            store.create_incident(&inc, "amadou", NOW).await.unwrap();
        }
    }
    let pool = store.fusion_pool(None, None).await.unwrap();
    let f = fuse(&pool, &Window::default(), &KeptApart::new()).unwrap();
    let mut new = Vec::new();
    for c in &f.clusters {
        let claims: Vec<&Incident> = pool.iter().filter(|i| c.claims.contains(&i.id)).collect();
        let v = agreed_version(&c.id, &claims).unwrap();
        new.push(NewFusion {
            id: c.id.clone(),
            window_json: serde_json::to_string(&Window::default()).unwrap(),
            claims: v
                .claims
                .iter()
                .map(|r| FusionClaim {
                    incident_id: r.id.clone(),
                    originator: r.originator.clone(),
                    version: i64::from(r.version),
                })
                .collect(),
            agreed_doc: String::from_utf8(v.canonical_bytes()).unwrap(),
            agreed_sha256: v.sha256_hex(),
        });
    }
    store.record_fusions(&new, "amadou", NOW).await.unwrap();
    let ids = new.iter().map(|n| n.id.clone()).collect();
    let state = AppState {
        store: store.clone(),
        member: CountryCode::parse("MLI").unwrap(),
        clock: Arc::new(|| NOW),
        new_id: Arc::new(|| "0001".into()),
    };
    (
        Node {
            app: router(state),
            store,
            _dir: n._dir,
        },
        ids,
    )
}

#[tokio::test]
async fn every_role_reads_fused_incidents() {
    let (n, ids) = fused().await;
    assert_eq!(ids.len(), 2);
    for token in [ANALYST, ADMIN, AUDITOR, LIAISON] {
        let a = get(&n.app, "/api/v1/fusions", token).await;
        assert_eq!(a.status, StatusCode::OK, "{}", a.json());
        let list = a.json();
        assert_eq!(list.as_array().unwrap().len(), 2);
        assert_eq!(list[0]["members"], json!(["MLI", "NER"]));
        assert_eq!(list[0]["signed"], json!([]));
    }
    let a = get(&n.app, &format!("/api/v1/fusions/{}", ids[0]), AUDITOR).await;
    assert_eq!(a.status, StatusCode::OK, "{}", a.json());
    let v = a.json();
    assert_eq!(v["status"], "active");
    assert_eq!(v["differing"], json!(["fatalities"]));
    assert_eq!(
        v["comparison"]["fatalities"]["differ"][1]["originator"],
        "NER"
    );
    assert_eq!(v["agreed"]["version"], 1);
    assert_eq!(v["agreed"]["doc"]["fusion"], ids[0].as_str());
    assert_eq!(v["awaiting"], json!(["MLI", "NER"]));
    assert_eq!(v["claims"][0]["current_version"], 1);
    // Unknown and malformed ids: the same 404.
    let unknown = get(
        &n.app,
        "/api/v1/fusions/00000000-0000-5000-8000-000000000000",
        ANALYST,
    )
    .await;
    let malformed = get(&n.app, "/api/v1/fusions/not-a-uuid", ANALYST).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert_eq!(unknown.bytes, malformed.bytes);
}

#[tokio::test]
async fn writers_sign_and_split_others_are_refused_alike() {
    let (n, ids) = fused().await;
    let sign = format!("/api/v1/fusions/{}/signoffs", ids[0]);
    let unknown = "/api/v1/fusions/00000000-0000-5000-8000-000000000000/signoffs";
    // Roles that may not write: 403 whether or not the fused incident exists.
    for token in [AUDITOR, LIAISON] {
        let a = post(&n.app, &sign, token, &json!({})).await;
        let b = post(&n.app, unknown, token, &json!({})).await;
        assert_eq!(a.status, StatusCode::FORBIDDEN);
        assert_eq!(a.bytes, b.bytes);
    }
    assert_eq!(
        post(&n.app, unknown, ANALYST, &json!({})).await.status,
        StatusCode::NOT_FOUND
    );
    let a = post(&n.app, &sign, ANALYST, &json!({})).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    assert_eq!(a.json()["member"], "MLI");
    assert_eq!(a.json()["signed_by"], "amadou");
    let a = post(&n.app, &sign, ADMIN, &json!({})).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.json());
    let v = get(&n.app, &format!("/api/v1/fusions/{}", ids[0]), LIAISON)
        .await
        .json();
    assert_eq!(v["awaiting"], json!(["NER"]));
    assert_eq!(v["signoffs"][0]["member"], "MLI");

    let split = format!("/api/v1/fusions/{}/split", ids[0]);
    let a = post(&n.app, &split, LIAISON, &json!({"claims": ["ner-0"]})).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    let a = post(&n.app, &split, ANALYST, &json!({"claims": ["ner-1"]})).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.json());
    assert_eq!(a.fields(), vec!["claims"]);
    let a = post(&n.app, &split, ANALYST, &json!({"claims": []})).await;
    assert_eq!(a.status, StatusCode::BAD_REQUEST, "{}", a.json());
    let a = post(&n.app, &split, ANALYST, &json!({"claims": ["ner-0"]})).await;
    assert_eq!(a.status, StatusCode::CREATED, "{}", a.json());
    assert_eq!(a.json()["parts"], json!([]));
    let a = post(&n.app, &split, ANALYST, &json!({"claims": ["ner-0"]})).await;
    assert_eq!(a.status, StatusCode::CONFLICT, "{}", a.json());
    let v = get(&n.app, &format!("/api/v1/fusions/{}", ids[0]), ANALYST)
        .await
        .json();
    assert_eq!(v["status"], "split");
    assert_eq!(n.store.kept_apart_pairs().await.unwrap().len(), 1);
}
