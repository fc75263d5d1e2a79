//! Users' reads of incidents, batched into the ledger: who looked at which incidents.
//!
//! A read must not cost a write transaction each (a search page reads a hundred incidents), so
//! reads are kept in memory per user and appended as one `reads` entry per user when that user's
//! batch is full or when [`Store::flush_reads`] runs (the server calls it every few seconds and at
//! shutdown). A crash loses at most the reads not yet flushed; never a disclosure, which is
//! written ahead of its delivery.

use std::collections::BTreeMap;

use liaison_ledger::{Entry, Event};

use crate::{Store, StoreError};

/// Incident ids per `reads` entry; a user's batch is flushed when it reaches this.
pub const READS_PER_ENTRY: usize = 500;

/// Reads not yet in the ledger, per user (ids in reading order, repeats kept out).
#[derive(Debug, Default)]
pub(crate) struct ReadBuffer {
    by_user: BTreeMap<String, Vec<String>>,
}

impl Store {
    /// Notes that `user` read `ids`; appends a `reads` entry when the user's batch is full.
    pub async fn note_reads(&self, user: &str, ids: &[&str], at: &str) -> Result<(), StoreError> {
        let full = {
            let mut buffer = self
                .reads
                .lock()
                .map_err(|_| StoreError::Corrupt("read buffer poisoned".into()))?;
            let list = buffer.by_user.entry(user.to_owned()).or_default();
            for id in ids {
                if !list.iter().any(|x| x == id) {
                    list.push((*id).to_owned());
                }
            }
            if list.len() >= READS_PER_ENTRY {
                buffer.by_user.remove(user)
            } else {
                None
            }
        };
        if let Some(ids) = full {
            self.append_reads(vec![(user.to_owned(), ids)], at).await?;
        }
        Ok(())
    }

    /// Appends every pending read to the ledger (one entry per user), in one transaction.
    pub async fn flush_reads(&self, at: &str) -> Result<usize, StoreError> {
        let pending: Vec<(String, Vec<String>)> = {
            let mut buffer = self
                .reads
                .lock()
                .map_err(|_| StoreError::Corrupt("read buffer poisoned".into()))?;
            std::mem::take(&mut buffer.by_user).into_iter().collect()
        };
        let n = pending.len();
        if n > 0 {
            self.append_reads(pending, at).await?;
        }
        Ok(n)
    }

    async fn append_reads(
        &self,
        batches: Vec<(String, Vec<String>)>,
        at: &str,
    ) -> Result<(), StoreError> {
        let entries: Vec<Entry> = batches
            .into_iter()
            .map(|(user, incident_ids)| Entry {
                at: at.to_owned(),
                event: Event::Reads { user, incident_ids },
            })
            .collect();
        self.ledger_append(&entries).await.map(|_| ())
    }
}
