//! `liaison zone list|show`: the built-in integrated regional zones (`liaison_geo::zones`,
//! documented in `docs/zones.md`). Zones read from files and kept by a node (`zone add`) are
//! not built yet.
//!
//! JSON shapes (stable): `zone list --json` prints an array of `{"id", "name", "kind"
//! ("polygon" | "h3"), "area_km2", "countries": [ISO3…], "bbox": [west, south, east, north]}`;
//! `zone show ID --json` prints the same fields for one zone plus `"description"` and
//! `"feature"`, the zone as a GeoJSON Feature (the shape a zone file takes).

use anyhow::{Result, anyhow};
use clap::Subcommand;
use liaison_geo::zones::{Zone, builtin_zone, builtin_zones};
use serde_json::{Value, json};

#[derive(Subcommand, Debug)]
pub enum ZoneCommand {
    /// List the built-in zones: id, kind, area, countries, name.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Show one zone: description, countries, area, bounding box (and GeoJSON with --json).
    Show {
        /// The zone's id (see `zone list`).
        id: String,
        #[arg(long)]
        json: bool,
    },
}

/// `liaison zone …`.
pub fn run(command: ZoneCommand) -> Result<()> {
    match command {
        ZoneCommand::List { json } => list(json),
        ZoneCommand::Show { id, json } => show(&id, json),
    }
}

fn summary(z: &Zone) -> Value {
    json!({
        "id": z.id,
        "name": z.name,
        "kind": z.kind(),
        "area_km2": z.area_km2().round(),
        "countries": z.countries(liaison_geo::default_boundaries()),
        "bbox": z.bbox(),
    })
}

fn list(as_json: bool) -> Result<()> {
    let zones = builtin_zones();
    if as_json {
        let out: Vec<Value> = zones.iter().map(summary).collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    for z in zones {
        println!(
            "{:<34} {:<7} {:>9.0} km²  {:<12} {}",
            z.id,
            z.kind(),
            z.area_km2(),
            z.countries(liaison_geo::default_boundaries()).join(","),
            z.name
        );
    }
    Ok(())
}

fn show(id: &str, as_json: bool) -> Result<()> {
    let z = builtin_zone(id).ok_or_else(|| {
        let known: Vec<&str> = builtin_zones().iter().map(|z| z.id.as_str()).collect();
        anyhow!("zone {id:?} not found; the zones are {}", known.join(", "))
    })?;
    if as_json {
        let mut out = summary(z);
        out["description"] = json!(z.description);
        out["feature"] = z.to_geojson();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("{} ({})", z.name, z.id);
    println!("{}", z.description);
    println!(
        "kind {}, area {:.0} km², countries {}",
        z.kind(),
        z.area_km2(),
        z.countries(liaison_geo::default_boundaries()).join(", ")
    );
    if let Some([w, s, e, n]) = z.bbox() {
        println!("bounding box: west {w}, south {s}, east {e}, north {n}");
    }
    Ok(())
}
