//! The API's one error type, and the one function that turns it into an HTTP status and a JSON
//! body of the shape
//! `{"error":{"code":"…","message":"…","fields":[{"field":"location.point.lat","message":"…"}]}}`
//! (`fields` only when a field is to blame).
//!
//! Two rules live here. "Does not exist" and "may not see" are the same [`ApiError::NotFound`],
//! so they answer the same bytes (invariant 6, no existence oracles). Failures of the database or
//! of stored data are logged with `tracing` and answered with a stable `internal` code that
//! carries no internal detail. This module does not decide who may do what (that is `auth`) nor
//! parse requests (that is `params`).

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use liaison_core::{FieldError, ValidationErrors};
use liaison_store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// The body of every error answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong: a stable machine code, a sentence for people, and the fields to blame.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// One of `validation_failed`, `bad_request`, `unauthorized`, `forbidden`, `not_originator`,
    /// `not_found`, `method_not_allowed`, `conflict`, `payload_too_large`,
    /// `unsupported_media_type`, `not_acceptable`, `timeout`, `internal`.
    pub code: String,
    pub message: String,
    /// Each field at fault, as a path into the request (a JSON path such as `sources[1].name`,
    /// or a query parameter name). Absent when no particular field is to blame.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
}

/// Everything a request can fail with. [`IntoResponse`] is the only place that picks a status.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The body is well-formed JSON but its content breaks the rules (422).
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// A malformed body or a bad query parameter (400).
    #[error("{message}")]
    BadRequest {
        message: String,
        fields: Vec<FieldError>,
    },
    /// No bearer token, a malformed one or an unknown one: all answered alike (401).
    #[error("unauthorized")]
    Unauthorized,
    /// The caller's role does not allow the action (403).
    #[error("role {role} may not do this")]
    Forbidden { role: &'static str },
    /// Only the originating member makes new versions of an incident (403).
    #[error("not the originator")]
    NotOriginator { originator: String },
    /// Does not exist, or may not be seen: the same answer (404).
    #[error("not found")]
    NotFound,
    /// The path exists but not with this method (405).
    #[error("method not allowed")]
    MethodNotAllowed,
    /// A stale version or a taken id (409).
    #[error("{message}")]
    Conflict {
        message: String,
        fields: Vec<FieldError>,
    },
    /// The body is larger than [`crate::MAX_REQUEST_BYTES`] (413).
    #[error("payload too large")]
    PayloadTooLarge,
    /// A body that is not declared as JSON (415).
    #[error("unsupported media type")]
    UnsupportedMediaType,
    /// The `Accept` header allows no media type this endpoint answers with (406; TAXII).
    #[error("not acceptable")]
    NotAcceptable,
    /// The request took longer than [`crate::REQUEST_TIMEOUT_MS`] (503).
    #[error("timeout")]
    Timeout,
    /// Something failed inside the node; the detail went to the log, never to the caller (500).
    #[error("internal error")]
    Internal,
}

impl ApiError {
    /// A 400 naming one query parameter or body field.
    pub fn bad_param(param: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::bad_params(vec![FieldError::new(param, message)])
    }

    /// A 400 naming several query parameters at once.
    pub fn bad_params(fields: Vec<FieldError>) -> ApiError {
        let names: Vec<&str> = fields.iter().map(|f| f.field.as_str()).collect();
        let message = match fields.as_slice() {
            [one] => format!("{}: {}", one.field, one.message),
            _ => format!("bad parameters: {}", names.join(", ")),
        };
        ApiError::BadRequest { message, fields }
    }

    /// A 400 with no particular field to blame.
    pub fn bad_request(message: impl Into<String>) -> ApiError {
        ApiError::BadRequest {
            message: message.into(),
            fields: Vec::new(),
        }
    }

