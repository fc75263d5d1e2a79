//! `liaison zone add|list|show`: integrated regional zones, the built-in ones
//! (`liaison_geo::zones`, documented in `docs/zones.md`) and those a node holds (`zone add`),
//! with the incidents in a zone counted by type and month.
//!
//! JSON shapes (stable): `zone list --json` prints an array of `{"id", "name", "kind"
//! ("polygon" | "h3"), "area_km2", "countries": [ISO3…], "bbox": [west, south, east, north],
//! "origin": "built-in" | "node", "version"?}`; `zone show ID --json` prints the same fields for
//! one zone plus `"description"` and `"feature"`, the zone as a GeoJSON Feature (the shape a zone
//! file takes), and, with `--data`, `"stats": {"incidents", "fatalities_best", "by_type": [row…],
//! "by_month": [row…]}` (rows as `liaison stats --json` prints them, `by_month` by month and
//! type over the last `--months` months that have incidents); `zone add --json` prints
//! `[{"id", "version"}…]`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow};
use clap::Subcommand;
use liaison_core::{IncidentFilter, StatsDimension, StatsRow};
use liaison_geo::zones::{Zone, builtin_zone, parse_zones};
use serde_json::{Value, json};

use crate::cli::DataDir;
use crate::node;

/// Who is recorded as writing from the command line, as for other CLI writes.
const CLI_USER: &str = "cli";

