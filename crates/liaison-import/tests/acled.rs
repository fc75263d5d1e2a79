//! ACLED import, against `tests/data/acled_synthetic_sahel.csv` — twelve synthetic rows in the
//! codebook's column layout, written for these tests (not ACLED data, see the data README) — and
//! inline fixtures for each way a row can be bad.
//!
//! Expected numbers were computed independently with Python's `csv` module on the fixture.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::BTreeMap;

use common::{read_file, read_str};
use liaison_core::{ActorRole, DatePrecision, LocationPrecision, SubType};
use liaison_import::{Dataset, open};
use time::macros::date;

const FIXTURE: &str = "acled_synthetic_sahel.csv";

fn fixture() -> Vec<liaison_import::ParsedRow> {
    let (ok, errs) = read_file(Dataset::Acled, FIXTURE);
    assert!(errs.is_empty(), "{errs:?}");
    ok
}

fn by_id<'a>(rows: &'a [liaison_import::ParsedRow], id: &str) -> &'a liaison_import::ParsedRow {
    rows.iter().find(|r| r.id.as_str() == id).unwrap()
}

#[test]
fn the_fixture_parses_whole() {
    // Python: 12 records; fatalities sum to 59; iso counts 466×4, 562×2, 12×2, 854×2, 478, 566.
    let rows = fixture();
    assert_eq!(rows.len(), 12);
    let total: u32 = rows
        .iter()
        .map(|r| r.content.casualties.fatalities.best)
        .sum();
    assert_eq!(total, 59);
    let mut per_country: BTreeMap<&str, usize> = BTreeMap::new();
    for r in &rows {
        *per_country
            .entry(r.content.location.country.as_ref().unwrap().as_str())
            .or_default() += 1;
        r.content.validate().unwrap();
    }
    let want: BTreeMap<&str, usize> = [
        ("BFA", 2),
        ("DZA", 2),
        ("MLI", 4),
        ("MRT", 1),
        ("NER", 2),
        ("NGA", 1),
    ]
    .into();
    assert_eq!(per_country, want);
    // Python start lines: NGA900007's notes span lines 8–9, so the next record starts on 10.
    assert_eq!(by_id(&rows, "acled:NGA900007").line, 8);
    assert_eq!(by_id(&rows, "acled:MLI900008").line, 10);
    assert_eq!(by_id(&rows, "acled:DZA900012").line, 14);
}

#[test]
fn a_row_maps_field_by_field() {
    let rows = fixture();
    let r = by_id(&rows, "acled:NER900003");
    let c = &r.content;
    assert_eq!(c.title, "Abduction/forced disappearance: Arlit");
    assert_eq!(c.sub_type, SubType::Kidnapping);
    assert_eq!(c.date.start, date!(2010 - 09 - 16));
    assert_eq!(c.date.end, c.date.start);
    assert_eq!(c.date.precision, DatePrecision::Day);
    let loc = &c.location;
    assert_eq!(loc.country.as_ref().unwrap().as_str(), "NER");
    assert_eq!(loc.precision, LocationPrecision::Exact);
    assert_eq!(loc.place_name.as_deref(), Some("Arlit"));
    assert_eq!(loc.admin1.as_deref(), Some("Agadez"));
    assert_eq!(loc.admin2.as_deref(), Some("Arlit"));
    let p = loc.point.unwrap();
    assert_eq!((p.lat, p.lon), (18.7369, 7.3853));
    let actors: Vec<(&str, ActorRole)> =
        c.actors.iter().map(|a| (a.name.as_str(), a.role)).collect();
    assert_eq!(
        actors,
        [
            ("AQIM: Al Qaeda in the Islamic Maghreb", ActorRole::SideA),
            ("Civilians (France)", ActorRole::SideB),
            ("Civilians (Togo)", ActorRole::Participant),
            ("Civilians (Madagascar)", ActorRole::Participant),
        ]
    );
    assert!(c.actors.iter().all(|a| a.actor_id.is_none()));
    assert_eq!(c.casualties.fatalities, liaison_core::Fatalities::exact(0));
    let sources: Vec<(&str, String)> = c
        .sources
        .iter()
        .map(|s| (s.name.as_str(), s.grade()))
        .collect();
    assert_eq!(
        sources,
        [
            ("Radio France Internationale", "B2".to_owned()),
            ("Agence France Presse", "B2".to_owned()),
            ("Le Monde", "B2".to_owned()),
        ]
    );
    assert!(
        c.narrative
            .as_ref()
            .unwrap()
            .text
            .starts_with("Synthetic fixture. Armed men")
    );
    let prov = c.provenance.as_ref().unwrap();
    assert_eq!(prov.dataset, "acled");
    assert_eq!(prov.record_id, "NER900003");
    assert_eq!(
        prov.original_type.as_deref(),
        Some("Violence against civilians / Abduction/forced disappearance")
    );
    assert_eq!(
        prov.attribution.as_deref(),
        Some("ACLED (Armed Conflict Location & Event Data), acleddata.com")
    );
    assert_eq!(c.markings, liaison_core::Markings::open());
}

