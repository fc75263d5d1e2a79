//! The scenario file format, and its conversion into checked `liaison-core` types.
//!
//! The file is written for people: members, places and sources are `liaison-core`'s own JSON
//! shapes, but actors and incidents are shorter entries keyed by slugs (an incident names its
//! place by key and its actors by slug, and says only where in the brief a fact is) and are
//! expanded here into full records: ids `<scenario>:<slug>`, aliases with their detected script,
//! locations filled from the place, one graded source, provenance and open markings. Unknown
//! fields are refused, so that a misspelt field is an error rather than a silently lost fact.

use std::collections::{HashMap, HashSet};

use liaison_core::{
    Actor, ActorId, ActorKind, ActorRelation, ActorRole, Alias, Casualties, CountryCode,
    Credibility, DateSpan, IncidentActor, IncidentContent, IncidentId, Location, LocationPrecision,
    Markings, Member, Narrative, Place, Provenance, RelationKind, Source, SubType,
};
use serde::Deserialize;

use crate::{Infrastructure, Scenario, ScenarioError, names};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ScenarioFile {
    name: String,
    #[serde(default)]
    notes: Vec<String>,
    source: Source,
    attribution: String,
    members: Vec<Member>,
    #[serde(default)]
    partners: Vec<Member>,
    actors: Vec<ActorEntry>,
    places: Vec<Place>,
    #[serde(default)]
    infrastructure: Vec<InfrastructureEntry>,
    incidents: Vec<IncidentEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorEntry {
    slug: String,
    kind: ActorKind,
    name: String,
    #[serde(default)]
    aliases: Vec<AliasEntry>,
    #[serde(default)]
    country: Option<CountryCode>,
    #[serde(default)]
    ucdp_id: Option<u32>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    relations: Vec<RelationEntry>,
}

/// A relation as written in the file: the other actor by slug, and where in the brief it is
/// stated. Its source and grade are the scenario's, unless `credibility` says otherwise.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RelationEntry {
    kind: RelationKind,
    actor: String,
    /// Days `YYYY-MM-DD`, read by `liaison_core::actor::parse_day`.
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    until: Option<String>,
    reference: String,
    #[serde(default)]
    credibility: Option<Credibility>,
}

/// An alias as written in the file; its script is detected, not typed.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AliasEntry {
    name: String,
    #[serde(default)]
    source: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct InfrastructureEntry {
    name: String,
    description: String,
    countries: Vec<CountryCode>,
    #[serde(default)]
    places: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct IncidentEntry {
    slug: String,
    title: String,
    sub_type: SubType,
    date: DateSpan,
    /// Key of one of the file's places: gives the point, the country and (unless overridden)
    /// the first-order administrative area.
    place: String,
    precision: LocationPrecision,
    #[serde(default)]
    admin1: Option<String>,
    #[serde(default)]
    admin2: Option<String>,
    #[serde(default)]
    actors: Vec<ActorRef>,
    #[serde(default)]
    casualties: Casualties,
    narrative: Narrative,
    /// Where in the source the fact is, and whom the source itself cites for it.
    reference: String,
    /// Overrides the source's credibility for this fact (the brief's "reported" facts).
    #[serde(default)]
    credibility: Option<Credibility>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ActorRef {
    name: String,
    role: ActorRole,
    /// Slug of one of the file's actors, when the mention is linked to a record.
    #[serde(default)]
    actor: Option<String>,
}

/// Deserialises the file, naming the JSON path and position of the first bad value.
pub(crate) fn read(text: &str) -> Result<ScenarioFile, ScenarioError> {
    let mut de = serde_json::Deserializer::from_str(text);
    let file: ScenarioFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        syntax(path, e.into_inner())
    })?;
    de.end()
        .map_err(|e| syntax("(after the end)".to_owned(), e))?;
    Ok(file)
}

