//! `liaison forces add|base|list`: members' force contributions (pledged, committed, deployed by
//! unit type and zone, dated records) and the pledged-versus-committed sums per member and zone.
//!
//! The brief's base data (the joint command's pledge of 75,000, none committed, and each
//! member's troop strength from the 2009–2010 assets table) comes with `scenario load
//! sahel-2012`, or `forces base` for the pledge alone; see `liaison_ops::forces` and
//! `docs/operations.md`.
//!
//! JSON shapes (stable): `forces add --json` and `forces base --json` print `{"records",
//! "added"}`; `forces list --json` prints `{"records": [force…], "members": [{"member",
//! "pledged", "committed", "deployed", "gap", "available"?: {"troops", "period", "source"}}…],
//! "zones": [{"zone" (null: no zone), "pledged", "committed", "deployed", "gap"}…], "total":
//! {"pledged", "committed", "deployed", "gap"}}`, sums over each member's current records.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use liaison_core::CountryCode;
use liaison_ops::Force;
use liaison_ops::forces::{Totals, base_forces, view};
use serde_json::json;

use crate::cli::DataDir;
use crate::node;

/// Who is recorded as writing from the command line, as for other CLI writes.
const CLI_USER: &str = "cli";
/// Most records one file may hold.
const MAX_RECORDS_PER_FILE: usize = 100_000;

