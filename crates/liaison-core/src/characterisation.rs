//! Characterisations: each member's own reading of what an incident *is* (terrorism, organised
//! crime, trafficking, insurgency, communal violence, banditry, or unknown), with a confidence and
//! a rationale.
//!
//! Members of the region disagree on these words, and the disagreement is itself intelligence:
//! one state calls an attack terrorism, its neighbour banditry, a third trafficking. Liaison keeps
//! every member's reading side by side, scoped to that member, and never folds a reading into the
//! incident's facts (which are described by the neutral [`crate::taxonomy`]). A reading is
//! evidence about the reader as much as about the event.
//!
//! The [`crosswalk`] maps the national words members use (French, English, Arabic in Latin
//! transliteration or Arabic script) onto a [`Category`], and [`Category::acled_ucdp`] says which
//! ACLED event types and UCDP `type_of_violence` codes such events are *typically* coded under.
//! That mapping is indicative only: ACLED and UCDP code what happened and who fought, not motives
//! (`docs/characterisations.md`).

use serde::{Deserialize, Serialize};

use crate::error::ValidationErrors;
use crate::ids::{CountryCode, IncidentId};
use crate::text::fold_words;

/// Longest rationale, in characters.
pub const MAX_RATIONALE_CHARS: usize = 2_000;
/// Longest national term, in characters.
pub const MAX_NATIONAL_TERM_CHARS: usize = 200;

/// What a member says an incident is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Terrorism,
    OrganisedCrime,
    Trafficking,
    Insurgency,
    CommunalViolence,
    Banditry,
    /// The member looked and cannot say: a reading in its own right, not an absence of one.
    Unknown,
}

impl Category {
    pub const ALL: [Category; 7] = [
        Category::Terrorism,
        Category::OrganisedCrime,
        Category::Trafficking,
        Category::Insurgency,
        Category::CommunalViolence,
        Category::Banditry,
        Category::Unknown,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Category::Terrorism => "terrorism",
            Category::OrganisedCrime => "organised_crime",
            Category::Trafficking => "trafficking",
            Category::Insurgency => "insurgency",
            Category::CommunalViolence => "communal_violence",
            Category::Banditry => "banditry",
            Category::Unknown => "unknown",
        }
    }

    /// Parses the snake-case name; the error lists the allowed values.
    pub fn parse(s: &str) -> Result<Category, String> {
        let t = s.trim();
        Category::ALL
            .into_iter()
            .find(|c| c.as_str() == t)
            .ok_or_else(|| {
                format!(
                    "unknown category '{t}': use one of {}",
                    Category::ALL.map(Category::as_str).join(", ")
                )
            })
    }

    /// The ACLED event types and UCDP `type_of_violence` codes (1 state-based, 2 non-state,
    /// 3 one-sided) under which events a member reads this way are *typically* coded. Indicative
    /// only: both datasets code events and actors, not motives, so the same category spans
    /// several codes and a code says nothing about the category.
    pub fn acled_ucdp(self) -> (&'static [&'static str], &'static [u8]) {
        match self {
            // Armed jihadist groups fight states (1) and attack civilians (3).
            Category::Terrorism => (
                &[
                    "Explosions/Remote violence",
                    "Violence against civilians",
                    "Battles",
                ],
                &[1, 3],
            ),
            // Only organised armed groups with a recorded name reach UCDP, as non-state (2).
            Category::OrganisedCrime => (&["Violence against civilians", "Battles"], &[2]),
            // Seizures and arrests are ACLED strategic developments; UCDP records no deaths.
            Category::Trafficking => (&["Strategic developments"], &[]),
            Category::Insurgency => (&["Battles", "Explosions/Remote violence"], &[1]),
            // Communal militias are UCDP's informally organised non-state groups.
            Category::CommunalViolence => {
                (&["Battles", "Violence against civilians", "Riots"], &[2, 3])
            }
            // Bandit groups rarely meet UCDP's organisation threshold; ACLED codes their raids.
            Category::Banditry => (&["Violence against civilians", "Battles"], &[]),
            Category::Unknown => (&[], &[]),
        }
    }
}

/// How sure a member is of its reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    Low,
    Moderate,
    High,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [Confidence::Low, Confidence::Moderate, Confidence::High];

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Moderate => "moderate",
            Confidence::High => "high",
        }
    }

    pub fn parse(s: &str) -> Result<Confidence, String> {
        let t = s.trim();
        Confidence::ALL
            .into_iter()
            .find(|c| c.as_str() == t)
            .ok_or_else(|| format!("unknown confidence '{t}': use low, moderate or high"))
    }
}

/// One member's reading of one incident.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Characterisation {
    pub incident_id: IncidentId,
    /// The member whose reading this is; never anyone else's.
    pub member: CountryCode,
    pub category: Category,
    pub confidence: Confidence,
    /// Why: required, because a bare label cannot be weighed by the other members.
    pub rationale: String,
    /// The member's own word for it, e.g. "banditisme armé".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub national_term: Option<String>,
}

