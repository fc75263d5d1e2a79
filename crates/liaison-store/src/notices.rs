//! Deconfliction notices between nodes: those this node owes its neighbours (issued when an
//! operation was recorded, `operations.rs`) until the sync delivers them signed, and those it
//! received, recorded as operations of their declaring member so that this node's own
//! deconfliction sees them ("any node records the notices it receives the same way").
//!
//! Whether a notice may leave is the egress policy's (`liaison_policy::notice`); this module
//! keeps what it is given.

use liaison_core::CountryCode;
use liaison_ops::{Area, NoticeContent, Operation};
use sqlx::Row;
use time::OffsetDateTime;

use crate::incidents::ts;
use crate::operations::NoticeRow;
use crate::{Store, StoreError};

/// Who is recorded as declaring a received notice's operation on this node.
const RECEIVED_BY: &str = "federation";

/// The id a received notice's operation has on this node: the declaring member's code and its
/// own id, so two members' operations never share one.
pub fn received_operation_id(declared_by: &CountryCode, operation_id: &str) -> String {
    format!("{declared_by}:{operation_id}")
}

impl Store {
    /// The notices owed to `to` and not delivered yet, in the order they were issued.
    pub async fn undelivered_notices(&self, to: &str) -> Result<Vec<NoticeRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT operation_id, version, recipient, content, issued_at FROM operation_notices
             WHERE recipient = $1 AND delivered_at IS NULL ORDER BY seq",
        )
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let recipient: String = r.try_get(2)?;
                let content: String = r.try_get(3)?;
                Ok(NoticeRow {
                    operation_id: r.try_get(0)?,
                    version: r.try_get(1)?,
                    recipient: CountryCode::parse(&recipient)
                        .map_err(|e| StoreError::Corrupt(format!("notice recipient: {e}")))?,
                    content: serde_json::from_str(&content)
                        .map_err(|e| StoreError::Corrupt(format!("notice: {e}")))?,
                    issued_at: r.try_get(4)?,
                    delivered_at: None,
                })
            })
            .collect()
    }

    /// Marks a notice delivered, keeping the signed object that went.
    pub async fn mark_notice_delivered(
        &self,
        n: &NoticeRow,
        object: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE operation_notices SET object = $1, delivered_at = $2
             WHERE operation_id = $3 AND version = $4 AND recipient = $5",
        )
        .bind(object)
        .bind(ts(at)?)
        .bind(&n.operation_id)
        .bind(n.version)
        .bind(n.recipient.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// When each notice of an operation was delivered: (recipient, version, delivered at).
    pub async fn notice_deliveries(
        &self,
        operation_id: &str,
    ) -> Result<Vec<(String, i64, Option<String>)>, StoreError> {
        Ok(sqlx::query_as(
            "SELECT recipient, version, delivered_at FROM operation_notices
             WHERE operation_id = $1 ORDER BY version, recipient",
        )
        .bind(operation_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Records a notice received from its declaring member `from` (the signature was checked by
    /// the caller) as an operation of that member, unless a newer version of it is held already.
    /// Returns whether anything was recorded. The operation holds what the notice says: area,
    /// window, kind if given; no objective, no participants, status planned.
    pub async fn record_received_notice(
        &self,
        from: &CountryCode,
        operation_id: &str,
        version: i64,
        content: &NoticeContent,
        object: &str,
        at: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        if &content.declared_by != from {
            return Err(StoreError::Invalid {
                field: "notice.content.declared_by".into(),
                message: format!("{} in a notice signed by {from}", content.declared_by),
            });
        }
        let held: Option<i64> = sqlx::query_scalar(
            "SELECT version FROM received_notices WHERE declared_by = $1 AND operation_id = $2",
        )
        .bind(from.as_str())
        .bind(operation_id)
        .fetch_optional(&self.pool)
        .await?;
        if held.is_some_and(|h| h >= version) {
            return Ok(false);
        }
        let op = Operation {
            id: received_operation_id(from, operation_id),
            member: from.clone(),
            participants: Vec::new(),
            area: Area::clone(&content.area),
            from: content.from,
            to: content.to,
            kind: content.kind.unwrap_or(liaison_ops::Kind::Unspecified),
            objective: None,
            status: liaison_ops::Status::Planned,
            notice_kind: false,
        };
        // The operation first: should it be refused, the notice is not marked as held and a
        // repeat is tried again.
        self.record_operation(&op, &[], at, RECEIVED_BY).await?;
        sqlx::query(
            "INSERT INTO received_notices (declared_by, operation_id, version, object, received_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (declared_by, operation_id) DO UPDATE SET version = excluded.version,
             object = excluded.object, received_at = excluded.received_at",
        )
        .bind(from.as_str())
        .bind(operation_id)
        .bind(version)
        .bind(object)
        .bind(ts(at)?)
        .execute(&self.pool)
        .await?;
        Ok(true)
    }
}
