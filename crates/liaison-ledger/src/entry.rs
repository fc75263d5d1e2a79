//! Typed log entries and their canonical encoding: the bytes whose [`leaf_hash`] goes into the
//! tree, so the encoding is part of the log's format and never changes for version 1.
//!
//! # Encoding (version 1)
//!
//! One JSON object holding `"v":1`, `"at"` (the caller's RFC 3339 UTC time), `"type"` (the event
//! kind, snake case) and the event's fields, with:
//! - members sorted by the UTF-8 bytes of their keys, no whitespace anywhere;
//! - integers as JSON integers, absent options as `null` (the key is always present), lists as
//!   arrays in the order given;
//! - strings escaped as described in the `canonical` module (RFC 8785's string form).
//!
//! [`Entry::decode`] accepts exactly these bytes: it re-encodes what it parsed and refuses any
//! difference (whitespace, key order, escapes, unknown or missing fields), naming the problem,
//! so one entry has one encoding and one leaf hash.
//!
//! Human-readable renderings ([`Entry::summary`], [`Entry::concerns`]) live in `entry_text`.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::canonical::{self, Json};
use crate::hash::{Hash, leaf_hash};

/// Version written as `"v"` in every entry.
pub const ENTRY_VERSION: u64 = 1;

/// The largest encoded entry [`Entry::decode`] reads.
pub const MAX_ENTRY_BYTES: usize = 1 << 20;

/// One log entry: when (given by the caller) and what.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    /// RFC 3339 UTC time, given by the caller (the ledger reads no clock).
    pub at: String,
    #[serde(flatten)]
    pub event: Event,
}

/// What happened. ISO3 member codes are plain strings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Event {
    /// An incident version was stored here; `by` is a user name or `import:<sha256 of file>`.
    IncidentRecorded {
        incident_id: String,
        originator: String,
        version: i64,
        content_sha256: String,
        by: String,
    },
    /// Something was sent to a peer; `kind` is `release`, `recall` or `relay`.
    Disclosed {
        recipient: String,
        incident_id: String,
        originator: String,
        version: i64,
        kind: String,
        agreement: Option<String>,
        agreement_version: Option<i64>,
        applied: Vec<String>,
        object_sha256: String,
    },
    Received {
        from_peer: String,
        originator: String,
        incident_id: String,
        version: i64,
        object_sha256: String,
    },
    ReceiptIssued {
        to: String,
        receipt_sha256: String,
        first_index: u64,
        count: u64,
    },
    ReceiptReceived {
        from: String,
        receipt_sha256: String,
        count: u64,
    },
    RecallIssued {
        incident_id: String,
        version: i64,
        by: String,
    },
    AttestationReceived {
        from: String,
        incident_id: String,
        version: i64,
        attestation_sha256: String,
    },
    /// `change` is `created`, `changed` or `revoked`.
    AgreementChanged {
        change: String,
        agreement: String,
        version: i64,
        doc_sha256: String,
        recipients: Vec<String>,
        by: String,
    },
    /// Batched reads by one user.
    Reads {
        user: String,
        incident_ids: Vec<String>,
    },
    /// `change` is `added` or `removed`.
    PeerChanged {
        change: String,
        member: String,
        fingerprint: String,
        by: String,
    },
    KeyRotated {
        old_fingerprint: String,
        new_fingerprint: String,
    },
    /// We witnessed a peer's checkpoint; `root` is base64.
    Cosigned {
        peer: String,
        size: u64,
        root: String,
    },
    /// `kind` is `fork`, `rollback`, `bad_proof`, `bad_signature` or `altered_entry`.
    Alarm {
        peer: String,
        kind: String,
        detail: String,
    },
    /// A member recorded its reading (`category`, snake case) of an incident as its `version`th.
    Characterised {
        incident_id: String,
        member: String,
        version: i64,
        category: String,
        by: String,
    },
    /// Claims (`<incident id>@<version>`) of several members were fused into one incident, and
    /// its first agreed version (`agreed_sha256` of its canonical bytes) proposed.
    Fused {
        fusion_id: String,
        claims: Vec<String>,
        members: Vec<String>,
        agreed_sha256: String,
        by: String,
    },
    /// A member signed the `version`th agreed version of a fused incident.
    FusionSigned {
        fusion_id: String,
        version: i64,
        member: String,
        agreed_sha256: String,
        by: String,
    },
    /// An integrated regional zone was recorded on this node: its `version`th shape, whose
    /// GeoJSON Feature has the SHA-256 `feature_sha256` (agreements scoped to it change with it).
    ZoneRecorded {
        zone_id: String,
        version: i64,
        feature_sha256: String,
        by: String,
    },
    /// `claims` left a fused incident, which is now split; `parts` are the fused incidents made
    /// of what remained together (none when no two claims did).
    FusionSplit {
        fusion_id: String,
        claims: Vec<String>,
        parts: Vec<String>,
        members: Vec<String>,
        by: String,
    },
    /// A joint-command operation's `version`th declaration was recorded (its document, objective
    /// included, has the SHA-256 `doc_sha256`; only the hash is logged, never the objective).
    /// `member` declared it; `status` is the version's (`planned`, `active`, …).
    OperationRecorded {
        operation_id: String,
        member: String,
        version: i64,
        status: String,
        doc_sha256: String,
        by: String,
    },
    /// A force record (append-only, one version) was added: `member`'s figures as of `as_of`.
    ForceRecorded {
        force_id: String,
        member: String,
        as_of: String,
        doc_sha256: String,
        by: String,
    },
    /// A patrol sector's `version`th shape and contacts were recorded on this node; its
    /// document (contacts' phone numbers included) has the SHA-256 `doc_sha256`.
    SectorRecorded {
        sector_id: String,
        version: i64,
        doc_sha256: String,
        by: String,
    },
    /// Alert `alert_id` (on incident `incident_id`) reached `state`: `raised` (by a watch rule of
    /// `member`'s, or by `member`'s flash item), `acknowledged`, `action_taken` or `closed`, by
    /// `by` (a user, or `watch:<rule>` / `flash:<member>` for a raising). Notes stay in the
    /// alert's row; the log keeps who moved it when.
    AlertStep {
        alert_id: i64,
        incident_id: String,
        member: String,
        state: String,
        by: String,
    },
}

