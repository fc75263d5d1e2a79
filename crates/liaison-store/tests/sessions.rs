//! Web sign-in storage on both engines: password hashes, sessions found by their hash, expiry,
//! sign-out, and a password change ending the sessions opened before it.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[macro_use]
mod common;

use liaison_store::{Role, Store, StoreError};
use time::Duration;
use time::macros::datetime;

async fn sessions(store: &Store) {
    let t0 = datetime!(2026-11-28 08:00 UTC);
    store
        .add_user("awa", Role::Analyst, "tokenhash-awa", t0)
        .await
        .unwrap();
    store
        .add_user("moussa", Role::Auditor, "tokenhash-moussa", t0)
        .await
        .unwrap();

    // No password yet: refused the same way as an unknown user.
    assert!(matches!(
        store.user_with_password("awa").await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.user_with_password("nobody").await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.set_password_hash("nobody", "$argon2id$x").await,
        Err(StoreError::NotFound)
    ));
    store
        .set_password_hash("awa", "$argon2id$v=19$first")
        .await
        .unwrap();
    let (user, hash) = store.user_with_password("awa").await.unwrap();
    assert_eq!(user.role, Role::Analyst);
    assert_eq!(hash, "$argon2id$v=19$first");

    // A session lives until it expires.
    let expires = t0 + Duration::hours(8);
    store
        .open_session("s1", "awa", "csrf1", t0, expires)
        .await
        .unwrap();
    store
        .open_session("s2", "moussa", "csrf2", t0, expires)
        .await
        .unwrap();
    let s = store.session("s1", t0 + Duration::hours(1)).await.unwrap();
    assert_eq!(s.user.name, "awa");
    assert_eq!(s.csrf_token, "csrf1");
    assert_eq!(s.expires_at, "2026-11-28T16:00:00Z");
    assert!(matches!(
        store.session("s1", expires).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        store.session("unknown", t0).await,
        Err(StoreError::NotFound)
    ));

    // Sign-out ends one session; closing it again is harmless.
    store.close_session("s2").await.unwrap();
    store.close_session("s2").await.unwrap();
    assert!(store.session("s2", t0).await.is_err());

    // A new password ends the sessions opened with the old one.
    store
        .set_password_hash("awa", "$argon2id$v=19$second")
        .await
        .unwrap();
    assert!(store.session("s1", t0).await.is_err());

    // Opening a session forgets the expired ones (their hashes can be reused).
    store
        .open_session("s3", "awa", "csrf3", t0, t0 + Duration::minutes(1))
        .await
        .unwrap();
    let later = t0 + Duration::hours(1);
    store
        .open_session("s4", "awa", "csrf4", later, later + Duration::hours(1))
        .await
        .unwrap();
    store
        .open_session("s3", "awa", "csrf5", later, later + Duration::hours(1))
        .await
        .unwrap();
    assert_eq!(
        store.session("s3", later).await.unwrap().csrf_token,
        "csrf5"
    );
}

on_both!(web_sessions, sessions);
