//! C2SP signed notes with Ed25519 (signature type 0x01) and C2SP tlog-checkpoint bodies: the
//! form in which a log publishes its tree head, so existing verifiers and witnesses read ours.
//!
//! Format (c2sp.org/signed-note): the text, ending in a newline; a blank line; one or more lines
//! `— <key name> base64(4-byte key id || signature)`. The text is separated from the signatures
//! by the *last* blank line. Key id = `SHA-256(name || 0x0A || 0x01 || public key)[..4]`.
//! Checkpoint body (c2sp.org/tlog-checkpoint): origin, decimal size without leading zeros,
//! base64 root hash, then optional non-empty extension lines, each ending in a newline.
//!
//! Limits: a note is at most [`MAX_NOTE_BYTES`] and carries at most [`MAX_NOTE_SIGNATURES`]
//! signature lines (the spec asks verifiers to accept at least 16).

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use ed25519_dalek::{Signature, VerifyingKey};

use crate::hash::{Hash, sha256, to_hex};

/// The largest note [`open_checkpoint`] and its siblings read.
pub const MAX_NOTE_BYTES: usize = 1 << 20;
/// The most signature lines a note may carry.
pub const MAX_NOTE_SIGNATURES: usize = 100;
/// Signature type byte of plain Ed25519 note signatures.
pub const SIG_TYPE_ED25519: u8 = 0x01;

const EM_DASH_SPACE: &str = "\u{2014} ";

/// Why a note, checkpoint, cosignature or receipt signature was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum NoteError {
    #[error("note is {len} bytes, the limit is {max}")]
    TooLong { len: usize, max: usize },
    #[error("note has {count} signature lines, the limit is {max}")]
    TooManySignatures { count: usize, max: usize },
    #[error("note contains control character 0x{byte:02x} at byte {offset}")]
    ControlCharacter { offset: usize, byte: u8 },
    #[error("note has no blank line separating its text from its signatures")]
    NoBlankLine,
    #[error("note has no signature lines after its blank line")]
    NoSignatures,
    #[error("note does not end with a newline after its last signature line")]
    UnterminatedSignatures,
    #[error("signature line {line}: {reason}")]
    BadSignatureLine { line: usize, reason: String },
    #[error("key name {name:?} is not valid (empty, or contains a space or '+')")]
    BadKeyName { name: String },
    #[error("{what} is not valid base64")]
    BadBase64 { what: String },
    #[error("no signature by {name} with key id {key_id}")]
    UnknownSigner { name: String, key_id: String },
    #[error("signature by {name} does not verify: {reason}")]
    BadSignature { name: String, reason: String },
    #[error("public key is not a valid Ed25519 point")]
    BadPublicKey,
    #[error("checkpoint body is malformed: {0}")]
    BodyMalformed(String),
    #[error("verifier key is malformed: {0}")]
    BadVerifierKey(String),
    #[error("cosignature time {time} exceeds 2^63 - 1")]
    CosignatureTimeTooLarge { time: u64 },
}

/// A transparency log checkpoint (c2sp.org/tlog-checkpoint): the note body of a tree head.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's identity; it should also be its key name. Must be non-empty with no newline.
    pub origin: String,
    pub size: u64,
    pub root: Hash,
    /// Opaque, non-empty extra lines (not auditable by monitors; best left empty).
    pub extensions: Vec<String>,
}

