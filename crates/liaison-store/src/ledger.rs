//! The disclosure ledger's storage: entries, the tree's perfect subtrees, the head, and the
//! signed checkpoints, written in the same transaction as the fact they record.
//!
//! The tree arithmetic is `liaison_ledger`'s; this module only persists what it computes. An
//! append locks the single `ledger_head` row first (so appends are serialised on both engines),
//! rebuilds the frontier from it, checks that the frontier still gives the head's root and that
//! the head is the one the last signed checkpoint names, then pushes the new leaves. A head that
//! no longer agrees with what was signed (a tampered database) refuses every append: the node
//! stops recording, and so stops disclosing, rather than sign a history inconsistent with one it
//! signed before.

use std::collections::HashMap;
use std::sync::Arc;

use liaison_ledger::{Entry, Frontier, Hash, NodeId};
use sqlx::{Any, AssertSqlSafe, Row, Transaction};

use crate::sql::{Arg, Sql};
use crate::{Backend, Store, StoreError};

/// Rows per multi-row insert into `ledger_entries` (6 parameters each).
const ENTRY_ROWS_PER_STATEMENT: usize = 400;
/// Rows per multi-row insert into `ledger_nodes` (3 parameters each).
const NODE_ROWS_PER_STATEMENT: usize = 800;
/// The lowest level of the tree kept in `ledger_nodes`. Level 0 is the leaf hash on each entry
/// row; level 1 is not stored either: a proof needing one hashes its two leaves, which halves
/// the rows an append writes (the append rate is bound by rows written).
pub const FIRST_STORED_LEVEL: u8 = 2;
/// Most entries one read returns.
pub const MAX_ENTRIES_PER_READ: u64 = 10_000;

/// Signs a message with the node key (which never enters the store).
pub type SignFn = Arc<dyn Fn(&[u8]) -> [u8; 64] + Send + Sync>;

/// What signs this node's checkpoints and receipts: its member code, the log's origin line and
/// key name, its public key, and the signing function (the node key stays with the caller).
#[derive(Clone)]
pub struct LedgerSigner {
    pub member: String,
    pub origin: String,
    pub public_key: [u8; 32],
    pub sign: SignFn,
}

impl std::fmt::Debug for LedgerSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LedgerSigner")
            .field("member", &self.member)
            .field("origin", &self.origin)
            .finish_non_exhaustive()
    }
}

/// The log's size and root.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LedgerHead {
    pub size: u64,
    pub root: Hash,
}

/// One stored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEntry {
    pub index: u64,
    pub kind: String,
    pub at: String,
    pub concerns: Vec<String>,
    /// The canonical encoding, as stored.
    pub entry: String,
    pub leaf_hash: String,
}

impl StoredEntry {
    /// Whether the entry names `member`.
    pub fn concerns(&self, member: &str) -> bool {
        self.concerns.iter().any(|m| m == member)
    }
}

/// One signed checkpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckpointRow {
    pub size: u64,
    pub root: String,
    pub note: String,
    pub signed_at: String,
}

/// Checkpoint rows as read.
fn checkpoint_rows(
    rows: Vec<(i64, String, String, String)>,
) -> Result<Vec<CheckpointRow>, StoreError> {
    rows.into_iter()
        .map(|(size, root, note, signed_at)| {
            Ok(CheckpointRow {
                size: to_u64(size, "checkpoint size")?,
                root,
                note,
                signed_at,
            })
        })
        .collect()
}

/// A hash from its stored lower-case hex.
pub fn hex_to_hash(s: &str) -> Result<Hash, StoreError> {
    let bytes = hex::decode(s).map_err(|e| StoreError::Corrupt(format!("ledger hash {s}: {e}")))?;
    bytes
        .try_into()
        .map_err(|_| StoreError::Corrupt(format!("ledger hash {s}: not 32 bytes")))
}

fn frontier_text(f: &Frontier) -> String {
    f.hashes().iter().map(hex::encode).collect()
}

