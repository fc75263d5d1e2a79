//! The form's unit tests: parsing and checking (`check`, `form_field`), the codes and labels of
//! the fields, and the path segments of incident ids. They sit in their own file to keep
//! `mod.rs` short; the end-to-end tests of the form's pages are in `tests/form.rs`.

use liaison_core::{
    ActorRole, Classification, CountryCode, Fatalities, GeoPoint, Incident, IncidentId,
    Reliability, SubType, Tlp,
};
use time::macros::date;

use super::fields::{IncidentForm, SECTIONS, code, from_code, sections};
use super::parse::{Problem, Rows, check, form_field};
use super::*;
use crate::i18n::{Locale, Tr};

fn en() -> Tr {
    Tr::new(Locale::En)
}

/// A form that passes every check: an IED near Gao.
fn good() -> IncidentForm {
    IncidentForm {
        title: "IED on the Gao–Ansongo road".into(),
        sub_type: "ied".into(),
        date_start: "2026-11-20".into(),
        lat: "16,27".into(),
        lon: "-0.04".into(),
        source_name: "Studio Tamani".into(),
        source_reliability: "b".into(),
        source_credibility: "2".into(),
        releasable_to: "ner; BFA ner".into(),
        ..IncidentForm::blank(en())
    }
}

fn fields(problems: &[Problem]) -> Vec<&str> {
    problems.iter().filter_map(|p| p.field).collect()
}

#[test]
fn a_good_form_builds_the_content() {
    let c = check(&good(), en(), None).unwrap();
    assert_eq!(c.sub_type, SubType::Ied);
    assert_eq!(c.date.start, c.date.end);
    assert_eq!(
        c.location.point,
        Some(GeoPoint {
            lat: 16.27,
            lon: -0.04
        })
    );
    assert_eq!(c.location.country.unwrap().as_str(), "MLI");
    assert_eq!(c.casualties.fatalities, Fatalities::exact(0));
    assert_eq!(c.sources[0].grade(), "B2");
    assert_eq!(c.markings.releasable_to.len(), 2);
    assert_eq!(c.markings.classification, Classification::Restricted);
    assert!(c.actors.is_empty() && c.narrative.is_none());
}

#[test]
fn every_problem_is_found_at_once_in_form_order() {
    let form = IncidentForm {
        title: " ".into(),
        sub_type: "nonsense".into(),
        date_start: "2026-11-20".into(),
        date_end: "2026-11-19".into(),
        lat: "123".into(),
        lon: "".into(),
        fatalities_best: "2".into(),
        fatalities_low: "3".into(),
        fatalities_high: "x".into(),
        actor_role: "perpetrator".into(),
        source_url: "ftp://example.org".into(),
        releasable_to: "NER, QQQ".into(),
        ..good()
    };
    let problems = check(&form, en(), None).unwrap_err();
    assert_eq!(
        fields(&problems),
        [
            "title",
            "sub_type",
            "date_end",
            "lat",
            "fatalities_low",
            "fatalities_high",
            "actor_name",
            "source_url",
            "releasable_to"
        ],
        "{problems:?}"
    );
    assert!(problems.iter().all(|p| !p.message.contains('⟦')));
}

#[test]
fn coordinates_and_country_go_together() {
    let only_lat = IncidentForm {
        lon: String::new(),
        ..good()
    };
    assert_eq!(fields(&check(&only_lat, en(), None).unwrap_err()), ["lon"]);
    let nowhere = IncidentForm {
        lat: String::new(),
        lon: String::new(),
        ..good()
    };
    assert_eq!(
        fields(&check(&nowhere, en(), None).unwrap_err()),
        ["lat", "country"]
    );
    let country_only = IncidentForm {
        location_precision: "country".into(),
        country: "ner".into(),
        ..nowhere
    };
    let c = check(&country_only, en(), None).unwrap();
    assert_eq!(c.location.country.unwrap().as_str(), "NER");
    // At sea no country can be derived: the form asks for one.
    let at_sea = IncidentForm {
        lat: "0".into(),
        lon: "-30".into(),
        ..good()
    };
    assert_eq!(
        fields(&check(&at_sea, en(), None).unwrap_err()),
        ["country"]
    );
    let bad_code = IncidentForm {
        country: "ZZZ".into(),
        ..good()
    };
    let problems = check(&bad_code, en(), None).unwrap_err();
    assert_eq!(fields(&problems), ["country"]);
    assert!(problems[0].message.contains("ZZZ"));
}

#[test]
fn a_dispute_note_allows_bounds_out_of_order() {
    let form = IncidentForm {
        fatalities_best: "13".into(),
        fatalities_high: "12".into(),
        ..good()
    };
    assert_eq!(
        fields(&check(&form, en(), None).unwrap_err()),
        ["fatalities_high"]
    );
    let noted = IncidentForm {
        fatalities_dispute: "as published".into(),
        ..form
    };
    let c = check(&noted, en(), None).unwrap();
    assert_eq!(
        (c.casualties.fatalities.low, c.casualties.fatalities.high),
        (13, 12)
    );
}

