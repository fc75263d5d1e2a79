//! Domain → STIX: one incident becomes an `incident` (with our extension), a `location` linked by
//! `located-at`, its actors linked by `attributed-to` (perpetrators), `targets` (targets and
//! victims) or `related-to` (sides, participants, mediators), and a `note` for MISP; the export as
//! a whole gets the definitions it uses and one `report` that lists everything (see
//! [`crate::report`]).
//!
//! Every id is derived in the namespace of the incident's originator, so a node that relays an
//! incident derives the same ids as the node that wrote it. `created` is the first version's
//! recorded time, `modified` the current version's, with millisecond precision.

use std::collections::{HashMap, HashSet};

use liaison_core::{Actor, ActorId, ActorRole, CountryCode, Incident, Member, Reliability, Source};
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use crate::actors::{actor_object, member_identity, member_identity_id};
use crate::bundle::Bundle;
use crate::extension::{
    IncidentExt, PROPERTY_EXTENSION, RelationshipExt, RevokedExt, SourceExt, extension_definition,
    liaison_identity, wrap,
};
use crate::ids::derived;
use crate::location::location_object;
use crate::markings::{self, IncidentMarkings};
use crate::report;
use crate::timestamp::format_ms;

/// One incident to export, with the recorded times of its first and current versions.
#[derive(Debug, Clone, Copy)]
pub struct IncidentRecord<'a> {
    pub incident: &'a Incident,
    pub created: OffsetDateTime,
    pub modified: OffsetDateTime,
}

/// What the export needs besides the incidents.
#[derive(Debug, Clone, Copy)]
pub struct ExportContext<'a> {
    /// The member whose node exports: the author of the report.
    pub exporter: &'a CountryCode,
    /// The node's actor records, by id.
    pub actors: &'a HashMap<ActorId, Actor>,
    /// The members the node knows, by code (names for their identities).
    pub members: &'a HashMap<CountryCode, Member>,
    /// Said in the report's description (the filters of the export, for instance).
    pub description: Option<&'a str>,
}

/// Why an export failed: an incident that cannot be written as STIX.
#[derive(Debug, thiserror::Error)]
#[error("incident {incident}: {reason}")]
pub struct ExportError {
    pub incident: String,
    pub reason: String,
}

/// The id of an incident.
pub fn incident_id(inc: &Incident) -> String {
    derived("incident", inc.originator.as_str(), inc.id.as_str())
}

fn reliability_words(r: Reliability) -> &'static str {
    match r {
        Reliability::A => "completely reliable",
        Reliability::B => "usually reliable",
        Reliability::C => "fairly reliable",
        Reliability::D => "not usually reliable",
        Reliability::E => "unreliable",
        Reliability::F => "reliability cannot be judged",
    }
}

fn credibility_words(c: u8) -> &'static str {
    match c {
        1 => "confirmed by other sources",
        2 => "probably true",
        3 => "possibly true",
        4 => "doubtful",
        5 => "improbable",
        _ => "truth cannot be judged",
    }
}

/// The Admiralty grade of a source in words: `B2 (usually reliable source; information
/// probably true)`.
pub fn grade_words(s: &Source) -> String {
    format!(
        "{} ({} source; information {})",
        s.grade(),
        reliability_words(s.reliability),
        credibility_words(s.credibility.get())
    )
}

fn external_references(inc: &Incident) -> Vec<Value> {
    let c = &inc.content;
    let mut refs = Vec::new();
    for s in &c.sources {
        let mut d = format!("Admiralty grade {}.", grade_words(s));
        if let Some(r) = &s.reference {
            d.push_str(&format!(" {r}."));
        }
        if let Some(date) = s.date {
            d.push_str(&format!(" Published {date}."));
        }
        let mut r = Map::new();
        r.insert("source_name".into(), json!(s.name));
        r.insert("description".into(), json!(d));
        if let Some(u) = &s.url {
            r.insert("url".into(), json!(u));
        }
        refs.push(Value::Object(r));
    }
    if let Some(p) = &c.provenance {
        let mut d = String::from("The dataset record this incident was imported from.");
        if let Some(t) = &p.original_type {
            d.push_str(&format!(" Dataset coding: {t}."));
        }
        if let Some(a) = &p.attribution {
            d.push_str(&format!(" {a}"));
        }
        refs.push(
            json!({ "source_name": p.dataset, "external_id": p.record_id, "description": d }),
        );
    }
    refs
}

