//! The storage conformance suite: every test runs on SQLite and on PostgreSQL, with the same
//! assertions, so both engines are held to the same answers (search and statistics included).
//!
//! PostgreSQL is reached at `LIAISON_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); each test works in a schema of its own. When the
//! server cannot be reached the PostgreSQL tests fail: set `LIAISON_TEST_PG=skip` to run only the
//! SQLite half on a machine without one (CI never does).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::date::parse_iso_date;
use liaison_core::{
    ActorRole, BBox, Casualties, CountryCode, DatePrecision, DateSpan, EventType, Fatalities,
    GeoPoint, Incident, IncidentActor, IncidentContent, IncidentFilter, IncidentId, Lang, Location,
    LocationPrecision, Markings, Narrative, Provenance, StatsDimension, SubType, TypeFilter,
};
use liaison_store::{Cursor, Prepared, Role, Store, StoreError};
use time::OffsetDateTime;

#[macro_use]
mod common;

fn at() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap()
}

fn code(c: &str) -> CountryCode {
    CountryCode::parse(c).unwrap()
}

const COUNTRIES: [&str; 3] = ["MLI", "NER", "BFA"];
const SUBS: [SubType; 4] = [
    SubType::Kidnapping,
    SubType::ClashWithArmedForces,
    SubType::Ied,
    SubType::SeizureDrugs,
];
const NARRATIVES: [(&str, Lang); 4] = [
    (
        "Enlèvement de deux travailleurs humanitaires près de Ménaka",
        Lang::Fr,
    ),
    (
        "Soldiers clashed with gunmen near the border post",
        Lang::En,
    ),
    (
        "An improvised explosive device struck a convoy on the road",
        Lang::En,
    ),
    ("Saisie de résine de cannabis par la gendarmerie", Lang::Fr),
];

/// Incident `i` of a deterministic set: countries, types, dates and places cycle so that
/// filters and statistics have known answers.
fn incident(i: u32) -> Incident {
    let country = COUNTRIES[(i % 3) as usize];
    let sub = SUBS[(i % 4) as usize];
    let (text, lang) = NARRATIVES[(i % 4) as usize];
    // 2010-01-01 plus i*7 days: many incidents per year, several per month.
    let start = parse_iso_date("2010-01-01").unwrap() + time::Duration::days(i64::from(i) * 7);
    let content = IncidentContent {
        title: format!("Incident {i}"),
        sub_type: sub,
        date: DateSpan {
            start,
            end: start + time::Duration::days(i64::from(i % 2)),
            precision: DatePrecision::Day,
        },
        location: Location {
            point: Some(GeoPoint {
                lat: 10.0 + f64::from(i % 10),
                lon: -5.0 + f64::from(i % 10),
            }),
            precision: LocationPrecision::Exact,
            place_name: Some(format!("Place {}", i % 10)),
            admin1: None,
            admin2: None,
            country: Some(code(country)),
            coordinates_country: None,
        },
        actors: vec![IncidentActor {
            name: "JNIM".into(),
            role: ActorRole::Perpetrator,
            actor_id: None,
        }],
        casualties: Casualties {
            fatalities: Fatalities {
                best: i % 5,
                low: i % 5 / 2,
                high: i % 5 * 2,
                dispute: None,
            },
            ..Default::default()
        },
        narrative: Some(Narrative {
            text: text.into(),
            lang,
        }),
        sources: vec![],
        markings: Markings::open(),
        provenance: Some(Provenance {
            dataset: "test".into(),
            record_id: i.to_string(),
            original_type: None,
            attribution: None,
        }),
    };
    Incident::new(
        IncidentId::parse(&format!("test:{i}")).unwrap(),
        code("MLI"),
        1,
        content,
    )
}

fn prepared(v: Vec<Incident>) -> Vec<Prepared> {
    v.into_iter().map(|i| Prepared::new(i).unwrap()).collect()
}

