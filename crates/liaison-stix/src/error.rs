//! Errors of incoming STIX: the envelope as a whole ([`EnvelopeError`]: not JSON, too big, too
//! deep, not a bundle or envelope), and one object ([`ObjectError`]: named by its index, its id
//! when it has one, and the property at fault).

use std::fmt;

/// The input cannot be read as a bundle or an envelope at all: nothing of it can be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct EnvelopeError(pub String);

/// What is wrong with one object of a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectError {
    /// Its position in `objects`.
    pub index: usize,
    /// Its id, when it has a readable one.
    pub id: Option<String>,
    /// The property at fault (dotted path, `extensions.<id>.fatalities_best`), if one is.
    pub property: Option<String>,
    pub reason: String,
}

impl ObjectError {
    pub fn new(index: usize, id: Option<&str>, property: Option<&str>, reason: String) -> Self {
        Self {
            index,
            id: id.map(str::to_owned),
            property: property.map(str::to_owned),
            reason,
        }
    }
}

impl fmt::Display for ObjectError {
    /// `objects[3] (indicator--…): property 'created': '2024-13-01T…' is not a STIX timestamp`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "objects[{}]", self.index)?;
        if let Some(id) = &self.id {
            write!(f, " ({id})")?;
        }
        if let Some(p) = &self.property {
            write!(f, ": property '{p}'")?;
        }
        write!(f, ": {}", self.reason)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_index_id_and_property() {
        let e = ObjectError::new(
            3,
            Some("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"),
            Some("created"),
            "'2024-13-01T00:00:00Z' is not a STIX timestamp".into(),
        );
        assert_eq!(
            e.to_string(),
            "objects[3] (indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f): property 'created': \
             '2024-13-01T00:00:00Z' is not a STIX timestamp"
        );
        let bare = ObjectError::new(0, None, None, "not a JSON object".into());
        assert_eq!(bare.to_string(), "objects[0]: not a JSON object");
    }
}
