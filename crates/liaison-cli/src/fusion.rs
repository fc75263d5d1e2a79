//! `liaison fuse` and `liaison fusion list|show|sign|split`: reports of one event by several
//! members (claims) clustered into fused incidents (`liaison-fusion`), kept with their claims,
//! agreed versions, sign-offs and splits (`liaison-store`'s `fusions.rs`). Nothing is overwritten.
//!
//! `fuse` clusters the node's incidents that belong to no active fused incident (within
//! `--from`/`--to` when given) under the window, never rejoining a pair a split separated, and
//! records each new fused incident with its first agreed version; one already recorded is never
//! recorded again. `sign` signs the latest agreed version as the node's own member with the node
//! key (a node cannot sign for another member). `split` makes the named claims leave; what stays
//! together and what leaves together become new fused incidents when they still hold two claims.
//!
//! JSON shapes (stable):
//! - `fuse --json`: `{"window", "claims", "candidate_pairs", "pairs_in_window", "recorded",
//!   "skipped", "fused_incidents": [{"id", "claims": [id…], "pairs": [the pairs that joined
//!   them, best first: {"a", "b", "km", "allowed_km", "day_gap", "same_event_type",
//!   "same_sub_type", "actors": {"match", …}, "score"}…], "outcome": "recorded" | "exists" |
//!   "claim_taken" | "kept_apart", …}]}`;
//! - `fusion list --json`: an array of `{"id", "seq", "status", "window", "created_at",
//!   "created_by", "claims": [{"incident_id", "originator", "version"}…], "members",
//!   "signed": [member…] (of the latest version), "latest_version"}`;
//! - `fusion show --json`: `{"id", "seq", "status", "window", "created_at", "created_by",
//!   "claims": [{"incident_id", "originator", "version", "current_version"}…], "comparison"
//!   (`liaison_fusion::Comparison`: each field `{"agree": value}` or `{"differ": [{"claim",
//!   "originator", "value"}…]}`), "differing": [field…], "agreed": {"version", "sha256",
//!   "proposed_by", "proposed_at", "doc"}, "versions": [{"version", "sha256"}…], "signoffs":
//!   [{"version", "member", "signature", "public_key", "signed_by", "signed_at"}…], "awaiting":
//!   [member…], "split": [{"incident_id", "part_id", "split_at", "split_by"}…]}`;
//! - `fusion sign --json`: `{"fusion_id", "version", "member", "signature", "public_key",
//!   "signed_by", "signed_at"}`;
//! - `fusion split --json`: `{"fusion_id", "left": [id…], "parts": [id…], "claims":
//!   [{"incident_id", "part_id"}…]}`.

use std::collections::BTreeSet;
use std::path::Path;

use anyhow::{Result, anyhow, bail};
use clap::{Args, Subcommand};
use liaison_core::{Incident, IncidentId};
use liaison_fusion::{AgreedVersion, KeptApart, Window, agreed_version, compare, fuse};
use liaison_store::{FusionOutcome, NewFusion, Store, StoreError};
use serde_json::{Value, json};

use crate::cli::DataDir;
use crate::node;

/// Who is recorded as writing from the command line, as for other CLI writes.
const CLI_USER: &str = "cli";

/// `liaison fuse`.
#[derive(Args, Debug)]
pub struct FuseArgs {
    #[command(flatten)]
    pub data: DataDir,
    /// Largest distance between two claims' points, in km (more for coarse precision: ×2
    /// admin2, ×3 admin1, ×6 country). Default 25.
    #[arg(long, default_value_t = liaison_fusion::window::DEFAULT_KM, allow_negative_numbers = true, value_name = "KM")]
    pub km: f64,
    /// Largest gap between two claims' dates, in days. Default 2.
    #[arg(long, default_value_t = liaison_fusion::window::DEFAULT_DAYS, value_name = "DAYS")]
    pub days: u32,
    /// Only incidents whose dates reach this day or later (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub from: Option<String>,
    /// Only incidents whose dates start on this day or earlier (YYYY-MM-DD).
    #[arg(long, value_name = "DATE")]
    pub to: Option<String>,
    #[arg(long)]
    pub json: bool,
}

