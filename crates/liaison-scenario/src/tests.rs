//! Tests of the built-in scenario against the brief's own figures, and of the file checks
//! against corrupted copies of the file.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashSet;

use liaison_core::{ActorRole, DatePrecision, LocationPrecision, SubType, Tlp};
use time::macros::date;

use super::*;

fn sahel() -> Scenario {
    load("sahel-2012").unwrap()
}

fn incident<'a>(s: &'a Scenario, slug: &str) -> &'a IncidentContent {
    let id = format!("sahel-2012:{slug}");
    &s.incidents
        .iter()
        .find(|(i, _)| i.as_str() == id)
        .unwrap_or_else(|| panic!("no incident {id}"))
        .1
}

#[test]
fn the_scenario_loads_and_names_itself() {
    assert_eq!(names(), ["sahel-2012"]);
    let s = sahel();
    assert_eq!(s.name, "sahel-2012");
    assert_eq!(s.source.grade(), "B2");
    assert!(
        s.source
            .reference
            .as_deref()
            .unwrap()
            .contains("Africa Security Brief No. 18, February 2012")
    );
    assert!(s.incidents.len() >= 20, "{}", s.incidents.len());
    assert_eq!(s.infrastructure.len(), 2);
}

#[test]
fn every_incident_validates_and_is_attributed_to_the_brief() {
    let s = sahel();
    for (id, c) in &s.incidents {
        c.validate()
            .unwrap_or_else(|e| panic!("{id} does not validate: {e}"));
        let p = c.provenance.as_ref().unwrap();
        assert_eq!(p.dataset, "sahel-2012");
        assert_eq!(id.as_str(), format!("sahel-2012:{}", p.record_id));
        assert_eq!(p.attribution.as_deref(), Some(s.attribution.as_str()));
        assert_eq!(c.markings.tlp, Tlp::Clear);
        assert!(c.markings.releasable_to.is_empty());
        assert_eq!(c.sources.len(), 1);
        assert_eq!(c.sources[0].name, "Africa Center for Strategic Studies");
        assert!(matches!(c.sources[0].grade().as_str(), "B2" | "B3"), "{id}");
        assert!(c.narrative.is_some(), "{id}");
    }
    assert!(
        s.attribution.contains(
            "Algeria's Pivotal Ambivalence (Africa Security Brief No. 18, February 2012)"
        )
    );
}

#[test]
fn ids_are_unique() {
    let s = sahel();
    let incidents: HashSet<_> = s.incidents.iter().map(|(id, _)| id).collect();
    assert_eq!(incidents.len(), s.incidents.len());
    let actors: HashSet<_> = s.actors.iter().map(|a| &a.id).collect();
    assert_eq!(actors.len(), s.actors.len());
    let places: HashSet<_> = s.places.iter().map(|p| &p.key).collect();
    assert_eq!(places.len(), s.places.len());
}

#[test]
fn every_reference_resolves() {
    let s = sahel();
    let actors: HashSet<_> = s.actors.iter().map(|a| &a.id).collect();
    let places: HashSet<_> = s.places.iter().map(|p| p.key.as_str()).collect();
    for (id, c) in &s.incidents {
        for a in &c.actors {
            if let Some(aid) = &a.actor_id {
                assert!(actors.contains(aid), "{id}: unknown actor {aid}");
            }
        }
        let place = c.location.place_name.as_deref().unwrap();
        assert!(places.contains(place), "{id}: unknown place {place}");
    }
    for i in &s.infrastructure {
        for p in &i.places {
            assert!(places.contains(p.as_str()), "{}: unknown place {p}", i.name);
        }
    }
}

