//! Acronyms against the names they abbreviate: "AQMI" is "Al-Qaïda au Maghreb islamique", "MNLA"
//! is "Mouvement national pour la libération de l'Azawad". Every content word must give its
//! initial, in order; particles may give theirs or not ("AQIM" takes the "A" of "al"); function
//! words never do ("MNLA" skips "pour la … de l'"), or "MPLA" would read "Mouvement … pour la
//! libération de l'Azawad"; one framing word ("organization") may be skipped ("AQIM" for "The
//! Organization of Al-Qaida in the Islamic Maghreb"), no other: "MNA" is not "Mouvement national
//! pour la libération de l'Azawad".

use crate::lexicon::Role;
use crate::name::Name;

/// True when `acronym` (upper-case letters) is made of the initials of `name`'s words as above.
/// The expansion must have at least two words that tell names apart.
pub fn expands(acronym: &str, name: &Name) -> bool {
    let letters: Vec<u8> = acronym.bytes().map(|b| b.to_ascii_lowercase()).collect();
    if letters.len() < 2 || name.content().count() < 2 || name.tokens.iter().any(|t| t.arabic) {
        return false;
    }
    // reach[k][g]: the first k letters can be produced by the words seen so far, having skipped
    // g framing words.
    let mut reach = vec![[false; GROUP_SKIPS_MAX + 1]; letters.len() + 1];
    reach[0][0] = true;
    for t in &name.tokens {
        let initial = t.folded.as_bytes().first().copied();
        let digits = t.folded.bytes().all(|b| b.is_ascii_digit());
        let mut next = vec![[false; GROUP_SKIPS_MAX + 1]; letters.len() + 1];
        for k in 0..=letters.len() {
            for g in 0..=GROUP_SKIPS_MAX {
                if !reach[k][g] {
                    continue;
                }
                match t.role {
                    Role::Function => {
                        next[k][g] = true;
                        continue;
                    }
                    Role::Particle(_) | Role::Title => next[k][g] = true,
                    _ if g < GROUP_SKIPS_MAX && FRAMING.contains(&t.loose.as_str()) => {
                        next[k][g + 1] = true
                    }
                    _ if digits => next[k][g] = true,
                    _ => {}
                }
                if k < letters.len() && Some(letters[k]) == initial {
                    next[k + 1][g] = true;
                }
            }
        }
        reach = next;
    }
    reach[letters.len()].iter().any(|r| *r)
}

/// Framing words an acronym may leave out, at most this many.
const GROUP_SKIPS_MAX: usize = 1;

/// Framing words (loose forms of organization, organisation, tanzim): they name what kind of
/// body the group is, and acronyms often leave them out.
const FRAMING: [&str; 3] = ["urganizatiun", "urganisatiun", "tanzim"];

/// The initials of the words that tell names apart, in order: the acronym an expansion is
/// indexed under (an acronym query also looks itself up with up to two letters dropped, for the
/// particles it took an initial from).
pub fn content_initials(name: &Name) -> String {
    name.content()
        .filter_map(|t| t.folded.chars().next())
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(acronym: &str, name: &str) -> bool {
        expands(acronym, &Name::new(name))
    }

    #[test]
    fn acronyms_of_the_region() {
        assert!(e("AQMI", "Al-Qaïda au Maghreb islamique"));
        assert!(e("AQIM", "al Qaeda in the Islamic Maghreb"));
        assert!(e(
            "GSPC",
            "Groupe salafiste pour la prédication et le combat"
        ));
        assert!(e(
            "MNLA",
            "Mouvement national pour la libération de l'Azawad"
        ));
        assert!(e("JNIM", "Jamaat Nusrat al-Islam wal-Muslimin"));
        assert!(e("CEMOC", "Comité d'état-major opérationnel conjoint"));
        assert!(e(
            "AQIM",
            "The Organization of Al-Qaida in the Islamic Maghreb"
        ));
    }

    #[test]
    fn near_misses_are_not_acronyms() {
        assert!(!e(
            "MPLA",
            "Mouvement national pour la libération de l'Azawad"
        ));
        assert!(
            !e("AQ", "al Qaeda in the Islamic Maghreb"),
            "content words may not be skipped"
        );
        assert!(!e("A", "Azawad Army"));
        assert!(
            !e("AZ", "Azawad"),
            "one content word is a name, not an expansion"
        );
    }

    #[test]
    fn content_initials_skip_particles() {
        assert_eq!(
            content_initials(&Name::new("al Qaeda in the Islamic Maghreb")),
            "QIM"
        );
    }
}
