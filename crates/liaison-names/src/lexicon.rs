//! What a word of a name is worth: particles, titles and function words say little about who is
//! named; very common given names ("Mohamed") and generic group words ("Front", "Mouvement",
//! "Islamic") say little when they agree, but a disagreement on them still counts.
//!
//! Each role has two weights: `evidence` (what a match on the word adds) and `miss` (what the word
//! costs when the other name has nothing for it). Lists are written as people spell the words and
//! looked up by their loose form ([`crate::latin::loose`]), so "el", "al" and «ال» are one article.

use std::collections::HashMap;
use std::sync::OnceLock;

use serde::Serialize;

/// The part a word plays in a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// A name particle: article, filiation (ould, ben, ag), kunya (abu), family (ait, oulad).
    Particle(Particle),
    /// A title or honorific: sidi, cheikh, hadj, imam, emir.
    Title,
    /// A function word of French, English or Arabic: de, of, the, wa, fi.
    Function,
    /// A very common given name: two different people often share it.
    CommonName,
    /// A generic word of group names: front, movement, islamic, armed, group.
    GroupWord,
    /// Any other word: the words that tell names apart.
    Content,
}

/// Name particles, one variant per meaning: "ben", "bin", "ibn" and «بن» are one particle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Particle {
    Al,
    Ould,
    Awlad,
    Ag,
    Bin,
    Bint,
    Abu,
    Umm,
    Ait,
}

impl Role {
    /// What a match on a word in this role adds to a score.
    pub fn evidence(self) -> f64 {
        match self {
            Role::Content => 1.0,
            Role::CommonName => 0.35,
            Role::GroupWord => 0.3,
            Role::Particle(_) => 0.15,
            Role::Title => 0.1,
            Role::Function => 0.05,
        }
    }

    /// What a word in this role costs when the other name has nothing for it: a dropped particle
    /// or title costs little; a generic group word that is not shared ("national" against
    /// "populaire") costs nearly as much as a content word, since it is what tells the groups apart.
    pub fn miss(self) -> f64 {
        match self {
            Role::Content => 1.0,
            Role::GroupWord => 0.8,
            Role::CommonName => 0.6,
            Role::Particle(_) | Role::Title => 0.1,
            Role::Function => 0.02,
        }
    }

    pub fn is_particle_like(self) -> bool {
        matches!(self, Role::Particle(_) | Role::Title | Role::Function)
    }
}

const PARTICLES: &[(Particle, &[&str])] = &[
    (Particle::Al, &["al", "el", "ul", "il"]),
    (Particle::Ould, &["ould", "wuld", "uld", "wld", "o"]),
    (Particle::Awlad, &["oulad", "awlad", "aoulad", "ulad"]),
    (Particle::Ag, &["ag", "agh"]),
    (Particle::Bin, &["ben", "bin", "ibn", "bn", "ibnou", "ibnu"]),
    (Particle::Bint, &["bint", "bent", "bnt", "mint", "ment"]),
    (Particle::Abu, &["abu", "abou", "abo", "bou", "abi"]),
    (Particle::Umm, &["umm", "oum", "um", "om"]),
    (Particle::Ait, &["ait", "ayt"]),
];

const TITLES: &[&str] = &[
    "sidi", "cheikh", "cheik", "sheikh", "shaykh", "shaikh", "hadj", "hajj", "haj", "hadji",
    "imam", "emir", "amir", "moulay", "mulay", "lalla", "sayyid", "mr", "mrs", "dr",
];

const FUNCTION_WORDS: &[&str] = &[
    "de", "du", "des", "la", "le", "les", "l", "d", "of", "the", "and", "et", "pour", "for", "in",
    "au", "aux", "en", "a", "wa", "wal", "fi", "fil", "li", "lil", "bi", "y", "del", "dans", "sur",
    "on", "to", "by", "with", "avec", "its", "ses", "et", "from", "at",
];

/// Given names so common in the region that sharing one says little.
const COMMON_NAMES: &[&str] = &[
    "mohamed",
    "mahamat",
    "mohamadou",
    "mahamadou",
    "ahmed",
    "ali",
    "omar",
    "ibrahim",
    "ibrahima",
    "moussa",
    "mamadou",
    "amadou",
    "hamadou",
    "boubacar",
    "aboubacar",
    "abubakar",
    "abdallah",
    "abdoulaye",
    "abdelkader",
    "youssouf",
    "youssef",
    "moustapha",
    "ismail",
    "hassan",
    "hussein",
    "hamid",
    "khaled",
    "said",
    "salah",
    "salem",
    "mahmoud",
    "issa",
    "idrissa",
    "souleymane",
    "fatima",
    "aicha",
    "mariam",
    "khadija",
    "yahia",
    "brahim",
];

