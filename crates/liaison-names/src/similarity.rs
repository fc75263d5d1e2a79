//! How alike two names are, and why: words are compared pairwise, assigned one to one (the best
//! pairs first), and the score weighs what was matched against what was left over.
//!
//! Word pairs, strongest first: the same letters as written (`exact`); the same once the spelling
//! conventions are folded (`same_spelling`); the same consonants (`same_consonants`, the only way
//! an Arabic-script word, without short vowels, meets its Latin spellings); the same word once a
//! glued article is dropped (`article_dropped`); the same Double Metaphone code (`same_phonetic`);
//! Jaro-Winkler on the loose forms at or above [`FUZZY_MIN`] (`fuzzy`); and two adjacent words
//! against one word that writes them together (`joined`: "Kogl-weogo", "Abu Bakr"). Particles,
//! titles and function words only ever match their own kind (`same_particle`: "ben" = "ibn").
//!
//! Score: with `weight` the sum over matched pairs of the pair's mean [`Role::evidence`],
//! `evidence` the same sum with each pair's weight times its similarity, and `miss_a`, `miss_b`
//! the sums of [`Role::miss`] over each side's unmatched words, each side's coverage is
//! `evidence / (weight + miss)`; the score is the mean of the two coverages, scaled by `0.4 + 0.6 × min(1, weight)` so that agreeing on a common first name
//! alone ("Mohamed" = "Mohamed") is never a confident match. An acronym that expands to the other
//! name scores [`ACRONYM_SCORE`].

use std::fmt;

use serde::Serialize;

use crate::lexicon::Role;
use crate::name::{Name, Token, WORDS_MAX};
use crate::phonetic;
use crate::{acronym, jaro};

/// The decision threshold: pairs at or above it are taken as the same name. Chosen on the
/// development set only (`eval/dev.jsonl`, never the test set): midway between the best-scoring
/// pair of different actors there (0.656, "Mouvement national pour la libération de l'Azawad"
/// against "Mouvement Populaire de Libération de l'Azaouad") and the lowest-scoring true variant
/// above it (0.683). `scripts/bench-names` prints the F1-maximising threshold of the day.
pub const DEFAULT_THRESHOLD: f64 = 0.67;

/// Below this Jaro-Winkler similarity two words are not taken as spellings of one another.
pub const FUZZY_MIN: f64 = 0.84;

/// The score of an acronym against a name it expands to ("AQMI", "Al-Qaïda au Maghreb islamique").
pub const ACRONYM_SCORE: f64 = 0.95;

const SIM_SAME_SPELLING: f64 = 0.96;
const SIM_SAME_CONSONANTS_ACROSS_SCRIPTS: f64 = 0.93;
const SIM_SAME_CONSONANTS: f64 = 0.9;
const SIM_ARTICLE_DROPPED: f64 = 0.93;
const SIM_SAME_PHONETIC: f64 = 0.88;
const SIM_JOINED: f64 = 0.95;
/// Words of one or two consonants written in two scripts ("Ayad", «إياد»): the same consonant is
/// weaker evidence than a longer skeleton.
const SIM_SHORT_CONSONANTS_ACROSS_SCRIPTS: f64 = 0.85;
/// Short Latin words with the same consonants and vowels that differ ("Iyad", "Ayad").
const SIM_SHORT_CONSONANTS: f64 = 0.85;
/// A fuzzy pair counts for `FUZZY_CEILING × sqrt((jw − FUZZY_MIN) / (1 − FUZZY_MIN))`: at the
/// threshold nothing, at 0.96 about 0.75, never as much as a spelling the conventions explain.
/// Jaro-Winkler is generous to long words sharing a prefix ("Waidet", "Wailkedetou": 0.87), so
/// the evidence it gives has to rise steeply with it.
const FUZZY_CEILING: f64 = 0.9;

/// How two words were found to match, or why a word was left over.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "how", rename_all = "snake_case")]
pub enum How {
    Exact,
    SameSpelling {
        loose: String,
    },
    SameConsonants {
        skeleton: String,
    },
    ArticleDropped {
        stem: String,
    },
    SamePhonetic {
        code: String,
    },
    Fuzzy {
        jaro_winkler: f64,
    },
    /// Two adjacent words on one side written as one on the other.
    Joined,
    SameParticle,
    Acronym {
        initials: String,
    },
    /// A particle, title or function word on one side only.
    ParticleDropped,
    /// A word on one side only.
    Unmatched,
}

