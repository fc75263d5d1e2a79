//! `liaison geo locate LAT LON`: which country a point lies in by the shipped boundaries, how far
//! it is from that country's border, which built-in zones hold it, and its admin-1 *approximated
//! by the nearest gazetteer place of that country* (no admin-1 polygons are shipped; the output
//! says so and gives the place and its distance). `liaison geo place NAME`: the gazetteer's
//! places matching a name in any spelling or script. Both print what `liaison-geo` computes.

use anyhow::{Result, bail};
use clap::Subcommand;
use liaison_geo::{Admin1Answer, Match};
use serde_json::{Value, json};

/// What `--json` says of every admin-1 answer, so that no reader takes it for a polygon lookup.
const ADMIN1_NOTE: &str = "approximate: the admin-1 of the nearest gazetteer place in the \
    point's country (no admin-1 boundaries are shipped); may be the neighbouring division near \
    an admin-1 border, and is weak when the place is far";

#[derive(Subcommand, Debug)]
pub enum GeoCommand {
    /// The country (ISO3) of a point, its distance to the border, the zones that hold it and its
    /// admin-1 (approximated by the nearest place of the country).
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
    /// Look a place up in the gazetteer (GeoNames, CC BY 4.0, and curated places) by name:
    /// case, accents, punctuation, Arabic diacritics and the region's spelling conventions are
    /// folded ("Tombouctou", "Timbuktu" and "تمبكتو" find the same town).
    Place {
        /// The name, in any spelling or script.
        name: String,
        /// Only places of this country (ISO 3166-1 alpha-3, such as MLI).
        #[arg(long)]
        country: Option<String>,
        /// At most this many places, best first.
        #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=1000))]
        limit: u16,
        #[arg(long)]
        json: bool,
    },
}

pub fn run(command: GeoCommand) -> Result<()> {
    match command {
        GeoCommand::Locate { lat, lon, json } => locate(lat, lon, json),
        GeoCommand::Place {
            name,
            country,
            limit,
            json,
        } => place(&name, country.as_deref(), usize::from(limit), json),
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
    let admin1 = country.and_then(|c| liaison_geo::default_gazetteer().admin1_in(c, lat, lon));
    if json {
        println!(
            "{}",
            json!({
                "lat": lat, "lon": lon, "country": country,
                "country_name": country.and_then(liaison_core::country::by_alpha3).map(|c| c.name_en),
                "admin1": admin1.map(|a| a.name),
                "admin1_method": admin1.map(|_| "nearest-place"),
                "admin1_nearest_place": admin1.map(|a| json!({
                    "id": a.nearest_place.id,
                    "name": a.nearest_place.name,
                    "distance_km": round1(a.distance_km),
                })),
                "admin1_note": admin1.map(|_| ADMIN1_NOTE),
                "distance_to_border_km": border_km.map(round1),
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
    match (country, admin1) {
        (_, Some(a)) => println!("{}", admin1_line(&a)),
        (Some(c), None) => println!("admin-1: not known (no gazetteer place of {c} has one)"),
        (None, None) => println!("admin-1: not known (no country)"),
    }
    Ok(())
}

fn admin1_line(a: &Admin1Answer<'_>) -> String {
    format!(
        "admin-1: {} (approximate: that of {}, the nearest place of {}, {:.1} km away)",
        a.name, a.nearest_place.name, a.country, a.distance_km
    )
}

fn place(name: &str, country: Option<&str>, limit: usize, json: bool) -> Result<()> {
    if name.trim().is_empty() {
        bail!("NAME is empty: give the name of a place, such as Tombouctou");
    }
    if let Some(c) = country
        && liaison_core::country::by_alpha3(c).is_none()
    {
        bail!("--country {c:?}: not an ISO 3166-1 alpha-3 code (such as MLI)");
    }
    let matches = liaison_geo::default_gazetteer().lookup(name, country, limit);
    if matches.is_empty() {
        match country {
            Some(c) => bail!(
                "no place in the gazetteer matches {name:?} in {}",
                c.to_uppercase()
            ),
            None => bail!("no place in the gazetteer matches {name:?}"),
        }
    }
    if json {
        let out: Vec<Value> = matches.iter().map(match_json).collect();
        println!("{}", Value::Array(out));
        return Ok(());
    }
    for m in &matches {
        println!("{}", match_line(m));
    }
    Ok(())
}

fn match_json(m: &Match<'_>) -> Value {
    let p = m.place;
    json!({
        "id": p.id,
        "name": p.name,
        "country": p.country,
        "admin1": p.admin1,
        "lat": p.lat,
        "lon": p.lon,
        // GeoNames writes 0 for towns whose population it does not know; so do curated places.
        "population": Some(p.population).filter(|&n| n > 0),
        "matched": m.matched,
        "how": m.how.as_str(),
        "source": p.source,
        "alt_names": p.alt_names,
    })
}

fn match_line(m: &Match<'_>) -> String {
    let p = m.place;
    let admin1 = p.admin1.as_deref().unwrap_or("admin-1 unknown");
    let population = match p.population {
        0 => "population unknown".to_owned(),
        n => format!("population {n}"),
    };
    let how = match m.how {
        liaison_geo::MatchKind::Name => "name".to_owned(),
        other => format!("{} \"{}\"", other.as_str(), m.matched),
    };
    format!(
        "{} ({}, {admin1}) {:.5} {:.5}, {population}; matched by {how}; source: {}",
        p.name, p.country, p.lat, p.lon, p.source
    )
}

fn round1(km: f64) -> f64 {
    (km * 10.0).round() / 10.0
}