#[derive(Subcommand, Debug)]
pub enum ZoneCommand {
    /// Keep the zones of a GeoJSON file (a FeatureCollection or one Feature) on the node. A zone
    /// given again under its id becomes its next version; the old one is kept.
    Add {
        /// The zone file (see docs/zones.md for its shape).
        file: PathBuf,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// List the zones: built-in ones, and with --data the node's own.
    List {
        /// The node's data directory, to list its own zones too.
        #[arg(long = "data", env = "LIAISON_DATA", value_name = "DIR")]
        data: Option<PathBuf>,
        #[arg(long)]
        json: bool,
    },
    /// Show one zone: description, countries, area, bounding box (and GeoJSON with --json); with
    /// --data, its incidents by type and its monthly trend.
    Show {
        /// The zone's id (see `zone list`).
        id: String,
        /// The node's data directory: its own zones and its incidents.
        #[arg(long = "data", env = "LIAISON_DATA", value_name = "DIR")]
        data: Option<PathBuf>,
        /// How many of the latest months with incidents the trend shows.
        #[arg(long, default_value_t = 12, value_name = "N")]
        months: usize,
        #[arg(long)]
        json: bool,
    },
}

/// `liaison zone …`.
pub async fn run(command: ZoneCommand) -> Result<()> {
    match command {
        ZoneCommand::Add { file, data, json } => add(&file, &data.dir, json).await,
        ZoneCommand::List { data, json } => list(data.as_deref(), json).await,
        ZoneCommand::Show {
            id,
            data,
            months,
            json,
        } => show(&id, data.as_deref(), months, json).await,
    }
}

async fn add(file: &Path, dir: &Path, json: bool) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    // Every zone is checked before any is kept: a refused file leaves nothing written.
    let zones = parse_zones(&text).map_err(|e| anyhow!("{}: {e}", file.display()))?;
    let node = node::open(dir).await?;
    let at = liaison_store::ts_of(crate::now())?;
    let versions = node
        .store
        .add_zones(&zones, &at, CLI_USER)
        .await
        .map_err(|e| anyhow!("{}: {e}", file.display()))?;
    if json {
        let out: Vec<Value> = zones
            .iter()
            .zip(&versions)
            .map(|(z, v)| json!({"id": z.id, "version": v}))
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    for (z, v) in zones.iter().zip(&versions) {
        let what = if *v == 1 {
            "added".to_owned()
        } else {
            format!("replaced (now version {v}; the earlier ones are kept)")
        };
        println!("zone {} {what}: {}", z.id, z.name);
    }
    Ok(())
}

/// A zone with where it comes from: built-in, or the node's own at a version.
struct Listed {
    zone: Zone,
    node_version: Option<i64>,
}

async fn zones_of(dir: Option<&Path>) -> Result<(Vec<Listed>, Option<node::Node>)> {
    let mut out: Vec<Listed> = liaison_geo::zones::builtin_zones()
        .iter()
        .map(|z| Listed {
            zone: z.clone(),
            node_version: None,
        })
        .collect();
    let Some(dir) = dir else {
        return Ok((out, None));
    };
    let node = node::open(dir).await?;
    for row in node.store.node_zones().await? {
        out.push(Listed {
            zone: row.zone,
            node_version: Some(row.version),
        });
    }
    Ok((out, Some(node)))
}

fn summary(l: &Listed) -> Value {
    let mut v = l.zone.summary();
    v["origin"] = json!(if l.node_version.is_some() {
        "node"
    } else {
        "built-in"
    });
    if let Some(version) = l.node_version {
        v["version"] = json!(version);
    }
    v
}

async fn list(dir: Option<&Path>, as_json: bool) -> Result<()> {
    let (zones, _) = zones_of(dir).await?;
    if as_json {
        let out: Vec<Value> = zones.iter().map(summary).collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    for l in &zones {
        let z = &l.zone;
        let origin = l
            .node_version
            .map_or_else(|| "built-in".to_owned(), |v| format!("node v{v}"));
        println!(
            "{:<34} {:<7} {:<9} {:>9.0} km²  {:<12} {}",
            z.id,
            z.kind(),
            origin,
            z.area_km2(),
            z.countries(liaison_geo::default_boundaries()).join(","),
            z.name
        );
    }
    Ok(())
}

/// The zone's incidents by type, and by month and type over the latest `months` months that
/// have any.
struct ZoneStats {
    by_type: Vec<StatsRow>,
    by_month: Vec<StatsRow>,
}

async fn zone_stats(node: &node::Node, id: &str, months: usize) -> Result<ZoneStats> {
    let filter = IncidentFilter {
        zone: Some(id.to_owned()),
        ..Default::default()
    };
    let by_type = node.store.stats(&filter, &[StatsDimension::Type]).await?;
    let mut by_month = node
        .store
        .stats(&filter, &[StatsDimension::Month, StatsDimension::Type])
        .await?;
    let mut seen: Vec<&str> = by_month.iter().filter_map(|r| r.month.as_deref()).collect();
    seen.dedup();
    let first_kept = seen
        .len()
        .checked_sub(months)
        .and_then(|i| seen.get(i))
        .map(|m| (*m).to_owned());
    if let Some(first) = first_kept {
        by_month.retain(|r| r.month.as_deref() >= Some(first.as_str()));
    }
    Ok(ZoneStats { by_type, by_month })
}

async fn show(id: &str, dir: Option<&Path>, months: usize, as_json: bool) -> Result<()> {
    let (zones, node) = zones_of(dir).await?;
    let Some(listed) = zones.iter().find(|l| l.zone.id == id) else {
        let known: Vec<&str> = zones.iter().map(|l| l.zone.id.as_str()).collect();
        let hint = if dir.is_none() && builtin_zone(id).is_none() {
            " (give --data DIR for the node's own zones)"
        } else {
            ""
        };
        return Err(anyhow!(
            "zone {id:?} not found; the zones are {}{hint}",
            known.join(", ")
        ));
    };
    let stats = match &node {
        Some(node) => Some(zone_stats(node, id, months).await?),
        None => None,
    };
    let z = &listed.zone;
    if as_json {
        let mut out = summary(listed);
        out["description"] = json!(z.description);
        out["feature"] = z.to_geojson();
        if let Some(s) = &stats {
            out["stats"] = json!({
                "incidents": s.by_type.iter().map(|r| r.incidents).sum::<u64>(),
                "fatalities_best": s.by_type.iter().map(|r| r.fatalities_best).sum::<u64>(),
                "by_type": s.by_type,
                "by_month": s.by_month,
            });
        }
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("{} ({})", z.name, z.id);
    if !z.description.is_empty() {
        println!("{}", z.description);
    }
    let origin = listed.node_version.map_or_else(
        || "built-in".to_owned(),
        |v| format!("the node's own, version {v}"),
    );
    println!(
        "{origin}; kind {}, area {:.0} km², countries {}",
        z.kind(),
        z.area_km2(),
        z.countries(liaison_geo::default_boundaries()).join(", ")
    );
    if let Some([w, s, e, n]) = z.bbox() {
        println!("bounding box: west {w}, south {s}, east {e}, north {n}");
    }
    if let Some(s) = &stats {
        let total: u64 = s.by_type.iter().map(|r| r.incidents).sum();
        let killed: u64 = s.by_type.iter().map(|r| r.fatalities_best).sum();
        println!("\n{total} incidents in the zone, {killed} killed (best estimates)");
        for r in &s.by_type {
            println!(
                "  {:<24} {:>7} incidents {:>7} killed",
                r.event_type.as_deref().unwrap_or_default(),
                r.incidents,
                r.fatalities_best
            );
        }
        if !s.by_month.is_empty() {
            println!(
                "\nlatest months (all of them: liaison stats --zone {id} --by month,type --csv):"
            );
            for r in &s.by_month {
                println!(
                    "  {} {:<24} {:>7} incidents {:>7} killed",
                    r.month.as_deref().unwrap_or_default(),
                    r.event_type.as_deref().unwrap_or_default(),
                    r.incidents,
                    r.fatalities_best
                );
            }
        }
    }
    Ok(())
}
