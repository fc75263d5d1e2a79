//! Zones on both engines: the node's own zones stored and versioned beside the built-in ones, a
//! built-in id refused, the zone filter (new incidents, moved incidents, a zone redrawn), an
//! unknown zone refused by name, and statistics grouped by zone, month and type, where an
//! incident in two overlapping zones counts in both.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::date::parse_iso_date;
use liaison_core::{
    CountryCode, DatePrecision, DateSpan, GeoPoint, Incident, IncidentContent, IncidentFilter,
    IncidentId, Location, LocationPrecision, Markings, StatsDimension, SubType,
};
use liaison_geo::zones::{Zone, builtin_zone, parse_zones};
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

fn incident(i: u32, sub_type: SubType, date: &str, point: Option<(f64, f64)>) -> Incident {
    let start = parse_iso_date(date).unwrap();
    let content = IncidentContent {
        title: format!("Incident {i}"),
        sub_type,
        date: DateSpan {
            start,
            end: start,
            precision: DatePrecision::Day,
        },
        location: Location {
            point: point.map(|(lat, lon)| GeoPoint { lat, lon }),
            precision: if point.is_some() {
                LocationPrecision::Exact
            } else {
                LocationPrecision::Country
            },
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
    Incident::new(
        IncidentId::parse(&format!("test:{i}")).unwrap(),
        code("MLI"),
        1,
        content,
    )
}

/// A square zone of `half` degrees around (lat, lon).
fn square(id: &str, lat: f64, lon: f64, half: f64) -> Zone {
    let ring = format!(
        "[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]",
        w = lon - half,
        e = lon + half,
        s = lat - half,
        n = lat + half
    );
    let text = format!(
        r#"{{"type":"Feature","properties":{{"id":"{id}","name":"Square {id}"}},
            "geometry":{{"type":"Polygon","coordinates":[{ring}]}}}}"#
    );
    parse_zones(&text).unwrap().remove(0)
}

fn in_zone(zone: &str) -> IncidentFilter {
    IncidentFilter {
        zone: Some(zone.to_owned()),
        ..Default::default()
    }
}

async fn ids(store: &Store, filter: &IncidentFilter) -> Vec<String> {
    let page = store.list_incidents(filter, 100, None).await.unwrap();
    let mut ids: Vec<String> = page
        .incidents
        .iter()
        .map(|i| i.id.as_str().to_owned())
        .collect();
    ids.sort();
    ids
}

