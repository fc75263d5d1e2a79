//! Double Metaphone codes (rphonetic's port of Apache commons-codec), for spellings that the
//! regional conventions of [`crate::latin`] do not fold together but an English or French reader
//! would pronounce alike ("Bernaoui" and "Bernawi" agree here).
//!
//! Codes are taken of the Latin spelling as written (folded), not of the loose form, since Double
//! Metaphone knows English and Romance spelling rules the loose form has already erased. Words
//! that came from Arabic script have no vowels to pronounce: they get no code and are compared on
//! their skeleton instead. Beider-Morse was left out: its rules target European surnames and did
//! not add agreements on this region's names that the skeleton does not already give.

use rphonetic::DoubleMetaphone;

/// The longest code kept: long enough to tell "Belmokhtar" from "Belmadani", short enough that a
/// variant ending does not break agreement.
const CODE_MAX_LEN: usize = 6;

/// Codes shorter than this ("AN" for "Younwei" and "Wiyena") are shared by too many words to
/// count as agreement.
const CODE_MIN_LEN: usize = 3;

/// The primary and alternate codes of a folded Latin word (the alternate is empty when it equals
/// the primary). Both are empty for a word without letters.
pub fn codes(folded: &str) -> (String, String) {
    if !folded.bytes().any(|b| b.is_ascii_alphabetic()) {
        return (String::new(), String::new());
    }
    let r = DoubleMetaphone::new(Some(CODE_MAX_LEN)).double_metaphone(folded);
    let (p, a) = (r.primary(), r.alternate());
    if a == p { (p, String::new()) } else { (p, a) }
}

/// The code two words share, if any (primary or alternate on either side).
pub fn shared<'a>(a: &'a (String, String), b: &(String, String)) -> Option<&'a str> {
    [&a.0, &a.1]
        .into_iter()
        .filter(|c| c.len() >= CODE_MIN_LEN)
        .find(|c| **c == b.0 || (!b.1.is_empty() && **c == b.1))
        .map(String::as_str)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spellings_that_sound_alike_share_a_code() {
        for (a, b) in [("bernaoui", "bernawi"), ("belmokhtar", "belmoktar")] {
            assert!(shared(&codes(a), &codes(b)).is_some(), "{a} ~ {b}");
        }
        assert!(shared(&codes("targui"), &codes("bernaoui")).is_none());
        // Both code "AN": too short to be agreement.
        assert!(shared(&codes("younwei"), &codes("wiyena")).is_none());
        assert_eq!(codes("123"), (String::new(), String::new()));
    }
}
