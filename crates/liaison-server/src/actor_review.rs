//! Review of actor-name links and merges of actor records over the API: the proposals the link
//! pass (`liaison actors link`) left for a person, accepted or rejected (optionally naming the
//! right actor); merges of two records of one actor, and their splits, each on the record with
//! who, when and why. Analysts and admins write; every role reads.
//!
//! The decisions and their rules are the store's (`liaison_store::Store::accept_name_link`,
//! `merge_actors` …); this module parses, checks roles and maps errors.

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::IntoResponse;
use liaison_core::{ActorId, FieldError};
use liaison_store::{EffectiveAlias, LinkStatus, MergeRow, NameLinkRow};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::AppState;
use crate::auth::Writer;
use crate::error::{ApiError, ErrorBody};
use crate::params::{JsonBody, QueryPairs};

/// Longest reason accepted, in characters.
const REASON_CHARS_MAX: usize = 2_000;

/// A link between a name an incident gives and an actor record, linked, proposed or rejected.
#[derive(Debug, Serialize, ToSchema)]
pub struct LinkView {
    pub id: i64,
    pub incident_id: String,
    /// The name as the incident writes it.
    pub actor_name: String,
    /// The actor linked or proposed; absent once rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<String>,
    /// `linked`, `proposed` or `rejected`.
    pub status: String,
    /// `auto`, `proposed`, `accepted`, `rejected` or `manual`.
    pub method: String,
    pub proposed_actor_id: String,
    /// The actor's name or alias that matched.
    pub matched: String,
    pub score: f64,
    /// The matcher's word pairs and explanation.
    #[schema(value_type = Object)]
    pub reasons: serde_json::Value,
    pub found_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decided_by: Option<String>,
}

impl From<NameLinkRow> for LinkView {
    fn from(r: NameLinkRow) -> Self {
        LinkView {
            id: r.id,
            incident_id: r.incident_id,
            actor_name: r.actor_name,
            actor_id: r.actor_id,
            status: r.status.as_str().to_owned(),
            method: r.method,
            proposed_actor_id: r.proposed_actor_id,
            matched: r.matched,
            score: r.score,
            reasons: r.reasons,
            found_at: r.found_at,
            decided_at: r.decided_at,
            decided_by: r.decided_by,
        }
    }
}

/// A merge of two actor records, standing or split.
#[derive(Debug, Serialize, ToSchema)]
pub struct MergeView {
    pub id: i64,
    pub keep: String,
    pub other: String,
    pub reason: String,
    pub merged_at: String,
    pub merged_by: String,
    /// Whether the merge still stands (not split).
    pub standing: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split_by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub split_reason: Option<String>,
}

impl From<MergeRow> for MergeView {
    fn from(m: MergeRow) -> Self {
        MergeView {
            standing: m.standing(),
            id: m.id,
            keep: m.keep_id,
            other: m.other_id,
            reason: m.reason,
            merged_at: m.merged_at,
            merged_by: m.merged_by,
            split_at: m.split_at,
            split_by: m.split_by,
            split_reason: m.split_reason,
        }
    }
}

/// A name an actor goes by, with where it comes from.
#[derive(Debug, Serialize, ToSchema)]
pub struct AliasView {
    pub name: String,
    /// `latin`, `arabic`, `tifinagh` or `other`.
    #[schema(value_type = String)]
    pub script: liaison_core::Script,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// The record the name belongs to.
    pub from_actor: String,
    /// The merge that brought it, absent for the actor's own aliases.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merge_id: Option<i64>,
}

impl From<EffectiveAlias> for AliasView {
    fn from(a: EffectiveAlias) -> Self {
        AliasView {
            name: a.name,
            script: a.script,
            source: a.source,
            from_actor: a.from_actor,
            merge_id: a.merge_id,
        }
    }
}

