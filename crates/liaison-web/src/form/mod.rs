//! The incident form: analysts (and administrators) record a new incident, or a new version of
//! one this node's member originated, in a plain HTML form that works without JavaScript.
//!
//! `GET /ui/incidents/new` shows an empty form and `POST` records it; `GET /ui/incidents/{id}/edit`
//! shows the current version with a hidden `base_version`, and `POST` records the next version.
//! What is stored goes through the same steps and store calls as the JSON API
//! (`liaison-server`'s `incidents::create` and `new_version`): the country is derived from the
//! point when none is given, the content is validated by `liaison-core`, ids are drawn the same
//! way, and only this member's incidents get new versions. Anything else (an unknown, malformed
//! or foreign id) is answered by the one "not found" page, so a refusal never tells that an
//! incident exists.
//!
//! Every field is parsed here first, with messages in the user's language, and every problem is
//! collected at once; the core's own validation then runs on what could be built, and whatever
//! it still finds is shown on the field its path names (in English: the core speaks no other
//! language, so the checks here are meant to catch the common cases first). A refused form comes
//! back exactly as typed (422), with an error summary linking to each field and each message tied
//! to its input by `aria-describedby`. A stale edit (someone saved a version in between) comes
//! back with a notice (409) and nothing is stored.
//!
//! The form edits one actor and one source. When a version being edited holds more (imported
//! incidents often do), the others are kept as they are and the form says so, rather than
//! silently dropping them; the provenance of an imported incident is kept too.
//!
//! The form's fields and the views drawn from them are in `fields`, the parsing and checking of
//! what is posted in `parse`; this file holds the handlers, the routes and the page.

mod fields;
mod parse;

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use liaison_core::{Incident, IncidentId};
use liaison_store::StoreError;

use self::fields::{IncidentForm, SectionView, msg_key, sections};
use self::parse::{Problem, check};
use crate::WebState;
use crate::assets;
use crate::layout::{self, Page, render_status};
use crate::session::{Screen, Session};

/// An entry of the error summary: a link to the field, or plain text for the whole form.
#[derive(Debug, Clone)]
struct SummaryItem {
    href: Option<String>,
    text: String,
}

/// What the conflict notice says and links to.
#[derive(Debug, Clone)]
struct Conflict {
    message: String,
    href: String,
}

#[derive(Template)]
#[template(path = "form.html")]
struct FormPage {
    page: Page,
    /// The page's heading: its title without the error prefix.
    heading: String,
    form_css: String,
    action: String,
    /// The version the edit starts from; `None` for a new incident.
    base_version: Option<u32>,
    lead: String,
    submit: String,
    cancel_href: String,
    summary_title: String,
    summary: Vec<SummaryItem>,
    conflict: Option<Conflict>,
    sections: Vec<SectionView>,
}

/// A path segment for an incident id: ids hold only letters, digits and `- _ . :`, all safe in a
/// path, but anything else is percent-encoded all the same, and so is a segment of dots alone
/// (`.`, `..`), which a browser would otherwise resolve away.
fn segment(id: &str) -> String {
    let only_dots = id.bytes().all(|b| b == b'.');
    let mut out = String::with_capacity(id.len());
    for b in id.bytes() {
        let keep = (b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':' | b'~'))
            && !(only_dots && b == b'.');
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn detail_path(id: &IncidentId) -> String {
    format!("/ui/incidents/{}", segment(id.as_str()))
}

/// What the page is for.
enum Mode<'a> {
    New,
    /// A new version of `current`, the stored version as last read.
    Edit {
        current: &'a Incident,
    },
}

