//! Parsers of published event data, UCDP GED and ACLED, into Liaison incidents
//! ([`liaison_core::IncidentContent`]), streaming, with line-precise errors.
//!
//! [`open`] reads the header of any [`std::io::Read`] and returns a [`Reader`], an iterator that
//! yields, for every data record, either a [`ParsedRow`] or a [`RowError`] naming the line (and
//! the column, when one is at fault). A bad record never stops the iteration: whether an import
//! is all-or-nothing or skips invalid rows is the caller's decision. A file that cannot be read as
//! the dataset at all is a [`HeaderError`], which names every missing required column.
//!
//! What this crate is not: it does no I/O of its own (no paths, no network), reads no clock,
//! touches no database, and never patches a damaged record together. Every [`ParsedRow`] holds an
//! incident that passes [`liaison_core::IncidentContent::validate`]; the incident's id is derived
//! from the record (`ucdp-ged:<id>`, `acled:<event_id_cnty>`), so importing a file twice is a no-op
//! downstream. Columns are always found by name, never by position.
//!
//! # UCDP GED → incident
//!
//! Official GED CSV names and the per-country exports' variants (`best_est`, `high_est`,
//! `low_est`; dates `MM/DD/YYYY 00:00:00`; a trailing empty field on every row) are both read.
//! Required: `id`, `type_of_violence`, `date_start`, `date_end`, `date_prec`, `latitude`,
//! `longitude`, `best`, `low`, `high` (or their `_est` forms), and `country_id` or `country`.
//!
//! | GED column | incident field |
//! |---|---|
//! | `id` | id `ucdp-ged:<id>`; `provenance.record_id`; must be a whole number |
//! | `type_of_violence` | `sub_type` by `SubType::from_ucdp` (1 → clash with armed forces, 2 → armed clash, 3 → attack on civilians); `provenance.original_type` `type_of_violence=N` |
//! | `date_start`, `date_end` | `date.start`, `date.end` (`YYYY-MM-DD`, optionally with a time, or `MM/DD/YYYY`); end before start is refused |
//! | `date_prec` | `date.precision`: 1 day, 2 and 3 week, 4 month, 5 year |
//! | `latitude`, `longitude` | `location.point` (WGS84; out of range is refused) |
//! | `where_prec` | `location.precision`: 1 exact, 2 near, 3 admin2, 4 and 5 admin1, 6 and 7 country; column absent → country (claim no more than is known) |
//! | `where_coordinates` | `location.place_name` |
//! | `adm_1`, `adm_2` | `location.admin1`, `location.admin2`, verbatim ("Gao region", "Ansongo cercle") |
//! | `country_id` | `location.country` via the Gleditsch–Ward code; when empty or absent, `country` by name |
//! | `dyad_name` (else `conflict_name`) + place | `title`: `"<dyad>: <where_coordinates>"`, the place falling back to adm_2, adm_1, the country's name |
//! | `side_a`, `side_b` | actors with roles side A / side B; `actor_id` `ucdp-actor:<side_x_new_id>` when that id is given |
//! | `best`, `low`, `high` | `casualties.fatalities` best / low / high, exactly as published; when they break low ≤ best ≤ high (a bound off by one in some per-country exports) the row is still kept, figures unchanged, and `fatalities.dispute` names the three figures |
//! | `source_headline` | `narrative` (English) and the source's `reference` |
//! | `source_office`, `source_date` | one source per row: name `source_office` (else "UCDP GED"), date the first `YYYY-MM-DD` in `source_date` |
//! | `event_clarity` | the source's grade: B2, or B3 when `event_clarity` is 2 |
//! | — | `markings` open (unclassified, TLP:CLEAR); `provenance.attribution` the GED citation |
//!
//! Not kept: `relid`, `year`, `active_year`, `code_status`, the `*_dset_id`/`*_new_id` of
//! conflicts and dyads, `number_of_sources`, `source_article`, `source_original`,
//! `where_description`, `geom_wkt`, `priogrid_gid`, `region`, `deaths_*`, `gwnoa`, `gwnob`.
//!
//! # ACLED → incident
//!
//! Required: `event_id_cnty`, `event_date`, `time_precision`, `event_type`, `sub_event_type`,
//! `actor1`, `latitude`, `longitude`, `geo_precision`, `fatalities`, and `iso` or `country`.
//!
//! | ACLED column | incident field |
//! |---|---|
//! | `event_id_cnty` | id `acled:<event_id_cnty>`; `provenance.record_id` |
//! | `event_date` | `date.start` = `date.end` (`YYYY-MM-DD` or `D Month YYYY`) |
//! | `time_precision` | `date.precision`: 1 day, 2 week, 3 month |
//! | `event_type`, `sub_event_type` | `sub_type` by `SubType::from_acled`; `provenance.original_type` `"<event_type> / <sub_event_type>"` |
//! | `actor1`, `actor2` | actors with roles side A / side B (ACLED's actor 1 and 2 are not perpetrator and target) |
//! | `assoc_actor_1`, `assoc_actor_2` | one participant actor per `;`-separated name |
//! | `iso` | `location.country` via ISO 3166-1 numeric; when empty or absent, `country` by name |
//! | `location`, `admin1`, `admin2` | `location.place_name`, `.admin1`, `.admin2` |
//! | `latitude`, `longitude` | `location.point` |
//! | `geo_precision` | `location.precision`: 1 exact, 2 near, 3 admin1 |
//! | `fatalities` | `casualties.fatalities`, exact (best = low = high) |
//! | `notes` | `narrative` (English) |
//! | `source` | one source per `;`-separated name (else one named "ACLED"), graded B2 |
//! | `sub_event_type` + place | `title`: `"<sub_event_type>: <location>"` |
//! | — | `markings` open; `provenance.attribution` "ACLED (Armed Conflict Location & Event Data), acleddata.com" |
//!
//! Not kept: `year`, `disorder_type`, `inter1`, `inter2`, `interaction`, `civilian_targeting`,
//! `region`, `admin3`, `source_scale`, `tags`, `timestamp`.
//!
//! # UCDP actor list → actors
//!
//! [`open_actors`] reads the UCDP actor list (`ActorId`, `NameData`, `Org`, the name and history
//! columns) into [`liaison_core::Actor`] records with id `ucdp-actor:<ActorId>`, the id GED
//! events' sides carry, and their history as relations; see `ucdp_actors.rs` and
//! `docs/import-mapping.md`.
//!
//! # Long values and damaged files
//!
//! Text longer than the incident model allows (300 characters for titles and names, 1,200 for a
//! source reference, 20,000 for a narrative) is cut, the cut marked with `…`. A record whose
//! field count differs from the header's is refused whole; so is a file re-saved by a spreadsheet
//! with `;` as separator, record by record, except the records it left whole (see
//! [`Reader::notice`]). The full mapping, with the reasoning, is in `docs/import-mapping.md`.

