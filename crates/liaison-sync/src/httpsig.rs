//! HTTP message signatures between nodes: the subset of RFC 9421 that Liaison emits, with
//! Ed25519 keys, plus the `Content-Digest` of RFC 9530 that binds the body to the signature.
//!
//! Every federation request carries four headers: `Liaison-Peer` (the requester's member code),
//! `Content-Digest` (`sha-256=:…:` of the body), `Signature-Input` and `Signature`, both under the
//! label `liaison`. The signature covers, in this order, `"@method" "@path" "@query"
//! "content-digest" "liaison-peer"`, with the parameters `created`, `keyid` (the signer's key
//! fingerprint) and `alg="ed25519"`. Covering the peer header means a request cannot be
//! re-attributed to another member; covering the digest means the body cannot be swapped.
//!
//! Parsing is deliberately strict and small: we accept exactly the serialisation we emit, so a
//! peer cannot steer us through the corners of the Structured Fields grammar (RFC 8941). Anything
//! else is `Malformed`, naming the part. The module is pure: `now` is always a parameter.
//!
//! Replays within the accepted clock skew are refused by [`ReplayGuard`]. Ed25519 signatures are
//! deterministic, so the same request signed twice in the same second is the same signature:
//! a client that retries must let at least one second pass or change the request.

use std::collections::{BTreeSet, HashMap};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use liaison_core::CountryCode;
use liaison_policy::identity::{NodeKey, NodePublicKey};
use sha2::{Digest, Sha256};

/// Accepted difference, in seconds, between the signature's `created` and our clock, both ways.
pub const MAX_SKEW_SECS: i64 = 300;
/// The header that names the requester's member code (ISO3).
pub const PEER_HEADER: &str = "liaison-peer";
/// The signature label in `Signature-Input` and `Signature`.
pub const LABEL: &str = "liaison";
/// The value of the `alg` parameter.
pub const ALG: &str = "ed25519";

/// The covered components, in the order they are signed. Verification demands exactly these.
const COMPONENTS: [&str; 5] = ["@method", "@path", "@query", "content-digest", PEER_HEADER];

/// Header values to attach to a request (names: `Signature-Input`, `Signature`,
/// `Content-Digest`, [`PEER_HEADER`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders {
    pub signature_input: String,
    pub signature: String,
    pub content_digest: String,
    pub peer: String,
}

/// Why a request was not authenticated. The messages never echo header contents beyond the
/// name of the part that was wrong, so logging them is safe.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("missing header {0}")]
    Missing(&'static str),
    #[error("malformed {0}")]
    Malformed(String),
    #[error("unknown peer")]
    UnknownPeer,
    #[error("the signing key is not the peer's registered key")]
    WrongKey,
    #[error("signature created too far from now (more than {MAX_SKEW_SECS} s)")]
    Expired,
    #[error("content-digest does not match the body")]
    BadDigest,
    #[error("bad signature")]
    BadSignature,
    #[error("replayed signature")]
    Replayed,
}

/// What the verifier needs from a request. Header values as received (surrounding whitespace
/// is ignored, as HTTP does); `query` is `""` or `"?a=b"` (a missing `?` is tolerated).
#[derive(Debug, Clone, Copy)]
pub struct RequestParts<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: &'a str,
    pub body: &'a [u8],
    pub signature_input: Option<&'a str>,
    pub signature: Option<&'a str>,
    pub content_digest: Option<&'a str>,
    pub peer: Option<&'a str>,
}

/// `sha-256=:<base64>:` of `body` (RFC 9530).
pub fn content_digest(body: &[u8]) -> String {
    format!("sha-256=:{}:", STANDARD.encode(Sha256::digest(body)))
}

/// Signs a request as member `peer` with the node's key, at `created_unix` (seconds).
pub fn sign_request(
    method: &str,
    path: &str,
    query: &str,
    body: &[u8],
    peer: &CountryCode,
    key: &NodeKey,
    created_unix: i64,
) -> SignedHeaders {
    sign_request_with_nonce(method, path, query, body, peer, key, created_unix, None)
}