fn syntax(path: String, e: serde_json::Error) -> ScenarioError {
    let (line, column) = (e.line(), e.column());
    let full = e.to_string();
    let message = full
        .strip_suffix(&format!(" at line {line} column {column}"))
        .unwrap_or(&full)
        .to_owned();
    ScenarioError::Syntax {
        path,
        line,
        column,
        message,
    }
}

fn invalid(path: impl Into<String>, message: impl Into<String>) -> ScenarioError {
    ScenarioError::Invalid {
        path: path.into(),
        message: message.into(),
    }
}

/// Slugs are lower-case ASCII words joined by `-`, so that ids stay stable and readable.
fn check_slug(path: &str, slug: &str) -> Result<(), ScenarioError> {
    let ok = !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if ok {
        Ok(())
    } else {
        Err(invalid(
            path,
            format!("'{slug}' is not a slug (lower-case ASCII letters, digits and inner '-')"),
        ))
    }
}

/// Checks every rule and builds the scenario; stops at the first problem, naming its path.
pub(crate) fn convert(f: ScenarioFile) -> Result<Scenario, ScenarioError> {
    let name = names()
        .iter()
        .copied()
        .find(|n| *n == f.name)
        .ok_or_else(|| invalid("name", format!("'{}' is not a built-in scenario", f.name)))?;
    if let Some(e) = f.source.validate().0.first() {
        return Err(invalid(format!("source.{}", e.field), e.message.clone()));
    }
    if f.attribution.trim().is_empty() {
        return Err(invalid("attribution", "must not be empty"));
    }
    check_members(&f.members, &f.partners)?;
    let places = check_places(&f.places)?;
    let (actors, actor_slugs) = convert_actors(name, &f.source, f.actors)?;
    let infrastructure = convert_infrastructure(f.infrastructure, &places)?;
    let mut incidents = Vec::with_capacity(f.incidents.len());
    let mut seen = HashSet::new();
    for (i, entry) in f.incidents.into_iter().enumerate() {
        let path = format!("incidents[{i}]");
        if !seen.insert(entry.slug.clone()) {
            return Err(invalid(
                format!("{path}.slug"),
                format!("'{}' is used twice", entry.slug),
            ));
        }
        let ctx = Context {
            scenario: name,
            source: &f.source,
            attribution: &f.attribution,
            places: &places,
            actor_slugs: &actor_slugs,
        };
        incidents.push(convert_incident(&path, &ctx, entry)?);
    }
    Ok(Scenario {
        name,
        source: f.source,
        attribution: f.attribution,
        notes: f.notes,
        members: f.members,
        partners: f.partners,
        actors,
        places: f.places,
        infrastructure,
        incidents,
    })
}

fn check_members(members: &[Member], partners: &[Member]) -> Result<(), ScenarioError> {
    let mut seen = HashSet::new();
    let all = members
        .iter()
        .enumerate()
        .map(|(i, m)| (format!("members[{i}]"), m))
        .chain(
            partners
                .iter()
                .enumerate()
                .map(|(i, m)| (format!("partners[{i}]"), m)),
        );
    for (path, m) in all {
        if !seen.insert(m.code.clone()) {
            return Err(invalid(
                format!("{path}.code"),
                format!("{} is listed twice", m.code),
            ));
        }
        if m.name.trim().is_empty() {
            return Err(invalid(format!("{path}.name"), "must not be empty"));
        }
        for (j, a) in m.assets.iter().enumerate() {
            if !(a.spending_musd.is_finite() && a.spending_musd >= 0.0) {
                return Err(invalid(
                    format!("{path}.assets[{j}].spending_musd"),
                    "must be a number ≥ 0",
                ));
            }
        }
    }
    for (i, p) in partners.iter().enumerate() {
        if p.joint_command || p.fusion_cell {
            return Err(invalid(
                format!("partners[{i}]"),
                "a partner belongs to neither the joint command nor the cell; list it in members",
            ));
        }
    }
    Ok(())
}