/// Every event kind with its fields (besides `v`, `at` and `type`), as encoded.
const KINDS: &[(&str, &[&str])] = &[
    (
        "incident_recorded",
        &[
            "incident_id",
            "originator",
            "version",
            "content_sha256",
            "by",
        ],
    ),
    (
        "disclosed",
        &[
            "recipient",
            "incident_id",
            "originator",
            "version",
            "kind",
            "agreement",
            "agreement_version",
            "applied",
            "object_sha256",
        ],
    ),
    (
        "received",
        &[
            "from_peer",
            "originator",
            "incident_id",
            "version",
            "object_sha256",
        ],
    ),
    (
        "receipt_issued",
        &["to", "receipt_sha256", "first_index", "count"],
    ),
    ("receipt_received", &["from", "receipt_sha256", "count"]),
    ("recall_issued", &["incident_id", "version", "by"]),
    (
        "attestation_received",
        &["from", "incident_id", "version", "attestation_sha256"],
    ),
    (
        "agreement_changed",
        &[
            "change",
            "agreement",
            "version",
            "doc_sha256",
            "recipients",
            "by",
        ],
    ),
    ("reads", &["user", "incident_ids"]),
    ("peer_changed", &["change", "member", "fingerprint", "by"]),
    ("key_rotated", &["old_fingerprint", "new_fingerprint"]),
    ("cosigned", &["peer", "size", "root"]),
    ("alarm", &["peer", "kind", "detail"]),
    (
        "characterised",
        &["incident_id", "member", "version", "category", "by"],
    ),
    (
        "fused",
        &["fusion_id", "claims", "members", "agreed_sha256", "by"],
    ),
    (
        "fusion_signed",
        &["fusion_id", "version", "member", "agreed_sha256", "by"],
    ),
    (
        "fusion_split",
        &["fusion_id", "claims", "parts", "members", "by"],
    ),
    (
        "zone_recorded",
        &["zone_id", "version", "feature_sha256", "by"],
    ),
    (
        "operation_recorded",
        &[
            "operation_id",
            "member",
            "version",
            "status",
            "doc_sha256",
            "by",
        ],
    ),
    (
        "force_recorded",
        &["force_id", "member", "as_of", "doc_sha256", "by"],
    ),
    (
        "sector_recorded",
        &["sector_id", "version", "doc_sha256", "by"],
    ),
    (
        "alert_step",
        &["alert_id", "incident_id", "member", "state", "by"],
    ),
];

