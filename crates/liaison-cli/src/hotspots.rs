//! `liaison hotspots`: DBSCAN clusters of the node's incidents by great-circle distance
//! (`liaison_geo::hotspots`, scikit-learn's semantics), over the incidents the `incidents list`
//! filters select that have a point, optionally only those inside a zone (`--zone`, a built-in
//! zone or one the node holds).
//!
//! Incidents are clustered oldest first (start date, then id), so cluster 0 is the cluster of
//! the oldest incident that is a core point, and a border incident within reach of two clusters
//! joins the lower-numbered (`docs/hotspots.md`). The same node and options always give the same
//! clusters.
//!
//! JSON shape (stable): `{"eps_km", "min_points", "zone": id | null, "incidents": with a point
//! (and in the zone), "without_point", "noise": incidents in no cluster, "clusters": [{"id",
//! "size", "core", "members": [incident ids, in clustering order], "centroid": {"lat", "lon"} |
//! null, "countries": [ISO3…], "cross_border", "first_date", "last_date", "fatalities_best"}…]}`.
//! Countries are those of the members' points (`liaison_geo::Boundaries::country_at`), not the
//! sources' countries.

use anyhow::{Result, anyhow};
use liaison_core::{Incident, IncidentId};
use liaison_geo::hotspots::{self, Cluster, DbscanParams, LatLon};
use liaison_store::{Cursor, StoreError};
use serde_json::json;

use crate::cli::FilterArgs;
use crate::node::Node;

/// One incident with a point, as clustering needs it.
struct Item {
    id: IncidentId,
    start: time::Date,
    end: time::Date,
    point: LatLon,
    fatalities_best: u64,
}

fn item(inc: Incident) -> Option<Item> {
    let point = inc.content.location.point?;
    Some(Item {
        start: inc.content.date.start,
        end: inc.content.date.end,
        point: LatLon {
            lat: point.lat,
            lon: point.lon,
        },
        fatalities_best: u64::from(inc.content.casualties.fatalities.best),
        id: inc.id,
    })
}

/// Reads every incident the filters select (`--zone` included: the store places incidents in
/// zones), page by page as `export stix` does, keeping those with a point. Returns them oldest
/// first, and how many had no point.
async fn selected(node: &Node, filters: &FilterArgs) -> Result<(Vec<Item>, usize)> {
    let f = crate::query::filter(filters)?;
    let mut items = Vec::new();
    let mut without_point = 0;
    let mut cursor: Option<Cursor> = None;
    loop {
        let page = node
            .store
            .list_incidents(&f, liaison_store::MAX_PAGE_SIZE, cursor.as_ref())
            .await
            .map_err(|e| match e {
                StoreError::Invalid { field, message } if field == "zone" => {
                    anyhow!("--zone: {message}")
                }
                other => other.into(),
            })?;
        for inc in page.incidents {
            match item(inc) {
                Some(i) => items.push(i),
                None => without_point += 1,
            }
        }
        match page.next_cursor {
            Some(c) => cursor = Some(Cursor::parse(&c)?),
            None => break,
        }
    }
    items.sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.id.cmp(&b.id)));
    Ok((items, without_point))
}

