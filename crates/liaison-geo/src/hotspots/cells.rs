//! The index behind hotspot clustering: points as unit vectors, binned in a 3-D grid of cubes
//! whose diagonal is just under the `eps` chord, and for each occupied cube the occupied cubes
//! that may hold a neighbour of one of its points.
//!
//! Why 3-D cubes rather than latitude/longitude cells: the chord between unit vectors is a
//! monotonic function of great-circle distance everywhere, so the grid needs no special case
//! at the poles or across the antimeridian, and two facts hold by construction:
//!
//! - every pair of points in one cube is within `eps` (the cube's diagonal is shorter than the
//!   `eps` chord, with a relative margin of 10⁻⁶ that covers rounding), so a cube with
//!   `min_points` points holds only core points, and all core points of a cube are one cluster;
//! - a neighbour of a point lies at most two cubes away along each axis (the chord is under
//!   twice the side), so the candidates are the occupied cubes of a 5 × 5 × 5 block. They are
//!   found without lookups: cubes sorted by key form, for each of the 25 columns of the block,
//!   one run of keys, and visiting cubes in key order moves every run forward only (a merge).
//!   A candidate is kept when its points' bounding box comes within the `eps` chord of the
//!   cube's own points' box.
//!
//! Cubes are numbered in key order (x, then y, then z) and points stored cube by cube, so each
//! cube's points are one contiguous run and nearby cubes sit near each other in memory (at a
//! million points, numbering cubes in input order instead made the passes twice as slow).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use super::LatLon;
use super::par;
use super::sphere::{Metric, unit_vector};

/// Occupied cubes and their points, in cube order.
pub(crate) struct Cells {
    /// Unit vectors of the points, in cube order.
    pub xyz: Vec<[f64; 3]>,
    /// The input index of each point, in cube order.
    pub orig: Vec<u32>,
    /// Cube `c` holds the points `start[c]..start[c + 1]`.
    start: Vec<u32>,
    /// The candidate neighbour cubes of cube `c` (never `c` itself):
    /// `adj[adj_start[c]..adj_start[c + 1]]`.
    adj_start: Vec<u32>,
    adj: Vec<u32>,
}

impl Cells {
    pub(crate) fn len(&self) -> usize {
        self.start.len().saturating_sub(1)
    }

    /// Positions (in cube order) of the points of cube `c`.
    #[inline]
    pub(crate) fn points(&self, c: usize) -> Range<usize> {
        self.start[c] as usize..self.start[c + 1] as usize
    }

    #[inline]
    pub(crate) fn neighbours(&self, c: usize) -> &[u32] {
        &self.adj[self.adj_start[c] as usize..self.adj_start[c + 1] as usize]
    }

