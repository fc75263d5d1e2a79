//! Tests of `liaison_geo::hotspots` through its public API: scikit-learn's own answers on the
//! UCDP events of `data/ucdp/` (a fixture made by `bench/hotspots_sklearn.py ucdp-fixture`),
//! random points anywhere on the globe against a brute-force transcription of scikit-learn's
//! algorithm, the border-point tie rule, the poles and the antimeridian, cluster summaries
//! (countries, cross-border flag, centroid), and refused input.
//!
//! The oracle here is written independently of the library: every neighbourhood listed in full
//! with scikit-learn's haversine formula, then scikit-learn's `dbscan_inner` loop line by line.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::{BTreeMap, BTreeSet};

use liaison_geo::default_boundaries;
use liaison_geo::hotspots::{
    Dbscan, DbscanParams, EARTH_RADIUS_KM, HotspotError, LatLon, clusters, dbscan, haversine_km,
};
use proptest::prelude::*;

const FIXTURE: &str = include_str!("data/ucdp_hotspots_sklearn.json");

fn params(eps_km: f64, min_points: usize, threads: usize) -> DbscanParams {
    DbscanParams {
        eps_km,
        min_points,
        threads,
    }
}

fn p(lat: f64, lon: f64) -> LatLon {
    LatLon { lat, lon }
}

/// scikit-learn's `HaversineDistance.rdist` on `numpy.radians` of the points.
fn oracle_rdist(a: LatLon, b: LatLon) -> f64 {
    let (x0, x1) = (
        a.lat * (std::f64::consts::PI / 180.0),
        a.lon * (std::f64::consts::PI / 180.0),
    );
    let (y0, y1) = (
        b.lat * (std::f64::consts::PI / 180.0),
        b.lon * (std::f64::consts::PI / 180.0),
    );
    let s0 = (0.5 * (x0 - y0)).sin();
    let s1 = (0.5 * (x1 - y1)).sin();
    s0 * s0 + x0.cos() * y0.cos() * s1 * s1
}

/// scikit-learn's DBSCAN, transcribed: full neighbourhoods (O(n²)), core = count >= min, then
/// `dbscan_inner`'s depth-first expansion in input order. Labels use -1 for noise.
fn oracle(points: &[LatLon], eps_km: f64, min_points: usize) -> (Vec<i64>, Vec<bool>) {
    let t = (0.5 * (eps_km / EARTH_RADIUS_KM)).sin();
    let reduced = t * t;
    let hoods: Vec<Vec<usize>> = points
        .iter()
        .map(|&a| {
            (0..points.len())
                .filter(|&j| oracle_rdist(a, points[j]) <= reduced)
                .collect()
        })
        .collect();
    let core: Vec<bool> = hoods.iter().map(|h| h.len() >= min_points).collect();
    let mut labels = vec![-1i64; points.len()];
    let mut label_num = 0;
    let mut stack = Vec::new();
    for start in 0..points.len() {
        if labels[start] != -1 || !core[start] {
            continue;
        }
        let mut i = start;
        loop {
            if labels[i] == -1 {
                labels[i] = label_num;
                if core[i] {
                    for &v in &hoods[i] {
                        if labels[v] == -1 {
                            stack.push(v);
                        }
                    }
                }
            }
            match stack.pop() {
                Some(next) => i = next,
                None => break,
            }
        }
        label_num += 1;
    }
    (labels, core)
}

fn as_sklearn(r: &Dbscan) -> Vec<i64> {
    r.labels.iter().map(|l| l.map_or(-1, i64::from)).collect()
}

// ---- scikit-learn's own answers on the real UCDP events ---------------------------------