/// The form page: `form`'s values, `problems` beside their fields and in the summary, and the
/// conflict notice when an edit was stale.
fn form_page(
    state: &WebState,
    s: &Session,
    mode: &Mode<'_>,
    form: &IncidentForm,
    problems: &[Problem],
    conflict: bool,
    status: StatusCode,
) -> Response {
    let tr = s.tr;
    let member = state.app.member.as_str();
    let (path, title_id, kept) = match mode {
        Mode::New => ("/ui/incidents/new".to_owned(), "form-title-new", None),
        Mode::Edit { current } => (
            format!("{}/edit", detail_path(&current.id)),
            "form-title-edit",
            Some(&current.content),
        ),
    };
    let mut page = Page::new(s, member, Screen::Entry, title_id, &path);
    let heading = page.title.clone();
    if let Mode::Edit { .. } = mode {
        // The navigation's "new incident" is not where the user is.
        for item in &mut page.nav {
            item.current = false;
        }
    }
    if !problems.is_empty() || conflict {
        // Screen readers read the title first: a refused form says so there too.
        page.title = tr.ta("form-error-title", &[("title", page.title.as_str().into())]);
    }
    let (lead, submit, cancel_href, base_version, conflict) = match mode {
        Mode::New => (
            tr.t("form-lead-new"),
            tr.t("form-submit-new"),
            "/ui/incidents".to_owned(),
            None,
            None,
        ),
        Mode::Edit { current } => {
            let version = i64::from(current.version);
            (
                tr.ta(
                    "form-lead-edit",
                    &[
                        ("id", current.id.as_str().into()),
                        ("version", version.into()),
                        ("next", (version + 1).into()),
                    ],
                ),
                tr.ta("form-submit-edit", &[("next", (version + 1).into())]),
                detail_path(&current.id),
                Some(current.version),
                conflict.then(|| Conflict {
                    message: tr.ta("form-conflict", &[("version", version.into())]),
                    href: detail_path(&current.id),
                }),
            )
        }
    };
    let summary = problems
        .iter()
        .map(|p| match p.field {
            Some(f) => SummaryItem {
                href: Some(format!("#f-{f}")),
                text: tr.ta(
                    "form-error-item",
                    &[
                        ("label", tr.t(&format!("form-label-{}", msg_key(f))).into()),
                        ("message", p.message.as_str().into()),
                    ],
                ),
            },
            None => SummaryItem {
                href: None,
                text: p.message.clone(),
            },
        })
        .collect();
    let summary_title = if conflict.is_some() {
        tr.t("form-conflict-title")
    } else {
        tr.t("form-errors-title")
    };
    render_status(
        status,
        &FormPage {
            page,
            heading,
            form_css: assets::url("form.css"),
            action: path,
            base_version,
            lead,
            submit,
            cancel_href,
            summary_title,
            summary,
            conflict,
            sections: sections(form, problems, tr, kept),
        },
    )
}

/// The incident behind an edit URL if this member originated it; otherwise the response to
/// give, the same "not found" for a malformed id, a missing incident and another member's.
async fn editable(
    state: &WebState,
    s: &Session,
    raw: Result<Path<String>, PathRejection>,
) -> Result<Incident, Response> {
    let member = state.app.member.as_str();
    let not_found = || layout::not_found(s, member);
    let Ok(Path(raw)) = raw else {
        return Err(not_found());
    };
    let Ok(id) = IncidentId::parse(&raw) else {
        return Err(not_found());
    };
    match state.app.store.get_incident(&id).await {
        Ok(inc) if inc.originator == state.app.member => Ok(inc),
        Ok(_) | Err(StoreError::NotFound) => Err(not_found()),
        Err(e) => Err(layout::failure(s, member, &e)),
    }
}

async fn new_form(State(state): State<WebState>, s: Session) -> Response {
    if let Err(refused) = s.require(Screen::Entry) {
        return refused;
    }
    let form = IncidentForm::blank(s.tr);
    form_page(&state, &s, &Mode::New, &form, &[], false, StatusCode::OK)
}

