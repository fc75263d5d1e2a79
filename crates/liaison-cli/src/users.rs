//! `liaison user add|list`: users and their API tokens. A token is drawn from the operating
//! system's random source, printed once, and only its hash is stored.

use anyhow::{Result, anyhow};
use liaison_server::auth::{hash_token, token_from_bytes};
use liaison_store::Role;

use crate::node::Node;

/// Draws a new API token.
pub fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("no random source: {e}"))?;
    Ok(token_from_bytes(&bytes))
}

/// Adds a user; returns the token to show once.
pub async fn add(node: &Node, name: &str, role: &str) -> Result<String> {
    let valid_name = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | '_' | '@'));
    if !valid_name {
        return Err(anyhow!(
            "user name must be 1 to 64 letters, digits or . - _ @"
        ));
    }
    let role = Role::parse(role).map_err(|e| anyhow!("--role: {e}"))?;
    let token = new_token()?;
    node.store
        .add_user(name, role, &hash_token(&token), crate::now())
        .await?;
    Ok(token)
}
