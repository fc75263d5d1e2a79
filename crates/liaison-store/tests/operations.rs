//! Operations, notices, links and forces on both engines: versions (a change is a new version,
//! a repeat writes nothing, only the declaring member may change an operation), notices kept
//! per version and recipient, links checked to exist, force records idempotent and all or
//! nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::date::parse_iso_date;
use liaison_core::{
    CountryCode, DatePrecision, DateSpan, GeoPoint, Incident, IncidentContent, IncidentId,
    Location, LocationPrecision, Markings, SubType,
};
use liaison_ops::{Area, Deconflictor, Force, Kind, Operation, Status, UnitType};
use liaison_store::{Store, StoreError};
use time::OffsetDateTime;

#[macro_use]
mod common;

fn at(s: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_700_000_000 + s).unwrap()
}

fn code(c: &str) -> CountryCode {
    CountryCode::parse(c).unwrap()
}

fn incident(id: &str) -> Incident {
    let day = parse_iso_date("2011-06-09").unwrap();
    let content = IncidentContent {
        title: "Attack on a camp".into(),
        sub_type: SubType::JointOperation,
        date: DateSpan {
            start: day,
            end: day,
            precision: DatePrecision::Day,
        },
        location: Location {
            point: Some(GeoPoint {
                lat: 15.2,
                lon: -6.8,
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
    Incident::new(IncidentId::parse(id).unwrap(), code("MLI"), 1, content)
}

fn operation(id: &str, member: &str, bbox: [f64; 4]) -> Operation {
    Operation {
        id: id.into(),
        member: code(member),
        participants: vec![],
        area: Area::Bbox { bbox },
        from: parse_iso_date("2026-03-01").unwrap(),
        to: parse_iso_date("2026-03-10").unwrap(),
        kind: Kind::Patrol,
        objective: Some("not for neighbours".into()),
        status: Status::Planned,
        notice_kind: false,
    }
}

async fn versions_and_notices(store: &Store) {
    // Near the Algerian border, north of Tessalit: gives DZA a notice.
    let op = operation("mli-1", "MLI", [0.85, 20.75, 0.95, 20.85]);
    let notices = Deconflictor::new(&[]).notices(&op);
    assert_eq!(notices.len(), 1);
    let w = store.record_operation(&op, &notices, at(0), "amina").await;
    let w = w.unwrap();
    assert_eq!((w.version, w.changed), (1, true));
    // Again, unchanged: nothing written.
    let again = store
        .record_operation(&op, &notices, at(1), "amina")
        .await
        .unwrap();
    assert_eq!((again.version, again.changed), (1, false));
    // A status change is a new version, with its own notices.
    let mut active = op.clone();
    active.status = Status::Active;
    let w2 = store
        .record_operation(&active, &notices, at(2), "amina")
        .await
        .unwrap();
    assert_eq!((w2.version, w2.changed), (2, true));
    let row = store.operation("mli-1").await.unwrap().unwrap();
    assert_eq!(row.version, 2);
    assert_eq!(row.operation.status, Status::Active);
    let versions = store.operation_versions("mli-1").await.unwrap();
    assert_eq!(versions.len(), 2);
    assert_eq!(versions[0].operation.status, Status::Planned);
    let all = store.operation_notices(None).await.unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!((all[0].version, all[1].version), (1, 2));
    let to_dza = store.operation_notices(Some(&code("DZA"))).await.unwrap();
    assert_eq!(to_dza.len(), 2);
    assert!(
        store
            .operation_notices(Some(&code("NER")))
            .await
            .unwrap()
            .is_empty()
    );
    let content = serde_json::to_value(&to_dza[0].content).unwrap();
    assert!(content.get("objective").is_none() && content.get("kind").is_none());
    assert_eq!(content["declared_by"], "MLI");
    // Only the declaring member may change it.
    let mut stolen = op.clone();
    stolen.member = code("NER");
    let err = store
        .record_operation(&stolen, &[], at(3), "x")
        .await
        .unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    // Refused input names the field and writes nothing.
    let mut bad = operation("mli-2", "MLI", [1.0, 20.0, 0.0, 21.0]);
    bad.objective = None;
    match store
        .record_operation(&bad, &[], at(4), "x")
        .await
        .unwrap_err()
    {
        StoreError::Invalid { field, .. } => assert_eq!(field, "area.bbox"),
        e => panic!("{e}"),
    }
    assert_eq!(store.operations().await.unwrap().len(), 1);
    // Notices of another operation are refused.
    let other = operation("mli-3", "MLI", [0.0, 15.0, 1.0, 16.0]);
    assert!(
        store
            .record_operation(&other, &notices, at(5), "x")
            .await
            .is_err()
    );
    assert!(store.operation("mli-3").await.unwrap().is_none());
}
on_both!(operations_versions_and_notices, versions_and_notices);

async fn links(store: &Store) {
    store
        .create_incident(&incident("test:wagadou"), "amina", at(0))
        .await
        .unwrap();
    for id in ["a-op", "b-op"] {
        store
            .record_operation(
                &operation(id, "MLI", [-7.0, 15.0, -6.5, 15.4]),
                &[],
                at(0),
                "amina",
            )
            .await
            .unwrap();
    }
    assert!(
        store
            .link_operation("b-op", "test:wagadou", at(1), "amina")
            .await
            .unwrap()
    );
    assert!(
        !store
            .link_operation("b-op", "test:wagadou", at(2), "amina")
            .await
            .unwrap()
    );
    match store
        .link_operation("nope", "test:wagadou", at(1), "a")
        .await
        .unwrap_err()
    {
        StoreError::Invalid { field, .. } => assert_eq!(field, "operation"),
        e => panic!("{e}"),
    }
    match store
        .link_operation("b-op", "test:nope", at(1), "a")
        .await
        .unwrap_err()
    {
        StoreError::Invalid { field, .. } => assert_eq!(field, "incident"),
        e => panic!("{e}"),
    }
    let ops = store.operations().await.unwrap();
    assert_eq!(ops[0].incidents, Vec::<String>::new());
    assert_eq!(ops[1].incidents, ["test:wagadou"]);
    assert_eq!(
        store.operation("b-op").await.unwrap().unwrap().incidents,
        ["test:wagadou"]
    );
    assert_eq!(
        store.incident_operations("test:wagadou").await.unwrap(),
        ["b-op"]
    );
}
on_both!(operations_links, links);

fn force(member: &str, committed: u32, as_of: &str) -> Force {
    Force {
        id: None,
        member: code(member),
        unit_type: UnitType::Infantry,
        zone: Some("liptako-gourma".into()),
        pledged: 1000,
        committed,
        deployed: 0,
        as_of: parse_iso_date(as_of).unwrap(),
        source: "test".into(),
    }
}

async fn forces(store: &Store) {
    let records = [
        force("MLI", 0, "2011-01-01"),
        force("MLI", 500, "2011-06-01"),
        force("NER", 10, "2011-01-01"),
    ];
    assert_eq!(store.add_forces(&records, at(0), "amina").await.unwrap(), 3);
    // The same records again: kept once.
    assert_eq!(store.add_forces(&records, at(1), "amina").await.unwrap(), 0);
    // The base records carry their own ids.
    let base = liaison_ops::forces::base_forces();
    assert_eq!(store.add_forces(&base, at(2), "scenario").await.unwrap(), 2);
    assert_eq!(store.add_forces(&base, at(3), "scenario").await.unwrap(), 0);
    let all = store.forces(None).await.unwrap();
    assert_eq!(all.len(), 5);
    assert_eq!(all[1].committed, 500);
    assert!(all.iter().all(|f| f.id.is_some()));
    assert_eq!(store.forces(Some(&code("MLI"))).await.unwrap().len(), 2);
    // One bad record refuses all.
    let mut bad = force("DZA", 0, "2011-01-01");
    bad.deployed = 5;
    match store
        .add_forces(&[force("DZA", 1, "2011-01-01"), bad], at(4), "a")
        .await
        .unwrap_err()
    {
        StoreError::Invalid { field, .. } => assert_eq!(field, "[1].deployed"),
        e => panic!("{e}"),
    }
    assert!(store.forces(Some(&code("DZA"))).await.unwrap().is_empty());
    let view = liaison_ops::forces::view(&all, &[]);
    let mli = view
        .members
        .iter()
        .find(|m| m.member.as_str() == "MLI")
        .unwrap();
    assert_eq!((mli.totals.pledged, mli.totals.committed), (1000, 500));
}
on_both!(operations_forces, forces);
