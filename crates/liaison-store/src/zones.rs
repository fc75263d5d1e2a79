//! Integrated regional zones held by the node, beside `liaison-geo`'s built-in ones, and the index
//! of which zones each incident lies in, so that zones filter and group like any other column.
//!
//! A zone is stored as the GeoJSON Feature it was given in (`liaison_geo::zones` parses and
//! checks it, and draws the test of a point). Giving a zone again under its id makes its next
//! version; the replaced one is kept in `zone_versions`. A built-in zone's id cannot be taken:
//! an agreement or a filter naming `liptako-gourma` must mean the same area on every node.
//!
//! Membership is kept by counter, not by hooks on every write path (imports, forms, received
//! pages): before a zone query, [`Store::index_zones`] places every incident row whose `seq` is
//! above the watermark (`node_settings.zone_index_seq`). A new incident version is a new row, so
//! it is placed anew; the entries of the row it replaced name a `seq` that no incident has any
//! more and match nothing. A zone added or replaced is placed over all rows at once. Each zone
//! recorded appends a `zone_recorded` ledger entry (its version and the SHA-256 of its Feature).

use liaison_geo::zones::{Zone, builtin_zone, builtin_zones, parse_zones};
use sqlx::{Any, Row, Transaction};

use crate::sql::{Arg, Sql};
use crate::{Store, StoreError};

/// The `node_settings` key of the highest incident row placed in its zones.
const WATERMARK_KEY: &str = "zone_index_seq";
/// Incident rows read and placed per statement while indexing.
const INDEX_BATCH: i64 = 20_000;
/// Membership rows per insert statement (two parameters each).
const ROWS_PER_INSERT: usize = 2_000;

/// A zone the node holds, as stored.
#[derive(Debug, Clone)]
pub struct ZoneRow {
    pub zone: Zone,
    pub version: i64,
    pub recorded_at: String,
    pub recorded_by: String,
}

/// A zone with its bounding box in degrees, so most points are answered without a polygon test.
struct Placer<'a> {
    zone: &'a Zone,
    bbox: Option<[f64; 4]>,
}

impl Placer<'_> {
    fn holds(&self, lat: f64, lon: f64) -> bool {
        let inside_box = self
            .bbox
            .is_none_or(|[w, s, e, n]| lat >= s && lat <= n && lon >= w && lon <= e);
        inside_box && self.zone.contains(lat, lon)
    }
}

fn placers(zones: &[Zone]) -> Vec<Placer<'_>> {
    zones
        .iter()
        .map(|zone| Placer {
            zone,
            bbox: zone.bbox(),
        })
        .collect()
}

fn invalid(field: &str, message: String) -> StoreError {
    StoreError::Invalid {
        field: field.to_owned(),
        message,
    }
}

/// The one zone a stored Feature holds.
fn zone_of(feature: &str) -> Result<Zone, StoreError> {
    let mut zones =
        parse_zones(feature).map_err(|e| StoreError::Corrupt(format!("stored zone: {e}")))?;
    match zones.len() {
        1 => Ok(zones.remove(0)),
        n => Err(StoreError::Corrupt(format!(
            "stored zone holds {n} features"
        ))),
    }
}

impl Store {
    /// Records `zones`, each as its next version if the node holds it already, and places every
    /// incident in them, all in one transaction: a refused zone leaves nothing written. Returns
    /// the versions recorded, in order. A built-in zone's id is refused.
    pub async fn add_zones(
        &self,
        zones: &[Zone],
        at: &str,
        by: &str,
    ) -> Result<Vec<i64>, StoreError> {
        if let Some(z) = zones.iter().find(|z| builtin_zone(&z.id).is_some()) {
            return Err(invalid(
                "properties.id",
                format!(
                    "'{}' is a built-in zone: give the node's own zone another id",
                    z.id
                ),
            ));
        }
        let mut tx = self.pool.begin().await?;
        let mut versions = Vec::with_capacity(zones.len());
        let mut entries = Vec::with_capacity(zones.len());
        for zone in zones {
            let (version, feature_sha256) = record_zone(&mut tx, zone, at, by).await?;
            versions.push(version);
            // Logged: what a zone covered matters to every agreement scoped to it.
            entries.push(liaison_ledger::Entry {
                at: at.to_owned(),
                event: liaison_ledger::Event::ZoneRecorded {
                    zone_id: zone.id.clone(),
                    version,
                    feature_sha256,
                    by: by.to_owned(),
                },
            });
        }
        crate::ledger::append(&mut tx, self.backend, &entries).await?;
        crate::ledger::seal(&mut tx, self.signer(), at).await?;
        // The zones' old shapes no longer say who is inside: place every row again.
        for zone in zones {
            sqlx::query("DELETE FROM incident_zones WHERE zone_id = $1")
                .bind(&zone.id)
                .execute(&mut *tx)
                .await?;
        }
        place_rows(&mut tx, self.backend, zones, 0).await?;
        tx.commit().await?;
        Ok(versions)
    }

    /// Records one zone; see [`Store::add_zones`].
    pub async fn add_zone(&self, zone: &Zone, at: &str, by: &str) -> Result<i64, StoreError> {
        let versions = self.add_zones(std::slice::from_ref(zone), at, by).await?;
        Ok(versions[0])
    }

