//! Actors and members in STIX: armed groups, criminal networks and persons become
//! `threat-actor`s; governments, organisations and communities become `identity`s; every member
//! is an `identity` of class `organization`, the `created_by_ref` of what it originates.
//!
//! An incident's actor linked to a record of the node (`actor_id` found) takes the record's name,
//! kind and aliases. One known only by the name the source gave (UCDP actors, whose list is not
//! imported) is placed by its name and role: "Government of …" is a government, "Civilians" a
//! class of people, a target or victim an identity, anyone else a threat-actor. Threat-actor
//! types stay factual: `crime-syndicate` for criminal networks and nothing for armed groups, since
//! calling a group "terrorist" is each state's own characterisation, not a fact of the incident.

use liaison_core::{Actor, ActorKind, ActorRole, CountryCode, IncidentActor, Member};
use serde_json::{Map, Value, json};

use crate::extension::{ActorExt, LIAISON_EPOCH, PROPERTY_EXTENSION, wrap};
use crate::ids::derived;
use crate::markings::TLP_CLEAR_ID;

/// The id of a member's identity.
pub fn member_identity_id(code: &CountryCode) -> String {
    derived("identity", code.as_str(), "member")
}

/// A member's identity: the originator of the incidents, markings and relationships it makes.
pub fn member_identity(code: &CountryCode, member: Option<&Member>) -> Value {
    let name = member.map_or_else(|| code.name_en().to_owned(), |m| m.name.clone());
    let mut roles = Vec::new();
    if member.is_some_and(|m| m.joint_command) {
        roles.push("the Joint Military Command");
    }
    if member.is_some_and(|m| m.fusion_cell) {
        roles.push("the fusion-and-liaison cell");
    }
    let description = if roles.is_empty() {
        format!("{name} ({code}), a member state running its own Liaison node.")
    } else {
        format!(
            "{name} ({code}), member of {}, running its own Liaison node.",
            roles.join(" and ")
        )
    };
    json!({
        "type": "identity",
        "spec_version": "2.1",
        "id": member_identity_id(code),
        "created": LIAISON_EPOCH,
        "modified": LIAISON_EPOCH,
        "name": name,
        "description": description,
        "identity_class": "organization",
        "sectors": ["government-national"],
        "object_marking_refs": [TLP_CLEAR_ID],
    })
}

/// What an actor becomes in STIX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    ThreatActor,
    /// An identity with this `identity_class`, and `government-national` as sector when set.
    Identity {
        class: &'static str,
        government: bool,
    },
}

/// Where a kind of actor goes.
pub fn shape_of_kind(kind: ActorKind) -> Shape {
    match kind {
        ActorKind::ArmedGroup | ActorKind::CriminalNetwork | ActorKind::Person => {
            Shape::ThreatActor
        }
        ActorKind::Government => Shape::Identity {
            class: "organization",
            government: true,
        },
        ActorKind::Organisation => Shape::Identity {
            class: "organization",
            government: false,
        },
        ActorKind::Community => Shape::Identity {
            class: "group",
            government: false,
        },
    }
}

/// Where an actor known only by its name and role goes.
pub fn shape_of_name(name: &str, role: ActorRole) -> Shape {
    let lower = name.trim().to_lowercase();
    if lower.starts_with("government of") {
        Shape::Identity {
            class: "organization",
            government: true,
        }
    } else if lower == "civilians" {
        Shape::Identity {
            class: "class",
            government: false,
        }
    } else if matches!(role, ActorRole::Target | ActorRole::Victim) {
        Shape::Identity {
            class: "unknown",
            government: false,
        }
    } else {
        Shape::ThreatActor
    }
}

/// The id an incident's actor gets, in the namespace of the incident's originator: by its
/// `actor_id` when it has one, by its name otherwise.
pub fn actor_object_id(originator: &CountryCode, a: &IncidentActor, shape: Shape) -> String {
    let t = match shape {
        Shape::ThreatActor => "threat-actor",
        Shape::Identity { .. } => "identity",
    };
    let key = match &a.actor_id {
        Some(id) => id.as_str().to_owned(),
        None => format!("name:{}", a.name),
    };
    derived(t, originator.as_str(), &key)
}

