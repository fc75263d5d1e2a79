//! Signing in and out, and the language switch.
//!
//! `GET /ui/login` shows the form with a fresh CSRF token, also set as a short-lived cookie;
//! `POST /ui/login` checks that pair, then a password (argon2id, checked off the async
//! threads) or an API token, opens a session and returns the user where they were going.
//! `POST /ui/logout` ends the session. `GET /ui/lang?to=fr&back=/ui/…` remembers the language
//! and returns to a page of this site (never elsewhere: `back` must be a local `/ui` path).

use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header::SET_COOKIE;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use liaison_server::auth::hash_token;
use liaison_store::{StoreError, User};
use serde::Deserialize;

use crate::WebState;
use crate::i18n::{Locale, Tr};
use crate::layout::{Page, render_status};
use crate::session::{
    self, LANG_COOKIE, LOGIN_COOKIE, MAX_SECRET_BYTES, SESSION_COOKIE, SESSION_HOURS, Session,
};

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    page: Page,
    login_token: String,
    next: String,
    name: String,
    error: Option<String>,
}

/// Where to go after signing in or switching language: a path of the web application, or its
/// home. Anything else (another site, `//host`, backslashes) goes home.
pub fn local_path(next: Option<&str>) -> String {
    match next {
        Some(p)
            if p.starts_with("/ui")
                && !p.starts_with("//")
                && !p.contains('\\')
                && !p.chars().any(char::is_control) =>
        {
            p.to_owned()
        }
        _ => "/ui/".to_owned(),
    }
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

fn signin_page(
    state: &WebState,
    tr: Tr,
    next: &str,
    name: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let login_token = state.token();
    let page = Page::anonymous(tr, state.app.member.as_str(), "signin-title", "/ui/login");
    let mut response = render_status(
        status,
        &SigninPage {
            page,
            login_token: login_token.clone(),
            next: next.to_owned(),
            name: name.to_owned(),
            error,
        },
    );
    if let Ok(v) = session::set_cookie(state, LOGIN_COOKIE, &login_token, 3600).parse() {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

async fn show(
    State(state): State<WebState>,
    headers: HeaderMap,
    Query(q): Query<NextQuery>,
) -> Response {
    let tr = Tr::new(session::locale_of(&headers));
    let next = local_path(q.next.as_deref());
    signin_page(&state, tr, &next, "", None, StatusCode::OK)
}

#[derive(Deserialize)]
struct SigninForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    next: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    token: String,
}

/// What a sign-in form's secret gives.
enum Outcome {
    User(User),
    /// Wrong name, wrong secret, no password set: one answer for all.
    Refused,
    /// Too many recent failures for this name (whether or not it exists).
    Throttled,
}

async fn authenticate(state: &WebState, form: &SigninForm) -> Result<Outcome, StoreError> {
    let token = form.token.trim();
    if !token.is_empty() {
        if token.len() > MAX_SECRET_BYTES {
            return Ok(Outcome::Refused);
        }
        return match state.app.store.user_by_token_hash(&hash_token(token)).await {
            Ok(u) => Ok(Outcome::User(u)),
            Err(StoreError::NotFound) => Ok(Outcome::Refused),
            Err(e) => Err(e),
        };
    }
    let name = form.name.trim();
    if name.is_empty() || form.password.is_empty() || form.password.len() > MAX_SECRET_BYTES {
        return Ok(Outcome::Refused);
    }
    let now = (state.app.clock)();
    if !state.throttle.allows(name, now) {
        return Ok(Outcome::Throttled);
    }
    let found = match state.app.store.user_with_password(name).await {
        Ok(found) => Some(found),
        Err(StoreError::NotFound) => None,
        Err(e) => return Err(e),
    };
    let Some((user, phc)) = found else {
        state.throttle.failed(name, now);
        return Ok(Outcome::Refused);
    };
    // argon2 takes tens of milliseconds of CPU by design: off the async threads.
    let password = form.password.clone();
    let ok = tokio::task::spawn_blocking(move || session::verify_password(&password, &phc))
        .await
        .unwrap_or(false);
    if ok {
        state.throttle.succeeded(name);
        Ok(Outcome::User(user))
    } else {
        state.throttle.failed(name, now);
        Ok(Outcome::Refused)
    }
}

async fn submit(
    State(state): State<WebState>,
    headers: HeaderMap,
    Form(form): Form<SigninForm>,
) -> Response {
    let tr = Tr::new(session::locale_of(&headers));
    let next = local_path(Some(&form.next));
    let expected = session::cookie(&headers, LOGIN_COOKIE).unwrap_or("");
    if expected.is_empty()
        || !session::same_secret(&form.csrf, expected)
        || !session::same_origin(&headers)
    {
        return signin_page(
            &state,
            tr,
            &next,
            &form.name,
            Some(tr.t("signin-expired")),
            StatusCode::FORBIDDEN,
        );
    }
    let user = match authenticate(&state, &form).await {
        Ok(Outcome::User(u)) => u,
        Ok(Outcome::Throttled) => {
            tracing::warn!("web sign-in refused: too many failures for the name");
            return signin_page(
                &state,
                tr,
                &next,
                &form.name,
                Some(tr.ta(
                    "signin-throttled",
                    &[("minutes", crate::throttle::WINDOW_MINUTES.into())],
                )),
                StatusCode::TOO_MANY_REQUESTS,
            );
        }
        Ok(Outcome::Refused) => {
            tracing::info!("web sign-in refused");
            return signin_page(
                &state,
                tr,
                &next,
                &form.name,
                Some(tr.t("signin-refused")),
                StatusCode::UNAUTHORIZED,
            );
        }
        Err(e) => {
            tracing::error!(error = %e, "sign-in failed");
            return (StatusCode::INTERNAL_SERVER_ERROR, tr.t("error-internal")).into_response();
        }
    };
    let cookie_value = state.token();
    let csrf = state.token();
    let now = (state.app.clock)();
    let expires = now + time::Duration::hours(SESSION_HOURS);
    if let Err(e) = state
        .app
        .store
        .open_session(
            &session::hash_secret(&cookie_value),
            &user.name,
            &csrf,
            now,
            expires,
        )
        .await
    {
        tracing::error!(error = %e, "cannot open a session");
        return (StatusCode::INTERNAL_SERVER_ERROR, tr.t("error-internal")).into_response();
    }
    tracing::info!(user = %user.name, "web sign-in");
    let mut response = Redirect::to(&next).into_response();
    let cookies = [
        session::set_cookie(&state, SESSION_COOKIE, &cookie_value, SESSION_HOURS * 3600),
        session::set_cookie(&state, LOGIN_COOKIE, "", 0),
    ];
    for c in cookies {
        if let Ok(v) = c.parse() {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
    response
}

#[derive(Deserialize)]
struct LogoutForm {
    #[serde(default)]
    csrf: String,
}

async fn logout(
    State(state): State<WebState>,
    s: Session,
    headers: HeaderMap,
    Form(form): Form<LogoutForm>,
) -> Response {
    if let Err(refused) = s.check_form(&headers, &form.csrf) {
        return refused;
    }
    if let Err(e) = state.app.store.close_session(&s.id_hash).await {
        tracing::error!(error = %e, "cannot close a session");
    }
    let mut response = Redirect::to("/ui/login").into_response();
    if let Ok(v) = session::set_cookie(&state, SESSION_COOKIE, "", 0).parse() {
        response.headers_mut().append(SET_COOKIE, v);
    }
    response
}

#[derive(Deserialize)]
struct LangQuery {
    to: Option<String>,
    back: Option<String>,
}

async fn switch_language(State(state): State<WebState>, Query(q): Query<LangQuery>) -> Response {
    let back = local_path(q.back.as_deref());
    let mut response = Redirect::to(&back).into_response();
    if let Some(locale) = q.to.as_deref().and_then(Locale::parse) {
        // A year: the choice is a preference, not a secret.
        let c = session::set_cookie(&state, LANG_COOKIE, locale.code(), 365 * 24 * 3600);
        if let Ok(v) = c.parse() {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
    response
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ui/login", get(show).post(submit))
        .route("/ui/logout", post(logout))
        .route("/ui/lang", get(switch_language))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(
            local_path(Some("/ui/incidents?country=MLI")),
            "/ui/incidents?country=MLI"
        );
        assert_eq!(local_path(Some("https://evil.example/ui")), "/ui/");
        assert_eq!(local_path(Some("//evil.example")), "/ui/");
        assert_eq!(local_path(Some("/ui\\@evil")), "/ui/");
        assert_eq!(local_path(Some("/api/v1/node")), "/ui/");
        assert_eq!(local_path(Some("/ui/\r\nSet-Cookie: x")), "/ui/");
        assert_eq!(local_path(None), "/ui/");
    }
}
