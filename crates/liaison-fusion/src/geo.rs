//! Great-circle distance and day arithmetic used by the window and the comparison. Pure.

use liaison_core::{DateSpan, GeoPoint};

/// Mean Earth radius in kilometres (the value scikit-learn's and `liaison-geo`'s haversine use).
pub const EARTH_RADIUS_KM: f64 = 6371.0;

/// Haversine distance between two points, in kilometres.
pub fn haversine_km(a: GeoPoint, b: GeoPoint) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * EARTH_RADIUS_KM * h.sqrt().min(1.0).asin()
}

/// A calendar day as a whole number (Julian day), so spans compare with integer arithmetic.
pub fn day_number(d: time::Date) -> i64 {
    i64::from(d.to_julian_day())
}

/// Days between two spans: 0 when they overlap or touch the same day, else the number of days
/// from the end of the earlier to the start of the later (consecutive days are 1 apart).
pub fn day_gap(a: &DateSpan, b: &DateSpan) -> u32 {
    let (a0, a1) = (day_number(a.start), day_number(a.end));
    let (b0, b1) = (day_number(b.start), day_number(b.end));
    let gap = (b0 - a1).max(a0 - b1).max(0);
    u32::try_from(gap).unwrap_or(u32::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn haversine_matches_a_known_distance() {
        // Bamako to Gao, about 960 km along the great circle.
        let d = haversine_km(
            GeoPoint {
                lat: 12.6392,
                lon: -8.0029,
            },
            GeoPoint {
                lat: 16.2666,
                lon: -0.0400,
            },
        );
        assert!((d - 953.0).abs() < 15.0, "{d}");
        let p = GeoPoint {
            lat: 14.0,
            lon: 0.0,
        };
        assert_eq!(haversine_km(p, p), 0.0);
    }

    #[test]
    fn gaps_between_spans() {
        let d = |s| DateSpan::day(s);
        assert_eq!(
            day_gap(&d(date!(2020 - 01 - 01)), &d(date!(2020 - 01 - 01))),
            0
        );
        assert_eq!(
            day_gap(&d(date!(2020 - 01 - 01)), &d(date!(2020 - 01 - 02))),
            1
        );
        assert_eq!(
            day_gap(&d(date!(2020 - 01 - 05)), &d(date!(2020 - 01 - 02))),
            3
        );
        let month = DateSpan {
            start: date!(2020 - 01 - 01),
            end: date!(2020 - 01 - 31),
            precision: liaison_core::DatePrecision::Month,
        };
        assert_eq!(day_gap(&month, &d(date!(2020 - 01 - 15))), 0);
        assert_eq!(day_gap(&month, &d(date!(2020 - 02 - 03))), 3);
    }
}
