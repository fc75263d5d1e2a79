//! Country outlines and the great-circle distance from a point to the nearest one.
//!
//! A country's outline is every edge of its regions except the edges two of its own regions
//! share: the Moroccan berm between Natural Earth's `Morocco` and `W. Sahara` features is
//! internal to Western Sahara under `WesternSahara::Separate` and to Morocco under
//! `PartOfMorocco`. Edges shared with another country (the border) and coastlines both remain:
//! the data does not tell a land border from a coast, nor from the edge of the covered region.
//!
//! Not here: point-in-country (see `grid`), or geodesic (ellipsoidal) precision: distances are
//! Haversine on a sphere of radius 6,371.0088 km, good to about 0.5 %.

use std::collections::HashMap;

use geo::{Distance, Haversine, Line, Point};
use rstar::RTree;

use crate::load::Region;

/// One straight edge, `[[lon, lat], [lon, lat]]`.
type Segment = [[f64; 2]; 2];

/// The outline of one country, its edges in an R-tree (in plain longitude/latitude degrees).
#[derive(Debug, Clone)]
pub(crate) struct Outline {
    edges: RTree<Line<f64>>,
}

/// The outline of the country `iso3` drawn by `regions` (regions of other countries are ignored).
pub(crate) fn outline_of(iso3: &'static str, regions: &[Region]) -> Outline {
    // Count each undirected edge; those seen twice are internal.
    let mut counts: HashMap<[u64; 4], (Segment, u32)> = HashMap::new();
    let own = regions.iter().filter(|r| r.iso3 == iso3);
    for ring in own.flat_map(|r| r.rings.iter()) {
        for pair in ring.windows(2) {
            let &[a, b] = pair else {
                continue;
            };
            if a == b {
                continue;
            }
            let (lo, hi) = if (a[0], a[1]) <= (b[0], b[1]) {
                (a, b)
            } else {
                (b, a)
            };
            let key = [lo[0], lo[1], hi[0], hi[1]].map(f64::to_bits);
            counts.entry(key).or_insert(([lo, hi], 0)).1 += 1;
        }
    }
    let edges = counts
        .into_values()
        .filter(|&(_, n)| n == 1)
        .map(|([a, b], _)| Line::new((a[0], a[1]), (b[0], b[1])))
        .collect();
    Outline {
        edges: RTree::bulk_load(edges),
    }
}

impl Outline {
    /// Great-circle distance in km from the point to the nearest point of the outline; `None`
    /// when the outline is empty or the input not finite.
    ///
    /// Each edge is a straight line in longitude/latitude, as the point-in-country test reads it.
    /// Around the query point the plane is scaled by k = cos(latitude) in longitude (an
    /// equirectangular view, which keeps straight edges straight), the nearest point of each
    /// candidate edge is found in that view, and the true Haversine distance to the best few is
    /// measured; the answer is thus the distance to a real point of the boundary.
    ///
    /// Candidates come from the R-tree in order of plain-degree distance r. The scaled distance
    /// of an edge is at least k·r (only longitudes shrink), so the walk stops once k·r exceeds
    /// what could still be the nearest.
    pub(crate) fn distance_km(&self, lat: f64, lon: f64) -> Option<f64> {
        if !lat.is_finite() || !lon.is_finite() {
            return None;
        }
        let k = lat.to_radians().cos();
        // The scaled view errs by well under 10 % within a few degrees; keep every edge that
        // could be the true nearest, with 0.01° (about 1 km) to spare.
        let limit2 = |best2: f64| {
            let limit = best2.sqrt() * 1.1 + 0.01;
            limit * limit
        };
        let here = Point::new(lon, lat);
        let mut best2 = f64::INFINITY;
        let mut candidates: Vec<([f64; 2], f64)> = Vec::new();
        for (edge, raw2) in self.edges.nearest_neighbor_iter_with_distance_2(&here) {
            if k * k * raw2 > limit2(best2) {
                break;
            }
            let (point, d2) = nearest_scaled(edge, lat, lon, k);
            best2 = best2.min(d2);
            candidates.push((point, d2));
        }
        let limit = limit2(best2);
        candidates
            .into_iter()
            .filter(|&(_, d2)| d2 <= limit)
            .map(|([x, y], _)| Haversine.distance(here, Point::new(x, y)) / 1000.0)
            .reduce(f64::min)
    }
}

/// The point of `edge` nearest to (lat, lon) when longitudes are scaled by `k`, as
/// `[lon, lat]`, with its squared scaled distance in degrees².
fn nearest_scaled(edge: &Line<f64>, lat: f64, lon: f64, k: f64) -> ([f64; 2], f64) {
    let (a, b) = (edge.start, edge.end);
    let (ax, ay) = ((a.x - lon) * k, a.y - lat);
    let (dx, dy) = ((b.x - a.x) * k, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (-(ax * dx + ay * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (px, py) = (ax + t * dx, ay + t * dy);
    (
        [a.x + t * (b.x - a.x), a.y + t * (b.y - a.y)],
        px * px + py * py,
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
mod tests {
    use super::*;
    use crate::load::Bbox;

    fn region(iso3: &'static str, ring: Vec<[f64; 2]>) -> Region {
        let bbox = Bbox::of_points(&ring).unwrap();
        Region {
            iso3,
            rings: vec![ring],
            bbox,
        }
    }

    #[test]
    fn shared_edges_of_one_country_are_internal() {
        // Two unit squares side by side, one country: the middle edge is not a border.
        let left = region(
            "AAA",
            vec![[0., 0.], [1., 0.], [1., 1.], [0., 1.], [0., 0.]],
        );
        let right = region(
            "AAA",
            vec![[1., 0.], [2., 0.], [2., 1.], [1., 1.], [1., 0.]],
        );
        let other = region(
            "BBB",
            vec![[2., 0.], [3., 0.], [3., 1.], [2., 1.], [2., 0.]],
        );
        let regions = [left, right, other];
        let a = outline_of("AAA", &regions);
        assert_eq!(a.edges.size(), 6);
        assert_eq!(outline_of("BBB", &regions).edges.size(), 4);
        // Point at lon 1.0: the nearest outline of AAA is the south/north side, 0.5° away,
        // not the internal edge at distance 0.
        let d = a.distance_km(0.5, 1.0).unwrap();
        assert!((d - 55.6).abs() < 0.5, "{d}");
        assert_eq!(a.distance_km(f64::NAN, 1.0), None);
    }
}
