//! Inclusion and consistency proofs (RFC 9162 §2.1.3 and §2.1.4, the same as RFC 6962's `PATH`
//! and `SUBPROOF`), generated from stored perfect subtrees and verified from hashes alone.
//!
//! Generation is split in two so a store can do it with one query: a *plan* lists every perfect
//! subtree ([`NodeId`]) the proof needs; the store fetches them into a map; the proof function
//! then reads them through a lookup closure. A proof hash over a range that is not perfect (at
//! most one per proof, on the right edge) is recomputed from the range's perfect subtrees.
//!
//! Internally a proof is first described as a list of leaf ranges `[lo, hi)`, bottom-up, each
//! one a subtree of the RFC's recursive split; both the plan and the proof are read off it.

use crate::hash::{Hash, node_hash, to_hex};
use crate::tree::{Frontier, NodeId, range_hash, range_nodes};

/// Why a proof could not be made or did not verify. Messages name the numbers involved.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProofError {
    #[error("leaf index {index} is not in a tree of size 0")]
    EmptyTree { index: u64 },
    #[error("leaf index {index} is not below tree size {size}")]
    IndexOutOfRange { index: u64, size: u64 },
    #[error("old tree size {old} is larger than new tree size {new}")]
    OldLargerThanNew { old: u64, new: u64 },
    #[error("tree size {size} is beyond the {tree_size} leaves this tree holds")]
    SizeBeyondTree { size: u64, tree_size: u64 },
    #[error("proof has {got} hashes, a proof for these sizes has exactly {want}")]
    WrongProofLength { got: usize, want: usize },
    #[error("computed root {} does not match expected root {}", to_hex(.computed), to_hex(.expected))]
    RootMismatch { computed: Hash, expected: Hash },
    #[error(
        "proof does not lead back to the old root: computed {}, expected {}",
        to_hex(.computed),
        to_hex(.expected)
    )]
    OldRootMismatch { computed: Hash, expected: Hash },
    #[error("stored node level {level} index {index} is missing")]
    MissingNode { level: u8, index: u64 },
    #[error("a frontier of size {size} has {want} hashes, got {got}")]
    FrontierLength { size: u64, got: usize, want: usize },
}

/// The largest power of two strictly below `n` (`n >= 2`): where RFC 9162 splits a range.
fn split_point(n: u64) -> u64 {
    1 << (63 - (n - 1).leading_zeros())
}

fn check_index(index: u64, size: u64) -> Result<(), ProofError> {
    if size == 0 {
        return Err(ProofError::EmptyTree { index });
    }
    if index >= size {
        return Err(ProofError::IndexOutOfRange { index, size });
    }
    Ok(())
}

/// `PATH(index, D[0:size])` as leaf ranges, bottom-up (the RFC's order).
fn inclusion_ranges(index: u64, size: u64) -> Result<Vec<(u64, u64)>, ProofError> {
    check_index(index, size)?;
    let mut ranges = Vec::with_capacity(64);
    let (mut lo, mut hi) = (0u64, size);
    // Walk down from the root; each step records the sibling subtree of the side we descend
    // into. The RFC appends those on the way back up, hence the reverse at the end.
    while hi - lo > 1 {
        let k = split_point(hi - lo);
        if index < lo + k {
            ranges.push((lo + k, hi));
            hi = lo + k;
        } else {
            ranges.push((lo, lo + k));
            lo += k;
        }
    }
    ranges.reverse();
    Ok(ranges)
}

/// `SUBPROOF(old, D[0:new], true)` as leaf ranges, in proof order. Requires `0 < old < new`.
fn consistency_ranges(old: u64, new: u64) -> Vec<(u64, u64)> {
    let mut ups = Vec::with_capacity(64);
    let (mut lo, mut hi) = (0u64, new);
    // `whole` is the RFC's flag b: true while the old tree is still a left prefix of the
    // current range, i.e. its hash is the old root the verifier already has.
    let mut whole = true;
    let mut first = None;
    loop {
        if old == hi {
            if !whole {
                first = Some((lo, hi));
            }
            break;
        }
        let k = split_point(hi - lo);
        if old <= lo + k {
            ups.push((lo + k, hi));
            hi = lo + k;
        } else {
            ups.push((lo, lo + k));
            lo += k;
            whole = false;
        }
    }
    let mut ranges = Vec::with_capacity(ups.len() + 1);
    ranges.extend(first);
    ranges.extend(ups.into_iter().rev());
    ranges
}

fn check_sizes(old: u64, new: u64) -> Result<(), ProofError> {
    if old > new {
        return Err(ProofError::OldLargerThanNew { old, new });
    }
    Ok(())
}