fn extension_of(inc: &Incident) -> IncidentExt {
    let c = &inc.content;
    let f = &c.casualties.fatalities;
    IncidentExt {
        extension_type: PROPERTY_EXTENSION.to_owned(),
        liaison_id: inc.id.clone(),
        originator: inc.originator.clone(),
        version: inc.version,
        event_type: inc.event_type,
        sub_type: c.sub_type,
        date_start: c.date.start,
        date_end: c.date.end,
        date_precision: c.date.precision,
        location_precision: c.location.precision,
        latitude: c.location.point.map(|p| p.lat),
        longitude: c.location.point.map(|p| p.lon),
        place_name: c.location.place_name.clone(),
        admin1: c.location.admin1.clone(),
        admin2: c.location.admin2.clone(),
        country: c.location.country.clone(),
        coordinates_country: c.location.coordinates_country.clone(),
        fatalities_best: f.best,
        fatalities_low: f.low,
        fatalities_high: f.high,
        fatalities_dispute: f.dispute.clone(),
        injured: c.casualties.injured,
        kidnapped: c.casualties.kidnapped,
        released: c.casualties.released,
        actors: c.actors.clone(),
        sources: c.sources.iter().map(SourceExt::from).collect(),
        narrative_lang: c.narrative.as_ref().map(|n| n.lang),
        classification: c.markings.classification,
        tlp: c.markings.tlp,
        releasable_to: c.markings.releasable_to.clone(),
        provenance: c.provenance.clone(),
        release: None,
    }
}

/// The common head of an object that belongs to an incident: same times, author and markings.
pub(crate) fn head(
    t: &str,
    id: &str,
    times: &Times,
    originator: &CountryCode,
    m: &IncidentMarkings,
) -> Map<String, Value> {
    let mut o = Map::new();
    o.insert("type".into(), json!(t));
    o.insert("spec_version".into(), json!("2.1"));
    o.insert("id".into(), json!(id));
    o.insert("created".into(), json!(times.created));
    o.insert("modified".into(), json!(times.modified));
    o.insert(
        "created_by_ref".into(),
        json!(member_identity_id(originator)),
    );
    o.insert("object_marking_refs".into(), json!(m.refs));
    o
}

/// An incident's `created` and `modified`, written.
pub(crate) struct Times {
    pub created: String,
    pub modified: String,
}

fn role_words(r: ActorRole) -> &'static str {
    match r {
        ActorRole::Perpetrator => "perpetrator",
        ActorRole::Target => "target",
        ActorRole::SideA => "side A",
        ActorRole::SideB => "side B",
        ActorRole::Victim => "victim",
        ActorRole::Participant => "participant",
        ActorRole::Mediator => "mediator",
    }
}

/// The relationship type of a role: `attributed-to`, `targets`, or `related-to` for roles STIX
/// has no word for (the extension on the relationship says which).
pub fn relationship_type(r: ActorRole) -> &'static str {
    match r {
        ActorRole::Perpetrator => "attributed-to",
        ActorRole::Target | ActorRole::Victim => "targets",
        ActorRole::SideA | ActorRole::SideB | ActorRole::Participant | ActorRole::Mediator => {
            "related-to"
        }
    }
}

/// Everything one incident contributes to a bundle.
pub(crate) struct IncidentObjects {
    pub incident: Value,
    pub incident_id: String,
    pub location: Option<(String, Value)>,
    pub actors: Vec<(String, Value)>,
    pub relationships: Vec<(String, Value)>,
    pub definitions: Vec<Value>,
    pub times: Times,
}

fn err(inc: &Incident, reason: impl ToString) -> ExportError {
    ExportError {
        incident: inc.id.to_string(),
        reason: reason.to_string(),
    }
}

fn times_of(rec: &IncidentRecord) -> Result<Times, ExportError> {
    let inc = rec.incident;
    Ok(Times {
        created: format_ms(rec.created).map_err(|e| err(inc, e))?,
        modified: format_ms(rec.modified.max(rec.created)).map_err(|e| err(inc, e))?,
    })
}

/// The `incident` object of one incident alone, with our extension: what the egress pipeline
/// releases to a peer (the extension holds everything a Liaison node needs to read it back).
pub fn incident_object(rec: &IncidentRecord) -> Result<Value, ExportError> {
    let inc = rec.incident;
    let times = times_of(rec)?;
    let m = markings::for_incident(
        &inc.originator,
        &inc.content.markings,
        inc.content.narrative.is_some(),
    );
    incident_only(rec, &times, &m)
}

