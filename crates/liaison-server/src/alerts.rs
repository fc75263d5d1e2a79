//! Watch rules and alerts over the API: members' rules (on actors, zones, types, countries and
//! thresholds), the alerts they raise and the partners' flash items, each tracked from raised to
//! acknowledged to action taken to closed; response times per member, and reciprocity figures
//! (what each member shared, what it received, how fast it answered) for every role to see.
//!
//! [`scan`] is what raises alerts: the server runs it before every alert listing and the CLI's
//! `serve` every few seconds (with the flash pushes, which need the node key the API does not
//! hold). Matching is `liaison_ops::watch`'s; keeping is the store's.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use liaison_core::FieldError;
use liaison_ops::alerts::{AlertState, ResponseTimes};
use liaison_store::{
    AlertDetail, AlertFilter, AlertKind, AlertRow, AlertStatsRow, ReciprocityRow, ScanReport,
    Store, StoreError, WatchRuleRow,
};
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::{Caller, Writer};
use crate::error::{ApiError, ErrorBody};
use crate::params::{JsonBody, QueryPairs};

/// Matches the incidents stored since the last scan against the active rules and raises the
/// alerts they call for. Zones are the built-in ones and the node's own.
pub async fn scan(store: &Store, at: OffsetDateTime) -> Result<ScanReport, StoreError> {
    let zones = store.zones().await?;
    let zones_of = move |lat: f64, lon: f64| -> Vec<String> {
        zones
            .iter()
            .filter(|z| z.contains(lat, lon))
            .map(|z| z.id.clone())
            .collect()
    };
    store.scan_watch(&zones_of, at).await
}

/// Response times, in seconds.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TimesView {
    pub count: u64,
    pub median_secs: Option<i64>,
    pub p90_secs: Option<i64>,
    pub max_secs: Option<i64>,
}

impl From<&ResponseTimes> for TimesView {
    fn from(t: &ResponseTimes) -> Self {
        TimesView {
            count: t.count,
            median_secs: t.median_secs,
            p90_secs: t.p90_secs,
            max_secs: t.max_secs,
        }
    }
}

/// An alert and where it stands.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertView {
    pub id: i64,
    /// `rule` (one of this node's watch rules) or `flash` (a partner's flash item).
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_member: Option<String>,
    pub incident_id: String,
    pub incident_version: i64,
    pub originator: String,
    /// One of our incidents pushed to partners ahead of any backlog.
    pub flash: bool,
    pub reasons: Vec<String>,
    /// `raised`, `acknowledged`, `action_taken` or `closed`.
    pub state: String,
    pub raised_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledged_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub acknowledged_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub action_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub closed_note: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pushed_at: Option<String>,
}

impl From<AlertRow> for AlertView {
    fn from(a: AlertRow) -> Self {
        AlertView {
            id: a.id,
            kind: a.kind.as_str().to_owned(),
            rule_id: a.rule_id,
            from_member: a.from_member,
            incident_id: a.incident_id,
            incident_version: a.incident_version,
            originator: a.originator,
            flash: a.flash,
            reasons: a.reasons,
            state: a.state.as_str().to_owned(),
            raised_at: a.raised_at,
            acknowledged_at: a.acknowledged_at,
            acknowledged_by: a.acknowledged_by,
            action_at: a.action_at,
            action_by: a.action_by,
            action_note: a.action_note,
            closed_at: a.closed_at,
            closed_by: a.closed_by,
            closed_note: a.closed_note,
            pushed_at: a.pushed_at,
        }
    }
}

/// A flash push to one peer.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    pub peer: String,
    pub at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A step a member took on a flash alert.
#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseView {
    pub member: String,
    pub state: String,
    pub at: String,
    /// Whether the signed note went to the originator yet (our own responses).
    pub delivered: bool,
}

/// An alert with its attached incidents, flash pushes and responses.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertDetailView {
    #[serde(flatten)]
    pub alert: AlertView,
    /// Further incidents attached while a threshold alert was open: (incident, when).
    pub attached: Vec<(String, String)>,
    pub deliveries: Vec<DeliveryView>,
    pub responses: Vec<ResponseView>,
}

