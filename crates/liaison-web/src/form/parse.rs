//! Reading what the form posts: every field is parsed with messages in the user's language
//! (`Problems`, `parse`), then the core's own validation runs on what could be built and its
//! errors are placed on the fields their paths name (`check`, `form_field`). Kept apart from the
//! handlers and the page so that the rules a form must meet can be read, and tested, on their
//! own.

use liaison_core::date::{MAX_SPAN_DAYS, parse_iso_date};
use liaison_core::incident::{MAX_NAME_CHARS, MAX_NARRATIVE_CHARS, MAX_TITLE_CHARS};
use liaison_core::{
    ActorRole, Casualties, CountryCode, Credibility, DatePrecision, DateSpan, Fatalities, GeoPoint,
    IncidentActor, IncidentContent, Lang, Location, LocationPrecision, Markings, Narrative,
    Reliability, Source, SubType,
};
use serde::de::DeserializeOwned;
use time::Date;
use time::macros::date;

use super::fields::{IncidentForm, SECTIONS, from_code};
use crate::i18n::{Arg, Tr};

/// Longest source reference and dispute note, in characters: the core's bound.
const MAX_NOTE_CHARS: usize = MAX_TITLE_CHARS * 4;
/// Longest source URL, in characters: the core's bound.
const MAX_URL_CHARS: usize = 2048;

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

/// One problem with what was posted: on a field, or on the form as a whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Problem {
    pub(super) field: Option<&'static str>,
    pub(super) message: String,
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
pub(super) struct Rows {
    pub(super) actor: bool,
    pub(super) source: bool,
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
pub(super) fn form_field(path: &str, rows: Rows) -> Option<&'static str> {
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
pub(super) fn check(
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
