//! Users of a node and their roles. Only a hash of each API token is stored: the token itself is
//! shown once, when the user is made, and never written anywhere.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::{Store, StoreError};

/// What a user may do. Checked by the server; the store only keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Records, edits and searches incidents.
    Analyst,
    /// Negotiates agreements and approves releases; reads incidents.
    Liaison,
    /// Manages the node and its users; everything an analyst may do.
    Admin,
    /// Reads incidents and the ledger; writes nothing.
    Auditor,
}

impl Role {
    pub fn parse(s: &str) -> Result<Role, String> {
        match s {
            "analyst" => Ok(Role::Analyst),
            "liaison" => Ok(Role::Liaison),
            "admin" => Ok(Role::Admin),
            "auditor" => Ok(Role::Auditor),
            other => Err(format!(
                "unknown role '{other}': use analyst, liaison, admin or auditor"
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Analyst => "analyst",
            Role::Liaison => "liaison",
            Role::Admin => "admin",
            Role::Auditor => "auditor",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub name: String,
    pub role: Role,
}

impl Store {
    /// Adds a user; `Conflict` if the name is taken.
    pub async fn add_user(
        &self,
        name: &str,
        role: Role,
        token_hash: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let created = at
            .format(&Rfc3339)
            .map_err(|e| StoreError::Config(format!("timestamp: {e}")))?;
        let done = sqlx::query(
            "INSERT INTO users (name, role, token_hash, created_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(role.as_str())
        .bind(token_hash)
        .bind(created)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 0 {
            return Err(StoreError::Conflict(format!("user '{name}' exists")));
        }
        Ok(())
    }

    /// The user holding the token whose hash is `token_hash`.
    pub async fn user_by_token_hash(&self, token_hash: &str) -> Result<User, StoreError> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT name, role FROM users WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(&self.pool)
                .await?;
        let (name, role) = row.ok_or(StoreError::NotFound)?;
        let role = Role::parse(&role).map_err(StoreError::Corrupt)?;
        Ok(User { name, role })
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT name, role FROM users ORDER BY name")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(name, role)| {
                Ok(User {
                    name,
                    role: Role::parse(&role).map_err(StoreError::Corrupt)?,
                })
            })
            .collect()
    }
}
