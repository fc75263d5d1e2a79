//! Characterisations on both engines: versions per member (nothing overwritten), current
//! readings side by side, history, divergences, the "as characterised by X" filter and the
//! `category` statistics dimension, and the ledger entry each reading appends.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::date::parse_iso_date;
use liaison_core::{
    Category, Characterisation, Confidence, CountryCode, DatePrecision, DateSpan, GeoPoint,
    Incident, IncidentContent, IncidentFilter, IncidentId, Location, LocationPrecision, Markings,
    StatsDimension, SubType,
};
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

fn id(i: u32) -> IncidentId {
    IncidentId::parse(&format!("test:{i}")).unwrap()
}

fn incident(i: u32) -> Incident {
    let start = parse_iso_date("2012-01-01").unwrap() + time::Duration::days(i64::from(i) * 40);
    let content = IncidentContent {
        title: format!("Incident {i}"),
        sub_type: SubType::Kidnapping,
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
    Incident::new(id(i), code("MLI"), 1, content)
}

fn reading(i: u32, member: &str, category: Category) -> Characterisation {
    Characterisation {
        incident_id: id(i),
        member: code(member),
        category,
        confidence: Confidence::Moderate,
        rationale: format!("{member} reads {i} as {}", category.as_str()),
        national_term: None,
    }
}

async fn setup(store: &Store) {
    for i in 0..4 {
        store
            .create_incident(&incident(i), "amina", at(0))
            .await
            .unwrap();
    }
}

async fn versions_and_side_by_side(store: &Store) {
    setup(store).await;
    let mut dza = reading(0, "DZA", Category::Terrorism);
    dza.confidence = Confidence::High;
    dza.national_term = Some("  irhab ".into());
    assert_eq!(store.characterise(&dza, "amina", at(1)).await.unwrap(), 1);
    let mli = reading(0, "MLI", Category::Banditry);
    assert_eq!(store.characterise(&mli, "omar", at(2)).await.unwrap(), 1);
    // Mali changes its mind: a second version, the first is kept.
    let mli2 = reading(0, "MLI", Category::Insurgency);
    assert_eq!(store.characterise(&mli2, "omar", at(3)).await.unwrap(), 2);

    let current = store.characterisations_of(&id(0)).await.unwrap();
    let summary: Vec<(&str, Category, i64)> = current
        .iter()
        .map(|r| (r.member.as_str(), r.category, r.version))
        .collect();
    assert_eq!(
        summary,
        [
            ("DZA", Category::Terrorism, 1),
            ("MLI", Category::Insurgency, 2)
        ]
    );
    assert_eq!(current[0].national_term.as_deref(), Some("irhab"));
    assert_eq!(current[0].confidence, Confidence::High);
    assert_eq!(current[0].recorded_by, "amina");
    assert_eq!(current[1].recorded_at, "2023-11-14T22:13:23Z");

    let history = store.characterisation_history(&id(0)).await.unwrap();
    let cats: Vec<(&str, i64, Category)> = history
        .iter()
        .map(|r| (r.member.as_str(), r.version, r.category))
        .collect();
    assert_eq!(
        cats,
        [
            ("DZA", 1, Category::Terrorism),
            ("MLI", 1, Category::Banditry),
            ("MLI", 2, Category::Insurgency)
        ]
    );
    assert!(store.characterisations_of(&id(1)).await.unwrap().is_empty());

    // Readings never touch the incident.
    assert_eq!(store.get_incident(&id(0)).await.unwrap(), incident(0));

    // Every reading is in the ledger.
    let head = store.ledger_head().await.unwrap().size;
    let log = store.ledger_entries(0, head).await.unwrap();
    let readings: Vec<&str> = log
        .iter()
        .filter(|e| e.kind == "characterised")
        .map(|e| e.entry.as_str())
        .collect();
    assert_eq!(readings.len(), 3);
    assert!(
        readings[2].contains(r#""category":"insurgency""#),
        "{}",
        readings[2]
    );
    assert!(readings[2].contains(r#""member":"MLI""#), "{}", readings[2]);
}
on_both!(characterisations_versions, versions_and_side_by_side);

async fn refusals(store: &Store) {
    setup(store).await;
    let unknown = reading(99, "MLI", Category::Banditry);
    assert!(matches!(
        store.characterise(&unknown, "omar", at(1)).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.characterisations_of(&id(99)).await,
        Err(StoreError::NotFound)
    ));
    let mut empty = reading(0, "MLI", Category::Banditry);
    empty.rationale = "  ".into();
    match store.characterise(&empty, "omar", at(1)).await {
        Err(StoreError::Invalid { field, .. }) => assert_eq!(field, "rationale"),
        other => panic!("{other:?}"),
    }
    assert!(
        store
            .characterisation_history(&id(0))
            .await
            .unwrap()
            .is_empty()
    );
    let head = store.ledger_head().await.unwrap().size;
    let log = store.ledger_entries(0, head).await.unwrap();
    assert!(log.iter().all(|e| e.kind != "characterised"));
}
on_both!(characterisations_refusals, refusals);

async fn divergences_filters_and_stats(store: &Store) {
    setup(store).await;
    let w = |i, m, c| reading(i, m, c);
    // 0: DZA terrorism, MLI banditry, NER trafficking → diverges.
    // 1: DZA terrorism, MLI terrorism → agrees.
    // 2: MLI banditry then terrorism, DZA terrorism → agrees now (MLI changed its mind).
    // 3: only NER → nothing to compare.
    let writes = [
        w(0, "DZA", Category::Terrorism),
        w(0, "MLI", Category::Banditry),
        w(0, "NER", Category::Trafficking),
        w(1, "DZA", Category::Terrorism),
        w(1, "MLI", Category::Terrorism),
        w(2, "MLI", Category::Banditry),
        w(2, "DZA", Category::Terrorism),
        w(2, "MLI", Category::Terrorism),
        w(3, "NER", Category::Banditry),
    ];
    for (n, c) in writes.iter().enumerate() {
        store.characterise(c, "x", at(n as i64)).await.unwrap();
    }
    let d = store.divergences(100).await.unwrap();
    assert_eq!(d.len(), 1);
    assert_eq!(d[0].incident_id, id(0));
    let members: Vec<(&str, Category)> = d[0]
        .readings
        .iter()
        .map(|r| (r.member.as_str(), r.category))
        .collect();
    assert_eq!(
        members,
        [
            ("DZA", Category::Terrorism),
            ("MLI", Category::Banditry),
            ("NER", Category::Trafficking)
        ]
    );

    // As characterised by MLI.
    let ids = |page: liaison_store::Page| -> Vec<String> {
        let mut v: Vec<String> = page.incidents.iter().map(|i| i.id.to_string()).collect();
        v.sort();
        v
    };
    let by_mli = IncidentFilter {
        characterised_by: Some(code("MLI")),
        ..Default::default()
    };
    let page = store.list_incidents(&by_mli, 50, None).await.unwrap();
    assert_eq!(ids(page), ["test:0", "test:1", "test:2"]);
    let terror = IncidentFilter {
        category: Some(Category::Terrorism),
        ..by_mli.clone()
    };
    let page = store.list_incidents(&terror, 50, None).await.unwrap();
    assert_eq!(ids(page), ["test:1", "test:2"], "current readings only");
    let banditry = IncidentFilter {
        category: Some(Category::Banditry),
        ..by_mli.clone()
    };
    let page = store.list_incidents(&banditry, 50, None).await.unwrap();
    assert_eq!(
        ids(page),
        ["test:0"],
        "MLI's older banditry reading of 2 does not count"
    );
    let alone = IncidentFilter {
        category: Some(Category::Banditry),
        ..Default::default()
    };
    assert!(matches!(
        store.list_incidents(&alone, 50, None).await,
        Err(StoreError::Invalid { .. })
    ));

    // Statistics by MLI's category, and with the category filter.
    let rows = store
        .stats(&by_mli, &[StatsDimension::Category])
        .await
        .unwrap();
    let counts: Vec<(Option<&str>, u64)> = rows
        .iter()
        .map(|r| (r.category.as_deref(), r.incidents))
        .collect();
    assert_eq!(counts, [(Some("banditry"), 1), (Some("terrorism"), 2)]);
    let rows = store
        .stats(&terror, &[StatsDimension::Year, StatsDimension::Category])
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].year, rows[0].category.as_deref(), rows[0].incidents),
        (Some(2012), Some("terrorism"), 2)
    );
    let rows = store
        .stats(&by_mli, &[StatsDimension::Country])
        .await
        .unwrap();
    assert_eq!(rows[0].incidents, 3);
    assert!(matches!(
        store
            .stats(&IncidentFilter::default(), &[StatsDimension::Category])
            .await,
        Err(StoreError::Invalid { .. })
    ));
}
on_both!(characterisations_divergences, divergences_filters_and_stats);

async fn concurrent_readings(store: &Store) {
    setup(store).await;
    // Eight analysts of one member record a reading of one incident at once: every one is kept,
    // each its own version, none lost to the race and none failing.
    let writers: Vec<_> = (0..8)
        .map(|k| {
            let store = store.clone();
            tokio::spawn(async move {
                store
                    .characterise(
                        &reading(1, "MLI", Category::Banditry),
                        &format!("analyst-{k}"),
                        at(k),
                    )
                    .await
            })
        })
        .collect();
    let mut versions = Vec::new();
    for w in writers {
        versions.push(w.await.unwrap().unwrap());
    }
    versions.sort_unstable();
    assert_eq!(versions, (1..=8).collect::<Vec<i64>>());
}
on_both!(characterisations_concurrent, concurrent_readings);
