//! The incident: what happened, where, when, who was involved, how many were hurt, what the
//! sources say and how far they are believed, and who may see it.
//!
//! An incident has exactly one originating member, and only that member makes new versions
//! (invariant "one writer per object"). Other members respond with their own objects.

use serde::{Deserialize, Serialize};

use crate::date::DateSpan;
use crate::error::ValidationErrors;
use crate::ids::{ActorId, CountryCode, IncidentId};
use crate::location::{Location, check_len};
use crate::markings::Markings;
use crate::source::Source;
use crate::taxonomy::{EventType, SubType};

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 300;
/// Longest name (place, actor, source, admin area), in characters.
pub const MAX_NAME_CHARS: usize = 300;
/// Longest narrative, in characters.
pub const MAX_NARRATIVE_CHARS: usize = 20_000;
/// Most actors, sources per incident.
pub const MAX_ACTORS: usize = 50;
pub const MAX_SOURCES: usize = 50;

/// The role an actor played in an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActorRole {
    Perpetrator,
    Target,
    /// UCDP's side A (the government, in state-based conflict).
    SideA,
    /// UCDP's side B.
    SideB,
    Victim,
    Participant,
    Mediator,
}

/// An actor as it appears in one incident: the name as the source wrote it, and the actor record
/// it was linked to when the link is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentActor {
    pub name: String,
    pub role: ActorRole,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<ActorId>,
}

/// Deaths as a best estimate with a low and a high bound (UCDP's convention), and a note when
/// the figures are disputed between sources. `low ≤ best ≤ high` must hold unless the note
/// explains why not (figures kept as a source published them).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Fatalities {
    pub best: u32,
    pub low: u32,
    pub high: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dispute: Option<String>,
}

impl Fatalities {
    pub fn exact(n: u32) -> Self {
        Self {
            best: n,
            low: n,
            high: n,
            dispute: None,
        }
    }
}

/// The human toll and the people taken or freed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Casualties {
    pub fatalities: Fatalities,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injured: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kidnapped: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<u32>,
}

/// Languages a narrative may be written in. Search stems each language with its own rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    En,
    Fr,
    Ar,
}

impl Lang {
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
            Lang::Ar => "ar",
        }
    }
}

/// A free-text account of the incident and the language it is written in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Narrative {
    pub text: String,
    pub lang: Lang,
}

/// Where an incident came from when it was imported: the dataset, the record's id in it (the
/// key that makes re-imports no-ops), and the dataset's own coding, kept verbatim.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Provenance {
    /// `ucdp-ged`, `acled`, `sahel-2012`, …
    pub dataset: String,
    pub record_id: String,
    /// The dataset's own classification (`type_of_violence=2`, `Battles / Armed clash`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original_type: Option<String>,
    /// Attribution required by the dataset's licence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribution: Option<String>,
}

/// Everything an originator says about an incident; what a new version replaces.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IncidentContent {
    pub title: String,
    pub sub_type: SubType,
    pub date: DateSpan,
    pub location: Location,
    #[serde(default)]
    pub actors: Vec<IncidentActor>,
    #[serde(default)]
    pub casualties: Casualties,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative: Option<Narrative>,
    #[serde(default)]
    pub sources: Vec<Source>,
    #[serde(default)]
    pub markings: Markings,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

impl IncidentContent {
    pub fn event_type(&self) -> EventType {
        self.sub_type.event_type()
    }

    /// Checks every rule and reports every broken one, each naming its field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errs = ValidationErrors::default();
        if self.title.trim().is_empty() {
            errs.push("title", "must not be empty");
        }
        check_len(&mut errs, "title", &self.title, MAX_TITLE_CHARS);
        errs.nest("date", self.date.validate());
        errs.nest("location", self.location.validate());
        if self.actors.len() > MAX_ACTORS {
            errs.push("actors", format!("at most {MAX_ACTORS} actors"));
        }
        for (i, a) in self.actors.iter().enumerate() {
            if a.name.trim().is_empty() {
                errs.push(format!("actors[{i}].name"), "must not be empty");
            }
            check_len(
                &mut errs,
                &format!("actors[{i}].name"),
                &a.name,
                MAX_NAME_CHARS,
            );
        }
        let f = &self.casualties.fatalities;
        // Published datasets hold rows whose bounds are out of order (UCDP GED has some): those
        // are kept as published, with a dispute note saying so, rather than "corrected".
        if !(f.low <= f.best && f.best <= f.high) && f.dispute.is_none() {
            errs.push(
                "casualties.fatalities",
                format!(
                    "low ≤ best ≤ high does not hold ({} / {} / {}); if the sources disagree, say so in a dispute note",
                    f.low, f.best, f.high
                ),
            );
        }
        if let Some(d) = &f.dispute {
            check_len(
                &mut errs,
                "casualties.fatalities.dispute",
                d,
                MAX_TITLE_CHARS * 4,
            );
        }
        if let Some(n) = &self.narrative {
            check_len(&mut errs, "narrative.text", &n.text, MAX_NARRATIVE_CHARS);
        }
        if self.sources.len() > MAX_SOURCES {
            errs.push("sources", format!("at most {MAX_SOURCES} sources"));
        }
        for (i, s) in self.sources.iter().enumerate() {
            errs.nest(&format!("sources[{i}]"), s.validate());
        }
        errs.into_result()
    }

    /// The text that full-text search indexes: title, narrative, place names, actor names.
    pub fn searchable_text(&self) -> String {
        let mut parts: Vec<&str> = vec![&self.title];
        if let Some(n) = &self.narrative {
            parts.push(&n.text);
        }
        for p in [
            &self.location.place_name,
            &self.location.admin1,
            &self.location.admin2,
        ]
        .into_iter()
        .flatten()
        {
            parts.push(p);
        }
        for a in &self.actors {
            parts.push(&a.name);
        }
        parts.join(" \n ")
    }
}

