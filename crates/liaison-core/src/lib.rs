//! The domain of a Liaison node: incidents at the grade of ACLED and UCDP GED, their sources and
//! markings, members, actors, places, and the taxonomy that maps onto ACLED and UCDP codes.
//!
//! This crate is pure. It never does I/O, never reads the clock and never draws random numbers:
//! identifiers and timestamps are given to it by the edge (CLI, server, importers). It knows no
//! SQL, no HTTP and no wire format beyond `serde` derives; the JSON field names it declares are
//! the documented, stable shape that the CLI's `--json` and the API print.

pub mod actor;
pub mod actor_graph;
pub mod agreement;
pub mod characterisation;
pub mod country;
pub mod date;
pub mod error;
pub mod field_report;
pub mod ids;
pub mod incident;
pub mod location;
pub mod markings;
pub mod member;
pub mod place;
pub mod query;
pub mod source;
pub mod taxonomy;
pub mod text;

pub use actor::{Actor, ActorKind, ActorRelation, Alias, RelationKind, Script};
pub use actor_graph::{ActorGraph, CoOccurrence, EdgeKind, GraphError, co_occurrences};
pub use agreement::{
    Agreement, AgreementId, CoarsePrecision, LocationCoarsening, Obligations, Scope, TimeRounding,
};
pub use characterisation::{Category, Characterisation, Confidence, crosswalk};
pub use date::{DatePrecision, DateSpan};
pub use error::{FieldError, ValidationErrors};
pub use ids::{ActorId, CountryCode, IncidentId};
pub use incident::{
    ActorRole, Casualties, Fatalities, Incident, IncidentActor, IncidentContent, Lang, Narrative,
    Provenance,
};
pub use location::{BBox, GeoPoint, Location, LocationPrecision};
pub use markings::{Classification, Markings, Tlp};
pub use member::{Member, MilitaryAssets};
pub use place::Place;
pub use query::{IncidentFilter, STATS_COUNT_COLUMNS, StatsDimension, StatsRow, TypeFilter};
pub use source::{Credibility, Reliability, Source};
pub use taxonomy::{EventType, SubType};
