//! STIX identifiers: the ids Liaison derives for its own objects, and the syntax every id and type
//! name must follow.
//!
//! Our ids are UUIDv5 in a fixed Liaison namespace, over `"{type}:{originator}:{local id}"`, so
//! the same incident exported twice, or by a node that relays it, has the same ids. (STIX 2.1
//! suggests UUIDv4 for SDOs; stix2-validator's `uuid-check` would say so, but the pinned strict
//! run in `../shared/interop/validate-stix` does not run it, and determinism is what federation
//! needs: see `docs/stix-mapping.md`.)

use uuid::Uuid;

/// The Liaison namespace of every derived id. Fixed forever: changing it changes every id.
pub const NAMESPACE: Uuid = Uuid::from_u128(0x919b_1b85_93f1_4e9a_8a50_5672_8c3d_9a8e);

/// Shortest and longest STIX type name.
pub const MIN_TYPE_CHARS: usize = 3;
pub const MAX_TYPE_CHARS: usize = 250;

/// The id of a Liaison object: `{type}--{uuidv5("{type}:{originator}:{local}")}`.
pub fn derived(object_type: &str, originator: &str, local: &str) -> String {
    let name = format!("{object_type}:{originator}:{local}");
    format!(
        "{object_type}--{}",
        Uuid::new_v5(&NAMESPACE, name.as_bytes()).hyphenated()
    )
}

/// Checks a STIX type name: 3 to 250 characters of `a-z`, `0-9` and `-`, starting with a letter,
/// not ending with `-`, and without `--` (the id separator).
pub fn check_type_name(t: &str) -> Result<(), String> {
    let n = t.len();
    if !(MIN_TYPE_CHARS..=MAX_TYPE_CHARS).contains(&n) {
        return Err(format!(
            "type '{}' must be {MIN_TYPE_CHARS} to {MAX_TYPE_CHARS} characters",
            shorten(t)
        ));
    }
    let ok_chars = t
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    let first_ok = t.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    if !ok_chars || !first_ok || t.ends_with('-') || t.contains("--") {
        return Err(format!(
            "type '{}' may only hold a-z, 0-9 and single hyphens, starting with a letter",
            shorten(t)
        ));
    }
    Ok(())
}

/// Checks the text of a UUID as STIX writes it: lower-case hex in 8-4-4-4-12 groups, with the
/// RFC 4122 variant and a version from 1 to 8.
pub fn check_uuid(s: &str) -> Result<Uuid, String> {
    let bytes = s.as_bytes();
    let well_formed = bytes.len() == 36
        && bytes.iter().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => *b == b'-',
            _ => b.is_ascii_digit() || (b'a'..=b'f').contains(b),
        });
    if !well_formed {
        return Err(format!(
            "'{}' is not a UUID in lower-case 8-4-4-4-12 form",
            shorten(s)
        ));
    }
    let u = Uuid::parse_str(s).map_err(|e| format!("'{s}' is not a UUID: {e}"))?;
    if u.get_variant() != uuid::Variant::RFC4122 {
        return Err(format!("'{s}' is not an RFC 4122 UUID (wrong variant)"));
    }
    if !(1..=8).contains(&u.get_version_num()) {
        return Err(format!(
            "'{s}' is not an RFC 4122 UUID (version {})",
            u.get_version_num()
        ));
    }
    Ok(u)
}

/// Checks an id `<type>--<uuid>` and returns its type.
pub fn check_id(id: &str) -> Result<&str, String> {
    let Some((t, u)) = id.split_once("--") else {
        return Err(format!(
            "'{}' is not a STIX id (<type>--<uuid>)",
            shorten(id)
        ));
    };
    check_type_name(t).map_err(|e| format!("'{}' is not a STIX id: {e}", shorten(id)))?;
    check_uuid(u).map_err(|e| format!("'{}' is not a STIX id: {e}", shorten(id)))?;
    Ok(t)
}

/// Checks an id and that it names an object of type `want`.
pub fn check_id_of(id: &str, want: &str) -> Result<(), String> {
    let t = check_id(id)?;
    if t == want {
        Ok(())
    } else {
        Err(format!(
            "'{}' must be the id of a '{want}' object, not of a '{t}'",
            shorten(id)
        ))
    }
}

/// A value cut to a length that fits in an error message.
pub(crate) fn shorten(s: &str) -> String {
    const MAX: usize = 80;
    if s.chars().count() <= MAX {
        s.to_owned()
    } else {
        let cut: String = s.chars().take(MAX).collect();
        format!("{cut}…")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn derived_ids_are_stable_v5() {
        let a = derived("incident", "MLI", "ucdp-ged:235799");
        assert_eq!(a, derived("incident", "MLI", "ucdp-ged:235799"));
        assert_ne!(a, derived("incident", "NER", "ucdp-ged:235799"));
        assert!(a.starts_with("incident--"));
        let u = check_uuid(&a["incident--".len()..]).unwrap();
        assert_eq!(u.get_version_num(), 5);
        assert_eq!(check_id(&a).unwrap(), "incident");
    }

    #[test]
    fn type_names() {
        for ok in ["incident", "x-liaison-thing", "ipv4-addr", "abc"] {
            check_type_name(ok).unwrap();
        }
        for bad in [
            "ab", "Incident", "x--y", "-abc", "abc-", "1abc", "a_b_c", "",
        ] {
            assert!(check_type_name(bad).is_err(), "{bad}");
        }
        assert!(check_type_name(&"a".repeat(251)).is_err());
    }

    #[test]
    fn ids() {
        check_id("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f").unwrap();
        for bad in [
            "indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "indicator--8E2E2D2B-17D4-4CBF-938F-98EE46B3CD3F",
            "indicator--123",
            "indicator--00000000-0000-0000-0000-000000000000",
            "indicator--8e2e2d2b-17d4-4cbf-138f-98ee46b3cd3f",
            "--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "indicator--{8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f}",
        ] {
            assert!(check_id(bad).is_err(), "{bad}");
        }
        assert!(check_id_of("identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "identity").is_ok());
        let e = check_id_of(
            "indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f",
            "identity",
        );
        assert!(
            e.unwrap_err()
                .contains("must be the id of a 'identity' object")
        );
    }
}