fn check_places(places: &[Place]) -> Result<HashMap<&str, &Place>, ScenarioError> {
    let mut by_key = HashMap::new();
    for (i, p) in places.iter().enumerate() {
        let path = format!("places[{i}]");
        check_slug(&format!("{path}.key"), &p.key)?;
        if by_key.insert(p.key.as_str(), p).is_some() {
            return Err(invalid(
                format!("{path}.key"),
                format!("'{}' is used twice", p.key),
            ));
        }
        if let Some(e) = p.point.validate().0.first() {
            return Err(invalid(
                format!("{path}.point.{}", e.field),
                e.message.clone(),
            ));
        }
        if p.name.trim().is_empty() || p.source.trim().is_empty() {
            return Err(invalid(path, "name and source must not be empty"));
        }
    }
    Ok(by_key)
}

fn convert_actors(
    scenario: &str,
    source: &Source,
    entries: Vec<ActorEntry>,
) -> Result<(Vec<Actor>, HashMap<String, ActorId>), ScenarioError> {
    let record_source = match &source.reference {
        Some(r) => format!("{}: {r}", source.name),
        None => source.name.clone(),
    };
    let mut actors = Vec::with_capacity(entries.len());
    let mut by_slug = HashMap::new();
    let mut relations = Vec::with_capacity(entries.len());
    for (i, mut a) in entries.into_iter().enumerate() {
        relations.push(std::mem::take(&mut a.relations));
        let path = format!("actors[{i}]");
        check_slug(&format!("{path}.slug"), &a.slug)?;
        let id = ActorId::parse(&format!("{scenario}:{}", a.slug))
            .map_err(|m| invalid(format!("{path}.slug"), m))?;
        if by_slug.insert(a.slug.clone(), id.clone()).is_some() {
            return Err(invalid(
                format!("{path}.slug"),
                format!("'{}' is used twice", a.slug),
            ));
        }
        if a.name.trim().is_empty() {
            return Err(invalid(format!("{path}.name"), "must not be empty"));
        }
        if let Some(j) = a.aliases.iter().position(|x| x.name.trim().is_empty()) {
            return Err(invalid(
                format!("{path}.aliases[{j}].name"),
                "must not be empty",
            ));
        }
        actors.push(Actor {
            id,
            kind: a.kind,
            name: a.name,
            aliases: a
                .aliases
                .iter()
                .map(|x| Alias::new(&x.name, x.source.as_deref()))
                .collect(),
            country: a.country,
            ucdp_id: a.ucdp_id,
            description: a.description,
            source: Some(record_source.clone()),
            reliability: Some(source.reliability),
            credibility: Some(source.credibility),
            relations: Vec::new(),
        });
    }
    // Relations are resolved once every slug is known, so an actor may point at a later one.
    for (i, (actor, entries)) in actors.iter_mut().zip(relations).enumerate() {
        for (j, r) in entries.into_iter().enumerate() {
            let path = format!("actors[{i}].relations[{j}]");
            let other = by_slug.get(&r.actor).ok_or_else(|| {
                invalid(
                    format!("{path}.actor"),
                    format!("no actor has the slug '{}'", r.actor),
                )
            })?;
            if r.reference.trim().is_empty() {
                return Err(invalid(format!("{path}.reference"), "must not be empty"));
            }
            let day = |field: &str, v: Option<String>| {
                v.as_deref()
                    .map(liaison_core::actor::parse_day)
                    .transpose()
                    .map_err(|m| invalid(format!("{path}.{field}"), m))
            };
            actor.relations.push(ActorRelation {
                source: Some(format!("{record_source}, {}", r.reference)),
                from: day("from", r.from)?,
                until: day("until", r.until)?,
                reliability: Some(source.reliability),
                credibility: Some(r.credibility.unwrap_or(source.credibility)),
                ..ActorRelation::new(r.kind, other.clone())
            });
        }
        if let Err(errors) = actor.validate_relations()
            && let Some(e) = errors.0.first()
        {
            return Err(invalid(
                format!("actors[{i}].{}", e.field),
                e.message.clone(),
            ));
        }
    }
    Ok((actors, by_slug))
}