impl Checkpoint {
    /// `"origin\nsize\nbase64(root)\n"` followed by the extension lines, each ending `"\n"`.
    /// An origin or extension holding a newline yields a body [`Checkpoint::parse_body`] refuses.
    pub fn body(&self) -> String {
        let mut s = format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            B64.encode(self.root)
        );
        for e in &self.extensions {
            s.push_str(e);
            s.push('\n');
        }
        s
    }

    /// Parses a checkpoint body, refusing anything the spec does not allow.
    pub fn parse_body(text: &str) -> Result<Self, NoteError> {
        let bad = |m: String| Err(NoteError::BodyMalformed(m));
        let Some(inner) = text.strip_suffix('\n') else {
            return bad("the body does not end with a newline".into());
        };
        if let Some((i, c)) = inner.char_indices().find(|(_, c)| *c < ' ' && *c != '\n') {
            return bad(format!(
                "control character 0x{:02x} at byte {i}",
                u32::from(c)
            ));
        }
        let lines: Vec<&str> = inner.split('\n').collect();
        let [origin, size, root, extensions @ ..] = lines.as_slice() else {
            return bad(format!(
                "{} line(s), a checkpoint needs origin, size and root hash",
                lines.len()
            ));
        };
        if origin.is_empty() {
            return bad("the origin line is empty".into());
        }
        let size = parse_size(size).map_err(NoteError::BodyMalformed)?;
        let root_bytes = B64
            .decode(root)
            .map_err(|_| NoteError::BodyMalformed(format!("root hash {root:?} is not base64")))?;
        let root: Hash = root_bytes.as_slice().try_into().map_err(|_| {
            NoteError::BodyMalformed(format!(
                "root hash is {} bytes, a SHA-256 hash is 32",
                root_bytes.len()
            ))
        })?;
        if let Some(n) = extensions.iter().position(|e| e.is_empty()) {
            return bad(format!("extension line {} is empty", n + 4));
        }
        Ok(Checkpoint {
            origin: (*origin).to_string(),
            size,
            root,
            extensions: extensions.iter().map(|e| (*e).to_string()).collect(),
        })
    }
}

/// ASCII decimal, no sign, no leading zero (except `0` itself), fits in 64 bits.
fn parse_size(s: &str) -> Result<u64, String> {
    if s.is_empty() {
        return Err("the size line is empty".into());
    }
    if !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("size {s:?} is not a plain decimal number"));
    }
    if s.len() > 1 && s.starts_with('0') {
        return Err(format!("size {s:?} has a leading zero"));
    }
    s.parse::<u64>()
        .map_err(|_| format!("size {s:?} does not fit in 64 bits"))
}

/// Key names are non-empty with no Unicode space and no `+` (c2sp.org/signed-note).
pub fn is_valid_key_name(name: &str) -> bool {
    !name.is_empty() && !name.chars().any(char::is_whitespace) && !name.contains('+')
}

/// Key id of `name` with the given signature type and public key:
/// `SHA-256(name || 0x0A || type || key)[..4]`.
pub(crate) fn typed_key_id(name: &str, sig_type: u8, public_key: &[u8; 32]) -> [u8; 4] {
    let mut buf = Vec::with_capacity(name.len() + 34);
    buf.extend_from_slice(name.as_bytes());
    buf.push(b'\n');
    buf.push(sig_type);
    buf.extend_from_slice(public_key);
    let h = sha256(&buf);
    [h[0], h[1], h[2], h[3]]
}

/// `SHA-256(name || 0x0A || 0x01 || key)[..4]`: the key id of an Ed25519 note signer.
pub fn key_id(name: &str, public_key: &[u8; 32]) -> [u8; 4] {
    typed_key_id(name, SIG_TYPE_ED25519, public_key)
}

/// The verifier key ("vkey") of an Ed25519 note signer: `name+hex8(keyid)+base64(0x01||key)`.
pub fn verifier_key(name: &str, public_key: &[u8; 32]) -> String {
    let mut material = Vec::with_capacity(33);
    material.push(SIG_TYPE_ED25519);
    material.extend_from_slice(public_key);
    format!(
        "{name}+{}+{}",
        to_hex(&key_id(name, public_key)),
        B64.encode(material)
    )
}

/// Reads a verifier key made by [`verifier_key`] (or any C2SP tool) back into its name and
/// Ed25519 public key, checking the type byte and the key id.
pub fn parse_verifier_key(vkey: &str) -> Result<(String, [u8; 32]), NoteError> {
    let bad = |m: &str| NoteError::BadVerifierKey(m.to_string());
    let mut parts = vkey.splitn(3, '+');
    let (Some(name), Some(id), Some(material)) = (parts.next(), parts.next(), parts.next()) else {
        return Err(bad("expected name+keyid+key"));
    };
    if !is_valid_key_name(name) {
        return Err(NoteError::BadKeyName { name: name.into() });
    }
    let material = B64
        .decode(material)
        .map_err(|_| bad("key material is not base64"))?;
    let Some((&SIG_TYPE_ED25519, key)) = material.split_first() else {
        return Err(bad("not an Ed25519 (type 0x01) key"));
    };
    let key: [u8; 32] = key
        .try_into()
        .map_err(|_| bad("an Ed25519 key is 32 bytes"))?;
    if id != to_hex(&key_id(name, &key)) {
        return Err(bad("key id does not match the name and key"));
    }
    Ok((name.to_string(), key))
}

