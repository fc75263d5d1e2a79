//! Who is calling a TAXII endpoint: HTTP Basic (the user's name, and the user's API token as the
//! password) or `Authorization: Bearer <token>`, both checked against the node's users table by
//! the token's SHA-256, as the REST API does.
//!
//! A missing header, an unknown scheme, a malformed value, an unknown token and a token that
//! belongs to another user than the Basic name are all the same 401. The header is removed once
//! checked, so nothing further down can log it. Roles are decided in `collections`.

use axum::extract::{Request, State};
use axum::http::HeaderMap;
use axum::http::header::AUTHORIZATION;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use liaison_store::StoreError;

use super::error::TaxiiError;
use crate::auth::{Caller, MAX_TOKEN_BYTES, hash_token};
use crate::{ApiError, AppState};

/// Credentials as sent.
#[derive(Debug, PartialEq, Eq)]
enum Credentials {
    Bearer(String),
    Basic { user: String, password: String },
}

/// A token of plausible shape: printable ASCII, not empty, not too long.
fn plausible(token: &str) -> bool {
    !token.is_empty()
        && token.len() <= MAX_TOKEN_BYTES
        && token.bytes().all(|b| b.is_ascii_graphic())
}

/// The credentials of an `Authorization` header, if it holds plausible ones.
fn credentials(headers: &HeaderMap) -> Option<Credentials> {
    let value = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = value.trim().split_once(' ')?;
    let rest = rest.trim();
    if scheme.eq_ignore_ascii_case("bearer") {
        return plausible(rest).then(|| Credentials::Bearer(rest.to_owned()));
    }
    if !scheme.eq_ignore_ascii_case("basic") || rest.len() > 2 * MAX_TOKEN_BYTES {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(rest)
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (user, password) = text.split_once(':')?;
    (!user.is_empty() && plausible(password)).then(|| Credentials::Basic {
        user: user.to_owned(),
        password: password.to_owned(),
    })
}

/// Middleware on every TAXII route: finds the user, or answers 401.
pub(crate) async fn authenticate(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, TaxiiError> {
    let creds = credentials(req.headers()).ok_or(ApiError::Unauthorized)?;
    let (token, named) = match &creds {
        Credentials::Bearer(t) => (t.as_str(), None),
        Credentials::Basic { user, password } => (password.as_str(), Some(user.as_str())),
    };
    let user = match state.store.user_by_token_hash(&hash_token(token)).await {
        Ok(u) => u,
        Err(StoreError::NotFound) => return Err(ApiError::Unauthorized.into()),
        Err(e) => return Err(e.into()),
    };
    if named.is_some_and(|n| n != user.name) {
        return Err(ApiError::Unauthorized.into());
    }
    req.headers_mut().remove(AUTHORIZATION);
    req.extensions_mut().insert(Caller {
        name: user.name,
        role: user.role,
    });
    Ok(next.run(req).await)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn creds(v: &str) -> Option<Credentials> {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_str(v).unwrap());
        credentials(&h)
    }

    #[test]
    fn schemes() {
        assert_eq!(
            creds("Bearer lsn_x"),
            Some(Credentials::Bearer("lsn_x".into()))
        );
        // "awa:lsn_x"
        assert_eq!(
            creds("Basic YXdhOmxzbl94"),
            Some(Credentials::Basic {
                user: "awa".into(),
                password: "lsn_x".into()
            })
        );
        // ":lsn_x" (no user), "awa" (no colon), not base64.
        assert_eq!(creds("Basic Omxzbl94"), None);
        assert_eq!(creds("Basic YXdh"), None);
        assert_eq!(creds("Basic !!!"), None);
        assert_eq!(creds("Token lsn_x"), None);
        assert_eq!(creds("Bearer"), None);
        assert_eq!(credentials(&HeaderMap::new()), None);
    }
}
