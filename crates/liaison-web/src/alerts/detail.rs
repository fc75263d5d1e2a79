//! `GET /ui/alerts/{id}` and `POST /ui/alerts/{id}/{acknowledge|action|close}`: one alert —
//! why it was raised, its steps with when and who, the incidents attached to it, its flash
//! pushes per peer and the responses — and the forms that take the next step.
//!
//! Only the steps `liaison_ops::alerts::transition` allows from where the alert stands are
//! offered, and only to the roles that may act (auditors read). The store checks the step again
//! against the state it reads, so when another user moved the alert between the page and the
//! post, the step is refused and the page says so beside the alert as it now stands.

use askama::Template;
use axum::Form;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use liaison_ops::alerts::{AlertState, transition};
use liaison_server::alerts::step_of;
use liaison_store::{AlertDetail, AlertKind, StoreError};
use serde::Deserialize;

use super::{alert_href, frame, open_alerts, origin, state_label};
use crate::WebState;
use crate::incidents::href;
use crate::layout::{Page, failure, not_found, render};
use crate::session::{Screen, Session};

/// Longest note on a step, in characters (the API's bound).
const MAX_NOTE_CHARS: usize = 2_000;

/// One step of the alert's life, done.
struct Step {
    label: String,
    at: String,
    by: String,
    note: String,
}

struct Attached {
    id: String,
    href: String,
    at: String,
}

struct Delivery {
    peer: String,
    at: String,
    ok: bool,
    outcome: String,
}

struct Answer {
    member: String,
    state_label: String,
    at: String,
    delivered: String,
}

#[derive(Template)]
#[template(path = "alerts_detail.html")]
struct DetailPage {
    page: Page,
    id: i64,
    state: &'static str,
    state_label: String,
    origin: String,
    incident: String,
    incident_href: String,
    version: i64,
    originator: String,
    flash: bool,
    reasons: Vec<String>,
    steps: Vec<Step>,
    attached: Vec<Attached>,
    show_deliveries: bool,
    deliveries: Vec<Delivery>,
    show_answers: bool,
    answers_caption: String,
    answers: Vec<Answer>,
    notice: Option<String>,
    problems: Vec<String>,
    /// The steps offered: only those allowed from the current state, to a role that may act.
    offer_acknowledge: bool,
    offer_action: bool,
    offer_close: bool,
    read_only: bool,
    action_note: String,
    close_note: String,
    base: String,
}

/// What a refused post brings back to the page: the problems and the notes typed.
#[derive(Default)]
struct Back {
    problems: Vec<String>,
    action_note: String,
    close_note: String,
}

fn allowed(from: AlertState, to: AlertState) -> bool {
    transition(from, to).is_ok()
}

async fn render_detail(
    state: &WebState,
    s: &Session,
    id: i64,
    notice: Option<String>,
    back: Back,
) -> Response {
    let member = state.app.member.as_str();
    let d: AlertDetail = match state.app.store.alert(id).await {
        Ok(d) => d,
        Err(StoreError::NotFound) => return not_found(s, member),
        Err(e) => return failure(s, member, &e),
    };
    let open = match open_alerts(state).await {
        Ok(n) => n,
        Err(e) => return failure(s, member, &e),
    };
    let a = &d.alert;
    let tr = &s.tr;
    let mut steps = vec![Step {
        label: state_label(tr, AlertState::Raised),
        at: tr.timestamp(&a.raised_at),
        by: origin(tr, a),
        note: String::new(),
    }];
    let done = [
        (
            AlertState::Acknowledged,
            &a.acknowledged_at,
            &a.acknowledged_by,
            &None,
        ),
        (
            AlertState::ActionTaken,
            &a.action_at,
            &a.action_by,
            &a.action_note,
        ),
        (
            AlertState::Closed,
            &a.closed_at,
            &a.closed_by,
            &a.closed_note,
        ),
    ];
    for (st, at, by, note) in done {
        if let Some(at) = at {
            steps.push(Step {
                label: state_label(tr, st),
                at: tr.timestamp(at),
                by: by.clone().unwrap_or_default(),
                note: note.clone().unwrap_or_default(),
            });
        }
    }
    let may_act = s.may(Screen::AlertSteps);
    // On a partner's flash the responses are ours to it; on our own alert, partners' to us.
    let answers_caption = match (a.kind, &a.from_member) {
        (AlertKind::Flash, Some(from)) => {
            tr.ta("alert-answers-ours", &[("member", from.as_str().into())])
        }
        _ => tr.t("alert-answers-theirs"),
    };
    render(&DetailPage {
        page: frame(
            s,
            member,
            Screen::Alerts,
            "alert-title",
            &alert_href(a.id),
            open,
        ),
        id: a.id,
        state: a.state.as_str(),
        state_label: state_label(tr, a.state),
        origin: origin(tr, a),
        incident: a.incident_id.clone(),
        incident_href: href(&a.incident_id),
        version: a.incident_version,
        originator: a.originator.clone(),
        flash: a.flash,
        reasons: a.reasons.clone(),
        steps,
        attached: d
            .attached
            .iter()
            .map(|(id, at)| Attached {
                id: id.clone(),
                href: href(id),
                at: tr.timestamp(at),
            })
            .collect(),
        show_deliveries: a.flash || !d.deliveries.is_empty(),
        deliveries: d
            .deliveries
            .iter()
            .map(|x| Delivery {
                peer: x.peer.clone(),
                at: tr.timestamp(&x.at),
                ok: x.error.is_none(),
                outcome: match &x.error {
                    None => tr.t("alert-delivery-ok"),
                    Some(e) => tr.ta("alert-delivery-failed", &[("error", e.as_str().into())]),
                },
            })
            .collect(),
        show_answers: a.kind == AlertKind::Flash || a.flash || !d.responses.is_empty(),
        answers_caption,
        answers: d
            .responses
            .iter()
            .map(|r| Answer {
                member: r.by_member.clone(),
                state_label: state_label(tr, r.state),
                at: tr.timestamp(&r.at),
                delivered: tr.t(if r.delivered_at.is_some() || r.object.is_some() {
                    "alert-answer-signed"
                } else {
                    "alert-answer-pending"
                }),
            })
            .collect(),
        notice,
        problems: back.problems,
        offer_acknowledge: may_act && allowed(a.state, AlertState::Acknowledged),
        offer_action: may_act && allowed(a.state, AlertState::ActionTaken),
        offer_close: may_act && allowed(a.state, AlertState::Closed),
        read_only: !may_act && a.state != AlertState::Closed,
        action_note: back.action_note,
        close_note: back.close_note,
        base: alert_href(a.id),
    })
}

