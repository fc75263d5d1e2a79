//! The incidents as points, for the map: every located incident in a few columns, without
//! reading its document, so a map of tens of thousands of incidents is one light query.

use sqlx::Row;

use crate::{Store, StoreError};

/// One located incident, as the map draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct MapPoint {
    pub id: String,
    pub lat: f64,
    pub lon: f64,
    pub event_type: String,
    pub country: String,
    pub originator: String,
    /// `YYYY-MM-DD`.
    pub date_start: String,
    pub fatalities_best: i64,
}

impl Store {
    /// Every incident that has coordinates, oldest first.
    pub async fn map_points(&self) -> Result<Vec<MapPoint>, StoreError> {
        let rows = sqlx::query(
            "SELECT id, lat, lon, event_type, country, originator, date_start, fatalities_best
             FROM incidents WHERE lat IS NOT NULL AND lon IS NOT NULL
             ORDER BY date_start, seq",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(MapPoint {
                    id: r.try_get(0)?,
                    lat: r.try_get(1)?,
                    lon: r.try_get(2)?,
                    event_type: r.try_get(3)?,
                    country: r.try_get(4)?,
                    originator: r.try_get(5)?,
                    date_start: r.try_get(6)?,
                    fatalities_best: r.try_get(7)?,
                })
            })
            .collect()
    }
}
