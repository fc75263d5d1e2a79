//! Errors of loading boundary data. Lookups themselves cannot fail: they answer `None`.
//!
//! Not here: anything about I/O (this crate reads no files; the caller hands over text).

/// Why boundary data could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GeoError {
    /// The text is not JSON at all.
    #[error("boundary data is not valid JSON: {0}")]
    Json(String),
    /// The JSON is not a GeoJSON `FeatureCollection` with a `features` array.
    #[error("boundary data must be a GeoJSON FeatureCollection, found {found}")]
    NotFeatureCollection {
        /// What was found instead (`"type \"Feature\""`, `"no features array"`).
        found: String,
    },
    /// The collection holds no feature.
    #[error("boundary data holds no feature")]
    Empty,
    /// One feature is unusable; `index` counts from 0 in the `features` array.
    #[error("feature {index}: {problem}")]
    Feature {
        /// Position in the `features` array, from 0.
        index: usize,
        /// What is wrong with it.
        problem: FeatureProblem,
    },
}

/// What is wrong with one feature.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FeatureProblem {
    /// Not a GeoJSON `Feature` object (the parser's message).
    #[error("not a GeoJSON Feature: {0}")]
    NotAFeature(String),
    /// `geometry` is null or absent.
    #[error("has no geometry")]
    NoGeometry,
    /// Geometry other than `Polygon` or `MultiPolygon`.
    #[error("geometry is a {0}, expected Polygon or MultiPolygon")]
    UnsupportedGeometry(&'static str),
    /// No string property `name`.
    #[error("has no string property \"name\"")]
    NoName,
    /// `name` is not in the crate's table of country names.
    #[error("unknown country name {0:?}")]
    UnknownName(String),
    /// A ring that cannot bound an area.
    #[error("ring {ring}: {what}")]
    BadRing {
        /// Ring number in the feature, counting every ring of every polygon from 0.
        ring: usize,
        /// What is wrong with it.
        what: &'static str,
    },
}
