//! STIX 2.1 for Liaison: the mapping from the domain to STIX objects and back, and the parsing
//! and validation of bundles and TAXII envelopes that come from outside.
//!
//! This crate is pure. It never does I/O, never reads the clock and never draws random numbers:
//! timestamps are parameters, and every id is derived (UUIDv5 from a fixed Liaison namespace and
//! `"{type}:{originator}:{local id}"`), so exporting the same data twice gives the same bundle.
//! It knows nothing of storage: the CLI reads the store, calls [`export::export_bundle`], and
//! stores what [`bundle::parse`] and [`import::map_object`] return.
//!
//! Map of the crate:
//! - [`ids`]: the namespace, derived ids, the syntax of STIX ids and type names;
//! - [`timestamp`]: STIX timestamps, written with millisecond precision, read strictly;
//! - [`extension`]: our published `extension-definition` and the properties it carries;
//! - [`markings`]: TLP 2.0 (the official OASIS objects), classification and releasability;
//! - [`region`]: ISO 3166 countries to the STIX region vocabulary (UN M49 sub-regions);
//! - [`export`], [`location`], [`actors`], [`report`]: domain → objects (the report and notes
//!   are for MISP);
//! - [`bundle`]: limits, the envelope parser and the bundle writer;
//! - [`validate`]: the checks every incoming object passes before anything is stored;
//! - [`import`]: objects → domain (our incidents, actors).
//!
//! The mapping, field by field, is documented in `docs/stix-mapping.md`.

pub mod actors;
pub mod bundle;
pub mod error;
pub mod export;
pub mod extension;
pub mod ids;
pub mod import;
pub mod location;
pub mod markings;
pub mod region;
pub mod report;
pub mod timestamp;
pub mod validate;

pub use bundle::{
    Bundle, EnvelopeKind, MAX_BUNDLE_BYTES, MAX_JSON_DEPTH, MAX_OBJECTS, MAX_STRING_BYTES, Parsed,
    ParsedObject, parse,
};
pub use error::{EnvelopeError, ObjectError};
pub use export::{ExportContext, IncidentRecord, export_bundle};
pub use extension::{EXTENSION_ID, LIAISON_IDENTITY_ID};
pub use import::{Mapped, map_object};