#[test]
fn dates_precisions_and_types_of_the_fixture() {
    let rows = fixture();
    let r = &by_id(&rows, "acled:MLI900002").content;
    assert_eq!(r.date.start, date!(2012 - 03 - 15)); // written "15 March 2012"
    assert_eq!(r.date.precision, DatePrecision::Week);
    assert_eq!(r.sub_type, SubType::TerritoryTaken);
    let r = &by_id(&rows, "acled:MLI900010").content;
    assert_eq!(r.date.precision, DatePrecision::Month);
    assert_eq!(r.location.precision, LocationPrecision::Admin1);
    assert_eq!(r.sub_type, SubType::AttackOnCivilians);
    let r = &by_id(&rows, "acled:MLI900008").content;
    assert_eq!(r.sub_type, SubType::Protest);
    let roles: Vec<ActorRole> = r.actors.iter().map(|a| a.role).collect();
    assert_eq!(roles, [ActorRole::SideA, ActorRole::Participant]);
    let r = &by_id(&rows, "acled:NGA900007").content;
    assert_eq!(r.sub_type, SubType::SuicideBombing);
    assert!(r.narrative.as_ref().unwrap().text.contains('\n'));
    let r = &by_id(&rows, "acled:DZA900012").content;
    assert_eq!(r.sub_type, SubType::SeizureArms);
    assert_eq!(r.location.precision, LocationPrecision::Near);
    let r = &by_id(&rows, "acled:BFA900011").content;
    assert_eq!(r.actors.len(), 4);
}

// ---- inline fixtures ----

const HEADER: &str = "event_id_cnty,event_date,year,time_precision,disorder_type,event_type,sub_event_type,actor1,assoc_actor_1,inter1,actor2,assoc_actor_2,inter2,interaction,civilian_targeting,iso,region,country,admin1,admin2,admin3,location,latitude,longitude,geo_precision,source,source_scale,notes,fatalities,tags,timestamp";
const ROW: &str = "MLI900101,2012-01-24,2012,1,Political violence,Battles,Armed clash,MNLA: National Movement for the Liberation of Azawad,,2,Military Forces of Mali (2002-2012),,1,12,,466,Western Africa,Mali,Kidal,Tessalit,Aguelhok,Aguelhok,19.4614,0.8591,1,Reuters,International,Synthetic.,3,,1700000101";

fn acled(changes: &[(&str, &str)]) -> String {
    let header: Vec<&str> = HEADER.split(',').collect();
    let mut row: Vec<String> = ROW.split(',').map(str::to_owned).collect();
    for (col, v) in changes {
        let i = header.iter().position(|h| h == col).unwrap();
        row[i] = (*v).to_owned();
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    w.write_record(&row).unwrap();
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn error_of(changes: &[(&str, &str)]) -> liaison_import::RowError {
    let (ok, mut errs) = read_str(Dataset::Acled, &acled(changes));
    assert!(ok.is_empty(), "{changes:?} parsed");
    assert_eq!(errs.len(), 1);
    errs.remove(0)
}

#[test]
fn the_inline_row_is_valid() {
    let (ok, errs) = read_str(Dataset::Acled, &acled(&[]));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(ok[0].id.as_str(), "acled:MLI900101");
    assert_eq!(ok[0].content.title, "Armed clash: Aguelhok");
}

#[test]
fn bad_values_name_their_column() {
    for (col, v, reason) in [
        ("fatalities", "many", "'many' is not a whole number"),
        ("event_date", "24/01/2012", "is not a date"),
        ("event_date", "", "is empty"),
        ("latitude", "95", "out of range"),
        ("iso", "999", "not the ISO 3166-1 numeric code of a country"),
        ("event_type", "Bombings", "is not an ACLED event type"),
        ("time_precision", "4", "time precision"),
        ("geo_precision", "0", "geo precision"),
        ("event_id_cnty", "MLI 1", "may only hold"),
        ("actor1", "", "is empty"),
    ] {
        let e = error_of(&[(col, v)]);
        assert_eq!(e.column.as_deref(), Some(col), "{e}");
        assert!(e.reason.contains(reason), "{e}");
        assert_eq!(e.line, 2);
    }
}

#[test]
fn the_country_falls_back_to_its_name_and_sources_to_acled() {
    let text = acled(&[("iso", ""), ("country", "Mauritania"), ("source", " ; ")]);
    let (ok, errs) = read_str(Dataset::Acled, &text);
    assert!(errs.is_empty(), "{errs:?}");
    let c = &ok[0].content;
    assert_eq!(c.location.country.as_ref().unwrap().as_str(), "MRT");
    assert_eq!(c.sources.len(), 1);
    assert_eq!(c.sources[0].name, "ACLED");
}

#[test]
fn missing_columns_are_named() {
    let e = open(
        Dataset::Acled,
        &b"event_id_cnty,event_date,notes\nX1,2012-01-01,x\n"[..],
    )
    .err()
    .unwrap();
    assert_eq!(
        e.missing_columns(),
        [
            "time_precision",
            "event_type",
            "sub_event_type",
            "actor1",
            "latitude",
            "longitude",
            "geo_precision",
            "fatalities",
            "iso or country"
        ]
    );
    // A UCDP file is not an ACLED file.
    let ged = std::fs::read(common::data("ucdp_ged_Senegal.csv")).unwrap();
    let e = open(Dataset::Acled, &ged[..]).err().unwrap();
    assert!(e.to_string().starts_with("not a valid ACLED file"), "{e}");
}
