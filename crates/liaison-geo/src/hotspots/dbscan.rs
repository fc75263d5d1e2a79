//! DBSCAN over the cube index, in four passes, each giving exactly what scikit-learn's
//! `DBSCAN` gives without ever listing whole neighbourhoods:
//!
//! 1. **Core points.** A cube holding `min_points` points is all core (its points are all
//!    within `eps` of each other). Elsewhere a point counts its neighbours cube by cube and
//!    stops as soon as it reaches `min_points`.
//! 2. **Clusters of core points.** The core points of one cube are connected; two cubes'
//!    core sets are joined (union–find) when any pair across them is within `eps`, a test that
//!    stops at the first pair found and is skipped when the cubes are already joined.
//! 3. **Cluster ids.** Components are numbered in order of their lowest input index, which is
//!    the order in which scikit-learn's loop (over points in input order, expanding from each
//!    unlabelled core point) creates them.
//! 4. **Border points.** A non-core point within `eps` of core points of several clusters
//!    takes the lowest cluster id: scikit-learn expands each cluster completely before it
//!    starts the next, so the first cluster to reach the point is the lowest-numbered. With no
//!    core point within `eps` it is noise.
//!
//! Passes 1 and 4 and the index run on `threads` threads; pass 2 is sequential (it is short:
//! most cube pairs are already joined when it reaches them).

use super::LatLon;
use super::cells::Cells;
use super::par;
use super::sphere::Metric;

/// Labels (`None` = noise) and core flags in input order, and the number of clusters.
pub(crate) struct Output {
    pub labels: Vec<Option<u32>>,
    pub core: Vec<bool>,
    pub clusters: u32,
}

const NO_CLUSTER: u32 = u32::MAX;

pub(crate) fn run(points: &[LatLon], metric: &Metric, min_points: usize, threads: usize) -> Output {
    let cells = Cells::build(points, metric, threads);
    let near = |p: usize, q: usize| {
        metric.near(
            &cells.xyz[p],
            &cells.xyz[q],
            points[cells.orig[p] as usize],
            points[cells.orig[q] as usize],
        )
    };

    // Pass 1: core flags, in cube order.
    let core: Vec<bool> = par::map_ranges(cells.len(), threads, |range| {
        let mut flags = Vec::new();
        for c in range {
            let own = cells.points(c);
            if own.len() >= min_points {
                flags.extend(std::iter::repeat_n(true, own.len()));
                continue;
            }
            for p in own.clone() {
                let mut count = own.len();
                'count: for &d in cells.neighbours(c) {
                    for q in cells.points(d as usize) {
                        if near(p, q) {
                            count += 1;
                            if count >= min_points {
                                break 'count;
                            }
                        }
                    }
                }
                flags.push(count >= min_points);
            }
        }
        flags
    })
    .into_iter()
    .flatten()
    .collect();

    // Pass 2: join cubes whose core points touch.
    let has_core: Vec<bool> = (0..cells.len())
        .map(|c| cells.points(c).any(|p| core[p]))
        .collect();
    let mut sets = UnionFind::new(cells.len());
    for c in 0..cells.len() {
        if !has_core[c] {
            continue;
        }
        for &d in cells.neighbours(c) {
            let d = d as usize;
            if d < c || !has_core[d] || sets.find(c) == sets.find(d) {
                continue;
            }
            let touch = cells
                .points(c)
                .filter(|&p| core[p])
                .any(|p| cells.points(d).any(|q| core[q] && near(p, q)));
            if touch {
                sets.union(c, d);
            }
        }
    }

    // Pass 3: number components by their lowest input index.
    let mut lowest = vec![u32::MAX; cells.len()];
    for c in 0..cells.len() {
        let root = sets.find(c);
        for p in cells.points(c) {
            if core[p] {
                lowest[root] = lowest[root].min(cells.orig[p]);
            }
        }
    }
    let mut roots: Vec<usize> = (0..cells.len())
        .filter(|&c| lowest[c] != u32::MAX)
        .collect();
    roots.sort_unstable_by_key(|&r| lowest[r]);
    let mut id_of_root = vec![NO_CLUSTER; cells.len()];
    for (id, &r) in roots.iter().enumerate() {
        id_of_root[r] = id as u32;
    }
    let cube_cluster: Vec<u32> = (0..cells.len())
        .map(|c| {
            if has_core[c] {
                id_of_root[sets.find(c)]
            } else {
                NO_CLUSTER
            }
        })
        .collect();

    // Pass 4: border points take the lowest cluster id among the core points they reach.
    let border: Vec<Vec<(usize, u32)>> = par::map_ranges(cells.len(), threads, |range| {
        let mut found = Vec::new();
        for c in range {
            for p in cells.points(c).filter(|&p| !core[p]) {
                // Core points of the point's own cube are all within eps.
                let mut best = cube_cluster[c];
                for &d in cells.neighbours(c) {
                    let d = d as usize;
                    if cube_cluster[d] < best && cells.points(d).any(|q| core[q] && near(p, q)) {
                        best = cube_cluster[d];
                    }
                }
                if best != NO_CLUSTER {
                    found.push((p, best));
                }
            }
        }
        found
    });

    let n = points.len();
    let mut labels = vec![None; n];
    let mut core_out = vec![false; n];
    for (c, &id) in cube_cluster.iter().enumerate() {
        for p in cells.points(c).filter(|&p| core[p]) {
            let i = cells.orig[p] as usize;
            core_out[i] = true;
            labels[i] = Some(id);
        }
    }
    for (p, id) in border.into_iter().flatten() {
        labels[cells.orig[p] as usize] = Some(id);
    }
    Output {
        labels,
        core: core_out,
        clusters: roots.len() as u32,
    }
}

/// Disjoint sets over cube indices, with path halving; the root of a set is its smallest
/// member, so that roots never depend on the order of unions.
struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            let grand = self.parent[self.parent[x] as usize];
            self.parent[x] = grand;
            x = grand as usize;
        }
        x
    }

    fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.parent[high] = low as u32;
    }
}
