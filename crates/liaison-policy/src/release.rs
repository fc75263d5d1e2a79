//! The egress value: [`Release`], an object sealed for one recipient. The sync and TAXII layers
//! send `Release`s (or the [`Sealed`] inside them) and nothing else; only this module makes one,
//! in three ways:
//!
//! - [`release`]: one of our incidents, after the policy allowed it for this recipient, with
//!   the agreement's obligations applied, as the single STIX `incident` object whose extension
//!   says to whom and under which agreement (`release`), signed by this node;
//! - [`recall`]: the tombstone of one of our incidents (a `revoked: true` version that carries
//!   nothing of the content), always allowed;
//! - [`relay`]: an object another member released to us, passed on unchanged (its originator's
//!   signature stays valid), only to a member its signed `release.onward_to` names.

use liaison_core::{AgreementId, CountryCode, IncidentId, ValidationErrors};
use liaison_stix::IncidentRecord;
use liaison_stix::export::{ExportError, incident_object, revoked_incident_object};
use liaison_stix::extension::{EXTENSION_ID, PROPERTY_EXTENSION, ReleaseExt, RevokedExt};
use serde_json::Value;
use time::{Date, OffsetDateTime};

use crate::identity::NodeKey;
use crate::policy::{Decision, Policy};
use crate::seal::{Checked, SealError, Sealed};
use crate::transform::{Applied, transform};

pub use crate::attestation::{Attestation, attestation, read_attestation};