/// One line of an explanation: which word of `a` matched which word of `b`, and how.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reason {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub a: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub b: Option<String>,
    #[serde(flatten)]
    pub how: How,
    /// The word pair's similarity (0 for a word left over).
    pub similarity: f64,
    /// The pair stands in a different order in the two names ("Targui Abdelkarim").
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub reordered: bool,
    /// One of the two words was written in Arabic script.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub across_scripts: bool,
}

/// A score in [0, 1] and every reason for it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub score: f64,
    pub reasons: Vec<Reason>,
}

impl Comparison {
    /// The decision at the default threshold.
    pub fn same(&self) -> bool {
        self.score >= DEFAULT_THRESHOLD
    }
}

/// Compares two names as written.
pub fn compare_names(a: &str, b: &str) -> Comparison {
    compare(&Name::new(a), &Name::new(b))
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// How a word pair matched, without the text an explanation shows: what the scoring loop
/// handles, so that scoring many candidates allocates nothing.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Exact,
    SameSpelling,
    SameConsonants,
    ArticleDropped,
    SamePhonetic,
    Fuzzy(f64),
    SameParticle,
    Joined,
}

/// The similarity of two words and how it was found, or `None` when they are not spellings of
/// one another.
pub fn token_similarity(a: &Token, b: &Token) -> Option<(f64, How)> {
    word_match(a, b).map(|(sim, kind)| (sim, explain(kind, a, b)))
}

fn explain(kind: Kind, a: &Token, b: &Token) -> How {
    match kind {
        Kind::Exact => How::Exact,
        Kind::SameSpelling => How::SameSpelling {
            loose: a.loose.clone(),
        },
        Kind::SameConsonants if a.arabic || b.arabic => How::SameConsonants {
            skeleton: a.skeleton.clone(),
        },
        Kind::SameConsonants => How::SameConsonants {
            skeleton: a.strict.clone(),
        },
        Kind::ArticleDropped => {
            let stem = a
                .stem
                .clone()
                .or_else(|| b.stem.clone())
                .unwrap_or_default();
            How::ArticleDropped { stem }
        }
        Kind::SamePhonetic => {
            let code = phonetic::shared(&a.codes, &b.codes)
                .unwrap_or_default()
                .to_owned();
            How::SamePhonetic { code }
        }
        Kind::Fuzzy(jw) => How::Fuzzy {
            jaro_winkler: round(jw),
        },
        Kind::SameParticle => How::SameParticle,
        Kind::Joined => How::Joined,
    }
}

/// Index of each form in [`Token`]'s hashes.
const FOLDED: usize = 0;
const CANONICAL: usize = 1;
const LOOSE: usize = 2;
const STRICT: usize = 3;
const SKELETON: usize = 4;

