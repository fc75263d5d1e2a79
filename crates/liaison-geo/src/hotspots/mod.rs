//! Hotspots: density clustering (DBSCAN) of incident points by great-circle distance, and for
//! each cluster its members, centroid, countries and whether it crosses a border.
//!
//! Not here: reading points from anywhere (the caller hands them over) or choosing `eps`.
//!
//! # Same answers as scikit-learn
//!
//! [`dbscan`] gives the labels and core flags that scikit-learn's
//! `DBSCAN(eps=eps_km / 6371.0088, min_samples=min_points, metric="haversine")` gives on the
//! same points (as `numpy.radians([lat, lon])`):
//!
//! - a point's neighbourhood is every point at great-circle distance `<= eps`, itself included,
//!   on a sphere of radius [`EARTH_RADIUS_KM`]; a pair exactly at `eps` is decided by
//!   scikit-learn's own haversine formula (see `sphere.rs`);
//! - a point is **core** when its neighbourhood holds at least `min_points` points (itself
//!   counted, as `min_samples` counts it);
//! - clusters are the connected components of core points (linked when within `eps`), numbered
//!   from 0 in the order of each cluster's lowest core-point index, as scikit-learn numbers them;
//! - a **border** point (not core, within `eps` of a core point) joins a cluster; when it is
//!   within `eps` of core points of several clusters (the only case where DBSCAN's answer
//!   depends on the implementation) it takes the **lowest cluster id** among them. That is what
//!   scikit-learn does: its loop expands each cluster completely, in id order, before starting
//!   the next, so the lowest-numbered cluster reaches the point first;
//! - every other point is noise (`None`, scikit-learn's `-1`).
//!
//! The one place the two may differ is the ball tree's own shortcut: when a whole tree node is
//! within `eps` by its bounding radius, scikit-learn takes its points without testing each, so a
//! pair whose haversine formula rounds to just above `eps` (a difference of about 10⁻¹⁶ of
//! `eps`) could be counted there and not here. No such pair occurs in the tests' data.
//!
//! # Speed
//!
//! Neighbourhoods are never listed. Points are binned in 3-D cubes of unit vectors whose
//! diagonal is the `eps` chord (`cells.rs`), so a crowded cube is core without a distance
//! computed, counting stops at `min_points`, and clusters are joined cube by cube
//! (`dbscan.rs`). Measured figures: `docs/hotspots.md`.

mod cells;
mod dbscan;
mod par;
mod sphere;

pub use sphere::{EARTH_RADIUS_KM, haversine_km};

use crate::Boundaries;

/// A point in degrees (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LatLon {
    pub lat: f64,
    pub lon: f64,
}

/// The smallest `eps` accepted: below a metre, the coordinates' own precision and the unit
/// vectors' rounding are no longer negligible beside it.
pub const EPS_KM_MIN: f64 = 0.001;
/// The largest `eps` accepted: half the Earth's circumference, which already joins every pair.
pub const EPS_KM_MAX: f64 = std::f64::consts::PI * EARTH_RADIUS_KM;

/// What DBSCAN is asked.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DbscanParams {
    /// Neighbourhood radius in km (great-circle), from [`EPS_KM_MIN`] to [`EPS_KM_MAX`].
    pub eps_km: f64,
    /// Points a neighbourhood must hold (the point itself included) for its centre to be core;
    /// at least 1.
    pub min_points: usize,
    /// Threads to use (1 = the caller's only). The answer does not depend on it.
    pub threads: usize,
}

/// Why clustering was refused. Nothing is clustered when any point is unusable.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum HotspotError {
    #[error("eps_km must be a number from {EPS_KM_MIN} to {EPS_KM_MAX:.1} km, got {0}")]
    Eps(f64),
    #[error("min_points must be at least 1")]
    MinPoints,
    /// `index` counts from 0 in the points given.
    #[error("point {index}: latitude {value} is not a number from -90 to 90")]
    Latitude { index: usize, value: f64 },
    #[error("point {index}: longitude {value} is not a number from -180 to 180")]
    Longitude { index: usize, value: f64 },
    #[error("too many points: {0} (at most {max})", max = u32::MAX - 1)]
    TooMany(usize),
}

