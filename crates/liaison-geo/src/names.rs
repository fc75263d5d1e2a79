//! Natural Earth country names (the `name` property of its admin-0 features) mapped to ISO 3166-1
//! alpha-3 codes.
//!
//! Not a general name matcher (that is `liaison_core::country::by_name`): only the exact names
//! Natural Earth writes, for the embedded region and its neighbours, so that a boundary file cut
//! a little wider still loads. Names are matched exactly; a file with other names is an error,
//! not a guess.

/// `(Natural Earth name, ISO 3166-1 alpha-3)`.
const NAMES: &[(&str, &str)] = &[
    // The 20 features of the embedded file.
    ("Algeria", "DZA"),
    ("Benin", "BEN"),
    ("Burkina Faso", "BFA"),
    ("Cameroon", "CMR"),
    ("Chad", "TCD"),
    ("Côte d'Ivoire", "CIV"),
    ("Gambia", "GMB"),
    ("Ghana", "GHA"),
    ("Guinea", "GIN"),
    ("Guinea-Bissau", "GNB"),
    ("Libya", "LBY"),
    ("Mali", "MLI"),
    ("Mauritania", "MRT"),
    ("Morocco", "MAR"),
    ("Niger", "NER"),
    ("Nigeria", "NGA"),
    ("Senegal", "SEN"),
    ("Togo", "TGO"),
    ("Tunisia", "TUN"),
    ("W. Sahara", "ESH"),
    // Neighbours, as Natural Earth names them, and long forms of the above.
    ("Western Sahara", "ESH"),
    ("Cabo Verde", "CPV"),
    ("Central African Rep.", "CAF"),
    ("Central African Republic", "CAF"),
    ("Congo", "COG"),
    ("Dem. Rep. Congo", "COD"),
    ("Egypt", "EGY"),
    ("Eq. Guinea", "GNQ"),
    ("Equatorial Guinea", "GNQ"),
    ("France", "FRA"),
    ("Gabon", "GAB"),
    ("Italy", "ITA"),
    ("Liberia", "LBR"),
    ("Malta", "MLT"),
    ("Portugal", "PRT"),
    ("S. Sudan", "SSD"),
    ("São Tomé and Principe", "STP"),
    ("Sierra Leone", "SLE"),
    ("South Sudan", "SSD"),
    ("Spain", "ESP"),
    ("Sudan", "SDN"),
];

/// The ISO 3166-1 alpha-3 code of a Natural Earth country name, if the table has it.
pub(crate) fn iso3_of(name: &str) -> Option<&'static str> {
    NAMES
        .iter()
        .find(|(known, _)| *known == name)
        .map(|&(_, iso3)| iso3)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_codes_well_formed() {
        for (i, (name, iso3)) in NAMES.iter().enumerate() {
            assert_eq!(iso3_of(name), Some(*iso3), "{name} is listed twice");
            assert!(NAMES[..i].iter().all(|(other, _)| other != name));
            assert!(iso3.len() == 3 && iso3.bytes().all(|b| b.is_ascii_uppercase()));
        }
        assert_eq!(iso3_of("W. Sahara"), Some("ESH"));
        assert_eq!(iso3_of("Atlantis"), None);
        assert_eq!(iso3_of("mali"), None, "exact names only");
    }
}
