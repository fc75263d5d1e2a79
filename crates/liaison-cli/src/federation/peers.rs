//! `liaison peer add | list | remove`: the members this node federates with, each with the URL
//! it answers at and the Ed25519 key it must prove (its TLS certificate's key and the signer of
//! its requests and objects).

use anyhow::{Result, anyhow, bail};
use liaison_core::CountryCode;
use liaison_policy::NodePublicKey;

use crate::node::Node;

fn parse_url(url: &str) -> Result<String> {
    let u = url.trim().trim_end_matches('/');
    let rest = u
        .strip_prefix("https://")
        .ok_or_else(|| anyhow!("URL '{url}': peers answer over HTTPS (https://host:port)"))?;
    if rest.is_empty() || rest.contains('/') || rest.contains('?') || rest.contains('#') {
        bail!("URL '{url}': give only https://host:port, no path");
    }
    Ok(u.to_owned())
}

pub async fn add(node: &Node, member: &str, url: &str, key: &str) -> Result<()> {
    let member = CountryCode::parse(member).map_err(|e| anyhow!("ISO3: {e}"))?;
    if member == node.member {
        bail!("{member} is this node's own member: a node is not its own peer");
    }
    let url = parse_url(url)?;
    let key = NodePublicKey::from_base64(key).map_err(|e| anyhow!("--key: {e}"))?;
    node.store
        .put_peer(
            member.as_str(),
            &url,
            &key.to_base64(),
            &key.fingerprint(),
            "cli",
            crate::now(),
        )
        .await?;
    println!("peer {member} at {url}, key {}", key.fingerprint());
    Ok(())
}

pub async fn remove(node: &Node, member: &str) -> Result<()> {
    let member = CountryCode::parse(member).map_err(|e| anyhow!("ISO3: {e}"))?;
    node.store
        .remove_peer(member.as_str(), "cli", crate::now())
        .await
        .map_err(|_| anyhow!("{member} is not a peer of this node"))?;
    println!("peer {member} removed: it can no longer pull from or deliver to this node");
    Ok(())
}

pub async fn list(node: &Node, json: bool) -> Result<()> {
    let peers = node.store.peers().await?;
    let states = node.store.sync_states().await?;
    let state_of = |m: &str| states.iter().find(|s| s.peer == m);
    let alarms = crate::audit::alarms::summaries(&node.store).await?;
    if json {
        let out: Vec<_> = peers
            .iter()
            .map(|p| {
                let s = state_of(&p.member);
                serde_json::json!({
                    "member": p.member, "url": p.url, "public_key": p.public_key,
                    "fingerprint": p.fingerprint, "added_at": p.added_at,
                    "removed_at": p.removed_at,
                    "last_success": s.and_then(|s| s.last_success.clone()),
                    "last_error": s.and_then(|s| s.last_error.clone()),
                    "failures": s.map_or(0, |s| s.failures),
                    "backlog": s.and_then(|s| s.backlog),
                    "alarms": crate::audit::alarms::to_json(alarms.get(&p.member)),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if peers.is_empty() {
        println!("no peers: add one with `liaison peer add ISO3 https://host:port --key KEY`");
    }
    for p in &peers {
        let status = if p.removed_at.is_some() {
            "removed".to_owned()
        } else {
            match state_of(&p.member) {
                None => "never synced".to_owned(),
                Some(s) => match (&s.last_error, &s.last_success) {
                    (Some(e), _) => format!("FAILING ({} in a row): {e}", s.failures),
                    (None, Some(ok)) => format!("ok, last {ok}"),
                    (None, None) => "never synced".to_owned(),
                },
            }
        };
        let alarm = crate::audit::alarms::to_text(alarms.get(&p.member));
        println!(
            "{} {} {} {status}{}",
            p.member,
            p.url,
            p.fingerprint,
            alarm.map_or(String::new(), |a| format!("; {a}"))
        );
    }
    Ok(())
}
