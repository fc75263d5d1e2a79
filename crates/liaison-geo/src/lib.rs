//! Geography shipped with Liaison: which country a coordinate lies in, and how far it is from
//! that country's boundary, from Natural Earth 1:10m admin-0 polygons of the Maghreb and the
//! Sahel compiled into the crate.
//!
//! **Rule of this crate: no I/O after load.** The only data it reads is the text it is handed
//! ([`Boundaries::from_geojson`]) or the text compiled into it ([`Boundaries::embedded`],
//! [`default_boundaries`]). Lookups are pure functions of a loaded [`Boundaries`].
//!
//! Besides boundaries: [`gazetteer`], the region's places (GeoNames cities of 1,000 inhabitants
//! and more, CC BY 4.0, plus curated places with their sources) looked up by name across
//! accents, scripts and spelling conventions, which also answers the admin-1 of a point *by its
//! nearest place* ([`Gazetteer::admin1_at`]: an approximation, not polygons); [`hotspots`],
//! great-circle DBSCAN with scikit-learn's semantics; and [`zones`], named cross-border areas
//! (GeoJSON polygons or H3 cells) with the built-in zones of the brief's geography.
//!
//! What it is not: a source of authority on borders (it answers what the data draws), a holder
//! of admin-1 boundaries (none are shipped), or a world map: only the 20 countries of the
//! embedded file are covered (listed in `data/README.md`); anywhere else, including Egypt, Sudan,
//! Liberia, Sierra Leone and Spain's Canary Islands, the answer is `None`, as at sea.
//!
//! # Speed
//!
//! [`Boundaries::country_at`] is meant to run once per imported row. A 0.1° grid built at load
//! answers nine points in ten from one array read; the rest (cells that a boundary crosses) run
//! an exact even-odd test on the edges of one or two countries within that grid row. See
//! `grid.rs` for the method and `tests/lookup.rs` (`timing_report`, printed with
//! `--nocapture`) for measurements.
//!
//! # Western Sahara
//!
//! Western Sahara is disputed, so how it is drawn is a setting, [`WesternSahara`], chosen when the
//! boundaries are loaded. What the embedded Natural Earth 4.1.0 file actually contains was checked:
//! its `Morocco` feature covers Morocco **plus the Moroccan-administered part of Western Sahara,
//! west of the berm** (Laayoune, Smara, Boujdour, Dakhla, down to about 21.4° N), and its
//! `W. Sahara` feature covers only the part **east of the berm** (Tifariti, Bir Lahlou, Mijek,
//! Aghouinit). The two do not overlap and together fill the territory. Loading therefore does:
//!
//! - [`WesternSahara::Separate`] (the default): the Morocco feature is cut along the parallel
//!   27°40′ N, the northern limit of Western Sahara; its part south of that line and the
//!   `W. Sahara` feature answer `ESH`. Laayoune is `ESH`.
//! - [`WesternSahara::PartOfMorocco`]: both features answer `MAR`. Laayoune is `MAR`.
//!
//! The cut is the treaty parallel, while the data's own vertices are rounded to about 0.002°: near
//! the Algerian tripoint, a strip up to some 600 m wide north of the data's drawn corner belongs
//! to `ESH` rather than `MAR`. The berm itself is never reported as a border under either setting.

mod border;
mod error;
pub mod gazetteer;
mod grid;
pub mod hotspots;
mod load;
mod names;
pub mod zones;

use std::sync::OnceLock;

pub use error::{FeatureProblem, GeoError};
pub use gazetteer::{
    Admin1Answer, Gazetteer, GazetteerError, Match, MatchKind, Place, default_gazetteer,
};

use border::Outline;
use grid::Grid;

/// The embedded Natural Earth 1:10m admin-0 features (see `data/README.md`).
const EMBEDDED_GEOJSON: &str = include_str!("../data/ne_countries_10m_sahel_maghreb.geojson");

/// How to draw Western Sahara, a territory whose status is disputed (see the crate documentation
/// for what the embedded data contains).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WesternSahara {
    /// Western Sahara answers `ESH` within its internationally recognised limits (south of
    /// 27°40′ N), whoever administers each part. The default: it is how ISO 3166-1 and the UN
    /// list the territory.
    #[default]
    Separate,
    /// The whole territory answers `MAR`.
    PartOfMorocco,
}

