//! Field reports over poor links: a short structured text that fits one SMS (160 characters),
//! sent by a community liaison or a patrol, and parsed into a draft incident for an analyst to
//! review. The format, with examples, is in `docs/field-reports.md`:
//!
//! ```text
//! TYPE @PLACE DATE [HH:MM] [K n] [W n] [H n] [R n] [A:ACTOR] [T:TARGET] [/ free text]
//! ATK @Aguelhok 17/01/2012 06:30 K3 W2 A:AQIM / attaque du poste a l'aube
//! ```
//!
//! Words are separated by spaces and read case-insensitively; in a place or actor name `_`
//! stands for a space (`@In_Guezzam`, `A:Ansar_Dine`). Every refusal names the word at fault by
//! its position and text, so a reporter can correct it from a basic phone. Parsing is pure:
//! the day of receipt is given (a `DD/MM` date is read in its year), and the place is resolved
//! to a point by the caller (the gazetteer is `liaison-geo`'s), through [`FieldReport::draft`].

use time::{Date, Month};

use crate::incident::{ActorRole, Casualties, Fatalities, IncidentActor, Lang, Narrative};
use crate::location::LocationPrecision;
use crate::markings::Markings;
use crate::source::{Credibility, Reliability, Source};
use crate::taxonomy::SubType;
use crate::{CountryCode, DatePrecision, DateSpan, GeoPoint, IncidentContent, Location};

/// Longest report, in characters: one SMS.
pub const MAX_REPORT_CHARS: usize = 160;

/// The short type codes a reporter types, and the sub-types they stand for. The full sub-type
/// names (`armed_attack`) are accepted too.
pub const TYPE_CODES: &[(&str, SubType)] = &[
    ("ATK", SubType::ArmedAttack),
    ("CIV", SubType::AttackOnCivilians),
    ("ASN", SubType::Assassination),
    ("BOMB", SubType::Bombing),
    ("SBOMB", SubType::SuicideBombing),
    ("IED", SubType::Ied),
    ("AIR", SubType::AirStrike),
    ("SHELL", SubType::Shelling),
    ("CLASH", SubType::ClashWithArmedForces),
    ("FIGHT", SubType::ArmedClash),
    ("KID", SubType::Kidnapping),
    ("REL", SubType::HostageRelease),
    ("RANSOM", SubType::Ransom),
    ("DRUGS", SubType::SeizureDrugs),
    ("ARMS", SubType::SeizureArms),
    ("VEH", SubType::SeizureVehicles),
    ("CIG", SubType::SeizureCigarettes),
    ("FUEL", SubType::SeizureFuel),
    ("MIGR", SubType::SeizurePeople),
    ("ARREST", SubType::Arrest),
    ("PROT", SubType::Protest),
    ("RIOT", SubType::Riot),
    ("MEET", SubType::ArmedGroupMeeting),
    ("RECR", SubType::Recruitment),
    ("CAMP", SubType::TrainingCamp),
    ("DEPLOY", SubType::Deployment),
];

/// Where the report says it happened.
#[derive(Debug, Clone, PartialEq)]
pub enum PlaceRef {
    /// A place name to look up in the gazetteer (`_` already turned into spaces).
    Named(String),
    /// Coordinates given as `@lat,lon`.
    Point(GeoPoint),
}

/// A count as reported: one number, or a range `low-high`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Count {
    pub low: u32,
    pub high: u32,
}

/// A parsed field report.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldReport {
    pub sub_type: SubType,
    pub place: PlaceRef,
    pub date: Date,
    /// Local time of day, `(hours, minutes)`, when given; kept in the narrative (an incident's
    /// date has no time of day).
    pub time: Option<(u8, u8)>,
    pub killed: Option<Count>,
    pub wounded: Option<Count>,
    pub kidnapped: Option<Count>,
    pub released: Option<Count>,
    /// Actors named, with the role their prefix gave (`A:` perpetrator, `T:` target).
    pub actors: Vec<(String, ActorRole)>,
    /// The free text after `/`.
    pub note: Option<String>,
}

/// Why a report could not be read. `word` counts from 1; 0 when the whole text is at fault.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.describe())]
pub struct FieldReportError {
    pub word: usize,
    pub text: String,
    pub message: String,
}

impl FieldReportError {
    fn describe(&self) -> String {
        if self.word == 0 {
            self.message.clone()
        } else {
            format!("word {} '{}': {}", self.word, self.text, self.message)
        }
    }

    fn whole(message: impl Into<String>) -> Self {
        Self {
            word: 0,
            text: String::new(),
            message: message.into(),
        }
    }

    fn at(word: usize, text: &str, message: impl Into<String>) -> Self {
        Self {
            word,
            text: text.to_owned(),
            message: message.into(),
        }
    }
}

/// The place a report names, resolved by the caller: the point, its country and how precise it
/// is (a gazetteer place is `Near`: the reporter named the nearest place they know).
#[derive(Debug, Clone, PartialEq)]
pub struct ResolvedPlace {
    pub point: GeoPoint,
    pub country: Option<CountryCode>,
    pub place_name: Option<String>,
    pub admin1: Option<String>,
    pub precision: LocationPrecision,
}

