//! Tests of the field-report format: the documented examples read as they say, every refusal
//! names the word at fault, and a report becomes a draft incident that validates.
#![allow(clippy::unwrap_used)]

use super::*;
use crate::date::parse_iso_date;

fn day(s: &str) -> Date {
    parse_iso_date(s).unwrap()
}

const RECEIVED: &str = "2012-01-20";

fn ok(text: &str) -> FieldReport {
    parse(text, day(RECEIVED)).unwrap_or_else(|e| panic!("{text}: {e}"))
}

fn refused(text: &str) -> FieldReportError {
    parse(text, day(RECEIVED)).expect_err(text)
}

#[test]
fn the_documented_example_reads_whole() {
    let r = ok("ATK @Aguelhok 17/01/2012 06:30 K3 W2 A:AQIM / attaque du poste a l'aube");
    assert_eq!(r.sub_type, SubType::ArmedAttack);
    assert_eq!(r.place, PlaceRef::Named("Aguelhok".into()));
    assert_eq!(r.date, day("2012-01-17"));
    assert_eq!(r.time, Some((6, 30)));
    assert_eq!(r.killed, Some(Count { low: 3, high: 3 }));
    assert_eq!(r.wounded, Some(Count { low: 2, high: 2 }));
    assert_eq!(r.actors, [("AQIM".to_owned(), ActorRole::Perpetrator)]);
    assert_eq!(r.note.as_deref(), Some("attaque du poste a l'aube"));
}

#[test]
fn short_forms_coordinates_ranges_and_names_with_spaces() {
    let r = ok("kid @16.27,-0.04 18/01 h2 r0-1 a:Ansar_Dine t:MSF_staff");
    assert_eq!(r.sub_type, SubType::Kidnapping);
    assert_eq!(
        r.place,
        PlaceRef::Point(GeoPoint {
            lat: 16.27,
            lon: -0.04
        })
    );
    assert_eq!(
        r.date,
        day("2012-01-18"),
        "DD/MM is read in the year received"
    );
    assert_eq!(r.kidnapped, Some(Count { low: 2, high: 2 }));
    assert_eq!(r.released, Some(Count { low: 0, high: 1 }));
    assert_eq!(
        r.actors,
        [
            ("Ansar Dine".to_owned(), ActorRole::Perpetrator),
            ("MSF staff".to_owned(), ActorRole::Target)
        ]
    );
    // A day after the day received is last year's.
    assert_eq!(ok("DRUGS @In_Guezzam 25/12").date, day("2011-12-25"));
    assert_eq!(
        ok("seizure_drugs @In_Guezzam 2012-01-02").sub_type,
        SubType::SeizureDrugs
    );
    assert_eq!(
        ok("IED @Gao 19/01 K1-4").killed,
        Some(Count { low: 1, high: 4 })
    );
}

#[test]
fn refusals_name_the_word_at_fault() {
    for (text, word, needle) in [
        ("PICNIC @Gao 17/01", 1, "unknown type"),
        ("ATK @Gao 17/01 K3x", 4, "whole number"),
        ("ATK @Gao 17/01 K5-3", 4, "runs backwards"),
        ("ATK @Gao 32/01", 3, "not a date"),
        ("ATK @Gao 17/01 K3 K4", 5, "given twice"),
        ("ATK @95,0 17/01", 2, "coordinates are @lat,lon"),
        ("ATK @Gao @Kidal 17/01", 3, "a second place"),
        ("ATK @Gao 17/01 banana", 4, "not understood"),
        ("ATK @Gao 21/01/2012", 3, "after the report was received"),
        ("ATK @Gao 17/01 A:", 4, "actor's name"),
    ] {
        let e = refused(text);
        assert_eq!(e.word, word, "{text}: {e}");
        assert!(e.to_string().contains(needle), "{text}: {e}");
        assert!(e.to_string().starts_with(&format!("word {word} '")), "{e}");
    }
    assert!(refused("").to_string().contains("empty"));
    assert!(refused("ATK 17/01 K3").to_string().contains("no place"));
    assert!(refused("ATK @Gao K3").to_string().contains("no date"));
    let long = format!("ATK @Gao 17/01 / {}", "x".repeat(150));
    assert!(refused(&long).to_string().contains("one SMS holds 160"));
}

#[test]
fn a_report_becomes_a_draft_that_validates() {
    let raw = "ATK @Aguelhok 17/01 06:30 K3-5 W2 A:AQIM / poste attaque";
    let r = ok(raw);
    let place = ResolvedPlace {
        point: GeoPoint {
            lat: 19.46139,
            lon: 0.85889,
        },
        country: Some(CountryCode::parse("MLI").unwrap()),
        place_name: Some("Aguelhok".into()),
        admin1: Some("Kidal".into()),
        precision: LocationPrecision::Near,
    };
    let c = r.draft(&place, "+223 7000 0000", raw, Lang::Fr);
    c.validate().unwrap();
    assert_eq!(c.title, "armed attack at Aguelhok (field report)");
    assert_eq!(
        (
            c.casualties.fatalities.best,
            c.casualties.fatalities.low,
            c.casualties.fatalities.high
        ),
        (3, 3, 5)
    );
    assert_eq!(c.casualties.injured, Some(2));
    assert_eq!(c.sources[0].grade(), "F6");
    let n = c.narrative.unwrap();
    assert!(
        n.text.contains(raw) && n.text.contains("06:30"),
        "{}",
        n.text
    );
    assert_eq!(c.actors[0].name, "AQIM");
}

#[test]
fn every_type_code_is_distinct_and_reads_back() {
    for (i, (code, t)) in TYPE_CODES.iter().enumerate() {
        assert!(TYPE_CODES[i + 1..].iter().all(|(c, _)| c != code), "{code}");
        assert_eq!(sub_type_of(code), Some(*t));
        assert_eq!(sub_type_of(&code.to_ascii_lowercase()), Some(*t));
    }
}
