//! The map's alerts layer (`/ui/map/layers/alerts.geojson`): every open alert at its incident's
//! point, its state the colour the script draws it in, its words already in the reader's
//! language. New incidents are matched against the watch rules first, as the alert list does.
//! An alert whose incident has no point (or is gone: a partner recalled it) is not drawn; the
//! alert list still shows it.

use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use liaison_core::IncidentId;
use liaison_store::{AlertFilter, MAX_ALERTS};
use serde_json::{Value, json};

use crate::WebState;
use crate::layout::failure;
use crate::session::{Screen, Session};

pub async fn alerts_layer(State(state): State<WebState>, s: Session) -> Response {
    if let Err(refused) = s.require(Screen::Alerts) {
        return refused;
    }
    let member = state.app.member.as_str();
    let store = &state.app.store;
    if let Err(e) = liaison_server::alerts::scan(store, (state.app.clock)()).await {
        return failure(&s, member, &e);
    }
    let open = AlertFilter {
        open_only: true,
        limit: MAX_ALERTS,
        ..Default::default()
    };
    let alerts = match store.alerts(&open).await {
        Ok(a) => a,
        Err(e) => return failure(&s, member, &e),
    };
    let mut features: Vec<Value> = Vec::with_capacity(alerts.len());
    for a in &alerts {
        let Ok(id) = IncidentId::parse(&a.incident_id) else {
            continue;
        };
        let Some(point) = store
            .get_incident(&id)
            .await
            .ok()
            .and_then(|i| i.content.location.point)
        else {
            continue;
        };
        let origin = super::origin(&s.tr, a);
        features.push(json!({
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [point.lon, point.lat]},
            "properties": {
                "id": a.id,
                "state": a.state.as_str(),
                "state_label": super::state_label(&s.tr, a.state),
                "origin": origin,
                "incident": a.incident_id,
                "raised": s.tr.timestamp(&a.raised_at),
                "href": format!("/ui/alerts/{}", a.id),
            },
        }));
    }
    Json(json!({"type": "FeatureCollection", "features": features})).into_response()
}
