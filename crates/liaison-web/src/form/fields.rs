//! The form's fields: what the form posts (`IncidentForm`), read from and written back to the
//! user as typed; the codes of its selects; the table of its fieldsets (`SECTIONS`, with each
//! field's `Spec` and `Control`); and the views the template draws from them (options and
//! sections). Kept apart from the handlers in `mod.rs` and the checks in `parse.rs` so that the
//! shape of the form can be read, and changed, in one place.

use liaison_core::{
    ActorRole, Classification, CountryCode, DatePrecision, EventType, Incident, IncidentContent,
    Lang, LocationPrecision, Markings, Reliability, SubType, Tlp,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;

use super::parse::Problem;
use crate::i18n::{Arg, Locale, Tr};

/// What the form posts: every field as the user typed it, so that a refused form comes back
/// exactly as it was sent. Missing fields are empty, never a rejection.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub(super) struct IncidentForm {
    pub(super) csrf: String,
    pub(super) base_version: String,
    pub(super) title: String,
    pub(super) sub_type: String,
    pub(super) date_start: String,
    pub(super) date_end: String,
    pub(super) date_precision: String,
    pub(super) lat: String,
    pub(super) lon: String,
    pub(super) location_precision: String,
    pub(super) place_name: String,
    pub(super) admin1: String,
    pub(super) admin2: String,
    pub(super) country: String,
    pub(super) fatalities_best: String,
    pub(super) fatalities_low: String,
    pub(super) fatalities_high: String,
    pub(super) fatalities_dispute: String,
    pub(super) injured: String,
    pub(super) kidnapped: String,
    pub(super) released: String,
    pub(super) actor_name: String,
    pub(super) actor_role: String,
    pub(super) narrative: String,
    pub(super) narrative_lang: String,
    pub(super) source_name: String,
    pub(super) source_reference: String,
    pub(super) source_url: String,
    pub(super) source_reliability: String,
    pub(super) source_credibility: String,
    pub(super) classification: String,
    pub(super) tlp: String,
    pub(super) releasable_to: String,
}

impl IncidentForm {
    /// The typed value of a field, by its form name.
    fn value(&self, name: &str) -> &str {
        match name {
            "title" => &self.title,
            "sub_type" => &self.sub_type,
            "date_start" => &self.date_start,
            "date_end" => &self.date_end,
            "date_precision" => &self.date_precision,
            "lat" => &self.lat,
            "lon" => &self.lon,
            "location_precision" => &self.location_precision,
            "place_name" => &self.place_name,
            "admin1" => &self.admin1,
            "admin2" => &self.admin2,
            "country" => &self.country,
            "fatalities_best" => &self.fatalities_best,
            "fatalities_low" => &self.fatalities_low,
            "fatalities_high" => &self.fatalities_high,
            "fatalities_dispute" => &self.fatalities_dispute,
            "injured" => &self.injured,
            "kidnapped" => &self.kidnapped,
            "released" => &self.released,
            "actor_name" => &self.actor_name,
            "actor_role" => &self.actor_role,
            "narrative" => &self.narrative,
            "narrative_lang" => &self.narrative_lang,
            "source_name" => &self.source_name,
            "source_reference" => &self.source_reference,
            "source_url" => &self.source_url,
            "source_reliability" => &self.source_reliability,
            "source_credibility" => &self.source_credibility,
            "classification" => &self.classification,
            "tlp" => &self.tlp,
            "releasable_to" => &self.releasable_to,
            _ => "",
        }
    }

    /// The form of a new incident: the cautious markings of `Markings::default` (restricted,
    /// amber, nobody), a day's precision at an exact place, no deaths, and a narrative in the
    /// user's language.
    pub(super) fn blank(tr: Tr) -> IncidentForm {
        let markings = Markings::default();
        IncidentForm {
            date_precision: DatePrecision::Day.as_str().to_owned(),
            location_precision: LocationPrecision::Exact.as_str().to_owned(),
            fatalities_best: "0".to_owned(),
            narrative_lang: narrative_lang_of(tr).to_owned(),
            classification: code(markings.classification),
            tlp: code(markings.tlp),
            ..IncidentForm::default()
        }
    }

