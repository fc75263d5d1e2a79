//! The streaming reader: one CSV record at a time, into a reused buffer, each turned into a
//! [`ParsedRow`] or a [`RowError`]. A bad record never stops the iteration; only an I/O error
//! ends it (after being reported once).
//!
//! Framing is checked before any value is read: a record must have as many fields as the header
//! (one more is tolerated when it is empty: the per-country GED exports end every row with a
//! comma). A record with another count was cut short or merged with its neighbour, and its values
//! cannot be trusted to sit under their column names, so it is refused whole.
//!
//! What this is not: a policy (all-or-nothing or skip is the caller's), a store, or a
//! deduplicator (ids derived from the record make re-imports idempotent downstream).

use std::io::Read;

use csv::{Position, StringRecord};
use liaison_core::{IncidentContent, IncidentId};

use crate::countries::Countries;
use crate::error::{HeaderError, RowError};
use crate::fields::Row;
use crate::layout::{self, Input, Layout, WRAPPED_NOTICE};
use crate::{Dataset, ParsedRow, acled, ucdp};

enum Columns {
    Ucdp(ucdp::Columns),
    Acled(acled::Columns),
}

/// Reads one dataset's rows from a CSV stream. Built by [`crate::open`]; iterate it.
pub struct Reader<R> {
    dataset: Dataset,
    layout: Layout,
    csv: csv::Reader<Input<R>>,
    names: Vec<String>,
    columns: Columns,
    record: StringRecord,
    inner: StringRecord,
    countries: Countries,
    done: bool,
}

impl<R: Read> Reader<R> {
    pub(crate) fn open(dataset: Dataset, input: R) -> Result<Self, HeaderError> {
        let (layout, input) = layout::sniff(input)?;
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(layout.delimiter())
            // `\n` alone ends a record, so that a record's position is always on the line where
            // it starts (with CRLF, csv counts the `\n` of the previous line into the next record);
            // the `\r` left at the end of the last field is trimmed with the rest of its space.
            .terminator(csv::Terminator::Any(b'\n'))
            .buffer_capacity(64 * 1024)
            .from_reader(input);
        let mut header = StringRecord::new();
        match csv.read_record(&mut header) {
            Ok(true) => {}
            Ok(false) => return Err(HeaderError::NotCsv("it holds no header line".into())),
            Err(e) => {
                let message = e.to_string();
                return Err(match e.into_kind() {
                    csv::ErrorKind::Io(io) => HeaderError::Io(io),
                    csv::ErrorKind::Utf8 { .. } => {
                        HeaderError::NotCsv("its header is not UTF-8 text".into())
                    }
                    _ => HeaderError::NotCsv(message),
                });
            }
        }
        let mut names: Vec<String> = match layout {
            Layout::Plain => header.iter().map(|n| n.trim().to_owned()).collect(),
            Layout::Wrapped => layout::split(header.get(0).unwrap_or(""), b',')
                .into_iter()
                .map(|n| n.trim().to_owned())
                .collect(),
        };
        if let Some(first) = names.first_mut()
            && let Some(rest) = first.strip_prefix('\u{feff}')
        {
            *first = rest.to_owned();
        }
        let columns = match dataset {
            Dataset::UcdpGed => Columns::Ucdp(ucdp::Columns::resolve(&names)?),
            Dataset::Acled => Columns::Acled(acled::Columns::resolve(&names)?),
        };
        Ok(Self {
            dataset,
            layout,
            csv,
            names,
            columns,
            record: StringRecord::new(),
            inner: StringRecord::new(),
            countries: Countries::default(),
            done: false,
        })
    }
}

impl<R: Read> Reader<R> {
    /// The dataset this reader was opened for.
    pub fn dataset(&self) -> Dataset {
        self.dataset
    }

    /// The column names of the file, as its header spells them.
    pub fn header(&self) -> &[String] {
        &self.names
    }

