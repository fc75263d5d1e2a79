//! `GET /ui/fusions` and `GET /ui/fusions/{id}`: fused incidents, several members' reports of
//! one event (`liaison-fusion`, recorded by `liaison fuse`), each member's claim side by side
//! with the proposed agreed version, the fields where they differ marked, who has signed and who
//! is awaited; analysts and admins sign the agreed version as this node's member.
//!
//! The claims are read from the store as the node holds them now; the comparison is
//! `liaison_fusion::compare`, the same as the API's. Splitting stays with the CLI and the API.

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use liaison_core::{DateSpan, Fatalities, Incident, Location};
use liaison_fusion::{AgreedVersion, compare};
use liaison_store::{FusionDetail, StoreError};
use serde::Deserialize;

use crate::WebState;
use crate::incidents::href;
use crate::layout::{Page, failure, not_found, render};
use crate::session::{Screen, Session};

struct ListRow {
    id: String,
    href: String,
    title: String,
    members: String,
    claims: usize,
    signed: String,
    split: bool,
    created: String,
}

#[derive(Template)]
#[template(path = "fusions.html")]
struct ListPage {
    page: Page,
    rows: Vec<ListRow>,
}

struct ClaimColumn {
    id: String,
    href: String,
    originator: String,
    version: i64,
}

struct FieldRow {
    label: String,
    values: Vec<String>,
    agreed: String,
    differs: bool,
}

#[derive(Template)]
#[template(path = "fusion.html")]
struct DetailPage {
    page: Page,
    id: String,
    split: bool,
    notice: Option<String>,
    problems: Vec<String>,
    claims: Vec<ClaimColumn>,
    fields: Vec<FieldRow>,
    agreed_version: Option<String>,
    signoffs: Vec<String>,
    awaiting: String,
    can_sign: bool,
    sign_action: String,
    sign_label: String,
}

fn fusion_href(id: &str) -> String {
    format!("/ui/fusions/{id}")
}

fn members_of(d: &FusionDetail) -> Vec<String> {
    let mut m: Vec<String> = d
        .fusion
        .claims
        .iter()
        .map(|c| c.originator.to_string())
        .collect();
    m.sort();
    m.dedup();
    m
}

fn signed_latest(d: &FusionDetail) -> Vec<String> {
    let latest = d.versions.last().map_or(0, |v| v.version);
    d.signoffs
        .iter()
        .filter(|s| s.version == latest)
        .map(|s| s.member.to_string())
        .collect()
}

fn agreed_of(d: &FusionDetail) -> Option<AgreedVersion> {
    d.versions
        .last()
        .and_then(|v| serde_json::from_str(&v.doc).ok())
}

async fn list(State(state): State<WebState>, s: Session) -> Response {
    let member = state.app.member.as_str();
    let fusions = match state.app.store.fusions().await {
        Ok(f) => f,
        Err(e) => return failure(&s, member, &e),
    };
    let mut rows = Vec::with_capacity(fusions.len());
    for f in fusions {
        let d = match state.app.store.fusion(&f.id).await {
            Ok(d) => d,
            Err(e) => return failure(&s, member, &e),
        };
        let members = members_of(&d);
        rows.push(ListRow {
            href: fusion_href(&f.id),
            title: agreed_of(&d).map_or_else(|| f.id.clone(), |a| a.title),
            signed: s.tr.ta(
                "fusions-signed-count",
                &[
                    ("signed", signed_latest(&d).join(", ").into()),
                    ("members", members.join(", ").into()),
                ],
            ),
            members: members.join(", "),
            claims: f.claims.len(),
            split: f.status == "split",
            created: s.tr.timestamp(&f.created_at),
            id: f.id,
        });
    }
    render(&ListPage {
        page: Page::new(&s, member, Screen::Fusions, "fusions-title", "/ui/fusions"),
        rows,
    })
}

fn date_text(s: &Session, d: &DateSpan) -> String {
    if d.start == d.end {
        s.tr.date(d.start)
    } else {
        format!("{} – {}", s.tr.date(d.start), s.tr.date(d.end))
    }
}

