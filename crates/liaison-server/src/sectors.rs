//! Patrol sectors over the API: listed with their community contacts and the members'
//! constraints, shown one by one, added by analysts and admins (the body is what `liaison sectors
//! add` reads, checked the same way), and the proposed allocation of committed troops, computed
//! as `liaison sectors allocate --json` computes it and never stored.
//!
//! The rules (validation, the countries a sector touches, loads, the allocation and its bound)
//! are `liaison_ops::sectors`'; storing and versioning are the store's. [`proposal`] is public
//! because the web application shows the same allocation: one computation, two faces.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use liaison_core::{CountryCode, FieldError, ValidationErrors};
use liaison_geo::hotspots::{DbscanParams, LatLon, dbscan};
use liaison_ops::Area;
use liaison_ops::forces::view;
use liaison_ops::sectors::{
    Allocation, Constraint, Contact, MemberTroops, Sector, Settings, WindowPoint, allocate, loads,
};
use liaison_store::{ConstraintRow, SectorRow, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use time::{Date, Duration};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Writer;
use crate::error::{ApiError, ErrorBody};
use crate::params::{JsonBody, QueryPairs, parse_json};

/// Hotspots: DBSCAN's neighbourhood radius and core size over the window's incidents, as the
/// CLI's `sectors allocate` (the same inputs must give the same proposal on every face).
const HOTSPOT_EPS_KM: f64 = 25.0;
const HOTSPOT_MIN_POINTS: usize = 5;
/// Longest window accepted, days (as the CLI).
pub const MAX_DAYS: u32 = 3_660;
/// Default window, days, and troops per unit (as the CLI).
pub const DEFAULT_DAYS: u32 = 90;
pub const DEFAULT_UNIT: u32 = 100;

/// One sector as `POST /api/v1/sectors` (and the CLI's file) gives it: `zone` (a built-in zone
/// or one of the node's own, copied in) or `polygons` (GeoJSON MultiPolygon coordinates).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSector {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub zone: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<Vec<Object>>)]
    pub polygons: Option<Vec<liaison_ops::area::Rings>>,
    /// `{name, role, community, phone_or_channel?}`.
    #[serde(default)]
    #[schema(value_type = Vec<Object>)]
    pub contacts: Vec<Contact>,
}

/// A sector recorded by `POST /api/v1/sectors`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectorRecorded {
    pub id: String,
    /// The version now current (unchanged: the one held already).
    pub version: i64,
    /// The countries (ISO3) the sector touches, computed from the shipped boundaries.
    pub countries: Vec<String>,
}

/// The allocation's window.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Window {
    pub from: String,
    pub until: String,
    pub days: u32,
}

/// `GET /api/v1/sectors/allocation`: the window and the proposal, as `liaison sectors allocate
/// --json` prints them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Proposal {
    pub window: Window,
    /// Located incidents in the window.
    #[serde(skip)]
    pub window_incidents: usize,
    #[schema(value_type = Object)]
    pub allocation: Allocation,
}

/// The allocation's parameters: `days` ending at `until` (default the newest incident's date),
/// `unit` troops handed out at a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AllocationQuery {
    pub days: u32,
    pub until: Option<Date>,
    pub unit: u32,
}

impl Default for AllocationQuery {
    fn default() -> Self {
        AllocationQuery {
            days: DEFAULT_DAYS,
            until: None,
            unit: DEFAULT_UNIT,
        }
    }
}

