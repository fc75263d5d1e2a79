//! Shared helpers for the integration tests: the RFC 6962 reference tree, hex, test keys.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;

use ed25519_dalek::{Signer, SigningKey};
use liaison_ledger::{Hash, MemoryTree, NodeId, leaf_hash};

/// The eight leaves of the RFC 6962 reference tree, as hex, from transparency-dev/merkle
/// `proof/verify_test.go` (`leaves`) and `testonly/reference_test.go` (also copied by
/// ct-merkle's `tests/known_answer.rs`).
pub const REFERENCE_LEAVES: [&str; 8] = [
    "",
    "00",
    "10",
    "2021",
    "3031",
    "40414243",
    "5051525354555657",
    "606162636465666768696a6b6c6d6e6f",
];

/// Vectors from transparency-dev/merkle (`testonly/constants.go` `RootHashes`,
/// `proof/verify_test.go`, `testonly/reference_test.go`); see `kat.rs` for the full citation.
/// `RootHashes()[1..]`: the root of the first `n` reference leaves, n = 1..=8.
pub const ROOTS: [&str; 8] = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
];

/// (index, size, proof) with 0-based indices.
pub const INCLUSION: &[(u64, u64, &str)] = &[
    (0, 1, ""),
    (
        0,
        2,
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    ),
    (
        1,
        2,
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    ),
    (
        2,
        3,
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    ),
    (
        1,
        5,
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d
         5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e
         bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ),
    (
        0,
        8,
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7
         5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e
         6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ),
    (
        5,
        8,
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b
         ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0
         d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ),
];

/// (old, new, proof).
pub const CONSISTENCY: &[(u64, u64, &str)] = &[
    (1, 1, ""),
    (
        1,
        8,
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7
         5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e
         6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ),
    (
        6,
        8,
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a
         ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0
         d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ),
    (
        2,
        5,
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e
         bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    ),
    (
        6,
        7,
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a
         b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f
         d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    ),
];

pub fn unhex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    assert!(s.len().is_multiple_of(2), "odd hex {s}");
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

pub fn h(s: &str) -> Hash {
    unhex(s).try_into().unwrap()
}

/// Concatenated 64-char hex hashes, as the reference vectors list proofs.
pub fn hashes(s: &str) -> Vec<Hash> {
    let b = unhex(s);
    b.chunks(32).map(|c| c.try_into().unwrap()).collect()
}

pub fn reference_tree(size: usize) -> MemoryTree {
    let mut t = MemoryTree::new();
    for l in REFERENCE_LEAVES.iter().take(size) {
        t.push(leaf_hash(&unhex(l)));
    }
    t
}

/// Leaf data of the synthetic trees used by the property tests.
pub fn leaf_data(i: u64) -> Vec<u8> {
    format!("leaf {i}").into_bytes()
}

pub fn synthetic_tree(size: u64) -> MemoryTree {
    let mut t = MemoryTree::with_capacity(size);
    for i in 0..size {
        t.push(leaf_hash(&leaf_data(i)));
    }
    t
}

/// A store's view: only the planned nodes, fetched into a map.
pub fn fetch(tree: &MemoryTree, plan: &[NodeId]) -> HashMap<NodeId, Hash> {
    plan.iter()
        .map(|id| (*id, tree.node(*id).expect("planned node is stored")))
        .collect()
}

pub struct TestKey {
    pub signing: SigningKey,
    pub public: [u8; 32],
}

impl TestKey {
    pub fn from_seed(seed: [u8; 32]) -> Self {
        let signing = SigningKey::from_bytes(&seed);
        let public = signing.verifying_key().to_bytes();
        TestKey { signing, public }
    }

    pub fn new(byte: u8) -> Self {
        Self::from_seed([byte; 32])
    }

    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.signing.sign(msg).to_bytes()
    }
}

/// Compares `actual` with `tests/golden/<name>`; with `UPDATE_GOLDEN=1` set, rewrites the file
/// first (review the diff before committing it).
pub fn golden(name: &str, actual: &str) -> String {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        actual, expected,
        "{name} changed (UPDATE_GOLDEN=1 to accept)"
    );
    expected
}
