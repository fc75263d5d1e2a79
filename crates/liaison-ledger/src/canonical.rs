//! The canonical JSON writer behind entry encodings and signed receipts.
//!
//! Values are described field by field ([`Json`]) rather than through `serde_json::Value`, so the
//! bytes depend on nothing but this file: object members are sorted here by the UTF-8 bytes of
//! their keys (never by a map's iteration order, which a `preserve_order` feature elsewhere in
//! the build could change), there is no whitespace, integers are written as integers, and
//! strings escape only what JSON requires.
//!
//! String escaping: `"` and `\` are backslash-escaped; U+0008, U+0009, U+000A, U+000C and U+000D
//! use the short forms `\b \t \n \f \r`; the other characters below U+0020 are `\u00XX` with
//! lower-case hex; everything else, including non-ASCII, is written as raw UTF-8. This is the
//! string form of RFC 8785 (and of `serde_json`), so for these values (strings, integers below
//! 2^53, arrays, objects with ASCII keys) the output is also the RFC 8785 (JCS) serialisation.

/// A JSON value to be written canonically.
#[derive(Debug)]
pub(crate) enum Json<'a> {
    Null,
    Str(&'a str),
    I64(i64),
    U64(u64),
    Arr(Vec<Json<'a>>),
    Obj(Vec<(&'a str, Json<'a>)>),
}

impl<'a> Json<'a> {
    pub(crate) fn opt_str(s: &'a Option<String>) -> Json<'a> {
        s.as_deref().map_or(Json::Null, Json::Str)
    }

    pub(crate) fn opt_i64(v: Option<i64>) -> Json<'a> {
        v.map_or(Json::Null, Json::I64)
    }

    pub(crate) fn strs(v: &'a [String]) -> Json<'a> {
        Json::Arr(v.iter().map(|s| Json::Str(s)).collect())
    }
}

/// Appends the canonical bytes of `v` to `out`.
pub(crate) fn write(v: &Json<'_>, out: &mut Vec<u8>) {
    match v {
        Json::Null => out.extend_from_slice(b"null"),
        Json::Str(s) => write_str(s, out),
        Json::I64(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Json::U64(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Json::Arr(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write(item, out);
            }
            out.push(b']');
        }
        Json::Obj(members) => {
            let mut sorted: Vec<&(&str, Json<'_>)> = members.iter().collect();
            sorted.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
            out.push(b'{');
            for (i, (k, v)) in sorted.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                write_str(k, out);
                out.push(b':');
                write(v, out);
            }
            out.push(b'}');
        }
    }
}

/// The canonical bytes of `v`.
pub(crate) fn to_vec(v: &Json<'_>) -> Vec<u8> {
    let mut out = Vec::with_capacity(512);
    write(v, &mut out);
    out
}

fn write_str(s: &str, out: &mut Vec<u8>) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    out.push(b'"');
    let bytes = s.as_bytes();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        let short = match b {
            b'"' => b'"',
            b'\\' => b'\\',
            0x08 => b'b',
            0x09 => b't',
            0x0a => b'n',
            0x0c => b'f',
            0x0d => b'r',
            0x00..=0x1f => 0,
            _ => continue,
        };
        out.extend_from_slice(&bytes[start..i]);
        start = i + 1;
        out.push(b'\\');
        if short == 0 {
            out.extend_from_slice(b"u00");
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0x0f)]);
        } else {
            out.push(short);
        }
    }
    out.extend_from_slice(&bytes[start..]);
    out.push(b'"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_keys_and_escapes_like_serde_json() {
        let v = Json::Obj(vec![
            ("b", Json::Str("tab\there \"q\" \\ \u{1} é")),
            (
                "a",
                Json::Arr(vec![Json::I64(-3), Json::U64(7), Json::Null]),
            ),
            ("B", Json::Obj(vec![])),
        ]);
        let got = String::from_utf8(to_vec(&v)).unwrap_or_default();
        assert_eq!(
            got,
            r#"{"B":{},"a":[-3,7,null],"b":"tab\there \"q\" \\ \u0001 é"}"#
        );
        // serde_json writes strings the same way.
        let s = "tab\there \"q\" \\ \u{1} é\u{7f}\r\n\u{c}\u{8}";
        let mut ours = Vec::new();
        write_str(s, &mut ours);
        assert_eq!(ours, serde_json::to_vec(s).unwrap_or_default());
    }
}
