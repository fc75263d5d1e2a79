//! `liaison import stix`: each file is read whole (at most `MAX_BUNDLE_BYTES`), parsed and
//! checked; every valid object is kept verbatim (`stix_objects`), our incidents and actor records
//! also go into the domain. All-or-nothing across the files unless `--skip-invalid`.
//!
//! JSON report (stable): `{"committed": bool, "files": [{"file", "format": "stix", "objects",
//! "kept", "already_kept", "duplicates", "incidents_inserted", "incidents_unchanged",
//! "incidents_updated", "incidents_stale", "actors", "rejected", "errors": [{"index", "id",
//! "property", "reason"}]}]}` (`index`, `id`, `property` null when unknown; `index` null for an
//! error of the whole file).

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use liaison_core::{Actor, Incident};
use liaison_stix::import::Mapped;
use liaison_stix::{ObjectError, ParsedObject};
use liaison_store::{ImportRecord, NewStixObject, Prepared, StoreError};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::node::Node;

/// Incidents stored per batch.
const BATCH: usize = 2_000;

/// One problem, as reported.
#[derive(Debug, Serialize)]
pub struct StixProblem {
    pub index: Option<usize>,
    pub id: Option<String>,
    pub property: Option<String>,
    pub reason: String,
}

impl From<ObjectError> for StixProblem {
    fn from(e: ObjectError) -> Self {
        Self {
            index: Some(e.index),
            id: e.id,
            property: e.property,
            reason: e.reason,
        }
    }
}

/// The report on one file.
#[derive(Debug, Default, Serialize)]
pub struct StixFileReport {
    pub file: String,
    pub format: &'static str,
    pub objects: u64,
    pub kept: u64,
    pub already_kept: u64,
    pub duplicates: u64,
    pub incidents_inserted: u64,
    pub incidents_unchanged: u64,
    pub incidents_updated: u64,
    /// Incidents older than (or as old as) the version stored, with other content: not stored.
    pub incidents_stale: u64,
    pub actors: u64,
    pub rejected: u64,
    pub errors: Vec<StixProblem>,
}

/// The report on a whole `import stix` command.
#[derive(Debug, Serialize)]
pub struct StixImportReport {
    pub committed: bool,
    pub files: Vec<StixFileReport>,
}

/// What one file holds once read and checked.
struct FileWork {
    report: StixFileReport,
    sha256: String,
    keep: Vec<NewStixObject>,
    incidents: Vec<Incident>,
    actors: Vec<Actor>,
}

fn reject(report: &mut StixFileReport, errs: Vec<ObjectError>) {
    if !errs.is_empty() {
        report.rejected += 1;
    }
    report
        .errors
        .extend(errs.into_iter().map(StixProblem::from));
}

/// Reads and checks one file against the store (nothing written).
async fn read_file(node: &Node, path: &Path) -> Result<FileWork> {
    let name = path.display().to_string();
    let mut work = FileWork {
        report: StixFileReport {
            file: name.clone(),
            format: "stix",
            ..Default::default()
        },
        sha256: String::new(),
        keep: Vec::new(),
        incidents: Vec::new(),
        actors: Vec::new(),
    };
    let len = std::fs::metadata(path)
        .with_context(|| format!("cannot read {name}"))?
        .len();
    let parsed = if len > liaison_stix::MAX_BUNDLE_BYTES as u64 {
        Err(liaison_stix::EnvelopeError(format!(
            "{len} bytes: a bundle may hold at most {} bytes (64 MiB)",
            liaison_stix::MAX_BUNDLE_BYTES
        )))
    } else {
        let bytes = std::fs::read(path).with_context(|| format!("cannot read {name}"))?;
        work.sha256 = hex::encode(Sha256::digest(&bytes));
        liaison_stix::parse(&bytes)
    };
    let parsed = match parsed {
        Ok(p) => p,
        Err(e) => {
            work.report.rejected = 1;
            work.report.errors.push(StixProblem {
                index: None,
                id: None,
                property: None,
                reason: e.0,
            });
            return Ok(work);
        }
    };
    work.report.objects = parsed.total as u64;
    work.report.duplicates = parsed.duplicates as u64;
    let mut bad_indexes: HashSet<usize> = parsed.errors.iter().map(|e| e.index).collect();
    work.report.rejected = bad_indexes.len() as u64;
    work.report
        .errors
        .extend(parsed.errors.into_iter().map(StixProblem::from));
    for o in parsed.objects {
        match map_checked(node, &o).await? {
            Ok(mapped) => {
                match mapped {
                    Some(Mapped::Incident(i)) => match stale(node, &i).await? {
                        Some(true) => work.report.incidents_stale += 1,
                        _ => work.incidents.push(*i),
                    },
                    Some(Mapped::Actor(a)) => work.actors.push(*a),
                    None => {}
                }
                work.keep.push(NewStixObject {
                    id: o.header.id,
                    object_type: o.header.object_type,
                    spec_version: o.header.spec_version,
                    modified: o.header.version_key,
                    doc: o.raw,
                });
            }
            Err(errs) => {
                if bad_indexes.insert(o.index) {
                    reject(&mut work.report, errs);
                }
            }
        }
    }
    Ok(work)
}

