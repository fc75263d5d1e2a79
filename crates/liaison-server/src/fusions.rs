//! Fused incidents over the API: every role reads them (claims, where they agree and differ, the
//! agreed version, who signed which version); analysts and admins sign the latest agreed version
//! as this node's member and split them, as for characterisations.
//!
//! The node's member is always the signer, with the node key the store was given: a node cannot
//! sign for another state. Unknown and malformed fused-incident ids are the same 404, as
//! everywhere; a role that may not write gets 403 whether or not the id exists. Fusion itself
//! (clustering the node's incidents) is `liaison fuse`, not an endpoint.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use liaison_core::{Incident, IncidentId};
use liaison_fusion::{AgreedVersion, Window, agreed_version, compare, fusion_id, split_parts};
use liaison_store::{FusionClaim, FusionDetail, FusionRow, NewFusion, SignoffRow, StoreError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::{Caller, Writer};
use crate::error::{ApiError, ErrorBody};
use crate::incidents::note_reads;
use crate::params::JsonBody;

/// A claim of a fused incident and the version of it that was fused.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClaimView {
    pub incident_id: String,
    #[schema(example = "MLI")]
    pub originator: String,
    pub version: i64,
    /// The version the node holds now (absent when it no longer holds the incident).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<u32>,
}

/// A fused incident as listed.
#[derive(Debug, Serialize, ToSchema)]
pub struct FusionSummary {
    pub id: String,
    pub seq: i64,
    /// `active` or `split`.
    pub status: String,
    pub created_at: String,
    pub created_by: String,
    pub claims: Vec<ClaimView>,
    /// The originators of its claims.
    pub members: Vec<String>,
    pub latest_version: i64,
    /// The members who signed the latest version.
    pub signed: Vec<String>,
}

/// An agreed version: its canonical JSON (what members sign) and its SHA-256.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreedView {
    pub version: i64,
    pub sha256: String,
    pub proposed_by: String,
    pub proposed_at: String,
    /// `liaison_fusion::AgreedVersion` (see docs/fusion.md).
    #[schema(value_type = Object)]
    pub doc: Value,
}

/// A member's signature of an agreed version.
#[derive(Debug, Serialize, ToSchema)]
pub struct SignoffView {
    pub version: i64,
    #[schema(example = "MLI")]
    pub member: String,
    /// Ed25519 over the version's canonical bytes, base64.
    pub signature: String,
    /// The signing node's public key, base64.
    pub public_key: String,
    pub signed_by: String,
    pub signed_at: String,
}

/// Where a claim of a split fused incident went.
#[derive(Debug, Serialize, ToSchema)]
pub struct SplitView {
    pub incident_id: String,
    /// The fused incident it is now part of; absent when it was left alone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part_id: Option<String>,
}

/// A fused incident in full.
#[derive(Debug, Serialize, ToSchema)]
pub struct FusionView {
    pub id: String,
    pub seq: i64,
    pub status: String,
    /// The window it was clustered under.
    #[schema(value_type = Object)]
    pub window: Value,
    pub created_at: String,
    pub created_by: String,
    pub claims: Vec<ClaimView>,
    /// Per field, `{"agree": value}` or `{"differ": [{"claim", "originator", "value"}…]}`.
    #[schema(value_type = Object)]
    pub comparison: Value,
    /// The fields that differ.
    pub differing: Vec<String>,
    pub agreed: Option<AgreedView>,
    pub signoffs: Vec<SignoffView>,
    /// Members with a claim who have not signed the latest version.
    pub awaiting: Vec<String>,
    pub split: Vec<SplitView>,
}

/// The claims that leave a fused incident.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitRequest {
    pub claims: Vec<String>,
}

/// What a split did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SplitAnswer {
    pub fusion_id: String,
    /// The new fused incidents made of what stayed and what left together (two claims or more).
    pub parts: Vec<String>,
    pub claims: Vec<SplitView>,
}

/// The store's row for a fused incident proposed as `v`, clustered under `window_json`: what
/// `liaison fuse`, a split here and the CLI's split record alike.
pub fn new_fusion(v: &AgreedVersion, window_json: &str) -> NewFusion {
    NewFusion {
        id: v.fusion.clone(),
        window_json: window_json.to_owned(),
        claims: v
            .claims
            .iter()
            .map(|c| FusionClaim {
                incident_id: c.id.clone(),
                originator: c.originator.clone(),
                version: i64::from(c.version),
            })
            .collect(),
        // Canonical bytes are serde_json's compact text: always UTF-8.
        agreed_doc: String::from_utf8_lossy(&v.canonical_bytes()).into_owned(),
        agreed_sha256: v.sha256_hex(),
    }
}

