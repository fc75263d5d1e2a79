//! The `next` tokens a peer pages with (DESIGN invariant 5: counters, not clocks).
//!
//! A token names a position in our outbox (`incidents.seq`) and the *policy epoch* it was issued
//! under: a digest of the agreements that apply to that peer. When an agreement changes, the
//! epoch changes and the peer's next request starts again from the beginning, so objects an old
//! agreement held back are decided again under the new one (what the peer already holds comes
//! back unchanged and changes nothing there). Tokens are bound to the peer and authenticated with
//! an HMAC keyed from the node's key, so a peer that alters one, or presents another peer's, is
//! refused rather than served from an arbitrary position.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use liaison_core::{Agreement, CountryCode};
use liaison_policy::NodeKey;
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// Why a token was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the next token is not one this node issued to this peer")]
pub struct BadCursor;

/// The key that authenticates tokens: derived from the node's signing key (an Ed25519 signature
/// is deterministic), so it survives restarts without a second secret on disk.
#[derive(Clone)]
pub struct CursorKey([u8; 32]);

impl CursorKey {
    pub fn derive(key: &NodeKey) -> Self {
        Self(Sha256::digest(key.sign(b"liaison-cursor-key-v1")).into())
    }

    fn mac(&self, peer: &CountryCode, epoch: &str, seq: i64) -> [u8; 16] {
        // HMAC accepts keys of any length: this cannot fail.
        let Ok(mut m) = HmacSha256::new_from_slice(&self.0) else {
            return [0; 16];
        };
        m.update(format!("{peer}|{epoch}|{seq}").as_bytes());
        let full = m.finalize().into_bytes();
        let mut out = [0; 16];
        out.copy_from_slice(&full[..16]);
        out
    }

    /// The token for position `seq` of `peer` under `epoch`.
    pub fn issue(&self, peer: &CountryCode, epoch: &str, seq: i64) -> String {
        let mac = hex::encode(self.mac(peer, epoch, seq));
        URL_SAFE_NO_PAD.encode(format!("1.{epoch}.{seq}.{mac}"))
    }

    /// The position a token names; 0 (start again) when it was issued under another epoch.
    /// No token (the first request) is position 0.
    pub fn read(
        &self,
        peer: &CountryCode,
        epoch: &str,
        token: Option<&str>,
    ) -> Result<i64, BadCursor> {
        let Some(token) = token.filter(|t| !t.is_empty()) else {
            return Ok(0);
        };
        let raw = URL_SAFE_NO_PAD.decode(token).map_err(|_| BadCursor)?;
        let text = String::from_utf8(raw).map_err(|_| BadCursor)?;
        let mut parts = text.split('.');
        let (Some("1"), Some(their_epoch), Some(seq), Some(mac), None) = (
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
            parts.next(),
        ) else {
            return Err(BadCursor);
        };
        let seq: i64 = seq.parse().map_err(|_| BadCursor)?;
        let mac = hex::decode(mac).map_err(|_| BadCursor)?;
        // Constant-time comparison through the MAC API.
        let Ok(mut m) = HmacSha256::new_from_slice(&self.0) else {
            return Err(BadCursor);
        };
        m.update(format!("{peer}|{their_epoch}|{seq}").as_bytes());
        if mac.len() != 16 || m.verify_truncated_left(&mac).is_err() || seq < 0 {
            return Err(BadCursor);
        }
        Ok(if their_epoch == epoch { seq } else { 0 })
    }
}

/// The policy epoch of a peer: a digest of the ids and versions of the agreements that apply to
/// it (including revoked ones, so a revocation changes it too).
pub fn epoch(agreements: &[&Agreement]) -> String {
    let mut list: Vec<String> = agreements
        .iter()
        .map(|a| format!("{}@{}:{}", a.id, a.version, a.revoked))
        .collect();
    list.sort();
    let digest = Sha256::digest(list.join(",").as_bytes());
    hex::encode(&digest[..8])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn code(s: &str) -> CountryCode {
        CountryCode::parse(s).unwrap()
    }

    #[test]
    fn tokens_round_trip_and_restart_on_a_new_epoch() {
        let k = CursorKey::derive(&NodeKey::from_secret([1; 32]));
        let t = k.issue(&code("NER"), "aaaa", 42);
        assert_eq!(k.read(&code("NER"), "aaaa", Some(&t)), Ok(42));
        assert_eq!(k.read(&code("NER"), "bbbb", Some(&t)), Ok(0));
        assert_eq!(k.read(&code("NER"), "aaaa", None), Ok(0));
    }

    #[test]
    fn tampered_foreign_and_garbage_tokens_are_refused() {
        let k = CursorKey::derive(&NodeKey::from_secret([1; 32]));
        let t = k.issue(&code("NER"), "aaaa", 42);
        // Another peer presenting NER's token.
        assert_eq!(k.read(&code("MLI"), "aaaa", Some(&t)), Err(BadCursor));
        // The position changed by hand.
        let text = String::from_utf8(URL_SAFE_NO_PAD.decode(&t).unwrap()).unwrap();
        let forged = URL_SAFE_NO_PAD.encode(text.replace(".42.", ".1."));
        assert_eq!(k.read(&code("NER"), "aaaa", Some(&forged)), Err(BadCursor));
        // Another node's token.
        let other = CursorKey::derive(&NodeKey::from_secret([2; 32]));
        let t2 = other.issue(&code("NER"), "aaaa", 42);
        assert_eq!(k.read(&code("NER"), "aaaa", Some(&t2)), Err(BadCursor));
        for junk in ["x", "!!!", "MS4yLjM", &URL_SAFE_NO_PAD.encode("1.a.-5.00")] {
            assert_eq!(
                k.read(&code("NER"), "aaaa", Some(junk)),
                Err(BadCursor),
                "{junk}"
            );
        }
    }
}
