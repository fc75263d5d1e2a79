//! Text folding and stemming for full-text search.
//!
//! Search must give the same answers on SQLite and PostgreSQL. Rather than rely on two engines'
//! tokenisers and stemmers (FTS5's and `to_tsvector`'s, which differ), Liaison turns text into
//! search terms here, once, in Rust: Unicode NFKD, marks removed, lower case, split on anything
//! that is not a letter or digit, stop words dropped, and each word stemmed with the French and
//! the English Snowball stemmers (both stems are kept, so a French query finds an English
//! narrative's shared words and the reverse). The stores then only match whole terms.

use std::cell::RefCell;
use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};
use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

const STOP_WORDS: &[&str] = &[
    // English
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "has", "have", "in", "into",
    "is", "it", "its", "of", "on", "or", "that", "the", "their", "this", "to", "was", "were",
    "with", // French
    "au", "aux", "avec", "ce", "ces", "dans", "de", "des", "du", "elle", "en", "est", "et", "il",
    "ils", "la", "le", "les", "leur", "par", "pour", "qui", "que", "sa", "se", "son", "sont",
    "sur", "un", "une",
];

/// Longest word kept, in bytes; longer runs are not words.
const MAX_WORD_BYTES: usize = 40;

/// Folds text to lower-case ASCII-ish words: `Tombouctou, l'Aïr` → `["tombouctou", "l", "air"]`.
pub fn fold_words(text: &str) -> Vec<String> {
    let folded: String = text
        .nfkd()
        .filter(|c| !is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect();
    folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && w.len() <= MAX_WORD_BYTES)
        .map(str::to_owned)
        .collect()
}

/// Most words whose stems one thread remembers; the memo is emptied when it is full.
const STEM_MEMO_WORDS: usize = 100_000;

thread_local! {
    /// Stems already computed on this thread. Real narratives repeat a small vocabulary, and
    /// stemming every word twice was the largest cost of a bulk import.
    static STEM_MEMO: RefCell<HashMap<String, (String, String)>> = RefCell::new(HashMap::new());
}

/// The French and English stems of a folded word.
fn stems(word: &str) -> (String, String) {
    STEM_MEMO.with(|memo| {
        if let Some(s) = memo.borrow().get(word) {
            return s.clone();
        }
        let fr = Stemmer::create(Algorithm::French).stem(word).into_owned();
        let en = Stemmer::create(Algorithm::English).stem(word).into_owned();
        let mut memo = memo.borrow_mut();
        if memo.len() >= STEM_MEMO_WORDS {
            memo.clear();
        }
        memo.insert(word.to_owned(), (fr.clone(), en.clone()));
        (fr, en)
    })
}

/// The distinct search terms of a text, in first-seen order.
pub fn index_terms(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |t: String| {
        if !out.contains(&t) {
            out.push(t);
        }
    };
    for w in fold_words(text) {
        if STOP_WORDS.contains(&w.as_str()) || (w.len() < 2 && !w.chars().all(char::is_numeric)) {
            continue;
        }
        let (fr, en) = stems(&w);
        push(fr);
        push(en);
    }
    out
}

/// The terms of a query: one group per query word, each group the word's stems; a document
/// matches when, for every group, it holds at least one of the group's terms.
pub fn query_groups(query: &str) -> Vec<Vec<String>> {
    let mut groups: Vec<Vec<String>> = Vec::new();
    for w in fold_words(query) {
        if STOP_WORDS.contains(&w.as_str()) {
            continue;
        }
        let (f, e) = stems(&w);
        let mut g = vec![f];
        if !g.contains(&e) {
            g.push(e);
        }
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold_words("Tombouctou, l'Aïr"), ["tombouctou", "l", "air"]);
        assert_eq!(fold_words("SÉGOU–Wagadou"), ["segou", "wagadou"]);
        assert_eq!(fold_words("عبد الكريم"), ["عبد", "الكريم"]);
    }

    fn matches(doc: &str, query: &str) -> bool {
        let terms = index_terms(doc);
        query_groups(query)
            .iter()
            .all(|g| g.iter().any(|t| terms.contains(t)))
    }

    #[test]
    fn french_and_english_find_each_other() {
        assert!(matches(
            "Enlèvement d'un touriste italien à Djanet",
            "enlèvements"
        ));
        assert!(matches(
            "Enlèvement d'un touriste italien à Djanet",
            "touristes italiens"
        ));
        assert!(matches(
            "An Italian tourist was kidnapped near Djanet",
            "kidnapping"
        ));
        assert!(matches("Attaque contre les gendarmes", "gendarme"));
        assert!(matches(
            "suicide bombing of the UN headquarters",
            "bombings"
        ));
        assert!(!matches(
            "suicide bombing of the UN headquarters",
            "kidnapping"
        ));
        assert!(matches("Clashes at Aguelhok", "AGUELHOK clash"));
        assert!(!matches("Clashes at Aguelhok", "Aguelhok Tessalit"));
    }

    #[test]
    fn stop_words_and_empty_queries() {
        assert!(query_groups("the of les").is_empty());
        assert!(query_groups("").is_empty());
    }
}
