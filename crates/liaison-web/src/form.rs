//! The incident form: analysts (and administrators) record a new incident, or a new version of
//! one this node's member originated, in a plain HTML form that works without JavaScript.
//!
//! `GET /ui/incidents/new` shows an empty form and `POST` records it; `GET /ui/incidents/{id}/edit`
//! shows the current version with a hidden `base_version`, and `POST` records the next version.
//! What is stored goes through the same steps and store calls as the JSON API
//! (`liaison-server`'s `incidents::create` and `new_version`): the country is derived from the
//! point when none is given, the content is validated by `liaison-core`, ids are drawn the same
//! way, and only this member's incidents get new versions. Anything else (an unknown, malformed
//! or foreign id) is answered by the one "not found" page, so a refusal never tells that an
//! incident exists.
//!
//! Every field is parsed here first, with messages in the user's language, and every problem is
//! collected at once; the core's own validation then runs on what could be built, and whatever
//! it still finds is shown on the field its path names (in English: the core speaks no other
//! language, so the checks here are meant to catch the common cases first). A refused form comes
//! back exactly as typed (422), with an error summary linking to each field and each message tied
//! to its input by `aria-describedby`. A stale edit (someone saved a version in between) comes
//! back with a notice (409) and nothing is stored.
//!
//! The form edits one actor and one source. When a version being edited holds more (imported
//! incidents often do), the others are kept as they are and the form says so, rather than
//! silently dropping them; the provenance of an imported incident is kept too.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use liaison_core::date::{MAX_SPAN_DAYS, parse_iso_date};
use liaison_core::incident::{MAX_NAME_CHARS, MAX_NARRATIVE_CHARS, MAX_TITLE_CHARS};
use liaison_core::{
    ActorRole, Casualties, Classification, CountryCode, Credibility, DatePrecision, DateSpan,
    EventType, Fatalities, GeoPoint, Incident, IncidentActor, IncidentContent, IncidentId, Lang,
    Location, LocationPrecision, Markings, Narrative, Reliability, Source, SubType, Tlp,
};
use liaison_store::StoreError;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::{date, format_description};

use crate::WebState;
use crate::assets;
use crate::i18n::{Arg, Locale, Tr};
use crate::layout::{self, Page, render_status};
use crate::session::{Screen, Session};

/// Longest source reference and dispute note, in characters: the core's bound.
const MAX_NOTE_CHARS: usize = MAX_TITLE_CHARS * 4;
/// Longest source URL, in characters: the core's bound.
const MAX_URL_CHARS: usize = 2048;

