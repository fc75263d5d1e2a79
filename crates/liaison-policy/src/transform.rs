//! Obligations applied to a copy of an incident: what a recipient receives instead of the
//! incident as recorded. Pure and deterministic: the same incident, obligations and agreement
//! always give the same copy (pseudonyms are hashes, never random).
//!
//! Each obligation, exactly (see also `docs/agreements.md`):
//! - **location**, to a precision class (we have no admin-area geometry yet, so the point is
//!   snapped to a grid that stands in for the area: a documented approximation):
//!   `admin2` drops the place name and moves the point to the centre of its 0.1° cell; `admin1`
//!   also drops the district and uses a 1° cell; `country` drops the point, place name, province
//!   and district. `h3` moves the point to the centre of its H3 cell and `grid_degrees` to the
//!   centre of its square cell; both drop the place name, and the district too when the cell is
//!   province-sized. The precision becomes the coarser of the recorded one and the class the
//!   cell stands for ([`h3_class`], [`grid_class`]). Countries are always kept.
//! - **time**: `week` widens start back to its ISO week's Monday and end on to its Sunday;
//!   `month` to the first and last days of their months; the precision becomes at least that.
//!   `day` changes nothing.
//! - **narrative**: dropped.
//! - **sources**: each name becomes `source-` and the first 12 hex digits of SHA-256 of
//!   `liaison-source-pseudonym-v1\n<agreement id>\n<name>`: stable within an agreement, different
//!   across agreements, so two recipients cannot join their copies on it. Grades are kept;
//!   reference, URL and publication date are dropped (each could name the source).
//! - **fatalities**: [`BANDS`]; low becomes the low end of its band, high the high end of its
//!   band, best the low end of its band, and the dispute note is replaced by one saying the
//!   figures were banded (the original note may quote exact figures).

use h3o::{LatLng, Resolution};
use liaison_core::{
    AgreementId, CoarsePrecision, DatePrecision, Fatalities, GeoPoint, Incident,
    LocationCoarsening, LocationPrecision, Obligations, TimeRounding,
};
use serde::Serialize;
use sha2::{Digest, Sha256};
use time::{Date, Duration};

/// Fatality bands: `(low, high)`, inclusive; the last one is open (its high is `u32::MAX`).
pub const BANDS: [(u32, u32); 10] = [
    (0, 0),
    (1, 5),
    (6, 10),
    (11, 25),
    (26, 50),
    (51, 100),
    (101, 250),
    (251, 500),
    (501, 1000),
    (1001, u32::MAX),
];

/// The grid cell sizes that stand in for admin areas, in degrees.
pub const ADMIN2_GRID_DEGREES: f64 = 0.1;
pub const ADMIN1_GRID_DEGREES: f64 = 1.0;

/// The domain-separation label of source pseudonyms.
pub const PSEUDONYM_LABEL: &str = "liaison-source-pseudonym-v1";

/// One obligation as it was applied: for the ledger, the preview and the released object.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "obligation", rename_all = "snake_case")]
pub enum Applied {
    /// Coarsened to a precision class.
    Location {
        to: CoarsePrecision,
    },
    /// Moved to the centre of its H3 cell; `precision` is the resulting precision class.
    LocationH3 {
        resolution: u8,
        precision: LocationPrecision,
    },
    /// Moved to the centre of its grid cell (`degrees` as written in the agreement).
    LocationGrid {
        degrees: String,
        precision: LocationPrecision,
    },
    /// Dates widened to whole weeks or months.
    Time {
        to: TimeRounding,
    },
    NarrativeDropped,
    SourcesPseudonymised,
    FatalitiesBanded,
}

fn precision_word(p: LocationPrecision) -> &'static str {
    p.as_str()
}

impl Applied {
    /// The short code carried in the released object's `release.applied`.
    pub fn code(&self) -> String {
        match self {
            Applied::Location { to } => format!("location:{}", to.as_str()),
            Applied::LocationH3 { resolution, .. } => format!("location:h3:{resolution}"),
            Applied::LocationGrid { degrees, .. } => format!("location:grid:{degrees}"),
            Applied::Time { to } => format!("time:{}", to.as_str()),
            Applied::NarrativeDropped => "narrative:dropped".into(),
            Applied::SourcesPseudonymised => "sources:pseudonymised".into(),
            Applied::FatalitiesBanded => "fatalities:banded".into(),
        }
    }
}