/// `liaison hotspots`.
pub async fn run(
    node: &Node,
    eps_km: f64,
    min_points: usize,
    filters: &FilterArgs,
    json: bool,
) -> Result<()> {
    // Checked before reading the store, so a wrong option costs nothing.
    if !(hotspots::EPS_KM_MIN..=hotspots::EPS_KM_MAX).contains(&eps_km) {
        return Err(anyhow!(
            "--eps-km must be from {} to {:.0} km, got {eps_km}",
            hotspots::EPS_KM_MIN,
            hotspots::EPS_KM_MAX
        ));
    }
    if min_points == 0 {
        return Err(anyhow!("--min-points must be at least 1"));
    }
    let (items, without_point) = selected(node, filters).await?;
    let points: Vec<LatLon> = items.iter().map(|i| i.point).collect();
    let params = DbscanParams {
        eps_km,
        min_points,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    // The store validated every stored point, so a refusal here is a bug worth reporting
    // with the incident it names.
    let result = hotspots::dbscan(&points, &params).map_err(|e| match e {
        hotspots::HotspotError::Latitude { index, .. }
        | hotspots::HotspotError::Longitude { index, .. } => anyhow!(
            "incident {}: {e}",
            items.get(index).map_or("?", |i| i.id.as_str())
        ),
        other => anyhow!(other),
    })?;
    let clusters = hotspots::clusters(&points, &result, liaison_geo::default_boundaries());
    let noise = result.labels.iter().filter(|l| l.is_none()).count();
    if json {
        let out = json!({
            "eps_km": eps_km,
            "min_points": min_points,
            "zone": filters.zone,
            "incidents": items.len(),
            "without_point": without_point,
            "noise": noise,
            "clusters": clusters.iter().map(|c| cluster_json(c, &items)).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        print_table(&clusters, &items, eps_km, min_points, noise, without_point);
    }
    Ok(())
}

/// First start date, last end date and summed best fatality estimate of a cluster's members.
fn span(c: &Cluster, items: &[Item]) -> (Option<time::Date>, Option<time::Date>, u64) {
    let members = c.members.iter().filter_map(|&i| items.get(i));
    let mut first = None;
    let mut last = None;
    let mut killed = 0;
    for m in members {
        first = Some(first.map_or(m.start, |d: time::Date| d.min(m.start)));
        last = Some(last.map_or(m.end, |d: time::Date| d.max(m.end)));
        killed += m.fatalities_best;
    }
    (first, last, killed)
}

fn cluster_json(c: &Cluster, items: &[Item]) -> serde_json::Value {
    let (first, last, killed) = span(c, items);
    json!({
        "id": c.id,
        "size": c.members.len(),
        "core": c.core_count,
        "members": c.members.iter().filter_map(|&i| items.get(i).map(|m| m.id.as_str())).collect::<Vec<_>>(),
        "centroid": c.centroid.map(|p| json!({ "lat": round6(p.lat), "lon": round6(p.lon) })),
        "countries": c.countries,
        "cross_border": c.cross_border,
        "first_date": first.map(|d| d.to_string()),
        "last_date": last.map(|d| d.to_string()),
        "fatalities_best": killed,
    })
}

/// Centroids to 6 decimals (about 0.1 m): more digits would only print rounding.
fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

fn print_table(
    clusters: &[Cluster],
    items: &[Item],
    eps_km: f64,
    min_points: usize,
    noise: usize,
    without_point: usize,
) {
    println!(
        "{} clusters of {} incidents (eps {eps_km} km, min {min_points} points); {noise} in none{}",
        clusters.len(),
        items.len(),
        if without_point > 0 {
            format!("; {without_point} without a point left out")
        } else {
            String::new()
        }
    );
    if clusters.is_empty() {
        return;
    }
    println!(
        "{:>4} {:>6} {:>6} {:>20}  {:<10} {:<10} {:>8}  countries",
        "id", "size", "core", "centroid", "first", "last", "killed"
    );
    for c in clusters {
        let (first, last, killed) = span(c, items);
        let centroid = c
            .centroid
            .map_or_else(|| "-".to_owned(), |p| format!("{:.4},{:.4}", p.lat, p.lon));
        let date = |d: Option<time::Date>| d.map_or_else(|| "-".to_owned(), |d| d.to_string());
        println!(
            "{:>4} {:>6} {:>6} {:>20}  {:<10} {:<10} {:>8}  {}{}",
            c.id,
            c.members.len(),
            c.core_count,
            centroid,
            date(first),
            date(last),
            killed,
            c.countries.join(","),
            if c.cross_border { "  cross-border" } else { "" }
        );
    }
}