fn sub_type_of(word: &str) -> Option<SubType> {
    let upper = word.to_ascii_uppercase();
    TYPE_CODES
        .iter()
        .find(|(code, _)| *code == upper)
        .map(|(_, t)| *t)
        .or_else(|| SubType::parse(&word.to_ascii_lowercase()))
}

fn parse_count(word: &str) -> Result<Count, String> {
    let number = |s: &str| -> Result<u32, String> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) || s.len() > 6 {
            return Err("a count is a whole number, or a range such as 3-5".into());
        }
        s.parse().map_err(|_| "count too large".to_owned())
    };
    match word.split_once('-') {
        Some((a, b)) => {
            let (low, high) = (number(a)?, number(b)?);
            if low > high {
                return Err(format!("the range {low}-{high} runs backwards"));
            }
            Ok(Count { low, high })
        }
        None => {
            let n = number(word)?;
            Ok(Count { low: n, high: n })
        }
    }
}

fn parse_point(s: &str) -> Option<GeoPoint> {
    let (lat, lon) = s.split_once(',')?;
    let lat: f64 = lat.trim().parse().ok()?;
    let lon: f64 = lon.trim().parse().ok()?;
    ((-90.0..=90.0).contains(&lat) && (-180.0..=180.0).contains(&lon))
        .then_some(GeoPoint { lat, lon })
}

/// `YYYY-MM-DD`, `DD/MM/YYYY`, or `DD/MM` in the year of `received` (the year before when that
/// day would be after `received`: a report tells of the past).
fn parse_date(word: &str, received: Date) -> Option<Date> {
    if let Ok(d) = crate::date::parse_iso_date(word) {
        return Some(d);
    }
    let parts: Vec<&str> = word.split('/').collect();
    let num = |s: &str| -> Option<i32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (day, month, year) = match parts.as_slice() {
        [d, m] => (num(d)?, num(m)?, None),
        [d, m, y] if y.len() == 4 => (num(d)?, num(m)?, Some(num(y)?)),
        _ => return None,
    };
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let day = u8::try_from(day).ok()?;
    match year {
        Some(y) => Date::from_calendar_date(y, month, day).ok(),
        None => {
            let this_year = Date::from_calendar_date(received.year(), month, day).ok();
            match this_year {
                Some(d) if d <= received => Some(d),
                _ => Date::from_calendar_date(received.year() - 1, month, day).ok(),
            }
        }
    }
}

fn parse_time(word: &str) -> Option<(u8, u8)> {
    let (h, m) = word.split_once(':').or_else(|| word.split_once('h'))?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 {
        return None;
    }
    let (h, m): (u8, u8) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some((h, m))
}

fn name_of(raw: &str) -> String {
    raw.replace('_', " ").trim().to_owned()
}

/// Reads a report received on `received`. Every refusal names the word at fault.
pub fn parse(text: &str, received: Date) -> Result<FieldReport, FieldReportError> {
    let chars = text.chars().count();
    if chars > MAX_REPORT_CHARS {
        return Err(FieldReportError::whole(format!(
            "the report has {chars} characters; one SMS holds {MAX_REPORT_CHARS}"
        )));
    }
    let (head, note) = split_note(text);
    let words: Vec<&str> = head.split_whitespace().collect();
    let Some(first) = words.first() else {
        return Err(FieldReportError::whole(
            "the report is empty: start with the type, e.g. ATK @Aguelhok 17/01 K3",
        ));
    };
    let sub_type = sub_type_of(first).ok_or_else(|| {
        FieldReportError::at(
            1,
            first,
            "unknown type; use a code such as ATK, IED, KID, CLASH, DRUGS (docs/field-reports.md)",
        )
    })?;
    let mut place = None;
    let mut date = None;
    let mut time = None;
    let mut counts: [Option<Count>; 4] = [None; 4];
    let mut actors = Vec::new();
    for (i, word) in words.iter().enumerate().skip(1) {
        let n = i + 1;
        let fail = |message: String| FieldReportError::at(n, word, message);
        let upper = word.to_ascii_uppercase();
        if let Some(rest) = word.strip_prefix('@') {
            if place.is_some() {
                return Err(fail("a second place: give one @PLACE".into()));
            }
            let looks_numeric = rest.starts_with(|c: char| c.is_ascii_digit() || c == '-');
            place = Some(match parse_point(rest) {
                Some(p) => PlaceRef::Point(p),
                None if looks_numeric => {
                    return Err(fail(
                        "coordinates are @lat,lon in degrees, e.g. @16.27,-0.04".into(),
                    ));
                }
                None if rest.is_empty() => return Err(fail("a place name follows @".into())),
                None => PlaceRef::Named(name_of(rest)),
            });
        } else if let Some(name) = upper
            .strip_prefix("A:")
            .or_else(|| upper.strip_prefix("T:"))
            .map(|_| &word[2..])
        {
            if name.is_empty() {
                return Err(fail("an actor's name follows A: or T:".into()));
            }
            let role = if upper.starts_with("A:") {
                ActorRole::Perpetrator
            } else {
                ActorRole::Target
            };
            actors.push((name_of(name), role));
        } else if let Some(slot) = ["K", "W", "H", "R"].iter().position(|p| {
            upper.starts_with(p) && upper[1..].starts_with(|c: char| c.is_ascii_digit())
        }) {
            if counts[slot].is_some() {
                return Err(fail("this count is given twice".into()));
            }
            counts[slot] = Some(parse_count(&word[1..]).map_err(fail)?);
        } else if let Some(t) = parse_time(word) {
            if time.replace(t).is_some() {
                return Err(fail("a second time of day".into()));
            }
        } else if let Some(d) = parse_date(word, received) {
            if d > received {
                return Err(fail(format!(
                    "the day is after the report was received ({received})"
                )));
            }
            if date.replace(d).is_some() {
                return Err(fail("a second date".into()));
            }
        } else if word.contains('/')
            || word.contains('-') && word.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(fail(
                "not a date: write DD/MM, DD/MM/YYYY or YYYY-MM-DD".into(),
            ));
        } else {
            return Err(fail(
                "not understood: expected @PLACE, a date, HH:MM, K/W/H/R with a count, A:ACTOR, \
                 T:TARGET, or / before free text"
                    .into(),
            ));
        }
    }
    let place = place.ok_or_else(|| {
        FieldReportError::whole("no place: give @PLACE or @LAT,LON, e.g. @Aguelhok")
    })?;
    let date = date.ok_or_else(|| FieldReportError::whole("no date: give DD/MM, e.g. 17/01"))?;
    let [killed, wounded, kidnapped, released] = counts;
    Ok(FieldReport {
        sub_type,
        place,
        date,
        time,
        killed,
        wounded,
        kidnapped,
        released,
        actors,
        note: note.map(str::to_owned),
    })
}

