//! Parsing what a caller sends: the query parameters of the incident list and of statistics, and
//! JSON bodies.
//!
//! Every bad input is answered with an error naming it: a query parameter by its name
//! (`bbox`, `from`), a body field by its JSON path (`location.point.lat`). Unknown and repeated
//! query parameters are refused rather than ignored, so a misspelt filter (`contry=MLI`) cannot
//! silently return everything. An empty value (`country=`, as an HTML form sends it) means "not
//! given". This module turns text into the domain's query types; it does not run queries.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use liaison_core::date::parse_iso_date;
use liaison_core::query::MAX_QUERY_CHARS;
use liaison_core::{
    BBox, Category, CountryCode, FieldError, IncidentFilter, StatsDimension, TypeFilter,
};
use liaison_store::{Cursor, MAX_PAGE_SIZE};
use serde::de::DeserializeOwned;
use utoipa::IntoParams;

use crate::error::ApiError;

/// Incidents per page when `limit` is not given.
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// The query parameters of `GET /api/v1/incidents`, for the OpenAPI document. The parser below
/// reads the same names (a unit test holds the two together).
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct ListQuery {
    /// Country (ISO 3166-1 alpha-3) the incident happened in.
    #[param(example = "MLI")]
    country: Option<String>,
    /// First day of the window, `YYYY-MM-DD`; incidents whose span overlaps the window match.
    #[param(example = "2012-01-01")]
    from: Option<String>,
    /// Last day of the window, `YYYY-MM-DD`.
    #[param(example = "2012-12-31")]
    to: Option<String>,
    /// Comma-separated event types (`attack`) or sub-types (`kidnapping`); any may match.
    #[param(rename = "type", example = "attack,kidnapping")]
    kind: Option<String>,
    /// Bounding box `west,south,east,north` in degrees.
    #[param(example = "-5,10,5,20")]
    bbox: Option<String>,
    /// Free text, every word must occur (French and English stems).
    text: Option<String>,
    /// Member that originated the incident (ISO 3166-1 alpha-3).
    originator: Option<String>,
    /// "As characterised by": only incidents this member (ISO 3166-1 alpha-3) has a reading of.
    #[param(example = "MLI")]
    characterised_by: Option<String>,
    /// With `characterised_by`: only incidents whose current reading by that member is this
    /// category (terrorism, organised_crime, trafficking, insurgency, communal_violence,
    /// banditry, unknown).
    #[param(example = "banditry")]
    category: Option<String>,
    /// Only incidents inside this integrated regional zone, built-in or the node's own (see
    /// `GET /api/v1/zones`).
    #[param(example = "liptako-gourma")]
    zone: Option<String>,
    /// Page size, 1 to 1000; 50 when not given.
    limit: Option<u32>,
    /// The `next_cursor` of the previous page.
    cursor: Option<String>,
}

/// The query parameters of `GET /api/v1/stats`: the dimensions and the list's filters.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct StatsQuery {
    /// Comma-separated dimensions: country, year, month, type, sub_type, originator, category
    /// (the `characterised_by` member's current category; needs `characterised_by`), zone (an
    /// incident in two zones counts in both). Monthly trends per zone and type:
    /// `zone,month,type`.
    #[param(example = "country,year")]
    by: String,
    /// `json` (the default) or `csv`: a header of the dimensions, then `incidents`,
    /// `fatalities_best`, `fatalities_low`, `fatalities_high`.
    #[param(example = "csv")]
    format: Option<String>,
    /// As for the incident list.
    country: Option<String>,
    from: Option<String>,
    to: Option<String>,
    #[param(rename = "type")]
    kind: Option<String>,
    bbox: Option<String>,
    text: Option<String>,
    originator: Option<String>,
    characterised_by: Option<String>,
    category: Option<String>,
    zone: Option<String>,
}

const FILTER_KEYS: [&str; 10] = [
    "country",
    "from",
    "to",
    "type",
    "bbox",
    "text",
    "originator",
    "characterised_by",
    "category",
    "zone",
];

/// The query string as name-value pairs, in order; a malformed query string is a 400.
pub struct QueryPairs(pub Vec<(String, String)>);

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<Vec<(String, String)>>::from_request_parts(parts, state)
            .await
            .map(|Query(pairs)| QueryPairs(pairs))
            .map_err(|_| ApiError::bad_request("the query string is malformed"))
    }
}