/// An actor's merges and the names it goes by as they make it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActorMerges {
    pub actor: String,
    /// The standing merge of this record into another, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<MergeView>,
    /// Every merge the record took part in, oldest first, split ones included.
    pub merges: Vec<MergeView>,
    /// Its own aliases, then the names and aliases of records merged into it.
    pub aliases: Vec<AliasView>,
}

/// The body of a rejection.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RejectLink {
    /// The actor the name really is, when it is another one: the name is linked to it.
    #[serde(default)]
    pub actor: Option<String>,
}

/// The body of a merge.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewMerge {
    /// The record kept.
    pub keep: String,
    /// The record merged into it.
    pub other: String,
    /// Why the two are one actor.
    pub reason: String,
}

/// The body of a split.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SplitMerge {
    #[serde(default)]
    pub reason: Option<String>,
}

fn number(id: Result<Path<String>, PathRejection>) -> Result<i64, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::NotFound);
    };
    id.parse().map_err(|_| ApiError::NotFound)
}

fn actor_field(field: &str, s: &str) -> Result<ActorId, ApiError> {
    ActorId::parse(s).map_err(|e| {
        ApiError::Validation(vec![FieldError::new(
            field,
            format!("not an actor id: {e}"),
        )])
    })
}

fn reason_field(field: &str, s: &str) -> Result<(), ApiError> {
    if s.chars().count() > REASON_CHARS_MAX {
        return Err(ApiError::Validation(vec![FieldError::new(
            field,
            format!("at most {REASON_CHARS_MAX} characters"),
        )]));
    }
    Ok(())
}

/// Links of one status (`proposed` by default; `linked`, `rejected` or `all`), oldest first.
#[utoipa::path(
    get,
    path = "/api/v1/actors/review",
    tag = "registers",
    params(("status" = Option<String>, Query, description = "proposed (default), linked, rejected or all")),
    responses(
        (status = 200, description = "The links, oldest first (at most 1,000)", body = [LinkView]),
        (status = 400, description = "A bad query parameter, named in fields", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    QueryPairs(pairs): QueryPairs,
) -> Result<Json<Vec<LinkView>>, ApiError> {
    let mut status = Some(LinkStatus::Proposed);
    for (name, value) in &pairs {
        match name.as_str() {
            "status" if value == "all" => status = None,
            "status" => {
                status = Some(
                    LinkStatus::parse(value)
                        .map_err(|e| ApiError::bad_param("status", format!("{e} (or all)")))?,
                );
            }
            other => return Err(ApiError::bad_param(other, "unknown parameter; use status")),
        }
    }
    let rows = state.store.name_links(status).await?;
    Ok(Json(rows.into_iter().map(LinkView::from).collect()))
}

/// Accept a proposal: the incident counts as naming the proposed actor.
#[utoipa::path(
    post,
    path = "/api/v1/actors/review/{id}/accept",
    tag = "registers",
    params(("id" = i64, Path, description = "Link number")),
    responses(
        (status = 200, description = "Linked", body = LinkView),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 404, description = "No such link", body = ErrorBody),
        (status = 409, description = "Not a proposal (decided already)", body = ErrorBody),
    )
)]
pub async fn accept(
    State(state): State<AppState>,
    Writer(caller): Writer,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<LinkView>, ApiError> {
    let id = number(id)?;
    let row = state
        .store
        .accept_name_link(id, &caller.name, (state.clock)())
        .await?;
    Ok(Json(row.into()))
}

/// Reject a proposal; with `actor`, link the name to that actor instead.
#[utoipa::path(
    post,
    path = "/api/v1/actors/review/{id}/reject",
    tag = "registers",
    params(("id" = i64, Path, description = "Link number")),
    request_body = RejectLink,
    responses(
        (status = 200, description = "Rejected, or linked to the actor named", body = LinkView),
        (status = 400, description = "No such actor: the field `actor`", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 404, description = "No such link", body = ErrorBody),
        (status = 409, description = "Not a proposal (decided already)", body = ErrorBody),
        (status = 422, description = "`actor` is not an actor id", body = ErrorBody),
    )
)]
pub async fn reject(
    State(state): State<AppState>,
    Writer(caller): Writer,
    id: Result<Path<String>, PathRejection>,
    JsonBody(body): JsonBody<RejectLink>,
) -> Result<Json<LinkView>, ApiError> {
    let id = number(id)?;
    let instead = body
        .actor
        .as_deref()
        .map(|a| actor_field("actor", a))
        .transpose()?;
    let row = state
        .store
        .reject_name_link(id, instead.as_ref(), &caller.name, (state.clock)())
        .await?;
    Ok(Json(row.into()))
}