impl std::fmt::Display for Applied {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Applied::Location { to } => write!(f, "location coarsened to {}", to.as_str()),
            Applied::LocationH3 {
                resolution,
                precision,
            } => write!(
                f,
                "location coarsened to H3 resolution {resolution} ({})",
                precision_word(*precision)
            ),
            Applied::LocationGrid { degrees, precision } => write!(
                f,
                "location coarsened to a {degrees}° grid ({})",
                precision_word(*precision)
            ),
            Applied::Time { to } => write!(f, "dates rounded to the {}", to.as_str()),
            Applied::NarrativeDropped => f.write_str("narrative dropped"),
            Applied::SourcesPseudonymised => f.write_str("sources pseudonymised"),
            Applied::FatalitiesBanded => f.write_str("fatalities banded"),
        }
    }
}

/// The precision class an H3 resolution stands for, by cell size: resolution 0–3 (cells of
/// 12,000 km² and more) a province, 4–5 (250 to 1,800 km²) a district, 6 and finer (36 km² and
/// less) "near".
pub fn h3_class(resolution: u8) -> LocationPrecision {
    match resolution {
        0..=3 => LocationPrecision::Admin1,
        4..=5 => LocationPrecision::Admin2,
        _ => LocationPrecision::Near,
    }
}

/// The precision class a grid size stands for: 1° and more a province, 0.1° and more a
/// district, finer "near" (the same sizes as the precision classes' own grids).
pub fn grid_class(degrees: f64) -> LocationPrecision {
    if degrees >= ADMIN1_GRID_DEGREES {
        LocationPrecision::Admin1
    } else if degrees >= ADMIN2_GRID_DEGREES {
        LocationPrecision::Admin2
    } else {
        LocationPrecision::Near
    }
}

/// The centre of the cell of size `size` holding `x`, on the axis `min..=max`; cells start at
/// `min`, a last partial cell is centred on what remains, and `max` itself is in the last cell.
pub fn snap(x: f64, min: f64, max: f64, size: f64) -> f64 {
    let cells = ((max - min) / size).ceil().max(1.0) as i64;
    let i = (((x - min) / size).floor() as i64).clamp(0, cells - 1);
    let lo = min + i as f64 * size;
    let hi = (lo + size).min(max);
    (lo + hi) / 2.0
}

fn snap_point(p: GeoPoint, size: f64) -> GeoPoint {
    GeoPoint {
        lat: snap(p.lat, -90.0, 90.0, size),
        lon: snap(p.lon, -180.0, 180.0, size),
    }
}

/// The centre of the H3 cell of `resolution` holding `p`; `None` when H3 refuses the point or
/// the resolution (then the caller drops the point: never release more than asked).
pub fn h3_centre(p: GeoPoint, resolution: u8) -> Option<GeoPoint> {
    let r = Resolution::try_from(resolution).ok()?;
    let cell = LatLng::new(p.lat, p.lon).ok()?.to_cell(r);
    let c = LatLng::from(cell);
    Some(GeoPoint {
        lat: c.lat(),
        lon: c.lng(),
    })
}

/// The band holding `n`.
pub fn band(n: u32) -> (u32, u32) {
    BANDS
        .iter()
        .copied()
        .find(|&(lo, hi)| (lo..=hi).contains(&n))
        .unwrap_or((n, n))
}

fn band_text((lo, hi): (u32, u32)) -> String {
    if hi == u32::MAX {
        format!("over {}", lo.saturating_sub(1))
    } else if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}–{hi}")
    }
}