/// The notice a redirect after a step asks for (`?done=acknowledge`).
fn notice(s: &Session, query: &str) -> Option<String> {
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "done")
        .and_then(|(_, v)| match v.as_ref() {
            "acknowledge" => Some("alert-done-acknowledge"),
            "action" => Some("alert-done-action"),
            "close" => Some("alert-done-close"),
            _ => None,
        })
        .map(|id| s.tr.t(id))
}

pub(super) async fn page(
    State(state): State<WebState>,
    s: Session,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    if let Err(refused) = s.require(Screen::Alerts) {
        return refused;
    }
    let Ok(id) = raw.parse::<i64>() else {
        return not_found(&s, state.app.member.as_str());
    };
    let notice = notice(&s, q.as_deref().unwrap_or(""));
    render_detail(&state, &s, id, notice, Back::default()).await
}

#[derive(Deserialize)]
pub(super) struct StepForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    note: String,
}

pub(super) async fn step(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    Path((raw, step)): Path<(String, String)>,
    Form(form): Form<StepForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::AlertSteps) {
        return refused;
    }
    let member = state.app.member.as_str();
    let (Ok(id), Some(to)) = (raw.parse::<i64>(), step_of(&step)) else {
        return not_found(&s, member);
    };
    let note = form.note.trim();
    let mut back = Back::default();
    match to {
        AlertState::ActionTaken => back.action_note = note.to_owned(),
        _ => back.close_note = note.to_owned(),
    }
    if to == AlertState::ActionTaken && note.is_empty() {
        back.problems.push(s.tr.t("alert-error-note-required"));
    }
    if note.chars().count() > MAX_NOTE_CHARS {
        back.problems.push(s.tr.ta(
            "alert-error-note-long",
            &[("max", (MAX_NOTE_CHARS as i64).into())],
        ));
    }
    if !back.problems.is_empty() {
        return render_detail(&state, &s, id, None, back).await;
    }
    // Acknowledging carries no note: the form has none, and a forged one is not kept.
    let note = (to != AlertState::Acknowledged && !note.is_empty()).then_some(note);
    match state
        .app
        .store
        .advance_alert(id, to, note, &s.user.name, member, (state.app.clock)())
        .await
    {
        Ok(_) => Redirect::to(&format!("{}?done={step}", alert_href(id))).into_response(),
        Err(StoreError::NotFound) => not_found(&s, member),
        Err(StoreError::Conflict(_)) => {
            // Someone else moved the alert meanwhile, or the form was stale: say where it
            // stands now, from a fresh read, rather than the store's words.
            let now = match state.app.store.alert(id).await {
                Ok(d) => d.alert,
                Err(StoreError::NotFound) => return not_found(&s, member),
                Err(e) => return failure(&s, member, &e),
            };
            let problem = s.tr.ta(
                "alert-step-refused",
                &[
                    ("step", s.tr.t(&format!("alert-step-{step}")).into()),
                    ("state", state_label(&s.tr, now.state).into()),
                ],
            );
            back.problems.push(problem);
            render_detail(&state, &s, id, None, back).await
        }
        Err(e) => failure(&s, member, &e),
    }
}