/// Record that `other` is the same actor as `keep`: its names, aliases and links count for
/// `keep` until the merge is split.
#[utoipa::path(
    post,
    path = "/api/v1/actors/merges",
    tag = "registers",
    request_body = NewMerge,
    responses(
        (status = 201, description = "Merged", body = MergeView),
        (status = 400, description = "An unknown actor, an actor merged with itself, no reason: the field named", body = ErrorBody),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 409, description = "One of the records is already merged", body = ErrorBody),
        (status = 422, description = "A malformed id or a reason too long: the field named", body = ErrorBody),
    )
)]
pub async fn merge(
    State(state): State<AppState>,
    Writer(caller): Writer,
    JsonBody(body): JsonBody<NewMerge>,
) -> Result<impl IntoResponse, ApiError> {
    let keep = actor_field("keep", &body.keep)?;
    let other = actor_field("other", &body.other)?;
    reason_field("reason", &body.reason)?;
    let m = state
        .store
        .merge_actors(&keep, &other, &body.reason, &caller.name, (state.clock)())
        .await?;
    Ok((StatusCode::CREATED, Json(MergeView::from(m))))
}

/// Undo a merge: both records count as themselves again, exactly as before.
#[utoipa::path(
    post,
    path = "/api/v1/actors/merges/{id}/split",
    tag = "registers",
    params(("id" = i64, Path, description = "Merge number")),
    request_body = SplitMerge,
    responses(
        (status = 200, description = "Split", body = MergeView),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 403, description = "The role may not write", body = ErrorBody),
        (status = 404, description = "No such merge", body = ErrorBody),
        (status = 409, description = "Already split", body = ErrorBody),
    )
)]
pub async fn split(
    State(state): State<AppState>,
    Writer(caller): Writer,
    id: Result<Path<String>, PathRejection>,
    JsonBody(body): JsonBody<SplitMerge>,
) -> Result<Json<MergeView>, ApiError> {
    let id = number(id)?;
    let reason = body.reason.as_deref().unwrap_or("");
    reason_field("reason", reason)?;
    let m = state
        .store
        .split_actor_merge(id, Some(reason), &caller.name, (state.clock)())
        .await?;
    Ok(Json(m.into()))
}

/// An actor's merges (standing and split) and the names it goes by, with their provenance.
#[utoipa::path(
    get,
    path = "/api/v1/actors/{id}/merges",
    tag = "registers",
    params(("id" = String, Path, description = "Actor id")),
    responses(
        (status = 200, description = "The merges and names", body = ActorMerges),
        (status = 401, description = "No valid bearer token", body = ErrorBody),
        (status = 404, description = "No such actor", body = ErrorBody),
    )
)]
pub async fn merges(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Json<ActorMerges>, ApiError> {
    let Ok(Path(id)) = id else {
        return Err(ApiError::NotFound);
    };
    let id = ActorId::parse(&id).map_err(|_| ApiError::NotFound)?;
    let effective = state.store.effective_actor(&id).await?;
    let merges = state.store.actor_merges(&id).await?;
    Ok(Json(ActorMerges {
        actor: id.as_str().to_owned(),
        merged_into: effective.merged_into.map(MergeView::from),
        merges: merges.into_iter().map(MergeView::from).collect(),
        aliases: effective.aliases.into_iter().map(AliasView::from).collect(),
    }))
}
