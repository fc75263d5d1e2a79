//! `liaison incidents list|show` and `liaison stats`: filters parsed from the command line, and
//! results printed for people or as JSON.
//!
//! JSON shapes (stable): `incidents list --json` prints `{"incidents": [Incident…],
//! "next_cursor": string|null}`; `incidents show --json` prints `{"incident": Incident,
//! "versions": [{"version", "recorded_at", "recorded_by"}…], "country_disagrees": bool}`;
//! `stats --json` prints an array of rows with the asked dimensions (`country`, `year`, `month`,
//! `event_type`, `sub_type`, `originator`, `category`, `zone`) and `incidents`,
//! `fatalities_best`, `fatalities_low`, `fatalities_high`; `stats --csv` prints the same columns
//! with a header line. The Incident shape is documented in `docs/json.md`.

use anyhow::{Result, anyhow};
use liaison_core::date::parse_iso_date;
use liaison_core::{
    BBox, Category, CountryCode, Incident, IncidentFilter, IncidentId, STATS_COUNT_COLUMNS,
    StatsDimension, TypeFilter,
};
use liaison_store::{Cursor, StoreError};
use serde_json::json;

use crate::cli::FilterArgs;
use crate::node::Node;

/// Turns the command line's filters into a query, naming the option at fault.
pub fn filter(args: &FilterArgs) -> Result<IncidentFilter> {
    let country = |opt: &str, v: &Option<String>| -> Result<Option<CountryCode>> {
        v.as_deref()
            .map(|c| CountryCode::parse(c).map_err(|e| anyhow!("--{opt}: {e}")))
            .transpose()
    };
    let date = |opt: &str, v: &Option<String>| -> Result<Option<time::Date>> {
        v.as_deref()
            .map(|d| parse_iso_date(d).map_err(|e| anyhow!("--{opt}: {e}")))
            .transpose()
    };
    let f = IncidentFilter {
        country: country("country", &args.country)?,
        from: date("from", &args.from)?,
        to: date("to", &args.to)?,
        types: args
            .types
            .iter()
            .filter(|t| !t.trim().is_empty())
            .map(|t| TypeFilter::parse(t).map_err(|e| anyhow!("--type: {e}")))
            .collect::<Result<_>>()?,
        bbox: args
            .bbox
            .as_deref()
            .map(|b| BBox::parse(b).map_err(|e| anyhow!("--bbox: {e}")))
            .transpose()?,
        text: args.text.clone(),
        originator: country("originator", &args.originator)?,
        characterised_by: country("characterised-by", &args.characterised_by)?,
        category: args
            .category
            .as_deref()
            .map(|c| Category::parse(c).map_err(|e| anyhow!("--category: {e}")))
            .transpose()?,
        zone: args
            .zone
            .as_deref()
            .map(str::trim)
            .filter(|z| !z.is_empty())
            .map(str::to_owned),
    };
    if f.category.is_some() && f.characterised_by.is_none() {
        return Err(anyhow!(
            "--category needs --characterised-by: a category is always some member's reading"
        ));
    }
    if let (Some(from), Some(to)) = (f.from, f.to)
        && from > to
    {
        return Err(anyhow!("--from {from} is after --to {to}"));
    }
    Ok(f)
}

fn one_line(inc: &Incident) -> String {
    let c = &inc.content;
    let f = &c.casualties.fatalities;
    let deaths = if f.low == f.high {
        f.best.to_string()
    } else {
        format!("{} ({}-{})", f.best, f.low, f.high)
    };
    format!(
        "{:<28} {} {} {:<24} {:>12}  {}",
        inc.id,
        c.date.start,
        c.location.country.as_ref().map_or("???", |c| c.as_str()),
        c.sub_type.as_str(),
        deaths,
        c.title
    )
}

pub async fn list(
    node: &Node,
    args: &FilterArgs,
    limit: u32,
    cursor: Option<&str>,
    json: bool,
) -> Result<()> {
    let f = filter(args)?;
    if limit == 0 || limit > liaison_store::MAX_PAGE_SIZE {
        return Err(anyhow!(
            "--limit must be 1 to {}",
            liaison_store::MAX_PAGE_SIZE
        ));
    }
    let cursor = cursor
        .map(|c| Cursor::parse(c).map_err(|e| anyhow!("--cursor: {e}")))
        .transpose()?;
    let page = node
        .store
        .list_incidents(&f, limit, cursor.as_ref())
        .await?;
    let ids: Vec<&str> = page.incidents.iter().map(|i| i.id.as_str()).collect();
    log_reads(node, &ids).await?;
    if json {
        let out = json!({ "incidents": page.incidents, "next_cursor": page.next_cursor });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        for inc in &page.incidents {
            println!("{}", one_line(inc));
        }
        if let Some(c) = page.next_cursor {
            eprintln!("more: --cursor {c}");
        }
    }
    Ok(())
}

