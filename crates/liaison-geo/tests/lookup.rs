//! Tests of `liaison-geo` through its public API: known places, border towns, Western Sahara
//! under both settings, sea and out-of-coverage points, distances to borders, bad GeoJSON, and a
//! comparison of every answer on tens of thousands of points with `geo`'s own point-in-polygon
//! and closest-point algorithms as an oracle.
//!
//! Not here: timing assertions. `timing_report` prints load and lookup times with
//! `cargo test -p liaison-geo --release --test lookup timing_report -- --nocapture`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::time::Instant;

use geo::{BoundingRect, Closest, Contains, Distance, Haversine, HaversineClosestPoint, Point};
use liaison_geo::{Boundaries, FeatureProblem, GeoError, WesternSahara, default_boundaries};

const DATA: &str = include_str!("../data/ne_countries_10m_sahel_maghreb.geojson");

fn separate() -> Boundaries {
    Boundaries::embedded(WesternSahara::Separate).unwrap()
}

fn part_of_morocco() -> Boundaries {
    Boundaries::embedded(WesternSahara::PartOfMorocco).unwrap()
}

/// `(place, lat, lon, expected ISO3)` under the default setting.
const PLACES: &[(&str, f64, f64, &str)] = &[
    ("Bamako", 12.6392, -8.0029, "MLI"),
    ("Niamey", 13.5116, 2.1254, "NER"),
    ("Ouagadougou", 12.3714, -1.5197, "BFA"),
    ("Nouakchott", 18.0735, -15.9582, "MRT"),
    ("Algiers", 36.7538, 3.0588, "DZA"),
    ("N'Djamena", 12.1348, 15.0557, "TCD"),
    ("Dakar", 14.6928, -17.4467, "SEN"),
    ("Abuja", 9.0765, 7.3986, "NGA"),
    ("Tamanrasset", 22.785, 5.5228, "DZA"),
    ("Kidal", 18.4411, 1.4078, "MLI"),
    ("Agadez", 16.9742, 7.9865, "NER"),
    ("Djanet", 24.5547, 9.4847, "DZA"),
    ("Tessalit", 20.2014, 1.0114, "MLI"),
    ("Aguelhok", 19.4614, 0.8589, "MLI"),
    ("Tunis", 36.8065, 10.1815, "TUN"),
    ("Tripoli", 32.8872, 13.1913, "LBY"),
    ("Rabat", 34.0209, -6.8416, "MAR"),
    ("Conakry", 9.6412, -13.5784, "GIN"),
    ("Bissau", 11.8636, -15.5977, "GNB"),
    ("Serekunda", 13.4383, -16.6781, "GMB"),
    ("Abidjan", 5.3600, -4.0083, "CIV"),
    ("Accra", 5.6037, -0.1870, "GHA"),
    ("Lomé", 6.1725, 1.2314, "TGO"),
    ("Cotonou", 6.3703, 2.3912, "BEN"),
    ("Yaoundé", 3.8480, 11.5021, "CMR"),
    // Twin towns either side of a border.
    ("In Guezzam", 19.568, 5.770, "DZA"),
    ("Assamaka", 19.358, 5.706, "NER"),
    ("Bir Moghrein", 25.2333, -11.5833, "MRT"),
    // The 1:10m line near Ti-n-Zaouatene runs from (19.941 N, 2.947 E) to (19.889 N, 3.073 E);
    // the UCDP coordinate of the town (19.956, 2.963) falls on the Algerian side, 2.4 km from it.
    ("Ti-n-Zaouatene as coded by UCDP", 19.956, 2.963, "DZA"),
    (
        "2.6 km north of the line at Ti-n-Zaouatene",
        19.960,
        2.963,
        "DZA",
    ),
    (
        "2.6 km south of the line at Ti-n-Zaouatene",
        19.908,
        2.963,
        "MLI",
    ),
];

#[test]
fn known_places_are_in_their_country() {
    let b = separate();
    for &(place, lat, lon, iso3) in PLACES {
        assert_eq!(b.country_at(lat, lon), Some(iso3), "{place}");
        assert!(b.covers(lat, lon), "{place}");
        let km = b.distance_to_border_km(lat, lon).unwrap();
        assert!(km.is_finite() && km >= 0.0, "{place}: {km}");
    }
}

#[test]
fn points_near_ti_n_zaouatene_are_a_few_km_from_the_line() {
    let b = separate();
    for (lat, lon) in [(19.960, 2.963), (19.908, 2.963)] {
        let km = b.distance_to_border_km(lat, lon).unwrap();
        assert!((2.0..3.2).contains(&km), "({lat}, {lon}): {km} km");
    }
}

