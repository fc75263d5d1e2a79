//! Searching incidents with filters (country, time window, types, bounding box, free text,
//! originator, a member's characterisation), paginated by cursor, and counting them for
//! statistics.
//!
//! Ordering is by start date, newest first, then by the node's row counter, so a cursor (the
//! last row's date and counter) resumes exactly where the previous page stopped even when many
//! incidents share a date.

use liaison_core::date::MAX_SPAN_DAYS;
use liaison_core::query::MAX_QUERY_TERMS;
use liaison_core::text::query_groups;
use liaison_core::{Incident, IncidentFilter, StatsDimension, StatsRow, TypeFilter};
use sqlx::{AssertSqlSafe, Row};

use crate::characterisations::current_reading_sql;
use crate::incidents::from_doc;
use crate::sql::{Arg, Sql};
use crate::{Backend, Store, StoreError};

/// Largest page a caller may ask for.
pub const MAX_PAGE_SIZE: u32 = 1_000;

/// Where a page starts: after the incident with this start date and row counter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    date_start: String,
    seq: i64,
}

impl Cursor {
    /// Parses the opaque text a previous page returned.
    pub fn parse(s: &str) -> Result<Cursor, StoreError> {
        let invalid = || StoreError::Invalid {
            field: "cursor".into(),
            message: "not a cursor returned by a previous page".into(),
        };
        let (date, seq) = s.split_once('_').ok_or_else(invalid)?;
        liaison_core::date::parse_iso_date(date).map_err(|_| invalid())?;
        let seq = seq.parse::<i64>().map_err(|_| invalid())?;
        Ok(Cursor {
            date_start: date.to_owned(),
            seq,
        })
    }

    pub fn as_string(&self) -> String {
        format!("{}_{}", self.date_start, self.seq)
    }
}

/// One page of incidents and the cursor of the next, if there is more.
#[derive(Debug, Clone)]
pub struct Page {
    pub incidents: Vec<Incident>,
    pub next_cursor: Option<String>,
}

/// Appends ` AND …` conditions for `filter` to `sql`.
fn push_filter(sql: &mut Sql, backend: Backend, filter: &IncidentFilter) -> Result<(), StoreError> {
    if let Some(c) = &filter.country {
        sql.push(" AND country = ")
            .bind(Arg::Text(c.as_str().to_owned()));
    }
    if let Some(o) = &filter.originator {
        sql.push(" AND originator = ")
            .bind(Arg::Text(o.as_str().to_owned()));
    }
    // "As characterised by X": X has read the incident at all, or its current reading is the
    // category asked for. An older reading of that category does not count: X changed its mind.
    match (&filter.characterised_by, filter.category) {
        (Some(m), category) => {
            sql.push(
                " AND EXISTS (SELECT 1 FROM characterisations ch \
                 WHERE ch.incident_id = incidents.id AND ch.member = ",
            )
            .bind(Arg::Text(m.as_str().to_owned()));
            if let Some(c) = category {
                sql.push(" AND ch.category = ")
                    .bind(Arg::Text(c.as_str().to_owned()))
                    .push(" AND ")
                    .push(&current_reading_sql("ch"));
            }
            sql.push(")");
        }
        (None, Some(_)) => return Err(needs_member("category")),
        (None, None) => {}
    }
    // A span overlaps the window when it starts before the window ends and ends after it starts.
    if let Some(from) = filter.from {
        sql.push(" AND date_end >= ")
            .bind(Arg::Text(from.to_string()));
        // Implied by the condition above, since no span exceeds MAX_SPAN_DAYS, but this one
        // bounds the start-date index range, so a time window never scans the whole history.
        let earliest = from - time::Duration::days(MAX_SPAN_DAYS);
        sql.push(" AND date_start >= ")
            .bind(Arg::Text(earliest.to_string()));
    }
    if let Some(to) = filter.to {
        sql.push(" AND date_start <= ")
            .bind(Arg::Text(to.to_string()));
    }
    if !filter.types.is_empty() {
        let mut events = Vec::new();
        let mut subs = Vec::new();
        for t in &filter.types {
            match t {
                TypeFilter::Event(e) => events.push(e.as_str()),
                TypeFilter::Sub(s) => subs.push(s.as_str()),
            }
        }
        // The event types involved, sub-types' included, come first so that the type-and-date
        // index serves sub-type filters too (there is no sub-type index to maintain on writes).
        let mut all_events: Vec<&str> = events.clone();
        for t in &filter.types {
            if let TypeFilter::Sub(s) = t
                && !all_events.contains(&s.event_type().as_str())
            {
                all_events.push(s.event_type().as_str());
            }
        }
        push_in(sql, " AND event_type", &all_events);
        if !subs.is_empty() {
            sql.push(" AND (");
            if events.is_empty() {
                sql.push("1 = 0");
            } else {
                push_in(sql, "event_type", &events);
            }
            push_in(sql, " OR sub_type", &subs);
            sql.push(")");
        }
    }
    if let Some(zone) = &filter.zone {
        sql.push(" AND incidents.seq IN (SELECT iz.seq FROM incident_zones iz WHERE iz.zone_id = ")
            .bind(Arg::Text(zone.clone()))
            .push(")");
    }
    if let Some(b) = filter.bbox {
        sql.push(" AND lat BETWEEN ").bind(Arg::Real(b.south));
        sql.push(" AND ").bind(Arg::Real(b.north));
        sql.push(" AND lon BETWEEN ").bind(Arg::Real(b.west));
        sql.push(" AND ").bind(Arg::Real(b.east));
    }
    if let Some(text) = &filter.text {
        let groups = query_groups(text);
        if groups.len() > MAX_QUERY_TERMS {
            return Err(StoreError::Invalid {
                field: "text".into(),
                message: format!("at most {MAX_QUERY_TERMS} words"),
            });
        }
        if !groups.is_empty() {
            // Terms hold only letters and digits (liaison_core::text), so quoting them is safe
            // in both query languages.
            match backend {
                Backend::Sqlite => {
                    let expr = groups
                        .iter()
                        .map(|g| {
                            let alts: Vec<String> = g.iter().map(|t| format!("\"{t}\"")).collect();
                            format!("({})", alts.join(" OR "))
                        })
                        .collect::<Vec<_>>()
                        .join(" AND ");
                    sql.push(
                        " AND incidents.seq IN (SELECT rowid FROM incident_terms WHERE incident_terms MATCH ",
                    )
                    .bind(Arg::Text(expr))
                    .push(")");
                }
                Backend::Postgres => {
                    let expr = groups
                        .iter()
                        .map(|g| format!("({})", g.join(" | ")))
                        .collect::<Vec<_>>()
                        .join(" & ");
                    sql.push(" AND to_tsvector('simple', terms) @@ to_tsquery('simple', ")
                        .bind(Arg::Text(expr))
                        .push(")");
                }
            }
        }
    }
    Ok(())
}

