//! The TAXII 2.1 server: discovery at `/taxii2/`, one API root (`/taxii2/liaison/`), its
//! collections, objects (get, add, delete), versions, manifests and Status resources.
//!
//! Every endpoint needs a user of this node, by HTTP Basic (user name, and the user's API token
//! as password) or by `Authorization: Bearer <token>`; every answer, errors included, is
//! `application/taxii+json;version=2.1`; a request whose `Accept` does not allow that media type
//! gets 406. Who may do what: every authenticated role reads every collection; analysts and
//! admins write (add and delete) in collections that are not read-only; a collection that does
//! not exist and one the caller may not see answer the same 404 (invariant 6).
//!
//! Objects are kept verbatim, each version with the node's counter `seq`; a `next` token
//! carries that counter, never a time (invariant 5), so paging neither loses nor repeats objects
//! that share a `date_added`. `next` is given on every non-empty page, the last one included,
//! so a client that keeps it resumes exactly where it stopped.
//!
//! This module parses, checks access and shapes TAXII resources; storage and the duplicate rule
//! are `liaison_store`'s. Modules: `auth` (Basic and Bearer), `media` (negotiation and answers),
//! `error` (the TAXII error body), `filters` (query parameters), `envelope` (pages and their
//! headers), `discovery` (server and API root), `collections`, `objects` (get and delete),
//! `post` (add objects), `validate` (the STIX checks, `liaison_stix`'s, and TAXII timestamps),
//! `manifest`, `status`.
//!
//! Limits (invariant 8): request bodies [`MAX_CONTENT_BYTES`] (advertised as
//! `max_content_length`), objects per envelope [`MAX_ENVELOPE_OBJECTS`], page size
//! [`DEFAULT_PAGE_OBJECTS`] by default and at most [`MAX_PAGE_OBJECTS`] or [`MAX_PAGE_BYTES`],
//! values per filter [`MAX_FILTER_VALUES`].

mod auth;
mod collections;
mod discovery;
mod envelope;
mod error;
mod filters;
mod manifest;
mod media;
mod objects;
mod post;
mod status;
mod validate;

use axum::Router;
use axum::middleware;
use axum::routing::{MethodRouter, any, get};

use crate::AppState;

pub use error::TaxiiError;
pub use media::{STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE};
pub use validate::{Refused, check_object, parse_timestamp};

/// The discovery URL's path.
pub const DISCOVERY_PATH: &str = "/taxii2/";
/// The name of the node's one API root, under `/taxii2/`.
pub const API_ROOT: &str = "liaison";
/// Largest request body accepted by the API root, in bytes (10 MiB); larger ones get 413.
pub const MAX_CONTENT_BYTES: usize = 10 * 1024 * 1024;
/// Most objects one POST may carry.
pub const MAX_ENVELOPE_OBJECTS: usize = 10_000;
/// Objects per page when the request gives no `limit`.
pub const DEFAULT_PAGE_OBJECTS: u32 = 100;
/// Most objects per page, whatever `limit` asks.
pub const MAX_PAGE_OBJECTS: u32 = 1_000;
/// A page stops growing past this many bytes of objects (16 MiB); it holds at least one.
pub const MAX_PAGE_BYTES: usize = 16 * 1024 * 1024;
/// Most comma-separated values in one `match[…]` filter.
pub const MAX_FILTER_VALUES: usize = 100;

/// The API root's path, with its trailing slash.
pub fn api_root_path() -> String {
    format!("/taxii2/{API_ROOT}/")
}

/// A method router whose other methods get a TAXII 405.
fn methods(m: MethodRouter<AppState>) -> MethodRouter<AppState> {
    m.fallback(|| async { TaxiiError::from(crate::ApiError::MethodNotAllowed) })
}

/// Every TAXII route, behind authentication and content negotiation.
pub fn router(state: AppState) -> Router<AppState> {
    let root = format!("/taxii2/{API_ROOT}");
    let coll = format!("{root}/collections/{{collection}}");
    let object = format!("{coll}/objects/{{object}}");
    Router::new()
        .route(DISCOVERY_PATH, methods(get(discovery::discovery)))
        .route(&format!("{root}/"), methods(get(discovery::api_root)))
        // taxii2-client polls the Status resource at a URL without the trailing slash.
        .route(
            &format!("{root}/status/{{status}}/"),
            methods(get(status::get)),
        )
        .route(
            &format!("{root}/status/{{status}}"),
            methods(get(status::get)),
        )
        .route(
            &format!("{root}/collections/"),
            methods(get(collections::list)),
        )
        .route(&format!("{coll}/"), methods(get(collections::one)))
        .route(&format!("{coll}/manifest/"), methods(get(manifest::get)))
        .route(
            &format!("{coll}/objects/"),
            methods(get(objects::list).post(post::add)),
        )
        .route(
            &format!("{object}/"),
            methods(get(objects::one).delete(objects::delete)),
        )
        .route(
            &format!("{object}/versions/"),
            methods(get(objects::versions)),
        )
        .route("/taxii2/{*rest}", any(|| async { TaxiiError::not_found() }))
        .route_layer(middleware::from_fn(media::require_taxii_accept))
        .route_layer(middleware::from_fn_with_state(
            auth::AuthState {
                app: state,
                known: Default::default(),
            },
            auth::authenticate,
        ))
}