#[test]
fn a_source_needs_its_grades() {
    let form = IncidentForm {
        source_reliability: String::new(),
        source_credibility: "9".into(),
        ..good()
    };
    assert_eq!(
        fields(&check(&form, en(), None).unwrap_err()),
        ["source_reliability", "source_credibility"]
    );
    let nameless = IncidentForm {
        source_name: String::new(),
        ..good()
    };
    assert_eq!(
        fields(&check(&nameless, en(), None).unwrap_err()),
        ["source_name"]
    );
}

#[test]
fn an_edit_keeps_what_the_form_does_not_show() {
    let mut base = check(&good(), en(), None).unwrap();
    base.sources[0].date = Some(date!(2026 - 11 - 21));
    let mut second = base.sources[0].clone();
    second.name = "RFI".into();
    base.sources.push(second);
    base.provenance = Some(liaison_core::Provenance {
        dataset: "acled".into(),
        record_id: "MLI1".into(),
        original_type: None,
        attribution: None,
    });
    let inc = Incident::new(
        IncidentId::parse("mli-0001").unwrap(),
        CountryCode::parse("MLI").unwrap(),
        1,
        base.clone(),
    );
    let form = IncidentForm::from_incident(&inc, en());
    assert_eq!(form.lat, "16.27");
    assert_eq!(form.source_reliability, "B");
    assert_eq!(form.base_version, "1");
    let again = check(&form, en(), Some(&base)).unwrap();
    assert_eq!(again, base);
    // The form says what it keeps without showing.
    let notes: Vec<String> = sections(&form, &[], en(), Some(&base))
        .into_iter()
        .flat_map(|s| s.notes)
        .collect();
    assert_eq!(
        notes,
        [
            "Imported from acled (record MLI1); that provenance is kept.",
            "One more source is kept as it is."
        ]
    );
}

#[test]
fn core_paths_map_to_fields() {
    let both = Rows {
        actor: true,
        source: true,
    };
    for (path, field) in [
        ("title", Some("title")),
        ("date.end", Some("date_end")),
        ("location.point.lat", Some("lat")),
        ("location.point.lon", Some("lon")),
        ("location.point", Some("lat")),
        ("location.country", Some("country")),
        ("casualties.fatalities", Some("fatalities_best")),
        ("casualties.fatalities.dispute", Some("fatalities_dispute")),
        ("narrative.text", Some("narrative")),
        ("actors[0].name", Some("actor_name")),
        ("sources[0].url", Some("source_url")),
        ("sources[0].name", Some("source_name")),
        ("sources[1].name", None),
    ] {
        assert_eq!(form_field(path, both), field, "{path}");
    }
    assert_eq!(form_field("sources[0].name", Rows::default()), None);
}

#[test]
fn codes_are_the_serde_names() {
    assert_eq!(code(Tlp::AmberStrict), "amber_strict");
    assert_eq!(code(ActorRole::SideA), "side_a");
    assert_eq!(code(Reliability::B), "B");
    assert_eq!(
        from_code::<Classification>("secret"),
        Some(Classification::Secret)
    );
    assert_eq!(from_code::<Tlp>("AMBER"), None);
}

#[test]
fn every_label_and_option_is_translated() {
    for locale in Locale::ALL {
        let tr = Tr::new(locale);
        let problems: Vec<Problem> = SECTIONS
            .iter()
            .flat_map(|(_, specs)| specs.iter())
            .map(|s| Problem {
                field: Some(s.name),
                message: "x".into(),
            })
            .collect();
        let mut form = IncidentForm::blank(tr);
        form.base_version = "1".into();
        for section in sections(&form, &problems, tr, None) {
            assert!(
                !section.legend.contains('⟦'),
                "{locale:?} {}",
                section.legend
            );
            for f in &section.fields {
                assert!(!f.label.contains('⟦'), "{locale:?} {}", f.label);
                assert!(
                    f.hint.as_ref().is_none_or(|h| !h.contains('⟦')),
                    "{locale:?} {}",
                    f.name
                );
                let all = f
                    .options
                    .iter()
                    .chain(f.groups.iter().flat_map(|g| &g.options));
                for o in all {
                    assert!(!o.label.contains('⟦'), "{locale:?} {} {}", f.name, o.label);
                }
                for g in &f.groups {
                    assert!(!g.label.contains('⟦'), "{locale:?} {}", g.label);
                }
            }
        }
        for t in SubType::ALL {
            assert!(!tr.t(&format!("subtype-{}", t.as_str())).contains('⟦'));
        }
        for id in [
            "form-title-new",
            "form-title-edit",
            "form-lead-new",
            "form-submit-new",
            "form-cancel",
            "form-required",
            "form-errors-title",
            "form-conflict-title",
            "form-conflict-link",
            "form-field-error",
            "form-choose",
        ] {
            assert!(!tr.t(id).contains('⟦'), "{locale:?} {id}");
        }
    }
}

#[test]
fn ids_make_safe_path_segments() {
    assert_eq!(segment("mli-0001"), "mli-0001");
    assert_eq!(segment("ucdp-ged:235799"), "ucdp-ged:235799");
    assert_eq!(segment(".."), "%2E%2E");
    assert_eq!(segment("a b/c"), "a%20b%2Fc");
}