    /// The form showing a stored version, to edit it.
    pub(super) fn from_incident(inc: &Incident, tr: Tr) -> IncidentForm {
        let c = &inc.content;
        let loc = &c.location;
        let f = &c.casualties.fatalities;
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        let count = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
        let actor = c.actors.first();
        let source = c.sources.first();
        IncidentForm {
            csrf: String::new(),
            base_version: inc.version.to_string(),
            title: c.title.clone(),
            sub_type: c.sub_type.as_str().to_owned(),
            date_start: iso_date(c.date.start),
            date_end: iso_date(c.date.end),
            date_precision: c.date.precision.as_str().to_owned(),
            // `f64`'s display is the shortest text that reads back as the same number.
            lat: loc.point.map(|p| p.lat.to_string()).unwrap_or_default(),
            lon: loc.point.map(|p| p.lon.to_string()).unwrap_or_default(),
            location_precision: loc.precision.as_str().to_owned(),
            place_name: text(&loc.place_name),
            admin1: text(&loc.admin1),
            admin2: text(&loc.admin2),
            country: loc
                .country
                .as_ref()
                .map(|c| c.as_str().to_owned())
                .unwrap_or_default(),
            fatalities_best: f.best.to_string(),
            fatalities_low: f.low.to_string(),
            fatalities_high: f.high.to_string(),
            fatalities_dispute: text(&f.dispute),
            injured: count(c.casualties.injured),
            kidnapped: count(c.casualties.kidnapped),
            released: count(c.casualties.released),
            actor_name: actor.map(|a| a.name.clone()).unwrap_or_default(),
            actor_role: actor.map(|a| code(a.role)).unwrap_or_default(),
            narrative: c
                .narrative
                .as_ref()
                .map(|n| n.text.clone())
                .unwrap_or_default(),
            narrative_lang: c
                .narrative
                .as_ref()
                .map_or(narrative_lang_of(tr), |n| n.lang.as_str())
                .to_owned(),
            source_name: source.map(|s| s.name.clone()).unwrap_or_default(),
            source_reference: source.map(|s| text(&s.reference)).unwrap_or_default(),
            source_url: source.map(|s| text(&s.url)).unwrap_or_default(),
            source_reliability: source.map(|s| code(s.reliability)).unwrap_or_default(),
            source_credibility: source
                .map(|s| s.credibility.get().to_string())
                .unwrap_or_default(),
            classification: code(c.markings.classification),
            tlp: code(c.markings.tlp),
            releasable_to: c
                .markings
                .releasable_to
                .iter()
                .map(CountryCode::as_str)
                .collect::<Vec<_>>()
                .join(", "),
        }
    }
}

/// The narrative language a new narrative defaults to: the user's.
fn narrative_lang_of(tr: Tr) -> &'static str {
    match tr.locale {
        Locale::Fr => Lang::Fr.as_str(),
        Locale::En => Lang::En.as_str(),
    }
}

fn iso_date(d: Date) -> String {
    d.format(format_description!("[year]-[month]-[day]"))
        .unwrap_or_default()
}

