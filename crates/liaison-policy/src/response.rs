//! Signed responses to flash alerts, and their reading back.
//!
//! A member that received a flash item answers it step by step (acknowledged, action taken,
//! closed). Each step goes back to the incident's originator as a STIX `note` made by the
//! responding member (`created_by_ref` its identity, `object_refs` the incident's STIX id) with
//! our extension: `originator` = the responding member (so the seal says who answers) and an
//! `alert_response` member:
//!
//! ```json
//! "extensions": {"extension-definition--cc95…": {"extension_type": "property-extension",
//!   "originator": "NER", "alert_response": {"incident_originator": "DZA",
//!   "incident_id": "dza:2012-17", "state": "acknowledged", "at": "2012-02-01T10:00:00.000Z"},
//!   "signature": {…}}}
//! ```
//!
//! The time is the step's, not the delivery's, so the originator measures how fast people
//! answered, not how often nodes sync. Its id is derived from the member, the incident and the
//! step, so sending it twice gives the same object.

use liaison_core::{CountryCode, IncidentId};
use liaison_stix::actors::member_identity_id;
use liaison_stix::extension::{EXTENSION_ID, PROPERTY_EXTENSION};
use liaison_stix::ids::derived;
use liaison_stix::timestamp::{self, format_ms};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::identity::NodeKey;
use crate::release::{ReleaseError, ext};
use crate::seal::{Checked, Sealed};

/// The steps a response may report.
pub const RESPONSE_STATES: [&str; 3] = ["acknowledged", "action_taken", "closed"];

/// A response, read back from a checked note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertResponse {
    /// The member that answered (and signed the note).
    pub by: CountryCode,
    pub incident_originator: CountryCode,
    pub incident_id: IncidentId,
    /// `acknowledged`, `action_taken` or `closed`.
    pub state: String,
    pub at: OffsetDateTime,
}

/// The `alert_response` member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Step {
    incident_originator: CountryCode,
    incident_id: IncidentId,
    state: String,
    at: String,
}

/// Makes `own`'s signed response (`state` at `at`) to the flash item `incident_id` of
/// `incident_originator`.
pub fn alert_response(
    key: &NodeKey,
    own: &CountryCode,
    incident_originator: &CountryCode,
    incident_id: &IncidentId,
    state: &str,
    at: OffsetDateTime,
) -> Result<Sealed, ReleaseError> {
    if !RESPONSE_STATES.contains(&state) {
        return Err(ReleaseError::NotAStep(format!(
            "'{state}' (use acknowledged, action_taken or closed)"
        )));
    }
    let when = format_ms(at).map_err(ReleaseError::Timestamp)?;
    let step = Step {
        incident_originator: incident_originator.clone(),
        incident_id: incident_id.clone(),
        state: state.to_owned(),
        at: when.clone(),
    };
    let id = derived(
        "note",
        own.as_str(),
        &format!("alert-response:{incident_originator}:{incident_id}:{state}"),
    );
    let object = json!({
        "type": "note",
        "spec_version": "2.1",
        "id": id,
        "created": when,
        "modified": when,
        "created_by_ref": member_identity_id(own),
        "abstract": "Flash alert response",
        "content": format!(
            "{own}: {} on flash incident {incident_id} of {incident_originator} at {when}.",
            state.replace('_', " ")
        ),
        "object_refs": [derived("incident", incident_originator.as_str(), incident_id.as_str())],
        "extensions": {EXTENSION_ID: {
            "extension_type": PROPERTY_EXTENSION,
            "originator": own,
            "alert_response": step,
        }},
    });
    Ok(Sealed::sign(object, own, key)?)
}

/// Reads a response from a checked note; `None` for anything else.
pub fn read_alert_response(checked: &Checked) -> Option<AlertResponse> {
    let o = checked.object();
    if o.get("type").and_then(Value::as_str) != Some("note") {
        return None;
    }
    let s: Step = serde_json::from_value(ext(o)?.get("alert_response")?.clone()).ok()?;
    if !RESPONSE_STATES.contains(&s.state.as_str()) {
        return None;
    }
    Some(AlertResponse {
        by: checked.signer().clone(),
        incident_originator: s.incident_originator,
        incident_id: s.incident_id,
        state: s.state,
        at: timestamp::parse(&s.at).ok()?.instant,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::identity::NodePublicKey;
    use crate::seal::verify;
    use crate::testing::{at, code};

    #[test]
    fn a_response_is_signed_by_the_responder_and_reads_back() {
        let ner = NodeKey::from_secret([2; 32]);
        let other = NodeKey::from_secret([3; 32]);
        let key_of = |c: &CountryCode, f: &str| -> Option<NodePublicKey> {
            (c.as_str() == "NER" && ner.public().fingerprint() == f).then(|| ner.public())
        };
        let id = IncidentId::parse("dza:2012-17").unwrap();
        let s = alert_response(
            &ner,
            &code("NER"),
            &code("DZA"),
            &id,
            "acknowledged",
            at(20),
        )
        .unwrap();
        assert_eq!(
            s.object()["object_refs"][0],
            derived("incident", "DZA", "dza:2012-17")
        );
        let checked = verify(s.into_object(), key_of).unwrap();
        assert_eq!(
            read_alert_response(&checked).unwrap(),
            AlertResponse {
                by: code("NER"),
                incident_originator: code("DZA"),
                incident_id: id.clone(),
                state: "acknowledged".into(),
                at: at(20),
            }
        );
        // The same step twice is the same object.
        let again = alert_response(
            &ner,
            &code("NER"),
            &code("DZA"),
            &id,
            "acknowledged",
            at(20),
        )
        .unwrap();
        assert_eq!(again.object()["id"], checked.object()["id"]);
        // Another member's key cannot speak for NER.
        let forged =
            alert_response(&other, &code("NER"), &code("DZA"), &id, "closed", at(30)).unwrap();
        assert!(verify(forged.into_object(), key_of).is_err());
        // Only the three steps exist.
        assert!(alert_response(&ner, &code("NER"), &code("DZA"), &id, "raised", at(1)).is_err());
    }
}