impl Characterisation {
    /// Every broken rule, each naming its field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut errors = ValidationErrors::default();
        let rationale = self.rationale.trim();
        if rationale.is_empty() {
            errors.push("rationale", "is required: say why you read it this way");
        } else if rationale.chars().count() > MAX_RATIONALE_CHARS {
            errors.push(
                "rationale",
                format!("is longer than {MAX_RATIONALE_CHARS} characters"),
            );
        }
        if let Some(term) = &self.national_term {
            let term = term.trim();
            if term.is_empty() {
                errors.push("national_term", "is empty: leave it out instead");
            } else if term.chars().count() > MAX_NATIONAL_TERM_CHARS {
                errors.push(
                    "national_term",
                    format!("is longer than {MAX_NATIONAL_TERM_CHARS} characters"),
                );
            }
        }
        errors.into_result()
    }

    /// The same reading with its text fields trimmed, as it is stored.
    pub fn trimmed(&self) -> Characterisation {
        Characterisation {
            rationale: self.rationale.trim().to_owned(),
            national_term: self
                .national_term
                .as_ref()
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
            ..self.clone()
        }
    }
}

/// National terms in use in the region and the category each names. Matched after folding
/// (case, accents, punctuation), so "Banditisme armé" and "BANDITISME ARME" are the same term.
/// Arabic terms appear in common Latin transliterations and in Arabic script.
pub const CROSSWALK: &[(&str, Category)] = &[
    // Terrorism
    ("terrorisme", Category::Terrorism),
    ("terrorism", Category::Terrorism),
    ("acte terroriste", Category::Terrorism),
    ("terrorist attack", Category::Terrorism),
    ("attaque terroriste", Category::Terrorism),
    ("irhab", Category::Terrorism),
    ("irhaab", Category::Terrorism),
    ("إرهاب", Category::Terrorism),
    // Organised crime
    ("criminalité organisée", Category::OrganisedCrime),
    ("crime organisé", Category::OrganisedCrime),
    (
        "criminalité transnationale organisée",
        Category::OrganisedCrime,
    ),
    ("organised crime", Category::OrganisedCrime),
    ("organized crime", Category::OrganisedCrime),
    ("jarima munazzama", Category::OrganisedCrime),
    ("الجريمة المنظمة", Category::OrganisedCrime),
    // Trafficking
    ("trafic", Category::Trafficking),
    ("trafic de drogue", Category::Trafficking),
    ("trafic de stupéfiants", Category::Trafficking),
    ("narcotrafic", Category::Trafficking),
    ("trafic d'armes", Category::Trafficking),
    ("trafic de migrants", Category::Trafficking),
    ("traite des personnes", Category::Trafficking),
    ("contrebande", Category::Trafficking),
    ("trafficking", Category::Trafficking),
    ("drug trafficking", Category::Trafficking),
    ("arms trafficking", Category::Trafficking),
    ("smuggling", Category::Trafficking),
    ("tahrib", Category::Trafficking),
    ("تهريب", Category::Trafficking),
    // Insurgency
    ("insurrection", Category::Insurgency),
    // Also the English "rebellion": the same term once accents are folded.
    ("rébellion", Category::Insurgency),
    ("insurgency", Category::Insurgency),
    ("insurrection armée", Category::Insurgency),
    ("armed rebellion", Category::Insurgency),
    ("tamarrud", Category::Insurgency),
    ("تمرد", Category::Insurgency),
    // Communal violence
    ("conflit intercommunautaire", Category::CommunalViolence),
    ("violences intercommunautaires", Category::CommunalViolence),
    ("violence intercommunautaire", Category::CommunalViolence),
    ("conflit communautaire", Category::CommunalViolence),
    ("conflit agriculteurs éleveurs", Category::CommunalViolence),
    ("communal violence", Category::CommunalViolence),
    ("communal conflict", Category::CommunalViolence),
    ("intercommunal violence", Category::CommunalViolence),
    ("farmer herder conflict", Category::CommunalViolence),
    // Banditry
    ("banditisme", Category::Banditry),
    ("banditisme armé", Category::Banditry),
    ("grand banditisme", Category::Banditry),
    ("coupeurs de route", Category::Banditry),
    ("banditry", Category::Banditry),
    ("armed banditry", Category::Banditry),
    ("highway robbery", Category::Banditry),
    ("haraba", Category::Banditry),
    ("حرابة", Category::Banditry),
    // Unknown
    ("indéterminé", Category::Unknown),
    ("inconnu", Category::Unknown),
    ("unknown", Category::Unknown),
    ("undetermined", Category::Unknown),
];