/// The serde name of a unit variant (`amber_strict`, `side_a`, `B`): the spelling the API and the
/// stored documents use, so the form cannot drift from them.
pub(super) fn code<T: Serialize>(v: T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The variant whose serde name is `s`.
pub(super) fn from_code<T: DeserializeOwned>(s: &str) -> Option<T> {
    serde_json::from_value(serde_json::Value::String(s.to_owned())).ok()
}

const DATE_PRECISIONS: [DatePrecision; 4] = [
    DatePrecision::Day,
    DatePrecision::Week,
    DatePrecision::Month,
    DatePrecision::Year,
];
const LOCATION_PRECISIONS: [LocationPrecision; 5] = [
    LocationPrecision::Exact,
    LocationPrecision::Near,
    LocationPrecision::Admin2,
    LocationPrecision::Admin1,
    LocationPrecision::Country,
];
const ROLES: [ActorRole; 7] = [
    ActorRole::Perpetrator,
    ActorRole::Target,
    ActorRole::SideA,
    ActorRole::SideB,
    ActorRole::Victim,
    ActorRole::Participant,
    ActorRole::Mediator,
];
const LANGS: [Lang; 3] = [Lang::En, Lang::Fr, Lang::Ar];
const RELIABILITIES: [Reliability; 6] = [
    Reliability::A,
    Reliability::B,
    Reliability::C,
    Reliability::D,
    Reliability::E,
    Reliability::F,
];
const CLASSIFICATIONS: [Classification; 4] = [
    Classification::Unclassified,
    Classification::Restricted,
    Classification::Confidential,
    Classification::Secret,
];
const TLPS: [Tlp; 5] = [
    Tlp::Clear,
    Tlp::Green,
    Tlp::Amber,
    Tlp::AmberStrict,
    Tlp::Red,
];

/// How a field is entered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Control {
    Text,
    /// Short codes (ISO 3166): no spell checking, capitals.
    Code,
    /// Decimal degrees: text with a decimal keypad, so a comma typed by a French user is
    /// accepted here rather than refused by the browser.
    Decimal,
    /// Whole numbers.
    Count,
    Date,
    Url,
    Select,
    Textarea,
}

/// One field of the form: its name (also its `f-<name>` id and its messages), how it is entered,
/// and how it is laid out.
#[derive(Debug, Clone, Copy)]
pub(super) struct Spec {
    pub(super) name: &'static str,
    control: Control,
    required: bool,
    wide: bool,
    hint: bool,
}

impl Spec {
    const fn new(name: &'static str, control: Control) -> Spec {
        Spec {
            name,
            control,
            required: false,
            wide: false,
            hint: false,
        }
    }
    const fn required(self) -> Spec {
        Spec {
            required: true,
            ..self
        }
    }
    const fn wide(self) -> Spec {
        Spec { wide: true, ..self }
    }
    const fn hint(self) -> Spec {
        Spec { hint: true, ..self }
    }
}

// Short names for the table below (`Control::Date` stays spelt out: `time::Date` is in scope).
use Control::{Code, Count, Decimal, Select, Text, Textarea, Url};

/// The form, fieldset by fieldset (legend `form-section-<id>`), in reading order: also the order
/// of the error summary.
pub(super) const SECTIONS: [(&str, &[Spec]); 8] = [
    (
        "what",
        &[
            Spec::new("title", Text).required().wide(),
            Spec::new("sub_type", Select).required(),
        ],
    ),
    (
        "when",
        &[
            Spec::new("date_start", Control::Date).required(),
            Spec::new("date_end", Control::Date).hint(),
            Spec::new("date_precision", Select),
        ],
    ),
    (
        "where",
        &[
            Spec::new("lat", Decimal).hint(),
            Spec::new("lon", Decimal).hint(),
            Spec::new("location_precision", Select).hint(),
            Spec::new("place_name", Text),
            Spec::new("admin1", Text),
            Spec::new("admin2", Text),
            Spec::new("country", Code).hint(),
        ],
    ),
    (
        "casualties",
        &[
            Spec::new("fatalities_best", Count),
            Spec::new("fatalities_low", Count).hint(),
            Spec::new("fatalities_high", Count).hint(),
            Spec::new("fatalities_dispute", Text).hint().wide(),
            Spec::new("injured", Count),
            Spec::new("kidnapped", Count),
            Spec::new("released", Count),
        ],
    ),
    (
        "actor",
        &[
            Spec::new("actor_name", Text),
            Spec::new("actor_role", Select),
        ],
    ),
    (
        "narrative",
        &[
            Spec::new("narrative", Textarea).wide(),
            Spec::new("narrative_lang", Select),
        ],
    ),
    (
        "source",
        &[
            Spec::new("source_name", Text).hint(),
            Spec::new("source_reference", Text),
            Spec::new("source_url", Url).wide(),
            Spec::new("source_reliability", Select),
            Spec::new("source_credibility", Select),
        ],
    ),
    (
        "markings",
        &[
            Spec::new("classification", Select),
            Spec::new("tlp", Select),
            Spec::new("releasable_to", Code).hint(),
        ],
    ),
];