#[derive(Subcommand, Debug)]
pub enum FusionCommand {
    /// List the fused incidents, with their claims and who signed.
    List {
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Show a fused incident: its claims, where they agree and differ, the agreed version and
    /// who has signed which version.
    Show {
        id: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Sign the latest agreed version of a fused incident as this node's member (node key).
    Sign {
        id: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
    /// Split a fused incident: the named claims leave it (and are never fused with the others
    /// again).
    Split {
        id: String,
        /// The claims that leave, comma-separated incident ids.
        #[arg(long, value_name = "ID,…", required = true)]
        claims: String,
        #[command(flatten)]
        data: DataDir,
        #[arg(long)]
        json: bool,
    },
}

fn date(opt: &str, s: &Option<String>) -> Result<Option<time::Date>> {
    s.as_deref()
        .map(|d| liaison_core::date::parse_iso_date(d).map_err(|e| anyhow!("{opt}: {e}")))
        .transpose()
}

/// The store's row for a fused incident proposed as `v` (the API's, so both record alike).
fn new_fusion(v: &AgreedVersion, window: &Window) -> Result<NewFusion> {
    Ok(liaison_server::fusions::new_fusion(
        v,
        &serde_json::to_string(window)?,
    ))
}

fn outcome_json(o: &FusionOutcome) -> Value {
    serde_json::to_value(o).unwrap_or(Value::Null)
}

pub async fn fuse_command(args: FuseArgs) -> Result<()> {
    let window = Window {
        km: args.km,
        days: args.days,
        ..Window::default()
    };
    window.validate().map_err(|e| anyhow!("--km/--days: {e}"))?;
    let from = date("--from", &args.from)?;
    let to = date("--to", &args.to)?;
    if let (Some(f), Some(t)) = (from, to)
        && f > t
    {
        bail!("--from {f} is after --to {t}");
    }
    let node = node::open(&args.data.dir).await?;
    let pool = node.store.fusion_pool(from, to).await?;
    let mut kept = KeptApart::new();
    for (a, b) in node.store.kept_apart_pairs().await? {
        kept.insert(a, b);
    }
    let fusion = fuse(&pool, &window, &kept)?;
    let by_id: std::collections::HashMap<&IncidentId, &Incident> =
        pool.iter().map(|i| (&i.id, i)).collect();
    let mut new = Vec::with_capacity(fusion.clusters.len());
    for c in &fusion.clusters {
        let claims: Vec<&Incident> = c
            .claims
            .iter()
            .filter_map(|i| by_id.get(i).copied())
            .collect();
        let v = agreed_version(&c.id, &claims)
            .ok_or_else(|| anyhow!("fused incident {} has no claims", c.id))?;
        new.push(new_fusion(&v, &window)?);
    }
    let outcomes = node
        .store
        .record_fusions(&new, CLI_USER, crate::now())
        .await?;
    let recorded = outcomes
        .iter()
        .filter(|(_, o)| *o == FusionOutcome::Recorded)
        .count();
    if args.json {
        let list: Vec<Value> = fusion
            .clusters
            .iter()
            .zip(&outcomes)
            .map(|(c, (_, o))| {
                let mut v = json!({"id": c.id, "claims": c.claims, "pairs": c.edges});
                if let (Some(obj), Value::Object(o)) = (v.as_object_mut(), outcome_json(o)) {
                    obj.extend(o);
                }
                v
            })
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "window": window,
                "claims": pool.len(),
                "candidate_pairs": fusion.candidate_pairs,
                "pairs_in_window": fusion.pairs_in_window,
                "recorded": recorded,
                "skipped": outcomes.len() - recorded,
                "fused_incidents": list,
            }))?
        );
    } else {
        println!(
            "{} claims clustered (window {} km, {} days): {} fused incidents recorded, {} skipped",
            pool.len(),
            window.km,
            window.days,
            recorded,
            outcomes.len() - recorded
        );
        for (c, (_, o)) in fusion.clusters.iter().zip(&outcomes) {
            let ids: Vec<&str> = c.claims.iter().map(IncidentId::as_str).collect();
            let how = match o {
                FusionOutcome::Recorded => "recorded".to_string(),
                FusionOutcome::Exists => "already recorded".to_string(),
                FusionOutcome::ClaimTaken { claim, fusion } => {
                    format!("skipped: {claim} is in {fusion}")
                }
                FusionOutcome::KeptApart { a, b } => format!("skipped: {a} and {b} were split"),
            };
            println!("  {}  {}  ({how})", c.id, ids.join(", "));
        }
    }
    Ok(())
}

