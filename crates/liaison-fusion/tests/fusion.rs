//! The fusion rules, one test each, and the generator on real UCDP data (the repository's
//! `data/ucdp/`, as `liaison-import`'s tests read it).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::{
    ActorId, ActorRole, CountryCode, DatePrecision, DateSpan, Fatalities, GeoPoint, Incident,
    IncidentActor, IncidentContent, IncidentId, Location, LocationPrecision, SubType,
};
use liaison_fusion::eval::{Noise, generate, is_test, score};
use liaison_fusion::{Agreement, KeptApart, Window, agreed_version, compare, fuse, fusion_id};
use time::macros::date;

fn claim(id: &str, origin: &str, lat: f64, lon: f64, day: time::Date) -> Incident {
    let content = IncidentContent {
        title: format!("claim {id}"),
        sub_type: SubType::ArmedAttack,
        date: DateSpan::day(day),
        location: Location {
            point: Some(GeoPoint { lat, lon }),
            precision: LocationPrecision::Exact,
            place_name: Some("Ménaka".into()),
            admin1: None,
            admin2: None,
            country: Some(CountryCode::parse("MLI").unwrap()),
            coordinates_country: None,
        },
        actors: vec![IncidentActor {
            name: "Islamic State Sahel".into(),
            role: ActorRole::Perpetrator,
            actor_id: None,
        }],
        casualties: liaison_core::Casualties {
            fatalities: Fatalities::exact(5),
            ..Default::default()
        },
        narrative: None,
        sources: vec![],
        markings: Default::default(),
        provenance: None,
    };
    Incident::new(
        IncidentId::parse(id).unwrap(),
        CountryCode::parse(origin).unwrap(),
        1,
        content,
    )
}

fn ids(f: &liaison_fusion::Fusion) -> Vec<Vec<String>> {
    f.clusters
        .iter()
        .map(|c| c.claims.iter().map(|i| i.to_string()).collect())
        .collect()
}

const D: time::Date = date!(2022 - 03 - 10);

#[test]
fn claims_within_the_window_are_fused_with_reasons() {
    // About 11 km apart, one day apart.
    let a = claim("a1", "MLI", 15.9, 2.4, D);
    let b = claim("b1", "NER", 16.0, 2.4, date!(2022 - 03 - 11));
    let f = fuse(&[a, b], &Window::default(), &KeptApart::new()).unwrap();
    assert_eq!(ids(&f), vec![vec!["a1", "b1"]]);
    let e = &f.clusters[0].edges[0];
    assert_eq!(e.day_gap, 1);
    assert!((e.km - 11.1).abs() < 0.2, "{}", e.km);
    assert!(
        matches!(e.actors, liaison_fusion::ActorMatch::Shared { ref how, .. } if how == "folded_name")
    );
}

#[test]
fn claims_outside_the_window_are_not_fused() {
    let a = claim("a1", "MLI", 15.9, 2.4, D);
    let far = claim("b1", "NER", 16.5, 2.4, D); // ~67 km
    let late = claim("b2", "NER", 15.9, 2.4, date!(2022 - 03 - 14)); // 4 days
    let mut other_type = claim("b3", "NER", 15.9, 2.4, D);
    other_type.content.sub_type = SubType::Kidnapping;
    other_type.event_type = SubType::Kidnapping.event_type();
    let mut other_actor = claim("b4", "NER", 15.9, 2.4, D);
    other_actor.content.actors[0].name = "Gendarmerie nationale".into();
    let f = fuse(
        &[a.clone(), far, late, other_type, other_actor],
        &Window::default(),
        &KeptApart::new(),
    )
    .unwrap();
    assert!(f.clusters.is_empty(), "{:?}", ids(&f));
    // A claim naming no actor is compatible; a wider window takes the far one.
    let mut unnamed = claim("b5", "NER", 15.9, 2.4, D);
    unnamed.content.actors.clear();
    let f = fuse(&[a.clone(), unnamed], &Window::default(), &KeptApart::new()).unwrap();
    assert_eq!(ids(&f), vec![vec!["a1", "b5"]]);
    let wide = Window {
        km: 80.0,
        ..Window::default()
    };
    let f = fuse(
        &[a, claim("b1", "NER", 16.5, 2.4, D)],
        &wide,
        &KeptApart::new(),
    )
    .unwrap();
    assert_eq!(f.clusters.len(), 1);
}

