//! `liaison export stix` and `liaison import stix`: the store on one side, `liaison-stix` (pure)
//! on the other. [`export`] writes one bundle; [`import`] reads bundles and envelopes.

mod export;
mod import;

pub use export::export;
pub use import::import;