pub async fn run(command: FusionCommand) -> Result<()> {
    match command {
        FusionCommand::List { data, json } => list(&data.dir, json).await,
        FusionCommand::Show { id, data, json } => show(&data.dir, &id, json).await,
        FusionCommand::Sign { id, data, json } => sign(&data.dir, &id, json).await,
        FusionCommand::Split {
            id,
            claims,
            data,
            json,
        } => split(&data.dir, &id, &claims, json).await,
    }
}

fn not_found(id: &str) -> anyhow::Error {
    anyhow!("fused incident {id} not found")
}

async fn detail(store: &Store, id: &str) -> Result<liaison_store::FusionDetail> {
    match store.fusion(id).await {
        Err(StoreError::NotFound) => Err(not_found(id)),
        other => Ok(other?),
    }
}

fn members(d: &liaison_store::FusionRow) -> Vec<String> {
    let set: BTreeSet<&str> = d.claims.iter().map(|c| c.originator.as_str()).collect();
    set.into_iter().map(str::to_owned).collect()
}

async fn list(dir: &Path, json: bool) -> Result<()> {
    let node = node::open(dir).await?;
    let rows = node.store.fusions().await?;
    let mut out = Vec::with_capacity(rows.len());
    for f in rows {
        let d = node.store.fusion(&f.id).await?;
        let latest = d.versions.last().map_or(0, |v| v.version);
        let signed: Vec<String> = d
            .signoffs
            .iter()
            .filter(|s| s.version == latest)
            .map(|s| s.member.to_string())
            .collect();
        out.push((f, latest, signed));
    }
    if json {
        let v: Vec<Value> = out
            .iter()
            .map(|(f, latest, signed)| {
                let mut v = serde_json::to_value(f).unwrap_or(Value::Null);
                if let Some(o) = v.as_object_mut() {
                    o.insert("members".into(), json!(members(f)));
                    o.insert("signed".into(), json!(signed));
                    o.insert("latest_version".into(), json!(latest));
                }
                v
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(());
    }
    if out.is_empty() {
        println!("no fused incidents (run `liaison fuse`)");
    }
    for (f, latest, signed) in &out {
        let ids: Vec<&str> = f.claims.iter().map(|c| c.incident_id.as_str()).collect();
        println!(
            "{}  {:<6}  {}  v{latest} signed by {}",
            f.id,
            f.status,
            ids.join(", "),
            if signed.is_empty() {
                "nobody yet".to_string()
            } else {
                signed.join(", ")
            }
        );
    }
    Ok(())
}

fn brief(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

async fn show(dir: &Path, id: &str, json: bool) -> Result<()> {
    let node = node::open(dir).await?;
    let d = detail(&node.store, id).await?;
    let mut claims = Vec::with_capacity(d.fusion.claims.len());
    let mut current_versions = Vec::with_capacity(d.fusion.claims.len());
    for c in &d.fusion.claims {
        let inc = node.store.get_incident(&c.incident_id).await.ok();
        current_versions.push(inc.as_ref().map(|i| i.version));
        if let Some(i) = inc {
            claims.push(i);
        }
    }
    let refs: Vec<&Incident> = claims.iter().collect();
    let comparison = compare(&refs);
    let latest = d.versions.last();
    let members = members(&d.fusion);
    let latest_version = latest.map_or(0, |v| v.version);
    let awaiting: Vec<&String> = members
        .iter()
        .filter(|m| {
            !d.signoffs
                .iter()
                .any(|s| s.version == latest_version && s.member.as_str() == m.as_str())
        })
        .collect();
    if json {
        let claims_json: Vec<Value> = d
            .fusion
            .claims
            .iter()
            .zip(&current_versions)
            .map(|(c, cur)| {
                json!({"incident_id": c.incident_id, "originator": c.originator,
                       "version": c.version, "current_version": cur})
            })
            .collect();
        let agreed = latest.map(|v| {
            json!({"version": v.version, "sha256": v.sha256, "proposed_by": v.proposed_by,
                   "proposed_at": v.proposed_at,
                   "doc": serde_json::from_str::<Value>(&v.doc).unwrap_or(Value::Null)})
        });
        let out = json!({
            "id": d.fusion.id, "seq": d.fusion.seq, "status": d.fusion.status,
            "window": d.fusion.window, "created_at": d.fusion.created_at,
            "created_by": d.fusion.created_by, "claims": claims_json,
            "comparison": comparison, "differing": comparison.differing(),
            "agreed": agreed,
            "versions": d.versions.iter().map(|v| json!({"version": v.version, "sha256": v.sha256})).collect::<Vec<_>>(),
            "signoffs": d.signoffs, "awaiting": awaiting, "split": d.split,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "fused incident {} ({}), recorded {} by {}, window {}",
        d.fusion.id, d.fusion.status, d.fusion.created_at, d.fusion.created_by, d.fusion.window
    );
    println!("claims:");
    for (c, cur) in d.fusion.claims.iter().zip(&current_versions) {
        let inc = claims.iter().find(|i| i.id == c.incident_id);
        let note = match cur {
            Some(v) if i64::from(*v) != c.version => format!(" (now v{v})"),
            Some(_) => String::new(),
            None => " (no longer held)".into(),
        };
        match inc {
            Some(i) => println!(
                "  {}  {}  v{}{note}  {}  {}  {}",
                c.incident_id,
                c.originator,
                c.version,
                i.content.date.start,
                i.content.sub_type.as_str(),
                i.content.title
            ),
            None => println!(
                "  {}  {}  v{}{note}",
                c.incident_id, c.originator, c.version
            ),
        }
    }
    let cmp = serde_json::to_value(&comparison)?;
    let mut agree = Vec::new();
    let mut differ = Vec::new();
    let fields = [
        ("date", &cmp["date"]),
        ("place.point", &cmp["place"]["point"]),
        ("place.country", &cmp["place"]["country"]),
        ("place.place_name", &cmp["place"]["place_name"]),
        ("place.precision", &cmp["place"]["precision"]),
        ("sub_type", &cmp["sub_type"]),
        ("fatalities", &cmp["fatalities"]),
        ("actors", &cmp["actors"]),
    ];
    for (name, v) in fields {
        if let Some(values) = v.get("differ").and_then(Value::as_array) {
            let parts: Vec<String> = values
                .iter()
                .map(|cv| format!("{} {}", brief(&cv["originator"]), brief(&cv["value"])))
                .collect();
            differ.push(format!("  {name}: {}", parts.join(" | ")));
        } else {
            agree.push(name);
        }
    }
    println!(
        "agree: {}",
        if agree.is_empty() {
            "—".into()
        } else {
            agree.join(", ")
        }
    );
    if differ.is_empty() {
        println!("differ: —");
    } else {
        println!("differ:");
        for line in differ {
            println!("{line}");
        }
    }
    if let Some(v) = latest {
        let doc: Value = serde_json::from_str(&v.doc).unwrap_or(Value::Null);
        let f = &doc["fatalities"];
        println!(
            "agreed version v{} (sha256 {}): {} to {} ({}), {}, {}, fatalities {} ({}–{}), {} actor(s)",
            v.version,
            v.sha256,
            brief(&doc["date"]["start"]),
            brief(&doc["date"]["end"]),
            brief(&doc["date"]["precision"]),
            brief(&doc["location"]["place_name"]),
            brief(&doc["sub_type"]),
            brief(&f["best"]),
            brief(&f["low"]),
            brief(&f["high"]),
            doc["actors"].as_array().map_or(0, Vec::len)
        );
        if let Some(note) = f.get("dispute").and_then(Value::as_str) {
            println!("  {note}");
        }
    }
    for s in &d.signoffs {
        println!(
            "signed v{} by {} ({} at {})",
            s.version, s.member, s.signed_by, s.signed_at
        );
    }
    if d.fusion.status == "active" {
        let names: Vec<&str> = awaiting.iter().map(|s| s.as_str()).collect();
        println!(
            "awaiting signature of v{latest_version}: {}",
            if names.is_empty() {
                "nobody".into()
            } else {
                names.join(", ")
            }
        );
    }
    for s in &d.split {
        println!(
            "split: {} → {}",
            s.incident_id,
            s.part_id.as_deref().unwrap_or("alone")
        );
    }
    Ok(())
}

async fn sign(dir: &Path, id: &str, json: bool) -> Result<()> {
    let node = node::open(dir).await?;
    let s = match node.store.sign_fusion(id, CLI_USER, crate::now()).await {
        Err(StoreError::NotFound) => return Err(not_found(id)),
        Err(StoreError::Invalid { message, .. }) => {
            bail!("{message}: a node signs only for its own member")
        }
        Err(StoreError::Conflict(m)) => bail!("{m}"),
        other => other?,
    };
    if json {
        let mut v = serde_json::to_value(&s)?;
        if let Some(o) = v.as_object_mut() {
            o.insert("fusion_id".into(), json!(id));
        }
        println!("{}", serde_json::to_string_pretty(&v)?);
    } else {
        println!(
            "{} signed agreed version v{} of {id} (public key {})",
            s.member, s.version, s.public_key
        );
    }
    Ok(())
}

async fn split(dir: &Path, id: &str, claims: &str, json: bool) -> Result<()> {
    let leaving: Vec<IncidentId> = claims
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| IncidentId::parse(s).map_err(|e| anyhow!("--claims: {e}")))
        .collect::<Result<_>>()?;
    let node = node::open(dir).await?;
    let d = detail(&node.store, id).await?;
    if d.fusion.status != "active" {
        bail!("fused incident {id} is already split");
    }
    let ids: Vec<IncidentId> = d
        .fusion
        .claims
        .iter()
        .map(|c| c.incident_id.clone())
        .collect();
    let parts =
        liaison_fusion::split_parts(&ids, &leaving).map_err(|e| anyhow!("--claims: {e}"))?;
    let window: Window = serde_json::from_value(d.fusion.window.clone()).unwrap_or_default();
    let mut new = Vec::with_capacity(parts.len());
    for p in &parts {
        let mut incs = Vec::with_capacity(p.len());
        for c in p {
            incs.push(
                node.store
                    .get_incident(c)
                    .await
                    .map_err(|e| anyhow!("claim {c}: {e}"))?,
            );
        }
        let refs: Vec<&Incident> = incs.iter().collect();
        let part_id = liaison_fusion::fusion_id(p);
        let v = agreed_version(&part_id, &refs).ok_or_else(|| anyhow!("empty part"))?;
        new.push(new_fusion(&v, &window)?);
    }
    let rows = match node
        .store
        .split_fusion(id, &leaving, &new, CLI_USER, crate::now())
        .await
    {
        Err(StoreError::NotFound) => return Err(not_found(id)),
        Err(StoreError::Invalid { message, .. }) => bail!("--claims: {message}"),
        Err(StoreError::Conflict(m)) => bail!("{m}"),
        other => other?,
    };
    let part_ids: Vec<&str> = new.iter().map(|n| n.id.as_str()).collect();
    if json {
        let claims: Vec<Value> = rows
            .iter()
            .map(|r| json!({"incident_id": r.incident_id, "part_id": r.part_id}))
            .collect();
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "fusion_id": id, "left": leaving, "parts": part_ids, "claims": claims,
            }))?
        );
    } else {
        let left: Vec<&str> = leaving.iter().map(IncidentId::as_str).collect();
        println!("split {id}: {} left", left.join(", "));
        for r in &rows {
            println!(
                "  {} → {}",
                r.incident_id,
                r.part_id.as_deref().unwrap_or("alone")
            );
        }
    }
    Ok(())
}
