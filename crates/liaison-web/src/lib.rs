//! The web application of a Liaison node, under `/ui/`: the screens analysts, liaison officers,
//! operations staff and auditors use at a laptop on a poor link.
//!
//! Pages are rendered on the server (askama templates in `templates/`, auto-escaped) and work
//! without JavaScript except the map, whose small bundle (Leaflet, supercluster, Natural Earth
//! boundaries from npm's `world-atlas`) is built from `web/` by `scripts/build-web` and embedded
//! with the rest of `static/`. Nothing is loaded from the internet. Every string comes from the
//! Fluent catalogues in `locales/` (French and English), chosen per request (`i18n`).
//!
//! This crate renders and routes; what it shows and stores comes from the layers below, through
//! the same calls as the JSON API (`liaison-server`), so the screens and the API cannot
//! disagree: incidents are validated by `liaison-core`, agreements summarised by
//! `liaison-policy`, and a partner's preview is made by the egress pipeline itself
//! ([`WebState::preview`]). Sign-in, sessions, CSRF and roles are in `session`.
//!
//! Modules: `i18n` (catalogues, negotiation, numbers and dates), `session` (sign-in, cookies,
//! CSRF, screens per role), `throttle` (failed sign-ins per name), `assets` (embedded files
//! with fingerprinted URLs), `layout` (what every page shares), and one module per screen: `signin`, `map`, `incidents`, `readings` (members' characterisations), `form`,
//! `agreements`, `federation` (peers and ledger), `stats`.

pub mod actors;
pub mod agreements;
pub mod alerts;
pub mod assets;
pub mod federation;
pub mod form;
pub mod fusions;
pub mod i18n;
pub mod incidents;
pub mod layout;
pub mod map;
pub mod operations;
pub mod readings;
pub mod reports;
pub mod session;
pub mod signin;
pub mod stats;
pub mod throttle;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use axum::Router;
use axum::http::HeaderValue;
use axum::http::header::{CONTENT_SECURITY_POLICY, HeaderName, REFERRER_POLICY, X_FRAME_OPTIONS};
use axum::response::Redirect;
use axum::routing::get;
use liaison_core::CountryCode;
use liaison_server::AppState;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

/// What a partner would receive now: one entry per incident released to it.
#[derive(Debug, Clone)]
pub struct PreviewItem {
    pub incident_id: String,
    pub version: u32,
    /// The agreement and its version, or `None` for an onward release of a received object.
    pub agreement: Option<(String, u32)>,
    /// The obligations applied, as the pipeline's codes (`location:admin1`, `narrative:dropped`, …).
    pub applied: Vec<String>,
    /// The STIX object exactly as it would leave.
    pub object: serde_json::Value,
}

/// A boxed future, for the preview function the CLI supplies.
pub type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send>>;

/// Makes the preview for one partner through the real egress pipeline (it needs the node's
/// signing key, which only the process that loaded it holds). `Err` carries a message for the
/// page.
pub type PreviewFn =
    Arc<dyn Fn(CountryCode) -> BoxFuture<Result<Vec<PreviewItem>, String>> + Send + Sync>;

/// What every page handler shares.
#[derive(Clone)]
pub struct WebState {
    /// The node's store, member, clock and id source, shared with the JSON API.
    pub app: AppState,
    /// 32 random bytes per call (session ids, CSRF tokens, salts); drawn at the edge.
    pub random: Arc<dyn Fn() -> [u8; 32] + Send + Sync>,
    /// Whether cookies carry `Secure` (the node is served over TLS).
    pub secure_cookies: bool,
    /// The agreement preview; `None` on a node without a federation identity.
    pub preview: Option<PreviewFn>,
    /// Failed sign-ins per name, to slow down password guessing.
    pub throttle: Arc<throttle::SignInThrottle>,
}

impl WebState {
    /// A fresh random token as 64 hex digits.
    pub fn token(&self) -> String {
        hex::encode((self.random)())
    }
}

/// Every route of the web application, with its state applied, to merge beside the API with
/// `liaison_server::app`.
pub fn router(state: WebState) -> Router {
    Router::new()
        .route("/", get(|| async { Redirect::to("/ui/") }))
        .route("/ui", get(|| async { Redirect::to("/ui/") }))
        .merge(signin::routes())
        .merge(map::routes())
        .merge(incidents::routes())
        .merge(readings::routes())
        .merge(fusions::routes())
        .merge(alerts::routes())
        .merge(operations::routes())
        .merge(reports::routes())
        .merge(form::routes())
        .merge(agreements::routes())
        .merge(federation::routes())
        .merge(stats::routes())
        .merge(actors::routes())
        .merge(assets::routes())
        .with_state(state)
        .layer(header(
            CONTENT_SECURITY_POLICY,
            CONTENT_SECURITY_POLICY_VALUE,
        ))
        .layer(header(X_FRAME_OPTIONS, "DENY"))
        // `same-origin`, not `no-referrer`: with the latter browsers send `Origin: null` on
        // this site's own form posts, which the CSRF check rightly refuses.
        .layer(header(REFERRER_POLICY, "same-origin"))
        .layer(CompressionLayer::new().gzip(true))
}

/// What pages may load and run: only this node's own files. No inline script runs (the map's
/// strings are a JSON island, which is data), no page can be framed by another site, and forms
/// post only here. The map's script sets styles through the DOM, which this allows.
pub const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; script-src 'self'; \
    style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
    base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

fn header(name: HeaderName, value: &'static str) -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
}
