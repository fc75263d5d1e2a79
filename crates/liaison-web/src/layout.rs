//! What every page shares: the header with the navigation the user's role allows, the language
//! switch, the sign-out form with its CSRF token; and the one way a page is rendered.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use liaison_store::Role;

use crate::assets;
use crate::i18n::{Locale, Tr};
use crate::session::{Screen, Session};

/// One entry of the navigation.
#[derive(Debug, Clone)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub current: bool,
}

/// One entry of the language switch.
#[derive(Debug, Clone)]
pub struct LangLink {
    pub href: String,
    pub name: &'static str,
    pub code: &'static str,
    pub current: bool,
}

/// The frame of a page.
#[derive(Debug, Clone)]
pub struct Page {
    pub tr: Tr,
    pub title: String,
    /// The signed-in user's name and role label; `None` on the sign-in page.
    pub user: Option<(String, String)>,
    pub csrf: String,
    pub member: String,
    pub nav: Vec<NavItem>,
    pub langs: Vec<LangLink>,
    pub site_css: String,
}

const NAV: [(Screen, &str, &str); 13] = [
    (Screen::Map, "/ui/", "nav-map"),
    (Screen::Incidents, "/ui/incidents", "nav-incidents"),
    (Screen::Fusions, "/ui/fusions", "nav-fusions"),
    (Screen::Alerts, "/ui/alerts", "nav-alerts"),
    (Screen::Entry, "/ui/incidents/new", "nav-new-incident"),
    (Screen::Reports, "/ui/reports", "nav-reports"),
    (Screen::Stats, "/ui/stats", "nav-stats"),
    (Screen::Reciprocity, "/ui/reciprocity", "nav-reciprocity"),
    (Screen::Actors, "/ui/actors", "nav-actors"),
    (Screen::Operations, "/ui/operations", "nav-operations"),
    (Screen::Agreements, "/ui/agreements", "nav-agreements"),
    (Screen::Peers, "/ui/peers", "nav-peers"),
    (Screen::Ledger, "/ui/ledger", "nav-ledger"),
];

/// The translated name of a role.
pub fn role_label(tr: &Tr, role: Role) -> String {
    tr.t(&format!("role-{}", role.as_str()))
}

/// Language links that bring the user back to `path` (a path of this site only).
pub fn lang_links(tr: Tr, path: &str) -> Vec<LangLink> {
    let back: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
    Locale::ALL
        .into_iter()
        .map(|l| LangLink {
            href: format!("/ui/lang?to={}&back={back}", l.code()),
            name: l.own_name(),
            code: l.code(),
            current: l == tr.locale,
        })
        .collect()
}

impl Page {
    /// The frame for a signed-in user on `screen`, titled by message `title_id`; `path` is where
    /// the language switch returns.
    pub fn new(s: &Session, member: &str, screen: Screen, title_id: &str, path: &str) -> Page {
        let nav = NAV
            .iter()
            .filter(|(sc, _, _)| s.may(*sc))
            .map(|(sc, href, id)| NavItem {
                href,
                label: s.tr.t(id),
                current: *sc == screen,
            })
            .collect();
        Page {
            tr: s.tr,
            title: s.tr.t(title_id),
            user: Some((s.user.name.clone(), role_label(&s.tr, s.user.role))),
            csrf: s.csrf.clone(),
            member: member.to_owned(),
            nav,
            langs: lang_links(s.tr, path),
            site_css: assets::url("site.css"),
        }
    }

    /// The frame of a page seen before signing in.
    pub fn anonymous(tr: Tr, member: &str, title_id: &str, path: &str) -> Page {
        Page {
            tr,
            title: tr.t(title_id),
            user: None,
            csrf: String::new(),
            member: member.to_owned(),
            nav: vec![],
            langs: lang_links(tr, path),
            site_css: assets::url("site.css"),
        }
    }
}

/// Renders a template as a page; a template error is logged and answered 500.
pub fn render<T: Template>(t: &T) -> Response {
    render_status(StatusCode::OK, t)
}

pub fn render_status<T: Template>(status: StatusCode, t: &T) -> Response {
    match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

/// A page that only says what went wrong (not found, forbidden, failed), inside the frame.
#[derive(Template)]
#[template(path = "message.html")]
pub struct MessagePage {
    pub page: Page,
    pub message: String,
}

/// The "not found" page: the same for a missing object and for one the user may not see.
pub fn not_found(s: &Session, member: &str) -> Response {
    let page = Page::new(
        s,
        member,
        Screen::Incidents,
        "error-not-found-title",
        "/ui/",
    );
    render_status(
        StatusCode::NOT_FOUND,
        &MessagePage {
            message: s.tr.t("error-not-found"),
            page,
        },
    )
}

/// A failure of the layers below: logged in full, shown as a short apology.
pub fn failure(s: &Session, member: &str, error: &dyn std::fmt::Display) -> Response {
    tracing::error!(error = %error, "page failed");
    let page = Page::new(s, member, Screen::Map, "error-internal-title", "/ui/");
    render_status(
        StatusCode::INTERNAL_SERVER_ERROR,
        &MessagePage {
            message: s.tr.t("error-internal"),
            page,
        },
    )
}