/// A stored incident: its identity, its originator, its version, and its content.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Incident {
    pub id: IncidentId,
    /// The member whose node created it; the only one that may make new versions.
    pub originator: CountryCode,
    /// 1 for the first version, incremented by each new version.
    pub version: u32,
    pub event_type: EventType,
    #[serde(flatten)]
    pub content: IncidentContent,
}

impl Incident {
    pub fn new(
        id: IncidentId,
        originator: CountryCode,
        version: u32,
        content: IncidentContent,
    ) -> Self {
        Self {
            id,
            originator,
            version,
            event_type: content.event_type(),
            content,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
pub(crate) mod tests {
    use super::*;
    use crate::date::{DatePrecision, parse_iso_date};
    use crate::location::{GeoPoint, LocationPrecision};
    use crate::source::{Credibility, Reliability};

    pub(crate) fn sample() -> IncidentContent {
        IncidentContent {
            title: "AQIM attack on a gendarmerie post".into(),
            sub_type: SubType::ArmedAttack,
            date: DateSpan {
                start: parse_iso_date("2011-06-30").unwrap(),
                end: parse_iso_date("2011-06-30").unwrap(),
                precision: DatePrecision::Day,
            },
            location: Location {
                point: Some(GeoPoint {
                    lat: 22.785,
                    lon: 5.5228,
                }),
                precision: LocationPrecision::Admin1,
                place_name: Some("Tamanrasset".into()),
                admin1: Some("Tamanrasset".into()),
                admin2: None,
                country: Some(CountryCode::parse("DZA").unwrap()),
                coordinates_country: None,
            },
            actors: vec![IncidentActor {
                name: "AQIM".into(),
                role: ActorRole::Perpetrator,
                actor_id: None,
            }],
            casualties: Casualties {
                fatalities: Fatalities::exact(11),
                ..Default::default()
            },
            narrative: Some(Narrative {
                text: "Eleven gendarmes and border guards were killed.".into(),
                lang: Lang::En,
            }),
            sources: vec![Source {
                name: "Africa Center for Strategic Studies".into(),
                reference: None,
                url: None,
                date: None,
                reliability: Reliability::B,
                credibility: Credibility::new(2).unwrap(),
            }],
            markings: Markings::open(),
            provenance: None,
        }
    }

    #[test]
    fn a_good_incident_validates() {
        sample().validate().unwrap();
    }

    #[test]
    fn every_broken_rule_is_named() {
        let mut c = sample();
        c.title = " ".into();
        c.casualties.fatalities = Fatalities {
            best: 5,
            low: 6,
            high: 4,
            dispute: None,
        };
        c.location.point = Some(GeoPoint {
            lat: 100.0,
            lon: 0.0,
        });
        c.sources[0].name = String::new();
        c.date.end = parse_iso_date("2011-06-01").unwrap();
        let errs = c.validate().unwrap_err();
        let fields: Vec<&str> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "title",
                "date.end",
                "location.point.lat",
                "casualties.fatalities",
                "sources[0].name"
            ]
        );
    }

    #[test]
    fn out_of_order_bounds_need_a_dispute_note() {
        let mut c = sample();
        c.casualties.fatalities = Fatalities {
            best: 13,
            low: 13,
            high: 12,
            dispute: None,
        };
        assert!(c.validate().is_err());
        c.casualties.fatalities.dispute = Some("as published: high 12 < best 13".into());
        c.validate().unwrap();
    }

    #[test]
    fn json_shape_is_flat_and_stable() {
        let inc = Incident::new(
            IncidentId::parse("sahel-2012:tamanrasset-2011").unwrap(),
            CountryCode::parse("DZA").unwrap(),
            1,
            sample(),
        );
        let v: serde_json::Value = serde_json::to_value(&inc).unwrap();
        assert_eq!(v["id"], "sahel-2012:tamanrasset-2011");
        assert_eq!(v["event_type"], "attack");
        assert_eq!(v["sub_type"], "armed_attack");
        assert_eq!(v["date"]["start"], "2011-06-30");
        assert_eq!(v["location"]["country"], "DZA");
        assert_eq!(v["casualties"]["fatalities"]["best"], 11);
        assert_eq!(v["markings"]["tlp"], "clear");
        let back: Incident = serde_json::from_value(v).unwrap();
        assert_eq!(back, inc);
    }
}
