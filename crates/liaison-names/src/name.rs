//! A name prepared for comparison: its words, each in every form the comparison needs (as written,
//! folded, loose, skeleton, phonetic codes) and with its role. Preparing is the costly part;
//! an index prepares each alias once.

use liaison_core::Script;

use crate::lexicon::{self, Particle, Role};
use crate::{arabic, latin, phonetic, text};

/// One word of a prepared name (an "Abd" compound counts as one word).
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// As written in the input ("Abd al-Karim" for a compound written in three words).
    pub surface: String,
    /// Lower-case ASCII letters as written, separators removed: equality here is an exact match.
    pub folded: String,
    /// `folded` with "Abd" compounds joined ("abdkarim"); Arabic words romanised.
    pub canonical: String,
    /// [`latin::loose`] of `canonical`.
    pub loose: String,
    /// [`latin::skeleton`] of `loose`.
    pub skeleton: String,
    /// [`latin::strict_skeleton`] of `loose`.
    pub strict: String,
    /// Letter counts of `loose` and of `skeleton`, for a cheap bound before Jaro-Winkler.
    pub(crate) loose_letters: crate::jaro::Letters,
    pub(crate) skeleton_letters: crate::jaro::Letters,
    /// `loose` without a glued article ("Alghabass" → "Gabas").
    pub stem: Option<String>,
    /// Double Metaphone codes of `canonical`; empty for words from Arabic script.
    pub codes: (String, String),
    pub role: Role,
    /// Written in Arabic script (so without short vowels).
    pub arabic: bool,
    /// Written in capitals, as acronyms are ("AQMI", "GIA").
    pub upper: bool,
    /// A code rather than a word: an acronym or a number, compared only letter for letter.
    pub code: bool,
    /// Hashes of `folded`, `canonical`, `loose`, `strict`, `skeleton`: comparing many candidates
    /// compares integers first, strings only when the integers agree.
    pub(crate) ids: [u64; 5],
}

/// Words in capitals up to this long are taken as acronyms, compared only letter for letter.
pub const ACRONYM_LEN_MAX: usize = 8;

/// A name in capitals with more letters than this is not an acronym.
pub const ACRONYM_NAME_LEN_MAX: usize = 10;

/// A name keeps at most this many words (a limit on outside input; no name of the region comes
/// near it).
pub const WORDS_MAX: usize = 24;

