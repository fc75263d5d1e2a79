//! Known-answer tests: the RFC 6962 reference tree of eight leaves, its roots, stored nodes,
//! compact ranges, inclusion and consistency proofs.
//!
//! Sources (Apache-2.0 test data, copied as data):
//! - transparency-dev/merkle `testonly/constants.go`: `LeafInputs`, `NodeHashes`, `RootHashes`,
//!   `CompactTrees`;
//! - transparency-dev/merkle `proof/verify_test.go`: `inclusionProofs` (1-based leaf numbers
//!   there, 0-based indices here) and `consistencyProofs`;
//! - transparency-dev/merkle `testonly/reference_test.go`, as copied in ct-merkle 0.3's
//!   `tests/known_answer.rs`: more inclusion and consistency vectors.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{CONSISTENCY, INCLUSION, ROOTS, fetch, h, hashes, reference_tree};
use liaison_ledger::{
    Frontier, NodeId, consistency_plan, consistency_proof, empty_root, inclusion_plan,
    inclusion_proof, root_from, root_plan, verify_consistency, verify_inclusion,
};

/// `NodeHashes()`: every perfect subtree of the full reference tree, by level.
const NODES: [&[&str]; 4] = [
    &[
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    &[
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    &[
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    &["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
];

#[test]
fn roots_of_the_reference_tree() {
    let t = reference_tree(8);
    assert_eq!(t.root_at(0).unwrap(), empty_root());
    for (i, want) in ROOTS.iter().enumerate() {
        let size = i as u64 + 1;
        assert_eq!(
            t.root_at(size).unwrap(),
            h(want),
            "MemoryTree root at {size}"
        );
        let map = fetch(&t, &root_plan(size));
        assert_eq!(
            root_from(size, &|id| map.get(&id).copied()).unwrap(),
            h(want),
            "root_from at {size}"
        );
        let mut f = Frontier::empty();
        let mut done = Vec::new();
        for j in 0..size {
            f.push(t.leaf(j).unwrap(), &mut done);
        }
        assert_eq!(f.root(), h(want), "frontier root at {size}");
    }
    assert_eq!(t.root(), h(ROOTS[7]));
}

#[test]
fn stored_nodes_and_compact_ranges() {
    let t = reference_tree(8);
    for (level, row) in NODES.iter().enumerate() {
        for (index, want) in row.iter().enumerate() {
            let id = NodeId::new(level as u8, index as u64);
            assert_eq!(t.node(id), Some(h(want)), "{id:?}");
        }
    }
    // CompactTrees(): the frontier of each size, from the same node table.
    let mut f = Frontier::empty();
    let mut completed = Vec::new();
    for size in 1..=8u64 {
        completed.clear();
        f.push(t.leaf(size - 1).unwrap(), &mut completed);
        let want: Vec<_> = Frontier::ids(size)
            .iter()
            .map(|id| h(NODES[usize::from(id.level)][id.index as usize]))
            .collect();
        assert_eq!(f.hashes(), want.as_slice(), "frontier at {size}");
        // What the append completed is exactly what the reference table holds for it.
        for (id, hash) in &completed {
            assert_eq!(
                *hash,
                h(NODES[usize::from(id.level)][id.index as usize]),
                "{id:?}"
            );
        }
        assert_eq!(
            Frontier::from_hashes(size, want).unwrap(),
            f,
            "from_hashes at {size}"
        );
    }
}

#[test]
fn inclusion_vectors() {
    let t = reference_tree(8);
    for &(index, size, proof) in INCLUSION {
        let want = hashes(proof);
        assert_eq!(
            t.inclusion_proof(index, size).unwrap(),
            want,
            "memory {index}/{size}"
        );
        let map = fetch(&t, &inclusion_plan(index, size).unwrap());
        let got = inclusion_proof(index, size, &|id| map.get(&id).copied()).unwrap();
        assert_eq!(got, want, "planned {index}/{size}");
        let root = h(ROOTS[size as usize - 1]);
        verify_inclusion(&t.leaf(index).unwrap(), index, size, &want, &root).unwrap();
    }
}

#[test]
fn consistency_vectors() {
    let t = reference_tree(8);
    for &(old, new, proof) in CONSISTENCY {
        let want = hashes(proof);
        assert_eq!(
            t.consistency_proof(old, new).unwrap(),
            want,
            "memory {old}->{new}"
        );
        let map = fetch(&t, &consistency_plan(old, new).unwrap());
        let got = consistency_proof(old, new, &|id| map.get(&id).copied()).unwrap();
        assert_eq!(got, want, "planned {old}->{new}");
        let (r1, r2) = (h(ROOTS[old as usize - 1]), h(ROOTS[new as usize - 1]));
        verify_consistency(old, new, &r1, &r2, &want).unwrap();
    }
}

#[test]
fn every_proof_of_the_reference_tree_verifies() {
    let t = reference_tree(8);
    for size in 1..=8u64 {
        let root = h(ROOTS[size as usize - 1]);
        for index in 0..size {
            let p = t.inclusion_proof(index, size).unwrap();
            verify_inclusion(&t.leaf(index).unwrap(), index, size, &p, &root).unwrap();
        }
        for old in 1..=size {
            let p = t.consistency_proof(old, size).unwrap();
            let old_root = h(ROOTS[old as usize - 1]);
            verify_consistency(old, size, &old_root, &root, &p).unwrap();
        }
    }
    // Every tree extends the empty tree, with an empty proof.
    verify_consistency(0, 5, &empty_root(), &h(ROOTS[4]), &[]).unwrap();
}
