//! Liaison's transparency log: the append-only record of what a node recorded, disclosed,
//! received and recalled, which peers audit with proofs instead of trust.
//!
//! **Rule:** this crate is pure. No I/O, no clock, no randomness; no tokio, sqlx, axum, hyper or
//! reqwest in its tree. Times, keys (as a signing closure) and stored nodes (as a lookup
//! closure) are parameters, so a store, a server and a test all drive the same code.
//!
//! Map of the crate:
//! - [`hash`]: RFC 6962 / 9162 leaf and node hashes;
//! - [`tree`]: [`NodeId`] (a perfect subtree) and [`Frontier`] (what an appender holds);
//! - [`proof`]: inclusion and consistency proofs, planned as lists of perfect subtrees and
//!   verified per RFC 9162 §2.1.3.2 and §2.1.4.2;
//! - [`memory`]: [`MemoryTree`], every node in memory (tests, benchmark, fsck);
//! - [`note`]: C2SP signed notes (Ed25519) and tlog-checkpoints;
//! - [`cosignature`]: C2SP tlog-cosignature v1, how members witness each other's checkpoints;
//! - [`entry`]: typed log entries and their canonical encoding; `entry_text`: summaries;
//! - [`receipt`]: a recipient's signed receipt for what it received.
//!
//! # Entry encoding
//!
//! A leaf is `SHA-256(0x00 || encode(entry))`. The encoding is one JSON object with `"v":1`,
//! `"at"`, `"type"` and the event's fields, keys sorted by UTF-8 bytes, no whitespace, integers
//! as integers, `null` for an absent option, strings minimally escaped (RFC 8785's string form).
//! [`Entry::decode`] refuses any other bytes for the same entry, so every entry has exactly one
//! leaf hash. Details in [`entry`].
//!
//! # Why our own tree
//!
//! A node's log lives in its database. Appends keep only a [`Frontier`] and persist the perfect
//! subtrees each append completes; those rows never change. A proof is then planned as the list
//! of perfect subtrees it needs ([`inclusion_plan`], [`consistency_plan`]), fetched in one query,
//! and assembled through a lookup closure, recomputing the one non-perfect right-edge subtree a
//! proof may need. Libraries such as `ct-merkle` keep the whole tree in memory and prove only
//! at its current size; we need proofs at any past size from stored nodes. `ct-merkle` serves as
//! an independent oracle in the tests, with the RFC 6962 known-answer vectors.

mod canonical;
pub mod cosignature;
pub mod entry;
mod entry_text;
pub mod hash;
pub mod memory;
pub mod note;
pub mod proof;
pub mod receipt;
pub mod tree;

pub use cosignature::{cosign, cosignature_key_id, verify_cosignature};
pub use entry::{Entry, EntryError, Event};
pub use hash::{Hash, empty_root, leaf_hash, node_hash};
pub use memory::MemoryTree;
pub use note::{
    Checkpoint, NoteError, NoteSignature, add_signature_lines, key_id, note_signature_lines,
    open_checkpoint, sign_checkpoint, verifier_key,
};
pub use proof::{
    ProofError, consistency_plan, consistency_proof, inclusion_plan, inclusion_proof, root_from,
    root_plan, verify_consistency, verify_inclusion,
};
pub use receipt::{Receipt, ReceiptItem, SignedReceipt};
pub use tree::{Frontier, NodeId};
