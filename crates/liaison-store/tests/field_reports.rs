//! Field reports on both engines: a readable report kept with its draft, an unreadable one kept
//! with its reason (nothing lost), listing by status, accepting a draft (the incident and the
//! status in one transaction, logged in the ledger), rejecting, and reviews that cannot happen
//! twice.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::field_report::{ResolvedPlace, parse};
use liaison_core::{
    CountryCode, GeoPoint, Incident, IncidentContent, IncidentId, Lang, LocationPrecision,
};
use liaison_store::{ReportStatus, Store, StoreError};
use time::OffsetDateTime;

#[macro_use]
mod common;

fn at(s: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_326_000_000 + s).unwrap()
}

fn draft(text: &str) -> IncidentContent {
    let report = parse(text, at(0).date()).unwrap();
    let place = ResolvedPlace {
        point: GeoPoint {
            lat: 16.27,
            lon: -0.04,
        },
        country: Some(CountryCode::parse("MLI").unwrap()),
        place_name: Some("Gao".into()),
        admin1: Some("Gao".into()),
        precision: LocationPrecision::Near,
    };
    report.draft(&place, "patrol-7", text, Lang::Fr)
}

async fn kept_reviewed_and_never_twice(store: &Store) {
    let good = "ATK @Gao 05/01 K2 A:MUJAO / embuscade";
    let first = store
        .record_field_report("patrol-7", good, Ok(&draft(good)), at(1))
        .await
        .unwrap();
    let bad = "ATK Gao yesterday";
    let second = store
        .record_field_report(
            "+223 70 00 00 00",
            bad,
            Err("word 2 'Gao': not understood"),
            at(2),
        )
        .await
        .unwrap();
    assert!(second > first);

    let drafts = store
        .field_reports(Some(ReportStatus::Draft), 10)
        .await
        .unwrap();
    assert_eq!(drafts.len(), 1);
    assert_eq!(drafts[0].text, good);
    assert_eq!(drafts[0].draft.as_ref().unwrap(), &draft(good));
    let unreadable = store.field_report(second).await.unwrap();
    assert_eq!(unreadable.status, ReportStatus::Unreadable);
    assert_eq!(unreadable.text, bad, "the text is kept as it came");
    assert!(unreadable.error.unwrap().contains("not understood"));
    let all = store.field_reports(None, 10).await.unwrap();
    assert_eq!(
        all.iter().map(|r| r.id).collect::<Vec<_>>(),
        [second, first],
        "newest first"
    );

    let head_before = store.ledger_head().await.unwrap().size;
    let incident = Incident::new(
        IncidentId::parse(&format!("report:{first}")).unwrap(),
        CountryCode::parse("MLI").unwrap(),
        1,
        draft(good),
    );
    store
        .accept_field_report(first, &incident, "amina", at(3))
        .await
        .unwrap();
    let accepted = store.field_report(first).await.unwrap();
    assert_eq!(accepted.status, ReportStatus::Accepted);
    assert_eq!(accepted.incident_id.as_deref(), Some(incident.id.as_str()));
    assert_eq!(accepted.reviewed_by.as_deref(), Some("amina"));
    assert_eq!(
        store.get_incident(&incident.id).await.unwrap().id,
        incident.id
    );
    assert!(store.ledger_head().await.unwrap().size > head_before);

    // Twice: refused, and nothing changes.
    match store
        .accept_field_report(first, &incident, "amina", at(4))
        .await
    {
        Err(StoreError::Conflict(m)) => assert!(m.contains("accepted"), "{m}"),
        other => panic!("{other:?}"),
    }
    match store
        .reject_field_report(first, "duplicate", "amina", at(4))
        .await
    {
        Err(StoreError::Conflict(_)) => {}
        other => panic!("{other:?}"),
    }
    store
        .reject_field_report(second, "unreadable, sender called back", "amina", at(5))
        .await
        .unwrap();
    let rejected = store.field_report(second).await.unwrap();
    assert_eq!(rejected.status, ReportStatus::Rejected);
    assert_eq!(
        rejected.review_note.as_deref(),
        Some("unreadable, sender called back")
    );
    assert!(matches!(
        store.field_report(9_999).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.reject_field_report(9_999, "x", "amina", at(6)).await,
        Err(StoreError::NotFound)
    ));
}
on_both!(
    field_reports_kept_and_reviewed,
    kept_reviewed_and_never_twice
);

async fn an_accept_that_fails_changes_nothing(store: &Store) {
    let text = "KID @Gao 05/01 H2";
    let id = store
        .record_field_report("patrol-7", text, Ok(&draft(text)), at(1))
        .await
        .unwrap();
    // The incident id is taken: the report stays a draft.
    let incident = Incident::new(
        IncidentId::parse("report:taken").unwrap(),
        CountryCode::parse("MLI").unwrap(),
        1,
        draft(text),
    );
    store
        .create_incident(&incident, "amina", at(2))
        .await
        .unwrap();
    assert!(matches!(
        store
            .accept_field_report(id, &incident, "amina", at(3))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(
        store.field_report(id).await.unwrap().status,
        ReportStatus::Draft
    );
}
on_both!(
    field_reports_accept_is_all_or_nothing,
    an_accept_that_fails_changes_nothing
);
