//! Great-circle neighbourhood tests: which pairs of points lie within `eps` of each other,
//! decided exactly as scikit-learn's haversine metric decides it, but mostly without
//! trigonometry.
//!
//! scikit-learn's ball tree keeps a pair when its "reduced distance"
//! `sin²(Δφ/2) + cos φ₁ cos φ₂ sin²(Δλ/2)` (radians) is `<=` `sin²(ε/2)`, ε = eps_km / 6371.0088.
//! Mathematically that reduced distance is a quarter of the squared chord between the two
//! points' unit vectors, which costs three subtractions and three multiplications. Rounding
//! makes the two computations differ by far less than a millionth of the threshold, so the
//! chord decides every pair outside a band of ±10⁻⁶ around the threshold, and pairs inside the
//! band (practically only points exactly `eps` apart) are decided by scikit-learn's own formula,
//! operation for operation, so that both programs give the same answer on them too.

use super::LatLon;

/// Mean Earth radius (IUGG) in km: the radius scikit-learn users divide by, and the one the
/// benchmark peers use.
pub const EARTH_RADIUS_KM: f64 = 6371.0088;

/// Relative width of the band around the threshold where the exact formula decides.
const BAND: f64 = 1e-6;

/// A point's unit vector (x towards 0° E on the equator, z towards the North Pole).
pub(crate) fn unit_vector(p: LatLon) -> [f64; 3] {
    let (sin_lat, cos_lat) = p.lat.to_radians().sin_cos();
    let (sin_lon, cos_lon) = p.lon.to_radians().sin_cos();
    [cos_lat * cos_lon, cos_lat * sin_lon, sin_lat]
}

/// scikit-learn's haversine reduced distance between two points in degrees, converted to
/// radians the way `numpy.radians` does (`x * (π / 180)`), term by term as its Cython writes
/// it.
pub(crate) fn sklearn_reduced_distance(a: LatLon, b: LatLon) -> f64 {
    let (a0, a1) = (a.lat.to_radians(), a.lon.to_radians());
    let (b0, b1) = (b.lat.to_radians(), b.lon.to_radians());
    let sin_0 = (0.5 * (a0 - b0)).sin();
    let sin_1 = (0.5 * (a1 - b1)).sin();
    sin_0 * sin_0 + a0.cos() * b0.cos() * sin_1 * sin_1
}

/// The neighbourhood test for one `eps`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Metric {
    /// `sin²(ε/2)`, computed as scikit-learn computes it.
    reduced_eps: f64,
    /// Squared chords at or below this are neighbours without further test.
    chord2_sure: f64,
    /// Squared chords above this are not neighbours.
    chord2_max: f64,
}

impl Metric {
    pub(crate) fn new(eps_km: f64) -> Metric {
        let eps_rad = eps_km / EARTH_RADIUS_KM;
        let t = (0.5 * eps_rad).sin();
        let reduced_eps = t * t;
        Metric {
            reduced_eps,
            chord2_sure: 4.0 * reduced_eps * (1.0 - BAND),
            chord2_max: 4.0 * reduced_eps * (1.0 + BAND),
        }
    }

    /// A chord length below which every pair is a neighbour pair whatever the rounding: the
    /// largest cell diagonal the index may use.
    pub(crate) fn chord_sure(&self) -> f64 {
        self.chord2_sure.sqrt()
    }

    pub(crate) fn chord2_max(&self) -> f64 {
        self.chord2_max
    }

    /// Whether two points are within `eps`: `a`, `b` are their unit vectors, `pa`, `pb` the
    /// points themselves (read only in the narrow band).
    #[inline]
    pub(crate) fn near(&self, a: &[f64; 3], b: &[f64; 3], pa: LatLon, pb: LatLon) -> bool {
        let c2 = chord2(a, b);
        if c2 <= self.chord2_sure {
            true
        } else if c2 > self.chord2_max {
            false
        } else {
            sklearn_reduced_distance(pa, pb) <= self.reduced_eps
        }
    }
}

/// Squared distance between two unit vectors.
#[inline]
pub(crate) fn chord2(a: &[f64; 3], b: &[f64; 3]) -> f64 {
    let dx = a[0] - b[0];
    let dy = a[1] - b[1];
    let dz = a[2] - b[2];
    dx * dx + dy * dy + dz * dz
}

/// Great-circle distance in km by the haversine formula (for reports and tests; clustering
/// uses [`Metric`]).
pub fn haversine_km(a: LatLon, b: LatLon) -> f64 {
    2.0 * sklearn_reduced_distance(a, b).sqrt().min(1.0).asin() * EARTH_RADIUS_KM
}

/// The spherical mean of unit vectors: their sum, normalised, as a point. `None` when the sum
/// is (nearly) zero, as for points spread evenly around a great circle.
pub(crate) fn spherical_mean(sum: [f64; 3], count: usize) -> Option<LatLon> {
    let norm = (sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2]).sqrt();
    if count == 0 || norm <= 1e-9 * count as f64 {
        return None;
    }
    let [x, y, z] = sum.map(|c| c / norm);
    Some(LatLon {
        lat: z.atan2(x.hypot(y)).to_degrees(),
        lon: y.atan2(x).to_degrees(),
    })
}