    /// The zones this node holds (not the built-in ones), by id.
    pub async fn node_zones(&self) -> Result<Vec<ZoneRow>, StoreError> {
        let rows =
            sqlx::query("SELECT feature, version, recorded_at, recorded_by FROM zones ORDER BY id")
                .fetch_all(&self.pool)
                .await?;
        rows.iter()
            .map(|r| {
                Ok(ZoneRow {
                    zone: zone_of(&r.try_get::<String, _>(0)?)?,
                    version: r.try_get(1)?,
                    recorded_at: r.try_get(2)?,
                    recorded_by: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Every zone a filter may name: the built-in ones, then the node's own.
    pub async fn zones(&self) -> Result<Vec<Zone>, StoreError> {
        let mut all: Vec<Zone> = builtin_zones().to_vec();
        all.extend(self.node_zones().await?.into_iter().map(|r| r.zone));
        Ok(all)
    }

    /// The zone with this id, built-in or the node's own.
    pub async fn zone(&self, id: &str) -> Result<Option<Zone>, StoreError> {
        if let Some(z) = builtin_zone(id) {
            return Ok(Some(z.clone()));
        }
        let feature: Option<String> = sqlx::query_scalar("SELECT feature FROM zones WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        feature.as_deref().map(zone_of).transpose()
    }

    /// Checks that `id` names a zone, with the known ids in the refusal.
    pub(crate) async fn check_zone_id(&self, field: &str, id: &str) -> Result<(), StoreError> {
        let zones = self.zones().await?;
        if zones.iter().any(|z| z.id == id) {
            return Ok(());
        }
        let known: Vec<&str> = zones.iter().map(|z| z.id.as_str()).collect();
        Err(invalid(
            field,
            format!("no zone '{id}'; the zones are {}", known.join(", ")),
        ))
    }

    /// Places every incident row above the watermark in its zones. Cheap when nothing is new:
    /// one read of the watermark and one empty range scan.
    pub async fn index_zones(&self) -> Result<(), StoreError> {
        let zones = self.zones().await?;
        let mut tx = self.pool.begin().await?;
        let watermark: Option<String> =
            sqlx::query_scalar("SELECT value FROM node_settings WHERE key = $1")
                .bind(WATERMARK_KEY)
                .fetch_optional(&mut *tx)
                .await?;
        let from = watermark.and_then(|w| w.parse::<i64>().ok()).unwrap_or(0);
        let top = place_rows(&mut tx, self.backend, &zones, from).await?;
        if top > from {
            sqlx::query(
                "INSERT INTO node_settings (key, value) VALUES ($1, $2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(WATERMARK_KEY)
            .bind(top.to_string())
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Keeps the held version of `zone` (if any) in `zone_versions` and records `zone` as the next.
/// Returns the version and the SHA-256 (hex) of the Feature stored.
async fn record_zone(
    tx: &mut Transaction<'static, Any>,
    zone: &Zone,
    at: &str,
    by: &str,
) -> Result<(i64, String), StoreError> {
    use sha2::Digest as _;
    let feature = serde_json::to_string(&zone.to_geojson())
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    let feature_sha256 = hex::encode(sha2::Sha256::digest(feature.as_bytes()));
    sqlx::query(
        "INSERT INTO zone_versions (id, version, name, feature, recorded_at, recorded_by)
         SELECT id, version, name, feature, recorded_at, recorded_by FROM zones WHERE id = $1",
    )
    .bind(&zone.id)
    .execute(&mut **tx)
    .await?;
    let held: Option<i64> = sqlx::query_scalar("SELECT version FROM zones WHERE id = $1")
        .bind(&zone.id)
        .fetch_optional(&mut **tx)
        .await?;
    let version = held.unwrap_or(0) + 1;
    sqlx::query("DELETE FROM zones WHERE id = $1")
        .bind(&zone.id)
        .execute(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO zones (id, version, name, feature, recorded_at, recorded_by)
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(&zone.id)
    .bind(version)
    .bind(&zone.name)
    .bind(&feature)
    .bind(at)
    .bind(by)
    .execute(&mut **tx)
    .await?;
    Ok((version, feature_sha256))
}

/// Places the incident rows with `seq > after` in `zones`, batch by batch; returns the highest
/// `seq` seen (`after` when there was none).
async fn place_rows(
    tx: &mut Transaction<'static, Any>,
    backend: crate::Backend,
    zones: &[Zone],
    after: i64,
) -> Result<i64, StoreError> {
    let placers = placers(zones);
    let mut last = after;
    loop {
        let rows =
            sqlx::query("SELECT seq, lat, lon FROM incidents WHERE seq > $1 ORDER BY seq LIMIT $2")
                .bind(last)
                .bind(INDEX_BATCH)
                .fetch_all(&mut **tx)
                .await?;
        let Some(tail) = rows.last() else { break };
        last = tail.try_get(0)?;
        let mut members: Vec<(&str, i64)> = Vec::new();
        for r in &rows {
            let (Some(lat), Some(lon)) = (
                r.try_get::<Option<f64>, _>(1)?,
                r.try_get::<Option<f64>, _>(2)?,
            ) else {
                continue;
            };
            let seq: i64 = r.try_get(0)?;
            for p in placers.iter().filter(|p| p.holds(lat, lon)) {
                members.push((p.zone.id.as_str(), seq));
            }
        }
        for chunk in members.chunks(ROWS_PER_INSERT) {
            let mut sql = Sql::new(backend, "INSERT INTO incident_zones (zone_id, seq) VALUES ");
            for (i, (zone, seq)) in chunk.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.push("(").bind(Arg::Text((*zone).to_owned())).push(", ");
                sql.bind(Arg::Int(*seq)).push(")");
            }
            sql.push(" ON CONFLICT (zone_id, seq) DO NOTHING");
            let (text, args) = sql.into_parts()?;
            sqlx::query_with(sqlx::AssertSqlSafe(text), args)
                .execute(&mut **tx)
                .await?;
        }
        if (rows.len() as i64) < INDEX_BATCH {
            break;
        }
    }
    Ok(last)
}