/// Why a release could not be made. Nothing was released.
#[derive(Debug, thiserror::Error)]
pub enum ReleaseError {
    /// The incident, or its copy once the obligations are applied, breaks a domain rule (a span
    /// of 360 days widened to whole months exceeds the 366-day limit, for instance).
    #[error("incident {incident}: {errors}")]
    Invalid {
        incident: IncidentId,
        errors: ValidationErrors,
    },
    #[error(transparent)]
    Export(#[from] ExportError),
    #[error("sealing: {0}")]
    Seal(#[from] SealError),
    /// A time that a STIX timestamp cannot hold (a year outside 0–9999).
    #[error("timestamp: {0}")]
    Timestamp(String),
    /// An attestation was asked for an object that is not a recall.
    #[error("not a recall: {0}")]
    NotARecall(String),
    /// A flash alert response was asked for a step that does not exist.
    #[error("not a response step: {0}")]
    NotAStep(String),
}

/// An object sealed for one recipient: the only value that may leave the node.
#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    sealed: Sealed,
    recipient: CountryCode,
    agreement: Option<(AgreementId, u32)>,
    applied: Vec<Applied>,
    incident_id: IncidentId,
    version: u32,
}

impl Release {
    pub fn sealed(&self) -> &Sealed {
        &self.sealed
    }
    pub fn into_sealed(self) -> Sealed {
        self.sealed
    }
    pub fn recipient(&self) -> &CountryCode {
        &self.recipient
    }
    /// The agreement (id, version) that allowed it; `None` for recalls and relays.
    pub fn agreement(&self) -> Option<(&AgreementId, u32)> {
        self.agreement.as_ref().map(|(a, v)| (a, *v))
    }
    /// What the obligations did (empty for recalls and relays).
    pub fn applied(&self) -> &[Applied] {
        &self.applied
    }
    pub fn incident_id(&self) -> &IncidentId {
        &self.incident_id
    }
    /// The version released (for a recall, the recall's own version).
    pub fn version(&self) -> u32 {
        self.version
    }
}

fn ext_mut(o: &mut Value) -> Option<&mut serde_json::Map<String, Value>> {
    o.get_mut("extensions")?
        .get_mut(EXTENSION_ID)?
        .as_object_mut()
}

pub(crate) fn ext(o: &Value) -> Option<&serde_json::Map<String, Value>> {
    o.get("extensions")?.get(EXTENSION_ID)?.as_object()
}

/// Decide → transform → STIX incident object → seal with the node's key. `Ok(None)` when the
/// policy denies (including every incident this node did not originate: use [`relay`]).
pub fn release(
    policy: &Policy,
    key: &NodeKey,
    recipient: &CountryCode,
    record: &IncidentRecord,
    today: Date,
) -> Result<Option<Release>, ReleaseError> {
    let inc = record.incident;
    let Decision::Allow { agreement, version } = policy.decide(recipient, inc, today) else {
        return Ok(None);
    };
    let Some(a) = policy.agreement(&agreement) else {
        return Ok(None);
    };
    let invalid = |errors| ReleaseError::Invalid {
        incident: inc.id.clone(),
        errors,
    };
    inc.content.validate().map_err(invalid)?;
    let (copy, applied) = transform(inc, &a.obligations, &a.id);
    copy.content.validate().map_err(invalid)?;
    let mut object = incident_object(&IncidentRecord {
        incident: &copy,
        created: record.created,
        modified: record.modified,
    })?;
    let onward_to = if a.onward_release {
        let mut v: Vec<CountryCode> = a
            .recipients
            .iter()
            .filter(|r| *r != recipient)
            .cloned()
            .collect();
        v.sort();
        v
    } else {
        Vec::new()
    };
    let terms = ReleaseExt {
        recipient: recipient.clone(),
        agreement: Some(a.id.clone()),
        agreement_version: Some(a.version),
        onward_to,
        applied: applied.iter().map(Applied::code).collect(),
    };
    let terms = serde_json::to_value(terms).map_err(|e| SealError::Malformed(e.to_string()))?;
    ext_mut(&mut object)
        .ok_or(SealError::NoExtension)?
        .insert("release".into(), terms);
    let sealed = Sealed::sign(object, policy.own(), key)?;
    Ok(Some(Release {
        sealed,
        recipient: recipient.clone(),
        agreement: Some((agreement, version)),
        applied,
        incident_id: inc.id.clone(),
        version: inc.version,
    }))
}

/// The recall of our incident `incident_id` for `recipient`: version `version` (one more than
/// the last released), made at `modified`; `created` is the first version's time.
pub fn recall(
    key: &NodeKey,
    own: &CountryCode,
    recipient: &CountryCode,
    incident_id: &IncidentId,
    version: u32,
    created: OffsetDateTime,
    modified: OffsetDateTime,
) -> Result<Release, ReleaseError> {
    let x = RevokedExt {
        extension_type: PROPERTY_EXTENSION.to_owned(),
        liaison_id: incident_id.clone(),
        originator: own.clone(),
        version,
        release: Some(ReleaseExt {
            recipient: recipient.clone(),
            agreement: None,
            agreement_version: None,
            onward_to: Vec::new(),
            applied: Vec::new(),
        }),
    };
    let object = revoked_incident_object(&x, created, modified)?;
    Ok(Release {
        sealed: Sealed::sign(object, own, key)?,
        recipient: recipient.clone(),
        agreement: None,
        applied: Vec::new(),
        incident_id: incident_id.clone(),
        version,
    })
}

/// Passes on an incident another member released to this node, unchanged, when its signed
/// `release.onward_to` names `recipient`; `None` otherwise (the default: never).
pub fn relay(recipient: &CountryCode, checked: &Checked) -> Option<Release> {
    let o = checked.object();
    if o.get("type").and_then(Value::as_str) != Some("incident") {
        return None;
    }
    let x = ext(o)?;
    let terms: ReleaseExt = serde_json::from_value(x.get("release")?.clone()).ok()?;
    if !terms.onward_to.contains(recipient) || &terms.recipient == recipient {
        return None;
    }
    let incident_id = IncidentId::parse(x.get("liaison_id")?.as_str()?).ok()?;
    let version = u32::try_from(x.get("version")?.as_u64()?).ok()?;
    Some(Release {
        sealed: Sealed::relay(checked.clone()),
        recipient: recipient.clone(),
        agreement: None,
        applied: Vec::new(),
        incident_id,
        version,
    })
}

/// Passes on, unchanged, the originator's recall of an incident this node relayed to
/// `recipient`: a tombstone (no content) addressed to this node. Whom it goes to is the caller's
/// record of relays; the originator's signature makes it unforgeable by the relay.
pub fn relay_recall(recipient: &CountryCode, checked: &Checked) -> Option<Release> {
    let o = checked.object();
    if o.get("type").and_then(Value::as_str) != Some("incident")
        || o.get("revoked").and_then(Value::as_bool) != Some(true)
    {
        return None;
    }
    let x = ext(o)?;
    let incident_id = IncidentId::parse(x.get("liaison_id")?.as_str()?).ok()?;
    let version = u32::try_from(x.get("version")?.as_u64()?).ok()?;
    Some(Release {
        sealed: Sealed::relay(checked.clone()),
        recipient: recipient.clone(),
        agreement: None,
        applied: Vec::new(),
        incident_id,
        version,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::identity::NodePublicKey;
    use crate::seal::verify;
    use crate::testing::{agreement, at, code, day, incident};
    use liaison_stix::{map_object, parse};

    fn key_of(k: &NodeKey, who: &str) -> impl Fn(&CountryCode, &str) -> Option<NodePublicKey> {
        let p = k.public();
        let who = who.to_owned();
        move |c: &CountryCode, f: &str| (c.as_str() == who && f == p.fingerprint()).then_some(p)
    }

    fn policy(onward: bool) -> Policy {
        let a = agreement(&format!(
            r#"{{"id":"mli-all","version":3,"originator":"MLI","recipients":["DZA","NER","MRT"],"title":"t",
                "obligations":{{"location":{{"precision":"admin1"}},"drop_narrative":true}},"onward_release":{onward}}}"#
        ));
        Policy::compile(&code("MLI"), &[a]).unwrap()
    }

    fn read(sealed: &Sealed) -> liaison_stix::ParsedObject {
        let bundle = serde_json::json!({"type": "bundle", "id": "bundle--6a1a4a39-3b5e-4a58-9d5a-1b3a8b0c9a11",
                                        "objects": [sealed.object()]});
        let mut p = parse(&serde_json::to_vec(&bundle).unwrap()).unwrap();
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        p.objects.remove(0)
    }

    #[test]
    fn a_release_is_transformed_marked_and_sealed() {
        let k = NodeKey::from_secret([1; 32]);
        let inc = incident("MLI");
        let rec = IncidentRecord {
            incident: &inc,
            created: at(0),
            modified: at(60),
        };
        let r = release(&policy(true), &k, &code("NER"), &rec, day("2012-02-01"))
            .unwrap()
            .unwrap();
        assert_eq!(
            r.agreement().map(|(a, v)| (a.as_str(), v)),
            Some(("mli-all", 3))
        );
        assert_eq!(r.recipient(), &code("NER"));
        assert_eq!((r.incident_id(), r.version()), (&inc.id, inc.version));
        let codes: Vec<String> = r.applied().iter().map(Applied::code).collect();
        assert_eq!(codes, ["location:admin1", "narrative:dropped"]);
        let terms = &r.sealed().object()["extensions"][EXTENSION_ID]["release"];
        assert_eq!(
            terms,
            &serde_json::json!({"recipient": "NER", "agreement": "mli-all", "agreement_version": 3,
                                "onward_to": ["DZA", "MRT"], "applied": codes})
        );
        let checked = verify(r.sealed().object().clone(), key_of(&k, "MLI")).unwrap();
        let Some(liaison_stix::Mapped::Incident(back)) = map_object(&read(r.sealed())).unwrap()
        else {
            panic!("not an incident")
        };
        assert!(back.content.narrative.is_none());
        assert_eq!(
            back.content.location.point,
            Some(liaison_core::GeoPoint {
                lat: 18.5,
                lon: 1.5
            })
        );
        // Onward: to the other recipients only, byte for byte.
        let on = relay(&code("DZA"), &checked).unwrap();
        assert_eq!(on.sealed().object(), r.sealed().object());
        assert_eq!(on.agreement(), None);
        assert!(relay(&code("BFA"), &checked).is_none());
        assert!(relay(&code("NER"), &checked).is_none());
    }

    #[test]
    fn without_onward_release_nothing_is_relayed() {
        let k = NodeKey::from_secret([1; 32]);
        let inc = incident("MLI");
        let rec = IncidentRecord {
            incident: &inc,
            created: at(0),
            modified: at(0),
        };
        let r = release(&policy(false), &k, &code("NER"), &rec, day("2012-02-01"))
            .unwrap()
            .unwrap();
        assert!(
            r.sealed().object()["extensions"][EXTENSION_ID]["release"]
                .get("onward_to")
                .is_none()
        );
        let checked = verify(r.into_sealed().into_object(), key_of(&k, "MLI")).unwrap();
        assert!(relay(&code("DZA"), &checked).is_none());
    }

    #[test]
    fn denied_and_foreign_incidents_are_not_released() {
        let k = NodeKey::from_secret([1; 32]);
        let inc = incident("MLI");
        let rec = IncidentRecord {
            incident: &inc,
            created: at(0),
            modified: at(0),
        };
        assert!(
            release(&policy(false), &k, &code("BFA"), &rec, day("2012-02-01"))
                .unwrap()
                .is_none()
        );
        let theirs = incident("DZA");
        let rec = IncidentRecord {
            incident: &theirs,
            created: at(0),
            modified: at(0),
        };
        assert!(
            release(&policy(false), &k, &code("NER"), &rec, day("2012-02-01"))
                .unwrap()
                .is_none()
        );
    }

    #[test]
    fn a_span_too_long_once_widened_is_an_error_not_a_release() {
        let a = agreement(
            r#"{"id":"m","originator":"MLI","recipients":["NER"],"title":"t","obligations":{"time":"month"}}"#,
        );
        let p = Policy::compile(&code("MLI"), &[a]).unwrap();
        let mut inc = incident("MLI");
        inc.content.date.start = day("2011-01-15");
        inc.content.date.end = day("2012-01-14");
        let rec = IncidentRecord {
            incident: &inc,
            created: at(0),
            modified: at(0),
        };
        let e = release(
            &p,
            &NodeKey::from_secret([1; 32]),
            &code("NER"),
            &rec,
            day("2012-02-01"),
        );
        assert!(matches!(e, Err(ReleaseError::Invalid { .. })), "{e:?}");
    }

    #[test]
    fn a_recall_reveals_nothing_and_reads_back() {
        let k = NodeKey::from_secret([1; 32]);
        let inc = incident("MLI");
        let r = recall(&k, &code("MLI"), &code("NER"), &inc.id, 4, at(0), at(3600)).unwrap();
        assert_eq!((r.agreement(), r.version()), (None, 4));
        let o = r.sealed().object();
        assert_eq!(o["revoked"], true);
        assert_eq!(o["id"], liaison_stix::export::incident_id(&inc));
        let text = o.to_string();
        for secret in ["Aguelhok", "Kidal", "18.44", "Défense"] {
            assert!(!text.contains(secret), "{secret} in {text}");
        }
        verify(o.clone(), key_of(&k, "MLI")).unwrap();
        let parsed = read(r.sealed());
        assert_eq!(map_object(&parsed).unwrap(), None);
        let back = liaison_stix::import::map_revoked(&parsed).unwrap().unwrap();
        assert_eq!(
            (back.originator, back.id, back.version),
            (code("MLI"), inc.id, 4)
        );
    }
}
