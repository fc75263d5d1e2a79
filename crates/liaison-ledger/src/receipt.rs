//! A recipient's signed receipt for a page of objects it received: proof, held by the sender,
//! that the recipient logged each object (`index` is the ledger index of its `received` entry,
//! so the sender can later ask for an inclusion proof of exactly that entry).
//!
//! Signed bytes: `"liaison-receipt-v1\n"` followed by the canonical JSON of the receipt (the
//! same canonical form as entries: sorted keys, no whitespace). The prefix keeps a receipt
//! signature from ever being valid as a note, a checkpoint or an entry. The receipt's hash
//! ([`SignedReceipt::sha256_hex`], logged as `receipt_sha256`) is SHA-256 of the canonical JSON
//! of `{"receipt":…,"signature":…}`, so it does not depend on how the receipt travelled.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use serde::{Deserialize, Serialize};

use crate::canonical::{self, Json};
use crate::hash::{sha256, to_hex};
use crate::note::{NoteError, verify_ed25519};

/// Domain prefix of the signed bytes.
pub const RECEIPT_CONTEXT: &str = "liaison-receipt-v1\n";

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReceiptItem {
    pub originator: String,
    pub incident_id: String,
    pub version: i64,
    pub object_sha256: String,
    /// Ledger index of the recipient's `received` entry for this object.
    pub index: u64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    pub recipient: String,
    pub originator: String,
    pub items: Vec<ReceiptItem>,
    /// RFC 3339 UTC, given by the caller.
    pub issued_at: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedReceipt {
    pub receipt: Receipt,
    /// Base64 of the 64-byte Ed25519 signature over [`Receipt::signed_bytes`].
    pub signature: String,
}

impl ReceiptItem {
    fn json(&self) -> Json<'_> {
        Json::Obj(vec![
            ("originator", Json::Str(&self.originator)),
            ("incident_id", Json::Str(&self.incident_id)),
            ("version", Json::I64(self.version)),
            ("object_sha256", Json::Str(&self.object_sha256)),
            ("index", Json::U64(self.index)),
        ])
    }
}

impl Receipt {
    fn json(&self) -> Json<'_> {
        Json::Obj(vec![
            ("recipient", Json::Str(&self.recipient)),
            ("originator", Json::Str(&self.originator)),
            (
                "items",
                Json::Arr(self.items.iter().map(ReceiptItem::json).collect()),
            ),
            ("issued_at", Json::Str(&self.issued_at)),
        ])
    }

    /// `"liaison-receipt-v1\n"` + canonical JSON of the receipt.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let mut out = RECEIPT_CONTEXT.as_bytes().to_vec();
        canonical::write(&self.json(), &mut out);
        out
    }

    pub fn sign(&self, sign: &dyn Fn(&[u8]) -> [u8; 64]) -> SignedReceipt {
        SignedReceipt {
            receipt: self.clone(),
            signature: B64.encode(sign(&self.signed_bytes())),
        }
    }
}

impl SignedReceipt {
    /// Checks the signature against the recipient's public key.
    pub fn verify(&self, public_key: &[u8; 32]) -> Result<(), NoteError> {
        let sig = B64
            .decode(&self.signature)
            .map_err(|_| NoteError::BadBase64 {
                what: "receipt signature".into(),
            })?;
        verify_ed25519(
            public_key,
            &self.receipt.signed_bytes(),
            &sig,
            &format!("receipt from {}", self.receipt.recipient),
        )
    }

    /// The canonical JSON of the signed receipt: `{"receipt":{…},"signature":"…"}`.
    pub fn canonical_json(&self) -> Vec<u8> {
        canonical::to_vec(&Json::Obj(vec![
            ("receipt", self.receipt.json()),
            ("signature", Json::Str(&self.signature)),
        ]))
    }

    /// Lower-case hex SHA-256 of [`SignedReceipt::canonical_json`]: the `receipt_sha256` logged.
    pub fn sha256_hex(&self) -> String {
        to_hex(&sha256(&self.canonical_json()))
    }
}
