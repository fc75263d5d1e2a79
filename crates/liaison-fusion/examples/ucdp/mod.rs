//! The shared UCDP GED events of the fusion evaluation and benchmark: the repository's GED files
//! read with `liaison-import`, de-duplicated by event id (the per-country exports and the
//! regional sample overlap), all under one placeholder originator (`XUC`): the generator gives
//! them their two nodes' originators. Not a module of the library: it reads files.

use liaison_core::{CountryCode, Incident};

/// The GED files read (the damaged `ucdp_ged_Niger.csv` is replaced by its cleaned copy).
pub const FILES: &[&str] = &[
    "ucdp_ged_Mali.csv",
    "ucdp_ged_Burkina.csv",
    "ucdp_ged_Niger_cleaned.csv",
    "ucdp_ged_Senegal.csv",
    "ucdp_ged_v23_1_sample_region.csv",
];

/// Every event of [`FILES`] under `dir`, by id. A row the importer refuses is left out (the
/// import's own tests cover refusals; the evaluation wants the events that can be read).
pub fn load(dir: &std::path::Path) -> Result<Vec<Incident>, String> {
    let origin = CountryCode::parse("XUC").map_err(|e| e.to_string())?;
    let mut seen = std::collections::BTreeMap::new();
    for f in FILES {
        let path = dir.join(f);
        let file = std::fs::File::open(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        let reader = liaison_import::open(liaison_import::Dataset::UcdpGed, file)
            .map_err(|e| format!("{}: {e}", path.display()))?;
        for row in reader.flatten() {
            seen.entry(row.id.clone())
                .or_insert_with(|| Incident::new(row.id, origin.clone(), 1, row.content));
        }
    }
    Ok(seen.into_values().collect())
}
