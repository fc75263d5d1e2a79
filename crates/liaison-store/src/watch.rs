//! Watch rules as kept, and the scan that raises alerts from them.
//!
//! A rule is kept as the JSON of `liaison_ops::WatchRule` (current version in `watch_rules`,
//! replaced ones in `watch_rule_versions`; an unchanged rule writes nothing). A rule applies to
//! the incident rows stored after it was first recorded (`from_seq`): a new rule watches what
//! comes, it does not raise hundreds of alerts over the past.
//!
//! The scan follows the node's counter, like zone placement: every incident row above the
//! watermark `node_settings.watch_scan_seq` is matched against the active rules (the matching is
//! `liaison_ops::WatchIndex`'s), whatever path stored it (forms, imports, received pages). An
//! incident matched by a rule is a *hit*, once per incident whatever its later versions, so an
//! edit does not raise the alert again. A hit raises an alert unless the rule has a threshold
//! that the hits in its window do not reach yet; while a threshold rule's alert is open, further
//! hits are attached to it instead of raising new ones. All of one scan is one transaction.

use liaison_ops::watch::{WatchIndex, WatchRule, threshold_met};
use sqlx::{Any, Row, Transaction};
use time::OffsetDateTime;

use crate::incidents::{from_doc, ts};
use crate::{Store, StoreError};

/// The scan's watermark in `node_settings`.
const WATERMARK_KEY: &str = "watch_scan_seq";
/// Incident rows read per batch of a scan.
const SCAN_BATCH: i64 = 2_000;

/// A rule as kept.
#[derive(Debug, Clone, PartialEq)]
pub struct WatchRuleRow {
    pub rule: WatchRule,
    pub version: i64,
    pub active: bool,
    /// The rule watches incident rows stored after this counter.
    pub from_seq: i64,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// What recording rules did, rule by rule: its version and whether anything changed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleRecorded {
    pub id: String,
    pub version: i64,
    pub changed: bool,
}

/// What a scan did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ScanReport {
    /// Incident rows matched against the rules.
    pub scanned: u64,
    /// Alerts raised, by id.
    pub raised: Vec<i64>,
    /// Hits attached to an open threshold alert.
    pub attached: u64,
    /// Hits that did not reach their rule's threshold (yet).
    pub below_threshold: u64,
}

const RULE_COLUMNS: &str = "doc, version, active, from_seq, recorded_at, recorded_by";

fn rule_row(r: &sqlx::any::AnyRow) -> Result<WatchRuleRow, StoreError> {
    let doc: String = r.try_get(0)?;
    Ok(WatchRuleRow {
        rule: serde_json::from_str(&doc)
            .map_err(|e| StoreError::Corrupt(format!("watch rule: {e}")))?,
        version: r.try_get(1)?,
        active: r.try_get::<i64, _>(2)? != 0,
        from_seq: r.try_get(3)?,
        recorded_at: r.try_get(4)?,
        recorded_by: r.try_get(5)?,
    })
}

