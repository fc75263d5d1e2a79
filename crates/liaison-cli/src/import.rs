//! `liaison import` and the ingest path shared with `scenario load` and `demo`: parse, normalise
//! (country from coordinates), validate, store in one transaction, report every rejected row.
//!
//! By default an import is all-or-nothing across all the files of one command: one invalid row
//! and nothing is stored. `--skip-invalid` stores the valid rows and reports each invalid one.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use indicatif::{ProgressBar, ProgressStyle};
use liaison_core::{CountryCode, Incident, IncidentContent, IncidentId};
use liaison_import::{Dataset, RowError};
use liaison_store::{BatchOutcome, ImportRecord, ImportSession, Prepared};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::node::Node;

/// Rows stored per batch: large enough to amortise statements, small enough to bound memory.
const BATCH_ROWS: usize = 2_000;
/// Inputs larger than this (in all) are imported with the store's secondary indexes built once
/// at the end rather than row by row.
const DEFER_INDEXES_ABOVE_BYTES: u64 = 32 * 1024 * 1024;
/// Most rejected rows a report lists per file; the count is always exact.
const MAX_REPORTED_ERRORS: usize = 10_000;

/// One rejected row, as reported.
#[derive(Debug, Serialize)]
pub struct Rejected {
    pub line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<String>,
    pub reason: String,
}

/// The report on one file.
#[derive(Debug, Serialize)]
pub struct FileReport {
    pub file: String,
    pub dataset: String,
    pub rows: u64,
    pub inserted: u64,
    pub unchanged: u64,
    pub updated: u64,
    pub rejected: u64,
    pub errors: Vec<Rejected>,
}

/// The report on a whole import command.
#[derive(Debug, Serialize)]
pub struct ImportReport {
    /// Whether anything was stored: false when invalid rows refused an all-or-nothing import.
    pub committed: bool,
    pub files: Vec<FileReport>,
}

/// One input of an import: a file on disk or data shipped in the binary.
pub enum Input {
    File(PathBuf),
    Shipped(&'static str, &'static [u8]),
}

impl Input {
    fn name(&self) -> String {
        match self {
            Input::File(p) => p.display().to_string(),
            Input::Shipped(name, _) => (*name).to_owned(),
        }
    }

    /// Its size in bytes (0 if unknown).
    fn size(&self) -> u64 {
        match self {
            Input::File(p) => std::fs::metadata(p).map_or(0, |m| m.len()),
            Input::Shipped(_, bytes) => bytes.len() as u64,
        }
    }

    /// Its size and SHA-256, read in a first pass so the import log names the exact file.
    fn fingerprint(&self) -> Result<(u64, String)> {
        let mut hasher = Sha256::new();
        match self {
            Input::Shipped(_, bytes) => {
                hasher.update(bytes);
                Ok((bytes.len() as u64, hex::encode(hasher.finalize())))
            }
            Input::File(p) => {
                let mut f =
                    File::open(p).with_context(|| format!("cannot read {}", p.display()))?;
                let mut buf = vec![0u8; 1 << 16];
                let mut len = 0u64;
                loop {
                    let n = f
                        .read(&mut buf)
                        .with_context(|| format!("cannot read {}", p.display()))?;
                    if n == 0 {
                        break;
                    }
                    len += n as u64;
                    hasher.update(&buf[..n]);
                }
                Ok((len, hex::encode(hasher.finalize())))
            }
        }
    }

    fn reader(&self) -> Result<Box<dyn Read + Send>> {
        Ok(match self {
            Input::File(p) => Box::new(BufReader::with_capacity(
                1 << 16,
                File::open(p).with_context(|| format!("cannot read {}", p.display()))?,
            )),
            Input::Shipped(_, bytes) => Box::new(*bytes),
        })
    }
}

/// Normalises the location with the shipped boundaries and checks every rule; returns the
/// incident to store, or the errors naming their fields.
pub fn prepare(
    id: IncidentId,
    member: &CountryCode,
    mut content: IncidentContent,
) -> Result<Incident, liaison_core::ValidationErrors> {
    let boundaries = liaison_geo::default_boundaries();
    content.location.normalise(|lat, lon| {
        boundaries
            .country_at(lat, lon)
            .and_then(|c| CountryCode::parse(c).ok())
    });
    content.validate()?;
    Ok(Incident::new(id, member.clone(), 1, content))
}