impl From<AlertDetail> for AlertDetailView {
    fn from(d: AlertDetail) -> Self {
        AlertDetailView {
            alert: d.alert.into(),
            attached: d.attached,
            deliveries: d
                .deliveries
                .into_iter()
                .map(|x| DeliveryView {
                    peer: x.peer,
                    at: x.at,
                    error: x.error,
                })
                .collect(),
            responses: d
                .responses
                .into_iter()
                .map(|r| ResponseView {
                    member: r.by_member,
                    state: r.state.as_str().to_owned(),
                    at: r.at,
                    delivered: r.delivered_at.is_some() || r.object.is_some(),
                })
                .collect(),
        }
    }
}

/// A watch rule as kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct RuleView {
    /// The rule (docs/operations.md, "Watch rules and alerts").
    #[schema(value_type = Object)]
    pub rule: serde_json::Value,
    pub version: i64,
    pub active: bool,
    pub recorded_at: String,
    pub recorded_by: String,
}

impl TryFrom<WatchRuleRow> for RuleView {
    type Error = ApiError;
    fn try_from(r: WatchRuleRow) -> Result<Self, ApiError> {
        Ok(RuleView {
            rule: serde_json::to_value(&r.rule).map_err(ApiError::internal)?,
            version: r.version,
            active: r.active,
            recorded_at: r.recorded_at,
            recorded_by: r.recorded_by,
        })
    }
}

/// Response times of one member's alerts.
#[derive(Debug, Serialize, ToSchema)]
pub struct AlertStatsView {
    pub member: String,
    pub alerts: u64,
    pub open: u64,
    pub to_acknowledge: TimesView,
    pub to_action: TimesView,
    pub to_close: TimesView,
}

impl From<&AlertStatsRow> for AlertStatsView {
    fn from(r: &AlertStatsRow) -> Self {
        AlertStatsView {
            member: r.member.clone(),
            alerts: r.alerts,
            open: r.open,
            to_acknowledge: (&r.to_acknowledge).into(),
            to_action: (&r.to_action).into(),
            to_close: (&r.to_close).into(),
        }
    }
}

/// What one member and this node gave each other.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct ReciprocityView {
    pub member: String,
    /// Its incidents this node holds.
    pub shared_with_us: u64,
    /// Our incidents released to it.
    pub we_shared: u64,
    /// Our flash alerts pushed to it, and how many it answered.
    pub flashes_to: u64,
    pub flashes_answered: u64,
    /// How fast it acknowledged and closed our flash alerts, from our push.
    pub its_acknowledge: TimesView,
    pub its_close: TimesView,
    /// Its flash alerts we received, and how fast we took them up.
    pub flashes_from: u64,
    pub our_acknowledge: TimesView,
}

impl From<&ReciprocityRow> for ReciprocityView {
    fn from(r: &ReciprocityRow) -> Self {
        ReciprocityView {
            member: r.member.clone(),
            shared_with_us: r.shared_with_us,
            we_shared: r.we_shared,
            flashes_to: r.flashes_to,
            flashes_answered: r.flashes_answered,
            its_acknowledge: (&r.its_acknowledge).into(),
            its_close: (&r.its_close).into(),
            flashes_from: r.flashes_from,
            our_acknowledge: (&r.our_acknowledge).into(),
        }
    }
}

/// A step's note: what was done, why it was closed.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StepNote {
    #[serde(default)]
    pub note: Option<String>,
}

fn alert_id(id: Result<Path<String>, PathRejection>) -> Result<i64, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::NotFound);
    };
    id.parse().map_err(|_| ApiError::NotFound)
}

/// The step a path names.
pub fn step_of(step: &str) -> Option<AlertState> {
    match step {
        "acknowledge" => Some(AlertState::Acknowledged),
        "action" => Some(AlertState::ActionTaken),
        "close" => Some(AlertState::Closed),
        _ => None,
    }
}

