//! The incident list (filters, pages of 50, newest first) and an incident's detail: what
//! happened where and when with its precision, actors, casualties, sources with their Admiralty
//! grades, markings, every version, and what the federation did with it: to whom it was
//! disclosed under which agreement with which obligations, its recall, the recipients'
//! attestations, or, for a received incident, its originator.
//!
//! The list's filters are the JSON API's (`liaison_server::params::list_request`), so a filter
//! means the same on both. Reads are written to the ledger as the API's are.

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use liaison_core::{Incident, IncidentId};
use liaison_server::ApiError;
use liaison_server::params::list_request;
use liaison_store::{Disclosure, StoreError, VersionRecord};

use crate::WebState;
use crate::layout::{Page, failure, not_found, render, render_status};
use crate::map::{Choice, type_choices, zone_choices};
use crate::session::{Screen, Session};

/// Incidents per page of the list.
const PAGE_SIZE: u32 = 50;

/// One line of the list, already in the reader's language.
struct Row {
    id: String,
    href: String,
    date: String,
    type_label: String,
    title: String,
    place: String,
    country: String,
    fatalities: String,
    originator: String,
}

#[derive(Template)]
#[template(path = "incidents.html")]
struct ListPage {
    page: Page,
    rows: Vec<Row>,
    types: Vec<Choice>,
    /// The filters as given, to fill the form again.
    from: String,
    to: String,
    type_: String,
    country: String,
    originator: String,
    text: String,
    zone: String,
    zones: Vec<Choice>,
    errors: Vec<String>,
    next: Option<String>,
    first: Option<String>,
}

/// The path of an incident's page.
pub fn href(id: &str) -> String {
    let segment: String = form_urlencoded::byte_serialize(id.as_bytes()).collect();
    format!("/ui/incidents/{segment}")
}

fn row(s: &Session, i: &Incident) -> Row {
    let f = &i.content.casualties.fatalities;
    Row {
        id: i.id.to_string(),
        href: href(i.id.as_str()),
        date: s.tr.date(i.content.date.start),
        type_label: s.tr.t(&format!("type-{}", i.event_type.as_str())),
        title: i.content.title.clone(),
        place: i.content.location.place_name.clone().unwrap_or_default(),
        country: i
            .content
            .location
            .country
            .as_ref()
            .map(|c| c.to_string())
            .unwrap_or_default(),
        fatalities: if f.low == f.high {
            s.tr.num(i64::from(f.best))
        } else {
            format!(
                "{} ({}–{})",
                s.tr.num(i64::from(f.best)),
                s.tr.num(i64::from(f.low)),
                s.tr.num(i64::from(f.high))
            )
        },
        originator: i.originator.to_string(),
    }
}

