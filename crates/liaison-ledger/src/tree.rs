//! Perfect subtrees ([`NodeId`]) and the [`Frontier`], the compact range of a whole tree: what a
//! log keeps in hand to append leaves and compute its root without reading old nodes.
//!
//! Only perfect subtrees are ever stored. A subtree over a range that is not perfect (the right
//! edge of a tree whose size is not a power of two) is recomputed from the perfect subtrees of
//! its decomposition, so a stored node never changes once written.

use crate::hash::{Hash, empty_root, node_hash};
use crate::proof::ProofError;

/// A perfect subtree: level `L`, index `i` covers leaves `[i << L, (i + 1) << L)`.
/// Level 0 = leaf hashes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId {
    pub level: u8,
    pub index: u64,
}

impl NodeId {
    pub const fn new(level: u8, index: u64) -> Self {
        NodeId { level, index }
    }

    /// The first leaf this subtree covers.
    pub const fn first_leaf(&self) -> u64 {
        self.index << self.level
    }

    /// One past the last leaf this subtree covers.
    pub const fn end_leaf(&self) -> u64 {
        (self.index + 1) << self.level
    }
}

/// The perfect subtree that bit `b` of `len` stands for in the decomposition of the leaf range
/// `[start, start + len)`: it starts after the subtrees of all the higher bits of `len`.
fn node_for_bit(start: u64, len: u64, b: u32) -> NodeId {
    // Leaves covered by the bits of `len` above b (shifts split so b = 63 cannot overflow).
    let before = len >> b >> 1 << 1 << b;
    NodeId::new(b as u8, (start + before) >> b)
}

/// The perfect subtrees that decompose the leaf range `[start, start + len)`, largest (leftmost)
/// first: one per set bit of `len`. Requires `start` to be a multiple of the largest power of
/// two not above `len`, which holds for every range the RFC's recursive split produces (and for
/// `start == 0`).
pub(crate) fn range_nodes(start: u64, len: u64) -> impl Iterator<Item = NodeId> {
    let mut rest = len;
    std::iter::from_fn(move || {
        if rest == 0 {
            return None;
        }
        let b = 63 - rest.leading_zeros();
        rest &= !(1u64 << b);
        Some(node_for_bit(start, len, b))
    })
}

/// The hash of the leaf range `[start, start + len)` from the hashes of its perfect subtrees,
/// folding from the right as RFC 9162's `MTH` does: `MTH(left, MTH(rest))`. The empty range
/// hashes to [`empty_root`].
pub(crate) fn range_hash(
    start: u64,
    len: u64,
    lookup: &dyn Fn(NodeId) -> Option<Hash>,
) -> Result<Hash, ProofError> {
    let mut acc: Option<Hash> = None;
    let mut rest = len;
    // Lowest bit first: the rightmost, smallest subtree.
    while rest != 0 {
        let id = node_for_bit(start, len, rest.trailing_zeros());
        rest &= rest - 1;
        let h = lookup(id).ok_or(ProofError::MissingNode {
            level: id.level,
            index: id.index,
        })?;
        acc = Some(match acc {
            None => h,
            Some(right) => node_hash(&h, &right),
        });
    }
    Ok(acc.unwrap_or_else(empty_root))
}

/// The compact range of `[0, size)`: the hashes of the perfect subtrees of its decomposition,
/// largest (leftmost) first. Enough to append and to compute the root.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frontier {
    size: u64,
    hashes: Vec<Hash>,
}

impl Default for Frontier {
    fn default() -> Self {
        Self::empty()
    }
}

impl Frontier {
    pub fn empty() -> Self {
        Frontier {
            size: 0,
            hashes: Vec::new(),
        }
    }

    /// Which [`NodeId`]s make up the frontier of a tree of `size` leaves: one per set bit of
    /// `size`, largest first.
    pub fn ids(size: u64) -> Vec<NodeId> {
        range_nodes(0, size).collect()
    }

    /// A frontier from stored hashes, in [`Frontier::ids`] order. A wrong count is an error.
    pub fn from_hashes(size: u64, hashes: Vec<Hash>) -> Result<Self, ProofError> {
        let want = size.count_ones() as usize;
        if hashes.len() != want {
            return Err(ProofError::FrontierLength {
                size,
                got: hashes.len(),
                want,
            });
        }
        Ok(Frontier { size, hashes })
    }

    pub fn size(&self) -> u64 {
        self.size
    }

    pub fn hashes(&self) -> &[Hash] {
        &self.hashes
    }

    /// The root of the tree: [`empty_root`] for size 0.
    pub fn root(&self) -> Hash {
        let mut it = self.hashes.iter().rev();
        let Some(last) = it.next() else {
            return empty_root();
        };
        it.fold(*last, |right, left| node_hash(left, &right))
    }

    /// Appends one leaf hash; pushes to `completed` every perfect subtree this append completed,
    /// the leaf itself (level 0) first, then upward. These are what a store persists.
    pub fn push(&mut self, leaf: Hash, completed: &mut Vec<(NodeId, Hash)>) {
        let mut index = self.size;
        let mut level: u8 = 0;
        let mut hash = leaf;
        completed.push((NodeId::new(0, index), leaf));
        // Each trailing one bit of the old size is a subtree of the same height on the right
        // edge; the new leaf completes it into one twice as high.
        let mut carry = self.size;
        while carry & 1 == 1 {
            let Some(left) = self.hashes.pop() else {
                break; // unreachable: one hash per set bit of the size
            };
            hash = node_hash(&left, &hash);
            level += 1;
            index >>= 1;
            carry >>= 1;
            completed.push((NodeId::new(level, index), hash));
        }
        self.hashes.push(hash);
        self.size += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hash::leaf_hash;

    #[test]
    fn ids_follow_the_bits_of_the_size() {
        assert!(Frontier::ids(0).is_empty());
        assert_eq!(Frontier::ids(1), vec![NodeId::new(0, 0)]);
        assert_eq!(
            Frontier::ids(7),
            vec![NodeId::new(2, 0), NodeId::new(1, 2), NodeId::new(0, 6)]
        );
        assert_eq!(
            Frontier::ids(10),
            vec![NodeId::new(3, 0), NodeId::new(1, 4)]
        );
    }

    #[test]
    fn range_nodes_off_origin() {
        // [8, 14): 4 leaves from 8 then 2 from 12.
        let ids: Vec<_> = range_nodes(8, 6).collect();
        assert_eq!(ids, vec![NodeId::new(2, 2), NodeId::new(1, 6)]);
    }

    #[test]
    fn push_reports_completed_subtrees() {
        let mut f = Frontier::empty();
        let mut done = Vec::new();
        for i in 0..3u8 {
            f.push(leaf_hash(&[i]), &mut done);
        }
        done.clear();
        f.push(leaf_hash(&[3]), &mut done);
        let ids: Vec<_> = done.iter().map(|(id, _)| *id).collect();
        assert_eq!(
            ids,
            vec![NodeId::new(0, 3), NodeId::new(1, 1), NodeId::new(2, 0)]
        );
        assert_eq!(f.hashes().len(), 1);
        assert_eq!(f.root(), done[2].1);
    }

    #[test]
    fn from_hashes_checks_count() {
        assert!(Frontier::from_hashes(3, vec![[0; 32]]).is_err());
        assert!(Frontier::from_hashes(3, vec![[0; 32]; 2]).is_ok());
        assert_eq!(Frontier::empty().root(), empty_root());
    }
}
