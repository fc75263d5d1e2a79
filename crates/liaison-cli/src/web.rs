//! The web application as `liaison serve` and `liaison demo` mount it: the API's state, the
//! operating system's random source, and the agreement preview made by the real egress
//! pipeline with the node's key (only when the node has a federation identity: the preview
//! never makes one as a side effect).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Result;
use liaison_core::CountryCode;
use liaison_server::AppState;
use liaison_web::{PreviewFn, PreviewItem, WebState};

use crate::federation::identity::KEY_FILE;
use crate::node::Node;

/// The API and the web application together, ready to serve.
pub fn app(state: AppState, dir: &Path) -> axum::Router {
    let web = WebState {
        app: state.clone(),
        random: Arc::new(crate::users::random_bytes),
        secure_cookies: false,
        preview: preview_fn(&state, dir),
        throttle: Default::default(),
    };
    liaison_server::app(state, liaison_web::router(web))
}

fn preview_fn(state: &AppState, dir: &Path) -> Option<PreviewFn> {
    if !dir.join(KEY_FILE).exists() {
        return None;
    }
    let dir: PathBuf = dir.to_owned();
    let store = state.store.clone();
    let member = state.member.clone();
    Some(Arc::new(move |to: CountryCode| {
        let node = Node {
            member: member.clone(),
            store: store.clone(),
        };
        let dir = dir.clone();
        Box::pin(async move {
            releases(&node, &dir, &to)
                .await
                .map_err(|e| format!("{e:#}"))
        })
    }))
}

/// What `to` would receive now, as `liaison agreement preview` computes it.
async fn releases(node: &Node, dir: &Path, to: &CountryCode) -> Result<Vec<PreviewItem>> {
    let releases = crate::federation::agreements::releases(node, dir, to).await?;
    Ok(releases
        .iter()
        .map(|r| PreviewItem {
            incident_id: r.incident_id().to_string(),
            version: r.version(),
            agreement: r.agreement().map(|(a, v)| (a.to_string(), v)),
            applied: r.applied().iter().map(|a| a.code()).collect(),
            object: r.sealed().object().clone(),
        })
        .collect())
}