/// Reads at the command line are logged in the ledger like the API's, under `cli:<OS user>`,
/// and flushed at once (the process ends here).
async fn log_reads(node: &Node, ids: &[&str]) -> Result<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let user = format!(
        "cli:{}",
        std::env::var("USER").unwrap_or_else(|_| "operator".into())
    );
    let at = liaison_store::ts_of(crate::now())?;
    node.store.note_reads(&user, ids, &at).await?;
    node.store.flush_reads(&at).await?;
    Ok(())
}

pub async fn show(node: &Node, id: &str, json: bool) -> Result<()> {
    let not_found = || anyhow!("incident {id} not found");
    let id = IncidentId::parse(id).map_err(|_| not_found())?;
    let versions = match node.store.incident_versions(&id).await {
        Err(StoreError::NotFound) => return Err(not_found()),
        other => other?,
    };
    let Some(current) = versions.last() else {
        return Err(not_found());
    };
    let inc = &current.incident;
    log_reads(node, &[id.as_str()]).await?;
    let recall = node.store.recall_of(&id).await?;
    let disclosures = node.store.disclosures_of(id.as_str()).await?;
    let attestations = node
        .store
        .attestations_of(inc.originator.as_str(), id.as_str())
        .await?;
    if json {
        let out = json!({
            "incident": inc,
            "versions": versions.iter().map(|v| json!({
                "version": v.incident.version,
                "recorded_at": v.recorded_at,
                "recorded_by": v.recorded_by,
            })).collect::<Vec<_>>(),
            "country_disagrees": inc.content.location.country_disagrees(),
            "recalled": recall.as_ref().map(|(v, at)| json!({"version": v, "at": at})),
            "disclosures": disclosures.iter().map(|d| json!({
                "peer": d.peer, "version": d.version, "kind": d.kind,
                "agreement": d.agreement, "agreement_version": d.agreement_version,
                "applied": serde_json::from_str::<serde_json::Value>(&d.applied).unwrap_or_default(),
                "object_sha256": d.object_sha256, "at": d.at,
            })).collect::<Vec<_>>(),
            "attestations": attestations.iter().map(|a| json!({
                "by": a.by_member, "version": a.version, "hidden_at": a.hidden_at,
                "recorded_at": a.recorded_at,
            })).collect::<Vec<_>>(),
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    print!("{}", crate::render::incident_text(inc));
    println!("versions:");
    for v in &versions {
        println!(
            "  v{} recorded {} by {}",
            v.incident.version, v.recorded_at, v.recorded_by
        );
    }
    if let Some((v, at)) = &recall {
        println!("RECALLED at {at} (version {v})");
    }
    if !disclosures.is_empty() {
        println!("disclosed:");
        for d in &disclosures {
            let under = match (&d.agreement, d.agreement_version) {
                (Some(a), Some(v)) => format!(" under {a} v{v}"),
                _ => String::new(),
            };
            println!(
                "  {} v{} to {} ({}){under} at {}",
                d.kind, d.version, d.peer, d.kind, d.at
            );
        }
    }
    if !attestations.is_empty() {
        println!("attested hidden:");
        for a in &attestations {
            println!(
                "  by {} (recall v{}) hidden at {}, attestation received {}",
                a.by_member, a.version, a.hidden_at, a.recorded_at
            );
        }
    }
    Ok(())
}

/// How `liaison stats` prints its rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatsFormat {
    Text,
    Json,
    Csv,
}

pub async fn stats(node: &Node, by: &str, args: &FilterArgs, format: StatsFormat) -> Result<()> {
    let dims = StatsDimension::parse_list(by).map_err(|e| anyhow!("--by: {e}"))?;
    let f = filter(args)?;
    if dims.contains(&StatsDimension::Category) && f.characterised_by.is_none() {
        return Err(anyhow!(
            "--by category needs --characterised-by: whose reading should be counted?"
        ));
    }
    let rows = node.store.stats(&f, &dims).await.map_err(|e| match e {
        StoreError::Invalid { field, message } if field == "zone" => anyhow!("--zone: {message}"),
        other => other.into(),
    })?;
    match format {
        StatsFormat::Json => println!("{}", serde_json::to_string_pretty(&rows)?),
        StatsFormat::Csv => {
            let mut out = csv::Writer::from_writer(std::io::stdout().lock());
            let mut header: Vec<&str> = dims.iter().map(|d| d.column()).collect();
            header.extend(STATS_COUNT_COLUMNS);
            out.write_record(&header)?;
            for r in &rows {
                out.write_record(r.cells(&dims))?;
            }
            out.flush()?;
        }
        StatsFormat::Text => {
            for r in &rows {
                let cells = r.cells(&dims);
                let (key, counts) = cells.split_at(dims.len());
                println!(
                    "{:<40} {:>7} incidents  {:>7} killed (low {}, high {})",
                    key.join(" "),
                    counts[0],
                    counts[1],
                    counts[2],
                    counts[3]
                );
            }
        }
    }
    Ok(())
}