/// [`sign_request`] with an RFC 9421 `nonce` parameter, so that two requests identical in every
/// covered component and made within the same second still carry different signatures (the
/// receiver's [`ReplayGuard`] would refuse the second otherwise).
#[allow(clippy::too_many_arguments)]
pub fn sign_request_with_nonce(
    method: &str,
    path: &str,
    query: &str,
    body: &[u8],
    peer: &CountryCode,
    key: &NodeKey,
    created_unix: i64,
    nonce: Option<&str>,
) -> SignedHeaders {
    let digest = content_digest(body);
    let query = query_component(query);
    let mut params = signature_params(
        &COMPONENTS,
        created_unix,
        &key.public().fingerprint(),
        Some(ALG),
    );
    if let Some(n) = nonce {
        params.push_str(&format!(";nonce=\"{n}\""));
    }
    let base = signature_base(
        &[
            ("@method", method),
            ("@path", path_component(path)),
            ("@query", &query),
            ("content-digest", &digest),
            (PEER_HEADER, peer.as_str()),
        ],
        &params,
    );
    let signature = STANDARD.encode(key.sign(base.as_bytes()));
    SignedHeaders {
        signature_input: format!("{LABEL}={params}"),
        signature: format!("{LABEL}=:{signature}:"),
        content_digest: digest,
        peer: peer.as_str().to_owned(),
    }
}

/// Authenticates a request: returns the member that signed it. `key_of(member)` answers the
/// member's registered active key. Checks, in order: headers present and well formed, peer
/// registered, `keyid` is that peer's key, `created` within [`MAX_SKEW_SECS`] of `now_unix`,
/// signature, then body digest. Replays are the caller's [`ReplayGuard`]'s business, once this
/// succeeded (so unauthenticated traffic cannot fill its memory).
pub fn verify_request(
    parts: &RequestParts,
    key_of: impl Fn(&CountryCode) -> Option<NodePublicKey>,
    now_unix: i64,
) -> Result<CountryCode, AuthError> {
    let input = parts
        .signature_input
        .ok_or(AuthError::Missing("signature-input"))?;
    let signature = parts.signature.ok_or(AuthError::Missing("signature"))?;
    let digest_header = parts
        .content_digest
        .ok_or(AuthError::Missing("content-digest"))?;
    let peer_header = parts.peer.ok_or(AuthError::Missing(PEER_HEADER))?;

    let input = parse_signature_input(input)?;
    let signature = parse_signature(signature)?;
    let claimed_digest = parse_content_digest(digest_header)?;
    let peer_value = peer_header.trim();
    let peer = CountryCode::parse(peer_value)
        .ok()
        .filter(|c| c.as_str() == peer_value)
        .ok_or_else(|| malformed(PEER_HEADER))?;
    check_component_value("@method", parts.method)?;
    check_component_value("@path", parts.path)?;
    check_component_value("@query", parts.query)?;

    let key = key_of(&peer).ok_or(AuthError::UnknownPeer)?;
    if input.keyid != key.fingerprint() {
        return Err(AuthError::WrongKey);
    }
    if now_unix.abs_diff(input.created) > MAX_SKEW_SECS.unsigned_abs() {
        return Err(AuthError::Expired);
    }

    let query = query_component(parts.query);
    let base = signature_base(
        &[
            ("@method", parts.method),
            ("@path", path_component(parts.path)),
            ("@query", &query),
            ("content-digest", digest_header.trim()),
            (PEER_HEADER, peer_value),
        ],
        input.params,
    );
    if !key.verify(base.as_bytes(), &signature) {
        return Err(AuthError::BadSignature);
    }
    // The signature vouches for the digest header; the digest must vouch for the body.
    if Sha256::digest(parts.body).as_slice() != claimed_digest {
        return Err(AuthError::BadDigest);
    }
    Ok(peer)
}

/// The `created` parameter of a `Signature-Input` value, for [`ReplayGuard`]: call it after
/// [`verify_request`] succeeded on the same value.
pub fn created_of(signature_input: &str) -> Result<i64, AuthError> {
    parse_signature_input(signature_input).map(|i| i.created)
}

/// A bounded memory of the signatures accepted within the skew window, to refuse exact replays.
///
/// Entries older than the window are forgotten (such a request is refused as `Expired` anyway).
/// When the memory is full, the oldest entry is dropped and its `created` becomes a floor: any
/// signature created at or before the floor is refused as `Replayed`, because we can no longer
/// tell. The guard thus fails closed; fresh requests still pass unless one second alone holds
/// more than `capacity` requests.
#[derive(Debug)]
pub struct ReplayGuard {
    capacity: usize,
    seen: HashMap<String, i64>,
    by_age: BTreeSet<(i64, String)>,
    floor: Option<i64>,
}

