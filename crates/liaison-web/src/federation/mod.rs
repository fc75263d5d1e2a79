//! The federation as this node's own users see it: its peers and the sync with each (`peers`,
//! for every role), and its disclosure ledger with the checkpoints, witnesses and alarms
//! (`ledger`, for liaison officers, administrators and auditors).
//!
//! Both read exactly what the JSON API and `liaison audit` read, so a failing peer or an alarm
//! is shown here as soon as the node knows of it, and never hidden behind a summary.

mod ledger;
mod peers;

use axum::Router;
use axum::routing::get;

use crate::WebState;

pub fn routes() -> Router<WebState> {
    Router::new()
        .route("/ui/peers", get(peers::page))
        .route("/ui/ledger", get(ledger::page))
}