#[test]
fn ucdp_events_cluster_exactly_as_scikit_learn_clusters_them() {
    let fixture: serde_json::Value = serde_json::from_str(FIXTURE).unwrap();
    // Coordinates are kept as the files spell them and parsed here by Rust's correctly
    // rounded parser, as Python's float() parses them: the same bits on both sides.
    let points: Vec<LatLon> = fixture["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|pair| {
            let f = |k: usize| pair[k].as_str().unwrap().parse::<f64>().unwrap();
            p(f(0), f(1))
        })
        .collect();
    assert!(points.len() > 4_000, "the fixture holds the shipped events");
    let runs = fixture["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 2);
    for run in runs {
        let eps_km = run["eps_km"].as_f64().unwrap();
        let min_points = run["min_points"].as_u64().unwrap() as usize;
        let want: Vec<i64> = run["labels"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l.as_i64().unwrap())
            .collect();
        let want_core: BTreeSet<usize> = run["core"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i.as_u64().unwrap() as usize)
            .collect();
        for threads in [1, 2] {
            let got = dbscan(&points, &params(eps_km, min_points, threads)).unwrap();
            let ctx = format!("eps {eps_km} km, min {min_points}, {threads} thread(s)");
            // 1. Core points identical.
            let got_core: BTreeSet<usize> = (0..points.len()).filter(|&i| got.core[i]).collect();
            assert_eq!(got_core, want_core, "{ctx}: core points");
            // 2. The same clusters of core points, as partitions (whatever their ids).
            let partition = |labels: &[i64]| -> BTreeSet<Vec<usize>> {
                let mut by: BTreeMap<i64, Vec<usize>> = BTreeMap::new();
                for &i in &want_core {
                    by.entry(labels[i]).or_default().push(i);
                }
                by.into_values().collect()
            };
            let got_labels = as_sklearn(&got);
            assert_eq!(
                partition(&got_labels),
                partition(&want),
                "{ctx}: core clusters"
            );
            // 3. Every label identical, ids and border points included: the tie rule is
            //    scikit-learn's, so no difference is allowed.
            let differ: Vec<usize> = (0..points.len())
                .filter(|&i| got_labels[i] != want[i])
                .collect();
            assert!(differ.is_empty(), "{ctx}: labels differ at {differ:?}");
            assert_eq!(
                i64::from(got.cluster_count),
                want.iter().max().unwrap() + 1,
                "{ctx}"
            );
        }
    }
}

// ---- random points against the transcription ------------------------------------------

