//! What an agreement says, in the reader's language: its standing today, its scope, and its
//! obligations, both as written in the agreement and as the codes the egress pipeline reports
//! after applying them (`location:admin1`, `narrative:dropped`, …).
//!
//! `liaison_policy::summary` gives the authoritative English reading; these labels exist so
//! that a French-speaking liaison officer can check the same facts without it. A code this
//! module does not know is shown as the code: an unfamiliar obligation must never disappear
//! from what a reader sees.

use liaison_core::{Agreement, Classification, EventType, LocationCoarsening, Obligations, Scope};
use time::Date;

use crate::i18n::{Arg, Tr};

/// Where an agreement stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Standing {
    InForce,
    /// Not yet: `valid_from` is after today.
    Embargoed,
    /// No longer: today is on or after `expires`.
    Expired,
    Revoked,
}

impl Standing {
    /// The same test as the compiled Cedar policy: `today >= valid_from && today < expires`.
    pub fn of(a: &Agreement, today: Date) -> Standing {
        if a.revoked {
            Standing::Revoked
        } else if a.valid_from.is_some_and(|f| today < f) {
            Standing::Embargoed
        } else if a.expires.is_some_and(|x| today >= x) {
            Standing::Expired
        } else {
            Standing::InForce
        }
    }

    pub fn label(self, tr: &Tr) -> String {
        tr.t(match self {
            Standing::InForce => "agreements-state-in-force",
            Standing::Embargoed => "agreements-state-embargoed",
            Standing::Expired => "agreements-state-expired",
            Standing::Revoked => "agreements-state-revoked",
        })
    }

    /// The badge class (site.css): only an agreement in force releases anything.
    pub fn badge(self) -> &'static str {
        match self {
            Standing::InForce => "badge good",
            Standing::Embargoed | Standing::Expired => "badge warn",
            Standing::Revoked => "badge bad",
        }
    }
}

/// The obligations an agreement imposes, one line each; empty when it imposes none.
pub fn obligation_lines(tr: &Tr, o: &Obligations) -> Vec<String> {
    let mut out = Vec::new();
    match o.location {
        Some(LocationCoarsening::Precision(p)) => {
            out.push(tr.t(&format!("agreements-obl-location-{}", p.as_str())));
        }
        Some(LocationCoarsening::H3(r)) => out.push(tr.ta(
            "agreements-obl-location-h3",
            &[("resolution", r.to_string().into())],
        )),
        Some(LocationCoarsening::GridDegrees(d)) => out.push(tr.ta(
            "agreements-obl-location-grid",
            &[("degrees", d.to_string().into())],
        )),
        None => {}
    }
    if let Some(t) = o.time {
        out.push(tr.t(&format!("agreements-obl-time-{}", t.as_str())));
    }
    if o.drop_narrative {
        out.push(tr.t("agreements-obl-narrative"));
    }
    if o.pseudonymise_sources {
        out.push(tr.t("agreements-obl-sources"));
    }
    if o.fatalities_as_ranges {
        out.push(tr.t("agreements-obl-fatalities"));
    }
    out
}

/// The label of an obligation as applied, from its code. Both spellings are read: the egress
/// pipeline's (`location:admin1`, `narrative:dropped`) and the agreement fields'
/// (`coarsen_location:admin1`, `drop_narrative`). Unknown codes come back unchanged.
pub fn applied_label(tr: &Tr, code: &str) -> String {
    let (head, rest) = code.split_once(':').unwrap_or((code, ""));
    match (head, rest) {
        ("location" | "coarsen_location", "admin2" | "admin1" | "country") => {
            tr.t(&format!("agreements-obl-location-{rest}"))
        }
        ("location" | "coarsen_location", r) if r.starts_with("h3:") => tr.ta(
            "agreements-obl-location-h3",
            &[("resolution", r["h3:".len()..].into())],
        ),
        ("location" | "coarsen_location", r) if r.starts_with("grid:") => tr.ta(
            "agreements-obl-location-grid",
            &[("degrees", r["grid:".len()..].into())],
        ),
        ("time" | "round_time", "day" | "week" | "month") => {
            tr.t(&format!("agreements-obl-time-{rest}"))
        }
        ("narrative", "dropped") | ("drop_narrative", "") => tr.t("agreements-obl-narrative"),
        ("sources", "pseudonymised") | ("pseudonymise_sources", "") => {
            tr.t("agreements-obl-sources")
        }
        ("fatalities", "banded") | ("fatalities_as_ranges", "") => {
            tr.t("agreements-obl-fatalities")
        }
        _ => code.to_owned(),
    }
}