    /// Something the user should know before the rows: set when the file is not laid out as
    /// published (a spreadsheet re-save), so that the caller can print it once.
    pub fn notice(&self) -> Option<&'static str> {
        match self.layout {
            Layout::Plain => None,
            Layout::Wrapped => Some(WRAPPED_NOTICE),
        }
    }

    /// Bytes consumed so far, for a progress bar.
    pub fn bytes_read(&self) -> u64 {
        self.csv.position().byte()
    }

    fn parse(&mut self, line: u64) -> Result<(IncidentId, IncidentContent), RowError> {
        let rec = match self.layout {
            Layout::Plain => &self.record,
            Layout::Wrapped => {
                unwrap_line(&self.record, &mut self.inner, line)?;
                &self.inner
            }
        };
        check_width(rec, self.names.len(), line)?;
        // In a whole record quotes come in pairs; a lone one means the re-save cut it at a line
        // break inside a quoted field, even when the field count happens to match.
        if self.layout == Layout::Wrapped
            && self
                .record
                .get(0)
                .is_some_and(|raw| raw.bytes().filter(|&b| b == b'"').count() % 2 == 1)
        {
            return Err(RowError::record(
                line,
                "an unbalanced quote: the record was cut at a line break inside a quoted field \
                 (a spreadsheet re-save?)",
            ));
        }
        let row = Row::new(rec, &self.names, line);
        let (id, content) = match &self.columns {
            Columns::Ucdp(c) => ucdp::map(&row, c, &mut self.countries)?,
            Columns::Acled(c) => acled::map(&row, c, &mut self.countries)?,
        };
        content.validate().map_err(|e| {
            RowError::record(line, format!("the incident it makes is invalid: {e}"))
        })?;
        Ok((id, content))
    }

    fn read_error(&mut self, e: csv::Error) -> RowError {
        let line = e
            .position()
            .map_or_else(|| self.csv.position().line(), Position::line);
        match e.kind() {
            csv::ErrorKind::Io(io) => {
                self.done = true;
                RowError::record(line, format!("cannot read the file: {io}"))
            }
            csv::ErrorKind::Utf8 { err, .. } => match (self.layout, self.names.get(err.field())) {
                (Layout::Plain, Some(name)) => RowError {
                    line,
                    column: Some(name.clone()),
                    reason: "is not UTF-8 text (the file must be UTF-8)".into(),
                },
                _ => RowError::record(
                    line,
                    "the record is not UTF-8 text (the file must be UTF-8)",
                ),
            },
            _ => RowError::record(line, e.to_string()),
        }
    }
}

impl<R: Read> Iterator for Reader<R> {
    type Item = Result<ParsedRow, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            match self.csv.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => return Some(Err(self.read_error(e))),
            }
            // A blank line (or a lone `\r`) is not a record.
            let blank =
                self.record.len() == 1 && self.record.get(0).is_some_and(|f| f.trim().is_empty());
            if !blank {
                break;
            }
        }
        let line = self.record.position().map_or(0, Position::line);
        let byte_end = self.csv.position().byte();
        Some(self.parse(line).map(|(id, content)| ParsedRow {
            line,
            byte_end,
            id,
            content,
        }))
    }
}

/// The header's width, or one more when the extra field is empty.
fn check_width(rec: &StringRecord, width: usize, line: u64) -> Result<(), RowError> {
    let n = rec.len();
    if n == width || (n == width + 1 && rec.get(width).is_some_and(|f| f.trim().is_empty())) {
        return Ok(());
    }
    let why = if n < width {
        "the record is cut short (a spreadsheet re-save?)"
    } else {
        "records are merged or a field was split (a spreadsheet re-save?)"
    };
    Err(RowError::record(
        line,
        format!("{n} fields where the header has {width}: {why}"),
    ))
}

/// A spreadsheet-wrapped line → the comma-separated record its first cell holds.
fn unwrap_line(outer: &StringRecord, inner: &mut StringRecord, line: u64) -> Result<(), RowError> {
    let text = outer.get(0).unwrap_or("");
    if outer.get(1).is_some_and(|copy| copy != text) {
        return Err(RowError::record(
            line,
            "the line's first two cells differ, unlike the rest of this spreadsheet-re-saved \
             file: cannot tell which holds the record",
        ));
    }
    let pieces = outer.iter().skip(2).filter(|c| !c.is_empty()).count();
    if pieces > 0 {
        return Err(RowError::record(
            line,
            format!(
                "the record held a ';' that a spreadsheet re-save took for a separator: it is \
                 split into {} cells and cannot be read whole",
                pieces + 1
            ),
        ));
    }
    if text.trim().is_empty() {
        return Err(RowError::record(
            line,
            "no record on this line: a piece of a record that a spreadsheet re-save cut at a \
             line break",
        ));
    }
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .buffer_capacity(text.len().max(64))
        .from_reader(text.as_bytes());
    let read = rdr
        .read_record(inner)
        .map_err(|e| RowError::record(line, format!("its first cell is not a CSV record: {e}")))?;
    let mut rest = StringRecord::new();
    if !read || rdr.read_record(&mut rest).unwrap_or(true) {
        return Err(RowError::record(
            line,
            "its first cell does not hold exactly one CSV record",
        ));
    }
    Ok(())
}