fn incident_only(
    rec: &IncidentRecord,
    times: &Times,
    m: &IncidentMarkings,
) -> Result<Value, ExportError> {
    let inc = rec.incident;
    let c = &inc.content;
    let mut o = head("incident", &incident_id(inc), times, &inc.originator, m);
    o.insert("name".into(), json!(c.title));
    if let Some(n) = &c.narrative {
        o.insert("description".into(), json!(n.text));
        o.insert("lang".into(), json!(n.lang.as_str()));
    }
    let refs = external_references(inc);
    if !refs.is_empty() {
        o.insert("external_references".into(), json!(refs));
    }
    if !m.granular.is_empty() {
        o.insert("granular_markings".into(), json!(m.granular));
    }
    o.insert(
        "extensions".into(),
        wrap(&extension_of(inc)).map_err(|e| err(inc, e))?,
    );
    Ok(Value::Object(o))
}

/// The recall of an incident: a new version (`version`, at `modified`) with `revoked: true`
/// that carries the incident's id, originator and version and nothing of its content (`name` is
/// a fixed word, STIX requires one). `created` is the first version's, as on every version.
pub fn revoked_incident_object(
    ext: &RevokedExt,
    created: OffsetDateTime,
    modified: OffsetDateTime,
) -> Result<Value, ExportError> {
    let e = |reason: String| ExportError {
        incident: ext.liaison_id.to_string(),
        reason,
    };
    let created = format_ms(created).map_err(e)?;
    let modified_s = format_ms(modified).map_err(e)?;
    let modified = modified_s.max(created.clone());
    let id = derived("incident", ext.originator.as_str(), ext.liaison_id.as_str());
    let mut o = Map::new();
    o.insert("type".into(), json!("incident"));
    o.insert("spec_version".into(), json!("2.1"));
    o.insert("id".into(), json!(id));
    o.insert("created".into(), json!(created));
    o.insert("modified".into(), json!(modified));
    o.insert(
        "created_by_ref".into(),
        json!(member_identity_id(&ext.originator)),
    );
    o.insert("name".into(), json!(REVOKED_NAME));
    o.insert("revoked".into(), json!(true));
    o.insert(
        "extensions".into(),
        wrap(ext).map_err(|x| e(x.to_string()))?,
    );
    Ok(Value::Object(o))
}

/// The `name` of a recalled incident.
pub const REVOKED_NAME: &str = "Recalled incident";

pub(crate) fn incident_objects(
    ctx: &ExportContext,
    rec: &IncidentRecord,
) -> Result<IncidentObjects, ExportError> {
    let inc = rec.incident;
    let c = &inc.content;
    let times = times_of(rec)?;
    let m = markings::for_incident(&inc.originator, &c.markings, c.narrative.is_some());
    let id = incident_id(inc);
    let o = incident_only(rec, &times, &m)?;
    let location = location_object(inc, &times, &m).map(|l| {
        let lid = l["id"].as_str().unwrap_or_default().to_owned();
        (lid, l)
    });
    let mut relationships = Vec::new();
    if let Some((lid, _)) = &location {
        let rid = derived(
            "relationship",
            inc.originator.as_str(),
            &format!("{}:located-at", inc.id),
        );
        let mut r = head("relationship", &rid, &times, &inc.originator, &m);
        r.insert("relationship_type".into(), json!("located-at"));
        r.insert("source_ref".into(), json!(id));
        r.insert("target_ref".into(), json!(lid));
        relationships.push((rid, Value::Object(r)));
    }
    let mut actors = Vec::new();
    let mut seen = HashSet::new();
    for a in &c.actors {
        let record = a.actor_id.as_ref().and_then(|i| ctx.actors.get(i));
        let (aid, obj) = actor_object(&inc.originator, a, record).map_err(|e| err(inc, e))?;
        let role = a.role;
        let rid = derived(
            "relationship",
            inc.originator.as_str(),
            &format!("{}:{}:{aid}", inc.id, relationship_key(role)),
        );
        if !seen.insert(rid.clone()) {
            continue;
        }
        let mut r = head("relationship", &rid, &times, &inc.originator, &m);
        r.insert("relationship_type".into(), json!(relationship_type(role)));
        r.insert(
            "description".into(),
            json!(format!(
                "{}: {} in this incident.",
                a.name,
                role_words(role)
            )),
        );
        r.insert("source_ref".into(), json!(id));
        r.insert("target_ref".into(), json!(aid));
        let ext = RelationshipExt {
            extension_type: PROPERTY_EXTENSION.to_owned(),
            role,
        };
        r.insert("extensions".into(), wrap(&ext).map_err(|e| err(inc, e))?);
        relationships.push((rid, Value::Object(r)));
        actors.push((aid, obj));
    }
    Ok(IncidentObjects {
        incident: o,
        incident_id: id,
        location,
        actors,
        relationships,
        definitions: m.definitions,
        times,
    })
}

