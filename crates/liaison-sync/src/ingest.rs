//! What arrives from a peer, pulled or pushed: each object's originator signature is checked
//! against that member's registered key, the object must be addressed to this node, and only
//! then is it mapped and stored, with the page's cursor, in one transaction.
//!
//! A page with any object that fails those checks (forged or unknown signature, addressed to
//! another member, our own incident coming back, malformed) is refused whole: nothing of it is
//! stored, the cursor does not move, and the refusal is logged with its reason. A replayed or
//! reordered object (an older version than the one held) is not an attack on its own — a relay
//! may lag the originator — so it is skipped and logged, and the rest of the page stands.
//!
//! A recall hides the incident (its content leaves the node) and yields a signed attestation,
//! kept until it is delivered to the originator. An attestation received for one of our own
//! recalls is stored for `incidents show`, and so is a partner's signed response to one of our
//! flash alerts (acknowledged, action taken, closed) for the alert's response times. A
//! neighbour's deconfliction notice, signed by its declaring member and addressed to us, is
//! recorded as that member's operation.

use liaison_core::CountryCode;
use liaison_policy::{Checked, NodeKey, read_alert_response, read_attestation, read_notice};
use liaison_stix::import::map_revoked;
use liaison_stix::{Mapped, ParsedObject, map_object};
use liaison_store::{
    AlertResponseRow, AttestationRow, Received, ReceivedIncident, Store, StoreError,
};
use serde_json::Value;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::egress::{Keyring, object_sha256};

/// Why a page was refused. The message names the object's position and the rule; it is logged
/// and returned to the caller, never the object's content.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("object {index}: {reason}")]
    Refused { index: usize, reason: String },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("timestamp: {0}")]
    Time(String),
}

/// What storing a page did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IngestReport {
    pub stored: u64,
    pub unchanged: u64,
    pub hidden: u64,
    /// Attestations received for our recalls.
    pub attestations: u64,
    /// Objects skipped (older than what is held), with why.
    pub skipped: Vec<String>,
    /// Attestations this node issued in this page, to deliver to their originators.
    pub issued: Vec<(CountryCode, String)>,
    /// Partners' responses to our flash alerts.
    pub responses: u64,
    /// Neighbours' deconfliction notices recorded as their operations.
    pub notices: u64,
    /// Every incident of the page stored or already held, as (id, version): what a flash push
    /// raises its alerts on.
    pub incidents: Vec<(String, i64)>,
}

/// What ingest needs of the node.
pub struct Ingest<'a> {
    pub store: &'a Store,
    pub own: &'a CountryCode,
    pub key: &'a NodeKey,
    pub keyring: &'a Keyring,
}

/// One checked object, classified.
enum Item {
    Incident(Box<liaison_core::Incident>, Checked),
    Recall(liaison_stix::import::Revoked, Checked),
    Attestation(liaison_policy::Attestation, Checked),
    Response(liaison_policy::AlertResponse, Checked),
    Notice(
        liaison_policy::NoticeMessage,
        Box<liaison_ops::NoticeContent>,
        Checked,
    ),
}

fn ts(at: OffsetDateTime) -> Result<String, IngestError> {
    at.format(&Rfc3339)
        .map_err(|e| IngestError::Time(e.to_string()))
}

/// The members a released object may be passed on to (its signed `release.onward_to`).
fn onward_of(v: &Value) -> Vec<&str> {
    v.get("extensions")
        .and_then(|e| e.get(liaison_stix::EXTENSION_ID))
        .and_then(|x| x.get("release"))
        .and_then(|r| r.get("onward_to"))
        .and_then(Value::as_array)
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default()
}

fn is_revoked(v: &Value) -> bool {
    v.get("revoked").and_then(Value::as_bool) == Some(true)
}

fn recipient_of(v: &Value) -> Option<&str> {
    v.get("extensions")?
        .get(liaison_stix::EXTENSION_ID)?
        .get("release")?
        .get("recipient")?
        .as_str()
}