    /// Builds the index. `points` are valid (checked by the caller) and fewer than `u32::MAX`.
    pub(crate) fn build(points: &[LatLon], metric: &Metric, threads: usize) -> Cells {
        // Side such that the diagonal (side × √3) is the sure-neighbour chord.
        let side = metric.chord_sure() / 3f64.sqrt();
        let n = points.len();
        let parts: Vec<Vec<([f64; 3], u128)>> = par::map_ranges(n, threads, |range| {
            range
                .map(|i| {
                    let v = unit_vector(points[i]);
                    (v, key_of(cube_of(&v, side)))
                })
                .collect()
        });

        // Cubes are found in input order, then renumbered in key order (x, then y, then z) so
        // that cubes near each other in space are near each other in memory; a counting sort
        // then puts each cube's points together, in input order within the cube (so nothing
        // depends on threads).
        let mut index: HashMap<u128, u32, BuildHasherDefault<KeyHasher>> = HashMap::default();
        let mut found: Vec<u128> = Vec::new();
        let mut cube_of_point: Vec<u32> = Vec::with_capacity(n);
        for &(_, k) in parts.iter().flatten() {
            let next = found.len() as u32;
            let c = *index.entry(k).or_insert(next);
            if c == next {
                found.push(k);
            }
            cube_of_point.push(c);
        }
        let mut by_key: Vec<u32> = (0..found.len() as u32).collect();
        by_key.sort_unstable_by_key(|&c| found[c as usize]);
        let mut renumber = vec![0u32; found.len()];
        for (new, &old) in by_key.iter().enumerate() {
            renumber[old as usize] = new as u32;
        }
        drop(index);
        let cubes: Vec<[i64; 3]> = by_key
            .iter()
            .map(|&c| cube_of_key(found[c as usize]))
            .collect();
        let mut count = vec![0u32; cubes.len()];
        for c in &mut cube_of_point {
            *c = renumber[*c as usize];
            count[*c as usize] += 1;
        }
        let mut start = Vec::with_capacity(cubes.len() + 1);
        let mut total = 0u32;
        for &k in &count {
            start.push(total);
            total += k;
        }
        start.push(total);
        let mut fill: Vec<u32> = start[..cubes.len()].to_vec();
        let mut xyz = vec![[0.0; 3]; n];
        let mut orig = vec![0u32; n];
        for (i, (&(v, _), &c)) in parts.iter().flatten().zip(&cube_of_point).enumerate() {
            let at = &mut fill[c as usize];
            xyz[*at as usize] = v;
            orig[*at as usize] = i as u32;
            *at += 1;
        }
        drop(parts);
        drop(cube_of_point);

        let boxes: Vec<[[f64; 3]; 2]> = (0..cubes.len())
            .map(|c| bounding_box(&xyz[start[c] as usize..start[c + 1] as usize]))
            .collect();
        let reach2 = metric.chord2_max();
        // Rounding of `floor(v / side)` may put a point a hair outside its cube's extent.
        let slack = side * 1e-9;
        let keys: Vec<u128> = by_key.iter().map(|&c| found[c as usize]).collect();
        drop(found);
        let lists: Vec<(Vec<u32>, Vec<u32>)> = par::map_ranges(cubes.len(), threads, |range| {
            let mut counts = Vec::with_capacity(range.len());
            let mut adj = Vec::new();
            // The candidates of cube (x, y, z) in column (x + dx, y + dy) are the cubes with
            // keys from (x + dx, y + dy, z - 2) to (x + dx, y + dy, z + 2), one run of the
            // sorted keys. As cubes are visited in key order, each column's run only moves
            // forward: one cursor per column, advanced as a merge, with no lookup at all.
            let mut cursor: [usize; 25] = [0; 25];
            let mut placed = false;
            for c in range {
                let before = adj.len();
                let own = &boxes[c];
                let [cx, cy, cz] = cubes[c];
                let gap2 = |axis: usize, i: i64| {
                    let (lo, hi) = (i as f64 * side - slack, (i + 1) as f64 * side + slack);
                    let gap = (lo - own[1][axis]).max(own[0][axis] - hi).max(0.0);
                    gap * gap
                };
                let gx: [f64; 5] = std::array::from_fn(|k| gap2(0, cx + k as i64 - 2));
                let gy: [f64; 5] = std::array::from_fn(|k| gap2(1, cy + k as i64 - 2));
                for (j, at) in cursor.iter_mut().enumerate() {
                    let (dx, dy) = (j / 5, j % 5);
                    let column = [cx + dx as i64 - 2, cy + dy as i64 - 2];
                    let first = key_of([column[0], column[1], cz - 2]);
                    if !placed {
                        *at = keys.partition_point(|&k| k < first);
                    }
                    while *at < keys.len() && keys[*at] < first {
                        *at += 1;
                    }
                    // A column out of reach in x and y holds nothing for this cube.
                    if gx[dx] + gy[dy] > reach2 {
                        continue;
                    }
                    let last = key_of([column[0], column[1], cz + 2]);
                    for (d, &k) in keys.iter().enumerate().skip(*at) {
                        if k > last {
                            break;
                        }
                        if d != c && box_gap2(own, &boxes[d]) <= reach2 {
                            adj.push(d as u32);
                        }
                    }
                }
                placed = true;
                counts.push((adj.len() - before) as u32);
            }
            (counts, adj)
        });
        let mut adj_start = Vec::with_capacity(cubes.len() + 1);
        let mut adj = Vec::new();
        adj_start.push(0u32);
        for (counts, list) in lists {
            for c in counts {
                let last = adj_start.last().copied().unwrap_or(0);
                adj_start.push(last + c);
            }
            adj.extend(list);
        }
        Cells {
            xyz,
            orig,
            start,
            adj_start,
            adj,
        }
    }
}