#[test]
fn western_sahara_follows_the_setting() {
    let (sep, mar) = (separate(), part_of_morocco());
    // (place, lat, lon, under Separate, under PartOfMorocco)
    let cases = [
        // West of the berm: in Natural Earth's `Morocco` feature.
        ("Laayoune", 27.15, -13.2, "ESH", "MAR"),
        ("Smara", 26.74, -11.67, "ESH", "MAR"),
        ("Bir Gandouz", 21.6, -16.45, "ESH", "MAR"),
        ("just south of 27°40′ N", 27.60, -10.0, "ESH", "MAR"),
        // East of the berm: in Natural Earth's `W. Sahara` feature.
        ("Tifariti", 26.1, -10.6, "ESH", "MAR"),
        ("Bir Lahlou", 26.35, -9.57, "ESH", "MAR"),
        ("Mijek", 23.4, -12.8, "ESH", "MAR"),
        // Morocco proper, north of 27°40′ N, under both.
        ("just north of 27°40′ N", 27.73, -10.0, "MAR", "MAR"),
        ("Tarfaya", 27.94, -12.92, "MAR", "MAR"),
        ("Rabat", 34.0209, -6.8416, "MAR", "MAR"),
        // Neighbours are not affected.
        ("Bir Moghrein", 25.2333, -11.5833, "MRT", "MRT"),
        ("Tindouf", 27.6711, -8.1474, "DZA", "DZA"),
    ];
    for (place, lat, lon, want_sep, want_mar) in cases {
        assert_eq!(
            sep.country_at(lat, lon),
            Some(want_sep),
            "{place}, Separate"
        );
        assert_eq!(
            mar.country_at(lat, lon),
            Some(want_mar),
            "{place}, PartOfMorocco"
        );
    }
    assert!(sep.countries().contains(&"ESH"));
    assert!(!mar.countries().contains(&"ESH"));
    // The berm is internal under both settings: this point lies a few km from it (the berm
    // passes through 26.99 N, 10.55 W) but ~ 80 km from 27°40′ N and ~ 110 km from Mauritania.
    for b in [&sep, &mar] {
        let km = b.distance_to_border_km(26.95, -10.55).unwrap();
        assert!(km > 60.0, "{km}");
    }
    // Laayoune is about 60 km south of 27°40′ N and 25 km from the coast.
    let km = sep.distance_to_border_km(27.15, -13.2).unwrap();
    assert!((15.0..40.0).contains(&km), "{km}");
}

#[test]
fn sea_outside_and_non_finite_give_none() {
    let b = separate();
    let nowhere = [
        ("Atlantic, off Mauritania", 20.0, -17.4),
        ("mid-Atlantic", 20.0, -30.0),
        ("Mediterranean", 37.0, 5.0),
        ("Gulf of Guinea", 3.0, 3.0),
        ("Paris", 48.8566, 2.3522),
        ("Cairo, not covered", 30.0444, 31.2357),
        ("Freetown, not covered", 8.4657, -13.2317),
        ("Khartoum, not covered", 15.5007, 32.5599),
        ("NaN latitude", f64::NAN, 2.0),
        ("NaN longitude", 13.0, f64::NAN),
        ("infinite", f64::INFINITY, f64::NEG_INFINITY),
    ];
    for (place, lat, lon) in nowhere {
        assert_eq!(b.country_at(lat, lon), None, "{place}");
        assert_eq!(b.distance_to_border_km(lat, lon), None, "{place}");
    }
    assert!(b.covers(20.0, -17.4), "sea inside the data's box");
    assert!(b.covers(37.0, 5.0));
    assert!(!b.covers(48.8566, 2.3522));
    assert!(!b.covers(20.0, -30.0));
    assert!(!b.covers(f64::NAN, 0.0));
}

#[test]
fn the_embedded_data_loads_with_all_twenty_countries() {
    let expected = [
        "BEN", "BFA", "CIV", "CMR", "DZA", "ESH", "GHA", "GIN", "GMB", "GNB", "LBY", "MAR", "MLI",
        "MRT", "NER", "NGA", "SEN", "TCD", "TGO", "TUN",
    ];
    assert_eq!(separate().countries(), expected);
    assert_eq!(default_boundaries().countries(), expected);
    let without_esh: Vec<_> = expected.into_iter().filter(|&c| c != "ESH").collect();
    assert_eq!(part_of_morocco().countries(), without_esh);
    assert_eq!(default_boundaries().country_at(27.15, -13.2), Some("ESH"));
    let (outside, inside, mixed) = default_boundaries().grid_cell_counts();
    assert!(outside > 0 && inside > 0 && mixed > 0);
}