/// Generic words of group names, in French, English and transliterated Arabic.
const GROUP_WORDS: &[&str] = &[
    "front",
    "frente",
    "mouvement",
    "movement",
    "islamic",
    "islamique",
    "islamiste",
    "islamist",
    "group",
    "groupe",
    "jamaat",
    "jamaa",
    "jamaatu",
    "jamaah",
    "armed",
    "arme",
    "armee",
    "army",
    "forces",
    "force",
    "liberation",
    "national",
    "nationale",
    "popular",
    "populaire",
    "people",
    "peuple",
    "democratic",
    "democratique",
    "democracy",
    "democratie",
    "union",
    "alliance",
    "coordination",
    "council",
    "conseil",
    "committee",
    "comite",
    "government",
    "gouvernement",
    "party",
    "parti",
    "revolutionary",
    "revolutionnaire",
    "resistance",
    "republic",
    "republique",
    "brigade",
    "battalion",
    "bataillon",
    "katiba",
    "salvation",
    "salut",
    "justice",
    "unity",
    "unite",
    "supporters",
    "military",
    "militaire",
    "faction",
    "patriotic",
    "patriotique",
    "rally",
    "rassemblement",
    "organization",
    "organisation",
    "tanzim",
    "state",
    "etat",
    "community",
    "communaute",
    "west",
    "ouest",
    "north",
    "nord",
    "south",
    "sud",
    "africa",
    "afrique",
];

fn table() -> &'static HashMap<String, Role> {
    static TABLE: OnceLock<HashMap<String, Role>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = HashMap::new();
        // Later lists do not override earlier ones: a particle stays a particle.
        let mut add = |w: &str, r: Role| {
            t.entry(crate::name::canonical_loose(w)).or_insert(r);
        };
        for (p, words) in PARTICLES {
            for w in *words {
                add(w, Role::Particle(*p));
            }
        }
        for w in TITLES {
            add(w, Role::Title);
        }
        for w in FUNCTION_WORDS {
            add(w, Role::Function);
        }
        for w in COMMON_NAMES {
            add(w, Role::CommonName);
        }
        for w in GROUP_WORDS {
            add(w, Role::GroupWord);
        }
        t
    })
}

/// The role of a word given its loose form.
pub fn role(loose: &str) -> Role {
    table().get(loose).copied().unwrap_or(Role::Content)
}

/// Arabic articles assimilated to a sun letter, as Latin spellings write them ("ar-Rahman",
/// "ad-Din", "ech-Chergui"): an article only when the next word begins with the same consonant.
pub fn assimilated_article(loose: &str, next_loose: &str) -> bool {
    let b = loose.as_bytes();
    b.len() == 2 && b[0] == b'a' && next_loose.as_bytes().first() == Some(&b[1]) && b[1] != b'l'
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::name::canonical_loose;

    fn r(w: &str) -> Role {
        role(&canonical_loose(w))
    }

    #[test]
    fn spellings_of_a_particle_are_one_particle() {
        for w in ["al", "el", "ul"] {
            assert_eq!(r(w), Role::Particle(Particle::Al), "{w}");
        }
        for w in ["ben", "bin", "ibn", "bn"] {
            assert_eq!(r(w), Role::Particle(Particle::Bin), "{w}");
        }
        for w in ["ould", "wuld", "wld"] {
            assert_eq!(r(w), Role::Particle(Particle::Ould), "{w}");
        }
        assert_eq!(r("abou"), Role::Particle(Particle::Abu));
    }

    #[test]
    fn roles_of_ordinary_words() {
        assert_eq!(r("Muhammad"), Role::CommonName);
        assert_eq!(r("Mouvement"), Role::GroupWord);
        assert_eq!(r("of"), Role::Function);
        assert_eq!(r("Azawad"), Role::Content);
        assert_eq!(r("Targui"), Role::Content);
        assert_eq!(r("Cheikh"), Role::Title);
    }

    #[test]
    fn assimilated_articles() {
        assert!(assimilated_article("ar", "rahman"));
        assert!(assimilated_article("ad", "din"));
        assert!(!assimilated_article("ar", "din"));
        assert!(!assimilated_article("an", ""));
    }
}
