//! The egress policy of a Liaison node: who may receive what, in which form, and the one value
//! that the sync and TAXII layers are allowed to send.
//!
//! This crate is pure: no I/O, no clock, no randomness. The time of a decision, the node's key
//! and the objects are parameters, so federation scenarios replay exactly.
//!
//! Map of the crate:
//! - [`identity`]: a node's Ed25519 key, its public key and fingerprint;
//! - [`canonical`]: the canonical JSON bytes that signatures cover;
//! - [`seal`]: signing a STIX object as its originator, and checking such a signature on receipt;
//! - [`cedar`]: agreements as Cedar text, the schema, the standing `forbid` guards;
//! - [`notice`]: deconfliction notices: to whom they may go, signed, read back;
//! - [`policy`]: this node's agreements compiled, and the decision for a recipient;
//! - [`transform`]: the obligations applied to a copy of an incident;
//! - [`release`]: [`Release`], the egress value (release, recall, relay);
//! - [`attestation`]: signed statements that a recipient hid a recalled incident;
//! - [`response`]: signed responses of a recipient to a flash alert (acknowledged, action taken,
//!   closed);
//! - [`summary`]: an agreement in plain English;
//! - [`zones`]: the built-in zones agreement scopes name, and those an incident lies in.
//!
//! **Invariant** (DESIGN invariant 1): a [`seal::Sealed`] object, and the [`Release`] that wraps
//! it, can only be made inside this crate, after a decision allowed it and the agreement's
//! obligations were applied (or as a recall, or as an unchanged relay the originator's signed
//! terms allow); the layers that send take `Release` or `Sealed`, never a plain JSON value.

pub mod attestation;
pub mod canonical;
pub mod cedar;
pub mod identity;
pub mod notice;
pub mod policy;
pub mod release;
pub mod response;
pub mod seal;
pub mod summary;
pub mod transform;
pub mod zones;

#[cfg(test)]
mod testing;

pub use attestation::{Attestation, attestation, read_attestation};
pub use cedar::cedar_text;
pub use identity::{KeyError, NodeKey, NodePublicKey};
pub use notice::{NoticeMessage, notices_allowed, read_notice, release_notice};
pub use policy::{Decision, Policy, PolicyError, Prepared};
pub use release::{Release, ReleaseError, recall, relay, relay_recall, release};
pub use response::{AlertResponse, alert_response, read_alert_response};
pub use seal::{Checked, SealError, Sealed, Signature, verify};
pub use summary::summary;
pub use transform::{Applied, transform};