async fn stored_redrawn_and_filtered(store: &Store) {
    // 1 and 2 inside the square around (16, 0), 3 outside it, 4 without a point.
    for inc in [
        incident(1, SubType::ArmedAttack, "2012-01-10", Some((16.1, 0.1))),
        incident(2, SubType::Kidnapping, "2012-02-10", Some((15.8, -0.2))),
        incident(3, SubType::ArmedAttack, "2012-02-11", Some((18.0, 1.0))),
        incident(4, SubType::ArmedAttack, "2012-02-12", None),
    ] {
        store.create_incident(&inc, "amina", at(0)).await.unwrap();
    }
    // An unknown zone is refused by name, with the known ones listed.
    match store.list_incidents(&in_zone("nowhere"), 10, None).await {
        Err(StoreError::Invalid { field, message }) => {
            assert_eq!(field, "zone");
            assert!(message.contains("liptako-gourma"), "{message}");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    // A built-in zone's id cannot be taken by the node.
    let taken = square("liptako-gourma", 16.0, 0.0, 0.5);
    assert!(matches!(
        store
            .add_zone(&taken, "2023-11-14T22:13:20Z", "amina")
            .await,
        Err(StoreError::Invalid { .. })
    ));

    let zone = square("gao-square", 16.0, 0.0, 0.5);
    let logged_before = store.ledger_head().await.unwrap().size;
    assert_eq!(
        store
            .add_zone(&zone, "2023-11-14T22:13:20Z", "amina")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        ids(store, &in_zone("gao-square")).await,
        ["test:1", "test:2"]
    );
    // The zone's recording is in the ledger.
    assert_eq!(store.ledger_head().await.unwrap().size, logged_before + 1);

    // An incident recorded after the zone is placed on the next query, and one moved out of the
    // zone leaves it.
    store
        .create_incident(
            &incident(5, SubType::Bombing, "2012-03-01", Some((16.2, 0.2))),
            "amina",
            at(1),
        )
        .await
        .unwrap();
    let mut moved = incident(2, SubType::Kidnapping, "2012-02-10", Some((19.0, 3.0)));
    moved.version = 2;
    store.update_incident(&moved, "amina", at(2)).await.unwrap();
    assert_eq!(
        ids(store, &in_zone("gao-square")).await,
        ["test:1", "test:5"]
    );

    // Redrawn: version 2 replaces the shape, version 1 is kept, membership follows the shape.
    let wider = square("gao-square", 17.0, 0.5, 1.1);
    assert_eq!(
        store
            .add_zone(&wider, "2023-11-14T22:13:21Z", "amina")
            .await
            .unwrap(),
        2
    );
    assert_eq!(
        ids(store, &in_zone("gao-square")).await,
        ["test:1", "test:3", "test:5"]
    );
    let held = store.node_zones().await.unwrap();
    assert_eq!(held.len(), 1);
    assert_eq!(
        (held[0].zone.id.as_str(), held[0].version),
        ("gao-square", 2)
    );
    assert_eq!(held[0].zone, wider);
    assert_eq!(store.zone("gao-square").await.unwrap(), Some(wider));
    assert!(store.zone("liptako-gourma").await.unwrap().is_some());
    assert!(store.zone("nowhere").await.unwrap().is_none());
    let all = store.zones().await.unwrap();
    assert!(all.iter().any(|z| z.id == "liptako-gourma"));
    assert!(all.iter().any(|z| z.id == "gao-square"));
}
on_both!(
    zones_stored_redrawn_and_filtered,
    stored_redrawn_and_filtered
);

async fn grouped_by_zone(store: &Store) {
    let liptako = builtin_zone("liptako-gourma").unwrap();
    // A point the built-in Liptako-Gourma zone holds, and a node zone drawn around it too.
    let (lat, lon) = (14.9, 0.5);
    assert!(liptako.contains(lat, lon));
    for inc in [
        incident(1, SubType::ArmedAttack, "2020-01-10", Some((lat, lon))),
        incident(
            2,
            SubType::ArmedAttack,
            "2020-01-20",
            Some((lat, lon + 0.01)),
        ),
        incident(3, SubType::Kidnapping, "2020-02-05", Some((lat, lon))),
        incident(4, SubType::ArmedAttack, "2020-02-06", Some((30.0, 30.0))),
    ] {
        store.create_incident(&inc, "amina", at(0)).await.unwrap();
    }
    store
        .add_zone(
            &square("menaka-box", lat, lon, 0.2),
            "2023-11-14T22:13:20Z",
            "amina",
        )
        .await
        .unwrap();
    let rows = store
        .stats(
            &IncidentFilter::default(),
            &[
                StatsDimension::Zone,
                StatsDimension::Month,
                StatsDimension::Type,
            ],
        )
        .await
        .unwrap();
    let got: Vec<(&str, &str, &str, u64)> = rows
        .iter()
        .map(|r| {
            (
                r.zone.as_deref().unwrap(),
                r.month.as_deref().unwrap(),
                r.event_type.as_deref().unwrap(),
                r.incidents,
            )
        })
        .collect();
    let attack = SubType::ArmedAttack.event_type().as_str();
    let kidnap = SubType::Kidnapping.event_type().as_str();
    let mut want = vec![
        ("liptako-gourma", "2020-01", attack, 2),
        ("liptako-gourma", "2020-02", kidnap, 1),
        ("menaka-box", "2020-01", attack, 2),
        ("menaka-box", "2020-02", kidnap, 1),
    ];
    want.sort();
    assert_eq!(got, want, "incident 4 lies in no zone and is in no row");
    // The zone filter and the zone dimension together.
    let rows = store
        .stats(&in_zone("menaka-box"), &[StatsDimension::Zone])
        .await
        .unwrap();
    let got: Vec<(&str, u64)> = rows
        .iter()
        .map(|r| (r.zone.as_deref().unwrap(), r.incidents))
        .collect();
    assert_eq!(got, [("liptako-gourma", 3), ("menaka-box", 3)]);
    // Zone with a text search: the membership join must not confuse the row numbers.
    let rows = store
        .stats(
            &IncidentFilter {
                text: Some("Incident".into()),
                ..in_zone("liptako-gourma")
            },
            &[StatsDimension::Zone, StatsDimension::Country],
        )
        .await
        .unwrap();
    assert_eq!(rows.iter().map(|r| r.incidents).sum::<u64>(), 6);
}
on_both!(zones_grouped, grouped_by_zone);