#[derive(Subcommand, Debug)]
pub enum ForcesCommand {
    /// Add force records from a JSON file: an array of records, or one record per line (JSON
    /// lines). Every record is checked first; one bad record adds nothing. A record already
    /// held (same id, or same content when it has none) is kept once.
    Add {
        file: PathBuf,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Add the brief's base records: the joint command's pledge of 75,000 troops, none
    /// committed (also added by `scenario load sahel-2012`).
    Base {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// The records and the pledged, committed and deployed sums per member and per zone, with
    /// each member's available strength from the assets table.
    List {
        #[arg(long, value_name = "ISO3")]
        member: Option<String>,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
}

pub async fn run(command: ForcesCommand) -> Result<()> {
    match command {
        ForcesCommand::Add { file, data, json } => {
            let records = read_file(&file)?;
            let node = node::open(&data.dir).await?;
            let added = node
                .store
                .add_forces(&records, crate::now(), CLI_USER)
                .await;
            node.store.close().await;
            print_added(records.len(), added?, json)
        }
        ForcesCommand::Base { data, json } => {
            let records = base_forces();
            let node = node::open(&data.dir).await?;
            let added = node
                .store
                .add_forces(&records, crate::now(), CLI_USER)
                .await;
            node.store.close().await;
            print_added(records.len(), added?, json)
        }
        ForcesCommand::List { member, data, json } => {
            let member = member
                .map(|m| CountryCode::parse(&m).map_err(|e| anyhow!("--member: {e}")))
                .transpose()?;
            let node = node::open(&data.dir).await?;
            let records = node.store.forces(member.as_ref()).await;
            let members = node.store.members().await;
            node.store.close().await;
            let records = records?;
            let members: Vec<_> = members?
                .into_iter()
                .filter(|m| member.as_ref().is_none_or(|c| m.code == *c))
                .collect();
            let v = view(&records, &members);
            if json {
                let out = json!({
                    "records": records,
                    "members": v.members,
                    "zones": v.zones,
                    "total": v.total,
                });
                println!("{}", serde_json::to_string_pretty(&out)?);
                return Ok(());
            }
            println!(
                "{:<8} {:>9} {:>9} {:>9} {:>9} {:>10}",
                "member", "pledged", "committed", "deployed", "gap", "available"
            );
            for m in &v.members {
                let available = m
                    .available
                    .as_ref()
                    .map_or("-".to_owned(), |a| format!("{} ({})", a.troops, a.period));
                println!("{}  {available}", row(m.member.as_str(), &m.totals));
            }
            if !v.zones.is_empty() {
                println!();
                println!(
                    "{:<8} {:>9} {:>9} {:>9} {:>9}",
                    "zone", "pledged", "committed", "deployed", "gap"
                );
                for z in &v.zones {
                    println!("{}", row(z.zone.as_deref().unwrap_or("(none)"), &z.totals));
                }
            }
            println!();
            println!("{}", row("total", &v.total));
            println!("{} records", records.len());
            Ok(())
        }
    }
}

fn row(label: &str, t: &Totals) -> String {
    format!(
        "{label:<8} {:>9} {:>9} {:>9} {:>9}",
        t.pledged, t.committed, t.deployed, t.gap
    )
}

fn print_added(records: usize, added: usize, json: bool) -> Result<()> {
    if json {
        println!("{}", json!({"records": records, "added": added}));
    } else {
        println!(
            "{records} force records read, {added} added, {} already held",
            records - added
        );
    }
    Ok(())
}

/// Reads and checks every record of a file; an error names the line (JSON lines) or the index
/// (an array) and the field.
fn read_file(path: &Path) -> Result<Vec<Force>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let records = parse_records(&text).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    if records.is_empty() {
        bail!("{}: holds no force record", path.display());
    }
    Ok(records)
}

fn parse_records(text: &str) -> Result<Vec<Force>, String> {
    let check = |where_: String, f: Force| -> Result<Force, String> {
        match f.validate() {
            Ok(()) => Ok(f),
            Err(e) => Err(e
                .0
                .iter()
                .map(|e| format!("{where_}: {}: {}", e.field, e.message))
                .collect::<Vec<_>>()
                .join("; ")),
        }
    };
    if text.trim_start().starts_with('[') {
        let mut de = serde_json::Deserializer::from_str(text);
        let records: Vec<Force> = serde_path_to_error::deserialize(&mut de)
            .map_err(|e| format!("{}: {}", e.path(), e.inner()))?;
        if records.len() > MAX_RECORDS_PER_FILE {
            return Err(format!(
                "at most {MAX_RECORDS_PER_FILE} records in one file"
            ));
        }
        return records
            .into_iter()
            .enumerate()
            .map(|(i, f)| check(format!("[{i}]"), f))
            .collect();
    }
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        if out.len() == MAX_RECORDS_PER_FILE {
            return Err(format!(
                "at most {MAX_RECORDS_PER_FILE} records in one file"
            ));
        }
        let mut de = serde_json::Deserializer::from_str(line);
        let f: Force = serde_path_to_error::deserialize(&mut de).map_err(|e| {
            let path = e.path().to_string();
            if path == "." {
                format!("line {}: {}", i + 1, e.inner())
            } else {
                format!("line {}: {path}: {}", i + 1, e.inner())
            }
        })?;
        out.push(check(format!("line {}", i + 1), f)?);
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::parse_records;

    const GOOD: &str = r#"{"member":"MLI","unit_type":"infantry","pledged":10,"committed":5,"deployed":5,"as_of":"2011-01-01","source":"s"}"#;

    #[test]
    fn lines_and_arrays() {
        assert_eq!(
            parse_records(&format!("{GOOD}\n\n{GOOD}\n")).unwrap().len(),
            2
        );
        assert_eq!(parse_records(&format!("[{GOOD},{GOOD}]")).unwrap().len(), 2);
    }

    #[test]
    fn errors_name_line_or_index_and_field() {
        let bad = GOOD.replace("\"deployed\":5", "\"deployed\":6");
        let e = parse_records(&format!("{GOOD}\n{bad}")).unwrap_err();
        assert!(e.starts_with("line 2: deployed:"), "{e}");
        let e = parse_records(&format!("[{GOOD},{bad}]")).unwrap_err();
        assert!(e.starts_with("[1]: deployed:"), "{e}");
        let typo = GOOD.replace("\"pledged\":10", "\"pledged\":-1");
        let e = parse_records(&format!("{GOOD}\n{typo}")).unwrap_err();
        assert!(e.starts_with("line 2: pledged:"), "{e}");
        let e = parse_records(&format!("[{GOOD},{typo}]")).unwrap_err();
        assert!(e.starts_with("[1].pledged:"), "{e}");
    }
}
