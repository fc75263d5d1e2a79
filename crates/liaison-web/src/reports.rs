//! `GET|POST /ui/reports`: field reports on a plain HTML form that works over a 2G link — no
//! script, one small page, the text limited to one SMS — and the latest reports with what each
//! was read as, which analysts accept (the draft becomes an incident of this node) or reject.
//!
//! Reading is `liaison_server::reports::read_report`, the same as the API's and the CLI's. Every
//! report is kept, an unreadable one too, with the reason. After each post the browser is sent
//! back to the list (post, redirect, get), so reloading never sends a report twice.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use liaison_core::{Incident, Lang};
use liaison_server::reports::{read_report, report_incident_id};
use liaison_store::{FieldReportRow, ReportStatus, StoreError};
use serde::Deserialize;

use crate::WebState;
use crate::incidents::href;
use crate::layout::{Page, failure, render};
use crate::map::Choice;
use crate::session::{Screen, Session};

/// Reports the page lists.
const SHOWN: u32 = 30;

/// One report in the list, in the reader's language.
struct Row {
    id: i64,
    received: String,
    sender: String,
    text: String,
    reading: String,
    status: &'static str,
    status_label: String,
    incident_href: Option<String>,
}

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    page: Page,
    notice: Option<String>,
    problems: Vec<String>,
    text: String,
    from: String,
    lang: String,
    langs: Vec<Choice>,
    rows: Vec<Row>,
}

fn reading_of(s: &Session, r: &FieldReportRow) -> String {
    if let Some(e) = &r.error {
        return e.clone();
    }
    let Some(d) = &r.draft else {
        return String::new();
    };
    let place = d
        .location
        .place_name
        .clone()
        .or_else(|| {
            d.location
                .point
                .map(|p| format!("{:.4}, {:.4}", p.lat, p.lon))
        })
        .unwrap_or_default();
    let country = d.location.country.as_ref().map_or("", |c| c.as_str());
    let killed = i64::from(d.casualties.fatalities.best);
    format!(
        "{} · {} · {place} {country} · {}",
        s.tr.t(&format!("subtype-{}", d.sub_type.as_str())),
        s.tr.date(d.date.start),
        s.tr.ta("reports-killed", &[("n", killed.into())])
    )
}

fn row(s: &Session, r: &FieldReportRow) -> Row {
    Row {
        id: r.id,
        received: s.tr.timestamp(&r.received_at),
        sender: r.sender.clone(),
        text: r.text.clone(),
        reading: reading_of(s, r),
        status: r.status.as_str(),
        status_label: s.tr.t(&format!("reports-status-{}", r.status.as_str())),
        incident_href: r.incident_id.as_deref().map(href),
    }
}

fn lang_choices(s: &Session) -> Vec<Choice> {
    ["fr", "en", "ar"]
        .into_iter()
        .map(|l| Choice {
            value: l.to_owned(),
            label: s.tr.t(&format!("reports-lang-{l}")),
        })
        .collect()
}

/// The notice a redirect asks for (`?done=…&id=…&incident=…`), in the reader's language.
fn notice(s: &Session, query: &str) -> Option<String> {
    let mut done = String::new();
    let mut id = String::new();
    let mut incident = String::new();
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "done" => done = v.into_owned(),
            "id" => id = v.into_owned(),
            "incident" => incident = v.into_owned(),
            _ => {}
        }
    }
    // Only numbers and incident ids are echoed, and askama escapes them anyway.
    let id = id.parse::<i64>().ok()?;
    let message = match done.as_str() {
        "draft" => "reports-kept-draft",
        "unreadable" => "reports-kept-unreadable",
        "accepted" => "reports-accepted",
        "rejected" => "reports-rejected",
        _ => return None,
    };
    Some(s.tr.ta(
        message,
        &[("id", id.into()), ("incident", incident.as_str().into())],
    ))
}

