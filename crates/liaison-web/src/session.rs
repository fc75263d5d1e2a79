//! Signing in to the web application: passwords (argon2id) or API tokens, server-side sessions
//! held in a cookie, CSRF tokens on every form, and the extractor that gives handlers the
//! signed-in user with the language of the request.
//!
//! The session cookie is `HttpOnly`, `SameSite=Strict`, `Path=/`, and `Secure` when the node is
//! served over TLS; its value is 32 random bytes, and only their SHA-256 is stored. Each session
//! has its own CSRF token that every form posts back (compared in constant time); a POST whose
//! `Origin` names another site is refused as well. The sign-in form, posted before any session
//! exists, carries a token of its own checked against a short-lived cookie (double submit).
//! A failed sign-in says only that the name or the secret is wrong, never which.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use axum::extract::FromRequestParts;
use axum::http::header::{ACCEPT_LANGUAGE, COOKIE, HOST, ORIGIN};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use liaison_store::{Role, StoreError, User};
use sha2::{Digest, Sha256};

use crate::WebState;
use crate::i18n::{Locale, Tr};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "liaison_session";
/// The cookie of the sign-in form's own CSRF token.
pub const LOGIN_COOKIE: &str = "liaison_login";
/// The cookie holding the language the user chose.
pub const LANG_COOKIE: &str = "liaison_lang";
/// How long a session lasts, in hours: one working day.
pub const SESSION_HOURS: i64 = 10;
/// Shortest password `liaison user passwd` accepts.
pub const MIN_PASSWORD_CHARS: usize = 12;
/// Longest secret (password or token) considered; longer ones are refused unhashed.
pub const MAX_SECRET_BYTES: usize = 1024;

/// The value of cookie `name` in a request's headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The language of a request: the user's choice, else the browser's preference.
pub fn locale_of(headers: &HeaderMap) -> Locale {
    if let Some(l) = cookie(headers, LANG_COOKIE).and_then(Locale::parse) {
        return l;
    }
    headers
        .get(ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Locale::En, Locale::negotiate)
}

/// The SHA-256 of a cookie value, as stored.
pub fn hash_secret(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// Equality that takes the same time wherever the strings differ.
pub fn same_secret(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// An argon2id PHC string for `password`, salted with 16 of the given random bytes.
pub fn hash_password(password: &str, random: &[u8; 32]) -> Result<String, String> {
    let hash: PasswordHash = Argon2::default()
        .hash_password_with_salt(password.as_bytes(), &random[..16])
        .map_err(|e| e.to_string())?;
    Ok(hash.to_string())
}

/// Whether `password` matches a stored PHC string; a malformed one matches nothing.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// Whether a form post comes from this site: an `Origin` header, when the browser sends one,
/// must name the host the request was sent to.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers.get(ORIGIN).and_then(|v| v.to_str().ok()) else {
        return true;
    };
    let host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let origin_host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .unwrap_or("");
    !host.is_empty() && origin_host == host
}

/// A `Set-Cookie` value with the attributes every cookie here carries.
pub fn set_cookie(state: &WebState, name: &str, value: &str, max_age_secs: i64) -> String {
    format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age_secs}{}",
        if state.secure_cookies { "; Secure" } else { "" }
    )
}

/// The signed-in user of a request, with its session's CSRF token and the request's language.
/// Pages reached without a session redirect to the sign-in page, which brings the user back.
#[derive(Debug, Clone)]
pub struct Session {
    pub user: User,
    pub csrf: String,
    pub tr: Tr,
    /// The SHA-256 of the session cookie, to end the session at sign-out.
    pub id_hash: String,
}

impl Session {
    /// Checks a form's CSRF token and origin; `Err` is the 403 page to answer.
    // The error is the response itself, answered at once; boxing it would only add a step.
    #[allow(clippy::result_large_err)]
    pub fn check_form(&self, headers: &HeaderMap, token: &str) -> Result<(), Response> {
        if same_origin(headers) && same_secret(token, &self.csrf) {
            Ok(())
        } else {
            Err((StatusCode::FORBIDDEN, self.tr.t("error-csrf")).into_response())
        }
    }

    pub fn may(&self, screen: Screen) -> bool {
        screen.allowed(self.user.role)
    }

    /// `Ok` if the user's role may use `screen`, else the 403 page.
    #[allow(clippy::result_large_err)]
    pub fn require(&self, screen: Screen) -> Result<(), Response> {
        if self.may(screen) {
            Ok(())
        } else {
            Err((StatusCode::FORBIDDEN, self.tr.t("error-forbidden")).into_response())
        }
    }
}

