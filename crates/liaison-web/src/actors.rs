//! The actors' screens: `/ui/actors`, every actor with a link to its graph, and
//! `/ui/actors/{id}/graph`, the actor's neighbourhood in the link graph drawn with Cytoscape.js
//! (`web/src/actor-graph.js`, embedded as `static/dist/actor-graph.js`), with the same edges
//! listed in a table so the page is readable without the script, and GraphML and JSON exports.
//!
//! The graph is `liaison_core::actor_graph`'s, read by `Store::actor_graph`, exactly as the API
//! and the CLI give it; this module renders it. Every role may read these screens. Reviewing and
//! merging actors is not here.

use askama::Template;
use axum::Json;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use liaison_core::actor_graph::{ActorGraph, Filter, MAX_DEPTH};
use liaison_core::{ActorId, GraphError};
use serde::Deserialize;

use crate::WebState;
use crate::assets;
use crate::layout::{Page, failure, not_found, render};
use crate::session::{Screen, Session};

/// The depth a graph page opens at.
const DEFAULT_DEPTH: u32 = 2;

/// One actor of the list.
struct ActorRow {
    id: String,
    name: String,
    kind: String,
    relations: usize,
    href: String,
}

#[derive(Template)]
#[template(path = "actors.html")]
struct ListPage {
    page: Page,
    rows: Vec<ActorRow>,
}

/// One edge of the graph, as words.
struct EdgeRow {
    source: String,
    kind: String,
    target: String,
    span: String,
    reference: String,
    weight: u64,
}

#[derive(Template)]
#[template(path = "actor_graph.html")]
struct GraphPage {
    page: Page,
    name: String,
    id: String,
    depth: u32,
    depths: Vec<u32>,
    count: String,
    edges: Vec<EdgeRow>,
    data_url: String,
    graphml_url: String,
    i18n_json: String,
    graph_js: String,
}

#[derive(Deserialize)]
struct DepthQuery {
    depth: Option<String>,
}

/// The href of an actor's graph page.
pub fn graph_href(id: &str) -> String {
    format!("/ui/actors/{}/graph", urlencoding(id))
}