fn progress_bar(len: u64, name: &str) -> ProgressBar {
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(
        "{prefix} [{bar:30}] {bytes}/{total_bytes} {per_sec} eta {eta}",
    ) {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.set_prefix(name.to_owned());
    bar
}

/// What the parsing thread hands to the writing one: a batch of prepared incidents and the rows
/// it rejected on the way.
struct Chunk {
    prepared: Vec<Prepared>,
    rejected: Vec<RowError>,
    rejected_rows: u64,
    rows: u64,
    byte_end: u64,
}

/// Batches in flight between the parsing and the writing thread: bounds memory, keeps both busy.
const CHUNKS_IN_FLIGHT: usize = 2;

/// Parses, normalises, validates and prepares the rows of one input on its own thread, so that
/// on two cores parsing and SQLite's writing overlap.
fn spawn_parser(
    dataset: Dataset,
    reader: Box<dyn Read + Send>,
    member: CountryCode,
) -> tokio::sync::mpsc::Receiver<Result<Chunk, String>> {
    let (tx, rx) = tokio::sync::mpsc::channel(CHUNKS_IN_FLIGHT);
    std::thread::spawn(move || {
        let rows = match liaison_import::open(dataset, reader) {
            Ok(r) => r,
            Err(e) => {
                let _ = tx.blocking_send(Err(e.to_string()));
                return;
            }
        };
        let fresh = || Chunk {
            prepared: Vec::with_capacity(BATCH_ROWS),
            rejected: Vec::new(),
            rejected_rows: 0,
            rows: 0,
            byte_end: 0,
        };
        let mut chunk = fresh();
        for item in rows {
            chunk.rows += 1;
            match item {
                Err(e) => {
                    chunk.rejected_rows += 1;
                    chunk.rejected.push(e);
                }
                Ok(row) => {
                    chunk.byte_end = row.byte_end;
                    let line = row.line;
                    match prepare(row.id, &member, row.content) {
                        Ok(inc) => match Prepared::new(inc) {
                            Ok(p) => chunk.prepared.push(p),
                            Err(e) => {
                                let _ = tx.blocking_send(Err(e.to_string()));
                                return;
                            }
                        },
                        Err(errs) => {
                            // One row, however many problems it has: counted once, each reported.
                            chunk.rejected_rows += 1;
                            chunk.rejected.extend(errs.0.into_iter().map(|fe| RowError {
                                line,
                                column: Some(fe.field),
                                reason: fe.message,
                            }));
                        }
                    }
                }
            }
            if chunk.prepared.len() >= BATCH_ROWS {
                let full = std::mem::replace(&mut chunk, fresh());
                if tx.blocking_send(Ok(full)).is_err() {
                    return; // the writer gave up; nothing more to do
                }
            }
        }
        let _ = tx.blocking_send(Ok(chunk));
    });
    rx
}

/// Reads one input into the session; returns its report.
async fn import_file(
    session: &mut ImportSession,
    member: &CountryCode,
    dataset: Dataset,
    input: &Input,
) -> Result<FileReport> {
    let name = input.name();
    let (len, sha) = input.fingerprint()?;
    let bar = progress_bar(len, &name);
    let mut report = FileReport {
        file: name.clone(),
        dataset: dataset.name().to_owned(),
        rows: 0,
        inserted: 0,
        unchanged: 0,
        updated: 0,
        rejected: 0,
        errors: Vec::new(),
    };
    let mut outcome = BatchOutcome::default();
    let mut chunks = spawn_parser(dataset, input.reader()?, member.clone());
    while let Some(chunk) = chunks.recv().await {
        let chunk = chunk.map_err(|e| anyhow::anyhow!("{name}: {e}"))?;
        report.rows += chunk.rows;
        report.rejected += chunk.rejected_rows;
        for e in chunk.rejected {
            if report.errors.len() < MAX_REPORTED_ERRORS {
                report.errors.push(Rejected {
                    line: e.line,
                    column: e.column,
                    reason: e.reason,
                });
            }
        }
        if !chunk.prepared.is_empty() {
            outcome += session.insert_batch(&chunk.prepared).await?;
        }
        bar.set_position(chunk.byte_end);
    }
    bar.finish_and_clear();
    report.inserted = outcome.inserted;
    report.unchanged = outcome.unchanged;
    report.updated = outcome.updated;
    session
        .record(&ImportRecord {
            dataset: dataset.name().to_owned(),
            file_name: name,
            file_sha256: sha,
            rows_read: report.rows,
            outcome,
            rejected: report.rejected,
        })
        .await?;
    Ok(report)
}

/// Imports `files` into the node in one transaction.
pub async fn run(
    node: &Node,
    dataset: Dataset,
    files: &[Input],
    skip_invalid: bool,
    recorded_by: &str,
) -> Result<ImportReport> {
    let mut session = node.store.begin_import(recorded_by, crate::now()).await?;
    let total_bytes: u64 = files.iter().map(Input::size).sum();
    if total_bytes > DEFER_INDEXES_ABOVE_BYTES {
        session.defer_indexes().await?;
    }
    let mut reports = Vec::new();
    for input in files {
        reports.push(import_file(&mut session, &node.member, dataset, input).await?);
    }
    let invalid: u64 = reports.iter().map(|r| r.rejected).sum();
    let committed = invalid == 0 || skip_invalid;
    if committed {
        session.commit().await?;
    } else {
        session.rollback().await?;
    }
    Ok(ImportReport {
        committed,
        files: reports,
    })
}

/// Checks that the files named on the command line can be read, before anything starts.
pub fn inputs(paths: &[PathBuf]) -> Result<Vec<Input>> {
    paths
        .iter()
        .map(|p| {
            File::open(p).with_context(|| format!("cannot read {}", p.display()))?;
            Ok(Input::File(p.clone()))
        })
        .collect()
}

/// Prints a report for people: one line per file, one per rejected row.
pub fn print_text(report: &ImportReport) {
    for f in &report.files {
        println!(
            "{}: {} rows, {} inserted, {} unchanged, {} updated, {} rejected",
            f.file, f.rows, f.inserted, f.unchanged, f.updated, f.rejected
        );
        for e in &f.errors {
            match &e.column {
                Some(c) => eprintln!("{}: line {}, column {}: {}", f.file, e.line, c, e.reason),
                None => eprintln!("{}: line {}: {}", f.file, e.line, e.reason),
            }
        }
        if f.errors.len() >= MAX_REPORTED_ERRORS {
            eprintln!(
                "{}: (only the first {MAX_REPORTED_ERRORS} problems are listed)",
                f.file
            );
        }
    }
}

/// Fails the command when the import was refused, after the report was printed.
pub fn check_committed(report: &ImportReport) -> Result<()> {
    if !report.committed {
        let invalid: u64 = report.files.iter().map(|r| r.rejected).sum();
        bail!(
            "import refused: {invalid} invalid rows, nothing stored (use --skip-invalid to store the valid rows)"
        );
    }
    Ok(())
}