/// One signature line of a note, parsed but not verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSignature {
    pub name: String,
    pub key_id: [u8; 4],
    /// The signature bytes after the key id.
    pub signature: Vec<u8>,
}

/// `— name base64(key_id || signature)\n`.
pub(crate) fn signature_line(name: &str, key_id: [u8; 4], signature: &[u8]) -> String {
    let mut payload = Vec::with_capacity(4 + signature.len());
    payload.extend_from_slice(&key_id);
    payload.extend_from_slice(signature);
    format!("{EM_DASH_SPACE}{name} {}\n", B64.encode(payload))
}

/// Parses one signature line (without its newline); `line` numbers it in error messages.
pub(crate) fn parse_signature_line(text: &str, line: usize) -> Result<NoteSignature, NoteError> {
    let bad = |reason: &str| NoteError::BadSignatureLine {
        line,
        reason: reason.to_string(),
    };
    let rest = text
        .strip_prefix(EM_DASH_SPACE)
        .ok_or_else(|| bad("does not start with an em dash and a space"))?;
    let (name, b64) = rest
        .split_once(' ')
        .ok_or_else(|| bad("has no space between key name and signature"))?;
    if !is_valid_key_name(name) {
        return Err(NoteError::BadKeyName { name: name.into() });
    }
    let raw = B64.decode(b64).map_err(|_| NoteError::BadBase64 {
        what: format!("signature on line {line}"),
    })?;
    let Some((id, sig)) = raw.split_first_chunk::<4>() else {
        return Err(bad("signature is shorter than its 4-byte key id"));
    };
    if sig.is_empty() {
        return Err(bad("signature is empty"));
    }
    Ok(NoteSignature {
        name: name.to_string(),
        key_id: *id,
        signature: sig.to_vec(),
    })
}

/// A note split into its text and its parsed signature lines.
struct ParsedNote<'a> {
    text: &'a str,
    signatures: Vec<NoteSignature>,
}

fn parse_note(note: &str) -> Result<ParsedNote<'_>, NoteError> {
    if note.len() > MAX_NOTE_BYTES {
        return Err(NoteError::TooLong {
            len: note.len(),
            max: MAX_NOTE_BYTES,
        });
    }
    if let Some((offset, &byte)) = note
        .as_bytes()
        .iter()
        .enumerate()
        .find(|(_, b)| **b < 0x20 && **b != b'\n')
    {
        return Err(NoteError::ControlCharacter { offset, byte });
    }
    let split = note.rfind("\n\n").ok_or(NoteError::NoBlankLine)?;
    let text = &note[..split + 1];
    let block = &note[split + 2..];
    if block.is_empty() {
        return Err(NoteError::NoSignatures);
    }
    let block = block
        .strip_suffix('\n')
        .ok_or(NoteError::UnterminatedSignatures)?;
    let count = block.split('\n').count();
    if count > MAX_NOTE_SIGNATURES {
        return Err(NoteError::TooManySignatures {
            count,
            max: MAX_NOTE_SIGNATURES,
        });
    }
    // Line numbers in errors count from the note's first line; the blank line sits between.
    let first_line = text.matches('\n').count() + 2;
    let signatures = block
        .split('\n')
        .enumerate()
        .map(|(i, l)| parse_signature_line(l, first_line + i))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(ParsedNote { text, signatures })
}

/// Verifies an Ed25519 signature with `verify_strict` (no malleable or small-order forms).
pub(crate) fn verify_ed25519(
    public_key: &[u8; 32],
    message: &[u8],
    signature: &[u8],
    name: &str,
) -> Result<(), NoteError> {
    let key = VerifyingKey::from_bytes(public_key).map_err(|_| NoteError::BadPublicKey)?;
    let sig: [u8; 64] = signature.try_into().map_err(|_| NoteError::BadSignature {
        name: name.to_string(),
        reason: format!("an Ed25519 signature is 64 bytes, got {}", signature.len()),
    })?;
    key.verify_strict(message, &Signature::from_bytes(&sig))
        .map_err(|_| NoteError::BadSignature {
            name: name.to_string(),
            reason: "Ed25519 verification failed".into(),
        })
}