fn place_text(l: &Location) -> String {
    match (&l.place_name, l.point) {
        (Some(n), Some(p)) => format!("{n} ({:.3}, {:.3})", p.lat, p.lon),
        (None, Some(p)) => format!("{:.3}, {:.3}", p.lat, p.lon),
        (Some(n), None) => n.clone(),
        (None, None) => "—".to_owned(),
    }
}

fn fatalities_text(f: &Fatalities) -> String {
    if f.low == f.high {
        f.best.to_string()
    } else {
        format!("{} ({}–{})", f.best, f.low, f.high)
    }
}

/// The rows of the side-by-side table: one per field, a cell per claim, the agreed value last.
fn field_rows(
    s: &Session,
    claims: &[Incident],
    agreed: Option<&AgreedVersion>,
    differing: &[&str],
) -> Vec<FieldRow> {
    let differs = |prefix: &str| differing.iter().any(|d| d.starts_with(prefix));
    let subtype = |t: liaison_core::SubType| s.tr.t(&format!("subtype-{}", t.as_str()));
    let actors = |names: Vec<&str>| {
        if names.is_empty() {
            "—".to_owned()
        } else {
            names.join(", ")
        }
    };
    let country = |l: &Location| l.country.as_ref().map_or("—".to_owned(), |c| c.to_string());
    vec![
        FieldRow {
            label: s.tr.t("fusion-field-date"),
            values: claims
                .iter()
                .map(|c| date_text(s, &c.content.date))
                .collect(),
            agreed: agreed.map(|a| date_text(s, &a.date)).unwrap_or_default(),
            differs: differs("date"),
        },
        FieldRow {
            label: s.tr.t("fusion-field-place"),
            values: claims
                .iter()
                .map(|c| place_text(&c.content.location))
                .collect(),
            agreed: agreed.map(|a| place_text(&a.location)).unwrap_or_default(),
            differs: differs("place.point") || differs("place.place_name"),
        },
        FieldRow {
            label: s.tr.t("fusion-field-country"),
            values: claims
                .iter()
                .map(|c| country(&c.content.location))
                .collect(),
            agreed: agreed.map(|a| country(&a.location)).unwrap_or_default(),
            differs: differs("place.country"),
        },
        FieldRow {
            label: s.tr.t("fusion-field-type"),
            values: claims.iter().map(|c| subtype(c.content.sub_type)).collect(),
            agreed: agreed.map(|a| subtype(a.sub_type)).unwrap_or_default(),
            differs: differs("sub_type"),
        },
        FieldRow {
            label: s.tr.t("fusion-field-fatalities"),
            values: claims
                .iter()
                .map(|c| fatalities_text(&c.content.casualties.fatalities))
                .collect(),
            agreed: agreed
                .map(|a| fatalities_text(&a.fatalities))
                .unwrap_or_default(),
            differs: differs("fatalities"),
        },
        FieldRow {
            label: s.tr.t("fusion-field-actors"),
            values: claims
                .iter()
                .map(|c| actors(c.content.actors.iter().map(|a| a.name.as_str()).collect()))
                .collect(),
            agreed: agreed
                .map(|a| actors(a.actors.iter().map(|x| x.name.as_str()).collect()))
                .unwrap_or_default(),
            differs: differs("actors"),
        },
    ]
}

