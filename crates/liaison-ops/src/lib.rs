//! Operations and forces of the joint command: what members declare they are doing where and
//! when, whom it concerns, and what they have pledged, committed and deployed.
//!
//! - [`operation`]: an operation (declaring member, participants, area, window, kind,
//!   objective, status) and its validation, every error naming its field.
//! - [`area`]: where: a bounding box, a zone (copied when declared) or polygons.
//! - [`deconflict`]: conflicts between operations of different members that overlap in space
//!   and time, and minimal notices to the neighbours of an operation near a border, from an
//!   R-tree built once over the declared operations ([`Deconflictor`]).
//! - [`forces`]: dated contribution records and the pledged-versus-committed views per member
//!   and zone, with the brief's pledge and assets table as base data.
//! - [`sectors`]: patrol sectors with their community contacts, and a proposed allocation of
//!   committed troops to them (a greedy water-filling with a stated bound).
//! - [`scenario`]: the built-in scenario's joint operations and the incidents they link to.
//! - [`watch`]: members' watch rules (event types, actors, zones, countries, casualty
//!   minimums, thresholds), the rule file, and an index that finds the rules an incident
//!   matches with the reasons why.
//! - [`alerts`]: an alert's states and the forward-only moves between them, response-time
//!   figures and durations for people.
//!
//! **Rule of this crate: pure.** No I/O, no clock, no randomness, no SQL, no HTTP: dates, ids
//! and declared operations come from the caller, and the same inputs give the same conflicts
//! and notices on every node. Storing, listing and (later) sending notices are the store's, the
//! CLI's and the server's. Checked by `scripts/check-invariants`.

pub mod alerts;
pub mod area;
pub mod deconflict;
pub mod forces;
pub mod operation;
pub mod scenario;
pub mod sectors;
#[cfg(test)]
mod testing;
pub mod watch;

pub use alerts::{AlertState, ResponseTimes, TransitionError};
pub use area::{Area, parse_area_geojson};
pub use deconflict::{Conflict, Deconflictor, Notice, NoticeContent, Settings};
pub use forces::{Force, ForcesView, UnitType};
pub use operation::{Kind, Operation, Status};
pub use sectors::{Allocation, Constraint, Contact, MemberTroops, Sector, SectorLoad, allocate};
pub use watch::{
    RuleErrors, RuleMatch, Threshold, WatchIndex, WatchRule, parse_rules, threshold_met,
};
