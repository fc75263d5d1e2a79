//! STIX → domain, for the objects Liaison knows; every object, known or not, is also kept
//! verbatim by the caller.
//!
//! - An `incident` carrying our extension is a Liaison incident: the extension holds everything
//!   (`name` is the title, `description` the narrative), and the result is checked by the domain's
//!   own rules, each broken one named by its STIX property. An incident without our extension is
//!   not a Liaison incident (it has no date, place or type that Liaison could trust): kept only.
//! - A `threat-actor` or `identity` carrying our extension with an actor record (`kind` and
//!   `actor_id`) is that record. A third-party `threat-actor` becomes an actor with id
//!   `stix:<its STIX id>`: a criminal network if its types say crime, a person if its resource
//!   level is `individual`, otherwise an armed group. Other identities (authors, organisations)
//!   are kept only.
//! - An `incident` with `revoked: true` and our extension is a recall (see
//!   [`crate::export::revoked_incident_object`]): [`map_object`] gives `None` for it (it holds no
//!   incident) and [`map_revoked`] reads who recalls which incident at which version.

use liaison_core::{
    Actor, ActorId, ActorKind, Alias, Casualties, DateSpan, Fatalities, GeoPoint, Incident,
    IncidentContent, Lang, Location, Markings, Narrative,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::bundle::ParsedObject;
use crate::error::ObjectError;
use crate::extension::{ActorExt, EXTENSION_ID, IncidentExt, PROPERTY_EXTENSION, RevokedExt};

/// A STIX object as a domain record.
#[derive(Debug, Clone, PartialEq)]
pub enum Mapped {
    Incident(Box<Incident>),
    Actor(Box<Actor>),
}

/// A recall read from a `revoked: true` incident: the originator recalls its incident `id`;
/// `version` is the recall's own version (one more than the last version released).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    pub originator: liaison_core::CountryCode,
    pub id: liaison_core::IncidentId,
    pub version: u32,
}

fn is_revoked(o: &ParsedObject) -> bool {
    o.value.get("revoked").and_then(Value::as_bool) == Some(true)
}

/// Reads a recall: `Some` for an `incident` with `revoked: true` and our extension, `None` for
/// any other object. Kept apart from [`map_object`] so that callers matching its variants need
/// no change.
pub fn map_revoked(o: &ParsedObject) -> Result<Option<Revoked>, Vec<ObjectError>> {
    let ext = o.value.get("extensions").and_then(|e| e.get(EXTENSION_ID));
    match (o.header.object_type.as_str(), ext) {
        ("incident", Some(ext)) if is_revoked(o) => {
            let x: RevokedExt = read_ext(o, ext)?;
            Ok(Some(Revoked {
                originator: x.originator,
                id: x.liaison_id,
                version: x.version,
            }))
        }
        _ => Ok(None),
    }
}

fn ext_path(p: &str) -> String {
    if p.is_empty() || p == "." {
        format!("extensions.{EXTENSION_ID}")
    } else {
        format!("extensions.{EXTENSION_ID}.{p}")
    }
}

fn read_ext<T: DeserializeOwned>(o: &ParsedObject, ext: &Value) -> Result<T, Vec<ObjectError>> {
    let err = |p: &str, m: String| {
        vec![ObjectError::new(
            o.index,
            Some(&o.header.id),
            Some(&ext_path(p)),
            m,
        )]
    };
    if ext.get("extension_type").and_then(Value::as_str) != Some(PROPERTY_EXTENSION) {
        return Err(err(
            "extension_type",
            format!("must be \"{PROPERTY_EXTENSION}\""),
        ));
    }
    serde_path_to_error::deserialize(ext).map_err(|e| {
        let path = e.path().to_string();
        err(&path, e.into_inner().to_string())
    })
}