fn parse_fusion_id(raw: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    let Path(raw) = raw.map_err(|_| ApiError::NotFound)?;
    uuid::Uuid::parse_str(&raw)
        .map(|u| u.to_string())
        .map_err(|_| ApiError::NotFound)
}

fn members(f: &FusionRow) -> Vec<String> {
    let set: std::collections::BTreeSet<&str> =
        f.claims.iter().map(|c| c.originator.as_str()).collect();
    set.into_iter().map(str::to_owned).collect()
}

fn claim_view(c: &FusionClaim, current: Option<u32>) -> ClaimView {
    ClaimView {
        incident_id: c.incident_id.to_string(),
        originator: c.originator.to_string(),
        version: c.version,
        current_version: current,
    }
}

fn signoff_view(s: SignoffRow) -> SignoffView {
    SignoffView {
        version: s.version,
        member: s.member.to_string(),
        signature: s.signature,
        public_key: s.public_key,
        signed_by: s.signed_by,
        signed_at: s.signed_at,
    }
}

fn latest_signed(d: &FusionDetail) -> (i64, Vec<String>) {
    let latest = d.versions.last().map_or(0, |v| v.version);
    let signed = d
        .signoffs
        .iter()
        .filter(|s| s.version == latest)
        .map(|s| s.member.to_string())
        .collect();
    (latest, signed)
}

/// Every fused incident, in the order they were recorded.
#[utoipa::path(
    get,
    path = "/api/v1/fusions",
    tag = "fusions",
    responses(
        (status = 200, description = "The fused incidents", body = [FusionSummary]),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    _caller: Caller,
) -> Result<Json<Vec<FusionSummary>>, ApiError> {
    let rows = state.store.fusions().await?;
    let mut out = Vec::with_capacity(rows.len());
    for f in rows {
        let d = state.store.fusion(&f.id).await?;
        let (latest_version, signed) = latest_signed(&d);
        out.push(FusionSummary {
            members: members(&f),
            claims: f.claims.iter().map(|c| claim_view(c, None)).collect(),
            id: f.id,
            seq: f.seq,
            status: f.status,
            created_at: f.created_at,
            created_by: f.created_by,
            latest_version,
            signed,
        });
    }
    Ok(Json(out))
}

async fn view(state: &AppState, id: &str) -> Result<(FusionView, Vec<String>), ApiError> {
    let d = state.store.fusion(id).await?;
    let mut incidents: Vec<Incident> = Vec::new();
    let mut claims = Vec::with_capacity(d.fusion.claims.len());
    for c in &d.fusion.claims {
        let current = match state.store.get_incident(&c.incident_id).await {
            Ok(i) => {
                let v = i.version;
                incidents.push(i);
                Some(v)
            }
            Err(StoreError::NotFound) => None,
            Err(e) => return Err(e.into()),
        };
        claims.push(claim_view(c, current));
    }
    let refs: Vec<&Incident> = incidents.iter().collect();
    let comparison = compare(&refs);
    let differing = comparison
        .differing()
        .into_iter()
        .map(str::to_owned)
        .collect();
    let (latest, _) = latest_signed(&d);
    let awaiting = members(&d.fusion)
        .into_iter()
        .filter(|m| {
            !d.signoffs
                .iter()
                .any(|s| s.version == latest && s.member.as_str() == m)
        })
        .collect();
    let read: Vec<String> = d
        .fusion
        .claims
        .iter()
        .map(|c| c.incident_id.to_string())
        .collect();
    let agreed = d.versions.last().map(|v| AgreedView {
        version: v.version,
        sha256: v.sha256.clone(),
        proposed_by: v.proposed_by.clone(),
        proposed_at: v.proposed_at.clone(),
        doc: serde_json::from_str(&v.doc).unwrap_or(Value::Null),
    });
    Ok((
        FusionView {
            comparison: serde_json::to_value(&comparison).map_err(ApiError::internal)?,
            differing,
            agreed,
            awaiting,
            signoffs: d.signoffs.into_iter().map(signoff_view).collect(),
            split: d
                .split
                .into_iter()
                .map(|s| SplitView {
                    incident_id: s.incident_id.to_string(),
                    part_id: s.part_id,
                })
                .collect(),
            claims,
            id: d.fusion.id,
            seq: d.fusion.seq,
            status: d.fusion.status,
            window: d.fusion.window,
            created_at: d.fusion.created_at,
            created_by: d.fusion.created_by,
        },
        read,
    ))
}