/// Alerts, newest first.
#[utoipa::path(
    get,
    path = "/api/v1/alerts",
    tag = "alerts",
    params(
        ("state" = Option<String>, Query, description = "raised, acknowledged, action_taken or closed"),
        ("open" = Option<bool>, Query, description = "true: every alert not closed"),
        ("kind" = Option<String>, Query, description = "rule or flash"),
        ("incident" = Option<String>, Query, description = "Alerts on this incident"),
        ("limit" = Option<u32>, Query, description = "At most this many (default 100, at most 1,000)"),
    ),
    responses(
        (status = 200, description = "The alerts, newest first", body = [AlertView]),
        (status = 400, description = "A bad query parameter, named in fields", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Vec<AlertView>>, ApiError> {
    let mut f = AlertFilter::default();
    for (name, value) in &pairs {
        let value = value.trim();
        if value.is_empty() {
            continue;
        }
        match name.as_str() {
            "state" => {
                f.state = Some(
                    AlertState::parse(value)
                        .map_err(|e| ApiError::bad_param("state", e.to_string()))?,
                );
            }
            "open" => {
                f.open_only = value
                    .parse()
                    .map_err(|_| ApiError::bad_param("open", "true or false"))?;
            }
            "kind" => {
                f.kind = Some(match value {
                    "rule" => AlertKind::Rule,
                    "flash" => AlertKind::Flash,
                    _ => return Err(ApiError::bad_param("kind", "rule or flash")),
                });
            }
            "incident" => f.incident_id = Some(value.to_owned()),
            "limit" => {
                f.limit = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=liaison_store::MAX_ALERTS).contains(n))
                    .ok_or_else(|| ApiError::bad_param("limit", "a number from 1 to 1000"))?;
            }
            other => {
                return Err(ApiError::bad_param(
                    other,
                    "unknown parameter; use state, open, kind, incident or limit",
                ));
            }
        }
    }
    scan(&state.store, (state.clock)()).await?;
    let rows = state.store.alerts(&f).await?;
    Ok(Json(rows.into_iter().map(AlertView::from).collect()))
}

/// One alert with its attached incidents, flash pushes and responses.
#[utoipa::path(
    get,
    path = "/api/v1/alerts/{id}",
    tag = "alerts",
    params(("id" = i64, Path, description = "Alert number")),
    responses(
        (status = 200, description = "The alert", body = AlertDetailView),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such alert", body = ErrorBody),
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<AlertDetailView>, ApiError> {
    let id = alert_id(id)?;
    Ok(Json(state.store.alert(id).await?.into()))
}

/// Takes a step on an alert: `acknowledge`, `action` (with what was done) or `close`. Analysts,
/// admins and liaison officers (who answer partners' flash items); a step already taken, or
/// backwards, is a 409.
#[utoipa::path(
    post,
    path = "/api/v1/alerts/{id}/{step}",
    tag = "alerts",
    params(
        ("id" = i64, Path, description = "Alert number"),
        ("step" = String, Path, description = "acknowledge, action or close"),
    ),
    request_body(content = StepNote, description = "Optional; a note on what was done"),
    responses(
        (status = 200, description = "The alert after the step", body = AlertView),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "Auditors only read", body = ErrorBody),
        (status = 404, description = "No such alert or step", body = ErrorBody),
        (status = 409, description = "The step is not allowed from where the alert stands", body = ErrorBody),
        (status = 422, description = "A note too long", body = ErrorBody),
    )
)]
pub async fn step(
    State(state): State<AppState>,
    caller: Caller,
    path: Result<Path<(String, String)>, PathRejection>,
    body: axum::body::Bytes,
) -> Result<Json<AlertView>, ApiError> {
    if caller.role == liaison_store::Role::Auditor {
        return Err(ApiError::Forbidden {
            role: caller.role.as_str(),
        });
    }
    let Ok(Path((id, step))) = path else {
        return Err(ApiError::NotFound);
    };
    let id: i64 = id.parse().map_err(|_| ApiError::NotFound)?;
    let to = step_of(&step).ok_or(ApiError::NotFound)?;
    // The body is optional: an empty one is a step without a note.
    let note = if body.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        serde_json::from_slice::<StepNote>(&body)
            .map_err(|e| ApiError::bad_request(format!("body: {e}")))?
            .note
    };
    let note = note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if note.is_some_and(|n| n.chars().count() > 2_000) {
        return Err(ApiError::Validation(vec![FieldError::new(
            "note",
            "at most 2,000 characters",
        )]));
    }
    let row = state
        .store
        .advance_alert(
            id,
            to,
            note,
            &caller.name,
            state.member.as_str(),
            (state.clock)(),
        )
        .await?;
    Ok(Json(row.into()))
}

