//! Members' characterisations of incidents (`liaison_core::characterisation`), kept side by side.
//!
//! Nothing is overwritten: a member's new reading of an incident is stored as that member's next
//! version, and its current reading is its latest version. Readings never touch the incident's
//! row or document, so a reading can never become a fact of the incident. Each write is logged
//! in the ledger (`characterised`) in the same transaction, like incident writes.
//!
//! The "as characterised by X" filters and the `category` statistics dimension are in
//! `search.rs`, which uses [`current_reading_sql`].

use liaison_core::{Category, Characterisation, Confidence, CountryCode, IncidentId};
use liaison_ledger::{Entry, Event};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};
use time::OffsetDateTime;

use crate::incidents::ts;
use crate::sql::{Arg, Sql};
use crate::{Store, StoreError};

/// Most incidents one divergence report lists.
pub const MAX_DIVERGENCES: u32 = 1_000;

/// One stored reading: what a member said, which of its readings it is, when and by whom.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CharacterisationRow {
    pub member: CountryCode,
    pub category: Category,
    pub confidence: Confidence,
    pub rationale: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub national_term: Option<String>,
    /// 1 for the member's first reading of this incident, then 2, 3, …
    pub version: i64,
    /// RFC 3339 UTC.
    pub recorded_at: String,
    /// The user who recorded it on this node.
    pub recorded_by: String,
}

/// One member's current reading, as a divergence report lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reading {
    pub member: CountryCode,
    pub category: Category,
    pub confidence: Confidence,
}

/// An incident on which at least two members' current categories differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Divergence {
    pub incident_id: IncidentId,
    /// Every member's current reading, by member code.
    pub readings: Vec<Reading>,
}

/// The condition "`alias` is its member's latest reading of its incident", for queries that want
/// current readings only.
pub(crate) fn current_reading_sql(alias: &str) -> String {
    format!(
        "{alias}.version = (SELECT MAX(cv.version) FROM characterisations cv \
         WHERE cv.incident_id = {alias}.incident_id AND cv.member = {alias}.member)"
    )
}

const COLUMNS: &str = "member, category, confidence, rationale, national_term, version, \
                       recorded_at, recorded_by";

fn corrupt(what: &str, e: String) -> StoreError {
    StoreError::Corrupt(format!("characterisation {what}: {e}"))
}

fn from_row(r: &AnyRow) -> Result<CharacterisationRow, StoreError> {
    let member: String = r.try_get(0)?;
    let category: String = r.try_get(1)?;
    let confidence: String = r.try_get(2)?;
    Ok(CharacterisationRow {
        member: CountryCode::parse(&member).map_err(|e| corrupt("member", e))?,
        category: Category::parse(&category).map_err(|e| corrupt("category", e))?,
        confidence: Confidence::parse(&confidence).map_err(|e| corrupt("confidence", e))?,
        rationale: r.try_get(3)?,
        national_term: r.try_get(4)?,
        version: r.try_get(5)?,
        recorded_at: r.try_get(6)?,
        recorded_by: r.try_get(7)?,
    })
}

