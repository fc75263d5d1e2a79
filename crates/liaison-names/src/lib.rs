//! Names of actors across scripts and transliterations: how «عبد الكريم الطارقي», "Abd al-Karim
//! al-Targui" and "Abdelkrim el-Targui" come to be recognised as one name, and two different
//! "Mohamed …" as two.
//!
//! **Invariant:** this crate is pure. No I/O, no clock, no randomness, no threads of its own:
//! every answer is a function of its inputs, so a score given today is given tomorrow and on
//! every node. Storage, the command line and any parallelism belong to the callers.
//!
//! The pipeline, one module a step:
//!
//! 1. [`text`]: Unicode normalisation (NFKC, then NFKD with the marks dropped), segmentation into
//!    words, French elision, apostrophes (ʿayn, hamza) dropped.
//! 2. Script detection: `liaison_core::Script::detect` on the whole name.
//! 3. [`arabic`]: Arabic-script words to Latin letters on the loose alphabet (table in the
//!    module), the article and the conjunctions split off.
//! 4. [`latin`]: the regional spelling conventions folded into a *loose* form (dj/j, kh, gh, ch/sh,
//!    ou/u/w, q/k, doubled letters, vowel classes) and a consonant *skeleton*; "Abd" compounds
//!    joined ("Abdelkrim" = "Abd el-Krim").
//! 5. [`lexicon`]: particles (al, ould, ag, ben, abu …), function words, very common given names
//!    and generic group words, each with the little weight it deserves.
//! 6. [`phonetic`]: Double Metaphone codes of the Latin spellings.
//! 7. [`similarity`]: token pairs scored and assigned one to one; a name score with its reasons.
//!    [`acronym`] lets "AQMI" meet "Al-Qaïda au Maghreb islamique".
//! 8. [`blocking`]: keys and an index that retrieve a few candidates among many names.
//! 9. [`blind`]: the same keys blinded under a secret two nodes share, so a partner can be asked
//!    whether it holds a name without the name being sent.
//! 10. [`link`]: what to do with a name an incident gives: link it to one actor (a confident,
//!     unique match), propose it for review, or leave it.

pub mod acronym;
pub mod arabic;
pub mod blind;
pub mod blocking;
mod jaro;
pub mod latin;
pub mod lexicon;
pub mod link;
pub mod name;
pub mod phonetic;
pub mod similarity;
pub mod text;

pub use blocking::{Hit, Index};
pub use lexicon::Role;
pub use link::{CONFIDENT_THRESHOLD, Candidate, Decision, Verdict, decide};
pub use name::{Name, Token};
pub use similarity::{Comparison, DEFAULT_THRESHOLD, How, Reason, compare, compare_names, score};
