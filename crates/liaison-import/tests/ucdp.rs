//! UCDP GED import, against the real published files in the repository's `data/ucdp/` (copies of the project's
//! shared data, see its README). Row-level failures on inline fixtures are in `ucdp_rows.rs`.
//!
//! Every expected number below was computed independently with Python's `csv` module on the same
//! files (the commands are quoted next to the numbers); none was read off this crate's output.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashMap};

use common::{data, read_file};
use liaison_core::{ActorRole, DatePrecision, LocationPrecision, Reliability, SubType};
use liaison_import::{Dataset, open};
use time::macros::date;

/// Records per file and, among them, rows whose published bounds do not enclose `best`.
/// Python: `rows = list(csv.DictReader(f))`; `len(rows)`; count of `not low <= best <= high`.
const FILES: &[(&str, usize, usize)] = &[
    ("ucdp_ged_Mali.csv", 2120, 23),
    ("ucdp_ged_Burkina.csv", 1504, 32),
    ("ucdp_ged_Senegal.csv", 308, 0),
    ("ucdp_ged_v23_1_sample_region.csv", 61, 0),
    ("ucdp_ged_Niger_cleaned.csv", 517, 7),
];

#[test]
fn published_files_parse_whole_with_every_record_accounted_for() {
    for &(file, records, off_bounds) in FILES {
        // Every record parses, the rows whose bounds exclude `best` included.
        let (ok, errs) = read_file(Dataset::UcdpGed, file);
        assert!(errs.is_empty(), "{file}: {errs:?}");
        assert_eq!(ok.len(), records, "{file}");
        let ids: std::collections::HashSet<_> = ok.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids.len(), records, "{file}: ids are unique");
        // Exactly the out-of-order rows carry a dispute note, which names the three figures as
        // published; the figures themselves are never moved.
        let mut disputed = 0;
        for r in &ok {
            r.content.validate().unwrap();
            assert!(!r.content.title.trim().is_empty());
            let f = &r.content.casualties.fatalities;
            let in_order = f.low <= f.best && f.best <= f.high;
            match &f.dispute {
                None => assert!(in_order, "{file} {}: {f:?}", r.id),
                Some(note) => {
                    disputed += 1;
                    assert!(!in_order, "{file} {}: {f:?}", r.id);
                    let figures = format!("low {}, best {}, high {}", f.low, f.best, f.high);
                    assert!(note.contains(&figures), "{file} {}: {note}", r.id);
                    assert!(note.contains("as published"), "{note}");
                }
            }
        }
        assert_eq!(disputed, off_bounds, "{file}");
    }
}

#[test]
fn out_of_order_figures_are_kept_as_published() {
    // Python, on ucdp_ged_Mali.csv: rows with not low_est <= best_est <= high_est, among them
    // (id, low_est, best_est, high_est) = (507622, 6, 6, 4) (high below best) and
    // (13123, 7, 0, 7), (272764, 18, 17, 45) (low above best).
    let (ok, _) = read_file(Dataset::UcdpGed, "ucdp_ged_Mali.csv");
    for (id, low, best, high) in [
        ("ucdp-ged:507622", 6, 6, 4),
        ("ucdp-ged:13123", 7, 0, 7),
        ("ucdp-ged:272764", 18, 17, 45),
    ] {
        let r = ok.iter().find(|r| r.id.as_str() == id).unwrap();
        let f = &r.content.casualties.fatalities;
        assert_eq!((f.low, f.best, f.high), (low, best, high), "{id}");
        assert_eq!(
            f.dispute.as_deref(),
            Some(
                format!(
                    "as published by UCDP GED: low {low}, best {best}, high {high} are out of order"
                )
                .as_str()
            ),
            "{id}"
        );
    }
}

type Totals = BTreeMap<(String, i32), (usize, u64, u64, u64)>;

fn totals(rows: &[liaison_import::ParsedRow]) -> Totals {
    let mut t = Totals::new();
    for r in rows {
        let c = &r.content;
        let key = (
            c.location.country.as_ref().unwrap().as_str().to_owned(),
            c.date.start.year(),
        );
        let e = t.entry(key).or_default();
        let f = &c.casualties.fatalities;
        e.0 += 1;
        e.1 += u64::from(f.best);
        e.2 += u64::from(f.low);
        e.3 += u64::from(f.high);
    }
    t
}