fn frontier_of(size: u64, text: &str) -> Result<Frontier, StoreError> {
    let mut hashes = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let (h, tail) = rest.split_at(rest.len().min(64));
        hashes.push(hex_to_hash(h)?);
        rest = tail;
    }
    Frontier::from_hashes(size, hashes)
        .map_err(|e| StoreError::Corrupt(format!("ledger frontier: {e}")))
}

fn to_u64(v: i64, what: &str) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| StoreError::Corrupt(format!("ledger {what} {v} is negative")))
}

fn to_i64(v: u64) -> Result<i64, StoreError> {
    i64::try_from(v).map_err(|_| StoreError::Invalid {
        field: "index".into(),
        message: format!("{v} is out of range"),
    })
}

/// Takes the ledger's write lock at the start of a transaction, so that what it reads before
/// writing (the next version of something, whether a record exists) cannot be read by a
/// concurrent writer too: such writers are serialised from their first statement, not their
/// last (on SQLite, a transaction that read first cannot take the write lock later at all).
pub(crate) async fn lock_for_append(tx: &mut Transaction<'static, Any>) -> Result<(), StoreError> {
    sqlx::query("UPDATE ledger_head SET size = size WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Reads the head, locking it for the rest of the transaction.
async fn lock_head(
    tx: &mut Transaction<'static, Any>,
) -> Result<(LedgerHead, Frontier), StoreError> {
    // The no-op update takes the row lock on PostgreSQL and the write lock on SQLite, so two
    // appenders cannot both extend the same head.
    sqlx::query("UPDATE ledger_head SET size = size WHERE id = 1")
        .execute(&mut **tx)
        .await?;
    let r = sqlx::query("SELECT size, root, frontier FROM ledger_head WHERE id = 1")
        .fetch_one(&mut **tx)
        .await?;
    let size = to_u64(r.try_get(0)?, "size")?;
    let root = hex_to_hash(&r.try_get::<String, _>(1)?)?;
    let frontier = frontier_of(size, &r.try_get::<String, _>(2)?)?;
    if frontier.root() != root {
        return Err(StoreError::Corrupt(format!(
            "ledger head at size {size} does not match its own frontier: the log was altered"
        )));
    }
    Ok((LedgerHead { size, root }, frontier))
}

async fn last_checkpoint_in(
    tx: &mut Transaction<'static, Any>,
) -> Result<Option<(u64, Hash)>, StoreError> {
    let r: Option<(i64, String)> =
        sqlx::query_as("SELECT size, root FROM ledger_checkpoints ORDER BY size DESC LIMIT 1")
            .fetch_optional(&mut **tx)
            .await?;
    r.map(|(s, root)| Ok((to_u64(s, "checkpoint size")?, hex_to_hash(&root)?)))
        .transpose()
}

/// Appends `entries` in the caller's transaction; returns the index of the first. Nothing is
/// signed: [`seal`] signs the head once the transaction's appends are done.
pub(crate) async fn append(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    entries: &[Entry],
) -> Result<u64, StoreError> {
    let (head, mut frontier) = lock_head(tx).await?;
    match last_checkpoint_in(tx).await? {
        Some((size, root)) if size == head.size && root != head.root => {
            return Err(StoreError::Corrupt(format!(
                "ledger head at size {size} differs from the checkpoint signed at that size"
            )));
        }
        Some((size, _)) if size > head.size => {
            return Err(StoreError::Corrupt(format!(
                "ledger head (size {}) is behind a signed checkpoint (size {size})",
                head.size
            )));
        }
        Some((size, root)) if size < head.size => {
            check_consistent(tx, backend, size, &root, &head).await?;
        }
        _ => {}
    }
    if entries.is_empty() {
        return Ok(head.size);
    }
    let first = head.size;
    let mut completed = Vec::with_capacity(entries.len() * 2);
    let mut rows = Vec::with_capacity(entries.len());
    for e in entries {
        let bytes = e.encode();
        let leaf = liaison_ledger::leaf_hash(&bytes);
        let index = frontier.size();
        frontier.push(leaf, &mut completed);
        let text = String::from_utf8(bytes)
            .map_err(|_| StoreError::Corrupt("ledger entry is not UTF-8".into()))?;
        let mut concerns = e.concerns();
        concerns.sort();
        concerns.dedup();
        rows.push((
            index,
            e.kind(),
            e.at.clone(),
            concerns,
            text,
            hex::encode(leaf),
        ));
    }
    // Rows are moved into the statements, not copied: an entry's text is bound once.
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut q = Sql::new(
            backend,
            "INSERT INTO ledger_entries (idx, kind, at, concerns, entry, leaf_hash) VALUES ",
        );
        for (i, (index, kind, at, concerns, text, leaf)) in
            rows.by_ref().take(ENTRY_ROWS_PER_STATEMENT).enumerate()
        {
            if i > 0 {
                q.push(", ");
            }
            q.push("(").bind(Arg::Int(to_i64(index)?)).push(", ");
            q.bind(Arg::Text(kind.to_owned())).push(", ");
            q.bind(Arg::Text(at)).push(", ");
            q.bind(Arg::Text(format!(" {} ", concerns.join(" "))))
                .push(", ");
            q.bind(Arg::Text(text)).push(", ");
            q.bind(Arg::Text(leaf)).push(")");
        }
        let (text, args) = q.into_parts()?;
        sqlx::query_with(AssertSqlSafe(text), args)
            .execute(&mut **tx)
            .await?;
    }
    let interior: Vec<&(NodeId, Hash)> = completed
        .iter()
        .filter(|(id, _)| id.level >= FIRST_STORED_LEVEL)
        .collect();
    for chunk in interior.chunks(NODE_ROWS_PER_STATEMENT) {
        let mut q = Sql::new(
            backend,
            "INSERT INTO ledger_nodes (level, idx, hash) VALUES ",
        );
        for (i, (id, hash)) in chunk.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.push("(").bind(Arg::Int(i64::from(id.level))).push(", ");
            q.bind(Arg::Int(to_i64(id.index)?)).push(", ");
            q.bind(Arg::Text(hex::encode(hash))).push(")");
        }
        sqlx::query_with(AssertSqlSafe(q.text.clone()), q.arguments()?)
            .execute(&mut **tx)
            .await?;
    }
    sqlx::query("UPDATE ledger_head SET size = $1, root = $2, frontier = $3 WHERE id = 1")
        .bind(to_i64(frontier.size())?)
        .bind(hex::encode(frontier.root()))
        .bind(frontier_text(&frontier))
        .execute(&mut **tx)
        .await?;
    Ok(first)
}