/// What the form posts: every field as the user typed it, so that a refused form comes back
/// exactly as it was sent. Missing fields are empty, never a rejection.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
struct IncidentForm {
    csrf: String,
    base_version: String,
    title: String,
    sub_type: String,
    date_start: String,
    date_end: String,
    date_precision: String,
    lat: String,
    lon: String,
    location_precision: String,
    place_name: String,
    admin1: String,
    admin2: String,
    country: String,
    fatalities_best: String,
    fatalities_low: String,
    fatalities_high: String,
    fatalities_dispute: String,
    injured: String,
    kidnapped: String,
    released: String,
    actor_name: String,
    actor_role: String,
    narrative: String,
    narrative_lang: String,
    source_name: String,
    source_reference: String,
    source_url: String,
    source_reliability: String,
    source_credibility: String,
    classification: String,
    tlp: String,
    releasable_to: String,
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
    fn blank(tr: Tr) -> IncidentForm {
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
    fn from_incident(inc: &Incident, tr: Tr) -> IncidentForm {
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
fn code<T: Serialize>(v: T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => String::new(),
    }
}

/// The variant whose serde name is `s`.
fn from_code<T: DeserializeOwned>(s: &str) -> Option<T> {
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
struct Spec {
    name: &'static str,
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
const SECTIONS: [(&str, &[Spec]); 8] = [
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

/// Where a field comes in the form, for ordering problems; problems without a field go last.
fn position(field: Option<&str>) -> usize {
    field
        .and_then(|f| {
            SECTIONS
                .iter()
                .flat_map(|(_, specs)| specs.iter())
                .position(|s| s.name == f)
        })
        .unwrap_or(usize::MAX)
}

/// A field name as it appears in message ids: `date_start` → `date-start`.
fn msg_key(name: &str) -> String {
    name.replace('_', "-")
}

/// One problem with what was posted: on a field, or on the form as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Problem {
    field: Option<&'static str>,
    message: String,
}

/// The problems found so far, with the translator to word them.
struct Problems {
    tr: Tr,
    list: Vec<Problem>,
}

impl Problems {
    fn add(&mut self, field: &'static str, id: &str) {
        let message = self.tr.t(id);
        self.list.push(Problem {
            field: Some(field),
            message,
        });
    }

    fn add_args(&mut self, field: &'static str, id: &str, args: &[(&str, Arg)]) {
        let message = self.tr.ta(id, args);
        self.list.push(Problem {
            field: Some(field),
            message,
        });
    }

    fn has(&self, field: &str) -> bool {
        self.list.iter().any(|p| p.field == Some(field))
    }

    /// Whether a core error shown on `field` would repeat a problem already found: one on the
    /// field itself or on a field it follows from (a point missing because the latitude or the
    /// longitude was refused, a country not derived from refused coordinates, bounds out of
    /// order already named on the bound).
    fn covers(&self, field: &str) -> bool {
        let related: &[&str] = match field {
            "lat" | "lon" => &["lat", "lon"],
            "country" => &["country", "lat", "lon"],
            "date_start" | "date_end" => &["date_start", "date_end"],
            "fatalities_best" => &["fatalities_best", "fatalities_low", "fatalities_high"],
            _ => return self.has(field),
        };
        related.iter().any(|f| self.has(f))
    }

    /// Refuses text longer than the core allows, saying by how much.
    fn length(&mut self, field: &'static str, text: &str, max: usize) {
        let n = text.chars().count();
        if n > max {
            let num = |v: usize| Arg::Num(i64::try_from(v).unwrap_or(i64::MAX));
            self.add_args(
                field,
                "form-err-too-long",
                &[("max", num(max)), ("count", num(n))],
            );
        }
    }

    /// A whole number ≥ 0, or `None` when empty; a problem otherwise. Spaces (a French user's
    /// thousands separator) are ignored.
    fn count(&mut self, field: &'static str, raw: &str) -> Result<Option<u32>, ()> {
        let digits: String = raw
            .chars()
            .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}'))
            .collect();
        if digits.is_empty() {
            return Ok(None);
        }
        match digits.parse::<u32>() {
            Ok(n) if digits.bytes().all(|b| b.is_ascii_digit()) => Ok(Some(n)),
            _ => {
                self.add(field, "form-err-count");
                Err(())
            }
        }
    }

    /// A decimal number, or `None` when empty; a problem otherwise. A decimal comma is read as
    /// a point.
    fn decimal(&mut self, field: &'static str, raw: &str) -> Result<Option<f64>, ()> {
        let t = raw.trim();
        if t.is_empty() {
            return Ok(None);
        }
        match t.replace(',', ".").parse::<f64>() {
            Ok(x) if x.is_finite() => Ok(Some(x)),
            _ => {
                self.add(field, "form-err-decimal");
                Err(())
            }
        }
    }

    /// One of a list of codes (a select's value); a problem when it is none of them.
    fn choice<T: DeserializeOwned>(&mut self, field: &'static str, raw: &str) -> Option<T> {
        let v = from_code(raw.trim());
        if v.is_none() {
            self.add(field, "form-err-choice");
        }
        v
    }
}

/// Text, or `None` when there is nothing but spaces.
fn optional(raw: &str) -> Option<String> {
    let t = raw.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

/// Which parts of the built content come from the form's single rows, so a core error on
/// `actors[0]` or `sources[0]` is shown on the right fields.
#[derive(Debug, Clone, Copy, Default)]
struct Rows {
    actor: bool,
    source: bool,
}

/// A date that stands in for one that could not be read, so the rest can still be checked; the
/// content is never stored while any problem remains.
const STAND_IN_DATE: Date = date!(2000 - 01 - 01);

/// Reads every field, collecting a problem for each bad one, and builds the content from what
/// could be read (unreadable parts stand in with values that raise no further problem). `base`
/// is the version being edited: its other actors and sources and its provenance are kept.
fn parse(
    form: &IncidentForm,
    tr: Tr,
    base: Option<&IncidentContent>,
) -> (IncidentContent, Vec<Problem>, Rows) {
    let mut p = Problems { tr, list: vec![] };

    let title = form.title.trim().to_owned();
    if title.is_empty() {
        p.add("title", "form-err-title-required");
    } else {
        p.length("title", &title, MAX_TITLE_CHARS);
    }
    let sub_type = SubType::parse(form.sub_type.trim());
    if sub_type.is_none() {
        p.add("sub_type", "form-err-sub-type");
    }

    // When.
    let start = if form.date_start.trim().is_empty() {
        p.add("date_start", "form-err-date-start-required");
        None
    } else if let Ok(d) = parse_iso_date(&form.date_start) {
        Some(d)
    } else {
        p.add("date_start", "form-err-date");
        None
    };
    let end = if form.date_end.trim().is_empty() {
        start
    } else if let Ok(d) = parse_iso_date(&form.date_end) {
        Some(d)
    } else {
        p.add("date_end", "form-err-date");
        None
    };
    if let (Some(s), Some(e)) = (start, end) {
        if e < s {
            p.add("date_end", "form-err-date-end-before");
        } else if (e - s).whole_days() > MAX_SPAN_DAYS {
            p.add_args(
                "date_end",
                "form-err-date-span",
                &[("max", MAX_SPAN_DAYS.into())],
            );
        }
    }
    let date_precision = p.choice("date_precision", &form.date_precision);
    let date = DateSpan {
        start: start.or(end).unwrap_or(STAND_IN_DATE),
        end: end.or(start).unwrap_or(STAND_IN_DATE),
        precision: date_precision.unwrap_or(DatePrecision::Day),
    };

    // Where.
    let lat = p.decimal("lat", &form.lat);
    let lon = p.decimal("lon", &form.lon);
    let lat = match lat {
        Ok(Some(x)) if !(-90.0..=90.0).contains(&x) => {
            p.add("lat", "form-err-lat-range");
            Err(())
        }
        other => other,
    };
    let lon = match lon {
        Ok(Some(x)) if !(-180.0..=180.0).contains(&x) => {
            p.add("lon", "form-err-lon-range");
            Err(())
        }
        other => other,
    };
    let point = match (lat, lon) {
        (Ok(Some(lat)), Ok(Some(lon))) => Some(GeoPoint { lat, lon }),
        (Ok(Some(_)), Ok(None)) => {
            p.add("lon", "form-err-lon-missing");
            None
        }
        (Ok(None), Ok(Some(_))) => {
            p.add("lat", "form-err-lat-missing");
            None
        }
        _ => None,
    };
    let no_coordinates = form.lat.trim().is_empty() && form.lon.trim().is_empty();
    // An unreadable precision stands in as `country`, which asks nothing more of the point.
    let precision = p
        .choice("location_precision", &form.location_precision)
        .unwrap_or(LocationPrecision::Country);
    if no_coordinates && precision != LocationPrecision::Country {
        p.add("lat", "form-err-point-required");
    }
    let place_name = optional(&form.place_name);
    let admin1 = optional(&form.admin1);
    let admin2 = optional(&form.admin2);
    for (field, v) in [
        ("place_name", &place_name),
        ("admin1", &admin1),
        ("admin2", &admin2),
    ] {
        if let Some(v) = v {
            p.length(field, v, MAX_NAME_CHARS);
        }
    }
    let country = match optional(&form.country) {
        None => {
            if no_coordinates {
                p.add("country", "form-err-country-required");
            }
            None
        }
        Some(raw) => match CountryCode::parse(&raw) {
            Ok(c) => Some(c),
            Err(_) => {
                p.add_args("country", "form-err-country-code", &[("code", raw.into())]);
                None
            }
        },
    };
    let location = Location {
        point,
        precision,
        place_name,
        admin1,
        admin2,
        country,
        coordinates_country: None,
    };

    // Casualties: low and high default to the best estimate, the best estimate to none.
    let best = p.count("fatalities_best", &form.fatalities_best);
    let low = p.count("fatalities_low", &form.fatalities_low);
    let high = p.count("fatalities_high", &form.fatalities_high);
    let dispute = optional(&form.fatalities_dispute);
    if let Some(d) = &dispute {
        p.length("fatalities_dispute", d, MAX_NOTE_CHARS);
    }
    let best_n = best.ok().flatten().unwrap_or(0);
    let low_n = low.ok().flatten().unwrap_or(best_n);
    let high_n = high.ok().flatten().unwrap_or(best_n);
    if dispute.is_none() && best.is_ok() {
        if low.is_ok() && low_n > best_n {
            p.add("fatalities_low", "form-err-low-above-best");
        }
        if high.is_ok() && high_n < best_n {
            p.add("fatalities_high", "form-err-high-below-best");
        }
    }
    // An unreadable bound stands in as the best estimate, so it raises nothing more.
    let fatalities = Fatalities {
        best: best_n,
        low: if low.is_ok() { low_n } else { best_n },
        high: if high.is_ok() { high_n } else { best_n },
        dispute,
    };
    let casualties = Casualties {
        fatalities,
        injured: p.count("injured", &form.injured).ok().flatten(),
        kidnapped: p.count("kidnapped", &form.kidnapped).ok().flatten(),
        released: p.count("released", &form.released).ok().flatten(),
    };

    // The actor row edits the first actor of the version being edited; the others are kept.
    let mut rows = Rows::default();
    let base_actors = base.map_or(&[][..], |b| b.actors.as_slice());
    let actor_name = form.actor_name.trim();
    let role = if form.actor_role.trim().is_empty() {
        None
    } else {
        p.choice::<ActorRole>("actor_role", &form.actor_role)
    };
    let mut actors = vec![];
    if actor_name.is_empty() {
        if !form.actor_role.trim().is_empty() {
            p.add("actor_name", "form-err-actor-name");
        }
    } else {
        p.length("actor_name", actor_name, MAX_NAME_CHARS);
        if form.actor_role.trim().is_empty() {
            p.add("actor_role", "form-err-actor-role");
        }
        // The link to an actor record holds only while the name is the one it was made for.
        let actor_id = base_actors
            .first()
            .filter(|a| a.name.trim() == actor_name)
            .and_then(|a| a.actor_id.clone());
        actors.push(IncidentActor {
            name: actor_name.to_owned(),
            role: role.unwrap_or(ActorRole::Participant),
            actor_id,
        });
        rows.actor = true;
    }
    actors.extend(base_actors.iter().skip(1).cloned());

    let narrative_lang = p.choice::<Lang>("narrative_lang", &form.narrative_lang);
    let narrative = if form.narrative.trim().is_empty() {
        None
    } else {
        let text = form.narrative.trim_end().to_owned();
        p.length("narrative", &text, MAX_NARRATIVE_CHARS);
        Some(Narrative {
            text,
            lang: narrative_lang.unwrap_or(Lang::En),
        })
    };

    // The source row, likewise, edits the first source.
    let base_sources = base.map_or(&[][..], |b| b.sources.as_slice());
    let source_name = form.source_name.trim();
    let reference = optional(&form.source_reference);
    let url = optional(&form.source_url);
    let reliability = if form.source_reliability.trim().is_empty() {
        None
    } else {
        p.choice::<Reliability>(
            "source_reliability",
            &form.source_reliability.trim().to_ascii_uppercase(),
        )
    };
    let credibility = match form.source_credibility.trim() {
        "" => None,
        raw => {
            let c = raw
                .parse::<u8>()
                .ok()
                .and_then(|n| Credibility::new(n).ok());
            if c.is_none() {
                p.add("source_credibility", "form-err-choice");
            }
            c
        }
    };
    let mut sources = vec![];
    if source_name.is_empty() {
        let anything_else = reference.is_some()
            || url.is_some()
            || !form.source_reliability.trim().is_empty()
            || !form.source_credibility.trim().is_empty();
        if anything_else {
            p.add("source_name", "form-err-source-name");
        }
    } else {
        p.length("source_name", source_name, MAX_NAME_CHARS);
        if let Some(r) = &reference {
            p.length("source_reference", r, MAX_NOTE_CHARS);
        }
        if let Some(u) = &url {
            if !(u.starts_with("https://") || u.starts_with("http://")) {
                p.add("source_url", "form-err-url");
            } else {
                p.length("source_url", u, MAX_URL_CHARS);
            }
        }
        if form.source_reliability.trim().is_empty() {
            p.add("source_reliability", "form-err-reliability");
        }
        if form.source_credibility.trim().is_empty() {
            p.add("source_credibility", "form-err-credibility");
        }
        // The form has no field for the source's date: it is kept while the source is the same.
        let date = base_sources
            .first()
            .filter(|s| s.name.trim() == source_name)
            .and_then(|s| s.date);
        sources.push(Source {
            name: source_name.to_owned(),
            reference,
            url,
            date,
            reliability: reliability.unwrap_or(Reliability::F),
            credibility: credibility.unwrap_or(Credibility::CANNOT_JUDGE),
        });
        rows.source = true;
    }
    sources.extend(base_sources.iter().skip(1).cloned());

    // Markings: unreadable ones stand in as the cautious defaults.
    let defaults = Markings::default();
    let classification = p
        .choice("classification", &form.classification)
        .unwrap_or(defaults.classification);
    let tlp = p.choice("tlp", &form.tlp).unwrap_or(defaults.tlp);
    let mut releasable_to: Vec<CountryCode> = vec![];
    let mut bad_codes: Vec<&str> = vec![];
    for raw in form
        .releasable_to
        .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
        .filter(|s| !s.is_empty())
    {
        match CountryCode::parse(raw) {
            Ok(c) if !releasable_to.contains(&c) => releasable_to.push(c),
            Ok(_) => {}
            Err(_) => bad_codes.push(raw),
        }
    }
    if !bad_codes.is_empty() {
        p.add_args(
            "releasable_to",
            "form-err-releasable",
            &[("codes", bad_codes.join(", ").into())],
        );
    }

    let content = IncidentContent {
        title,
        // Any sub-type stands in for a missing one: the core checks none of them.
        sub_type: sub_type.unwrap_or(SubType::ArmedAttack),
        date,
        location,
        actors,
        casualties,
        narrative,
        sources,
        markings: Markings {
            classification,
            tlp,
            releasable_to,
        },
        provenance: base.and_then(|b| b.provenance.clone()),
    };
    (content, p.list, rows)
}

/// The form field a core validation error concerns, from its path; `None` for parts the form
/// does not show (kept actors and sources).
fn form_field(path: &str, rows: Rows) -> Option<&'static str> {
    let field = match path {
        "title" => "title",
        p if p.starts_with("date.end") => "date_end",
        p if p.starts_with("date") => "date_start",
        p if p.starts_with("location.point.lon") => "lon",
        p if p.starts_with("location.point") => "lat",
        p if p.starts_with("location.country") || p.starts_with("location.coordinates") => {
            "country"
        }
        "location.place_name" => "place_name",
        "location.admin1" => "admin1",
        "location.admin2" => "admin2",
        p if p.starts_with("location") => "location_precision",
        p if p.starts_with("casualties.fatalities.dispute") => "fatalities_dispute",
        p if p.starts_with("casualties.fatalities") => "fatalities_best",
        "casualties.injured" => "injured",
        "casualties.kidnapped" => "kidnapped",
        "casualties.released" => "released",
        p if p.starts_with("narrative") => "narrative",
        p if rows.actor && p.starts_with("actors[0].role") => "actor_role",
        p if rows.actor && p.starts_with("actors[0]") => "actor_name",
        p if rows.source && p.starts_with("sources[0].url") => "source_url",
        p if rows.source && p.starts_with("sources[0].reference") => "source_reference",
        p if rows.source && p.starts_with("sources[0].reliability") => "source_reliability",
        p if rows.source && p.starts_with("sources[0].credibility") => "source_credibility",
        p if rows.source && p.starts_with("sources[0]") => "source_name",
        p if p.starts_with("markings.tlp") => "tlp",
        p if p.starts_with("markings.releasable_to") => "releasable_to",
        p if p.starts_with("markings") => "classification",
        _ => return None,
    };
    Some(field)
}

/// The country a point falls in, by the boundaries the program ships: the API's lookup.
fn country_at(lat: f64, lon: f64) -> Option<CountryCode> {
    liaison_geo::default_boundaries()
        .country_at(lat, lon)
        .and_then(|c| CountryCode::parse(c).ok())
}

/// The content to store, or every problem with the form, in the form's order. The content is
/// normalised and validated exactly as the API does it; a core error on a field that already has
/// a problem adds nothing (it is the same problem, worded in English).
fn check(
    form: &IncidentForm,
    tr: Tr,
    base: Option<&IncidentContent>,
) -> Result<IncidentContent, Vec<Problem>> {
    let (mut content, list, rows) = parse(form, tr, base);
    let mut p = Problems { tr, list };
    content.location.normalise(country_at);
    if content.location.country.is_none() && content.location.point.is_some() && !p.has("country") {
        p.add("country", "form-err-country-underived");
    }
    if let Err(errors) = content.validate() {
        for e in errors.0 {
            let field = form_field(&e.field, rows);
            if field.is_some_and(|f| p.covers(f)) {
                continue;
            }
            let message = match field {
                Some(_) => e.message,
                // Not a field of the form: say which part it is.
                None => e.to_string(),
            };
            p.list.push(Problem { field, message });
        }
    }
    let mut list = p.list;
    list.sort_by_key(|x| position(x.field));
    if list.is_empty() {
        Ok(content)
    } else {
        Err(list)
    }
}

/// An option of a select.
#[derive(Debug, Clone)]
struct Opt {
    value: String,
    label: String,
    selected: bool,
}

/// Options under a heading (`<optgroup>`).
#[derive(Debug, Clone)]
struct Group {
    label: String,
    options: Vec<Opt>,
}

/// A field as the template draws it.
#[derive(Debug, Clone)]
struct FieldView {
    name: &'static str,
    id: String,
    label: String,
    required: bool,
    wide: bool,
    /// `input`, `select` or `textarea`.
    element: &'static str,
    input_type: &'static str,
    /// `inputmode`, or empty.
    inputmode: &'static str,
    /// Codes and numbers: no spell checking.
    code: bool,
    /// Country codes: capitals on a touch keyboard.
    caps: bool,
    value: String,
    hint: Option<String>,
    error: Option<String>,
    /// The ids of the hint and the error, for `aria-describedby`; empty when neither.
    described_by: String,
    options: Vec<Opt>,
    groups: Vec<Group>,
}

/// A fieldset.
#[derive(Debug, Clone)]
struct SectionView {
    id: &'static str,
    legend: String,
    /// What the form keeps without showing (other actors, other sources, provenance).
    notes: Vec<String>,
    fields: Vec<FieldView>,
}

/// An entry of the error summary: a link to the field, or plain text for the whole form.
#[derive(Debug, Clone)]
struct SummaryItem {
    href: Option<String>,
    text: String,
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
fn sections(
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

/// What the conflict notice says and links to.
#[derive(Debug, Clone)]
struct Conflict {
    message: String,
    href: String,
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage {
    page: Page,
    /// The page's heading: its title without the error prefix.
    heading: String,
    form_css: String,
    action: String,
    /// The version the edit starts from; `None` for a new incident.
    base_version: Option<u32>,
    lead: String,
    submit: String,
    cancel_href: String,
    summary_title: String,
    summary: Vec<SummaryItem>,
    conflict: Option<Conflict>,
    sections: Vec<SectionView>,
}

/// A path segment for an incident id: ids hold only letters, digits and `- _ . :`, all safe in a
/// path, but anything else is percent-encoded all the same, and so is a segment of dots alone
/// (`.`, `..`), which a browser would otherwise resolve away.
fn segment(id: &str) -> String {
    let only_dots = id.bytes().all(|b| b == b'.');
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        let keep = (b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'~'))
            && !(only_dots && b == b'.');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn detail_path(id: &IncidentId) -> String {
    format!("/ui/incidents/{}", segment(id.as_str()))
}

/// What the page is for.
enum Mode<'a> {
    New,
    /// A new version of `current`, the stored version as last read.
    Edit {
        current: &'a Incident,
    },
}

/// The form page: `form`'s values, `problems` beside their fields and in the summary, and the
/// conflict notice when an edit was stale.
fn form_page(
    state: &WebState,
    s: &Session,
    mode: &Mode<'_>,
    form: &IncidentForm,
    problems: &[Problem],
    conflict: bool,
    status: StatusCode,
) -> Response {
    let tr = s.tr;
    let member = state.app.member.as_str();
    let (path, title_id, kept) = match mode {
        Mode::New => ("/ui/incidents/new".to_owned(), "form-title-new", None),
        Mode::Edit { current } => (
            format!("{}/edit", detail_path(&current.id)),
            "form-title-edit",
            Some(&current.content),
        ),
    };
    let mut page = Page::new(s, member, Screen::Entry, title_id, &path);
    let heading = page.title.clone();
    if let Mode::Edit { .. } = mode {
        // The navigation's "new incident" is not where the user is.
        for item in &mut page.nav {
            item.current = false;
        }
    }
    if !problems.is_empty() || conflict {
        // Screen readers read the title first: a refused form says so there too.
        page.title = tr.ta("form-error-title", &[("title", page.title.as_str().into())]);
    }
    let (lead, submit, cancel_href, base_version, conflict) = match mode {
        Mode::New => (
            tr.t("form-lead-new"),
            tr.t("form-submit-new"),
            "/ui/incidents".to_owned(),
            None,
            None,
        ),
        Mode::Edit { current } => {
            let version = i64::from(current.version);
            (
                tr.ta(
                    "form-lead-edit",
                    &[
                        ("id", current.id.as_str().into()),
                        ("version", version.into()),
                        ("next", (version + 1).into()),
                    ],
                ),
                tr.ta("form-submit-edit", &[("next", (version + 1).into())]),
                detail_path(&current.id),
                Some(current.version),
                conflict.then(|| Conflict {
                    message: tr.ta("form-conflict", &[("version", version.into())]),
                    href: detail_path(&current.id),
                }),
            )
        }
    };
    let summary = problems
        .iter()
        .map(|p| match p.field {
            Some(f) => SummaryItem {
                href: Some(format!("#f-{f}")),
                text: tr.ta(
                    "form-error-item",
                    &[
                        ("label", tr.t(&format!("form-label-{}", msg_key(f))).into()),
                        ("message", p.message.as_str().into()),
                    ],
                ),
            },
            None => SummaryItem {
                href: None,
                text: p.message.clone(),
            },
        })
        .collect();
    let summary_title = if conflict.is_some() {
        tr.t("form-conflict-title")
    } else {
        tr.t("form-errors-title")
    };
    render_status(
        status,
        &FormPage {
            page,
            heading,
            form_css: assets::url("form.css"),
            action: path,
            base_version,
            lead,
            submit,
            cancel_href,
            summary_title,
            summary,
            conflict,
            sections: sections(form, problems, tr, kept),
        },
    )
}

/// The incident behind an edit URL if this member originated it; otherwise the response to
/// give, the same "not found" for a malformed id, a missing incident and another member's.
async fn editable(
    state: &WebState,
    s: &Session,
    raw: Result<Path<String>, PathRejection>,
) -> Result<Incident, Response> {
    let member = state.app.member.as_str();
    let not_found = || layout::not_found(s, member);
    let Ok(Path(raw)) = raw else {
        return Err(not_found());
    };
    let Ok(id) = IncidentId::parse(&raw) else {
        return Err(not_found());
    };
    match state.app.store.get_incident(&id).await {
        Ok(inc) if inc.originator == state.app.member => Ok(inc),
        Ok(_) | Err(StoreError::NotFound) => Err(not_found()),
        Err(e) => Err(layout::failure(s, member, &e)),
    }
}

async fn new_form(State(state): State<WebState>, s: Session) -> Response {
    if let Err(refused) = s.require(Screen::Entry) {
        return refused;
    }
    let form = IncidentForm::blank(s.tr);
    form_page(&state, &s, &Mode::New, &form, &[], false, StatusCode::OK)
}

async fn create(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    Form(form): Form<IncidentForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::Entry) {
        return refused;
    }
    let member = state.app.member.as_str();
    let content = match check(&form, s.tr, None) {
        Ok(c) => c,
        Err(problems) => {
            return form_page(
                &state,
                &s,
                &Mode::New,
                &form,
                &problems,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    // The id as the API draws it (`liaison_server::incidents::create`).
    let raw_id = format!("{}-{}", member.to_lowercase(), (state.app.new_id)());
    let id = match IncidentId::parse(&raw_id) {
        Ok(id) => id,
        Err(e) => return layout::failure(&s, member, &format!("new incident id '{raw_id}': {e}")),
    };
    let incident = Incident::new(id, state.app.member.clone(), 1, content);
    if let Err(e) = state
        .app
        .store
        .create_incident(&incident, &s.user.name, (state.app.clock)())
        .await
    {
        return layout::failure(&s, member, &e);
    }
    tracing::info!(incident = %incident.id, user = %s.user.name, "incident recorded from the web form");
    Redirect::to(&detail_path(&incident.id)).into_response()
}

async fn edit_form(
    State(state): State<WebState>,
    s: Session,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    if let Err(refused) = s.require(Screen::Entry) {
        return refused;
    }
    let current = match editable(&state, &s, id).await {
        Ok(inc) => inc,
        Err(response) => return response,
    };
    // Showing the form reads the incident: logged like any read.
    let noted = match liaison_store::ts_of((state.app.clock)()) {
        Ok(at) => {
            state
                .app
                .store
                .note_reads(&s.user.name, &[current.id.as_str()], &at)
                .await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = noted {
        return layout::failure(&s, state.app.member.as_str(), &e);
    }
    let form = IncidentForm::from_incident(&current, s.tr);
    let mode = Mode::Edit { current: &current };
    form_page(&state, &s, &mode, &form, &[], false, StatusCode::OK)
}

async fn update(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    Form(form): Form<IncidentForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::Entry) {
        return refused;
    }
    let member = state.app.member.as_str();
    let current = match editable(&state, &s, id).await {
        Ok(inc) => inc,
        Err(response) => return response,
    };
    let checked = check(&form, s.tr, Some(&current.content));
    // An edit that did not start from the stored version would overwrite someone's work. The
    // form comes back with the user's values and the current version as its base, so saving
    // again is a deliberate choice made after reading the notice.
    if form.base_version.trim().parse::<u32>().ok() != Some(current.version) {
        let problems = checked.err().unwrap_or_default();
        let mode = Mode::Edit { current: &current };
        return form_page(
            &state,
            &s,
            &mode,
            &form,
            &problems,
            true,
            StatusCode::CONFLICT,
        );
    }
    let content = match checked {
        Ok(c) => c,
        Err(problems) => {
            let mode = Mode::Edit { current: &current };
            return form_page(
                &state,
                &s,
                &mode,
                &form,
                &problems,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let Some(next) = current.version.checked_add(1) else {
        return layout::failure(
            &s,
            member,
            &format!("incident {}: version overflow", current.id),
        );
    };
    let incident = Incident::new(current.id.clone(), state.app.member.clone(), next, content);
    match state
        .app
        .store
        .update_incident(&incident, &s.user.name, (state.app.clock)())
        .await
    {
        Ok(()) => {
            tracing::info!(incident = %incident.id, version = next, user = %s.user.name, "new version from the web form");
            Redirect::to(&detail_path(&incident.id)).into_response()
        }
        // Someone saved between the read above and this write: the same notice, against the
        // version now stored.
        Err(StoreError::Conflict(_)) => match state.app.store.get_incident(&current.id).await {
            Ok(now) => {
                let mode = Mode::Edit { current: &now };
                form_page(&state, &s, &mode, &form, &[], true, StatusCode::CONFLICT)
            }
            Err(e) => layout::failure(&s, member, &e),
        },
        Err(e) => layout::failure(&s, member, &e),
    }
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ui/incidents/new", get(new_form).post(create))
        .route("/ui/incidents/{id}/edit", get(edit_form).post(update))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;

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
}