/// The STIX object of an incident's actor (`record` is the node's record of it, if any); its id
/// is [`actor_object_id`].
pub fn actor_object(
    originator: &CountryCode,
    a: &IncidentActor,
    record: Option<&Actor>,
) -> Result<(String, Value), serde_json::Error> {
    let shape = match record {
        Some(r) => shape_of_kind(r.kind),
        None => shape_of_name(&a.name, a.role),
    };
    let id = actor_object_id(originator, a, shape);
    let name = record.map_or_else(|| a.name.clone(), |r| r.name.clone());
    let ext = ActorExt {
        extension_type: PROPERTY_EXTENSION.to_owned(),
        actor_id: a.actor_id.clone(),
        kind: record.map(|r| r.kind),
        aliases: record.map(|r| r.aliases.clone()).unwrap_or_default(),
        country: record.and_then(|r| r.country.clone()),
        ucdp_id: record.and_then(|r| r.ucdp_id),
        relations: record.map(|r| r.relations.clone()).unwrap_or_default(),
        source: record.and_then(|r| r.source.clone()),
        reliability: record.and_then(|r| r.reliability),
        credibility: record.and_then(|r| r.credibility),
    };
    let mut o = Map::new();
    let mut put = |k: &str, v: Value| {
        o.insert(k.to_owned(), v);
    };
    put("spec_version", json!("2.1"));
    put("id", json!(id));
    put("created", json!(LIAISON_EPOCH));
    put("modified", json!(LIAISON_EPOCH));
    put("created_by_ref", json!(member_identity_id(originator)));
    put("name", json!(name));
    if let Some(d) = record.and_then(|r| r.description.clone()) {
        put("description", json!(d));
    }
    match shape {
        Shape::ThreatActor => {
            put("type", json!("threat-actor"));
            let mut aliases: Vec<&str> = Vec::new();
            if let Some(r) = record {
                for al in &r.aliases {
                    if al.name != name && !aliases.contains(&al.name.as_str()) {
                        aliases.push(&al.name);
                    }
                }
            }
            if a.name != name && !aliases.contains(&a.name.as_str()) {
                aliases.push(&a.name);
            }
            if !aliases.is_empty() {
                put("aliases", json!(aliases));
            }
            match record.map(|r| r.kind) {
                Some(ActorKind::CriminalNetwork) => {
                    put("threat_actor_types", json!(["crime-syndicate"]));
                    put("resource_level", json!("organization"));
                }
                Some(ActorKind::ArmedGroup) => put("resource_level", json!("organization")),
                Some(ActorKind::Person) => put("resource_level", json!("individual")),
                _ => {}
            }
        }
        Shape::Identity { class, government } => {
            put("type", json!("identity"));
            put("identity_class", json!(class));
            if government {
                put("sectors", json!(["government-national"]));
            }
        }
    }
    put("extensions", wrap(&ext)?);
    Ok((id, Value::Object(o)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn actor(name: &str, role: ActorRole) -> IncidentActor {
        IncidentActor {
            name: name.into(),
            role,
            actor_id: None,
        }
    }

    #[test]
    fn unlinked_actors_are_placed_by_name_and_role() {
        let mli = CountryCode::parse("MLI").unwrap();
        let (_, gov) =
            actor_object(&mli, &actor("Government of Mali", ActorRole::SideA), None).unwrap();
        assert_eq!(gov["type"], "identity");
        assert_eq!(gov["sectors"][0], "government-national");
        let (_, civ) = actor_object(&mli, &actor("Civilians", ActorRole::SideB), None).unwrap();
        assert_eq!(civ["identity_class"], "class");
        let (id, jnim) = actor_object(&mli, &actor("JNIM", ActorRole::SideB), None).unwrap();
        assert_eq!(jnim["type"], "threat-actor");
        assert!(jnim.get("threat_actor_types").is_none());
        let (again, _) = actor_object(&mli, &actor("JNIM", ActorRole::SideA), None).unwrap();
        assert_eq!(id, again, "one object per actor, whatever its role");
    }
}