/// Checks that the head extends the checkpoint signed at `size` (appends made while no signer
/// was set), with a consistency proof from the stored subtrees.
async fn check_consistent(
    tx: &mut Transaction<'static, Any>,
    backend: Backend,
    size: u64,
    root: &Hash,
    head: &LedgerHead,
) -> Result<(), StoreError> {
    if size == 0 {
        return Ok(());
    }
    let plan = liaison_ledger::consistency_plan(size, head.size)
        .map_err(|e| StoreError::Corrupt(format!("ledger: {e}")))?;
    let nodes = fetch_nodes(tx, backend, &plan).await?;
    let proof = liaison_ledger::consistency_proof(size, head.size, &|id| nodes.get(&id).copied())
        .map_err(|e| StoreError::Corrupt(format!("ledger: {e}")))?;
    liaison_ledger::verify_consistency(size, head.size, root, &head.root, &proof).map_err(|e| {
        StoreError::Corrupt(format!(
            "ledger head (size {}) is not consistent with the checkpoint signed at size {size}: {e}",
            head.size
        ))
    })
}

/// Signs a checkpoint of the head if it moved since the last one; returns its size.
pub(crate) async fn seal(
    tx: &mut Transaction<'static, Any>,
    signer: Option<&LedgerSigner>,
    at: &str,
) -> Result<Option<u64>, StoreError> {
    let Some(signer) = signer else {
        return Ok(None);
    };
    let r = sqlx::query("SELECT size, root FROM ledger_head WHERE id = 1")
        .fetch_one(&mut **tx)
        .await?;
    let size = to_u64(r.try_get(0)?, "size")?;
    let root = hex_to_hash(&r.try_get::<String, _>(1)?)?;
    if let Some((last, _)) = last_checkpoint_in(tx).await?
        && last >= size
    {
        return Ok(None);
    }
    let cp = liaison_ledger::Checkpoint {
        origin: signer.origin.clone(),
        size,
        root,
        extensions: Vec::new(),
    };
    let sign = &*signer.sign;
    let note = liaison_ledger::sign_checkpoint(&cp, &signer.origin, &signer.public_key, &sign);
    sqlx::query(
        "INSERT INTO ledger_checkpoints (size, root, note, signed_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(to_i64(size)?)
    .bind(hex::encode(root))
    .bind(note)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(Some(size))
}

/// Fetches the hashes of perfect subtrees: leaves from `ledger_entries`, the rest from
/// `ledger_nodes`.
async fn fetch_nodes(
    conn: &mut sqlx::AnyConnection,
    backend: Backend,
    ids: &[NodeId],
) -> Result<HashMap<NodeId, Hash>, StoreError> {
    let mut out = HashMap::with_capacity(ids.len());
    // Leaves are read from the entry rows; a level-1 node from its two leaves.
    let mut leaves: Vec<u64> = Vec::new();
    for id in ids {
        match id.level {
            0 => leaves.push(id.index),
            1 => leaves.extend([2 * id.index, 2 * id.index + 1]),
            _ => {}
        }
    }
    leaves.sort_unstable();
    leaves.dedup();
    let inner: Vec<&NodeId> = ids
        .iter()
        .filter(|id| id.level >= FIRST_STORED_LEVEL)
        .collect();
    let mut leaf_hashes: HashMap<u64, Hash> = HashMap::with_capacity(leaves.len());
    if !leaves.is_empty() {
        let mut q = Sql::new(
            backend,
            "SELECT idx, leaf_hash FROM ledger_entries WHERE idx IN (",
        );
        for (i, index) in leaves.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.bind(Arg::Int(to_i64(*index)?));
        }
        q.push(")");
        for r in sqlx::query_with(AssertSqlSafe(q.text.clone()), q.arguments()?)
            .fetch_all(&mut *conn)
            .await?
        {
            let index = to_u64(r.try_get(0)?, "index")?;
            leaf_hashes.insert(index, hex_to_hash(&r.try_get::<String, _>(1)?)?);
        }
    }
    for id in ids {
        match id.level {
            0 => {
                if let Some(h) = leaf_hashes.get(&id.index) {
                    out.insert(*id, *h);
                }
            }
            1 => {
                if let (Some(l), Some(r)) = (
                    leaf_hashes.get(&(2 * id.index)),
                    leaf_hashes.get(&(2 * id.index + 1)),
                ) {
                    out.insert(*id, liaison_ledger::node_hash(l, r));
                }
            }
            _ => {}
        }
    }
    if !inner.is_empty() {
        let mut q = Sql::new(backend, "SELECT level, idx, hash FROM ledger_nodes WHERE ");
        for (i, id) in inner.iter().enumerate() {
            if i > 0 {
                q.push(" OR ");
            }
            q.push("(level = ").bind(Arg::Int(i64::from(id.level)));
            q.push(" AND idx = ")
                .bind(Arg::Int(to_i64(id.index)?))
                .push(")");
        }
        for r in sqlx::query_with(AssertSqlSafe(q.text.clone()), q.arguments()?)
            .fetch_all(&mut *conn)
            .await?
        {
            let level: i64 = r.try_get(0)?;
            let id = NodeId {
                level: u8::try_from(level)
                    .map_err(|_| StoreError::Corrupt(format!("ledger node level {level}")))?,
                index: to_u64(r.try_get(1)?, "node index")?,
            };
            out.insert(id, hex_to_hash(&r.try_get::<String, _>(2)?)?);
        }
    }
    Ok(out)
}

