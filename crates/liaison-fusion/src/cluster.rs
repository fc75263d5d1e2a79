//! Clustering claims into fused incidents: candidate pairs from a space-time grid (never all
//! pairs), a [`PairScore`] per pair, then a constrained union.
//!
//! **Grid.** Cells are `km` high (in latitude) and `km` wide at the highest latitude among the
//! claims (so a cell is never narrower than `km` in the data's range); time buckets are
//! `max(days + 1, 7)` days, and a claim sits in every bucket its date span touches. A claim looks
//! at the cells within `precision_factor` cells of its own and the buckets its span widened by
//! `days` touches; a pair is evaluated once, by the claim with the coarser precision (ties: the
//! lower id). Longitudes are not wrapped at the antimeridian (the region is far from it).
//!
//! **Constrained union.** Pairs are taken by score, best first (ties by the two claim ids), and
//! the clusters of a pair are joined unless (a) they share an originator (unless the window's
//! `same_originator`), or (b) some claim of one and some claim of the other are a
//! [`KeptApart`] pair, one that a split separated. So one originator appears at most once in a
//! fused incident by default, and a split is never undone by the next fusion.
//!
//! **Determinism.** Claims are first ordered by id (a duplicated id keeps its highest version),
//! so the answer does not depend on the input order. Clusters of one claim are not fused
//! incidents and are not returned. Pure.

use std::collections::{BTreeSet, HashMap, HashSet};

use liaison_core::{CountryCode, Incident, IncidentId};
use serde::Serialize;

use crate::agreed::fusion_id;
use crate::window::{
    ActorKey, MAX_PRECISION_FACTOR, NameTable, PairScore, Window, WindowError, precision_factor,
};

/// Kilometres per degree of latitude on the haversine sphere.
const KM_PER_DEGREE: f64 = crate::geo::EARTH_RADIUS_KM * std::f64::consts::PI / 180.0;

/// A small multiply-rotate hasher (FxHash's) for the grid's integer keys: SipHash's resistance
/// to chosen keys buys nothing for cell numbers and cost a sixth of the clustering time.
#[derive(Default, Clone, Copy)]
struct CellHasher(u64);

impl std::hash::Hasher for CellHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u64(u64::from(b));
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }

    fn write_i64(&mut self, v: i64) {
        self.write_u64(v as u64);
    }
}

type CellMap<V> = HashMap<(i64, i64, i64), V, std::hash::BuildHasherDefault<CellHasher>>;

/// Pairs of claims a split separated: never to be in one fused incident again.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct KeptApart(BTreeSet<(IncidentId, IncidentId)>);

impl KeptApart {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that `a` and `b` stay apart (in either order).
    pub fn insert(&mut self, a: IncidentId, b: IncidentId) {
        if a <= b {
            self.0.insert((a, b));
        } else {
            self.0.insert((b, a));
        }
    }

    pub fn contains(&self, a: &IncidentId, b: &IncidentId) -> bool {
        if a <= b {
            self.0.contains(&(a.clone(), b.clone()))
        } else {
            self.0.contains(&(b.clone(), a.clone()))
        }
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &(IncidentId, IncidentId)> {
        self.0.iter()
    }
}

/// A fused incident as clustered: its id, its claims (sorted by id), and the pairs that joined
/// them (best first), each with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    pub id: String,
    pub claims: Vec<IncidentId>,
    pub edges: Vec<PairScore>,
}

/// The answer of [`fuse`]: the fused incidents (sorted by their first claim id) and counters.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Fusion {
    pub clusters: Vec<Cluster>,
    /// Pairs the grid proposed and the window evaluated.
    pub candidate_pairs: usize,
    /// Pairs within the window.
    pub pairs_in_window: usize,
    /// Pairs not joined because their clusters shared an originator or a kept-apart pair.
    pub pairs_refused: usize,
}

struct Part {
    members: Vec<u32>,
    originators: Vec<CountryCode>,
    /// Members that appear in some kept-apart pair.
    constrained: Vec<u32>,
    edges: Vec<PairScore>,
}

fn find(parent: &mut [u32], x: u32) -> u32 {
    let mut root = x;
    while parent[root as usize] != root {
        root = parent[root as usize];
    }
    let mut cur = x;
    while cur != root {
        let next = parent[cur as usize];
        parent[cur as usize] = root;
        cur = next;
    }
    root
}