impl AllocationQuery {
    /// Reads `days`, `until` and `unit` (each at most once; anything else is refused, named).
    pub fn parse(pairs: &[(String, String)]) -> Result<AllocationQuery, ApiError> {
        let mut q = AllocationQuery::default();
        let mut seen: Vec<&str> = Vec::new();
        for (k, v) in pairs {
            if seen.contains(&k.as_str()) {
                return Err(ApiError::bad_param(k.as_str(), "given more than once"));
            }
            seen.push(k.as_str());
            match k.as_str() {
                "days" => {
                    q.days = match v.parse::<u32>() {
                        Ok(d) if (1..=MAX_DAYS).contains(&d) => d,
                        _ => {
                            return Err(ApiError::bad_param(
                                "days",
                                format!("must be 1 to {MAX_DAYS}, found '{v}'"),
                            ));
                        }
                    };
                }
                "unit" => {
                    q.unit = match v.parse::<u32>() {
                        Ok(u) if u >= 1 => u,
                        _ => {
                            return Err(ApiError::bad_param(
                                "unit",
                                format!(
                                    "must be a whole number of troops, at least 1, found '{v}'"
                                ),
                            ));
                        }
                    };
                }
                "until" => {
                    q.until = Some(
                        liaison_core::date::parse_iso_date(v)
                            .map_err(|e| ApiError::bad_param("until", e.to_string()))?,
                    );
                }
                other => {
                    return Err(ApiError::bad_param(
                        other,
                        "unknown parameter; use days, until, unit",
                    ));
                }
            }
        }
        Ok(q)
    }
}

/// The sectors and the members' constraints.
#[derive(Debug, Serialize, ToSchema)]
pub struct SectorList {
    /// Current versions by id: `{id, name, area, countries, contacts, version, recorded_at,
    /// recorded_by}`.
    #[schema(value_type = Vec<Object>)]
    pub sectors: Vec<SectorRow>,
    /// Where members' forces may go, by member: `{member, constraint: {sectors: [...]} |
    /// {countries: [...]}, version, recorded_at, recorded_by}`. A member without one serves the
    /// sectors that touch its own territory.
    #[schema(value_type = Vec<Object>)]
    pub constraints: Vec<ConstraintRow>,
}