fn entry_of(r: &sqlx::any::AnyRow) -> Result<StoredEntry, StoreError> {
    let concerns: String = r.try_get(3)?;
    Ok(StoredEntry {
        index: to_u64(r.try_get(0)?, "index")?,
        kind: r.try_get(1)?,
        at: r.try_get(2)?,
        concerns: concerns.split_whitespace().map(str::to_owned).collect(),
        entry: r.try_get(4)?,
        leaf_hash: r.try_get(5)?,
    })
}

fn proof_error(e: liaison_ledger::ProofError) -> StoreError {
    StoreError::Invalid {
        field: "index".into(),
        message: e.to_string(),
    }
}

impl Store {
    /// Sets what signs this node's checkpoints and receipts. Without it, entries are appended
    /// and no checkpoint is signed (a store opened for a test, or by a tool without the key).
    pub fn set_ledger_signer(&mut self, signer: LedgerSigner) {
        self.ledger_signer = Some(Arc::new(signer));
    }

    pub(crate) fn signer(&self) -> Option<&LedgerSigner> {
        self.ledger_signer.as_deref()
    }

    /// Appends entries in a transaction of their own and signs the new head.
    pub async fn ledger_append(&self, entries: &[Entry]) -> Result<u64, StoreError> {
        let mut tx = self.pool.begin().await?;
        let first = append(&mut tx, self.backend, entries).await?;
        let at = entries.last().map(|e| e.at.clone()).unwrap_or_default();
        seal(&mut tx, self.signer(), &at).await?;
        tx.commit().await?;
        Ok(first)
    }