async fn detail_page(
    state: &WebState,
    s: &Session,
    id: &str,
    notice: Option<String>,
    problems: Vec<String>,
) -> Response {
    let member = state.app.member.as_str();
    let d = match state.app.store.fusion(id).await {
        Ok(d) => d,
        Err(StoreError::NotFound) => return not_found(s, member),
        Err(e) => return failure(s, member, &e),
    };
    let mut claims: Vec<Incident> = Vec::new();
    let mut columns = Vec::new();
    for c in &d.fusion.claims {
        match state.app.store.get_incident(&c.incident_id).await {
            Ok(i) => claims.push(i),
            // A claim the node no longer holds (recalled) has no column.
            Err(StoreError::NotFound) => continue,
            Err(e) => return failure(s, member, &e),
        }
        columns.push(ClaimColumn {
            id: c.incident_id.to_string(),
            href: href(c.incident_id.as_str()),
            originator: c.originator.to_string(),
            version: c.version,
        });
    }
    let refs: Vec<&Incident> = claims.iter().collect();
    let comparison = compare(&refs);
    let agreed = agreed_of(&d);
    let fields = field_rows(s, &claims, agreed.as_ref(), &comparison.differing());
    let signed = signed_latest(&d);
    let members = members_of(&d);
    let awaiting: Vec<&str> = members
        .iter()
        .filter(|m| !signed.contains(m))
        .map(String::as_str)
        .collect();
    let split = d.fusion.status == "split";
    let can_sign =
        !split && s.may(Screen::Entry) && awaiting.contains(&member) && d.versions.last().is_some();
    render(&DetailPage {
        page: Page::new(
            s,
            member,
            Screen::Fusions,
            "fusion-title",
            &fusion_href(&d.fusion.id),
        ),
        id: d.fusion.id.clone(),
        split,
        notice,
        problems,
        claims: columns,
        fields,
        agreed_version: d.versions.last().map(|v| {
            s.tr.ta(
                "fusion-agreed-version",
                &[
                    ("version", v.version.to_string().into()),
                    (
                        "sha256",
                        v.sha256.chars().take(16).collect::<String>().into(),
                    ),
                    ("by", v.proposed_by.as_str().into()),
                ],
            )
        }),
        signoffs: d
            .signoffs
            .iter()
            .map(|x| {
                s.tr.ta(
                    "fusion-signoff",
                    &[
                        ("member", x.member.as_str().into()),
                        ("version", x.version.to_string().into()),
                        ("by", x.signed_by.as_str().into()),
                        ("at", s.tr.timestamp(&x.signed_at).into()),
                    ],
                )
            })
            .collect(),
        awaiting: if awaiting.is_empty() {
            String::new()
        } else {
            s.tr.ta(
                "fusion-awaiting",
                &[("members", awaiting.join(", ").into())],
            )
        },
        can_sign,
        sign_action: format!("{}/sign", fusion_href(&d.fusion.id)),
        sign_label: s.tr.ta("fusion-sign", &[("member", member.into())]),
    })
}

/// A fused incident's id as the store keys it (a UUID), or none.
fn fusion_id(raw: &str) -> Option<String> {
    uuid::Uuid::parse_str(raw).ok().map(|u| u.to_string())
}

async fn detail(
    State(state): State<WebState>,
    s: Session,
    Path(raw): Path<String>,
    RawQuery(q): RawQuery,
) -> Response {
    let Some(id) = fusion_id(&raw) else {
        return not_found(&s, state.app.member.as_str());
    };
    let notice = (q.as_deref() == Some("signed")).then(|| {
        s.tr.ta(
            "fusion-signed",
            &[("member", state.app.member.as_str().into())],
        )
    });
    detail_page(&state, &s, &id, notice, Vec::new()).await
}

#[derive(Deserialize)]
struct SignForm {
    #[serde(default)]
    csrf: String,
}

async fn sign(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    Path(raw): Path<String>,
    Form(form): Form<SignForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(refused) = s.require(Screen::Entry) {
        return refused;
    }
    let Some(id) = fusion_id(&raw) else {
        return not_found(&s, state.app.member.as_str());
    };
    match state
        .app
        .store
        .sign_fusion(&id, &s.user.name, (state.app.clock)())
        .await
    {
        Ok(_) => Redirect::to(&format!("{}?signed", fusion_href(&id))).into_response(),
        Err(StoreError::NotFound) => not_found(&s, state.app.member.as_str()),
        Err(
            StoreError::Conflict(reason)
            | StoreError::Invalid {
                message: reason, ..
            },
        ) => {
            let problem = s.tr.ta("fusion-sign-refused", &[("reason", reason.into())]);
            detail_page(&state, &s, &id, None, vec![problem]).await
        }
        Err(e) => failure(&s, state.app.member.as_str(), &e),
    }
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ui/fusions", get(list))
        .route("/ui/fusions/{id}", get(detail))
        .route("/ui/fusions/{id}/sign", post(sign))
}