fn id(s: &str) -> u64 {
    // FNV-1a: stable and cheap; equality is always confirmed on the strings.
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

/// A prepared name.
#[derive(Debug, Clone, PartialEq)]
pub struct Name {
    pub input: String,
    pub script: Script,
    pub tokens: Vec<Token>,
    /// The letters, when the whole name is one word in capitals ("AQMI").
    pub acronym: Option<String>,
    /// Adjacent words written as one, for the spellings that glue them.
    pub joins: Vec<Join>,
}

/// Two adjacent words as they would be written as one ("Kogl-weogo" → "koglweogo", "Abu Bakr" →
/// "abubakr"), to meet a spelling that glues them.
#[derive(Debug, Clone, PartialEq)]
pub struct Join {
    /// Index of the first of the two words.
    pub first: usize,
    pub loose: String,
    pub strict: String,
}

/// A word that may be glued to the next: a content word, or a kunya or article ("Abu Bakr" =
/// "Abubakar", "Al Ghabass" = "Alghabass"); not filiation particles, which are written apart.
fn joinable(t: &Token) -> bool {
    matches!(t.role, Role::Particle(Particle::Abu | Particle::Al)) || !t.role.is_particle_like()
}

/// A word after segmentation and romanisation, before roles and keys.
struct Word {
    surface: String,
    folded: String,
    arabic: bool,
    upper: bool,
}

/// Fold, join an "Abd" compound and take the loose form of one written word: how the lexicon's
/// lists are keyed, so that they are looked up the way names are prepared.
pub fn canonical_loose(word: &str) -> String {
    let folded = text::fold_latin(word);
    match latin::abd_compound(&folded) {
        Some(rest) => latin::loose(&format!("abd{rest}")),
        None => latin::loose(&folded),
    }
}

impl Name {
    /// Prepares a name. Never fails: a name without letters gives no tokens (and matches nothing).
    pub fn new(input: &str) -> Name {
        let mut words: Vec<Word> = Vec::new();
        for seg in text::segment(input) {
            if seg.arabic {
                let parts = arabic::romanise(&seg.surface);
                let n = parts.len();
                for (k, latin) in parts.into_iter().enumerate() {
                    // The split-off article and conjunctions show as their Arabic letters.
                    let surface = if k + 1 == n {
                        seg.surface.clone()
                    } else {
                        match latin.as_str() {
                            "al" => "ال".to_owned(),
                            "wa" => "و".to_owned(),
                            _ => "ل".to_owned(),
                        }
                    };
                    words.push(Word {
                        surface,
                        folded: latin,
                        arabic: true,
                        upper: false,
                    });
                }
            } else {
                let folded = text::fold_latin(&seg.surface);
                if folded.is_empty() {
                    continue;
                }
                words.push(Word {
                    surface: seg.surface,
                    folded,
                    arabic: false,
                    upper: seg.upper,
                });
            }
        }
        words.truncate(WORDS_MAX);
        // A name written all in capitals ("MOKHTAR BELMOKHTAR", as sanctions lists write them)
        // is in capitals for emphasis, not an acronym: only a short one is ("AQMI", "CM-FPR").
        let letters: usize = words.iter().map(|w| w.folded.len()).sum();
        if words.iter().all(|w| w.upper) && letters > ACRONYM_NAME_LEN_MAX {
            words.iter_mut().for_each(|w| w.upper = false);
        }
        let tokens = tokens(words);
        // One word in capitals, or only words in capitals ("CM-FPR"): an acronym.
        let letters: String = tokens.iter().map(|t| t.folded.as_str()).collect();
        let acronym = (!tokens.is_empty()
            && tokens.iter().all(|t| t.upper)
            && (2..=ACRONYM_NAME_LEN_MAX).contains(&letters.len()))
        .then(|| letters.to_ascii_uppercase());
        let joins = tokens
            .windows(2)
            .enumerate()
            .filter(|(_, w)| joinable(&w[0]) && !w[1].role.is_particle_like())
            .map(|(j, w)| {
                let loose = latin::loose(&format!("{}{}", w[0].canonical, w[1].canonical));
                let strict = latin::strict_skeleton(&loose);
                Join {
                    first: j,
                    loose,
                    strict,
                }
            })
            .collect();
        Name {
            input: input.to_owned(),
            script: Script::detect(input),
            tokens,
            acronym,
            joins,
        }
    }

    /// The tokens that tell names apart: neither particles, titles nor function words.
    pub fn content(&self) -> impl Iterator<Item = &Token> {
        self.tokens.iter().filter(|t| !t.role.is_particle_like())
    }
}

fn is_article(loose: &str) -> bool {
    lexicon::role(loose) == Role::Particle(Particle::Al)
}

/// Joins "Abd" compounds, then gives every word its forms and role.
fn tokens(words: Vec<Word>) -> Vec<Token> {
    // (surface, folded, canonical, arabic, upper)
    let mut joined: Vec<(String, String, String, bool, bool)> = Vec::with_capacity(words.len());
    let mut i = 0;
    while i < words.len() {
        let w = &words[i];
        if latin::ABD_WORDS.contains(&w.folded.as_str()) && i + 1 < words.len() {
            // "Abd al-Karim", "Abdel Aziz", «عبد الكريم»: skip the article, join the name.
            let mut j = i + 1;
            if j + 1 < words.len() && is_article(&latin::loose(&words[j].folded)) {
                j += 1;
            }
            let next = &words[j];
            let next_role = lexicon::role(&latin::loose(&next.folded));
            if !next_role.is_particle_like() {
                let surface = words[i..=j]
                    .iter()
                    .map(|w| w.surface.as_str())
                    .collect::<Vec<_>>()
                    .join(" ");
                let folded: String = words[i..=j].iter().map(|w| w.folded.as_str()).collect();
                let canonical = format!("abd{}", next.folded);
                let arabic = words[i..=j].iter().any(|w| w.arabic);
                joined.push((surface, folded, canonical, arabic, false));
                i = j + 1;
                continue;
            }
        }
        let canonical = match latin::abd_compound(&w.folded) {
            Some(rest) => format!("abd{rest}"),
            None => w.folded.clone(),
        };
        joined.push((
            w.surface.clone(),
            w.folded.clone(),
            canonical,
            w.arabic,
            w.upper,
        ));
        i += 1;
    }
    let looses: Vec<String> = joined.iter().map(|j| latin::loose(&j.2)).collect();
    joined
        .into_iter()
        .enumerate()
        .map(|(k, (surface, folded, canonical, arabic, upper))| {
            let loose = looses[k].clone();
            // An acronym is a word of its own, even when its letters spell a particle ("ATT").
            let mut role = if upper {
                Role::Content
            } else {
                lexicon::role(&loose)
            };
            if role == Role::Content
                && let Some(next) = looses.get(k + 1)
                && lexicon::assimilated_article(&loose, next)
            {
                role = Role::Particle(Particle::Al);
            }
            let skeleton = latin::skeleton(&loose);
            let loose_letters = crate::jaro::letters(loose.as_bytes());
            let skeleton_letters = crate::jaro::letters(skeleton.as_bytes());
            let strict = latin::strict_skeleton(&loose);
            let stem = if role.is_particle_like() || arabic {
                None
            } else {
                latin::article_stem(&loose).map(str::to_owned)
            };
            let codes = if arabic || role.is_particle_like() {
                (String::new(), String::new())
            } else {
                phonetic::codes(&canonical)
            };
            let code = (upper && folded.len() <= ACRONYM_LEN_MAX)
                || (!folded.is_empty() && folded.bytes().all(|c| c.is_ascii_digit()));
            let ids = [
                id(&folded),
                id(&canonical),
                id(&loose),
                id(&strict),
                id(&skeleton),
            ];
            Token {
                code,
                ids,
                surface,
                folded,
                canonical,
                loose,
                loose_letters,
                skeleton_letters,
                skeleton,
                strict,
                stem,
                codes,
                role,
                arabic,
                upper,
            }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn canon(s: &str) -> Vec<String> {
        Name::new(s)
            .tokens
            .into_iter()
            .map(|t| t.canonical)
            .collect()
    }

    #[test]
    fn abd_compounds_are_one_word_however_written() {
        for s in [
            "Abdelkarim",
            "Abd al-Karim",
            "Abd el Karim",
            "Abdul Karim",
            "Abdoul-Karim",
        ] {
            assert_eq!(canon(s), ["abdkarim"], "{s}");
        }
        assert_eq!(canon("عبد الكريم"), ["abdkrim"]);
        assert_eq!(canon("Abdelkrim el-Targui"), ["abdkrim", "el", "targui"]);
    }

    #[test]
    fn a_lone_abd_stays_a_word() {
        assert_eq!(canon("Abd"), ["abd"]);
        assert_eq!(canon("Abd al"), ["abd", "al"]);
    }

    #[test]
    fn roles_and_acronyms() {
        let n = Name::new("Mohamed Ould Abdel Aziz");
        let roles: Vec<Role> = n.tokens.iter().map(|t| t.role).collect();
        assert_eq!(
            roles,
            [
                Role::CommonName,
                Role::Particle(Particle::Ould),
                Role::Content
            ]
        );
        assert_eq!(Name::new("AQMI").acronym.as_deref(), Some("AQMI"));
        assert_eq!(Name::new("Aqmi").acronym, None);
        assert_eq!(
            Name::new("Abderrahmane ar-Rachid").tokens[1].role,
            Role::Particle(Particle::Al)
        );
    }

    #[test]
    fn capitals_mark_acronyms_not_emphasis() {
        let n = Name::new("ATT");
        assert_eq!(
            n.tokens[0].role,
            Role::Content,
            "not the function word \"at\""
        );
        assert!(n.tokens[0].code);
        let n = Name::new("MOKHTAR BELMOKHTAR");
        assert_eq!(n.acronym, None);
        assert!(n.tokens.iter().all(|t| !t.code && !t.upper));
        assert_eq!(Name::new("CM-FPR").acronym.as_deref(), Some("CMFPR"));
    }

    #[test]
    fn arabic_names_keep_their_script_and_surface() {
        let n = Name::new("عبد الكريم الطارقي");
        assert_eq!(n.script, Script::Arabic);
        let last = n.tokens.last().unwrap();
        assert_eq!(last.surface, "الطارقي");
        assert_eq!(last.skeleton, "trk");
        assert!(last.arabic);
    }

    #[test]
    fn empty_and_symbol_only_names_have_no_tokens() {
        assert!(Name::new("").tokens.is_empty());
        assert!(Name::new(" - ( ) ").tokens.is_empty());
    }
}
