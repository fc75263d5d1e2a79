//! Signing in and out: passwords and tokens, refusals that do not say which part was wrong,
//! CSRF on every form, redirects to the sign-in page and back, roles deciding the navigation,
//! the language from the browser and from the switch.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use axum::http::StatusCode;
use common::{Client, csrf_of, node};

#[tokio::test]
async fn pages_need_a_session_and_come_back_after_sign_in() {
    let node = node().await;
    let mut c = Client::new(&node);
    let a = c.get("/ui/incidents?country=MLI").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(
        a.location(),
        "/ui/login?next=%2Fui%2Fincidents%3Fcountry%3DMLI"
    );
    let login = c
        .page("/ui/login?next=%2Fui%2Fincidents%3Fcountry%3DMLI")
        .await;
    let csrf = csrf_of(&login);
    let done = c
        .post(
            "/ui/login",
            &[
                ("csrf", &csrf),
                ("next", "/ui/incidents?country=MLI"),
                ("name", "amadou"),
                ("password", common::PASSWORD),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location(), "/ui/incidents?country=MLI");
    let cookie = done
        .headers
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_owned())
        .find(|v| v.starts_with("liaison_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    // The map is home, and the data behind it needs the session too.
    let home = c.page("/ui/").await;
    assert!(home.contains("amadou"));
    let data = c.get("/ui/data/incidents.json").await;
    assert_eq!(data.status, StatusCode::OK);
    let mut anonymous = Client::new(&node);
    assert_eq!(
        anonymous.get("/ui/data/incidents.json").await.status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn wrong_secrets_are_refused_alike() {
    let node = node().await;
    let mut c = Client::new(&node);
    let refusal = |body: String| {
        assert!(
            body.contains("The name, password or token is wrong."),
            "{body}"
        );
    };
    for (name, password, token) in [
        ("amadou", "wrong password", ""),
        ("nobody", common::PASSWORD, ""),
        ("", "", "lsn_not_a_token"),
        ("amadou", "", ""),
    ] {
        let csrf = csrf_of(&c.page("/ui/login").await);
        let a = c
            .post(
                "/ui/login",
                &[
                    ("csrf", &csrf),
                    ("name", name),
                    ("password", password),
                    ("token", token),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        refusal(a.body);
    }
    assert!(!c.cookies.iter().any(|(k, _)| k == "liaison_session"));
    // A token signs in as its user.
    let csrf = csrf_of(&c.page("/ui/login").await);
    let a = c
        .post("/ui/login", &[("csrf", &csrf), ("token", "lsn_auditor")])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert!(c.page("/ui/").await.contains("awa · auditor"));
}

#[tokio::test]
async fn forms_without_their_token_are_refused() {
    let node = node().await;
    let mut c = Client::new(&node);
    // The sign-in form's own token must match its cookie.
    c.page("/ui/login").await;
    let a = c
        .post(
            "/ui/login",
            &[
                ("csrf", "forged"),
                ("name", "amadou"),
                ("password", common::PASSWORD),
            ],
        )
        .await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    c.sign_in("amadou").await;
    // Sign-out with a wrong token does nothing.
    let a = c.post("/ui/logout", &[("csrf", "forged")]).await;
    assert_eq!(a.status, StatusCode::FORBIDDEN);
    assert_eq!(c.get("/ui/").await.status, StatusCode::OK);
    // With the page's token it ends the session, for good.
    let session = c
        .cookies
        .iter()
        .find(|(k, _)| k == "liaison_session")
        .unwrap()
        .clone();
    let csrf = csrf_of(&c.page("/ui/").await);
    let a = c.post("/ui/logout", &[("csrf", &csrf)]).await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), "/ui/login");
    assert_eq!(c.get("/ui/").await.status, StatusCode::SEE_OTHER);
    c.cookies.push(session);
    assert_eq!(c.get("/ui/").await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_navigation_follows_the_role() {
    let node = node().await;
    let mut analyst = Client::new(&node);
    analyst.sign_in("amadou").await;
    let page = analyst.page("/ui/").await;
    assert!(page.contains("href=\"/ui/incidents/new\""));
    assert!(!page.contains("href=\"/ui/ledger\""));
    assert!(!page.contains("href=\"/ui/agreements\""));
    let mut auditor = Client::new(&node);
    auditor.sign_in("awa").await;
    let page = auditor.page("/ui/").await;
    assert!(!page.contains("href=\"/ui/incidents/new\""));
    assert!(page.contains("href=\"/ui/ledger\""));
}

#[tokio::test]
async fn the_language_follows_the_browser_until_the_user_chooses() {
    let node = node().await;
    let mut c = Client::new(&node);
    c.accept_language = "fr-FR,fr;q=0.9,en;q=0.5";
    let page = c.page("/ui/login").await;
    assert!(page.contains("<html lang=\"fr\""));
    assert!(page.contains("Connexion"));
    let a = c.get("/ui/lang?to=en&back=%2Fui%2Flogin").await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
    assert_eq!(a.location(), "/ui/login");
    let page = c.page("/ui/login").await;
    assert!(page.contains("<html lang=\"en\""));
    assert!(page.contains("Sign in"));
    // The switch never sends anyone elsewhere.
    let a = c
        .get("/ui/lang?to=fr&back=https%3A%2F%2Fevil.example")
        .await;
    assert_eq!(a.location(), "/ui/");
}

#[tokio::test]
async fn pages_carry_a_strict_content_security_policy() {
    let node = node().await;
    let mut c = Client::new(&node);
    let a = c.get("/ui/login").await;
    let csp = a.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"));
    assert_eq!(a.headers["x-frame-options"], "DENY");
    assert_eq!(a.headers["referrer-policy"], "same-origin");
    // The API keeps its own headers: this is the web application's policy.
    let api = c.get("/api/v1/health").await;
    assert!(!api.headers.contains_key("content-security-policy"));
}

#[tokio::test]
async fn password_guessing_is_slowed_down_for_any_name() {
    let node = node().await;
    let mut c = Client::new(&node);
    for name in ["amadou", "no-such-user"] {
        for _ in 0..liaison_web::throttle::MAX_FAILURES {
            let csrf = csrf_of(&c.page("/ui/login").await);
            let a = c
                .post(
                    "/ui/login",
                    &[("csrf", &csrf), ("name", name), ("password", "guess")],
                )
                .await;
            assert_eq!(a.status, StatusCode::UNAUTHORIZED);
        }
        // Now even the right password is not checked, for a real name and an unknown one alike.
        let csrf = csrf_of(&c.page("/ui/login").await);
        let a = c
            .post(
                "/ui/login",
                &[
                    ("csrf", &csrf),
                    ("name", name),
                    ("password", common::PASSWORD),
                ],
            )
            .await;
        assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "{name}");
        assert!(a.body.contains("Too many failed attempts"));
    }
    // Other users still sign in, and a token is never throttled.
    c.sign_in("awa").await;
    let mut t = Client::new(&node);
    let csrf = csrf_of(&t.page("/ui/login").await);
    let a = t
        .post("/ui/login", &[("csrf", &csrf), ("token", "lsn_analyst")])
        .await;
    assert_eq!(a.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn the_map_data_is_compressed_for_a_poor_link() {
    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;
    let node = node().await;
    let req = Request::builder()
        .uri("/static/dist/countries-50m.json")
        .header("accept-encoding", "gzip")
        .body(Body::empty())
        .unwrap();
    let res = node.app.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-encoding"], "gzip");
}
