//! UCDP GED import, row by row: small inline fixtures in the official GED 23.1 layout, one for
//! each way a row or a header can be bad, each checked for the exact line and column it names.
//! The real published files are exercised in `tests/ucdp.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::read_str;
use liaison_import::{Dataset, HeaderError, open};

/// The official GED 23.1 header.
const OFFICIAL: &str = "id,relid,year,active_year,code_status,type_of_violence,conflict_dset_id,conflict_new_id,conflict_name,dyad_dset_id,dyad_new_id,dyad_name,side_a_dset_id,side_a_new_id,side_a,side_b_dset_id,side_b_new_id,side_b,number_of_sources,source_article,source_office,source_date,source_headline,source_original,where_prec,where_coordinates,where_description,adm_1,adm_2,latitude,longitude,geom_wkt,priogrid_gid,country,country_id,region,event_clarity,date_prec,date_start,date_end,deaths_a,deaths_b,deaths_civilians,deaths_unknown,best,high,low,gwnoa,gwnob";

/// A valid row under [`OFFICIAL`] (sample_region's event 256789, abridged).
const ROW: &str = "256789,MLI-2018-1-15108-45,2018,1,Clear,1,11347,11347,Mali: Government,15108,15108,Government of Mali - JNIM,72,72,Government of Mali,6716,6716,JNIM,1,\"\"\"Sahel memo,2018-05-29,Mali – Sahel\"\"\",Sahel memo,2018-05-29,Mali – Sahel: January 2018,Sahel Memo,4,Mopti region,\"between Soumpi and Hombori, Mopti Region\",Mopti region,,14.666667,-4.0,POINT (-4 14.666667),150833,Mali,432,Africa,1,1,2018-01-11,2018-01-11,1,0,0,0,1,1,1,432,";