/// Percent-encodes what a path segment may not hold as is (actor ids are `scheme:rest`).
fn urlencoding(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~:".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

async fn list(State(state): State<WebState>, s: Session) -> Response {
    let member = state.app.member.as_str();
    if let Err(refused) = s.require(Screen::Actors) {
        return refused;
    }
    let actors = match state.app.store.actors().await {
        Ok(a) => a,
        Err(e) => return failure(&s, member, &e),
    };
    let rows = actors
        .iter()
        .map(|a| ActorRow {
            id: a.id.as_str().to_owned(),
            name: a.name.clone(),
            kind: s.tr.t(&format!("actors-kind-{}", kind_word(a.kind))),
            relations: a.relations.len(),
            href: graph_href(a.id.as_str()),
        })
        .collect();
    render(&ListPage {
        page: Page::new(&s, member, Screen::Actors, "actors-title", "/ui/actors"),
        rows,
    })
}

/// The depth asked for, 1 to [`MAX_DEPTH`]; anything else is the default.
fn depth_of(q: &DepthQuery) -> u32 {
    q.depth
        .as_deref()
        .and_then(|d| d.trim().parse::<u32>().ok())
        .filter(|d| (1..=MAX_DEPTH).contains(d))
        .unwrap_or(DEFAULT_DEPTH)
}

/// The neighbourhood of `raw` (an actor id from the path), or the response to give instead.
async fn neighbourhood(
    state: &WebState,
    s: &Session,
    raw: &str,
    depth: u32,
) -> Result<(ActorGraph, String), Response> {
    let member = state.app.member.as_str();
    s.require(Screen::Actors)?;
    let Ok(id) = ActorId::parse(raw) else {
        return Err(not_found(s, member));
    };
    let graph = state
        .app
        .store
        .actor_graph()
        .await
        .map_err(|e| failure(s, member, &e))?;
    match graph.neighbourhood(&id, depth, &Filter::default()) {
        Ok(sub) => {
            let name = sub.node(&id).map(|n| n.name.clone()).unwrap_or_default();
            Ok((sub, name))
        }
        Err(GraphError::UnknownActor(_)) => Err(not_found(s, member)),
        Err(e) => Err(failure(s, member, &e)),
    }
}

async fn graph_page(
    State(state): State<WebState>,
    s: Session,
    Path(raw): Path<String>,
    Query(q): Query<DepthQuery>,
) -> Response {
    let depth = depth_of(&q);
    let (sub, name) = match neighbourhood(&state, &s, &raw, depth).await {
        Ok(g) => g,
        Err(r) => return r,
    };
    let name_of = |id: &ActorId| {
        sub.node(id)
            .map_or_else(|| id.as_str().to_owned(), |n| n.name.clone())
    };
    let edges = sub
        .edges
        .iter()
        .map(|e| EdgeRow {
            source: name_of(&e.source),
            kind: s.tr.t(&format!(
                "actors-edge-{}",
                e.kind.as_str().replace('_', "-")
            )),
            target: name_of(&e.target),
            span: match (e.from, e.until) {
                (None, None) => String::new(),
                (f, u) => format!(
                    "{} – {}",
                    f.map(|d| s.tr.date(d)).unwrap_or_default(),
                    u.map(|d| s.tr.date(d)).unwrap_or_default()
                ),
            },
            reference: e.reference.clone().unwrap_or_default(),
            weight: e.weight,
        })
        .collect();
    let path = graph_href(&raw);
    let mut strings = serde_json::Map::new();
    for k in ["error", "loading"] {
        strings.insert(k.into(), s.tr.t(&format!("actors-js-{k}")).into());
    }
    // `</` cannot appear in the JSON island: the parser would end the script element there.
    let i18n_json = serde_json::Value::Object(strings)
        .to_string()
        .replace("</", "<\\/");
    render(&GraphPage {
        page: Page::new(
            &s,
            state.app.member.as_str(),
            Screen::Actors,
            "actor-graph-title",
            &path,
        ),
        name,
        id: raw.clone(),
        depth,
        depths: (1..=MAX_DEPTH).collect(),
        count: s.tr.ta(
            "actor-graph-count",
            &[
                ("nodes", (sub.nodes.len() as i64).into()),
                ("edges", (sub.edges.len() as i64).into()),
            ],
        ),
        edges,
        data_url: format!("{path}.json?depth={depth}"),
        graphml_url: format!("{path}.graphml?depth={depth}"),
        i18n_json,
        graph_js: assets::url("dist/actor-graph.js"),
    })
}

async fn graph_json(
    State(state): State<WebState>,
    s: Session,
    Path(raw): Path<String>,
    Query(q): Query<DepthQuery>,
) -> Response {
    match neighbourhood(&state, &s, &raw, depth_of(&q)).await {
        Ok((sub, _)) => Json(sub.to_cytoscape()).into_response(),
        Err(r) => r,
    }
}

async fn graph_graphml(
    State(state): State<WebState>,
    s: Session,
    Path(raw): Path<String>,
    Query(q): Query<DepthQuery>,
) -> Response {
    match neighbourhood(&state, &s, &raw, depth_of(&q)).await {
        Ok((sub, _)) => (
            [
                (
                    header::CONTENT_TYPE,
                    "application/graphml+xml; charset=utf-8",
                ),
                (
                    header::CONTENT_DISPOSITION,
                    "attachment; filename=\"actor-graph.graphml\"",
                ),
            ],
            sub.to_graphml(),
        )
            .into_response(),
        Err(r) => r,
    }
}

fn kind_word(k: liaison_core::ActorKind) -> &'static str {
    use liaison_core::ActorKind as K;
    match k {
        K::Government => "government",
        K::ArmedGroup => "armed-group",
        K::CriminalNetwork => "criminal-network",
        K::Community => "community",
        K::Organisation => "organisation",
        K::Person => "person",
    }
}

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ui/actors", get(list))
        .route("/ui/actors/{id}/graph", get(graph_page))
        .route("/ui/actors/{id}/graph.json", get(graph_json))
        .route("/ui/actors/{id}/graph.graphml", get(graph_graphml))
}
