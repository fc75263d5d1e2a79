//! The two kinds of failure an import reports: a [`HeaderError`] when the file as a whole cannot
//! be read as the dataset (not CSV, required columns missing), and a [`RowError`] for one record
//! that cannot be turned into an incident, naming its line and, when it is one column's fault,
//! that column.
//!
//! What this is not: a policy. Whether one bad row aborts the import (all-or-nothing) or is
//! skipped (`--skip-invalid`) is the caller's decision; the reader only reports.

use std::fmt;

/// Why one record of the file was refused.
///
/// Displayed as `line 17, column best_est: 'abc' is not a whole number`, or, when the record as a
/// whole is at fault, `line 212: 20 fields where the header has 47: …`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The 1-based physical line on which the record starts.
    pub line: u64,
    /// The column at fault, named as the file's header names it (`best_est`, not `best`).
    pub column: Option<String>,
    /// What is wrong, in plain words.
    pub reason: String,
}

impl RowError {
    pub(crate) fn record(line: u64, reason: impl Into<String>) -> Self {
        Self {
            line,
            column: None,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.column {
            Some(c) => write!(f, "line {}, column {c}: {}", self.line, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

impl std::error::Error for RowError {}

/// Why the file cannot be read as the dataset at all. Nothing is imported from it.
#[derive(Debug, thiserror::Error)]
pub enum HeaderError {
    /// The input could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// The first line is not a comma-separated header (binary data, not UTF-8, empty, one field).
    #[error("not a CSV file: {0}")]
    NotCsv(String),
    /// Columns the dataset requires are absent. Each entry names one requirement as a user would
    /// fix it: `low (or low_est)`, `country_id or country`.
    #[error("not a valid {dataset} file: the header lacks the required column{plural} {list}", plural = if missing.len() == 1 { "" } else { "s" }, list = missing.join(", "))]
    MissingColumns {
        dataset: &'static str,
        missing: Vec<String>,
    },
    /// A column the importer reads appears more than once, so it is unknown which one to trust.
    #[error(
        "the header names column '{0}' twice (or under two of its names): which one holds the data is ambiguous"
    )]
    DuplicateColumn(String),
}

impl HeaderError {
    /// The missing required columns, empty for other kinds of header error.
    pub fn missing_columns(&self) -> &[String] {
        match self {
            HeaderError::MissingColumns { missing, .. } => missing,
            _ => &[],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_errors_read_as_the_user_sees_them() {
        let e = RowError {
            line: 17,
            column: Some("best_est".into()),
            reason: "'abc' is not a whole number".into(),
        };
        assert_eq!(
            e.to_string(),
            "line 17, column best_est: 'abc' is not a whole number"
        );
        let e = RowError::record(212, "20 fields where the header has 47");
        assert_eq!(e.to_string(), "line 212: 20 fields where the header has 47");
    }

    #[test]
    fn header_errors_name_every_missing_column() {
        let e = HeaderError::MissingColumns {
            dataset: "UCDP GED",
            missing: vec!["id".into(), "best (or best_est)".into()],
        };
        assert_eq!(
            e.to_string(),
            "not a valid UCDP GED file: the header lacks the required columns id, best (or best_est)"
        );
        assert_eq!(e.missing_columns().len(), 2);
    }
}