/// [`OFFICIAL`] and one row of [`ROW`] with some columns changed.
fn ged(changes: &[(&str, &str)]) -> String {
    let header: Vec<&str> = OFFICIAL.split(',').collect();
    let mut row: Vec<String> = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(ROW.as_bytes())
        .records()
        .next()
        .unwrap()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    for (col, v) in changes {
        let i = header.iter().position(|h| h == col).unwrap();
        row[i] = (*v).to_owned();
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(&header).unwrap();
    w.write_record(&row).unwrap();
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

/// The single error one changed row yields.
fn error_of(changes: &[(&str, &str)]) -> liaison_import::RowError {
    let (ok, mut errs) = read_str(Dataset::UcdpGed, &ged(changes));
    assert!(ok.is_empty(), "{changes:?} parsed");
    assert_eq!(errs.len(), 1);
    errs.remove(0)
}

#[test]
fn the_fixture_row_is_valid() {
    let (ok, errs) = read_str(Dataset::UcdpGed, &ged(&[]));
    assert!(errs.is_empty(), "{errs:?}");
    assert_eq!(ok[0].id.as_str(), "ucdp-ged:256789");
    assert_eq!(ok[0].line, 2);
}

#[test]
fn a_bad_number_names_its_column() {
    let e = error_of(&[("best", "abc")]);
    assert_eq!(
        e.to_string(),
        "line 2, column best: 'abc' is not a whole number"
    );
    let e = error_of(&[("high", "-3")]);
    assert_eq!(e.column.as_deref(), Some("high"));
}

#[test]
fn a_bad_date_names_its_column() {
    let e = error_of(&[("date_start", "2018-13-01")]);
    assert_eq!(e.column.as_deref(), Some("date_start"));
    assert!(e.reason.contains("'2018-13-01' is not a date"), "{e}");
    let e = error_of(&[("date_end", "2018-01-10")]);
    assert_eq!(e.column.as_deref(), Some("date_end"));
    assert!(e.reason.contains("before date_start"), "{e}");
    let e = error_of(&[("date_prec", "9")]);
    assert_eq!(e.column.as_deref(), Some("date_prec"));
}

#[test]
fn coordinates_out_of_range_name_their_column() {
    let e = error_of(&[("latitude", "95")]);
    assert_eq!(
        e.to_string(),
        "line 2, column latitude: '95' is out of range (degrees between -90 and 90)"
    );
    let e = error_of(&[("longitude", "NaN")]);
    assert_eq!(e.column.as_deref(), Some("longitude"));
}

#[test]
fn out_of_order_fatality_figures_are_kept_as_published_with_a_dispute() {
    for (low, best, high) in [("5", "3", "6"), ("1", "3", "2"), ("4", "0", "0")] {
        let text = ged(&[("low", low), ("best", best), ("high", high)]);
        let (ok, errs) = read_str(Dataset::UcdpGed, &text);
        assert!(errs.is_empty(), "{errs:?}");
        assert_eq!(ok.len(), 1);
        let f = &ok[0].content.casualties.fatalities;
        // Not a figure moved.
        assert_eq!(
            (f.low.to_string(), f.best.to_string(), f.high.to_string()),
            (low.to_owned(), best.to_owned(), high.to_owned())
        );
        assert_eq!(
            f.dispute.as_deref(),
            Some(
                format!(
                    "as published by UCDP GED: low {low}, best {best}, high {high} are out of order"
                )
                .as_str()
            )
        );
        ok[0].content.validate().unwrap();
    }
    // Figures in order carry no note.
    let text = ged(&[("low", "2"), ("best", "3"), ("high", "4")]);
    let (ok, _) = read_str(Dataset::UcdpGed, &text);
    let f = &ok[0].content.casualties.fatalities;
    assert_eq!(
        (f.low, f.best, f.high, f.dispute.as_deref()),
        (2, 3, 4, None)
    );
    // A figure that is not a number is still refused, naming its column.
    let e = error_of(&[("low", "5"), ("best", "x"), ("high", "6")]);
    assert_eq!(
        e.to_string(),
        "line 2, column best: 'x' is not a whole number"
    );
}

#[test]
fn unknown_codes_name_their_column() {
    let e = error_of(&[("country_id", "999")]);
    assert_eq!(
        e.to_string(),
        "line 2, column country_id: '999' is not the Gleditsch–Ward code of a known country"
    );
    let e = error_of(&[("type_of_violence", "4")]);
    assert_eq!(e.column.as_deref(), Some("type_of_violence"));
    let e = error_of(&[("where_prec", "8")]);
    assert_eq!(e.column.as_deref(), Some("where_prec"));
    let e = error_of(&[("event_clarity", "3")]);
    assert_eq!(e.column.as_deref(), Some("event_clarity"));
    let e = error_of(&[("side_a_new_id", "x1")]);
    assert_eq!(e.column.as_deref(), Some("side_a_new_id"));
}

#[test]
fn the_country_falls_back_to_its_name() {
    let (ok, _) = read_str(
        Dataset::UcdpGed,
        &ged(&[("country_id", ""), ("country", "Niger")]),
    );
    assert_eq!(
        ok[0].content.location.country.as_ref().unwrap().as_str(),
        "NER"
    );
    let e = error_of(&[("country_id", ""), ("country", "Atlantis")]);
    assert_eq!(e.column.as_deref(), Some("country"));
    let e = error_of(&[("country_id", ""), ("country", "")]);
    assert!(e.reason.contains("no country"), "{e}");
}

#[test]
fn a_missing_or_shifted_id_is_refused() {
    let e = error_of(&[("id", "")]);
    assert_eq!(e.column.as_deref(), Some("id"));
    assert!(e.reason.contains("empty"), "{e}");
    let e = error_of(&[("id", "Niger")]);
    assert!(e.reason.contains("shifted"), "{e}");
}

#[test]
fn event_clarity_two_lowers_credibility() {
    let (ok, _) = read_str(Dataset::UcdpGed, &ged(&[("event_clarity", "2")]));
    assert_eq!(ok[0].content.sources[0].grade(), "B3");
}

#[test]
fn a_wrong_field_count_is_refused_and_iteration_goes_on() {
    let mut text = ged(&[]);
    let good = text.lines().nth(1).unwrap().to_owned();
    let cut = good
        .rsplit_once(',')
        .unwrap()
        .0
        .rsplit_once(',')
        .unwrap()
        .0
        .to_owned();
    text.push_str(&cut);
    text.push('\n');
    text.push_str(&format!("{good},,\n")); // two extra fields: refused
    text.push_str(&format!("{good}\n"));
    let (ok, errs) = read_str(Dataset::UcdpGed, &text);
    assert_eq!(ok.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 5]);
    assert_eq!(errs.len(), 2);
    assert_eq!(
        errs[0].to_string(),
        "line 3: 47 fields where the header has 49: the record is cut short (a spreadsheet re-save?)"
    );
    assert!(
        errs[1]
            .to_string()
            .starts_with("line 4: 51 fields where the header has 49")
    );
    // One trailing empty field is what the per-country exports write: accepted.
    let (ok, errs) = read_str(Dataset::UcdpGed, &format!("{text}{good},\n"));
    assert_eq!((ok.len(), errs.len()), (3, 2));
}

#[test]
fn a_non_csv_file_is_a_header_error() {
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let e = open(Dataset::UcdpGed, &png[..]).err().unwrap();
    assert!(matches!(e, HeaderError::NotCsv(_)), "{e}");
    let e = open(Dataset::UcdpGed, &b"{\"events\": []}\n"[..])
        .err()
        .unwrap();
    assert!(e.to_string().starts_with("not a CSV file"), "{e}");
    let e = open(Dataset::UcdpGed, &b""[..]).err().unwrap();
    assert!(matches!(e, HeaderError::NotCsv(_)), "{e}");
}

#[test]
fn missing_required_columns_are_all_named() {
    let text = ged(&[])
        .replacen(",best,", ",best_guess,", 1)
        .replacen("date_prec", "precision", 1);
    let e = open(Dataset::UcdpGed, text.as_bytes()).err().unwrap();
    assert_eq!(e.missing_columns(), ["date_prec", "best (or best_est)"]);
    assert_eq!(
        e.to_string(),
        "not a valid UCDP GED file: the header lacks the required columns date_prec, best (or best_est)"
    );
    let e = open(Dataset::UcdpGed, &b"id,best\n1,2\n"[..])
        .err()
        .unwrap();
    assert!(e.to_string().contains("country_id or country"), "{e}");
    let e = open(
        Dataset::UcdpGed,
        ged(&[]).replacen("gwnob", "best_est", 1).as_bytes(),
    )
    .err()
    .unwrap();
    assert!(matches!(e, HeaderError::DuplicateColumn(_)), "{e}");
}

#[test]
fn bom_crlf_and_blank_lines_are_read() {
    let text = ged(&[]);
    let row = text.lines().nth(1).unwrap();
    let crlf = format!("\u{feff}{}\r\n{row}\r\n\r\n", text.replace('\n', "\r\n"));
    let (ok, errs) = read_str(Dataset::UcdpGed, &crlf);
    assert!(errs.is_empty(), "{errs:?}");
    // Records start on lines 2 and 4 (line 3 is blank); the blank last line is no record.
    assert_eq!(ok.iter().map(|r| r.line).collect::<Vec<_>>(), [2, 4]);
    assert_eq!(ok[1].content.location.admin2, None);
}

#[test]
fn text_that_is_not_utf8_names_its_column_and_the_next_row_still_reads() {
    let text = ged(&[]);
    let row = text.lines().nth(1).unwrap().to_owned();
    // "Ségou" in Latin-1 (0xE9), where the file must be UTF-8.
    let (before, after) = row.split_once(",Mopti region,").unwrap();
    let mut raw = text.into_bytes();
    raw.extend_from_slice(before.as_bytes());
    raw.extend_from_slice(b",S\xE9gou,");
    raw.extend_from_slice(after.as_bytes());
    raw.push(b'\n');
    raw.extend_from_slice(row.as_bytes());
    raw.push(b'\n');
    let items: Vec<_> = open(Dataset::UcdpGed, &raw[..]).unwrap().collect();
    assert_eq!(items.len(), 3);
    let e = items[1].as_ref().unwrap_err();
    assert_eq!(
        e.to_string(),
        "line 3, column where_coordinates: is not UTF-8 text (the file must be UTF-8)"
    );
    assert_eq!(items[2].as_ref().unwrap().line, 4);
}

#[test]
fn an_io_error_is_reported_once_and_ends_the_iteration() {
    struct Failing(Vec<u8>, usize);
    impl std::io::Read for Failing {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            if self.1 >= self.0.len() {
                return Err(std::io::Error::other("disk unplugged"));
            }
            let n = buf.len().min(self.0.len() - self.1).min(64);
            buf[..n].copy_from_slice(&self.0[self.1..self.1 + n]);
            self.1 += n;
            Ok(n)
        }
    }
    let text = ged(&[]);
    let reader = open(Dataset::UcdpGed, Failing(text.into_bytes(), 0)).unwrap();
    let items: Vec<_> = reader.collect();
    assert!(items.len() <= 2, "{items:?}");
    let last = items.last().unwrap().as_ref().unwrap_err();
    assert!(last.reason.contains("disk unplugged"), "{last}");
}
