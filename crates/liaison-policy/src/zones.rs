//! Integrated regional zones in agreement scopes: which zone ids an agreement may name, which
//! zones an incident's point lies in, and the words a liaison officer reads for a zone.
//!
//! The zones are `liaison-geo`'s built-in ones ([`liaison_geo::zones::builtin_zones`]), the same
//! on every node, so an agreement naming `liptako-gourma` means the same area to the originator
//! that wrote it and to the recipients that read its terms; and the originating node's own zones,
//! given to [`crate::Policy::compile_with_zones`] by the caller that read them from the store.
//! A node's own zone is used as it is drawn when the decision is made; its earlier shapes are
//! kept by the store, so an auditor can tell what it covered on any day. `liaison-core` checks
//! only a zone id's form (it cannot see the zones); whether the id names a zone is checked here,
//! when the agreement is compiled.

use liaison_core::{Agreement, Incident, ValidationErrors};
use liaison_geo::zones::{Zone, builtin_zone, builtin_zones};

/// Every zone id in the agreement's scope that names neither a built-in zone nor one of
/// `node_zones`, as field errors (`scope.zones[i]`) that list the known ids, so the writer can
/// correct the file in one pass.
pub fn check_zones(a: &Agreement, node_zones: &[Zone]) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    for (i, id) in a.scope.zones.iter().enumerate() {
        if builtin_zone(id).is_none() && !node_zones.iter().any(|z| &z.id == id) {
            e.push(
                format!("scope.zones[{i}]"),
                format!(
                    "unknown zone '{id}'; the known zones are {}",
                    known_ids(node_zones)
                ),
            );
        }
    }
    e.into_result()
}

fn known_ids(node_zones: &[Zone]) -> String {
    let mut ids: Vec<&str> = builtin_zones()
        .iter()
        .chain(node_zones)
        .map(|z| z.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.join(", ")
}

/// The ids of the zones (built-in, and `node_zones`) the incident's point lies in, sorted. Empty
/// when it has no point, or one that is not a pair of finite numbers (the same rule as for a
/// box): such an incident is outside every zone.
pub fn zones_of<'z>(inc: &Incident, node_zones: &'z [Zone]) -> Vec<&'z str> {
    let Some(p) = inc.content.location.point else {
        return Vec::new();
    };
    if !(p.lat.is_finite() && p.lon.is_finite()) {
        return Vec::new();
    }
    let builtin: &'static [Zone] = builtin_zones();
    let mut ids: Vec<&'z str> = builtin
        .iter()
        .chain(node_zones)
        .filter(|z| z.contains(p.lat, p.lon))
        .map(|z| z.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// A zone in words: "the Liptako-Gourma tri-border area (zone liptako-gourma)"; an id that
/// names no built-in zone (only in an agreement that will not compile) is shown as such.
pub(crate) fn zone_words(id: &str) -> String {
    match builtin_zone(id) {
        // On one line: the words also go into comments of the generated Cedar text.
        Some(Zone { name, .. }) => format!(
            "the {} (zone {id})",
            name.split_whitespace().collect::<Vec<_>>().join(" ")
        ),
        // Escaped: an agreement shown before it is validated may hold any text here. A stored
        // agreement was compiled, so an id that is not built in names the originator's own zone.
        None => format!(
            "zone {} (not built in: the originating node's own)",
            id.escape_default()
        ),
    }
}

/// The scope's zones, sorted and without repeats (the order a file lists them in means nothing).
pub(crate) fn scope_zones(a: &Agreement) -> Vec<&str> {
    let mut z: Vec<&str> = a.scope.zones.iter().map(String::as_str).collect();
    z.sort_unstable();
    z.dedup();
    z
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::testing::{agreement, incident};
    use liaison_core::GeoPoint;

    #[test]
    fn unknown_zones_are_named_with_the_known_ones() {
        let a = agreement(
            r#"{"id":"x","originator":"NER","recipients":["BFA"],"title":"t",
                "scope":{"zones":["liptako-gourma","liptako","sahel"]}}"#,
        );
        let e = check_zones(&a, &[]).unwrap_err();
        let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["scope.zones[1]", "scope.zones[2]"]);
        assert!(
            e.0[0].message.contains("unknown zone 'liptako'")
                && e.0[0]
                    .message
                    .contains("liptako-gourma, mauritania-mali-wagadou"),
            "{e}"
        );
    }

    #[test]
    fn an_incident_is_in_the_zones_its_point_lies_in() {
        // The Aguelhok fixture lies in the Adrar des Ifoghas–Kidal–Tamanrasset corridor.
        let mut inc = incident("MLI");
        assert_eq!(zones_of(&inc, &[]), ["adrar-ifoghas-kidal-tamanrasset"]);
        // A node's own zone around the same point is found beside the built-in one.
        let p = inc.content.location.point.unwrap();
        let own = liaison_geo::zones::parse_zones(&format!(
            r#"{{"type":"Feature","properties":{{"id":"aguelhok-box","name":"Aguelhok"}},
                "geometry":{{"type":"Polygon","coordinates":[[[{w},{s}],[{e},{s}],[{e},{n}],[{w},{n}],[{w},{s}]]]}}}}"#,
            w = p.lon - 0.1,
            e = p.lon + 0.1,
            s = p.lat - 0.1,
            n = p.lat + 0.1
        ))
        .unwrap();
        assert_eq!(
            zones_of(&inc, &own),
            ["adrar-ifoghas-kidal-tamanrasset", "aguelhok-box"]
        );
        let a = agreement(
            r#"{"id":"x","originator":"NER","recipients":["BFA"],"title":"t",
                "scope":{"zones":["aguelhok-box"]}}"#,
        );
        assert!(check_zones(&a, &[]).is_err());
        assert!(check_zones(&a, &own).is_ok());
        inc.content.location.point = None;
        assert!(zones_of(&inc, &own).is_empty());
        inc.content.location.point = Some(GeoPoint {
            lat: f64::NAN,
            lon: 1.0,
        });
        assert!(zones_of(&inc, &[]).is_empty());
    }

    #[test]
    fn zones_read_as_their_names() {
        assert_eq!(
            zone_words("liptako-gourma"),
            "the Liptako-Gourma tri-border area (zone liptako-gourma)"
        );
        assert_eq!(
            zone_words("nowhere"),
            "zone nowhere (not built in: the originating node's own)"
        );
    }
}