    /// Logs `what` (never shown to the caller) and returns [`ApiError::Internal`].
    pub fn internal(what: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %what, "internal error while serving a request");
        ApiError::Internal
    }

    /// Validation errors of an incident's content, each path prefixed with `prefix.` when the
    /// content is nested in the request body (`content.location.point.lat`).
    pub fn invalid_content(errors: ValidationErrors, prefix: Option<&str>) -> ApiError {
        let fields = errors
            .0
            .into_iter()
            .map(|e| match prefix {
                Some(p) => FieldError::new(format!("{p}.{}", e.field), e.message),
                None => e,
            })
            .collect();
        ApiError::Validation(fields)
    }

    /// The status, code, message and fields of this error: the single mapping.
    fn parts(&self) -> (StatusCode, &'static str, String, Vec<FieldError>) {
        match self {
            ApiError::Validation(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "validation_failed",
                format!(
                    "the request is not valid: {} problem{}, each named in fields",
                    fields.len(),
                    if fields.len() == 1 { "" } else { "s" }
                ),
                fields.clone(),
            ),
            ApiError::BadRequest { message, fields } => (
                StatusCode::BAD_REQUEST,
                "bad_request",
                message.clone(),
                fields.clone(),
            ),
            ApiError::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "a valid bearer token is required (Authorization: Bearer <token>)".into(),
                Vec::new(),
            ),
            ApiError::Forbidden { role } => (
                StatusCode::FORBIDDEN,
                "forbidden",
                format!("the {role} role may not do this"),
                Vec::new(),
            ),
            ApiError::NotOriginator { originator } => (
                StatusCode::FORBIDDEN,
                "not_originator",
                format!(
                    "only the originating member ({originator}) may make new versions of this incident"
                ),
                Vec::new(),
            ),
            ApiError::NotFound => (
                StatusCode::NOT_FOUND,
                "not_found",
                "not found".into(),
                Vec::new(),
            ),
            ApiError::MethodNotAllowed => (
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this path does not accept that method".into(),
                Vec::new(),
            ),
            ApiError::Conflict { message, fields } => (
                StatusCode::CONFLICT,
                "conflict",
                message.clone(),
                fields.clone(),
            ),
            ApiError::PayloadTooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                "payload_too_large",
                format!(
                    "the request body exceeds {} bytes",
                    crate::MAX_REQUEST_BYTES
                ),
                Vec::new(),
            ),
            ApiError::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "the body must be JSON, sent with Content-Type: application/json".into(),
                Vec::new(),
            ),
            ApiError::NotAcceptable => (
                StatusCode::NOT_ACCEPTABLE,
                "not_acceptable",
                "the Accept header allows no media type this endpoint answers with".into(),
                Vec::new(),
            ),
            ApiError::Timeout => (
                StatusCode::SERVICE_UNAVAILABLE,
                "timeout",
                format!(
                    "the request took longer than {} ms",
                    crate::REQUEST_TIMEOUT_MS
                ),
                Vec::new(),
            ),
            ApiError::Internal => (
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error; the node's log has the detail".into(),
                Vec::new(),
            ),
        }
    }

    /// The JSON body this error is answered with.
    pub fn body(&self) -> ErrorBody {
        let (_, code, message, fields) = self.parts();
        ErrorBody {
            error: ErrorDetail {
                code: code.into(),
                message,
                fields,
            },
        }
    }

    pub fn status(&self) -> StatusCode {
        self.parts().0
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, code, message, fields) = self.parts();
        let body = ErrorBody {
            error: ErrorDetail {
                code: code.into(),
                message,
                fields,
            },
        };
        let mut response = (status, axum::Json(body)).into_response();
        if status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        match e {
            StoreError::NotFound => ApiError::NotFound,
            StoreError::Conflict(message) => ApiError::Conflict {
                message,
                fields: Vec::new(),
            },
            StoreError::Invalid { field, message } => ApiError::bad_param(field, message),
            e @ (StoreError::Config(_) | StoreError::Corrupt(_) | StoreError::Database(_)) => {
                ApiError::internal(e)
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn internal_detail_stays_out_of_the_body() {
        let e = ApiError::from(StoreError::Corrupt("table incidents, row 7: secret".into()));
        assert_eq!(e, ApiError::Internal);
        let json = serde_json::to_string(&e.body()).unwrap();
        assert!(!json.contains("secret"));
        assert!(json.contains("\"code\":\"internal\""));
        assert!(!json.contains("fields"));
    }

    #[test]
    fn store_errors_map() {
        assert_eq!(ApiError::from(StoreError::NotFound), ApiError::NotFound);
        let e = ApiError::from(StoreError::Invalid {
            field: "cursor".into(),
            message: "not a cursor".into(),
        });
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(e.body().error.fields[0].field, "cursor");
        let c = ApiError::from(StoreError::Conflict("stale".into()));
        assert_eq!(c.status(), StatusCode::CONFLICT);
    }

    #[test]
    fn unauthorized_carries_the_challenge() {
        let r = ApiError::Unauthorized.into_response();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(r.headers()[header::WWW_AUTHENTICATE], "Bearer");
    }

    #[test]
    fn nested_content_paths() {
        let mut v = ValidationErrors::default();
        v.push("location.point.lat", "out of range");
        let e = ApiError::invalid_content(v, Some("content"));
        assert_eq!(e.body().error.fields[0].field, "content.location.point.lat");
    }
}
