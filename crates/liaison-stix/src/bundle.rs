//! Bundles and TAXII envelopes: the limits on what Liaison reads, the parser, and the bundle it
//! writes.
//!
//! Reading goes in this order, and stops at the first envelope-level failure (nothing of such an
//! input is usable): size, UTF-8, nesting depth (counted on the raw bytes, before any recursive
//! parsing can overflow), JSON syntax, the top-level shape (a bundle, or a TAXII envelope
//! `{"objects": [...]}`), the object count. Then each object is checked on its own
//! ([`crate::validate`]); a bad object is reported with its index, id and property, and the
//! others stay usable. Each object keeps its raw text, so what is stored is what was sent.

use std::collections::HashMap;

use serde_json::value::RawValue;
use serde_json::{Value, json};

use crate::error::{EnvelopeError, ObjectError};
use crate::ids::check_id_of;
use crate::validate::{self, Header};

/// Largest bundle or envelope read, in bytes (64 MiB).
pub const MAX_BUNDLE_BYTES: usize = 64 * 1024 * 1024;
/// Most objects in one bundle or envelope.
pub const MAX_OBJECTS: usize = 100_000;
/// Deepest nesting of arrays and objects, counted from the top (the bundle is level 1, its
/// `objects` list level 2, each object level 3).
pub const MAX_JSON_DEPTH: usize = 32;
/// Longest string (value or key) in an object, in bytes (4 MiB).
pub const MAX_STRING_BYTES: usize = 4 * 1024 * 1024;

/// A bundle Liaison writes.
#[derive(Debug, Clone, PartialEq)]
pub struct Bundle {
    pub id: String,
    pub objects: Vec<Value>,
}

impl Bundle {
    /// The bundle as JSON (`objects` left out when there are none: STIX forbids an empty list).
    pub fn to_value(&self) -> Value {
        let mut b = json!({ "type": "bundle", "id": self.id });
        if !self.objects.is_empty() {
            b["objects"] = Value::Array(self.objects.clone());
        }
        b
    }
}

/// What held the objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EnvelopeKind {
    Bundle {
        id: String,
    },
    /// A TAXII 2.1 envelope (`{"objects": [...], "more": …}`).
    Taxii,
}

/// One object that passed the checks.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedObject {
    /// Its position in `objects`.
    pub index: usize,
    pub header: Header,
    /// The object's JSON text, exactly as it came.
    pub raw: String,
    pub value: Value,
}

/// A parsed bundle or envelope: the good objects, and an error for each bad one.
#[derive(Debug, Clone, PartialEq)]
pub struct Parsed {
    pub kind: EnvelopeKind,
    /// How many objects the input listed.
    pub total: usize,
    pub objects: Vec<ParsedObject>,
    pub errors: Vec<ObjectError>,
    /// Objects listed twice with the same id, version and content (kept once).
    pub duplicates: usize,
}

fn fail(msg: impl Into<String>) -> EnvelopeError {
    EnvelopeError(msg.into())
}