/// A category means nothing without the member whose reading it is.
fn needs_member(field: &str) -> StoreError {
    StoreError::Invalid {
        field: field.into(),
        message: "needs characterised_by: a category is always some member's reading".into(),
    }
}

/// Appends `column IN (values…)`.
fn push_in(sql: &mut Sql, column: &str, values: &[&str]) {
    sql.push(column).push(" IN (");
    for (i, v) in values.iter().enumerate() {
        if i > 0 {
            sql.push(", ");
        }
        sql.bind(Arg::Text((*v).to_owned()));
    }
    sql.push(")");
}

impl Store {
    /// The names of the secondary indexes on `incidents`, sorted: for checks that the schema is
    /// what the migrations made.
    pub async fn incident_index_names(&self) -> Result<Vec<String>, StoreError> {
        let sql = match self.backend {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incidents' \
                 AND sql IS NOT NULL ORDER BY name"
            }
            Backend::Postgres => {
                "SELECT CAST(indexname AS TEXT) FROM pg_indexes WHERE tablename = 'incidents' \
                 AND schemaname = current_schema() AND indexname LIKE 'incidents\\_%' ORDER BY indexname"
            }
        };
        let names: Vec<String> = sqlx::query_scalar(sql).fetch_all(&self.pool).await?;
        Ok(names)
    }

    /// Before a query that filters or groups by zone: the zone named exists, and every incident
    /// row is placed in its zones.
    pub(crate) async fn prepare_zones(
        &self,
        filter: &IncidentFilter,
        grouped_by_zone: bool,
    ) -> Result<(), StoreError> {
        if let Some(zone) = &filter.zone {
            self.check_zone_id("zone", zone).await?;
        }
        if filter.zone.is_some() || grouped_by_zone {
            self.index_zones().await?;
        }
        Ok(())
    }

    /// A page of incidents matching `filter`, newest first.
    pub async fn list_incidents(
        &self,
        filter: &IncidentFilter,
        limit: u32,
        cursor: Option<&Cursor>,
    ) -> Result<Page, StoreError> {
        let limit = limit.clamp(1, MAX_PAGE_SIZE);
        self.prepare_zones(filter, false).await?;
        let mut sql = Sql::new(
            self.backend,
            "SELECT doc, date_start, seq FROM incidents WHERE 1 = 1",
        );
        push_filter(&mut sql, self.backend, filter)?;
        if let Some(c) = cursor {
            sql.push(" AND (date_start < ")
                .bind(Arg::Text(c.date_start.clone()));
            sql.push(" OR (date_start = ")
                .bind(Arg::Text(c.date_start.clone()));
            sql.push(" AND seq < ").bind(Arg::Int(c.seq)).push("))");
        }
        sql.push(" ORDER BY date_start DESC, seq DESC LIMIT ")
            .bind(Arg::Int(i64::from(limit) + 1));
        let args = sql.arguments()?;
        let rows = sqlx::query_with(AssertSqlSafe(sql.text), args)
            .fetch_all(&self.pool)
            .await?;
        let mut incidents = Vec::with_capacity(rows.len());
        let mut last = None;
        for r in rows.iter().take(limit as usize) {
            incidents.push(from_doc(&r.try_get::<String, _>(0)?)?);
            last = Some(Cursor {
                date_start: r.try_get(1)?,
                seq: r.try_get(2)?,
            });
        }
        let next_cursor = if rows.len() > limit as usize {
            last.map(|c| c.as_string())
        } else {
            None
        };
        Ok(Page {
            incidents,
            next_cursor,
        })
    }

    /// Counts and fatality sums of the incidents matching `filter`, grouped by `dims`, in the
    /// order of the dimensions.
    pub async fn stats(
        &self,
        filter: &IncidentFilter,
        dims: &[StatsDimension],
    ) -> Result<Vec<StatsRow>, StoreError> {
        self.prepare_zones(filter, dims.contains(&StatsDimension::Zone))
            .await?;
        let columns: Vec<&str> = dims
            .iter()
            .map(|d| match d {
                StatsDimension::Country => "country",
                StatsDimension::Year => "year",
                StatsDimension::Month => "month",
                StatsDimension::Type => "event_type",
                StatsDimension::SubType => "sub_type",
                StatsDimension::Originator => "originator",
                StatsDimension::Category => "category",
                StatsDimension::Zone => "zone_id",
            })
            .collect();
        let group = columns.join(", ");
        // SUM of BIGINT is NUMERIC on PostgreSQL, which the Any driver cannot carry: cast back.
        let mut sql = Sql::new(
            self.backend,
            &format!(
                "SELECT {group}, COUNT(*), CAST(SUM(fatalities_best) AS BIGINT), \
             CAST(SUM(fatalities_low) AS BIGINT), CAST(SUM(fatalities_high) AS BIGINT) FROM "
            ),
        );
        let by_category = dims.contains(&StatsDimension::Category);
        let by_zone = dims.contains(&StatsDimension::Zone);
        if by_category || by_zone {
            // The member's current category and the zone are not columns: the filtered incidents
            // are wrapped with them as columns, so both engines group by plain columns. Zones may
            // overlap: joining the membership rows counts an incident once in each of its zones.
            sql.push("(SELECT incidents.*");
            if by_category {
                let Some(member) = &filter.characterised_by else {
                    return Err(needs_member("by"));
                };
                sql.push(
                    ", (SELECT ch.category FROM characterisations ch \
                     WHERE ch.incident_id = incidents.id AND ch.member = ",
                )
                .bind(Arg::Text(member.as_str().to_owned()))
                .push(" ORDER BY ch.version DESC LIMIT 1) AS category");
            }
            if by_zone {
                sql.push(", zi.zone_id AS zone_id FROM incidents JOIN incident_zones zi ON zi.seq = incidents.seq");
            } else {
                sql.push(" FROM incidents");
            }
            sql.push(" WHERE 1 = 1");
            push_filter(&mut sql, self.backend, filter)?;
            sql.push(") AS incidents WHERE 1 = 1");
        } else {
            sql.push("incidents WHERE 1 = 1");
            push_filter(&mut sql, self.backend, filter)?;
        }
        sql.push(&format!(" GROUP BY {group} ORDER BY {group}"));
        let args = sql.arguments()?;
        let rows = sqlx::query_with(AssertSqlSafe(sql.text), args)
            .fetch_all(&self.pool)
            .await?;
        let n = dims.len();
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let mut row = StatsRow {
                country: None,
                year: None,
                month: None,
                event_type: None,
                sub_type: None,
                originator: None,
                category: None,
                zone: None,
                incidents: count(r.try_get(n)?),
                fatalities_best: count(r.try_get(n + 1)?),
                fatalities_low: count(r.try_get(n + 2)?),
                fatalities_high: count(r.try_get(n + 3)?),
            };
            for (i, d) in dims.iter().enumerate() {
                match d {
                    StatsDimension::Country => row.country = Some(r.try_get(i)?),
                    StatsDimension::Year => {
                        let y: i64 = r.try_get(i)?;
                        row.year = i32::try_from(y).ok();
                    }
                    StatsDimension::Month => row.month = Some(r.try_get(i)?),
                    StatsDimension::Type => row.event_type = Some(r.try_get(i)?),
                    StatsDimension::SubType => row.sub_type = Some(r.try_get(i)?),
                    StatsDimension::Originator => row.originator = Some(r.try_get(i)?),
                    StatsDimension::Category => row.category = Some(r.try_get(i)?),
                    StatsDimension::Zone => row.zone = Some(r.try_get(i)?),
                }
            }
            out.push(row);
        }
        Ok(out)
    }
}

fn count(v: Option<i64>) -> u64 {
    v.and_then(|x| u64::try_from(x).ok()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors() {
        let c = Cursor::parse("2012-01-17_42").ok();
        assert_eq!(c.map(|c| c.as_string()).as_deref(), Some("2012-01-17_42"));
        assert!(Cursor::parse("garbage").is_err());
        assert!(Cursor::parse("2012-13-40_1").is_err());
        assert!(Cursor::parse("2012-01-17_x").is_err());
    }
}