fn word_match(a: &Token, b: &Token) -> Option<(f64, Kind)> {
    let same = |k: usize, x: &str, y: &str| a.ids[k] == b.ids[k] && x == y;
    if a.role.is_particle_like() || b.role.is_particle_like() {
        return if a.role == b.role && same(FOLDED, &a.folded, &b.folded) {
            Some((1.0, Kind::Exact))
        } else if a.role == b.role
            && (same(LOOSE, &a.loose, &b.loose) || matches!(a.role, Role::Particle(_)))
        {
            Some((1.0, Kind::SameParticle))
        } else {
            None
        };
    }
    if same(FOLDED, &a.folded, &b.folded) {
        return Some((1.0, Kind::Exact));
    }
    if same(CANONICAL, &a.canonical, &b.canonical) || same(LOOSE, &a.loose, &b.loose) {
        return Some((SIM_SAME_SPELLING, Kind::SameSpelling));
    }
    // Acronyms and numbers are codes: "MNLA" is not a misspelling of "MPLA", nor 23 of 25.
    if a.code || b.code {
        return None;
    }
    let across = a.arabic || b.arabic;
    let same_consonants = if across {
        same(SKELETON, &a.skeleton, &b.skeleton)
    } else {
        same(STRICT, &a.strict, &b.strict)
    };
    let consonants = if across {
        a.skeleton.len()
    } else {
        a.strict.len()
    };
    if same_consonants && consonants >= 2 {
        let sim = if across {
            SIM_SAME_CONSONANTS_ACROSS_SCRIPTS
        } else {
            SIM_SAME_CONSONANTS
        };
        return Some((sim, Kind::SameConsonants));
    }
    // Short words whose vowels only differ ("Iyad", "Ayad"; "Ayad", «إياد»): one consonant in
    // common is all there is to compare, and it is weaker evidence.
    if same_consonants
        && consonants == 1
        && a.loose.len().max(b.loose.len()) <= 5
        && (across || a.loose.len().abs_diff(b.loose.len()) <= 1)
    {
        let sim = if across {
            SIM_SHORT_CONSONANTS_ACROSS_SCRIPTS
        } else {
            SIM_SHORT_CONSONANTS
        };
        return Some((sim, Kind::SameConsonants));
    }
    let stem_match = match (&a.stem, &b.stem) {
        (Some(s), _) if *s == b.loose => true,
        (_, Some(s)) if *s == a.loose => true,
        (Some(s), Some(t)) => s == t,
        _ => false,
    };
    if stem_match {
        return Some((SIM_ARTICLE_DROPPED, Kind::ArticleDropped));
    }
    // Double Metaphone codes d and t alike ("drug", "Targui": TRK): a shared code counts only
    // between words that begin with the same consonant.
    if a.skeleton.as_bytes().first() == b.skeleton.as_bytes().first()
        && phonetic::shared(&a.codes, &b.codes).is_some()
    {
        return Some((SIM_SAME_PHONETIC, Kind::SamePhonetic));
    }
    let (x, y) = if across {
        (&a.skeleton, &b.skeleton)
    } else {
        (&a.loose, &b.loose)
    };
    let min_len = if across { 3 } else { 4 };
    if x.len() < min_len || y.len() < min_len {
        return None;
    }
    let (lx, ly) = if across {
        (&a.skeleton_letters, &b.skeleton_letters)
    } else {
        (&a.loose_letters, &b.loose_letters)
    };
    let jw = jaro::jaro_winkler_at_least(x.as_bytes(), y.as_bytes(), lx, ly, FUZZY_MIN)?;
    let sim = FUZZY_CEILING * ((jw - FUZZY_MIN) / (1.0 - FUZZY_MIN)).sqrt();
    Some((sim, Kind::Fuzzy(jw)))
}

/// Compares two prepared names, with the reasons.
pub fn compare(a: &Name, b: &Name) -> Comparison {
    let by_words = compare_words(a, b, true);
    match acronym_match(a, b) {
        Some(acr) if acr.score > by_words.score => acr,
        _ => by_words,
    }
}

/// The score of [`compare`] without the reasons: what ranking many candidates needs.
pub fn score(a: &Name, b: &Name) -> f64 {
    let by_words = compare_words(a, b, false).score;
    let acronym = acronym_match(a, b).map_or(0.0, |c| c.score);
    by_words.max(acronym)
}

fn acronym_match(a: &Name, b: &Name) -> Option<Comparison> {
    let (acr_name, acr, other, acr_is_a) = match (&a.acronym, &b.acronym) {
        (Some(x), None) => (a, x, b, true),
        (None, Some(y)) => (b, y, a, false),
        _ => return None,
    };
    if !acronym::expands(acr, other) {
        return None;
    }
    let (sa, sb) = if acr_is_a {
        (acr_name.input.clone(), other.input.clone())
    } else {
        (other.input.clone(), acr_name.input.clone())
    };
    Some(Comparison {
        score: ACRONYM_SCORE,
        reasons: vec![Reason {
            a: Some(sa),
            b: Some(sb),
            how: How::Acronym {
                initials: acr.clone(),
            },
            similarity: ACRONYM_SCORE,
            reordered: false,
            across_scripts: false,
        }],
    })
}