impl Store {
    /// Records `c` as its member's next reading of its incident and returns that version.
    /// `NotFound` when the node holds no such incident; `Invalid` naming the first bad field.
    pub async fn characterise(
        &self,
        c: &Characterisation,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        if let Err(errors) = c.validate() {
            let first = errors.0.first();
            return Err(StoreError::Invalid {
                field: first.map(|e| e.field.clone()).unwrap_or_default(),
                message: first.map(|e| e.message.clone()).unwrap_or_default(),
            });
        }
        let c = c.trimmed();
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        // The log's lock first: concurrent readings of one member then take successive
        // versions instead of racing for the same one.
        crate::ledger::lock_for_append(&mut tx).await?;
        let exists: Option<i64> = sqlx::query_scalar("SELECT seq FROM incidents WHERE id = $1")
            .bind(c.incident_id.as_str())
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(StoreError::NotFound);
        }
        // Should two writers still meet on one version, the primary key refuses the second:
        // nothing is ever overwritten.
        let latest: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(version) FROM characterisations WHERE incident_id = $1 AND member = $2",
        )
        .bind(c.incident_id.as_str())
        .bind(c.member.as_str())
        .fetch_one(&mut *tx)
        .await?;
        let version = latest.unwrap_or(0) + 1;
        sqlx::query(
            "INSERT INTO characterisations (incident_id, member, version, category, confidence, \
             rationale, national_term, recorded_at, recorded_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(c.incident_id.as_str())
        .bind(c.member.as_str())
        .bind(version)
        .bind(c.category.as_str())
        .bind(c.confidence.as_str())
        .bind(c.rationale.as_str())
        .bind(c.national_term.clone())
        .bind(at.as_str())
        .bind(by)
        .execute(&mut *tx)
        .await?;
        let entry = Entry {
            at: at.clone(),
            event: Event::Characterised {
                incident_id: c.incident_id.as_str().to_owned(),
                member: c.member.as_str().to_owned(),
                version,
                category: c.category.as_str().to_owned(),
                by: by.to_owned(),
            },
        };
        crate::ledger::append(&mut tx, self.backend, std::slice::from_ref(&entry)).await?;
        crate::ledger::seal(&mut tx, self.signer(), &at).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Every member's current reading of an incident, by member code. `NotFound` when the node
    /// holds no such incident.
    pub async fn characterisations_of(
        &self,
        incident_id: &IncidentId,
    ) -> Result<Vec<CharacterisationRow>, StoreError> {
        self.require_incident(incident_id).await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM characterisations c WHERE c.incident_id = $1 AND {} \
             ORDER BY member",
            current_reading_sql("c")
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(incident_id.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Every reading of an incident, every version, by member code then version.
    pub async fn characterisation_history(
        &self,
        incident_id: &IncidentId,
    ) -> Result<Vec<CharacterisationRow>, StoreError> {
        self.require_incident(incident_id).await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM characterisations WHERE incident_id = $1 \
             ORDER BY member, version"
        );
        let rows = sqlx::query(AssertSqlSafe(sql))
            .bind(incident_id.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(from_row).collect()
    }

    /// Incidents on which at least two members' current categories differ, the most recently
    /// read first, at most `limit` (clamped to 1..=[`MAX_DIVERGENCES`]).
    pub async fn divergences(&self, limit: u32) -> Result<Vec<Divergence>, StoreError> {
        let limit = limit.clamp(1, MAX_DIVERGENCES);
        let current = format!(
            "SELECT c.incident_id, c.member, c.category, c.confidence, c.recorded_at \
             FROM characterisations c WHERE {}",
            current_reading_sql("c")
        );
        let ids_sql = format!(
            "SELECT cur.incident_id FROM ({current}) cur GROUP BY cur.incident_id \
             HAVING COUNT(DISTINCT cur.category) >= 2 \
             ORDER BY MAX(cur.recorded_at) DESC, cur.incident_id LIMIT $1"
        );
        let ids: Vec<String> = sqlx::query_scalar(AssertSqlSafe(ids_sql))
            .bind(i64::from(limit))
            .fetch_all(&self.pool)
            .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(
            self.backend,
            &format!(
                "SELECT cur.incident_id, cur.member, cur.category, cur.confidence \
                 FROM ({current}) cur WHERE cur.incident_id IN ("
            ),
        );
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(Arg::Text(id.clone()));
        }
        sql.push(") ORDER BY cur.incident_id, cur.member");
        let args = sql.arguments()?;
        let rows = sqlx::query_with(AssertSqlSafe(sql.text), args)
            .fetch_all(&self.pool)
            .await?;
        let mut by_id: std::collections::HashMap<String, Vec<Reading>> = Default::default();
        for r in rows {
            let id: String = r.try_get(0)?;
            let member: String = r.try_get(1)?;
            let category: String = r.try_get(2)?;
            let confidence: String = r.try_get(3)?;
            by_id.entry(id).or_default().push(Reading {
                member: CountryCode::parse(&member).map_err(|e| corrupt("member", e))?,
                category: Category::parse(&category).map_err(|e| corrupt("category", e))?,
                confidence: Confidence::parse(&confidence).map_err(|e| corrupt("confidence", e))?,
            });
        }
        ids.into_iter()
            .map(|id| {
                let readings = by_id.remove(&id).unwrap_or_default();
                Ok(Divergence {
                    incident_id: IncidentId::parse(&id).map_err(|e| corrupt("incident id", e))?,
                    readings,
                })
            })
            .collect()
    }

    async fn require_incident(&self, id: &IncidentId) -> Result<(), StoreError> {
        let seq: Option<i64> = sqlx::query_scalar("SELECT seq FROM incidents WHERE id = $1")
            .bind(id.as_str())
            .fetch_optional(&self.pool)
            .await?;
        seq.map(|_| ()).ok_or(StoreError::NotFound)
    }
}
