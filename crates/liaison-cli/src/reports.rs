//! `liaison report check|submit|list|show|accept|reject`: field reports, the short texts that
//! community liaisons and patrols send over poor links (format: `docs/field-reports.md`), read
//! into draft incidents that an analyst reviews. Reading is `liaison_server::reports::read_report`,
//! the same as the API's and the web form's.
//!
//! JSON shapes (stable): `report check --json` prints the draft incident content (the Incident
//! shape of `docs/json.md` without id, originator and version); `report submit|show|accept|reject
//! --json` print `{"id", "received_at", "sender", "text", "status", "error"?, "draft"?,
//! "incident_id"?, "reviewed_by"?, "review_note"?}`; `report list --json` an array of those.

use anyhow::{Result, anyhow, bail};
use clap::Subcommand;
use liaison_core::{Incident, IncidentContent, Lang};
use liaison_server::reports::{ReportView, read_report, report_incident_id};
use liaison_store::{ReportStatus, StoreError};

use crate::cli::DataDir;
use crate::node;

/// Who is recorded as reviewing from the command line, as for other CLI writes.
const CLI_USER: &str = "cli";

#[derive(Subcommand, Debug)]
pub enum ReportCommand {
    /// Read a report without keeping it: the draft it makes, or the word at fault.
    Check {
        text: String,
        /// The language of the free text after `/`: fr, en or ar.
        #[arg(long, default_value = "fr")]
        lang: String,
        #[arg(long)]
        json: bool,
    },
    /// Receive a report: kept as a draft incident, or as unreadable with the reason (exit 1).
    Submit {
        text: String,
        /// Who sent it: a phone number, a call sign, a liaison's name.
        #[arg(long = "from", value_name = "SENDER")]
        sender: String,
        #[arg(long, default_value = "fr")]
        lang: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Reports, newest first.
    List {
        /// draft, unreadable, accepted or rejected.
        #[arg(long)]
        status: Option<String>,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// One report, with its draft.
    Show {
        id: i64,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Accept a draft: it becomes an incident of this node.
    Accept {
        id: i64,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Reject a draft or an unreadable report, saying why.
    Reject {
        id: i64,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
}

fn lang_of(s: &str) -> Result<Lang> {
    match s.trim() {
        "fr" => Ok(Lang::Fr),
        "en" => Ok(Lang::En),
        "ar" => Ok(Lang::Ar),
        other => bail!("--lang '{other}': use fr, en or ar"),
    }
}

/// A draft in one line: type, day, place, country, counts, actors.
fn draft_line(d: &IncidentContent) -> String {
    let place = match (&d.location.place_name, d.location.point) {
        (Some(name), Some(p)) => format!("{name} ({:.4}, {:.4})", p.lat, p.lon),
        (None, Some(p)) => format!("{:.4}, {:.4}", p.lat, p.lon),
        (name, None) => name.clone().unwrap_or_default(),
    };
    let f = &d.casualties.fatalities;
    let mut line = format!(
        "{} on {} at {place}, {}; killed {}",
        d.sub_type.as_str(),
        d.date.start,
        d.location
            .country
            .as_ref()
            .map_or("country unknown", |c| c.as_str()),
        if f.low == f.high {
            f.best.to_string()
        } else {
            format!("{}-{}", f.low, f.high)
        }
    );
    for (what, n) in [
        ("wounded", d.casualties.injured),
        ("kidnapped", d.casualties.kidnapped),
        ("released", d.casualties.released),
    ] {
        if let Some(n) = n {
            line.push_str(&format!(", {what} {n}"));
        }
    }
    if !d.actors.is_empty() {
        let names: Vec<String> = d
            .actors
            .iter()
            .map(|a| {
                let role = serde_json::to_value(a.role)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                format!("{} ({role})", a.name)
            })
            .collect();
        line.push_str(&format!("; actors {}", names.join(", ")));
    }
    line
}

fn print(view: &ReportView, json: bool) -> Result<()> {
    if json {
        println!("{}", serde_json::to_string_pretty(view)?);
        return Ok(());
    }
    println!(
        "report {} ({}), from {} at {}: {}",
        view.id, view.status, view.sender, view.received_at, view.text
    );
    if let Some(e) = &view.error {
        println!("  unreadable: {e}");
    }
    if let Some(d) = &view.draft {
        println!("  draft: {}", draft_line(d));
    }
    if let Some(i) = &view.incident_id {
        println!("  incident: {i}");
    }
    if let Some(n) = &view.review_note {
        println!("  rejected: {n}");
    }
    Ok(())
}

fn not_found(id: i64) -> impl FnOnce(StoreError) -> anyhow::Error {
    move |e| match e {
        StoreError::NotFound => anyhow!("field report {id} not found"),
        other => other.into(),
    }
}

/// `liaison report …`.
pub async fn run(command: ReportCommand) -> Result<()> {
    match command {
        ReportCommand::Check { text, lang, json } => {
            let today = crate::now().date();
            let draft =
                read_report(&text, "check", lang_of(&lang)?, today).map_err(|e| anyhow!("{e}"))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&draft)?);
            } else {
                println!("{}", draft_line(&draft));
            }
            Ok(())
        }
        ReportCommand::Submit {
            text,
            sender,
            lang,
            data,
            json,
        } => {
            let sender = sender.trim();
            if sender.is_empty() {
                bail!("--from: say who sent the report");
            }
            let node = node::open(&data.dir).await?;
            let now = crate::now();
            let read = read_report(&text, sender, lang_of(&lang)?, now.date());
            let id = node
                .store
                .record_field_report(sender, &text, read.as_ref().map_err(String::as_str), now)
                .await?;
            let view = ReportView::from(node.store.field_report(id).await?);
            print(&view, json)?;
            if let Err(why) = read {
                bail!("report {id} is unreadable and kept for a person to read: {why}");
            }
            Ok(())
        }
        ReportCommand::List { status, data, json } => {
            let status = status
                .as_deref()
                .map(|s| ReportStatus::parse(s).map_err(|e| anyhow!("--status: {e}")))
                .transpose()?;
            let node = node::open(&data.dir).await?;
            let rows = node
                .store
                .field_reports(status, liaison_store::MAX_FIELD_REPORTS)
                .await?;
            let views: Vec<ReportView> = rows.into_iter().map(ReportView::from).collect();
            if json {
                println!("{}", serde_json::to_string_pretty(&views)?);
            } else {
                for v in &views {
                    print(v, false)?;
                }
            }
            Ok(())
        }
        ReportCommand::Show { id, data, json } => {
            let node = node::open(&data.dir).await?;
            let row = node.store.field_report(id).await.map_err(not_found(id))?;
            print(&row.into(), json)
        }
        ReportCommand::Accept { id, data, json } => {
            let node = node::open(&data.dir).await?;
            let row = node.store.field_report(id).await.map_err(not_found(id))?;
            let (ReportStatus::Draft, Some(content)) = (row.status, row.draft) else {
                bail!(
                    "field report {id} is {}: only a draft can be accepted",
                    row.status.as_str()
                );
            };
            let incident_id = report_incident_id(&node.member, id).map_err(|e| anyhow!(e))?;
            let incident = Incident::new(incident_id, node.member.clone(), 1, content);
            node.store
                .accept_field_report(id, &incident, CLI_USER, crate::now())
                .await
                .map_err(not_found(id))?;
            print(&node.store.field_report(id).await?.into(), json)
        }
        ReportCommand::Reject {
            id,
            reason,
            data,
            json,
        } => {
            if reason.trim().is_empty() {
                bail!("--reason: say why the report is rejected");
            }
            let node = node::open(&data.dir).await?;
            node.store
                .reject_field_report(id, reason.trim(), CLI_USER, crate::now())
                .await
                .map_err(not_found(id))?;
            print(&node.store.field_report(id).await?.into(), json)
        }
    }
}
