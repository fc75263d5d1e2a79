//! Witnessing a peer's ledger, at every sync: fetch its latest checkpoint, check its signature,
//! check that it extends the last one we verified (consistency proof), read the new entries (in
//! full those that name us, hashes for the rest) and recompute the root from our stored frontier,
//! re-read a window of the old entries that name us and compare them with what we first saw,
//! then cosign (C2SP tlog-cosignature) and return the cosignature. Any failure — a checkpoint not
//! signed by the peer's key, a smaller or different tree (rollback, fork), a proof that does not
//! verify, entries that do not give the root, an old entry changed or gone — raises an alarm,
//! which is stored, logged in our own ledger and shown by the CLI, the API and the sync status;
//! nothing is cosigned and the last good state is kept, so the alarm repeats until resolved.
//!
//! Receipts travel the same way: the signed receipts our ingest issued for the pages we received
//! from a peer are delivered to it here.

use liaison_core::CountryCode;
use liaison_ledger::{Entry, Frontier, Hash, SignedReceipt};
use liaison_store::{WitnessState, WitnessedEntry};
use time::OffsetDateTime;

use crate::client::{Node, SyncError, SyncOptions, Transport, WireResponse};
use crate::ledger_wire::{
    CHECKPOINT_PATH, CONSISTENCY_PATH, COSIGNATURES_PATH, ConsistencyProof, CosignatureUpload,
    ENTRIES_PATH, EntriesPage, RECEIPTS_PATH, log_origin, unb64, witness_name,
};

/// Receipts per POST: a receipt for a page of 500 objects is ~115 KB, and the peer reads at most
/// 8 MiB per request.
pub const RECEIPTS_PER_POST: usize = 16;
/// Old entries that name us re-read per sync (a rolling window over all of them).
pub const RECHECK_PER_SYNC: u64 = 2_000;

/// What witnessing a peer's log did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WitnessReport {
    /// The size of the checkpoint verified (0: the peer's log is empty).
    pub size: u64,
    /// Entries read since the last verified checkpoint, and how many of them name us.
    pub new_entries: u64,
    pub ours: u64,
    /// Old entries that name us re-read and found unchanged.
    pub rechecked: u64,
    pub cosigned: bool,
    /// Alarms raised by this round (kind: detail).
    pub alarms: Vec<String>,
}

/// Why a log failed verification.
struct Alarm {
    kind: &'static str,
    detail: String,
}

fn alarm(kind: &'static str, detail: impl Into<String>) -> Alarm {
    Alarm {
        kind,
        detail: detail.into(),
    }
}

fn hex_hashes(list: &[String]) -> Result<Vec<Hash>, String> {
    list.iter()
        .map(|h| {
            hex::decode(h)
                .ok()
                .and_then(|b| b.try_into().ok())
                .ok_or_else(|| format!("stored hash {h} is unreadable"))
        })
        .collect()
}

