//! Actors: governments, armed groups, criminal networks, communities and persons, each with the
//! names every state writes them by.
//!
//! Matching names across scripts and transliterations is `liaison-names`' business; this module
//! only holds the facts.

use serde::{Deserialize, Serialize};

use crate::ids::{ActorId, CountryCode};
use crate::source::{Credibility, Reliability};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ActorKind {
    /// A government or its forces.
    Government,
    /// An organised non-state armed group (AQIM, MUJAO, a rebel movement, a militia).
    ArmedGroup,
    /// A trafficking or criminal network.
    CriminalNetwork,
    /// A community or ethnic group as a party (UCDP's non-state conflicts often name them).
    Community,
    /// An intergovernmental body (the UN, the joint command).
    Organisation,
    Person,
}

/// The script a name is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Script {
    Latin,
    Arabic,
    Tifinagh,
    Other,
}

impl Script {
    /// The script most of the letters of `s` are written in.
    pub fn detect(s: &str) -> Script {
        let (mut latin, mut arabic, mut tifinagh, mut other) = (0, 0, 0, 0);
        for c in s.chars().filter(|c| c.is_alphabetic()) {
            match c as u32 {
                0x0041..=0x024F | 0x1E00..=0x1EFF => latin += 1,
                0x0600..=0x06FF
                | 0x0750..=0x077F
                | 0x08A0..=0x08FF
                | 0xFB50..=0xFDFF
                | 0xFE70..=0xFEFF => arabic += 1,
                0x2D30..=0x2D7F => tifinagh += 1,
                _ => other += 1,
            }
        }
        let best = latin.max(arabic).max(tifinagh).max(other);
        if best == 0 || best == latin {
            Script::Latin
        } else if best == arabic {
            Script::Arabic
        } else if best == tifinagh {
            Script::Tifinagh
        } else {
            Script::Other
        }
    }
}

/// One name of an actor, in the script and from the source it was seen in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Alias {
    pub name: String,
    pub script: Script,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Alias {
    pub fn new(name: &str, source: Option<&str>) -> Self {
        Self {
            name: name.to_owned(),
            script: Script::detect(name),
            source: source.map(str::to_owned),
        }
    }
}

/// An actor record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Actor {
    pub id: ActorId,
    pub kind: ActorKind,
    pub name: String,
    #[serde(default)]
    pub aliases: Vec<Alias>,
    /// Country the actor is based in or belongs to, when one is meaningful.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// The actor's id in the UCDP actor list, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ucdp_id: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Where the record's facts come from, and how they are graded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credibility: Option<Credibility>,
    /// The actor's history as its source states it: what it split from, was renamed from,
    /// allied with or joined. Empty for most actors, so it is left out of their JSON.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<ActorRelation>,
}

/// How an actor is related to another, in the vocabulary of the UCDP actor list's history
/// columns (see `docs/import-mapping.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    /// The actor continues the other one under a new name and a new id.
    RenamedFrom,
    /// The actor broke away from the other one (for good, or as a temporary split: the
    /// relation's `source` names the columns it was read from).
    SplinterOf,
    /// The actor entered an alliance with, or into, the other one.
    AlliedWith,
    /// The actor joined the other one (a group, a coalition, a government).
    MemberOf,
}

/// One relation of an actor to another, by the other's id; `name` is the other's name as the
/// source spelled it, kept because the other actor may not be stored on this node.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActorRelation {
    pub kind: RelationKind,
    pub actor: ActorId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts() {
        assert_eq!(Script::detect("Abdelkarim Targui"), Script::Latin);
        assert_eq!(Script::detect("Abd al-Karim al-Ṭarqī"), Script::Latin);
        assert_eq!(Script::detect("عبد الكريم الطارقي"), Script::Arabic);
        assert_eq!(Script::detect("ⵜⴰⵎⴰⵣⵉⵖⵜ"), Script::Tifinagh);
        assert_eq!(Script::detect("123"), Script::Latin);
    }

    #[test]
    fn relations_are_left_out_when_empty_and_read_back_when_present() {
        let mut a = Actor {
            id: ActorId::parse("ucdp-actor:539").expect("id"),
            kind: ActorKind::ArmedGroup,
            name: "AQIM".into(),
            aliases: Vec::new(),
            country: None,
            ucdp_id: Some(539),
            description: None,
            source: None,
            reliability: None,
            credibility: None,
            relations: Vec::new(),
        };
        let json = serde_json::to_string(&a).expect("json");
        assert!(!json.contains("relations"), "{json}");
        a.relations.push(ActorRelation {
            kind: RelationKind::SplinterOf,
            actor: ActorId::parse("ucdp-actor:538").expect("id"),
            name: Some("GIA".into()),
            source: None,
        });
        let json = serde_json::to_string(&a).expect("json");
        assert!(json.contains(r#""kind":"splinter_of""#), "{json}");
        let back: Actor = serde_json::from_str(&json).expect("back");
        assert_eq!(back, a);
    }
}
