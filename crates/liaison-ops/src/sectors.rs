//! Patrol sectors and a proposed allocation of the members' committed troops to them.
//!
//! A [`Sector`] is an area (a zone copied in, or polygons: the same [`Area`] operations use)
//! with the countries it touches and its community contact points (local liaisons, elders,
//! mayors). [`allocate`] proposes where committed troops go; it decides nothing.
//!
//! **Method (a documented greedy, no solver).** Each sector's weight is
//! `w = a·incidents + b·fatalities + c·hotspot_points + floor` over the caller's window
//! ([`Weights`], defaults a = 1, b = 0.2, c = 0.5, floor = 1: a quiet sector still weighs as one
//! incident). `T` is the troops of every whole unit (`unit_troops`, default 100) whose member may
//! serve at least one sector; sector `s`'s ideal share is `T·w_s/Σw`, and its deficit is
//! `ideal − allocated`. Units are handed out one at a time, members in turn by code (one unit
//! each per round, a member with more units goes on after the others run out); each unit goes to
//! the sector of largest deficit among those its member may serve, ties to the smaller sector id.
//! Each member keeps a binary heap of its sectors, with lazily refreshed keys (a deficit only
//! falls, so a stale entry is re-keyed when popped): `O(U·M·log S)` at worst.
//!
//! **Bound.** (1) Always, by construction: every unit goes to a sector its member may serve, of
//! largest deficit among those at that moment. Hence, for every sector `t` that received troops,
//! with `m` the member of its last unit: no sector `m` may serve ends with a deficit larger than
//! `t`'s by more than a unit (`d_s − d_t ≤ unit`). (2) When every member may serve every sector,
//! each sector ends strictly within one unit of its ideal share (`|d_s| < unit`). Proof of (2):
//! while units remain, the deficits sum to the troops still to place, so the largest is
//! positive, and a sector only receives a unit when its deficit is the largest: it ends above
//! `−unit`. If some `d_s ≥ unit` at the end, every unit went to a sector whose deficit was then
//! at least `d_s ≥ unit`, so every sector ends with `d ≥ 0` and the sum is positive; but it is
//! `T − placed = 0`. Under constraints a sector no member may serve keeps its whole ideal as a
//! deficit, and nothing better than (1) is claimed. Tested below.
//!
//! Not here: counting incidents and hotspots (the caller's, from its store), storing sectors.

use geo::Intersects;
use liaison_core::{CountryCode, ValidationErrors};
use liaison_geo::Boundaries;
use serde::{Deserialize, Serialize};

use crate::area::Area;
use crate::deconflict::concerned_countries;
use crate::operation::check_operation_id;

/// Most contacts per sector, and longest contact text in characters.
pub const MAX_CONTACTS: usize = 100;
pub const MAX_TEXT_CHARS: usize = 200;
/// Most sectors in one allocation, and most units handed out.
pub const MAX_SECTORS: usize = 10_000;
pub const MAX_UNITS: u64 = 1_000_000;
/// Default troops per unit handed out (a company).
pub const DEFAULT_UNIT_TROOPS: u32 = 100;
/// Distance within which an area "touches" a country, km: sampling tolerance, not a buffer.
const TOUCH_KM: f64 = 1.0;

/// A community contact point of a sector.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    pub name: String,
    /// "community liaison", "Tuareg elder", "mayor", ...
    pub role: String,
    pub community: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_or_channel: Option<String>,
}

/// A patrol sector.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sector {
    pub id: String,
    pub name: String,
    pub area: Area,
    /// ISO3 codes of the countries the area touches, sorted ([`Sector::with_countries`]).
    #[serde(default)]
    pub countries: Vec<String>,
    #[serde(default)]
    pub contacts: Vec<Contact>,
}

fn check_text(e: &mut ValidationErrors, field: &str, v: &str) {
    if v.trim().is_empty() {
        e.push(field, "must not be empty");
    } else if v.chars().count() > MAX_TEXT_CHARS {
        e.push(field, format!("at most {MAX_TEXT_CHARS} characters"));
    }
}

impl Sector {
    /// Every broken rule, each naming its field (`area.polygons[0][0]`, `contacts[1].role`).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if let Err(m) = check_operation_id(&self.id) {
            e.push("id", m);
        }
        check_text(&mut e, "name", &self.name);
        e.nest("area", self.area.validate());
        if self.contacts.len() > MAX_CONTACTS {
            e.push("contacts", format!("at most {MAX_CONTACTS}"));
        }
        for (i, c) in self.contacts.iter().enumerate() {
            check_text(&mut e, &format!("contacts[{i}].name"), &c.name);
            check_text(&mut e, &format!("contacts[{i}].role"), &c.role);
            check_text(&mut e, &format!("contacts[{i}].community"), &c.community);
            if let Some(p) = &c.phone_or_channel {
                check_text(&mut e, &format!("contacts[{i}].phone_or_channel"), p);
            }
        }
        e.into_result()
    }

    /// The sector with `countries` computed from its area and the boundaries.
    pub fn with_countries(mut self, boundaries: &Boundaries) -> Sector {
        self.countries = concerned_countries(&self.area, TOUCH_KM, boundaries)
            .into_iter()
            .map(str::to_owned)
            .collect();
        self
    }
}

/// Where a member's forces may go. Absent: the sectors that touch its own territory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Constraint {
    Sectors(Vec<String>),
    Countries(Vec<String>),
}

/// One member's troops to allocate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberTroops {
    pub member: CountryCode,
    /// Committed (not pledged) troops.
    pub committed_troops: u64,
    pub constraint: Option<Constraint>,
}

/// What happened in a sector over the window, counted by the caller.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorLoad {
    pub incidents: u64,
    pub fatalities: u64,
    /// Points of the window's incidents in a hotspot (DBSCAN cluster) and in the sector.
    pub hotspot_points: u64,
}

/// One incident of the caller's window: where, how many killed, whether in a hotspot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowPoint {
    pub lat: f64,
    pub lon: f64,
    pub fatalities: u64,
    pub in_hotspot: bool,
}

/// Each sector's load from the window's points, by exact containment (edges included) after a
/// bounding-box test; a point in two overlapping sectors counts in both.
pub fn loads(sectors: &[Sector], points: &[WindowPoint]) -> Vec<SectorLoad> {
    sectors
        .iter()
        .map(|s| {
            let mut load = SectorLoad::default();
            let Some([w, so, e, n]) = s.area.bbox() else {
                return load;
            };
            let geometry = s.area.geometry();
            for p in points {
                let in_box = p.lat >= so && p.lat <= n && p.lon >= w && p.lon <= e;
                if in_box && geometry.intersects(&geo::Point::new(p.lon, p.lat)) {
                    load.incidents += 1;
                    load.fatalities += p.fatalities;
                    load.hotspot_points += u64::from(p.in_hotspot);
                }
            }
            load
        })
        .collect()
}

/// The weight's coefficients; see the module's method.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Weights {
    pub per_incident: f64,
    pub per_fatality: f64,
    pub per_hotspot_point: f64,
    pub floor: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            per_incident: 1.0,
            per_fatality: 0.2,
            per_hotspot_point: 0.5,
            floor: 1.0,
        }
    }
}

/// The allocation's settings: unit size, weights, and the window's length (for explanations).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub unit_troops: u32,
    pub weights: Weights,
    pub days: u32,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            unit_troops: DEFAULT_UNIT_TROOPS,
            weights: Weights::default(),
            days: 90,
        }
    }
}

mod allocation;
pub use allocation::{Allocation, SectorAllocation, Unallocated, WeightParts, allocate};

#[cfg(test)]
mod tests;
