//! Our published STIX extension: one `extension-definition` (a property-extension, fixed id,
//! created by the Liaison project's `identity`) and the properties it adds.
//!
//! On an `incident` it carries everything STIX 2.1 leaves out, so that a Liaison node reading the
//! incident alone gets back exactly the incident that was exported (the `location`, actors and
//! relationships around it are views for other tools). On `threat-actor` and `identity` it carries
//! the actor record; on `relationship`, the actor's role. Property names follow STIX (`a-z`, `0-9`,
//! `_`, 3 to 250 characters). The schema is documented in `docs/stix-mapping.md`.

use liaison_core::{ActorId, AgreementId, CountryCode, IncidentId, Lang};
use liaison_core::{
    ActorKind, ActorRole, Alias, Classification, Credibility, DatePrecision, EventType,
    IncidentActor, LocationPrecision, Provenance, Reliability, Source, SubType, Tlp,
};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::Date;

use crate::markings::TLP_CLEAR_ID;

/// The id of our extension-definition. Fixed forever.
pub const EXTENSION_ID: &str = "extension-definition--cc95d6c2-6e93-4c47-a69e-65e06a2955af";
/// The Liaison project's identity: the author of the extension-definition.
pub const LIAISON_IDENTITY_ID: &str = "identity--ae914c48-b1b1-4f96-adb8-01f3858e1acb";
/// The version of the extension's schema.
pub const EXTENSION_VERSION: &str = "1.0.0";
/// `created`/`modified` of the objects that are not versioned by the store: the extension, the
/// project identity, member identities, actor records and statement markings.
pub const LIAISON_EPOCH: &str = "2026-11-27T00:00:00.000Z";
/// The value of `extension_type` in every use of the extension.
pub const PROPERTY_EXTENSION: &str = "property-extension";

/// The extension-definition object, as published.
pub fn extension_definition() -> Value {
    json!({
        "type": "extension-definition",
        "spec_version": "2.1",
        "id": EXTENSION_ID,
        "created_by_ref": LIAISON_IDENTITY_ID,
        "created": LIAISON_EPOCH,
        "modified": LIAISON_EPOCH,
        "name": "Liaison incident intelligence",
        "description": "Properties of Liaison, the software with which Sahel and Maghreb states \
            share security-incident intelligence, that STIX 2.1 leaves out. On incident: event \
            type and sub-type, dates with their precision, the location and its precision class, \
            fatalities best/low/high with a dispute note, injured, kidnapped and released counts, \
            actors with their roles, sources with their Admiralty grades, classification, TLP and \
            releasability, provenance. On threat-actor and identity: the actor record. On \
            relationship: the actor's role in the incident.",
        "schema": "Liaison source tree, docs/stix-mapping.md, section 'The extension' \
            (schema version 1.0.0): every property, its type and its meaning.",
        "version": EXTENSION_VERSION,
        "extension_types": [PROPERTY_EXTENSION],
        "object_marking_refs": [TLP_CLEAR_ID],
    })
}

/// The Liaison project's identity object.
pub fn liaison_identity() -> Value {
    json!({
        "type": "identity",
        "spec_version": "2.1",
        "id": LIAISON_IDENTITY_ID,
        "created": LIAISON_EPOCH,
        "modified": LIAISON_EPOCH,
        "name": "Liaison project",
        "description": "Publishes the Liaison software and its STIX 2.1 extension-definition.",
        "identity_class": "organization",
        "object_marking_refs": [TLP_CLEAR_ID],
    })
}

/// A source as the extension carries it: the domain's source plus its grade spelled out (`B2`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceExt {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<Date>,
    pub reliability: Reliability,
    pub credibility: Credibility,
    /// `B2`: informative, recomputed on import from the two grades.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grade: Option<String>,
}

impl From<&Source> for SourceExt {
    fn from(s: &Source) -> Self {
        Self {
            name: s.name.clone(),
            reference: s.reference.clone(),
            url: s.url.clone(),
            date: s.date,
            reliability: s.reliability,
            credibility: s.credibility,
            grade: Some(s.grade()),
        }
    }
}

