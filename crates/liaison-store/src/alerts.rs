//! Alerts as kept: raised by this node's watch rules (`watch.rs`) or by a partner's flash item,
//! tracked from raised to acknowledged to action taken to closed; the flash pushes of our own
//! alerts to partners and the partners' signed responses; and the figures made of them
//! (response times per member, reciprocity per member).
//!
//! Which step may follow which is `liaison_ops::alerts::transition`'s; this module records the
//! step, its time, who and a note, in one statement guarded by the state it read, so two users
//! acknowledging at once cannot both succeed. A step on a partner's flash alert also writes the
//! response the partner is owed; it is signed and delivered by the next sync (the store holds no
//! key), and keeps the time of the step, so the partner's figures measure the people, not the
//! sync interval.

use std::collections::BTreeMap;

use liaison_ops::alerts::{AlertState, ResponseTimes, response_times, transition};
use sqlx::Row;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::incidents::ts;
use crate::receive::ReceiveSession;
use crate::{Store, StoreError};

/// Most alerts one listing returns.
pub const MAX_ALERTS: u32 = 1_000;

/// Where an alert came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AlertKind {
    /// One of this node's watch rules matched.
    Rule,
    /// A partner pushed one of its incidents to us as a flash item.
    Flash,
}

impl AlertKind {
    pub fn as_str(self) -> &'static str {
        match self {
            AlertKind::Rule => "rule",
            AlertKind::Flash => "flash",
        }
    }
}

/// An alert as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertRow {
    pub id: i64,
    pub kind: AlertKind,
    pub rule_id: Option<String>,
    /// For a flash alert: the partner that pushed it.
    pub from_member: Option<String>,
    pub incident_id: String,
    pub incident_version: i64,
    pub originator: String,
    /// One of our own incidents, to push to partners ahead of any backlog.
    pub flash: bool,
    pub reasons: Vec<String>,
    pub state: AlertState,
    pub raised_at: String,
    pub acknowledged_at: Option<String>,
    pub acknowledged_by: Option<String>,
    pub action_at: Option<String>,
    pub action_by: Option<String>,
    pub action_note: Option<String>,
    pub closed_at: Option<String>,
    pub closed_by: Option<String>,
    pub closed_note: Option<String>,
    pub pushed_at: Option<String>,
}

/// A flash push of an alert's incident to one peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeliveryRow {
    pub peer: String,
    pub at: String,
    pub error: Option<String>,
}

/// A response to a flash alert: a partner's (on the originator) or ours (on a recipient).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertResponseRow {
    pub originator: String,
    pub incident_id: String,
    pub by_member: String,
    pub state: AlertState,
    pub at: String,
    /// The signed note, once signed (ours: at delivery) or as received (a partner's).
    pub object: Option<String>,
    pub recorded_at: String,
    pub delivered_at: Option<String>,
}

/// An alert with what hangs on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertDetail {
    pub alert: AlertRow,
    /// Further incidents attached while a threshold alert was open, with when.
    pub attached: Vec<(String, String)>,
    pub deliveries: Vec<DeliveryRow>,
    /// Partners' responses to this flash (on the originator), or ours (on a recipient).
    pub responses: Vec<AlertResponseRow>,
}

/// Which alerts to list.
#[derive(Debug, Clone, Default)]
pub struct AlertFilter {
    pub state: Option<AlertState>,
    /// Open = not closed.
    pub open_only: bool,
    pub kind: Option<AlertKind>,
    pub incident_id: Option<String>,
    pub limit: u32,
}

/// Response times of one member's alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlertStatsRow {
    pub member: String,
    pub alerts: u64,
    pub open: u64,
    pub to_acknowledge: ResponseTimes,
    pub to_action: ResponseTimes,
    pub to_close: ResponseTimes,
}