// ---------------------------------------------------------------------------------------------
// Oracle: geo's own algorithms on the same features.

/// The features as geo multipolygons with their name, and the answer rule of the crate.
struct Oracle {
    features: Vec<(String, geo::MultiPolygon<f64>, geo::Rect<f64>)>,
}

impl Oracle {
    fn new() -> Oracle {
        let geojson: geojson::GeoJson = DATA.parse().unwrap();
        let geojson::GeoJson::FeatureCollection(fc) = geojson else {
            panic!("not a FeatureCollection");
        };
        let features = fc
            .features
            .into_iter()
            .map(|f| {
                let name = f.properties.as_ref().unwrap()["name"]
                    .as_str()
                    .unwrap()
                    .to_owned();
                let shape: geo::Geometry<f64> = f.geometry.unwrap().try_into().unwrap();
                let mp = match shape {
                    geo::Geometry::Polygon(p) => geo::MultiPolygon(vec![p]),
                    geo::Geometry::MultiPolygon(mp) => mp,
                    other => panic!("{other:?}"),
                };
                let rect = mp.bounding_rect().unwrap();
                (name, mp, rect)
            })
            .collect();
        Oracle { features }
    }

    fn name_at(&self, lat: f64, lon: f64) -> Option<&str> {
        let p = Point::new(lon, lat);
        self.features
            .iter()
            .find(|(_, mp, rect)| rect.contains(&p) && mp.contains(&p))
            .map(|(name, _, _)| name.as_str())
    }

    fn iso3_at(&self, lat: f64, lon: f64, ws: WesternSahara) -> Option<&'static str> {
        let name = self.name_at(lat, lon)?;
        let iso3 = match name {
            "Morocco" if ws == WesternSahara::Separate && lat < 27.0 + 40.0 / 60.0 => "ESH",
            "Morocco" => "MAR",
            "W. Sahara" if ws == WesternSahara::PartOfMorocco => "MAR",
            "W. Sahara" => "ESH",
            other => liaison_core_like_iso3(other),
        };
        Some(iso3)
    }

    /// Haversine distance to the nearest ring of a feature (great-circle edges), in km.
    fn distance_to_rings_km(&self, name: &str, lat: f64, lon: f64) -> f64 {
        let p = Point::new(lon, lat);
        let (_, mp, _) = self.features.iter().find(|(n, _, _)| n == name).unwrap();
        mp.0.iter()
            .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
            .map(|ring| match ring.haversine_closest_point(&p) {
                Closest::Intersection(q) | Closest::SinglePoint(q) => Haversine.distance(p, q),
                Closest::Indeterminate => f64::INFINITY,
            })
            .fold(f64::INFINITY, f64::min)
            / 1000.0
    }
}

/// The 18 other names of the embedded file.
fn liaison_core_like_iso3(name: &str) -> &'static str {
    match name {
        "Libya" => "LBY",
        "Tunisia" => "TUN",
        "Guinea" => "GIN",
        "Côte d'Ivoire" => "CIV",
        "Mali" => "MLI",
        "Senegal" => "SEN",
        "Nigeria" => "NGA",
        "Benin" => "BEN",
        "Chad" => "TCD",
        "Algeria" => "DZA",
        "Cameroon" => "CMR",
        "Niger" => "NER",
        "Burkina Faso" => "BFA",
        "Togo" => "TGO",
        "Ghana" => "GHA",
        "Guinea-Bissau" => "GNB",
        "Mauritania" => "MRT",
        "Gambia" => "GMB",
        other => panic!("{other}"),
    }
}

/// A small deterministic generator (SplitMix64), so the tests need no `rand`.
struct Rng(u64);