/// A field name as it appears in message ids: `date_start` → `date-start`.
pub(super) fn msg_key(name: &str) -> String {
    name.replace('_', "-")
}

/// An option of a select.
#[derive(Debug, Clone)]
pub(super) struct Opt {
    pub(super) value: String,
    pub(super) label: String,
    pub(super) selected: bool,
}

/// Options under a heading (`<optgroup>`).
#[derive(Debug, Clone)]
pub(super) struct Group {
    pub(super) label: String,
    pub(super) options: Vec<Opt>,
}

/// A field as the template draws it.
#[derive(Debug, Clone)]
pub(super) struct FieldView {
    pub(super) name: &'static str,
    pub(super) id: String,
    pub(super) label: String,
    pub(super) required: bool,
    pub(super) wide: bool,
    /// `input`, `select` or `textarea`.
    pub(super) element: &'static str,
    pub(super) input_type: &'static str,
    /// `inputmode`, or empty.
    pub(super) inputmode: &'static str,
    /// Codes and numbers: no spell checking.
    pub(super) code: bool,
    /// Country codes: capitals on a touch keyboard.
    pub(super) caps: bool,
    pub(super) value: String,
    pub(super) hint: Option<String>,
    pub(super) error: Option<String>,
    /// The ids of the hint and the error, for `aria-describedby`; empty when neither.
    pub(super) described_by: String,
    pub(super) options: Vec<Opt>,
    pub(super) groups: Vec<Group>,
}

/// A fieldset.
#[derive(Debug, Clone)]
pub(super) struct SectionView {
    pub(super) id: &'static str,
    pub(super) legend: String,
    /// What the form keeps without showing (other actors, other sources, provenance).
    pub(super) notes: Vec<String>,
    pub(super) fields: Vec<FieldView>,
}

fn opt(value: String, label: String, current: &str) -> Opt {
    let selected = value == current.trim();
    Opt {
        value,
        label,
        selected,
    }
}

/// The options of a select, as a flat list and in groups.
fn options(name: &str, tr: Tr, current: &str) -> (Vec<Opt>, Vec<Group>) {
    let choose = || opt(String::new(), tr.t("form-choose"), current);
    let list = |prefix: &str, codes: Vec<String>| -> Vec<Opt> {
        codes
            .into_iter()
            .map(|c| {
                let label = tr.t(&format!("{prefix}-{}", msg_key(&c.to_ascii_lowercase())));
                opt(c, label, current)
            })
            .collect()
    };
    match name {
        "sub_type" => {
            let groups = EventType::ALL
                .into_iter()
                .map(|t| Group {
                    label: tr.t(&format!("type-{}", t.as_str())),
                    options: SubType::ALL
                        .iter()
                        .filter(|s| s.event_type() == t)
                        .map(|s| {
                            let label = tr.t(&format!("subtype-{}", s.as_str()));
                            opt(s.as_str().to_owned(), label, current)
                        })
                        .collect(),
                })
                .collect();
            (vec![choose()], groups)
        }
        "date_precision" => (
            list(
                "form-date-precision",
                DATE_PRECISIONS
                    .iter()
                    .map(|p| p.as_str().to_owned())
                    .collect(),
            ),
            vec![],
        ),
        "location_precision" => (
            list(
                "form-location-precision",
                LOCATION_PRECISIONS
                    .iter()
                    .map(|p| p.as_str().to_owned())
                    .collect(),
            ),
            vec![],
        ),
        "actor_role" => {
            let mut v = vec![opt(String::new(), tr.t("form-role-none"), current)];
            v.extend(list("form-role", ROLES.iter().map(|r| code(*r)).collect()));
            (v, vec![])
        }
        "narrative_lang" => (
            list(
                "form-lang",
                LANGS.iter().map(|l| l.as_str().to_owned()).collect(),
            ),
            vec![],
        ),
        "source_reliability" => {
            let mut v = vec![choose()];
            v.extend(list(
                "form-reliability",
                RELIABILITIES.iter().map(|r| code(*r)).collect(),
            ));
            (v, vec![])
        }
        "source_credibility" => {
            let mut v = vec![choose()];
            v.extend(list(
                "form-credibility",
                (1..=6).map(|n: u8| n.to_string()).collect(),
            ));
            (v, vec![])
        }
        "classification" => (
            list(
                "form-classification",
                CLASSIFICATIONS.iter().map(|c| code(*c)).collect(),
            ),
            vec![],
        ),
        "tlp" => (
            list("form-tlp", TLPS.iter().map(|t| code(*t)).collect()),
            vec![],
        ),
        _ => (vec![], vec![]),
    }
}