fn relationship_key(r: ActorRole) -> &'static str {
    match r {
        ActorRole::Perpetrator => "perpetrator",
        ActorRole::Target => "target",
        ActorRole::SideA => "side_a",
        ActorRole::SideB => "side_b",
        ActorRole::Victim => "victim",
        ActorRole::Participant => "participant",
        ActorRole::Mediator => "mediator",
    }
}

/// The part of a bundle an object goes in.
#[derive(Clone, Copy)]
enum Part {
    /// Definitions and identities.
    Meta,
    Actors,
    /// Each incident with its location, relationships and note.
    Incidents,
}

/// Objects in bundle order, each id once: definitions and identities first, then actors, then
/// the incidents, then the report.
#[derive(Default)]
struct Sections {
    seen: HashSet<String>,
    meta: Vec<Value>,
    actors: Vec<Value>,
    incidents: Vec<Value>,
}

impl Sections {
    fn push(&mut self, part: Part, v: Value) {
        let id = v["id"].as_str().unwrap_or_default().to_owned();
        if self.seen.insert(id) {
            match part {
                Part::Meta => self.meta.push(v),
                Part::Actors => self.actors.push(v),
                Part::Incidents => self.incidents.push(v),
            }
        }
    }
}

/// Exports incidents as one bundle with everything they reference (see the module's doc).
pub fn export_bundle(
    ctx: &ExportContext,
    incidents: &[IncidentRecord],
) -> Result<Bundle, ExportError> {
    let mut s = Sections::default();
    let meta = Part::Meta;
    s.push(meta, extension_definition());
    s.push(meta, liaison_identity());
    s.push(meta, markings::tlp_definition(liaison_core::Tlp::Clear));
    s.push(
        meta,
        member_identity(ctx.exporter, ctx.members.get(ctx.exporter)),
    );
    let mut contents = Vec::with_capacity(incidents.len());
    let mut parts = Vec::with_capacity(incidents.len());
    for rec in incidents {
        let inc = rec.incident;
        let objs = incident_objects(ctx, rec)?;
        s.push(
            meta,
            member_identity(&inc.originator, ctx.members.get(&inc.originator)),
        );
        for d in &objs.definitions {
            s.push(meta, d.clone());
        }
        for (_, a) in &objs.actors {
            s.push(Part::Actors, a.clone());
        }
        let mut refs = vec![objs.incident_id.clone()];
        refs.extend(objs.location.iter().map(|(lid, _)| lid.clone()));
        refs.extend(objs.relationships.iter().map(|(rid, _)| rid.clone()));
        refs.extend(objs.actors.iter().map(|(aid, _)| aid.clone()));
        refs.push(report::note_id(inc));
        contents.push(report::Content {
            incident_id: objs.incident_id.clone(),
            created: objs.times.created.clone(),
            modified: objs.times.modified.clone(),
            tlp: inc.content.markings.tlp,
            date_start: inc.content.date.start,
            date_end: inc.content.date.end,
            refs,
        });
        parts.push((rec, objs));
    }
    // The notes come once the report's id is known: a note whose incident has no point on the
    // map also refers to the report, so that MISP attaches it to the event.
    let report_id = report::report_id(ctx, &contents);
    for (rec, objs) in parts {
        let note = report::note(ctx, rec, &objs, report_id.as_deref());
        s.push(Part::Incidents, objs.incident);
        if let Some((_, l)) = objs.location {
            s.push(Part::Incidents, l);
        }
        for (_, r) in objs.relationships {
            s.push(Part::Incidents, r);
        }
        s.push(Part::Incidents, note);
    }
    let report = report::report(ctx, &contents);
    let bundle_key = report
        .as_ref()
        .and_then(|r| r["id"].as_str())
        .unwrap_or("empty")
        .to_owned();
    if let Some(r) = report {
        if let Some(t) = contents.iter().map(|c| c.tlp).max() {
            s.push(meta, markings::tlp_definition(t));
        }
        s.incidents.push(r);
    }
    let mut objects = s.meta;
    objects.extend(s.actors);
    objects.extend(s.incidents);
    Ok(Bundle {
        id: derived("bundle", ctx.exporter.as_str(), &bundle_key),
        objects,
    })
}
