//! Built-in scenarios: data that ships with the program so that a node can be tried, demonstrated
//! and tested on real facts before any partner shares anything.
//!
//! The one scenario, `sahel-2012`, holds what the Africa Center for Strategic Studies brief
//! *Regional Security Cooperation in the Maghreb and Sahel: Algeria's Pivotal Ambivalence*
//! (Africa Security Brief No. 18, February 2012) names: the members of the Joint Military Command
//! and of the intelligence cell with their military assets, the actors, the places, the
//! infrastructure at risk and the dated incidents, each incident graded and attributed to the
//! brief. The facts live in `data/sahel-2012.json`, which a person can read and edit; this crate
//! embeds it with `include_str!`, checks it and converts it into `liaison-core` types.
//!
//! What it is not: an importer of outside files (that is `liaison-import`), or a store. It never
//! does I/O and never reads the clock. It suggests no originator for the incidents: whoever loads
//! the scenario stores them as its own imports.

mod file;
#[cfg(test)]
mod tests;

use liaison_core::{Actor, CountryCode, IncidentContent, IncidentId, Member, Place, Source};
use serde::Serialize;

/// The names of the built-in scenarios, for `liaison scenario list` and error messages.
pub fn names() -> &'static [&'static str] {
    &[SAHEL_2012]
}

/// Loads a built-in scenario by name.
pub fn load(name: &str) -> Result<Scenario, ScenarioError> {
    match name {
        SAHEL_2012 => parse(SAHEL_2012_JSON),
        _ => Err(ScenarioError::Unknown {
            name: name.to_owned(),
            known: names().to_vec(),
        }),
    }
}

const SAHEL_2012: &str = "sahel-2012";
const SAHEL_2012_JSON: &str = include_str!("../data/sahel-2012.json");

/// A scenario, checked: every id is valid and unique, every reference (place key, actor slug)
/// resolves, every incident validates.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    pub name: &'static str,
    /// The document the scenario's facts come from, graded.
    pub source: Source,
    /// The attribution every incident's provenance carries.
    pub attribution: String,
    /// Editorial notes from the data file: how dates, places, figures and grades were coded.
    pub notes: Vec<String>,
    /// Members of the Joint Military Command and of the intelligence cell.
    pub members: Vec<Member>,
    /// States the brief asks to bring into the territory of action (the cocaine-transit states)
    /// that are not members: both `joint_command` and `fusion_cell` are false.
    pub partners: Vec<Member>,
    pub actors: Vec<Actor>,
    pub places: Vec<Place>,
    pub infrastructure: Vec<Infrastructure>,
    /// Ids are `sahel-2012:<slug>`; provenance is `sahel-2012` / `<slug>`.
    pub incidents: Vec<(IncidentId, IncidentContent)>,
}

/// A piece of infrastructure the brief names as at risk.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Infrastructure {
    pub name: String,
    pub description: String,
    /// The countries it crosses or was meant to cross.
    pub countries: Vec<CountryCode>,
    /// Keys of the scenario's places it is tied to (the highway stops at `tamanrasset`).
    pub places: Vec<String>,
}

/// Why a scenario could not be loaded. Every variant says what to fix and where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScenarioError {
    #[error("unknown scenario '{name}': the built-in scenarios are {}", known.join(", "))]
    Unknown {
        name: String,
        known: Vec<&'static str>,
    },
    /// The file is not JSON, or a value has the wrong shape. `path` is the JSON path of the
    /// value (`incidents[3].date.start`), `line` and `column` its position (1-based).
    #[error("scenario file: {path} (line {line}, column {column}): {message}")]
    Syntax {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    /// The file is well-formed but its content breaks a rule (a duplicate slug, an unknown place
    /// key, an incident that does not validate). `path` names the offending value.
    #[error("scenario file: {path}: {message}")]
    Invalid { path: String, message: String },
}

/// Parses and checks a scenario file. `load` uses it on the embedded files; tests use it on
/// corrupted copies.
pub(crate) fn parse(text: &str) -> Result<Scenario, ScenarioError> {
    let raw = file::read(text)?;
    file::convert(raw)
}
