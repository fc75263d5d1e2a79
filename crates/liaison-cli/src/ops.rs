//! `liaison ops add|status|list|conflicts|notices|link`: operations declared by members, checked
//! against the declared ones (`liaison_ops::Deconflictor`), with the deconfliction notices they
//! give kept per recipient, and incidents linked to the operations they belong to.
//!
//! The joint command's node records the operations of all its members, so `--member` names
//! whose operation it is (one writer per operation: only that member may give it new versions).
//! Notices are recorded, not sent: sending them to peers is not built yet (`docs/operations.md`).
//!
//! JSON shapes (stable): `ops add --json` and `ops status --json` print `{"id", "version",
//! "changed", "conflicts": [conflict…], "notices": [{"recipient", "content"}…]}`; `ops list
//! --json` an array of operations (the operation's fields plus `"version"`, `"recorded_at"`,
//! `"recorded_by"`, `"incidents": [id…]`); `ops conflicts --json` an array of `{"operation",
//! "member", "other", "other_member", "from", "to", "reported_to": [ISO3, ISO3]}`; `ops notices
//! --json` an array of `{"operation_id", "version", "recipient", "content": {"declared_by",
//! "area", "from", "to", "kind"?}, "issued_at"}`.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{ArgGroup, Subcommand};
use liaison_core::CountryCode;
use liaison_core::date::parse_iso_date;
use liaison_ops::area::check_bbox;
use liaison_ops::deconflict::DEFAULT_BORDER_KM;
use liaison_ops::{Area, Conflict, Deconflictor, Kind, Notice, Operation, Settings, Status};
use serde_json::json;

use crate::cli::DataDir;
use crate::node::{self, Node};

/// Who is recorded as writing from the command line, as for other CLI writes.
const CLI_USER: &str = "cli";
/// Who is recorded as writing what `scenario load` brings.
const SCENARIO_USER: &str = "scenario";