/// The fieldsets, filled with `form`'s values and `problems`' messages; `kept` is the version
/// being edited, whose hidden parts are noted.
pub(super) fn sections(
    form: &IncidentForm,
    problems: &[Problem],
    tr: Tr,
    kept: Option<&IncidentContent>,
) -> Vec<SectionView> {
    SECTIONS
        .iter()
        .map(|(id, specs)| {
            let fields = specs
                .iter()
                .map(|spec| {
                    let key = msg_key(spec.name);
                    let errors: Vec<&str> = problems
                        .iter()
                        .filter(|p| p.field == Some(spec.name))
                        .map(|p| p.message.as_str())
                        .collect();
                    let error = (!errors.is_empty()).then(|| errors.join(" "));
                    let hint = spec.hint.then(|| tr.t(&format!("form-hint-{key}")));
                    let described_by = [
                        hint.as_ref().map(|_| format!("hint-{}", spec.name)),
                        error.as_ref().map(|_| format!("err-{}", spec.name)),
                    ]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" ");
                    let value = form.value(spec.name);
                    let (options, groups) = options(spec.name, tr, value);
                    let (element, input_type, inputmode) = match spec.control {
                        Control::Text | Control::Code => ("input", "text", ""),
                        Control::Decimal => ("input", "text", "decimal"),
                        Control::Count => ("input", "text", "numeric"),
                        Control::Date => ("input", "date", ""),
                        Control::Url => ("input", "url", "url"),
                        Control::Select => ("select", "", ""),
                        Control::Textarea => ("textarea", "", ""),
                    };
                    FieldView {
                        name: spec.name,
                        id: format!("f-{}", spec.name),
                        label: tr.t(&format!("form-label-{key}")),
                        required: spec.required,
                        wide: spec.wide,
                        element,
                        input_type,
                        inputmode,
                        code: matches!(
                            spec.control,
                            Control::Code | Control::Decimal | Control::Count | Control::Url
                        ),
                        caps: spec.control == Control::Code,
                        value: value.to_owned(),
                        hint,
                        error,
                        described_by,
                        options,
                        groups,
                    }
                })
                .collect();
            let mut notes = vec![];
            if let Some(k) = kept {
                let more = |n: usize| Arg::Num(i64::try_from(n).unwrap_or(i64::MAX));
                match *id {
                    "what" => {
                        if let Some(p) = &k.provenance {
                            notes.push(tr.ta(
                                "form-kept-provenance",
                                &[
                                    ("dataset", p.dataset.as_str().into()),
                                    ("record", p.record_id.as_str().into()),
                                ],
                            ));
                        }
                    }
                    "actor" if k.actors.len() > 1 => {
                        notes.push(
                            tr.ta("form-kept-actors", &[("count", more(k.actors.len() - 1))]),
                        );
                    }
                    "source" if k.sources.len() > 1 => {
                        notes.push(
                            tr.ta("form-kept-sources", &[("count", more(k.sources.len() - 1))]),
                        );
                    }
                    _ => {}
                }
            }
            SectionView {
                id,
                legend: tr.t(&format!("form-section-{id}")),
                notes,
                fields,
            }
        })
        .collect()
}
