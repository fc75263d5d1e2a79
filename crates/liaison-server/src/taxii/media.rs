//! Content negotiation and TAXII answers: the `Accept` check (406) that runs before every TAXII
//! handler, the `Content-Type` check of a POST (415), and the one way a TAXII resource is
//! answered (status, the TAXII media type, optional date headers).
//!
//! A media range matches when it is `application/taxii+json` with `version=2.1` or with no
//! version (which TAXII 2.1 reads as the newest, 2.1); any other version, a wildcard (`*/*`) or
//! a missing header does not: TAXII 2.1 clients must name the media type.

use axum::extract::Request;
use axum::http::header::{ACCEPT, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::error::TaxiiError;
use crate::ApiError;

/// The media type of every TAXII 2.1 answer and of POST bodies.
pub const TAXII_MEDIA_TYPE: &str = "application/taxii+json;version=2.1";
/// The media type of the STIX 2.1 objects the collections hold.
pub const STIX_MEDIA_TYPE: &str = "application/stix+json;version=2.1";

/// Whether one media range (`type/subtype;param=value;…`) names TAXII 2.1.
fn is_taxii21(range: &str) -> bool {
    let mut parts = range.split(';');
    let essence = parts.next().unwrap_or("").trim();
    if !essence.eq_ignore_ascii_case("application/taxii+json") {
        return false;
    }
    let mut version_ok = true;
    for p in parts {
        let Some((k, v)) = p.split_once('=') else {
            continue;
        };
        let (k, v) = (k.trim(), v.trim().trim_matches('"'));
        if k.eq_ignore_ascii_case("version") {
            version_ok = v == "2.1";
        } else if k.eq_ignore_ascii_case("q") && v.parse::<f32>().is_ok_and(|q| q <= 0.0) {
            // q=0 means "not acceptable".
            return false;
        }
    }
    version_ok
}

/// Whether an `Accept` header allows TAXII 2.1.
pub(crate) fn accepts_taxii(headers: &HeaderMap) -> bool {
    headers
        .get_all(ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(is_taxii21)
}

/// Whether a body is declared as TAXII 2.1.
pub(crate) fn content_is_taxii(headers: &HeaderMap) -> bool {
    headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(is_taxii21)
}

/// Middleware on every TAXII route: 406 unless the client accepts TAXII 2.1.
pub(crate) async fn require_taxii_accept(req: Request, next: Next) -> Result<Response, TaxiiError> {
    if !accepts_taxii(req.headers()) {
        return Err(TaxiiError::new(
            ApiError::NotAcceptable,
            format!("send Accept: {TAXII_MEDIA_TYPE}"),
        ));
    }
    Ok(next.run(req).await)
}

/// The 415 of a POST whose body is not declared as TAXII 2.1.
pub(crate) fn unsupported_content() -> TaxiiError {
    TaxiiError::new(
        ApiError::UnsupportedMediaType,
        format!("send the envelope with Content-Type: {TAXII_MEDIA_TYPE}"),
    )
}

pub(crate) const DATE_ADDED_FIRST: HeaderName = HeaderName::from_static("x-taxii-date-added-first");
pub(crate) const DATE_ADDED_LAST: HeaderName = HeaderName::from_static("x-taxii-date-added-last");

/// A TAXII answer: `body` (JSON text) with the TAXII media type, and the `date_added` of the
/// first and last record when the body holds records.
pub(crate) fn answer(status: StatusCode, body: String, dates: Option<(&str, &str)>) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static(TAXII_MEDIA_TYPE));
    if let Some((first, last)) = dates {
        for (name, value) in [(DATE_ADDED_FIRST, first), (DATE_ADDED_LAST, last)] {
            if let Ok(v) = HeaderValue::from_str(value) {
                h.insert(name, v);
            }
        }
    }
    r
}

/// A TAXII resource serialised as JSON, answered 200.
pub(crate) fn ok_json<T: serde::Serialize>(resource: &T) -> Result<Response, TaxiiError> {
    let body = serde_json::to_string(resource).map_err(ApiError::internal)?;
    Ok(answer(StatusCode::OK, body, None))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn accept(v: &str) -> bool {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT, HeaderValue::from_str(v).unwrap());
        accepts_taxii(&h)
    }

    #[test]
    fn negotiation() {
        assert!(accept("application/taxii+json;version=2.1"));
        assert!(accept("application/taxii+json; version=2.1"));
        assert!(accept("Application/TAXII+json"));
        assert!(accept(
            "application/json, application/taxii+json;version=2.1"
        ));
        assert!(accept("application/taxii+json;version=\"2.1\";q=0.5"));
        assert!(!accept("application/taxii+json;version=2.0"));
        assert!(!accept("application/taxii+json;version=2.1;q=0"));
        assert!(!accept("application/json"));
        assert!(!accept("*/*"));
        assert!(!accept(""));
        assert!(!accepts_taxii(&HeaderMap::new()));
    }
}
