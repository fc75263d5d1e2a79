//! `GET /ui/operations`: the joint command's picture — the operations its members declared,
//! the conflicts between members' operations (each reported to both), the deconfliction notices
//! given to neighbours (who, where and when only), and what each member pledged, committed and
//! deployed beside its strength in the brief's assets table.
//!
//! Read-only, for every role: declaring is the CLI's and the API's (`liaison ops add`). The rules
//! are `liaison-ops`', computed as the API computes them (conflicts are worked out when asked,
//! never stored).

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;
use liaison_ops::{Area, Deconflictor, Operation};

use crate::WebState;
use crate::incidents::href;
use crate::layout::{Page, failure, render};
use crate::session::{Screen, Session};

struct OperationLine {
    id: String,
    version: i64,
    objective: String,
    members: String,
    window: String,
    kind: String,
    status: String,
    area: String,
    incidents: Vec<(String, String)>,
}

struct ForcesLine {
    member: String,
    pledged: String,
    committed: String,
    deployed: String,
    gap: String,
    available: String,
}

#[derive(Template)]
#[template(path = "operations.html")]
struct OperationsPage {
    page: Page,
    conflicts: Vec<String>,
    operations: Vec<OperationLine>,
    notices: Vec<String>,
    forces: Vec<ForcesLine>,
}

fn area_text(a: &Area) -> String {
    match a {
        Area::Bbox { bbox: [w, s, e, n] } => format!("{w}, {s}, {e}, {n} (W, S, E, N)"),
        Area::Zone { zone, .. } => zone.clone(),
        Area::Polygon { polygons } => format!("{} polygon(s)", polygons.len()),
    }
}

fn members_text(op: &Operation) -> String {
    if op.participants.is_empty() {
        op.member.to_string()
    } else {
        let with: Vec<&str> = op.participants.iter().map(|c| c.as_str()).collect();
        format!("{} + {}", op.member, with.join(", "))
    }
}

async fn page(State(state): State<WebState>, s: Session) -> Response {
    let member = state.app.member.as_str();
    let store = &state.app.store;
    let rows = match store.operations().await {
        Ok(r) => r,
        Err(e) => return failure(&s, member, &e),
    };
    let notices = match store.operation_notices(None).await {
        Ok(n) => n,
        Err(e) => return failure(&s, member, &e),
    };
    let records = match store.forces(None).await {
        Ok(f) => f,
        Err(e) => return failure(&s, member, &e),
    };
    let members = match store.members().await {
        Ok(m) => m,
        Err(e) => return failure(&s, member, &e),
    };
    let declared: Vec<Operation> = rows.iter().map(|r| r.operation.clone()).collect();
    let conflicts = Deconflictor::new(&declared)
        .all_conflicts()
        .into_iter()
        // Each pair once: the API lists it from both sides, one line says it to both here.
        .filter(|c| c.operation < c.other)
        .map(|c| {
            let to: Vec<&str> = c.reported_to.iter().map(|m| m.as_str()).collect();
            s.tr.ta(
                "ops-conflict-line",
                &[
                    ("operation", c.operation.as_str().into()),
                    ("member", c.member.as_str().into()),
                    ("other", c.other.as_str().into()),
                    ("other_member", c.other_member.as_str().into()),
                    ("from", s.tr.date(c.from).into()),
                    ("to", s.tr.date(c.to).into()),
                    ("to_members", to.join(", ").into()),
                ],
            )
        })
        .collect();
    let operations = rows
        .iter()
        .map(|r| {
            let op = &r.operation;
            OperationLine {
                id: op.id.clone(),
                version: r.version,
                objective: op.objective.clone().unwrap_or_default(),
                members: members_text(op),
                window: format!("{} – {}", s.tr.date(op.from), s.tr.date(op.to)),
                kind: op.kind.as_str().replace('_', " "),
                status: op.status.as_str().to_owned(),
                area: area_text(&op.area),
                incidents: r.incidents.iter().map(|i| (i.clone(), href(i))).collect(),
            }
        })
        .collect();
    let notices = notices
        .iter()
        .map(|n| {
            s.tr.ta(
                "ops-notice-line",
                &[
                    ("to", n.recipient.as_str().into()),
                    ("by", n.content.declared_by.as_str().into()),
                    ("area", area_text(&n.content.area).into()),
                    ("from", s.tr.date(n.content.from).into()),
                    ("to_day", s.tr.date(n.content.to).into()),
                    ("operation", n.operation_id.as_str().into()),
                    ("version", n.version.to_string().into()),
                ],
            )
        })
        .collect();
    let view = liaison_ops::forces::view(&records, &members);
    let num = |n: u64| s.tr.num(i64::try_from(n).unwrap_or(i64::MAX));
    let forces = view
        .members
        .iter()
        .map(|m| ForcesLine {
            member: m.member.to_string(),
            pledged: num(m.totals.pledged),
            committed: num(m.totals.committed),
            deployed: num(m.totals.deployed),
            gap: s.tr.num(m.totals.gap),
            available: m.available.as_ref().map_or_else(String::new, |a| {
                format!("{} ({})", s.tr.num(i64::from(a.troops)), a.period)
            }),
        })
        .collect();
    render(&OperationsPage {
        page: Page::new(
            &s,
            member,
            Screen::Operations,
            "ops-title",
            "/ui/operations",
        ),
        conflicts,
        operations,
        notices,
        forces,
    })
}

pub fn routes() -> Router<WebState> {
    Router::new().route("/ui/operations", get(page))
}