impl ReplayGuard {
    /// A guard remembering at most `capacity` signatures (at least one).
    pub fn new(capacity: usize) -> Self {
        Self {
            capacity: capacity.max(1),
            seen: HashMap::new(),
            by_age: BTreeSet::new(),
            floor: None,
        }
    }

    /// Refuses a signature already accepted, or too old to be judged; otherwise remembers it.
    /// `signature` is the `Signature` header value as received (it is canonical: the base64
    /// decoder refuses non-canonical encodings, and Ed25519 verification refuses malleated
    /// signatures, so one signed request has one spelling).
    pub fn check_and_remember(
        &mut self,
        signature: &str,
        created_unix: i64,
        now_unix: i64,
    ) -> Result<(), AuthError> {
        self.forget_before(now_unix.saturating_sub(MAX_SKEW_SECS));
        if now_unix.abs_diff(created_unix) > MAX_SKEW_SECS.unsigned_abs() {
            return Err(AuthError::Expired);
        }
        let signature = signature.trim();
        if self.seen.contains_key(signature) || self.floor.is_some_and(|f| created_unix <= f) {
            return Err(AuthError::Replayed);
        }
        while self.seen.len() >= self.capacity {
            let Some((created, oldest)) = self.by_age.pop_first() else {
                break;
            };
            self.seen.remove(&oldest);
            self.floor = Some(self.floor.map_or(created, |f| f.max(created)));
            if created_unix <= created {
                // The newcomer is no younger than what we just had to forget: refuse it too.
                return Err(AuthError::Replayed);
            }
        }
        self.seen.insert(signature.to_owned(), created_unix);
        self.by_age.insert((created_unix, signature.to_owned()));
        Ok(())
    }

    /// How many signatures are remembered now.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    fn forget_before(&mut self, oldest_kept: i64) {
        while let Some((created, _)) = self.by_age.first() {
            if *created >= oldest_kept {
                break;
            }
            if let Some((_, sig)) = self.by_age.pop_first() {
                self.seen.remove(&sig);
            }
        }
        // A floor below the window is moot: such signatures are refused as expired.
        if self.floor.is_some_and(|f| f < oldest_kept) {
            self.floor = None;
        }
    }
}

/// The signature base (RFC 9421 §2.5): one `"name": value` line per covered component, then
/// the `"@signature-params"` line, lines joined by `\n` with no trailing newline.
fn signature_base(components: &[(&str, &str)], params: &str) -> String {
    let mut base = String::new();
    for (name, value) in components {
        base.push('"');
        base.push_str(name);
        base.push_str("\": ");
        base.push_str(value);
        base.push('\n');
    }
    base.push_str("\"@signature-params\": ");
    base.push_str(params);
    base
}

/// The serialised inner list with parameters (RFC 9421 §2.3), in the order RFC 9421's examples
/// use: `created`, `keyid`, then `alg`.
fn signature_params(names: &[&str], created: i64, keyid: &str, alg: Option<&str>) -> String {
    let list: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
    let mut params = format!("({});created={created};keyid=\"{keyid}\"", list.join(" "));
    if let Some(alg) = alg {
        params.push_str(&format!(";alg=\"{alg}\""));
    }
    params
}

/// `@path`: an empty path is `/` (RFC 9421 §2.2.6).
fn path_component(path: &str) -> &str {
    if path.is_empty() { "/" } else { path }
}

/// `@query`: with its leading `?`; an absent query is `?` alone (RFC 9421 §2.2.7).
fn query_component(query: &str) -> String {
    format!("?{}", query.strip_prefix('?').unwrap_or(query))
}

/// A component value that could break the line structure of the base is refused.
fn check_component_value(name: &str, value: &str) -> Result<(), AuthError> {
    if value.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        Ok(())
    } else {
        Err(malformed(name))
    }
}

fn malformed(part: &str) -> AuthError {
    AuthError::Malformed(part.to_owned())
}