/// Grid coordinates of a unit vector. Coordinates lie in [-1, 1] and the side is at least
/// about 10⁻⁷ (`eps` ≥ 1 m), so they fit comfortably in the key's 42 bits per axis.
fn cube_of(v: &[f64; 3], side: f64) -> [i64; 3] {
    v.map(|c| (c / side).floor() as i64)
}

const AXIS_BITS: u32 = 42;
const AXIS_OFFSET: i64 = 1 << (AXIS_BITS - 1);
const AXIS_MASK: u128 = (1 << AXIS_BITS) - 1;

fn key_of(c: [i64; 3]) -> u128 {
    // Neighbour lookups may step two cubes past the occupied range: still within the offset.
    let axis = |a: i64| ((a + AXIS_OFFSET) as u128) & AXIS_MASK;
    (axis(c[0]) << (2 * AXIS_BITS)) | (axis(c[1]) << AXIS_BITS) | axis(c[2])
}

fn cube_of_key(k: u128) -> [i64; 3] {
    let axis = |shift: u32| ((k >> shift) & AXIS_MASK) as i64 - AXIS_OFFSET;
    [axis(2 * AXIS_BITS), axis(AXIS_BITS), axis(0)]
}

fn bounding_box(vs: &[[f64; 3]]) -> [[f64; 3]; 2] {
    let mut lo = [f64::INFINITY; 3];
    let mut hi = [f64::NEG_INFINITY; 3];
    for v in vs {
        for a in 0..3 {
            lo[a] = lo[a].min(v[a]);
            hi[a] = hi[a].max(v[a]);
        }
    }
    [lo, hi]
}

/// Squared distance between two boxes (0 if they overlap): no pair of points, one in each, is
/// closer than this.
fn box_gap2(a: &[[f64; 3]; 2], b: &[[f64; 3]; 2]) -> f64 {
    let mut g2 = 0.0;
    for axis in 0..3 {
        let gap = (b[0][axis] - a[1][axis])
            .max(a[0][axis] - b[1][axis])
            .max(0.0);
        g2 += gap * gap;
    }
    g2
}

/// A multiply-rotate hash for cube keys: they are small, well-spread integers, so SipHash's
/// protection against chosen keys buys nothing here and costs a third of the build.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(5) ^ u64::from(b)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }

    fn write_u128(&mut self, k: u128) {
        let folded = (k as u64) ^ ((k >> 64) as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        self.0 = (self.0 ^ folded)
            .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95)
            .rotate_left(29);
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn keys_round_trip_including_negative_and_stepped_past_cubes() {
        for c in [[0, 0, 0], [-1, 5, -9_000_000], [12_000_000, -12_000_002, 3]] {
            assert_eq!(cube_of_key(key_of(c)), c);
        }
    }

    #[test]
    fn box_gap_is_zero_on_overlap_and_euclidean_apart() {
        let a = [[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]];
        let b = [[0.5, 0.5, 0.5], [2.0, 2.0, 2.0]];
        let c = [[4.0, 5.0, 1.0], [6.0, 6.0, 1.0]];
        assert_eq!(box_gap2(&a, &b), 0.0);
        assert_eq!(box_gap2(&a, &c), 9.0 + 16.0);
    }
}
