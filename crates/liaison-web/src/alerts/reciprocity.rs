//! `GET /ui/reciprocity`: per member, what it and this node gave each other — incidents shared
//! both ways, flash alerts both ways and how fast each side took them up — and the response
//! times of the alerts this node holds, per member. Every role sees it.
//!
//! The figures are the store's (`reciprocity`, `alert_stats`), the same as the API's; they are
//! this node's bilateral view, since each node sees only what passed between it and each peer,
//! and the page says so. Times are medians (nearest rank), written by
//! `liaison_ops::alerts::format_duration`.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use liaison_ops::alerts::{ResponseTimes, format_duration};

use super::{frame, open_alerts};
use crate::WebState;
use crate::i18n::Tr;
use crate::layout::{Page, failure, render};
use crate::session::{Screen, Session};

struct RecRow {
    member: String,
    shared_with_us: String,
    we_shared: String,
    flashes_to: String,
    flashes_answered: String,
    its_acknowledge: String,
    flashes_from: String,
    our_acknowledge: String,
}

struct StatsRow {
    member: String,
    alerts: String,
    open: String,
    to_acknowledge: String,
    to_action: String,
    to_close: String,
}

#[derive(Template)]
#[template(path = "reciprocity.html")]
struct ReciprocityPage {
    page: Page,
    explanation: String,
    rows: Vec<RecRow>,
    stats: Vec<StatsRow>,
}

/// A median for the table: `12 min`, or a dash when nothing was measured.
fn median(t: &ResponseTimes) -> String {
    t.median_secs
        .map_or_else(|| "—".to_owned(), format_duration)
}

/// A median with the 90th percentile beside it, for the response-time table.
fn median_p90(tr: &Tr, t: &ResponseTimes) -> String {
    match (t.median_secs, t.p90_secs) {
        (Some(m), Some(p)) => tr.ta(
            "reciprocity-median-p90",
            &[
                ("median", format_duration(m).into()),
                ("p90", format_duration(p).into()),
            ],
        ),
        _ => "—".to_owned(),
    }
}

fn count(tr: &Tr, n: u64) -> String {
    tr.num(i64::try_from(n).unwrap_or(i64::MAX))
}

pub(super) async fn page(State(state): State<WebState>, s: Session) -> Response {
    if let Err(refused) = s.require(Screen::Reciprocity) {
        return refused;
    }
    let member = state.app.member.as_str();
    let rows = match state.app.store.reciprocity(member).await {
        Ok(r) => r,
        Err(e) => return failure(&s, member, &e),
    };
    let stats = match state.app.store.alert_stats(member).await {
        Ok(r) => r,
        Err(e) => return failure(&s, member, &e),
    };
    let open = match open_alerts(&state).await {
        Ok(n) => n,
        Err(e) => return failure(&s, member, &e),
    };
    let tr = &s.tr;
    render(&ReciprocityPage {
        page: frame(
            &s,
            member,
            Screen::Reciprocity,
            "reciprocity-title",
            "/ui/reciprocity",
            open,
        ),
        explanation: tr.ta("reciprocity-explanation", &[("member", member.into())]),
        rows: rows
            .iter()
            .map(|r| RecRow {
                member: r.member.clone(),
                shared_with_us: count(tr, r.shared_with_us),
                we_shared: count(tr, r.we_shared),
                flashes_to: count(tr, r.flashes_to),
                flashes_answered: count(tr, r.flashes_answered),
                its_acknowledge: median(&r.its_acknowledge),
                flashes_from: count(tr, r.flashes_from),
                our_acknowledge: median(&r.our_acknowledge),
            })
            .collect(),
        stats: stats
            .iter()
            .map(|r| StatsRow {
                member: r.member.clone(),
                alerts: count(tr, r.alerts),
                open: count(tr, r.open),
                to_acknowledge: median_p90(tr, &r.to_acknowledge),
                to_action: median_p90(tr, &r.to_action),
                to_close: median_p90(tr, &r.to_close),
            })
            .collect(),
    })
}
