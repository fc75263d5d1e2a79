//! Pages as TAXII answers: the envelope of objects (`{"more","next","objects"}`), the manifest
//! (`objects` as records) and the versions list, each with `X-TAXII-Date-Added-First/-Last`.
//!
//! Objects are written out as the JSON text they were stored with, never re-serialised, so they
//! come back exactly as they were sent. A page stops at [`MAX_PAGE_BYTES`] of objects (keeping at
//! least one) and then says `more`. `next` is the `seq` of the page's last row, given whenever
//! the page is not empty (the last page too: a client that keeps it resumes exactly there).

use axum::http::StatusCode;
use axum::response::Response;
use liaison_store::{TaxiiPage, TaxiiRow};
use serde::Serialize;

use super::MAX_PAGE_BYTES;
use super::error::TaxiiError;
use super::media::{STIX_MEDIA_TYPE, answer};
use crate::ApiError;

/// The rows of `page` that fit in [`MAX_PAGE_BYTES`], and whether more follow.
fn fit(page: TaxiiPage) -> (Vec<TaxiiRow>, bool) {
    let mut rows = page.rows;
    let mut bytes = 0usize;
    let mut keep = rows.len();
    for (i, r) in rows.iter().enumerate() {
        bytes += r.doc.len() + 1;
        if i > 0 && bytes > MAX_PAGE_BYTES {
            keep = i;
            break;
        }
    }
    let cut = keep < rows.len();
    rows.truncate(keep);
    (rows, page.more || cut)
}

/// `{"more":…,"next":"…",` — the opening every envelope shares.
fn opening(rows: &[TaxiiRow], more: bool) -> String {
    let mut s = String::from("{\"more\":");
    s.push_str(if more { "true" } else { "false" });
    if let Some(last) = rows.last() {
        s.push_str(",\"next\":\"");
        s.push_str(&last.seq.to_string());
        s.push('"');
    }
    s
}

fn dates(rows: &[TaxiiRow]) -> Option<(&str, &str)> {
    Some((
        rows.first()?.date_added.as_str(),
        rows.last()?.date_added.as_str(),
    ))
}

/// An envelope of objects.
pub(crate) fn objects(page: TaxiiPage) -> Response {
    let (rows, more) = fit(page);
    let mut body = opening(&rows, more);
    if !rows.is_empty() {
        let total: usize = rows.iter().map(|r| r.doc.len() + 1).sum();
        body.reserve(total + 16);
        body.push_str(",\"objects\":[");
        for (i, r) in rows.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(&r.doc);
        }
        body.push(']');
    }
    body.push('}');
    answer(StatusCode::OK, body, dates(&rows))
}

#[derive(Serialize)]
struct ManifestRecord<'a> {
    id: &'a str,
    date_added: &'a str,
    version: &'a str,
    media_type: String,
}

/// A manifest: one record per row.
pub(crate) fn manifest(page: TaxiiPage) -> Result<Response, TaxiiError> {
    let (rows, more) = fit(page);
    let mut body = opening(&rows, more);
    if !rows.is_empty() {
        let records: Vec<ManifestRecord> = rows
            .iter()
            .map(|r| ManifestRecord {
                id: &r.object_id,
                date_added: &r.date_added,
                version: &r.version,
                media_type: if r.spec_version == "2.1" {
                    STIX_MEDIA_TYPE.to_owned()
                } else {
                    format!("application/stix+json;version={}", r.spec_version)
                },
            })
            .collect();
        body.push_str(",\"objects\":");
        body.push_str(&serde_json::to_string(&records).map_err(ApiError::internal)?);
    }
    body.push('}');
    Ok(answer(StatusCode::OK, body, dates(&rows)))
}

/// The versions of one object.
pub(crate) fn versions(page: TaxiiPage) -> Result<Response, TaxiiError> {
    let (rows, more) = fit(page);
    let mut body = opening(&rows, more);
    if !rows.is_empty() {
        let list: Vec<&str> = rows.iter().map(|r| r.version.as_str()).collect();
        body.push_str(",\"versions\":");
        body.push_str(&serde_json::to_string(&list).map_err(ApiError::internal)?);
    }
    body.push('}');
    Ok(answer(StatusCode::OK, body, dates(&rows)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn row(seq: i64, doc_len: usize) -> TaxiiRow {
        TaxiiRow {
            seq,
            object_id: format!("x-a--{seq}"),
            version: "v".into(),
            spec_version: "2.1".into(),
            date_added: format!("d{seq}"),
            doc: "x".repeat(doc_len),
        }
    }

    #[test]
    fn pages_stop_at_the_byte_limit() {
        let half = MAX_PAGE_BYTES / 2;
        let page = TaxiiPage {
            rows: vec![row(1, half), row(2, half), row(3, 10)],
            more: false,
        };
        let (rows, more) = fit(page);
        assert_eq!(rows.len(), 1);
        assert!(more);
        // One object larger than the limit still goes out alone.
        let (rows, more) = fit(TaxiiPage {
            rows: vec![row(1, MAX_PAGE_BYTES * 2)],
            more: false,
        });
        assert_eq!((rows.len(), more), (1, false));
        assert_eq!(opening(&rows, more), "{\"more\":false,\"next\":\"1\"");
        assert_eq!(opening(&[], false), "{\"more\":false");
    }
}