fn plan_of(ranges: &[(u64, u64)]) -> Vec<NodeId> {
    let mut ids = Vec::with_capacity(ranges.len() + 8);
    for &(lo, hi) in ranges {
        ids.extend(range_nodes(lo, hi - lo));
    }
    ids
}

fn hashes_of(
    ranges: &[(u64, u64)],
    lookup: &dyn Fn(NodeId) -> Option<Hash>,
) -> Result<Vec<Hash>, ProofError> {
    ranges
        .iter()
        .map(|&(lo, hi)| range_hash(lo, hi - lo, lookup))
        .collect()
}

/// Every perfect subtree (stored node) the inclusion proof of `index` in a tree of `size` needs.
pub fn inclusion_plan(index: u64, size: u64) -> Result<Vec<NodeId>, ProofError> {
    Ok(plan_of(&inclusion_ranges(index, size)?))
}

/// The inclusion proof of leaf `index` in the tree of `size` leaves (RFC 9162 §2.1.3.1).
pub fn inclusion_proof(
    index: u64,
    size: u64,
    lookup: &dyn Fn(NodeId) -> Option<Hash>,
) -> Result<Vec<Hash>, ProofError> {
    hashes_of(&inclusion_ranges(index, size)?, lookup)
}

/// Every perfect subtree the consistency proof from `old` to `new` needs. Empty when `old` is 0
/// or equal to `new`, where the proof is empty.
pub fn consistency_plan(old: u64, new: u64) -> Result<Vec<NodeId>, ProofError> {
    check_sizes(old, new)?;
    if old == 0 || old == new {
        return Ok(Vec::new());
    }
    Ok(plan_of(&consistency_ranges(old, new)))
}

/// The consistency proof from the tree of `old` leaves to the tree of `new` leaves
/// (RFC 9162 §2.1.4.1). Empty when `old` is 0 or equal to `new`.
pub fn consistency_proof(
    old: u64,
    new: u64,
    lookup: &dyn Fn(NodeId) -> Option<Hash>,
) -> Result<Vec<Hash>, ProofError> {
    check_sizes(old, new)?;
    if old == 0 || old == new {
        return Ok(Vec::new());
    }
    hashes_of(&consistency_ranges(old, new), lookup)
}

/// The perfect subtrees whose hashes give the root of a tree of `size`: [`Frontier::ids`].
pub fn root_plan(size: u64) -> Vec<NodeId> {
    Frontier::ids(size)
}

/// The root of the tree of `size` leaves from its stored perfect subtrees.
pub fn root_from(size: u64, lookup: &dyn Fn(NodeId) -> Option<Hash>) -> Result<Hash, ProofError> {
    range_hash(0, size, lookup)
}

/// How many hashes the inclusion proof of `index` in `size` has: the levels below the point
/// where the paths to `index` and to the last leaf part (`inner`), plus one per left sibling
/// above it (`border`). Requires `index < size`.
fn inclusion_len(index: u64, size: u64) -> (usize, usize) {
    let inner = (64 - (index ^ (size - 1)).leading_zeros()) as usize;
    let border = (index >> inner).count_ones() as usize;
    (inner, border)
}

fn check_root(computed: Hash, expected: &Hash) -> Result<(), ProofError> {
    if computed == *expected {
        Ok(())
    } else {
        Err(ProofError::RootMismatch {
            computed,
            expected: *expected,
        })
    }
}

