//! The ledger's endpoints as they travel between nodes: paths, the names of logs and witnesses,
//! and the JSON shapes of proofs, entry pages, cosignatures and receipts. The server answers with
//! these types and the witness reads them, so the two cannot drift apart.
//!
//! Checkpoints travel as C2SP signed notes (`text/plain`), hashes as standard base64 as in the
//! notes themselves.

use base64::Engine as _;
use liaison_core::CountryCode;
use liaison_ledger::Hash;
use serde::{Deserialize, Serialize};

/// `GET`: the latest checkpoint, a C2SP signed note followed by the witnesses' cosignatures.
pub const CHECKPOINT_PATH: &str = "/ledger/checkpoint";
/// `GET ?index=&size=`: an inclusion proof.
pub const INCLUSION_PATH: &str = "/ledger/proof/inclusion";
/// `GET ?from=&to=`: a consistency proof.
pub const CONSISTENCY_PATH: &str = "/ledger/proof/consistency";
/// `GET ?start=&end=[&only=mine]`: entries, in full where they concern the reader.
pub const ENTRIES_PATH: &str = "/ledger/entries";
/// `POST`: a witness returns its cosignature of one of our checkpoints.
pub const COSIGNATURES_PATH: &str = "/ledger/cosignatures";
/// `POST`: a recipient returns signed receipts for what it received from us.
pub const RECEIPTS_PATH: &str = "/ledger/receipts";
/// Most receipts one POST may carry.
pub const MAX_RECEIPTS_PER_POST: usize = 1_000;
/// The media type of a checkpoint.
pub const NOTE_MEDIA: &str = "text/plain; charset=utf-8";

/// The origin line (and key name) of a member's log.
pub fn log_origin(member: &CountryCode) -> String {
    format!("liaison/{member}")
}

/// The name a member cosigns under, as a witness.
pub fn witness_name(member: &CountryCode) -> String {
    format!("liaison/{member}/witness")
}

pub fn b64(h: &Hash) -> String {
    base64::engine::general_purpose::STANDARD.encode(h)
}

/// Decodes a base64 hash; the error names what was wrong.
pub fn unb64(s: &str) -> Result<Hash, String> {
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(s)
        .map_err(|e| format!("hash {s:?}: {e}"))?;
    bytes
        .try_into()
        .map_err(|_| format!("hash {s:?}: not 32 bytes"))
}

/// An inclusion proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InclusionProof {
    pub index: u64,
    pub size: u64,
    /// Base64 hashes, leaf side first (RFC 9162 order).
    pub proof: Vec<String>,
}

/// A consistency proof.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsistencyProof {
    pub from: u64,
    pub to: u64,
    pub proof: Vec<String>,
}

/// One entry as a reader sees it: in full (`entry`, its canonical encoding) when it concerns
/// the reader, otherwise only its leaf hash (`hash`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryView {
    pub index: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

/// A page of entries `[start, end)`; `next` is where the following page starts, if the range
/// was cut.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntriesPage {
    pub start: u64,
    pub end: u64,
    pub entries: Vec<EntryView>,
    #[serde(default)]
    pub next: Option<u64>,
}

/// A witness's cosignature of the checkpoint of `size`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CosignatureUpload {
    pub size: u64,
    /// The C2SP note signature line, `— name base64…`.
    pub line: String,
}
