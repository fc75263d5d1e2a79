//! Fusion of claims: the same event reported by several members is fused, not overwritten.
//!
//! Each report is a *claim* (a [`liaison_core::Incident`] with its originator). Claims are
//! clustered in space, time, type and actors ([`window`], [`cluster`]) into fused incidents,
//! each of which lists its claims, where they agree and where they differ ([`compare`]) and a
//! proposed agreed version ([`agreed`]) that the members concerned sign as canonical bytes.
//! [`eval`] turns real events into two nodes' noisy, overlapping claims and scores a clustering
//! against the truth.
//!
//! **Invariant:** this crate is pure. No I/O, no clock, no randomness (the evaluation generator
//! takes its seed from the caller), no threads: the same claims give the same fused incidents,
//! ids, agreed versions and bytes on every node, whatever order they are given in. Storage,
//! signing and the command line belong to the callers (`liaison-store`, `liaison-cli`).

pub mod agreed;
pub mod cluster;
pub mod compare;
pub mod eval;
pub mod geo;
pub mod window;

pub use agreed::{AgreedVersion, ClaimRef, agreed_version, fusion_id};
pub use cluster::{Cluster, Fusion, KeptApart, fuse, split_parts};
pub use compare::{Agreement, ClaimValue, Comparison, PlaceComparison, compare};
pub use window::{ActorMatch, ActorRule, PairScore, TypeRule, Window, WindowError};
