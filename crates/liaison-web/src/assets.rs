//! The files under `static/`, embedded in the binary: the site's stylesheet, and in `dist/` the
//! map's bundle, its stylesheet and the Natural Earth boundaries built by `scripts/build-web`.
//!
//! Pages link each file with its content hash in the query (`/static/site.css?v=…`); a request
//! carrying the current hash may be cached for a year, since the URL changes with the file.
//! Any other request is revalidated, so a stale copy is never used after an upgrade.

use axum::Router;
use axum::extract::{Path, Query};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rust_embed::RustEmbed;
use serde::Deserialize;

use crate::WebState;

#[derive(RustEmbed)]
#[folder = "static/"]
struct Static;

/// The first 16 hex digits of a file's SHA-256, or `None` if there is no such file.
pub fn fingerprint(path: &str) -> Option<String> {
    Static::get(path).map(|f| hex::encode(&f.metadata.sha256_hash()[..8]))
}

/// The URL of an embedded file, fingerprinted. A missing file is a build defect; its URL is
/// still given (and answered 404) rather than failing the page.
pub fn url(path: &str) -> String {
    match fingerprint(path) {
        Some(v) => format!("/static/{path}?v={v}"),
        None => format!("/static/{path}"),
    }
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next() {
        Some("js") => "text/javascript; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("json") => "application/json",
        Some("svg") => "image/svg+xml",
        Some("png") => "image/png",
        Some("woff2") => "font/woff2",
        _ => "application/octet-stream",
    }
}

#[derive(Deserialize)]
struct Version {
    v: Option<String>,
}

async fn serve(Path(path): Path<String>, Query(q): Query<Version>) -> Response {
    let Some(file) = Static::get(&path) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let current = hex::encode(&file.metadata.sha256_hash()[..8]);
    let cache = if q.v.as_deref() == Some(current.as_str()) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    (
        [(CONTENT_TYPE, content_type(&path)), (CACHE_CONTROL, cache)],
        file.data.into_owned(),
    )
        .into_response()
}

pub fn routes() -> Router<WebState> {
    Router::new().route("/static/{*path}", get(serve))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_front_end_is_embedded() {
        for path in [
            "site.css",
            "dist/map.js",
            "dist/map.css",
            "dist/countries-50m.json",
            "dist/actor-graph.js",
        ] {
            assert!(fingerprint(path).is_some(), "{path} is not embedded");
            assert!(url(path).starts_with(&format!("/static/{path}?v=")));
        }
        assert_eq!(url("nope.js"), "/static/nope.js");
        assert_eq!(
            content_type("dist/map.js"),
            "text/javascript; charset=utf-8"
        );
    }
}