/// Maps an object, adding the one-writer rule: an incident whose id is held here from another
/// originator, with other content, is refused.
async fn map_checked(
    node: &Node,
    o: &ParsedObject,
) -> Result<Result<Option<Mapped>, Vec<ObjectError>>> {
    let mapped = match liaison_stix::map_object(o) {
        Ok(m) => m,
        Err(errs) => return Ok(Err(errs)),
    };
    if let Some(Mapped::Incident(i)) = &mapped {
        match node.store.get_incident(&i.id).await {
            Ok(stored) if stored.originator != i.originator && stored.content != i.content => {
                return Ok(Err(vec![ObjectError::new(
                    o.index,
                    Some(&o.header.id),
                    None,
                    format!(
                        "incident {} is held here from {}; {}'s incident with the same id is \
                         not stored (each incident has one writer)",
                        i.id, stored.originator, i.originator
                    ),
                )]));
            }
            Ok(_) | Err(StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Ok(mapped))
}

/// Whether an incoming incident is not newer than the stored one of the same originator yet
/// differs from it (`None` when nothing is stored).
async fn stale(node: &Node, i: &Incident) -> Result<Option<bool>> {
    match node.store.get_incident(&i.id).await {
        Ok(s) => Ok(Some(
            s.originator == i.originator && i.version <= s.version && s.content != i.content,
        )),
        Err(StoreError::NotFound) => Ok(None),
        Err(e) => Err(e.into()),
    }
}

/// `liaison import stix`: imports the files, prints the report, fails when refused.
pub async fn import(node: &Node, files: &[PathBuf], skip_invalid: bool, json: bool) -> Result<()> {
    let mut works = Vec::with_capacity(files.len());
    for f in files {
        works.push(read_file(node, f).await?);
    }
    let rejected: u64 = works.iter().map(|w| w.report.rejected).sum();
    let committed = rejected == 0 || skip_invalid;
    if committed {
        let mut session = node.store.begin_import("stix", crate::now()).await?;
        for w in &mut works {
            let kept = session.put_stix_objects(&w.keep).await?;
            w.report.kept = kept;
            w.report.already_kept = w.keep.len() as u64 - kept;
            w.incidents.sort_by_key(|i| i.version);
            let mut outcome = liaison_store::BatchOutcome::default();
            for chunk in w.incidents.chunks(BATCH) {
                let prepared = chunk
                    .iter()
                    .cloned()
                    .map(Prepared::new)
                    .collect::<Result<Vec<_>, _>>()?;
                outcome += session.insert_batch(&prepared).await?;
            }
            w.report.incidents_inserted = outcome.inserted;
            w.report.incidents_unchanged = outcome.unchanged;
            w.report.incidents_updated = outcome.updated;
            session
                .record(&ImportRecord {
                    dataset: "stix".into(),
                    file_name: w.report.file.clone(),
                    file_sha256: w.sha256.clone(),
                    rows_read: w.report.objects,
                    outcome,
                    rejected: w.report.rejected,
                })
                .await?;
        }
        session.commit().await?;
        for w in &mut works {
            for a in &w.actors {
                // The node's own record of an actor is never overwritten by another's.
                match node.store.actor(&a.id).await {
                    Err(StoreError::NotFound) => {
                        node.store.put_actor(a).await?;
                        w.report.actors += 1;
                    }
                    Ok(_) => {}
                    Err(e) => return Err(e.into()),
                }
            }
        }
    }
    if committed {
        // Names of the imported incidents linked to this node's actors, or proposed for review.
        crate::actor_review::link_new_and_say(node, "import").await?;
    }
    node.store.close().await;
    let report = StixImportReport {
        committed,
        files: works.into_iter().map(|w| w.report).collect(),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        print_text(&report);
    }
    if !committed {
        bail!(
            "import refused: {rejected} invalid objects or files, nothing stored (use \
             --skip-invalid to store the valid objects)"
        );
    }
    Ok(())
}

fn print_text(report: &StixImportReport) {
    for f in &report.files {
        println!(
            "{}: {} objects, {} kept ({} already kept, {} duplicates); incidents {} inserted, {} \
             unchanged, {} updated, {} stale; {} actors; {} rejected",
            f.file,
            f.objects,
            f.kept,
            f.already_kept,
            f.duplicates,
            f.incidents_inserted,
            f.incidents_unchanged,
            f.incidents_updated,
            f.incidents_stale,
            f.actors,
            f.rejected
        );
        for e in &f.errors {
            match e.index {
                Some(index) => {
                    let err = ObjectError {
                        index,
                        id: e.id.clone(),
                        property: e.property.clone(),
                        reason: e.reason.clone(),
                    };
                    eprintln!("{}: {err}", f.file);
                }
                None => eprintln!("{}: {}", f.file, e.reason),
            }
        }
    }
}
