//! `liaison geo place` and the admin-1 of `liaison geo locate`, run as a user would: places found
//! across spellings and scripts, the country filter, the refusals (no match, empty name, bad
//! country) with their exit codes, and the admin-1 fields of `--json`, on the brief's towns and
//! the twin border towns.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fails, ok, run};

use serde_json::Value;

fn json(args: &[&str]) -> Value {
    serde_json::from_str(&ok(args)).unwrap()
}

#[test]
fn geo_place_finds_one_town_under_its_spellings() {
    for (name, matched) in [
        ("Tombouctou", "Tombouctou"),
        ("Timbuktu", "Timbuktu"),
        ("tombouctou", "Tombouctou"),
        ("تمبكتو", "تمبكتو"),
    ] {
        let v = json(&["geo", "place", name, "--json", "--limit", "1"]);
        let first = &v.as_array().unwrap()[0];
        assert_eq!(first["id"], "geonames:2449067", "{name}: {v}");
        assert_eq!(first["name"], "Timbuktu");
        assert_eq!(first["country"], "MLI");
        assert_eq!(first["admin1"], "Tombouctou");
        assert_eq!(first["matched"], matched);
        assert!((first["lat"].as_f64().unwrap() - 16.773).abs() < 0.01);
        assert!(
            first["source"]
                .as_str()
                .unwrap()
                .starts_with("geonames:cities1000")
        );
    }
    let v = json(&["geo", "place", "Tombouctou", "--json"]);
    assert_eq!(v[0]["how"], "alternate");
    assert_eq!(v[0]["matched"], "Tombouctou");

    let v = json(&["geo", "place", "Ti-n-Zaouatene", "--json"]);
    assert_eq!(v[0]["id"], "curated:ti-n-zaouatene");
    assert_eq!(v[0]["how"], "name");
    assert_eq!(v[0]["population"], Value::Null, "unknown, not zero");
    assert!(
        v[0]["source"]
            .as_str()
            .unwrap()
            .contains("UCDP GED 23.1 event 12997")
    );

    let v = json(&["geo", "place", "Tamanrasset", "--json"]);
    assert_eq!(
        (v[0]["name"].as_str(), v[0]["how"].as_str()),
        (Some("Tamanghasset"), Some("alternate"))
    );
}

#[test]
fn geo_place_ranks_and_filters_by_country() {
    let v = json(&["geo", "place", "Gao", "--json"]);
    let names: Vec<(&str, &str)> = v
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["how"] == "name")
        .map(|m| (m["name"].as_str().unwrap(), m["country"].as_str().unwrap()))
        .collect();
    assert_eq!(names, [("Gao", "MLI"), ("Gao", "BFA")]);
    let v = json(&["geo", "place", "Gao", "--country", "bfa", "--json"]);
    assert!(
        v.as_array().unwrap().iter().all(|m| m["country"] == "BFA"),
        "{v}"
    );
    assert_eq!(v[0]["admin1"], "Centre-Ouest");
    let v = json(&["geo", "place", "San", "--json", "--limit", "2"]);
    assert_eq!(v.as_array().unwrap().len(), 2);

    let text = ok(&["geo", "place", "Ménaka"]);
    assert_eq!(text.lines().count(), 1, "{text}");
    assert!(
        text.starts_with("Ménaka (MLI, Gao) 15.91985 2.39609, population 14085; matched by name"),
        "{text}"
    );
}

