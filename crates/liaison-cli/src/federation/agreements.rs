//! `liaison agreement add | list | show | revoke | preview`: the originator's sharing agreements.
//!
//! An agreement is stored whole at every change (a new version), never edited in place, so
//! what was in force when something was disclosed can always be shown. `show` prints the plain
//! summary and the Cedar policy a liaison officer can read; `preview` prints exactly what one
//! partner would receive now, made by the same code as a real pull (`liaison_sync::egress`)
//! but recording nothing and sending nothing.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use liaison_core::{Agreement, AgreementId, CountryCode};
use liaison_policy::Policy;
use liaison_sync::cursor::CursorKey;
use liaison_sync::egress::Egress;

use crate::federation::keyring;
use crate::node::Node;

/// Largest agreement file read, in bytes.
const MAX_AGREEMENT_FILE_BYTES: u64 = 1_048_576;

/// The current version of every stored agreement.
pub async fn current(node: &Node) -> Result<Vec<Agreement>> {
    node.store
        .agreements()
        .await?
        .iter()
        .map(|row| {
            serde_json::from_str(&row.doc)
                .with_context(|| format!("stored agreement {} is unreadable", row.id))
        })
        .collect()
}

fn read_file(path: &Path) -> Result<Agreement> {
    let meta =
        std::fs::metadata(path).with_context(|| format!("cannot read {}", path.display()))?;
    if meta.len() > MAX_AGREEMENT_FILE_BYTES {
        bail!(
            "{}: {} bytes, an agreement file may hold at most {MAX_AGREEMENT_FILE_BYTES}",
            path.display(),
            meta.len()
        );
    }
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut de = serde_json::Deserializer::from_str(&text);
    let a: Agreement = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let at = e.path().to_string();
        let inner = e.into_inner();
        anyhow!(
            "{} line {} column {}: {}{}",
            path.display(),
            inner.line(),
            inner.column(),
            if at == "." {
                String::new()
            } else {
                format!("{at}: ")
            },
            inner
        )
    })?;
    if let Err(errors) = a.validate() {
        let list: Vec<String> = errors.0.iter().map(ToString::to_string).collect();
        bail!("{}: {}", path.display(), list.join("; "));
    }
    Ok(a)
}

/// `agreement add FILE`: a new agreement, or the next version of an existing one.
pub async fn add(node: &Node, path: &Path) -> Result<()> {
    let a = add_quiet(node, path).await?;
    println!("agreement {} version {} stored", a.id, a.version);
    println!("{}", liaison_policy::summary(&a));
    Ok(())
}

/// Stores the agreement in `path` and returns it as stored.
pub async fn add_quiet(node: &Node, path: &Path) -> Result<Agreement> {
    let mut a = read_file(path)?;
    if a.originator != node.member {
        bail!(
            "{}: originator {} is not this node's member {}: a node makes only its own agreements",
            path.display(),
            a.originator,
            node.member
        );
    }
    let version = match node.store.agreement_versions(a.id.as_str()).await {
        Ok(v) => v.last().map_or(1, |r| r.version + 1),
        Err(liaison_store::StoreError::NotFound) => 1,
        Err(e) => return Err(e.into()),
    };
    a.version = u32::try_from(version).context("version overflow")?;
    // Compiling checks the agreement against the Cedar schema before it is stored.
    let mut all = current(node).await?;
    all.retain(|x| x.id != a.id);
    all.push(a.clone());
    Policy::compile_with_zones(&node.member, &all, &node_zones(node).await?)
        .map_err(|e| anyhow!("{}: {e}", path.display()))?;
    node.store
        .put_agreement(
            a.id.as_str(),
            version,
            &serde_json::to_string(&a)?,
            "cli",
            crate::now(),
        )
        .await?;
    Ok(a)
}

pub async fn list(node: &Node, json: bool) -> Result<()> {
    let all = current(node).await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&all)?);
        return Ok(());
    }
    if all.is_empty() {
        println!(
            "no agreements: nothing leaves this node (add one with `liaison agreement add FILE`)"
        );
    }
    for a in &all {
        let to: Vec<&str> = a.recipients.iter().map(CountryCode::as_str).collect();
        println!(
            "{} v{} {} to {}: {}",
            a.id,
            a.version,
            if a.revoked { "REVOKED" } else { "in force" },
            to.join(","),
            a.title
        );
    }
    Ok(())
}