/// Refuses input nested deeper than [`MAX_JSON_DEPTH`], scanning the raw text (strings
/// skipped), so that no parser ever recurses that deep.
fn check_depth(text: &str) -> Result<(), EnvelopeError> {
    let (mut depth, mut line) = (0usize, 1usize);
    let (mut in_string, mut escaped) = (false, false);
    for (i, b) in text.bytes().enumerate() {
        if in_string {
            if escaped {
                escaped = false;
            } else if b == b'\\' {
                escaped = true;
            } else if b == b'"' {
                in_string = false;
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > MAX_JSON_DEPTH {
                    return Err(fail(format!(
                        "JSON nested deeper than {MAX_JSON_DEPTH} levels (line {line}, byte {i}); \
                         refused before parsing"
                    )));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'\n' => line += 1,
            _ => {}
        }
    }
    Ok(())
}

fn kind_of_json(text: &str) -> &'static str {
    match text.trim_start().bytes().next() {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a boolean",
        Some(b'n') => "null",
        Some(_) => "a number",
        None => "empty",
    }
}

/// Reads a bundle or a TAXII envelope (see the module's doc for the order of checks).
pub fn parse(bytes: &[u8]) -> Result<Parsed, EnvelopeError> {
    if bytes.len() > MAX_BUNDLE_BYTES {
        return Err(fail(format!(
            "{} bytes: a bundle may hold at most {MAX_BUNDLE_BYTES} bytes (64 MiB)",
            bytes.len()
        )));
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        fail(format!(
            "not UTF-8 text (invalid byte at offset {})",
            e.valid_up_to()
        ))
    })?;
    check_depth(text)?;
    if !text.trim_start().starts_with('{') {
        return Err(fail(format!(
            "the top-level JSON value is {}, not a bundle or a TAXII envelope",
            kind_of_json(text)
        )));
    }
    let top: HashMap<String, &RawValue> =
        serde_json::from_str(text).map_err(|e| fail(format!("not JSON: {e}")))?;
    let kind = envelope_kind(&top)?;
    let objects: Vec<&RawValue> = match top.get("objects") {
        None => Vec::new(),
        Some(raw) => serde_json::from_str(raw.get())
            .map_err(|_| fail("'objects' is not a list of JSON values"))?,
    };
    if objects.len() > MAX_OBJECTS {
        return Err(fail(format!(
            "{} objects: a bundle may hold at most {MAX_OBJECTS}",
            objects.len()
        )));
    }
    let mut parsed = Parsed {
        kind,
        total: objects.len(),
        objects: Vec::new(),
        errors: Vec::new(),
        duplicates: 0,
    };
    let mut versions: HashMap<(String, String), usize> = HashMap::new();
    for (index, raw) in objects.into_iter().enumerate() {
        let value: Value = match serde_json::from_str(raw.get()) {
            Ok(v) => v,
            Err(e) => {
                parsed.errors.push(ObjectError::new(
                    index,
                    None,
                    None,
                    format!("unreadable: {e}"),
                ));
                continue;
            }
        };
        let header = match validate::check(index, &value) {
            Ok(h) => h,
            Err(errs) => {
                parsed.errors.extend(errs);
                continue;
            }
        };
        let key = (header.id.clone(), header.version_key.clone());
        if let Some(&first) = versions.get(&key) {
            let same = parsed.objects.get(first).is_some_and(|o| o.value == value);
            if same {
                parsed.duplicates += 1;
            } else {
                let first_index = parsed.objects.get(first).map_or(0, |o| o.index);
                parsed.errors.push(ObjectError::new(
                    index,
                    Some(&header.id),
                    None,
                    format!("same id and version as objects[{first_index}] but different content"),
                ));
            }
            continue;
        }
        versions.insert(key, parsed.objects.len());
        parsed.objects.push(ParsedObject {
            index,
            header,
            raw: raw.get().to_owned(),
            value,
        });
    }
    Ok(parsed)
}

fn envelope_kind(top: &HashMap<String, &RawValue>) -> Result<EnvelopeKind, EnvelopeError> {
    let string = |k: &str| -> Option<Result<String, EnvelopeError>> {
        top.get(k).map(|raw| {
            serde_json::from_str::<String>(raw.get())
                .map_err(|_| fail(format!("top-level '{k}' is not a string")))
        })
    };
    match string("type").transpose()? {
        Some(t) if t == "bundle" => {
            let id = string("id")
                .transpose()?
                .ok_or_else(|| fail("the bundle has no 'id'"))?;
            check_id_of(&id, "bundle").map_err(|e| fail(format!("bundle 'id': {e}")))?;
            if let Some(v) = string("spec_version").transpose()?
                && v != "2.1"
            {
                return Err(fail(format!(
                    "bundle 'spec_version' is '{v}': this is not a STIX 2.1 bundle"
                )));
            }
            Ok(EnvelopeKind::Bundle { id })
        }
        Some(t) => Err(fail(format!(
            "a single '{}' object, not a bundle or a TAXII envelope",
            crate::ids::shorten(&t)
        ))),
        None if top.contains_key("objects") => {
            if let Some(raw) = top.get("more")
                && serde_json::from_str::<bool>(raw.get()).is_err()
            {
                return Err(fail("envelope 'more' is not true or false"));
            }
            Ok(EnvelopeKind::Taxii)
        }
        None => Err(fail(
            "neither a bundle (\"type\": \"bundle\") nor a TAXII envelope (\"objects\": [...])",
        )),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn depth_is_counted_outside_strings() {
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        assert!(check_depth(&deep).unwrap_err().0.contains("deeper than 32"));
        let in_string = format!("{{\"a\": \"{}\"}}", "[".repeat(100));
        check_depth(&in_string).unwrap();
        let escaped = format!("{{\"a\": \"\\\"{}\"}}", "{".repeat(100));
        check_depth(&escaped).unwrap();
    }
}