/// One fused incident: its claims, where they agree and differ, the agreed version, who signed.
#[utoipa::path(
    get,
    path = "/api/v1/fusions/{id}",
    tag = "fusions",
    params(("id" = String, Path, description = "Fused incident id (a UUID)")),
    responses(
        (status = 200, description = "The fused incident", body = FusionView),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such fused incident", body = ErrorBody),
    )
)]
pub async fn get_one(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<FusionView>, ApiError> {
    let id = parse_fusion_id(id)?;
    let (v, read) = view(&state, &id).await?;
    let read: Vec<&str> = read.iter().map(String::as_str).collect();
    note_reads(&state, &caller, &read).await?;
    Ok(Json(v))
}

/// Sign the latest agreed version as this node's member, with the node key.
#[utoipa::path(
    post,
    path = "/api/v1/fusions/{id}/signoffs",
    tag = "fusions",
    params(("id" = String, Path, description = "Fused incident id (a UUID)")),
    responses(
        (status = 201, description = "Signed", body = SignoffView),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 404, description = "No such fused incident", body = ErrorBody),
        (status = 409, description = "Already signed by this member, or split", body = ErrorBody),
        (status = 400, description = "This node's member has no claim in it", body = ErrorBody),
    )
)]
pub async fn sign(
    State(state): State<AppState>,
    Writer(caller): Writer,
    id: Result<Path<String>, PathRejection>,
) -> Result<impl IntoResponse, ApiError> {
    let id = parse_fusion_id(id)?;
    let s = state
        .store
        .sign_fusion(&id, &caller.name, (state.clock)())
        .await?;
    Ok((StatusCode::CREATED, Json(signoff_view(s))))
}

/// Split a fused incident: the named claims leave it and are never fused with the others again.
#[utoipa::path(
    post,
    path = "/api/v1/fusions/{id}/split",
    tag = "fusions",
    params(("id" = String, Path, description = "Fused incident id (a UUID)")),
    request_body = SplitRequest,
    responses(
        (status = 201, description = "Split", body = SplitAnswer),
        (status = 400, description = "Malformed JSON; a claim not in it, or none or all of them", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 404, description = "No such fused incident", body = ErrorBody),
        (status = 409, description = "Already split", body = ErrorBody),
    )
)]
pub async fn split(
    State(state): State<AppState>,
    Writer(caller): Writer,
    id: Result<Path<String>, PathRejection>,
    JsonBody(body): JsonBody<SplitRequest>,
) -> Result<impl IntoResponse, ApiError> {
    let id = parse_fusion_id(id)?;
    let d = state.store.fusion(&id).await?;
    let leaving: Vec<IncidentId> = body
        .claims
        .iter()
        .map(|c| IncidentId::parse(c).map_err(|e| ApiError::bad_param("claims", e)))
        .collect::<Result<_, _>>()?;
    if d.fusion.status != "active" {
        return Err(StoreError::Conflict(format!("fused incident {id} is already split")).into());
    }
    let ids: Vec<IncidentId> = d
        .fusion
        .claims
        .iter()
        .map(|c| c.incident_id.clone())
        .collect();
    let parts = split_parts(&ids, &leaving).map_err(|e| ApiError::bad_param("claims", e))?;
    let window: Window = serde_json::from_value(d.fusion.window.clone()).unwrap_or_default();
    let window_json = serde_json::to_string(&window).map_err(ApiError::internal)?;
    let mut new = Vec::with_capacity(parts.len());
    for p in &parts {
        let mut incs = Vec::with_capacity(p.len());
        for c in p {
            incs.push(state.store.get_incident(c).await?);
        }
        let refs: Vec<&Incident> = incs.iter().collect();
        let v =
            agreed_version(&fusion_id(p), &refs).ok_or_else(|| ApiError::internal("empty part"))?;
        new.push(new_fusion(&v, &window_json));
    }
    let rows = state
        .store
        .split_fusion(&id, &leaving, &new, &caller.name, (state.clock)())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(SplitAnswer {
            fusion_id: id,
            parts: new.into_iter().map(|n| n.id).collect(),
            claims: rows
                .into_iter()
                .map(|r| SplitView {
                    incident_id: r.incident_id.to_string(),
                    part_id: r.part_id,
                })
                .collect(),
        }),
    ))
}