/// The name of every entry kind of this version, in the order they were introduced (for
/// readers that word each kind, so a new kind cannot go unworded unnoticed).
pub fn kind_names() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|(name, _)| *name)
}

/// The event kinds, as their `type` tags.
pub fn event_kinds() -> impl Iterator<Item = &'static str> {
    KINDS.iter().map(|(k, _)| *k)
}

/// Why bytes are not an entry. Messages name the field or byte.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EntryError {
    #[error("entry is {len} bytes, the limit is {max}")]
    TooLarge { len: usize, max: usize },
    #[error("entry is not JSON: {0}")]
    Json(String),
    #[error("entry is not a JSON object")]
    NotAnObject,
    #[error("entry version {0} is not supported (only 1)")]
    UnsupportedVersion(String),
    #[error("unknown entry type {0}")]
    UnknownType(String),
    #[error("missing field `{0}`")]
    MissingField(String),
    #[error("unknown field `{0}`")]
    UnknownField(String),
    #[error("bad field value: {0}")]
    Invalid(String),
    #[error("entry is not in canonical form at byte {offset}: {detail}")]
    NotCanonical { offset: usize, detail: String },
}

impl Event {
    /// The type tag, as encoded in `"type"`.
    pub fn kind(&self) -> &'static str {
        match self {
            Event::IncidentRecorded { .. } => "incident_recorded",
            Event::Disclosed { .. } => "disclosed",
            Event::Received { .. } => "received",
            Event::ReceiptIssued { .. } => "receipt_issued",
            Event::ReceiptReceived { .. } => "receipt_received",
            Event::RecallIssued { .. } => "recall_issued",
            Event::AttestationReceived { .. } => "attestation_received",
            Event::AgreementChanged { .. } => "agreement_changed",
            Event::Reads { .. } => "reads",
            Event::PeerChanged { .. } => "peer_changed",
            Event::KeyRotated { .. } => "key_rotated",
            Event::Cosigned { .. } => "cosigned",
            Event::Alarm { .. } => "alarm",
            Event::Characterised { .. } => "characterised",
            Event::Fused { .. } => "fused",
            Event::FusionSigned { .. } => "fusion_signed",
            Event::FusionSplit { .. } => "fusion_split",
            Event::ZoneRecorded { .. } => "zone_recorded",
            Event::OperationRecorded { .. } => "operation_recorded",
            Event::ForceRecorded { .. } => "force_recorded",
            Event::SectorRecorded { .. } => "sector_recorded",
            Event::AlertStep { .. } => "alert_step",
        }
    }

    /// The event's fields as canonical JSON members (names as in [`KINDS`]).
    fn fields(&self) -> Vec<(&'static str, Json<'_>)> {
        use Json::{I64, Str, U64};
        match self {
            Event::IncidentRecorded {
                incident_id,
                originator,
                version,
                content_sha256,
                by,
            } => vec![
                ("incident_id", Str(incident_id)),
                ("originator", Str(originator)),
                ("version", I64(*version)),
                ("content_sha256", Str(content_sha256)),
                ("by", Str(by)),
            ],
            Event::Disclosed {
                recipient,
                incident_id,
                originator,
                version,
                kind,
                agreement,
                agreement_version,
                applied,
                object_sha256,
            } => vec![
                ("recipient", Str(recipient)),
                ("incident_id", Str(incident_id)),
                ("originator", Str(originator)),
                ("version", I64(*version)),
                ("kind", Str(kind)),
                ("agreement", Json::opt_str(agreement)),
                ("agreement_version", Json::opt_i64(*agreement_version)),
                ("applied", Json::strs(applied)),
                ("object_sha256", Str(object_sha256)),
            ],
            Event::Received {
                from_peer,
                originator,
                incident_id,
                version,
                object_sha256,
            } => vec![
                ("from_peer", Str(from_peer)),
                ("originator", Str(originator)),
                ("incident_id", Str(incident_id)),
                ("version", I64(*version)),
                ("object_sha256", Str(object_sha256)),
            ],
            Event::ReceiptIssued {
                to,
                receipt_sha256,
                first_index,
                count,
            } => vec![
                ("to", Str(to)),
                ("receipt_sha256", Str(receipt_sha256)),
                ("first_index", U64(*first_index)),
                ("count", U64(*count)),
            ],
            Event::ReceiptReceived {
                from,
                receipt_sha256,
                count,
            } => vec![
                ("from", Str(from)),
                ("receipt_sha256", Str(receipt_sha256)),
                ("count", U64(*count)),
            ],
            Event::RecallIssued {
                incident_id,
                version,
                by,
            } => vec![
                ("incident_id", Str(incident_id)),
                ("version", I64(*version)),
                ("by", Str(by)),
            ],
            Event::AttestationReceived {
                from,
                incident_id,
                version,
                attestation_sha256,
            } => vec![
                ("from", Str(from)),
                ("incident_id", Str(incident_id)),
                ("version", I64(*version)),
                ("attestation_sha256", Str(attestation_sha256)),
            ],
            Event::AgreementChanged {
                change,
                agreement,
                version,
                doc_sha256,
                recipients,
                by,
            } => vec![
                ("change", Str(change)),
                ("agreement", Str(agreement)),
                ("version", I64(*version)),
                ("doc_sha256", Str(doc_sha256)),
                ("recipients", Json::strs(recipients)),
                ("by", Str(by)),
            ],
            Event::Reads { user, incident_ids } => vec![
                ("user", Str(user)),
                ("incident_ids", Json::strs(incident_ids)),
            ],
            Event::PeerChanged {
                change,
                member,
                fingerprint,
                by,
            } => vec![
                ("change", Str(change)),
                ("member", Str(member)),
                ("fingerprint", Str(fingerprint)),
                ("by", Str(by)),
            ],
            Event::KeyRotated {
                old_fingerprint,
                new_fingerprint,
            } => vec![
                ("old_fingerprint", Str(old_fingerprint)),
                ("new_fingerprint", Str(new_fingerprint)),
            ],
            Event::Cosigned { peer, size, root } => vec![
                ("peer", Str(peer)),
                ("size", U64(*size)),
                ("root", Str(root)),
            ],
            Event::Alarm { peer, kind, detail } => vec![
                ("peer", Str(peer)),
                ("kind", Str(kind)),
                ("detail", Str(detail)),
            ],
            Event::Characterised {
                incident_id,
                member,
                version,
                category,
                by,
            } => vec![
                ("incident_id", Str(incident_id)),
                ("member", Str(member)),
                ("version", I64(*version)),
                ("category", Str(category)),
                ("by", Str(by)),
            ],
            Event::Fused {
                fusion_id,
                claims,
                members,
                agreed_sha256,
                by,
            } => vec![
                ("fusion_id", Str(fusion_id)),
                ("claims", Json::strs(claims)),
                ("members", Json::strs(members)),
                ("agreed_sha256", Str(agreed_sha256)),
                ("by", Str(by)),
            ],
            Event::FusionSigned {
                fusion_id,
                version,
                member,
                agreed_sha256,
                by,
            } => vec![
                ("fusion_id", Str(fusion_id)),
                ("version", I64(*version)),
                ("member", Str(member)),
                ("agreed_sha256", Str(agreed_sha256)),
                ("by", Str(by)),
            ],
            Event::FusionSplit {
                fusion_id,
                claims,
                parts,
                members,
                by,
            } => vec![
                ("fusion_id", Str(fusion_id)),
                ("claims", Json::strs(claims)),
                ("parts", Json::strs(parts)),
                ("members", Json::strs(members)),
                ("by", Str(by)),
            ],
            Event::ZoneRecorded {
                zone_id,
                version,
                feature_sha256,
                by,
            } => vec![
                ("zone_id", Str(zone_id)),
                ("version", I64(*version)),
                ("feature_sha256", Str(feature_sha256)),
                ("by", Str(by)),
            ],
            Event::OperationRecorded {
                operation_id,
                member,
                version,
                status,
                doc_sha256,
                by,
            } => vec![
                ("operation_id", Str(operation_id)),
                ("member", Str(member)),
                ("version", I64(*version)),
                ("status", Str(status)),
                ("doc_sha256", Str(doc_sha256)),
                ("by", Str(by)),
            ],
            Event::ForceRecorded {
                force_id,
                member,
                as_of,
                doc_sha256,
                by,
            } => vec![
                ("force_id", Str(force_id)),
                ("member", Str(member)),
                ("as_of", Str(as_of)),
                ("doc_sha256", Str(doc_sha256)),
                ("by", Str(by)),
            ],
            Event::SectorRecorded {
                sector_id,
                version,
                doc_sha256,
                by,
            } => vec![
                ("sector_id", Str(sector_id)),
                ("version", I64(*version)),
                ("doc_sha256", Str(doc_sha256)),
                ("by", Str(by)),
            ],
            Event::AlertStep {
                alert_id,
                incident_id,
                member,
                state,
                by,
            } => vec![
                ("alert_id", I64(*alert_id)),
                ("incident_id", Str(incident_id)),
                ("member", Str(member)),
                ("state", Str(state)),
                ("by", Str(by)),
            ],
        }
    }
}

