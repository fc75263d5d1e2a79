//! `GET /ui/ledger`: the node's disclosure ledger for auditors. The log's size and root, the
//! latest signed checkpoint as the C2SP note peers receive (with the witnesses' cosignature
//! lines, `liaison_server::ledger::checkpoint_note`), who cosigned it and when, the recent
//! checkpoints, the alarms raised against peers' logs (or our own), and the latest entries.
//!
//! Entries are summarised from their stored canonical JSON, one localised sentence per kind
//! (the fields are the ledger's format, fixed for version 1). An entry of a kind this screen
//! does not know is listed with its raw fields, and one that is not JSON at all is marked
//! damaged: what the log holds is always shown, never skipped (`liaison audit verify` says
//! what is wrong with it).

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use serde_json::{Map, Value};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::WebState;
use crate::agreements::applied_label;
use crate::assets;
use crate::i18n::{Arg, Tr};
use crate::layout::{Page, failure, render};
use crate::session::{Screen, Session};

/// Rows of each list on the page: the recent past is what an auditor opens this screen for;
/// `liaison audit log` and the API page through the rest.
const SHOWN: usize = 50;

/// The entry kinds of ledger version 1 (`liaison_ledger::entry`), each with a sentence
/// `ledger-entry-<kind>` and a name `ledger-kind-<kind>` in the catalogues.
const KINDS: [&str; 22] = [
    "incident_recorded",
    "disclosed",
    "received",
    "receipt_issued",
    "receipt_received",
    "recall_issued",
    "attestation_received",
    "agreement_changed",
    "reads",
    "peer_changed",
    "key_rotated",
    "cosigned",
    "alarm",
    "characterised",
    "fused",
    "fusion_signed",
    "fusion_split",
    "zone_recorded",
    "operation_recorded",
    "force_recorded",
    "sector_recorded",
    "alert_step",
];

/// The `change` words the store writes into `agreement_changed` and `peer_changed`.
const CHANGES: [&str; 5] = ["created", "changed", "revoked", "added", "removed"];

/// How many characters of a hash are shown: enough to tell hashes apart by eye (as the CLI).
const SHORT_HASH_CHARS: usize = 12;

/// How many incident ids a `reads` entry lists before "+N".
const READS_LISTED: usize = 5;

struct CosignView {
    witness: String,
    when: String,
}

struct CheckpointView {
    size: String,
    at: String,
    root: String,
}

struct AlarmView {
    peer: String,
    kind: String,
    detail: String,
    at: String,
}

