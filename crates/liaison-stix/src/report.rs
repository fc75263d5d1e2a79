//! The `report` container and the `note`s, for MISP and any tool that does not read `incident`.
//!
//! misp-stix has no mapping for `incident`, and it fails on a `note` outside a `report`. So every
//! export carries one `report` (it becomes the MISP event) whose `object_refs` list every
//! incident, location, relationship, actor and note, and one `note` per incident, inside the
//! report, that spells out in words what a MISP analyst needs: what, when, where, who, how many
//! dead, the narrative, the sources and their grades, the markings.

use std::collections::HashSet;

use liaison_core::{Incident, Tlp};
use serde_json::{Value, json};

use crate::actors::member_identity_id;
use crate::export::{ExportContext, IncidentObjects, IncidentRecord, grade_words};
use crate::ids::derived;
use crate::location::precision_metres;
use crate::markings::tlp_id;

/// What the report needs to know of one exported incident.
pub(crate) struct Content {
    pub incident_id: String,
    pub created: String,
    pub modified: String,
    pub tlp: Tlp,
    pub date_start: time::Date,
    pub date_end: time::Date,
    /// The objects of this incident the report lists.
    pub refs: Vec<String>,
}

fn member_name(ctx: &ExportContext, code: &liaison_core::CountryCode) -> String {
    ctx.members
        .get(code)
        .map_or_else(|| code.name_en().to_owned(), |m| m.name.clone())
}

/// The facts of an incident in words.
pub fn note_text(inc: &Incident) -> String {
    let c = &inc.content;
    let mut lines = Vec::new();
    lines.push(format!(
        "{} ({} / {}).",
        c.title,
        inc.event_type.as_str(),
        c.sub_type.as_str()
    ));
    lines.push(if c.date.start == c.date.end {
        format!(
            "When: {} (precision: {}).",
            c.date.start,
            c.date.precision.as_str()
        )
    } else {
        format!(
            "When: {} to {} (precision: {}).",
            c.date.start,
            c.date.end,
            c.date.precision.as_str()
        )
    });
    let loc = &c.location;
    let mut place: Vec<String> = [&loc.place_name, &loc.admin2, &loc.admin1]
        .into_iter()
        .flatten()
        .cloned()
        .collect();
    place.dedup();
    if let Some(cc) = &loc.country {
        place.push(format!("{} ({cc})", cc.name_en()));
    }
    let mut wher = format!("Where: {}", place.join(", "));
    match (loc.point, precision_metres(loc.precision)) {
        (Some(p), Some(m)) => wher.push_str(&format!(
            "; {:.5}, {:.5}, precision {} (within about {} km).",
            p.lat,
            p.lon,
            loc.precision.as_str(),
            m / 1000.0
        )),
        _ => wher.push_str(&format!("; precision {}.", loc.precision.as_str())),
    }
    lines.push(wher);
    if !c.actors.is_empty() {
        let actors: Vec<String> = c
            .actors
            .iter()
            .map(|a| {
                let role = serde_json::to_value(a.role)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                format!("{} ({role})", a.name)
            })
            .collect();
        lines.push(format!("Actors: {}.", actors.join("; ")));
    }
    let f = &c.casualties.fatalities;
    let mut toll = format!("Fatalities: {} (low {}, high {})", f.best, f.low, f.high);
    if let Some(d) = &f.dispute {
        toll.push_str(&format!("; disputed: {d}"));
    }
    for (what, n) in [
        ("injured", c.casualties.injured),
        ("kidnapped", c.casualties.kidnapped),
        ("released", c.casualties.released),
    ] {
        if let Some(n) = n {
            toll.push_str(&format!("; {what}: {n}"));
        }
    }
    toll.push('.');
    lines.push(toll);
    if let Some(n) = &c.narrative {
        lines.push(format!("Narrative ({}): {}", n.lang.as_str(), n.text));
    }
    for s in &c.sources {
        let mut l = format!("Source: {}, graded {}", s.name, grade_words(s));
        if let Some(r) = &s.reference {
            l.push_str(&format!("; {r}"));
        }
        if let Some(u) = &s.url {
            l.push_str(&format!("; {u}"));
        }
        l.push('.');
        lines.push(l);
    }
    let m = &c.markings;
    let class = serde_json::to_value(m.classification)
        .ok()
        .and_then(|v| v.as_str().map(str::to_uppercase))
        .unwrap_or_default();
    let mut marks = format!("Markings: {}; {class}", m.tlp.label());
    if !m.releasable_to.is_empty() {
        let to: Vec<&str> = m.releasable_to.iter().map(|c| c.as_str()).collect();
        marks.push_str(&format!(
            "; releasable to {} and the originator",
            to.join(", ")
        ));
    } else if m.classification > liaison_core::Classification::Unclassified {
        marks.push_str("; releasable to the originator only");
    }
    marks.push('.');
    lines.push(marks);
    lines.push(format!(
        "Liaison incident {} of {}, version {}.",
        inc.id, inc.originator, inc.version
    ));
    lines.join("\n")
}

