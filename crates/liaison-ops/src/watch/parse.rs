//! The rule file: one JSON rule object, a JSON array of rules, or JSON lines (one rule object
//! per line, blank lines skipped). Every rule is read and validated, and every error is
//! reported at once with the rule's index and the dotted field (`rules[2].threshold.days`), as
//! `liaison_core` validation does, so a member fixes a file in one pass. Duplicate ids are
//! refused: alerts and their history refer to rules by id.
//!
//! Not here: reading the file (the caller's) or checking that zone ids exist on the node.

use std::collections::HashMap;

use liaison_core::{CountryCode, EventType, FieldError, SubType, ValidationErrors};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::WatchRule;

/// Every problem found in a rule file, each naming its rule and field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleErrors(pub Vec<FieldError>);

impl std::fmt::Display for RuleErrors {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for RuleErrors {}

/// One rule as read from the file, with its line when the file is JSON lines.
struct Item {
    value: Value,
    line: Option<usize>,
}

/// Reads and validates a rule file. Empty text (or `[]`) is no rule at all. In JSON lines the
/// index counts the rules (blank lines skipped) and each message ends with its line number.
pub fn parse_rules(text: &str) -> Result<Vec<WatchRule>, RuleErrors> {
    let mut errors: Vec<FieldError> = Vec::new();
    let items = split(text).map_err(|e| RuleErrors(vec![e]))?;
    // Items that fail to read still take their index, so later rules keep theirs.
    let mut read: Vec<Option<WatchRule>> = Vec::with_capacity(items.len());
    let lines: Vec<Option<usize>> = items.iter().map(|item| item.line).collect();
    for (i, item) in items.into_iter().enumerate() {
        let prefix = format!("rules[{i}]");
        let mut inner = ValidationErrors::default();
        let rule = match WatchRule::deserialize(&item.value) {
            Ok(rule) => {
                if let Err(v) = rule.validate() {
                    inner = v;
                }
                Some(rule)
            }
            Err(err) => {
                inner = diagnose(&item.value);
                // The diagnosis covers what serde can refuse; should it find nothing, serde's
                // own words are still better than silence.
                if inner.is_empty() {
                    inner.push("", err.to_string());
                }
                None
            }
        };
        for e in inner.0 {
            errors.push(FieldError::new(
                join(&prefix, &e.field),
                at_line(e.message, item.line),
            ));
        }
        read.push(rule);
    }
    // The first rule to use an id keeps it; a map keeps a file of many rules linear.
    let mut first: HashMap<&str, usize> = HashMap::with_capacity(read.len());
    for (i, rule) in read.iter().enumerate() {
        let Some(rule) = rule else { continue };
        match first.get(rule.id.as_str()) {
            Some(j) => errors.push(FieldError::new(
                format!("rules[{i}].id"),
                at_line(
                    format!("'{}' is already the id of rules[{j}]", rule.id),
                    lines.get(i).copied().flatten(),
                ),
            )),
            None => {
                first.insert(&rule.id, i);
            }
        }
    }
    if !errors.is_empty() {
        // Errors are reported rule by rule, in the order of the file.
        errors.sort_by_key(|e| rule_index(&e.field));
        return Err(RuleErrors(errors));
    }
    Ok(read.into_iter().flatten().collect())
}

/// The message, with the rule's line when the file is JSON lines.
fn at_line(message: String, line: Option<usize>) -> String {
    match line {
        Some(l) => format!("{message} (line {l})"),
        None => message,
    }
}

/// `prefix.field`, or `prefix` alone for an error about the whole rule.
fn join(prefix: &str, field: &str) -> String {
    if field.is_empty() {
        prefix.to_owned()
    } else {
        format!("{prefix}.{field}")
    }
}

/// The `i` of a `rules[i]…` path, for a stable order of the report.
fn rule_index(field: &str) -> usize {
    field
        .strip_prefix("rules[")
        .and_then(|r| r.split(']').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(usize::MAX)
}

/// Splits the text into rule values: the whole text as one JSON value (an object or an array
/// of objects) if it is one, otherwise JSON lines.
fn split(text: &str) -> Result<Vec<Item>, FieldError> {
    if text.trim().is_empty() {
        return Ok(Vec::new());
    }
    let whole_err = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(values)) => {
            return Ok(values
                .into_iter()
                .map(|value| Item { value, line: None })
                .collect());
        }
        Ok(value @ Value::Object(_)) => return Ok(vec![Item { value, line: None }]),
        Ok(_) => {
            return Err(FieldError::new(
                "rules",
                "expected a rule object, an array of rules, or one rule object per line",
            ));
        }
        Err(e) => e,
    };
    // Several values: JSON lines, if the first line is a whole object by itself. Otherwise the
    // text is one broken document, and its own syntax error is the useful report (reading it
    // line by line would report every line of a pretty-printed object).
    let lines: Vec<(usize, &str)> = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
        .collect();
    let first_is_object = lines
        .first()
        .is_some_and(|(_, l)| matches!(serde_json::from_str::<Value>(l), Ok(Value::Object(_))));
    if !first_is_object || lines.len() < 2 {
        return Err(FieldError::new("rules", format!("not JSON: {whole_err}")));
    }
    let mut items = Vec::with_capacity(lines.len());
    let mut errors = ValidationErrors::default();
    for (i, (n, l)) in lines.into_iter().enumerate() {
        match serde_json::from_str::<Value>(l) {
            Ok(value) => items.push(Item {
                value,
                line: Some(n),
            }),
            Err(e) => errors.push(format!("rules[{i}]"), format!("not JSON: {e} (line {n})")),
        }
    }
    match errors.0.into_iter().next() {
        // One syntax error is reported; the others usually follow from the same slip.
        Some(first) => Err(first),
        None => Ok(items),
    }
}

