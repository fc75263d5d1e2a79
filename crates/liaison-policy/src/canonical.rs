//! Canonical JSON: the exact bytes a signature covers, so that signer and verifier agree on them
//! whatever order the keys arrived in and whatever whitespace a relay added.
//!
//! The form: object keys sorted by their UTF-8 bytes, no whitespace, strings and numbers as
//! `serde_json` writes them (the shortest round-tripping float, integers as integers). It is not
//! RFC 8785 (whose number format is ECMAScript's), but it is deterministic for a given
//! `serde_json::Value`, and a value parsed from canonical bytes writes back to the same bytes,
//! which is what verification after a relay needs. Sorting is explicit rather than relying on
//! `serde_json`'s map order, so a dependency enabling `preserve_order` cannot break signatures.

use serde_json::Value;

/// The canonical bytes of `v`.
pub fn to_vec(v: &Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    write(v, &mut out);
    out
}

fn write(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            entries.sort_unstable_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (k, v)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_scalar(&Value::String(k.clone()), out);
                out.push(b':');
                write(v, out);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out);
            }
            out.push(b']');
        }
        scalar => write_scalar(scalar, out),
    }
}

fn write_scalar(v: &Value, out: &mut Vec<u8>) {
    // Writing a scalar into a Vec cannot fail.
    let _ = serde_json::to_writer(&mut *out, v);
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn key_order_and_whitespace_do_not_matter() {
        let a: Value =
            serde_json::from_str(r#"{ "b": 1, "a": {"y": [1, 2.5, "x"], "x": null} }"#).unwrap();
        let b = json!({"a": {"x": null, "y": [1, 2.5, "x"]}, "b": 1});
        assert_eq!(to_vec(&a), to_vec(&b));
        assert_eq!(
            String::from_utf8(to_vec(&a)).unwrap(),
            r#"{"a":{"x":null,"y":[1,2.5,"x"]},"b":1}"#
        );
    }

    #[test]
    fn canonical_bytes_are_a_fixed_point() {
        let v = json!({"lat": 16.2666, "n": -3, "s": "Aguelhok «عين» \"q\"\n", "t": true, "big": 1.0e21});
        let once = to_vec(&v);
        let reparsed: Value = serde_json::from_slice(&once).unwrap();
        assert_eq!(to_vec(&reparsed), once);
    }
}