/// Maps a checked object into the domain; `None` for objects Liaison only keeps.
pub fn map_object(o: &ParsedObject) -> Result<Option<Mapped>, Vec<ObjectError>> {
    let ext = o.value.get("extensions").and_then(|e| e.get(EXTENSION_ID));
    match (o.header.object_type.as_str(), ext) {
        // A recall holds no incident: read it with `map_revoked`.
        ("incident", Some(_)) if is_revoked(o) => Ok(None),
        ("incident", Some(ext)) => incident(o, ext).map(|i| Some(Mapped::Incident(Box::new(i)))),
        ("threat-actor" | "identity", Some(ext)) => {
            let a: ActorExt = read_ext(o, ext)?;
            Ok(match (a.actor_id.clone(), a.kind) {
                (Some(id), Some(kind)) => Some(Mapped::Actor(Box::new(Actor {
                    id,
                    kind,
                    name: name(o)?,
                    aliases: a.aliases,
                    country: a.country,
                    ucdp_id: a.ucdp_id,
                    description: text(o, "description"),
                    source: a.source,
                    reliability: a.reliability,
                    credibility: a.credibility,
                    relations: a.relations,
                }))),
                _ => None,
            })
        }
        ("threat-actor", None) => third_party_actor(o).map(|a| Some(Mapped::Actor(Box::new(a)))),
        _ => Ok(None),
    }
}

fn text(o: &ParsedObject, p: &str) -> Option<String> {
    o.value.get(p).and_then(Value::as_str).map(str::to_owned)
}

fn name(o: &ParsedObject) -> Result<String, Vec<ObjectError>> {
    match text(o, "name") {
        Some(n) if !n.trim().is_empty() => Ok(n),
        _ => Err(vec![ObjectError::new(
            o.index,
            Some(&o.header.id),
            Some("name"),
            "must be a non-empty string".into(),
        )]),
    }
}