    /// Signs a checkpoint of the head if none covers it yet (after appends made without a
    /// signer); returns the latest checkpoint.
    pub async fn ledger_seal(&self, at: &str) -> Result<Option<CheckpointRow>, StoreError> {
        let mut tx = self.pool.begin().await?;
        // Taking the head's lock first, and checking it, keeps a tampered head from being signed.
        let _ = append(&mut tx, self.backend, &[]).await?;
        seal(&mut tx, self.signer(), at).await?;
        tx.commit().await?;
        self.latest_checkpoint().await
    }

    /// The log's current size and root.
    pub async fn ledger_head(&self) -> Result<LedgerHead, StoreError> {
        let r: (i64, String) = sqlx::query_as("SELECT size, root FROM ledger_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(LedgerHead {
            size: to_u64(r.0, "size")?,
            root: hex_to_hash(&r.1)?,
        })
    }

    /// The latest signed checkpoint.
    pub async fn latest_checkpoint(&self) -> Result<Option<CheckpointRow>, StoreError> {
        let r: Option<(i64, String, String, String)> = sqlx::query_as(
            "SELECT size, root, note, signed_at FROM ledger_checkpoints ORDER BY size DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        r.map(|(size, root, note, signed_at)| {
            Ok(CheckpointRow {
                size: to_u64(size, "checkpoint size")?,
                root,
                note,
                signed_at,
            })
        })
        .transpose()
    }

    /// Every signed checkpoint, oldest first.
    pub async fn checkpoints(&self) -> Result<Vec<CheckpointRow>, StoreError> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT size, root, note, signed_at FROM ledger_checkpoints ORDER BY size",
        )
        .fetch_all(&self.pool)
        .await?;
        checkpoint_rows(rows)
    }

    /// The `limit` latest signed checkpoints, newest first (a checkpoint is signed at every
    /// write, so reading them all grows with the log).
    pub async fn latest_checkpoints(&self, limit: i64) -> Result<Vec<CheckpointRow>, StoreError> {
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT size, root, note, signed_at FROM ledger_checkpoints ORDER BY size DESC LIMIT $1",
        )
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await?;
        checkpoint_rows(rows)
    }

    /// The inclusion proof of leaf `index` in the tree of `size` (at most the current size).
    pub async fn inclusion_proof(&self, index: u64, size: u64) -> Result<Vec<Hash>, StoreError> {
        self.check_size(size).await?;
        let plan = liaison_ledger::inclusion_plan(index, size).map_err(proof_error)?;
        let nodes = fetch_nodes(&mut *self.pool.acquire().await?, self.backend, &plan).await?;
        liaison_ledger::inclusion_proof(index, size, &|id| nodes.get(&id).copied())
            .map_err(|e| StoreError::Corrupt(format!("ledger: {e}")))
    }

    /// The consistency proof between the trees of sizes `from` and `to`.
    pub async fn consistency_proof(&self, from: u64, to: u64) -> Result<Vec<Hash>, StoreError> {
        self.check_size(to).await?;
        let plan = liaison_ledger::consistency_plan(from, to).map_err(proof_error)?;
        let nodes = fetch_nodes(&mut *self.pool.acquire().await?, self.backend, &plan).await?;
        liaison_ledger::consistency_proof(from, to, &|id| nodes.get(&id).copied())
            .map_err(|e| StoreError::Corrupt(format!("ledger: {e}")))
    }

    /// The root of the tree of `size` (at most the current size), from the stored subtrees.
    pub async fn ledger_root_at(&self, size: u64) -> Result<Hash, StoreError> {
        self.check_size(size).await?;
        let plan = liaison_ledger::root_plan(size);
        let nodes = fetch_nodes(&mut *self.pool.acquire().await?, self.backend, &plan).await?;
        liaison_ledger::root_from(size, &|id| nodes.get(&id).copied())
            .map_err(|e| StoreError::Corrupt(format!("ledger: {e}")))
    }

    async fn check_size(&self, size: u64) -> Result<(), StoreError> {
        let head = self.ledger_head().await?;
        if size > head.size {
            return Err(StoreError::Invalid {
                field: "size".into(),
                message: format!("{size} is beyond the log's size {}", head.size),
            });
        }
        Ok(())
    }

    /// Entries with `start <= index < end`, at most [`MAX_ENTRIES_PER_READ`], in order.
    pub async fn ledger_entries(
        &self,
        start: u64,
        end: u64,
    ) -> Result<Vec<StoredEntry>, StoreError> {
        let end = end.min(start.saturating_add(MAX_ENTRIES_PER_READ));
        let rows = sqlx::query(
            "SELECT idx, kind, at, concerns, entry, leaf_hash FROM ledger_entries
             WHERE idx >= $1 AND idx < $2 ORDER BY idx",
        )
        .bind(to_i64(start)?)
        .bind(to_i64(end)?)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(entry_of).collect()
    }

    /// Entries from `start` that name `member`, at most `limit`, in order.
    pub async fn ledger_entries_concerning(
        &self,
        member: &str,
        start: u64,
        end: u64,
        limit: u64,
    ) -> Result<Vec<StoredEntry>, StoreError> {
        let rows = sqlx::query(
            "SELECT idx, kind, at, concerns, entry, leaf_hash FROM ledger_entries
             WHERE idx >= $1 AND idx < $2 AND concerns LIKE $3 ORDER BY idx LIMIT $4",
        )
        .bind(to_i64(start)?)
        .bind(to_i64(end)?)
        .bind(format!("% {member} %"))
        .bind(to_i64(limit.min(MAX_ENTRIES_PER_READ))?)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(entry_of).collect()
    }

    /// Every stored subtree above the leaves, as `(level, index, hash)`, for `audit verify`.
    pub async fn ledger_nodes(&self) -> Result<Vec<(NodeId, String)>, StoreError> {
        let rows: Vec<(i64, i64, String)> =
            sqlx::query_as("SELECT level, idx, hash FROM ledger_nodes ORDER BY level, idx")
                .fetch_all(&self.pool)
                .await?;
        rows.into_iter()
            .map(|(level, index, hash)| {
                Ok((
                    NodeId {
                        level: u8::try_from(level).map_err(|_| {
                            StoreError::Corrupt(format!("ledger node level {level}"))
                        })?,
                        index: to_u64(index, "node index")?,
                    },
                    hash,
                ))
            })
            .collect()
    }

    /// The stored frontier of the head (for `audit verify`).
    pub async fn ledger_head_frontier(&self) -> Result<Vec<String>, StoreError> {
        let f: String = sqlx::query_scalar("SELECT frontier FROM ledger_head WHERE id = 1")
            .fetch_one(&self.pool)
            .await?;
        Ok(f.as_bytes()
            .chunks(64)
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect())
    }
}