async fn load(store: &Store, n: u32) {
    let batch = prepared((0..n).map(incident).collect());
    let mut s = store.begin_import("test", at()).await.unwrap();
    let out = s.insert_batch(&batch).await.unwrap();
    assert_eq!(out.inserted, u64::from(n));
    s.commit().await.unwrap();
}

async fn versions(store: &Store) {
    let inc = incident(1);
    store.create_incident(&inc, "ana", at()).await.unwrap();
    assert!(matches!(
        store.create_incident(&inc, "ana", at()).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.get_incident(&inc.id).await.unwrap(), inc);

    let mut v2 = inc.clone();
    v2.version = 2;
    v2.content.casualties.fatalities = Fatalities::exact(7);
    store.update_incident(&v2, "bob", at()).await.unwrap();
    // A stale writer (still at version 1) is refused rather than silently overwriting.
    assert!(matches!(
        store.update_incident(&v2, "carol", at()).await,
        Err(StoreError::Conflict(_))
    ));
    let history = store.incident_versions(&inc.id).await.unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].incident, inc);
    assert_eq!(history[0].recorded_by, "ana");
    assert_eq!(history[1].incident, v2);
    assert_eq!(history[1].recorded_by, "bob");
    assert_eq!(store.get_incident(&inc.id).await.unwrap(), v2);

    let missing = IncidentId::parse("test:none").unwrap();
    assert!(matches!(
        store.get_incident(&missing).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.incident_versions(&missing).await,
        Err(StoreError::NotFound)
    ));
    let mut ghost = incident(99);
    ghost.version = 2;
    assert!(matches!(
        store.update_incident(&ghost, "ana", at()).await,
        Err(StoreError::NotFound)
    ));

    // Once recalled, an incident takes no new version: it would flow to the partners again.
    let mut tombstone = v2.clone();
    tombstone.version = 3;
    store
        .recall_incident(&tombstone, "ana", at())
        .await
        .unwrap();
    let mut v4 = v2.clone();
    v4.version = 4;
    match store.update_incident(&v4, "bob", at()).await {
        Err(StoreError::Conflict(m)) => assert!(m.contains("recalled"), "{m}"),
        other => panic!("a recalled incident was changed: {other:?}"),
    }
    assert_eq!(store.incident_versions(&inc.id).await.unwrap().len(), 3);
}
on_both!(incident_versions, versions);

async fn idempotent_import(store: &Store) {
    load(store, 50).await;
    let batch: Vec<Incident> = (0..50).map(incident).collect();
    let mut s = store.begin_import("test", at()).await.unwrap();
    let again = s.insert_batch(&prepared(batch.clone())).await.unwrap();
    s.commit().await.unwrap();
    assert_eq!((again.inserted, again.unchanged, again.updated), (0, 50, 0));
    assert_eq!(store.count_incidents().await.unwrap(), 50);

    // A corrected record in a re-published file becomes a new version, not a duplicate.
    let mut changed = batch.clone();
    changed[3].content.casualties.fatalities = Fatalities::exact(40);
    let mut s = store.begin_import("test", at()).await.unwrap();
    let out = s.insert_batch(&prepared(changed.clone())).await.unwrap();
    s.commit().await.unwrap();
    assert_eq!((out.inserted, out.unchanged, out.updated), (0, 49, 1));
    let now = store.get_incident(&changed[3].id).await.unwrap();
    assert_eq!(now.version, 2);
    assert_eq!(now.content.casualties.fatalities.best, 40);
    assert_eq!(store.count_incidents().await.unwrap(), 50);
}
on_both!(import_is_idempotent, idempotent_import);

async fn rollback(store: &Store) {
    let batch = prepared((0..900).map(incident).collect());
    let mut s = store.begin_import("test", at()).await.unwrap();
    s.insert_batch(&batch).await.unwrap();
    s.rollback().await.unwrap();
    assert_eq!(store.count_incidents().await.unwrap(), 0);
    // Dropping a session without committing stores nothing either.
    {
        let mut s = store.begin_import("test", at()).await.unwrap();
        s.insert_batch(&batch[..10]).await.unwrap();
    }
    assert_eq!(store.count_incidents().await.unwrap(), 0);
    let all = IncidentFilter {
        text: Some("cannabis".into()),
        ..Default::default()
    };
    assert!(
        store
            .list_incidents(&all, 10, None)
            .await
            .unwrap()
            .incidents
            .is_empty()
    );
}
on_both!(import_rolls_back_whole, rollback);