impl FromRequestParts<WebState> for Session {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &WebState) -> Result<Self, Response> {
        let tr = Tr::new(locale_of(&parts.headers));
        let back = || {
            let path = parts
                .uri
                .path_and_query()
                .map_or("/ui/", |p| p.as_str())
                .to_owned();
            let next: String = form_urlencoded::byte_serialize(path.as_bytes()).collect();
            Redirect::to(&format!("/ui/login?next={next}")).into_response()
        };
        let Some(value) = cookie(&parts.headers, SESSION_COOKIE) else {
            return Err(back());
        };
        if value.len() > MAX_SECRET_BYTES {
            return Err(back());
        }
        let id_hash = hash_secret(value);
        match state.app.store.session(&id_hash, (state.app.clock)()).await {
            Ok(s) => Ok(Session {
                user: s.user,
                csrf: s.csrf_token,
                tr,
                id_hash,
            }),
            Err(StoreError::NotFound) => Err(back()),
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                Err((StatusCode::INTERNAL_SERVER_ERROR, tr.t("error-internal")).into_response())
            }
        }
    }
}

/// The screens, and which roles use each (what the navigation shows and the handlers enforce).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    Map,
    Incidents,
    /// The incident form: new incidents and new versions.
    Entry,
    Agreements,
    Peers,
    Ledger,
    Stats,
    /// Field reports: sent in and reviewed.
    Reports,
    /// Fused incidents: every role reads them; signing is `Entry`'s.
    Fusions,
    /// The joint command's operations, conflicts, notices and forces: read by every role.
    Operations,
    /// Alerts and watch rules: read by every role.
    Alerts,
    /// Taking a step on an alert (acknowledge, action, close): liaison officers too, since they
    /// answer partners' flash items; auditors only read.
    AlertSteps,
    /// Adding and retiring watch rules: those who may write, as the API has it.
    WatchRules,
    /// This node's bilateral figures with each member: read by every role.
    Reciprocity,
    /// The actors and their link graphs: read by every role.
    Actors,
}

impl Screen {
    pub fn allowed(self, role: Role) -> bool {
        match self {
            Screen::Map
            | Screen::Incidents
            | Screen::Fusions
            | Screen::Operations
            | Screen::Stats
            | Screen::Peers
            | Screen::Alerts
            | Screen::Reciprocity
            | Screen::Actors => true,
            Screen::Entry | Screen::Reports | Screen::WatchRules => {
                matches!(role, Role::Analyst | Role::Admin)
            }
            Screen::AlertSteps => matches!(role, Role::Analyst | Role::Liaison | Role::Admin),
            Screen::Agreements | Screen::Ledger => {
                matches!(role, Role::Liaison | Role::Admin | Role::Auditor)
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn cookies_are_found_by_exact_name() {
        let mut h = HeaderMap::new();
        h.insert(
            COOKIE,
            HeaderValue::from_static("a=1; liaison_session=abc; liaison_session_x=no"),
        );
        assert_eq!(cookie(&h, SESSION_COOKIE), Some("abc"));
        assert_eq!(cookie(&h, "liaison"), None);
        assert_eq!(cookie(&HeaderMap::new(), SESSION_COOKIE), None);
    }

    #[test]
    fn language_choice_beats_the_browser() {
        let mut h = HeaderMap::new();
        h.insert(ACCEPT_LANGUAGE, HeaderValue::from_static("fr-FR,fr;q=0.9"));
        assert_eq!(locale_of(&h), Locale::Fr);
        h.insert(COOKIE, HeaderValue::from_static("liaison_lang=en"));
        assert_eq!(locale_of(&h), Locale::En);
        h.insert(COOKIE, HeaderValue::from_static("liaison_lang=xx"));
        assert_eq!(locale_of(&h), Locale::Fr);
    }

    #[test]
    fn passwords_hash_and_verify() {
        let phc = hash_password("correct horse battery", &[7; 32]).unwrap();
        assert!(phc.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &phc));
        assert!(!verify_password("correct horse batterY", &phc));
        assert!(!verify_password("anything", "not a phc string"));
        // A different salt gives a different hash of the same password.
        assert_ne!(
            phc,
            hash_password("correct horse battery", &[8; 32]).unwrap()
        );
    }

    #[test]
    fn origins_and_secrets() {
        let mut h = HeaderMap::new();
        assert!(same_origin(&h));
        h.insert(HOST, HeaderValue::from_static("127.0.0.1:8080"));
        h.insert(ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert!(same_origin(&h));
        h.insert(ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert!(!same_origin(&h));
        h.insert(ORIGIN, HeaderValue::from_static("null"));
        assert!(!same_origin(&h));
        assert!(same_secret("abc", "abc"));
        assert!(!same_secret("abc", "abd"));
        assert!(!same_secret("abc", "abcd"));
    }

    #[test]
    fn roles_and_screens() {
        assert!(Screen::Entry.allowed(Role::Analyst));
        assert!(!Screen::Entry.allowed(Role::Auditor));
        assert!(!Screen::Entry.allowed(Role::Liaison));
        assert!(Screen::Ledger.allowed(Role::Auditor));
        assert!(!Screen::Ledger.allowed(Role::Analyst));
        assert!(Screen::Agreements.allowed(Role::Liaison));
        assert!(!Screen::Agreements.allowed(Role::Analyst));
        assert!(Screen::Map.allowed(Role::Auditor));
    }
}
