//! The checks every incoming object passes before anything of it is stored: its `type` and `id`,
//! `spec_version` 2.1, the common properties STIX requires (`created`, `modified`), timestamps
//! (form and range, `modified` not before `created`), references (`*_ref`, `*_refs` hold ids;
//! `created_by_ref` an identity, markings marking-definitions), the shape of external references
//! and granular markings, the required properties of the STIX 2.1 object types, and the length
//! of every string. Unknown types and custom properties are allowed: they are kept verbatim.

use serde_json::{Map, Value};

use crate::bundle::MAX_STRING_BYTES;
use crate::error::ObjectError;
use crate::ids::{check_id, check_id_of, check_type_name, shorten};
use crate::timestamp;

/// What every valid object is known by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub id: String,
    pub object_type: String,
    pub spec_version: Option<String>,
    /// The version: `modified`, else `created`, as a fixed-width timestamp that sorts as text
    /// ([`timestamp::Parsed::key`]); empty for objects without either (cyber observables).
    pub version_key: String,
}

/// STIX 2.1 domain objects and the properties each requires (besides the common ones).
const SDOS: &[(&str, &[&str])] = &[
    ("attack-pattern", &["name"]),
    ("campaign", &["name"]),
    ("course-of-action", &["name"]),
    ("grouping", &["context", "object_refs"]),
    ("identity", &["name"]),
    ("incident", &["name"]),
    ("indicator", &["pattern", "pattern_type", "valid_from"]),
    ("infrastructure", &["name"]),
    ("intrusion-set", &["name"]),
    ("location", &[]),
    ("malware", &["is_family"]),
    ("malware-analysis", &["product"]),
    ("note", &["content", "object_refs"]),
    (
        "observed-data",
        &["first_observed", "last_observed", "number_observed"],
    ),
    ("opinion", &["opinion", "object_refs"]),
    ("report", &["name", "published", "object_refs"]),
    ("threat-actor", &["name"]),
    ("tool", &["name"]),
    ("vulnerability", &["name"]),
    (
        "relationship",
        &["relationship_type", "source_ref", "target_ref"],
    ),
    ("sighting", &["sighting_of_ref"]),
    (
        "language-content",
        &["object_ref", "object_modified", "contents"],
    ),
    (
        "extension-definition",
        &[
            "created_by_ref",
            "name",
            "schema",
            "version",
            "extension_types",
        ],
    ),
];

/// STIX 2.1 cyber observables: no `created`, `spec_version` optional.
const SCOS: &[&str] = &[
    "artifact",
    "autonomous-system",
    "directory",
    "domain-name",
    "email-addr",
    "email-message",
    "file",
    "ipv4-addr",
    "ipv6-addr",
    "mac-addr",
    "mutex",
    "network-traffic",
    "process",
    "software",
    "url",
    "user-account",
    "windows-registry-key",
    "x509-certificate",
];

/// Timestamp properties of the STIX 2.1 types, besides `created` and `modified`.
const TIMESTAMPS: &[(&str, &[&str])] = &[
    ("report", &["published"]),
    ("indicator", &["valid_from", "valid_until"]),
    ("observed-data", &["first_observed", "last_observed"]),
    ("sighting", &["first_seen", "last_seen"]),
    ("relationship", &["start_time", "stop_time"]),
    ("threat-actor", &["first_seen", "last_seen"]),
    ("campaign", &["first_seen", "last_seen"]),
    ("intrusion-set", &["first_seen", "last_seen"]),
    ("infrastructure", &["first_seen", "last_seen"]),
    ("malware", &["first_seen", "last_seen"]),
    (
        "malware-analysis",
        &["analysis_started", "analysis_ended", "submitted"],
    ),
    ("language-content", &["object_modified"]),
];

struct Errors<'a> {
    index: usize,
    id: Option<&'a str>,
    list: Vec<ObjectError>,
}

impl Errors<'_> {
    fn push(&mut self, property: Option<&str>, reason: impl Into<String>) {
        self.list.push(ObjectError::new(
            self.index,
            self.id,
            property,
            reason.into(),
        ));
    }
}