async fn ids(store: &Store, f: &IncidentFilter) -> Vec<u32> {
    let mut out = Vec::new();
    let mut cursor: Option<Cursor> = None;
    loop {
        let page = store.list_incidents(f, 7, cursor.as_ref()).await.unwrap();
        for inc in &page.incidents {
            out.push(inc.id.as_str()["test:".len()..].parse().unwrap());
        }
        match page.next_cursor {
            Some(c) => cursor = Some(Cursor::parse(&c).unwrap()),
            None => break,
        }
    }
    out
}

/// The expected answer, computed from the generator with plain Rust.
fn expected(n: u32, keep: impl Fn(&Incident) -> bool) -> Vec<u32> {
    let mut v: Vec<u32> = (0..n).filter(|i| keep(&incident(*i))).collect();
    v.reverse(); // newest first: start dates grow with i
    v
}

async fn filters(store: &Store) {
    let n = 300;
    load(store, n).await;
    let all = ids(store, &IncidentFilter::default()).await;
    assert_eq!(
        all,
        expected(n, |_| true),
        "paging returns every incident once, in order"
    );

    let f = IncidentFilter {
        country: Some(code("NER")),
        ..Default::default()
    };
    assert_eq!(
        ids(store, &f).await,
        expected(n, |i| i.content.location.country == Some(code("NER")))
    );

    let from = parse_iso_date("2011-03-01").unwrap();
    let to = parse_iso_date("2012-02-29").unwrap();
    let f = IncidentFilter {
        from: Some(from),
        to: Some(to),
        types: vec![
            TypeFilter::Event(EventType::Battle),
            TypeFilter::Sub(SubType::Ied),
        ],
        ..Default::default()
    };
    let got = ids(store, &f).await;
    assert!(!got.is_empty());
    assert_eq!(
        got,
        expected(n, |i| {
            let d = &i.content.date;
            d.end >= from
                && d.start <= to
                && matches!(
                    i.content.sub_type,
                    SubType::ClashWithArmedForces | SubType::Ied
                )
        })
    );

    let bbox = BBox::parse("-3,12,0,15").unwrap();
    let f = IncidentFilter {
        bbox: Some(bbox),
        ..Default::default()
    };
    assert_eq!(
        ids(store, &f).await,
        expected(n, |i| bbox.contains(i.content.location.point.unwrap()))
    );

    // Full text: French and English words, accents and inflections, all words required.
    for (query, words) in [
        ("enlèvements", vec!["Enlèvement"]),
        ("humanitaire Ménaka", vec!["humanitaires", "Ménaka"]),
        ("clash", vec!["clashed"]),
        ("gendarmerie cannabis", vec!["cannabis"]),
        ("convoy border", vec![]),
    ] {
        let f = IncidentFilter {
            text: Some(query.into()),
            ..Default::default()
        };
        let want = if words.is_empty() {
            vec![]
        } else {
            expected(n, |i| {
                let t = &i.content.narrative.as_ref().unwrap().text;
                words.iter().all(|w| t.contains(w))
            })
        };
        assert_eq!(ids(store, &f).await, want, "query {query:?}");
    }

    let f = IncidentFilter {
        originator: Some(code("NER")),
        ..Default::default()
    };
    assert!(ids(store, &f).await.is_empty());

    assert!(matches!(
        store
            .list_incidents(
                &IncidentFilter {
                    text: Some("a b c d e f g h i j k l m n o p q r s t".replace(' ', "x ")),
                    ..Default::default()
                },
                10,
                None
            )
            .await,
        Err(StoreError::Invalid { .. })
    ));
}
on_both!(filters_and_paging, filters);

