//! `GET /ui/peers`: one row per peer with the state of the sync (last attempt, last success,
//! last error, failures in a row, objects received, backlog) and the alarms raised against its
//! ledger. The rows are `liaison_server::peers::peers`, the API's own answer, so the screen and
//! `GET /api/v1/peers` cannot disagree. An error or an alarm is drawn in red and stays until
//! the next successful sync or until an operator resolves it: a broken link is never silent.

use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use liaison_server::peers::PeerStatus;

use crate::WebState;
use crate::assets;
use crate::i18n::Tr;
use crate::layout::{Page, failure, render};
use crate::session::{Screen, Session};

struct PeerView {
    member: String,
    url: String,
    fingerprint: String,
    added: String,
    removed: Option<String>,
    last_attempt: String,
    last_success: String,
    last_error: Option<String>,
    failures: String,
    failing: bool,
    received: String,
    backlog: String,
    alarms: String,
    last_alarm: Option<String>,
}

#[derive(Template)]
#[template(path = "peers.html")]
struct PeersPage {
    page: Page,
    screens_css: String,
    peers: Vec<PeerView>,
    /// One line per peer in trouble, above the table, so nobody has to scan eleven columns.
    troubles: Vec<String>,
}

fn when(tr: &Tr, at: Option<&str>) -> String {
    at.map_or_else(|| tr.t("peers-never"), |t| tr.timestamp(t))
}

fn view(tr: &Tr, p: PeerStatus) -> PeerView {
    PeerView {
        added: tr.timestamp(&p.added_at),
        removed: p.removed_at.as_deref().map(|t| tr.timestamp(t)),
        last_attempt: when(tr, p.last_attempt.as_deref()),
        last_success: when(tr, p.last_success.as_deref()),
        failures: tr.num(p.failures),
        failing: p.failures > 0 || p.last_error.is_some(),
        received: tr.num(p.received),
        backlog: p
            .backlog
            .map_or_else(|| tr.t("peers-unknown"), |b| tr.num(b)),
        alarms: tr.num(p.alarms),
        last_alarm: p.last_alarm,
        last_error: p.last_error,
        member: p.member,
        url: p.url,
        fingerprint: p.fingerprint,
    }
}

pub async fn page(State(state): State<WebState>, s: Session) -> Response {
    if let Err(refused) = s.require(Screen::Peers) {
        return refused;
    }
    let member = state.app.member.as_str();
    let peers = match liaison_server::peers::peers(State(state.app.clone())).await {
        Ok(Json(p)) => p,
        Err(e) => return failure(&s, member, &e),
    };
    let tr = &s.tr;
    let mut troubles = Vec::new();
    // A removed peer's old troubles are history, still in its row but not a call to act.
    for p in peers.iter().filter(|p| p.removed_at.is_none()) {
        if p.failures > 0 || p.last_error.is_some() {
            troubles.push(tr.ta(
                "peers-trouble-sync",
                &[
                    ("member", p.member.as_str().into()),
                    ("count", p.failures.into()),
                    ("n", tr.num(p.failures).into()),
                ],
            ));
        }
        if p.alarms > 0 {
            troubles.push(tr.ta(
                "peers-trouble-alarm",
                &[
                    ("member", p.member.as_str().into()),
                    ("count", p.alarms.into()),
                    ("n", tr.num(p.alarms).into()),
                ],
            ));
        }
    }
    let peers: Vec<PeerView> = peers.into_iter().map(|p| view(tr, p)).collect();
    render(&PeersPage {
        page: Page::new(&s, member, Screen::Peers, "peers-title", "/ui/peers"),
        screens_css: assets::url("screens.css"),
        peers,
        troubles,
    })
}
