//! Web sign-in: users' password hashes and server-side sessions.
//!
//! The store keeps what the server computed and compares nothing secret itself: a password hash
//! is an argon2id PHC string made and checked by the server, a session is found by the SHA-256
//! of its cookie value (so a copy of the database holds no usable cookie), and each session
//! carries the CSRF token its forms must echo. Expiry times are stored as fixed-width UTC text
//! (`YYYY-MM-DDTHH:MM:SSZ`), so both engines compare them as strings in the same order.

use time::OffsetDateTime;
use time::macros::format_description;

use crate::{Role, Store, StoreError, User};

/// A live session: whose it is and the CSRF token its forms carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSession {
    pub user: User,
    pub csrf_token: String,
    pub expires_at: String,
}

/// `at` in UTC, to the second, fixed width: sorts as it compares.
fn fixed_ts(at: OffsetDateTime) -> Result<String, StoreError> {
    at.to_offset(time::UtcOffset::UTC)
        .format(format_description!(
            "[year]-[month]-[day]T[hour]:[minute]:[second]Z"
        ))
        .map_err(|e| StoreError::Config(format!("timestamp: {e}")))
}

impl Store {
    /// Sets (or replaces) a user's password hash; `NotFound` if there is no such user.
    pub async fn set_password_hash(&self, name: &str, hash: &str) -> Result<(), StoreError> {
        let done = sqlx::query("UPDATE users SET password_hash = $1 WHERE name = $2")
            .bind(hash)
            .bind(name)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound);
        }
        // A new password ends every session opened with the old one.
        sqlx::query("DELETE FROM web_sessions WHERE user_name = $1")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The user and their password hash, if they have one. `NotFound` for an unknown user and
    /// for a user without a password alike: the caller answers both the same way.
    pub async fn user_with_password(&self, name: &str) -> Result<(User, String), StoreError> {
        let row: Option<(String, String, Option<String>)> =
            sqlx::query_as("SELECT name, role, password_hash FROM users WHERE name = $1")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?;
        let Some((name, role, Some(hash))) = row else {
            return Err(StoreError::NotFound);
        };
        let role = Role::parse(&role).map_err(StoreError::Corrupt)?;
        Ok((User { name, role }, hash))
    }

    /// Opens a session for `user` until `expires`; also forgets sessions expired at `now`.
    pub async fn open_session(
        &self,
        id_hash: &str,
        user: &str,
        csrf_token: &str,
        now: OffsetDateTime,
        expires: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let now = fixed_ts(now)?;
        sqlx::query("DELETE FROM web_sessions WHERE expires_at <= $1")
            .bind(&now)
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO web_sessions (id_hash, user_name, csrf_token, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id_hash)
        .bind(user)
        .bind(csrf_token)
        .bind(&now)
        .bind(fixed_ts(expires)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The session whose cookie hashes to `id_hash`, if it has not expired at `now`.
    pub async fn session(
        &self,
        id_hash: &str,
        now: OffsetDateTime,
    ) -> Result<WebSession, StoreError> {
        let row: Option<(String, String, String, String)> = sqlx::query_as(
            "SELECT u.name, u.role, s.csrf_token, s.expires_at
             FROM web_sessions s JOIN users u ON u.name = s.user_name
             WHERE s.id_hash = $1 AND s.expires_at > $2",
        )
        .bind(id_hash)
        .bind(fixed_ts(now)?)
        .fetch_optional(&self.pool)
        .await?;
        let (name, role, csrf_token, expires_at) = row.ok_or(StoreError::NotFound)?;
        let role = Role::parse(&role).map_err(StoreError::Corrupt)?;
        Ok(WebSession {
            user: User { name, role },
            csrf_token,
            expires_at,
        })
    }

    /// Ends a session (sign-out). Ending one that does not exist is not an error.
    pub async fn close_session(&self, id_hash: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM web_sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn fixed_timestamps_sort_as_they_compare() {
        let a = fixed_ts(datetime!(2026-11-28 09:05:03.123 +01:00)).unwrap();
        assert_eq!(a, "2026-11-28T08:05:03Z");
        let b = fixed_ts(datetime!(2026-11-28 08:05:04 UTC)).unwrap();
        assert!(a < b);
    }
}
