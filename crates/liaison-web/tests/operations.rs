//! The operations screen: declared operations with their members, windows and linked incidents,
//! a conflict between two members' operations shown once and said to both, a border notice that
//! carries no objective, and the pledged-versus-committed table; every role may read it, in
//! English and in French.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{Client, NOW, node};
use liaison_ops::{Deconflictor, Force, Operation};

fn op(json: serde_json::Value) -> Operation {
    serde_json::from_value(json).unwrap()
}

#[tokio::test]
async fn the_joint_picture_of_operations_and_forces() {
    let node = node().await;
    let mut c = Client::new(&node);
    c.sign_in("karim").await;
    let empty = c.page("/ui/operations").await;
    assert!(empty.contains("id=\"no-operations\"") && empty.contains("id=\"no-conflicts\""));

    // Mali near the Algerian border, Niger over the same ground on overlapping days.
    let mli = op(serde_json::json!({"id": "op-mli-1", "member": "MLI",
        "area": {"type": "bbox", "bbox": [0.9, 20.6, 1.1, 20.8]},
        "from": "2026-11-01", "to": "2026-11-10", "kind": "patrol",
        "objective": "secret: escort of a convoy"}));
    let ner = op(serde_json::json!({"id": "op-ner-1", "member": "NER",
        "area": {"type": "bbox", "bbox": [1.0, 20.5, 1.4, 20.7]},
        "from": "2026-11-08", "to": "2026-11-20", "kind": "search"}));
    for o in [&mli, &ner] {
        let declared: Vec<Operation> = node
            .store
            .operations()
            .await
            .unwrap()
            .into_iter()
            .map(|r| r.operation)
            .collect();
        let (_, notices) = Deconflictor::new(&declared).check(o);
        node.store
            .record_operation(o, &notices, NOW, "root")
            .await
            .unwrap();
    }
    let base = liaison_ops::forces::base_forces();
    assert_eq!(base.len(), 2);
    let added = node.store.add_forces(&base, NOW, "root").await.unwrap();
    assert_eq!(added, 2, "{base:?}");
    assert_eq!(node.store.forces(None).await.unwrap().len(), 2);
    let committed: Force = serde_json::from_value(serde_json::json!({
        "member": "MLI", "unit_type": "infantry", "pledged": 0, "committed": 1200,
        "deployed": 800, "as_of": "2026-11-01", "source": "test"}))
    .unwrap();
    node.store
        .add_forces(&[committed], NOW, "root")
        .await
        .unwrap();

    let page = c.page("/ui/operations").await;
    assert!(page.contains("href=\"/ui/operations\" aria-current=\"page\""));
    // The conflict, once, said to both members.
    assert_eq!(page.matches("badge bad\">conflict").count(), 1, "{page}");
    assert!(page.contains("reported to MLI, NER"), "{page}");
    // Notices to Algeria name where and when, never the objective.
    assert!(page.contains("To DZA: MLI operates in"), "{page}");
    let notices = &page[page.find("id=\"notices\"").unwrap()..];
    let notices = &notices[..notices.find("</ul>").unwrap()];
    assert!(!notices.contains("secret"), "{notices}");
    // The objective is shown on the declaring node's own list.
    assert!(page.contains("secret: escort of a convoy"));
    // Forces: the joint command's pledge and Mali's commitment.
    assert!(
        page.contains("<th scope=\"row\">XJC</th><td class=\"num\">75,000</td>"),
        "{page}"
    );
    assert!(
        page.contains(
            "<th scope=\"row\">MLI</th><td class=\"num\">0</td><td class=\"num\">1,200</td>"
        ),
        "{page}"
    );

    c.accept_language = "fr";
    let fr = c.page("/ui/operations").await;
    assert!(
        fr.contains("Opérations déclarées") && fr.contains("signalé à MLI, NER"),
        "{fr}"
    );
}
