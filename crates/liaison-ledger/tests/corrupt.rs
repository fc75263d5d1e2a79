//! Corrupted proofs and bad arguments are refused, after the probes of transparency-dev/merkle's
//! `proof/verify_test.go` (`corruptInclusionProof`, `corruptConsistencyProof`): wrong index or
//! size, wrong leaf or root, garbage before or after, a flipped bit in any hash, a hash removed
//! or inserted, old > new, index >= size.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{CONSISTENCY, INCLUSION, ROOTS, h, hashes, reference_tree, synthetic_tree};
use liaison_ledger::{
    Hash, MemoryTree, ProofError, consistency_plan, empty_root, inclusion_plan, inclusion_proof,
    verify_consistency, verify_inclusion,
};

const SOME_HASH: &str = "abacaba000000000000000000000000000000000000000000060061e00123456";

fn flip(proof: &[Hash], i: usize, bit: u8) -> Vec<Hash> {
    let mut p = proof.to_vec();
    p[i][0] ^= bit;
    p
}

/// Every corruption of a valid inclusion proof, with a label.
fn inclusion_probes(
    index: u64,
    size: u64,
    leaf: Hash,
    root: Hash,
    proof: &[Hash],
) -> Vec<(String, u64, u64, Hash, Hash, Vec<Hash>)> {
    let some = h(SOME_HASH);
    let mut v = vec![
        (
            "index - 1".into(),
            index.wrapping_sub(1),
            size,
            leaf,
            root,
            proof.to_vec(),
        ),
        (
            "index + 1".into(),
            index + 1,
            size,
            leaf,
            root,
            proof.to_vec(),
        ),
        (
            "index ^ 2".into(),
            index ^ 2,
            size,
            leaf,
            root,
            proof.to_vec(),
        ),
        (
            "size * 2".into(),
            index,
            size * 2,
            leaf,
            root,
            proof.to_vec(),
        ),
        (
            "size / 2".into(),
            index,
            size / 2,
            leaf,
            root,
            proof.to_vec(),
        ),
        ("wrong leaf".into(), index, size, some, root, proof.to_vec()),
        (
            "empty root".into(),
            index,
            size,
            leaf,
            empty_root(),
            proof.to_vec(),
        ),
        (
            "random root".into(),
            index,
            size,
            leaf,
            some,
            proof.to_vec(),
        ),
    ];
    let mut trailing = proof.to_vec();
    trailing.push(root);
    v.push(("trailing root".into(), index, size, leaf, root, trailing));
    let mut preceding = vec![root];
    preceding.extend_from_slice(proof);
    v.push(("preceding root".into(), index, size, leaf, root, preceding));
    for i in 0..proof.len() {
        v.push((
            format!("proof[{i}] bit 3"),
            index,
            size,
            leaf,
            root,
            flip(proof, i, 8),
        ));
    }
    if !proof.is_empty() {
        let removed = proof[..proof.len() - 1].to_vec();
        v.push(("removed last".into(), index, size, leaf, root, removed));
        let mut inserted = vec![proof[0], some];
        inserted.extend_from_slice(&proof[1..]);
        v.push(("inserted".into(), index, size, leaf, root, inserted));
    }
    v
}

#[test]
fn corrupted_inclusion_proofs_are_refused() {
    let t = reference_tree(8);
    for &(index, size, proof) in INCLUSION {
        let proof = hashes(proof);
        let leaf = t.leaf(index).unwrap();
        let root = h(ROOTS[size as usize - 1]);
        verify_inclusion(&leaf, index, size, &proof, &root).unwrap();
        for (label, i, s, l, r, p) in inclusion_probes(index, size, leaf, root, &proof) {
            assert!(
                verify_inclusion(&l, i, s, &p, &r).is_err(),
                "{label} accepted for {index}/{size}"
            );
        }
    }
}

#[test]
fn corrupted_inclusion_proofs_in_a_larger_tree() {
    let t = synthetic_tree(1000);
    for (index, size) in [(0, 1000), (999, 1000), (512, 1000), (511, 513), (77, 129)] {
        let proof = t.inclusion_proof(index, size).unwrap();
        let leaf = t.leaf(index).unwrap();
        let root = t.root_at(size).unwrap();
        verify_inclusion(&leaf, index, size, &proof, &root).unwrap();
        for (label, i, s, l, r, p) in inclusion_probes(index, size, leaf, root, &proof) {
            assert!(
                verify_inclusion(&l, i, s, &p, &r).is_err(),
                "{label} accepted for {index}/{size}"
            );
        }
    }
}