mod acled;
mod columns;
mod countries;
mod error;
mod fields;
mod layout;
mod reader;
mod ucdp;
mod ucdp_actors;

pub use error::{HeaderError, RowError};
pub use reader::Reader;
pub use ucdp_actors::{ActorReader, ParsedActor, actor_list_source, open_actors};

/// The datasets this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Dataset {
    /// UCDP Georeferenced Event Dataset, any version with the GED 23.1 column names.
    UcdpGed,
    /// ACLED event data in the codebook's column names.
    Acled,
}

impl Dataset {
    /// Every dataset, for help texts.
    pub const ALL: [Dataset; 2] = [Dataset::UcdpGed, Dataset::Acled];

    /// The dataset's name in ids and provenance: `ucdp-ged`, `acled`.
    pub fn name(self) -> &'static str {
        match self {
            Dataset::UcdpGed => "ucdp-ged",
            Dataset::Acled => "acled",
        }
    }

    /// The name for people: `UCDP GED`, `ACLED`.
    pub fn title(self) -> &'static str {
        match self {
            Dataset::UcdpGed => "UCDP GED",
            Dataset::Acled => "ACLED",
        }
    }

    /// The attribution the dataset's licence or terms require, kept on every imported incident.
    pub fn attribution(self) -> &'static str {
        match self {
            Dataset::UcdpGed => {
                "UCDP Georeferenced Event Dataset (GED) Global version 23.1, Uppsala Conflict Data \
                 Program, CC BY 4.0 (Sundberg & Melander 2013; Davies, Pettersson & Öberg 2023)"
            }
            Dataset::Acled => "ACLED (Armed Conflict Location & Event Data), acleddata.com",
        }
    }

    /// The dataset called `name` (`ucdp-ged`, `ucdp`, `acled`; any case).
    pub fn parse(name: &str) -> Option<Dataset> {
        match name.trim().to_ascii_lowercase().as_str() {
            "ucdp-ged" | "ucdp" | "ged" | "ucdp_ged" => Some(Dataset::UcdpGed),
            "acled" => Some(Dataset::Acled),
            _ => None,
        }
    }
}

impl std::fmt::Display for Dataset {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One record read whole and turned into an incident.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedRow {
    /// The 1-based physical line on which the record starts in the file.
    pub line: u64,
    /// The byte offset just after the record, for a progress bar.
    pub byte_end: u64,
    /// `ucdp-ged:<id>` or `acled:<event_id_cnty>`: re-importing the file is idempotent.
    pub id: liaison_core::IncidentId,
    /// The incident, with its provenance (dataset, record id, original coding, attribution).
    pub content: liaison_core::IncidentContent,
}

/// Reads the header of `input` as `dataset` and returns the reader of its records.
///
/// Fails when the input is not a CSV file with a header, or lacks a column the dataset requires.
pub fn open<R: std::io::Read>(dataset: Dataset, input: R) -> Result<Reader<R>, HeaderError> {
    Reader::open(dataset, input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dataset_names() {
        for d in Dataset::ALL {
            assert_eq!(Dataset::parse(d.name()), Some(d));
        }
        assert_eq!(Dataset::parse("UCDP"), Some(Dataset::UcdpGed));
        assert_eq!(Dataset::parse("gtd"), None);
    }
}