fn expected(rows: &[(&str, i32, usize, u64, u64, u64)]) -> Totals {
    rows.iter()
        .map(|&(c, y, n, b, l, h)| ((c.to_owned(), y), (n, b, l, h)))
        .collect()
}

#[test]
fn mali_country_year_totals_match_an_independent_count() {
    // Python, on ucdp_ged_Mali.csv (`csv.DictReader`; every row has country_id 432 → MLI):
    // group by the year of date_start (`MM/DD/YYYY`); count rows, and sum best_est, low_est and
    // high_est AS PUBLISHED, the 23 rows whose bounds are out of order included unchanged.
    // Whole file: 2,120 rows, best 15,742, low 15,153, high 20,656.
    let want = expected(&[
        ("MLI", 1990, 15, 582, 582, 729),
        ("MLI", 1991, 11, 247, 191, 354),
        ("MLI", 1992, 8, 86, 86, 128),
        ("MLI", 1993, 1, 0, 0, 3),
        ("MLI", 1994, 41, 729, 729, 1590),
        ("MLI", 1995, 4, 4, 11, 17),
        ("MLI", 1997, 1, 22, 22, 22),
        ("MLI", 1999, 4, 59, 59, 77),
        ("MLI", 2002, 1, 5, 5, 5),
        ("MLI", 2004, 2, 20, 20, 20),
        ("MLI", 2005, 1, 12, 12, 14),
        ("MLI", 2007, 8, 39, 39, 39),
        ("MLI", 2008, 10, 113, 113, 128),
        ("MLI", 2009, 9, 127, 94, 133),
        ("MLI", 2010, 2, 28, 26, 40),
        ("MLI", 2011, 4, 23, 23, 23),
        ("MLI", 2012, 43, 359, 350, 735),
        ("MLI", 2013, 83, 881, 881, 1074),
        ("MLI", 2014, 30, 291, 289, 396),
        ("MLI", 2015, 55, 256, 245, 346),
        ("MLI", 2016, 52, 191, 190, 291),
        ("MLI", 2017, 126, 605, 585, 883),
        ("MLI", 2018, 236, 1281, 1179, 1501),
        ("MLI", 2019, 199, 1227, 1182, 1527),
        ("MLI", 2020, 232, 1509, 1401, 1705),
        ("MLI", 2021, 215, 1287, 1232, 1538),
        ("MLI", 2022, 408, 3650, 3534, 4456),
        ("MLI", 2023, 319, 2109, 2073, 2882),
    ]);
    let (ok, errs) = read_file(Dataset::UcdpGed, "ucdp_ged_Mali.csv");
    assert!(errs.is_empty());
    let got = totals(&ok);
    assert_eq!(got, want);
    let all = got.values().fold((0, 0, 0, 0), |a, v| {
        (a.0 + v.0, a.1 + v.1, a.2 + v.2, a.3 + v.3)
    });
    assert_eq!(all, (2120, 15_742, 15_153, 20_656));
}

