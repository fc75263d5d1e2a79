//! A node's data directory: `node.json` (member code and database URL) beside the SQLite file,
//! and opening the store it names.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use liaison_core::CountryCode;
use liaison_store::Store;
use serde::{Deserialize, Serialize};

const CONFIG_FILE: &str = "node.json";
const SQLITE_FILE: &str = "liaison.db";
/// Overrides the database URL of `node.json`, so a PostgreSQL password need not sit in a file.
pub const DATABASE_URL_ENV: &str = "LIAISON_DATABASE_URL";

/// What `node.json` holds.
#[derive(Debug, Serialize, Deserialize)]
struct NodeConfig {
    /// Format of this file, for later migrations.
    format: u32,
    member: String,
    /// `"sqlite"` for the file in the data directory, or a `postgres://` URL.
    database: String,
}

/// An open node: its member code and store.
pub struct Node {
    pub member: CountryCode,
    pub store: Store,
}

fn database_url(dir: &Path, configured: &str) -> String {
    if let Ok(url) = std::env::var(DATABASE_URL_ENV) {
        return url;
    }
    if configured == "sqlite" {
        format!("sqlite://{}", dir.join(SQLITE_FILE).display())
    } else {
        configured.to_owned()
    }
}

/// Makes a new node in `dir`.
pub async fn init(dir: &Path, member: &str, db: Option<&str>) -> Result<Node> {
    let member = CountryCode::parse(member).map_err(|e| anyhow::anyhow!("--member: {e}"))?;
    let config_path = dir.join(CONFIG_FILE);
    if config_path.exists() {
        bail!(
            "{} already holds a node (found {CONFIG_FILE})",
            dir.display()
        );
    }
    if let Some(url) = db {
        liaison_store::Backend::from_url(url).map_err(|e| anyhow::anyhow!("--db: {e}"))?;
        if !url.starts_with("postgres") {
            bail!("--db takes a postgres:// URL; SQLite is the default and needs no --db");
        }
    }
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let config = NodeConfig {
        format: 1,
        member: member.to_string(),
        database: db.unwrap_or("sqlite").to_owned(),
    };
    let store = Store::open(&database_url(dir, &config.database)).await?;
    match store.setting("member").await? {
        Some(existing) if existing != member.as_str() => {
            bail!("that database already belongs to member {existing}")
        }
        _ => store.set_setting("member", member.as_str()).await?,
    }
    write_private(&config_path, &serde_json::to_string_pretty(&config)?)?;
    let key = crate::federation::identity::create(dir)?;
    let mut store = store;
    store.set_ledger_signer(crate::federation::identity::ledger_signer(&member, key));
    Ok(Node { member, store })
}

/// Writes a file readable by its owner only: it may hold a database password.
pub(crate) fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::io::Write;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options
        .open(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    f.write_all(text.as_bytes())?;
    f.write_all(b"\n")?;
    Ok(())
}

/// Opens the node in `dir`.
pub async fn open(dir: &Path) -> Result<Node> {
    let config_path: PathBuf = dir.join(CONFIG_FILE);
    let text = std::fs::read_to_string(&config_path).map_err(|_| {
        anyhow::anyhow!(
            "{} is not a node's data directory (no {CONFIG_FILE}); make one with `liaison init --data {} --member ISO3`",
            dir.display(),
            dir.display()
        )
    })?;
    let config: NodeConfig = serde_json::from_str(&text)
        .with_context(|| format!("{} is damaged", config_path.display()))?;
    if config.format != 1 {
        bail!(
            "{} has format {}, this program reads format 1",
            config_path.display(),
            config.format
        );
    }
    let member = CountryCode::parse(&config.member)
        .map_err(|e| anyhow::anyhow!("{}: member: {e}", config_path.display()))?;
    let mut store = Store::open(&database_url(dir, &config.database)).await?;
    let key = crate::federation::identity::load(dir)?;
    store.set_ledger_signer(crate::federation::identity::ledger_signer(&member, key));
    Ok(Node { member, store })
}
