//! TAXII errors: the API's [`ApiError`] (which alone picks the HTTP status) answered with the
//! TAXII 2.1 error body `{"title", "description", "error_code", "http_status"}` and the TAXII
//! media type, instead of the REST API's `{"error": …}`.
//!
//! A description may replace the REST message when TAXII needs its own words (the TAXII
//! `max_content_length`, the media types). Internal failures keep their stable `internal` code
//! and never carry detail. A 401 challenges for both Basic and Bearer.

use axum::http::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use liaison_store::StoreError;
use serde::Serialize;

use super::media::TAXII_MEDIA_TYPE;
use crate::ApiError;

/// A failed TAXII request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaxiiError {
    pub error: ApiError,
    /// Replaces the REST API's message.
    pub description: Option<String>,
}

/// The TAXII 2.1 error resource.
#[derive(Debug, Serialize)]
struct ErrorResource<'a> {
    title: &'a str,
    description: String,
    /// Liaison's stable code (`not_found`, `unauthorized`, …).
    error_code: String,
    /// The HTTP status, as a string (TAXII 2.1 says so).
    http_status: String,
}

impl TaxiiError {
    pub fn new(error: ApiError, description: impl Into<String>) -> TaxiiError {
        TaxiiError {
            error,
            description: Some(description.into()),
        }
    }

    /// Does not exist, or may not be seen: the same answer.
    pub fn not_found() -> TaxiiError {
        ApiError::NotFound.into()
    }

    /// A 400 naming one query parameter or part of the body.
    pub fn bad_param(name: &str, message: impl Into<String>) -> TaxiiError {
        ApiError::bad_param(name, message).into()
    }

    pub fn status(&self) -> StatusCode {
        self.error.status()
    }
}

impl From<ApiError> for TaxiiError {
    fn from(error: ApiError) -> TaxiiError {
        TaxiiError {
            error,
            description: None,
        }
    }
}

impl From<StoreError> for TaxiiError {
    fn from(e: StoreError) -> TaxiiError {
        ApiError::from(e).into()
    }
}

impl IntoResponse for TaxiiError {
    fn into_response(self) -> Response {
        let status = self.error.status();
        let detail = self.error.body().error;
        let body = ErrorResource {
            title: status.canonical_reason().unwrap_or("Error"),
            description: self.description.unwrap_or(detail.message),
            error_code: detail.code,
            http_status: status.as_u16().to_string(),
        };
        let text = serde_json::to_string(&body).unwrap_or_else(|_| "{}".to_owned());
        let mut response = (status, text).into_response();
        let headers = response.headers_mut();
        headers.insert(CONTENT_TYPE, HeaderValue::from_static(TAXII_MEDIA_TYPE));
        if status == StatusCode::UNAUTHORIZED {
            headers.append(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Basic realm=\"liaison\", charset=\"UTF-8\""),
            );
            headers.append(
                WWW_AUTHENTICATE,
                HeaderValue::from_static("Bearer realm=\"liaison\""),
            );
        }
        response
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn taxii_error_body() {
        let r = TaxiiError::not_found().into_response();
        assert_eq!(r.status(), StatusCode::NOT_FOUND);
        assert_eq!(r.headers()[CONTENT_TYPE], TAXII_MEDIA_TYPE);
        let bytes = axum::body::to_bytes(r.into_body(), 10_000).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(v["title"], "Not Found");
        assert_eq!(v["http_status"], "404");
        assert_eq!(v["error_code"], "not_found");

        let r = TaxiiError::from(ApiError::Unauthorized).into_response();
        let challenges: Vec<_> = r.headers().get_all(WWW_AUTHENTICATE).iter().collect();
        assert_eq!(challenges.len(), 2);

        let e = TaxiiError::from(StoreError::Corrupt("row 7: secret".into()));
        let r = e.into_response();
        let bytes = axum::body::to_bytes(r.into_body(), 10_000).await.unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("secret"));
    }
}