/// The parameters given, by name, once each, empty values dropped; unknown or repeated names
/// are errors.
fn take<'a>(
    pairs: &'a [(String, String)],
    allowed: &[&str],
    errors: &mut Vec<FieldError>,
) -> Vec<(&'a str, &'a str)> {
    let mut seen: Vec<(&str, &str)> = Vec::new();
    for (name, value) in pairs {
        if !allowed.contains(&name.as_str()) {
            errors.push(FieldError::new(
                name.as_str(),
                format!("unknown parameter; use {}", allowed.join(", ")),
            ));
        } else if seen.iter().any(|(n, _)| n == name) {
            errors.push(FieldError::new(name.as_str(), "given more than once"));
        } else {
            seen.push((name, value));
        }
    }
    seen.retain(|(_, v)| !v.trim().is_empty());
    seen
}

fn get<'a>(given: &[(&str, &'a str)], name: &str) -> Option<&'a str> {
    given.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// Parses one parameter if given, recording an error naming it if it does not parse.
fn parse_one<T>(
    given: &[(&str, &str)],
    name: &str,
    errors: &mut Vec<FieldError>,
    parse: impl FnOnce(&str) -> Result<T, String>,
) -> Option<T> {
    let raw = get(given, name)?;
    match parse(raw) {
        Ok(v) => Some(v),
        Err(message) => {
            errors.push(FieldError::new(name, message));
            None
        }
    }
}

fn parse_types(s: &str) -> Result<Vec<TypeFilter>, String> {
    let mut out = Vec::new();
    for part in s.split(',').filter(|p| !p.trim().is_empty()) {
        let t = TypeFilter::parse(part)?;
        if !out.contains(&t) {
            out.push(t);
        }
    }
    Ok(out)
}

fn parse_text(s: &str) -> Result<String, String> {
    let n = s.chars().count();
    if n > MAX_QUERY_CHARS {
        return Err(format!("{n} characters, at most {MAX_QUERY_CHARS} allowed"));
    }
    Ok(s.trim().to_owned())
}

/// A zone id's form; whether it names a zone is the store's answer.
fn parse_zone_id(s: &str) -> Result<String, String> {
    let id = s.trim();
    let well_formed = id.len() <= liaison_geo::zones::MAX_ZONE_ID_BYTES
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if well_formed {
        Ok(id.to_owned())
    } else {
        Err(format!(
            "a zone id is 1 to {} lower-case letters, digits or '-'",
            liaison_geo::zones::MAX_ZONE_ID_BYTES
        ))
    }
}

fn parse_filter(given: &[(&str, &str)], errors: &mut Vec<FieldError>) -> IncidentFilter {
    let filter = IncidentFilter {
        country: parse_one(given, "country", errors, CountryCode::parse),
        from: parse_one(given, "from", errors, parse_iso_date),
        to: parse_one(given, "to", errors, parse_iso_date),
        types: parse_one(given, "type", errors, parse_types).unwrap_or_default(),
        bbox: parse_one(given, "bbox", errors, BBox::parse),
        text: parse_one(given, "text", errors, parse_text),
        originator: parse_one(given, "originator", errors, CountryCode::parse),
        characterised_by: parse_one(given, "characterised_by", errors, CountryCode::parse),
        category: parse_one(given, "category", errors, Category::parse),
        zone: parse_one(given, "zone", errors, parse_zone_id),
    };
    if filter.category.is_some() && filter.characterised_by.is_none() {
        errors.push(FieldError::new(
            "category",
            "needs characterised_by: a category is always some member's reading",
        ));
    }
    if let (Some(from), Some(to)) = (filter.from, filter.to)
        && from > to
    {
        errors.push(FieldError::new("to", format!("{to} is before from {from}")));
    }
    filter
}

fn finish<T>(value: T, errors: Vec<FieldError>) -> Result<T, ApiError> {
    if errors.is_empty() {
        Ok(value)
    } else {
        Err(ApiError::bad_params(errors))
    }
}

/// What `GET /api/v1/incidents` asks for.
#[derive(Debug)]
pub struct ListRequest {
    pub filter: IncidentFilter,
    pub limit: u32,
    pub cursor: Option<Cursor>,
}