/// One candidate pairing: a word of `a` (or two adjacent ones, joined) with a word of `b` (or two).
struct Pairing {
    key: f64,
    a: (usize, usize),
    b: (usize, usize),
    sim: f64,
    kind: Kind,
}

/// Two adjacent content words written as one elsewhere ("Kogl-weogo" = "Koglweogo", "Bel
/// Mokhtar" = "Belmokhtar"): the pairings of `one`'s words with `two`'s adjacent pairs.
fn joined(one: &Name, two: &Name, one_is_a: bool, out: &mut Vec<Pairing>) {
    for join in &two.joins {
        let j = join.first;
        let w = two.tokens[j]
            .role
            .evidence()
            .max(two.tokens[j + 1].role.evidence());
        for (i, t) in one.tokens.iter().enumerate() {
            if t.role.is_particle_like() {
                continue;
            }
            let sim = if t.loose == join.loose {
                SIM_JOINED
            } else if t.strict == join.strict && join.strict.len() >= 3 {
                SIM_SAME_CONSONANTS
            } else {
                continue;
            };
            let weight = (t.role.evidence() + w) / 2.0;
            let (a, b) = if one_is_a {
                ((i, i), (j, j + 1))
            } else {
                ((j, j + 1), (i, i))
            };
            out.push(Pairing {
                key: sim * weight,
                a,
                b,
                sim,
                kind: Kind::Joined,
            });
        }
    }
}

fn weight_of(tokens: &[Token], span: (usize, usize)) -> f64 {
    tokens[span.0..=span.1]
        .iter()
        .map(|t| t.role.evidence())
        .fold(0.0, f64::max)
}

