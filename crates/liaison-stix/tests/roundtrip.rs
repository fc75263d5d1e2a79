//! Domain → STIX → domain: what Liaison exports, Liaison reads back exactly; the export is
//! deterministic, passes Liaison's own checks, and every reference in it resolves.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::HashSet;

use liaison_core::{Incident, Lang};
use liaison_stix::import::Mapped;
use liaison_stix::{map_object, parse};
use proptest::prelude::*;
use serde_json::Value;

fn read_back(bundle: &liaison_stix::Bundle) -> (Vec<Incident>, Vec<liaison_core::Actor>) {
    let text = serde_json::to_vec(&bundle.to_value()).unwrap();
    let parsed = parse(&text).unwrap();
    assert!(parsed.errors.is_empty(), "{:?}", parsed.errors);
    assert_eq!(parsed.objects.len(), bundle.objects.len());
    let (mut incidents, mut actors) = (Vec::new(), Vec::new());
    for o in &parsed.objects {
        match map_object(o).unwrap() {
            Some(Mapped::Incident(i)) => incidents.push(*i),
            Some(Mapped::Actor(a)) => actors.push(*a),
            None => {}
        }
    }
    (incidents, actors)
}

#[test]
fn incidents_come_back_exactly() {
    let originals = [common::kidnapping(), common::ucdp(), common::country_only()];
    let (back, actors) = read_back(&common::export(&originals));
    assert_eq!(back.len(), 3);
    for o in &originals {
        let b = back.iter().find(|b| b.id == o.id).unwrap();
        assert_eq!(b, o, "incident {} changed on the way", o.id);
    }
    // The records the incidents linked come back too; unlinked names do not become records.
    let mut want: Vec<_> = common::actors().into_values().collect();
    want.sort_by(|a, b| a.id.cmp(&b.id));
    let mut got = actors;
    got.sort_by(|a, b| a.id.cmp(&b.id));
    assert_eq!(got, want);
}

#[test]
fn exporting_twice_gives_the_same_bundle() {
    let a = common::export(&[common::kidnapping(), common::ucdp()]);
    let b = common::export(&[common::kidnapping(), common::ucdp()]);
    assert_eq!(a, b);
    let ids: Vec<&str> = a
        .objects
        .iter()
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    let unique: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len(), "an id listed twice");
    // Another selection: the incident's own objects keep their ids.
    let c = common::export(&[common::kidnapping()]);
    let inc = |b: &liaison_stix::Bundle| {
        b.objects.iter().find(|o| o["type"] == "incident").unwrap()["id"].clone()
    };
    assert_eq!(inc(&a), inc(&c));
}

/// Every `*_ref` and `*_refs` of `v`, wherever it is.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                if k.ends_with("_ref") {
                    out.push(x.as_str().unwrap().to_owned());
                } else if k.ends_with("_refs") {
                    out.extend(
                        x.as_array()
                            .unwrap()
                            .iter()
                            .map(|r| r.as_str().unwrap().to_owned()),
                    );
                } else {
                    refs(x, out);
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

#[test]
fn every_reference_resolves_inside_the_bundle() {
    let b = common::export(&[common::kidnapping(), common::ucdp(), common::country_only()]);
    let ids: HashSet<String> = b
        .objects
        .iter()
        .map(|o| o["id"].as_str().unwrap().to_owned())
        .collect();
    let mut all = Vec::new();
    for o in &b.objects {
        refs(o, &mut all);
    }
    for r in all {
        assert!(ids.contains(&r), "{r} is referenced but not in the bundle");
    }
    let report = b.objects.iter().find(|o| o["type"] == "report").unwrap();
    let listed: HashSet<&str> = report["object_refs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    for o in &b.objects {
        let t = o["type"].as_str().unwrap();
        if [
            "incident",
            "location",
            "note",
            "relationship",
            "threat-actor",
        ]
        .contains(&t)
        {
            assert!(
                listed.contains(o["id"].as_str().unwrap()),
                "{t} not in the report"
            );
        }
    }
}

#[test]
fn markings_follow_the_incident() {
    let b = common::export(&[common::kidnapping()]);
    let inc = b.objects.iter().find(|o| o["type"] == "incident").unwrap();
    let marks = inc["object_marking_refs"].as_array().unwrap();
    assert_eq!(
        marks[0],
        "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"
    );
    assert_eq!(marks.len(), 3, "TLP, classification, releasability");
    assert_eq!(inc["granular_markings"][0]["selectors"][0], "description");
    for t in ["location", "relationship", "note"] {
        for o in b.objects.iter().filter(|o| o["type"] == t) {
            assert_eq!(
                &o["object_marking_refs"], &inc["object_marking_refs"],
                "{t}"
            );
        }
    }
    // Never a TLP 1.0 marking.
    let text = serde_json::to_string(&b.to_value()).unwrap();
    for v1 in [
        "613f2e26-407d-48c7-9eca-b8e91df99dc9",
        "34098fce-860f-48ae-8e50-ebd3cc5e41da",
        "f88d31f6-486f-44da-b317-01333bde0b82",
        "5e57c739-391a-4eb3-b6be-7d15ca92d5ed",
    ] {
        assert!(!text.contains(v1));
    }
}

#[test]
fn timestamps_have_milliseconds_and_follow_versions() {
    let b = common::export(&[common::ucdp()]);
    let inc = b.objects.iter().find(|o| o["type"] == "incident").unwrap();
    assert_eq!(inc["created"], "2023-11-14T22:13:20.123Z");
    assert_eq!(inc["modified"], "2023-11-14T23:13:20.123Z");
}

#[test]
fn country_precision_gives_no_point_but_keeps_it() {
    let b = common::export(&[common::country_only()]);
    let loc = b.objects.iter().find(|o| o["type"] == "location").unwrap();
    assert!(loc.get("latitude").is_none());
    assert_eq!(loc["country"], "ML");
    assert_eq!(loc["region"], "western-africa");
    let (back, _) = read_back(&b);
    assert_eq!(
        back[0].content.location.point,
        common::country_only().content.location.point
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Text in any script, any coordinates and counts survive the trip.
    #[test]
    fn any_text_numbers_and_points_survive(
        title in "\\PC{1,80}",
        narrative in "\\PC{0,200}",
        lat in -90.0f64..=90.0,
        lon in -180.0f64..=180.0,
        best in 0u32..100_000,
        extra in 0u32..1_000,
        injured in proptest::option::of(0u32..10_000),
        french in any::<bool>(),
    ) {
        prop_assume!(!title.trim().is_empty());
        let mut inc = common::ucdp();
        inc.content.title = title;
        inc.content.narrative = (!narrative.is_empty()).then_some(liaison_core::Narrative {
            text: narrative,
            lang: if french { Lang::Fr } else { Lang::Ar },
        });
        inc.content.location.point = Some(liaison_core::GeoPoint { lat, lon });
        inc.content.casualties.fatalities = liaison_core::Fatalities {
            best,
            low: best,
            high: best + extra,
            dispute: None,
        };
        inc.content.casualties.injured = injured;
        let (back, _) = read_back(&common::export(std::slice::from_ref(&inc)));
        prop_assert_eq!(&back[0], &inc);
    }
}