/// What we take from `Signature-Input`: the serialised parameters (the `@signature-params`
/// value exactly as received, which the strict grammar makes our canonical form), `created`
/// and `keyid`.
struct SignatureInput<'a> {
    params: &'a str,
    created: i64,
    keyid: &'a str,
}

fn parse_signature_input(value: &str) -> Result<SignatureInput<'_>, AuthError> {
    let value = value.trim();
    let params = value
        .strip_prefix(LABEL)
        .and_then(|r| r.strip_prefix('='))
        .ok_or_else(|| malformed("signature-input label"))?;
    let mut rest = params
        .strip_prefix('(')
        .ok_or_else(|| malformed("signature-input covered components"))?;
    let mut names = Vec::new();
    loop {
        if let Some(r) = rest.strip_prefix(')') {
            rest = r;
            break;
        }
        if !names.is_empty() {
            rest = rest
                .strip_prefix(' ')
                .ok_or_else(|| malformed("signature-input covered components"))?;
        }
        let (name, r) =
            parse_sf_string(rest).ok_or_else(|| malformed("signature-input covered components"))?;
        names.push(name);
        rest = r;
    }
    if names != COMPONENTS {
        return Err(malformed("signature-input covered components"));
    }
    let (mut created, mut keyid, mut alg, mut nonce) = (None, None, None, None);
    while !rest.is_empty() {
        rest = rest
            .strip_prefix(';')
            .ok_or_else(|| malformed("signature-input parameters"))?;
        let eq = rest
            .find('=')
            .ok_or_else(|| malformed("signature-input parameters"))?;
        let (key, r) = (&rest[..eq], &rest[eq + 1..]);
        match key {
            "created" if created.is_none() => {
                let (n, r) =
                    parse_sf_integer(r).ok_or_else(|| malformed("signature-input created"))?;
                created = Some(n);
                rest = r;
            }
            "keyid" if keyid.is_none() => {
                let (s, r) =
                    parse_sf_string(r).ok_or_else(|| malformed("signature-input keyid"))?;
                keyid = Some(s);
                rest = r;
            }
            "nonce" if nonce.is_none() => {
                let (s, r) =
                    parse_sf_string(r).ok_or_else(|| malformed("signature-input nonce"))?;
                nonce = Some(s);
                rest = r;
            }
            "alg" if alg.is_none() => {
                let (s, r) = parse_sf_string(r).ok_or_else(|| malformed("signature-input alg"))?;
                alg = Some(s);
                rest = r;
            }
            _ => return Err(malformed("signature-input parameters")),
        }
    }
    let created = created.ok_or_else(|| malformed("signature-input created"))?;
    let keyid = keyid.ok_or_else(|| malformed("signature-input keyid"))?;
    if alg != Some(ALG) {
        return Err(malformed("signature-input alg"));
    }
    Ok(SignatureInput {
        params,
        created,
        keyid,
    })
}

/// `liaison=:<base64 of 64 bytes>:`.
fn parse_signature(value: &str) -> Result<[u8; 64], AuthError> {
    let bytes = value
        .trim()
        .strip_prefix(LABEL)
        .and_then(|r| r.strip_prefix('='))
        .and_then(parse_sf_binary_whole)
        .ok_or_else(|| malformed("signature"))?;
    bytes.try_into().map_err(|_| malformed("signature"))
}

/// `sha-256=:<base64 of 32 bytes>:`; other algorithms are refused.
fn parse_content_digest(value: &str) -> Result<[u8; 32], AuthError> {
    let bytes = value
        .trim()
        .strip_prefix("sha-256=")
        .and_then(parse_sf_binary_whole)
        .ok_or_else(|| malformed("content-digest"))?;
    bytes.try_into().map_err(|_| malformed("content-digest"))
}

/// An sf-string without escapes (we never emit any): `"` printable ASCII `"`. Returns the
/// content and the rest.
fn parse_sf_string(s: &str) -> Option<(&str, &str)> {
    let body = s.strip_prefix('"')?;
    let end = body.find('"')?;
    let content = &body[..end];
    content
        .bytes()
        .all(|b| (0x20..0x7f).contains(&b) && b != b'\\')
        .then_some((content, &body[end + 1..]))
}

