//! `liaison sectors add|list|constrain|allocate`: patrol sectors with their community contacts,
//! where each member's forces may go, and a proposed allocation of committed troops to sectors
//! (`liaison_ops::sectors`, method and bound in `docs/operations.md`).
//!
//! The allocation is `liaison_server::sectors::proposal`, the API's and the web screen's own: the
//! incidents of the window (every located incident, dated from `--until`, default the newest
//! incident's date, back `--days` days) placed in each sector by exact containment; the window's
//! hotspot points (DBSCAN, eps 25 km, 5 points) in each sector; each member's committed troops
//! from its current force records. JSON shapes: `sectors list --json` prints `[{sector…, "version",
//! "recorded_at", "recorded_by"}]`; `sectors allocate --json` prints `{"window": {"from",
//! "until", "days"}, "allocation": {…}}` as `liaison_ops::sectors::Allocation` serialises.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use liaison_core::{CountryCode, ValidationErrors};
use liaison_ops::Area;
use liaison_ops::sectors::{Constraint, Contact, Sector};
use serde::Deserialize;
use time::Date;

use crate::cli::DataDir;
use crate::node;

/// Who is recorded as writing from the command line, as for other CLI writes.
const CLI_USER: &str = "cli";
/// Longest window accepted, days.
const MAX_DAYS: u32 = 3_660;

#[derive(Subcommand, Debug)]
pub enum SectorsCommand {
    /// Keep the sectors of a JSON file (an array of {id, name, zone | polygons, contacts}); a bad
    /// file keeps nothing. A sector given again under its id becomes its next version.
    Add {
        file: PathBuf,
        #[command(flatten)]
        data: DataDir,
    },
    /// List the sectors with their countries and contacts.
    List {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Say where a member's forces may go: named sectors, or sectors touching named countries.
    /// Without a constraint a member serves the sectors that touch its own territory.
    Constrain {
        member: String,
        /// Sector ids, comma-separated.
        #[arg(
            long,
            value_delimiter = ',',
            conflicts_with = "countries",
            required_unless_present = "countries"
        )]
        sectors: Vec<String>,
        /// ISO3 codes, comma-separated.
        #[arg(long, value_delimiter = ',')]
        countries: Vec<String>,
        #[command(flatten)]
        data: DataDir,
    },
    /// Propose an allocation of the members' committed troops to the sectors.
    Allocate {
        /// The window's length in days, ending at --until.
        #[arg(long, default_value_t = 90)]
        days: u32,
        /// The window's last day (YYYY-MM-DD); default the newest incident's date.
        #[arg(long)]
        until: Option<String>,
        /// Troops per unit handed out.
        #[arg(long, default_value_t = 100)]
        unit: u32,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
}

/// One sector as a file gives it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SectorFile {
    id: String,
    name: String,
    #[serde(default)]
    zone: Option<String>,
    #[serde(default)]
    polygons: Option<Vec<liaison_ops::area::Rings>>,
    #[serde(default)]
    contacts: Vec<Contact>,
}

/// `liaison sectors …`.
pub async fn run(command: SectorsCommand) -> Result<()> {
    match command {
        SectorsCommand::Add { file, data } => add(&file, &data.dir).await,
        SectorsCommand::List { data, json } => list(&data.dir, json).await,
        SectorsCommand::Constrain {
            member,
            sectors,
            countries,
            data,
        } => constrain(&member, sectors, countries, &data.dir).await,
        SectorsCommand::Allocate {
            days,
            until,
            unit,
            data,
            json,
        } => allocate_cmd(days, until.as_deref(), unit, &data.dir, json).await,
    }
}

async fn add(file: &Path, dir: &Path) -> Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let raw: Vec<serde_json::Value> = serde_json::from_str(&text)
        .map_err(|e| anyhow!("{}: not a JSON array of sectors: {e}", file.display()))?;
    let node = node::open(dir).await?;
    let node_zones = node.store.node_zones().await?;
    let boundaries = liaison_geo::default_boundaries();
    let mut sectors = Vec::with_capacity(raw.len());
    // Every sector is read and checked before any is kept.
    for (i, v) in raw.into_iter().enumerate() {
        let f: SectorFile = serde_json::from_value(v)
            .map_err(|e| anyhow!("{}: sectors[{i}]: {e}", file.display()))?;
        let area = match (f.zone, f.polygons) {
            (Some(z), None) => {
                let zone = liaison_geo::zones::builtin_zone(&z)
                    .cloned()
                    .or_else(|| {
                        node_zones
                            .iter()
                            .find(|r| r.zone.id == z)
                            .map(|r| r.zone.clone())
                    })
                    .ok_or_else(|| {
                        anyhow!("{}: sectors[{i}].zone: no zone '{z}'", file.display())
                    })?;
                Area::of_zone(&zone)
            }
            (None, Some(polygons)) => Area::Polygon { polygons },
            _ => bail!(
                "{}: sectors[{i}].zone: give either a zone id or polygons",
                file.display()
            ),
        };
        let s = Sector {
            id: f.id,
            name: f.name,
            area,
            countries: Vec::new(),
            contacts: f.contacts,
        };
        if let Err(e) = s.validate() {
            let mut named = ValidationErrors::default();
            named.nest(&format!("sectors[{i}]"), e);
            bail!("{}: {named}", file.display());
        }
        sectors.push(s.with_countries(boundaries));
    }
    let versions = node
        .store
        .add_sectors(&sectors, crate::now(), CLI_USER)
        .await
        .map_err(|e| anyhow!("{}: {e}", file.display()))?;
    for (s, v) in sectors.iter().zip(&versions) {
        println!(
            "sector {} v{v}: {} ({}; {} contacts)",
            s.id,
            s.name,
            s.countries.join(","),
            s.contacts.len()
        );
    }
    Ok(())
}

