//! Field reports over the API: a gateway (an SMS relay, a radio operator) posts the short text a
//! community liaison or a patrol sent; it is read (`liaison_core::field_report`), its place
//! resolved in the gazetteer, and kept as a draft incident for an analyst, or kept as unreadable
//! with the reason, never dropped. Analysts list, accept (the draft becomes an incident of this
//! node) and reject.
//!
//! [`read_report`] is also what `liaison report submit` and the web form call, so a text is read
//! the same way whichever way it came in.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use liaison_core::field_report::{FieldReport, PlaceRef, ResolvedPlace, parse};
use liaison_core::{
    CountryCode, FieldError, GeoPoint, Incident, IncidentContent, IncidentId, Lang,
    LocationPrecision,
};
use liaison_store::{FieldReportRow, ReportStatus};
use serde::{Deserialize, Serialize};
use time::Date;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Writer;
use crate::error::{ApiError, ErrorBody};
use crate::params::{JsonBody, QueryPairs};

/// Resolves the report's place: a name through the gazetteer (the best exact, alternate or
/// loose match, never a mere prefix: a wrong town is worse than none), coordinates as given.
/// The country is the boundaries' answer for the point.
pub fn resolve_place(report: &FieldReport) -> Result<ResolvedPlace, String> {
    let boundaries = liaison_geo::default_boundaries();
    let gazetteer = liaison_geo::gazetteer::default_gazetteer();
    let country_at = |p: GeoPoint| {
        boundaries
            .country_at(p.lat, p.lon)
            .and_then(|c| CountryCode::parse(c).ok())
    };
    match &report.place {
        PlaceRef::Named(name) => {
            let found = gazetteer
                .lookup(name, None, 1)
                .into_iter()
                .find(|m| m.how != liaison_geo::gazetteer::MatchKind::Prefix)
                .ok_or_else(|| {
                    format!("place '{name}' is not in the gazetteer: send coordinates as @lat,lon")
                })?;
            let point = GeoPoint {
                lat: found.place.lat,
                lon: found.place.lon,
            };
            Ok(ResolvedPlace {
                point,
                country: country_at(point)
                    .or_else(|| CountryCode::parse(&found.place.country).ok()),
                place_name: Some(found.place.name.clone()),
                admin1: found.place.admin1.clone(),
                precision: LocationPrecision::Near,
            })
        }
        PlaceRef::Point(p) => Ok(ResolvedPlace {
            point: *p,
            country: country_at(*p),
            place_name: None,
            admin1: gazetteer.admin1_at(p.lat, p.lon).map(|a| a.name.to_owned()),
            precision: LocationPrecision::Exact,
        }),
    }
}

/// Reads a report received on `received` into a draft incident, or says why it cannot.
pub fn read_report(
    text: &str,
    sender: &str,
    lang: Lang,
    received: Date,
) -> Result<IncidentContent, String> {
    let report = parse(text, received).map_err(|e| e.to_string())?;
    let place = resolve_place(&report)?;
    Ok(report.draft(&place, sender, text.trim(), lang))
}

/// The id an accepted report's incident gets: the member and the report's number, so two
/// members' reports never share one.
pub fn report_incident_id(member: &CountryCode, report: i64) -> Result<IncidentId, String> {
    IncidentId::parse(&format!(
        "{}-report-{report}",
        member.as_str().to_ascii_lowercase()
    ))
}

/// A report sent in by a gateway.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewReport {
    /// The text as the sender wrote it (at most 160 characters; docs/field-reports.md).
    pub text: String,
    /// Who sent it: a phone number, a call sign, a liaison's name.
    pub from: String,
    /// The language of the free text after `/`: `fr` (default), `en` or `ar`.
    #[serde(default)]
    pub lang: Option<Lang>,
}

/// A report as kept.
#[derive(Debug, Serialize, ToSchema)]
pub struct ReportView {
    pub id: i64,
    pub received_at: String,
    pub sender: String,
    pub text: String,
    /// `draft`, `unreadable`, `accepted` or `rejected`.
    pub status: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub draft: Option<IncidentContent>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub incident_id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_note: Option<String>,
}

impl From<FieldReportRow> for ReportView {
    fn from(r: FieldReportRow) -> Self {
        ReportView {
            id: r.id,
            received_at: r.received_at,
            sender: r.sender,
            text: r.text,
            status: r.status.as_str().to_owned(),
            error: r.error,
            draft: r.draft,
            incident_id: r.incident_id,
            reviewed_by: r.reviewed_by,
            review_note: r.review_note,
        }
    }
}

/// Why a report is rejected.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Rejection {
    pub reason: String,
}

fn report_id(id: Result<Path<String>, PathRejection>) -> Result<i64, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::NotFound);
    };
    id.parse().map_err(|_| ApiError::NotFound)
}