#[test]
fn senegal_country_year_totals_match_an_independent_count() {
    // Python, on ucdp_ged_Senegal.csv: group by (433→SEN, year of date_start); count rows, sum
    // best_est, low_est, high_est as published (no row breaks low ≤ best ≤ high).
    let want = expected(&[
        ("SEN", 1989, 11, 121, 121, 137),
        ("SEN", 1990, 14, 84, 84, 85),
        ("SEN", 1991, 7, 16, 16, 17),
        ("SEN", 1992, 16, 135, 135, 151),
        ("SEN", 1993, 30, 285, 285, 305),
        ("SEN", 1995, 39, 329, 329, 350),
        ("SEN", 1996, 2, 5, 5, 5),
        ("SEN", 1997, 32, 366, 366, 370),
        ("SEN", 1998, 31, 343, 343, 353),
        ("SEN", 1999, 9, 31, 31, 31),
        ("SEN", 2000, 23, 56, 56, 60),
        ("SEN", 2001, 12, 47, 47, 237),
        ("SEN", 2002, 15, 45, 45, 46),
        ("SEN", 2003, 5, 39, 38, 39),
        ("SEN", 2004, 1, 3, 3, 3),
        ("SEN", 2005, 2, 46, 41, 51),
        ("SEN", 2006, 4, 126, 126, 126),
        ("SEN", 2008, 3, 11, 11, 14),
        ("SEN", 2009, 11, 19, 19, 20),
        ("SEN", 2010, 9, 19, 19, 19),
        ("SEN", 2011, 14, 37, 37, 55),
        ("SEN", 2012, 10, 23, 23, 23),
        ("SEN", 2013, 4, 8, 8, 8),
        ("SEN", 2018, 1, 1, 1, 1),
        ("SEN", 2020, 1, 0, 0, 2),
        ("SEN", 2021, 2, 0, 0, 7),
    ]);
    let (ok, errs) = read_file(Dataset::UcdpGed, "ucdp_ged_Senegal.csv");
    assert!(errs.is_empty());
    assert_eq!(totals(&ok), want);
}

#[test]
fn lines_are_where_records_start_even_after_multi_line_fields() {
    // Python: start line of a record = the reader's line_num after the previous record, plus 1.
    // ucdp_ged_Mali.csv holds 253 records spanning several lines; the file has 2,804 lines.
    let (ok, _) = read_file(Dataset::UcdpGed, "ucdp_ged_Mali.csv");
    let line: HashMap<&str, u64> = ok.iter().map(|r| (r.id.as_str(), r.line)).collect();
    assert_eq!(line["ucdp-ged:235799"], 2);
    assert_eq!(line["ucdp-ged:464536"], 5); // spans lines 5–11
    assert_eq!(line["ucdp-ged:436994"], 16);
    assert_eq!(line["ucdp-ged:452656"], 2786);
    assert_eq!(line["ucdp-ged:452663"], 2804);
    let size = std::fs::metadata(data("ucdp_ged_Mali.csv")).unwrap().len();
    assert_eq!(ok.last().unwrap().byte_end, size);
    assert!(ok.windows(2).all(|w| w[0].byte_end < w[1].byte_end));
    let (ok, _) = read_file(Dataset::UcdpGed, "ucdp_ged_v23_1_sample_region.csv");
    assert_eq!(ok.last().unwrap().line, 68); // the last record spans lines 68–72
}

#[test]
fn a_per_country_export_row_maps_field_by_field() {
    let (ok, _) = read_file(Dataset::UcdpGed, "ucdp_ged_Mali.csv");
    let r = &ok[0];
    let c = &r.content;
    assert_eq!(r.id.as_str(), "ucdp-ged:235799");
    assert_eq!(c.title, "Fulani - Tuareg: Ansongo cercle");
    assert_eq!(c.sub_type, SubType::ArmedClash);
    assert_eq!(c.date.start, date!(2016 - 05 - 26));
    assert_eq!(c.date.end, date!(2016 - 05 - 26));
    assert_eq!(c.date.precision, DatePrecision::Day);
    let loc = &c.location;
    let p = loc.point.unwrap();
    assert_eq!((p.lat, p.lon), (15.736902, 0.780081));
    assert_eq!(loc.precision, LocationPrecision::Admin2);
    assert_eq!(loc.place_name.as_deref(), Some("Ansongo cercle"));
    assert_eq!(loc.admin1.as_deref(), Some("Gao region"));
    assert_eq!(loc.admin2.as_deref(), Some("Ansongo cercle"));
    assert_eq!(loc.country.as_ref().unwrap().as_str(), "MLI");
    assert_eq!(c.actors.len(), 2);
    assert_eq!(c.actors[0].name, "Fulani");
    assert_eq!(c.actors[0].role, ActorRole::SideA);
    assert_eq!(
        c.actors[0].actor_id.as_ref().unwrap().as_str(),
        "ucdp-actor:607"
    );
    assert_eq!(c.actors[1].name, "Tuareg");
    assert_eq!(c.actors[1].role, ActorRole::SideB);
    assert_eq!(
        c.actors[1].actor_id.as_ref().unwrap().as_str(),
        "ucdp-actor:937"
    );
    let f = &c.casualties.fatalities;
    assert_eq!((f.best, f.low, f.high), (2, 2, 2));
    let headline = "Mali: AQIM and Security Related Incidents in May 2016";
    assert_eq!(c.narrative.as_ref().unwrap().text, headline);
    assert_eq!(c.sources.len(), 1);
    let s = &c.sources[0];
    assert_eq!(s.name, "Maghreb and Sahel. Sand, Tea, and Guns");
    assert_eq!(s.reference.as_deref(), Some(headline));
    assert_eq!(s.date, Some(date!(2016 - 06 - 01)));
    assert_eq!(s.grade(), "B2");
    assert_eq!(c.markings, liaison_core::Markings::open());
    let prov = c.provenance.as_ref().unwrap();
    assert_eq!(prov.dataset, "ucdp-ged");
    assert_eq!(prov.record_id, "235799");
    assert_eq!(prov.original_type.as_deref(), Some("type_of_violence=2"));
    assert!(prov.attribution.as_deref().unwrap().contains("CC BY 4.0"));
}