async fn list(dir: &Path, as_json: bool) -> Result<()> {
    let node = node::open(dir).await?;
    let rows = node.store.sectors().await?;
    if as_json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    for r in &rows {
        let s = &r.sector;
        println!(
            "{:<20} v{:<3} {:<16} {}",
            s.id,
            r.version,
            s.countries.join(","),
            s.name
        );
        for c in &s.contacts {
            let reach = c.phone_or_channel.as_deref().unwrap_or("-");
            println!("    {} ({}, {}): {reach}", c.name, c.role, c.community);
        }
    }
    Ok(())
}

async fn constrain(
    member: &str,
    sectors: Vec<String>,
    countries: Vec<String>,
    dir: &Path,
) -> Result<()> {
    let member = CountryCode::parse(member).map_err(|e| anyhow!("MEMBER: {e}"))?;
    let (constraint, flag) = if sectors.is_empty() {
        let countries: Vec<String> = countries
            .iter()
            .map(|c| c.trim().to_ascii_uppercase())
            .collect();
        (Constraint::Countries(countries), "--countries")
    } else {
        let sectors: Vec<String> = sectors.iter().map(|s| s.trim().to_owned()).collect();
        (Constraint::Sectors(sectors), "--sectors")
    };
    let node = node::open(dir).await?;
    let v = node
        .store
        .set_member_constraint(&member, &constraint, crate::now(), CLI_USER)
        .await
        .map_err(|e| anyhow!("{flag}: {e}"))?;
    println!(
        "constraint of {member} v{v}: {}",
        serde_json::to_string(&constraint)?
    );
    Ok(())
}

fn parse_date(s: &str) -> Result<Date> {
    liaison_core::date::parse_iso_date(s).map_err(|e| anyhow!("--until: {e}"))
}

async fn allocate_cmd(
    days: u32,
    until: Option<&str>,
    unit: u32,
    dir: &Path,
    as_json: bool,
) -> Result<()> {
    if days == 0 || days > MAX_DAYS {
        bail!("--days: must be 1 to {MAX_DAYS}, found {days}");
    }
    if unit == 0 {
        bail!("--unit: must be at least 1 troop");
    }
    let until = until.map(parse_date).transpose()?;
    let node = node::open(dir).await?;
    // The API's own computation, so the command line, the API and the web screen agree.
    let q = liaison_server::sectors::AllocationQuery { days, until, unit };
    let p = liaison_server::sectors::proposal(&node.store, q).await;
    node.store.close().await;
    let p = p.map_err(|e| match e {
        liaison_server::error::ApiError::BadRequest { fields, message } => match fields.first() {
            Some(f) if f.field == "until" => {
                anyhow!("the node holds no located incident: give --until")
            }
            Some(f) => anyhow!("--{}: {}", f.field, f.message),
            None => anyhow!("{message}"),
        },
        liaison_server::error::ApiError::Validation(errors) => anyhow!(
            "{}",
            errors
                .iter()
                .map(|e| format!("{}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        other => anyhow!("{other}"),
    })?;
    let (from_s, until_s) = (&p.window.from, &p.window.until);
    let a = &p.allocation;
    if as_json {
        println!("{}", serde_json::to_string_pretty(&p)?);
        return Ok(());
    }
    println!(
        "Window {from_s} to {until_s} ({days} days, {} located incidents); {} troops in units of {unit}",
        p.window_incidents, a.total_troops
    );
    for s in &a.sectors {
        println!("- {}", s.explanation);
    }
    for u in &a.unallocated {
        println!(
            "unallocated: {} {} troops ({})",
            u.member, u.troops, u.reason
        );
    }
    Ok(())
}
