//! `GET /ui/operations`: the joint command's picture — the operations its members declared,
//! the conflicts between members' operations (each reported to both), the deconfliction notices
//! given to neighbours (who, where and when only), and what each member pledged, committed and
//! deployed beside its strength in the brief's assets table.
//!
//! Read-only, for every role: declaring is the CLI's and the API's (`liaison ops add`). The rules
//! are `liaison-ops`', computed as the API computes them (conflicts are worked out when asked,
//! never stored). Each operation's row is anchored `op-<id>`, so an incident's page links to it.
//!
//! `GET /ui/sectors` (linked from the operations screen, every role, read-only): the patrol
//! sectors with their community contacts, the members' constraints, and the proposed allocation
//! of committed troops explained sector by sector in the reader's language. The allocation is
//! `liaison_server::sectors::proposal`, the API's own computation, with the same `days`,
//! `until` and `unit` parameters as the API and `liaison sectors allocate`.

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::response::Response;
use axum::routing::get;
use liaison_ops::sectors::{Constraint, SectorAllocation};
use liaison_ops::{Area, Deconflictor, Operation};
use liaison_server::sectors::{AllocationQuery, Proposal, proposal};

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

/// Where an operation's row is: the operations screen, at its anchor. Operation ids are ASCII
/// letters, digits and `- _ . :`, all allowed in a fragment as they are.
pub fn operation_href(id: &str) -> String {
    format!("/ui/operations#op-{id}")
}

struct SectorLine {
    id: String,
    name: String,
    version: i64,
    countries: String,
    contacts: Vec<String>,
}

struct AllocationLine {
    sector: String,
    ideal: String,
    allocated: String,
    explanation: String,
    serve: String,
    balance: String,
}

struct AllocationView {
    window: String,
    lines: Vec<AllocationLine>,
    unallocated: Vec<String>,
}

#[derive(Template)]
#[template(path = "sectors.html")]
struct SectorsPage {
    page: Page,
    sectors: Vec<SectorLine>,
    constraints: Vec<String>,
    allocation: Option<AllocationView>,
    refused: Option<String>,
    days: String,
    until: String,
    unit: String,
}

/// One sector's proposal said in words, from its figures (the ops crate's own sentence is
/// English only).
fn explain(s: &Session, a: &SectorAllocation) -> AllocationLine {
    let num = |n: u64| s.tr.num(i64::try_from(n).unwrap_or(i64::MAX));
    let whole = |x: f64| s.tr.num(x.round() as i64);
    let by_member = if a.by_member.is_empty() {
        String::new()
    } else {
        let parts: Vec<String> = a
            .by_member
            .iter()
            .map(|(m, t)| format!("{m} {}", num(*t)))
            .collect();
        format!(" ({})", parts.join(", "))
    };
    let weight = match s.tr.locale {
        crate::i18n::Locale::Fr => format!("{:.1}", a.weight.total).replace('.', ","),
        crate::i18n::Locale::En => format!("{:.1}", a.weight.total),
    };
    let explanation = s.tr.ta(
        "sectors-explain",
        &[
            ("name", a.name.as_str().into()),
            ("incidents", num(a.load.incidents).into()),
            ("killed", num(a.load.fatalities).into()),
            ("hotspots", num(a.load.hotspot_points).into()),
            ("weight", weight.into()),
            ("ideal", whole(a.ideal_troops).into()),
            ("allocated", num(a.allocated_troops).into()),
            ("by_member", by_member.into()),
        ],
    );
    let serve = if a.may_serve.is_empty() {
        s.tr.t("sectors-explain-serve-none")
    } else {
        s.tr.ta(
            "sectors-explain-serve",
            &[("members", a.may_serve.join(", ").into())],
        )
    };
    // Within half a troop of the ideal share says nothing: it is the rounding of the share.
    let balance = if a.deficit_troops >= 0.5 {
        s.tr.ta(
            "sectors-explain-deficit",
            &[("deficit", whole(a.deficit_troops).into())],
        )
    } else if a.deficit_troops <= -0.5 {
        s.tr.ta(
            "sectors-explain-surplus",
            &[("surplus", whole(-a.deficit_troops).into())],
        )
    } else {
        String::new()
    };
    AllocationLine {
        sector: a.sector.clone(),
        ideal: whole(a.ideal_troops),
        allocated: num(a.allocated_troops),
        explanation,
        serve,
        balance,
    }
}

