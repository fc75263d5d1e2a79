//! Readings of an [`Entry`] for people and for filters: the members it names ([`Entry::concerns`],
//! used to find the entries an auditing peer may ask proofs for) and one English line
//! ([`Entry::summary`]) for an auditor's listing. Neither is part of the encoding.

use crate::entry::{Entry, Event};

/// How many characters of a hex hash a summary shows: enough to tell hashes apart by eye.
const SHORT_HASH_CHARS: usize = 12;

/// How many incident ids a `reads` summary lists before "and N more".
const READS_LISTED: usize = 5;

fn short(hash: &str) -> String {
    match hash.char_indices().nth(SHORT_HASH_CHARS) {
        Some((cut, _)) => format!("{}…", &hash[..cut]),
        None => hash.to_string(),
    }
}

impl Entry {
    /// The member codes this entry names, first mention first, without repeats or empties.
    /// The originator is included even when it is this node; a filter can drop its own code.
    pub fn concerns(&self) -> Vec<String> {
        let named: Vec<&String> = match &self.event {
            Event::IncidentRecorded { originator, .. } => vec![originator],
            Event::Disclosed {
                recipient,
                originator,
                ..
            } => vec![recipient, originator],
            Event::Received {
                from_peer,
                originator,
                ..
            } => vec![from_peer, originator],
            Event::ReceiptIssued { to, .. } => vec![to],
            Event::ReceiptReceived { from, .. } => vec![from],
            Event::AttestationReceived { from, .. } => vec![from],
            Event::AgreementChanged { recipients, .. } => recipients.iter().collect(),
            Event::PeerChanged { member, .. } => vec![member],
            Event::Cosigned { peer, .. } => vec![peer],
            Event::Alarm { peer, .. } => vec![peer],
            Event::Characterised { member, .. } => vec![member],
            Event::Fused { members, .. } | Event::FusionSplit { members, .. } => {
                members.iter().collect()
            }
            Event::FusionSigned { member, .. } => vec![member],
            // The declaring member's own operation and force figures concern it; a sector is
            // the node's own record, like a zone.
            Event::OperationRecorded { member, .. } | Event::ForceRecorded { member, .. } => {
                vec![member]
            }
            // The rule's member, or the partner whose flash item it is.
            Event::AlertStep { member, .. } => vec![member],
            Event::RecallIssued { .. }
            | Event::Reads { .. }
            | Event::KeyRotated { .. }
            | Event::ZoneRecorded { .. }
            | Event::SectorRecorded { .. } => {
                vec![]
            }
        };
        let mut out: Vec<String> = Vec::with_capacity(named.len());
        for m in named {
            if !m.is_empty() && !out.contains(m) {
                out.push(m.clone());
            }
        }
        out
    }

