//! Tests of the embedded gazetteer: lookups across spellings and scripts, ranking, and the
//! admin-1 of the brief's towns and of the twin border towns of `tests/lookup.rs`.

use super::*;

fn g() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| Gazetteer::embedded().unwrap())
}

/// The best match of `name` as (id, country, how).
fn best(name: &str, country: Option<&str>) -> (String, String, MatchKind) {
    let m = g().lookup(name, country, 1);
    let m = m.first().unwrap_or_else(|| panic!("{name}: no match"));
    (m.place.id.clone(), m.place.country.clone(), m.how)
}

#[test]
fn the_embedded_data_loads_whole() {
    let places = g().places();
    assert!(places.len() > 7000, "{}", places.len());
    assert!(places.iter().any(|p| p.id == "curated:ti-n-zaouatene"));
    assert_eq!(default_gazetteer().places().len(), places.len());
    // Every country of the shipped boundaries has places; none outside them.
    let countries = crate::default_boundaries().countries();
    for c in &countries {
        assert!(places.iter().any(|p| p.country == *c), "{c} has no place");
    }
    assert!(
        places
            .iter()
            .all(|p| countries.contains(&p.country.as_str()))
    );
    // Every curated row states where it comes from.
    assert!(places.iter().all(|p| !p.source.trim().is_empty()));
}

#[test]
fn timbuktu_in_three_spellings_and_two_scripts_is_one_place() {
    let timbuktu = ("geonames:2449067".to_owned(), "MLI".to_owned());
    for (name, how) in [
        ("Timbuktu", MatchKind::Name),
        ("Tombouctou", MatchKind::AltName),
        ("TOMBOUCTOU", MatchKind::AltName),
        ("تمبكتو", MatchKind::AltName),
        ("تِمْبُكْتُو", MatchKind::AltName),
    ] {
        let (id, country, kind) = best(name, None);
        assert_eq!((id, country), timbuktu, "{name}");
        assert_eq!(kind, how, "{name}");
    }
}

#[test]
fn the_brief_s_places_are_found_under_their_spellings() {
    let cases = [
        ("Tamanghasset", "geonames:2478216", "DZA", MatchKind::Name),
        ("Tamanrasset", "geonames:2478216", "DZA", MatchKind::AltName),
        ("Tamenghest", "geonames:2478216", "DZA", MatchKind::AltName),
        ("Aguelhok", "geonames:2461247", "MLI", MatchKind::Name),
        ("Aguelhoc", "geonames:2461247", "MLI", MatchKind::AltName),
        ("Aguel'hoc", "geonames:2461247", "MLI", MatchKind::AltName),
        ("In Guezzam", "geonames:2493273", "DZA", MatchKind::Name),
        ("I-n-Guezzam", "geonames:2493273", "DZA", MatchKind::AltName),
        ("Aïn Guezzam", "geonames:2493273", "DZA", MatchKind::Loose),
        (
            "Ti-n-Zaouatene",
            "curated:ti-n-zaouatene",
            "MLI",
            MatchKind::Name,
        ),
        (
            "Tinzaouaten",
            "curated:ti-n-zaouatene",
            "MLI",
            MatchKind::AltName,
        ),
        (
            "Tin Zaouatene",
            "curated:ti-n-zaouatene",
            "MLI",
            MatchKind::AltName,
        ),
        (
            "Tin-Zawaten",
            "curated:ti-n-zaouatene",
            "MLI",
            MatchKind::Loose,
        ),
        ("Djanet", "geonames:2500275", "DZA", MatchKind::Name),
        ("Janet", "geonames:2500275", "DZA", MatchKind::AltName),
        ("Ménaka", "geonames:2453514", "MLI", MatchKind::Name),
        ("Menaka", "geonames:2453514", "MLI", MatchKind::Name),
        ("MÉNAKA", "geonames:2453514", "MLI", MatchKind::Name),
        ("Anefis", "curated:anefis", "MLI", MatchKind::Name),
        (
            "Wagadou forest",
            "curated:wagadou-forest",
            "MLI",
            MatchKind::Name,
        ),
        ("Bassikounou", "geonames:2381152", "MRT", MatchKind::AltName),
        ("Zouérate", "geonames:2375558", "MRT", MatchKind::AltName),
        ("Kidal", "geonames:2455290", "MLI", MatchKind::Name),
        ("Agadez", "geonames:2448085", "NER", MatchKind::Name),
        ("Tessalit", "geonames:2449893", "MLI", MatchKind::Name),
        ("I-n-Tilelt", "geonames:2596484", "MLI", MatchKind::AltName),
    ];
    for (name, id, country, how) in cases {
        assert_eq!(
            best(name, None),
            (id.to_owned(), country.to_owned(), how),
            "{name}"
        );
    }
}

#[test]
fn a_common_name_ranks_by_population_and_a_country_filters() {
    let gao: Vec<(&str, &str)> = g()
        .lookup("Gao", None, 10)
        .iter()
        .filter(|m| m.how == MatchKind::Name)
        .map(|m| (m.place.id.as_str(), m.place.country.as_str()))
        .collect();
    // Gao in Mali (133,110 inhabitants) before Gao in Burkina Faso (26,453).
    assert_eq!(
        gao,
        [("geonames:2457163", "MLI"), ("geonames:2360626", "BFA")]
    );
    assert_eq!(best("Gao", Some("bfa")).0, "geonames:2360626");

    // Léré: Nigeria's larger Lere first; Mali's (curated from UCDP) only with the filter.
    let lere = g().lookup("Léré", None, 10);
    assert_eq!(lere.first().map(|m| m.place.country.as_str()), Some("NGA"));
    let mali = g().lookup("Léré", Some("MLI"), 10);
    assert_eq!(mali.len(), 1);
    assert_eq!(mali[0].place.id, "curated:lere-mli");
    assert_eq!(mali[0].place.admin1.as_deref(), Some("Tombouctou"));
    assert!(g().lookup("Timbuktu", Some("NER"), 10).is_empty());
}