fn parse_limit(s: &str) -> Result<u32, String> {
    let n: u32 = s
        .trim()
        .parse()
        .map_err(|_| format!("'{s}' is not a whole number"))?;
    if !(1..=MAX_PAGE_SIZE).contains(&n) {
        return Err(format!("must be 1 to {MAX_PAGE_SIZE}"));
    }
    Ok(n)
}

fn parse_cursor(s: &str) -> Result<Cursor, String> {
    Cursor::parse(s.trim()).map_err(|_| "not a next_cursor returned by a previous page".into())
}

pub fn list_request(pairs: &[(String, String)]) -> Result<ListRequest, ApiError> {
    let mut errors = Vec::new();
    let mut allowed = FILTER_KEYS.to_vec();
    allowed.extend(["limit", "cursor"]);
    let given = take(pairs, &allowed, &mut errors);
    let filter = parse_filter(&given, &mut errors);
    let limit = parse_one(&given, "limit", &mut errors, parse_limit).unwrap_or(DEFAULT_PAGE_SIZE);
    let cursor = parse_one(&given, "cursor", &mut errors, parse_cursor);
    finish(
        ListRequest {
            filter,
            limit,
            cursor,
        },
        errors,
    )
}

/// How statistics are answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsFormat {
    Json,
    Csv,
}

fn parse_format(s: &str) -> Result<StatsFormat, String> {
    match s.trim() {
        "json" => Ok(StatsFormat::Json),
        "csv" => Ok(StatsFormat::Csv),
        other => Err(format!("'{other}': use json or csv")),
    }
}

/// What `GET /api/v1/stats` asks for.
#[derive(Debug)]
pub struct StatsRequest {
    pub filter: IncidentFilter,
    pub dims: Vec<StatsDimension>,
    pub format: StatsFormat,
}

/// What `GET /api/v1/stats` asks for: the filter, the dimensions and the format.
pub fn stats_request(pairs: &[(String, String)]) -> Result<StatsRequest, ApiError> {
    let mut errors = Vec::new();
    let mut allowed = vec!["by", "format"];
    allowed.extend(FILTER_KEYS);
    let given = take(pairs, &allowed, &mut errors);
    let filter = parse_filter(&given, &mut errors);
    let dims = match get(&given, "by") {
        None => {
            errors.push(FieldError::new(
                "by",
                "missing: give dimensions such as country,year",
            ));
            Vec::new()
        }
        Some(_) => {
            parse_one(&given, "by", &mut errors, StatsDimension::parse_list).unwrap_or_default()
        }
    };
    if dims.contains(&StatsDimension::Category) && filter.characterised_by.is_none() {
        errors.push(FieldError::new(
            "by",
            "category needs characterised_by: whose reading should be counted?",
        ));
    }
    let format =
        parse_one(&given, "format", &mut errors, parse_format).unwrap_or(StatsFormat::Json);
    finish(
        StatsRequest {
            filter,
            dims,
            format,
        },
        errors,
    )
}

/// The query parameters of `GET /api/v1/characterisations/divergence`.
#[derive(Debug, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
pub struct DivergenceQuery {
    /// Most incidents to list, 1 to 1000; 100 when not given.
    limit: Option<u32>,
}

/// Incidents a divergence report lists when `limit` is not given.
pub const DEFAULT_DIVERGENCES: u32 = 100;

/// What `GET /api/v1/characterisations/divergence` asks for: how many incidents at most.
pub fn divergence_request(pairs: &[(String, String)]) -> Result<u32, ApiError> {
    let mut errors = Vec::new();
    let given = take(pairs, &["limit"], &mut errors);
    let limit = parse_one(&given, "limit", &mut errors, parse_limit).unwrap_or(DEFAULT_DIVERGENCES);
    finish(limit, errors)
}

/// A JSON request body, parsed so that an error names the path of the bad field. Syntax errors
/// are 400 `bad_request`; well-formed JSON of the wrong shape (a missing field, a string for a
/// number, an unknown enum value) is 422 `validation_failed`. Bodies over
/// [`crate::MAX_REQUEST_BYTES`] are 413; bodies not declared as JSON are 415.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(req.headers()) {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::bad_request("the request body could not be read")
            }
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