impl Entry {
    /// The canonical encoding (see the module documentation).
    pub fn encode(&self) -> Vec<u8> {
        let mut members = self.event.fields();
        members.push(("at", Json::Str(&self.at)));
        members.push(("type", Json::Str(self.event.kind())));
        members.push(("v", Json::U64(ENTRY_VERSION)));
        canonical::to_vec(&Json::Obj(members))
    }

    /// Parses an encoded entry, refusing anything but its exact canonical encoding.
    pub fn decode(bytes: &[u8]) -> Result<Entry, EntryError> {
        if bytes.len() > MAX_ENTRY_BYTES {
            return Err(EntryError::TooLarge {
                len: bytes.len(),
                max: MAX_ENTRY_BYTES,
            });
        }
        let value: Value =
            serde_json::from_slice(bytes).map_err(|e| EntryError::Json(e.to_string()))?;
        let Value::Object(mut map) = value else {
            return Err(EntryError::NotAnObject);
        };
        match map.remove("v") {
            None => return Err(EntryError::MissingField("v".into())),
            Some(v) if v.as_u64() == Some(ENTRY_VERSION) => {}
            Some(v) => return Err(EntryError::UnsupportedVersion(v.to_string())),
        }
        let fields = match map.get("type") {
            None => return Err(EntryError::MissingField("type".into())),
            Some(Value::String(t)) => KINDS
                .iter()
                .find(|(k, _)| k == t)
                .map(|(_, f)| *f)
                .ok_or_else(|| EntryError::UnknownType(format!("`{t}`")))?,
            Some(other) => return Err(EntryError::UnknownType(other.to_string())),
        };
        let known = |k: &str| k == "at" || k == "type" || fields.contains(&k);
        if let Some(extra) = map.keys().find(|k| !known(k)) {
            return Err(EntryError::UnknownField(extra.clone()));
        }
        if let Some(missing) = std::iter::once("at")
            .chain(fields.iter().copied())
            .find(|k| !map.contains_key(*k))
        {
            return Err(EntryError::MissingField(missing.into()));
        }
        let entry: Entry = serde_json::from_value(Value::Object(map))
            .map_err(|e| EntryError::Invalid(e.to_string()))?;
        let canonical = entry.encode();
        if canonical != bytes {
            return Err(not_canonical(bytes, &canonical));
        }
        Ok(entry)
    }

