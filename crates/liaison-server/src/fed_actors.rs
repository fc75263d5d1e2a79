//! Actor matching on the federation listener: a registered peer asks whether this node holds an
//! actor, sending only blinded keys (`liaison_names::blind`), and gets handles with key counts;
//! it may then ask for the record behind a handle, which it gets only when this node's
//! agreements already release to it an incident naming that actor. Both answer only a peer one
//! of our agreements in force names; anything else is the listener's one 404, logged with its
//! reason. No name is ever compared or returned in clear in a query's answer. The same listener
//! serves this node's reciprocity figures to every registered peer.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};
use liaison_core::ActorId;
use liaison_names::blind::{BlindIndex, MAX_QUERY_KEYS, handle, is_blind_key};
use liaison_policy::{Decision, notices_allowed};
use liaison_sync::actor_match::{
    FetchQuery, MAX_ANSWERS, MatchAnswer, MatchQuery, PURPOSE, ReleasedActor,
};

use crate::federation::{Compiled, FederationState, Refusal, guarded};

/// Keys an answer must share with the query (fewer only when the query has fewer).
const MIN_SHARED_KEYS: usize = 2;
/// Incidents naming an actor examined for a release decision.
const RELEASE_CANDIDATES: usize = 200;

/// The secret shared with `peer`, and whether any agreement in force names it.
fn secret_for(
    state: &FederationState,
    compiled: &Compiled,
    peer: &liaison_core::CountryCode,
) -> Result<[u8; 32], Refusal> {
    let today = (state.clock)().date();
    if !notices_allowed(&compiled.policy, peer, today) {
        return Err(Refusal::not_found(format!(
            "{peer} asked about actors; no agreement in force names it"
        )));
    }
    let key = compiled
        .peers
        .get(peer)
        .ok_or_else(|| Refusal::not_found(format!("{peer} has no registered key")))?;
    Ok(state.key.pair_secret(&state.own, peer, key, PURPOSE))
}

fn kind_of(a: &liaison_core::Actor) -> String {
    serde_json::to_value(a.kind)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// `POST /liaison/v1/actors/match`.
pub async fn match_actors(
    State(state): State<FederationState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let st = state.clone();
    let raw = body.clone();
    guarded(&state, method, uri, headers, body, |peer, compiled| async move {
        let secret = secret_for(&st, &compiled, &peer)?;
        let q: MatchQuery = serde_json::from_slice(&raw)
            .map_err(|e| Refusal::bad_request(format!("actor query: {e}")))?;
        if q.keys.is_empty() || q.keys.len() > MAX_QUERY_KEYS {
            return Err(Refusal::bad_request(format!(
                "actor query: keys: 1 to {MAX_QUERY_KEYS} blinded keys"
            )));
        }
        if let Some(bad) = q.keys.iter().position(|k| !is_blind_key(k)) {
            return Err(Refusal::bad_request(format!(
                "actor query: keys[{bad}]: not a blinded key (32 lower-case hex digits)"
            )));
        }
        let actors = st.store.actors().await.map_err(Refusal::internal)?;
        let entries: Vec<(String, String, Vec<String>)> = actors
            .iter()
            .map(|a| {
                let mut names = vec![a.name.clone()];
                names.extend(a.aliases.iter().map(|x| x.name.clone()));
                (a.id.to_string(), kind_of(a), names)
            })
            .collect();
        let index = BlindIndex::new(&secret, &entries);
        let matches = index.answer(&q.keys, q.kind.as_deref(), MIN_SHARED_KEYS, MAX_ANSWERS);
        tracing::info!(%peer, keys = q.keys.len(), answers = matches.len(), "blinded actor query answered");
        Ok(Json(MatchAnswer { matches }).into_response())
    })
    .await
}

/// `POST /liaison/v1/actors/fetch`: the record behind a handle, when an incident naming the
/// actor is releasable to the asker today.
pub async fn fetch_actor(
    State(state): State<FederationState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let st = state.clone();
    let raw = body.clone();
    guarded(
        &state,
        method,
        uri,
        headers,
        body,
        |peer, compiled| async move {
            let secret = secret_for(&st, &compiled, &peer)?;
            let q: FetchQuery = serde_json::from_slice(&raw)
                .map_err(|e| Refusal::bad_request(format!("actor fetch: {e}")))?;
            let actors = st.store.actors().await.map_err(Refusal::internal)?;
            let unknown = || Refusal::not_found(format!("{peer} fetched an unknown handle"));
            let actor = actors
                .iter()
                .find(|a| handle(&secret, a.id.as_str()) == q.handle)
                .ok_or_else(unknown)?;
            let today = (st.clock)().date();
            let incidents = st
                .store
                .incidents_naming_actor(actor.id.as_str(), RELEASE_CANDIDATES)
                .await
                .map_err(Refusal::internal)?;
            // Only our own incidents are ours to release (others' go by their originators' terms).
            let released: Vec<String> = incidents
                .iter()
                .filter(|i| i.originator == st.own)
                .filter(|i| {
                    matches!(
                        compiled.policy.decide(&peer, i, today),
                        Decision::Allow { .. }
                    )
                })
                .map(|i| i.id.to_string())
                .collect();
            if released.is_empty() {
                return Err(Refusal::not_found(format!(
                    "{peer} fetched {}: no incident naming it is released to {peer}",
                    ActorId::as_str(&actor.id)
                )));
            }
            Ok(Json(ReleasedActor {
                handle: q.handle,
                id: actor.id.to_string(),
                kind: kind_of(actor),
                name: actor.name.clone(),
                aliases: actor.aliases.iter().map(|a| a.name.clone()).collect(),
                incidents: released,
            })
            .into_response())
        },
    )
    .await
}

/// `GET /liaison/v1/reciprocity`: this node's reciprocity figures, for any registered peer (they
/// are published to every member by design; they name members, counts and times, nothing else).
pub async fn reciprocity(
    State(state): State<FederationState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let st = state.clone();
    guarded(
        &state,
        method,
        uri,
        headers,
        body,
        |_peer, _compiled| async move {
            let rows = st
                .store
                .reciprocity(st.own.as_str())
                .await
                .map_err(Refusal::internal)?;
            let views: Vec<crate::alerts::ReciprocityView> = rows
                .iter()
                .map(crate::alerts::ReciprocityView::from)
                .collect();
            Ok(Json(views).into_response())
        },
    )
    .await
}