/// Checks that `leaf` is at `index` in the tree of `size` leaves whose root is `root`
/// (RFC 9162 §2.1.3.2).
pub fn verify_inclusion(
    leaf: &Hash,
    index: u64,
    size: u64,
    proof: &[Hash],
    root: &Hash,
) -> Result<(), ProofError> {
    check_index(index, size)?;
    let (inner, border) = inclusion_len(index, size);
    if proof.len() != inner + border {
        return Err(ProofError::WrongProofLength {
            got: proof.len(),
            want: inner + border,
        });
    }
    // The RFC's loop, with fn = index and sn = size - 1.
    let (mut fnode, mut snode) = (index, size - 1);
    let mut r = *leaf;
    for p in proof {
        if snode == 0 {
            return Err(ProofError::WrongProofLength {
                got: proof.len(),
                want: inner + border,
            });
        }
        if fnode & 1 == 1 || fnode == snode {
            r = node_hash(p, &r);
            if fnode & 1 == 0 {
                // A right-edge node with no right sibling: skip levels until it is a right
                // child again (or the root).
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            r = node_hash(&r, p);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(ProofError::WrongProofLength {
            got: proof.len(),
            want: inner + border,
        });
    }
    check_root(r, root)
}

/// How many hashes the consistency proof from `old` to `new` has (`0 < old < new`).
fn consistency_len(old: u64, new: u64) -> usize {
    let (inner, border) = inclusion_len(old - 1, new);
    let shift = old.trailing_zeros() as usize;
    // When `old` is a power of two its subtree is the old root itself, which the verifier has.
    let seed = usize::from(!old.is_power_of_two());
    seed + inner - shift + border
}

/// Checks that the tree of `new` leaves with `new_root` extends the tree of `old` leaves with
/// `old_root` (RFC 9162 §2.1.4.2).
///
/// Equal sizes need an empty proof and equal roots. Every tree extends the empty tree, so
/// `old == 0` needs an empty proof and `old_root` equal to the empty root; the RFC leaves
/// that case out, and refusing it would make a log's first checkpoint unauditable.
pub fn verify_consistency(
    old: u64,
    new: u64,
    old_root: &Hash,
    new_root: &Hash,
    proof: &[Hash],
) -> Result<(), ProofError> {
    check_sizes(old, new)?;
    if old == 0 || old == new {
        if !proof.is_empty() {
            return Err(ProofError::WrongProofLength {
                got: proof.len(),
                want: 0,
            });
        }
        if old == 0 {
            let empty = crate::hash::empty_root();
            if *old_root != empty {
                return Err(ProofError::OldRootMismatch {
                    computed: empty,
                    expected: *old_root,
                });
            }
            return Ok(());
        }
        return check_root(*old_root, new_root);
    }
    let want = consistency_len(old, new);
    if proof.len() != want {
        return Err(ProofError::WrongProofLength {
            got: proof.len(),
            want,
        });
    }
    // Step 2 of the RFC: when `old` is a power of two, the old root starts the path.
    let (seed, rest) = if old.is_power_of_two() {
        (*old_root, proof)
    } else {
        match proof.split_first() {
            Some((first, rest)) => (*first, rest),
            None => return Err(ProofError::WrongProofLength { got: 0, want }),
        }
    };
    let (mut fnode, mut snode) = (old - 1, new - 1);
    // Step 4: start from the first level at which the old tree's last node is a left child.
    while fnode & 1 == 1 {
        fnode >>= 1;
        snode >>= 1;
    }
    let (mut fr, mut sr) = (seed, seed);
    for c in rest {
        if snode == 0 {
            return Err(ProofError::WrongProofLength {
                got: proof.len(),
                want,
            });
        }
        if fnode & 1 == 1 || fnode == snode {
            fr = node_hash(c, &fr);
            sr = node_hash(c, &sr);
            if fnode & 1 == 0 {
                while fnode & 1 == 0 && fnode != 0 {
                    fnode >>= 1;
                    snode >>= 1;
                }
            }
        } else {
            sr = node_hash(&sr, c);
        }
        fnode >>= 1;
        snode >>= 1;
    }
    if snode != 0 {
        return Err(ProofError::WrongProofLength {
            got: proof.len(),
            want,
        });
    }
    if fr != *old_root {
        return Err(ProofError::OldRootMismatch {
            computed: fr,
            expected: *old_root,
        });
    }
    check_root(sr, new_root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_points() {
        assert_eq!(split_point(2), 1);
        assert_eq!(split_point(3), 2);
        assert_eq!(split_point(4), 2);
        assert_eq!(split_point(5), 4);
        assert_eq!(split_point(1 << 40), 1 << 39);
    }

    #[test]
    fn plans_list_only_perfect_subtrees() {
        // Leaf 0 of 7: siblings leaf 1, [2,4), then the non-perfect [4,7) = [4,6) + leaf 6.
        assert_eq!(
            inclusion_plan(0, 7),
            Ok(vec![
                NodeId::new(0, 1),
                NodeId::new(1, 1),
                NodeId::new(1, 2),
                NodeId::new(0, 6)
            ])
        );
        // 6 -> 8: [4,6) (6 is not a power of two, so its last subtree comes first), [6,8), [0,4).
        assert_eq!(
            consistency_plan(6, 8),
            Ok(vec![
                NodeId::new(1, 2),
                NodeId::new(1, 3),
                NodeId::new(2, 0)
            ])
        );
        assert_eq!(consistency_plan(0, 8), Ok(vec![]));
        assert_eq!(consistency_plan(8, 8), Ok(vec![]));
        assert_eq!(
            consistency_plan(9, 8),
            Err(ProofError::OldLargerThanNew { old: 9, new: 8 })
        );
    }

    #[test]
    fn proof_lengths_agree_with_ranges() {
        for size in 1..70u64 {
            for index in 0..size {
                let (i, b) = inclusion_len(index, size);
                assert_eq!(
                    inclusion_ranges(index, size).map(|r| r.len()),
                    Ok(i + b),
                    "{index} {size}"
                );
            }
            for old in 1..size {
                assert_eq!(
                    consistency_ranges(old, size).len(),
                    consistency_len(old, size),
                    "{old} {size}"
                );
            }
        }
    }
}
