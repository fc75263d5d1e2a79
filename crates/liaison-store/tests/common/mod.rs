//! What the storage suites share: a fresh SQLite store, a fresh PostgreSQL schema, and
//! `on_both!`, which runs one test body on both engines.
//!
//! PostgreSQL is reached at `LIAISON_TEST_PG_URL` (default
//! `postgres://postgres@127.0.0.1:5432/test`); each test works in a schema of its own. When the
//! server cannot be reached the PostgreSQL tests fail: set `LIAISON_TEST_PG=skip` to run only the
//! SQLite half on a machine without one (CI never does).

#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_store::Store;
use sqlx::Connection;

pub const PG_DEFAULT: &str = "postgres://postgres@127.0.0.1:5432/test";

pub struct TestDb {
    pub store: Store,
    pub _dir: Option<tempfile::TempDir>,
}

pub async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}/t.db", dir.path().display());
    TestDb {
        store: Store::open(&url).await.unwrap(),
        _dir: Some(dir),
    }
}

pub async fn postgres(test: &str) -> Option<TestDb> {
    if std::env::var("LIAISON_TEST_PG").as_deref() == Ok("skip") {
        eprintln!("LIAISON_TEST_PG=skip: PostgreSQL half of {test} NOT RUN");
        return None;
    }
    let base = std::env::var("LIAISON_TEST_PG_URL").unwrap_or_else(|_| PG_DEFAULT.to_owned());
    sqlx::any::install_default_drivers();
    let mut conn = sqlx::AnyConnection::connect(&base)
        .await
        .unwrap_or_else(|e| {
            panic!("PostgreSQL at {base} unreachable ({e}); set LIAISON_TEST_PG=skip to skip")
        });
    let schema = format!("t_{test}_{}", std::process::id());
    let drop = format!("DROP SCHEMA IF EXISTS {schema} CASCADE");
    sqlx::query(sqlx::AssertSqlSafe(drop))
        .execute(&mut conn)
        .await
        .unwrap();
    let create = format!("CREATE SCHEMA {schema}");
    sqlx::query(sqlx::AssertSqlSafe(create))
        .execute(&mut conn)
        .await
        .unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    Some(TestDb {
        store: Store::open(&url).await.unwrap(),
        _dir: None,
    })
}

/// Runs `$body` (an async fn taking `&Store`) on both engines.
macro_rules! on_both {
    ($name:ident, $body:ident) => {
        mod $name {
            use super::*;
            #[tokio::test]
            async fn sqlite() {
                let db = common::sqlite().await;
                $body(&db.store).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some(db) = common::postgres(stringify!($name)).await {
                    $body(&db.store).await;
                }
            }
        }
    };
}