impl Ingest<'_> {
    /// Checks every object of a page from `from`; the first failure refuses the page.
    fn check(
        &self,
        from: &CountryCode,
        objects: &[ParsedObject],
    ) -> Result<Vec<Item>, IngestError> {
        let refuse = |index: usize, reason: String| IngestError::Refused { index, reason };
        let mut items = Vec::with_capacity(objects.len());
        let mut seen = std::collections::HashSet::new();
        for o in objects {
            if !seen.insert(o.header.id.as_str()) {
                return Err(refuse(
                    o.index,
                    "the page lists the same object twice".into(),
                ));
            }
            let checked = liaison_policy::verify(o.value.clone(), |m, f| self.keyring.key_of(m, f))
                .map_err(|e| refuse(o.index, e.to_string()))?;
            if let Some(a) = read_attestation(&checked) {
                if &a.by != from || &a.incident_originator != self.own {
                    return Err(refuse(
                        o.index,
                        "an attestation must come from its signer about our own incident".into(),
                    ));
                }
                items.push(Item::Attestation(a, checked));
                continue;
            }
            if let Some(n) = read_notice(&checked) {
                if checked.signer() != from || &n.recipient != self.own {
                    return Err(refuse(
                        o.index,
                        "a notice must come from its declaring member, addressed to this node"
                            .into(),
                    ));
                }
                let content: liaison_ops::NoticeContent = serde_json::from_value(n.content.clone())
                    .map_err(|e| refuse(o.index, format!("notice content: {e}")))?;
                if &content.declared_by != from {
                    return Err(refuse(
                        o.index,
                        "a notice's declaring member must be its signer".into(),
                    ));
                }
                items.push(Item::Notice(n, Box::new(content), checked));
                continue;
            }
            if let Some(r) = read_alert_response(&checked) {
                if &r.by != from || &r.incident_originator != self.own {
                    return Err(refuse(
                        o.index,
                        "a flash response must come from its signer about our own incident".into(),
                    ));
                }
                items.push(Item::Response(r, checked));
                continue;
            }
            let signer = checked.signer().clone();
            let recipient = recipient_of(&o.value);
            // A relay: the sender passes on another originator's object, released to the sender
            // and naming us among those it may go on to (an incident), or the originator's recall
            // of what the sender passed on (a tombstone, which can only take back).
            let relayed = recipient == Some(from.as_str())
                && &signer != from
                && (onward_of(&o.value).contains(&self.own.as_str()) || is_revoked(&o.value));
            if recipient != Some(self.own.as_str()) && !relayed {
                return Err(refuse(o.index, "not addressed to this node".into()));
            }
            if &signer == self.own {
                return Err(refuse(o.index, "our own object coming back".into()));
            }
            match map_revoked(o) {
                Ok(Some(r)) => {
                    items.push(Item::Recall(r, checked));
                    continue;
                }
                Ok(None) => {}
                Err(e) => return Err(refuse(o.index, first_error(&e))),
            }
            match map_object(o) {
                Ok(Some(Mapped::Incident(inc))) if inc.originator == signer => {
                    items.push(Item::Incident(inc, checked));
                }
                Ok(_) => {
                    return Err(refuse(
                        o.index,
                        "only incidents, recalls and attestations travel between nodes".into(),
                    ));
                }
                Err(e) => return Err(refuse(o.index, first_error(&e))),
            }
        }
        Ok(items)
    }

    /// Stores a page received from `from` and moves its cursor to `cursor`, all or nothing.
    pub async fn page(
        &self,
        from: &CountryCode,
        objects: &[ParsedObject],
        cursor: &str,
        now: OffsetDateTime,
    ) -> Result<IngestReport, IngestError> {
        let items = match self.check(from, objects) {
            Ok(items) => items,
            Err(e) => {
                self.store
                    .log_refusal(from.as_str(), &e.to_string(), now)
                    .await?;
                return Err(e);
            }
        };
        let at = ts(now)?;
        let mut report = IngestReport::default();
        let mut session = self.store.begin_receive(from.as_str(), now).await?;
        // Incidents first, in one batch; then recalls and attestations.
        let mut batch = Vec::new();
        let mut rest = Vec::new();
        for item in items {
            match item {
                Item::Incident(inc, checked) => {
                    let object = checked.into_object();
                    let text = serde_json::to_string(&object)
                        .map_err(|e| IngestError::Time(e.to_string()))?;
                    batch.push(ReceivedIncident {
                        incident: *inc,
                        object_sha256: object_sha256(&object),
                        object: text,
                    });
                }
                other => rest.push(other),
            }
        }
        let outcomes = session.put_incidents(&batch).await?;
        for (r, outcome) in batch.iter().zip(outcomes) {
            let inc = &r.incident;
            if matches!(outcome, Received::Stored | Received::Unchanged) {
                report
                    .incidents
                    .push((inc.id.to_string(), i64::from(inc.version)));
            }
            match outcome {
                Received::Stored => report.stored += 1,
                Received::Unchanged => report.unchanged += 1,
                Received::Stale { held } => report.skipped.push(format!(
                    "{} {} version {}: version {held} is held",
                    inc.originator, inc.id, inc.version
                )),
                Received::IdTaken => report.skipped.push(format!(
                    "{} {}: another originator's incident holds that id here",
                    inc.originator, inc.id
                )),
            }
        }
        let mut notices = Vec::new();
        for item in rest {
            match item {
                Item::Incident(..) => {}
                // Relayed or not, a recall is the originator's signed word: hiding is safe
                // whoever brought it (it can only take back, and only a newer version counts).
                Item::Recall(r, checked) => {
                    let sha = object_sha256(checked.object());
                    let tombstone = serde_json::to_string(checked.object())
                        .map_err(|e| IngestError::Time(e.to_string()))?;
                    match session
                        .hide_recalled(
                            r.originator.as_str(),
                            r.id.as_str(),
                            r.version.into(),
                            &sha,
                            &tombstone,
                        )
                        .await?
                    {
                        Received::Stored => {
                            report.hidden += 1;
                            let note =
                                liaison_policy::attestation(self.key, self.own, &checked, now)
                                    .map_err(|e| IngestError::Refused {
                                        index: 0,
                                        reason: e.to_string(),
                                    })?;
                            let text = serde_json::to_string(note.object())
                                .map_err(|e| IngestError::Time(e.to_string()))?;
                            session
                                .put_attestation(&AttestationRow {
                                    originator: r.originator.to_string(),
                                    incident_id: r.id.to_string(),
                                    by_member: self.own.to_string(),
                                    version: r.version.into(),
                                    hidden_at: at.clone(),
                                    object: text.clone(),
                                    recorded_at: at.clone(),
                                    delivered_at: None,
                                })
                                .await?;
                            report.issued.push((r.originator.clone(), text));
                        }
                        Received::Stale { held } => report.skipped.push(format!(
                            "recall of {} {} version {}: version {held} is held",
                            r.originator, r.id, r.version
                        )),
                        Received::Unchanged | Received::IdTaken => report.unchanged += 1,
                    }
                }
                Item::Attestation(a, checked) => {
                    let text = serde_json::to_string(checked.object())
                        .map_err(|e| IngestError::Time(e.to_string()))?;
                    session
                        .put_attestation(&AttestationRow {
                            originator: a.incident_originator.to_string(),
                            incident_id: a.incident_id.to_string(),
                            by_member: a.by.to_string(),
                            version: a.version.into(),
                            hidden_at: ts(a.hidden_at)?,
                            object: text,
                            recorded_at: at.clone(),
                            delivered_at: None,
                        })
                        .await?;
                    report.attestations += 1;
                }
                Item::Response(r, checked) => {
                    let text = serde_json::to_string(checked.object())
                        .map_err(|e| IngestError::Time(e.to_string()))?;
                    let state = liaison_store::AlertState::parse(&r.state).map_err(|e| {
                        IngestError::Refused {
                            index: 0,
                            reason: e.to_string(),
                        }
                    })?;
                    session
                        .put_alert_response(&AlertResponseRow {
                            originator: r.incident_originator.to_string(),
                            incident_id: r.incident_id.to_string(),
                            by_member: r.by.to_string(),
                            state,
                            at: ts(r.at)?,
                            object: Some(text),
                            recorded_at: at.clone(),
                            delivered_at: None,
                        })
                        .await?;
                    report.responses += 1;
                }
                Item::Notice(n, content, checked) => notices.push((n, content, checked)),
            }
        }
        session.commit(cursor).await?;
        // Recorded after the page, each in its own transaction (an operation's write is the
        // store's); a repeat of a page records nothing twice.
        for (n, content, checked) in notices {
            let text = serde_json::to_string(checked.object())
                .map_err(|e| IngestError::Time(e.to_string()))?;
            if self
                .store
                .record_received_notice(
                    from,
                    &n.operation_id,
                    i64::from(n.version),
                    &content,
                    &text,
                    now,
                )
                .await?
            {
                report.notices += 1;
            }
        }
        // Logged after the commit: on SQLite a second writer would wait for this transaction.
        for s in &report.skipped {
            self.store.log_refusal(from.as_str(), s, now).await?;
        }
        Ok(report)
    }
}

fn first_error(e: &[liaison_stix::ObjectError]) -> String {
    e.first()
        .map(ToString::to_string)
        .unwrap_or_else(|| "unreadable".into())
}