#[test]
fn geo_place_refuses_what_it_cannot_answer() {
    let out = run(&["geo", "place", "Xqzvwk"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "liaison: no place in the gazetteer matches \"Xqzvwk\""
    );
    assert!(out.stdout.is_empty());
    let out = run(&["geo", "place", "Xqzvwk", "--json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "no match is a failure in JSON too"
    );
    let err = fails(&["geo", "place", "Timbuktu", "--country", "NER"]);
    assert!(err.contains("matches \"Timbuktu\" in NER"), "{err}");

    let out = run(&["geo", "place", ""]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NAME is empty"));
    let err = fails(&["geo", "place", "  "]);
    assert!(err.contains("NAME"), "{err}");
    let err = fails(&["geo", "place", "Gao", "--country", "Mali"]);
    assert!(err.contains("--country"), "{err}");
    assert_eq!(
        run(&["geo", "place", "Gao", "--limit", "0"]).status.code(),
        Some(2)
    );
    assert_eq!(run(&["geo", "place"]).status.code(), Some(2));
}

/// `geo locate --json` as (country, admin1, admin1_method, nearest place, its distance in km).
fn admin1(lat: &str, lon: &str) -> (Value, Value, Value, Value, f64) {
    let v = json(&["geo", "locate", lat, lon, "--json"]);
    let near = &v["admin1_nearest_place"];
    (
        v["country"].clone(),
        v["admin1"].clone(),
        v["admin1_method"].clone(),
        near["name"].clone(),
        near["distance_km"].as_f64().unwrap_or(f64::NAN),
    )
}

#[test]
fn geo_locate_gives_the_admin1_of_the_nearest_place_of_the_country() {
    let cases = [
        ("18.4411", "1.4078", "MLI", "Kidal", "Kidal", 1.0),
        ("16.2717", "-0.0447", "MLI", "Gao", "Gao", 1.0),
        ("16.7735", "-3.0074", "MLI", "Tombouctou", "Timbuktu", 1.0),
        ("16.9742", "7.9865", "NER", "Agadez", "Agadez", 1.0),
        (
            "22.785",
            "5.5228",
            "DZA",
            "Tamanghasset",
            "Tamanghasset",
            1.0,
        ),
        // Twin border towns: In Guezzam (Algeria) and Assamaka (Niger), 24 km apart. Assamaka's
        // admin-1 comes from a Nigerien town, 190 km off, never from In Guezzam across the line.
        ("19.568", "5.770", "DZA", "Tamanghasset", "In Guezzam", 1.0),
        ("19.358", "5.706", "NER", "Agadez", "Arlit", 200.0),
        // 2.6 km south of the line at Ti-n-Zaouatene.
        ("19.908", "2.963", "MLI", "Kidal", "Ti-n-Zaouatene", 5.0),
    ];
    for (lat, lon, country, name, near, km) in cases {
        let (c, a, method, n, d) = admin1(lat, lon);
        assert_eq!(
            (c.as_str(), a.as_str(), method.as_str(), n.as_str()),
            (Some(country), Some(name), Some("nearest-place"), Some(near)),
            "{lat} {lon}"
        );
        assert!(d <= km, "{lat} {lon}: {d} km");
    }
    let v = json(&["geo", "locate", "18.4411", "1.4078", "--json"]);
    assert!(
        v["admin1_note"]
            .as_str()
            .unwrap()
            .starts_with("approximate")
    );
    assert_eq!(v["admin1_nearest_place"]["id"], "geonames:2455290");
    // The fields that were there before are kept.
    for field in [
        "lat",
        "lon",
        "country",
        "country_name",
        "distance_to_border_km",
        "zones",
        "covered",
    ] {
        assert!(v.get(field).is_some(), "{field} missing: {v}");
    }

    // No admin-1 in Western Sahara, none at sea: null, with no method.
    for (lat, lon) in [("27.15", "-13.2"), ("20.0", "-30.0")] {
        let v = json(&["geo", "locate", lat, lon, "--json"]);
        assert_eq!(v["admin1"], Value::Null, "{v}");
        assert_eq!(v["admin1_method"], Value::Null, "{v}");
        assert_eq!(v["admin1_nearest_place"], Value::Null, "{v}");
    }

    let text = ok(&["geo", "locate", "19.358", "5.706"]);
    assert!(
        text.contains(
            "admin-1: Agadez (approximate: that of Arlit, the nearest place of NER, 189.5 km away)"
        ),
        "{text}"
    );
    let text = ok(&["geo", "locate", "27.15", "-13.2"]);
    assert!(
        text.contains("admin-1: not known (no gazetteer place of ESH has one)"),
        "{text}"
    );
}