    /// The leaf hash of [`Entry::encode`]: what the tree holds for this entry.
    pub fn leaf_hash(&self) -> Hash {
        leaf_hash(&self.encode())
    }

    /// The type tag, as encoded in `"type"`.
    pub fn kind(&self) -> &'static str {
        self.event.kind()
    }
}

/// Describes where `got` first departs from `canonical`.
fn not_canonical(got: &[u8], canonical: &[u8]) -> EntryError {
    let offset = got
        .iter()
        .zip(canonical)
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(canonical.len()));
    let snippet = |b: &[u8]| -> String {
        let end = (offset + 24).min(b.len());
        String::from_utf8_lossy(&b[offset.min(end)..end]).into_owned()
    };
    let detail = match got.get(offset) {
        Some(c) if c.is_ascii_whitespace() => "whitespace is not allowed".to_string(),
        None => format!(
            "entry ends early; canonical form continues `{}`",
            snippet(canonical)
        ),
        Some(_) if offset >= canonical.len() => format!("trailing bytes `{}`", snippet(got)),
        Some(_) => format!(
            "found `{}`, canonical form has `{}` (keys must be sorted, strings minimally escaped)",
            snippet(got),
            snippet(canonical)
        ),
    };
    EntryError::NotCanonical { offset, detail }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_table_matches_fields() {
        let e = Event::Cosigned {
            peer: "MLI".into(),
            size: 3,
            root: "x".into(),
        };
        let names: Vec<_> = e.fields().iter().map(|(k, _)| *k).collect();
        let table = KINDS.iter().find(|(k, _)| *k == e.kind()).map(|(_, f)| *f);
        assert_eq!(Some(names.as_slice()), table);
    }
}