fn third_party_actor(o: &ParsedObject) -> Result<Actor, Vec<ObjectError>> {
    let name = name(o)?;
    let strings = |p: &str| -> Vec<String> {
        o.value
            .get(p)
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let types = strings("threat_actor_types");
    let kind = if types
        .iter()
        .any(|t| t == "crime-syndicate" || t == "criminal")
    {
        ActorKind::CriminalNetwork
    } else if text(o, "resource_level").as_deref() == Some("individual") {
        ActorKind::Person
    } else {
        ActorKind::ArmedGroup
    };
    let id = ActorId::parse(&format!("stix:{}", o.header.id))
        .map_err(|m| vec![ObjectError::new(o.index, Some(&o.header.id), Some("id"), m)])?;
    Ok(Actor {
        id,
        kind,
        name,
        aliases: strings("aliases")
            .iter()
            .map(|a| Alias::new(a, Some("STIX import")))
            .collect(),
        country: None,
        ucdp_id: None,
        description: text(o, "description"),
        source: None,
        reliability: None,
        credibility: None,
        relations: Vec::new(),
    })
}

/// The STIX property a domain field comes from, for error messages.
fn stix_property(field: &str) -> String {
    let ext_field = |f: &str| ext_path(f);
    match field {
        "title" => "name".to_owned(),
        "narrative.text" => "description".to_owned(),
        "date.start" => ext_field("date_start"),
        "date.end" => ext_field("date_end"),
        "location.point" | "location.point.lat" => ext_field("latitude"),
        "location.point.lon" => ext_field("longitude"),
        "casualties.fatalities" => ext_field("fatalities_best"),
        "casualties.fatalities.dispute" => ext_field("fatalities_dispute"),
        f => match f.strip_prefix("location.") {
            Some(rest) => ext_field(rest),
            None => ext_field(f),
        },
    }
}

fn incident(o: &ParsedObject, ext: &Value) -> Result<Incident, Vec<ObjectError>> {
    let x: IncidentExt = read_ext(o, ext)?;
    let err = |p: String, m: String| ObjectError::new(o.index, Some(&o.header.id), Some(&p), m);
    if x.sub_type.event_type() != x.event_type {
        return Err(vec![err(
            ext_path("event_type"),
            format!(
                "'{}' is not the event type of sub-type '{}' ({})",
                x.event_type.as_str(),
                x.sub_type.as_str(),
                x.sub_type.event_type().as_str()
            ),
        )]);
    }
    let title = name(o)?;
    let narrative = text(o, "description").map(|t| Narrative {
        text: t,
        lang: x
            .narrative_lang
            .or_else(|| match text(o, "lang").as_deref() {
                Some("fr") => Some(Lang::Fr),
                Some("ar") => Some(Lang::Ar),
                _ => None,
            })
            .unwrap_or(Lang::En),
    });
    let point = match (x.latitude, x.longitude) {
        (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon }),
        (None, None) => None,
        _ => {
            return Err(vec![err(
                ext_path("latitude"),
                "latitude and longitude go together".into(),
            )]);
        }
    };
    let content = IncidentContent {
        title,
        sub_type: x.sub_type,
        date: DateSpan {
            start: x.date_start,
            end: x.date_end,
            precision: x.date_precision,
        },
        location: Location {
            point,
            precision: x.location_precision,
            place_name: x.place_name,
            admin1: x.admin1,
            admin2: x.admin2,
            country: x.country,
            coordinates_country: x.coordinates_country,
        },
        actors: x.actors,
        casualties: Casualties {
            fatalities: Fatalities {
                best: x.fatalities_best,
                low: x.fatalities_low,
                high: x.fatalities_high,
                dispute: x.fatalities_dispute,
            },
            injured: x.injured,
            kidnapped: x.kidnapped,
            released: x.released,
        },
        narrative,
        sources: x.sources.into_iter().map(Into::into).collect(),
        markings: Markings {
            classification: x.classification,
            tlp: x.tlp,
            releasable_to: x.releasable_to,
        },
        provenance: x.provenance,
    };
    if let Err(errs) = content.validate() {
        return Err(errs
            .0
            .into_iter()
            .map(|fe| err(stix_property(&fe.field), fe.message))
            .collect());
    }
    Ok(Incident::new(
        x.liaison_id,
        x.originator,
        x.version,
        content,
    ))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::export::revoked_incident_object;
    use liaison_core::{CountryCode, IncidentId};
    use time::OffsetDateTime;

    fn parsed(v: &Value) -> ParsedObject {
        let bundle = serde_json::json!({"type": "bundle",
            "id": "bundle--6a1a4a39-3b5e-4a58-9d5a-1b3a8b0c9a11", "objects": [v]});
        let mut p = crate::bundle::parse(&serde_json::to_vec(&bundle).unwrap()).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        p.objects.remove(0)
    }

    #[test]
    fn a_recall_is_recognised_and_holds_no_incident() {
        let x = RevokedExt {
            extension_type: PROPERTY_EXTENSION.into(),
            liaison_id: IncidentId::parse("aguelhok-2012").unwrap(),
            originator: CountryCode::parse("MLI").unwrap(),
            version: 3,
            release: None,
        };
        let t = |s| OffsetDateTime::from_unix_timestamp(s).unwrap();
        let v = revoked_incident_object(&x, t(1_327_363_200), t(1_327_366_800)).unwrap();
        assert_eq!(v["revoked"], true);
        assert_eq!(v["modified"], "2012-01-24T01:00:00.000Z");
        let o = parsed(&v);
        assert_eq!(map_object(&o).unwrap(), None);
        assert_eq!(
            map_revoked(&o).unwrap(),
            Some(Revoked {
                originator: x.originator.clone(),
                id: x.liaison_id.clone(),
                version: 3
            })
        );
        // Only an incident with revoked: true is a recall.
        let mut live = v.clone();
        live["revoked"] = Value::Bool(false);
        assert_eq!(map_revoked(&parsed(&live)).unwrap(), None);
    }
}