struct EntryView {
    index: String,
    kind: String,
    at: String,
    concerns: String,
    summary: String,
    damaged: bool,
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage {
    page: Page,
    screens_css: String,
    size: String,
    root: String,
    note: Option<String>,
    cosign_title: String,
    cosignatures: Vec<CosignView>,
    checkpoints: Vec<CheckpointView>,
    checkpoints_hint: String,
    alarms: Vec<AlarmView>,
    entries: Vec<EntryView>,
}

fn short(hash: &str) -> String {
    match hash.char_indices().nth(SHORT_HASH_CHARS) {
        Some((cut, _)) => format!("{}…", &hash[..cut]),
        None => hash.to_owned(),
    }
}

/// Seconds since the epoch (as cosignatures carry them) shown as a stored time is.
fn unix_time(tr: &Tr, secs: u64) -> String {
    i64::try_from(secs)
        .ok()
        .and_then(|s| OffsetDateTime::from_unix_timestamp(s).ok())
        .and_then(|t| t.format(&Rfc3339).ok())
        .map_or_else(|| secs.to_string(), |t| tr.timestamp(&t))
}

fn is_hash_field(key: &str) -> bool {
    key.ends_with("sha256") || key == "root" || key.ends_with("fingerprint")
}

/// One field of an entry as an argument of its sentence.
fn field_arg(tr: &Tr, key: &str, v: &Value) -> Arg {
    match v {
        Value::Null => "—".into(),
        Value::String(s) if is_hash_field(key) => short(s).into(),
        Value::String(s) if key == "change" && CHANGES.contains(&s.as_str()) => {
            tr.t(&format!("ledger-change-{s}")).into()
        }
        Value::String(s) if key == "category" => tr.t(&format!("reading-category-{s}")).into(),
        Value::String(s) => s.as_str().into(),
        // `count` selects plural forms, so it stays a number; the others are grouped here.
        Value::Number(n) if key == "count" => {
            n.as_i64().map_or_else(|| n.to_string().into(), Arg::Num)
        }
        Value::Number(n) if key == "version" || key == "agreement_version" => n.to_string().into(),
        Value::Number(n) => n
            .as_i64()
            .map_or_else(|| n.to_string(), |i| tr.num(i))
            .into(),
        Value::Array(items) => {
            let words: Vec<String> = items
                .iter()
                .map(|i| match i {
                    Value::String(s) if key == "applied" => applied_label(tr, s),
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            if words.is_empty() {
                "—".into()
            } else if key == "incident_ids" && words.len() > READS_LISTED {
                format!(
                    "{} (+{})",
                    words[..READS_LISTED].join(", "),
                    tr.num((words.len() - READS_LISTED) as i64)
                )
                .into()
            } else {
                words.join(", ").into()
            }
        }
        other => other.to_string().into(),
    }
}

/// The readable sentence of an entry of a known kind.
fn sentence(tr: &Tr, kind: &str, fields: &Map<String, Value>) -> String {
    let mut args: Vec<(&str, Arg)> = fields
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "v" | "at" | "type"))
        .map(|(k, v)| (k.as_str(), field_arg(tr, k, v)))
        .collect();
    if kind == "disclosed" {
        // A relay (onward release of a received object) has no agreement of ours.
        let under = match (
            fields.get("agreement").and_then(Value::as_str),
            fields.get("agreement_version").and_then(Value::as_i64),
        ) {
            (Some(a), Some(v)) => format!("{a} v{v}"),
            (Some(a), None) => a.to_owned(),
            _ => tr.t("preview-onward"),
        };
        args.push(("under", under.into()));
    }
    tr.ta(&format!("ledger-entry-{kind}"), &args)
}

/// The kind's name, the summary, and whether the entry is damaged (not a JSON object).
fn describe(tr: &Tr, stored_kind: &str, text: &str) -> (String, String, bool) {
    let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(text) else {
        return (stored_kind.to_owned(), tr.t("ledger-entry-damaged"), true);
    };
    // The kind hashed into the log, not the index column beside it.
    let kind = fields
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or(stored_kind)
        .to_owned();
    if KINDS.contains(&kind.as_str()) {
        let name = tr.t(&format!("ledger-kind-{kind}"));
        (name, sentence(tr, &kind, &fields), false)
    } else {
        let raw: Vec<String> = fields
            .iter()
            .filter(|(k, _)| !matches!(k.as_str(), "v" | "at" | "type"))
            .map(|(k, v)| match v {
                Value::String(s) => format!("{k}: {s}"),
                other => format!("{k}: {other}"),
            })
            .collect();
        (kind, raw.join(", "), false)
    }
}

pub async fn page(State(state): State<WebState>, s: Session) -> Response {
    if let Err(refused) = s.require(Screen::Ledger) {
        return refused;
    }
    let member = state.app.member.as_str();
    match build(&state, &s).await {
        Ok(p) => render(&p),
        Err(e) => failure(&s, member, &e),
    }
}

async fn build(state: &WebState, s: &Session) -> Result<LedgerPage, liaison_store::StoreError> {
    let store = &state.app.store;
    let tr = &s.tr;
    let head = store.ledger_head().await?;
    let latest = store.latest_checkpoint().await?;
    let note = liaison_server::ledger::checkpoint_note(store).await?;
    let cosignatures = match &latest {
        Some(cp) => store.cosignatures(Some(cp.size)).await?,
        None => vec![],
    };
    let checkpoints: Vec<CheckpointView> = store
        .latest_checkpoints(SHOWN as i64)
        .await?
        .iter()
        .map(|c| CheckpointView {
            size: tr.num(i64::try_from(c.size).unwrap_or(i64::MAX)),
            at: tr.timestamp(&c.signed_at),
            root: short(&c.root),
        })
        .collect();
    let shown_checkpoints = checkpoints.len();
    let alarms = store
        .alarms(None, SHOWN as i64)
        .await?
        .into_iter()
        .map(|a| AlarmView {
            at: tr.timestamp(&a.at),
            peer: a.peer,
            kind: a.kind,
            detail: a.detail,
        })
        .collect();
    let start = head.size.saturating_sub(SHOWN as u64);
    let mut rows = store.ledger_entries(start, head.size).await?;
    rows.reverse();
    let entries = rows
        .into_iter()
        .map(|r| {
            let (kind, summary, damaged) = describe(tr, &r.kind, &r.entry);
            EntryView {
                index: tr.num(i64::try_from(r.index).unwrap_or(i64::MAX)),
                kind,
                at: tr.timestamp(&r.at),
                concerns: r.concerns.join(" "),
                summary,
                damaged,
            }
        })
        .collect();
    let size = |n: u64| tr.num(i64::try_from(n).unwrap_or(i64::MAX));
    Ok(LedgerPage {
        page: Page::new(
            s,
            state.app.member.as_str(),
            Screen::Ledger,
            "ledger-title",
            "/ui/ledger",
        ),
        screens_css: assets::url("screens.css"),
        size: size(head.size),
        root: hex::encode(head.root),
        note,
        cosign_title: tr.ta(
            "ledger-cosignatures-title",
            &[(
                "size",
                latest
                    .as_ref()
                    .map_or_else(String::new, |c| size(c.size))
                    .into(),
            )],
        ),
        cosignatures: cosignatures
            .into_iter()
            .map(|c| CosignView {
                when: unix_time(tr, c.cosigned_at),
                witness: c.witness,
            })
            .collect(),
        checkpoints,
        checkpoints_hint: tr.ta(
            "ledger-checkpoints-hint",
            &[("shown", size(shown_checkpoints as u64).into())],
        ),
        alarms,
        entries,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn entries_read_in_both_languages() {
        let text = r#"{"agreement":"mli-all","agreement_version":2,"applied":["narrative:dropped"],"at":"2026-11-28T08:00:00Z","incident_id":"MLI-1","kind":"incident","object_sha256":"0123456789abcdef0123","originator":"MLI","recipient":"NER","type":"disclosed","v":1,"version":3}"#;
        for locale in Locale::ALL {
            let (kind, summary, damaged) = describe(&Tr::new(locale), "disclosed", text);
            assert!(!damaged);
            assert!(!kind.contains('⟦') && !summary.contains('⟦'), "{summary}");
            assert!(
                summary.contains("MLI-1") && summary.contains("NER"),
                "{summary}"
            );
            assert!(summary.contains("mli-all v2"), "{summary}");
            assert!(summary.contains("0123456789ab…"), "{summary}");
        }
        let (_, _, damaged) = describe(&Tr::new(Locale::En), "disclosed", "not json");
        assert!(damaged);
        let (kind, summary, _) = describe(
            &Tr::new(Locale::En),
            "future",
            r#"{"type":"future","x":"y","v":1}"#,
        );
        assert_eq!((kind.as_str(), summary.as_str()), ("future", "x: y"));
    }

    #[test]
    fn every_kind_the_ledger_writes_is_worded() {
        for kind in liaison_ledger::entry::kind_names() {
            assert!(
                KINDS.contains(&kind),
                "the ledger writes '{kind}': add it to KINDS with its messages"
            );
        }
    }

    #[test]
    fn every_kind_has_its_messages() {
        for locale in Locale::ALL {
            let tr = Tr::new(locale);
            for kind in KINDS {
                assert!(
                    !tr.t(&format!("ledger-kind-{kind}")).contains('⟦'),
                    "{kind}"
                );
                assert!(
                    !tr.t(&format!("ledger-entry-{kind}")).contains('⟦'),
                    "{kind}"
                );
            }
            for c in CHANGES {
                assert!(!tr.t(&format!("ledger-change-{c}")).contains('⟦'), "{c}");
            }
        }
    }
}
