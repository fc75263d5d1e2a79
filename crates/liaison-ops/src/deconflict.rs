//! Deconfliction: which declared operations a new one clashes with, and which neighbours must
//! be told of it.
//!
//! **Conflict.** Two operations conflict when all of these hold:
//! - they are different operations (a new version of an operation never conflicts with its
//!   earlier one) declared by different members (a member deconflicts its own operations
//!   itself);
//! - neither is cancelled;
//! - they do not declare each other: when each names the other's declaring member among its
//!   participants they are the two members' halves of one joint operation, already
//!   coordinated. A one-sided mention is not enough: MRT taking part in MLI's operation does not
//!   tell MLI about a national MRT operation in the same place;
//! - their windows share a day (both ends included, so a window ending the day another starts
//!   overlaps it);
//! - their areas intersect (touching edges count): an R-tree of bounding boxes finds the
//!   candidates, then `geo`'s exact polygon intersection decides.
//!
//! The rule is symmetric, and a conflict is reported to both declaring members.
//!
//! **Notice.** An operation whose area comes within `border_km` (50 km by default) of another
//! country's territory gives each such country a notice, unless it is the declaring member or a
//! participant. A notice holds the declaring member, the area and the window; the kind only if
//! the declaring member asked (`notice_kind`); never the objective. The countries concerned are
//! found by sampling (see [`concerned_countries`]).
//!
//! Not here: storing notices or sending them (`liaison-store`, and federation, not yet built).

use std::collections::BTreeSet;

use geo::{Coord, Destination, Distance, Haversine, Intersects, MultiPolygon, Point};
use liaison_core::CountryCode;
use liaison_geo::Boundaries;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::area::Area;
use crate::operation::{Kind, Operation, Status};

/// Default distance from a border within which an operation gives notices, km.
pub const DEFAULT_BORDER_KM: f64 = 50.0;
/// Largest `border_km` accepted: beyond this a "border" operation is a regional one.
pub const MAX_BORDER_KM: f64 = 500.0;
/// Most points sampled along an area's boundary when looking for neighbours.
const MAX_BOUNDARY_SAMPLES: usize = 400;
/// Grid points per side sampled inside an area for the countries it covers.
const INTERIOR_GRID: usize = 32;
/// Finest interior grid step, degrees (about 5 km).
const MIN_INTERIOR_STEP_DEG: f64 = 0.05;
/// Bearings probed around each boundary sample near a border.
const PROBE_BEARINGS: usize = 16;

/// Deconfliction settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Settings {
    /// An operation within this distance of another country's territory notifies it, km.
    pub border_km: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            border_km: DEFAULT_BORDER_KM,
        }
    }
}

impl Settings {
    /// Settings with `border_km`, refused outside (0, 500].
    pub fn with_border_km(border_km: f64) -> Result<Settings, String> {
        if !(border_km > 0.0 && border_km <= MAX_BORDER_KM) {
            return Err(format!(
                "border distance must be more than 0 and at most {MAX_BORDER_KM} km, found {border_km}"
            ));
        }
        Ok(Settings { border_km })
    }
}

/// Two operations of different members in the same place at the same time, seen from
/// `operation`'s side. `from`..`to` is the days they share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub operation: String,
    pub member: CountryCode,
    pub other: String,
    pub other_member: CountryCode,
    pub from: Date,
    pub to: Date,
    /// Both declaring members: a conflict is reported to each.
    pub reported_to: Vec<CountryCode>,
}

/// What a neighbour is told of an operation near its border: the minimum by default.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeContent {
    pub declared_by: CountryCode,
    pub area: Area,
    pub from: Date,
    pub to: Date,
    /// Only when the declaring member chose to say (`notice_kind`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<Kind>,
}

/// A notice of `operation` addressed to `recipient`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Notice {
    pub operation: String,
    pub recipient: CountryCode,
    pub content: NoticeContent,
}

/// One declared operation as the index keeps it.
#[derive(Debug, Clone)]
struct Indexed {
    op: Operation,
    geometry: MultiPolygon<f64>,
}

/// The declared operations indexed once, to check new ones against.
#[derive(Debug, Clone)]
pub struct Deconflictor {
    entries: Vec<Indexed>,
    tree: RTree<GeomWithData<Rectangle<[f64; 2]>, usize>>,
    settings: Settings,
    boundaries: &'static Boundaries,
}

