//! A node's identity: the Ed25519 key made at `init`, its public half, and the fingerprint a
//! liaison officer reads aloud to a partner to check a key out of band.
//!
//! The secret key is 32 random bytes that the edge draws and stores; this crate never draws them.
//! Public keys travel as unpadded URL-safe base64 of the 32 raw bytes; the fingerprint is
//! `SHA256:` and the unpadded standard base64 of the key's SHA-256, the form OpenSSH prints.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD_NO_PAD, URL_SAFE_NO_PAD};
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use sha2::{Digest, Sha256};

/// Why a key could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("a key must be 32 bytes of base64 (43 characters, URL-safe, unpadded): {0}")]
    Encoding(String),
    #[error("not a valid Ed25519 public key")]
    NotAPoint,
}

/// A node's signing key. `Debug` never prints the secret.
#[derive(Clone)]
pub struct NodeKey(SigningKey);

impl std::fmt::Debug for NodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodeKey({})", self.public().fingerprint())
    }
}

impl NodeKey {
    /// The key whose secret is these 32 bytes (drawn by the edge from the system's RNG).
    pub fn from_secret(secret: [u8; 32]) -> Self {
        Self(SigningKey::from_bytes(&secret))
    }

    /// Reads the secret as stored: base64 of the 32 bytes.
    pub fn from_base64(s: &str) -> Result<Self, KeyError> {
        Ok(Self::from_secret(decode32(s)?))
    }

    /// The secret, for the node's key file only.
    pub fn secret_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.to_bytes())
    }

    pub fn public(&self) -> NodePublicKey {
        NodePublicKey(self.0.verifying_key())
    }

    /// Signs `message` (callers prefix a domain-separation label, see [`crate::seal`]).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        self.0.sign(message).to_bytes()
    }

    /// A secret only this node and `peer` can compute, for `purpose`: X25519 over both nodes'
    /// Ed25519 keys (each mapped to its Montgomery form, the conversion libsodium and age use),
    /// hashed with the purpose and the two members' codes in order, so it is the same on both
    /// sides and differs per pair and per purpose. Used to blind what two nodes compare without
    /// showing each other (actor matching): no third party, and no other pair, can recompute it.
    /// Signing and key agreement with one key is sound for this use (the hash separates them);
    /// a compromise of the node key exposes both.
    pub fn pair_secret(
        &self,
        own: &liaison_core::CountryCode,
        peer: &liaison_core::CountryCode,
        peer_key: &NodePublicKey,
        purpose: &str,
    ) -> [u8; 32] {
        let shared = peer_key
            .0
            .to_montgomery()
            .mul_clamped(self.0.to_scalar_bytes());
        let (a, b) = if own.as_str() <= peer.as_str() {
            (own, peer)
        } else {
            (peer, own)
        };
        let mut h = Sha256::new();
        h.update(b"liaison pair secret v1\0");
        h.update(purpose.as_bytes());
        h.update(b"\0");
        h.update(a.as_str().as_bytes());
        h.update(b.as_str().as_bytes());
        h.update(shared.as_bytes());
        h.finalize().into()
    }
}

/// A node's public key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct NodePublicKey(VerifyingKey);

impl std::fmt::Debug for NodePublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NodePublicKey({})", self.to_base64())
    }
}

impl std::fmt::Display for NodePublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_base64())
    }
}

impl NodePublicKey {
    pub fn from_base64(s: &str) -> Result<Self, KeyError> {
        let bytes = decode32(s)?;
        VerifyingKey::from_bytes(&bytes)
            .map(Self)
            .map_err(|_| KeyError::NotAPoint)
    }

    pub fn from_bytes(bytes: &[u8; 32]) -> Result<Self, KeyError> {
        VerifyingKey::from_bytes(bytes)
            .map(Self)
            .map_err(|_| KeyError::NotAPoint)
    }

    pub fn to_base64(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.as_bytes())
    }

    pub fn as_bytes(&self) -> &[u8; 32] {
        self.0.as_bytes()
    }

    /// `SHA256:` + unpadded base64 of the SHA-256 of the raw key.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.0.as_bytes());
        format!("SHA256:{}", STANDARD_NO_PAD.encode(digest))
    }

    /// Whether `signature` is this key's signature of `message`. Strict verification: rejects
    /// the malleable and small-order cases that plain verification lets through.
    pub fn verify(&self, message: &[u8], signature: &[u8; 64]) -> bool {
        let sig = ed25519_dalek::Signature::from_bytes(signature);
        self.0.verify_strict(message, &sig).is_ok()
    }
}

fn decode32(s: &str) -> Result<[u8; 32], KeyError> {
    let bytes = URL_SAFE_NO_PAD
        .decode(s.trim())
        .map_err(|e| KeyError::Encoding(e.to_string()))?;
    bytes
        .try_into()
        .map_err(|b: Vec<u8>| KeyError::Encoding(format!("{} bytes", b.len())))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_pair_secret_is_the_same_on_both_sides_and_nobody_elses() {
        let code = |s: &str| liaison_core::CountryCode::parse(s).unwrap();
        let (mli, ner, dza) = (
            NodeKey::from_secret([1; 32]),
            NodeKey::from_secret([2; 32]),
            NodeKey::from_secret([3; 32]),
        );
        let a = mli.pair_secret(&code("MLI"), &code("NER"), &ner.public(), "actors");
        let b = ner.pair_secret(&code("NER"), &code("MLI"), &mli.public(), "actors");
        assert_eq!(a, b);
        // Another purpose, another pair, or a third key holder: another secret.
        assert_ne!(
            a,
            mli.pair_secret(&code("MLI"), &code("NER"), &ner.public(), "other")
        );
        assert_ne!(
            a,
            mli.pair_secret(&code("MLI"), &code("DZA"), &dza.public(), "actors")
        );
        assert_ne!(
            a,
            dza.pair_secret(&code("NER"), &code("MLI"), &mli.public(), "actors")
        );
    }

    #[test]
    fn keys_round_trip_and_sign() {
        let k = NodeKey::from_secret([7; 32]);
        let again = NodeKey::from_base64(&k.secret_base64()).unwrap();
        assert_eq!(k.public(), again.public());
        let p = NodePublicKey::from_base64(&k.public().to_base64()).unwrap();
        let sig = k.sign(b"hello");
        assert!(p.verify(b"hello", &sig));
        assert!(!p.verify(b"hellp", &sig));
        let mut bad = sig;
        bad[0] ^= 1;
        assert!(!p.verify(b"hello", &bad));
        assert!(k.public().fingerprint().starts_with("SHA256:"));
        assert_eq!(k.public().fingerprint().len(), 7 + 43);
        assert!(!format!("{k:?}").contains(&k.secret_base64()));
    }

    #[test]
    fn bad_keys_are_refused_with_a_reason() {
        assert!(matches!(
            NodePublicKey::from_base64("abc"),
            Err(KeyError::Encoding(_))
        ));
        assert!(matches!(
            NodePublicKey::from_base64("!!!!"),
            Err(KeyError::Encoding(_))
        ));
        // 32 bytes that are not a point on the curve are refused or never verify.
        let other = NodeKey::from_secret([9; 32]).public();
        let k = NodeKey::from_secret([7; 32]);
        assert!(!other.verify(b"m", &k.sign(b"m")));
    }
}