fn is_json(headers: &HeaderMap) -> bool {
    let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim();
    essence.eq_ignore_ascii_case("application/json")
        || essence.rsplit_once('+').is_some_and(|(ty, suffix)| {
            ty.to_ascii_lowercase().starts_with("application/")
                && suffix.eq_ignore_ascii_case("json")
        })
}

/// Parses `bytes` as a `T`, naming the path of the first bad field.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    use serde_json::error::Category;
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        match inner.classify() {
            Category::Data => {
                let field = field_path(&path, &inner.to_string());
                ApiError::Validation(vec![FieldError::new(field, strip_position(&inner))])
            }
            Category::Syntax | Category::Eof | Category::Io => {
                let fields = if path == "." {
                    Vec::new()
                } else {
                    vec![FieldError::new(path, strip_position(&inner))]
                };
                ApiError::BadRequest {
                    message: format!("the body is not well-formed JSON: {inner}"),
                    fields,
                }
            }
        }
    })?;
    de.end()
        .map_err(|e| ApiError::bad_request(format!("the body is not well-formed JSON: {e}")))?;
    Ok(value)
}

/// serde_json's message without its ` at line L column C` suffix.
fn strip_position(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_owned(),
        None => s,
    }
}

/// The path of the field at fault: serde reports a missing field at its parent's path, so the
/// field's own name is appended (`location` + missing `precision` → `location.precision`).
fn field_path(path: &str, message: &str) -> String {
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split_once('`'))
        .map(|(name, _)| name);
    match (path, missing) {
        (".", Some(name)) => name.to_owned(),
        (p, Some(name)) => format!("{p}.{name}"),
        (p, None) => p.to_owned(),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn pairs(q: &[(&str, &str)]) -> Vec<(String, String)> {
        q.iter()
            .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
            .collect()
    }

    fn bad_fields(e: ApiError) -> Vec<String> {
        e.body().error.fields.into_iter().map(|f| f.field).collect()
    }

    #[test]
    fn list_parameters() {
        let r = list_request(&pairs(&[
            ("country", "mli"),
            ("from", "2012-01-01"),
            ("to", "2012-12-31"),
            ("type", "attack, kidnapping,attack"),
            ("bbox", "-5,10,5,20"),
            ("text", " Gao "),
            ("originator", "NER"),
            ("limit", "5"),
            ("cursor", ""),
        ]))
        .unwrap();
        assert_eq!(r.filter.country.unwrap().as_str(), "MLI");
        assert_eq!(r.filter.types.len(), 2);
        assert_eq!(r.filter.text.as_deref(), Some("Gao"));
        assert_eq!(r.limit, 5);
        assert!(r.cursor.is_none());
        assert_eq!(list_request(&[]).unwrap().limit, DEFAULT_PAGE_SIZE);
    }

    #[test]
    fn every_bad_parameter_is_named() {
        let e = list_request(&pairs(&[
            ("bbox", "1,2,3"),
            ("from", "2020-13-01"),
            ("type", "picnic"),
            ("cursor", "zzz"),
            ("limit", "abc"),
            ("contry", "MLI"),
        ]))
        .unwrap_err();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert_eq!(
            bad_fields(e),
            ["contry", "from", "type", "bbox", "limit", "cursor"]
        );
        let e = list_request(&pairs(&[("limit", "0")])).unwrap_err();
        assert_eq!(bad_fields(e), ["limit"]);
        let e = list_request(&pairs(&[("limit", "1001")])).unwrap_err();
        assert_eq!(bad_fields(e), ["limit"]);
        let e = list_request(&pairs(&[("country", "MLI"), ("country", "NER")])).unwrap_err();
        assert_eq!(bad_fields(e), ["country"]);
        let e = list_request(&pairs(&[("from", "2012-02-01"), ("to", "2012-01-01")])).unwrap_err();
        assert_eq!(bad_fields(e), ["to"]);
        let long = "a".repeat(MAX_QUERY_CHARS + 1);
        let e = list_request(&pairs(&[("text", &long)])).unwrap_err();
        assert_eq!(bad_fields(e), ["text"]);
    }

    #[test]
    fn stats_parameters() {
        let r = stats_request(&pairs(&[("by", "country,year")])).unwrap();
        assert_eq!(r.dims, [StatsDimension::Country, StatsDimension::Year]);
        assert_eq!(r.format, StatsFormat::Json);
        let r = stats_request(&pairs(&[
            ("by", "zone,month,type"),
            ("format", "csv"),
            ("zone", "liptako-gourma"),
        ]))
        .unwrap();
        assert_eq!(r.dims[0], StatsDimension::Zone);
        assert_eq!(r.format, StatsFormat::Csv);
        assert_eq!(r.filter.zone.as_deref(), Some("liptako-gourma"));
        let e = stats_request(&pairs(&[("by", "zone"), ("format", "xls")])).unwrap_err();
        assert_eq!(bad_fields(e), ["format"]);
        let e = list_request(&pairs(&[("zone", "Liptako Gourma")])).unwrap_err();
        assert_eq!(bad_fields(e), ["zone"]);
        assert_eq!(bad_fields(stats_request(&[]).unwrap_err()), ["by"]);
        let e = stats_request(&pairs(&[("by", "colour")])).unwrap_err();
        assert_eq!(bad_fields(e), ["by"]);
        let e = stats_request(&pairs(&[("by", "year"), ("limit", "5")])).unwrap_err();
        assert_eq!(bad_fields(e), ["limit"]);
        let e = stats_request(&pairs(&[("by", "category")])).unwrap_err();
        assert_eq!(bad_fields(e), ["by"]);
        let r = stats_request(&pairs(&[
            ("by", "category,year"),
            ("characterised_by", "MLI"),
        ]))
        .unwrap();
        assert_eq!(r.dims[0], StatsDimension::Category);
        assert_eq!(r.filter.characterised_by.unwrap().as_str(), "MLI");
        let e = list_request(&pairs(&[("category", "banditry")])).unwrap_err();
        assert_eq!(bad_fields(e), ["category"]);
        let e = list_request(&pairs(&[
            ("characterised_by", "MLI"),
            ("category", "piracy"),
        ]))
        .unwrap_err();
        assert_eq!(bad_fields(e), ["category"]);
    }

    #[test]
    fn documented_parameters_are_the_parsed_ones() {
        let names = |ps: Vec<utoipa::openapi::path::Parameter>| -> Vec<String> {
            ps.into_iter().map(|p| p.name).collect()
        };
        let mut list = FILTER_KEYS.to_vec();
        list.extend(["limit", "cursor"]);
        assert_eq!(names(ListQuery::into_params(|| None)), list);
        let mut stats = vec!["by", "format"];
        stats.extend(FILTER_KEYS);
        assert_eq!(names(StatsQuery::into_params(|| None)), stats);
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Inner {
        lat: f64,
        tag: String,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        items: Vec<Inner>,
    }

    #[test]
    fn json_errors_name_the_path() {
        let e = parse_json::<Outer>(br#"{"items":[{"lat":1,"tag":"x"},{"lat":"n","tag":"y"}]}"#)
            .unwrap_err();
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(bad_fields(e), ["items[1].lat"]);
        let e = parse_json::<Outer>(br#"{"items":[{"lat":1}]}"#).unwrap_err();
        assert_eq!(bad_fields(e), ["items[0].tag"]);
        let e = parse_json::<Outer>(br#"{}"#).unwrap_err();
        assert_eq!(bad_fields(e), ["items"]);
        let e = parse_json::<Outer>(br#"{"items": [}"#).unwrap_err();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        let e = parse_json::<Outer>(br#"{"items": []} x"#).unwrap_err();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        let e = parse_json::<Outer>(b"").unwrap_err();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
    }

    #[test]
    fn json_content_types() {
        let h = |v: &str| {
            let mut m = HeaderMap::new();
            m.insert(header::CONTENT_TYPE, v.parse().unwrap());
            m
        };
        assert!(is_json(&h("application/json")));
        assert!(is_json(&h("application/json; charset=utf-8")));
        assert!(is_json(&h("application/problem+json")));
        assert!(!is_json(&h("text/plain")));
        assert!(!is_json(&h("application/x-www-form-urlencoded")));
        assert!(!is_json(&HeaderMap::new()));
    }
}
