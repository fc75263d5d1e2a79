//! Checks (d) and (e) of `audit verify`: the signed checkpoints against the tree recomputed
//! from the entries, and the witnesses' cosignatures against those checkpoints.
//!
//! A checkpoint is the node's signed commitment to its log at one size. Whoever rewrites an
//! entry together with its leaf hash, the subtrees above it and the head cannot re-sign the old
//! checkpoints without the node's key, so the first checkpoint that no longer matches, and the
//! last one before it that still does, bound the altered entry.

use anyhow::Result;
use liaison_core::CountryCode;
use liaison_ledger::Checkpoint;
use liaison_policy::NodePublicKey;
use liaison_store::Store;
use liaison_sync::ledger_wire::witness_name;

use super::verify::{Report, Scan};

/// The first checkpoint of a run that no longer matches the entries, and how many followed it.
struct Mismatch {
    /// The size of the last checkpoint before it that matched (0: none did).
    matched: u64,
    first: u64,
    last: u64,
    count: usize,
    /// Whether an entry in the range is already known to be missing or modified.
    explained: bool,
}

impl Mismatch {
    fn describe(&self) -> String {
        let since = if self.matched == 0 {
            "no earlier checkpoint matches".to_owned()
        } else {
            format!("the one of size {} still does", self.matched)
        };
        let (a, b) = (self.matched, self.first);
        let mut s = if self.explained {
            format!(
                "the checkpoint of size {b} no longer matches the entries ({since}), as the \
                 missing or modified entry between index {a} and {} above implies",
                b - 1
            )
        } else {
            format!(
                "an entry between index {a} and {} was altered: the checkpoint of size {b} no \
                 longer matches the entries ({since})",
                b - 1
            )
        };
        if self.count > 1 {
            s.push_str(&format!(
                "; {} later checkpoint(s), up to size {}, no longer match either",
                self.count - 1,
                self.last
            ));
        }
        s
    }
}

/// (d): returns the checkpoints whose signature verified, oldest first.
pub(super) async fn check(
    store: &Store,
    origin: &str,
    key: &NodePublicKey,
    scan: &Scan,
    report: &mut Report,
) -> Result<Vec<Checkpoint>> {
    let before = report.problems.len();
    let rows = store.checkpoints().await?;
    report.checkpoints = rows.len() as u64;
    let size = scan.tree.size();
    let mut verified = Vec::with_capacity(rows.len());
    let mut matched = 0u64;
    let mut run: Option<Mismatch> = None;
    let mut runs = Vec::new();
    for row in &rows {
        let cp = match liaison_ledger::open_checkpoint(&row.note, origin, key.as_bytes()) {
            Ok(cp) => cp,
            Err(e) => {
                report.problems.push(format!(
                    "checkpoint of size {}: its signature does not verify with this node's key \
                     as {origin}: {e}",
                    row.size
                ));
                continue;
            }
        };
        if cp.origin != origin {
            report.problems.push(format!(
                "checkpoint of size {}: its origin is {:?}, not {origin}",
                row.size, cp.origin
            ));
        }
        if cp.size != row.size || liaison_ledger::hash::to_hex(&cp.root) != row.root {
            report.problems.push(format!(
                "checkpoint of size {}: the stored size or root differs from the signed note \
                 (size {})",
                row.size, cp.size
            ));
        }
        if cp.size > size {
            report.problems.push(format!(
                "checkpoint of size {} is beyond the log's {size} entries: entries at its end \
                 were deleted, or the head moved back",
                cp.size
            ));
        } else if scan.tree.root_at(cp.size).ok() == Some(cp.root) {
            matched = cp.size;
            runs.extend(run.take());
        } else {
            match &mut run {
                Some(r) => {
                    r.last = cp.size;
                    r.count += 1;
                }
                None => {
                    run = Some(Mismatch {
                        matched,
                        first: cp.size,
                        last: cp.size,
                        count: 1,
                        explained: scan.damaged_in(matched, cp.size),
                    });
                }
            }
        }
        verified.push(cp);
    }
    runs.extend(run);
    report.problems.extend(runs.iter().map(Mismatch::describe));
    let mismatched: usize = runs.iter().map(|r| r.count).sum();
    report.done(
        "(d) checkpoints",
        before,
        format!(
            "{} of {} signed by {origin}, {} match the entries",
            verified.len(),
            rows.len(),
            verified.len() - mismatched
        ),
    );
    Ok(verified)
}

/// (e): every stored cosignature against our checkpoint of its size and the witness's key.
pub(super) async fn cosignatures(
    store: &Store,
    signed: &[Checkpoint],
    report: &mut Report,
) -> Result<()> {
    let before = report.problems.len();
    let cosigs = store.cosignatures(None).await?;
    let peers = store.peers().await?;
    report.cosignatures = cosigs.len() as u64;
    let mut good = 0;
    for c in &cosigs {
        // Stored under the witness's member code; a full witness name is read too.
        let member = c
            .witness
            .strip_prefix("liaison/")
            .and_then(|w| w.strip_suffix("/witness"))
            .unwrap_or(&c.witness);
        let who = format!(
            "cosignature by {} of the checkpoint of size {}",
            c.witness, c.size
        );
        let Some(cp) = signed.iter().find(|cp| cp.size == c.size) else {
            report
                .problems
                .push(format!("{who}: no verified checkpoint of that size"));
            continue;
        };
        let key = peers
            .iter()
            .find(|p| p.member == member)
            .and_then(|p| NodePublicKey::from_base64(&p.public_key).ok());
        let (Ok(code), Some(key)) = (CountryCode::parse(member), key) else {
            report
                .problems
                .push(format!("{who}: the witness is not a registered peer"));
            continue;
        };
        match liaison_ledger::verify_cosignature(cp, &c.line, &witness_name(&code), key.as_bytes())
        {
            Ok(time) if time == c.cosigned_at => good += 1,
            Ok(time) => report.problems.push(format!(
                "{who}: signed at {time}, but stored as signed at {}",
                c.cosigned_at
            )),
            Err(e) => report.problems.push(format!("{who} does not verify: {e}")),
        }
    }
    report.done(
        "(e) cosignatures",
        before,
        format!("{good} of {} verify", cosigs.len()),
    );
    Ok(())
}
