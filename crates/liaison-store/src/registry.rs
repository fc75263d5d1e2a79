//! Members, actors and places: the first-class records incidents refer to. Stored as documents
//! keyed by their ids, with the columns lookups need.

use liaison_core::{Actor, ActorId, CountryCode, Member, Place};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::{Store, StoreError};

fn encode<T: Serialize>(what: &str, v: &T) -> Result<String, StoreError> {
    serde_json::to_string(v).map_err(|e| StoreError::Corrupt(format!("encoding {what}: {e}")))
}

fn decode<T: DeserializeOwned>(what: &str, doc: &str) -> Result<T, StoreError> {
    serde_json::from_str(doc).map_err(|e| StoreError::Corrupt(format!("{what} document: {e}")))
}

impl Store {
    /// Stores a member, replacing what was stored under its code.
    pub async fn put_member(&self, m: &Member) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO members (code, doc) VALUES ($1, $2)
             ON CONFLICT (code) DO UPDATE SET doc = excluded.doc",
        )
        .bind(m.code.as_str())
        .bind(encode("member", m)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn members(&self) -> Result<Vec<Member>, StoreError> {
        let docs: Vec<String> = sqlx::query_scalar("SELECT doc FROM members ORDER BY code")
            .fetch_all(&self.pool)
            .await?;
        docs.iter().map(|d| decode("member", d)).collect()
    }

    pub async fn member(&self, code: &CountryCode) -> Result<Member, StoreError> {
        let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM members WHERE code = $1")
            .bind(code.as_str())
            .fetch_optional(&self.pool)
            .await?;
        decode("member", &doc.ok_or(StoreError::NotFound)?)
    }

    /// Stores an actor, replacing what was stored under its id.
    pub async fn put_actor(&self, a: &Actor) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO actors (id, kind, name, ucdp_id, doc) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name,
                 ucdp_id = excluded.ucdp_id, doc = excluded.doc",
        )
        .bind(a.id.as_str())
        .bind(encode("actor kind", &a.kind)?.trim_matches('"').to_owned())
        .bind(a.name.clone())
        .bind(a.ucdp_id.map(i64::from))
        .bind(encode("actor", a)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn actors(&self) -> Result<Vec<Actor>, StoreError> {
        let docs: Vec<String> = sqlx::query_scalar("SELECT doc FROM actors ORDER BY name, id")
            .fetch_all(&self.pool)
            .await?;
        docs.iter().map(|d| decode("actor", d)).collect()
    }

    pub async fn actor(&self, id: &ActorId) -> Result<Actor, StoreError> {
        let doc: Option<String> = sqlx::query_scalar("SELECT doc FROM actors WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        decode("actor", &doc.ok_or(StoreError::NotFound)?)
    }

    /// Stores a place, replacing what was stored under its key.
    pub async fn put_place(&self, p: &Place) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO places (key, name, country, doc) VALUES ($1, $2, $3, $4)
             ON CONFLICT (key) DO UPDATE SET name = excluded.name, country = excluded.country,
                 doc = excluded.doc",
        )
        .bind(p.key.clone())
        .bind(p.name.clone())
        .bind(p.country.as_str())
        .bind(encode("place", p)?)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn places(&self) -> Result<Vec<Place>, StoreError> {
        let docs: Vec<String> = sqlx::query_scalar("SELECT doc FROM places ORDER BY name, key")
            .fetch_all(&self.pool)
            .await?;
        docs.iter().map(|d| decode("place", d)).collect()
    }
}