impl Node<'_> {
    async fn ledger_get<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
        path: &str,
        query: String,
    ) -> Result<WireResponse, SyncError> {
        self.send_retrying(peer, transport, opts, || {
            self.sign("GET", path.to_owned(), query.clone(), Vec::new(), clock())
        })
        .await
    }

    async fn ledger_json<T: Transport, R: serde::de::DeserializeOwned>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
        path: &str,
        query: String,
    ) -> Result<Result<R, Alarm>, SyncError> {
        let resp = self
            .ledger_get(peer, transport, opts, clock, path, query)
            .await?;
        Ok(serde_json::from_slice(&resp.body)
            .map_err(|e| alarm("bad_proof", format!("{path}: unreadable answer: {e}"))))
    }

    /// Witnesses `peer`'s log (see the module's doc).
    pub async fn witness<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<WitnessReport, SyncError> {
        let mut report = WitnessReport::default();
        match self
            .verify_log(peer, transport, opts, clock, &mut report)
            .await?
        {
            Ok(()) => Ok(report),
            Err(a) => {
                let detail = a.detail;
                tracing::error!(%peer, kind = a.kind, "ledger alarm: {detail}");
                let at = liaison_store::ts_of(clock())?;
                // The same alarm is not stored again at every sync; it stays until resolved.
                let last = self.store.alarms(Some(peer.as_str()), 1).await?;
                if last.first().map(|l| (l.kind.as_str(), l.detail.as_str()))
                    != Some((a.kind, detail.as_str()))
                {
                    self.store
                        .raise_alarm(peer.as_str(), a.kind, &detail, &at)
                        .await?;
                }
                report.alarms.push(format!("{}: {detail}", a.kind));
                Ok(report)
            }
        }
    }

    async fn verify_log<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
        report: &mut WitnessReport,
    ) -> Result<Result<(), Alarm>, SyncError> {
        let Some(key) = self.keyring.get(peer) else {
            return Ok(Err(alarm("bad_signature", "no registered key")));
        };
        let resp = match self
            .ledger_get(peer, transport, opts, clock, CHECKPOINT_PATH, String::new())
            .await
        {
            Ok(r) => r,
            // An empty log has no checkpoint yet.
            Err(SyncError::Status { status: 404, .. }) => return Ok(Ok(())),
            Err(e) => return Err(e),
        };
        let note = String::from_utf8_lossy(&resp.body).into_owned();
        let cp = match liaison_ledger::open_checkpoint(&note, &log_origin(peer), key.as_bytes()) {
            Ok(cp) => cp,
            Err(e) => return Ok(Err(alarm("bad_signature", format!("checkpoint: {e}")))),
        };
        report.size = cp.size;
        let prev = self.store.witness_state(peer.as_str()).await?;
        let (mut frontier, prev_size, recheck_from) = match &prev {
            Some(s) => {
                let hashes = hex_hashes(&s.frontier).map_err(liaison_store::StoreError::Corrupt)?;
                let f = Frontier::from_hashes(s.size, hashes).map_err(|e| {
                    liaison_store::StoreError::Corrupt(format!("witness frontier: {e}"))
                })?;
                (f, s.size, s.recheck_from)
            }
            None => (Frontier::empty(), 0, 0),
        };
        let prev_root = frontier.root();
        if cp.size < prev_size {
            return Ok(Err(alarm(
                "rollback",
                format!(
                    "checkpoint of size {} after one of size {prev_size}",
                    cp.size
                ),
            )));
        }
        if cp.size == prev_size && cp.root != prev_root {
            return Ok(Err(alarm(
                "fork",
                format!("two different roots for size {}", cp.size),
            )));
        }
        if cp.size > prev_size && prev_size > 0 {
            let proof: ConsistencyProof = match self
                .ledger_json(
                    peer,
                    transport,
                    opts,
                    clock,
                    CONSISTENCY_PATH,
                    format!("?from={prev_size}&to={}", cp.size),
                )
                .await?
            {
                Ok(p) => p,
                Err(a) => return Ok(Err(a)),
            };
            let hashes: Result<Vec<Hash>, String> = proof.proof.iter().map(|h| unb64(h)).collect();
            let checked = hashes.map_err(|e| e.to_string()).and_then(|h| {
                liaison_ledger::verify_consistency(prev_size, cp.size, &prev_root, &cp.root, &h)
                    .map_err(|e| e.to_string())
            });
            if let Err(e) = checked {
                return Ok(Err(alarm(
                    "fork",
                    format!(
                        "checkpoint of size {} is not consistent with the one of size {prev_size}: {e}",
                        cp.size
                    ),
                )));
            }
        }
        let ours = match self
            .read_new_entries(peer, transport, opts, clock, &mut frontier, cp.size)
            .await?
        {
            Ok(o) => o,
            Err(a) => return Ok(Err(a)),
        };
        report.new_entries = cp.size - prev_size;
        report.ours = ours.len() as u64;
        if frontier.root() != cp.root {
            return Ok(Err(alarm(
                "altered_entry",
                format!(
                    "entries {prev_size}..{} do not give the root of the checkpoint",
                    cp.size
                ),
            )));
        }
        let next_recheck = match self
            .recheck(peer, transport, opts, clock, recheck_from, report)
            .await?
        {
            Ok(n) => n,
            Err(a) => return Ok(Err(a)),
        };
        // Everything verified: cosign, return the cosignature, keep the new state.
        let now = clock();
        let line = liaison_ledger::cosign(
            &cp,
            &witness_name(self.own),
            self.key.public().as_bytes(),
            u64::try_from(now.unix_timestamp()).unwrap_or(0),
            &|m| self.key.sign(m),
        );
        let body = serde_json::to_vec(&CosignatureUpload {
            size: cp.size,
            line,
        })
        .map_err(|e| SyncError::Transport {
            peer: peer.to_string(),
            message: e.to_string(),
        })?;
        self.send_retrying(peer, transport, opts, || {
            let mut r = self.sign(
                "POST",
                COSIGNATURES_PATH.to_owned(),
                String::new(),
                body.clone(),
                clock(),
            );
            set_json(&mut r);
            r
        })
        .await?;
        report.cosigned = true;
        self.store
            .put_witness_state(
                &WitnessState {
                    peer: peer.to_string(),
                    size: cp.size,
                    root: hex::encode(cp.root),
                    frontier: frontier.hashes().iter().map(hex::encode).collect(),
                    note,
                    checked_at: liaison_store::ts_of(now)?,
                    recheck_from: next_recheck,
                },
                &ours,
                true,
            )
            .await?;
        Ok(Ok(()))
    }

    /// Reads entries `[frontier.size(), size)` and pushes their leaves onto `frontier`; returns
    /// those that name us.
    async fn read_new_entries<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
        frontier: &mut Frontier,
        size: u64,
    ) -> Result<Result<Vec<WitnessedEntry>, Alarm>, SyncError> {
        let mut ours = Vec::new();
        let mut scratch = Vec::new();
        while frontier.size() < size {
            let start = frontier.size();
            let page: EntriesPage = match self
                .ledger_json(
                    peer,
                    transport,
                    opts,
                    clock,
                    ENTRIES_PATH,
                    format!("?start={start}&end={size}"),
                )
                .await?
            {
                Ok(p) => p,
                Err(a) => return Ok(Err(a)),
            };
            if page.entries.is_empty() {
                return Ok(Err(alarm(
                    "altered_entry",
                    format!("entries from {start} are missing (log of size {size})"),
                )));
            }
            for e in page.entries {
                if e.index != frontier.size() {
                    return Ok(Err(alarm(
                        "altered_entry",
                        format!("entry {} is missing", frontier.size()),
                    )));
                }
                let leaf = match (&e.entry, &e.hash) {
                    (Some(text), _) => {
                        if let Err(err) = Entry::decode(text.as_bytes()) {
                            return Ok(Err(alarm(
                                "altered_entry",
                                format!("entry {} is unreadable: {err}", e.index),
                            )));
                        }
                        let leaf = liaison_ledger::leaf_hash(text.as_bytes());
                        ours.push(WitnessedEntry {
                            index: e.index,
                            leaf_hash: hex::encode(leaf),
                            entry: text.clone(),
                        });
                        leaf
                    }
                    (None, Some(h)) => match unb64(h) {
                        Ok(h) => h,
                        Err(err) => {
                            return Ok(Err(alarm(
                                "altered_entry",
                                format!("entry {}: {err}", e.index),
                            )));
                        }
                    },
                    (None, None) => {
                        return Ok(Err(alarm(
                            "altered_entry",
                            format!("entry {} has neither content nor hash", e.index),
                        )));
                    }
                };
                scratch.clear();
                frontier.push(leaf, &mut scratch);
                if frontier.size() >= size {
                    break;
                }
            }
        }
        Ok(Ok(ours))
    }

    /// Re-reads up to [`RECHECK_PER_SYNC`] old entries that name us, from `from`, and compares
    /// each with what we verified first; returns where the next round starts.
    async fn recheck<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
        from: u64,
        report: &mut WitnessReport,
    ) -> Result<Result<u64, Alarm>, SyncError> {
        let held = self
            .store
            .witnessed_entries(peer.as_str(), from, RECHECK_PER_SYNC)
            .await?;
        let (Some(first), Some(last)) = (held.first(), held.last()) else {
            return Ok(Ok(0));
        };
        let (start, end) = (first.index, last.index + 1);
        let mut served = std::collections::HashMap::new();
        let mut pos = start;
        while pos < end {
            let page: EntriesPage = match self
                .ledger_json(
                    peer,
                    transport,
                    opts,
                    clock,
                    ENTRIES_PATH,
                    format!("?start={pos}&end={end}&only=mine"),
                )
                .await?
            {
                Ok(p) => p,
                Err(a) => return Ok(Err(a)),
            };
            for e in page.entries {
                if let Some(text) = e.entry {
                    served.insert(e.index, text);
                }
            }
            match page.next {
                Some(n) if n > pos => pos = n,
                _ => break,
            }
        }
        for h in &held {
            match served.get(&h.index) {
                None => {
                    return Ok(Err(alarm(
                        "altered_entry",
                        format!("entry {} (which names us) is no longer served", h.index),
                    )));
                }
                Some(text)
                    if hex::encode(liaison_ledger::leaf_hash(text.as_bytes())) != h.leaf_hash =>
                {
                    return Ok(Err(alarm(
                        "altered_entry",
                        format!(
                            "entry {} changed since it was witnessed (was: {})",
                            h.index,
                            Entry::decode(h.entry.as_bytes())
                                .map(|e| e.summary())
                                .unwrap_or_else(|_| h.entry.clone())
                        ),
                    )));
                }
                Some(_) => report.rechecked += 1,
            }
        }
        Ok(Ok(if (held.len() as u64) < RECHECK_PER_SYNC {
            0
        } else {
            end
        }))
    }

    /// Delivers the receipts we issued for what `peer` disclosed to us.
    pub async fn deliver_receipts<T: Transport>(
        &self,
        peer: &CountryCode,
        transport: &T,
        opts: &SyncOptions,
        clock: &(dyn Fn() -> OffsetDateTime + Sync),
    ) -> Result<u64, SyncError> {
        let owed = self.store.undelivered_receipts(peer.as_str()).await?;
        let mut delivered = 0;
        for chunk in owed.chunks(RECEIPTS_PER_POST) {
            let list: Vec<SignedReceipt> = chunk
                .iter()
                .filter_map(|r| serde_json::from_str(&r.doc).ok())
                .collect();
            let body = serde_json::to_vec(&list).map_err(|e| SyncError::Transport {
                peer: peer.to_string(),
                message: e.to_string(),
            })?;
            self.send_retrying(peer, transport, opts, || {
                let mut r = self.sign(
                    "POST",
                    RECEIPTS_PATH.to_owned(),
                    String::new(),
                    body.clone(),
                    clock(),
                );
                set_json(&mut r);
                r
            })
            .await?;
            let shas: Vec<String> = chunk.iter().map(|r| r.sha256.clone()).collect();
            self.store
                .mark_receipts_delivered(&shas, &liaison_store::ts_of(clock())?)
                .await?;
            delivered += chunk.len() as u64;
        }
        Ok(delivered)
    }
}

fn set_json(r: &mut crate::client::WireRequest) {
    for (k, v) in &mut r.headers {
        if k == "content-type" || k == "accept" {
            *v = "application/json".to_owned();
        }
    }
}