#[test]
fn kinds_rank_before_population_and_limits_hold() {
    // "San" is a town of Mali (name) and the start of San-Pédro (prefix, far larger).
    let san = g().lookup("San", None, 50);
    assert_eq!(san[0].place.id, "geonames:2451778");
    assert!(san.windows(2).all(|w| w[0].how <= w[1].how));
    assert!(
        san.iter()
            .any(|m| m.how == MatchKind::Prefix && m.place.name == "San-Pédro")
    );
    assert_eq!(g().lookup("San", None, 3).len(), 3);
    assert!(g().lookup("San", None, 0).is_empty());
    // Each place once, by its best match.
    let mut ids: Vec<&str> = san.iter().map(|m| m.place.id.as_str()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), san.len());
}

#[test]
fn nothing_matches_nothing() {
    assert!(g().lookup("", None, 10).is_empty());
    assert!(g().lookup(" -' ", None, 10).is_empty());
    assert!(g().lookup("Xqzvwk", None, 10).is_empty());
}

/// (what, lat, lon, country, admin-1, nearest place, at most km from it)
const ADMIN1: &[(&str, f64, f64, &str, &str, &str, f64)] = &[
    ("Kidal", 18.4411, 1.4078, "MLI", "Kidal", "Kidal", 1.0),
    ("Gao", 16.2717, -0.0447, "MLI", "Gao", "Gao", 1.0),
    (
        "Timbuktu",
        16.7735,
        -3.0074,
        "MLI",
        "Tombouctou",
        "Timbuktu",
        1.0,
    ),
    ("Agadez", 16.9742, 7.9865, "NER", "Agadez", "Agadez", 1.0),
    (
        "Tamanrasset",
        22.785,
        5.5228,
        "DZA",
        "Tamanghasset",
        "Tamanghasset",
        1.0,
    ),
    ("Aguelhok", 19.4614, 0.8589, "MLI", "Kidal", "Aguelhok", 1.0),
    ("Tessalit", 20.2014, 1.0114, "MLI", "Kidal", "Tessalit", 1.0),
    ("Djanet", 24.5547, 9.4847, "DZA", "Illizi", "Djanet", 1.0),
    (
        "Tindouf", 27.6711, -8.1474, "DZA", "Tindouf", "Tindouf", 1.0,
    ),
    // Twin border towns (tests/lookup.rs): the country decides first, so the admin-1 is taken
    // from a place of the right side even when the other side's town is nearer.
    (
        "In Guezzam",
        19.568,
        5.770,
        "DZA",
        "Tamanghasset",
        "In Guezzam",
        1.0,
    ),
    ("Assamaka", 19.358, 5.706, "NER", "Agadez", "Arlit", 200.0),
    (
        "Bir Moghrein",
        25.2333,
        -11.5833,
        "MRT",
        "Tiris Zemmour",
        "Bir Mogran",
        1.0,
    ),
    (
        "2.6 km south of the line at Ti-n-Zaouatene",
        19.908,
        2.963,
        "MLI",
        "Kidal",
        "Ti-n-Zaouatene",
        5.0,
    ),
    (
        "Ti-n-Zaouatene as coded by UCDP, on the Algerian side",
        19.956,
        2.963,
        "DZA",
        "Tamanghasset",
        "Timiaouine",
        140.0,
    ),
];

#[test]
fn admin1_of_towns_and_twin_border_towns() {
    for &(what, lat, lon, country, admin1, near, km) in ADMIN1 {
        let a = g()
            .admin1_at(lat, lon)
            .unwrap_or_else(|| panic!("{what}: no answer"));
        assert_eq!(
            (a.country, a.name, a.nearest_place.name.as_str()),
            (country, admin1, near),
            "{what}"
        );
        assert_eq!(
            a.nearest_place.country, country,
            "{what}: the place is in the country"
        );
        assert!(a.distance_km <= km, "{what}: {} km", a.distance_km);
    }
    // Assamaka's nearest town is In Guezzam, 24 km away in Algeria; the answer is Niger's.
    let a = g().admin1_at(19.358, 5.706).unwrap();
    assert!(
        a.distance_km > 150.0,
        "the distance shows the evidence is far"
    );
}

#[test]
fn admin1_is_none_where_it_is_unknown() {
    // Western Sahara (default setting): no admin-1 is shipped for the territory.
    assert_eq!(g().admin1_at(27.15, -13.2), None);
    // At sea, outside the region, bad input.
    assert_eq!(g().admin1_at(20.0, -30.0), None);
    assert_eq!(g().admin1_at(48.8566, 2.3522), None);
    assert_eq!(g().admin1_at(f64::NAN, 2.0), None);
    // A country the caller names explicitly.
    let a = g().admin1_in("MAR", 27.15, -13.2).unwrap();
    assert_eq!(a.country, "MAR");
    assert_eq!(a.nearest_place.country, "MAR");
    assert!(g().admin1_in("FRA", 48.8566, 2.3522).is_none());
}
