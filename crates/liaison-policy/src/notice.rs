//! Deconfliction notices leaving the node: the decision, the signed object, and reading one back.
//!
//! An operation declared near a border gives each neighbour concerned a notice: the declaring
//! member, the area and the time window (the kind only if the member chose to say; never the
//! objective), made by `liaison_ops::Deconflictor`. A notice leaves only to a member that one of
//! this node's agreements **in force today** names as a recipient: sharing notices is part of a
//! sharing relationship, and a member with none gets nothing. The agreement's obligations are
//! not applied: coarsening an operation's area would defeat deconfliction, and a notice is
//! already minimal.
//!
//! The object is a STIX `note` made by the declaring member, with our extension carrying a
//! `notice` member (recipient, operation id and version, the content) and the originator's
//! signature; its id is derived from the operation, version and recipient, so sending it twice
//! gives the same object:
//!
//! ```json
//! "extensions": {"extension-definition--cc95…": {"extension_type": "property-extension",
//!   "originator": "MLI", "notice": {"recipient": "NER", "operation_id": "op-menaka",
//!   "version": 1, "content": {"declared_by": "MLI", "area": {…}, "from": "2012-02-01",
//!   "to": "2012-02-10"}}, "signature": {…}}}
//! ```

use liaison_core::CountryCode;
use liaison_stix::actors::member_identity_id;
use liaison_stix::extension::{EXTENSION_ID, PROPERTY_EXTENSION};
use liaison_stix::ids::derived;
use liaison_stix::timestamp::format_ms;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use time::{Date, OffsetDateTime};

use crate::identity::NodeKey;
use crate::policy::Policy;
use crate::release::{ReleaseError, ext};
use crate::seal::{Checked, Sealed};

/// A notice, read back from a checked note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeMessage {
    pub recipient: CountryCode,
    pub operation_id: String,
    pub version: u32,
    /// `liaison_ops::NoticeContent` as JSON: the policy crate does not read operations.
    pub content: Value,
}

/// Whether this node may send `recipient` deconfliction notices on `today`: one of its
/// agreements in force names it.
pub fn notices_allowed(policy: &Policy, recipient: &CountryCode, today: Date) -> bool {
    policy
        .agreements_for(recipient)
        .iter()
        .any(|a| a.in_force_on(today))
}

/// The signed notice for `message.recipient`, or `None` when no agreement in force allows it.
pub fn release_notice(
    policy: &Policy,
    key: &NodeKey,
    message: &NoticeMessage,
    issued_at: OffsetDateTime,
    today: Date,
) -> Result<Option<Sealed>, ReleaseError> {
    if !notices_allowed(policy, &message.recipient, today) {
        return Ok(None);
    }
    let own = policy.own();
    let when = format_ms(issued_at).map_err(ReleaseError::Timestamp)?;
    let id = derived(
        "note",
        own.as_str(),
        &format!(
            "notice:{}:{}:{}",
            message.operation_id, message.version, message.recipient
        ),
    );
    let object = json!({
        "type": "note",
        "spec_version": "2.1",
        "id": id,
        "created": when,
        "modified": when,
        "created_by_ref": member_identity_id(own),
        "abstract": "Deconfliction notice",
        "content": format!(
            "{own} declares operation {} (version {}) near the border of {}.",
            message.operation_id, message.version, message.recipient
        ),
        "object_refs": [member_identity_id(&message.recipient)],
        "extensions": {EXTENSION_ID: {
            "extension_type": PROPERTY_EXTENSION,
            "originator": own,
            "notice": message,
        }},
    });
    Ok(Some(Sealed::sign(object, own, key)?))
}

/// Reads a notice from a checked note; `None` for anything else. The signer is the declaring
/// member (`Checked::signer`).
pub fn read_notice(checked: &Checked) -> Option<NoticeMessage> {
    let o = checked.object();
    if o.get("type").and_then(Value::as_str) != Some("note") {
        return None;
    }
    serde_json::from_value(ext(o)?.get("notice")?.clone()).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::identity::NodePublicKey;
    use crate::seal::verify;
    use crate::testing::{agreement, at, code};

    #[test]
    fn a_notice_goes_only_where_an_agreement_in_force_names_the_recipient() {
        let mli = NodeKey::from_secret([1; 32]);
        let policy = Policy::compile(
            &code("MLI"),
            &[agreement(
                r#"{"id": "mli-ner", "originator": "MLI", "recipients": ["NER"], "title": "t",
                    "expires": "2012-06-01"}"#,
            )],
        )
        .unwrap();
        let message = |to: &str| NoticeMessage {
            recipient: code(to),
            operation_id: "op-menaka".into(),
            version: 1,
            content: json!({"declared_by": "MLI", "from": "2012-02-01", "to": "2012-02-10"}),
        };
        let day = at(0).date();
        let sealed = release_notice(&policy, &mli, &message("NER"), at(0), day)
            .unwrap()
            .unwrap();
        let key_of = |c: &CountryCode, f: &str| -> Option<NodePublicKey> {
            (c.as_str() == "MLI" && mli.public().fingerprint() == f).then(|| mli.public())
        };
        let checked = verify(sealed.into_object(), key_of).unwrap();
        assert_eq!(checked.signer(), &code("MLI"));
        assert_eq!(read_notice(&checked).unwrap(), message("NER"));
        // No agreement names Chad; Niger's has expired by 2013.
        assert!(
            release_notice(&policy, &mli, &message("TCD"), at(0), day)
                .unwrap()
                .is_none()
        );
        let later = time::macros::date!(2013 - 01 - 01);
        assert!(
            release_notice(&policy, &mli, &message("NER"), at(0), later)
                .unwrap()
                .is_none()
        );
    }
}