/// What serde refused in a rule, field by field, so the report names the field (`serde_json`
/// alone names the line and column, which a rule read from a `Value` does not have).
fn diagnose(value: &Value) -> ValidationErrors {
    let mut e = ValidationErrors::default();
    let Value::Object(map) = value else {
        e.push("", "must be a JSON object");
        return e;
    };
    const FIELDS: [&str; 12] = [
        "id",
        "member",
        "name",
        "event_types",
        "sub_types",
        "actors",
        "zones",
        "countries",
        "min_fatalities",
        "min_kidnapped",
        "threshold",
        "flash",
    ];
    for key in map.keys() {
        if !FIELDS.contains(&key.as_str()) {
            e.push(
                key.as_str(),
                format!("unknown field; the fields are {}", FIELDS.join(", ")),
            );
        }
    }
    for key in ["id", "member", "name"] {
        if !map.contains_key(key) {
            e.push(key, "is required");
        }
    }
    field::<String>(&mut e, map, "id");
    field::<CountryCode>(&mut e, map, "member");
    field::<String>(&mut e, map, "name");
    list::<EventType>(&mut e, map, "event_types");
    list::<SubType>(&mut e, map, "sub_types");
    list::<String>(&mut e, map, "actors");
    list::<String>(&mut e, map, "zones");
    list::<CountryCode>(&mut e, map, "countries");
    field::<Option<u32>>(&mut e, map, "min_fatalities");
    field::<Option<u32>>(&mut e, map, "min_kidnapped");
    field::<bool>(&mut e, map, "flash");
    match map.get("threshold") {
        None | Some(Value::Null) => {}
        Some(Value::Object(t)) => {
            let mut inner = ValidationErrors::default();
            for key in t.keys() {
                if key != "count" && key != "days" {
                    inner.push(key.as_str(), "unknown field; the fields are count, days");
                }
            }
            for key in ["count", "days"] {
                if !t.contains_key(key) {
                    inner.push(key, "is required");
                }
                field::<u32>(&mut inner, t, key);
            }
            e.nest("threshold", inner);
        }
        Some(_) => e.push("threshold", "must be an object {\"count\": …, \"days\": …}"),
    }
    e
}

/// Reads one field, if present, and says why it cannot be read.
fn field<T: DeserializeOwned>(e: &mut ValidationErrors, map: &Map<String, Value>, key: &str) {
    if let Some(v) = map.get(key)
        && let Err(err) = serde_json::from_value::<T>(v.clone())
    {
        e.push(key, err.to_string());
    }
}

/// Reads a list field entry by entry, so the entry at fault is named (`event_types[1]`).
fn list<T: DeserializeOwned>(e: &mut ValidationErrors, map: &Map<String, Value>, key: &str) {
    match map.get(key) {
        None => {}
        Some(Value::Array(items)) => {
            for (i, v) in items.iter().enumerate() {
                if let Err(err) = serde_json::from_value::<T>(v.clone()) {
                    e.push(format!("{key}[{i}]"), err.to_string());
                }
            }
        }
        Some(_) => e.push(key, "must be a list"),
    }
}