impl Rng {
    fn next_f64(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn between(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next_f64()
    }
}

/// Points spread over the data's box, plus points within ~1 km of every 7th boundary vertex,
/// where lookups take the exact path.
fn sample_points(oracle: &Oracle, uniform: usize) -> Vec<(f64, f64)> {
    let mut rng = Rng(0x5EED);
    let mut points: Vec<(f64, f64)> = (0..uniform)
        .map(|_| (rng.between(1.6, 37.4), rng.between(-17.6, 25.2)))
        .collect();
    for (_, mp, _) in &oracle.features {
        for poly in &mp.0 {
            for c in poly.exterior().0.iter().step_by(7) {
                let (dlat, dlon) = (rng.between(-0.01, 0.01), rng.between(-0.01, 0.01));
                points.push((c.y + dlat, c.x + dlon));
            }
        }
    }
    points
}

#[test]
fn lookups_agree_with_geo_contains_everywhere() {
    let oracle = Oracle::new();
    let points = sample_points(&oracle, 30_000);
    for ws in [WesternSahara::Separate, WesternSahara::PartOfMorocco] {
        let b = Boundaries::embedded(ws).unwrap();
        let mut disagreements = Vec::new();
        for &(lat, lon) in &points {
            let (got, want) = (b.country_at(lat, lon), oracle.iso3_at(lat, lon, ws));
            if got != want {
                disagreements.push((lat, lon, got, want));
            }
        }
        assert!(disagreements.is_empty(), "{ws:?}: {disagreements:?}");
    }
}

#[test]
fn distances_agree_with_geo_closest_point() {
    // Countries whose outline is all their rings (no berm, no cut), points spread inside them.
    let oracle = Oracle::new();
    let b = separate();
    let mut rng = Rng(42);
    let mut checked = 0;
    while checked < 300 {
        let (lat, lon) = (rng.between(4.0, 37.0), rng.between(-17.0, 24.0));
        let Some(name) = oracle.name_at(lat, lon) else {
            continue;
        };
        if name == "Morocco" || name == "W. Sahara" {
            continue;
        }
        let got = b.distance_to_border_km(lat, lon).unwrap();
        let want = oracle.distance_to_rings_km(name, lat, lon);
        // Edges are straight in lon/lat for us and great-circle arcs for the oracle: on the long
        // straight Saharan borders the two lines part by up to ~1 km.
        assert!(
            (got - want).abs() <= 0.005 * want + 1.5,
            "{name} ({lat}, {lon}): {got} km vs oracle {want} km"
        );
        checked += 1;
    }
}

// ---------------------------------------------------------------------------------------------
// Bad input.

fn feature(name: &str, geometry: &str) -> String {
    format!(r#"{{"type":"Feature","properties":{{"name":"{name}"}},"geometry":{geometry}}}"#)
}

fn collection(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

const SQUARE: &str = r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0]]]}"#;

fn load(text: &str) -> Result<Boundaries, GeoError> {
    Boundaries::from_geojson(text, WesternSahara::Separate)
}

/// Load `text`, expect an error about feature `index`, return its message.
fn feature_error(text: &str, index: usize) -> (FeatureProblem, String) {
    match load(text) {
        Err(e @ GeoError::Feature { index: i, .. }) if i == index => {
            let message = e.to_string();
            assert!(
                message.starts_with(&format!("feature {index}: ")),
                "{message}"
            );
            let GeoError::Feature { problem, .. } = e else {
                unreachable!()
            };
            (problem, message)
        }
        other => panic!("expected an error at feature {index}, got {other:?}"),
    }
}

#[test]
fn a_small_valid_collection_loads() {
    let b = load(&collection(&[feature("Mali", SQUARE)])).unwrap();
    assert_eq!(b.countries(), ["MLI"]);
    assert_eq!(b.country_at(0.5, 0.5), Some("MLI"));
    assert_eq!(b.country_at(1.5, 0.5), None);
    let km = b.distance_to_border_km(0.5, 0.5).unwrap();
    assert!((55.0..56.0).contains(&km), "{km}");
}

#[test]
fn text_that_is_not_json_is_rejected() {
    let err = load("not json {").unwrap_err();
    assert!(matches!(err, GeoError::Json(_)), "{err:?}");
    assert!(err.to_string().contains("not valid JSON"), "{err}");
}

