//! The HTTP face of a Liaison node: a JSON REST API under `/api/v1`, bearer-token authentication,
//! and its OpenAPI description at `/api/openapi.json`.
//!
//! This crate routes, authenticates, parses, and maps errors; it holds no business logic of its
//! own. The rules it applies come from below: content validation and normalisation from
//! `liaison-core`, country lookup from `liaison-geo`, queries and version checks from
//! `liaison-store`. Time and identifiers are parameters ([`AppState::clock`],
//! [`AppState::new_id`]), so tests are deterministic. The TAXII 2.1 server is `taxii` (mounted
//! under `/taxii2/`); the web application
//! (`liaison-web`) is merged beside the API by [`app`].
//!
//! Limits (invariant 8): request bodies are capped at [`MAX_REQUEST_BYTES`], each request at
//! [`REQUEST_TIMEOUT_MS`], pages at [`liaison_store::MAX_PAGE_SIZE`], free-text queries at
//! [`liaison_core::query::MAX_QUERY_CHARS`], tokens at [`auth::MAX_TOKEN_BYTES`].
//!
//! Modules: `auth` (tokens, roles), `error` (the error type and its one mapping to HTTP),
//! `params` (query and body parsing), `incidents`, `stats` (with the node and registers),
//! `openapi`, `taxii` (its own limits are in its module documentation).

pub mod actor_graph;
pub mod actor_review;
pub mod alerts;
pub mod auth;
pub mod characterisations;
pub mod error;
pub mod fed_actors;
pub mod fed_ledger;
pub mod federation;
pub mod fusions;
pub mod incidents;
pub mod ledger;
pub mod openapi;
pub mod operations;
pub mod params;
pub mod peers;
pub mod reports;
pub mod sectors;
pub mod stats;
pub mod taxii;
pub mod zones;

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::extract::{DefaultBodyLimit, Request};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, X_CONTENT_TYPE_OPTIONS};
use axum::middleware;
use axum::routing::get;
use liaison_core::CountryCode;
use liaison_store::Store;
use tower::{BoxError, ServiceBuilder};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};

pub use error::ApiError;
pub use openapi::openapi;

/// Largest request body accepted, in bytes (1 MiB); larger ones get 413 `payload_too_large`.
pub const MAX_REQUEST_BYTES: usize = 1_048_576;
/// Longest a request may take, in milliseconds; slower ones get 503 `timeout`.
pub const REQUEST_TIMEOUT_MS: u64 = 30_000;

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    /// This node's member: the originator of every incident created through it.
    pub member: CountryCode,
    /// The time stamped on writes.
    pub clock: Arc<dyn Fn() -> time::OffsetDateTime + Send + Sync>,
    /// The suffix of a new incident's id (random at the edge, a counter in tests).
    pub new_id: Arc<dyn Fn() -> String + Send + Sync>,
}

/// The whole API, ready to serve.
pub fn router(state: AppState) -> Router {
    app(state, Router::new())
}

