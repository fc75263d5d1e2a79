//! `GET /ui/agreements/preview?to=ISO3`: exactly what one partner would receive now, made by
//! the egress pipeline itself ([`crate::WebState::preview`]), which records nothing and sends
//! nothing. A liaison officer checks here, object by object, that an agreement releases what
//! was meant and degrades it as promised before a partner ever pulls.
//!
//! A node without a federation identity (no node key) cannot seal objects, so it has no
//! preview: the page says so rather than showing an empty list that would read as "nothing
//! leaves".

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use liaison_core::CountryCode;
use serde::Deserialize;

use super::{applied_label, current, recipients_of};
use crate::layout::{Page, failure, render_status};
use crate::session::{Screen, Session};
use crate::{PreviewItem, WebState};

/// Most objects drawn on the page; the count above them is always the whole number. Each is
/// a few kilobytes of JSON, and the page must stay usable on a poor link.
const MAX_SHOWN: usize = 200;

#[derive(Deserialize)]
pub struct PreviewQuery {
    to: Option<String>,
}

struct Applied {
    label: String,
    code: String,
}

struct ItemView {
    incident_id: String,
    version: String,
    /// The agreement and version it is released under, or the onward-release label.
    under: String,
    under_href: Option<String>,
    applied: Vec<Applied>,
    json: String,
}

#[derive(Template)]
#[template(path = "preview.html")]
struct PreviewPage {
    page: Page,
    screens_css: String,
    to: String,
    partners: Vec<String>,
    error: Option<String>,
    /// Why no preview could be made (no identity), when it could not.
    notice: Option<String>,
    /// "MLI would receive N incidents now", once a preview was made.
    count: Option<String>,
    items: Vec<ItemView>,
    more: Option<String>,
}

fn item_view(s: &Session, item: &PreviewItem) -> ItemView {
    let (under, under_href) = match &item.agreement {
        Some((id, v)) => (
            s.tr.ta(
                "preview-under",
                &[
                    ("agreement", id.as_str().into()),
                    ("version", i64::from(*v).into()),
                ],
            ),
            Some(format!("/ui/agreements/{id}")),
        ),
        None => (s.tr.t("preview-onward"), None),
    };
    ItemView {
        incident_id: item.incident_id.clone(),
        version: s.tr.num(i64::from(item.version)),
        under,
        under_href,
        applied: item
            .applied
            .iter()
            .map(|code| Applied {
                label: applied_label(&s.tr, code),
                code: code.clone(),
            })
            .collect(),
        // Pretty and complete: this is the object as it would leave, nothing elided.
        json: serde_json::to_string_pretty(&item.object).unwrap_or_default(),
    }
}

pub async fn page(
    State(state): State<WebState>,
    s: Session,
    Query(q): Query<PreviewQuery>,
) -> Response {
    if let Err(refused) = s.require(Screen::Agreements) {
        return refused;
    }
    let member = state.app.member.as_str();
    let partners = match current(&state).await {
        Ok(all) => recipients_of(&all),
        Err(e) => return failure(&s, member, &e),
    };
    let raw = q.to.unwrap_or_default().trim().to_owned();
    let mut view = PreviewPage {
        page: Page::new(
            &s,
            member,
            Screen::Agreements,
            "preview-title",
            "/ui/agreements/preview",
        ),
        screens_css: crate::assets::url("screens.css"),
        to: raw.clone(),
        partners,
        error: None,
        notice: None,
        count: None,
        items: vec![],
        more: None,
    };
    if raw.is_empty() {
        return render_status(StatusCode::OK, &view);
    }
    let to = match CountryCode::parse(&raw) {
        Ok(c) => c,
        Err(_) => {
            view.error = Some(s.tr.ta("preview-bad-code", &[("code", raw.as_str().into())]));
            return render_status(StatusCode::BAD_REQUEST, &view);
        }
    };
    view.to = to.to_string();
    view.page = Page::new(
        &s,
        member,
        Screen::Agreements,
        "preview-title",
        &format!("/ui/agreements/preview?to={to}"),
    );
    let Some(make) = state.preview.as_ref() else {
        view.notice = Some(s.tr.t("preview-no-identity"));
        return render_status(StatusCode::OK, &view);
    };
    let items = match make(to.clone()).await {
        Ok(items) => items,
        Err(why) => {
            tracing::error!(error = %why, to = %to, "preview failed");
            view.error = Some(s.tr.ta("preview-failed", &[("reason", why.into())]));
            return render_status(StatusCode::INTERNAL_SERVER_ERROR, &view);
        }
    };
    let total = i64::try_from(items.len()).unwrap_or(i64::MAX);
    // `count` selects the plural form; `n` is the same number grouped as the language writes it.
    view.count = Some(s.tr.ta(
        "preview-count",
        &[
            ("to", to.as_str().into()),
            ("count", total.into()),
            ("n", s.tr.num(total).into()),
        ],
    ));
    if items.len() > MAX_SHOWN {
        view.more = Some(s.tr.ta(
            "preview-more",
            &[
                ("shown", s.tr.num(MAX_SHOWN as i64).into()),
                ("n", s.tr.num(total).into()),
            ],
        ));
    }
    view.items = items
        .iter()
        .take(MAX_SHOWN)
        .map(|i| item_view(&s, i))
        .collect();
    render_status(StatusCode::OK, &view)
}