/// The API's messages for a bad filter, one per field.
fn filter_errors(e: &ApiError) -> Vec<String> {
    match e {
        ApiError::BadRequest { message, fields } | ApiError::Conflict { message, fields } => {
            if fields.is_empty() {
                vec![message.clone()]
            } else {
                fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect()
            }
        }
        ApiError::Validation(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect(),
        other => vec![other.to_string()],
    }
}

async fn note_reads(state: &WebState, s: &Session, ids: &[&str]) -> Result<(), StoreError> {
    if ids.is_empty() {
        return Ok(());
    }
    let at = liaison_store::ts_of((state.app.clock)())?;
    state.app.store.note_reads(&s.user.name, ids, &at).await
}

async fn list(
    State(state): State<WebState>,
    s: Session,
    query: Result<Query<Vec<(String, String)>>, QueryRejection>,
) -> Response {
    let member = state.app.member.as_str();
    // A query string that cannot be read is treated as no filter at all.
    let pairs: Vec<(String, String)> = query.map(|Query(p)| p).unwrap_or_default();
    let given = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    // Empty fields of the GET form mean "no filter"; the page size is the screen's.
    let mut api_pairs: Vec<(String, String)> = pairs
        .iter()
        .filter(|(k, v)| !v.trim().is_empty() && k != "limit")
        .cloned()
        .collect();
    api_pairs.push(("limit".to_owned(), PAGE_SIZE.to_string()));
    let mut errors = vec![];
    let mut rows = vec![];
    let mut next = None;
    match list_request(&api_pairs) {
        Ok(req) => {
            match state
                .app
                .store
                .list_incidents(&req.filter, req.limit, req.cursor.as_ref())
                .await
            {
                Ok(page) => {
                    let ids: Vec<&str> = page.incidents.iter().map(|i| i.id.as_str()).collect();
                    if let Err(e) = note_reads(&state, &s, &ids).await {
                        return failure(&s, member, &e);
                    }
                    rows = page.incidents.iter().map(|i| row(&s, i)).collect();
                    next = page.next_cursor.map(|c| {
                        let mut q = form_urlencoded::Serializer::new(String::new());
                        for (k, v) in api_pairs
                            .iter()
                            .filter(|(k, _)| k != "cursor" && k != "limit")
                        {
                            q.append_pair(k, v);
                        }
                        q.append_pair("cursor", &c);
                        format!("/ui/incidents?{}", q.finish())
                    });
                }
                // A zone the node does not know (a stale link): named, like any bad filter.
                Err(StoreError::Invalid { field, message }) => {
                    errors.push(format!("{field}: {message}"));
                }
                Err(e) => return failure(&s, member, &e),
            }
        }
        Err(e) => errors = filter_errors(&e),
    }
    let first = pairs.iter().any(|(k, _)| k == "cursor").then(|| {
        let mut q = form_urlencoded::Serializer::new(String::new());
        for (k, v) in api_pairs
            .iter()
            .filter(|(k, _)| k != "cursor" && k != "limit")
        {
            q.append_pair(k, v);
        }
        format!("/ui/incidents?{}", q.finish())
    });
    let zones = match state.app.store.zones().await {
        Ok(z) => zone_choices(&z),
        Err(e) => return failure(&s, member, &e),
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::BAD_REQUEST
    };
    render_status(
        status,
        &ListPage {
            page: Page::new(
                &s,
                member,
                Screen::Incidents,
                "incidents-title",
                "/ui/incidents",
            ),
            rows,
            types: type_choices(&s),
            from: given("from"),
            to: given("to"),
            type_: given("type"),
            country: given("country"),
            originator: given("originator"),
            text: given("text"),
            zone: given("zone"),
            zones,
            errors,
            next,
            first,
        },
    )
}

/// A disclosure as the detail page shows it.
struct DisclosureLine {
    peer: String,
    kind: String,
    version: i64,
    agreement: String,
    applied: String,
    at: String,
}

/// An attestation as the detail page shows it.
struct AttestationLine {
    by: String,
    version: i64,
    hidden_at: String,
}

/// A version as the history shows it.
struct VersionLine {
    version: u32,
    at: String,
    by: String,
    title: String,
}

#[derive(Template)]
#[template(path = "incident.html")]
struct DetailPage {
    page: Page,
    i: Incident,
    type_label: String,
    subtype_label: String,
    date_precision: String,
    location_precision: String,
    date: String,
    date_end: String,
    fatalities: String,
    disputed: bool,
    versions: Vec<VersionLine>,
    disclosures: Vec<DisclosureLine>,
    recall: Option<String>,
    attestations: Vec<AttestationLine>,
    actors: Vec<(String, String)>,
    classification: String,
    readings: Vec<crate::readings::ReadingView>,
    categories: Vec<Choice>,
    confidences: Vec<Choice>,
    may_characterise: bool,
    readings_action: String,
    readings_add: String,
    own: bool,
    may_edit: bool,
    edit_href: String,
    operations: Vec<OperationLink>,
}

/// An operation the incident belongs to, linked to its row on the operations screen.
struct OperationLink {
    id: String,
    href: String,
    /// "MLI · raid · completed, 9 June 2011 – 9 June 2011", localised.
    summary: String,
}

fn version_line(s: &Session, v: &VersionRecord) -> VersionLine {
    VersionLine {
        version: v.incident.version,
        at: s.tr.timestamp(&v.recorded_at),
        by: v.recorded_by.clone(),
        title: v.incident.content.title.clone(),
    }
}

fn disclosure_line(s: &Session, d: &Disclosure) -> DisclosureLine {
    let applied: Vec<String> = serde_json::from_str::<Vec<serde_json::Value>>(&d.applied)
        .unwrap_or_default()
        .iter()
        .map(|v| match v {
            serde_json::Value::String(code) => code.clone(),
            other => other.to_string(),
        })
        .collect();
    DisclosureLine {
        peer: d.peer.clone(),
        kind: s.tr.t(&format!("incident-disclosure-{}", d.kind)),
        version: d.version,
        agreement: match (&d.agreement, d.agreement_version) {
            (Some(a), Some(v)) => format!("{a} v{v}"),
            (Some(a), None) => a.clone(),
            _ => "—".to_owned(),
        },
        applied: if applied.is_empty() {
            "—".to_owned()
        } else {
            applied.join(", ")
        },
        at: s.tr.timestamp(&d.at),
    }
}

async fn detail(State(state): State<WebState>, s: Session, Path(raw): Path<String>) -> Response {
    let member = state.app.member.as_str();
    let Ok(id) = IncidentId::parse(&raw) else {
        return not_found(&s, member);
    };
    let store = &state.app.store;
    let incident = match store.get_incident(&id).await {
        Ok(i) => i,
        Err(StoreError::NotFound) => return not_found(&s, member),
        Err(e) => return failure(&s, member, &e),
    };
    let loaded = async {
        let versions = store.incident_versions(&id).await?;
        let disclosures = store.disclosures_of(id.as_str()).await?;
        let recall = store.recall_of(&id).await?;
        let attestations = store
            .attestations_of(incident.originator.as_str(), id.as_str())
            .await?;
        let readings = crate::readings::views(&state, &s, &id).await?;
        let mut operations = Vec::new();
        for op_id in store.incident_operations(id.as_str()).await? {
            if let Some(row) = store.operation(&op_id).await? {
                operations.push(operation_link(&s, &row.operation));
            }
        }
        note_reads(&state, &s, &[id.as_str()]).await?;
        Ok::<_, StoreError>((
            versions,
            disclosures,
            recall,
            attestations,
            readings,
            operations,
        ))
    };
    let (versions, disclosures, recall, attestations, readings, operations) = match loaded.await {
        Ok(l) => l,
        Err(e) => return failure(&s, member, &e),
    };
    let f = &incident.content.casualties.fatalities;
    let own = incident.originator == state.app.member;
    let page_path = href(id.as_str());
    let page = Page::new(&s, member, Screen::Incidents, "incident-title", &page_path);
    let mut page = page;
    page.title = incident.content.title.clone();
    render(&DetailPage {
        type_label: s.tr.t(&format!("type-{}", incident.event_type.as_str())),
        date_precision: s.tr.t(&format!(
            "form-date-precision-{}",
            incident.content.date.precision.as_str()
        )),
        location_precision: s.tr.t(&format!(
            "form-location-precision-{}",
            incident.content.location.precision.as_str()
        )),
        subtype_label: s
            .tr
            .t(&format!("subtype-{}", incident.content.sub_type.as_str())),
        date: s.tr.date(incident.content.date.start),
        date_end: s.tr.date(incident.content.date.end),
        fatalities: format!(
            "{} ({} – {})",
            s.tr.num(i64::from(f.best)),
            s.tr.num(i64::from(f.low)),
            s.tr.num(i64::from(f.high))
        ),
        disputed: f.dispute.is_some(),
        versions: versions.iter().rev().map(|v| version_line(&s, v)).collect(),
        disclosures: disclosures.iter().map(|d| disclosure_line(&s, d)).collect(),
        recall: recall.map(|(v, at)| {
            s.tr.ta(
                "incident-recalled",
                &[("version", v.into()), ("at", s.tr.timestamp(&at).into())],
            )
        }),
        attestations: attestations
            .iter()
            .map(|a| AttestationLine {
                by: a.by_member.clone(),
                version: a.version,
                hidden_at: s.tr.timestamp(&a.hidden_at),
            })
            .collect(),
        actors: incident
            .content
            .actors
            .iter()
            .map(|a| {
                (
                    a.name.clone(),
                    s.tr.t(&format!("incident-role-{}", serde_code(&a.role))),
                )
            })
            .collect(),
        classification: s.tr.t(&format!(
            "incident-classification-{}",
            serde_code(&incident.content.markings.classification)
        )),
        readings,
        categories: crate::readings::category_choices(&s),
        confidences: crate::readings::confidence_choices(&s),
        may_characterise: s.may(Screen::Entry),
        readings_action: format!("{page_path}/characterisations"),
        readings_add: s.tr.ta("reading-add", &[("member", member.into())]),
        own,
        may_edit: own && s.may(Screen::Entry),
        edit_href: format!("{page_path}/edit"),
        operations,
        i: incident,
        page,
    })
}

/// An operation as the incident page names it: its id, linked to its row on the operations
/// screen (rows carry `id="op-<operation id>"`), and who, what and when.
fn operation_link(s: &Session, op: &liaison_ops::Operation) -> OperationLink {
    OperationLink {
        id: op.id.clone(),
        href: crate::operations::operation_href(&op.id),
        summary: s.tr.ta(
            "incident-operation-line",
            &[
                ("member", op.member.as_str().into()),
                (
                    "kind",
                    s.tr.t(&format!("ops-kind-{}", op.kind.as_str())).into(),
                ),
                (
                    "status",
                    s.tr.t(&format!("ops-status-{}", op.status.as_str())).into(),
                ),
                ("from", s.tr.date(op.from).into()),
                ("to", s.tr.date(op.to).into()),
            ],
        ),
    }
}

/// The serde name of a unit enum value (`side_a`, `confidential`), for message ids.
fn serde_code<T: serde::Serialize>(v: &T) -> String {
    match serde_json::to_value(v) {
        Ok(serde_json::Value::String(s)) => s,
        _ => "unknown".to_owned(),
    }
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ui/incidents", get(list))
        .route("/ui/incidents/{id}", get(detail))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_escaped_in_paths() {
        assert_eq!(href("mli:0001"), "/ui/incidents/mli%3A0001");
        assert_eq!(href("a/b?c"), "/ui/incidents/a%2Fb%3Fc");
    }
}
