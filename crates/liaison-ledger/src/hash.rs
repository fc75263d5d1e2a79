//! The RFC 6962 / RFC 9162 hashes: SHA-256 with a one-byte domain prefix, so a leaf can never be
//! mistaken for an interior node (the second-preimage defence of RFC 9162 §2.1.1).

use sha2::{Digest, Sha256};

/// A SHA-256 output: leaf hashes, node hashes and tree roots.
pub type Hash = [u8; 32];

/// `SHA-256(0x00 || data)`: the hash of one log entry.
pub fn leaf_hash(data: &[u8]) -> Hash {
    let mut h = Sha256::new();
    h.update([0x00]);
    h.update(data);
    h.finalize().into()
}

/// `SHA-256(0x01 || left || right)`: the hash of an interior node.
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    // One 65-byte buffer and a single `digest` call: this is the hot path of proof
    // verification and of appends, and it avoids three separate `update` calls.
    let mut buf = [0u8; 65];
    buf[0] = 0x01;
    buf[1..33].copy_from_slice(left);
    buf[33..].copy_from_slice(right);
    Sha256::digest(buf).into()
}

/// `SHA-256("")`: the root of the empty tree (RFC 9162 §2.1.1).
pub fn empty_root() -> Hash {
    Sha256::digest([]).into()
}

/// SHA-256 of arbitrary bytes (objects, documents, receipts), without a domain prefix.
pub fn sha256(data: &[u8]) -> Hash {
    Sha256::digest(data).into()
}

/// Lower-case hexadecimal, the form hashes take in entries and messages.
pub fn to_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(char::from(DIGITS[usize::from(b >> 4)]));
        s.push(char::from(DIGITS[usize::from(b & 0x0f)]));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_root_is_sha256_of_nothing() {
        assert_eq!(
            to_hex(&empty_root()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn leaf_of_empty_data() {
        // RFC 6962 reference: the first of the eight standard leaves is the empty string, and
        // a one-leaf tree's root is its leaf hash (transparency-dev/merkle proof/verify_test.go).
        assert_eq!(
            to_hex(&leaf_hash(b"")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d"
        );
    }

    #[test]
    fn node_hash_prefixes_one() {
        let l = leaf_hash(b"");
        let r = leaf_hash(&[0x00]);
        // Root of the two-leaf reference tree.
        assert_eq!(
            to_hex(&node_hash(&l, &r)),
            "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"
        );
    }
}
