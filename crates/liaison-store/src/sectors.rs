//! Patrol sectors and members' constraints (`liaison_ops::sectors`), as the node keeps them.
//!
//! A sector is stored as its JSON document (area, the countries it touches, its community
//! contacts); a member's constraint (the sectors or countries where its forces may go) likewise.
//! Giving either again with a change makes its next version: the current one in `sectors` /
//! `member_constraints`, every version in `sector_versions` / `member_constraint_versions`.
//! Giving it again unchanged writes nothing. The allocation itself is computed when asked and
//! never stored.
//!
//! Ledger: every sector version appends a `sector_recorded` entry (its version and the SHA-256
//! of its document) in the write's own transaction, signed before commit as zones are; an
//! unchanged sector writes nothing and logs nothing. Not yet: entries for constraints.

use liaison_core::CountryCode;
use liaison_ops::sectors::{Constraint, Sector};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};
use time::OffsetDateTime;

use crate::incidents::ts;
use crate::{Store, StoreError};

/// A sector as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectorRow {
    #[serde(flatten)]
    pub sector: Sector,
    /// 1 for the first, then 2, 3, …
    pub version: i64,
    /// RFC 3339 UTC.
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A member's constraint as stored.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConstraintRow {
    pub member: CountryCode,
    pub constraint: Constraint,
    pub version: i64,
    pub recorded_at: String,
    pub recorded_by: String,
}

fn invalid(field: impl Into<String>, message: impl Into<String>) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        message: message.into(),
    }
}

fn corrupt(what: &str, e: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt(format!("{what}: {e}"))
}

/// The statements of one versioned table pair (static text: sqlx audits dynamic SQL).
struct Versioned {
    select: &'static str,
    delete: &'static str,
    /// Binds key, version, then `name` when the table has one, doc, recorded at, by.
    insert: &'static str,
    insert_version: &'static str,
}

const SECTORS: Versioned = Versioned {
    select: "SELECT version, doc FROM sectors WHERE id = $1",
    delete: "DELETE FROM sectors WHERE id = $1",
    insert: "INSERT INTO sectors (id, version, name, doc, recorded_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6)",
    insert_version: "INSERT INTO sector_versions (id, version, doc, recorded_at, recorded_by) \
                     VALUES ($1, $2, $3, $4, $5)",
};

const CONSTRAINTS: Versioned = Versioned {
    select: "SELECT version, doc FROM member_constraints WHERE member = $1",
    delete: "DELETE FROM member_constraints WHERE member = $1",
    insert: "INSERT INTO member_constraints (member, version, doc, recorded_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5)",
    insert_version: "INSERT INTO member_constraint_versions \
                     (member, version, doc, recorded_at, recorded_by) VALUES ($1, $2, $3, $4, $5)",
};

/// Writes `doc` as the next version of `key` unless it is the current one already. Returns the
/// current version and whether it was written now.
async fn put_versioned(
    tx: &mut Transaction<'static, Any>,
    t: &Versioned,
    key: &str,
    name: Option<&str>,
    doc: &str,
    at: &str,
    by: &str,
) -> Result<(i64, bool), StoreError> {
    let current: Option<(i64, String)> = sqlx::query(t.select)
        .bind(key)
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| Ok::<_, sqlx::Error>((r.try_get(0)?, r.try_get(1)?)))
        .transpose()?;
    let version = match &current {
        Some((v, stored)) if stored == doc => return Ok((*v, false)),
        Some((v, _)) => v + 1,
        None => 1,
    };
    if current.is_some() {
        sqlx::query(t.delete).bind(key).execute(&mut **tx).await?;
    }
    let mut insert = sqlx::query(t.insert).bind(key).bind(version);
    if let Some(name) = name {
        insert = insert.bind(name);
    }
    insert
        .bind(doc)
        .bind(at)
        .bind(by)
        .execute(&mut **tx)
        .await?;
    // Two writers racing for one next version collide on the primary key: nothing is lost.
    sqlx::query(t.insert_version)
        .bind(key)
        .bind(version)
        .bind(doc)
        .bind(at)
        .bind(by)
        .execute(&mut **tx)
        .await?;
    Ok((version, true))
}