#[test]
fn official_column_names_and_iso_dates() {
    let (ok, _) = read_file(Dataset::UcdpGed, "ucdp_ged_v23_1_sample_region.csv");
    let r = ok
        .iter()
        .find(|r| r.id.as_str() == "ucdp-ged:256789")
        .unwrap();
    let c = &r.content;
    assert_eq!(c.title, "Government of Mali - JNIM: Mopti region");
    assert_eq!(c.sub_type, SubType::ClashWithArmedForces);
    assert_eq!(c.date.start, date!(2018 - 01 - 11));
    assert_eq!(c.location.precision, LocationPrecision::Admin1);
    assert_eq!(c.location.admin2, None);
    assert_eq!(
        c.actors[1].actor_id.as_ref().unwrap().as_str(),
        "ucdp-actor:6716"
    );
    // Countries other than the four of the per-country files come through their GW codes.
    let mut countries: Vec<&str> = ok
        .iter()
        .map(|r| r.content.location.country.as_ref().unwrap().as_str())
        .collect();
    countries.sort_unstable();
    countries.dedup();
    // Python: sorted(set(row["country_id"])) → 432, 436, 439, 471, 475, 483, 615, 620.
    assert_eq!(
        countries,
        ["BFA", "CMR", "DZA", "LBY", "MLI", "NER", "NGA", "TCD"]
    );
}

#[test]
fn a_file_without_the_optional_columns_still_reads() {
    let (ok, _) = read_file(Dataset::UcdpGed, "ucdp_ged_Niger_cleaned.csv");
    let c = &ok[0].content;
    assert_eq!(ok[0].id.as_str(), "ucdp-ged:487942");
    assert_eq!(c.title, "Government of Niger - IS: Niger");
    assert_eq!(c.location.precision, LocationPrecision::Country);
    assert_eq!(c.location.place_name, None);
    assert!(c.actors.is_empty());
    assert_eq!(c.narrative, None);
    assert_eq!(c.sources[0].name, "UCDP GED");
    assert_eq!(c.sources[0].reliability, Reliability::B);
    let low_clarity = ok
        .iter()
        .filter(|r| r.content.sources[0].credibility.get() == 3)
        .count();
    // Python: rows of ucdp_ged_Niger_cleaned.csv with event_clarity == "2".
    assert_eq!(low_clarity, 38);
}

/// Lines of `ucdp_ged_Niger.csv` whose whole record breaks low ≤ best ≤ high, with the record's id
/// and its published low_est, best_est, high_est (Python, below).
const NIGER_OFF_BOUNDS: [(u64, &str, u32, u32, u32); 4] = [
    (543, "ucdp-ged:476631", 3, 4, 3),
    (676, "ucdp-ged:374839", 1, 2, 1),
    (701, "ucdp-ged:477032", 4, 3, 3),
    (797, "ucdp-ged:439005", 0, 33, 32),
];

