//! Finding columns by name. A dataset's column set is resolved once, from the header, into
//! indexes; each record is then read by index. Names are matched exactly after trimming, ignoring
//! ASCII case, and a column may have aliases (`best` or `best_est`). Column order never matters.
//!
//! What this is not: a schema check of the values (see `fields.rs` and the dataset modules).

use crate::error::HeaderError;

/// Resolves the columns one dataset reads, collecting every missing required one so the user
/// learns them all at once.
pub(crate) struct Resolver<'h> {
    names: &'h [String],
    missing: Vec<String>,
    duplicate: Option<String>,
}

impl<'h> Resolver<'h> {
    pub(crate) fn new(names: &'h [String]) -> Self {
        Self {
            names,
            missing: Vec::new(),
            duplicate: None,
        }
    }

    /// The index of the column called by any of `aliases`, if there is one. Two columns answering
    /// to the same name make the header ambiguous.
    pub(crate) fn optional(&mut self, aliases: &[&str]) -> Option<usize> {
        let mut found = None;
        for (i, name) in self.names.iter().enumerate() {
            if aliases.iter().any(|a| a.eq_ignore_ascii_case(name)) {
                if found.is_some() && self.duplicate.is_none() {
                    self.duplicate = Some(name.clone());
                }
                found.get_or_insert(i);
            }
        }
        found
    }

    /// The index of a required column. When it is missing, it is recorded and `0` is returned:
    /// [`Resolver::finish`] then fails, so the placeholder is never used.
    pub(crate) fn required(&mut self, aliases: &[&str]) -> usize {
        match self.optional(aliases) {
            Some(i) => i,
            None => {
                self.missing.push(describe(aliases));
                0
            }
        }
    }

    /// Records a requirement that at least one of two optional columns be present.
    pub(crate) fn one_of(&mut self, a: Option<usize>, b: Option<usize>, what: &str) {
        if a.is_none() && b.is_none() {
            self.missing.push(what.to_owned());
        }
    }

    /// `Ok` when every required column was found and none is ambiguous.
    pub(crate) fn finish(self, dataset: &'static str) -> Result<(), HeaderError> {
        if !self.missing.is_empty() {
            return Err(HeaderError::MissingColumns {
                dataset,
                missing: self.missing,
            });
        }
        match self.duplicate {
            Some(d) => Err(HeaderError::DuplicateColumn(d)),
            None => Ok(()),
        }
    }
}

/// `best (or best_est)`.
fn describe(aliases: &[&str]) -> String {
    match aliases {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [first, rest @ ..] => format!("{first} (or {})", rest.join(", ")),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn names(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn columns_are_found_by_name_and_alias_in_any_case() {
        let h = names(&["x", "BEST_EST", "id"]);
        let mut r = Resolver::new(&h);
        assert_eq!(r.required(&["id"]), 2);
        assert_eq!(r.required(&["best", "best_est"]), 1);
        assert_eq!(r.optional(&["side_a"]), None);
        r.finish("UCDP GED").unwrap();
    }

    #[test]
    fn every_missing_column_is_named() {
        let h = names(&["x"]);
        let mut r = Resolver::new(&h);
        r.required(&["id"]);
        r.required(&["low", "low_est"]);
        r.one_of(None, None, "country_id or country");
        let e = r.finish("UCDP GED").unwrap_err();
        assert_eq!(
            e.missing_columns(),
            ["id", "low (or low_est)", "country_id or country"]
        );
    }

    #[test]
    fn an_ambiguous_column_is_refused() {
        let h = names(&["best", "id", "best_est"]);
        let mut r = Resolver::new(&h);
        r.required(&["best", "best_est"]);
        let e = r.finish("UCDP GED").unwrap_err();
        assert!(e.to_string().contains("column 'best_est' twice"));
    }
}
