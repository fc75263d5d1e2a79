//! Field reports as received: each text kept as it came, with the draft incident it was read
//! into or the reason it could not be read, until an analyst accepts it (the draft, as the
//! analyst may have corrected it, becomes an incident of this node in the same transaction) or
//! rejects it. Nothing received is lost: an unreadable report is kept too, for a person to read.
//!
//! Reading the text is `liaison_core::field_report`'s and resolving its place the caller's; this
//! module only keeps what it is given.

use liaison_core::{Incident, IncidentContent};
use sqlx::Row;
use time::OffsetDateTime;

use crate::incidents::ts;
use crate::{Store, StoreError};

/// Most reports one listing returns.
pub const MAX_FIELD_REPORTS: u32 = 1_000;

/// Where a report stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportStatus {
    /// Read into a draft, waiting for review.
    Draft,
    /// Could not be read; `error` says why.
    Unreadable,
    Accepted,
    Rejected,
}

impl ReportStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ReportStatus::Draft => "draft",
            ReportStatus::Unreadable => "unreadable",
            ReportStatus::Accepted => "accepted",
            ReportStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Result<ReportStatus, String> {
        Ok(match s.trim() {
            "draft" => ReportStatus::Draft,
            "unreadable" => ReportStatus::Unreadable,
            "accepted" => ReportStatus::Accepted,
            "rejected" => ReportStatus::Rejected,
            other => {
                return Err(format!(
                    "unknown status '{other}': use draft, unreadable, accepted or rejected"
                ));
            }
        })
    }
}

/// A report as kept.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldReportRow {
    pub id: i64,
    pub received_at: String,
    pub sender: String,
    pub text: String,
    pub status: ReportStatus,
    pub error: Option<String>,
    pub draft: Option<IncidentContent>,
    pub incident_id: Option<String>,
    pub reviewed_at: Option<String>,
    pub reviewed_by: Option<String>,
    pub review_note: Option<String>,
}

const COLUMNS: &str = "id, received_at, sender, text, status, error, draft, incident_id, \
                       reviewed_at, reviewed_by, review_note";

fn row_of(r: &sqlx::any::AnyRow) -> Result<FieldReportRow, StoreError> {
    let status: String = r.try_get(4)?;
    let draft: Option<String> = r.try_get(6)?;
    Ok(FieldReportRow {
        id: r.try_get(0)?,
        received_at: r.try_get(1)?,
        sender: r.try_get(2)?,
        text: r.try_get(3)?,
        status: ReportStatus::parse(&status).map_err(StoreError::Corrupt)?,
        error: r.try_get(5)?,
        draft: draft
            .map(|d| serde_json::from_str(&d))
            .transpose()
            .map_err(|e| StoreError::Corrupt(format!("field report draft: {e}")))?,
        incident_id: r.try_get(7)?,
        reviewed_at: r.try_get(8)?,
        reviewed_by: r.try_get(9)?,
        review_note: r.try_get(10)?,
    })
}

impl Store {
    /// Keeps a report as received: read into `read` (the draft), or not (the reason). Returns its
    /// number.
    pub async fn record_field_report(
        &self,
        sender: &str,
        text: &str,
        read: Result<&IncidentContent, &str>,
        at: OffsetDateTime,
    ) -> Result<i64, StoreError> {
        let (status, error, draft) = match read {
            Ok(content) => (
                ReportStatus::Draft,
                None,
                Some(
                    serde_json::to_string(content)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                ),
            ),
            Err(why) => (ReportStatus::Unreadable, Some(why.to_owned()), None),
        };
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO field_reports (received_at, sender, text, status, error, draft)
             VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
        )
        .bind(ts(at)?)
        .bind(sender)
        .bind(text)
        .bind(status.as_str())
        .bind(error)
        .bind(draft)
        .fetch_one(&self.pool)
        .await?;
        Ok(id)
    }

    /// Reports, newest first, optionally of one status.
    pub async fn field_reports(
        &self,
        status: Option<ReportStatus>,
        limit: u32,
    ) -> Result<Vec<FieldReportRow>, StoreError> {
        let limit = i64::from(limit.clamp(1, MAX_FIELD_REPORTS));
        let rows = match status {
            Some(s) => sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT {COLUMNS} FROM field_reports WHERE status = $1 ORDER BY id DESC LIMIT $2"
            )))
            .bind(s.as_str())
            .bind(limit)
            .fetch_all(&self.pool)
            .await?,
            None => {
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "SELECT {COLUMNS} FROM field_reports ORDER BY id DESC LIMIT $1"
                )))
                .bind(limit)
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(row_of).collect()
    }

    /// One report.
    pub async fn field_report(&self, id: i64) -> Result<FieldReportRow, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM field_reports WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        row_of(&row)
    }

    /// Accepts a draft: `incident` (the draft as the analyst confirmed or corrected it) is
    /// stored as a new incident of this node and the report marked accepted, in one
    /// transaction. Only a draft can be accepted (`Conflict` otherwise).
    pub async fn accept_field_report(
        &self,
        id: i64,
        incident: &Incident,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut tx = self.pool.begin().await?;
        let marked = sqlx::query(
            "UPDATE field_reports SET status = 'accepted', incident_id = $1, reviewed_at = $2,
             reviewed_by = $3 WHERE id = $4 AND status = 'draft'",
        )
        .bind(incident.id.as_str())
        .bind(ts(at)?)
        .bind(by)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        if marked.rows_affected() != 1 {
            return Err(self.not_reviewable(id).await);
        }
        self.create_incident_in(&mut tx, incident, by, at).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Rejects a draft or an unreadable report, saying why.
    pub async fn reject_field_report(
        &self,
        id: i64,
        note: &str,
        by: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let marked = sqlx::query(
            "UPDATE field_reports SET status = 'rejected', review_note = $1, reviewed_at = $2,
             reviewed_by = $3 WHERE id = $4 AND status IN ('draft', 'unreadable')",
        )
        .bind(note)
        .bind(ts(at)?)
        .bind(by)
        .bind(id)
        .execute(&self.pool)
        .await?;
        if marked.rows_affected() != 1 {
            return Err(self.not_reviewable(id).await);
        }
        Ok(())
    }

    /// Why a review found nothing to change: no such report, or one already reviewed.
    async fn not_reviewable(&self, id: i64) -> StoreError {
        match self.field_report(id).await {
            Ok(r) => StoreError::Conflict(format!(
                "field report {id} is {}, not waiting for review",
                r.status.as_str()
            )),
            Err(e) => e,
        }
    }
}