/// Signs any note text (it must end in a newline) as `name`: text, blank line, signature line.
pub fn sign_note(
    text: &str,
    name: &str,
    public_key: &[u8; 32],
    sign: &dyn Fn(&[u8]) -> [u8; 64],
) -> String {
    let sig = sign(text.as_bytes());
    let mut note = String::with_capacity(text.len() + 128);
    note.push_str(text);
    note.push('\n');
    note.push_str(&signature_line(name, key_id(name, public_key), &sig));
    note
}

/// Full signed note: body, blank line, `— name base64(keyid||sig)\n`. `sign` signs the body bytes.
pub fn sign_checkpoint(
    cp: &Checkpoint,
    name: &str,
    public_key: &[u8; 32],
    sign: &dyn Fn(&[u8]) -> [u8; 64],
) -> String {
    sign_note(&cp.body(), name, public_key, sign)
}

/// Parses a signed note and verifies the signature of (`name`, key id of `public_key`),
/// returning the note text. Other signers' lines are ignored, as the spec requires; every line
/// by this key must verify.
pub fn open_note<'a>(
    note: &'a str,
    name: &str,
    public_key: &[u8; 32],
) -> Result<&'a str, NoteError> {
    let parsed = parse_note(note)?;
    let id = key_id(name, public_key);
    let mut found = false;
    for sig in parsed
        .signatures
        .iter()
        .filter(|s| s.name == name && s.key_id == id)
    {
        verify_ed25519(public_key, parsed.text.as_bytes(), &sig.signature, name)?;
        found = true;
    }
    if !found {
        return Err(NoteError::UnknownSigner {
            name: name.to_string(),
            key_id: to_hex(&id),
        });
    }
    Ok(parsed.text)
}

/// Parses a signed note, finds the signature line for (name, key id) and verifies it with
/// `public_key`; ignores other signers' lines (they may be cosignatures). The body must then
/// be a well-formed checkpoint.
pub fn open_checkpoint(
    note: &str,
    name: &str,
    public_key: &[u8; 32],
) -> Result<Checkpoint, NoteError> {
    Checkpoint::parse_body(open_note(note, name, public_key)?)
}

/// Every signature line of a note, parsed but not verified.
pub fn note_signature_lines(note: &str) -> Result<Vec<NoteSignature>, NoteError> {
    Ok(parse_note(note)?.signatures)
}

/// The note text (everything before the last blank line), without checking any signature.
pub fn note_text(note: &str) -> Result<&str, NoteError> {
    Ok(parse_note(note)?.text)
}

/// Appends extra `— …` lines (cosignatures) to a note. Each line must be one well-formed
/// signature line (its final newline optional); a line already in the note is not repeated.
pub fn add_signature_lines(note: &str, lines: &[String]) -> Result<String, NoteError> {
    let parsed = parse_note(note)?;
    let mut out = note.to_string();
    let mut count = parsed.signatures.len();
    let existing_from = parsed.text.len() + 1;
    for (i, line) in lines.iter().enumerate() {
        let bare = line.strip_suffix('\n').unwrap_or(line);
        if bare.bytes().any(|b| b < 0x20) {
            return Err(NoteError::BadSignatureLine {
                line: i + 1,
                reason: "an added signature line holds a newline or control character".into(),
            });
        }
        parse_signature_line(bare, i + 1)?;
        let full = format!("{bare}\n");
        if out[existing_from..]
            .split_inclusive('\n')
            .any(|l| l == full)
        {
            continue;
        }
        count += 1;
        if count > MAX_NOTE_SIGNATURES {
            return Err(NoteError::TooManySignatures {
                count,
                max: MAX_NOTE_SIGNATURES,
            });
        }
        out.push_str(&full);
    }
    if out.len() > MAX_NOTE_BYTES {
        return Err(NoteError::TooLong {
            len: out.len(),
            max: MAX_NOTE_BYTES,
        });
    }
    Ok(out)
}