#[test]
fn the_damaged_niger_file_yields_only_whole_records() {
    // Python, reading the file as what it is (`;`-separated, 864 lines, the first cell of each
    // line a line of the original comma CSV): 863 data lines; 299 hold text after the first `;`
    // (a record split at a `;`), 118 have an empty first cell, 131 have a first cell of 1 to 27
    // fields (cut at a line break), 315 are whole 48-field rows, of which the rows on lines 543,
    // 676, 701 and 797 break low ≤ best ≤ high (kept as published, flagged). The whole rows'
    // best_est sum to 2,231.
    let file = "ucdp_ged_Niger.csv";
    let reader = open(Dataset::UcdpGed, std::fs::File::open(data(file)).unwrap()).unwrap();
    assert!(
        reader
            .notice()
            .unwrap()
            .contains("re-saved by a spreadsheet")
    );
    assert_eq!(reader.header().len(), 47);

    let (ok, errs) = read_file(Dataset::UcdpGed, file);
    assert_eq!(ok.len(), 315);
    assert_eq!(errs.len(), 548);
    let best: u64 = ok
        .iter()
        .map(|r| u64::from(r.content.casualties.fatalities.best))
        .sum();
    assert_eq!(best, 2231);
    assert_eq!((ok[0].line, ok[0].id.as_str()), (2, "ucdp-ged:487942"));
    let last = ok.last().unwrap();
    assert_eq!((last.line, last.id.as_str()), (864, "ucdp-ged:404499"));

    // Every physical line after the header is one record, yielded exactly once.
    let mut lines: Vec<u64> = ok
        .iter()
        .map(|r| r.line)
        .chain(errs.iter().map(|e| e.line))
        .collect();
    lines.sort_unstable();
    assert_eq!(lines, (2..=864).collect::<Vec<u64>>());

    let mut kinds: BTreeMap<&str, usize> = BTreeMap::new();
    for e in &errs {
        assert!(e.line >= 2 && !e.reason.is_empty());
        assert_eq!(e.column, None, "{e}");
        let kind = if e.reason.contains("took for a separator") {
            "split at ';'"
        } else if e.reason.contains("no record on this line") {
            "empty fragment"
        } else if e
            .reason
            .contains("fields where the header has 47: the record is cut short")
        {
            "cut short"
        } else {
            panic!("unexpected reason: {e}")
        };
        *kinds.entry(kind).or_default() += 1;
    }
    let want: BTreeMap<&str, usize> = [
        ("split at ';'", 299),
        ("empty fragment", 118),
        ("cut short", 131),
    ]
    .into();
    assert_eq!(kinds, want);

    // The four whole rows with out-of-order figures are among the 315, as published, flagged.
    let disputed: Vec<(u64, &str, u32, u32, u32)> = ok
        .iter()
        .filter(|r| r.content.casualties.fatalities.dispute.is_some())
        .map(|r| {
            let f = &r.content.casualties.fatalities;
            let note = f.dispute.as_deref().unwrap();
            let figures = format!("low {}, best {}, high {}", f.low, f.best, f.high);
            assert!(note.contains(&figures), "{}: {note}", r.id);
            (r.line, r.id.as_str(), f.low, f.best, f.high)
        })
        .collect();
    assert_eq!(disputed, NIGER_OFF_BOUNDS);

    // What was read is what the cleaned export says about the same events.
    let (clean, _) = read_file(Dataset::UcdpGed, "ucdp_ged_Niger_cleaned.csv");
    let clean: HashMap<&str, &liaison_core::IncidentContent> =
        clean.iter().map(|r| (r.id.as_str(), &r.content)).collect();
    for r in &ok {
        let c = clean[r.id.as_str()];
        assert_eq!(r.content.date, c.date, "{}", r.id);
        assert_eq!(r.content.casualties, c.casualties, "{}", r.id);
        assert_eq!(r.content.location.point, c.location.point, "{}", r.id);
        assert_eq!(r.content.location.country, c.location.country, "{}", r.id);
        assert_eq!(r.content.sub_type, c.sub_type, "{}", r.id);
    }
}