fn parse_id(id: &str) -> Result<AgreementId> {
    AgreementId::parse(id).map_err(|e| anyhow!("{e}"))
}

pub async fn show(node: &Node, id: &str, json: bool) -> Result<()> {
    let id = parse_id(id)?;
    let rows = node
        .store
        .agreement_versions(id.as_str())
        .await
        .map_err(|_| anyhow!("no agreement {id} on this node"))?;
    let Some(last) = rows.last() else {
        bail!("no agreement {id} on this node");
    };
    let a: Agreement = serde_json::from_str(&last.doc)?;
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&serde_json::json!({
                "agreement": a,
                "summary": liaison_policy::summary(&a),
                "cedar": liaison_policy::cedar_text(&a),
                "versions": rows.iter().map(|r| serde_json::json!({
                    "version": r.version, "recorded_at": r.recorded_at, "recorded_by": r.recorded_by
                })).collect::<Vec<_>>(),
            }))?
        );
        return Ok(());
    }
    println!("{}", liaison_policy::summary(&a));
    println!();
    println!("Versions:");
    for r in &rows {
        println!(
            "  v{} recorded {} by {}",
            r.version, r.recorded_at, r.recorded_by
        );
    }
    println!();
    println!("Cedar policy:");
    println!("{}", liaison_policy::cedar_text(&a));
    Ok(())
}

pub async fn revoke(node: &Node, id: &str) -> Result<()> {
    let id = parse_id(id)?;
    let rows = node
        .store
        .agreement_versions(id.as_str())
        .await
        .map_err(|_| anyhow!("no agreement {id} on this node"))?;
    let Some(last) = rows.last() else {
        bail!("no agreement {id} on this node");
    };
    let mut a: Agreement = serde_json::from_str(&last.doc)?;
    if a.revoked {
        bail!("agreement {id} is revoked already");
    }
    a.revoked = true;
    a.version += 1;
    node.store
        .put_agreement(
            id.as_str(),
            i64::from(a.version),
            &serde_json::to_string(&a)?,
            "cli",
            crate::now(),
        )
        .await?;
    println!(
        "agreement {id} revoked (version {}): it releases nothing from now on; what was sent \
         stays with its recipients unless recalled (`liaison incidents recall ID`)",
        a.version
    );
    Ok(())
}

/// What `to` would receive from this node now, made by the egress pipeline, recording and
/// sending nothing. The web application's preview calls this too.
/// The node's own zones, which its agreements may name beside the built-in ones.
pub async fn node_zones(node: &Node) -> Result<Vec<liaison_geo::zones::Zone>> {
    let rows = node.store.node_zones().await?;
    Ok(rows.into_iter().map(|r| r.zone).collect())
}

pub async fn releases(
    node: &Node,
    dir: &Path,
    to: &CountryCode,
) -> Result<Vec<liaison_policy::Release>> {
    let key = crate::federation::identity::load(dir)?;
    let agreements = current(node).await?;
    let policy = Policy::compile_with_zones(&node.member, &agreements, &node_zones(node).await?)?;
    let ring = keyring(node, &key).await?;
    let egress = Egress {
        store: &node.store,
        own: &node.member,
        key: &key,
        cursor_key: &CursorKey::derive(&key),
        policy: &policy,
        keyring: &ring,
    };
    Ok(egress.preview(to, crate::now()).await?)
}

/// `agreement preview --to ISO3`.
pub async fn preview(node: &Node, dir: &Path, to: &str, json: bool) -> Result<()> {
    let to = CountryCode::parse(to).map_err(|e| anyhow!("--to: {e}"))?;
    let releases = releases(node, dir, &to).await?;
    if json {
        let out: Vec<&serde_json::Value> = releases.iter().map(|r| r.sealed().object()).collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!(
        "{to} would receive {} incident(s) from this node now:",
        releases.len()
    );
    for r in &releases {
        let o = r.sealed().object();
        let under = r
            .agreement()
            .map_or_else(|| "relay".to_owned(), |(a, v)| format!("{a} v{v}"));
        let applied: Vec<String> = r.applied().iter().map(|a| a.code()).collect();
        println!(
            "  {} v{} «{}» under {under}{}",
            r.incident_id(),
            r.version(),
            o.get("name")
                .and_then(|n| n.as_str())
                .unwrap_or("(recalled)"),
            if applied.is_empty() {
                String::new()
            } else {
                format!(" [{}]", applied.join(", "))
            }
        );
    }
    Ok(())
}