/// The translated name of an event type; the code for one this build does not know.
pub fn type_label(tr: &Tr, code: &str) -> String {
    match EventType::parse(code) {
        Some(t) => tr.t(&format!("type-{}", t.as_str())),
        None => code.to_owned(),
    }
}

fn classification_id(c: Classification) -> &'static str {
    match c {
        Classification::Unclassified => "agreements-class-unclassified",
        Classification::Restricted => "agreements-class-restricted",
        Classification::Confidential => "agreements-class-confidential",
        Classification::Secret => "agreements-class-secret",
    }
}

/// What an agreement releases, one line per condition, every condition stated (the cautious
/// defaults too, so nothing is implied).
pub fn scope_lines(tr: &Tr, s: &Scope) -> Vec<String> {
    let list = |v: Vec<String>| -> Arg { v.join(", ").into() };
    let mut out = Vec::new();
    if s.event_types.is_empty() {
        out.push(tr.t("agreements-what-all-types"));
    } else {
        let types = s
            .event_types
            .iter()
            .map(|t| type_label(tr, t.as_str()))
            .collect();
        out.push(tr.ta("agreements-what-types", &[("types", list(types))]));
    }
    if !s.countries.is_empty() {
        let codes = s.countries.iter().map(|c| c.as_str().to_owned()).collect();
        out.push(tr.ta("agreements-what-countries", &[("countries", list(codes))]));
    } else if s.zones.is_empty() {
        out.push(tr.t("agreements-what-anywhere"));
    }
    if let Some(b) = s.bbox {
        out.push(tr.ta(
            "agreements-what-box",
            &[
                ("south", b.south.to_string().into()),
                ("north", b.north.to_string().into()),
                ("west", b.west.to_string().into()),
                ("east", b.east.to_string().into()),
            ],
        ));
    }
    if !s.zones.is_empty() {
        let names = s
            .zones
            .iter()
            .map(|id| {
                liaison_geo::zones::builtin_zone(id).map_or_else(|| id.clone(), |z| z.name.clone())
            })
            .collect();
        out.push(tr.ta("agreements-what-zones", &[("zones", list(names))]));
    }
    out.push(tr.ta(
        "agreements-what-classification",
        &[(
            "level",
            tr.t(classification_id(s.max_classification)).into(),
        )],
    ));
    out.push(tr.ta("agreements-what-tlp", &[("tlp", s.max_tlp.label().into())]));
    if let Some(d) = s.max_age_days {
        out.push(tr.ta("agreements-what-age", &[("days", i64::from(d).into())]));
    }
    if !s.actors.is_empty() {
        let ids = s.actors.iter().map(|a| a.as_str().to_owned()).collect();
        out.push(tr.ta("agreements-what-actors", &[("actors", list(ids))]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn applied_codes_are_labelled_in_both_spellings() {
        let tr = Tr::new(Locale::En);
        assert_eq!(
            applied_label(&tr, "location:admin1"),
            applied_label(&tr, "coarsen_location:admin1")
        );
        assert_eq!(
            applied_label(&tr, "narrative:dropped"),
            applied_label(&tr, "drop_narrative")
        );
        assert!(applied_label(&tr, "location:h3:5").contains('5'));
        assert!(applied_label(&tr, "location:grid:0.5").contains("0.5"));
        assert_eq!(applied_label(&tr, "something:new"), "something:new");
        for code in [
            "location:admin2",
            "location:country",
            "time:week",
            "time:month",
            "sources:pseudonymised",
            "fatalities:banded",
        ] {
            let label = applied_label(&Tr::new(Locale::Fr), code);
            assert_ne!(label, code);
            assert!(!label.contains('⟦'), "{label}");
        }
    }
}