/// Checks one object; returns its header, or every problem found.
pub fn check(index: usize, v: &Value) -> Result<Header, Vec<ObjectError>> {
    let mut e = Errors {
        index,
        id: None,
        list: Vec::new(),
    };
    let Some(o) = v.as_object() else {
        e.push(None, "not a JSON object");
        return Err(e.list);
    };
    let id = match o.get("id") {
        Some(Value::String(s)) => Some(s.as_str()),
        Some(_) => {
            e.push(Some("id"), "must be a string");
            None
        }
        None => {
            e.push(Some("id"), "missing (every STIX object has an id)");
            None
        }
    };
    let object_type = match o.get("type") {
        Some(Value::String(t)) => match check_type_name(t) {
            Ok(()) => Some(t.as_str()),
            Err(m) => {
                e.push(Some("type"), m);
                None
            }
        },
        Some(_) => {
            e.push(Some("type"), "must be a string");
            None
        }
        None => {
            e.push(Some("type"), "missing (every STIX object has a type)");
            None
        }
    };
    if let Some(id) = id {
        match check_id(id) {
            Ok(t) if object_type.is_some_and(|ot| ot != t) => e.push(
                Some("id"),
                format!(
                    "'{}' does not name an object of type '{}'",
                    shorten(id),
                    object_type.unwrap_or_default()
                ),
            ),
            Ok(_) => e.id = Some(id),
            Err(m) => e.push(Some("id"), m),
        }
    }
    let (Some(id), Some(t), true) = (id, object_type, e.list.is_empty()) else {
        return Err(e.list);
    };
    strings(&mut e, &mut Path::new(), v);
    let known = SDOS.iter().find(|(n, _)| *n == t).map(|(_, req)| *req);
    let is_sco = SCOS.contains(&t);
    let is_marking = t == "marking-definition";
    let has_created = o.contains_key("created");
    let needs_versioning = known.is_some() || (!is_sco && !is_marking && has_created);
    let spec_version = match o.get("spec_version") {
        Some(Value::String(s)) if s == "2.1" => Some(s.clone()),
        Some(Value::String(s)) => {
            e.push(Some("spec_version"), format!("'{}' is not 2.1", shorten(s)));
            None
        }
        Some(_) => {
            e.push(Some("spec_version"), "must be the string \"2.1\"");
            None
        }
        None if needs_versioning || is_marking => {
            e.push(Some("spec_version"), "missing (must be \"2.1\")");
            None
        }
        None => None,
    };
    let mut required: Vec<&str> = Vec::new();
    if needs_versioning {
        required.extend(["created", "modified"]);
    } else if is_marking {
        required.push("created");
    }
    required.extend(known.unwrap_or_default().iter().copied());
    for p in required {
        if !o.contains_key(p) {
            e.push(Some(p), format!("missing (required on {t})"));
        }
    }
    if t == "location" {
        let has = |k: &str| o.contains_key(k);
        if !(has("region") || has("country") || (has("latitude") && has("longitude"))) {
            e.push(
                None,
                "a location needs region, country, or latitude and longitude",
            );
        }
        if has("latitude") != has("longitude") {
            e.push(Some("latitude"), "latitude and longitude go together");
        }
    }
    let created = stamp(&mut e, o, "created").and_then(|t| millis(&mut e, "created", t));
    let modified = stamp(&mut e, o, "modified").and_then(|t| millis(&mut e, "modified", t));
    if let (Some(c), Some(m)) = (&created, &modified)
        && m < c
    {
        e.push(Some("modified"), "is before created");
    }
    for (_, props) in TIMESTAMPS.iter().filter(|(n, _)| *n == t) {
        for p in *props {
            stamp(&mut e, o, p);
        }
    }
    common(&mut e, o);
    if t == "observed-data" {
        // Its deprecated `objects` dictionary refers to its own keys ("0", "1"), not to ids.
        let mut rest = o.clone();
        rest.remove("objects");
        refs(&mut e, &mut Path::new(), &Value::Object(rest));
    } else {
        refs(&mut e, &mut Path::new(), v);
    }
    if !e.list.is_empty() {
        return Err(e.list);
    }
    Ok(Header {
        id: id.to_owned(),
        object_type: t.to_owned(),
        spec_version,
        version_key: modified.or(created).map(|p| p.key).unwrap_or_default(),
    })
}

fn stamp(e: &mut Errors, o: &Map<String, Value>, p: &str) -> Option<timestamp::Parsed> {
    match o.get(p)? {
        Value::String(s) => match timestamp::parse(s) {
            Ok(ts) => Some(ts),
            Err(m) => {
                e.push(Some(p), m);
                None
            }
        },
        _ => {
            e.push(Some(p), "must be a timestamp string");
            None
        }
    }
}

/// `created` and `modified` must be precise to the millisecond (STIX 2.1, 3.2).
fn millis(e: &mut Errors, p: &str, t: timestamp::Parsed) -> Option<timestamp::Parsed> {
    if t.fraction_digits >= 3 {
        Some(t)
    } else {
        e.push(
            Some(p),
            "must be precise to the millisecond (at least 3 decimals: …:SS.sssZ)",
        );
        None
    }
}

/// One step from the object's top to a value: a property name or a list index.
#[derive(Clone, Copy)]
enum Step<'v> {
    Key(&'v str),
    Index(usize),
}

/// Where a walk is in the object, as the steps taken. The dotted text (`a.b[2].c`) is made
/// only when an error names it: made at every key, it cost more than the rest of the checks.
struct Path<'v>(Vec<Step<'v>>);

impl<'v> Path<'v> {
    fn new() -> Self {
        Path(Vec::new())
    }

    /// The text of the path, `key`, `path.key`, `path[i]`; the empty string at the top.
    fn text(&self) -> String {
        let mut out = String::new();
        for step in &self.0 {
            match step {
                // A key after an empty path (the top, or keys that are themselves empty) has no
                // dot before it.
                Step::Key(k) if out.is_empty() => out.push_str(k),
                Step::Key(k) => {
                    out.push('.');
                    out.push_str(k);
                }
                Step::Index(i) => {
                    out.push('[');
                    out.push_str(&i.to_string());
                    out.push(']');
                }
            }
        }
        out
    }

