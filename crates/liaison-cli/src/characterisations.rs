//! `liaison characterise` and `liaison characterisations show|divergence`: this node's member
//! records its own reading of an incident, and readings are shown side by side.
//!
//! The node's own member is always the one characterising: a node cannot speak for another state.
//!
//! JSON shapes (stable): `characterise --json` prints `{"incident_id", "member", "version",
//! "category", "confidence", "category_from_crosswalk": bool}`; `characterisations show --json`
//! prints `{"incident_id", "readings": [{"member", "category", "confidence", "rationale",
//! "national_term"?, "version", "recorded_at", "recorded_by", "history"}…]}` (`history`: how many
//! readings that member has recorded); `characterisations divergence --json` prints an array of
//! `{"incident_id", "readings": [{"member", "category", "confidence"}…]}`.

use anyhow::{Result, anyhow, bail};
use liaison_core::{Category, Characterisation, Confidence, IncidentId, crosswalk};
use liaison_store::StoreError;
use serde_json::json;

use crate::node::Node;

/// Who is recorded as writing from the command line, as for other CLI writes.
const CLI_USER: &str = "cli";

/// What `liaison characterise` was given.
pub struct Given<'a> {
    pub id: &'a str,
    pub category: Option<&'a str>,
    pub confidence: &'a str,
    pub rationale: &'a str,
    pub term: Option<&'a str>,
}

/// The category given, or the one the crosswalk finds for the term (and whether it did).
fn category_of(given: &Given<'_>) -> Result<(Category, bool)> {
    match (given.category, given.term) {
        (Some(c), _) => Ok((Category::parse(c).map_err(|e| anyhow!("--as: {e}"))?, false)),
        (None, Some(term)) => match crosswalk(term) {
            Some(c) => Ok((c, true)),
            None => bail!(
                "--term '{}' is not in the crosswalk: say which category it is with --as",
                term.trim()
            ),
        },
        (None, None) => bail!("give --as CATEGORY, or a --term the crosswalk knows"),
    }
}

pub async fn characterise(node: &Node, given: &Given<'_>, json: bool) -> Result<()> {
    let not_found = || anyhow!("incident {} not found", given.id);
    let incident_id = IncidentId::parse(given.id).map_err(|_| not_found())?;
    let (category, from_crosswalk) = category_of(given)?;
    let confidence =
        Confidence::parse(given.confidence).map_err(|e| anyhow!("--confidence: {e}"))?;
    let c = Characterisation {
        incident_id,
        member: node.member.clone(),
        category,
        confidence,
        rationale: given.rationale.to_owned(),
        national_term: given.term.map(str::to_owned),
    };
    if let Err(errors) = c.validate() {
        // Name the option the user typed, not the JSON field.
        let msgs: Vec<String> = errors
            .0
            .iter()
            .map(|e| {
                let opt = if e.field == "national_term" {
                    "--term"
                } else {
                    "--rationale"
                };
                format!("{opt}: {}", e.message)
            })
            .collect();
        bail!("{}", msgs.join("; "));
    }
    let version = match node.store.characterise(&c, CLI_USER, crate::now()).await {
        Err(StoreError::NotFound) => return Err(not_found()),
        other => other?,
    };
    if json {
        let out = json!({
            "incident_id": c.incident_id,
            "member": c.member,
            "version": version,
            "category": category,
            "confidence": confidence,
            "category_from_crosswalk": from_crosswalk,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if from_crosswalk {
        println!(
            "category {} taken from the crosswalk for '{}'",
            category.as_str(),
            given.term.unwrap_or_default().trim()
        );
    }
    println!(
        "{} characterised {} as {} ({} confidence), reading v{version}",
        c.member,
        c.incident_id,
        category.as_str(),
        confidence.as_str()
    );
    Ok(())
}

pub async fn show(node: &Node, id: &str, json: bool) -> Result<()> {
    let not_found = || anyhow!("incident {id} not found");
    let incident_id = IncidentId::parse(id).map_err(|_| not_found())?;
    let (current, history) = match (
        node.store.characterisations_of(&incident_id).await,
        node.store.characterisation_history(&incident_id).await,
    ) {
        (Err(StoreError::NotFound), _) | (_, Err(StoreError::NotFound)) => {
            return Err(not_found());
        }
        (a, b) => (a?, b?),
    };
    let count = |m: &liaison_core::CountryCode| history.iter().filter(|h| &h.member == m).count();
    if json {
        let readings: Vec<_> = current
            .iter()
            .map(|r| {
                let mut v = serde_json::to_value(r).unwrap_or_default();
                v["history"] = json!(count(&r.member));
                v
            })
            .collect();
        let out = json!({ "incident_id": incident_id, "readings": readings });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if current.is_empty() {
        println!("{incident_id}: no member has characterised it");
        return Ok(());
    }
    println!("{incident_id}: {} reading(s)", current.len());
    for r in &current {
        let term = r
            .national_term
            .as_deref()
            .map(|t| format!(" «{t}»"))
            .unwrap_or_default();
        println!(
            "  {} {:<18} {:<8}{term}  v{} of {}, {} by {}",
            r.member,
            r.category.as_str(),
            r.confidence.as_str(),
            r.version,
            count(&r.member),
            r.recorded_at,
            r.recorded_by
        );
        println!("      {}", r.rationale.replace('\n', " "));
    }
    Ok(())
}

pub async fn divergence(node: &Node, limit: u32, json: bool) -> Result<()> {
    let rows = node.store.divergences(limit).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    if rows.is_empty() {
        println!("no incident on which members' readings differ");
        return Ok(());
    }
    for d in &rows {
        let readings: Vec<String> = d
            .readings
            .iter()
            .map(|r| {
                format!(
                    "{} {} ({})",
                    r.member,
                    r.category.as_str(),
                    r.confidence.as_str()
                )
            })
            .collect();
        println!("{:<40} {}", d.incident_id.as_str(), readings.join(" | "));
    }
    Ok(())
}
