//! Bad input, every parser path: each refusal names what is wrong (the envelope, or the object by
//! index and id and the property), and good objects next to bad ones stay usable.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use liaison_stix::extension::EXTENSION_ID;
use liaison_stix::{
    MAX_BUNDLE_BYTES, MAX_JSON_DEPTH, MAX_OBJECTS, MAX_STRING_BYTES, map_object, parse,
};
use serde_json::{Value, json};

const IND: &str = "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f";
const IDENT: &str = "identity--2b99bd5d-bfea-4bcf-9bce-2e20f902b53b";

fn good() -> Value {
    json!({
        "type": "indicator", "spec_version": "2.1", "id": IND,
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-02T00:00:00.000Z",
        "pattern": "[ipv4-addr:value = '198.51.100.7']", "pattern_type": "stix",
        "valid_from": "2024-01-01T00:00:00Z", "created_by_ref": IDENT
    })
}

fn bundle(objects: Vec<Value>) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "type": "bundle", "id": "bundle--5b6a8b6e-4b8a-4d4b-9d1a-1b2c3d4e5f60", "objects": objects
    }))
    .unwrap()
}

fn envelope_error(bytes: &[u8]) -> String {
    parse(bytes).unwrap_err().0
}

/// The errors of a bundle holding `good()` changed by `f` (as its second object).
fn object_errors(f: impl FnOnce(&mut Value)) -> Vec<String> {
    let mut o = good();
    f(&mut o);
    let mut other = good();
    other["id"] = json!("indicator--1e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f");
    let p = parse(&bundle(vec![other, o])).unwrap();
    assert_eq!(
        p.objects.len()
            + p.errors
                .iter()
                .map(|e| e.index)
                .collect::<std::collections::HashSet<_>>()
                .len(),
        2
    );
    assert!(
        p.objects.iter().any(|o| o.index == 0),
        "the good object is kept"
    );
    p.errors.iter().map(ToString::to_string).collect()
}

fn assert_one(errs: &[String], want: &str) {
    assert!(
        errs.iter().any(|e| e.contains(want)),
        "no error contains {want:?}: {errs:#?}"
    );
}

