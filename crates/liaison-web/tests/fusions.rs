//! The fused-incident screens: the list, each member's claim side by side with the agreed
//! version and the fields that differ marked, who has signed and who is awaited, the sign
//! button only for this node's analysts while its member has not signed, in English and French.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{Client, NOW, api_create, content, node, signed};
use liaison_core::{CountryCode, Incident, IncidentId};
use liaison_fusion::{KeptApart, Window, agreed_version, fuse};
use liaison_store::Store;

/// Mali's report (through the API) and Niger's report of the same ambush (as if received).
async fn fused(store: &Store, node: &common::TestNode) -> String {
    let mli = api_create(
        node,
        &content(
            "Embuscade près de Ménaka",
            "armed_attack",
            "2026-11-20",
            (15.92, 2.40),
            4,
        ),
    )
    .await;
    let mut ner_content: liaison_core::IncidentContent = serde_json::from_value(content(
        "Ambush near Menaka",
        "armed_attack",
        "2026-11-21",
        (15.95, 2.43),
        6,
    ))
    .unwrap();
    ner_content.location.country = Some(CountryCode::parse("MLI").unwrap());
    let ner = Incident::new(
        IncidentId::parse("ner-0042").unwrap(),
        CountryCode::parse("NER").unwrap(),
        1,
        ner_content,
    );
    store.create_incident(&ner, "sync", NOW).await.unwrap();
    let claims = vec![
        store
            .get_incident(&IncidentId::parse(&mli).unwrap())
            .await
            .unwrap(),
        ner,
    ];
    let found = fuse(&claims, &Window::default(), &KeptApart::default()).unwrap();
    assert_eq!(found.clusters.len(), 1, "the two reports are one event");
    let refs: Vec<&Incident> = claims.iter().collect();
    let v = agreed_version(&found.clusters[0].id, &refs).unwrap();
    let window = serde_json::to_string(&Window::default()).unwrap();
    let new = liaison_server::fusions::new_fusion(&v, &window);
    store.record_fusions(&[new], "amadou", NOW).await.unwrap();
    v.fusion
}

#[tokio::test]
async fn claims_side_by_side_and_sign_offs() {
    let node = node().await;
    let mut c = Client::new(&node);
    c.sign_in("amadou").await;
    let empty = c.page("/ui/fusions").await;
    assert!(empty.contains("id=\"no-fusions\""), "{empty}");

    let id = fused(&node.store, &node).await;
    let list = c.page("/ui/fusions").await;
    assert!(
        list.contains(&format!("href=\"/ui/fusions/{id}\"")),
        "{list}"
    );
    assert!(list.contains("<td>MLI, NER</td>"), "{list}");

    let page = c.page(&format!("/ui/fusions/{id}")).await;
    // One column per member's claim, then the agreed version.
    assert!(
        page.contains("href=\"/ui/incidents/ner-0042\">NER</a>"),
        "{page}"
    );
    assert!(page.contains(">MLI</a>"), "{page}");
    // The dates and the death tolls differ and are marked; the agreed toll is the median.
    assert!(page.contains("<tr class=\"differs\">"), "{page}");
    assert!(page.contains("<strong>5 (4–6)</strong>"), "{page}");
    assert!(page.contains("Awaiting: MLI, NER"), "{page}");
    assert!(
        page.contains("id=\"sign-fusion\""),
        "MLI's analyst may sign"
    );

    // Signed by this node's member (with its key): MLI no longer awaited, no button.
    signed(&node.store)
        .sign_fusion(&id, "amadou", NOW)
        .await
        .unwrap();
    let page = c.page(&format!("/ui/fusions/{id}")).await;
    assert!(page.contains("MLI signed v1"), "{page}");
    assert!(page.contains("Awaiting: NER"), "{page}");
    assert!(!page.contains("id=\"sign-fusion\""));

    c.accept_language = "fr";
    let fr = c.page(&format!("/ui/fusions/{id}")).await;
    assert!(
        fr.contains("Version convenue") && fr.contains("En attente : NER"),
        "{fr}"
    );

    assert_eq!(
        c.get("/ui/fusions/not-a-uuid").await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        c.get("/ui/fusions/00000000-0000-5000-8000-000000000000")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn read_only_roles_see_fusions_without_the_sign_button() {
    let node = node().await;
    let id = fused(&node.store, &node).await;
    let mut c = Client::new(&node);
    c.sign_in("awa").await;
    let page = c.page(&format!("/ui/fusions/{id}")).await;
    assert!(page.contains("Awaiting: MLI, NER"));
    assert!(
        !page.contains("id=\"sign-fusion\""),
        "an auditor cannot sign"
    );
    let forged = c
        .post(&format!("/ui/fusions/{id}/sign"), &[("csrf", "x")])
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}
