//! Agreements as Cedar: the schema, the text of each agreement's `permit` policy, the standing
//! `forbid` policies, and the entity and context an incident becomes for a decision.
//!
//! The text is generated, never edited by hand, and it is what a liaison officer reads
//! (`liaison agreement show`): each condition is preceded by a comment in plain words. Dates are
//! day numbers (days since 1970-01-01) because Cedar has no calendar date type that the
//! decision needs; points and boxes are Cedar `decimal`s, which hold four decimal places, so
//! both are compared at 0.0001° (about 11 m) after rounding half away from zero. Zones are not
//! geometry in Cedar: which built-in zones hold the incident's point is worked out in Rust
//! (`liaison-geo`, on the point as recorded) and given to Cedar as a set of zone ids.

use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::str::FromStr;

use cedar_policy::{Context, Entity, EntityId, EntityTypeName, EntityUid, RestrictedExpression};
use liaison_core::{
    Agreement, Classification, CountryCode, Incident, LocationCoarsening, Obligations, Tlp,
};
use time::Date;

use crate::zones;

/// The Cedar schema every agreement's policy is validated against (strict mode).
pub const SCHEMA: &str = r#"namespace Liaison {
  // A member of the federation, by its ISO 3166-1 alpha-3 code: Liaison::Member::"NER".
  entity Member;
  // One incident, as the decision sees it.
  entity Incident = {
    "originator": String,                // ISO3 of the originating member
    "event_type": String,                // taxonomy event type ("attack", "explosion", ...)
    "countries": Set<String>,            // the incident's country and where its point falls
    "classification": Long,              // 0 unclassified, 1 restricted, 2 confidential, 3 secret
    "tlp": Long,                         // 0 clear, 1 green, 2 amber, 3 amber+strict, 4 red
    "lat"?: __cedar::decimal,            // the point, when the incident has one
    "lon"?: __cedar::decimal,
    "end_day": Long,                     // the incident's end date, days since 1970-01-01
    "actors": Set<String>,               // ids of the actor records the incident links
    "zones": Set<String>,                // ids of the built-in zones its point lies in
    "releasable_to": Set<Member>,        // the per-incident releasability list
    "has_releasable_to": Bool,           // whether that list is non-empty (then it is a cap)
  };
  action receive appliesTo {
    principal: [Member],
    resource: [Incident],
    context: { "today": Long },          // the day of the release, days since 1970-01-01
  };
}
"#;

/// The standing `forbid` policies: they hold whatever the agreements say.
pub const GUARDS: [(&str, &str); 2] = [
    (
        "guard-tlp",
        r#"// TLP:AMBER+STRICT and TLP:RED never leave the organisation, whatever an agreement says.
@id("guard-tlp")
forbid (principal, action == Liaison::Action::"receive", resource is Liaison::Incident)
when { resource.tlp >= 3 };
"#,
    ),
    (
        "guard-releasable-to",
        r#"// An incident marked releasable to named members never reaches anyone else.
@id("guard-releasable-to")
forbid (principal, action == Liaison::Action::"receive", resource is Liaison::Incident)
when { resource.has_releasable_to && !resource.releasable_to.contains(principal) };
"#,
    ),
];

/// Days since 1970-01-01.
pub fn day_number(d: Date) -> i64 {
    i64::from(d.to_julian_day()) - 2_440_588
}

pub(crate) fn classification_rank(c: Classification) -> i64 {
    match c {
        Classification::Unclassified => 0,
        Classification::Restricted => 1,
        Classification::Confidential => 2,
        Classification::Secret => 3,
    }
}

pub(crate) fn tlp_rank(t: Tlp) -> i64 {
    match t {
        Tlp::Clear => 0,
        Tlp::Green => 1,
        Tlp::Amber => 2,
        Tlp::AmberStrict => 3,
        Tlp::Red => 4,
    }
}

fn classification_word(c: Classification) -> &'static str {
    match c {
        Classification::Unclassified => "unclassified",
        Classification::Restricted => "restricted",
        Classification::Confidential => "confidential",
        Classification::Secret => "secret",
    }
}

/// `x` in degrees as a Cedar decimal literal's text: four decimal places, rounded half away from
/// zero (`-0.5000`, `14.2500`).
pub fn decimal_text(x: f64) -> String {
    // Degrees are within ±180, so the scaled value fits an i64 exactly.
    let q = (x * 10_000.0).round() as i64;
    let sign = if q < 0 { "-" } else { "" };
    let a = q.unsigned_abs();
    format!("{sign}{}.{:04}", a / 10_000, a % 10_000)
}