/// What one member and this node gave each other.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReciprocityRow {
    pub member: String,
    /// Its incidents this node holds (what it shared with us).
    pub shared_with_us: u64,
    /// Our incidents released to it (what we shared with it).
    pub we_shared: u64,
    /// Our flash alerts pushed to it, and how many it acknowledged.
    pub flashes_to: u64,
    pub flashes_answered: u64,
    /// How fast it acknowledged and closed our flash alerts (from our push).
    pub its_acknowledge: ResponseTimes,
    pub its_close: ResponseTimes,
    /// Its flash alerts we received, and how fast we acknowledged them.
    pub flashes_from: u64,
    pub our_acknowledge: ResponseTimes,
}

const COLUMNS: &str = "id, kind, rule_id, from_member, incident_id, incident_version, originator, \
     flash, reasons, state, raised_at, acknowledged_at, acknowledged_by, action_at, action_by, \
     action_note, closed_at, closed_by, closed_note, pushed_at";

fn state_of(s: &str) -> Result<AlertState, StoreError> {
    AlertState::parse(s).map_err(|e| StoreError::Corrupt(format!("alert state: {e}")))
}

fn row_of(r: &sqlx::any::AnyRow) -> Result<AlertRow, StoreError> {
    let kind: String = r.try_get(1)?;
    let reasons: String = r.try_get(8)?;
    let state: String = r.try_get(9)?;
    Ok(AlertRow {
        id: r.try_get(0)?,
        kind: match kind.as_str() {
            "rule" => AlertKind::Rule,
            "flash" => AlertKind::Flash,
            other => return Err(StoreError::Corrupt(format!("alert kind {other}"))),
        },
        rule_id: r.try_get(2)?,
        from_member: r.try_get(3)?,
        incident_id: r.try_get(4)?,
        incident_version: r.try_get(5)?,
        originator: r.try_get(6)?,
        flash: r.try_get::<i64, _>(7)? != 0,
        reasons: serde_json::from_str(&reasons)
            .map_err(|e| StoreError::Corrupt(format!("alert reasons: {e}")))?,
        state: state_of(&state)?,
        raised_at: r.try_get(10)?,
        acknowledged_at: r.try_get(11)?,
        acknowledged_by: r.try_get(12)?,
        action_at: r.try_get(13)?,
        action_by: r.try_get(14)?,
        action_note: r.try_get(15)?,
        closed_at: r.try_get(16)?,
        closed_by: r.try_get(17)?,
        closed_note: r.try_get(18)?,
        pushed_at: r.try_get(19)?,
    })
}

const RESPONSE_COLUMNS: &str =
    "originator, incident_id, by_member, state, at, object, recorded_at, delivered_at";

fn response_of(r: &sqlx::any::AnyRow) -> Result<AlertResponseRow, StoreError> {
    let state: String = r.try_get(3)?;
    Ok(AlertResponseRow {
        originator: r.try_get(0)?,
        incident_id: r.try_get(1)?,
        by_member: r.try_get(2)?,
        state: state_of(&state)?,
        at: r.try_get(4)?,
        object: r.try_get(5)?,
        recorded_at: r.try_get(6)?,
        delivered_at: r.try_get(7)?,
    })
}

/// One member's alerts while the statistics are gathered: counts and durations in seconds.
#[derive(Default)]
struct MemberTimes {
    alerts: u64,
    open: u64,
    ack: Vec<i64>,
    action: Vec<i64>,
    close: Vec<i64>,
}

/// Seconds from `a` to `b` (RFC 3339 texts); `None` if either does not parse.
fn secs_between(a: &str, b: &str) -> Option<i64> {
    let a = OffsetDateTime::parse(a, &Rfc3339).ok()?;
    let b = OffsetDateTime::parse(b, &Rfc3339).ok()?;
    Some((b - a).whole_seconds())
}