#[test]
fn members_and_assets_are_the_briefs_table() {
    // The brief's "Table. Comparison of Military Assets in the Sahel (2009–2010)":
    //   "Country Military Expenditures in Millions ($) Military Forces
    //    Algeria 5,300 147,000 / Burkina Faso 110 11,200 / Chad 436 23,350 /
    //    Mali 174 7,750 / Mauritania 115 15,870 / Niger 53.1 5,300"
    // and "with 938 attacks since 2001, Algeria ... (There have been 20 attacks in Mauritania,
    // 35 in Niger, and 41 in Mali during the same period)".
    // "a Joint Military Command (JMC) comprised of Algeria, Mali, Mauritania, and Niger".
    // (code, in the joint command, (spending in $M, troops), attacks since 2001)
    type Row = (&'static str, bool, Option<(f64, u32)>, Option<u32>);
    let expected: [Row; 7] = [
        ("DZA", true, Some((5300.0, 147_000)), Some(938)),
        ("MLI", true, Some((174.0, 7_750)), Some(41)),
        ("MRT", true, Some((115.0, 15_870)), Some(20)),
        ("NER", true, Some((53.1, 5_300)), Some(35)),
        ("BFA", false, Some((110.0, 11_200)), None),
        ("TCD", false, Some((436.0, 23_350)), None),
        ("LBY", false, None, None),
    ];
    let s = sahel();
    assert_eq!(s.members.len(), expected.len());
    for (m, (code, jmc, assets, attacks)) in s.members.iter().zip(expected) {
        assert_eq!(m.code.as_str(), code);
        assert_eq!(m.joint_command, jmc, "{code}");
        assert!(m.fusion_cell, "{code}");
        assert_eq!(m.attacks_since_2001, attacks, "{code}");
        match assets {
            None => assert!(m.assets.is_empty(), "{code}"),
            Some((musd, troops)) => {
                assert_eq!(m.assets.len(), 1, "{code}");
                let a = &m.assets[0];
                assert_eq!(a.period, "2009-2010");
                assert!((a.spending_musd - musd).abs() < 1e-9, "{code}");
                assert_eq!(a.troops, troops, "{code}");
                assert!(a.source.contains("SIPRI") && a.source.contains("IISS"));
            }
        }
    }
    // "Burkina Faso, Senegal, Morocco, Ghana, Guinea, Guinea Bissau, and Nigeria": Burkina Faso
    // is already a member.
    let partners: Vec<&str> = s.partners.iter().map(|p| p.code.as_str()).collect();
    assert_eq!(partners, ["SEN", "MAR", "GHA", "GIN", "GNB", "NGA"]);
    assert!(
        s.partners
            .iter()
            .all(|p| !p.joint_command && !p.fusion_cell)
    );
}

#[test]
fn the_tamanrasset_attack_is_as_the_brief_says() {
    // "A June 30, 2011, attack by AQIM on Algerian security forces in Tamanrasset province that
    // killed 11 gendarmes and border guards"
    let s = sahel();
    let c = incident(&s, "tamanrasset-province-attack-2011-06-30");
    assert_eq!(c.sub_type, SubType::ArmedAttack);
    assert_eq!(c.date.start, date!(2011 - 06 - 30));
    assert_eq!(c.date.end, date!(2011 - 06 - 30));
    assert_eq!(c.date.precision, DatePrecision::Day);
    assert_eq!(c.casualties.fatalities.best, 11);
    assert_eq!(c.casualties.fatalities.low, 11);
    assert_eq!(c.casualties.fatalities.high, 11);
    assert_eq!(c.location.precision, LocationPrecision::Admin1);
    assert_eq!(c.location.admin1.as_deref(), Some("Tamanrasset"));
    assert_eq!(c.location.country.as_ref().unwrap().as_str(), "DZA");
    let aqim = c
        .actors
        .iter()
        .find(|a| a.role == ActorRole::Perpetrator)
        .unwrap();
    assert_eq!(aqim.actor_id.as_ref().unwrap().as_str(), "sahel-2012:aqim");
}

#[test]
fn other_figures_and_dates_are_the_briefs() {
    let s = sahel();
    let abuja = incident(&s, "abuja-un-headquarters-bombing-2011-08");
    assert_eq!(abuja.casualties.fatalities.best, 24);
    assert_eq!(abuja.date.precision, DatePrecision::Month);
    let kano = incident(&s, "kano-bombings-2012-01");
    assert_eq!(kano.casualties.fatalities.low, 200);
    assert!(kano.casualties.fatalities.dispute.is_some());
    let djanet = incident(&s, "djanet-italian-tourist-kidnapping-2011-02");
    assert_eq!(djanet.casualties.kidnapped, Some(1));
    let summit = incident(&s, "aqim-colombian-traffickers-summit-2010-10");
    assert_eq!(summit.sub_type, SubType::ArmedGroupMeeting);
    assert_eq!(summit.date.precision, DatePrecision::Week);
    assert_eq!(summit.location.country.as_ref().unwrap().as_str(), "GNB");
    let mig = incident(&s, "mig-21-downed-kidal-2012-01");
    assert_eq!(mig.sub_type, SubType::AircraftDowned);
    assert_eq!(mig.sources[0].grade(), "B3");
    for (slug, day) in [
        (
            "tamanrasset-chiefs-of-staff-meeting-2010-09-26",
            date!(2010 - 09 - 26),
        ),
        (
            "g8-experts-meeting-bamako-2010-10-13",
            date!(2010 - 10 - 13),
        ),
        ("jmc-first-meeting-bamako-2011-04-29", date!(2011 - 04 - 29)),
        (
            "joint-special-forces-exercise-2011-06-02",
            date!(2011 - 06 - 02),
        ),
        (
            "wagadou-forest-aqim-camp-attack-2011-06-09",
            date!(2011 - 06 - 09),
        ),
    ] {
        let c = incident(&s, slug);
        assert_eq!((c.date.start, c.date.end), (day, day), "{slug}");
        assert_eq!(c.date.precision, DatePrecision::Day, "{slug}");
    }
}

#[test]
fn actors_carry_their_names_across_scripts() {
    let s = sahel();
    let targui = s
        .actors
        .iter()
        .find(|a| a.id.as_str() == "sahel-2012:abdelkarim-targui")
        .unwrap();
    let names: Vec<&str> = targui.aliases.iter().map(|a| a.name.as_str()).collect();
    for n in [
        "the Tuareg",
        "Abd al-Karim al-Targui",
        "Abdelkrim el-Targui",
        "عبد الكريم الطارقي",
    ] {
        assert!(names.contains(&n), "{n}");
    }
    let arabic = targui
        .aliases
        .iter()
        .find(|a| a.name == "عبد الكريم الطارقي")
        .unwrap();
    assert_eq!(arabic.script, liaison_core::Script::Arabic);
    let aqim = s
        .actors
        .iter()
        .find(|a| a.id.as_str() == "sahel-2012:aqim")
        .unwrap();
    assert!(aqim.aliases.iter().any(|a| a.name == "GSPC"));
    assert!(aqim.aliases.iter().any(|a| a.name == "AQMI"));
    assert_eq!(aqim.ucdp_id, Some(539));
}

#[test]
fn an_unknown_name_lists_the_known_ones() {
    let err = load("sahel-2013").unwrap_err();
    assert!(matches!(err, ScenarioError::Unknown { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains("sahel-2013") && msg.contains("sahel-2012"),
        "{msg}"
    );
}

/// The embedded file with one exact substring replaced; panics if the substring is not there
/// exactly once, so that a test never silently checks an uncorrupted file.
fn corrupted(from: &str, to: &str) -> String {
    assert_eq!(SAHEL_2012_JSON.matches(from).count(), 1, "{from}");
    SAHEL_2012_JSON.replacen(from, to, 1)
}

fn line_of(text: &str, needle: &str) -> usize {
    text.lines().position(|l| l.contains(needle)).unwrap() + 1
}

#[test]
fn a_bad_value_is_reported_by_path_and_line() {
    let text = corrupted("\"troops\": 147000", "\"troops\": \"many\"");
    let err = parse(&text).unwrap_err();
    let ScenarioError::Syntax { path, line, .. } = &err else {
        panic!("{err:?}")
    };
    assert_eq!(path, "members[0].assets[0].troops");
    assert_eq!(*line, line_of(&text, "\"troops\": \"many\""));
    assert!(err.to_string().contains("invalid type"), "{err}");

    let text = corrupted("\"start\": \"2011-06-30\"", "\"start\": \"2011-06-31\"");
    let ScenarioError::Syntax { path, line, .. } = parse(&text).unwrap_err() else {
        panic!()
    };
    assert!(
        path.starts_with("incidents[") && path.ends_with("].date.start"),
        "{path}"
    );
    assert_eq!(line, line_of(&text, "2011-06-31"));

    let text = corrupted("\"sub_type\": \"bombing\"", "\"sub_type\": \"bombardment\"");
    let ScenarioError::Syntax { path, .. } = parse(&text).unwrap_err() else {
        panic!()
    };
    assert!(path.ends_with("].sub_type"), "{path}");
}

#[test]
fn broken_json_and_misspelt_fields_are_reported() {
    let text = corrupted("\"name\": \"Chad\",", "\"name\": \"Chad\"");
    let ScenarioError::Syntax { line, .. } = parse(&text).unwrap_err() else {
        panic!()
    };
    assert_eq!(line, line_of(&text, "\"name\": \"Chad\""));

    let text = corrupted(
        "\"reference\": \"section 'Lack of Trust'\"},\n\n    {\"slug\": \"jmc-first",
        "\"referense\": \"x\"},\n\n    {\"slug\": \"jmc-first",
    );
    let err = parse(&text).unwrap_err();
    assert!(
        err.to_string().contains("unknown field `referense`"),
        "{err}"
    );
}

#[test]
fn broken_references_are_reported_by_path() {
    let text = corrupted("\"place\": \"wagadou-forest\"", "\"place\": \"wagadu\"");
    let err = parse(&text).unwrap_err();
    let ScenarioError::Invalid { path, message } = &err else {
        panic!("{err:?}")
    };
    assert!(path.ends_with("].place"), "{path}");
    assert!(message.contains("wagadu"), "{message}");

    let text = corrupted("\"actor\": \"khaled-bernaoui\"", "\"actor\": \"bernaoui\"");
    let ScenarioError::Invalid { path, .. } = parse(&text).unwrap_err() else {
        panic!()
    };
    assert!(path.ends_with("].actors[0].actor"), "{path}");

    let text = corrupted(
        "\"slug\": \"tessalit-clashes-2012-01\"",
        "\"slug\": \"aguelhok-clashes-2012-01\"",
    );
    let err = parse(&text).unwrap_err();
    assert!(err.to_string().contains("used twice"), "{err}");

    let text = corrupted(
        "\"fatalities\": {\"best\": 11, \"low\": 11, \"high\": 11}",
        "\"fatalities\": {\"best\": 11, \"low\": 12, \"high\": 11}",
    );
    let ScenarioError::Invalid { path, .. } = parse(&text).unwrap_err() else {
        panic!()
    };
    assert!(path.ends_with("].casualties.fatalities"), "{path}");
}

#[test]
fn the_briefs_relations_resolve_with_spans_and_grades() {
    let s = sahel();
    let actor = |slug: &str| {
        s.actors
            .iter()
            .find(|a| a.id.as_str() == format!("sahel-2012:{slug}"))
            .unwrap()
    };
    let targui = &actor("abdelkarim-targui").relations[0];
    assert_eq!(
        (targui.kind, targui.actor.as_str()),
        (liaison_core::RelationKind::PartOf, "sahel-2012:aqim")
    );
    let coop = &actor("aqim").relations[0];
    assert_eq!(coop.actor.as_str(), "sahel-2012:colombian-drug-traffickers");
    assert_eq!(
        (coop.from, coop.until),
        (Some(date!(2010 - 10 - 21)), Some(date!(2010 - 10 - 31)))
    );
    assert!(coop.source.as_deref().unwrap().contains("opening section"));
    let recruits = &actor("khaled-bernaoui").relations[0];
    assert_eq!(recruits.credibility.map(|c| c.get()), Some(3));
    for a in &s.actors {
        a.validate_relations().unwrap();
    }
}

#[test]
fn broken_relations_are_reported_by_path() {
    let text = corrupted(
        "{\"kind\": \"part_of\", \"actor\": \"aqim\"",
        "{\"kind\": \"part_of\", \"actor\": \"aqmi\"",
    );
    let ScenarioError::Invalid { path, message } = parse(&text).unwrap_err() else {
        panic!()
    };
    assert!(path.ends_with("].relations[0].actor"), "{path}");
    assert!(message.contains("aqmi"), "{message}");

    let text = corrupted("\"until\": \"2010-10-31\"", "\"until\": \"2010-09-30\"");
    let ScenarioError::Invalid { path, message } = parse(&text).unwrap_err() else {
        panic!()
    };
    assert!(path.ends_with("].relations[0].until"), "{path}");
    assert!(message.contains("before"), "{message}");

    let text = corrupted("\"until\": \"2010-10-31\"", "\"until\": \"31/10/2010\"");
    let ScenarioError::Invalid { path, message } = parse(&text).unwrap_err() else {
        panic!()
    };
    assert!(path.ends_with("].relations[0].until"), "{path}");
    assert!(message.contains("YYYY-MM-DD"), "{message}");

    let text = corrupted("{\"kind\": \"trains\"", "{\"kind\": \"teaches\"");
    let err = parse(&text).unwrap_err();
    assert!(
        err.to_string().contains("unknown variant `teaches`"),
        "{err}"
    );
}
