//! Markings: TLP 2.0 as the official OASIS marking-definitions (created 2022-10-01, with the TLP
//! 2.0 extension; not the TLP 1.0 objects some libraries still ship), and the originator's
//! classification and releasability as `statement` marking-definitions with derived ids.
//!
//! Which markings an incident gets:
//! - always its TLP 2.0 marking and its classification statement;
//! - a releasability statement when it is classified above unclassified or released to named
//!   members (unclassified open data released to nobody in particular gets none: TLP governs);
//! - when it is classified above unclassified and has a narrative, a granular marking repeats the
//!   classification on `description`, so that tools which split an object into fields (MISP
//!   notes, OpenCTI descriptions) keep it with the text.

use liaison_core::{Classification, CountryCode, Markings, Tlp};
use serde_json::{Value, json};

use crate::actors::member_identity_id;
use crate::extension::LIAISON_EPOCH;
use crate::ids::derived;

/// The TLP 2.0 extension-definition that the official marking-definitions use.
pub const TLP_EXTENSION_ID: &str = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";
/// When OASIS created the TLP 2.0 marking-definitions.
pub const TLP_CREATED: &str = "2022-10-01T00:00:00.000Z";
pub const TLP_CLEAR_ID: &str = "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
pub const TLP_GREEN_ID: &str = "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
pub const TLP_AMBER_ID: &str = "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
pub const TLP_AMBER_STRICT_ID: &str = "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
pub const TLP_RED_ID: &str = "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";

/// The official marking-definition id of a TLP 2.0 level.
pub fn tlp_id(t: Tlp) -> &'static str {
    match t {
        Tlp::Clear => TLP_CLEAR_ID,
        Tlp::Green => TLP_GREEN_ID,
        Tlp::Amber => TLP_AMBER_ID,
        Tlp::AmberStrict => TLP_AMBER_STRICT_ID,
        Tlp::Red => TLP_RED_ID,
    }
}

/// The level's value of the `tlp_2_0` property (`amber+strict`).
fn tlp_value(t: Tlp) -> &'static str {
    match t {
        Tlp::Clear => "clear",
        Tlp::Green => "green",
        Tlp::Amber => "amber",
        Tlp::AmberStrict => "amber+strict",
        Tlp::Red => "red",
    }
}

/// The TLP 2.0 level an official marking-definition id stands for.
pub fn tlp_from_id(id: &str) -> Option<Tlp> {
    [
        Tlp::Clear,
        Tlp::Green,
        Tlp::Amber,
        Tlp::AmberStrict,
        Tlp::Red,
    ]
    .into_iter()
    .find(|t| tlp_id(*t) == id)
}

/// The marking-definition of a TLP 2.0 level, exactly as OASIS publishes it
/// (cti-stix-common-objects, `extension-definition-specifications/tlp-2.0`).
pub fn tlp_definition(t: Tlp) -> Value {
    let mut ext = serde_json::Map::new();
    ext.insert(
        TLP_EXTENSION_ID.to_owned(),
        json!({ "extension_type": "property-extension", "tlp_2_0": tlp_value(t) }),
    );
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": tlp_id(t),
        "created": TLP_CREATED,
        "name": t.label(),
        "extensions": ext,
    })
}

fn classification_label(c: Classification) -> &'static str {
    match c {
        Classification::Unclassified => "UNCLASSIFIED",
        Classification::Restricted => "RESTRICTED",
        Classification::Confidential => "CONFIDENTIAL",
        Classification::Secret => "SECRET",
    }
}

fn classification_key(c: Classification) -> &'static str {
    match c {
        Classification::Unclassified => "unclassified",
        Classification::Restricted => "restricted",
        Classification::Confidential => "confidential",
        Classification::Secret => "secret",
    }
}

/// The id of an originator's classification statement.
pub fn classification_id(originator: &CountryCode, c: Classification) -> String {
    derived(
        "marking-definition",
        originator.as_str(),
        &format!("classification:{}", classification_key(c)),
    )
}

/// An originator's classification statement.
pub fn classification_definition(originator: &CountryCode, c: Classification) -> Value {
    let label = classification_label(c);
    let statement = if c == Classification::Unclassified {
        format!("Classification: {label}, as marked by {originator}.")
    } else {
        format!(
            "Classification: {label}, as marked by {originator} under its national rules. Handle \
             and protect at that level; do not release beyond the releasability marking."
        )
    };
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": classification_id(originator, c),
        "created": LIAISON_EPOCH,
        "created_by_ref": member_identity_id(originator),
        "name": format!("{label} ({originator})"),
        "definition_type": "statement",
        "definition": { "statement": statement },
    })
}