// Parsed once per run: the size of the largest variant (`add`) costs nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Subcommand, Debug)]
pub enum OpsCommand {
    /// Declare an operation (or a new version of one, with --id) and print the conflicts and
    /// the notices it gives. Give its area with exactly one of --bbox, --zone or --area.
    #[command(group(ArgGroup::new("where").required(true).args(["bbox", "zone", "area"])))]
    Add {
        /// Whose operation it is (ISO 3166-1 alpha-3): the joint command's node records its
        /// members' operations.
        #[arg(long, value_name = "ISO3")]
        member: String,
        /// The area as a bounding box: west,south,east,north in degrees.
        #[arg(long, value_name = "W,S,E,N", allow_hyphen_values = true)]
        bbox: Option<String>,
        /// The area as a zone, built-in or the node's own (`liaison zone list`); its polygons
        /// are copied into the operation.
        #[arg(long, value_name = "ID")]
        zone: Option<String>,
        /// The area as a GeoJSON file: a Polygon or MultiPolygon, a Feature or a
        /// FeatureCollection of them.
        #[arg(long, value_name = "FILE")]
        area: Option<PathBuf>,
        /// First day (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        from: String,
        /// Last day, included (YYYY-MM-DD).
        #[arg(long, value_name = "DATE")]
        to: String,
        /// patrol, raid, search, escort, exercise, joint_operation, reconnaissance or
        /// unspecified.
        #[arg(long, value_name = "KIND")]
        kind: Option<String>,
        /// The other members or partners taking part, comma-separated.
        #[arg(long, value_name = "ISO3,…", value_delimiter = ',')]
        participants: Vec<String>,
        /// What it is for. Kept on this node; never in a notice.
        #[arg(long, value_name = "TEXT")]
        objective: Option<String>,
        /// planned, active, completed or cancelled.
        #[arg(long, default_value = "planned", value_name = "STATUS")]
        status: String,
        /// The operation's id; drawn at random when not given. Give an existing id to declare
        /// its next version.
        #[arg(long, value_name = "ID")]
        id: Option<String>,
        /// Say the kind in the notices too (by default they hold only the area and the window).
        #[arg(long)]
        notice_kind: bool,
        /// Neighbours within this distance of the area get a notice, km.
        #[arg(long, env = "LIAISON_BORDER_KM", default_value_t = DEFAULT_BORDER_KM, value_name = "KM")]
        border_km: f64,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Record a new status of an operation (planned, active, completed, cancelled): its next
    /// version, with the conflicts and notices that version gives.
    Status {
        id: String,
        status: String,
        #[arg(long, env = "LIAISON_BORDER_KM", default_value_t = DEFAULT_BORDER_KM, value_name = "KM")]
        border_km: f64,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// The operations recorded, current versions, with the incidents linked to them.
    List {
        /// Only the operations this member declared or takes part in.
        #[arg(long, value_name = "ISO3")]
        member: Option<String>,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Every pair of overlapping operations of different members, each reported to both.
    Conflicts {
        /// Only the conflicts reported to this member.
        #[arg(long, value_name = "ISO3")]
        member: Option<String>,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// The deconfliction notices operations gave, in the order issued.
    Notices {
        /// Only the notices addressed to this member.
        #[arg(long, value_name = "ISO3")]
        to: Option<String>,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Link an incident to the operation it belongs to.
    Link {
        operation: String,
        incident: String,
        #[command(flatten)]
        data: DataDir,
    },
}

pub async fn run(command: OpsCommand) -> Result<()> {
    match command {
        OpsCommand::Add {
            member,
            bbox,
            zone,
            area,
            from,
            to,
            kind,
            participants,
            objective,
            status,
            id,
            notice_kind,
            border_km,
            data,
            json,
        } => {
            let settings = settings(border_km)?;
            let node = node::open(&data.dir).await?;
            let area = area_of(&node, bbox.as_deref(), zone.as_deref(), area.as_deref()).await?;
            let op = Operation {
                id: match id {
                    Some(id) => id,
                    None => new_id(&member)?,
                },
                member: code("--member", &member)?,
                participants: participants
                    .iter()
                    .map(|p| code("--participants", p))
                    .collect::<Result<_>>()?,
                area,
                from: parse_iso_date(&from).map_err(|e| anyhow!("--from: {e}"))?,
                to: parse_iso_date(&to).map_err(|e| anyhow!("--to: {e}"))?,
                kind: match kind {
                    Some(k) => Kind::parse(&k).map_err(|e| anyhow!("--kind: {e}"))?,
                    None => Kind::Unspecified,
                },
                objective,
                status: Status::parse(&status).map_err(|e| anyhow!("--status: {e}"))?,
                notice_kind,
            };
            if let Err(errors) = op.validate() {
                bail!("{}", option_names(&errors));
            }
            let result = declare(&node, &op, settings, CLI_USER).await;
            node.store.close().await;
            print_declared(&op, &result?, json)
        }
        OpsCommand::Status {
            id,
            status,
            border_km,
            data,
            json,
        } => {
            let settings = settings(border_km)?;
            let status = Status::parse(&status).map_err(|e| anyhow!("STATUS: {e}"))?;
            let node = node::open(&data.dir).await?;
            let Some(row) = node.store.operation(&id).await? else {
                node.store.close().await;
                bail!("no operation '{id}'");
            };
            let mut op = row.operation;
            op.status = status;
            let result = declare(&node, &op, settings, CLI_USER).await;
            node.store.close().await;
            print_declared(&op, &result?, json)
        }
        OpsCommand::List { member, data, json } => {
            let member = member.map(|m| code("--member", &m)).transpose()?;
            let node = node::open(&data.dir).await?;
            let rows = node.store.operations().await;
            node.store.close().await;
            let rows: Vec<_> = rows?
                .into_iter()
                .filter(|r| member.as_ref().is_none_or(|m| r.operation.involves(m)))
                .collect();
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
                return Ok(());
            }
            if rows.is_empty() {
                println!("no operations");
            }
            for r in rows {
                let o = &r.operation;
                let with = if o.participants.is_empty() {
                    String::new()
                } else {
                    let p: Vec<&str> = o.participants.iter().map(CountryCode::as_str).collect();
                    format!(" with {}", p.join(", "))
                };
                println!(
                    "{} v{}  {}{with}  {}..{}  {}  {}  {}",
                    o.id,
                    r.version,
                    o.member,
                    o.from,
                    o.to,
                    o.kind.as_str(),
                    o.status.as_str(),
                    area_text(&o.area)
                );
                if let Some(obj) = &o.objective {
                    println!("    objective: {obj}");
                }
                for i in &r.incidents {
                    println!("    incident: {i}");
                }
            }
            Ok(())
        }
        OpsCommand::Conflicts { member, data, json } => {
            let member = member.map(|m| code("--member", &m)).transpose()?;
            let node = node::open(&data.dir).await?;
            let rows = node.store.operations().await;
            node.store.close().await;
            let ops: Vec<Operation> = rows?.into_iter().map(|r| r.operation).collect();
            let conflicts: Vec<Conflict> = Deconflictor::new(&ops)
                .all_conflicts()
                .into_iter()
                .filter(|c| member.as_ref().is_none_or(|m| c.reported_to.contains(m)))
                .collect();
            if json {
                println!("{}", serde_json::to_string_pretty(&conflicts)?);
                return Ok(());
            }
            if conflicts.is_empty() {
                println!("no conflicts");
            }
            for c in &conflicts {
                println!("{}", conflict_text(c));
            }
            Ok(())
        }
        OpsCommand::Notices { to, data, json } => {
            let to = to.map(|m| code("--to", &m)).transpose()?;
            let node = node::open(&data.dir).await?;
            let node_member = node.member.clone();
            let rows = node.store.operation_notices(to.as_ref()).await;
            node.store.close().await;
            let rows = rows?;
            if json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
                return Ok(());
            }
            if rows.is_empty() {
                println!("no notices");
            }
            for n in &rows {
                let kind = n
                    .content
                    .kind
                    .map(|k| format!("  {}", k.as_str()))
                    .unwrap_or_default();
                println!(
                    "to {}: {} operation ({} v{})  {}..{}{kind}  {}  (issued {}; {})",
                    n.recipient,
                    n.content.declared_by,
                    n.operation_id,
                    n.version,
                    n.content.from,
                    n.content.to,
                    area_text(&n.content.area),
                    n.issued_at,
                    match &n.delivered_at {
                        Some(at) => format!("delivered {at}"),
                        None if n.content.declared_by != node_member => format!(
                            "recorded here; {}'s own node sends it",
                            n.content.declared_by
                        ),
                        None => "not delivered yet".to_owned(),
                    }
                );
            }
            Ok(())
        }
        OpsCommand::Link {
            operation,
            incident,
            data,
        } => {
            let node = node::open(&data.dir).await?;
            let linked = node
                .store
                .link_operation(&operation, &incident, crate::now(), CLI_USER)
                .await;
            node.store.close().await;
            if linked? {
                println!("incident {incident} linked to operation {operation}");
            } else {
                println!("incident {incident} was already linked to operation {operation}");
            }
            Ok(())
        }
    }
}

fn settings(border_km: f64) -> Result<Settings> {
    Settings::with_border_km(border_km).map_err(|e| anyhow!("--border-km: {e}"))
}

fn code(option: &str, s: &str) -> Result<CountryCode> {
    CountryCode::parse(s).map_err(|e| anyhow!("{option}: {e}"))
}

/// `op:<member>:<16 hex digits>`, drawn here at the edge.
fn new_id(member: &str) -> Result<String> {
    let mut bytes = [0u8; 8];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("no random source: {e}"))?;
    Ok(format!(
        "op:{}:{}",
        member.trim().to_ascii_lowercase(),
        hex::encode(bytes)
    ))
}

/// The area from exactly one of the three options (clap has checked there is one).
async fn area_of(
    node: &Node,
    bbox: Option<&str>,
    zone: Option<&str>,
    file: Option<&Path>,
) -> Result<Area> {
    if let Some(b) = bbox {
        let parts: Vec<&str> = b.split(',').map(str::trim).collect();
        let numbers: Vec<f64> = parts.iter().filter_map(|p| p.parse().ok()).collect();
        let [w, s, e, n] = numbers[..] else {
            bail!("--bbox: '{b}' is not four numbers west,south,east,north");
        };
        if parts.len() != 4 {
            bail!("--bbox: '{b}' is not four numbers west,south,east,north");
        }
        check_bbox([w, s, e, n]).map_err(|m| anyhow!("--bbox: {m}"))?;
        return Ok(Area::Bbox { bbox: [w, s, e, n] });
    }
    if let Some(id) = zone {
        return match node.store.zone(id).await? {
            Some(z) => Ok(Area::of_zone(&z)),
            None => {
                let known: Vec<String> = node
                    .store
                    .zones()
                    .await?
                    .into_iter()
                    .map(|z| z.id)
                    .collect();
                bail!("--zone: no zone '{id}'; the zones are {}", known.join(", "))
            }
        };
    }
    if let Some(path) = file {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("--area: cannot read {}", path.display()))?;
        return liaison_ops::parse_area_geojson(&text)
            .map_err(|e| anyhow!("--area {}: {e}", path.display()));
    }
    bail!("give the area with --bbox, --zone or --area")
}

/// Validation errors in the words of the command line: `--to` rather than `to`.
fn option_names(errors: &liaison_core::ValidationErrors) -> String {
    errors
        .0
        .iter()
        .map(|e| {
            let root = e.field.split(['.', '[']).next().unwrap_or("");
            let option = match root {
                "id" => "--id",
                "participants" => "--participants",
                "from" => "--from",
                "to" => "--to",
                "objective" => "--objective",
                "area" => "--area",
                other => other,
            };
            format!("{option} ({}): {}", e.field, e.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// What declaring an operation did.
pub struct Declared {
    pub version: i64,
    pub changed: bool,
    pub conflicts: Vec<Conflict>,
    pub notices: Vec<Notice>,
}

/// Checks `op` against the declared operations and records it with its notices.
pub async fn declare(
    node: &Node,
    op: &Operation,
    settings: Settings,
    by: &str,
) -> Result<Declared> {
    let declared: Vec<Operation> = node
        .store
        .operations()
        .await?
        .into_iter()
        .map(|r| r.operation)
        .collect();
    let d = Deconflictor::with_settings(&declared, settings, liaison_geo::default_boundaries());
    let (conflicts, notices) = d.check(op);
    let write = node
        .store
        .record_operation(op, &notices, crate::now(), by)
        .await?;
    Ok(Declared {
        version: write.version,
        changed: write.changed,
        conflicts,
        notices,
    })
}

fn print_declared(op: &Operation, d: &Declared, json: bool) -> Result<()> {
    if json {
        let notices: Vec<_> = d
            .notices
            .iter()
            .map(|n| json!({"recipient": n.recipient, "content": n.content}))
            .collect();
        let out = json!({
            "id": op.id,
            "version": d.version,
            "changed": d.changed,
            "conflicts": d.conflicts,
            "notices": notices,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if d.changed {
        println!(
            "operation {} version {} recorded ({}, {}..{}, {}, {})",
            op.id,
            d.version,
            op.member,
            op.from,
            op.to,
            op.kind.as_str(),
            op.status.as_str()
        );
    } else {
        println!(
            "operation {} unchanged (version {}): nothing recorded",
            op.id, d.version
        );
    }
    for c in &d.conflicts {
        println!("conflict: {}", conflict_text(c));
    }
    for n in &d.notices {
        let what = if n.content.kind.is_some() {
            "area, window and kind"
        } else {
            "area and window only"
        };
        println!(
            "notice to {} ({what}); it goes at the next sync with {} if an agreement in force names it",
            n.recipient, n.recipient
        );
    }
    if d.conflicts.is_empty() && d.notices.is_empty() {
        println!("no conflicts, no notices");
    }
    Ok(())
}

fn conflict_text(c: &Conflict) -> String {
    let to: Vec<&str> = c.reported_to.iter().map(CountryCode::as_str).collect();
    format!(
        "{} ({}) and {} ({}) overlap {}..{}; reported to {}",
        c.operation,
        c.member,
        c.other,
        c.other_member,
        c.from,
        c.to,
        to.join(" and ")
    )
}

fn area_text(a: &Area) -> String {
    match a {
        Area::Bbox { bbox: [w, s, e, n] } => format!("bbox {w},{s},{e},{n}"),
        Area::Zone { zone, .. } => format!("zone {zone}"),
        Area::Polygon { polygons } => format!("{} polygon(s)", polygons.len()),
    }
}

/// Records the scenario's operations with their notices, links them to the scenario's
/// incidents, and adds the brief's base force records (`liaison_ops::forces::base_forces`).
/// Idempotent: loading again changes nothing.
pub async fn load_scenario(node: &Node, name: &str) -> Result<()> {
    let ops = liaison_ops::scenario::operations(name).map_err(|e| anyhow!("{e}"))?;
    for s in &ops {
        declare(node, &s.operation, Settings::default(), SCENARIO_USER).await?;
        for incident in &s.incidents {
            node.store
                .link_operation(
                    &s.operation.id,
                    incident.as_str(),
                    crate::now(),
                    SCENARIO_USER,
                )
                .await
                .with_context(|| format!("scenario {name}: operation {}", s.operation.id))?;
        }
    }
    if name == "sahel-2012" {
        node.store
            .add_forces(
                &liaison_ops::forces::base_forces(),
                crate::now(),
                SCENARIO_USER,
            )
            .await?;
    }
    Ok(())
}
