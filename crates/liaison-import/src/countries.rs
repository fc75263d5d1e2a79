//! Country look-ups for the importers, memoised: a file usually holds one country, or a few, so
//! remembering the last answer per kind of key turns a table scan per row into a comparison.
//!
//! What this is not: the country table itself (`liaison_core::country`) or a gazetteer.

use liaison_core::CountryCode;
use liaison_core::country;

use crate::error::RowError;
use crate::fields::{Row, parse_whole};

/// The numeric country code a dataset uses.
#[derive(Clone, Copy)]
pub(crate) enum CodeKind {
    /// Gleditsch–Ward (UCDP's `country_id`).
    GleditschWard,
    /// ISO 3166-1 numeric (ACLED's `iso`).
    IsoNumeric,
}

impl CodeKind {
    /// What to say of a value that is not a code, and of a code no country has.
    fn complaints(self) -> (&'static str, &'static str) {
        match self {
            CodeKind::GleditschWard => (
                "is not a Gleditsch–Ward country code",
                "is not the Gleditsch–Ward code of a known country",
            ),
            CodeKind::IsoNumeric => (
                "is not an ISO 3166-1 numeric code",
                "is not the ISO 3166-1 numeric code of a country",
            ),
        }
    }
}

/// The last answer for each kind of key.
#[derive(Default)]
pub(crate) struct Countries {
    gw: Option<(u16, CountryCode)>,
    numeric: Option<(u16, CountryCode)>,
    name: Option<(String, CountryCode)>,
}

impl Countries {
    /// By Gleditsch–Ward code (UCDP `country_id`).
    pub(crate) fn by_gw(&mut self, code: u16) -> Option<CountryCode> {
        if let Some((k, c)) = &self.gw
            && *k == code
        {
            return Some(c.clone());
        }
        let c = country::by_gw_code(code).and_then(|c| CountryCode::parse(c.alpha3).ok())?;
        self.gw = Some((code, c.clone()));
        Some(c)
    }

    /// By ISO 3166-1 numeric code (ACLED `iso`).
    pub(crate) fn by_numeric(&mut self, code: u16) -> Option<CountryCode> {
        if let Some((k, c)) = &self.numeric
            && *k == code
        {
            return Some(c.clone());
        }
        let c = country::all()
            .iter()
            .find(|c| c.numeric == code)
            .and_then(|c| CountryCode::parse(c.alpha3).ok())?;
        self.numeric = Some((code, c.clone()));
        Some(c)
    }

    /// By English or French name, or a variant the table knows (UCDP's `country`, ACLED's).
    pub(crate) fn by_name(&mut self, name: &str) -> Option<CountryCode> {
        if let Some((k, c)) = &self.name
            && k == name
        {
            return Some(c.clone());
        }
        let c = country::by_name(name).and_then(|c| CountryCode::parse(c.alpha3).ok())?;
        self.name = Some((name.to_owned(), c.clone()));
        Some(c)
    }
}

impl Countries {
    /// A row's country: from its code column when given, else from its name column; an error
    /// naming the column when the value is unknown or both are empty.
    pub(crate) fn of_row(
        &mut self,
        row: &Row<'_>,
        kind: CodeKind,
        code_col: Option<usize>,
        name_col: Option<usize>,
    ) -> Result<CountryCode, RowError> {
        if let Some((col, v)) = row.opt_at(code_col) {
            let (not_a_code, unknown) = kind.complaints();
            let code = parse_whole(v)
                .and_then(|n| u16::try_from(n).ok())
                .ok_or_else(|| row.bad(col, not_a_code))?;
            let found = match kind {
                CodeKind::GleditschWard => self.by_gw(code),
                CodeKind::IsoNumeric => self.by_numeric(code),
            };
            return found.ok_or_else(|| row.bad(col, unknown));
        }
        if let Some((col, v)) = row.opt_at(name_col) {
            return self
                .by_name(v)
                .ok_or_else(|| row.bad(col, "is not the name of a known country"));
        }
        let col = code_col.or(name_col).unwrap_or(0);
        Err(row.fail(col, "is empty: the row gives no country"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lookups_and_their_memory_agree() {
        let mut c = Countries::default();
        for _ in 0..2 {
            assert_eq!(c.by_gw(432).unwrap().as_str(), "MLI");
            assert_eq!(c.by_numeric(562).unwrap().as_str(), "NER");
            assert_eq!(c.by_name("Burkina Faso").unwrap().as_str(), "BFA");
        }
        assert_eq!(c.by_gw(436).unwrap().as_str(), "NER");
        assert!(c.by_gw(9999).is_none());
        assert!(c.by_numeric(999).is_none());
        assert!(c.by_name("Atlantis").is_none());
    }
}
