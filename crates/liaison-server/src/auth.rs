//! Authentication by bearer token, and the role check for writes.
//!
//! A token is `lsn_` followed by 64 hex digits, drawn from 32 random bytes at the edge (the CLI
//! passes the bytes in; this module never draws randomness). Only its SHA-256 is stored, and a
//! request is authenticated by looking that hash up. A missing header, a malformed token and an
//! unknown token are all answered with the same 401. The token is never logged: it is taken out
//! of the request once checked.
//!
//! This module decides who the caller is and whether their role may write; it does not decide
//! what a caller may see (every user of a node sees the node's incidents; per-recipient release
//! is the egress policy's business, not the API's).

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::Response;
use liaison_store::{Role, StoreError};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::ApiError;

/// Prefix of every API token, so that a leaked one is recognisable by secret scanners.
pub const TOKEN_PREFIX: &str = "lsn_";
/// Longest `Authorization` token considered, in bytes; longer ones are refused unhashed.
pub const MAX_TOKEN_BYTES: usize = 256;

/// The SHA-256 of a token, in lower-case hex: what the store keeps.
pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A token from 32 random bytes: `lsn_` and 64 lower-case hex digits.
pub fn token_from_bytes(random: &[u8; 32]) -> String {
    format!("{TOKEN_PREFIX}{}", hex::encode(random))
}

/// The authenticated user of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub name: String,
    pub role: Role,
}

impl Caller {
    /// Analysts and admins write incidents; liaison officers and auditors only read.
    pub fn require_writer(&self) -> Result<(), ApiError> {
        match self.role {
            Role::Analyst | Role::Admin => Ok(()),
            Role::Liaison | Role::Auditor => Err(ApiError::Forbidden {
                role: self.role.as_str(),
            }),
        }
    }
}

/// Handlers take the caller that [`authenticate`] put in the request. A handler reached without
/// it (a route outside the authenticated router) is refused, never served anonymously.
impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Caller>()
            .cloned()
            .ok_or(ApiError::Unauthorized)
    }
}

/// A caller whose role may write incidents. As an extractor it runs before the body is read, so
/// a read-only caller is refused (403) whatever it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Writer(pub Caller);

impl<S: Send + Sync> FromRequestParts<S> for Writer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.require_writer()?;
        Ok(Writer(caller))
    }
}

/// The token of an `Authorization: Bearer <token>` header, if it has one of plausible shape.
fn bearer_token(parts: &axum::http::HeaderMap) -> Option<&str> {
    let value = parts.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    let plausible = scheme.eq_ignore_ascii_case("bearer")
        && !token.is_empty()
        && token.len() <= MAX_TOKEN_BYTES
        && token.bytes().all(|b| b.is_ascii_graphic());
    plausible.then_some(token)
}

/// Middleware on every authenticated route: finds the user holding the bearer token, or
/// answers 401. Removes the header afterwards so nothing further down can log it.
pub(crate) async fn authenticate(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let hash = bearer_token(req.headers())
        .map(hash_token)
        .ok_or(ApiError::Unauthorized)?;
    let user = match state.store.user_by_token_hash(&hash).await {
        Ok(u) => u,
        Err(StoreError::NotFound) => return Err(ApiError::Unauthorized),
        Err(e) => return Err(e.into()),
    };
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
    use axum::http::{HeaderMap, HeaderValue};

    #[test]
    fn tokens_and_hashes() {
        let t = token_from_bytes(&[0xab; 32]);
        assert_eq!(t.len(), 4 + 64);
        assert!(t.starts_with("lsn_abab"));
        // SHA-256("abc"), FIPS 180-2 test vector.
        assert_eq!(
            hash_token("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    fn headers(v: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(AUTHORIZATION, HeaderValue::from_str(v).unwrap());
        h
    }

    #[test]
    fn bearer_parsing() {
        assert_eq!(bearer_token(&headers("Bearer lsn_x")), Some("lsn_x"));
        assert_eq!(bearer_token(&headers("bearer  lsn_x ")), Some("lsn_x"));
        assert_eq!(bearer_token(&headers("Basic dXNlcjpwdw==")), None);
        assert_eq!(bearer_token(&headers("Bearer")), None);
        assert_eq!(bearer_token(&headers("Bearer ")), None);
        assert_eq!(bearer_token(&headers("Bearer a b")), None);
        let long = format!("Bearer {}", "x".repeat(MAX_TOKEN_BYTES + 1));
        assert_eq!(bearer_token(&headers(&long)), None);
        assert_eq!(bearer_token(&HeaderMap::new()), None);
    }

    #[test]
    fn writers() {
        let c = |role| Caller {
            name: "u".into(),
            role,
        };
        assert!(c(Role::Analyst).require_writer().is_ok());
        assert!(c(Role::Admin).require_writer().is_ok());
        assert!(c(Role::Liaison).require_writer().is_err());
        assert!(c(Role::Auditor).require_writer().is_err());
    }
}