fn envelope(b: [f64; 4]) -> AABB<[f64; 2]> {
    AABB::from_corners([b[0], b[1]], [b[2], b[3]])
}

/// The conflict rule without the geometry: see the module documentation.
fn may_conflict(a: &Operation, b: &Operation) -> bool {
    let declare_each_other =
        a.participants.contains(&b.member) && b.participants.contains(&a.member);
    a.id != b.id
        && a.member != b.member
        && a.status != Status::Cancelled
        && b.status != Status::Cancelled
        && !declare_each_other
        && a.overlaps_in_time(b)
}

fn conflict(a: &Operation, b: &Operation) -> Conflict {
    Conflict {
        operation: a.id.clone(),
        member: a.member.clone(),
        other: b.id.clone(),
        other_member: b.member.clone(),
        from: a.from.max(b.from),
        to: a.to.min(b.to),
        reported_to: vec![a.member.clone(), b.member.clone()],
    }
}

impl Deconflictor {
    /// Indexes `declared` with the default settings and the shipped boundaries.
    pub fn new(declared: &[Operation]) -> Deconflictor {
        Deconflictor::with_settings(
            declared,
            Settings::default(),
            liaison_geo::default_boundaries(),
        )
    }

    /// Indexes `declared`. Cancelled operations and areas without positions are left out: they
    /// can conflict with nothing.
    pub fn with_settings(
        declared: &[Operation],
        settings: Settings,
        boundaries: &'static Boundaries,
    ) -> Deconflictor {
        let mut entries = Vec::with_capacity(declared.len());
        let mut boxes = Vec::with_capacity(declared.len());
        for op in declared {
            if op.status == Status::Cancelled {
                continue;
            }
            let Some(b) = op.area.bbox() else { continue };
            boxes.push(GeomWithData::new(
                Rectangle::from_corners([b[0], b[1]], [b[2], b[3]]),
                entries.len(),
            ));
            entries.push(Indexed {
                geometry: op.area.geometry(),
                op: op.clone(),
            });
        }
        Deconflictor {
            entries,
            tree: RTree::bulk_load(boxes),
            settings,
            boundaries,
        }
    }

    pub fn settings(&self) -> Settings {
        self.settings
    }

    /// The conflicts of `op` with the declared operations (sorted by the other operation's id),
    /// and the notices it gives (sorted by recipient).
    pub fn check(&self, op: &Operation) -> (Vec<Conflict>, Vec<Notice>) {
        (self.conflicts(op), self.notices(op))
    }

    /// The conflicts of `op` with the declared operations, sorted by the other operation's id.
    pub fn conflicts(&self, op: &Operation) -> Vec<Conflict> {
        let Some(b) = op.area.bbox() else {
            return Vec::new();
        };
        if op.status == Status::Cancelled {
            return Vec::new();
        }
        let geometry = op.area.geometry();
        let mut found: Vec<Conflict> = self
            .tree
            .locate_in_envelope_intersecting(&envelope(b))
            .filter_map(|g| self.entries.get(g.data))
            .filter(|e| may_conflict(op, &e.op) && geometry.intersects(&e.geometry))
            .map(|e| conflict(op, &e.op))
            .collect();
        found.sort_by(|x, y| x.other.cmp(&y.other));
        found
    }

    /// Every conflicting pair among the declared operations, once each, the operation with the
    /// smaller id first; sorted by those ids.
    pub fn all_conflicts(&self) -> Vec<Conflict> {
        let mut found = Vec::new();
        for (i, a) in self.entries.iter().enumerate() {
            let Some(b) = a.op.area.bbox() else { continue };
            for g in self.tree.locate_in_envelope_intersecting(&envelope(b)) {
                let Some(other) = self.entries.get(g.data) else {
                    continue;
                };
                // Each pair once: from the entry with the smaller id (ties by position).
                let first = (a.op.id.as_str(), i) < (other.op.id.as_str(), g.data);
                if first && may_conflict(&a.op, &other.op) && a.geometry.intersects(&other.geometry)
                {
                    found.push(conflict(&a.op, &other.op));
                }
            }
        }
        found.sort_by(|x, y| (&x.operation, &x.other).cmp(&(&y.operation, &y.other)));
        found
    }

