//! The query parameters of TAXII listings: `added_after`, `limit`, `next` and the `match[…]`
//! filters, each endpoint taking the ones TAXII 2.1 gives it.
//!
//! Values are comma-separated; a parameter given twice adds its values. A `match[…]` filter the
//! endpoint does not support is refused (400) rather than ignored, so a misspelt filter cannot
//! silently return everything; other unknown parameters are ignored, as TAXII asks. `next` is the
//! counter of the last row a page returned (invariant 5), written in decimal.

use liaison_store::{TaxiiQuery, VersionMatch, taxii_date_added, taxii_timestamp_key};

use super::error::TaxiiError;
use super::validate::parse_timestamp;
use super::{DEFAULT_PAGE_OBJECTS, MAX_FILTER_VALUES, MAX_PAGE_OBJECTS};

/// Which endpoint the parameters are for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    /// Get objects and get manifest: every filter.
    Objects,
    /// Get one object: no `match[id]`, no `match[type]`.
    Object,
    /// Get an object's versions: `added_after`, `limit`, `next`, `match[spec_version]`.
    Versions,
    /// Delete an object: `match[version]`, `match[spec_version]`.
    Delete,
}

impl Endpoint {
    fn takes(self, name: &str) -> bool {
        match self {
            Endpoint::Objects => true,
            Endpoint::Object => !matches!(name, "match[id]" | "match[type]"),
            Endpoint::Versions => !matches!(name, "match[id]" | "match[type]" | "match[version]"),
            Endpoint::Delete => matches!(name, "match[version]" | "match[spec_version]"),
        }
    }
}

fn values<'a>(name: &str, raw: &'a str, into: &mut Vec<&'a str>) -> Result<(), TaxiiError> {
    for v in raw.split(',').map(str::trim) {
        if v.is_empty() {
            return Err(TaxiiError::bad_param(name, "an empty value"));
        }
        into.push(v);
    }
    if into.len() > MAX_FILTER_VALUES {
        return Err(TaxiiError::bad_param(
            name,
            format!("at most {MAX_FILTER_VALUES} values"),
        ));
    }
    Ok(())
}

fn parse_versions(raw: &[&str]) -> Result<VersionMatch, TaxiiError> {
    let mut m = VersionMatch::default();
    for v in raw {
        match *v {
            "all" => m.all = true,
            "first" => m.first = true,
            "last" => m.last = true,
            ts => {
                let t = parse_timestamp(ts)
                    .map_err(|e| TaxiiError::bad_param("match[version]", format!("'{ts}': {e}")))?;
                m.keys.push(taxii_timestamp_key(t));
            }
        }
    }
    Ok(m)
}