/// Folds a term the way [`crosswalk`] compares terms: lower case, no accents, words joined by
/// single spaces (apostrophes and hyphens separate words).
fn fold_term(term: &str) -> String {
    fold_words(term).join(" ")
}

/// The category a national term names, if the crosswalk knows it.
pub fn crosswalk(national_term: &str) -> Option<Category> {
    let folded = fold_term(national_term);
    if folded.is_empty() {
        return None;
    }
    CROSSWALK
        .iter()
        .find(|(t, _)| fold_term(t) == folded)
        .map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Characterisation {
        Characterisation {
            incident_id: IncidentId::parse("DZA-2026-0001").unwrap_or_else(|e| panic!("{e}")),
            member: CountryCode::parse("MLI").unwrap_or_else(|e| panic!("{e}")),
            category: Category::Banditry,
            confidence: Confidence::Moderate,
            rationale: "  cattle raid by an armed band, no claim  ".into(),
            national_term: Some("banditisme armé".into()),
        }
    }

    #[test]
    fn categories_round_trip_and_errors_list_values() {
        for c in Category::ALL {
            assert_eq!(Category::parse(c.as_str()), Ok(c));
            let json = serde_json::to_string(&c).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
        let err = Category::parse("piracy").err().unwrap_or_default();
        assert!(err.contains("'piracy'"), "{err}");
        assert!(
            err.contains("organised_crime") && err.contains("unknown"),
            "{err}"
        );
        assert_eq!(Confidence::parse("high"), Ok(Confidence::High));
        assert!(Confidence::parse("sure").is_err());
    }

    #[test]
    fn validation_names_fields() {
        assert!(sample().validate().is_ok());
        let mut c = sample();
        c.rationale = "   ".into();
        c.national_term = Some("x".repeat(MAX_NATIONAL_TERM_CHARS + 1));
        let errs = c.validate().err().unwrap_or_default();
        let fields: Vec<&str> = errs.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["rationale", "national_term"]);
        c.rationale = "é".repeat(MAX_RATIONALE_CHARS);
        c.national_term = None;
        assert!(c.validate().is_ok(), "limits count characters, not bytes");
        c.rationale.push('x');
        assert!(c.validate().is_err());
        let t = sample().trimmed();
        assert_eq!(t.rationale, "cattle raid by an armed band, no claim");
    }

    #[test]
    fn crosswalk_folds_case_and_accents() {
        assert_eq!(crosswalk("Banditisme ARMÉ"), Some(Category::Banditry));
        assert_eq!(crosswalk("banditisme arme"), Some(Category::Banditry));
        assert_eq!(crosswalk("armed banditry"), Some(Category::Banditry));
        assert_eq!(crosswalk("Terrorisme"), Some(Category::Terrorism));
        assert_eq!(crosswalk("irhab"), Some(Category::Terrorism));
        assert_eq!(crosswalk("ارهاب"), Some(Category::Terrorism));
        assert_eq!(crosswalk("narcotrafic"), Some(Category::Trafficking));
        assert_eq!(crosswalk("trafic d’armes"), Some(Category::Trafficking));
        assert_eq!(
            crosswalk("Criminalite organisee"),
            Some(Category::OrganisedCrime)
        );
        assert_eq!(crosswalk("Rébellion"), Some(Category::Insurgency));
        assert_eq!(
            crosswalk("conflit inter-communautaire"),
            None,
            "a hyphen splits a word, so this is a different term"
        );
        assert_eq!(
            crosswalk("conflit intercommunautaire"),
            Some(Category::CommunalViolence)
        );
        assert_eq!(crosswalk("piracy"), None);
        assert_eq!(crosswalk("   "), None);
    }

    #[test]
    fn crosswalk_terms_are_distinct_after_folding() {
        let mut seen = std::collections::HashSet::new();
        for (t, _) in CROSSWALK {
            assert!(seen.insert(fold_term(t)), "{t} is listed twice");
        }
    }

    #[test]
    fn every_crosswalk_term_is_documented() {
        let doc = include_str!("../../../docs/characterisations.md");
        for (t, c) in CROSSWALK {
            let row = doc
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", c.as_str())))
                .unwrap_or_default();
            assert!(row.contains(t), "{t} is missing from the {c:?} row");
        }
    }

    #[test]
    fn acled_ucdp_codes_are_known() {
        const ACLED: [&str; 6] = [
            "Battles",
            "Explosions/Remote violence",
            "Violence against civilians",
            "Protests",
            "Riots",
            "Strategic developments",
        ];
        for c in Category::ALL {
            let (acled, ucdp) = c.acled_ucdp();
            assert!(acled.iter().all(|a| ACLED.contains(a)), "{c:?}");
            assert!(ucdp.iter().all(|u| (1..=3).contains(u)), "{c:?}");
        }
    }
}
