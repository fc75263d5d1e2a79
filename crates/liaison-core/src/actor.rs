//! Actors: governments, armed groups, criminal networks, communities and persons, each with the
//! names every state writes them by.
//!
//! Matching names across scripts and transliterations is `liaison-names`' business; this module
//! only holds the facts.

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::ValidationErrors;
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

/// How an actor is related to another: the UCDP actor list's history columns (see
/// `docs/import-mapping.md`), then the links analysts record from their sources (see
/// `docs/actors.md`). Every kind reads "the actor … the other one".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
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
    /// The actor is a component of the other one: a cell or katiba of a group, a person acting
    /// for it.
    PartOf,
    /// The actor works with the other one without belonging to it (a deal, a summit, a
    /// collaboration the source reports).
    CooperatesWith,
    /// The actor recruits people for the other one.
    RecruitsFor,
    /// The actor trains the other one's members.
    Trains,
    /// The actor supplies the other one (arms, vehicles, fuel, goods).
    Supplies,
    /// The actor finances the other one (ransoms, levies, donations).
    Finances,
    /// The actor holds hostages who are nationals or members of the other one.
    HoldsHostagesOf,
}

impl RelationKind {
    /// Every kind, in declaration order (for filters, legends and documentation).
    pub const ALL: [RelationKind; 11] = [
        RelationKind::RenamedFrom,
        RelationKind::SplinterOf,
        RelationKind::AlliedWith,
        RelationKind::MemberOf,
        RelationKind::PartOf,
        RelationKind::CooperatesWith,
        RelationKind::RecruitsFor,
        RelationKind::Trains,
        RelationKind::Supplies,
        RelationKind::Finances,
        RelationKind::HoldsHostagesOf,
    ];

    /// The snake_case word the JSON uses.
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::RenamedFrom => "renamed_from",
            RelationKind::SplinterOf => "splinter_of",
            RelationKind::AlliedWith => "allied_with",
            RelationKind::MemberOf => "member_of",
            RelationKind::PartOf => "part_of",
            RelationKind::CooperatesWith => "cooperates_with",
            RelationKind::RecruitsFor => "recruits_for",
            RelationKind::Trains => "trains",
            RelationKind::Supplies => "supplies",
            RelationKind::Finances => "finances",
            RelationKind::HoldsHostagesOf => "holds_hostages_of",
        }
    }

    /// The kind a word names, if any.
    pub fn parse(word: &str) -> Option<RelationKind> {
        RelationKind::ALL.into_iter().find(|k| k.as_str() == word)
    }
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
    /// First day the relation is known to hold, when the source dates it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub from: Option<Date>,
    /// Last day the relation is known to hold; absent while it is believed to hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub until: Option<Date>,
    /// The Admiralty grade of `source` for this relation, which may differ from the record's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credibility: Option<Credibility>,
}

/// A day written `YYYY-MM-DD`, as relation spans are; the error says what was expected.
pub fn parse_day(s: &str) -> Result<Date, String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s.trim(), format).map_err(|e| format!("'{s}' is not a day YYYY-MM-DD ({e})"))
}

impl ActorRelation {
    /// A relation with no span, source or grade.
    pub fn new(kind: RelationKind, actor: ActorId) -> Self {
        Self {
            kind,
            actor,
            name: None,
            source: None,
            from: None,
            until: None,
            reliability: None,
            credibility: None,
        }
    }

    /// Every broken rule, with paths under `path` (such as `relations[2]`).
    pub fn validate(&self, path: &str, errors: &mut ValidationErrors) {
        if let (Some(from), Some(until)) = (self.from, self.until)
            && until < from
        {
            errors.push(
                format!("{path}.until"),
                format!("{until} is before from ({from})"),
            );
        }
        if self.source.as_deref().is_some_and(|s| s.trim().is_empty()) {
            errors.push(format!("{path}.source"), "must not be empty when given");
        }
    }
}

impl Actor {
    /// Every broken rule of the actor's relations: spans that end before they start, empty
    /// sources, and relations of the actor to itself.
    pub fn validate_relations(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        for (i, r) in self.relations.iter().enumerate() {
            let path = format!("relations[{i}]");
            r.validate(&path, &mut errors);
            if r.actor == self.id {
                errors.push(format!("{path}.actor"), "names the actor itself");
            }
        }
        if errors.0.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
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
            name: Some("GIA".into()),
            ..ActorRelation::new(
                RelationKind::SplinterOf,
                ActorId::parse("ucdp-actor:538").expect("id"),
            )
        });
        let json = serde_json::to_string(&a).expect("json");
        assert!(json.contains(r#""kind":"splinter_of""#), "{json}");
        let back: Actor = serde_json::from_str(&json).expect("back");
        assert_eq!(back, a);
    }

    #[test]
    fn old_relations_still_read_and_new_fields_round_trip() {
        // A record as stored before spans and grades existed.
        let old = r#"{"kind":"member_of","actor":"ucdp-actor:1","source":"UCDP"}"#;
        let r: ActorRelation = serde_json::from_str(old).expect("old");
        assert_eq!((r.from, r.until, r.reliability), (None, None, None));
        let json = serde_json::to_string(&r).expect("json");
        assert!(!json.contains("from") && !json.contains("until"), "{json}");

        let new = r#"{"kind":"holds_hostages_of","actor":"x:y","from":"2010-10-01",
            "until":"2011-02-28","source":"brief p. 3","reliability":"B","credibility":2}"#;
        let r: ActorRelation = serde_json::from_str(new).expect("new");
        assert_eq!(r.kind, RelationKind::HoldsHostagesOf);
        assert_eq!(r.from.map(|d| d.to_string()).as_deref(), Some("2010-10-01"));
        let back: ActorRelation =
            serde_json::from_str(&serde_json::to_string(&r).expect("json")).expect("back");
        assert_eq!(back, r);
    }

    #[test]
    fn bad_relations_are_refused_naming_the_field() {
        let bad_kind = r#"{"kind":"loves","actor":"x:y"}"#;
        let e = serde_json::from_str::<ActorRelation>(bad_kind).expect_err("kind");
        assert!(e.to_string().contains("unknown variant `loves`"), "{e}");
        let bad_date = r#"{"kind":"trains","actor":"x:y","from":"2010-13-01"}"#;
        assert!(serde_json::from_str::<ActorRelation>(bad_date).is_err());

        let mut a: Actor = serde_json::from_str(
            r#"{"id":"x:a","kind":"person","name":"A","relations":[
                {"kind":"trains","actor":"x:b","from":"2011-01-02","until":"2011-01-01"},
                {"kind":"part_of","actor":"x:a","source":" "}]}"#,
        )
        .expect("actor");
        let errors = a.validate_relations().expect_err("invalid");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(
            fields,
            [
                "relations[0].until",
                "relations[1].source",
                "relations[1].actor"
            ]
        );
        a.relations.truncate(1);
        a.relations[0].until = a.relations[0].from;
        assert!(a.validate_relations().is_ok());
    }

    #[test]
    fn kinds_words_match_serde() {
        for k in RelationKind::ALL {
            let json = serde_json::to_string(&k).expect("json");
            assert_eq!(json, format!("\"{}\"", k.as_str()));
            assert_eq!(RelationKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(RelationKind::parse("nope"), None);
    }
}