/// Every sector with its contacts, and every member's constraint.
#[utoipa::path(
    get,
    path = "/api/v1/sectors",
    tag = "operations",
    responses(
        (status = 200, description = "Sectors by id, and constraints by member", body = SectorList),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn list(State(state): State<AppState>) -> Result<Json<SectorList>, ApiError> {
    Ok(Json(SectorList {
        sectors: state.store.sectors().await?,
        constraints: state.store.member_constraints().await?,
    }))
}

/// One sector's current version.
#[utoipa::path(
    get,
    path = "/api/v1/sectors/{id}",
    tag = "operations",
    params(("id" = String, Path, description = "Sector id")),
    responses(
        (status = 200, description = "The sector: {id, name, area, countries, contacts, version, recorded_at, recorded_by}", body = Object),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such sector", body = ErrorBody),
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<SectorRow>, ApiError> {
    // A malformed path and an unknown id are one answer: nothing to tell apart.
    let Ok(Path(id)) = id else {
        return Err(ApiError::NotFound);
    };
    let rows = state.store.sectors().await?;
    rows.into_iter()
        .find(|r| r.sector.id == id)
        .map(Json)
        .ok_or(ApiError::NotFound)
}

/// Keep sectors: a JSON array of sectors (as `liaison sectors add` reads, fields named
/// `sectors[i].field`) or one sector (fields named alone). Every sector is checked before any is
/// kept; a sector given again under its id becomes its next version.
#[utoipa::path(
    post,
    path = "/api/v1/sectors",
    tag = "operations",
    request_body(content = [NewSector], description = "An array of sectors, or one sector"),
    responses(
        (status = 201, description = "Recorded, in the order given", body = [SectorRecorded]),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 422, description = "A sector breaks the rules, its index and field named", body = ErrorBody),
    )
)]
pub async fn create(
    State(state): State<AppState>,
    Writer(caller): Writer,
    JsonBody(body): JsonBody<Value>,
) -> Result<impl IntoResponse, ApiError> {
    let (raw, array) = match body {
        Value::Array(items) => (items, true),
        one @ Value::Object(_) => (vec![one], false),
        _ => {
            return Err(ApiError::Validation(vec![FieldError::new(
                "sectors",
                "give an array of sectors or one sector",
            )]));
        }
    };
    if raw.is_empty() {
        return Err(ApiError::Validation(vec![FieldError::new(
            "sectors",
            "give at least one sector",
        )]));
    }
    let prefix = |i: usize| {
        if array {
            format!("sectors[{i}]")
        } else {
            String::new()
        }
    };
    let named = |i: usize, field: &str| {
        let p = prefix(i);
        match (p.is_empty(), field.is_empty()) {
            (true, _) => field.to_owned(),
            (false, true) => p,
            (false, false) => format!("{p}.{field}"),
        }
    };
    let mut sectors = Vec::with_capacity(raw.len());
    for (i, v) in raw.into_iter().enumerate() {
        let bytes = serde_json::to_vec(&v).map_err(ApiError::internal)?;
        let f: NewSector = parse_json(&bytes).map_err(|e| match e {
            ApiError::Validation(fields) => ApiError::Validation(
                fields
                    .into_iter()
                    .map(|f| {
                        let field = unknown_field(&f.field, &f.message);
                        FieldError::new(named(i, &field), f.message)
                    })
                    .collect(),
            ),
            other => other,
        })?;
        let area = match (f.zone, f.polygons) {
            (Some(z), None) => {
                let zone = state.store.zone(&z).await?.ok_or_else(|| {
                    ApiError::Validation(vec![FieldError::new(
                        named(i, "zone"),
                        format!("no zone '{z}'"),
                    )])
                })?;
                Area::of_zone(&zone)
            }
            (None, Some(polygons)) => Area::Polygon { polygons },
            _ => {
                return Err(ApiError::Validation(vec![FieldError::new(
                    named(i, "zone"),
                    "give either a zone id or polygons",
                )]));
            }
        };
        let s = Sector {
            id: f.id,
            name: f.name,
            area,
            countries: Vec::new(),
            contacts: f.contacts,
        };
        if let Err(e) = s.validate() {
            if !array {
                return Err(ApiError::Validation(e.0));
            }
            let mut all = ValidationErrors::default();
            all.nest(&prefix(i), e);
            return Err(ApiError::Validation(all.0));
        }
        sectors.push(s);
    }
    // The countries a sector touches are sampled from the boundaries: CPU work, off the runtime.
    let sectors = tokio::task::spawn_blocking(move || {
        let boundaries = liaison_geo::default_boundaries();
        sectors
            .into_iter()
            .map(|s| s.with_countries(boundaries))
            .collect::<Vec<_>>()
    })
    .await
    .map_err(ApiError::internal)?;
    let versions = state
        .store
        .add_sectors(&sectors, (state.clock)(), &caller.name)
        .await
        .map_err(|e| match e {
            // The store names fields `sectors[i].…`, as an array body does.
            StoreError::Invalid { field, message } if !array => {
                let field = field.strip_prefix("sectors[0]").unwrap_or(&field);
                ApiError::Validation(vec![FieldError::new(
                    field.trim_start_matches('.'),
                    message,
                )])
            }
            StoreError::Invalid { field, message } => {
                ApiError::Validation(vec![FieldError::new(field, message)])
            }
            other => other.into(),
        })?;
    let out: Vec<SectorRecorded> = sectors
        .into_iter()
        .zip(versions)
        .map(|(s, version)| SectorRecorded {
            id: s.id,
            version,
            countries: s.countries,
        })
        .collect();
    Ok((StatusCode::CREATED, Json(out)))
}