async fn page_with(
    state: &WebState,
    s: &Session,
    notice: Option<String>,
    problems: Vec<String>,
    form: Option<&ReportForm>,
) -> Response {
    let member = state.app.member.as_str();
    let rows = match state.app.store.field_reports(None, SHOWN).await {
        Ok(r) => r,
        Err(e) => return failure(s, member, &e),
    };
    render(&ReportsPage {
        page: Page::new(s, member, Screen::Reports, "reports-title", "/ui/reports"),
        notice,
        problems,
        text: form.map(|f| f.text.clone()).unwrap_or_default(),
        from: form.map_or_else(|| s.user.name.clone(), |f| f.from.clone()),
        lang: form.map_or_else(|| "fr".to_owned(), |f| f.lang.clone()),
        langs: lang_choices(s),
        rows: rows.iter().map(|r| row(s, r)).collect(),
    })
}

async fn page(State(state): State<WebState>, s: Session, RawQuery(q): RawQuery) -> Response {
    if let Err(refused) = s.require(Screen::Reports) {
        return refused;
    }
    let notice = notice(&s, q.as_deref().unwrap_or(""));
    page_with(&state, &s, notice, Vec::new(), None).await
}

#[derive(Deserialize)]
struct ReportForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    lang: String,
}

async fn submit(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    Form(form): Form<ReportForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::Reports) {
        return refused;
    }
    let mut problems = Vec::new();
    if form.text.trim().is_empty() {
        problems.push(s.tr.t("reports-error-text"));
    }
    let from = form.from.trim();
    if from.is_empty() || from.chars().count() > 100 {
        problems.push(s.tr.t("reports-error-from"));
    }
    if !problems.is_empty() {
        return page_with(&state, &s, None, problems, Some(&form)).await;
    }
    let lang = match form.lang.as_str() {
        "en" => Lang::En,
        "ar" => Lang::Ar,
        _ => Lang::Fr,
    };
    let now = (state.app.clock)();
    let read = read_report(&form.text, from, lang, now.date());
    let recorded = state
        .app
        .store
        .record_field_report(from, &form.text, read.as_ref().map_err(String::as_str), now)
        .await;
    match recorded {
        Ok(id) => {
            let done = if read.is_ok() { "draft" } else { "unreadable" };
            Redirect::to(&format!("/ui/reports?done={done}&id={id}")).into_response()
        }
        Err(e) => failure(&s, state.app.member.as_str(), &e),
    }
}

/// After a review the store refused: already reviewed (shown as such), or a real failure.
async fn review_refused(state: &WebState, s: &Session, e: StoreError) -> Response {
    match e {
        StoreError::Conflict(_) | StoreError::NotFound => {
            page_with(state, s, None, vec![s.tr.t("reports-error-review")], None).await
        }
        other => failure(s, state.app.member.as_str(), &other),
    }
}

#[derive(Deserialize)]
struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    reason: String,
}

async fn accept(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ReviewForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::Reports) {
        return refused;
    }
    let row = match state.app.store.field_report(id).await {
        Ok(r) => r,
        Err(e) => return review_refused(&state, &s, e).await,
    };
    let (ReportStatus::Draft, Some(content)) = (row.status, row.draft) else {
        return review_refused(&state, &s, StoreError::Conflict(String::new())).await;
    };
    let Ok(incident_id) = report_incident_id(&state.app.member, id) else {
        return failure(
            &s,
            state.app.member.as_str(),
            &StoreError::Corrupt("report incident id".into()),
        );
    };
    let incident = Incident::new(incident_id.clone(), state.app.member.clone(), 1, content);
    match state
        .app
        .store
        .accept_field_report(id, &incident, &s.user.name, (state.app.clock)())
        .await
    {
        Ok(()) => Redirect::to(&format!(
            "/ui/reports?done=accepted&id={id}&incident={}",
            incident_id.as_str()
        ))
        .into_response(),
        Err(e) => review_refused(&state, &s, e).await,
    }
}

async fn reject(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<ReviewForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::Reports) {
        return refused;
    }
    let reason = form.reason.trim();
    if reason.is_empty() || reason.chars().count() > 2_000 {
        return page_with(&state, &s, None, vec![s.tr.t("reports-error-reason")], None).await;
    }
    match state
        .app
        .store
        .reject_field_report(id, reason, &s.user.name, (state.app.clock)())
        .await
    {
        Ok(()) => Redirect::to(&format!("/ui/reports?done=rejected&id={id}")).into_response(),
        Err(e) => review_refused(&state, &s, e).await,
    }
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ui/reports", get(page).post(submit))
        .route("/ui/reports/{id}/accept", post(accept))
        .route("/ui/reports/{id}/reject", post(reject))
}
