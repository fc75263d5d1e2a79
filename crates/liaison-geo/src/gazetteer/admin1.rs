//! Admin-1 of a point, **approximated by the nearest place**: no admin-1 polygons of the region
//! are available to us, so the answer is the admin-1 of the gazetteer place nearest to the point
//! among the places of the point's own country. Wrong near an admin-1 border (the nearest town
//! may lie across it), and weak far from any town (the distance returned says how far the
//! evidence is). The country itself comes from the boundaries, exact and border-correct, so an
//! answer never crosses a national border.

use rstar::RTree;
use rstar::primitives::GeomWithData;

use super::Place;

/// Mean Earth radius (IUGG), km.
const EARTH_RADIUS_KM: f64 = 6371.0088;

/// A place as a unit vector, so that the nearest by straight-line (chord) distance, which the
/// R-tree answers, is the nearest by great-circle distance too; the data is its index.
type Node = GeomWithData<[f64; 3], u32>;

/// The places that have an admin-1, one R-tree per country.
#[derive(Debug, Default)]
pub(super) struct Admin1Index {
    by_country: Vec<(String, RTree<Node>)>,
}

impl Admin1Index {
    pub(super) fn build(places: &[Place]) -> Admin1Index {
        let mut groups: Vec<(String, Vec<Node>)> = Vec::new();
        for (i, p) in places.iter().enumerate() {
            let (Some(_), Ok(i)) = (&p.admin1, u32::try_from(i)) else {
                continue;
            };
            let node = Node::new(unit_vector(p.lat, p.lon), i);
            match groups.iter_mut().find(|(c, _)| *c == p.country) {
                Some((_, nodes)) => nodes.push(node),
                None => groups.push((p.country.clone(), vec![node])),
            }
        }
        Admin1Index {
            by_country: groups
                .into_iter()
                .map(|(c, nodes)| (c, RTree::bulk_load(nodes)))
                .collect(),
        }
    }

    /// The index of the place with an admin-1 nearest to the point in `country`, or `None` when
    /// the country has no such place.
    pub(super) fn nearest(&self, country: &str, lat: f64, lon: f64) -> Option<usize> {
        let (_, tree) = self.by_country.iter().find(|(c, _)| c == country)?;
        let node = tree.nearest_neighbor(&unit_vector(lat, lon))?;
        usize::try_from(node.data).ok()
    }
}

fn unit_vector(lat: f64, lon: f64) -> [f64; 3] {
    let (phi, lambda) = (lat.to_radians(), lon.to_radians());
    [
        phi.cos() * lambda.cos(),
        phi.cos() * lambda.sin(),
        phi.sin(),
    ]
}

/// Great-circle (haversine) distance in km.
pub(super) fn distance_km(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = p2 - p1;
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * a.min(1.0).sqrt().asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_are_great_circle_km() {
        // One degree of a meridian is 111.2 km on the mean sphere.
        assert!((distance_km(0.0, 0.0, 1.0, 0.0) - 111.195).abs() < 0.01);
        // Kidal to Gao by the places' GeoNames coordinates: about 300 km.
        let d = distance_km(18.44345, 1.40921, 16.27167, -0.04472);
        assert!((280.0..300.0).contains(&d), "{d}");
        assert_eq!(distance_km(16.0, -3.0, 16.0, -3.0), 0.0);
    }
}
