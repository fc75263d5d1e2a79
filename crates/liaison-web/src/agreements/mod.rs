//! The agreements screen, for liaison officers, administrators and auditors: every sharing
//! agreement with where it stands today, one agreement in full (the plain-language summary, its
//! scope and obligations in the reader's language, its versions, its Cedar policy), and the
//! preview of what one partner would receive now (`preview`).
//!
//! Everything shown comes from the same calls as `liaison agreement list | show`: the stored
//! versions, `liaison_policy::summary` and `liaison_policy::cedar_text`, so the screen and the
//! command line cannot tell a liaison officer two different things about one agreement.

mod labels;
mod preview;

pub use labels::{Standing, applied_label, type_label};

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use liaison_core::{Agreement, AgreementId};
use liaison_store::{AgreementRow, StoreError};
use time::{Date, UtcOffset};

use crate::layout::{Page, failure, not_found, render};
use crate::session::{Screen, Session};
use crate::{WebState, assets};

/// A stored agreement document, read back; a document that no longer parses is a store fault.
fn parse(row: &AgreementRow) -> Result<Agreement, StoreError> {
    serde_json::from_str(&row.doc)
        .map_err(|e| StoreError::Corrupt(format!("agreement {} v{}: {e}", row.id, row.version)))
}

/// Today as the egress policy sees it: the UTC day of the node's clock.
fn today(state: &WebState) -> Date {
    (state.app.clock)().to_offset(UtcOffset::UTC).date()
}

/// The current version of every agreement, by id.
async fn current(state: &WebState) -> Result<Vec<Agreement>, StoreError> {
    state
        .app
        .store
        .agreements()
        .await?
        .iter()
        .map(parse)
        .collect()
}

/// Every recipient named by any agreement, sorted: the partners a preview makes sense for.
fn recipients_of(all: &[Agreement]) -> Vec<String> {
    let mut codes: Vec<String> = all
        .iter()
        .flat_map(|a| a.recipients.iter().map(|r| r.as_str().to_owned()))
        .collect();
    codes.sort();
    codes.dedup();
    codes
}

struct ListRow {
    id: String,
    href: String,
    recipients: String,
    version: String,
    state: String,
    badge: &'static str,
    first_line: String,
}

#[derive(Template)]
#[template(path = "agreements.html")]
struct ListPage {
    page: Page,
    screens_css: String,
    rows: Vec<ListRow>,
    partners: Vec<String>,
}

async fn list(State(state): State<WebState>, s: Session) -> Response {
    if let Err(refused) = s.require(Screen::Agreements) {
        return refused;
    }
    let member = state.app.member.as_str();
    let all = match current(&state).await {
        Ok(a) => a,
        Err(e) => return failure(&s, member, &e),
    };
    let today = today(&state);
    let rows = all
        .iter()
        .map(|a| {
            let standing = Standing::of(a, today);
            let summary = liaison_policy::summary(a);
            ListRow {
                id: a.id.to_string(),
                href: format!("/ui/agreements/{}", a.id),
                recipients: a
                    .recipients
                    .iter()
                    .map(|r| r.as_str())
                    .collect::<Vec<_>>()
                    .join(", "),
                version: s.tr.num(i64::from(a.version)),
                state: standing.label(&s.tr),
                badge: standing.badge(),
                first_line: summary.lines().next().unwrap_or("").to_owned(),
            }
        })
        .collect();
    render(&ListPage {
        page: Page::new(
            &s,
            member,
            Screen::Agreements,
            "agreements-title",
            "/ui/agreements",
        ),
        screens_css: assets::url("screens.css"),
        rows,
        partners: recipients_of(&all),
    })
}

struct VersionRow {
    version: String,
    by: String,
    at: String,
    revoked: bool,
}

struct Recipient {
    code: String,
    href: String,
}

#[derive(Template)]
#[template(path = "agreement.html")]
struct DetailPage {
    page: Page,
    screens_css: String,
    id: String,
    title: String,
    version: String,
    state: String,
    badge: &'static str,
    /// The plain-language summary, one paragraph per line (English: `liaison-policy`'s text).
    summary: Vec<String>,
    originator: String,
    recipients: Vec<Recipient>,
    what: Vec<String>,
    obligations: Vec<String>,
    from: String,
    until: String,
    onward: String,
    versions: Vec<VersionRow>,
    cedar: String,
}

async fn detail(State(state): State<WebState>, s: Session, Path(id): Path<String>) -> Response {
    if let Err(refused) = s.require(Screen::Agreements) {
        return refused;
    }
    let member = state.app.member.as_str();
    let Ok(id) = AgreementId::parse(&id) else {
        return not_found(&s, member);
    };
    let rows = match state.app.store.agreement_versions(id.as_str()).await {
        Ok(r) => r,
        Err(StoreError::NotFound) => return not_found(&s, member),
        Err(e) => return failure(&s, member, &e),
    };
    let mut versions = Vec::with_capacity(rows.len());
    let mut latest = None;
    for row in &rows {
        let a = match parse(row) {
            Ok(a) => a,
            Err(e) => return failure(&s, member, &e),
        };
        versions.push(VersionRow {
            version: s.tr.num(row.version),
            by: row.recorded_by.clone(),
            at: s.tr.timestamp(&row.recorded_at),
            revoked: a.revoked,
        });
        latest = Some(a);
    }
    let Some(a) = latest else {
        return not_found(&s, member);
    };
    // Newest first: the version in force is the one a reader looks for.
    versions.reverse();
    let tr = &s.tr;
    let standing = Standing::of(&a, today(&state));
    let from = match a.valid_from {
        Some(d) => tr.ta("agreements-from-date", &[("date", tr.date(d).into())]),
        None => tr.t("agreements-from-adoption"),
    };
    let until = match a.expires {
        Some(d) => tr.ta("agreements-until-date", &[("date", tr.date(d).into())]),
        None => tr.t("agreements-until-none"),
    };
    let path = format!("/ui/agreements/{id}");
    let mut page = Page::new(
        &s,
        member,
        Screen::Agreements,
        "agreements-detail-title",
        &path,
    );
    // The window's title names the agreement, so several open tabs can be told apart.
    page.title = tr.ta("agreements-detail-tab", &[("id", id.as_str().into())]);
    render(&DetailPage {
        page,
        screens_css: assets::url("screens.css"),
        id: id.to_string(),
        title: a.title.clone(),
        version: tr.num(i64::from(a.version)),
        state: standing.label(tr),
        badge: standing.badge(),
        summary: liaison_policy::summary(&a)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(str::to_owned)
            .collect(),
        originator: a.originator.to_string(),
        recipients: a
            .recipients
            .iter()
            .map(|r| Recipient {
                code: r.to_string(),
                href: format!("/ui/agreements/preview?to={r}"),
            })
            .collect(),
        what: labels::scope_lines(tr, &a.scope),
        obligations: labels::obligation_lines(tr, &a.obligations),
        from,
        until,
        onward: tr.t(if a.onward_release {
            "agreements-onward-yes"
        } else {
            "agreements-onward-no"
        }),
        versions,
        cedar: liaison_policy::cedar_text(&a),
    })
}

pub fn routes() -> Router<WebState> {
    // The static `preview` segment wins over `{id}` in axum's router; an agreement named
    // `preview` is still shown by `liaison agreement show preview`.
    Router::new()
        .route("/ui/agreements", get(list))
        .route("/ui/agreements/preview", get(preview::page))
        .route("/ui/agreements/{id}", get(detail))
}