/// The id of an incident's note.
pub(crate) fn note_id(inc: &Incident) -> String {
    derived("note", inc.originator.as_str(), inc.id.as_str())
}

/// The note of one incident, inside the report. It refers to the incident and its location, not
/// to its actors: misp-stix attaches a note to every mapped object it refers to, and a government
/// named in a thousand incidents would carry a thousand notes. In MISP the note lands on the
/// incident's geolocation object; when the location has no point (MISP makes a galaxy of it,
/// which cannot hold a note), the note also refers to the report and lands on the event.
pub(crate) fn note(
    ctx: &ExportContext,
    rec: &IncidentRecord,
    objs: &IncidentObjects,
    report_id: Option<&str>,
) -> Value {
    let inc = rec.incident;
    let mut refs = vec![objs.incident_id.clone()];
    let mut on_map = false;
    if let Some((lid, l)) = &objs.location {
        refs.push(lid.clone());
        on_map = l.get("latitude").is_some();
    }
    if !on_map && let Some(r) = report_id {
        refs.push(r.to_owned());
    }
    json!({
        "type": "note",
        "spec_version": "2.1",
        "id": note_id(inc),
        "created": objs.times.created,
        "modified": objs.times.modified,
        "created_by_ref": member_identity_id(&inc.originator),
        "abstract": inc.content.title,
        "content": note_text(inc),
        "authors": [member_name(ctx, &inc.originator)],
        "object_refs": refs,
        "object_marking_refs": objs.incident["object_marking_refs"].clone(),
    })
}

/// The id of the report of an export (derived from the incidents and their versions).
pub(crate) fn report_id(ctx: &ExportContext, contents: &[Content]) -> Option<String> {
    if contents.is_empty() {
        return None;
    }
    let key = contents
        .iter()
        .map(|c| format!("{}@{}", c.incident_id, c.modified))
        .collect::<Vec<_>>()
        .join(",");
    Some(derived("report", ctx.exporter.as_str(), &key))
}

/// The report of an export, or `None` when nothing was exported (a report needs object_refs).
pub(crate) fn report(ctx: &ExportContext, contents: &[Content]) -> Option<Value> {
    let created = contents.iter().map(|c| c.created.as_str()).min()?;
    let modified = contents.iter().map(|c| c.modified.as_str()).max()?;
    let tlp = contents.iter().map(|c| c.tlp).max()?;
    let from = contents.iter().map(|c| c.date_start).min()?;
    let to = contents.iter().map(|c| c.date_end).max()?;
    let id = report_id(ctx, contents)?;
    let mut seen = HashSet::new();
    let refs: Vec<&str> = contents
        .iter()
        .flat_map(|c| c.refs.iter())
        .filter(|r| seen.insert(r.as_str()))
        .map(String::as_str)
        .collect();
    let who = member_name(ctx, ctx.exporter);
    let n = contents.len();
    let mut description = format!(
        "Incidents exported by the Liaison node of {who} ({}). Each incident is a STIX incident \
         carrying the Liaison extension; each note here states its facts in words.",
        ctx.exporter
    );
    if let Some(d) = ctx.description {
        description.push_str(&format!(" Selection: {d}."));
    }
    Some(json!({
        "type": "report",
        "spec_version": "2.1",
        "id": id,
        "created": created,
        "modified": modified,
        "created_by_ref": member_identity_id(ctx.exporter),
        "name": format!(
            "Liaison: {n} incident{} exported by {who}, {from} to {to}",
            if n == 1 { "" } else { "s" }
        ),
        "description": description,
        "published": modified,
        "report_types": ["threat-report"],
        "object_refs": refs,
        "object_marking_refs": [tlp_id(tlp)],
    }))
}