impl Store {
    /// Records `sectors` (their `countries` already computed by the caller) in one transaction:
    /// a refused sector leaves nothing written. `Invalid` names the sector's index and field
    /// (`sectors[2].contacts[0].role`). Returns each sector's current version.
    pub async fn add_sectors(
        &self,
        sectors: &[Sector],
        at: OffsetDateTime,
        by: &str,
    ) -> Result<Vec<i64>, StoreError> {
        let mut docs = Vec::with_capacity(sectors.len());
        for (i, s) in sectors.iter().enumerate() {
            if let Err(e) = s.validate() {
                return Err(match e.0.into_iter().next() {
                    Some(f) => invalid(format!("sectors[{i}].{}", f.field), f.message),
                    None => invalid(format!("sectors[{i}]"), "invalid"),
                });
            }
            if sectors.iter().take(i).any(|o| o.id == s.id) {
                return Err(invalid(
                    format!("sectors[{i}].id"),
                    format!("'{}' given twice", s.id),
                ));
            }
            docs.push(serde_json::to_string(s).map_err(|e| corrupt("encoding sector", e))?);
        }
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        let mut versions = Vec::with_capacity(sectors.len());
        let mut entries = Vec::new();
        for (s, doc) in sectors.iter().zip(&docs) {
            let (v, written) =
                put_versioned(&mut tx, &SECTORS, &s.id, Some(&s.name), doc, &at, by).await?;
            versions.push(v);
            // Logged: a sector's area and contacts decide where troops are proposed to go.
            if written {
                entries.push(liaison_ledger::Entry {
                    at: at.clone(),
                    event: liaison_ledger::Event::SectorRecorded {
                        sector_id: s.id.clone(),
                        version: v,
                        doc_sha256: crate::operations::doc_sha256(doc),
                        by: by.to_owned(),
                    },
                });
            }
        }
        if !entries.is_empty() {
            crate::ledger::append(&mut tx, self.backend, &entries).await?;
            crate::ledger::seal(&mut tx, self.signer(), &at).await?;
        }
        tx.commit().await?;
        Ok(versions)
    }

    /// Every sector's current version, by id.
    pub async fn sectors(&self) -> Result<Vec<SectorRow>, StoreError> {
        let rows =
            sqlx::query("SELECT doc, version, recorded_at, recorded_by FROM sectors ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                let doc: String = r.try_get(0)?;
                Ok(SectorRow {
                    sector: serde_json::from_str(&doc).map_err(|e| corrupt("stored sector", e))?,
                    version: r.try_get(1)?,
                    recorded_at: r.try_get(2)?,
                    recorded_by: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Every version of one sector, oldest first.
    pub async fn sector_versions(&self, id: &str) -> Result<Vec<(i64, Sector)>, StoreError> {
        let rows =
            sqlx::query("SELECT version, doc FROM sector_versions WHERE id = $1 ORDER BY version")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                let doc: String = r.try_get(1)?;
                Ok((
                    r.try_get(0)?,
                    serde_json::from_str(&doc).map_err(|e| corrupt("stored sector", e))?,
                ))
            })
            .collect()
    }

    /// Records where `member`'s forces may go, as its next version unless unchanged. Sector ids
    /// must name sectors the node holds (`Invalid` naming `sectors[i]`); countries must be
    /// ISO3 codes (`countries[i]`). Returns the current version.
    pub async fn set_member_constraint(
        &self,
        member: &CountryCode,
        constraint: &Constraint,
        at: OffsetDateTime,
        by: &str,
    ) -> Result<i64, StoreError> {
        match constraint {
            Constraint::Sectors(ids) => {
                if ids.is_empty() {
                    return Err(invalid("sectors", "names no sector"));
                }
                let known: Vec<String> = self
                    .sectors()
                    .await?
                    .into_iter()
                    .map(|r| r.sector.id)
                    .collect();
                if let Some((i, id)) = ids.iter().enumerate().find(|(_, id)| !known.contains(id)) {
                    return Err(invalid(
                        format!("sectors[{i}]"),
                        format!("no sector '{id}'"),
                    ));
                }
            }
            Constraint::Countries(cs) => {
                if cs.is_empty() {
                    return Err(invalid("countries", "names no country"));
                }
                for (i, c) in cs.iter().enumerate() {
                    match CountryCode::parse(c) {
                        Ok(code) if code.as_str() == c => {}
                        Ok(code) => {
                            return Err(invalid(
                                format!("countries[{i}]"),
                                format!("write '{code}' in capitals"),
                            ));
                        }
                        Err(m) => return Err(invalid(format!("countries[{i}]"), m)),
                    }
                }
            }
        }
        let doc =
            serde_json::to_string(constraint).map_err(|e| corrupt("encoding constraint", e))?;
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        let (v, _) =
            put_versioned(&mut tx, &CONSTRAINTS, member.as_str(), None, &doc, &at, by).await?;
        tx.commit().await?;
        Ok(v)
    }

    /// Every member's current constraint, by member.
    pub async fn member_constraints(&self) -> Result<Vec<ConstraintRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT member, doc, version, recorded_at, recorded_by FROM member_constraints \
             ORDER BY member",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let member: String = r.try_get(0)?;
                let doc: String = r.try_get(1)?;
                Ok(ConstraintRow {
                    member: CountryCode::parse(&member)
                        .map_err(|e| corrupt("stored constraint member", e))?,
                    constraint: serde_json::from_str(&doc)
                        .map_err(|e| corrupt("stored constraint", e))?,
                    version: r.try_get(2)?,
                    recorded_at: r.try_get(3)?,
                    recorded_by: r.try_get(4)?,
                })
            })
            .collect()
    }
}