    /// The notices `op` gives: one per country concerned that neither declares nor takes part.
    pub fn notices(&self, op: &Operation) -> Vec<Notice> {
        if op.status == Status::Cancelled {
            return Vec::new();
        }
        let concerned = concerned_countries(&op.area, self.settings.border_km, self.boundaries);
        concerned
            .into_iter()
            .filter_map(|c| CountryCode::parse(c).ok())
            .filter(|c| !op.involves(c))
            .map(|recipient| Notice {
                operation: op.id.clone(),
                recipient,
                content: NoticeContent {
                    declared_by: op.member.clone(),
                    area: op.area.clone(),
                    from: op.from,
                    to: op.to,
                    kind: op.notice_kind.then_some(op.kind),
                },
            })
            .collect()
    }
}

/// The countries whose territory lies in `area` or within `border_km` of it, sorted.
///
/// Method: the countries the area covers are those of a grid of up to 32×32 points over it
/// (finest step 0.05°, about 5 km) plus its vertices. The nearest point of the area to any
/// territory outside it lies on its boundary, so the boundary is sampled every `border_km / 2`
/// (at most 400 samples), and around each sample that lies within `border_km` of its own
/// country's outline (or in no country) the countries at `border_km / 2` and `border_km` on 16
/// bearings are looked up. Samples farther from any border than `border_km` need no probe, which
/// keeps operations deep inside a country cheap. What it can miss: a foreign sliver narrower than
/// the gaps between probes (about 20 km at the default 50 km) or than the interior grid step.
pub fn concerned_countries(
    area: &Area,
    border_km: f64,
    boundaries: &Boundaries,
) -> BTreeSet<&'static str> {
    let mut found = BTreeSet::new();
    let Some([w, s, e, n]) = area.bbox() else {
        return found;
    };
    let geometry = area.geometry();
    let is_box = matches!(area, Area::Bbox { .. });
    // Countries covered.
    let step_x = ((e - w) / INTERIOR_GRID as f64).max(MIN_INTERIOR_STEP_DEG);
    let step_y = ((n - s) / INTERIOR_GRID as f64).max(MIN_INTERIOR_STEP_DEG);
    let mut lat = s;
    while lat <= n {
        let mut lon = w;
        while lon <= e {
            if (is_box || geometry.intersects(&Point::new(lon, lat)))
                && let Some(c) = boundaries.country_at(lat, lon)
            {
                found.insert(c);
            }
            lon += step_x;
        }
        lat += step_y;
    }
    // Countries near the boundary.
    let rings: Vec<&geo::LineString<f64>> = geometry
        .0
        .iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .collect();
    let edge_km =
        |a: Coord<f64>, b: Coord<f64>| Haversine.distance(Point::from(a), Point::from(b)) / 1000.0;
    let perimeter_km: f64 = rings
        .iter()
        .flat_map(|r| r.lines())
        .map(|l| edge_km(l.start, l.end))
        .sum();
    let step_km = (border_km / 2.0).max(perimeter_km / MAX_BOUNDARY_SAMPLES as f64);
    let probe = |lat: f64, lon: f64, found: &mut BTreeSet<&'static str>| {
        if let Some(c) = boundaries.country_at(lat, lon) {
            found.insert(c);
        }
        let near = boundaries
            .distance_to_border_km(lat, lon)
            .is_none_or(|d| d <= border_km);
        if !near {
            return;
        }
        let here = Point::new(lon, lat);
        for r in [border_km / 2.0, border_km] {
            for k in 0..PROBE_BEARINGS {
                let bearing = 360.0 * k as f64 / PROBE_BEARINGS as f64;
                let p = Haversine.destination(here, bearing, r * 1000.0);
                if let Some(c) = boundaries.country_at(p.y(), p.x()) {
                    found.insert(c);
                }
            }
        }
    };
    for ring in rings {
        for line in ring.lines() {
            let len = edge_km(line.start, line.end);
            let parts = ((len / step_km).ceil() as usize).max(1);
            // The edge's end is the next edge's start: sample [start, end).
            for i in 0..parts {
                let t = i as f64 / parts as f64;
                let lon = line.start.x + t * (line.end.x - line.start.x);
                let lat = line.start.y + t * (line.end.y - line.start.y);
                probe(lat, lon, &mut found);
            }
        }
    }
    found
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::testing::{op, with_participants};

    fn ids(c: &[Conflict]) -> Vec<&str> {
        c.iter().map(|c| c.other.as_str()).collect()
    }

    #[test]
    fn overlapping_operations_of_different_members_conflict() {
        let a = op(
            "mli-1",
            "MLI",
            [0.0, 15.0, 1.0, 16.0],
            "2026-03-01",
            "2026-03-10",
        );
        let b = op(
            "ner-1",
            "NER",
            [0.5, 15.5, 1.5, 16.5],
            "2026-03-05",
            "2026-03-20",
        );
        let d = Deconflictor::new(std::slice::from_ref(&a));
        let c = d.conflicts(&b);
        assert_eq!(ids(&c), ["mli-1"]);
        assert_eq!(c[0].from.to_string(), "2026-03-05");
        assert_eq!(c[0].to.to_string(), "2026-03-10");
        assert_eq!(c[0].reported_to.len(), 2);
    }

    #[test]
    fn what_does_not_conflict() {
        let a = op(
            "mli-1",
            "MLI",
            [0.0, 15.0, 1.0, 16.0],
            "2026-03-01",
            "2026-03-10",
        );
        let d = Deconflictor::new(std::slice::from_ref(&a));
        // Same member.
        assert!(
            d.conflicts(&op(
                "mli-2",
                "MLI",
                [0.0, 15.0, 1.0, 16.0],
                "2026-03-01",
                "2026-03-10"
            ))
            .is_empty()
        );
        // Itself (a new version).
        let mut again = a.clone();
        again.member = CountryCode::parse("NER").unwrap();
        assert!(d.conflicts(&again).is_empty());
        // Apart in time, apart in space.
        assert!(
            d.conflicts(&op(
                "n1",
                "NER",
                [0.0, 15.0, 1.0, 16.0],
                "2026-03-11",
                "2026-03-20"
            ))
            .is_empty()
        );
        assert!(
            d.conflicts(&op(
                "n2",
                "NER",
                [2.0, 15.0, 3.0, 16.0],
                "2026-03-01",
                "2026-03-10"
            ))
            .is_empty()
        );
        // Cancelled.
        let mut c = op(
            "n3",
            "NER",
            [0.0, 15.0, 1.0, 16.0],
            "2026-03-01",
            "2026-03-10",
        );
        c.status = Status::Cancelled;
        assert!(d.conflicts(&c).is_empty());
        let d2 = Deconflictor::new(std::slice::from_ref(&c));
        assert!(
            d2.conflicts(&op(
                "n4",
                "MLI",
                [0.0, 15.0, 1.0, 16.0],
                "2026-03-01",
                "2026-03-10"
            ))
            .is_empty()
        );
    }

    #[test]
    fn touching_in_time_and_space_conflicts() {
        let a = op(
            "mli-1",
            "MLI",
            [0.0, 15.0, 1.0, 16.0],
            "2026-03-01",
            "2026-03-10",
        );
        let d = Deconflictor::new(std::slice::from_ref(&a));
        let b = op(
            "ner-1",
            "NER",
            [1.0, 15.0, 2.0, 16.0],
            "2026-03-10",
            "2026-03-12",
        );
        assert_eq!(ids(&d.conflicts(&b)), ["mli-1"]);
    }

    #[test]
    fn boxes_overlap_but_polygons_do_not() {
        // Two triangles sharing a bounding box, on either side of its diagonal.
        let tri = |id: &str, m: &str, pts: [[f64; 2]; 3]| {
            let mut o = op(id, m, [0.0, 15.0, 1.0, 16.0], "2026-03-01", "2026-03-10");
            o.area = Area::Polygon {
                polygons: vec![vec![vec![pts[0], pts[1], pts[2], pts[0]]]],
            };
            o
        };
        let a = tri("a", "MLI", [[0.0, 15.0], [1.0, 15.0], [0.0, 15.9]]);
        let b = tri("b", "NER", [[1.0, 16.0], [0.1, 16.0], [1.0, 15.1]]);
        let d = Deconflictor::new(std::slice::from_ref(&a));
        assert!(d.conflicts(&b).is_empty());
        let c = tri("c", "NER", [[1.0, 16.0], [0.0, 16.0], [1.0, 15.0]]);
        assert_eq!(ids(&d.conflicts(&c)), ["a"]);
    }

    #[test]
    fn halves_of_one_joint_operation_do_not_conflict_but_one_sided_mentions_do() {
        let a = with_participants(
            op(
                "mli",
                "MLI",
                [0.0, 15.0, 1.0, 16.0],
                "2026-03-01",
                "2026-03-10",
            ),
            &["MRT"],
        );
        let b = with_participants(
            op(
                "mrt",
                "MRT",
                [0.0, 15.0, 1.0, 16.0],
                "2026-03-01",
                "2026-03-10",
            ),
            &["MLI"],
        );
        let c = op(
            "mrt-national",
            "MRT",
            [0.0, 15.0, 1.0, 16.0],
            "2026-03-01",
            "2026-03-10",
        );
        let d = Deconflictor::new(std::slice::from_ref(&a));
        assert!(d.conflicts(&b).is_empty());
        assert_eq!(ids(&d.conflicts(&c)), ["mli"]);
        let all = Deconflictor::new(&[a, b, c]).all_conflicts();
        assert_eq!(all.len(), 1);
        assert_eq!(
            (all[0].operation.as_str(), all[0].other.as_str()),
            ("mli", "mrt-national")
        );
    }

    #[test]
    fn border_operations_notify_neighbours_minimally() {
        let b = liaison_geo::default_boundaries();
        // North of Tessalit, Mali, about 25 km from the Algerian border.
        let near = op(
            "mli-n",
            "MLI",
            [0.85, 20.75, 0.95, 20.85],
            "2026-03-01",
            "2026-03-10",
        );
        let mut near = near;
        near.objective = Some("secret".into());
        assert_eq!(b.country_at(20.8, 0.9), Some("MLI"));
        let notices = Deconflictor::new(&[]).notices(&near);
        let to: Vec<&str> = notices.iter().map(|n| n.recipient.as_str()).collect();
        assert_eq!(to, ["DZA"]);
        let json = serde_json::to_value(&notices[0].content).unwrap();
        let mut keys: Vec<&String> = json.as_object().unwrap().keys().collect();
        keys.sort_unstable();
        assert_eq!(keys, ["area", "declared_by", "from", "to"]);
        near.notice_kind = true;
        assert!(
            Deconflictor::new(&[]).notices(&near)[0]
                .content
                .kind
                .is_some()
        );
        // Participants are not notified.
        let joint = with_participants(near.clone(), &["DZA"]);
        assert!(Deconflictor::new(&[]).notices(&joint).is_empty());
        // Deep inside Mali (Ségou region): no notice.
        let far = op(
            "mli-f",
            "MLI",
            [-5.5, 13.5, -5.3, 13.7],
            "2026-03-01",
            "2026-03-10",
        );
        assert!(Deconflictor::new(&[]).notices(&far).is_empty());
    }

    #[test]
    fn border_distance_is_a_setting() {
        let b = liaison_geo::default_boundaries();
        let near = op(
            "mli-n",
            "MLI",
            [0.85, 20.75, 0.95, 20.85],
            "2026-03-01",
            "2026-03-10",
        );
        let tight = Deconflictor::with_settings(&[], Settings::with_border_km(5.0).unwrap(), b);
        assert!(tight.notices(&near).is_empty());
        assert!(Settings::with_border_km(0.0).is_err());
        assert!(Settings::with_border_km(501.0).is_err());
        assert!(Settings::with_border_km(f64::NAN).is_err());
    }

    #[test]
    fn an_area_across_a_border_notifies_the_other_side() {
        // Straddling the Mali–Niger border near Ménaka / Tillabéri.
        let o = op(
            "mli-x",
            "MLI",
            [3.0, 15.0, 4.5, 15.5],
            "2026-03-01",
            "2026-03-10",
        );
        let to: Vec<String> = Deconflictor::new(&[])
            .notices(&o)
            .iter()
            .map(|n| n.recipient.to_string())
            .collect();
        assert!(to.contains(&"NER".to_string()), "{to:?}");
    }
}