/// A source's pseudonym under an agreement.
pub fn pseudonym(agreement: &AgreementId, name: &str) -> String {
    let digest = Sha256::digest(format!("{PSEUDONYM_LABEL}\n{agreement}\n{name}").as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    format!("source-{hex}")
}

/// The Monday of `d`'s ISO week and the Sunday of `e`'s.
fn widen_week(d: Date, e: Date) -> (Date, Date) {
    let back = i64::from(d.weekday().number_days_from_monday());
    let on = 6 - i64::from(e.weekday().number_days_from_monday());
    (
        d.checked_sub(Duration::days(back)).unwrap_or(d),
        e.checked_add(Duration::days(on)).unwrap_or(e),
    )
}

/// The first day of `d`'s month and the last day of `e`'s.
fn widen_month(d: Date, e: Date) -> (Date, Date) {
    (
        d.replace_day(1).unwrap_or(d),
        e.replace_day(e.month().length(e.year())).unwrap_or(e),
    )
}

/// Applies `o` (under `agreement`, which keys the pseudonyms) to a copy of `incident`, and says
/// what was done, in the order of the obligations' fields.
pub fn transform(
    incident: &Incident,
    o: &Obligations,
    agreement: &AgreementId,
) -> (Incident, Vec<Applied>) {
    let mut inc = incident.clone();
    let mut applied = Vec::new();
    if let Some(c) = o.location {
        applied.push(coarsen(&mut inc, c));
    }
    match o.time {
        Some(t @ (TimeRounding::Week | TimeRounding::Month)) => {
            let d = &mut inc.content.date;
            let (start, end, p) = if t == TimeRounding::Week {
                let (s, e) = widen_week(d.start, d.end);
                (s, e, DatePrecision::Week)
            } else {
                let (s, e) = widen_month(d.start, d.end);
                (s, e, DatePrecision::Month)
            };
            d.start = start;
            d.end = end;
            d.precision = d.precision.max(p);
            applied.push(Applied::Time { to: t });
        }
        Some(TimeRounding::Day) | None => {}
    }
    if o.drop_narrative {
        inc.content.narrative = None;
        applied.push(Applied::NarrativeDropped);
    }
    if o.pseudonymise_sources {
        for s in &mut inc.content.sources {
            s.name = pseudonym(agreement, &s.name);
            s.reference = None;
            s.url = None;
            s.date = None;
        }
        applied.push(Applied::SourcesPseudonymised);
    }
    if o.fatalities_as_ranges {
        let f = &inc.content.casualties.fatalities;
        let (low, _) = band(f.low);
        let (_, high) = band(f.high);
        let best = band(f.best);
        inc.content.casualties.fatalities = Fatalities {
            best: best.0,
            low,
            high,
            dispute: Some(format!(
                "Released in bands under agreement {agreement}: best {}, range {} to {}; the exact figures are withheld.",
                band_text(best),
                band_text(band(f.low)),
                band_text(band(f.high)),
            )),
        };
        applied.push(Applied::FatalitiesBanded);
    }
    (inc, applied)
}

fn coarsen(inc: &mut Incident, c: LocationCoarsening) -> Applied {
    let loc = &mut inc.content.location;
    let had_point = loc.point.is_some();
    loc.place_name = None;
    let (class, applied) = match c {
        LocationCoarsening::Precision(to) => {
            let class = match to {
                CoarsePrecision::Admin2 => {
                    loc.point = loc.point.map(|p| snap_point(p, ADMIN2_GRID_DEGREES));
                    LocationPrecision::Admin2
                }
                CoarsePrecision::Admin1 => {
                    loc.point = loc.point.map(|p| snap_point(p, ADMIN1_GRID_DEGREES));
                    LocationPrecision::Admin1
                }
                CoarsePrecision::Country => {
                    loc.point = None;
                    loc.admin1 = None;
                    LocationPrecision::Country
                }
            };
            (class, Applied::Location { to })
        }
        LocationCoarsening::H3(resolution) => {
            let class = h3_class(resolution);
            loc.point = loc.point.and_then(|p| h3_centre(p, resolution));
            (
                class,
                Applied::LocationH3 {
                    resolution,
                    precision: class,
                },
            )
        }
        LocationCoarsening::GridDegrees(d) => {
            let class = grid_class(d);
            loc.point = loc.point.map(|p| snap_point(p, d));
            (
                class,
                Applied::LocationGrid {
                    degrees: d.to_string(),
                    precision: class,
                },
            )
        }
    };
    if class >= LocationPrecision::Admin1 {
        loc.admin2 = None;
    }
    loc.precision = loc.precision.max(class);
    // A point H3 refused is gone: only a country-precision location may lack one.
    if had_point && loc.point.is_none() {
        loc.precision = LocationPrecision::Country;
        loc.admin1 = None;
        loc.admin2 = None;
    }
    match applied {
        Applied::LocationH3 { resolution, .. } => Applied::LocationH3 {
            resolution,
            precision: loc.precision,
        },
        Applied::LocationGrid { degrees, .. } => Applied::LocationGrid {
            degrees,
            precision: loc.precision,
        },
        other => other,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::testing::{day, incident};

    fn id() -> AgreementId {
        AgreementId::parse("dza-ner").unwrap()
    }

    fn with(o: &str) -> (Incident, Vec<Applied>) {
        let o: Obligations = serde_json::from_str(o).unwrap();
        let (t, a) = transform(&incident("MLI"), &o, &id());
        t.content.validate().unwrap();
        (t, a)
    }

    #[test]
    fn precision_classes_snap_and_drop() {
        let (t, a) = with(r#"{"location":{"precision":"admin2"}}"#);
        let l = &t.content.location;
        let p = l.point.unwrap();
        assert!(
            (p.lat - 18.45).abs() < 1e-9 && (p.lon - 1.45).abs() < 1e-9,
            "{p:?}"
        );
        assert_eq!(
            (l.place_name.as_deref(), l.admin1.as_deref()),
            (None, Some("Kidal"))
        );
        assert_eq!(l.admin2.as_deref(), Some("Tessalit"));
        assert_eq!(l.precision, LocationPrecision::Admin2);
        assert_eq!(a[0].code(), "location:admin2");
        let (t, _) = with(r#"{"location":{"precision":"admin1"}}"#);
        let l = &t.content.location;
        assert_eq!(
            l.point,
            Some(GeoPoint {
                lat: 18.5,
                lon: 1.5
            })
        );
        assert_eq!(
            (l.admin2.as_deref(), l.admin1.as_deref()),
            (None, Some("Kidal"))
        );
        let (t, a) = with(r#"{"location":{"precision":"country"}}"#);
        let l = &t.content.location;
        assert_eq!((l.point, l.admin1.as_deref()), (None, None));
        assert_eq!(l.precision, LocationPrecision::Country);
        assert_eq!(l.country, incident("MLI").content.location.country);
        assert_eq!(a[0].to_string(), "location coarsened to country");
    }

    #[test]
    fn h3_and_grids_move_the_point_to_a_centre() {
        let (t, a) = with(r#"{"location":{"h3":5}}"#);
        let p = t.content.location.point.unwrap();
        let orig = incident("MLI").content.location.point.unwrap();
        assert_eq!(Some(p), h3_centre(orig, 5));
        assert_ne!(p, orig);
        assert_eq!(a[0].code(), "location:h3:5");
        assert_eq!(t.content.location.precision, LocationPrecision::Admin2);
        let (t, a) = with(r#"{"location":{"grid_degrees":0.5}}"#);
        assert_eq!(
            t.content.location.point,
            Some(GeoPoint {
                lat: 18.25,
                lon: 1.25
            })
        );
        assert_eq!(a[0].code(), "location:grid:0.5");
        // Edges: the last cell holds the maximum; a partial cell is centred on what remains.
        assert_eq!(snap(90.0, -90.0, 90.0, 1.0), 89.5);
        assert_eq!(snap(-90.0, -90.0, 90.0, 1.0), -89.5);
        assert!((snap(89.95, -90.0, 90.0, 0.7) - 89.95).abs() < 1e-9);
    }

    #[test]
    fn dates_widen_to_weeks_and_months() {
        // 2012-01-24 is a Tuesday.
        let (t, a) = with(r#"{"time":"week"}"#);
        assert_eq!(
            (t.content.date.start, t.content.date.end),
            (day("2012-01-23"), day("2012-01-29"))
        );
        assert_eq!(t.content.date.precision, DatePrecision::Week);
        assert_eq!(
            a,
            vec![Applied::Time {
                to: TimeRounding::Week
            }]
        );
        let (t, _) = with(r#"{"time":"month"}"#);
        assert_eq!(
            (t.content.date.start, t.content.date.end),
            (day("2012-01-01"), day("2012-01-31"))
        );
        let (t, a) = with(r#"{"time":"day"}"#);
        assert_eq!(t, incident("MLI"));
        assert!(a.is_empty());
        let (_, e) = widen_month(day("2012-02-03"), day("2012-02-03"));
        assert_eq!(e, day("2012-02-29"));
    }

    #[test]
    fn narrative_sources_and_fatalities() {
        let (t, a) = with(
            r#"{"drop_narrative":true,"pseudonymise_sources":true,"fatalities_as_ranges":true}"#,
        );
        assert!(t.content.narrative.is_none());
        let s = &t.content.sources[0];
        assert_eq!(s.name, pseudonym(&id(), "Ministère de la Défense"));
        assert!(s.name.starts_with("source-") && s.name.len() == 19);
        assert_eq!(
            (s.reference.as_ref(), s.url.as_ref(), s.date),
            (None, None, None)
        );
        assert_eq!(
            s.reliability,
            incident("MLI").content.sources[0].reliability
        );
        assert_ne!(
            pseudonym(
                &AgreementId::parse("other").unwrap(),
                "Ministère de la Défense"
            ),
            s.name
        );
        let f = &t.content.casualties.fatalities;
        assert_eq!((f.low, f.best, f.high), (51, 51, 250));
        assert!(
            f.dispute
                .as_deref()
                .unwrap()
                .contains("best 51–100, range 51–100 to 101–250")
        );
        assert_eq!(a.len(), 3);
        assert_eq!(band(0), (0, 0));
        assert_eq!(band(5), (1, 5));
        assert_eq!(band(5000), (1001, u32::MAX));
        assert_eq!(band_text(band(5000)), "over 1000");
    }

    #[test]
    fn applied_serialises_for_the_ledger() {
        let v = serde_json::to_value(Applied::Location {
            to: CoarsePrecision::Admin1,
        })
        .unwrap();
        assert_eq!(
            v,
            serde_json::json!({"obligation": "location", "to": "admin1"})
        );
    }
}
