//! Property tests and the independent oracle: proofs made through plan + lookup (a map holding
//! only the planned nodes, as a store would fetch them) verify, equal [`MemoryTree`]'s literal
//! RFC recursion and ct-merkle's proofs, and fail for another index or size; frontier roots
//! equal the tree's roots at every size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fetch, leaf_data, synthetic_tree};
use ct_merkle::mem_backed_tree::MemoryBackedTree;
use ct_merkle::{ConsistencyProof, InclusionProof, RootHash};
use liaison_ledger::{
    Frontier, Hash, MemoryTree, consistency_plan, consistency_proof, inclusion_plan,
    inclusion_proof, root_from, root_plan, verify_consistency, verify_inclusion,
};
use proptest::prelude::*;
use sha2::Sha256;

fn planned_inclusion(t: &MemoryTree, index: u64, size: u64) -> Vec<Hash> {
    let map = fetch(t, &inclusion_plan(index, size).unwrap());
    inclusion_proof(index, size, &|id| map.get(&id).copied()).unwrap()
}

fn planned_consistency(t: &MemoryTree, old: u64, new: u64) -> Vec<Hash> {
    let map = fetch(t, &consistency_plan(old, new).unwrap());
    consistency_proof(old, new, &|id| map.get(&id).copied()).unwrap()
}

fn flat(p: &[Hash]) -> Vec<u8> {
    p.concat()
}

/// Checks every inclusion proof at `size` and every consistency proof into `size`.
fn check_size(t: &MemoryTree, size: u64) {
    let root = t.root_at(size).unwrap();
    let map = fetch(t, &root_plan(size));
    assert_eq!(root_from(size, &|id| map.get(&id).copied()).unwrap(), root);
    for index in 0..size {
        let p = planned_inclusion(t, index, size);
        assert_eq!(p, t.inclusion_proof(index, size).unwrap(), "{index}/{size}");
        let leaf = t.leaf(index).unwrap();
        verify_inclusion(&leaf, index, size, &p, &root).unwrap();
        // Another index (its own leaf or ours), another size with its own root: refused.
        let other = (index + 1 + index * 7 % size) % size;
        if other != index {
            assert!(verify_inclusion(&leaf, other, size, &p, &root).is_err());
            let other_leaf = t.leaf(other).unwrap();
            assert!(verify_inclusion(&other_leaf, other, size, &p, &root).is_err());
        }
        for other_size in [size - 1, size + 1] {
            if other_size > index && other_size <= t.size() {
                let other_root = t.root_at(other_size).unwrap();
                assert!(
                    verify_inclusion(&leaf, index, other_size, &p, &other_root).is_err(),
                    "{index}/{size} accepted as {index}/{other_size}"
                );
            }
        }
    }
    for old in 0..=size {
        let p = planned_consistency(t, old, size);
        assert_eq!(p, t.consistency_proof(old, size).unwrap(), "{old}->{size}");
        let old_root = t.root_at(old).unwrap();
        verify_consistency(old, size, &old_root, &root, &p).unwrap();
        if !p.is_empty() {
            for other_old in [old - 1, old + 1] {
                if other_old >= 1 && other_old < size {
                    let other_root = t.root_at(other_old).unwrap();
                    assert!(
                        verify_consistency(other_old, size, &other_root, &root, &p).is_err(),
                        "{old}->{size} accepted as {other_old}->{size}"
                    );
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn planned_proofs_verify_and_match(size in 1u64..=300) {
        let t = synthetic_tree(size + 1);
        check_size(&t, size);
        let mut f = Frontier::empty();
        let mut done = Vec::new();
        for i in 0..size {
            f.push(t.leaf(i).unwrap(), &mut done);
            prop_assert_eq!(f.root(), t.root_at(i + 1).unwrap());
        }
        // What the appends completed is exactly every stored node of the tree at `size`.
        for (id, hash) in &done {
            prop_assert_eq!(t.node(*id), Some(*hash));
        }
        let frontier_ids = Frontier::ids(size);
        prop_assert_eq!(
            f.hashes().to_vec(),
            frontier_ids.iter().map(|id| t.node(*id).unwrap()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn random_pairs_in_large_sizes(size in 1u64..=5000, a in any::<u64>(), b in any::<u64>()) {
        let t = synthetic_tree(size);
        let index = a % size;
        let old = b % (size + 1);
        let root = t.root();
        let p = planned_inclusion(&t, index, size);
        prop_assert_eq!(&p, &t.inclusion_proof(index, size).unwrap());
        prop_assert!(verify_inclusion(&t.leaf(index).unwrap(), index, size, &p, &root).is_ok());
        let c = planned_consistency(&t, old, size);
        prop_assert_eq!(&c, &t.consistency_proof(old, size).unwrap());
        prop_assert!(verify_consistency(old, size, &t.root_at(old).unwrap(), &root, &c).is_ok());
    }
}

#[test]
fn exhaustive_small_sizes() {
    let t = synthetic_tree(70);
    for size in 1..=69 {
        check_size(&t, size);
    }
}

fn ct_root(ct: &MemoryBackedTree<Sha256, Vec<u8>>) -> Hash {
    ct.root().as_bytes().as_slice().try_into().unwrap()
}

fn ct_root_hash(root: Hash, size: u64) -> RootHash<Sha256> {
    RootHash::new(root.into(), size)
}

/// ct-merkle proves only at its current size, so the oracle tree grows one leaf at a time.
#[test]
fn ct_merkle_agrees_on_roots_and_proofs() {
    let max = 130u64;
    let ours = synthetic_tree(max);
    let mut ct = MemoryBackedTree::<Sha256, Vec<u8>>::new();
    for size in 1..=max {
        ct.push(leaf_data(size - 1));
        let root = ours.root_at(size).unwrap();
        assert_eq!(ct_root(&ct), root, "root at {size}");
        let ct_root_now = ct_root_hash(root, size);
        for index in 0..size {
            let p = planned_inclusion(&ours, index, size);
            let theirs = ct.prove_inclusion(index as usize);
            assert_eq!(
                theirs.as_bytes(),
                flat(&p).as_slice(),
                "inclusion {index}/{size}"
            );
            // Each side verifies the other's proof.
            ct_root_now
                .verify_inclusion(
                    &leaf_data(index),
                    index,
                    &InclusionProof::from_bytes(flat(&p)),
                )
                .unwrap();
            let theirs: Vec<Hash> = theirs
                .as_bytes()
                .chunks(32)
                .map(|c| c.try_into().unwrap())
                .collect();
            verify_inclusion(&ours.leaf(index).unwrap(), index, size, &theirs, &root).unwrap();
        }
        for old in 1..=size {
            let p = planned_consistency(&ours, old, size);
            let theirs = ct.prove_consistency((size - old) as usize);
            assert_eq!(
                theirs.as_bytes(),
                flat(&p).as_slice(),
                "consistency {old}->{size}"
            );
            let old_root = ours.root_at(old).unwrap();
            ct_root_now
                .verify_consistency(
                    &ct_root_hash(old_root, old),
                    &ConsistencyProof::try_from_bytes(flat(&p)).unwrap(),
                )
                .unwrap();
        }
    }
}