async fn create(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    Form(form): Form<IncidentForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::Entry) {
        return refused;
    }
    let member = state.app.member.as_str();
    let content = match check(&form, s.tr, None) {
        Ok(c) => c,
        Err(problems) => {
            return form_page(
                &state,
                &s,
                &Mode::New,
                &form,
                &problems,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    // The id as the API draws it (`liaison_server::incidents::create`).
    let raw_id = format!("{}-{}", member.to_lowercase(), (state.app.new_id)());
    let id = match IncidentId::parse(&raw_id) {
        Ok(id) => id,
        Err(e) => return layout::failure(&s, member, &format!("new incident id '{raw_id}': {e}")),
    };
    let incident = Incident::new(id, state.app.member.clone(), 1, content);
    if let Err(e) = state
        .app
        .store
        .create_incident(&incident, &s.user.name, (state.app.clock)())
        .await
    {
        return layout::failure(&s, member, &e);
    }
    tracing::info!(incident = %incident.id, user = %s.user.name, "incident recorded from the web form");
    Redirect::to(&detail_path(&incident.id)).into_response()
}

async fn edit_form(
    State(state): State<WebState>,
    s: Session,
    id: Result<Path<String>, PathRejection>,
) -> Response {
    if let Err(refused) = s.require(Screen::Entry) {
        return refused;
    }
    let current = match editable(&state, &s, id).await {
        Ok(inc) => inc,
        Err(response) => return response,
    };
    // Showing the form reads the incident: logged like any read.
    let noted = match liaison_store::ts_of((state.app.clock)()) {
        Ok(at) => {
            state
                .app
                .store
                .note_reads(&s.user.name, &[current.id.as_str()], &at)
                .await
        }
        Err(e) => Err(e),
    };
    if let Err(e) = noted {
        return layout::failure(&s, state.app.member.as_str(), &e);
    }
    let form = IncidentForm::from_incident(&current, s.tr);
    let mode = Mode::Edit { current: &current };
    form_page(&state, &s, &mode, &form, &[], false, StatusCode::OK)
}

async fn update(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    id: Result<Path<String>, PathRejection>,
    Form(form): Form<IncidentForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::Entry) {
        return refused;
    }
    let member = state.app.member.as_str();
    let current = match editable(&state, &s, id).await {
        Ok(inc) => inc,
        Err(response) => return response,
    };
    let checked = check(&form, s.tr, Some(&current.content));
    // An edit that did not start from the stored version would overwrite someone's work. The
    // form comes back with the user's values and the current version as its base, so saving
    // again is a deliberate choice made after reading the notice.
    if form.base_version.trim().parse::<u32>().ok() != Some(current.version) {
        let problems = checked.err().unwrap_or_default();
        let mode = Mode::Edit { current: &current };
        return form_page(
            &state,
            &s,
            &mode,
            &form,
            &problems,
            true,
            StatusCode::CONFLICT,
        );
    }
    let content = match checked {
        Ok(c) => c,
        Err(problems) => {
            let mode = Mode::Edit { current: &current };
            return form_page(
                &state,
                &s,
                &mode,
                &form,
                &problems,
                false,
                StatusCode::UNPROCESSABLE_ENTITY,
            );
        }
    };
    let Some(next) = current.version.checked_add(1) else {
        return layout::failure(
            &s,
            member,
            &format!("incident {}: version overflow", current.id),
        );
    };
    let incident = Incident::new(current.id.clone(), state.app.member.clone(), next, content);
    match state
        .app
        .store
        .update_incident(&incident, &s.user.name, (state.app.clock)())
        .await
    {
        Ok(()) => {
            tracing::info!(incident = %incident.id, version = next, user = %s.user.name, "new version from the web form");
            Redirect::to(&detail_path(&incident.id)).into_response()
        }
        // Someone saved between the read above and this write: the same notice, against the
        // version now stored.
        Err(StoreError::Conflict(_)) => match state.app.store.get_incident(&current.id).await {
            Ok(now) => {
                let mode = Mode::Edit { current: &now };
                form_page(&state, &s, &mode, &form, &[], true, StatusCode::CONFLICT)
            }
            Err(e) => layout::failure(&s, member, &e),
        },
        Err(e) => layout::failure(&s, member, &e),
    }
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ui/incidents/new", get(new_form).post(create))
        .route("/ui/incidents/{id}/edit", get(edit_form).post(update))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests;
