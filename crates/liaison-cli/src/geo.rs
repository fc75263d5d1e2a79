//! `liaison geo locate LAT LON`: which country a point lies in by the shipped boundaries, how far
//! it is from that country's border, and which built-in zones hold it. Admin-1 areas are not
//! shipped yet, so none is given (it says so rather than guessing).

use anyhow::{Result, bail};
use clap::Subcommand;

#[derive(Subcommand, Debug)]
pub enum GeoCommand {
    /// The country (ISO3) of a point, its distance to the border and the zones that hold it.
    Locate {
        /// Latitude in degrees (WGS84), -90 to 90.
        #[arg(allow_hyphen_values = true)]
        lat: f64,
        /// Longitude in degrees (WGS84), -180 to 180.
        #[arg(allow_hyphen_values = true)]
        lon: f64,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: GeoCommand) -> Result<()> {
    match command {
        GeoCommand::Locate { lat, lon, json } => locate(lat, lon, json),
    }
}

fn locate(lat: f64, lon: f64, json: bool) -> Result<()> {
    if !lat.is_finite() || !(-90.0..=90.0).contains(&lat) {
        bail!("LAT {lat}: a latitude is between -90 and 90");
    }
    if !lon.is_finite() || !(-180.0..=180.0).contains(&lon) {
        bail!("LON {lon}: a longitude is between -180 and 180");
    }
    let b = liaison_geo::default_boundaries();
    let country = b.country_at(lat, lon);
    let border_km = b.distance_to_border_km(lat, lon);
    let zones: Vec<String> = liaison_geo::zones::builtin_zones()
        .iter()
        .filter(|z| z.contains(lat, lon))
        .map(|z| z.id.clone())
        .collect();
    if json {
        println!(
            "{}",
            serde_json::json!({
                "lat": lat, "lon": lon, "country": country,
                "country_name": country.and_then(liaison_core::country::by_alpha3).map(|c| c.name_en),
                "admin1": null,
                "distance_to_border_km": border_km.map(|d| (d * 10.0).round() / 10.0),
                "zones": zones,
                "covered": b.covers(lat, lon),
            })
        );
        return Ok(());
    }
    match country {
        Some(c) => {
            let name = liaison_core::country::by_alpha3(c).map_or(c, |x| x.name_en);
            print!("{c} ({name})");
            if let Some(d) = border_km {
                print!(", {d:.1} km from its border");
            }
            println!();
        }
        None if b.covers(lat, lon) => println!("no country (at sea or outside every polygon)"),
        None => println!("outside the region the shipped boundaries cover"),
    }
    if !zones.is_empty() {
        println!("zones: {}", zones.join(", "));
    }
    println!("admin-1: not known (admin-1 boundaries are not shipped yet)");
    Ok(())
}
