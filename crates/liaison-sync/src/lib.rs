//! Federation between Liaison nodes, over TAXII 2.1: each peer pulls, from its own API root on
//! our node, the objects our policy releases to it; we pull ours from each peer the same way.
//!
//! Map of the crate:
//! - [`httpsig`]: HTTP message signatures (RFC 9421, Ed25519) that authenticate every request
//!   between nodes by the sender's registered key;
//! - [`tls`]: the node's TLS certificate made from its Ed25519 key, and the client's verifier
//!   that pins a peer's key instead of trusting certificate authorities;
//! - [`cursor`]: the opaque `next` tokens peers page with (the outbox counter, bound to the
//!   policy in force and authenticated, so a tampered token is refused);
//! - [`egress`]: one page of what a peer may receive: outbox → decision → transformation →
//!   seal → disclosure recorded → sent (only `liaison_policy::Release` values leave);
//! - [`ingest`]: what arrives: signature checked against the originator's registered key,
//!   mapped, stored with the page's cursor in one transaction; recalls hidden and attested;
//! - [`client`]: `sync` with each peer: pages with backoff, resumable, status kept per peer;
//! - [`actor_match`]: asking a peer whether it holds an actor with the name blinded, and
//!   fetching the record its agreements release;
//! - [`reciprocity`]: reading the reciprocity figures a peer publishes.
//!
//! **Invariants:** nothing is sent that did not come out of `liaison-policy` (the send paths
//! take `Release`; an actor query carries only blinded keys); nothing is stored that did not
//! pass `liaison_policy::verify`; every refusal is logged with its reason and never echoes
//! whether something exists.

pub mod actor_match;
pub mod client;
pub mod cursor;
pub mod egress;
pub mod httpsig;
pub mod ingest;
pub mod ledger_wire;
pub mod receipts;
pub mod reciprocity;
pub mod tls;
pub mod witness;