async fn stats(store: &Store) {
    let n = 300;
    load(store, n).await;
    let dims = StatsDimension::parse_list("country,year").unwrap();
    let rows = store
        .stats(&IncidentFilter::default(), &dims)
        .await
        .unwrap();
    let mut want: std::collections::BTreeMap<(String, i32), (u64, u64, u64, u64)> =
        Default::default();
    for i in 0..n {
        let inc = incident(i);
        let key = (
            inc.content.location.country.clone().unwrap().to_string(),
            inc.content.date.start.year(),
        );
        let f = &inc.content.casualties.fatalities;
        let e = want.entry(key).or_default();
        e.0 += 1;
        e.1 += u64::from(f.best);
        e.2 += u64::from(f.low);
        e.3 += u64::from(f.high);
    }
    let got: std::collections::BTreeMap<(String, i32), (u64, u64, u64, u64)> = rows
        .iter()
        .map(|r| {
            (
                (r.country.clone().unwrap(), r.year.unwrap()),
                (
                    r.incidents,
                    r.fatalities_best,
                    r.fatalities_low,
                    r.fatalities_high,
                ),
            )
        })
        .collect();
    assert_eq!(got, want);

    let by_type = store
        .stats(
            &IncidentFilter {
                country: Some(code("MLI")),
                ..Default::default()
            },
            &[StatsDimension::Type, StatsDimension::Month],
        )
        .await
        .unwrap();
    assert_eq!(by_type.iter().map(|r| r.incidents).sum::<u64>(), 100);
    assert!(by_type.iter().all(|r| r.month.as_ref().unwrap().len() == 7));
}
on_both!(statistics, stats);

/// The map's points: every located incident, oldest first, the same on both engines.
async fn points(store: &Store) {
    load(store, 12).await;
    let points = store.map_points().await.unwrap();
    assert_eq!(points.len(), 12);
    let first = &points[0];
    assert_eq!(first.id, "test:0");
    assert_eq!((first.lat, first.lon), (10.0, -5.0));
    assert_eq!(first.date_start, "2010-01-01");
    assert_eq!(first.originator, "MLI");
    let last = &points[11];
    assert_eq!(last.id, "test:11");
    assert_eq!(last.country, COUNTRIES[(11 % 3) as usize]);
    assert_eq!(last.fatalities_best, i64::from(11 % 5));
    assert_eq!(
        last.event_type,
        SUBS[(11 % 4) as usize].event_type().as_str()
    );
}
on_both!(map_points, points);