#[test]
fn coarse_precision_widens_the_distance_allowed() {
    let a = claim("a1", "MLI", 15.9, 2.4, D);
    let mut b = claim("b1", "NER", 16.3, 2.4, D); // ~44 km
    assert!(
        fuse(
            &[a.clone(), b.clone()],
            &Window::default(),
            &KeptApart::new()
        )
        .unwrap()
        .clusters
        .is_empty()
    );
    b.content.location.precision = LocationPrecision::Admin2; // 2 × 25 km
    let f = fuse(&[a, b], &Window::default(), &KeptApart::new()).unwrap();
    assert_eq!(f.clusters[0].edges[0].allowed_km, 50.0);
}

#[test]
fn claims_of_one_originator_are_never_fused() {
    let a = claim("a1", "MLI", 15.9, 2.4, D);
    let b = claim("a2", "MLI", 15.9, 2.4, D);
    let c = claim("b1", "NER", 15.9, 2.4, D);
    let f = fuse(
        &[a.clone(), b.clone(), c.clone()],
        &Window::default(),
        &KeptApart::new(),
    )
    .unwrap();
    // One MLI claim joins the NER claim; the other MLI claim stays alone.
    assert_eq!(f.clusters.len(), 1);
    assert_eq!(f.clusters[0].claims.len(), 2);
    assert!(f.pairs_refused >= 1);
    let same = Window {
        same_originator: true,
        ..Window::default()
    };
    let f = fuse(&[a, b, c], &same, &KeptApart::new()).unwrap();
    assert_eq!(ids(&f), vec![vec!["a1", "a2", "b1"]]);
}

#[test]
fn a_kept_apart_pair_is_never_rejoined_even_through_a_third_claim() {
    let a = claim("a1", "MLI", 15.9, 2.4, D);
    let b = claim("b1", "NER", 15.9, 2.4, D);
    let c = claim("c1", "BFA", 15.9, 2.4, D);
    let mut apart = KeptApart::new();
    apart.insert(b.id.clone(), a.id.clone());
    let f = fuse(&[a, b, c], &Window::default(), &apart).unwrap();
    assert_eq!(f.clusters.len(), 1);
    let claims = &f.clusters[0].claims;
    assert!(
        claims.len() == 2 && claims.iter().any(|i| i.as_str() == "c1"),
        "{claims:?}"
    );
}

#[test]
fn the_answer_does_not_depend_on_input_order() {
    let a = CountryCode::parse("MLI").unwrap();
    let b = CountryCode::parse("NER").unwrap();
    let events: Vec<Incident> = (0..60)
        .map(|i| {
            claim(
                &format!("e{i}"),
                "XUC",
                15.0 + f64::from(i % 7) * 0.05,
                2.0 + f64::from(i % 5) * 0.05,
                D + time::Duration::days(i64::from(i % 4)),
            )
        })
        .collect();
    let claims = generate(&events, 7, &Noise::default(), (&a, &b)).claims;
    let f1 = fuse(&claims, &Window::default(), &KeptApart::new()).unwrap();
    let mut shuffled = claims.clone();
    shuffled.reverse();
    shuffled.rotate_left(17);
    let f2 = fuse(&shuffled, &Window::default(), &KeptApart::new()).unwrap();
    assert_eq!(f1, f2);
    assert!(!f1.clusters.is_empty());
}

