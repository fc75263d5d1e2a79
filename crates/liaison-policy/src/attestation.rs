//! Signed attestations that a recipient hid a recalled incident, and their reading back.
//!
//! An attestation is a STIX `note` made by the recipient (`created_by_ref` its member identity,
//! `object_refs` the incident's STIX id) carrying our extension with `originator` = the attesting
//! member (so the seal says who attests) and an `attestation` member naming the recalled
//! incident's originator, id and recall version and when it was hidden:
//!
//! ```json
//! "extensions": {"extension-definition--cc95…": {"extension_type": "property-extension",
//!   "originator": "NER", "attestation": {"incident_originator": "DZA",
//!   "incident_id": "dza:2012-17", "version": 4, "hidden_at": "2012-02-01T10:00:00.000Z"},
//!   "signature": {…}}}
//! ```
//!
//! Its id is derived from the attesting member and the recall, so attesting twice gives the same
//! object.

use liaison_core::{CountryCode, IncidentId};
use liaison_stix::actors::member_identity_id;
use liaison_stix::extension::{EXTENSION_ID, PROPERTY_EXTENSION, RevokedExt};
use liaison_stix::ids::derived;
use liaison_stix::timestamp::{self, format_ms};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::OffsetDateTime;

use crate::identity::NodeKey;
use crate::release::{ReleaseError, ext};
use crate::seal::{Checked, Sealed};

/// An attestation, read back from a checked note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attestation {
    /// The member that hid the incident (and signed the note).
    pub by: CountryCode,
    pub incident_originator: CountryCode,
    pub incident_id: IncidentId,
    /// The recall's version.
    pub version: u32,
    pub hidden_at: OffsetDateTime,
}

/// The `attestation` member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Hidden {
    incident_originator: CountryCode,
    incident_id: IncidentId,
    version: u32,
    hidden_at: String,
}

/// Makes `own`'s signed attestation that it hid the incident `recalled` recalls.
pub fn attestation(
    key: &NodeKey,
    own: &CountryCode,
    recalled: &Checked,
    hidden_at: OffsetDateTime,
) -> Result<Sealed, ReleaseError> {
    let o = recalled.object();
    let not = |why: &str| ReleaseError::NotARecall(why.to_owned());
    if o.get("type").and_then(Value::as_str) != Some("incident")
        || o.get("revoked").and_then(Value::as_bool) != Some(true)
    {
        return Err(not("not an incident with revoked: true"));
    }
    let x = ext(o).ok_or_else(|| not("no Liaison extension"))?;
    let r: RevokedExt = serde_json::from_value(Value::Object(x.clone()))
        .map_err(|e| ReleaseError::NotARecall(e.to_string()))?;
    let stix_id = o
        .get("id")
        .and_then(Value::as_str)
        .ok_or_else(|| not("no id"))?;
    let when = format_ms(hidden_at).map_err(ReleaseError::Timestamp)?;
    let hidden = Hidden {
        incident_originator: r.originator.clone(),
        incident_id: r.liaison_id.clone(),
        version: r.version,
        hidden_at: when.clone(),
    };
    let id = derived(
        "note",
        own.as_str(),
        &format!(
            "attestation:{}:{}:{}",
            r.originator, r.liaison_id, r.version
        ),
    );
    let object = json!({
        "type": "note",
        "spec_version": "2.1",
        "id": id,
        "created": when,
        "modified": when,
        "created_by_ref": member_identity_id(own),
        "abstract": "Recall attestation",
        "content": format!(
            "{} hid incident {} of {} (recall version {}) at {}.",
            own, r.liaison_id, r.originator, r.version, when
        ),
        "object_refs": [stix_id],
        "extensions": {EXTENSION_ID: {
            "extension_type": PROPERTY_EXTENSION,
            "originator": own,
            "attestation": hidden,
        }},
    });
    Ok(Sealed::sign(object, own, key)?)
}

/// Reads an attestation from a checked note; `None` for anything else.
pub fn read_attestation(checked: &Checked) -> Option<Attestation> {
    let o = checked.object();
    if o.get("type").and_then(Value::as_str) != Some("note") {
        return None;
    }
    let x = ext(o)?;
    let h: Hidden = serde_json::from_value(x.get("attestation")?.clone()).ok()?;
    Some(Attestation {
        by: checked.signer().clone(),
        incident_originator: h.incident_originator,
        incident_id: h.incident_id,
        version: h.version,
        hidden_at: timestamp::parse(&h.hidden_at).ok()?.instant,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::identity::NodePublicKey;
    use crate::release::recall;
    use crate::seal::verify;
    use crate::testing::{at, code, incident};

    #[test]
    fn an_attestation_is_signed_by_the_recipient_and_reads_back() {
        let dza = NodeKey::from_secret([1; 32]);
        let ner = NodeKey::from_secret([2; 32]);
        let keys = [("DZA", dza.public()), ("NER", ner.public())];
        let key_of = |c: &CountryCode, f: &str| -> Option<NodePublicKey> {
            keys.iter()
                .find(|(m, k)| c.as_str() == *m && k.fingerprint() == f)
                .map(|(_, k)| *k)
        };
        let inc = incident("DZA");
        let r = recall(&dza, &code("DZA"), &code("NER"), &inc.id, 2, at(0), at(10)).unwrap();
        let recalled = verify(r.into_sealed().into_object(), key_of).unwrap();
        let s = attestation(&ner, &code("NER"), &recalled, at(20)).unwrap();
        assert_eq!(s.object()["object_refs"][0], recalled.object()["id"]);
        let checked = verify(s.into_object(), key_of).unwrap();
        let a = read_attestation(&checked).unwrap();
        assert_eq!(
            a,
            Attestation {
                by: code("NER"),
                incident_originator: code("DZA"),
                incident_id: inc.id,
                version: 2,
                hidden_at: at(20),
            }
        );
        // Only a recall can be attested.
        assert!(read_attestation(&recalled).is_none());
        assert!(matches!(
            attestation(&ner, &code("NER"), &checked, at(30)),
            Err(ReleaseError::NotARecall(_))
        ));
    }
}