async fn users(store: &Store) {
    store
        .add_user("awa", Role::Analyst, "h1", at())
        .await
        .unwrap();
    assert!(matches!(
        store.add_user("awa", Role::Admin, "h2", at()).await,
        Err(StoreError::Conflict(_))
    ));
    let u = store.user_by_token_hash("h1").await.unwrap();
    assert_eq!((u.name.as_str(), u.role), ("awa", Role::Analyst));
    assert!(matches!(
        store.user_by_token_hash("nope").await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(store.users().await.unwrap().len(), 1);
    store.set_setting("member", "MLI").await.unwrap();
    store.set_setting("member", "NER").await.unwrap();
    assert_eq!(
        store.setting("member").await.unwrap().as_deref(),
        Some("NER")
    );
    assert_eq!(store.setting("none").await.unwrap(), None);
}
on_both!(users_and_settings, users);

async fn registry(store: &Store) {
    let m = liaison_core::Member {
        code: code("NER"),
        name: "Niger".into(),
        joint_command: true,
        fusion_cell: true,
        assets: vec![liaison_core::MilitaryAssets {
            period: "2009-2010".into(),
            spending_musd: 53.1,
            troops: 5300,
            source: "SIPRI, IISS".into(),
        }],
        attacks_since_2001: Some(35),
    };
    store.put_member(&m).await.unwrap();
    store.put_member(&m).await.unwrap();
    assert_eq!(store.members().await.unwrap(), vec![m.clone()]);
    assert_eq!(store.member(&code("NER")).await.unwrap(), m);
    assert!(matches!(
        store.member(&code("MLI")).await,
        Err(StoreError::NotFound)
    ));

    let a = liaison_core::Actor {
        id: liaison_core::ActorId::parse("ucdp-actor:72").unwrap(),
        kind: liaison_core::ActorKind::Government,
        name: "Government of Mali".into(),
        aliases: vec![liaison_core::Alias::new("Gouvernement du Mali", None)],
        country: Some(code("MLI")),
        ucdp_id: Some(72),
        description: None,
        source: None,
        reliability: None,
        credibility: None,
        relations: Vec::new(),
    };
    store.put_actor(&a).await.unwrap();
    assert_eq!(store.actor(&a.id).await.unwrap(), a);
    assert_eq!(store.actors().await.unwrap().len(), 1);

    let p = liaison_core::Place {
        key: "tamanrasset".into(),
        name: "Tamanrasset".into(),
        alt_names: vec!["Tamanghasset".into()],
        point: GeoPoint {
            lat: 22.785,
            lon: 5.5228,
        },
        country: code("DZA"),
        admin1: Some("Tamanrasset".into()),
        source: "GeoNames".into(),
    };
    store.put_place(&p).await.unwrap();
    assert_eq!(store.places().await.unwrap(), vec![p]);
}
on_both!(members_actors_places, registry);

/// The names of the secondary indexes on `incidents`, as the database reports them.
async fn index_names(store: &Store) -> Vec<String> {
    store.incident_index_names().await.unwrap()
}

async fn deferred_indexes(store: &Store) {
    let before = index_names(store).await;
    assert!(
        before.contains(&"incidents_type_date".to_owned()),
        "{before:?}"
    );

    // Rolled back: the indexes come back with everything else.
    let mut s = store.begin_import("test", at()).await.unwrap();
    s.defer_indexes().await.unwrap();
    s.insert_batch(&prepared((0..50).map(incident).collect()))
        .await
        .unwrap();
    s.rollback().await.unwrap();
    assert_eq!(index_names(store).await, before);

    // Committed: rebuilt exactly as the migrations made them, and searches use them.
    let mut s = store.begin_import("test", at()).await.unwrap();
    s.defer_indexes().await.unwrap();
    s.insert_batch(&prepared((0..300).map(incident).collect()))
        .await
        .unwrap();
    s.commit().await.unwrap();
    assert_eq!(index_names(store).await, before);
    let f = IncidentFilter {
        types: vec![TypeFilter::Sub(SubType::Ied)],
        ..Default::default()
    };
    assert_eq!(
        ids(store, &f).await,
        expected(300, |i| i.content.sub_type == SubType::Ied)
    );
}
on_both!(deferred_indexes_are_rebuilt, deferred_indexes);

fn kept(id: &str, modified: &str, doc: &str) -> liaison_store::NewStixObject {
    liaison_store::NewStixObject {
        id: id.into(),
        object_type: id.split("--").next().unwrap().into(),
        spec_version: (!modified.is_empty()).then(|| "2.1".to_owned()),
        modified: modified.into(),
        doc: doc.into(),
    }
}

/// STIX objects are kept verbatim, once per id and version, in one transaction with the
/// import, and read back in the node's order; an export finds each incident's recorded span.
async fn stix_objects(store: &Store) {
    let thing = "x-liaison-test--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
    let sco = "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd";
    let v1 = "{ \"type\": \"x-liaison-test\", \"name\": \"Ménaka\" ,\"x_k\": [1, 2.50] }";
    let objs = vec![
        kept(thing, "2024-01-01T00:00:00.000000000Z", v1),
        kept(thing, "2024-02-01T00:00:00.000000000Z", "{\"v\": 2}"),
        kept(
            sco,
            "",
            "{\"type\":\"ipv4-addr\",\"value\":\"198.51.100.3\"}",
        ),
    ];
    let mut s = store.begin_import("test", at()).await.unwrap();
    assert_eq!(s.put_stix_objects(&objs).await.unwrap(), 3);
    s.commit().await.unwrap();
    let mut s = store.begin_import("test", at()).await.unwrap();
    assert_eq!(
        s.put_stix_objects(&objs).await.unwrap(),
        0,
        "same id and version"
    );
    s.put_stix_objects(&[kept(sco.replace("ff", "ee").as_str(), "", "{}")])
        .await
        .unwrap();
    s.rollback().await.unwrap();
    assert_eq!(store.count_stix_objects().await.unwrap(), 3);

    let rows = store.stix_objects(0, 10).await.unwrap();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].doc, v1, "kept byte for byte");
    assert!(rows[0].seq < rows[1].seq && rows[1].seq < rows[2].seq);
    assert_eq!(rows[2].spec_version, None);
    assert_eq!(rows[0].imported_at, "2023-11-14T22:13:20Z");
    let page = store.stix_objects(rows[0].seq, 1).await.unwrap();
    assert_eq!(page, vec![rows[1].clone()]);
    let versions = store.stix_object_versions(thing).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert!(versions[0].modified < versions[1].modified);
    let latest = store
        .latest_stix_objects(&[thing.into(), sco.into(), "note--x".into()])
        .await
        .unwrap();
    assert_eq!(latest.len(), 2);
    assert_eq!(latest[thing].doc, "{\"v\": 2}");

    let mut inc = incident(7);
    store.create_incident(&inc, "a", at()).await.unwrap();
    inc.version = 2;
    inc.content.title = "Incident 7, corrected".into();
    let later = at() + time::Duration::hours(1);
    store.update_incident(&inc, "a", later).await.unwrap();
    store
        .create_incident(&incident(8), "a", at())
        .await
        .unwrap();
    let span = store
        .incident_recorded_span(&[inc.id.clone(), incident(8).id, incident(9).id])
        .await
        .unwrap();
    assert_eq!(span.len(), 2);
    assert_eq!(
        span[inc.id.as_str()],
        (
            "2023-11-14T22:13:20Z".to_owned(),
            "2023-11-14T23:13:20Z".to_owned()
        )
    );
    let (first, current) = &span[incident(8).id.as_str()];
    assert_eq!(first, current);
}
on_both!(stix_objects_are_kept_verbatim, stix_objects);