#[test]
fn comparison_says_where_claims_agree_and_differ() {
    let a = claim("a1", "MLI", 15.9, 2.4, D);
    let mut b = claim("b1", "NER", 15.91, 2.4, D); // ~1 km: agrees
    b.content.casualties.fatalities = Fatalities::exact(7);
    b.content.location.place_name = Some("MENAKA".into());
    let c = compare(&[&b, &a]);
    assert!(c.date.agrees() && c.place.point.agrees() && c.place.place_name.agrees());
    assert!(c.actors.agrees() && c.sub_type.agrees());
    match &c.fatalities {
        Agreement::Differ(v) => {
            assert_eq!(v[0].claim.as_str(), "a1");
            assert_eq!((v[0].value.best, v[1].value.best), (5, 7));
            assert_eq!(v[1].originator.as_str(), "NER");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(c.differing(), vec!["fatalities"]);
    b.content.location.point = Some(GeoPoint {
        lat: 16.0,
        lon: 2.4,
    });
    b.content.date = DateSpan::day(date!(2022 - 03 - 11));
    let c = compare(&[&a, &b]);
    assert_eq!(c.differing(), vec!["date", "place.point", "fatalities"]);
}

#[test]
fn agreed_version_takes_median_min_max_and_the_most_precise_place() {
    let mut a = claim("a1", "MLI", 15.9, 2.4, D);
    a.content.casualties.fatalities = Fatalities {
        best: 4,
        low: 3,
        high: 6,
        dispute: None,
    };
    a.content.location.precision = LocationPrecision::Admin1;
    let mut b = claim("b1", "NER", 15.95, 2.45, D);
    b.content.casualties.fatalities = Fatalities::exact(10);
    b.content.actors.push(IncidentActor {
        name: "Forces armées maliennes".into(),
        role: ActorRole::Target,
        actor_id: Some(ActorId::parse("ucdp-actor:1").unwrap()),
    });
    let mut c = claim("c1", "BFA", 15.9, 2.4, D);
    c.content.casualties.fatalities = Fatalities::exact(7);
    c.content.date = DateSpan {
        start: date!(2022 - 03 - 07),
        end: date!(2022 - 03 - 13),
        precision: DatePrecision::Week,
    };
    c.content.sub_type = SubType::AttackOnCivilians;
    c.content.location.precision = LocationPrecision::Near;
    let v = agreed_version("f", &[&c, &a, &b]).unwrap();
    assert_eq!(
        (v.fatalities.best, v.fatalities.low, v.fatalities.high),
        (7, 3, 10)
    );
    assert_eq!(
        v.fatalities.dispute.as_deref(),
        Some("claims differ: MLI 4 (3–6); NER 10 (10–10); BFA 7 (7–7)")
    );
    // b is exact: its place; the overlap of the spans is b's and a's day.
    assert_eq!(v.location.point, b.content.location.point);
    assert_eq!(v.date, DateSpan::day(D));
    assert_eq!(v.sub_type, SubType::ArmedAttack);
    assert_eq!(v.actors.len(), 2);
    // Two claims: the mean of the two middle values, rounded down.
    let v2 = agreed_version("f", &[&a, &b]).unwrap();
    assert_eq!(v2.fatalities.best, 7);
    // Spans that do not overlap: the union.
    let mut late = b.clone();
    late.content.date = DateSpan::day(date!(2022 - 03 - 12));
    let v3 = agreed_version("f", &[&a, &late]).unwrap();
    assert_eq!(
        (v3.date.start, v3.date.end, v3.date.precision),
        (D, date!(2022 - 03 - 12), DatePrecision::Week)
    );
    // The bytes and hash do not depend on the order the claims come in.
    let v4 = agreed_version("f", &[&b, &a, &c]).unwrap();
    assert_eq!(v.canonical_bytes(), v4.canonical_bytes());
    assert_eq!(v.sha256_hex(), v4.sha256_hex());
    assert_eq!(v.sha256_hex().len(), 64);
}

#[test]
fn fusion_id_is_stable_and_order_free() {
    let x = IncidentId::parse("mli:1").unwrap();
    let y = IncidentId::parse("ner:2").unwrap();
    let id = fusion_id(&[x.clone(), y.clone()]);
    assert_eq!(id, fusion_id(&[y.clone(), x.clone()]));
    // Pinned: a change of namespace or encoding would change every node's ids.
    assert_eq!(id, PINNED_ID, "got {id}");
    assert_ne!(id, fusion_id(&[x]));
    assert_eq!(uuid::Uuid::parse_str(&id).unwrap().get_version_num(), 5);
}

#[test]
fn a_bad_window_is_refused() {
    for km in [-1.0, 0.0, f64::NAN, 501.0] {
        let w = Window {
            km,
            ..Window::default()
        };
        let err = fuse(&[], &w, &KeptApart::new()).unwrap_err();
        assert!(err.to_string().contains("window km"), "{err}");
    }
}

fn ucdp(file: &str) -> Vec<Incident> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../data/ucdp")
        .join(file);
    let f = std::fs::File::open(&path).unwrap();
    let origin = CountryCode::parse("XUC").unwrap();
    liaison_import::open(liaison_import::Dataset::UcdpGed, f)
        .unwrap()
        .map(|r| {
            let r = r.unwrap();
            Incident::new(r.id, origin.clone(), 1, r.content)
        })
        .collect()
}

#[test]
fn generated_claims_of_real_events_are_fused_with_measured_precision_and_recall() {
    // Senegal's GED events (308) and the regional sample (61), seed 1.
    let mut events = ucdp("ucdp_ged_Senegal.csv");
    events.extend(ucdp("ucdp_ged_v23_1_sample_region.csv"));
    let (a, b) = (
        CountryCode::parse("MLI").unwrap(),
        CountryCode::parse("NER").unwrap(),
    );
    let claims = generate(&events, 1, &Noise::default(), (&a, &b));
    let f = fuse(&claims.claims, &Window::default(), &KeptApart::new()).unwrap();
    let s = score(&claims.claims, &claims.truth, &f);
    eprintln!("{s:?}");
    assert!(s.true_pairs > 150, "{s:?}");
    assert!(s.precision >= PRECISION_FLOOR, "{s:?}");
    assert!(s.recall >= RECALL_FLOOR, "{s:?}");
    // The split is by year and keeps every event somewhere.
    let test = events.iter().filter(|e| is_test(e)).count();
    assert!(test > 0 && test < events.len());
}

/// Measured on the slice above with seed 1 on 2026-11-28 (precision 0.9375, recall 0.9242:
/// 195 correct of 208 predicted and 211 true pairs), rounded down.
const PRECISION_FLOOR: f64 = 0.93;
const RECALL_FLOOR: f64 = 0.92;

/// `fusion_id(["mli:1", "ner:2"])` as first computed.
const PINNED_ID: &str = "af4bb33b-6734-5736-8218-99db3b76ea97";

#[test]
fn split_parts_keep_what_stays_and_what_leaves_together() {
    let ids: Vec<IncidentId> = ["a", "b", "c", "d"]
        .iter()
        .map(|s| IncidentId::parse(s).unwrap())
        .collect();
    let parts = liaison_fusion::split_parts(&ids, &[ids[2].clone(), ids[3].clone()]).unwrap();
    assert_eq!(parts, vec![ids[..2].to_vec(), ids[2..].to_vec()]);
    let parts = liaison_fusion::split_parts(&ids[..3], &[ids[0].clone()]).unwrap();
    assert_eq!(parts, vec![ids[1..3].to_vec()]);
    let err = liaison_fusion::split_parts(&ids[..2], &[ids[3].clone()]).unwrap_err();
    assert!(err.contains("d is not a claim"), "{err}");
    assert!(liaison_fusion::split_parts(&ids[..2], &[]).is_err());
    assert!(liaison_fusion::split_parts(&ids[..2], &ids[..2]).is_err());
}
