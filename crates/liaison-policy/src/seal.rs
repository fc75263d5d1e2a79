//! Originator signatures over STIX objects (DESIGN invariant 4: provenance survives relays).
//!
//! A sealed object carries, inside our property-extension, a `signature` member:
//!
//! ```json
//! "extensions": {"extension-definition--cc95…": {
//!     "extension_type": "property-extension", "originator": "MLI", …,
//!     "signature": {"alg": "ed25519", "signer": "MLI", "key": "SHA256:…", "value": "<base64url>"}}}
//! ```
//!
//! The signature covers the label `liaison-sealed-object-v1\n` followed by the
//! [canonical](crate::canonical) bytes of the whole object with that one `signature` member
//! removed. The signer must be the object's `originator`: a relay passes the object on byte for
//! byte meaning, and cannot alter a property (or re-sign as the originator) undetected.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use liaison_core::CountryCode;
use liaison_stix::extension::EXTENSION_ID;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::canonical;
use crate::identity::{NodeKey, NodePublicKey};

/// The domain-separation label in front of every signed object.
pub const SIGNATURE_LABEL: &[u8] = b"liaison-sealed-object-v1\n";

/// The `signature` member.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub alg: String,
    /// The originator's member code.
    pub signer: CountryCode,
    /// The fingerprint of the key that signed (keys rotate; the fingerprint says which).
    pub key: String,
    /// Unpadded URL-safe base64 of the 64-byte Ed25519 signature.
    pub value: String,
}

/// Why an object's seal does not hold. The messages name what is wrong, never a key's secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
    #[error("the object is not a JSON object with a Liaison extension")]
    NoExtension,
    #[error("the object carries no signature")]
    Unsigned,
    #[error("the signature member is malformed: {0}")]
    Malformed(String),
    #[error("signed by {signer} but the object's originator is {originator}")]
    NotTheOriginator { signer: String, originator: String },
    #[error("no registered key {key} for {signer}")]
    UnknownKey { signer: String, key: String },
    #[error("the signature does not match the object")]
    BadSignature,
}

/// An object signed by this node as its originator, or an originator's object checked on receipt
/// and passed on unchanged. Only this crate makes one (see the crate's invariant).
#[derive(Debug, Clone, PartialEq)]
pub struct Sealed {
    object: Value,
}

impl Sealed {
    /// The signed object, as it goes on the wire.
    pub fn object(&self) -> &Value {
        &self.object
    }

    pub fn into_object(self) -> Value {
        self.object
    }

    /// The object's STIX id.
    pub fn id(&self) -> &str {
        self.object.get("id").and_then(Value::as_str).unwrap_or("")
    }

    /// Signs `object` as `signer` with `key`. Replaces any signature it carried.
    pub(crate) fn sign(
        mut object: Value,
        signer: &CountryCode,
        key: &NodeKey,
    ) -> Result<Sealed, SealError> {
        let ext = extension_mut(&mut object)?;
        ext.remove("signature");
        match ext.get("originator").and_then(Value::as_str) {
            Some(o) if o == signer.as_str() => {}
            other => {
                return Err(SealError::NotTheOriginator {
                    signer: signer.to_string(),
                    originator: other.unwrap_or("(none)").to_owned(),
                });
            }
        }
        let message = signed_message(&object);
        let sig = Signature {
            alg: "ed25519".into(),
            signer: signer.clone(),
            key: key.public().fingerprint(),
            value: URL_SAFE_NO_PAD.encode(key.sign(&message)),
        };
        let sig = serde_json::to_value(sig).map_err(|e| SealError::Malformed(e.to_string()))?;
        extension_mut(&mut object)?.insert("signature".into(), sig);
        Ok(Sealed { object })
    }

    /// An object received from its originator and checked, passed on as it came.
    pub(crate) fn relay(checked: Checked) -> Sealed {
        Sealed {
            object: checked.object,
        }
    }
}

/// An object whose originator's signature was checked on receipt.
#[derive(Debug, Clone, PartialEq)]
pub struct Checked {
    object: Value,
    signer: CountryCode,
}

impl Checked {
    pub fn object(&self) -> &Value {
        &self.object
    }
    pub fn into_object(self) -> Value {
        self.object
    }
    /// The originator whose key signed it.
    pub fn signer(&self) -> &CountryCode {
        &self.signer
    }
}