/// The structured words and the free text: the text follows the first `/` that stands alone or
/// begins a word (a `/` inside `17/01` belongs to the date).
fn split_note(text: &str) -> (&str, Option<&str>) {
    let bytes = text.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'/' && (i == 0 || bytes[i - 1] == b' ') {
            let note = text[i + 1..].trim();
            return (&text[..i], (!note.is_empty()).then_some(note));
        }
    }
    (text, None)
}

impl FieldReport {
    /// The draft incident the report becomes, for an analyst to review: the place as the caller
    /// resolved it, the day (day precision), counts, actors, the free text and the reported time
    /// as the narrative in `lang`, and the reporter as a source graded F6 (reliability and
    /// credibility cannot be judged yet: the reviewer grades it).
    pub fn draft(
        &self,
        place: &ResolvedPlace,
        sender: &str,
        raw: &str,
        lang: Lang,
    ) -> IncidentContent {
        let where_words = match (&self.place, &place.place_name) {
            (_, Some(name)) => name.clone(),
            (PlaceRef::Point(p), None) => format!("{:.4}, {:.4}", p.lat, p.lon),
            (PlaceRef::Named(n), None) => n.clone(),
        };
        let count = |c: Option<Count>| c.map(|c| c.low);
        let fatalities = self.killed.map_or(Fatalities::exact(0), |k| Fatalities {
            best: k.low,
            low: k.low,
            high: k.high,
            dispute: None,
        });
        let mut narrative = format!("Field report from {sender}: {raw}");
        if let Some((h, m)) = self.time {
            narrative.push_str(&format!(" (reported time {h:02}:{m:02} local)"));
        }
        IncidentContent {
            title: format!(
                "{} at {where_words} (field report)",
                self.sub_type.as_str().replace('_', " ")
            ),
            sub_type: self.sub_type,
            date: DateSpan {
                start: self.date,
                end: self.date,
                precision: DatePrecision::Day,
            },
            location: Location {
                point: Some(place.point),
                precision: place.precision,
                place_name: place.place_name.clone(),
                admin1: place.admin1.clone(),
                admin2: None,
                country: place.country.clone(),
                coordinates_country: place.country.clone(),
            },
            actors: self
                .actors
                .iter()
                .map(|(name, role)| IncidentActor {
                    name: name.clone(),
                    role: *role,
                    actor_id: None,
                })
                .collect(),
            casualties: Casualties {
                fatalities,
                injured: count(self.wounded),
                kidnapped: count(self.kidnapped),
                released: count(self.released),
            },
            narrative: Some(Narrative {
                text: narrative,
                lang,
            }),
            sources: vec![Source {
                name: format!("field report: {sender}"),
                reference: None,
                url: None,
                date: Some(self.date),
                reliability: Reliability::F,
                credibility: Credibility::CANNOT_JUDGE,
            }],
            markings: Markings::open(),
            provenance: None,
        }
    }
}

#[cfg(test)]
#[path = "field_report_tests.rs"]
mod tests;