/// The listing the query string `raw` asks of `endpoint`.
pub(crate) fn parse(raw: Option<&str>, endpoint: Endpoint) -> Result<TaxiiQuery, TaxiiError> {
    let mut q = TaxiiQuery {
        limit: DEFAULT_PAGE_OBJECTS,
        ..TaxiiQuery::default()
    };
    let pairs: Vec<(String, String)> = form_urlencoded::parse(raw.unwrap_or("").as_bytes())
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    let (mut ids, mut types, mut versions, mut specs) = (vec![], vec![], vec![], vec![]);
    for (name, value) in &pairs {
        let name = name.as_str();
        if name.starts_with("match[") && !endpoint.takes(name) {
            return Err(TaxiiError::bad_param(
                name,
                "this endpoint does not support that filter",
            ));
        }
        if !endpoint.takes(name) {
            continue;
        }
        match name {
            "match[id]" => values(name, value, &mut ids)?,
            "match[type]" => values(name, value, &mut types)?,
            "match[version]" => values(name, value, &mut versions)?,
            "match[spec_version]" => values(name, value, &mut specs)?,
            "added_after" => {
                let t = parse_timestamp(value)
                    .map_err(|e| TaxiiError::bad_param(name, format!("'{value}': {e}")))?;
                // Stored date_added values are whole milliseconds, so "after t" is "after t
                // truncated to the millisecond".
                q.added_after = Some(taxii_date_added(t));
            }
            "limit" => {
                let n: u64 = value.trim().parse().map_err(|_| {
                    TaxiiError::bad_param(name, "a positive whole number of objects")
                })?;
                if n == 0 {
                    return Err(TaxiiError::bad_param(name, "must be at least 1"));
                }
                q.limit = u32::try_from(n)
                    .unwrap_or(MAX_PAGE_OBJECTS)
                    .min(MAX_PAGE_OBJECTS);
            }
            "next" => {
                q.after_seq = value
                    .trim()
                    .parse::<i64>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .ok_or_else(|| {
                        TaxiiError::bad_param(name, "not a next token this server gave")
                    })?;
            }
            other if other.starts_with("match[") => {
                return Err(TaxiiError::bad_param(other, "unsupported filter"));
            }
            _ => {}
        }
    }
    q.object_ids = ids.into_iter().map(str::to_owned).collect();
    q.types = types.into_iter().map(str::to_owned).collect();
    q.spec_versions = specs.into_iter().map(str::to_owned).collect();
    q.versions = if versions.is_empty() {
        match endpoint {
            Endpoint::Objects | Endpoint::Object => VersionMatch::last(),
            Endpoint::Versions | Endpoint::Delete => VersionMatch::all(),
        }
    } else {
        parse_versions(&versions)?
    };
    Ok(q)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn ok(raw: &str, e: Endpoint) -> TaxiiQuery {
        parse(Some(raw), e).unwrap()
    }

    fn err(raw: &str, e: Endpoint) -> String {
        let e = parse(Some(raw), e).unwrap_err();
        e.error.body().error.fields[0].field.clone()
    }

    #[test]
    fn defaults() {
        let q = parse(None, Endpoint::Objects).unwrap();
        assert_eq!(q.limit, DEFAULT_PAGE_OBJECTS);
        assert_eq!(q.after_seq, 0);
        assert_eq!(q.versions, VersionMatch::last());
        assert_eq!(ok("", Endpoint::Versions).versions, VersionMatch::all());
        assert_eq!(ok("", Endpoint::Delete).versions, VersionMatch::all());
    }

    #[test]
    fn every_filter() {
        let q = ok(
            "added_after=2024-01-01T00:00:00.0005Z&limit=5&next=42&match[id]=a--1,b--2\
             &match[type]=indicator&match[type]=report&match[version]=first,2020-01-01T00:00:00Z\
             &match[spec_version]=2.1&unknown=1",
            Endpoint::Objects,
        );
        assert_eq!(q.added_after.as_deref(), Some("2024-01-01T00:00:00.000Z"));
        assert_eq!(q.limit, 5);
        assert_eq!(q.after_seq, 42);
        assert_eq!(q.object_ids, ["a--1", "b--2"]);
        assert_eq!(q.types, ["indicator", "report"]);
        assert!(q.versions.first && !q.versions.last && !q.versions.all);
        assert_eq!(q.versions.keys, ["2020-01-01T00:00:00.000000000Z"]);
        assert_eq!(q.spec_versions, ["2.1"]);
        // Brackets percent-encoded, as clients send them.
        let q = ok("match%5Btype%5D=indicator&limit=100000", Endpoint::Objects);
        assert_eq!(q.types, ["indicator"]);
        assert_eq!(q.limit, MAX_PAGE_OBJECTS);
    }

    #[test]
    fn refusals() {
        assert_eq!(err("limit=0", Endpoint::Objects), "limit");
        assert_eq!(err("limit=-3", Endpoint::Objects), "limit");
        assert_eq!(err("next=abc", Endpoint::Objects), "next");
        assert_eq!(err("next=-1", Endpoint::Objects), "next");
        assert_eq!(
            err("added_after=yesterday", Endpoint::Objects),
            "added_after"
        );
        assert_eq!(
            err("match[version]=latest", Endpoint::Objects),
            "match[version]"
        );
        assert_eq!(err("match[id]=a,,b", Endpoint::Objects), "match[id]");
        assert_eq!(err("match[colour]=red", Endpoint::Objects), "match[colour]");
        assert_eq!(err("match[type]=x", Endpoint::Object), "match[type]");
        assert_eq!(
            err("match[version]=all", Endpoint::Versions),
            "match[version]"
        );
        let many = vec!["x"; MAX_FILTER_VALUES + 1].join(",");
        assert_eq!(
            err(&format!("match[id]={many}"), Endpoint::Objects),
            "match[id]"
        );
        // Parameters the endpoint does not take and that are not filters are ignored.
        assert_eq!(ok("limit=0", Endpoint::Delete).limit, DEFAULT_PAGE_OBJECTS);
    }
}