impl Store {
    /// Records rules (validated by the caller) in one transaction: a new rule watches from the
    /// next incident row; a changed rule becomes its next version (and is active again); an
    /// unchanged active rule writes nothing.
    pub async fn put_watch_rules(
        &self,
        rules: &[WatchRule],
        at: OffsetDateTime,
        by: &str,
    ) -> Result<Vec<RuleRecorded>, StoreError> {
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        // Writers serialised from the start: two recording one new rule at once would both
        // find it absent and the second would fail on the key.
        crate::ledger::lock_for_append(&mut tx).await?;
        let top: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM incidents")
            .fetch_one(&mut *tx)
            .await?;
        let mut out = Vec::with_capacity(rules.len());
        for rule in rules {
            let doc =
                serde_json::to_string(rule).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let held: Option<(String, i64, i64)> =
                sqlx::query_as("SELECT doc, version, active FROM watch_rules WHERE id = $1")
                    .bind(&rule.id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let version = match held {
                Some((held_doc, version, active)) if held_doc == doc && active != 0 => {
                    out.push(RuleRecorded {
                        id: rule.id.clone(),
                        version,
                        changed: false,
                    });
                    continue;
                }
                Some((_, version, _)) => {
                    keep_version(&mut tx, &rule.id).await?;
                    sqlx::query(
                        "UPDATE watch_rules SET member = $1, version = $2, doc = $3, flash = $4,
                         active = 1, recorded_at = $5, recorded_by = $6 WHERE id = $7",
                    )
                    .bind(rule.member.as_str())
                    .bind(version + 1)
                    .bind(&doc)
                    .bind(i64::from(rule.flash))
                    .bind(&at)
                    .bind(by)
                    .bind(&rule.id)
                    .execute(&mut *tx)
                    .await?;
                    version + 1
                }
                None => {
                    sqlx::query(
                        "INSERT INTO watch_rules (id, member, version, doc, flash, active,
                         from_seq, recorded_at, recorded_by) VALUES ($1, $2, 1, $3, $4, 1, $5, $6, $7)",
                    )
                    .bind(&rule.id)
                    .bind(rule.member.as_str())
                    .bind(&doc)
                    .bind(i64::from(rule.flash))
                    .bind(top.unwrap_or(0))
                    .bind(&at)
                    .bind(by)
                    .execute(&mut *tx)
                    .await?;
                    1
                }
            };
            out.push(RuleRecorded {
                id: rule.id.clone(),
                version,
                changed: true,
            });
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Retires a rule: it raises nothing more; it is kept, since alerts name it.
    pub async fn retire_watch_rule(
        &self,
        id: &str,
        at: OffsetDateTime,
        by: &str,
    ) -> Result<(), StoreError> {
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        let active: Option<i64> =
            sqlx::query_scalar("SELECT active FROM watch_rules WHERE id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
        match active {
            None => return Err(StoreError::NotFound),
            Some(0) => {
                return Err(StoreError::Conflict(format!(
                    "rule {id} is retired already"
                )));
            }
            Some(_) => {}
        }
        keep_version(&mut tx, id).await?;
        sqlx::query(
            "UPDATE watch_rules SET active = 0, version = version + 1, recorded_at = $1,
             recorded_by = $2 WHERE id = $3",
        )
        .bind(&at)
        .bind(by)
        .bind(id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The rules, by id; retired ones only when asked.
    pub async fn watch_rules(&self, with_retired: bool) -> Result<Vec<WatchRuleRow>, StoreError> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RULE_COLUMNS} FROM watch_rules {} ORDER BY id",
            if with_retired { "" } else { "WHERE active = 1" }
        )))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rule_row).collect()
    }

    /// One rule.
    pub async fn watch_rule(&self, id: &str) -> Result<WatchRuleRow, StoreError> {
        let row = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RULE_COLUMNS} FROM watch_rules WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        rule_row(&row)
    }

    /// Matches every incident row above the watermark against the active rules and raises the
    /// alerts they call for (see the module's note). `zones_of(lat, lon)` gives the ids of the
    /// zones a point lies in (built-in and the node's own: the caller knows them).
    pub async fn scan_watch(
        &self,
        zones_of: &(dyn Fn(f64, f64) -> Vec<String> + Sync),
        at: OffsetDateTime,
    ) -> Result<ScanReport, StoreError> {
        let rules = self.watch_rules(false).await?;
        let at = ts(at)?;
        let mut tx = self.pool.begin().await?;
        // Scans (the server's, a listing's) are serialised from the start: they read the
        // watermark, then write hits, alerts and log entries.
        crate::ledger::lock_for_append(&mut tx).await?;
        let watermark: Option<String> =
            sqlx::query_scalar("SELECT value FROM node_settings WHERE key = $1")
                .bind(WATERMARK_KEY)
                .fetch_optional(&mut *tx)
                .await?;
        let mut from = watermark.and_then(|w| w.parse::<i64>().ok()).unwrap_or(0);
        let start = from;
        // Rows no active rule watches (stored before every rule) need not be read at all.
        match rules.iter().map(|r| r.from_seq).min() {
            Some(first) => from = from.max(first),
            None => {
                // Nothing to match: only the watermark moves.
                let top: Option<i64> = sqlx::query_scalar("SELECT MAX(seq) FROM incidents")
                    .fetch_one(&mut *tx)
                    .await?;
                from = from.max(top.unwrap_or(0));
            }
        }
        let plain: Vec<WatchRule> = rules.iter().map(|r| r.rule.clone()).collect();
        let index = WatchIndex::new(&plain);
        let mut report = ScanReport::default();
        let mut logged: Vec<liaison_ledger::Entry> = Vec::new();
        while !rules.is_empty() {
            let rows: Vec<(i64, String)> = sqlx::query_as(
                "SELECT seq, doc FROM incidents WHERE seq > $1 ORDER BY seq LIMIT $2",
            )
            .bind(from)
            .bind(SCAN_BATCH)
            .fetch_all(&mut *tx)
            .await?;
            let Some(&(last, _)) = rows.last() else {
                break;
            };
            from = last;
            for (seq, doc) in &rows {
                report.scanned += 1;
                let inc = from_doc(doc)?;
                let zones = inc
                    .content
                    .location
                    .point
                    .map(|p| zones_of(p.lat, p.lon))
                    .unwrap_or_default();
                let zone_refs: Vec<&str> = zones.iter().map(String::as_str).collect();
                for m in index.matches(&inc.content, &zone_refs) {
                    let row = &rules[m.rule];
                    if *seq <= row.from_seq {
                        continue;
                    }
                    if let Some(id) =
                        hit(&mut tx, row, &inc, *seq, &m.reasons, &at, &mut report).await?
                    {
                        logged.push(liaison_ledger::Entry {
                            at: at.clone(),
                            event: liaison_ledger::Event::AlertStep {
                                alert_id: id,
                                incident_id: inc.id.to_string(),
                                member: row.rule.member.to_string(),
                                state: "raised".into(),
                                by: format!("watch:{}", row.rule.id),
                            },
                        });
                    }
                }
            }
        }
        // Each alert raised is logged in the scan's transaction.
        if !logged.is_empty() {
            crate::ledger::append(&mut tx, self.backend, &logged).await?;
            crate::ledger::seal(&mut tx, self.signer(), &at).await?;
        }
        if from > start {
            sqlx::query(
                "INSERT INTO node_settings (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(WATERMARK_KEY)
            .bind(from.to_string())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(report)
    }
}

/// Keeps the held version of rule `id` in `watch_rule_versions`.
async fn keep_version(tx: &mut Transaction<'static, Any>, id: &str) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO watch_rule_versions (id, version, doc, active, recorded_at, recorded_by)
         SELECT id, version, doc, active, recorded_at, recorded_by FROM watch_rules WHERE id = $1",
    )
    .bind(id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// One rule matched one incident: record the hit, then raise, attach or wait for the threshold.
/// Returns the alert raised, if one was.
async fn hit(
    tx: &mut Transaction<'static, Any>,
    row: &WatchRuleRow,
    inc: &liaison_core::Incident,
    seq: i64,
    reasons: &[String],
    at: &str,
    report: &mut ScanReport,
) -> Result<Option<i64>, StoreError> {
    let rule = &row.rule;
    let day = inc.content.date.start;
    let new = sqlx::query(
        "INSERT INTO watch_hits (rule_id, incident_id, day, seq) VALUES ($1, $2, $3, $4)
         ON CONFLICT (rule_id, incident_id) DO NOTHING",
    )
    .bind(&rule.id)
    .bind(inc.id.as_str())
    .bind(day.to_string())
    .bind(seq)
    .execute(&mut **tx)
    .await?;
    if new.rows_affected() == 0 {
        // A later version of an incident already matched: no second alert.
        return Ok(None);
    }
    if let Some(t) = &rule.threshold {
        let open: Option<i64> = sqlx::query_scalar(
            "SELECT id FROM alerts WHERE kind = 'rule' AND rule_id = $1 AND state <> 'closed'
             ORDER BY id DESC LIMIT 1",
        )
        .bind(&rule.id)
        .fetch_optional(&mut **tx)
        .await?;
        if let Some(alert) = open {
            sqlx::query(
                "INSERT INTO alert_incidents (alert_id, incident_id, at) VALUES ($1, $2, $3)
                 ON CONFLICT (alert_id, incident_id) DO NOTHING",
            )
            .bind(alert)
            .bind(inc.id.as_str())
            .bind(at)
            .execute(&mut **tx)
            .await?;
            report.attached += 1;
            return Ok(None);
        }
        let earliest = day - time::Duration::days(i64::from(t.days));
        let days: Vec<String> = sqlx::query_scalar(
            "SELECT day FROM watch_hits WHERE rule_id = $1 AND incident_id <> $2
             AND day > $3 AND day <= $4",
        )
        .bind(&rule.id)
        .bind(inc.id.as_str())
        .bind(earliest.to_string())
        .bind(day.to_string())
        .fetch_all(&mut **tx)
        .await?;
        let earlier: Vec<time::Date> = days
            .iter()
            .filter_map(|d| {
                time::Date::parse(d, &time::format_description::well_known::Iso8601::DATE).ok()
            })
            .collect();
        if !threshold_met(t, day, &earlier) {
            report.below_threshold += 1;
            return Ok(None);
        }
    }
    let reasons = serde_json::to_string(reasons).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO alerts (kind, rule_id, incident_id, incident_version, originator, flash,
         reasons, state, raised_at) VALUES ('rule', $1, $2, $3, $4, $5, $6, 'raised', $7)
         RETURNING id",
    )
    .bind(&rule.id)
    .bind(inc.id.as_str())
    .bind(i64::from(inc.version))
    .bind(inc.originator.as_str())
    // Only the originator can push its incident: another member's is flashed by its own node.
    .bind(i64::from(rule.flash && rule.member == inc.originator))
    .bind(reasons)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    report.raised.push(id);
    Ok(Some(id))
}