/// DBSCAN's answer, in the order the points were given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dbscan {
    /// The cluster of each point, `None` for noise.
    pub labels: Vec<Option<u32>>,
    /// Whether each point is a core point.
    pub core: Vec<bool>,
    /// Clusters are numbered `0..cluster_count`.
    pub cluster_count: u32,
}

/// Clusters points as scikit-learn's haversine DBSCAN does (see the module documentation).
pub fn dbscan(points: &[LatLon], params: &DbscanParams) -> Result<Dbscan, HotspotError> {
    check(points, params)?;
    let metric = sphere::Metric::new(params.eps_km);
    let out = dbscan::run(points, &metric, params.min_points, params.threads);
    Ok(Dbscan {
        labels: out.labels,
        core: out.core,
        cluster_count: out.clusters,
    })
}

fn check(points: &[LatLon], params: &DbscanParams) -> Result<(), HotspotError> {
    if !(EPS_KM_MIN..=EPS_KM_MAX).contains(&params.eps_km) {
        return Err(HotspotError::Eps(params.eps_km));
    }
    if params.min_points == 0 {
        return Err(HotspotError::MinPoints);
    }
    if points.len() >= u32::MAX as usize {
        return Err(HotspotError::TooMany(points.len()));
    }
    for (index, p) in points.iter().enumerate() {
        if !(-90.0..=90.0).contains(&p.lat) {
            return Err(HotspotError::Latitude {
                index,
                value: p.lat,
            });
        }
        if !(-180.0..=180.0).contains(&p.lon) {
            return Err(HotspotError::Longitude {
                index,
                value: p.lon,
            });
        }
    }
    Ok(())
}

/// One hotspot.
#[derive(Debug, Clone, PartialEq)]
pub struct Cluster {
    /// Its DBSCAN label.
    pub id: u32,
    /// Indices of its points (core and border) in the points given, ascending.
    pub members: Vec<usize>,
    /// How many of them are core points.
    pub core_count: usize,
    /// The spherical mean of its points (their unit vectors summed and normalised); `None`
    /// only if they cancel out, which points within a chain of `eps` steps cannot do unless
    /// the cluster circles the globe.
    pub centroid: Option<LatLon>,
    /// ISO 3166-1 alpha-3 codes of the countries its points lie in (by
    /// [`Boundaries::country_at`]), sorted; points at sea or outside the covered countries
    /// add nothing.
    pub countries: Vec<&'static str>,
    /// Whether its points lie in two or more countries.
    pub cross_border: bool,
}

/// The clusters of a DBSCAN answer, in id order, described against `boundaries`.
pub fn clusters(points: &[LatLon], result: &Dbscan, boundaries: &Boundaries) -> Vec<Cluster> {
    let mut out: Vec<Cluster> = (0..result.cluster_count)
        .map(|id| Cluster {
            id,
            members: Vec::new(),
            core_count: 0,
            centroid: None,
            countries: Vec::new(),
            cross_border: false,
        })
        .collect();
    let mut sums = vec![[0.0f64; 3]; out.len()];
    for (i, (label, p)) in result.labels.iter().zip(points).enumerate() {
        let Some(c) = label.and_then(|id| out.get_mut(id as usize)) else {
            continue;
        };
        c.members.push(i);
        if result.core.get(i).copied().unwrap_or(false) {
            c.core_count += 1;
        }
        if let Some(country) = boundaries.country_at(p.lat, p.lon)
            && !c.countries.contains(&country)
        {
            c.countries.push(country);
        }
        let v = sphere::unit_vector(*p);
        if let Some(s) = sums.get_mut(c.id as usize) {
            for a in 0..3 {
                s[a] += v[a];
            }
        }
    }
    for (c, sum) in out.iter_mut().zip(sums) {
        c.centroid = sphere::spherical_mean(sum, c.members.len());
        c.countries.sort_unstable();
        c.cross_border = c.countries.len() >= 2;
    }
    out
}
