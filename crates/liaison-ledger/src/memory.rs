//! An in-memory tree holding every perfect subtree, level by level. Used by tests, by the
//! benchmark, and by fsck to recompute a log from its entries.
//!
//! Its own proofs and roots are a literal transcription of RFC 9162's recursive definitions
//! (`MTH`, `PATH`, `SUBPROOF`), independent of the iterative plan-based code in
//! [`crate::proof`], so the two can check each other.

use crate::hash::{Hash, empty_root, node_hash};
use crate::proof::ProofError;
use crate::tree::{Frontier, NodeId};

/// All perfect subtrees of a tree: `levels[l][i]` is [`NodeId`] `{ level: l, index: i }`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MemoryTree {
    levels: Vec<Vec<Hash>>,
}

impl MemoryTree {
    pub fn new() -> Self {
        MemoryTree { levels: Vec::new() }
    }

    /// An empty tree with room for `leaves` leaves without reallocating (each level above
    /// holds half as many nodes as the one below).
    pub fn with_capacity(leaves: u64) -> Self {
        let mut levels = Vec::new();
        let mut n = leaves;
        while n > 0 {
            levels.push(Vec::with_capacity(usize::try_from(n).unwrap_or(0)));
            n >>= 1;
        }
        MemoryTree { levels }
    }

    /// Appends a leaf hash and every perfect subtree it completes.
    pub fn push(&mut self, leaf: Hash) {
        let mut hash = leaf;
        let mut level = 0;
        loop {
            if self.levels.len() == level {
                self.levels.push(Vec::new());
            }
            let row = &mut self.levels[level];
            row.push(hash);
            let n = row.len();
            // An even count means the node just written is a right child: its parent is done.
            if !n.is_multiple_of(2) {
                return;
            }
            hash = node_hash(&row[n - 2], &row[n - 1]);
            level += 1;
        }
    }

    pub fn size(&self) -> u64 {
        self.levels.first().map_or(0, |l| l.len() as u64)
    }

    /// The stored hash of a perfect subtree, if the tree holds it.
    pub fn node(&self, id: NodeId) -> Option<Hash> {
        let index = usize::try_from(id.index).ok()?;
        self.levels.get(usize::from(id.level))?.get(index).copied()
    }

    pub fn leaf(&self, index: u64) -> Option<Hash> {
        self.node(NodeId::new(0, index))
    }

    /// The frontier of the whole tree, as an appender would hold it.
    pub fn frontier(&self) -> Frontier {
        let size = self.size();
        let hashes = Frontier::ids(size)
            .into_iter()
            .filter_map(|id| self.node(id))
            .collect();
        // Every frontier node of the current size is stored, so the count is right.
        Frontier::from_hashes(size, hashes).unwrap_or_default()
    }

    pub fn root(&self) -> Hash {
        self.mth(0, self.size()).unwrap_or_else(|_| empty_root())
    }

    /// The root the tree had when it held `size` leaves.
    pub fn root_at(&self, size: u64) -> Result<Hash, ProofError> {
        self.check_size(size)?;
        self.mth(0, size)
    }

    /// RFC 9162 `PATH(index, D[0:size])`.
    pub fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, ProofError> {
        self.check_size(size)?;
        if size == 0 {
            return Err(ProofError::EmptyTree { index });
        }
        if index >= size {
            return Err(ProofError::IndexOutOfRange { index, size });
        }
        let mut out = Vec::new();
        self.path(index, 0, size, &mut out)?;
        Ok(out)
    }

    /// RFC 9162 `PROOF(old, D[0:new])`, empty when `old` is 0 or equal to `new`.
    pub fn consistency_proof(&self, old: u64, new: u64) -> Result<Vec<Hash>, ProofError> {
        if old > new {
            return Err(ProofError::OldLargerThanNew { old, new });
        }
        self.check_size(new)?;
        let mut out = Vec::new();
        if old > 0 && old < new {
            self.subproof(old, 0, new, true, &mut out)?;
        }
        Ok(out)
    }

    fn check_size(&self, size: u64) -> Result<(), ProofError> {
        if size > self.size() {
            return Err(ProofError::SizeBeyondTree {
                size,
                tree_size: self.size(),
            });
        }
        Ok(())
    }

    /// `MTH(D[lo:hi])`, read from storage when the range is a perfect subtree.
    fn mth(&self, lo: u64, hi: u64) -> Result<Hash, ProofError> {
        let n = hi - lo;
        if n == 0 {
            return Ok(empty_root());
        }
        if n.is_power_of_two() && lo.is_multiple_of(n) {
            let id = NodeId::new(n.trailing_zeros() as u8, lo / n);
            return self.node(id).ok_or(ProofError::MissingNode {
                level: id.level,
                index: id.index,
            });
        }
        let k = largest_power_of_two_below(n);
        Ok(node_hash(&self.mth(lo, lo + k)?, &self.mth(lo + k, hi)?))
    }

    fn path(&self, m: u64, lo: u64, hi: u64, out: &mut Vec<Hash>) -> Result<(), ProofError> {
        let n = hi - lo;
        if n <= 1 {
            return Ok(());
        }
        let k = largest_power_of_two_below(n);
        if m < lo + k {
            self.path(m, lo, lo + k, out)?;
            out.push(self.mth(lo + k, hi)?);
        } else {
            self.path(m, lo + k, hi, out)?;
            out.push(self.mth(lo, lo + k)?);
        }
        Ok(())
    }

    /// `SUBPROOF(m, D[lo:hi], b)` with `m` an absolute leaf count.
    fn subproof(
        &self,
        m: u64,
        lo: u64,
        hi: u64,
        b: bool,
        out: &mut Vec<Hash>,
    ) -> Result<(), ProofError> {
        if m == hi {
            if !b {
                out.push(self.mth(lo, hi)?);
            }
            return Ok(());
        }
        let k = largest_power_of_two_below(hi - lo);
        if m <= lo + k {
            self.subproof(m, lo, lo + k, b, out)?;
            out.push(self.mth(lo + k, hi)?);
        } else {
            self.subproof(m, lo + k, hi, false, out)?;
            out.push(self.mth(lo, lo + k)?);
        }
        Ok(())
    }
}

/// The largest power of two strictly smaller than `n` (`n >= 2`), written as the RFC says it
/// (doubling), so it shares no code with the proof module's bit trick.
fn largest_power_of_two_below(n: u64) -> u64 {
    let mut k = 1;
    while k * 2 < n {
        k *= 2;
    }
    k
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    #[test]
    fn levels_grow_as_leaves_arrive() {
        let mut t = MemoryTree::with_capacity(5);
        for i in 0..5u8 {
            t.push(leaf_hash(&[i]));
        }
        assert_eq!(t.size(), 5);
        assert!(t.node(NodeId::new(2, 0)).is_some());
        assert!(t.node(NodeId::new(1, 2)).is_none());
        assert_eq!(t.frontier().size(), 5);
        assert_eq!(t.frontier().root(), t.root());
        assert_eq!(
            t.root_at(6),
            Err(ProofError::SizeBeyondTree {
                size: 6,
                tree_size: 5
            })
        );
    }
}