    /// One readable English line for auditors, e.g. "disclosed DZA-… v2 to MLI under
    /// agr-sahel-1@3 (location:admin1, narrative:dropped), object sha256 ab12…". The time is
    /// left to the caller, who shows `at` in its own column.
    pub fn summary(&self) -> String {
        match &self.event {
            Event::IncidentRecorded {
                incident_id,
                originator,
                version,
                content_sha256,
                by,
            } => format!(
                "recorded {incident_id} v{version} (originator {originator}) by {by}, content sha256 {}",
                short(content_sha256)
            ),
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
            } => {
                let verb = match kind.as_str() {
                    "release" => "disclosed".to_string(),
                    "recall" => "sent the recall of".to_string(),
                    "relay" => format!("relayed {originator}'s"),
                    other => format!("disclosed ({other})"),
                };
                let under = match (agreement, agreement_version) {
                    (Some(a), Some(v)) => format!(" under {a}@{v}"),
                    (Some(a), None) => format!(" under {a}"),
                    (None, _) => " under no agreement".to_string(),
                };
                let changes = if applied.is_empty() {
                    " (unchanged)".to_string()
                } else {
                    format!(" ({})", applied.join(", "))
                };
                format!(
                    "{verb} {incident_id} v{version} to {recipient}{under}{changes}, object sha256 {}",
                    short(object_sha256)
                )
            }
            Event::Received {
                from_peer,
                originator,
                incident_id,
                version,
                object_sha256,
            } => format!(
                "received {incident_id} v{version} (originator {originator}) from {from_peer}, object sha256 {}",
                short(object_sha256)
            ),
            Event::ReceiptIssued {
                to,
                receipt_sha256,
                first_index,
                count,
            } => format!(
                "issued a receipt to {to} for {count} received item(s) from ledger index {first_index}, receipt sha256 {}",
                short(receipt_sha256)
            ),
            Event::ReceiptReceived {
                from,
                receipt_sha256,
                count,
            } => format!(
                "received {from}'s receipt for {count} item(s), receipt sha256 {}",
                short(receipt_sha256)
            ),
            Event::RecallIssued {
                incident_id,
                version,
                by,
            } => format!("recalled {incident_id} v{version}, by {by}"),
            Event::AttestationReceived {
                from,
                incident_id,
                version,
                attestation_sha256,
            } => format!(
                "{from} attested it hid recalled {incident_id} v{version}, attestation sha256 {}",
                short(attestation_sha256)
            ),
            Event::AgreementChanged {
                change,
                agreement,
                version,
                doc_sha256,
                recipients,
                by,
            } => {
                let to = if recipients.is_empty() {
                    "no recipients".to_string()
                } else {
                    recipients.join(", ")
                };
                format!(
                    "agreement {agreement}@{version} {change} for {to}, by {by}, document sha256 {}",
                    short(doc_sha256)
                )
            }
            Event::Reads { user, incident_ids } => {
                let listed: Vec<&str> = incident_ids
                    .iter()
                    .take(READS_LISTED)
                    .map(String::as_str)
                    .collect();
                let more = incident_ids.len().saturating_sub(READS_LISTED);
                let tail = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                format!(
                    "{user} read {} incident(s): {}{tail}",
                    incident_ids.len(),
                    listed.join(", ")
                )
            }
            Event::PeerChanged {
                change,
                member,
                fingerprint,
                by,
            } => format!("peer {member} {change} (key {fingerprint}), by {by}"),
            Event::KeyRotated {
                old_fingerprint,
                new_fingerprint,
            } => format!("node key rotated from {old_fingerprint} to {new_fingerprint}"),
            Event::Cosigned { peer, size, root } => {
                format!("cosigned {peer}'s checkpoint at size {size}, root {root}")
            }
            Event::Alarm { peer, kind, detail } => {
                format!("ALARM {kind} on peer {peer}: {detail}")
            }
            Event::Characterised {
                incident_id,
                member,
                version,
                category,
                by,
            } => format!(
                "{member} characterised {incident_id} as {category} (reading v{version}), by {by}"
            ),
            Event::Fused {
                fusion_id,
                claims,
                members,
                agreed_sha256,
                by,
            } => format!(
                "fused {} claims of {} into {fusion_id}, agreed version v1 sha256 {}, by {by}",
                claims.len(),
                members.join(", "),
                short(agreed_sha256)
            ),
            Event::FusionSigned {
                fusion_id,
                version,
                member,
                agreed_sha256,
                by,
            } => format!(
                "{member} signed agreed version v{version} of {fusion_id} (sha256 {}), by {by}",
                short(agreed_sha256)
            ),
            Event::FusionSplit {
                fusion_id,
                claims,
                parts,
                by,
                ..
            } => format!(
                "split {fusion_id}: {} left{}, by {by}",
                claims.join(", "),
                if parts.is_empty() {
                    String::new()
                } else {
                    format!(", parts {}", parts.join(", "))
                }
            ),
            Event::ZoneRecorded {
                zone_id,
                version,
                feature_sha256,
                by,
            } => format!(
                "zone {zone_id} recorded (v{version}, sha256 {}), by {by}",
                short(feature_sha256)
            ),
            Event::OperationRecorded {
                operation_id,
                member,
                version,
                status,
                doc_sha256,
                by,
            } => format!(
                "operation {operation_id} of {member} recorded (v{version}, {status}, sha256 {}), by {by}",
                short(doc_sha256)
            ),
            Event::ForceRecorded {
                force_id,
                member,
                as_of,
                doc_sha256,
                by,
            } => format!(
                "force record {force_id} of {member} as of {as_of} added (sha256 {}), by {by}",
                short(doc_sha256)
            ),
            Event::SectorRecorded {
                sector_id,
                version,
                doc_sha256,
                by,
            } => format!(
                "sector {sector_id} recorded (v{version}, sha256 {}), by {by}",
                short(doc_sha256)
            ),
            Event::AlertStep {
                alert_id,
                incident_id,
                member,
                state,
                by,
            } => format!(
                "alert #{alert_id} on {incident_id} ({member}) {}, by {by}",
                state.replace('_', " ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_hashes_cut_on_characters() {
        assert_eq!(short("abc"), "abc");
        assert_eq!(short("0123456789abcdef"), "0123456789ab…");
    }
}