/// Points in a few tight groups anywhere on the globe (poles and the antimeridian included),
/// some repeated exactly, so that neighbourhoods, ties and duplicates all occur.
fn scattered() -> impl Strategy<Value = Vec<LatLon>> {
    let centre = prop_oneof![
        (-90.0..=90.0f64, -180.0..=180.0f64),
        Just((90.0, 0.0)),
        Just((-89.9, 45.0)),
        (-60.0..=60.0f64, Just(180.0)),
        (-60.0..=60.0f64, Just(-179.95)),
    ];
    let group = (
        centre,
        1.0..150.0f64,
        prop::collection::vec((-1.0..1.0f64, -1.0..1.0f64, 0..4u8), 1..40),
    )
        .prop_map(|((lat, lon), spread_km, offsets)| {
            let mut out = Vec::new();
            for (dy, dx, copies) in offsets {
                let la = (lat + dy * spread_km / 111.2).clamp(-90.0, 90.0);
                let cos = la.to_radians().cos().max(0.01);
                let mut lo = lon + dx * spread_km / (111.2 * cos);
                lo = ((lo + 180.0).rem_euclid(360.0)) - 180.0;
                // A copy of the same point now and then (copies == 0).
                for _ in 0..if copies == 0 { 2 } else { 1 } {
                    out.push(p(la, lo));
                }
            }
            out
        });
    prop::collection::vec(group, 1..6).prop_map(|groups| groups.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn random_points_cluster_as_the_brute_force_transcription(
        points in scattered(),
        eps_km in 1.0..120.0f64,
        min_points in 1usize..9,
        threads in 1usize..4,
    ) {
        let got = dbscan(&points, &params(eps_km, min_points, threads)).unwrap();
        let (labels, core) = oracle(&points, eps_km, min_points);
        prop_assert_eq!(&got.core, &core);
        prop_assert_eq!(as_sklearn(&got), labels);
    }
}

// ---- the tie rule, the poles, the antimeridian -----------------------------------------

/// Two clusters strung along the equator and one point between them, within eps of one core
/// point of each but itself not core. `first_b` puts cluster B's points first in the input.
fn two_clusters_and_a_shared_border_point(first_b: bool) -> (Vec<LatLon>, usize, usize, usize) {
    // eps 10 km: a1 at 0°, its companions 5.6 km west; b1 at 0.16° (17.8 km east of a1), its
    // companions 5.6 km east of it; the border point midway, 8.9 km from a1 and from b1.
    let a: Vec<LatLon> = [0.0, -0.05, -0.05, -0.05, -0.05]
        .map(|lon| p(0.0, lon))
        .to_vec();
    let b: Vec<LatLon> = [0.16, 0.21, 0.21, 0.21, 0.21]
        .map(|lon| p(0.0, lon))
        .to_vec();
    let border = p(0.0, 0.08);
    let (mut pts, a1, b1) = if first_b {
        ([b, a].concat(), 5, 0)
    } else {
        ([a, b].concat(), 0, 5)
    };
    pts.push(border);
    (pts, a1, b1, 10)
}

#[test]
fn a_border_point_reached_by_two_clusters_joins_the_lower_numbered() {
    for first_b in [false, true] {
        let (pts, a1, b1, border) = two_clusters_and_a_shared_border_point(first_b);
        assert!(haversine_km(pts[border], pts[a1]) < 10.0);
        assert!(haversine_km(pts[border], pts[b1]) < 10.0);
        let r = dbscan(&pts, &params(10.0, 5, 1)).unwrap();
        assert!(r.core[a1] && r.core[b1] && !r.core[border]);
        assert_eq!(r.cluster_count, 2);
        // Cluster 0 is the one whose points come first.
        let first = if first_b { b1 } else { a1 };
        assert_eq!(r.labels[first], Some(0));
        assert_eq!(r.labels[border], Some(0), "first_b {first_b}");
        assert_eq!(as_sklearn(&r), oracle(&pts, 10.0, 5).0);
    }
}

#[test]
fn clusters_join_across_the_antimeridian_and_over_the_pole() {
    // 0.1° of longitude at 10° N is 10.9 km: the two sides of the antimeridian are neighbours.
    let across = vec![
        p(10.0, 179.95),
        p(10.0, -179.95),
        p(10.0, 179.9),
        p(10.0, -179.9),
    ];
    let r = dbscan(&across, &params(12.0, 2, 1)).unwrap();
    assert_eq!(r.labels, vec![Some(0); 4]);
    // Four points 5 km from the North Pole at 90° intervals: 7.1 km apart, 10 km across.
    let d = 5.0 / 111.2;
    let pole: Vec<LatLon> = [0.0, 90.0, 180.0, -90.0]
        .map(|lon| p(90.0 - d, lon))
        .to_vec();
    let r = dbscan(&pole, &params(8.0, 3, 1)).unwrap();
    assert_eq!(r.core, vec![true; 4]);
    assert_eq!(r.labels, vec![Some(0); 4]);
    let c = clusters(&pole, &r, default_boundaries());
    let centroid = c[0].centroid.unwrap();
    assert!(centroid.lat > 89.9999, "{centroid:?}");
}

#[test]
fn no_points_no_clusters_and_min_points_one_makes_every_point_core() {
    let r = dbscan(&[], &params(25.0, 5, 2)).unwrap();
    assert_eq!(r.cluster_count, 0);
    assert!(r.labels.is_empty());
    let far = [p(0.0, 0.0), p(0.0, 1.0), p(45.0, 90.0)];
    let r = dbscan(&far, &params(25.0, 1, 1)).unwrap();
    assert_eq!(r.core, vec![true; 3]);
    assert_eq!(r.labels, vec![Some(0), Some(1), Some(2)]);
    let r = dbscan(&far, &params(25.0, 2, 1)).unwrap();
    assert_eq!(r.labels, vec![None; 3]);
}

// ---- cluster summaries ------------------------------------------------------------------

#[test]
fn a_cluster_over_in_guezzam_and_assamaka_is_cross_border_and_one_around_bamako_is_not() {
    // The twin border towns (Algeria / Niger), 24 km apart, with satellites; and Bamako.
    let pts = vec![
        p(19.568, 5.770),
        p(19.570, 5.780),
        p(19.358, 5.706),
        p(19.350, 5.700),
        p(19.460, 5.740),
        p(12.639, -8.003),
        p(12.650, -8.010),
        p(12.620, -7.990),
        p(30.0, -40.0), // at sea: noise
    ];
    let r = dbscan(&pts, &params(15.0, 2, 1)).unwrap();
    let c = clusters(&pts, &r, default_boundaries());
    assert_eq!(c.len(), 2);
    assert_eq!(c[0].members, vec![0, 1, 2, 3, 4]);
    assert_eq!(c[0].countries, vec!["DZA", "NER"]);
    assert!(c[0].cross_border);
    assert_eq!(c[1].members, vec![5, 6, 7]);
    assert_eq!(c[1].countries, vec!["MLI"]);
    assert!(!c[1].cross_border);
    assert_eq!(r.labels[8], None);
    // The centroid lies among its members: within 2 km of Bamako's points' middle.
    let centroid = c[1].centroid.unwrap();
    assert!(
        haversine_km(centroid, p(12.636, -8.001)) < 2.0,
        "{centroid:?}"
    );
}

#[test]
fn a_centroid_across_the_antimeridian_is_on_it() {
    let pts = vec![
        p(10.0, 179.9),
        p(10.0, -179.9),
        p(10.1, 180.0),
        p(9.9, -180.0),
    ];
    let r = dbscan(&pts, &params(30.0, 2, 1)).unwrap();
    let c = clusters(&pts, &r, default_boundaries());
    let centroid = c[0].centroid.unwrap();
    assert!(haversine_km(centroid, p(10.0, 180.0)) < 0.1, "{centroid:?}");
    assert!(c[0].countries.is_empty() && !c[0].cross_border);
}

// ---- refused input ----------------------------------------------------------------------

#[test]
fn bad_parameters_and_points_are_refused_naming_what_is_wrong() {
    let ok = [p(0.0, 0.0), p(1.0, 1.0)];
    let cases: Vec<(Vec<LatLon>, DbscanParams, &str)> = vec![
        (
            ok.to_vec(),
            params(0.0, 5, 1),
            "eps_km must be a number from 0.001",
        ),
        (ok.to_vec(), params(-3.0, 5, 1), "got -3"),
        (ok.to_vec(), params(f64::NAN, 5, 1), "got NaN"),
        (ok.to_vec(), params(30_000.0, 5, 1), "got 30000"),
        (
            ok.to_vec(),
            params(25.0, 0, 1),
            "min_points must be at least 1",
        ),
        (
            vec![p(0.0, 0.0), p(91.0, 0.0)],
            params(25.0, 5, 1),
            "point 1: latitude 91",
        ),
        (
            vec![p(f64::NAN, 0.0)],
            params(25.0, 5, 1),
            "point 0: latitude NaN",
        ),
        (
            vec![p(0.0, 0.0), p(0.0, 0.0), p(0.0, -180.5)],
            params(25.0, 5, 1),
            "point 2: longitude -180.5",
        ),
        (
            vec![p(0.0, f64::INFINITY)],
            params(25.0, 5, 1),
            "point 0: longitude inf",
        ),
    ];
    for (pts, prm, want) in cases {
        let err = dbscan(&pts, &prm).unwrap_err();
        assert!(err.to_string().contains(want), "{prm:?}: {err}");
    }
    assert_eq!(
        dbscan(&ok, &params(25.0, 0, 1)).unwrap_err(),
        HotspotError::MinPoints
    );
}