#[test]
fn json_that_is_not_a_feature_collection_is_rejected() {
    for (text, found) in [
        (feature("Mali", SQUARE), "type \"Feature\""),
        ("[1, 2]".to_owned(), "a JSON array"),
        (
            r#"{"type":"FeatureCollection"}"#.to_owned(),
            "without a \"features\" array",
        ),
        (r#"{"features":[]}"#.to_owned(), "without a string \"type\""),
    ] {
        let err = load(&text).unwrap_err();
        assert!(
            matches!(err, GeoError::NotFeatureCollection { .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains(found), "{err}");
    }
    assert_eq!(load(&collection(&[])).unwrap_err(), GeoError::Empty);
}

#[test]
fn each_bad_feature_is_named_by_index_and_problem() {
    let good = feature("Mali", SQUARE);
    let no_geometry = r#"{"type":"Feature","properties":{"name":"Niger"},"geometry":null}"#;
    let (problem, message) = feature_error(&collection(&[good.clone(), no_geometry.into()]), 1);
    assert_eq!(problem, FeatureProblem::NoGeometry);
    assert_eq!(message, "feature 1: has no geometry");

    let unknown = feature("Atlantis", SQUARE);
    let (problem, message) = feature_error(&collection(&[unknown]), 0);
    assert_eq!(problem, FeatureProblem::UnknownName("Atlantis".into()));
    assert_eq!(message, "feature 0: unknown country name \"Atlantis\"");

    let point = feature("Mali", r#"{"type":"Point","coordinates":[0,0]}"#);
    let (problem, message) = feature_error(&collection(&[good.clone(), good.clone(), point]), 2);
    assert_eq!(problem, FeatureProblem::UnsupportedGeometry("Point"));
    assert!(
        message.contains("Point, expected Polygon or MultiPolygon"),
        "{message}"
    );

    let nameless = format!(r#"{{"type":"Feature","properties":{{}},"geometry":{SQUARE}}}"#);
    let (problem, _) = feature_error(&collection(&[nameless]), 0);
    assert_eq!(problem, FeatureProblem::NoName);

    let open = feature(
        "Mali",
        r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1],[0,0.5]]]}"#,
    );
    let (_, message) = feature_error(&collection(&[open]), 0);
    assert_eq!(
        message,
        "feature 0: ring 0: not closed (first position differs from last)"
    );

    let tiny = feature(
        "Mali",
        r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[0,0]]]}"#,
    );
    let (_, message) = feature_error(&collection(&[tiny]), 0);
    assert!(message.contains("fewer than 4 positions"), "{message}");

    let far = feature(
        "Mali",
        r#"{"type":"Polygon","coordinates":[[[0,0],[200,0],[1,1],[0,0]]]}"#,
    );
    let (_, message) = feature_error(&collection(&[far]), 0);
    assert!(message.contains("outside longitude"), "{message}");

    let (problem, _) = feature_error(&collection(&[good, r#"{"type":"Nope"}"#.into()]), 1);
    assert!(
        matches!(problem, FeatureProblem::NotAFeature(_)),
        "{problem:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// Timing, printed only; no assertion depends on it.

#[test]
fn timing_report() {
    let started = Instant::now();
    let b = separate();
    let load_ms = started.elapsed().as_secs_f64() * 1e3;
    let (outside, inside, mixed) = b.grid_cell_counts();

    // 1,000,000 points: half uniform over the box, half within ~50 km of the listed places
    // (towns sit near borders more often than random points do).
    let mut rng = Rng(7);
    let points: Vec<(f64, f64)> = (0..1_000_000)
        .map(|i| {
            if i % 2 == 0 {
                (rng.between(1.6, 37.4), rng.between(-17.6, 25.2))
            } else {
                let &(_, lat, lon, _) = &PLACES[i / 2 % PLACES.len()];
                (lat + rng.between(-0.5, 0.5), lon + rng.between(-0.5, 0.5))
            }
        })
        .collect();
    let mut batch_ns = Vec::new();
    let mut found = 0usize;
    let started = Instant::now();
    for batch in points.chunks(1000) {
        let t = Instant::now();
        for &(lat, lon) in batch {
            found += usize::from(b.country_at(lat, lon).is_some());
        }
        batch_ns.push(t.elapsed().as_nanos() as f64 / batch.len() as f64);
    }
    let total_s = started.elapsed().as_secs_f64();
    batch_ns.sort_by(f64::total_cmp);
    let median = batch_ns[batch_ns.len() / 2];
    let p99 = batch_ns[batch_ns.len() * 99 / 100];

    // The first distance query in a country indexes that country's outline.
    let started = Instant::now();
    for &(_, lat, lon, _) in PLACES {
        b.distance_to_border_km(lat, lon);
    }
    let outlines_ms = started.elapsed().as_secs_f64() * 1e3;
    let started = Instant::now();
    let near: Vec<_> = points.iter().take(10_000).collect();
    let mut km_sum = 0.0;
    for &&(lat, lon) in &near {
        km_sum += b.distance_to_border_km(lat, lon).unwrap_or(0.0);
    }
    let distance_us = started.elapsed().as_secs_f64() * 1e6 / near.len() as f64;

    println!(
        "liaison-geo timing ({} build): load {load_ms:.1} ms; grid cells outside {outside}, \
         inside {inside}, mixed {mixed}; country_at over {} points: {:.0} ns mean, \
         median batch {median:.0} ns, p99 batch {p99:.0} ns per lookup ({found} in a country); \
         first distance queries (outline indexing, 18 countries) {outlines_ms:.1} ms, then \
         distance_to_border_km {distance_us:.1} µs mean (checksum {km_sum:.0})",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        points.len(),
        total_s * 1e9 / points.len() as f64,
    );
}
