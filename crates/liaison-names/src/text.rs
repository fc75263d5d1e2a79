//! Unicode normalisation and segmentation: a name as typed becomes a list of words, each with the
//! text it was written as. No spelling convention is applied here (that is [`crate::latin`]).
//!
//! NFKC first, so that compatibility forms (Arabic presentation forms, full-width letters,
//! ligatures) become the letters they stand for; Latin words are then decomposed (NFKD) and their
//! marks dropped, so "Qaïda", "Ṭarqī" and "Qaida", "Tarqi" are the same letters.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// One word of a name as segmented, before any convention is applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    /// The word as written (after NFKC), for reasons shown to people.
    pub surface: String,
    /// True when the word is written in Arabic script.
    pub arabic: bool,
    /// True when every letter of the word is an upper-case Latin letter ("AQMI", "MNLA").
    pub upper: bool,
}

/// Letters that stand for ʿayn or hamza in transliterations, and typographic apostrophes: they
/// are dropped inside a word ("Jama'atu" = "Jamaatu").
fn is_apostrophe(c: char) -> bool {
    matches!(
        c,
        '\'' | '\u{2019}' | '\u{2018}' | '\u{02BC}' | '\u{02BF}' | '\u{02BE}' | '`' | '\u{00B4}'
    )
}

fn is_arabic(c: char) -> bool {
    matches!(c as u32, 0x0600..=0x06FF | 0x0750..=0x077F | 0x08A0..=0x08FF)
}

/// French elided articles and prepositions ("l'Azawad", "d'Afrique", "qu'"): split off as words of
/// their own rather than glued to the name.
const ELIDED: [&str; 6] = ["l", "d", "qu", "j", "n", "s"];

/// Splits a name into words. Separators are anything that is neither a letter, a digit nor an
/// apostrophe (spaces, hyphens, dots, brackets, commas).
pub fn segment(name: &str) -> Vec<Segment> {
    // ASCII is its own NFKC: most names skip the normalisation's allocation and tables.
    let nfkc: std::borrow::Cow<str> = if name.is_ascii() {
        name.into()
    } else {
        name.nfkc().collect::<String>().into()
    };
    let mut out = Vec::new();
    let mut word = String::new();
    for c in nfkc.chars() {
        if c.is_alphanumeric() || is_combining_mark(c) || is_apostrophe(c) {
            word.push(c);
        } else {
            push_word(&mut out, &word);
            word.clear();
        }
    }
    push_word(&mut out, &word);
    out
}

fn push_word(out: &mut Vec<Segment>, word: &str) {
    // Elision: "l'Azawad" → "l", "Azawad". Other apostrophes are dropped below.
    if let Some((head, tail)) = word.split_once(is_apostrophe)
        && ELIDED.contains(&head.to_lowercase().as_str())
        && !tail.is_empty()
    {
        push_word(out, head);
        push_word(out, tail);
        return;
    }
    let surface = word.trim_matches(is_apostrophe);
    if !surface.chars().any(char::is_alphanumeric) {
        return;
    }
    let arabic = surface.chars().any(is_arabic);
    let letters = surface.chars().filter(|c| c.is_alphabetic());
    let upper = !arabic
        && surface.chars().filter(|c| c.is_alphabetic()).count() >= 2
        && letters.clone().all(char::is_uppercase);
    out.push(Segment {
        surface: surface.to_owned(),
        arabic,
        upper,
    });
}

/// A Latin word folded to lower-case ASCII letters and digits: marks dropped, a few letters that
/// do not decompose mapped by hand, apostrophes removed.
pub fn fold_latin(word: &str) -> String {
    if word.is_ascii() {
        let mut out = word.to_ascii_lowercase();
        out.retain(|c| c.is_ascii_alphanumeric());
        return out;
    }
    let mut out = String::with_capacity(word.len());
    for c in word.nfkd() {
        if is_combining_mark(c) || is_apostrophe(c) {
            continue;
        }
        for l in c.to_lowercase() {
            match l {
                'a'..='z' | '0'..='9' => out.push(l),
                'æ' => out.push_str("ae"),
                'œ' => out.push_str("oe"),
                'ß' => out.push_str("ss"),
                'ø' => out.push('o'),
                'đ' | 'ð' => out.push('d'),
                'ł' => out.push('l'),
                'ı' => out.push('i'),
                'þ' => out.push_str("th"),
                // Letters used in transliteration for ʿayn and hamza are not letters of the name.
                'ʿ' | 'ʾ' => {}
                _ if l.is_alphanumeric() => out.push(l),
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(s: &str) -> Vec<String> {
        segment(s).into_iter().map(|w| w.surface).collect()
    }

    #[test]
    fn segments_on_spaces_hyphens_and_elision() {
        assert_eq!(
            words("Abd al-Karim al-Targui"),
            ["Abd", "al", "Karim", "al", "Targui"]
        );
        assert_eq!(
            words("Mouvement national pour la libération de l'Azawad"),
            [
                "Mouvement",
                "national",
                "pour",
                "la",
                "libération",
                "de",
                "l",
                "Azawad"
            ]
        );
        assert_eq!(words("Jama'atu Ahlis"), ["Jama'atu", "Ahlis"]);
        assert_eq!(words("  -- () "), Vec::<String>::new());
    }

    #[test]
    fn nfkc_turns_presentation_forms_into_letters() {
        // U+FEDF U+FEE0 … are the isolated/initial forms a PDF copy often yields.
        let segs = segment("\u{FEE3}\u{FEA4}\u{FEE4}\u{FEAA}");
        assert_eq!(segs.len(), 1);
        assert_eq!(segs[0].surface, "محمد");
        assert!(segs[0].arabic);
    }

    #[test]
    fn folds_marks_and_special_letters() {
        assert_eq!(fold_latin("Qaïda"), "qaida");
        assert_eq!(fold_latin("Ṭarqī"), "tarqi");
        assert_eq!(fold_latin("Jama'atu"), "jamaatu");
        assert_eq!(fold_latin("Œuvre"), "oeuvre");
        assert_eq!(fold_latin("ʿAbd"), "abd");
    }

    #[test]
    fn upper_case_marks_acronyms_only() {
        let s = segment("AQMI Aqmi A");
        assert!(s[0].upper);
        assert!(!s[1].upper);
        assert!(!s[2].upper, "a single letter is an initial, not an acronym");
    }
}
