//! `GET /ui/alerts`, `/ui/alerts/{id}`, `/ui/alerts/rules` and `/ui/reciprocity`: the alerts
//! this node's watch rules and its partners' flash items raised, each followed from raised to
//! acknowledged to action taken to closed; the watch rules; and what each member and this node
//! gave each other.
//!
//! Everything is read and written through the same store calls as the JSON API
//! (`liaison_server::alerts`), so the screens and the API cannot disagree: the list first runs
//! the API's [`scan`] so an incident stored a moment ago has raised its alert before the page
//! is drawn; a step is the store's `advance_alert`, which refuses a step another user took
//! first; rules are read by `liaison_ops::watch::parse_rules`, whose field names the page shows.
//!
//! Submodules: `detail` (one alert and its step forms), `rules` (the rules and the paste form),
//! `reciprocity` (the bilateral figures and response times).

mod detail;
mod layer;
mod reciprocity;
mod rules;

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::{get, post};
use liaison_ops::alerts::AlertState;
use liaison_server::alerts::scan;
use liaison_store::{AlertFilter, AlertKind, AlertRow, StoreError};

use crate::WebState;
use crate::i18n::Tr;
use crate::incidents::href;
use crate::layout::{Page, failure, render};
use crate::session::{Screen, Session};

/// Alerts the list shows at most: a watch that has more open alerts than this has a rule to fix.
const SHOWN: u32 = 200;

/// The address of one alert's page.
pub fn alert_href(id: i64) -> String {
    format!("/ui/alerts/{id}")
}

/// A state's name in the reader's language.
fn state_label(tr: &Tr, s: AlertState) -> String {
    tr.t(&format!("alert-state-{}", s.as_str()))
}

/// Where an alert came from: its rule's id, or the partner whose flash item raised it.
fn origin(tr: &Tr, a: &AlertRow) -> String {
    match a.kind {
        AlertKind::Rule => tr.ta(
            "alerts-origin-rule",
            &[("rule", a.rule_id.clone().unwrap_or_default().into())],
        ),
        AlertKind::Flash => tr.ta(
            "alerts-origin-flash",
            &[(
                "member",
                a.from_member
                    .clone()
                    .unwrap_or_else(|| a.originator.clone())
                    .into(),
            )],
        ),
    }
}

/// How many alerts are not closed yet, all members' rules and partners' flashes together.
async fn open_alerts(state: &WebState) -> Result<u64, StoreError> {
    let stats = state
        .app
        .store
        .alert_stats(state.app.member.as_str())
        .await?;
    Ok(stats.iter().map(|r| r.open).sum())
}

/// The frame of an alerts screen, with the open count beside "Alerts" in the navigation: these
/// screens read the alerts anyway, while other screens would pay a query for it on every page.
fn frame(s: &Session, member: &str, screen: Screen, title_id: &str, path: &str, open: u64) -> Page {
    let mut page = Page::new(s, member, screen, title_id, path);
    if open > 0 {
        let n = i64::try_from(open).unwrap_or(i64::MAX);
        for item in page.nav.iter_mut().filter(|i| i.href == "/ui/alerts") {
            item.label = s.tr.ta("nav-alerts-open", &[("count", n.into())]);
        }
    }
    page
}

/// One option of a filter's list.
struct Opt {
    value: &'static str,
    label: String,
    selected: bool,
}

/// One alert in the list, in the reader's language.
struct Row {
    id: i64,
    href: String,
    state: &'static str,
    state_label: String,
    origin: String,
    incident: String,
    incident_href: String,
    version: i64,
    raised: String,
    reasons: String,
}

#[derive(Template)]
#[template(path = "alerts.html")]
struct ListPage {
    page: Page,
    states: Vec<Opt>,
    kinds: Vec<Opt>,
    rows: Vec<Row>,
    /// The list stopped at [`SHOWN`]: say so rather than let it pass for all.
    truncated: bool,
}

/// The state filter: open alerts (the default), all, or one state.
const STATE_FILTERS: [&str; 6] = [
    "open",
    "all",
    "raised",
    "acknowledged",
    "action_taken",
    "closed",
];
/// The kind filter: both, our rules' alerts, partners' flash items.
const KIND_FILTERS: [&str; 3] = ["", "rule", "flash"];