/// An sf-integer: optional `-`, 1 to 15 digits.
fn parse_sf_integer(s: &str) -> Option<(i64, &str)> {
    let (negative, digits) = match s.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, s),
    };
    let len = digits.bytes().take_while(u8::is_ascii_digit).count();
    if len == 0 || len > 15 {
        return None;
    }
    let n: i64 = digits[..len].parse().ok()?;
    Some((if negative { -n } else { n }, &digits[len..]))
}

/// A whole value that is one sf-binary: `:` canonical padded base64 `:`.
fn parse_sf_binary_whole(s: &str) -> Option<Vec<u8>> {
    let inner = s.strip_prefix(':')?.strip_suffix(':')?;
    STANDARD.decode(inner).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    const NOW: i64 = 1_700_000_000;

    fn mli() -> CountryCode {
        CountryCode::parse("MLI").unwrap()
    }

    fn key() -> NodeKey {
        NodeKey::from_secret([3; 32])
    }

    fn registry(member: &CountryCode) -> Option<NodePublicKey> {
        (member.as_str() == "MLI").then(|| key().public())
    }

    fn signed() -> SignedHeaders {
        sign_request(
            "POST",
            "/taxii2/ner/collections/c/objects/",
            "?limit=10",
            b"{\"objects\":[]}",
            &mli(),
            &key(),
            NOW,
        )
    }

    fn parts(h: &SignedHeaders) -> RequestParts<'_> {
        RequestParts {
            method: "POST",
            path: "/taxii2/ner/collections/c/objects/",
            query: "?limit=10",
            body: b"{\"objects\":[]}",
            signature_input: Some(&h.signature_input),
            signature: Some(&h.signature),
            content_digest: Some(&h.content_digest),
            peer: Some(&h.peer),
        }
    }

    /// A body-less `GET /x/` with these headers.
    fn get<'a>(h: &'a SignedHeaders, query: &'a str) -> RequestParts<'a> {
        RequestParts {
            method: "GET",
            path: "/x/",
            query,
            body: b"",
            ..parts(h)
        }
    }

    #[test]
    fn round_trip() {
        let h = signed();
        assert_eq!(verify_request(&parts(&h), registry, NOW), Ok(mli()));
        assert_eq!(
            h.signature_input,
            format!(
                "liaison=(\"@method\" \"@path\" \"@query\" \"content-digest\" \"liaison-peer\")\
                 ;created={NOW};keyid=\"{}\";alg=\"ed25519\"",
                key().public().fingerprint()
            )
        );
        assert_eq!(h.peer, "MLI");
        assert_eq!(created_of(&h.signature_input), Ok(NOW));
        // A query given without its `?`, and an empty query, sign and verify alike.
        let g = sign_request("GET", "/x/", "a=b", b"", &mli(), &key(), NOW);
        assert_eq!(verify_request(&get(&g, "?a=b"), registry, NOW), Ok(mli()));
        let g = sign_request("GET", "/x/", "", b"", &mli(), &key(), NOW);
        assert_eq!(verify_request(&get(&g, ""), registry, NOW), Ok(mli()));
        assert_eq!(verify_request(&get(&g, "?"), registry, NOW), Ok(mli()));
    }

    #[test]
    fn a_nonce_makes_identical_requests_distinct_and_is_covered() {
        let a = sign_request_with_nonce("GET", "/x/", "", b"", &mli(), &key(), NOW, Some("n1"));
        let b = sign_request_with_nonce("GET", "/x/", "", b"", &mli(), &key(), NOW, Some("n2"));
        assert_ne!(a.signature, b.signature);
        assert_eq!(verify_request(&get(&a, ""), registry, NOW), Ok(mli()));
        assert_eq!(verify_request(&get(&b, ""), registry, NOW), Ok(mli()));
        // The nonce is part of the signed parameters: changing it breaks the signature.
        let forged = SignedHeaders {
            signature_input: a.signature_input.replace("n1", "n3"),
            ..a.clone()
        };
        assert_eq!(
            verify_request(&get(&forged, ""), registry, NOW),
            Err(AuthError::BadSignature)
        );
        // Two nonces are malformed.
        let doubled = SignedHeaders {
            signature_input: format!("{};nonce=\"x\"", a.signature_input),
            ..a.clone()
        };
        assert_eq!(
            verify_request(&get(&doubled, ""), registry, NOW),
            Err(AuthError::Malformed("signature-input parameters".into()))
        );
    }

    #[test]
    fn missing_headers_are_named() {
        let h = signed();
        let mut p = parts(&h);
        p.signature_input = None;
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::Missing("signature-input"))
        );
        let mut p = parts(&h);
        p.signature = None;
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::Missing("signature"))
        );
        let mut p = parts(&h);
        p.content_digest = None;
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::Missing("content-digest"))
        );
        let mut p = parts(&h);
        p.peer = None;
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::Missing("liaison-peer"))
        );
    }

    #[test]
    fn tampering_is_refused() {
        let h = signed();
        let mut p = parts(&h);
        p.method = "GET";
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::BadSignature)
        );
        let mut p = parts(&h);
        p.path = "/taxii2/dza/collections/c/objects/";
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::BadSignature)
        );
        let mut p = parts(&h);
        p.query = "?limit=10000";
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::BadSignature)
        );
        let mut p = parts(&h);
        p.query = "";
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::BadSignature)
        );
        let mut p = parts(&h);
        p.body = b"{\"objects\":[1]}";
        assert_eq!(verify_request(&p, registry, NOW), Err(AuthError::BadDigest));
        // A digest recomputed for the new body is no longer the signed one.
        let other = content_digest(b"{\"objects\":[1]}");
        p.content_digest = Some(&other);
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::BadSignature)
        );
        // Claiming to be another member: its registered key does not match the keyid.
        let both = |m: &CountryCode| match m.as_str() {
            "MLI" => Some(key().public()),
            "NER" => Some(NodeKey::from_secret([4; 32]).public()),
            _ => None,
        };
        let mut p = parts(&h);
        p.peer = Some("NER");
        assert_eq!(verify_request(&p, both, NOW), Err(AuthError::WrongKey));
        // ... and if both had the same key, the covered peer header still differs.
        let same = |_: &CountryCode| Some(key().public());
        assert_eq!(verify_request(&p, same, NOW), Err(AuthError::BadSignature));
        // A signature bit flipped.
        let mut raw = parse_signature(&h.signature).unwrap();
        raw[10] ^= 1;
        let flipped = format!("liaison=:{}:", STANDARD.encode(raw));
        let mut p = parts(&h);
        p.signature = Some(&flipped);
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::BadSignature)
        );
    }

    #[test]
    fn wrong_and_unknown_keys() {
        let h = sign_request(
            "GET",
            "/x/",
            "",
            b"",
            &mli(),
            &NodeKey::from_secret([5; 32]),
            NOW,
        );
        let mut p = get(&h, "");
        assert_eq!(verify_request(&p, registry, NOW), Err(AuthError::WrongKey));
        // The keyid rewritten to the registered key's fingerprint: the signature fails.
        let forged = h.signature_input.replace(
            &NodeKey::from_secret([5; 32]).public().fingerprint(),
            &key().public().fingerprint(),
        );
        p.signature_input = Some(&forged);
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::BadSignature)
        );
        assert_eq!(
            verify_request(&parts(&signed()), |_| None, NOW),
            Err(AuthError::UnknownPeer)
        );
    }

    #[test]
    fn skew_is_bounded_both_ways() {
        let h = signed();
        for now in [NOW - MAX_SKEW_SECS, NOW, NOW + MAX_SKEW_SECS] {
            assert_eq!(verify_request(&parts(&h), registry, now), Ok(mli()));
        }
        for now in [
            NOW - MAX_SKEW_SECS - 1,
            NOW + MAX_SKEW_SECS + 1,
            0,
            i64::MAX,
        ] {
            assert_eq!(
                verify_request(&parts(&h), registry, now),
                Err(AuthError::Expired)
            );
        }
    }

    #[test]
    fn malformed_inputs_name_their_part() {
        let h = signed();
        let fp = key().public().fingerprint();
        let good_params = format!(
            "(\"@method\" \"@path\" \"@query\" \"content-digest\" \"liaison-peer\");created={NOW};keyid=\"{fp}\";alg=\"ed25519\""
        );
        let cases: Vec<(String, &str)> = vec![
            (format!("sig1={good_params}"), "signature-input label"),
            (format!("liaison {good_params}"), "signature-input label"),
            (
                format!(
                    "liaison=(\"@method\" \"@path\" \"content-digest\" \"liaison-peer\");created={NOW};keyid=\"{fp}\";alg=\"ed25519\""
                ),
                "signature-input covered components",
            ),
            (
                format!(
                    "liaison=(\"@method\"  \"@path\" \"@query\" \"content-digest\" \"liaison-peer\");created={NOW};keyid=\"{fp}\";alg=\"ed25519\""
                ),
                "signature-input covered components",
            ),
            (
                format!(
                    "liaison=(\"@method\" \"@path\" \"@query\" \"content-digest\" \"liaison-peer\";created={NOW}"
                ),
                "signature-input covered components",
            ),
            (
                format!("liaison={good_params};expires=1"),
                "signature-input parameters",
            ),
            (
                format!("liaison={good_params};created=1"),
                "signature-input parameters",
            ),
            (
                format!("liaison={good_params}, other=()"),
                "signature-input parameters",
            ),
            (
                good_params.replace(&format!("created={NOW}"), "created=soon"),
                "signature-input label",
            ),
            (
                format!(
                    "liaison={}",
                    good_params.replace(&format!("created={NOW}"), "created=soon")
                ),
                "signature-input created",
            ),
            (
                format!(
                    "liaison={}",
                    good_params.replace(&format!("created={NOW}"), "created=1234567890123456")
                ),
                "signature-input created",
            ),
            (
                format!(
                    "liaison={}",
                    good_params.replace(&format!(";created={NOW}"), "")
                ),
                "signature-input created",
            ),
            (
                format!(
                    "liaison={}",
                    good_params.replace(&format!(";keyid=\"{fp}\""), "")
                ),
                "signature-input keyid",
            ),
            (
                format!(
                    "liaison={}",
                    good_params.replace(&format!("\"{fp}\""), "abc")
                ),
                "signature-input keyid",
            ),
            (
                format!(
                    "liaison={}",
                    good_params.replace("ed25519", "rsa-pss-sha512")
                ),
                "signature-input alg",
            ),
            (
                format!("liaison={}", good_params.replace(";alg=\"ed25519\"", "")),
                "signature-input alg",
            ),
        ];
        for (input, part) in &cases {
            let mut p = parts(&h);
            p.signature_input = Some(input);
            assert_eq!(
                verify_request(&p, registry, NOW),
                Err(AuthError::Malformed((*part).to_owned())),
                "{input}"
            );
        }
        for sig in [
            "liaison=abc",
            "sig1=:AAAA:",
            "liaison=:AAAA:",
            "liaison=:not base64!:",
            &h.signature.replace(':', ""),
        ] {
            let mut p = parts(&h);
            p.signature = Some(sig);
            assert_eq!(
                verify_request(&p, registry, NOW),
                Err(AuthError::Malformed("signature".into())),
                "{sig}"
            );
        }
        for digest in [
            "sha-512=:AAAA:",
            "sha-256=:AAAA:",
            "sha-256=AAAA",
            &format!("{}, sha-512=:AAAA:", h.content_digest),
        ] {
            let mut p = parts(&h);
            p.content_digest = Some(digest);
            assert_eq!(
                verify_request(&p, registry, NOW),
                Err(AuthError::Malformed("content-digest".into())),
                "{digest}"
            );
        }
        for peer in ["mli", "MALI", "ZZZ", ""] {
            let mut p = parts(&h);
            p.peer = Some(peer);
            assert_eq!(
                verify_request(&p, registry, NOW),
                Err(AuthError::Malformed("liaison-peer".into())),
                "{peer}"
            );
        }
        let mut p = parts(&h);
        p.path = "/a\n\"@query\": ?";
        assert_eq!(
            verify_request(&p, registry, NOW),
            Err(AuthError::Malformed("@path".into()))
        );
        // Surrounding whitespace, as HTTP allows, is not a difference.
        let padded = format!(" {} ", h.signature_input);
        let mut p = parts(&h);
        p.signature_input = Some(&padded);
        assert_eq!(verify_request(&p, registry, NOW), Ok(mli()));
    }

    #[test]
    fn replays_are_refused() {
        let mut guard = ReplayGuard::new(16);
        let h = signed();
        let created = created_of(&h.signature_input).unwrap();
        assert_eq!(guard.check_and_remember(&h.signature, created, NOW), Ok(()));
        assert_eq!(
            guard.check_and_remember(&h.signature, created, NOW + 1),
            Err(AuthError::Replayed)
        );
        // Past the window the signature is forgotten, and refused as expired instead.
        assert_eq!(
            guard.check_and_remember(&h.signature, created, NOW + MAX_SKEW_SECS + 1),
            Err(AuthError::Expired)
        );
        assert!(guard.is_empty());
        assert_eq!(
            guard.check_and_remember("x", NOW - MAX_SKEW_SECS - 1, NOW),
            Err(AuthError::Expired)
        );
    }

    #[test]
    fn a_full_guard_fails_closed_for_what_it_forgot() {
        let mut guard = ReplayGuard::new(3);
        for (i, sig) in ["a", "b", "c"].iter().enumerate() {
            assert_eq!(guard.check_and_remember(sig, NOW + i as i64, NOW), Ok(()));
        }
        // "a" (created NOW) is dropped to make room: NOW becomes the floor.
        assert_eq!(guard.check_and_remember("d", NOW + 3, NOW), Ok(()));
        assert_eq!(guard.len(), 3);
        assert_eq!(
            guard.check_and_remember("a", NOW, NOW),
            Err(AuthError::Replayed)
        );
        assert_eq!(
            guard.check_and_remember("e", NOW, NOW),
            Err(AuthError::Replayed)
        );
        assert_eq!(
            guard.check_and_remember("b", NOW + 1, NOW),
            Err(AuthError::Replayed)
        );
        assert_eq!(guard.check_and_remember("f", NOW + 4, NOW), Ok(()));
        // Once the window has moved past the floor, it no longer matters.
        assert_eq!(
            guard.check_and_remember("g", NOW + 10, NOW + MAX_SKEW_SECS + 5),
            Ok(())
        );
    }

    /// RFC 9530's example: the digest of `{"hello": "world"}`.
    #[test]
    fn content_digest_known_answer() {
        assert_eq!(
            content_digest(b"{\"hello\": \"world\"}"),
            "sha-256=:X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=:"
        );
    }

    /// RFC 9421 Appendix B.2.6: the base our builders make from that example's components, and
    /// its signature by `test-key-ed25519` (Appendix B.1.4; Ed25519 is deterministic, so the
    /// signature must match byte for byte).
    #[test]
    fn rfc9421_ed25519_known_answer() {
        let names = [
            "date",
            "@method",
            "@path",
            "@authority",
            "content-type",
            "content-length",
        ];
        let params = signature_params(&names, 1_618_884_473, "test-key-ed25519", None);
        let base = signature_base(
            &[
                ("date", "Tue, 20 Apr 2021 02:07:55 GMT"),
                ("@method", "POST"),
                ("@path", "/foo"),
                ("@authority", "example.com"),
                ("content-type", "application/json"),
                ("content-length", "18"),
            ],
            &params,
        );
        let expected_base = "\"date\": Tue, 20 Apr 2021 02:07:55 GMT\n\
\"@method\": POST\n\
\"@path\": /foo\n\
\"@authority\": example.com\n\
\"content-type\": application/json\n\
\"content-length\": 18\n\
\"@signature-params\": (\"date\" \"@method\" \"@path\" \"@authority\" \"content-type\" \"content-length\");created=1618884473;keyid=\"test-key-ed25519\"";
        assert_eq!(base, expected_base);

        // B.1.4: the private key `d` and public key `x` of the JWK form.
        let d = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode("n4Ni-HpISpVObnQMW0wOhCKROaIKqKtW_2ZYb2p9KcU")
            .unwrap();
        let key = NodeKey::from_secret(d.try_into().unwrap());
        assert_eq!(
            key.public().to_base64(),
            "JrQLj5P_89iXES9-vFgrIy29clF9CC_oPPsw3c5D0bs"
        );
        let expected = "wqcAqbmYJ2ji2glfAMaRy4gruYYnx2nEFN2HN6jrnDnQCK1u02Gb04v9EDgwUPiu4A0w6vuQv5lIp5WPpBKRCw==";
        assert_eq!(STANDARD.encode(key.sign(base.as_bytes())), expected);
        let sig: [u8; 64] = STANDARD.decode(expected).unwrap().try_into().unwrap();
        assert!(key.public().verify(expected_base.as_bytes(), &sig));
    }
}