impl Store {
    /// Raises one flash alert per incident a partner pushed to our inbox (`from`), once per
    /// incident: a repeated push is not a new alert. Returns the alerts raised.
    pub async fn raise_flash_alerts(
        &self,
        from: &str,
        incidents: &[(String, i64)],
        at: OffsetDateTime,
    ) -> Result<Vec<i64>, StoreError> {
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        let mut raised = Vec::new();
        let mut entries = Vec::new();
        for (incident_id, version) in incidents {
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO alerts (kind, from_member, incident_id, incident_version, originator,
                 flash, reasons, state, raised_at) VALUES ('flash', $1, $2, $3, $1, 0, $4,
                 'raised', $5)
                 ON CONFLICT (from_member, incident_id) WHERE kind = 'flash' DO NOTHING
                 RETURNING id",
            )
            .bind(from)
            .bind(incident_id)
            .bind(version)
            .bind(format!("[\"flash item from {from}\"]"))
            .bind(&at)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = id {
                raised.push(id);
                entries.push(liaison_ledger::Entry {
                    at: at.clone(),
                    event: liaison_ledger::Event::AlertStep {
                        alert_id: id,
                        incident_id: incident_id.clone(),
                        member: from.to_owned(),
                        state: "raised".into(),
                        by: format!("flash:{from}"),
                    },
                });
            }
        }
        if !entries.is_empty() {
            crate::ledger::append(&mut tx, self.backend, &entries).await?;
            crate::ledger::seal(&mut tx, self.signer(), &at).await?;
        }
        tx.commit().await?;
        Ok(raised)
    }

    /// Alerts, newest first.
    pub async fn alerts(&self, f: &AlertFilter) -> Result<Vec<AlertRow>, StoreError> {
        let mut sql = format!("SELECT {COLUMNS} FROM alerts WHERE 1 = 1");
        let mut n = 0;
        let mut next = || {
            n += 1;
            n
        };
        if f.state.is_some() {
            sql.push_str(&format!(" AND state = ${}", next()));
        }
        if f.open_only {
            sql.push_str(" AND state <> 'closed'");
        }
        if f.kind.is_some() {
            sql.push_str(&format!(" AND kind = ${}", next()));
        }
        if f.incident_id.is_some() {
            sql.push_str(&format!(" AND incident_id = ${}", next()));
        }
        sql.push_str(&format!(" ORDER BY id DESC LIMIT ${}", next()));
        let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
        if let Some(s) = f.state {
            q = q.bind(s.as_str());
        }
        if let Some(k) = f.kind {
            q = q.bind(k.as_str());
        }
        if let Some(i) = &f.incident_id {
            q = q.bind(i.clone());
        }
        let limit = if f.limit == 0 { 100 } else { f.limit };
        let rows = q
            .bind(i64::from(limit.min(MAX_ALERTS)))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(row_of).collect()
    }

    /// One alert with its attached incidents, flash deliveries and responses.
    pub async fn alert(&self, id: i64) -> Result<AlertDetail, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM alerts WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let alert = row_of(&row)?;
        let attached: Vec<(String, String)> = sqlx::query_as(
            "SELECT incident_id, at FROM alert_incidents WHERE alert_id = $1 ORDER BY at, incident_id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let deliveries = sqlx::query_as::<_, (String, String, Option<String>)>(
            "SELECT peer, at, error FROM alert_deliveries WHERE alert_id = $1 ORDER BY peer",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|(peer, at, error)| DeliveryRow { peer, at, error })
        .collect();
        let responses = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RESPONSE_COLUMNS} FROM alert_responses WHERE originator = $1
             AND incident_id = $2 ORDER BY at, by_member"
        )))
        .bind(&alert.originator)
        .bind(&alert.incident_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(response_of)
        .collect::<Result<_, _>>()?;
        Ok(AlertDetail {
            alert,
            attached,
            deliveries,
            responses,
        })
    }

    /// Moves an alert to `to` (acknowledged, action taken, closed), noting who, when and why.
    /// `Conflict` if the step is not allowed from where the alert stands (or another user took
    /// it first). On a partner's flash alert, also writes the response owed to the partner
    /// (`own` is this node's member).
    pub async fn advance_alert(
        &self,
        id: i64,
        to: AlertState,
        note: Option<&str>,
        by: &str,
        own: &str,
        at: OffsetDateTime,
    ) -> Result<AlertRow, StoreError> {
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        // The step is logged: take the log's lock before reading where the alert stands.
        crate::ledger::lock_for_append(&mut tx).await?;
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM alerts WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let held = row_of(&row)?;
        transition(held.state, to).map_err(|e| StoreError::Conflict(e.to_string()))?;
        let columns = match to {
            AlertState::Acknowledged => "acknowledged_at = $1, acknowledged_by = $2",
            AlertState::ActionTaken => "action_at = $1, action_by = $2, action_note = $3",
            AlertState::Closed => "closed_at = $1, closed_by = $2, closed_note = $3",
            AlertState::Raised => {
                return Err(StoreError::Conflict(
                    "an alert cannot be raised again".into(),
                ));
            }
        };
        let done = sqlx::query(sqlx::AssertSqlSafe(format!(
            "UPDATE alerts SET {columns}, state = $4 WHERE id = $5 AND state = $6"
        )))
        .bind(&at)
        .bind(by)
        .bind(note)
        .bind(to.as_str())
        .bind(id)
        .bind(held.state.as_str())
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() != 1 {
            return Err(StoreError::Conflict(format!(
                "alert {id} changed meanwhile; read it again"
            )));
        }
        // Logged: who moved the alert, and when (the note stays in the row). The member it
        // concerns is the rule's, or the partner whose flash item it is.
        let member = match (&held.rule_id, &held.from_member) {
            (Some(rule), _) => {
                sqlx::query_scalar::<_, String>("SELECT member FROM watch_rules WHERE id = $1")
                    .bind(rule)
                    .fetch_optional(&mut *tx)
                    .await?
                    .unwrap_or_else(|| own.to_owned())
            }
            (None, Some(from)) => from.clone(),
            (None, None) => own.to_owned(),
        };
        let entry = liaison_ledger::Entry {
            at: at.clone(),
            event: liaison_ledger::Event::AlertStep {
                alert_id: id,
                incident_id: held.incident_id.clone(),
                member,
                state: to.as_str().to_owned(),
                by: by.to_owned(),
            },
        };
        crate::ledger::append(&mut tx, self.backend, std::slice::from_ref(&entry)).await?;
        crate::ledger::seal(&mut tx, self.signer(), &at).await?;
        if held.kind == AlertKind::Flash {
            sqlx::query(
                "INSERT INTO alert_responses (originator, incident_id, by_member, state, at,
                 recorded_at) VALUES ($1, $2, $3, $4, $5, $5)
                 ON CONFLICT (originator, incident_id, by_member, state) DO NOTHING",
            )
            .bind(&held.originator)
            .bind(&held.incident_id)
            .bind(own)
            .bind(to.as_str())
            .bind(&at)
            .execute(&mut *tx)
            .await?;
        }
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM alerts WHERE id = $1"
        )))
        .bind(id)
        .fetch_one(&mut *tx)
        .await?;
        tx.commit().await?;
        row_of(&row)
    }

    /// Our flash alerts whose push has not been attempted yet, oldest first.
    pub async fn pending_flash_pushes(&self) -> Result<Vec<AlertRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {COLUMNS} FROM alerts WHERE flash = 1 AND pushed_at IS NULL ORDER BY id"
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row_of).collect()
    }

    /// Records a flash push's outcome per peer (`None` = delivered) and marks it attempted.
    pub async fn record_flash_push(
        &self,
        id: i64,
        outcomes: &[(String, Option<String>)],
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        for (peer, error) in outcomes {
            sqlx::query(
                "INSERT INTO alert_deliveries (alert_id, peer, at, error) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (alert_id, peer) DO UPDATE SET at = excluded.at, error = excluded.error",
            )
            .bind(id)
            .bind(peer)
            .bind(&at)
            .bind(error.clone())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE alerts SET pushed_at = $1 WHERE id = $2")
            .bind(&at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Our responses to `to`'s flash alerts not yet delivered to it, in the order they were made.
    pub async fn undelivered_alert_responses(
        &self,
        own: &str,
        to: &str,
    ) -> Result<Vec<AlertResponseRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RESPONSE_COLUMNS} FROM alert_responses WHERE by_member = $1
             AND originator = $2 AND delivered_at IS NULL ORDER BY at, incident_id, state"
        )))
        .bind(own)
        .bind(to)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(response_of).collect()
    }

    /// Marks one of our responses delivered, keeping the signed note that went.
    pub async fn mark_alert_response_delivered(
        &self,
        r: &AlertResponseRow,
        object: &str,
        at: OffsetDateTime,
    ) -> Result<(), StoreError> {
        sqlx::query(
            "UPDATE alert_responses SET object = $1, delivered_at = $2 WHERE originator = $3
             AND incident_id = $4 AND by_member = $5 AND state = $6",
        )
        .bind(object)
        .bind(ts(at)?)
        .bind(&r.originator)
        .bind(&r.incident_id)
        .bind(&r.by_member)
        .bind(r.state.as_str())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Response times of the alerts held, per member: a rule's member for its alerts, `own` for
    /// the partners' flash alerts this node answered.
    pub async fn alert_stats(&self, own: &str) -> Result<Vec<AlertStatsRow>, StoreError> {
        let rows = sqlx::query(
            "SELECT COALESCE(r.member, $1), a.state, a.raised_at, a.acknowledged_at,
             a.action_at, a.closed_at FROM alerts a LEFT JOIN watch_rules r ON r.id = a.rule_id",
        )
        .bind(own)
        .fetch_all(&self.pool)
        .await?;
        let mut by: BTreeMap<String, MemberTimes> = BTreeMap::new();
        for r in &rows {
            let member: String = r.try_get(0)?;
            let state: String = r.try_get(1)?;
            let raised: String = r.try_get(2)?;
            let since = |i: usize| -> Result<Option<i64>, StoreError> {
                let t: Option<String> = r.try_get(i)?;
                Ok(t.and_then(|t| secs_between(&raised, &t)))
            };
            let e = by.entry(member).or_default();
            e.alerts += 1;
            if state != AlertState::Closed.as_str() {
                e.open += 1;
            }
            e.ack.extend(since(3)?);
            e.action.extend(since(4)?);
            e.close.extend(since(5)?);
        }
        Ok(by
            .into_iter()
            .map(|(member, t)| AlertStatsRow {
                member,
                alerts: t.alerts,
                open: t.open,
                to_acknowledge: response_times(&t.ack),
                to_action: response_times(&t.action),
                to_close: response_times(&t.close),
            })
            .collect())
    }

    /// What each member and this node (`own`) gave each other: incidents shared both ways,
    /// flash alerts both ways and how fast each side acknowledged. Every member this node has
    /// a peer, a disclosure, a received incident or a flash with, by code.
    pub async fn reciprocity(&self, own: &str) -> Result<Vec<ReciprocityRow>, StoreError> {
        let mut rows: BTreeMap<String, ReciprocityRow> = BTreeMap::new();
        let blank = |member: &str| ReciprocityRow {
            member: member.to_owned(),
            shared_with_us: 0,
            we_shared: 0,
            flashes_to: 0,
            flashes_answered: 0,
            its_acknowledge: response_times(&[]),
            its_close: response_times(&[]),
            flashes_from: 0,
            our_acknowledge: response_times(&[]),
        };
        let peers: Vec<String> = sqlx::query_scalar("SELECT member FROM peers ORDER BY member")
            .fetch_all(&self.pool)
            .await?;
        for p in peers {
            rows.entry(p.clone()).or_insert_with(|| blank(&p));
        }
        let counts = |sql: &'static str| {
            sqlx::query_as::<_, (String, i64)>(sql)
                .bind(own.to_owned())
                .fetch_all(&self.pool)
        };
        for (m, n) in counts(
            "SELECT originator, COUNT(*) FROM received WHERE originator <> $1 GROUP BY originator",
        )
        .await?
        {
            rows.entry(m.clone())
                .or_insert_with(|| blank(&m))
                .shared_with_us = n.max(0) as u64;
        }
        for (m, n) in counts(
            "SELECT peer, COUNT(DISTINCT incident_id) FROM disclosures
             WHERE kind = 'release' AND originator = $1 GROUP BY peer",
        )
        .await?
        {
            rows.entry(m.clone()).or_insert_with(|| blank(&m)).we_shared = n.max(0) as u64;
        }
        // Our pushes and the recipients' steps on them, matched by incident.
        let pushes: Vec<(String, String, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT d.peer, d.at,
               (SELECT MIN(r.at) FROM alert_responses r WHERE r.originator = $1
                AND r.incident_id = a.incident_id AND r.by_member = d.peer
                AND r.state IN ('acknowledged', 'action_taken', 'closed')),
               (SELECT MIN(r.at) FROM alert_responses r WHERE r.originator = $1
                AND r.incident_id = a.incident_id AND r.by_member = d.peer AND r.state = 'closed')
             FROM alert_deliveries d JOIN alerts a ON a.id = d.alert_id
             WHERE d.error IS NULL",
        )
        .bind(own)
        .fetch_all(&self.pool)
        .await?;
        let mut acks: BTreeMap<String, (Vec<i64>, Vec<i64>)> = BTreeMap::new();
        for (peer, sent, ack, closed) in pushes {
            let row = rows.entry(peer.clone()).or_insert_with(|| blank(&peer));
            row.flashes_to += 1;
            let e = acks.entry(peer).or_default();
            if let Some(s) = ack.and_then(|t| secs_between(&sent, &t)) {
                row.flashes_answered += 1;
                e.0.push(s);
            }
            e.1.extend(closed.and_then(|t| secs_between(&sent, &t)));
        }
        for (peer, (ack, close)) in acks {
            if let Some(row) = rows.get_mut(&peer) {
                row.its_acknowledge = response_times(&ack);
                row.its_close = response_times(&close);
            }
        }
        // Partners' flashes and how fast we took them up (any first step counts).
        let theirs: Vec<(String, String, Option<String>)> = sqlx::query_as(
            "SELECT from_member, raised_at, COALESCE(acknowledged_at, action_at, closed_at)
             FROM alerts WHERE kind = 'flash'",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut ours: BTreeMap<String, Vec<i64>> = BTreeMap::new();
        for (from, raised, first) in theirs {
            rows.entry(from.clone())
                .or_insert_with(|| blank(&from))
                .flashes_from += 1;
            ours.entry(from)
                .or_default()
                .extend(first.and_then(|t| secs_between(&raised, &t)));
        }
        for (from, secs) in ours {
            if let Some(row) = rows.get_mut(&from) {
                row.our_acknowledge = response_times(&secs);
            }
        }
        rows.remove(own);
        Ok(rows.into_values().collect())
    }
}

impl ReceiveSession {
    /// Keeps a partner's signed response to one of our flash alerts (a repeat is ignored).
    pub async fn put_alert_response(&mut self, r: &AlertResponseRow) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO alert_responses (originator, incident_id, by_member, state, at, object,
             recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (originator, incident_id, by_member, state) DO NOTHING",
        )
        .bind(&r.originator)
        .bind(&r.incident_id)
        .bind(&r.by_member)
        .bind(r.state.as_str())
        .bind(&r.at)
        .bind(r.object.clone())
        .bind(&r.recorded_at)
        .execute(&mut *self.tx)
        .await?;
        Ok(())
    }
}
