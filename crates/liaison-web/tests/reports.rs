//! The field-report screen: a plain form (no script) that analysts post a report through, kept
//! as a draft or as unreadable with the reason, the latest reports listed with what each was
//! read as, accepting a draft into an incident, rejecting, reviews that cannot happen twice,
//! and roles that may not open it; in English and in French.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{Client, csrf_of, node};

#[tokio::test]
async fn an_analyst_sends_and_reviews_field_reports() {
    let node = node().await;
    let mut c = Client::new(&node);
    c.sign_in("amadou").await;
    let empty = c.page("/ui/reports").await;
    assert!(empty.contains("id=\"no-reports\""), "{empty}");
    assert!(empty.contains("maxlength=\"160\""));
    assert!(!empty.contains("<script"), "the 2G form needs no script");
    assert!(empty.contains("href=\"/ui/reports\" aria-current=\"page\""));
    let csrf = csrf_of(&empty);

    let sent = c
        .post(
            "/ui/reports",
            &[
                ("csrf", &csrf),
                (
                    "text",
                    "ATK @Aguelhok 17/11 06:30 K3 W2 A:AQIM / poste attaqué",
                ),
                ("from", "+223 70 00 00 00"),
                ("lang", "fr"),
            ],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    assert_eq!(sent.location(), "/ui/reports?done=draft&id=1");
    let list = c.page(sent.location()).await;
    assert!(
        list.contains("Report 1 was read and kept as a draft"),
        "{list}"
    );
    assert!(list.contains("Armed attack · "), "{list}");
    assert!(list.contains("Aguelhok MLI · 3 killed"), "{list}");
    assert!(list.contains("id=\"accept-1\""));

    let bad = c
        .post(
            "/ui/reports",
            &[
                ("csrf", &csrf),
                ("text", "ATK @Gao hier"),
                ("from", "patrol-2"),
            ],
        )
        .await;
    assert_eq!(bad.location(), "/ui/reports?done=unreadable&id=2");
    let list = c.page(bad.location()).await;
    assert!(list.contains("word 3 &#39;hier&#39;"), "{list}");
    assert!(
        !list.contains("id=\"accept-2\""),
        "an unreadable report cannot be accepted"
    );

    // Missing fields: the form comes back with the problems named and the text kept.
    let again = c
        .post(
            "/ui/reports",
            &[("csrf", &csrf), ("text", "KID @Gao 17/11"), ("from", " ")],
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(
        again.body.contains("Say who sent the report."),
        "{}",
        again.body
    );
    assert!(again.body.contains(">KID @Gao 17/11</textarea>"));

    let accepted = c.post("/ui/reports/1/accept", &[("csrf", &csrf)]).await;
    assert_eq!(
        accepted.location(),
        "/ui/reports?done=accepted&id=1&incident=mli-report-1"
    );
    let list = c.page(accepted.location()).await;
    assert!(
        list.contains("href=\"/ui/incidents/mli-report-1\""),
        "{list}"
    );
    let incident = c.page("/ui/incidents/mli-report-1").await;
    assert!(incident.contains("Aguelhok"), "{incident}");
    let twice = c.post("/ui/reports/1/accept", &[("csrf", &csrf)]).await;
    assert!(
        twice.body.contains("already been reviewed"),
        "{}",
        twice.body
    );

    let no_reason = c
        .post("/ui/reports/2/reject", &[("csrf", &csrf), ("reason", "")])
        .await;
    assert!(no_reason.body.contains("Say why the report is rejected."));
    let rejected = c
        .post(
            "/ui/reports/2/reject",
            &[("csrf", &csrf), ("reason", "sender called back")],
        )
        .await;
    assert_eq!(rejected.location(), "/ui/reports?done=rejected&id=2");

    // A forged post without the session's token is refused.
    let forged = c
        .post(
            "/ui/reports",
            &[("csrf", "x"), ("text", "ATK @Gao 17/11"), ("from", "x")],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    c.accept_language = "fr";
    let fr = c.page("/ui/reports").await;
    assert!(fr.contains("Comptes rendus de terrain"), "{fr}");
    assert!(fr.contains("rejeté"), "{fr}");
}

#[tokio::test]
async fn read_only_roles_do_not_see_the_screen() {
    let node = node().await;
    for name in ["awa", "karim"] {
        let mut c = Client::new(&node);
        c.sign_in(name).await;
        let map = c.page("/ui/").await;
        assert!(!map.contains("/ui/reports"), "{name}");
        assert_eq!(c.get("/ui/reports").await.status, StatusCode::FORBIDDEN);
    }
}