/// Checks the originator's signature on `object`. `key_of(signer, fingerprint)` returns the
/// registered key of that member with that fingerprint, if any.
pub fn verify(
    object: Value,
    key_of: impl Fn(&CountryCode, &str) -> Option<NodePublicKey>,
) -> Result<Checked, SealError> {
    let mut unsigned = object.clone();
    let ext = extension_mut(&mut unsigned)?;
    let sig = ext.remove("signature").ok_or(SealError::Unsigned)?;
    let sig: Signature =
        serde_json::from_value(sig).map_err(|e| SealError::Malformed(e.to_string()))?;
    if sig.alg != "ed25519" {
        return Err(SealError::Malformed(format!("alg '{}'", sig.alg)));
    }
    let originator = ext.get("originator").and_then(Value::as_str).unwrap_or("");
    if originator != sig.signer.as_str() {
        return Err(SealError::NotTheOriginator {
            signer: sig.signer.to_string(),
            originator: originator.to_owned(),
        });
    }
    let bytes: [u8; 64] = URL_SAFE_NO_PAD
        .decode(&sig.value)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(|| SealError::Malformed("value is not 64 bytes of base64".into()))?;
    let key = key_of(&sig.signer, &sig.key).ok_or_else(|| SealError::UnknownKey {
        signer: sig.signer.to_string(),
        key: sig.key.clone(),
    })?;
    if key.fingerprint() != sig.key {
        return Err(SealError::UnknownKey {
            signer: sig.signer.to_string(),
            key: sig.key,
        });
    }
    if !key.verify(&signed_message(&unsigned), &bytes) {
        return Err(SealError::BadSignature);
    }
    Ok(Checked {
        object,
        signer: sig.signer,
    })
}

fn signed_message(unsigned: &Value) -> Vec<u8> {
    let mut m = SIGNATURE_LABEL.to_vec();
    m.extend(canonical::to_vec(unsigned));
    m
}

fn extension_mut(object: &mut Value) -> Result<&mut Map<String, Value>, SealError> {
    object
        .get_mut("extensions")
        .and_then(|e| e.get_mut(EXTENSION_ID))
        .and_then(Value::as_object_mut)
        .ok_or(SealError::NoExtension)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    fn code(s: &str) -> CountryCode {
        CountryCode::parse(s).unwrap()
    }

    fn object(originator: &str) -> Value {
        json!({"type": "incident", "id": "incident--1", "name": "Aguelhok",
               "extensions": {EXTENSION_ID: {"extension_type": "property-extension",
                                             "originator": originator, "version": 1}}})
    }

    fn keys() -> (
        NodeKey,
        impl Fn(&CountryCode, &str) -> Option<NodePublicKey>,
    ) {
        let k = NodeKey::from_secret([3; 32]);
        let p = k.public();
        (k, move |c: &CountryCode, f: &str| {
            (c.as_str() == "MLI" && f == p.fingerprint()).then_some(p)
        })
    }

    #[test]
    fn a_sealed_object_verifies_after_a_relay_reorders_it() {
        let (k, key_of) = keys();
        let s = Sealed::sign(object("MLI"), &code("MLI"), &k).unwrap();
        let text = serde_json::to_string_pretty(s.object()).unwrap();
        let relayed: Value = serde_json::from_str(&text).unwrap();
        let checked = verify(relayed, &key_of).unwrap();
        assert_eq!(checked.signer().as_str(), "MLI");
    }

    #[test]
    fn tampering_forgery_and_unknown_keys_are_refused() {
        let (k, key_of) = keys();
        let s = Sealed::sign(object("MLI"), &code("MLI"), &k).unwrap();
        let mut tampered = s.object().clone();
        tampered["name"] = json!("Tessalit");
        assert_eq!(verify(tampered, &key_of), Err(SealError::BadSignature));
        let mut moved = s.object().clone();
        moved["extensions"][EXTENSION_ID]["originator"] = json!("DZA");
        assert!(matches!(
            verify(moved, &key_of),
            Err(SealError::NotTheOriginator { .. })
        ));
        let forger = NodeKey::from_secret([4; 32]);
        let forged = Sealed::sign(object("MLI"), &code("MLI"), &forger).unwrap();
        assert!(matches!(
            verify(forged.into_object(), &key_of),
            Err(SealError::UnknownKey { .. })
        ));
        assert_eq!(verify(object("MLI"), &key_of), Err(SealError::Unsigned));
        assert_eq!(
            verify(json!({"type": "incident"}), &key_of),
            Err(SealError::NoExtension)
        );
        assert!(matches!(
            Sealed::sign(object("DZA"), &code("MLI"), &k),
            Err(SealError::NotTheOriginator { .. })
        ));
        let mut garbled = s.object().clone();
        garbled["extensions"][EXTENSION_ID]["signature"]["value"] = json!("AAAA");
        assert!(matches!(
            verify(garbled, &key_of),
            Err(SealError::Malformed(_))
        ));
    }
}