/// Receive a field report: kept as a draft incident when it reads, as unreadable (422, with the
/// word at fault and the number it is kept under) when it does not.
#[utoipa::path(
    post,
    path = "/api/v1/reports",
    tag = "reports",
    request_body = NewReport,
    responses(
        (status = 201, description = "Read into a draft, waiting for review", body = ReportView),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 422, description = "Kept, but unreadable: the field `text` says why", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Writer(_caller): Writer,
    JsonBody(body): JsonBody<NewReport>,
) -> Result<impl IntoResponse, ApiError> {
    let from = body.from.trim();
    if from.is_empty() || from.chars().count() > 100 {
        return Err(ApiError::Validation(vec![FieldError::new(
            "from",
            "1 to 100 characters: who sent the report",
        )]));
    }
    let now = (state.clock)();
    let read = read_report(&body.text, from, body.lang.unwrap_or(Lang::Fr), now.date());
    let id = state
        .store
        .record_field_report(from, &body.text, read.as_ref().map_err(String::as_str), now)
        .await?;
    match read {
        Ok(_) => {
            let row = state.store.field_report(id).await?;
            Ok((StatusCode::CREATED, Json(ReportView::from(row))))
        }
        Err(why) => Err(ApiError::Validation(vec![FieldError::new(
            "text",
            format!("{why} (kept as report {id} for a person to read)"),
        )])),
    }
}

/// Reports, newest first; `status` keeps one kind (`draft`, `unreadable`, `accepted`,
/// `rejected`).
#[utoipa::path(
    get,
    path = "/api/v1/reports",
    tag = "reports",
    params(("status" = Option<String>, Query, description = "draft, unreadable, accepted or rejected")),
    responses(
        (status = 200, description = "The reports, newest first (at most 1,000)", body = [ReportView]),
        (status = 400, description = "A bad query parameter, named in fields", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Vec<ReportView>>, ApiError> {
    let mut status = None;
    for (name, value) in &pairs {
        match name.as_str() {
            "status" if value.trim().is_empty() => {}
            "status" => {
                status =
                    Some(ReportStatus::parse(value).map_err(|e| ApiError::bad_param("status", e))?);
            }
            other => return Err(ApiError::bad_param(other, "unknown parameter; use status")),
        }
    }
    let rows = state
        .store
        .field_reports(status, liaison_store::MAX_FIELD_REPORTS)
        .await?;
    Ok(Json(rows.into_iter().map(ReportView::from).collect()))
}

/// Accept a draft: it becomes an incident of this node (`<member>-report-<n>`).
#[utoipa::path(
    post,
    path = "/api/v1/reports/{id}/accept",
    tag = "reports",
    params(("id" = i64, Path, description = "Report number")),
    responses(
        (status = 200, description = "Accepted: the report with its incident id", body = ReportView),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 404, description = "No such report", body = ErrorBody),
        (status = 409, description = "Not a draft waiting for review", body = ErrorBody),
    )
)]
pub async fn accept(
    State(state): State<AppState>,
    Writer(caller): Writer,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<ReportView>, ApiError> {
    let id = report_id(id)?;
    let row = state.store.field_report(id).await?;
    let (ReportStatus::Draft, Some(content)) = (row.status, row.draft) else {
        return Err(ApiError::from(liaison_store::StoreError::Conflict(
            format!("field report {id} is {}, not a draft", row.status.as_str()),
        )));
    };
    let incident_id = report_incident_id(&state.member, id).map_err(ApiError::internal)?;
    let incident = Incident::new(incident_id, state.member.clone(), 1, content);
    state
        .store
        .accept_field_report(id, &incident, &caller.name, (state.clock)())
        .await?;
    Ok(Json(state.store.field_report(id).await?.into()))
}

/// Reject a draft or an unreadable report, saying why.
#[utoipa::path(
    post,
    path = "/api/v1/reports/{id}/reject",
    tag = "reports",
    params(("id" = i64, Path, description = "Report number")),
    request_body = Rejection,
    responses(
        (status = 200, description = "Rejected", body = ReportView),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 404, description = "No such report", body = ErrorBody),
        (status = 409, description = "Already reviewed", body = ErrorBody),
        (status = 422, description = "No reason given", body = ErrorBody),
    )
)]
pub async fn reject(
    State(state): State<AppState>,
    Writer(caller): Writer,
    id: Result<Path<String>, PathRejection>,
    JsonBody(body): JsonBody<Rejection>,
) -> Result<Json<ReportView>, ApiError> {
    let id = report_id(id)?;
    let reason = body.reason.trim();
    if reason.is_empty() || reason.chars().count() > 2_000 {
        return Err(ApiError::Validation(vec![FieldError::new(
            "reason",
            "1 to 2,000 characters: why the report is rejected",
        )]));
    }
    state
        .store
        .reject_field_report(id, reason, &caller.name, (state.clock)())
        .await?;
    Ok(Json(state.store.field_report(id).await?.into()))
}