/// serde names an unknown field at its parent's path (`.` at the top): the field's own name,
/// from the message, says which one to remove.
fn unknown_field(path: &str, message: &str) -> String {
    let unknown = message
        .strip_prefix("unknown field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name);
    match (path, unknown) {
        (".", Some(name)) => name.to_owned(),
        (".", None) => String::new(),
        (p, _) => p.to_owned(),
    }
}

/// The proposed allocation of the members' committed troops to the sectors, with each sector's
/// load, weight, ideal share, troops by member, deficit and explanation. Computed when asked.
#[utoipa::path(
    get,
    path = "/api/v1/sectors/allocation",
    tag = "operations",
    params(
        ("days" = Option<u32>, Query, description = "The window's length in days, ending at until (default 90, at most 3660)"),
        ("until" = Option<String>, Query, description = "The window's last day, YYYY-MM-DD (default the newest incident's date)"),
        ("unit" = Option<u32>, Query, description = "Troops per unit handed out (default 100)"),
    ),
    responses(
        (status = 200, description = "{window: {from, until, days}, allocation: {unit_troops, total_troops, sectors, unallocated}}", body = Object),
        (status = 400, description = "A bad parameter, named (or no located incident and no until)", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 422, description = "The inputs exceed the allocation's limits", body = ErrorBody),
    )
)]
pub async fn allocation(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Proposal>, ApiError> {
    let q = AllocationQuery::parse(&pairs)?;
    Ok(Json(proposal(&state.store, q).await?))
}

/// The proposal for `q`, from the node's sectors, constraints, force records and located
/// incidents: what the API, the web screen and `liaison sectors allocate` all show.
pub async fn proposal(
    store: &liaison_store::Store,
    q: AllocationQuery,
) -> Result<Proposal, ApiError> {
    let sectors: Vec<Sector> = store
        .sectors()
        .await?
        .into_iter()
        .map(|r| r.sector)
        .collect();
    let constraints: BTreeMap<CountryCode, Constraint> = store
        .member_constraints()
        .await?
        .into_iter()
        .map(|r| (r.member, r.constraint))
        .collect();
    let forces = store.forces(None).await?;
    let members = store.members().await?;
    let points = store.map_points().await?;

    let newest = points.iter().map(|p| p.date_start.as_str()).max();
    let until = match (q.until, newest) {
        (Some(d), _) => d,
        (None, Some(n)) => liaison_core::date::parse_iso_date(n)
            .map_err(|e| ApiError::internal(format!("the newest incident's date: {e}")))?,
        (None, None) => {
            return Err(ApiError::bad_param(
                "until",
                "the node holds no located incident: give until",
            ));
        }
    };
    let from = until - Duration::days(i64::from(q.days) - 1);
    let (from_s, until_s) = (from.to_string(), until.to_string());
    let troops: Vec<MemberTroops> = view(&forces, &members)
        .members
        .into_iter()
        .filter(|m| m.totals.committed > 0)
        .map(|m| MemberTroops {
            constraint: constraints.get(&m.member).cloned(),
            member: m.member,
            committed_troops: m.totals.committed,
        })
        .collect();
    let settings = Settings {
        unit_troops: q.unit,
        days: q.days,
        ..Settings::default()
    };
    // DBSCAN and the allocation are CPU work: off the runtime's threads.
    let window = Window {
        from: from_s.clone(),
        until: until_s.clone(),
        days: q.days,
    };
    tokio::task::spawn_blocking(move || {
        let window_rows: Vec<_> = points
            .iter()
            .filter(|p| {
                p.date_start.as_str() >= from_s.as_str()
                    && p.date_start.as_str() <= until_s.as_str()
            })
            .collect();
        let latlon: Vec<LatLon> = window_rows
            .iter()
            .map(|p| LatLon {
                lat: p.lat,
                lon: p.lon,
            })
            .collect();
        let labels = dbscan(
            &latlon,
            &DbscanParams {
                eps_km: HOTSPOT_EPS_KM,
                min_points: HOTSPOT_MIN_POINTS,
                threads: 2,
            },
        )
        .map_err(|e| ApiError::internal(format!("hotspots: {e}")))?
        .labels;
        let window_points: Vec<WindowPoint> = window_rows
            .iter()
            .zip(&labels)
            .map(|(p, label)| WindowPoint {
                lat: p.lat,
                lon: p.lon,
                fatalities: u64::try_from(p.fatalities_best).unwrap_or(0),
                in_hotspot: label.is_some(),
            })
            .collect();
        let loads = loads(&sectors, &window_points);
        let allocation = allocate(&sectors, &loads, &troops, &settings)
            .map_err(|e| ApiError::Validation(e.0))?;
        Ok(Proposal {
            window,
            window_incidents: window_rows.len(),
            allocation,
        })
    })
    .await
    .map_err(ApiError::internal)?
}