fn convert_infrastructure(
    entries: Vec<InfrastructureEntry>,
    places: &HashMap<&str, &Place>,
) -> Result<Vec<Infrastructure>, ScenarioError> {
    let mut out = Vec::with_capacity(entries.len());
    for (i, e) in entries.into_iter().enumerate() {
        if e.name.trim().is_empty() {
            return Err(invalid(
                format!("infrastructure[{i}].name"),
                "must not be empty",
            ));
        }
        if let Some((j, k)) = e
            .places
            .iter()
            .enumerate()
            .find(|(_, k)| !places.contains_key(k.as_str()))
        {
            return Err(invalid(
                format!("infrastructure[{i}].places[{j}]"),
                format!("no place has the key '{k}'"),
            ));
        }
        out.push(Infrastructure {
            name: e.name,
            description: e.description,
            countries: e.countries,
            places: e.places,
        });
    }
    Ok(out)
}

/// What every incident of a file shares.
struct Context<'a> {
    scenario: &'static str,
    source: &'a Source,
    attribution: &'a str,
    places: &'a HashMap<&'a str, &'a Place>,
    actor_slugs: &'a HashMap<String, ActorId>,
}

fn convert_incident(
    path: &str,
    ctx: &Context<'_>,
    e: IncidentEntry,
) -> Result<(IncidentId, IncidentContent), ScenarioError> {
    check_slug(&format!("{path}.slug"), &e.slug)?;
    let id = IncidentId::parse(&format!("{}:{}", ctx.scenario, e.slug))
        .map_err(|m| invalid(format!("{path}.slug"), m))?;
    let place = ctx.places.get(e.place.as_str()).ok_or_else(|| {
        invalid(
            format!("{path}.place"),
            format!("no place has the key '{}'", e.place),
        )
    })?;
    let mut actors = Vec::with_capacity(e.actors.len());
    for (j, a) in e.actors.into_iter().enumerate() {
        let actor_id = match &a.actor {
            None => None,
            Some(slug) => Some(ctx.actor_slugs.get(slug).cloned().ok_or_else(|| {
                invalid(
                    format!("{path}.actors[{j}].actor"),
                    format!("no actor has the slug '{slug}'"),
                )
            })?),
        };
        actors.push(IncidentActor {
            name: a.name,
            role: a.role,
            actor_id,
        });
    }
    if e.reference.trim().is_empty() {
        return Err(invalid(format!("{path}.reference"), "must not be empty"));
    }
    let reference = match &ctx.source.reference {
        Some(doc) => format!("{doc}; {}", e.reference),
        None => e.reference,
    };
    let content = IncidentContent {
        title: e.title,
        sub_type: e.sub_type,
        date: e.date,
        location: Location {
            point: Some(place.point),
            precision: e.precision,
            place_name: Some(place.key.clone()),
            admin1: e.admin1.or_else(|| place.admin1.clone()),
            admin2: e.admin2,
            country: Some(place.country.clone()),
            coordinates_country: None,
        },
        actors,
        casualties: e.casualties,
        narrative: Some(e.narrative),
        sources: vec![Source {
            reference: Some(reference),
            credibility: e.credibility.unwrap_or(ctx.source.credibility),
            ..ctx.source.clone()
        }],
        markings: Markings::open(),
        provenance: Some(Provenance {
            dataset: ctx.scenario.to_owned(),
            record_id: e.slug,
            original_type: None,
            attribution: Some(ctx.attribution.to_owned()),
        }),
    };
    if let Err(errs) = content.validate() {
        let field = errs.0.first().map_or("", |x| x.field.as_str());
        return Err(invalid(format!("{path}.{field}"), errs.to_string()));
    }
    Ok((id, content))
}