/// The filter a query asks for; an unknown value falls back to the default rather than failing,
/// since it can only come from an edited address.
fn filter_of(query: &str) -> (&'static str, &'static str, AlertFilter) {
    let mut state = "open";
    let mut kind = "";
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        match k.as_ref() {
            "state" => {
                if let Some(s) = STATE_FILTERS.iter().find(|s| **s == v.trim()) {
                    state = s;
                }
            }
            "kind" => {
                if let Some(s) = KIND_FILTERS.iter().find(|s| **s == v.trim()) {
                    kind = s;
                }
            }
            _ => {}
        }
    }
    let f = AlertFilter {
        state: AlertState::parse(state).ok(),
        open_only: state == "open",
        kind: match kind {
            "rule" => Some(AlertKind::Rule),
            "flash" => Some(AlertKind::Flash),
            _ => None,
        },
        incident_id: None,
        limit: SHOWN + 1,
    };
    (state, kind, f)
}

async fn list(State(state): State<WebState>, s: Session, RawQuery(q): RawQuery) -> Response {
    let member = state.app.member.as_str();
    if let Err(refused) = s.require(Screen::Alerts) {
        return refused;
    }
    // As the API does: incidents stored since the last scan raise their alerts first.
    if let Err(e) = scan(&state.app.store, (state.app.clock)()).await {
        return failure(&s, member, &e);
    }
    let (chosen_state, chosen_kind, f) = filter_of(q.as_deref().unwrap_or(""));
    let mut alerts = match state.app.store.alerts(&f).await {
        Ok(a) => a,
        Err(e) => return failure(&s, member, &e),
    };
    let truncated = alerts.len() > SHOWN as usize;
    alerts.truncate(SHOWN as usize);
    let open = match open_alerts(&state).await {
        Ok(n) => n,
        Err(e) => return failure(&s, member, &e),
    };
    let rows = alerts
        .iter()
        .map(|a| Row {
            id: a.id,
            href: alert_href(a.id),
            state: a.state.as_str(),
            state_label: state_label(&s.tr, a.state),
            origin: origin(&s.tr, a),
            incident: a.incident_id.clone(),
            incident_href: href(&a.incident_id),
            version: a.incident_version,
            raised: s.tr.timestamp(&a.raised_at),
            reasons: a.reasons.join("; "),
        })
        .collect();
    let states = STATE_FILTERS
        .iter()
        .map(|v| Opt {
            value: v,
            label: s.tr.t(&format!("alerts-filter-state-{v}")),
            selected: *v == chosen_state,
        })
        .collect();
    let kinds = KIND_FILTERS
        .iter()
        .map(|v| Opt {
            value: v,
            label: s.tr.t(&format!(
                "alerts-filter-kind-{}",
                if v.is_empty() { "any" } else { v }
            )),
            selected: *v == chosen_kind,
        })
        .collect();
    render(&ListPage {
        page: frame(
            &s,
            member,
            Screen::Alerts,
            "alerts-title",
            "/ui/alerts",
            open,
        ),
        states,
        kinds,
        rows,
        truncated,
    })
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ui/alerts", get(list))
        // A fixed segment wins over `{id}`, so the rules page needs no prefix of its own.
        .route("/ui/alerts/rules", get(rules::page).post(rules::add))
        .route("/ui/alerts/rules/{id}/retire", post(rules::retire))
        .route("/ui/alerts/{id}", get(detail::page))
        .route("/ui/alerts/{id}/{step}", post(detail::step))
        .route("/ui/reciprocity", get(reciprocity::page))
        .route("/ui/map/layers/alerts.geojson", get(layer::alerts_layer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn filters_default_to_open_alerts_of_any_kind() {
        let (state, kind, f) = filter_of("");
        assert_eq!((state, kind), ("open", ""));
        assert!(f.open_only && f.state.is_none() && f.kind.is_none());
        let (state, kind, f) = filter_of("state=acknowledged&kind=flash");
        assert_eq!((state, kind), ("acknowledged", "flash"));
        assert_eq!(f.state, Some(AlertState::Acknowledged));
        assert!(!f.open_only);
        assert_eq!(f.kind, Some(AlertKind::Flash));
        let (state, _, f) = filter_of("state=all");
        assert_eq!(state, "all");
        assert!(!f.open_only && f.state.is_none());
        // An edited address falls back to the default.
        let (state, kind, _) = filter_of("state=%3Cscript%3E&kind=x");
        assert_eq!((state, kind), ("open", ""));
    }
}
