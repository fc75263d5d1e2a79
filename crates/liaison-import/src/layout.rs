//! Telling, from the first line alone, how the file is laid out, without consuming the input:
//! the bytes read to decide are given back in front of the rest of the stream.
//!
//! Two layouts are read:
//!
//! - **plain**: a comma-separated CSV (RFC 4180 quoting), as UCDP and ACLED publish;
//! - **spreadsheet-wrapped**: what a spreadsheet set to `;` as separator makes of such a file when
//!   it opens and re-saves it (the case of `ucdp_ged_Niger.csv`). Every physical line of the
//!   original becomes one `;`-separated line whose first cell holds the original line's text (the
//!   second cell repeats it), and the original's `;` and line breaks, even inside quoted fields,
//!   become cell and line boundaries. Each line's first cell is read as a comma-separated record;
//!   a record that the re-save split (a `;` or a line break inside it) cannot be read whole and is
//!   refused by the reader, never patched together.
//!
//! What this is not: a general dialect sniffer. A file separated by `;` throughout (a European
//! spreadsheet's CSV) is refused with a hint, because its decimal commas would need guessing.

use std::io::{Chain, Cursor, Read};

use crate::error::HeaderError;

/// The longest first line accepted, in bytes. A header is a few kilobytes at most.
const MAX_HEAD: usize = 1 << 20;

/// The stream the CSV reader reads: the bytes read while sniffing, then the rest.
pub(crate) type Input<R> = Chain<Cursor<Vec<u8>>, R>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Layout {
    Plain,
    Wrapped,
}

impl Layout {
    pub(crate) fn delimiter(self) -> u8 {
        match self {
            Layout::Plain => b',',
            Layout::Wrapped => b';',
        }
    }
}

/// What the reader tells its caller about a wrapped file before yielding anything.
pub(crate) const WRAPPED_NOTICE: &str = "the file was re-saved by a spreadsheet with ';' as separator: \
     each line's first cell is read as one line of the original CSV, and every record the re-save \
     split (at a ';' or a line break) is refused";

/// Reads the first line, decides the layout, and gives the stream back whole.
pub(crate) fn sniff<R: Read>(mut input: R) -> Result<(Layout, Input<R>), HeaderError> {
    let mut head = Vec::with_capacity(16 * 1024);
    let mut chunk = [0u8; 8192];
    let line_end = loop {
        let n = match input.read(&mut chunk) {
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(HeaderError::Io(e)),
        };
        let start = head.len();
        head.extend_from_slice(chunk.get(..n).unwrap_or(&[]));
        if let Some(i) = head
            .get(start..)
            .and_then(|h| h.iter().position(|&b| b == b'\n'))
        {
            break start + i;
        }
        if n == 0 {
            break head.len();
        }
        if head.len() > MAX_HEAD {
            return Err(HeaderError::NotCsv(
                "no line break in its first MiB: this is not a header line".into(),
            ));
        }
    };
    let layout = decide(head.get(..line_end).unwrap_or(&[]))?;
    Ok((layout, Cursor::new(head).chain(input)))
}

fn decide(line: &[u8]) -> Result<Layout, HeaderError> {
    let line = line.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.iter().all(u8::is_ascii_whitespace) {
        return Err(HeaderError::NotCsv(
            "its first line is empty: a header is expected".into(),
        ));
    }
    if line.contains(&0) {
        return Err(HeaderError::NotCsv(
            "its first line holds binary data (NUL bytes)".into(),
        ));
    }
    let text = std::str::from_utf8(line)
        .map_err(|_| HeaderError::NotCsv("its first line is not UTF-8 text".into()))?;
    let fields = split(text, b',');
    if fields.iter().any(|f| f.contains(';')) {
        // The signature of the re-save: the header's text in the first cell, repeated in the
        // second, nothing after. A `;` inside a quoted column name does not match it.
        let cells = split(text, b';');
        if let [first, copy, rest @ ..] = cells.as_slice()
            && first == copy
            && rest.iter().all(String::is_empty)
            && split(first, b',').len() > 1
        {
            return Ok(Layout::Wrapped);
        }
        if fields.len() == 1 {
            return Err(HeaderError::NotCsv(
                "its header is separated by ';', not ',': export it again as comma-separated CSV"
                    .into(),
            ));
        }
    }
    if fields.len() < 2 {
        return Err(HeaderError::NotCsv(
            "its first line holds a single field, not a comma-separated header".into(),
        ));
    }
    Ok(Layout::Plain)
}

/// The fields of one line of text, split by `delimiter` with CSV quoting.
pub(crate) fn split(text: &str, delimiter: u8) -> Vec<String> {
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => rec.iter().map(str::to_owned).collect(),
        _ => Vec::new(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn layout(text: &[u8]) -> Result<Layout, HeaderError> {
        sniff(text).map(|(l, _)| l)
    }

    #[test]
    fn the_stream_is_given_back_whole() {
        let text = b"id,year\n1,2020\n2,2021\n";
        let (l, mut input) = sniff(&text[..]).unwrap();
        assert_eq!(l, Layout::Plain);
        let mut back = Vec::new();
        input.read_to_end(&mut back).unwrap();
        assert_eq!(back, text);
    }

    #[test]
    fn layouts() {
        assert_eq!(layout(b"id,year\r\n1,2").unwrap(), Layout::Plain);
        assert_eq!(layout(b"\xEF\xBB\xBFid,year").unwrap(), Layout::Plain);
        assert_eq!(
            layout(b"id,year,low_est;id,year,low_est;;;\n").unwrap(),
            Layout::Wrapped
        );
        assert_eq!(layout(b"id,\"a;b\",year\n").unwrap(), Layout::Plain);
        assert_eq!(layout(b"id,year;x,y;z\n").unwrap(), Layout::Plain);
        let e = layout(b"id;year;best\n1;2;3\n").unwrap_err().to_string();
        assert!(e.contains("separated by ';'"), "{e}");
        assert!(layout(b"").unwrap_err().to_string().contains("empty"));
        assert!(layout(b"\x89PNG\r\n\x1a\n\0\0").is_err());
        assert!(
            layout(b"\xff\xfeid,year")
                .unwrap_err()
                .to_string()
                .contains("UTF-8")
        );
        assert!(
            layout(b"{\"id\": 1}")
                .unwrap_err()
                .to_string()
                .contains("single field")
        );
    }
}