#[allow(clippy::type_complexity)]
fn consistency_probes(
    old: u64,
    new: u64,
    r1: Hash,
    r2: Hash,
    proof: &[Hash],
) -> Vec<(String, u64, u64, Hash, Hash, Vec<Hash>)> {
    let some = h(SOME_HASH);
    let p = proof.to_vec();
    let mut v = vec![
        ("old - 1".into(), old - 1, new, r1, r2, p.clone()),
        ("old + 1".into(), old + 1, new, r1, r2, p.clone()),
        ("old ^ 2".into(), old ^ 2, new, r1, r2, p.clone()),
        ("new * 2".into(), old, new * 2, r1, r2, p.clone()),
        ("new / 2".into(), old, new / 2, r1, r2, p.clone()),
        ("wrong old root".into(), old, new, some, r2, p.clone()),
        ("wrong new root".into(), old, new, r1, some, p.clone()),
        ("swapped roots".into(), old, new, r2, r1, p.clone()),
        ("empty proof".into(), old, new, r1, r2, vec![]),
    ];
    for extra in [r1, r2] {
        let mut trailing = p.clone();
        trailing.push(extra);
        v.push(("trailing root".into(), old, new, r1, r2, trailing));
        let mut preceding = vec![extra];
        preceding.extend_from_slice(&p);
        v.push(("preceding root".into(), old, new, r1, r2, preceding));
    }
    let mut preceding_first = vec![p[0]];
    preceding_first.extend_from_slice(&p);
    v.push((
        "preceding proof[0]".into(),
        old,
        new,
        r1,
        r2,
        preceding_first,
    ));
    v.push((
        "truncated".into(),
        old,
        new,
        r1,
        r2,
        p[..p.len() - 1].to_vec(),
    ));
    for i in 0..p.len() {
        v.push((
            format!("proof[{i}] bit 4"),
            old,
            new,
            r1,
            r2,
            flip(&p, i, 16),
        ));
    }
    v
}

#[test]
fn corrupted_consistency_proofs_are_refused() {
    let check = |t: &MemoryTree, old: u64, new: u64, proof: Vec<Hash>| {
        let (r1, r2) = (t.root_at(old).unwrap(), t.root_at(new).unwrap());
        verify_consistency(old, new, &r1, &r2, &proof).unwrap();
        if proof.is_empty() {
            return;
        }
        for (label, o, n, a, b, p) in consistency_probes(old, new, r1, r2, &proof) {
            assert!(
                verify_consistency(o, n, &a, &b, &p).is_err(),
                "{label} accepted for {old}->{new}"
            );
        }
    };
    let reference = reference_tree(8);
    for &(old, new, proof) in CONSISTENCY {
        check(&reference, old, new, hashes(proof));
    }
    let t = synthetic_tree(1000);
    for (old, new) in [
        (1, 1000),
        (999, 1000),
        (512, 1000),
        (500, 513),
        (3, 129),
        (64, 96),
    ] {
        check(&t, old, new, t.consistency_proof(old, new).unwrap());
    }
}

#[test]
fn bad_arguments_name_the_numbers() {
    let leaf = h(SOME_HASH);
    assert_eq!(
        verify_inclusion(&leaf, 0, 0, &[], &empty_root()),
        Err(ProofError::EmptyTree { index: 0 })
    );
    assert_eq!(
        verify_inclusion(&leaf, 5, 5, &[], &leaf),
        Err(ProofError::IndexOutOfRange { index: 5, size: 5 })
    );
    assert_eq!(
        inclusion_plan(7, 3),
        Err(ProofError::IndexOutOfRange { index: 7, size: 3 })
    );
    assert_eq!(
        inclusion_plan(0, 0),
        Err(ProofError::EmptyTree { index: 0 })
    );
    assert_eq!(
        verify_consistency(4, 3, &leaf, &leaf, &[]),
        Err(ProofError::OldLargerThanNew { old: 4, new: 3 })
    );
    assert_eq!(
        consistency_plan(4, 3),
        Err(ProofError::OldLargerThanNew { old: 4, new: 3 })
    );
    // Equal sizes: empty proof, equal roots.
    assert_eq!(
        verify_consistency(3, 3, &leaf, &leaf, &[leaf]),
        Err(ProofError::WrongProofLength { got: 1, want: 0 })
    );
    assert!(matches!(
        verify_consistency(3, 3, &leaf, &empty_root(), &[]),
        Err(ProofError::RootMismatch { .. })
    ));
    // From the empty tree: only the empty root, only an empty proof.
    assert!(verify_consistency(0, 3, &leaf, &leaf, &[]).is_err());
    assert!(verify_consistency(0, 3, &empty_root(), &leaf, &[leaf]).is_err());

    let t = reference_tree(8);
    let root = t.root_at(8).unwrap();
    let proof = t.inclusion_proof(2, 8).unwrap();
    let err = verify_inclusion(&t.leaf(2).unwrap(), 2, 8, &proof[..2], &root).unwrap_err();
    assert_eq!(err, ProofError::WrongProofLength { got: 2, want: 3 });
    assert!(err.to_string().contains("2 hashes") && err.to_string().contains("exactly 3"));

    // A lookup that lacks a planned node says which.
    let err = inclusion_proof(2, 8, &|_| None).unwrap_err();
    assert!(
        matches!(err, ProofError::MissingNode { level: 0, index: 3 }),
        "{err}"
    );
    assert_eq!(err.to_string(), "stored node level 0 index 3 is missing");

    let err = t.root_at(9).unwrap_err();
    assert_eq!(
        err,
        ProofError::SizeBeyondTree {
            size: 9,
            tree_size: 8
        }
    );
}