/// Clusters `claims` under `window`, never joining a `kept_apart` pair.
pub fn fuse(
    claims: &[Incident],
    window: &Window,
    kept_apart: &KeptApart,
) -> Result<Fusion, WindowError> {
    window.validate()?;
    // Order by id, highest version first, and keep one claim per id.
    let mut order: Vec<&Incident> = claims.iter().collect();
    order.sort_by(|a, b| a.id.cmp(&b.id).then(b.version.cmp(&a.version)));
    order.dedup_by(|later, earlier| later.id == earlier.id);
    let n = order.len();

    let mut names = NameTable::default();
    let keys: Vec<Vec<ActorKey>> = order.iter().map(|c| names.keys(c)).collect();

    // The grid.
    let max_abs_lat = order
        .iter()
        .filter_map(|c| c.content.location.point)
        .map(|p| p.lat.abs())
        .fold(0.0_f64, f64::max);
    let lat_cell = window.km / KM_PER_DEGREE;
    let lon_cell = window.km / (KM_PER_DEGREE * (max_abs_lat + 1.0).min(85.0).to_radians().cos());
    let bucket_days = i64::from(window.days.max(6)) + 1;
    let days = i64::from(window.days);
    let cell_of = |c: &Incident| {
        c.content.location.point.map(|p| {
            (
                (p.lat / lat_cell).floor() as i64,
                (p.lon / lon_cell).floor() as i64,
            )
        })
    };
    let span_of = |c: &Incident| {
        (
            crate::geo::day_number(c.content.date.start),
            crate::geo::day_number(c.content.date.end),
        )
    };
    let mut grid: CellMap<Vec<u32>> = CellMap::default();
    for (i, c) in order.iter().enumerate() {
        let Some((cy, cx)) = cell_of(c) else { continue };
        let (d0, d1) = span_of(c);
        for tb in d0.div_euclid(bucket_days)..=d1.div_euclid(bucket_days) {
            grid.entry((cy, cx, tb))
                .or_default()
                .push(u32::try_from(i).unwrap_or(u32::MAX));
        }
    }

    // Candidate pairs, each evaluated once.
    let factor: Vec<f64> = order
        .iter()
        .map(|c| precision_factor(c.content.location.precision))
        .collect();
    let mut seen = vec![u32::MAX; n];
    let mut candidate_pairs = 0usize;
    let mut edges: Vec<(u32, u32, PairScore)> = Vec::new();
    for (i, c) in order.iter().enumerate() {
        let Some((cy, cx)) = cell_of(c) else { continue };
        let fi = factor.get(i).copied().unwrap_or(MAX_PRECISION_FACTOR);
        let r = fi.ceil() as i64;
        let (d0, d1) = span_of(c);
        let iu = u32::try_from(i).unwrap_or(u32::MAX);
        for y in cy - r..=cy + r {
            for x in cx - r..=cx + r {
                for tb in (d0 - days).div_euclid(bucket_days)..=(d1 + days).div_euclid(bucket_days)
                {
                    let Some(bucket) = grid.get(&(y, x, tb)) else {
                        continue;
                    };
                    for &j in bucket {
                        let ju = j as usize;
                        let fj = factor.get(ju).copied().unwrap_or(MAX_PRECISION_FACTOR);
                        let owner = fj < fi || (fj == fi && ju > i);
                        if !owner || seen.get(ju) == Some(&iu) {
                            continue;
                        }
                        if let Some(s) = seen.get_mut(ju) {
                            *s = iu;
                        }
                        let (Some(a), Some(b)) = (order.get(i), order.get(ju)) else {
                            continue;
                        };
                        let (Some(ka), Some(kb)) = (keys.get(i), keys.get(ju)) else {
                            continue;
                        };
                        candidate_pairs += 1;
                        if let Ok(score) = window.evaluate(a, b, ka, kb, &mut names) {
                            edges.push((iu.min(j), iu.max(j), score));
                        }
                    }
                }
            }
        }
    }
    let pairs_in_window = edges.len();
    // Best first; ties by the claims' ids, which the indices follow.
    edges.sort_by(|x, y| {
        y.2.score
            .total_cmp(&x.2.score)
            .then(x.0.cmp(&y.0))
            .then(x.1.cmp(&y.1))
    });

    // Kept-apart pairs by index.
    let index_of: HashMap<&IncidentId, u32> = order
        .iter()
        .enumerate()
        .map(|(i, c)| (&c.id, u32::try_from(i).unwrap_or(u32::MAX)))
        .collect();
    let mut apart: HashSet<(u32, u32)> = HashSet::new();
    for (a, b) in kept_apart.iter() {
        if let (Some(&x), Some(&y)) = (index_of.get(a), index_of.get(b)) {
            apart.insert((x.min(y), x.max(y)));
        }
    }
    let mut constrained = vec![false; n];
    for &(x, y) in &apart {
        for k in [x, y] {
            if let Some(f) = constrained.get_mut(k as usize) {
                *f = true;
            }
        }
    }

    let mut parent: Vec<u32> = (0..n)
        .map(|i| u32::try_from(i).unwrap_or(u32::MAX))
        .collect();
    let mut parts: HashMap<u32, Part> = HashMap::new();
    let mut pairs_refused = 0usize;
    let part_of = |parts: &mut HashMap<u32, Part>, i: u32| -> Part {
        parts.remove(&i).unwrap_or_else(|| Part {
            members: vec![i],
            originators: order
                .get(i as usize)
                .map(|c| vec![c.originator.clone()])
                .unwrap_or_default(),
            constrained: if constrained.get(i as usize) == Some(&true) {
                vec![i]
            } else {
                Vec::new()
            },
            edges: Vec::new(),
        })
    };
    for (i, j, score) in edges {
        let (ri, rj) = (find(&mut parent, i), find(&mut parent, j));
        if ri == rj {
            continue;
        }
        let pi = part_of(&mut parts, ri);
        let pj = part_of(&mut parts, rj);
        let originators_clash =
            !window.same_originator && pi.originators.iter().any(|o| pj.originators.contains(o));
        let apart_clash = pi.constrained.iter().any(|&x| {
            pj.constrained
                .iter()
                .any(|&y| apart.contains(&(x.min(y), x.max(y))))
        });
        if originators_clash || apart_clash {
            pairs_refused += 1;
            parts.insert(ri, pi);
            parts.insert(rj, pj);
            continue;
        }
        // Smaller into larger.
        let (root, child, mut big, small) = if pi.members.len() >= pj.members.len() {
            (ri, rj, pi, pj)
        } else {
            (rj, ri, pj, pi)
        };
        if let Some(p) = parent.get_mut(child as usize) {
            *p = root;
        }
        big.members.extend(small.members);
        for o in small.originators {
            if !big.originators.contains(&o) {
                big.originators.push(o);
            }
        }
        big.constrained.extend(small.constrained);
        big.edges.extend(small.edges);
        big.edges.push(score);
        parts.insert(root, big);
    }

    let mut clusters: Vec<Cluster> = parts
        .into_values()
        .filter(|p| p.members.len() >= 2)
        .map(|mut p| {
            p.members.sort_unstable();
            let claims: Vec<IncidentId> = p
                .members
                .iter()
                .filter_map(|&m| order.get(m as usize).map(|c| c.id.clone()))
                .collect();
            p.edges.sort_by(|x, y| {
                y.score
                    .total_cmp(&x.score)
                    .then(x.a.cmp(&y.a))
                    .then(x.b.cmp(&y.b))
            });
            Cluster {
                id: fusion_id(&claims),
                claims,
                edges: p.edges,
            }
        })
        .collect();
    clusters.sort_by(|a, b| a.claims.cmp(&b.claims));
    Ok(Fusion {
        clusters,
        candidate_pairs,
        pairs_in_window,
        pairs_refused,
    })
}

/// The parts of a fused incident of `claims` once `leaving` leave it: what stays together and
/// what leaves together, each only when it still holds at least two claims (sorted by id).
/// Refuses a leaving claim that is not in `claims`, and none or all of them leaving.
pub fn split_parts(
    claims: &[IncidentId],
    leaving: &[IncidentId],
) -> Result<Vec<Vec<IncidentId>>, String> {
    if let Some(stranger) = leaving.iter().find(|l| !claims.contains(l)) {
        return Err(format!("{stranger} is not a claim of this fused incident"));
    }
    let leaving: BTreeSet<&IncidentId> = leaving.iter().collect();
    let all: BTreeSet<&IncidentId> = claims.iter().collect();
    if leaving.is_empty() || leaving.len() == all.len() {
        return Err(format!(
            "name some but not all of the {} claims of this fused incident",
            all.len()
        ));
    }
    let stay: Vec<IncidentId> = all
        .iter()
        .filter(|c| !leaving.contains(*c))
        .map(|c| (*c).clone())
        .collect();
    let go: Vec<IncidentId> = leaving.into_iter().cloned().collect();
    Ok([stay, go].into_iter().filter(|p| p.len() >= 2).collect())
}