#[test]
fn envelope_level_refusals() {
    assert!(envelope_error(b"\xff\xfe{}").contains("not UTF-8"));
    let e = envelope_error(b"{\"type\": \"bundle\",\n \"id\": }");
    assert!(e.starts_with("not JSON") && e.contains("line 2"), "{e}");
    assert!(envelope_error(b"[1, 2]").contains("is an array, not a bundle"));
    assert!(envelope_error(b"42").contains("a number"));
    assert!(envelope_error(b"").contains("empty"));
    assert!(envelope_error(br#"{"foo": 1}"#).contains("neither a bundle"));
    let single = serde_json::to_vec(&good()).unwrap();
    assert!(envelope_error(&single).contains("a single 'indicator' object"));
    assert!(envelope_error(br#"{"type": "bundle", "objects": []}"#).contains("no 'id'"));
    assert!(
        envelope_error(br#"{"type": "bundle", "id": "bundle--1", "objects": []}"#)
            .contains("bundle 'id'")
    );
    let v20 = br#"{"type": "bundle", "id": "bundle--5b6a8b6e-4b8a-4d4b-9d1a-1b2c3d4e5f60", "spec_version": "2.0", "objects": []}"#;
    assert!(envelope_error(v20).contains("not a STIX 2.1 bundle"));
    assert!(envelope_error(br#"{"objects": {"a": 1}}"#).contains("'objects' is not a list"));
    assert!(envelope_error(br#"{"objects": [], "more": "yes"}"#).contains("'more'"));
}

#[test]
fn size_depth_and_count_limits() {
    let big = vec![b' '; MAX_BUNDLE_BYTES + 1];
    assert!(envelope_error(&big).contains("at most"));
    let deep = format!(
        "{{\"objects\": [{{\"type\": \"x-deep\", \"x_v\": {}1{}}}]}}",
        "[".repeat(MAX_JSON_DEPTH),
        "]".repeat(MAX_JSON_DEPTH)
    );
    assert!(envelope_error(deep.as_bytes()).contains("nested deeper than 32"));
    // serde_json alone would stop at 128 levels; 10,000 must not overflow the stack either.
    let deeper = format!(
        "{{\"objects\": {}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    assert!(envelope_error(deeper.as_bytes()).contains("nested deeper"));
    let many = format!("{{\"objects\": [{}1]}}", "1,".repeat(MAX_OBJECTS));
    assert!(envelope_error(many.as_bytes()).contains("objects: a bundle may hold at most"));
}

#[test]
fn a_taxii_envelope_and_an_empty_bundle_are_fine() {
    let env =
        serde_json::to_vec(&json!({"objects": [good()], "more": false, "next": "x"})).unwrap();
    let p = parse(&env).unwrap();
    assert_eq!(p.kind, liaison_stix::EnvelopeKind::Taxii);
    assert_eq!(p.objects.len(), 1);
    let empty = br#"{"type": "bundle", "id": "bundle--5b6a8b6e-4b8a-4d4b-9d1a-1b2c3d4e5f60"}"#;
    assert_eq!(parse(empty).unwrap().total, 0);
}

#[test]
fn the_example_of_the_issue() {
    let errs = object_errors(|o| o["created"] = json!("2024-13-01T00:00:00.000Z"));
    assert_one(
        &errs,
        &format!(
            "objects[1] ({IND}): property 'created': '2024-13-01T00:00:00.000Z' is not a STIX timestamp"
        ),
    );
}

#[test]
fn type_and_id() {
    assert_one(
        &object_errors(|o| o["type"] = json!("Indicator")),
        "property 'type': type 'Indicator'",
    );
    assert_one(
        &object_errors(|o| o["type"] = json!(7)),
        "property 'type': must be a string",
    );
    assert_one(
        &object_errors(|o| {
            o.as_object_mut().unwrap().remove("type");
        }),
        "property 'type': missing",
    );
    assert_one(
        &object_errors(|o| {
            o.as_object_mut().unwrap().remove("id");
        }),
        "objects[1]: property 'id': missing",
    );
    assert_one(
        &object_errors(|o| o["id"] = json!("indicator-8e2e2d2b")),
        "is not a STIX id",
    );
    assert_one(
        &object_errors(|o| o["id"] = json!("malware--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f")),
        "does not name an object of type 'indicator'",
    );
    assert_one(
        &object_errors(|o| o["id"] = json!("indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F")),
        "lower-case",
    );
    assert_one(
        &object_errors(|o| o["id"] = json!("indicator--00000000-0000-0000-0000-000000000000")),
        "not an RFC 4122 UUID",
    );
    let p = parse(&bundle(vec![json!("just a string")])).unwrap();
    assert_eq!(p.errors[0].to_string(), "objects[0]: not a JSON object");
}

#[test]
fn spec_version_and_common_properties() {
    assert_one(
        &object_errors(|o| o["spec_version"] = json!("2.0")),
        "property 'spec_version': '2.0' is not 2.1",
    );
    assert_one(
        &object_errors(|o| {
            o.as_object_mut().unwrap().remove("spec_version");
        }),
        "property 'spec_version': missing",
    );
    assert_one(
        &object_errors(|o| {
            o.as_object_mut().unwrap().remove("created");
        }),
        "property 'created': missing",
    );
    assert_one(
        &object_errors(|o| {
            o.as_object_mut().unwrap().remove("modified");
        }),
        "property 'modified': missing",
    );
    assert_one(
        &object_errors(|o| {
            o.as_object_mut().unwrap().remove("pattern");
        }),
        "property 'pattern': missing (required on indicator)",
    );
    assert_one(
        &object_errors(|o| o["confidence"] = json!(101)),
        "property 'confidence'",
    );
    assert_one(
        &object_errors(|o| o["revoked"] = json!("no")),
        "property 'revoked'",
    );
    assert_one(
        &object_errors(|o| o["labels"] = json!([1])),
        "property 'labels'",
    );
    assert_one(
        &object_errors(|o| o["extensions"] = json!({"x": 1})),
        "property 'extensions.x'",
    );
    assert_one(
        &object_errors(|o| o["external_references"] = json!([{"url": "https://example.com"}])),
        "property 'external_references[0]': needs a source_name",
    );
    assert_one(
        &object_errors(
            |o| o["granular_markings"] = json!([{"selectors": [], "marking_ref": "marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"}]),
        ),
        "needs a non-empty list of selectors",
    );
    assert_one(
        &object_errors(|o| o["granular_markings"] = json!([{"selectors": ["name"]}])),
        "exactly one of marking_ref and lang",
    );
}

#[test]
fn timestamps() {
    assert_one(
        &object_errors(|o| o["modified"] = json!("2023-12-31T00:00:00.000Z")),
        "property 'modified': is before created",
    );
    assert_one(
        &object_errors(|o| o["created"] = json!("2024-01-01T00:00:00Z")),
        "precise to the millisecond",
    );
    assert_one(
        &object_errors(|o| o["created"] = json!("2024-02-30T00:00:00.000Z")),
        "has no day 30",
    );
    assert_one(
        &object_errors(|o| o["created"] = json!("2024-01-01T25:00:00.000Z")),
        "out of range",
    );
    assert_one(
        &object_errors(|o| o["created"] = json!(1_704_067_200)),
        "must be a timestamp string",
    );
    assert_one(
        &object_errors(|o| o["valid_from"] = json!("yesterday")),
        "property 'valid_from'",
    );
    assert_one(
        &object_errors(|o| o["valid_until"] = json!("2024-01-01T00:00:00+02:00")),
        "must end with 'Z'",
    );
}

#[test]
fn references() {
    assert_one(
        &object_errors(|o| o["created_by_ref"] = json!(IND)),
        "property 'created_by_ref': 'indicator--",
    );
    assert_one(
        &object_errors(|o| o["created_by_ref"] = json!(5)),
        "must be an id",
    );
    assert_one(
        &object_errors(|o| o["object_marking_refs"] = json!([])),
        "property 'object_marking_refs': must be a non-empty list",
    );
    assert_one(
        &object_errors(|o| o["object_marking_refs"] = json!(["TLP:RED"])),
        "property 'object_marking_refs[0]'",
    );
    assert_one(
        &object_errors(|o| o["x_acme_sample_ref"] = json!("nope")),
        "property 'x_acme_sample_ref'",
    );
    assert_one(
        &object_errors(
            |o| o["extensions"] = json!({"extension-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f": {"extension_type": "property-extension", "deep": {"target_refs": ["x--1"]}}}),
        ),
        "deep.target_refs[0]",
    );
}

#[test]
fn string_length() {
    let long = "a".repeat(MAX_STRING_BYTES + 1);
    assert_one(
        &object_errors(|o| o["description"] = json!(long)),
        "property 'description': a string of",
    );
}

#[test]
fn known_types_need_their_properties() {
    let loc = json!({"type": "location", "spec_version": "2.1", "id": "location--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "latitude": 1.0});
    let errs: Vec<String> = parse(&bundle(vec![loc]))
        .unwrap()
        .errors
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_one(&errs, "needs region, country, or latitude and longitude");
    assert_one(&errs, "latitude and longitude go together");
    let rel = json!({"type": "relationship", "spec_version": "2.1", "id": "relationship--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "relationship_type": "uses", "source_ref": IND});
    let errs: Vec<String> = parse(&bundle(vec![rel]))
        .unwrap()
        .errors
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_one(
        &errs,
        "property 'target_ref': missing (required on relationship)",
    );
    let md = json!({"type": "marking-definition", "spec_version": "2.1", "id": "marking-definition--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"});
    let errs: Vec<String> = parse(&bundle(vec![md]))
        .unwrap()
        .errors
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_one(&errs, "property 'created': missing");
}

#[test]
fn unknown_types_and_custom_properties_are_allowed() {
    let custom = json!({"type": "x-acme-thing", "spec_version": "2.1", "id": "x-acme-thing--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z", "x_anything": {"a": [1, 2.5, null]}});
    let sco = json!({"type": "ipv4-addr", "id": "ipv4-addr--ff26c055-6336-5bc5-b98d-13d6226742dd", "value": "198.51.100.3"});
    let mut ind = good();
    ind["x_acme_score"] = json!(3);
    // STIX 2.0-style embedded observables refer to their dictionary keys, not to ids.
    let od = json!({"type": "observed-data", "spec_version": "2.1", "id": "observed-data--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
        "created": "2024-01-01T00:00:00.000Z", "modified": "2024-01-01T00:00:00.000Z",
        "first_observed": "2024-01-01T00:00:00Z", "last_observed": "2024-01-01T00:00:00Z", "number_observed": 1,
        "objects": {"0": {"type": "ipv4-addr", "value": "198.51.100.3"}, "1": {"type": "network-traffic", "dst_ref": "0", "protocols": ["tcp"]}}});
    let p = parse(&bundle(vec![custom, sco, ind, od])).unwrap();
    assert!(p.errors.is_empty(), "{:?}", p.errors);
    assert_eq!(p.objects.len(), 4);
    assert_eq!(p.objects[1].header.version_key, "");
    // A custom object with created needs modified and spec_version, like any SDO.
    let half = json!({"type": "x-acme-thing", "id": "x-acme-thing--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "created": "2024-01-01T00:00:00.000Z"});
    let errs: Vec<String> = parse(&bundle(vec![half]))
        .unwrap()
        .errors
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_one(&errs, "property 'modified': missing");
    assert_one(&errs, "property 'spec_version': missing");
}

#[test]
fn duplicates() {
    let p = parse(&bundle(vec![good(), good()])).unwrap();
    assert_eq!((p.objects.len(), p.duplicates, p.errors.len()), (1, 1, 0));
    let mut changed = good();
    changed["name"] = json!("other");
    let p = parse(&bundle(vec![good(), changed])).unwrap();
    assert_one(
        &p.errors.iter().map(ToString::to_string).collect::<Vec<_>>(),
        "objects[1] (indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f): same id and version as objects[0] but different content",
    );
    // Same id, another version: both kept.
    let mut v2 = good();
    v2["modified"] = json!("2024-02-01T00:00:00.000Z");
    assert_eq!(parse(&bundle(vec![good(), v2])).unwrap().objects.len(), 2);
}

/// Our extension, broken in each way the mapping can find.
fn incident_errors(f: impl FnOnce(&mut Value)) -> Vec<String> {
    let b = common::export(&[common::kidnapping()]);
    let mut inc = b
        .objects
        .iter()
        .find(|o| o["type"] == "incident")
        .unwrap()
        .clone();
    f(&mut inc);
    let p = parse(&bundle(vec![inc])).unwrap();
    if !p.errors.is_empty() {
        return p.errors.iter().map(ToString::to_string).collect();
    }
    map_object(&p.objects[0])
        .unwrap_err()
        .iter()
        .map(ToString::to_string)
        .collect()
}

#[test]
fn our_extension_broken() {
    let x = |p: &str| format!("property 'extensions.{EXTENSION_ID}.{p}'");
    assert_one(
        &incident_errors(|o| o["extensions"][EXTENSION_ID]["fatalities_best"] = json!("x")),
        &x("fatalities_best"),
    );
    assert_one(
        &incident_errors(|o| o["extensions"][EXTENSION_ID]["sub_type"] = json!("picnic")),
        &x("sub_type"),
    );
    assert_one(
        &incident_errors(|o| o["extensions"][EXTENSION_ID]["originator"] = json!("QQQ")),
        &x("originator"),
    );
    assert_one(
        &incident_errors(|o| o["extensions"][EXTENSION_ID]["sources"][1]["credibility"] = json!(9)),
        &x("sources[1].credibility"),
    );
    assert_one(
        &incident_errors(|o| {
            o["extensions"][EXTENSION_ID]
                .as_object_mut()
                .unwrap()
                .remove("date_start");
        }),
        "date_start",
    );
    assert_one(
        &incident_errors(|o| o["extensions"][EXTENSION_ID]["extension_type"] = json!("new-sdo")),
        &x("extension_type"),
    );
    assert_one(
        &incident_errors(|o| o["extensions"][EXTENSION_ID]["event_type"] = json!("battle")),
        "is not the event type of sub-type 'kidnapping'",
    );
    assert_one(
        &incident_errors(|o| {
            o["extensions"][EXTENSION_ID]
                .as_object_mut()
                .unwrap()
                .remove("longitude");
        }),
        "latitude and longitude go together",
    );
    // The domain's own rules, named by the STIX property.
    assert_one(
        &incident_errors(|o| o["extensions"][EXTENSION_ID]["latitude"] = json!(95.0)),
        &x("latitude"),
    );
    assert_one(
        &incident_errors(|o| {
            let x = o["extensions"][EXTENSION_ID].as_object_mut().unwrap();
            x.remove("fatalities_dispute");
            x.insert("fatalities_low".into(), json!(5));
        }),
        &x("fatalities_best"),
    );
    assert_one(
        &incident_errors(|o| o["extensions"][EXTENSION_ID]["date_end"] = json!("2010-01-01")),
        &x("date_end"),
    );
    assert_one(
        &incident_errors(|o| o["name"] = json!(" ")),
        "property 'name'",
    );
}
