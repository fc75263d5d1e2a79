//! Characterisations on the incident page: every member's reading of the incident (terrorism,
//! banditry, trafficking, …) side by side, each with its confidence, rationale and the
//! member's own term, and the form with which this node's analysts record their member's
//! reading (a new version of it; nothing is overwritten).
//!
//! A reading is never a fact of the incident: the page shows whose reading each is, and this
//! node can only record its own member's.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use liaison_core::{Category, Characterisation, Confidence, IncidentId};
use liaison_store::StoreError;
use serde::Deserialize;

use crate::WebState;
use crate::incidents::href;
use crate::layout::{Page, failure, not_found, render_status};
use crate::map::Choice;
use crate::session::{Screen, Session};

/// One member's current reading, in the reader's language.
#[derive(Debug, Clone)]
pub struct ReadingView {
    pub member: String,
    pub category: String,
    pub confidence: String,
    pub rationale: String,
    pub term: String,
    pub version: i64,
    pub recorded: String,
}

/// The categories and confidences for the form's selects.
pub fn category_choices(s: &Session) -> Vec<Choice> {
    Category::ALL
        .into_iter()
        .map(|c| Choice {
            value: c.as_str().to_owned(),
            label: s.tr.t(&format!("reading-category-{}", c.as_str())),
        })
        .collect()
}

pub fn confidence_choices(s: &Session) -> Vec<Choice> {
    Confidence::ALL
        .into_iter()
        .map(|c| Choice {
            value: c.as_str().to_owned(),
            label: s.tr.t(&format!("reading-confidence-{}", c.as_str())),
        })
        .collect()
}

/// Every member's current reading of `id`.
pub async fn views(
    state: &WebState,
    s: &Session,
    id: &IncidentId,
) -> Result<Vec<ReadingView>, StoreError> {
    Ok(state
        .app
        .store
        .characterisations_of(id)
        .await?
        .into_iter()
        .map(|r| ReadingView {
            member: r.member.to_string(),
            category: s.tr.t(&format!("reading-category-{}", r.category.as_str())),
            confidence: s
                .tr
                .t(&format!("reading-confidence-{}", r.confidence.as_str())),
            rationale: r.rationale,
            term: r.national_term.unwrap_or_default(),
            version: r.version,
            recorded: format!("{} · {}", s.tr.timestamp(&r.recorded_at), r.recorded_by),
        })
        .collect())
}

#[derive(Deserialize)]
struct ReadingForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    category: String,
    #[serde(default)]
    confidence: String,
    #[serde(default)]
    rationale: String,
    #[serde(default)]
    term: String,
}

#[derive(Template)]
#[template(path = "reading_refused.html")]
struct RefusedPage {
    page: Page,
    problems: Vec<String>,
    back: String,
}

/// Records this node's member's reading of an incident, then returns to the incident.
async fn record(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<ReadingForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::Entry) {
        return refused;
    }
    let member = state.app.member.as_str();
    let Ok(id) = IncidentId::parse(&raw) else {
        return not_found(&s, member);
    };
    let mut problems = vec![];
    let category = Category::parse(&form.category)
        .map_err(|_| problems.push(s.tr.t("reading-error-category")))
        .ok();
    let confidence = Confidence::parse(&form.confidence)
        .map_err(|_| problems.push(s.tr.t("reading-error-confidence")))
        .ok();
    let rationale = form.rationale.trim().to_owned();
    if rationale.is_empty() {
        problems.push(s.tr.t("reading-error-rationale"));
    }
    let term = form.term.trim();
    let back = href(id.as_str());
    if let (true, Some(category), Some(confidence)) = (problems.is_empty(), category, confidence) {
        let reading = Characterisation {
            incident_id: id.clone(),
            member: state.app.member.clone(),
            category,
            confidence,
            rationale,
            national_term: (!term.is_empty()).then(|| term.to_owned()),
        };
        if let Err(errors) = reading.validate() {
            problems.extend(
                errors
                    .0
                    .iter()
                    .map(|e| format!("{}: {}", e.field, e.message)),
            );
        } else {
            match state
                .app
                .store
                .characterise(&reading, &s.user.name, (state.app.clock)())
                .await
            {
                Ok(_) => return Redirect::to(&format!("{back}#readings")).into_response(),
                Err(StoreError::NotFound) => return not_found(&s, member),
                Err(e) => return failure(&s, member, &e),
            }
        }
    }
    render_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &RefusedPage {
            page: Page::new(
                &s,
                member,
                Screen::Incidents,
                "reading-refused-title",
                &back,
            ),
            problems,
            back,
        },
    )
}

pub fn routes() -> Router<WebState> {
    Router::new().route("/ui/incidents/{id}/characterisations", post(record))
}