fn allocation_view(s: &Session, p: &Proposal) -> AllocationView {
    let num = |n: u64| s.tr.num(i64::try_from(n).unwrap_or(i64::MAX));
    let day = |d: &str| {
        liaison_core::date::parse_iso_date(d).map_or_else(|_| d.to_owned(), |d| s.tr.date(d))
    };
    let a = &p.allocation;
    AllocationView {
        window: s.tr.ta(
            "sectors-window",
            &[
                ("from", day(&p.window.from).into()),
                ("until", day(&p.window.until).into()),
                ("days", s.tr.num(i64::from(p.window.days)).into()),
                ("incidents", num(p.window_incidents as u64).into()),
                ("troops", num(a.total_troops).into()),
                ("unit", s.tr.num(i64::from(a.unit_troops)).into()),
            ],
        ),
        lines: a.sectors.iter().map(|x| explain(s, x)).collect(),
        unallocated: a
            .unallocated
            .iter()
            .map(|u| {
                s.tr.ta(
                    "sectors-unallocated",
                    &[
                        ("member", u.member.as_str().into()),
                        ("troops", num(u.troops).into()),
                        ("reason", u.reason.as_str().into()),
                    ],
                )
            })
            .collect(),
    }
}

async fn sectors_page(
    State(state): State<WebState>,
    s: Session,
    RawQuery(query): RawQuery,
) -> Response {
    let member = state.app.member.as_str();
    let store = &state.app.store;
    let rows = match store.sectors().await {
        Ok(r) => r,
        Err(e) => return failure(&s, member, &e),
    };
    let constraint_rows = match store.member_constraints().await {
        Ok(r) => r,
        Err(e) => return failure(&s, member, &e),
    };
    let pairs: Vec<(String, String)> =
        form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            // The form's empty fields mean "the default", as leaving the option out does.
            .filter(|(_, v)| !v.trim().is_empty())
            .collect();
    let sectors: Vec<SectorLine> = rows
        .iter()
        .map(|r| SectorLine {
            id: r.sector.id.clone(),
            name: r.sector.name.clone(),
            version: r.version,
            countries: r.sector.countries.join(", "),
            contacts: r
                .sector
                .contacts
                .iter()
                .map(|c| {
                    let who = s.tr.ta(
                        "sectors-contact",
                        &[
                            ("name", c.name.as_str().into()),
                            ("role", c.role.as_str().into()),
                            ("community", c.community.as_str().into()),
                        ],
                    );
                    match &c.phone_or_channel {
                        Some(p) => format!("{who}: {p}"),
                        None => who,
                    }
                })
                .collect(),
        })
        .collect();
    let constraints = constraint_rows
        .iter()
        .map(|c| {
            let (id, list) = match &c.constraint {
                Constraint::Sectors(ids) => ("sectors-constraint-sectors", ids.join(", ")),
                Constraint::Countries(cs) => ("sectors-constraint-countries", cs.join(", ")),
            };
            s.tr.ta(
                id,
                &[
                    ("member", c.member.as_str().into()),
                    ("list", list.into()),
                    ("version", c.version.to_string().into()),
                ],
            )
        })
        .collect();
    let value = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map_or_else(String::new, |(_, v)| v.clone())
    };
    let (days, until, unit) = (value("days"), value("until"), value("unit"));
    let (allocation, refused) = if rows.is_empty() {
        (None, None)
    } else {
        let computed = match AllocationQuery::parse(&pairs) {
            Ok(q) => proposal(&state.app.store, q).await,
            Err(e) => Err(e),
        };
        match computed {
            Ok(p) if p.allocation.total_troops == 0 && p.allocation.unallocated.is_empty() => (
                None,
                Some(s.tr.ta(
                    "sectors-no-allocation",
                    &[("reason", s.tr.t("sectors-no-troops").into())],
                )),
            ),
            Ok(p) => (Some(allocation_view(&s, &p)), None),
            // A bad parameter or a node with no incident yet: said on the page, which still
            // lists the sectors (the API's message names the parameter).
            Err(e) => (
                None,
                Some(s.tr.ta(
                    "sectors-no-allocation",
                    &[("reason", refusal_text(&e).into())],
                )),
            ),
        }
    };
    render(&SectorsPage {
        page: Page::new(
            &s,
            member,
            Screen::Operations,
            "sectors-title",
            "/ui/sectors",
        ),
        sectors,
        constraints,
        allocation,
        refused,
        days,
        until,
        unit,
    })
}

/// The API's refusal as one line: the fields and their messages.
fn refusal_text(e: &liaison_server::ApiError) -> String {
    use liaison_server::ApiError;
    match e {
        ApiError::BadRequest { message, .. } => message.clone(),
        ApiError::Validation(fields) => fields
            .iter()
            .map(|f| format!("{}: {}", f.field, f.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ui/operations", get(page))
        .route("/ui/sectors", get(sectors_page))
}