    /// Runs `f` one step further down, and comes back.
    fn at<R>(&mut self, step: Step<'v>, f: impl FnOnce(&mut Self) -> R) -> R {
        self.0.push(step);
        let r = f(self);
        self.0.pop();
        r
    }
}

impl Errors<'_> {
    /// An error at the property `path` leads to.
    fn push_at(&mut self, path: &Path, reason: impl Into<String>) {
        let property = path.text();
        self.push(Some(&property), reason);
    }
}

/// Every string value and key within the limit.
fn strings<'v>(e: &mut Errors, path: &mut Path<'v>, v: &'v Value) {
    match v {
        Value::String(s) if s.len() > MAX_STRING_BYTES => e.push_at(
            path,
            format!(
                "a string of {} bytes; at most {MAX_STRING_BYTES} allowed",
                s.len()
            ),
        ),
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.at(Step::Index(i), |p| strings(e, p, x));
            }
        }
        Value::Object(o) => {
            for (k, x) in o {
                if k.len() > MAX_STRING_BYTES {
                    e.push_at(path, "a property name longer than the string limit");
                } else {
                    path.at(Step::Key(k), |p| strings(e, p, x));
                }
            }
        }
        _ => {}
    }
}

/// `*_ref` properties hold an id, `*_refs` a list of ids, wherever they are in the object.
fn refs<'v>(e: &mut Errors, path: &mut Path<'v>, v: &'v Value) {
    match v {
        Value::Object(o) => {
            for (k, x) in o {
                path.at(Step::Key(k), |p| {
                    let want = match k.as_str() {
                        "created_by_ref" => Some("identity"),
                        "object_marking_refs" | "marking_ref" => Some("marking-definition"),
                        _ => None,
                    };
                    if k.ends_with("_refs") {
                        match x.as_array() {
                            Some(list) if !list.is_empty() => {
                                for (i, r) in list.iter().enumerate() {
                                    p.at(Step::Index(i), |p| one_ref(e, p, r, want));
                                }
                            }
                            _ => e.push_at(p, "must be a non-empty list of ids"),
                        }
                    } else if k.ends_with("_ref") {
                        one_ref(e, p, x, want);
                    } else {
                        refs(e, p, x);
                    }
                });
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                path.at(Step::Index(i), |p| refs(e, p, x));
            }
        }
        _ => {}
    }
}

fn one_ref(e: &mut Errors, path: &Path, r: &Value, want: Option<&str>) {
    let Some(s) = r.as_str() else {
        e.push_at(path, "must be an id (a string)");
        return;
    };
    let checked = match want {
        Some(t) => check_id_of(s, t),
        None => check_id(s).map(|_| ()),
    };
    if let Err(m) = checked {
        e.push_at(path, m);
    }
}

/// The common properties whose shape STIX fixes.
fn common(e: &mut Errors, o: &Map<String, Value>) {
    if let Some(x) = o.get("external_references") {
        match x.as_array() {
            Some(list) => {
                for (i, r) in list.iter().enumerate() {
                    match r.get("source_name") {
                        Some(Value::String(_)) => {}
                        _ => e.push(
                            Some(&format!("external_references[{i}]")),
                            "needs a source_name string",
                        ),
                    }
                }
            }
            None => e.push(Some("external_references"), "must be a list"),
        }
    }
    if let Some(x) = o.get("granular_markings") {
        match x.as_array() {
            Some(list) if !list.is_empty() => {
                for (i, g) in list.iter().enumerate() {
                    let p = || format!("granular_markings[{i}]");
                    let selectors = g.get("selectors").and_then(Value::as_array);
                    if !selectors.is_some_and(|s| !s.is_empty() && s.iter().all(Value::is_string)) {
                        e.push(Some(&p()), "needs a non-empty list of selectors");
                    }
                    if g.get("marking_ref").is_some() == g.get("lang").is_some() {
                        e.push(Some(&p()), "needs exactly one of marking_ref and lang");
                    }
                }
            }
            _ => e.push(Some("granular_markings"), "must be a non-empty list"),
        }
    }
    if let Some(x) = o.get("revoked")
        && !x.is_boolean()
    {
        e.push(Some("revoked"), "must be true or false");
    }
    if let Some(x) = o.get("confidence")
        && x.as_u64().is_none_or(|c| c > 100)
    {
        e.push(Some("confidence"), "must be an integer from 0 to 100");
    }
    for list in ["labels", "extension_types"] {
        if let Some(x) = o.get(list)
            && !x.as_array().is_some_and(|a| a.iter().all(Value::is_string))
        {
            e.push(Some(list), "must be a list of strings");
        }
    }
    if let Some(x) = o.get("extensions") {
        match x.as_object() {
            Some(exts) => {
                for (k, v) in exts {
                    if !v.is_object() {
                        e.push(Some(&format!("extensions.{k}")), "must be an object");
                    }
                }
            }
            None => e.push(Some("extensions"), "must be an object"),
        }
    }
}