/// A Cedar string literal (Rust's escapes are a subset Cedar reads).
fn quoted(s: &str) -> String {
    format!("\"{}\"", s.escape_default())
}

fn member(code: &CountryCode) -> String {
    format!("Liaison::Member::{}", quoted(code.as_str()))
}

fn string_set<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.into_iter().map(quoted).collect();
    format!("[{}]", v.join(", "))
}

fn names(codes: &[CountryCode]) -> String {
    let v: Vec<String> = codes
        .iter()
        .map(|c| format!("{} ({c})", c.name_en()))
        .collect();
    v.join(", ")
}

/// The policy id of an agreement: `<id>@<version>`.
pub fn policy_id(a: &Agreement) -> String {
    format!("{}@{}", a.id, a.version)
}

/// The Cedar text of one agreement: a commented `permit` policy, then the obligations as
/// comments (they are applied after the decision and are not Cedar).
pub fn cedar_text(a: &Agreement) -> String {
    let s = &a.scope;
    let mut recipients = a.recipients.clone();
    recipients.sort();
    let mut conds: Vec<(String, String)> = vec![
        (
            format!("Recipients: {}.", names(&recipients)),
            format!(
                "[{}].contains(principal)",
                recipients.iter().map(member).collect::<Vec<_>>().join(", ")
            ),
        ),
        (
            format!("Only the incidents {} originated.", a.originator.name_en()),
            format!("resource.originator == {}", quoted(a.originator.as_str())),
        ),
    ];
    if let Some(f) = a.valid_from {
        conds.push((
            format!("Embargo: nothing before {f}."),
            format!("context.today >= {}", day_number(f)),
        ));
    }
    if let Some(x) = a.expires {
        conds.push((
            format!("Expiry: nothing from {x} on."),
            format!("context.today < {}", day_number(x)),
        ));
    }
    if !s.event_types.is_empty() {
        let mut t: Vec<&str> = s.event_types.iter().map(|e| e.as_str()).collect();
        t.sort_unstable();
        t.dedup();
        conds.push((
            "Event types.".into(),
            format!("{}.contains(resource.event_type)", string_set(t)),
        ));
    }
    if !s.countries.is_empty() {
        let mut c: Vec<&str> = s.countries.iter().map(CountryCode::as_str).collect();
        c.sort_unstable();
        c.dedup();
        conds.push((
            "Countries: the incident's country or the country its point falls in.".into(),
            format!("resource.countries.containsAny({})", string_set(c)),
        ));
    }
    if let Some(b) = s.bbox {
        let (w, so, e, n) = (
            decimal_text(b.west),
            decimal_text(b.south),
            decimal_text(b.east),
            decimal_text(b.north),
        );
        conds.push((
            format!(
                "Box: latitude {so} to {n}, longitude {w} to {e} (an incident without a point is outside)."
            ),
            format!(
                "resource has lat && resource has lon &&\n    \
                 resource.lat.greaterThanOrEqual(decimal(\"{so}\")) && resource.lat.lessThanOrEqual(decimal(\"{n}\")) &&\n    \
                 resource.lon.greaterThanOrEqual(decimal(\"{w}\")) && resource.lon.lessThanOrEqual(decimal(\"{e}\"))"
            ),
        ));
    }
    if !s.zones.is_empty() {
        let ids = zones::scope_zones(a);
        let words: Vec<String> = ids.iter().map(|z| zones::zone_words(z)).collect();
        conds.push((
            format!(
                "Zones: the incident's point lies in {}; an incident without a point is outside.",
                words.join(" or ")
            ),
            format!("resource.zones.containsAny({})", string_set(ids)),
        ));
    }
    conds.push((
        format!(
            "Classification at most {}.",
            classification_word(s.max_classification)
        ),
        format!(
            "resource.classification <= {}",
            classification_rank(s.max_classification)
        ),
    ));
    conds.push((
        format!("TLP at most {}.", s.max_tlp.label()),
        format!("resource.tlp <= {}", tlp_rank(s.max_tlp)),
    ));
    if let Some(d) = s.max_age_days {
        conds.push((
            format!("Age: ended at most {d} days before the day of release."),
            format!("context.today - resource.end_day <= {d}"),
        ));
    }
    if !s.actors.is_empty() {
        let mut ids: Vec<&str> = s.actors.iter().map(|x| x.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        conds.push((
            "Actors: the incident involves one of these actor records.".into(),
            format!("resource.actors.containsAny({})", string_set(ids)),
        ));
    }
    let mut t = String::new();
    let _ = writeln!(
        t,
        "// Agreement {}, version {}: {}",
        a.id,
        a.version,
        one_line(&a.title)
    );
    let _ = writeln!(t, "@id({})", quoted(&policy_id(a)));
    let _ = writeln!(t, "@agreement({})", quoted(a.id.as_str()));
    let _ = writeln!(t, "@version(\"{}\")", a.version);
    let _ = writeln!(t, "@title({})", quoted(&a.title));
    t.push_str(
        "permit (\n  principal,\n  action == Liaison::Action::\"receive\",\n  resource is Liaison::Incident\n)\nwhen {\n",
    );
    let last = conds.len().saturating_sub(1);
    for (i, (comment, expr)) in conds.iter().enumerate() {
        let _ = writeln!(t, "  // {comment}");
        let _ = writeln!(t, "  {expr}{}", if i == last { "" } else { " &&" });
    }
    t.push_str("};\n");
    let obligations = obligation_lines(&a.obligations);
    if obligations.is_empty() {
        t.push_str("// Obligations: none; released as recorded.\n");
    } else {
        t.push_str("// Obligations, applied to what this policy allows before it is signed:\n");
        for o in obligations {
            let _ = writeln!(t, "//   - {o}");
        }
    }
    if a.onward_release {
        t.push_str(
            "// Onward release: recipients may pass it on, unchanged, to the other recipients.\n",
        );
    }
    t
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The obligations in words, one line each.
pub(crate) fn obligation_lines(o: &Obligations) -> Vec<String> {
    use liaison_core::{CoarsePrecision as P, TimeRounding as T};
    let mut v = Vec::new();
    match o.location {
        Some(LocationCoarsening::Precision(P::Admin2)) => v.push(
            "location coarsened to the district (admin 2): place name dropped, point moved to the centre of its 0.1° grid cell".to_owned(),
        ),
        Some(LocationCoarsening::Precision(P::Admin1)) => v.push(
            "location coarsened to the province (admin 1): place name and district dropped, point moved to the centre of its 1° grid cell".to_owned(),
        ),
        Some(LocationCoarsening::Precision(P::Country)) => v.push(
            "location coarsened to the country: point, place name, province and district dropped".to_owned(),
        ),
        Some(LocationCoarsening::H3(r)) => v.push(format!(
            "location coarsened to H3 resolution {r}: place name dropped, point moved to the centre of its H3 cell"
        )),
        Some(LocationCoarsening::GridDegrees(d)) => v.push(format!(
            "location coarsened to a {d}° grid: place name dropped, point moved to the centre of its grid cell"
        )),
        None => {}
    }
    match o.time {
        Some(T::Week) => v.push("dates widened to whole ISO weeks (Monday to Sunday)".to_owned()),
        Some(T::Month) => v.push("dates widened to whole calendar months".to_owned()),
        Some(T::Day) | None => {}
    }
    if o.drop_narrative {
        v.push("narrative dropped".to_owned());
    }
    if o.pseudonymise_sources {
        v.push(
            "sources replaced by pseudonyms stable within the agreement (grades kept; reference, URL and date dropped)"
                .to_owned(),
        );
    }
    if o.fatalities_as_ranges {
        v.push("fatality counts released as bands (0, 1–5, 6–10, 11–25, 26–50, 51–100, 101–250, 251–500, 501–1000, over 1000)".to_owned());
    }
    v
}

/// The entity type names, parsed once when a policy is compiled.
#[derive(Debug, Clone)]
pub(crate) struct Types {
    member: EntityTypeName,
    incident: EntityTypeName,
    action: EntityUid,
}

impl Types {
    pub(crate) fn new() -> Result<Types, String> {
        let t = |s: &str| EntityTypeName::from_str(s).map_err(|e| e.to_string());
        Ok(Types {
            member: t("Liaison::Member")?,
            incident: t("Liaison::Incident")?,
            action: EntityUid::from_type_name_and_id(
                t("Liaison::Action")?,
                EntityId::new("receive"),
            ),
        })
    }

    pub(crate) fn member(&self, code: &CountryCode) -> EntityUid {
        EntityUid::from_type_name_and_id(self.member.clone(), EntityId::new(code.as_str()))
    }

    pub(crate) fn action(&self) -> EntityUid {
        self.action.clone()
    }
}

/// The incident as a Cedar entity and its uid; `zones` are the ids of the zones its point lies
/// in ([`zones::zones_of`]), worked out by the caller once for all the recipients it asks about.
pub(crate) fn incident_entity(
    types: &Types,
    inc: &Incident,
    zones: &[&str],
) -> Result<(EntityUid, Entity), String> {
    let c = &inc.content;
    let id = EntityUid::from_type_name_and_id(
        types.incident.clone(),
        EntityId::new(format!("{}:{}", inc.originator, inc.id)),
    );
    let s = |v: &str| RestrictedExpression::new_string(v.to_owned());
    let mut countries: Vec<&CountryCode> = Vec::new();
    countries.extend(c.location.country.iter());
    countries.extend(c.location.coordinates_country.iter());
    let mut attrs: HashMap<String, RestrictedExpression> = HashMap::new();
    attrs.insert("originator".into(), s(inc.originator.as_str()));
    attrs.insert("event_type".into(), s(inc.event_type.as_str()));
    attrs.insert(
        "countries".into(),
        RestrictedExpression::new_set(countries.into_iter().map(|x| s(x.as_str()))),
    );
    attrs.insert(
        "classification".into(),
        RestrictedExpression::new_long(classification_rank(c.markings.classification)),
    );
    attrs.insert(
        "tlp".into(),
        RestrictedExpression::new_long(tlp_rank(c.markings.tlp)),
    );
    // A point that is not a finite pair of numbers is no point: outside every box.
    if let Some(p) = c.location.point
        && p.lat.is_finite()
        && p.lon.is_finite()
    {
        attrs.insert(
            "lat".into(),
            RestrictedExpression::new_decimal(decimal_text(p.lat)),
        );
        attrs.insert(
            "lon".into(),
            RestrictedExpression::new_decimal(decimal_text(p.lon)),
        );
    }
    attrs.insert(
        "end_day".into(),
        RestrictedExpression::new_long(day_number(c.date.end)),
    );
    attrs.insert(
        "actors".into(),
        RestrictedExpression::new_set(
            c.actors
                .iter()
                .filter_map(|a| a.actor_id.as_ref())
                .map(|a| s(a.as_str())),
        ),
    );
    attrs.insert(
        "zones".into(),
        RestrictedExpression::new_set(zones.iter().map(|z| s(z))),
    );
    attrs.insert(
        "releasable_to".into(),
        RestrictedExpression::new_set(
            c.markings
                .releasable_to
                .iter()
                .map(|m| RestrictedExpression::new_entity_uid(types.member(m))),
        ),
    );
    attrs.insert(
        "has_releasable_to".into(),
        RestrictedExpression::new_bool(!c.markings.releasable_to.is_empty()),
    );
    let e = Entity::new(id.clone(), attrs, HashSet::new()).map_err(|e| e.to_string())?;
    Ok((id, e))
}

pub(crate) fn context(today: Date) -> Result<Context, String> {
    Context::from_pairs([(
        "today".to_owned(),
        RestrictedExpression::new_long(day_number(today)),
    )])
    .map_err(|e| e.to_string())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decimals_round_half_away_from_zero_to_four_places() {
        assert_eq!(decimal_text(14.25), "14.2500");
        assert_eq!(decimal_text(-0.5), "-0.5000");
        assert_eq!(decimal_text(-0.00004), "0.0000");
        assert_eq!(decimal_text(-0.00005), "-0.0001");
        assert_eq!(decimal_text(180.0), "180.0000");
        assert_eq!(decimal_text(-12.34567), "-12.3457");
    }

    #[test]
    fn day_numbers_count_from_1970() {
        let d = |s| liaison_core::date::parse_iso_date(s).unwrap();
        assert_eq!(day_number(d("1970-01-01")), 0);
        assert_eq!(day_number(d("2012-01-17")), 15356);
    }

    #[test]
    fn cedar_strings_are_escaped() {
        assert_eq!(quoted(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
        assert_eq!(
            quoted("Tombouctou\nيوم"),
            "\"Tombouctou\\n\\u{64a}\\u{648}\\u{645}\""
        );
    }
}