impl From<SourceExt> for Source {
    fn from(s: SourceExt) -> Self {
        Self {
            name: s.name,
            reference: s.reference,
            url: s.url,
            date: s.date,
            reliability: s.reliability,
            credibility: s.credibility,
        }
    }
}

/// The extension's properties on an `incident`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentExt {
    pub extension_type: String,
    /// The incident's id on its originating node (`ucdp-ged:235799`).
    pub liaison_id: IncidentId,
    /// ISO3 of the originating member: the only writer of the incident.
    pub originator: CountryCode,
    /// The originator's version number (1, then +1 per new version).
    pub version: u32,
    pub event_type: EventType,
    pub sub_type: SubType,
    pub date_start: Date,
    pub date_end: Date,
    pub date_precision: DatePrecision,
    pub location_precision: LocationPrecision,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub longitude: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin1: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin2: Option<String>,
    /// The source's country, ISO3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// Where the point falls by the originator's boundaries, ISO3, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coordinates_country: Option<CountryCode>,
    pub fatalities_best: u32,
    pub fatalities_low: u32,
    pub fatalities_high: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fatalities_dispute: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub injured: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kidnapped: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub released: Option<u32>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actors: Vec<IncidentActor>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceExt>,
    /// The language of the narrative, which is the incident's `description`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub narrative_lang: Option<Lang>,
    pub classification: Classification,
    pub tlp: Tlp,
    /// ISO3 members the originator released it to; absent (STIX forbids empty lists) means the
    /// originator only.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub releasable_to: Vec<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    /// Present only on an object a node released to one recipient under an agreement (the
    /// egress pipeline of `liaison-policy`): to whom, under which agreement, and what was done to
    /// it. Absent on plain exports.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<ReleaseExt>,
}

/// The `release` member: the terms under which an originator released this object to one
/// recipient. It is inside the signed object, so a relay cannot widen it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseExt {
    /// The recipient. (Not `to`: STIX property names have at least three characters.)
    pub recipient: CountryCode,
    /// The agreement that allowed it; absent on a recall (always allowed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement: Option<AgreementId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub agreement_version: Option<u32>,
    /// The members the recipient may pass the object on to, unchanged (the agreement's other
    /// recipients when it allows onward release); absent: nobody.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub onward_to: Vec<CountryCode>,
    /// The obligations applied, as codes (`location:admin1`, `time:week`, `narrative:dropped`,
    /// `sources:pseudonymised`, `fatalities:banded`, …; see `docs/agreements.md`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applied: Vec<String>,
}

/// The extension's properties on a recalled incident (a `revoked: true` version): who recalls
/// which incident, at which version, and nothing of its content. (Unknown members are allowed,
/// like on every extension: the originator's `signature` sits beside these.)
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevokedExt {
    pub extension_type: String,
    pub liaison_id: IncidentId,
    pub originator: CountryCode,
    /// The version the recall is: one more than the last version released.
    pub version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub release: Option<ReleaseExt>,
}

/// The extension's properties on a `threat-actor` or `identity` that stands for an actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActorExt {
    pub extension_type: String,
    /// The actor's id on the originating node, when the incident linked one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<ActorId>,
    /// Present only when the originating node holds a record of the actor (then the fields below
    /// are that record's); absent for an actor known only by the name an incident gives.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<ActorKind>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<Alias>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ucdp_id: Option<u32>,
    /// The actor's history as the record holds it (splinter of, allied with, member of…).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub relations: Vec<liaison_core::ActorRelation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credibility: Option<Credibility>,
}

/// The extension's properties on a `relationship` between an incident and an actor.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RelationshipExt {
    pub extension_type: String,
    pub role: ActorRole,
}

/// `{ EXTENSION_ID: props }`, the value of an object's `extensions`.
pub fn wrap<T: Serialize>(props: &T) -> Result<Value, serde_json::Error> {
    let mut m = serde_json::Map::new();
    m.insert(EXTENSION_ID.to_owned(), serde_json::to_value(props)?);
    Ok(Value::Object(m))
}
