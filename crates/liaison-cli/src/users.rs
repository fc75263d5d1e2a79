//! `liaison user add|list|passwd`: users, their API tokens and their web passwords. A token is
//! drawn from the operating system's random source, printed once, and only its hash is stored;
//! a password is stored only as an argon2id hash.

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

/// 32 bytes from the operating system's random source.
pub fn random_bytes() -> [u8; 32] {
    let mut bytes = [0u8; 32];
    // The OS random source does not fail on supported platforms; if it ever did, nothing
    // secret may be made from a fallback, so the process stops.
    #[allow(clippy::expect_used)]
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    bytes
}

/// Sets a user's web password (argon2id); refuses one shorter than the minimum.
pub async fn set_password(node: &Node, name: &str, password: &str) -> Result<()> {
    let min = liaison_web::session::MIN_PASSWORD_CHARS;
    if password.chars().count() < min {
        return Err(anyhow!("the password must have at least {min} characters"));
    }
    if password.len() > liaison_web::session::MAX_SECRET_BYTES {
        return Err(anyhow!("the password is too long"));
    }
    let mut salt = [0u8; 32];
    getrandom::fill(&mut salt).map_err(|e| anyhow!("no random source: {e}"))?;
    let phc = liaison_web::session::hash_password(password, &salt).map_err(|e| anyhow!(e))?;
    match node.store.set_password_hash(name, &phc).await {
        Err(liaison_store::StoreError::NotFound) => Err(anyhow!("no user {name} on this node")),
        other => Ok(other?),
    }
}

/// A password for the demo's users: 20 characters from an alphabet without look-alikes.
pub fn new_password() -> Result<String> {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| anyhow!("no random source: {e}"))?;
    // 256 is a multiple of the alphabet's 32 letters, so every letter is equally likely.
    Ok(bytes
        .iter()
        .map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()]))
        .collect())
}