/// The API with another router beside it (the web application, `liaison-web`), under the same
/// limits, timeout, tracing and headers. `extra` must not have a fallback of its own.
pub fn app(state: AppState, extra: Router) -> Router {
    // Everything here needs a bearer token; `auth::authenticate` runs before any handler.
    let authenticated = Router::new()
        .route("/api/v1/node", get(stats::node))
        .route(
            "/api/v1/incidents",
            get(incidents::list).post(incidents::create),
        )
        .route("/api/v1/incidents/{id}", get(incidents::get_one))
        .route(
            "/api/v1/incidents/{id}/versions",
            get(incidents::versions).post(incidents::new_version),
        )
        .route(
            "/api/v1/incidents/{id}/characterisations",
            get(characterisations::list).post(characterisations::create),
        )
        .route(
            "/api/v1/characterisations/divergence",
            get(characterisations::divergence),
        )
        .route("/api/v1/fusions", get(fusions::list))
        .route("/api/v1/fusions/{id}", get(fusions::get_one))
        .route(
            "/api/v1/fusions/{id}/signoffs",
            axum::routing::post(fusions::sign),
        )
        .route(
            "/api/v1/fusions/{id}/split",
            axum::routing::post(fusions::split),
        )
        .route("/api/v1/stats", get(stats::stats))
        .route("/api/v1/members", get(stats::members))
        .route("/api/v1/actors", get(stats::actors))
        .route("/api/v1/actors/review", get(actor_review::list))
        .route(
            "/api/v1/actors/review/{id}/accept",
            axum::routing::post(actor_review::accept),
        )
        .route(
            "/api/v1/actors/review/{id}/reject",
            axum::routing::post(actor_review::reject),
        )
        .route(
            "/api/v1/actors/merges",
            axum::routing::post(actor_review::merge),
        )
        .route(
            "/api/v1/actors/merges/{id}/split",
            axum::routing::post(actor_review::split),
        )
        .route("/api/v1/actors/{id}/merges", get(actor_review::merges))
        .route("/api/v1/actors/{id}/graph", get(actor_graph::graph))
        .route("/api/v1/places", get(stats::places))
        .route("/api/v1/zones", get(zones::list).post(zones::create))
        .route("/api/v1/reports", get(reports::list).post(reports::create))
        .route(
            "/api/v1/reports/{id}/accept",
            axum::routing::post(reports::accept),
        )
        .route(
            "/api/v1/reports/{id}/reject",
            axum::routing::post(reports::reject),
        )
        .route("/api/v1/zones/{id}", get(zones::get_one))
        .route(
            "/api/v1/operations",
            get(operations::list).post(operations::create),
        )
        .route("/api/v1/operations/conflicts", get(operations::conflicts))
        .route("/api/v1/operations/notices", get(operations::notices))
        .route("/api/v1/forces", get(operations::forces))
        .route("/api/v1/sectors", get(sectors::list).post(sectors::create))
        .route("/api/v1/sectors/allocation", get(sectors::allocation))
        .route("/api/v1/sectors/{id}", get(sectors::get_one))
        .route("/api/v1/alerts", get(alerts::list))
        .route("/api/v1/alerts/stats", get(alerts::stats))
        .route("/api/v1/alerts/{id}", get(alerts::get_one))
        .route(
            "/api/v1/alerts/{id}/{step}",
            axum::routing::post(alerts::step),
        )
        .route(
            "/api/v1/watch-rules",
            get(alerts::rules).post(alerts::create_rules),
        )
        .route(
            "/api/v1/watch-rules/{id}",
            axum::routing::delete(alerts::retire_rule),
        )
        .route("/api/v1/reciprocity", get(alerts::reciprocity))
        .route("/api/v1/peers", get(peers::peers))
        .route("/api/v1/ledger", get(ledger::api_status))
        .route("/api/v1/ledger/checkpoint", get(ledger::api_checkpoint))
        .route("/api/v1/ledger/proof/inclusion", get(ledger::api_inclusion))
        .route(
            "/api/v1/ledger/proof/consistency",
            get(ledger::api_consistency),
        )
        .route("/api/v1/ledger/entries", get(ledger::api_entries))
        .route_layer(middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ));

    Router::new()
        .route("/api/v1/health", get(openapi::health))
        .route("/api/openapi.json", get(openapi::openapi_json))
        .merge(authenticated)
        .merge(taxii::router(state.clone()))
        .with_state(state)
        .merge(extra)
        .fallback(|| async { ApiError::NotFound })
        .method_not_allowed_fallback(|| async { ApiError::MethodNotAllowed })
        .layer(DefaultBodyLimit::max(MAX_REQUEST_BYTES))
        .layer(
            ServiceBuilder::new()
                // Spans carry the method and the path only: no headers (the bearer token), no
                // query string (search terms are themselves sensitive).
                .layer(
                    TraceLayer::new_for_http()
                        .make_span_with(|req: &Request| {
                            tracing::info_span!(
                                "request",
                                method = %req.method(),
                                path = %req.uri().path(),
                            )
                        })
                        .on_response(DefaultOnResponse::new().include_headers(false)),
                )
                // Responses are private and fresh unless a handler says otherwise (the web
                // application's fingerprinted assets are cached).
                .layer(SetResponseHeaderLayer::if_not_present(
                    CACHE_CONTROL,
                    HeaderValue::from_static("no-store"),
                ))
                .layer(SetResponseHeaderLayer::overriding(
                    X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(HandleErrorLayer::new(layer_error))
                .timeout(Duration::from_millis(REQUEST_TIMEOUT_MS)),
        )
}

/// Errors of the middleware stack (only the timeout can fail) in the API's error shape.
async fn layer_error(err: BoxError) -> ApiError {
    if err.is::<tower::timeout::error::Elapsed>() {
        ApiError::Timeout
    } else {
        ApiError::internal(err)
    }
}

/// Serves the API on `listener` until Ctrl-C or SIGTERM, then lets requests in flight finish.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    serve_app(router(state), listener).await
}

/// Serves a router made by [`app`] the same way as [`serve`].
pub async fn serve_app(app: Router, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn middleware_errors_keep_the_api_shape() {
        let elapsed: BoxError = Box::new(tower::timeout::error::Elapsed::new());
        assert_eq!(layer_error(elapsed).await, ApiError::Timeout);
        let other: BoxError = "boom".into();
        assert_eq!(layer_error(other).await, ApiError::Internal);
        assert_eq!(
            ApiError::Timeout.status(),
            axum::http::StatusCode::SERVICE_UNAVAILABLE
        );
    }
}