/// The members an incident is releasable to, sorted, without duplicates or the originator.
fn release_list(originator: &CountryCode, list: &[CountryCode]) -> Vec<String> {
    let mut codes: Vec<String> = list
        .iter()
        .filter(|c| *c != originator)
        .map(|c| c.as_str().to_owned())
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

/// The id of an originator's releasability statement for a list of members.
pub fn releasability_id(originator: &CountryCode, list: &[CountryCode]) -> String {
    let codes = release_list(originator, list);
    let key = if codes.is_empty() {
        "originator-only".to_owned()
    } else {
        codes.join(",")
    };
    derived(
        "marking-definition",
        originator.as_str(),
        &format!("releasable-to:{key}"),
    )
}

/// An originator's releasability statement.
pub fn releasability_definition(originator: &CountryCode, list: &[CountryCode]) -> Value {
    let codes = release_list(originator, list);
    let (name, statement) = if codes.is_empty() {
        (
            format!("REL TO {originator} ONLY"),
            format!("Releasable to: {originator} only (the originator). Do not release further."),
        )
    } else {
        (
            format!("REL TO {originator}, {}", codes.join(", ")),
            format!(
                "Releasable to: {} and the originator, {originator}. Do not release to others.",
                codes.join(", ")
            ),
        )
    };
    json!({
        "type": "marking-definition",
        "spec_version": "2.1",
        "id": releasability_id(originator, list),
        "created": LIAISON_EPOCH,
        "created_by_ref": member_identity_id(originator),
        "name": name,
        "definition_type": "statement",
        "definition": { "statement": statement },
    })
}

/// The markings of one incident: the refs its objects carry, the definitions the bundle needs,
/// and the granular markings of the incident itself.
#[derive(Debug, Clone, PartialEq)]
pub struct IncidentMarkings {
    pub refs: Vec<String>,
    pub definitions: Vec<Value>,
    /// For the incident object only: the classification repeated on `description`.
    pub granular: Vec<Value>,
}

/// Works out the markings of an incident of `originator` (see the module's rules).
pub fn for_incident(
    originator: &CountryCode,
    m: &Markings,
    has_narrative: bool,
) -> IncidentMarkings {
    let mut refs = vec![tlp_id(m.tlp).to_owned()];
    let mut definitions = vec![tlp_definition(m.tlp)];
    let class_id = classification_id(originator, m.classification);
    refs.push(class_id.clone());
    definitions.push(classification_definition(originator, m.classification));
    let classified = m.classification > Classification::Unclassified;
    if classified || !m.releasable_to.is_empty() {
        refs.push(releasability_id(originator, &m.releasable_to));
        definitions.push(releasability_definition(originator, &m.releasable_to));
    }
    let granular = if classified && has_narrative {
        vec![json!({ "marking_ref": class_id, "selectors": ["description"] })]
    } else {
        Vec::new()
    };
    IncidentMarkings {
        refs,
        definitions,
        granular,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn official_tlp_2_0_objects() {
        let amber_strict = tlp_definition(Tlp::AmberStrict);
        assert_eq!(
            amber_strict,
            json!({
                "type": "marking-definition",
                "spec_version": "2.1",
                "id": "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
                "created": "2022-10-01T00:00:00.000Z",
                "name": "TLP:AMBER+STRICT",
                "extensions": {
                    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d": {
                        "extension_type": "property-extension",
                        "tlp_2_0": "amber+strict"
                    }
                }
            })
        );
        for t in [
            Tlp::Clear,
            Tlp::Green,
            Tlp::Amber,
            Tlp::AmberStrict,
            Tlp::Red,
        ] {
            assert_eq!(tlp_from_id(tlp_id(t)), Some(t));
        }
        // Never the TLP 1.0 ids.
        assert_eq!(
            tlp_from_id("marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"),
            None
        );
    }

    #[test]
    fn statements_are_deterministic() {
        let mli = CountryCode::parse("MLI").unwrap();
        let ner = CountryCode::parse("NER").unwrap();
        let dza = CountryCode::parse("DZA").unwrap();
        assert_eq!(
            releasability_id(&mli, &[ner.clone(), dza.clone()]),
            releasability_id(&mli, &[dza.clone(), ner.clone(), mli.clone(), dza.clone()])
        );
        let open = for_incident(&mli, &Markings::open(), true);
        assert_eq!(open.refs.len(), 2);
        assert!(open.granular.is_empty());
        let restricted = Markings {
            classification: Classification::Restricted,
            tlp: Tlp::Amber,
            releasable_to: vec![ner],
        };
        let m = for_incident(&mli, &restricted, true);
        assert_eq!(m.refs.len(), 3);
        assert_eq!(m.granular[0]["marking_ref"], m.refs[1]);
        assert!(for_incident(&mli, &restricted, false).granular.is_empty());
    }
}