fn surface_of(tokens: &[Token], span: (usize, usize)) -> String {
    tokens[span.0..=span.1]
        .iter()
        .map(|t| t.surface.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn compare_words(a: &Name, b: &Name, explain_it: bool) -> Comparison {
    // Every plausible pairing, then a greedy one-to-one assignment, strongest evidence first.
    // Names have a handful of words, so greedy is what an optimal assignment would give in
    // practice, and it explains itself.
    let mut pairs: Vec<Pairing> = Vec::new();
    for (i, ta) in a.tokens.iter().enumerate() {
        for (j, tb) in b.tokens.iter().enumerate() {
            if let Some((sim, kind)) = word_match(ta, tb) {
                let w = (ta.role.evidence() + tb.role.evidence()) / 2.0;
                pairs.push(Pairing {
                    key: sim * w,
                    a: (i, i),
                    b: (j, j),
                    sim,
                    kind,
                });
            }
        }
    }
    joined(a, b, true, &mut pairs);
    joined(b, a, false, &mut pairs);
    // Unstable sort (no allocation) on a total order: the same input, the same assignment.
    pairs.sort_unstable_by(|x, y| {
        y.key
            .total_cmp(&x.key)
            .then(x.a.0.abs_diff(x.b.0).cmp(&y.a.0.abs_diff(y.b.0)))
            .then(x.a.cmp(&y.a))
            .then(x.b.cmp(&y.b))
    });
    // Names keep at most WORDS_MAX words: the flags fit on the stack.
    let mut used_a = [false; WORDS_MAX];
    let mut used_b = [false; WORDS_MAX];
    let mut chosen: Vec<Pairing> = Vec::new();
    let (mut evidence, mut matched_weight) = (0.0, 0.0);
    for p in pairs {
        if used_a[p.a.0..=p.a.1].iter().any(|u| *u) || used_b[p.b.0..=p.b.1].iter().any(|u| *u) {
            continue;
        }
        used_a[p.a.0..=p.a.1].iter_mut().for_each(|u| *u = true);
        used_b[p.b.0..=p.b.1].iter_mut().for_each(|u| *u = true);
        let w = (weight_of(&a.tokens, p.a) + weight_of(&b.tokens, p.b)) / 2.0;
        evidence += p.sim * w;
        matched_weight += w;
        chosen.push(p);
    }
    let miss = |tokens: &[Token], used: &[bool]| -> f64 {
        tokens
            .iter()
            .zip(used)
            .filter(|(_, u)| !**u)
            .map(|(t, _)| t.role.miss())
            .sum()
    };
    let (miss_a, miss_b) = (miss(&a.tokens, &used_a), miss(&b.tokens, &used_b));
    let score = if evidence > 0.0 {
        let cov_a = evidence / (matched_weight + miss_a);
        let cov_b = evidence / (matched_weight + miss_b);
        (cov_a + cov_b) / 2.0 * (0.4 + 0.6 * matched_weight.min(1.0))
    } else {
        0.0
    };

    if !explain_it {
        return Comparison {
            score: round(score),
            reasons: Vec::new(),
        };
    }
    chosen.sort_unstable_by_key(|c| c.a);
    let mut reasons = Vec::with_capacity(a.tokens.len() + b.tokens.len());
    let mut max_j: Option<usize> = None;
    for p in chosen {
        let reordered = max_j.is_some_and(|m| p.b.0 < m);
        max_j = Some(max_j.map_or(p.b.0, |m| m.max(p.b.0)));
        let arabic =
            |tokens: &[Token], s: (usize, usize)| tokens[s.0..=s.1].iter().any(|t| t.arabic);
        reasons.push(Reason {
            a: Some(surface_of(&a.tokens, p.a)),
            b: Some(surface_of(&b.tokens, p.b)),
            how: explain(p.kind, &a.tokens[p.a.0], &b.tokens[p.b.0]),
            similarity: round(p.sim),
            reordered,
            across_scripts: arabic(&a.tokens, p.a) != arabic(&b.tokens, p.b),
        });
    }
    let left_over = |t: &Token| {
        if t.role.is_particle_like() {
            How::ParticleDropped
        } else {
            How::Unmatched
        }
    };
    for (t, _) in a.tokens.iter().zip(&used_a).filter(|(_, u)| !**u) {
        reasons.push(leftover(Some(t.surface.clone()), None, left_over(t)));
    }
    for (t, _) in b.tokens.iter().zip(&used_b).filter(|(_, u)| !**u) {
        reasons.push(leftover(None, Some(t.surface.clone()), left_over(t)));
    }
    Comparison {
        score: round(score),
        reasons,
    }
}

fn leftover(a: Option<String>, b: Option<String>, how: How) -> Reason {
    Reason {
        a,
        b,
        how,
        similarity: 0.0,
        reordered: false,
        across_scripts: false,
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.a.as_deref().unwrap_or("");
        let b = self.b.as_deref().unwrap_or("");
        match &self.how {
            How::Exact => write!(f, "{a} = {b} (exact)")?,
            How::SameSpelling { loose } => write!(f, "{a} = {b} (same spelling: {loose})")?,
            How::SameConsonants { skeleton } => {
                write!(f, "{a} = {b} (same consonants: {skeleton})")?
            }
            How::ArticleDropped { stem } => write!(f, "{a} = {b} (article dropped: {stem})")?,
            How::SamePhonetic { code } => write!(f, "{a} ~ {b} (same phonetic key: {code})")?,
            How::Fuzzy { jaro_winkler } => write!(f, "{a} ~ {b} (fuzzy {jaro_winkler:.2})")?,
            How::SameParticle => write!(f, "{a} = {b} (same particle)")?,
            How::Joined => write!(f, "{a} = {b} (written as one word)")?,
            How::Acronym { initials } => write!(
                f,
                "{initials}: acronym of {}",
                if self.a.as_deref().map(str::to_ascii_uppercase).as_deref() == Some(initials) {
                    b
                } else {
                    a
                }
            )?,
            How::ParticleDropped => write!(f, "{a}{b} (particle dropped)")?,
            How::Unmatched => write!(f, "{a}{b} (unmatched)")?,
        }
        if self.reordered {
            f.write_str(", reordered")?;
        }
        if self.across_scripts {
            f.write_str(", across scripts")?;
        }
        Ok(())
    }
}

impl fmt::Display for Comparison {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.3}", self.score)?;
        for (k, r) in self.reasons.iter().enumerate() {
            write!(f, "{}{r}", if k == 0 { ": " } else { "; " })?;
        }
        Ok(())
    }
}
