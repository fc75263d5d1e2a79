//! Who is calling a TAXII endpoint: HTTP Basic (the user's name, and the user's API token as the
//! password) or `Authorization: Bearer <token>`, both checked against the node's users table by
//! the token's SHA-256, as the REST API does.
//!
//! A missing header, an unknown scheme, a malformed value, an unknown token and a token that
//! belongs to another user than the Basic name are all the same 401. The header is removed once
//! checked, so nothing further down can log it. Roles are decided in `collections`.
//!
//! A user found by a token's SHA-256 is remembered for [`KNOWN_TOKEN_TTL`] (at most
//! [`KNOWN_TOKENS`] of them, per router), so a client's run of requests costs one database round
//! trip rather than one each (a twentieth of a 100-object POST). Only tokens found are
//! remembered: a token added meanwhile is looked up at once. Users are only ever added (the
//! store has no removal nor change of role), so a remembered answer cannot go stale; should that
//! change, the TTL bounds how long a removed token would still be honoured.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

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

/// How long a user found by token is remembered.
pub(crate) const KNOWN_TOKEN_TTL: Duration = Duration::from_secs(2);
/// Most tokens remembered at once.
pub(crate) const KNOWN_TOKENS: usize = 64;

/// Users recently found, by their token's SHA-256, with when they were found.
#[derive(Default)]
pub(crate) struct KnownTokens(Mutex<HashMap<String, (Instant, Caller)>>);

impl KnownTokens {
    /// The user of `hash`, if found less than [`KNOWN_TOKEN_TTL`] before `now`.
    fn get(&self, hash: &str, now: Instant) -> Option<Caller> {
        let map = self.0.lock().ok()?;
        let (found, caller) = map.get(hash)?;
        (now.saturating_duration_since(*found) < KNOWN_TOKEN_TTL).then(|| caller.clone())
    }

    fn put(&self, hash: String, caller: Caller, now: Instant) {
        let Ok(mut map) = self.0.lock() else {
            return;
        };
        if map.len() >= KNOWN_TOKENS {
            map.retain(|_, (found, _)| now.saturating_duration_since(*found) < KNOWN_TOKEN_TTL);
            if map.len() >= KNOWN_TOKENS {
                map.clear();
            }
        }
        map.insert(hash, (now, caller));
    }
}

/// What the authentication middleware needs: the node's state and the tokens it remembers.
#[derive(Clone)]
pub(crate) struct AuthState {
    pub app: AppState,
    pub known: Arc<KnownTokens>,
}

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
    State(state): State<AuthState>,
    mut req: Request,
    next: Next,
) -> Result<Response, TaxiiError> {
    let creds = credentials(req.headers()).ok_or(ApiError::Unauthorized)?;
    let (token, named) = match &creds {
        Credentials::Bearer(t) => (t.as_str(), None),
        Credentials::Basic { user, password } => (password.as_str(), Some(user.as_str())),
    };
    let hash = hash_token(token);
    let now = Instant::now();
    let caller = match state.known.get(&hash, now) {
        Some(c) => c,
        None => match state.app.store.user_by_token_hash(&hash).await {
            Ok(u) => {
                let caller = Caller {
                    name: u.name,
                    role: u.role,
                };
                state.known.put(hash, caller.clone(), now);
                caller
            }
            Err(StoreError::NotFound) => return Err(ApiError::Unauthorized.into()),
            Err(e) => return Err(e.into()),
        },
    };
    if named.is_some_and(|n| n != caller.name) {
        return Err(ApiError::Unauthorized.into());
    }
    req.headers_mut().remove(AUTHORIZATION);
    req.extensions_mut().insert(caller);
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
    fn known_tokens_expire_and_stay_bounded() {
        let known = KnownTokens::default();
        let t0 = Instant::now();
        let awa = Caller {
            name: "awa".into(),
            role: liaison_store::Role::Analyst,
        };
        assert_eq!(known.get("h", t0), None);
        known.put("h".into(), awa.clone(), t0);
        assert_eq!(
            known.get("h", t0 + Duration::from_millis(100)),
            Some(awa.clone())
        );
        assert_eq!(known.get("h", t0 + KNOWN_TOKEN_TTL), None);
        for i in 0..3 * KNOWN_TOKENS {
            known.put(format!("h{i}"), awa.clone(), t0);
            assert!(known.0.lock().unwrap().len() <= KNOWN_TOKENS);
        }
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