/// Country boundaries loaded and indexed for point lookups. Immutable once built, apart from
/// the per-country outlines behind [`Boundaries::distance_to_border_km`], each indexed on its
/// first use (thread-safely); share it freely (`Send + Sync`).
#[derive(Debug, Clone)]
pub struct Boundaries {
    /// In precedence order; their position is the region index of the grid.
    regions: Vec<load::Region>,
    grid: Grid,
    /// One per country code, in order of first appearance; built lazily because a load that
    /// only needs `country_at` should not pay for them.
    outlines: Vec<(&'static str, OnceLock<Outline>)>,
}

impl Boundaries {
    /// Load the boundaries compiled into the crate. They are tested to load; an error here means
    /// the build itself is broken.
    pub fn embedded(ws: WesternSahara) -> Result<Boundaries, GeoError> {
        Boundaries::from_geojson(EMBEDDED_GEOJSON, ws)
    }

    /// Load boundaries from a GeoJSON `FeatureCollection` of `Polygon`/`MultiPolygon` features,
    /// each with a Natural Earth country name in its `name` property (`"Mali"`, `"W. Sahara"`,
    /// `"Côte d'Ivoire"`). Where polygons overlap, the earlier feature answers. An error names
    /// the index of the first unusable feature and what is wrong with it.
    pub fn from_geojson(text: &str, ws: WesternSahara) -> Result<Boundaries, GeoError> {
        let regions = load::parse(text, ws)?;
        let grid = Grid::build(&regions);
        let mut outlines: Vec<(&'static str, OnceLock<Outline>)> = Vec::new();
        for region in &regions {
            if outlines.iter().all(|(iso3, _)| *iso3 != region.iso3) {
                outlines.push((region.iso3, OnceLock::new()));
            }
        }
        Ok(Boundaries {
            regions,
            grid,
            outlines,
        })
    }

    /// Boundaries that contain nothing.
    fn empty() -> Boundaries {
        Boundaries {
            regions: Vec::new(),
            grid: Grid::empty(),
            outlines: Vec::new(),
        }
    }

    /// The ISO 3166-1 alpha-3 code of the country containing the point (degrees, WGS 84), or
    /// `None` at sea, outside the covered countries, or for non-finite input. A point exactly
    /// on a boundary gets one of the two sides.
    pub fn country_at(&self, lat: f64, lon: f64) -> Option<&'static str> {
        let region = self.grid.region_at(lat, lon)?;
        self.regions.get(region).map(|r| r.iso3)
    }

    /// The codes of the countries covered, sorted, each once.
    pub fn countries(&self) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = self.outlines.iter().map(|(iso3, _)| *iso3).collect();
        codes.sort_unstable();
        codes
    }

    /// Whether the point lies within the bounding box of the data (bounds included). True does
    /// not mean "in a country": the box also holds sea and uncovered countries.
    pub fn covers(&self, lat: f64, lon: f64) -> bool {
        self.grid.bbox().is_some_and(|b| b.contains(lat, lon))
    }

    /// Great-circle (Haversine) distance in km from the point to the nearest boundary line of the
    /// country it is in (land border or coast: the data does not tell them apart), or `None` if
    /// the point is in no covered country.
    pub fn distance_to_border_km(&self, lat: f64, lon: f64) -> Option<f64> {
        let iso3 = self.country_at(lat, lon)?;
        let (_, outline) = self.outlines.iter().find(|(code, _)| *code == iso3)?;
        outline
            .get_or_init(|| border::outline_of(iso3, &self.regions))
            .distance_km(lat, lon)
    }

    /// Counts of grid cells that are entirely outside, entirely inside one country, or crossed
    /// by a boundary. For load reports and tests; the numbers depend on the grid size.
    #[doc(hidden)]
    pub fn grid_cell_counts(&self) -> (usize, usize, usize) {
        self.grid.cell_counts()
    }
}

/// The embedded boundaries with [`WesternSahara::Separate`], loaded on first use and shared.
/// Should loading ever fail (it is tested not to), this returns boundaries that contain nothing,
/// so every lookup answers `None` rather than the process stopping.
pub fn default_boundaries() -> &'static Boundaries {
    static DEFAULT: OnceLock<Boundaries> = OnceLock::new();
    DEFAULT.get_or_init(|| {
        Boundaries::embedded(WesternSahara::Separate).unwrap_or_else(|_| Boundaries::empty())
    })
}
