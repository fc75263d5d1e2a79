//! C2SP tlog-cosignature v1 with Ed25519: a witness's timestamped statement that a checkpoint is
//! the largest consistent tree head it has seen for that log. This is how members audit each
//! other: each cosigns the peers' checkpoints it has checked for consistency.
//!
//! From c2sp.org/tlog-cosignature: key id = `SHA-256(name || "\n" || 0x04 || key)[..4]`; the
//! signed message is `"cosignature/v1\n"`, `"time <T>\n"` (T in POSIX seconds, decimal, no
//! leading zeros) and the whole checkpoint body; the note signature is the
//! `timestamped_signature` structure, 8-byte big-endian T followed by the 64-byte signature,
//! so a line reads `— <name> base64(key id || T || signature)`. T must not exceed 2^63 - 1.
//! The message does not commit to the witness's name, so one key must serve one witness name.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;

use crate::hash::to_hex;
use crate::note::{
    Checkpoint, NoteError, parse_signature_line, signature_line, typed_key_id, verify_ed25519,
};

/// Signature type byte of timestamped Ed25519 cosignatures.
pub const SIG_TYPE_COSIGNATURE_V1: u8 = 0x04;

/// The largest timestamp a cosignature may carry.
pub const MAX_COSIGNATURE_TIME: u64 = (1 << 63) - 1;

/// `SHA-256(name || 0x0A || 0x04 || key)[..4]`: the key id of a cosigner.
pub fn cosignature_key_id(name: &str, public_key: &[u8; 32]) -> [u8; 4] {
    typed_key_id(name, SIG_TYPE_COSIGNATURE_V1, public_key)
}

/// The bytes a witness signs for `cp` at `time`.
pub fn cosignature_message(cp: &Checkpoint, time: u64) -> Vec<u8> {
    format!("cosignature/v1\ntime {time}\n{}", cp.body()).into_bytes()
}

/// Cosigns `cp` at `time` (POSIX seconds, from the caller); returns the note signature line
/// `— name base64(...)\n`, ready for [`crate::note::add_signature_lines`]. A time above
/// [`MAX_COSIGNATURE_TIME`] yields a line that [`verify_cosignature`] refuses.
pub fn cosign(
    cp: &Checkpoint,
    witness_name: &str,
    public_key: &[u8; 32],
    time: u64,
    sign: &dyn Fn(&[u8]) -> [u8; 64],
) -> String {
    let sig = sign(&cosignature_message(cp, time));
    let mut payload = Vec::with_capacity(72);
    payload.extend_from_slice(&time.to_be_bytes());
    payload.extend_from_slice(&sig);
    signature_line(
        witness_name,
        cosignature_key_id(witness_name, public_key),
        &payload,
    )
}

/// Checks one cosignature line (final newline optional) by `witness_name` over `cp`; returns
/// the time the witness signed at.
pub fn verify_cosignature(
    cp: &Checkpoint,
    line: &str,
    witness_name: &str,
    public_key: &[u8; 32],
) -> Result<u64, NoteError> {
    let bare = line.strip_suffix('\n').unwrap_or(line);
    let sig = parse_signature_line(bare, 1)?;
    let id = cosignature_key_id(witness_name, public_key);
    if sig.name != witness_name || sig.key_id != id {
        return Err(NoteError::UnknownSigner {
            name: witness_name.to_string(),
            key_id: to_hex(&id),
        });
    }
    let Some((time, signature)) = sig.signature.split_first_chunk::<8>() else {
        return Err(bad_length(witness_name, sig.signature.len()));
    };
    if signature.len() != 64 {
        return Err(bad_length(witness_name, sig.signature.len()));
    }
    let time = u64::from_be_bytes(*time);
    if time > MAX_COSIGNATURE_TIME {
        return Err(NoteError::CosignatureTimeTooLarge { time });
    }
    verify_ed25519(
        public_key,
        &cosignature_message(cp, time),
        signature,
        witness_name,
    )?;
    Ok(time)
}

fn bad_length(name: &str, got: usize) -> NoteError {
    NoteError::BadSignature {
        name: name.to_string(),
        reason: format!("a cosignature is 8 + 64 bytes after the key id, got {got}"),
    }
}

/// The verifier key of a cosigner: `name+hex8(keyid)+base64(0x04||key)`.
pub fn cosigner_verifier_key(name: &str, public_key: &[u8; 32]) -> String {
    let mut material = Vec::with_capacity(33);
    material.push(SIG_TYPE_COSIGNATURE_V1);
    material.extend_from_slice(public_key);
    format!(
        "{name}+{}+{}",
        to_hex(&cosignature_key_id(name, public_key)),
        B64.encode(material)
    )
}