/// The watch rules (retired ones with `all=true`).
#[utoipa::path(
    get,
    path = "/api/v1/watch-rules",
    tag = "alerts",
    params(("all" = Option<bool>, Query, description = "true: retired rules too")),
    responses(
        (status = 200, description = "The rules, by id", body = [RuleView]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn rules(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Vec<RuleView>>, ApiError> {
    let mut all = false;
    for (name, value) in &pairs {
        match name.as_str() {
            "all" => {
                all = value
                    .trim()
                    .parse()
                    .map_err(|_| ApiError::bad_param("all", "true or false"))?;
            }
            other => return Err(ApiError::bad_param(other, "unknown parameter; use all")),
        }
    }
    let rows = state.store.watch_rules(all).await?;
    Ok(Json(
        rows.into_iter()
            .map(RuleView::try_from)
            .collect::<Result<_, _>>()?,
    ))
}

/// Records watch rules: one rule or an array. Each is checked whole and every broken rule is
/// named (`rules[1].threshold.days`); nothing is kept unless all are good. A rule watches the
/// incidents stored from now on; only this node's member's rules are accepted.
#[utoipa::path(
    post,
    path = "/api/v1/watch-rules",
    tag = "alerts",
    request_body(content = Object, description = "A rule or an array of rules (docs/operations.md)"),
    responses(
        (status = 201, description = "Recorded: each rule's version and whether it changed", body = [RuleView]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 422, description = "A broken rule, named in fields", body = ErrorBody),
    )
)]
pub async fn create_rules(
    State(state): State<AppState>,
    Writer(caller): Writer,
    JsonBody(body): JsonBody<serde_json::Value>,
) -> Result<impl IntoResponse, ApiError> {
    let text = serde_json::to_string(&body).map_err(ApiError::internal)?;
    let rules = liaison_ops::watch::parse_rules(&text).map_err(|errs| {
        ApiError::Validation(
            errs.0
                .iter()
                .map(|e| FieldError::new(e.field.clone(), e.message.clone()))
                .collect(),
        )
    })?;
    let foreign: Vec<FieldError> = rules
        .iter()
        .enumerate()
        .filter(|(_, r)| r.member != state.member)
        .map(|(i, _)| {
            FieldError::new(
                format!("rules[{i}].member"),
                format!("this node records {}'s rules only", state.member),
            )
        })
        .collect();
    if !foreign.is_empty() {
        return Err(ApiError::Validation(foreign));
    }
    state
        .store
        .put_watch_rules(&rules, (state.clock)(), &caller.name)
        .await?;
    let mut out = Vec::with_capacity(rules.len());
    for r in &rules {
        out.push(RuleView::try_from(state.store.watch_rule(&r.id).await?)?);
    }
    Ok((StatusCode::CREATED, Json(out)))
}

/// Retires a rule: it raises nothing more and is kept, since its alerts name it.
#[utoipa::path(
    delete,
    path = "/api/v1/watch-rules/{id}",
    tag = "alerts",
    params(("id" = String, Path, description = "Rule id")),
    responses(
        (status = 204, description = "Retired"),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 404, description = "No such rule", body = ErrorBody),
        (status = 409, description = "Retired already", body = ErrorBody),
    )
)]
pub async fn retire_rule(
    State(state): State<AppState>,
    Writer(caller): Writer,
    id: Result<Path<String>, PathRejection>,
) -> Result<StatusCode, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::NotFound);
    };
    state
        .store
        .retire_watch_rule(&id, (state.clock)(), &caller.name)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

/// How fast alerts were acknowledged, acted on and closed, per member.
#[utoipa::path(
    get,
    path = "/api/v1/alerts/stats",
    tag = "alerts",
    responses(
        (status = 200, description = "Per member", body = [AlertStatsView]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn stats(State(state): State<AppState>) -> Result<Json<Vec<AlertStatsView>>, ApiError> {
    let rows = state.store.alert_stats(state.member.as_str()).await?;
    Ok(Json(rows.iter().map(AlertStatsView::from).collect()))
}

/// Reciprocity per member: what it shared with this node, what this node shared with it, and
/// how fast each side answered the other's flash alerts. Every role sees it.
#[utoipa::path(
    get,
    path = "/api/v1/reciprocity",
    tag = "alerts",
    responses(
        (status = 200, description = "Per member, by code", body = [ReciprocityView]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn reciprocity(
    State(state): State<AppState>,
) -> Result<Json<Vec<ReciprocityView>>, ApiError> {
    let rows = state.store.reciprocity(state.member.as_str()).await?;
    Ok(Json(rows.iter().map(ReciprocityView::from).collect()))
}
