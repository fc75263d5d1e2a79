//! Deconfliction notices between nodes, in one process: Mali declares an operation at the
//! Algeria–Mali–Niger tri-point; the notices go through the egress policy — to Niger, which an
//! agreement in force names, and not to Algeria, which none does — signed by Mali; Niger records
//! the notice as Mali's operation, so its own operation over the same ground is reported as a
//! conflict on Niger's node; a repeat records nothing; a notice forged for another member is
//! refused whole.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_ops::{Area, Deconflictor, Kind, Operation, Status};
use liaison_sync::client::{Node as SyncNode, SyncOptions, Transport, WireRequest};
use liaison_sync::httpsig::sign_request;
use serde_json::json;
use time::macros::date;

mod common;
use common::*;

fn operation(id: &str, member: &str, bbox: [f64; 4]) -> Operation {
    Operation {
        id: id.into(),
        member: code(member),
        participants: Vec::new(),
        area: Area::Bbox { bbox },
        from: date!(2012 - 02 - 01),
        to: date!(2012 - 02 - 10),
        kind: Kind::Patrol,
        objective: Some("Intercept the convoy reported at In Khalil".into()),
        status: Status::Planned,
        notice_kind: false,
    }
}

/// The policy compiled from the node's stored agreements, as the CLI's sync does.
async fn policy_of(n: &TestNode) -> liaison_policy::Policy {
    let agreements: Vec<_> = n
        .store
        .agreements()
        .await
        .unwrap()
        .iter()
        .map(|a| serde_json::from_str(&a.doc).unwrap())
        .collect();
    liaison_policy::Policy::compile(&n.member, &agreements).unwrap()
}

#[tokio::test]
async fn notices_go_under_agreements_and_become_the_neighbours_operations() {
    let clock = Clock::new();
    let (mli, dza, ner) = (
        node("MLI", 1, &clock).await,
        node("DZA", 2, &clock).await,
        node("NER", 3, &clock).await,
    );
    mesh(&[&mli, &dza, &ner], &clock).await;
    agree(
        &mli,
        json!({"id": "mli-ner", "originator": "MLI", "recipients": ["NER"],
        "title": "Mali shares with Niger"}),
        &clock,
    )
    .await;

    // Mali's operation near the tri-point gives notices to both neighbours.
    let op = operation("op-tripoint", "MLI", [3.9, 18.9, 4.2, 19.2]);
    let (_, notices) = Deconflictor::new(&[]).check(&op);
    let mut to: Vec<&str> = notices.iter().map(|n| n.recipient.as_str()).collect();
    to.sort_unstable();
    assert_eq!(to, ["DZA", "NER"]);
    mli.store
        .record_operation(&op, &notices, clock.now(), "analyst")
        .await
        .unwrap();

    let ring = keyring(&mli).await;
    let sync = SyncNode {
        store: &mli.store,
        own: &mli.member,
        key: &mli.key,
        keyring: &ring,
    };
    let policy = policy_of(&mli).await;
    let c = clock.clone();
    let now = move || c.now();
    let opts = SyncOptions::default();
    // Niger: named by an agreement in force, so delivered. Algeria: held back.
    let to_ner = sync
        .deliver_notices(&ner.member, &policy, &InProcess(&ner.app), &opts, &now)
        .await
        .unwrap();
    assert_eq!(to_ner, (1, 0));
    let to_dza = sync
        .deliver_notices(&dza.member, &policy, &InProcess(&dza.app), &opts, &now)
        .await
        .unwrap();
    assert_eq!(to_dza, (0, 1));
    assert!(dza.store.operations().await.unwrap().is_empty());
    let kept = mli.store.operation_notices(None).await.unwrap();
    let delivered: Vec<(&str, bool)> = kept
        .iter()
        .map(|n| (n.recipient.as_str(), n.delivered_at.is_some()))
        .collect();
    assert!(delivered.contains(&("NER", true)) && delivered.contains(&("DZA", false)));
    // Nothing more to deliver to Niger.
    assert_eq!(
        sync.deliver_notices(&ner.member, &policy, &InProcess(&ner.app), &opts, &now)
            .await
            .unwrap(),
        (0, 0)
    );

    // Niger holds Mali's operation: the area and window, never the objective.
    let held = ner.store.operations().await.unwrap();
    assert_eq!(held.len(), 1);
    let theirs = &held[0].operation;
    assert_eq!(theirs.id, "MLI:op-tripoint");
    assert_eq!(theirs.member.as_str(), "MLI");
    assert_eq!(theirs.area, op.area);
    assert_eq!((theirs.from, theirs.to), (op.from, op.to));
    assert_eq!(theirs.objective, None);
    assert_eq!(theirs.kind, Kind::Unspecified, "the kind was not given");

    // Niger's own patrol over the same ground conflicts with Mali's, on Niger's node.
    let declared: Vec<Operation> = held.iter().map(|r| r.operation.clone()).collect();
    let mine = operation("op-assamaka", "NER", [4.0, 18.8, 4.4, 19.1]);
    let (conflicts, _) = Deconflictor::new(&declared).check(&mine);
    assert_eq!(conflicts.len(), 1, "{conflicts:?}");

    // A notice signed by Algeria but claiming to be Mali's is refused whole.
    let forged = liaison_policy::release_notice(
        &liaison_policy::Policy::compile(
            &dza.member,
            &[
                serde_json::from_value(json!({"id": "dza-ner", "originator": "DZA",
                "recipients": ["NER"], "title": "t"}))
                .unwrap(),
            ],
        )
        .unwrap(),
        &dza.key,
        &liaison_policy::NoticeMessage {
            recipient: ner.member.clone(),
            operation_id: "op-fake".into(),
            version: 1,
            content: serde_json::to_value(&notices[0].content).unwrap(),
        },
        clock.now(),
        clock.now().date(),
    )
    .unwrap()
    .unwrap();
    // Algeria posts it to its own inbox on Niger's node, signed as Algeria.
    let inbox = format!(
        "{}collections/{}/objects/",
        liaison_sync::client::api_root(&dza.member),
        liaison_sync::client::INBOX_COLLECTION
    );
    let body = serde_json::to_vec(&json!({"objects": [forged.object()]})).unwrap();
    let h = sign_request(
        "POST",
        &inbox,
        "",
        &body,
        &dza.member,
        &dza.key,
        clock.now().unix_timestamp(),
    );
    let refused = InProcess(&ner.app)
        .send(WireRequest {
            method: "POST",
            path: inbox,
            query: String::new(),
            headers: vec![
                ("signature-input".into(), h.signature_input),
                ("signature".into(), h.signature),
                ("content-digest".into(), h.content_digest),
                ("liaison-peer".into(), h.peer),
                (
                    "content-type".into(),
                    "application/taxii+json;version=2.1".into(),
                ),
            ],
            body,
        })
        .await
        .unwrap();
    assert_eq!(
        refused.status,
        400,
        "{}",
        String::from_utf8_lossy(&refused.body)
    );
    let logged = ner.store.refusals(10).await.unwrap();
    assert!(
        logged.iter().any(|r| r.reason.contains("declaring member")),
        "{logged:?}"
    );
    assert_eq!(ner.store.operations().await.unwrap().len(), 1);
}