fn taxii_obj(id: &str, version: Option<&str>, doc: &str) -> liaison_store::NewTaxiiObject {
    liaison_store::NewTaxiiObject {
        id: id.into(),
        object_type: id.split("--").next().unwrap().into(),
        spec_version: "2.1".into(),
        version: version.map(|v| liaison_store::ObjectVersion {
            text: v.into(),
            key: liaison_store::taxii_timestamp_key(
                OffsetDateTime::parse(v, &time::format_description::well_known::Rfc3339).unwrap(),
            ),
        }),
        doc: doc.into(),
    }
}

async fn taxii(store: &Store) {
    use liaison_store::{AddOutcome, PullCursor, TaxiiCollection, TaxiiQuery, VersionMatch};
    let coll = TaxiiCollection {
        id: "4f0a3c55-6c1e-4d33-9d7a-3b5f2a9e1c01".into(),
        title: "Shared".into(),
        description: "d".into(),
        read_only: false,
    };
    store.add_taxii_collection(&coll, at()).await.unwrap();
    assert!(matches!(
        store.add_taxii_collection(&coll, at()).await,
        Err(StoreError::Conflict(_))
    ));
    assert_eq!(store.taxii_collections().await.unwrap(), vec![coll.clone()]);
    assert!(matches!(
        store.taxii_collection("nope").await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.taxii_write("nope", at()).await,
        Err(StoreError::NotFound)
    ));
    let c = coll.id.as_str();
    let (a, b) = ("indicator--a", "indicator--b");
    let (v1, v2) = ("2024-01-01T00:00:00Z", "2024-02-01T00:00:00.5Z");
    let sco = "ipv4-addr--c";

    let mut w = store.taxii_write(c, at()).await.unwrap();
    assert_eq!(w.date_added(), "2023-11-14T22:13:20.000Z");
    let out = w
        .add(&[
            taxii_obj(a, Some(v1), r#"{"n": 1}"#),
            taxii_obj(a, Some(v2), r#"{"n": 2}"#),
            taxii_obj(b, Some(v1), r#"{"n": 3}"#),
            taxii_obj(sco, None, r#"{"n": 4}"#),
            // The same id and version twice in one envelope, with other content.
            taxii_obj(b, Some(v1), r#"{"n": 30}"#),
        ])
        .await
        .unwrap();
    assert_eq!(out[0], AddOutcome::Added { version: v1.into() });
    assert_eq!(
        out[3],
        AddOutcome::Added {
            version: "2023-11-14T22:13:20.000Z".into()
        }
    );
    assert_eq!(out[4], AddOutcome::Clash { version: v1.into() });
    w.put_status("s-1", "amadou", at(), r#"{"id":"s-1"}"#)
        .await
        .unwrap();
    w.commit().await.unwrap();
    assert_eq!(
        store.taxii_status("s-1").await.unwrap(),
        ("amadou".into(), c.into(), r#"{"id":"s-1"}"#.into())
    );

    // A clock that went back: date_added does not.
    let earlier = at() - time::Duration::hours(1);
    let mut w = store.taxii_write(c, earlier).await.unwrap();
    assert_eq!(w.date_added(), "2023-11-14T22:13:20.000Z");
    let out = w
        .add(&[
            taxii_obj(a, Some(v1), r#"{ "n" : 1 }"#),
            taxii_obj(sco, None, r#"{"n": 4}"#),
            taxii_obj(b, Some(v1), r#"{"n": 31}"#),
        ])
        .await
        .unwrap();
    assert_eq!(out[0], AddOutcome::Unchanged { version: v1.into() });
    assert_eq!(
        out[1],
        AddOutcome::Unchanged {
            version: "2023-11-14T22:13:20.000Z".into()
        }
    );
    assert_eq!(out[2], AddOutcome::Clash { version: v1.into() });
    w.commit().await.unwrap();
    // A write dropped without commit leaves nothing.
    let mut w = store.taxii_write(c, at()).await.unwrap();
    w.add(&[taxii_obj("note--d", Some(v1), "{}")])
        .await
        .unwrap();
    drop(w);

    let q = |versions: VersionMatch| TaxiiQuery {
        versions,
        limit: 10,
        ..TaxiiQuery::default()
    };
    let ids = |rows: &[liaison_store::TaxiiRow]| -> Vec<(String, String)> {
        rows.iter()
            .map(|r| (r.object_id.clone(), r.version.clone()))
            .collect()
    };
    let last = store
        .taxii_objects(c, &q(VersionMatch::last()), true)
        .await
        .unwrap();
    assert_eq!(
        ids(&last.rows),
        [
            (a.into(), v2.into()),
            (b.into(), v1.into()),
            (sco.into(), "2023-11-14T22:13:20.000Z".into())
        ]
    );
    assert_eq!(last.rows[0].doc, r#"{"n": 2}"#);
    assert!(!last.more);
    let first = VersionMatch {
        first: true,
        ..VersionMatch::default()
    };
    let firsts = store.taxii_objects(c, &q(first), false).await.unwrap();
    assert_eq!(firsts.rows[0].version, v1);
    assert_eq!(firsts.rows[0].doc, "", "no text unless asked");
    let exact = VersionMatch {
        keys: vec!["2024-02-01T00:00:00.500000000Z".into()],
        ..VersionMatch::default()
    };
    let rows = store.taxii_objects(c, &q(exact), false).await.unwrap().rows;
    assert_eq!(ids(&rows), [(a.into(), v2.into())]);
    // Paging by seq, with `more`.
    let mut page = q(VersionMatch::all());
    page.limit = 2;
    let p1 = store.taxii_objects(c, &page, false).await.unwrap();
    assert!(p1.more);
    page.after_seq = p1.rows[1].seq;
    let p2 = store.taxii_objects(c, &page, false).await.unwrap();
    assert_eq!(p2.rows.len(), 2);
    assert!(!p2.more);
    assert!(p2.rows[0].seq > p1.rows[1].seq);
    // Filters.
    let mut f = q(VersionMatch::all());
    f.types = vec!["ipv4-addr".into()];
    assert_eq!(
        store.taxii_objects(c, &f, false).await.unwrap().rows.len(),
        1
    );
    f.types.clear();
    f.object_ids = vec![a.into()];
    f.spec_versions = vec!["2.0".into()];
    assert!(
        store
            .taxii_objects(c, &f, false)
            .await
            .unwrap()
            .rows
            .is_empty()
    );
    f.spec_versions.clear();
    f.added_after = Some("2023-11-14T22:13:20.000Z".into());
    assert!(
        store
            .taxii_objects(c, &f, false)
            .await
            .unwrap()
            .rows
            .is_empty()
    );

    // Deleting the last version makes the first one the last.
    let newest = VersionMatch::last();
    assert_eq!(
        store.delete_taxii_object(c, a, &newest, &[]).await.unwrap(),
        1
    );
    let rows = store
        .taxii_objects(c, &q(VersionMatch::last()), false)
        .await
        .unwrap()
        .rows;
    assert_eq!(rows[0].version, v1);
    assert_eq!(
        store
            .delete_taxii_object(c, a, &VersionMatch::all(), &[])
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .delete_taxii_object(c, a, &VersionMatch::all(), &[])
            .await
            .unwrap(),
        0
    );

    // Pull cursors, saved with the write that stores the page.
    assert_eq!(
        store.taxii_pull_cursor("http://x/api/", "r").await.unwrap(),
        None
    );
    let cursor = PullCursor {
        api_root: "http://x/api/".into(),
        collection: "r".into(),
        local_collection: c.into(),
        next_token: Some("42".into()),
        added_after: Some("2024-01-01T00:00:00.000Z".into()),
        complete: true,
    };
    let mut w = store.taxii_write(c, at()).await.unwrap();
    w.put_pull_cursor(&cursor, at()).await.unwrap();
    w.commit().await.unwrap();
    assert_eq!(
        store.taxii_pull_cursor("http://x/api/", "r").await.unwrap(),
        Some(cursor.clone())
    );
    let mut other = cursor.clone();
    other.local_collection = "elsewhere".into();
    let mut w = store.taxii_write(c, at()).await.unwrap();
    assert!(w.put_pull_cursor(&other, at()).await.is_err());
}
on_both!(taxii_collections_objects_and_cursors, taxii);

/// Incidents with and without a point written one after another, through the same statements:
/// an optional coordinate must keep one parameter type whether it is NULL or not (PostgreSQL
/// refused the second kind once the first had prepared the statement), and read back exactly.
async fn optional_points(store: &Store) {
    let mut written = Vec::new();
    for i in 0..24u32 {
        let mut inc = incident(i);
        inc.content.location.point = (i % 2 == 1).then(|| liaison_core::GeoPoint {
            lat: 16.123_456_789_012_34 + f64::from(i) * 1e-9,
            lon: -0.1 - f64::from(i) / 3.0,
        });
        store.create_incident(&inc, "amina", at()).await.unwrap();
        written.push(inc);
    }
    for inc in &written {
        let mut next = inc.clone();
        next.version += 1;
        // Alternate the other way on the new versions.
        next.content.location.point = match inc.content.location.point {
            Some(_) => None,
            None => Some(liaison_core::GeoPoint {
                lat: 15.5,
                lon: 2.25,
            }),
        };
        store.update_incident(&next, "amina", at()).await.unwrap();
        let back = store.get_incident(&next.id).await.unwrap();
        assert_eq!(back.content.location.point, next.content.location.point);
    }
    let first = store.incident_versions(&written[1].id).await.unwrap();
    assert_eq!(
        first[0].incident.content.location.point, written[1].content.location.point,
        "the first version's point, bit for bit"
    );
}
on_both!(optional_points_alternate, optional_points);
