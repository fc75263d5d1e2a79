//! Tests of watch rules: the file format and its errors, validation, matching with reasons,
//! thresholds, and a property check that the index answers exactly as a plain scan and as a
//! naive reference written straight from the rule's documented meaning.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use liaison_core::date::parse_iso_date;
use liaison_core::{
    ActorId, ActorRole, Casualties, DateSpan, Fatalities, IncidentActor, IncidentContent, Location,
    LocationPrecision, Markings,
};
use proptest::prelude::*;

use super::*;

fn cc(c: &str) -> CountryCode {
    CountryCode::parse(c).unwrap()
}

fn rule(id: &str) -> WatchRule {
    WatchRule {
        id: id.into(),
        member: cc("MLI"),
        name: format!("Rule {id}"),
        event_types: vec![],
        sub_types: vec![],
        actors: vec![],
        zones: vec![],
        countries: vec![],
        min_fatalities: None,
        min_kidnapped: None,
        threshold: None,
        flash: false,
    }
}

fn actor(name: &str, id: Option<&str>) -> IncidentActor {
    IncidentActor {
        name: name.into(),
        role: ActorRole::Perpetrator,
        actor_id: id.map(|i| ActorId::parse(i).unwrap()),
    }
}

fn incident(sub_type: SubType, country: &str, actors: Vec<IncidentActor>) -> IncidentContent {
    IncidentContent {
        title: "t".into(),
        sub_type,
        date: DateSpan::day(parse_iso_date("2012-01-24").unwrap()),
        location: Location {
            point: None,
            precision: LocationPrecision::Country,
            place_name: None,
            admin1: None,
            admin2: None,
            country: Some(cc(country)),
            coordinates_country: None,
        },
        actors,
        casualties: Casualties::default(),
        narrative: None,
        sources: vec![],
        markings: Markings::default(),
        provenance: None,
    }
}

fn errors(text: &str) -> Vec<String> {
    parse_rules(text)
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| e.to_string())
        .collect()
}

#[test]
fn a_rule_file_may_be_an_object_an_array_or_json_lines() {
    let one = r#"{"id": "aqim", "member": "MLI", "name": "AQIM anywhere", "actors": ["AQIM"]}"#;
    assert_eq!(parse_rules(one).unwrap()[0].actors, ["AQIM"]);
    let array = format!("[{one}, {}]", one.replace("\"aqim\"", "\"aqim-2\""));
    assert_eq!(parse_rules(&array).unwrap().len(), 2);
    let lines = format!("{one}\n\n{}\n", one.replace("\"aqim\"", "\"aqim-2\""));
    let rules = parse_rules(&lines).unwrap();
    assert_eq!(rules[1].id, "aqim-2");
    assert_eq!(parse_rules("").unwrap(), []);
    assert_eq!(parse_rules(" [ ] ").unwrap(), []);
    // A pretty-printed object is one rule, not broken lines.
    let pretty = serde_json::to_string_pretty(&rules[0]).unwrap();
    assert_eq!(parse_rules(&pretty).unwrap(), [rules[0].clone()]);
}

#[test]
fn every_error_names_its_rule_and_field() {
    let text = r#"[
      {"id": "ok", "member": "MLI", "name": "fine", "countries": ["MLI"]},
      {"id": "Bad Id", "member": "MLI", "name": " ", "sub_types": ["ied"]},
      {"id": "t", "member": "NER", "name": "n", "countries": ["NER"],
       "threshold": {"count": 0, "days": 400}},
      {"id": "x", "member": "NER", "name": "n", "event_types": ["attack", "bombing"],
       "threshold": {"count": 2}, "colour": "red"},
      {"id": "ok", "member": "MLI", "name": "again", "min_fatalities": 5}
    ]"#;
    assert_eq!(
        errors(text),
        [
            "rules[1].id: 'Bad Id' may only hold lower-case ASCII letters, digits and -",
            "rules[1].name: must not be empty",
            "rules[2].threshold.count: must be between 1 and 10000",
            "rules[2].threshold.days: must be between 1 and 366",
            "rules[3].colour: unknown field; the fields are id, member, name, event_types, \
             sub_types, actors, zones, countries, min_fatalities, min_kidnapped, threshold, flash",
            "rules[3].event_types[1]: unknown variant `bombing`, expected one of `attack`, \
             `explosion`, `battle`, `abduction`, `interdiction`, `unrest`, `strategic`",
            "rules[3].threshold.days: is required",
            "rules[4].id: 'ok' is already the id of rules[0]",
        ]
    );
}

#[test]
fn a_rule_without_criterion_is_refused() {
    let text = r#"{"id": "all", "member": "MLI", "name": "everything", "flash": true,
                   "threshold": {"count": 3, "days": 7}}"#;
    let e = errors(text);
    assert_eq!(e.len(), 1);
    assert!(e[0].starts_with("rules[0]: gives no criterion"), "{e:?}");
}

#[test]
fn slips_that_would_make_a_rule_silent_are_refused() {
    let mut r = rule("r");
    r.event_types = vec![EventType::Attack];
    r.sub_types = vec![SubType::ArmedAttack, SubType::Kidnapping];
    r.actors = vec!["Ansar Dine".into(), "ANSÂR  dine".into(), "!!".into()];
    r.min_kidnapped = Some(0);
    r.countries = vec![cc("MLI"), cc("MLI")];
    let fields: Vec<(String, String)> = r
        .validate()
        .unwrap_err()
        .0
        .into_iter()
        .map(|e| (e.field, e.message))
        .collect();
    let names: Vec<&str> = fields.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        names,
        [
            "sub_types[1]",
            "actors[1]",
            "actors[2]",
            "countries[1]",
            "min_kidnapped"
        ]
    );
    assert!(
        fields[0]
            .1
            .contains("kidnapping is a sub-type of abduction")
    );
    assert_eq!(fields[1].1, "'ansar dine' is listed twice");
}

#[test]
fn json_lines_errors_give_the_line() {
    let text = "{\"id\": \"a\", \"member\": \"MLI\", \"name\": \"a\", \"zones\": [\"z\"]}\n\n\
                {\"id\": \"b\", \"member\": \"QQQ\", \"name\": \"b\", \"zones\": [\"z\"]}\n";
    assert_eq!(
        errors(text),
        ["rules[1].member: 'QQQ' is not an assigned ISO 3166-1 alpha-3 code (line 3)"]
    );
    let first = text.lines().next().unwrap();
    assert_eq!(
        errors(&format!("{first}\n{first}")),
        ["rules[1].id: 'a' is already the id of rules[0] (line 2)"]
    );
    let broken =
        "{\"id\": \"a\", \"member\": \"MLI\", \"name\": \"a\", \"zones\": [\"z\"]}\n{\"id\": ";
    assert!(errors(broken)[0].starts_with("rules[1]: not JSON: "));
    assert!(errors(broken)[0].ends_with("(line 2)"));
    assert!(errors("[{\"id\": ")[0].starts_with("rules: not JSON: "));
    assert!(errors("42")[0].starts_with("rules: expected a rule object"));
}

#[test]
fn matches_say_why() {
    let mut a = rule("aqim-mali");
    a.actors = vec!["aqim".into()];
    a.countries = vec![cc("MLI")];
    a.min_fatalities = Some(10);
    let mut b = rule("attacks");
    b.event_types = vec![EventType::Attack];
    b.zones = vec!["tri-border".into()];
    let mut c = rule("kidnappings");
    c.min_kidnapped = Some(1);
    let mut d = rule("by-id");
    d.actors = vec!["sahel-2012:aqim".into(), "AQIM".into()];
    let rules = [a, b, c, d];
    let ix = WatchIndex::new(&rules);
    let mut inc = incident(
        SubType::ArmedAttack,
        "MLI",
        vec![
            actor("Mali army", None),
            actor("AQIM", Some("sahel-2012:aqim")),
        ],
    );
    inc.casualties.fatalities = Fatalities::exact(12);
    let m = ix.matches(&inc, &["tri-border", "liptako-gourma"]);
    assert_eq!(
        m,
        [
            RuleMatch {
                rule: 0,
                reasons: vec![
                    "actor AQIM".into(),
                    "country MLI".into(),
                    "fatalities 12 ≥ 10".into()
                ]
            },
            RuleMatch {
                rule: 1,
                reasons: vec!["event type attack".into(), "zone tri-border".into()]
            },
            RuleMatch {
                rule: 3,
                reasons: vec!["actor AQIM (id sahel-2012:aqim)".into()]
            },
        ]
    );
    assert_eq!(m, ix.scan(&inc, &["tri-border", "liptako-gourma"]));
    // Below the minimum, outside the zone, no kidnapping figure: only the actor rule is left.
    inc.casualties.fatalities = Fatalities::exact(9);
    let rules: Vec<usize> = ix.matches(&inc, &[]).into_iter().map(|m| m.rule).collect();
    assert_eq!(rules, [3]);
    inc.casualties.kidnapped = Some(2);
    assert_eq!(ix.matches(&inc, &[])[0].reasons, ["kidnapped 2 ≥ 1"]);
}

#[test]
fn names_match_after_folding_and_countries_by_either_reading() {
    let mut a = rule("ansar");
    a.actors = vec!["ANSAR dine".into()];
    a.countries = vec![cc("NER")];
    let mut b = rule("ied");
    b.sub_types = vec![SubType::Ied];
    let ix = WatchIndex::new(&[a, b]);
    let mut inc = incident(SubType::Ied, "MLI", vec![actor("Ansâr Dine", None)]);
    assert_eq!(ix.matches(&inc, &[])[0].rule, 1);
    // Reported in Mali, its point across the border in Niger: it concerns both.
    inc.location.coordinates_country = Some(cc("NER"));
    let m = ix.matches(&inc, &[]);
    assert_eq!(m[0].reasons, ["actor Ansâr Dine", "country NER"]);
    assert_eq!(m[1].reasons, ["sub-type ied"]);
}

#[test]
fn thresholds_count_the_days_ending_at_the_hit() {
    let d = |s: &str| parse_iso_date(s).unwrap();
    let t = Threshold { count: 3, days: 7 };
    let day = d("2012-01-24");
    // The window is 2012-01-18 ..= 2012-01-24.
    assert!(threshold_met(&t, day, &[d("2012-01-18"), d("2012-01-24")]));
    assert!(!threshold_met(&t, day, &[d("2012-01-17"), d("2012-01-24")]));
    // Later hits do not count for this one.
    assert!(!threshold_met(&t, day, &[d("2012-01-25"), d("2012-01-20")]));
    assert!(!threshold_met(&t, day, &[]));
    assert!(threshold_met(&Threshold { count: 1, days: 1 }, day, &[]));
    let one_day = Threshold { count: 2, days: 1 };
    assert!(threshold_met(&one_day, day, &[day]));
    assert!(!threshold_met(&one_day, day, &[d("2012-01-23")]));
    // At the edge of the calendar there is nothing before the window to exclude.
    assert!(threshold_met(&t, Date::MIN, &[Date::MIN, Date::MIN]));
}

#[test]
fn rules_round_trip_through_json() {
    let mut r = rule("r");
    r.sub_types = vec![SubType::Kidnapping];
    r.threshold = Some(Threshold { count: 2, days: 30 });
    r.flash = true;
    let v = serde_json::to_value(&r).unwrap();
    assert_eq!(
        v,
        serde_json::json!({"id": "r", "member": "MLI", "name": "Rule r",
            "sub_types": ["kidnapping"], "threshold": {"count": 2, "days": 30}, "flash": true})
    );
    assert_eq!(serde_json::from_value::<WatchRule>(v).unwrap(), r);
}

// ----- The index against a plain reference, over random rules and incidents. -----

const ACTOR_NAMES: [&str; 5] = ["AQIM", "aqim", "Ansâr Dine", "ansar dine", "MUJAO"];
const ACTOR_IDS: [&str; 3] = ["sahel-2012:aqim", "sahel-2012:mujao", "ucdp-actor:1"];
const ZONES: [&str; 3] = ["tri-border", "liptako-gourma", "kidal"];
const COUNTRIES: [&str; 4] = ["MLI", "NER", "BFA", "DZA"];
const SUBS: [SubType; 6] = [
    SubType::ArmedAttack,
    SubType::Assassination,
    SubType::Ied,
    SubType::Kidnapping,
    SubType::ArmedClash,
    SubType::Arrest,
];

fn pick<T: Clone>(all: &[T], picks: Vec<usize>) -> Vec<T> {
    picks
        .into_iter()
        .map(|i| all[i % all.len()].clone())
        .collect()
}

fn random_rule() -> impl Strategy<Value = WatchRule> {
    let list = || proptest::collection::vec(0usize..8, 0..3);
    (
        (list(), list(), list(), list()),
        (list(), list()),
        proptest::option::of(0u32..20),
        proptest::option::of(0u32..4),
    )
        .prop_map(|((e, s, a, i), (z, c), f, k)| {
            let mut r = rule("r");
            r.event_types = pick(&EventType::ALL, e);
            r.sub_types = pick(&SUBS, s);
            r.actors = pick(&ACTOR_NAMES, a)
                .into_iter()
                .chain(pick(&ACTOR_IDS, i))
                .map(str::to_owned)
                .collect();
            r.zones = pick(&ZONES, z).into_iter().map(str::to_owned).collect();
            r.countries = pick(&COUNTRIES, c).into_iter().map(cc).collect();
            r.min_fatalities = f;
            r.min_kidnapped = k;
            r
        })
}

type RandomIncident = (IncidentContent, Vec<&'static str>);

fn random_incident() -> impl Strategy<Value = RandomIncident> {
    (
        0usize..SUBS.len(),
        (0usize..4, proptest::option::of(0usize..4)),
        proptest::collection::vec((0usize..5, proptest::option::of(0usize..3)), 0..3),
        proptest::collection::vec(0usize..3, 0..3),
        0u32..25,
        proptest::option::of(0u32..5),
    )
        .prop_map(|(s, (c, cc2), actors, zones, f, k)| {
            let actors = actors
                .into_iter()
                .map(|(n, id)| actor(ACTOR_NAMES[n], id.map(|i| ACTOR_IDS[i])))
                .collect();
            let mut inc = incident(SUBS[s], COUNTRIES[c], actors);
            inc.location.coordinates_country = cc2.map(|i| cc(COUNTRIES[i]));
            inc.casualties.fatalities = Fatalities::exact(f);
            inc.casualties.kidnapped = k;
            (inc, pick(&ZONES, zones))
        })
}

/// The rule's meaning read straight off its documentation, with no index and nothing
/// precomputed: every criterion given holds.
fn reference(r: &WatchRule, inc: &IncidentContent, zones: &[&str]) -> bool {
    let l = &inc.location;
    (r.event_types.is_empty() || r.event_types.contains(&inc.sub_type.event_type()))
        && (r.sub_types.is_empty() || r.sub_types.contains(&inc.sub_type))
        && (r.actors.is_empty()
            || inc.actors.iter().any(|a| {
                r.actors.iter().any(|x| {
                    a.actor_id
                        .as_ref()
                        .is_some_and(|id| id.as_str() == x.trim())
                        || (!fold_actor(x).is_empty() && fold_actor(x) == fold_actor(&a.name))
                })
            }))
        && (r.zones.is_empty() || zones.iter().any(|z| r.zones.iter().any(|x| x == z)))
        && (r.countries.is_empty()
            || [&l.country, &l.coordinates_country]
                .into_iter()
                .flatten()
                .any(|c| r.countries.contains(c)))
        && r.min_fatalities
            .is_none_or(|m| inc.casualties.fatalities.best >= m)
        && r.min_kidnapped
            .is_none_or(|m| inc.casualties.kidnapped.is_some_and(|k| k >= m))
}

proptest! {
    #[test]
    fn the_index_answers_as_a_plain_scan(
        rules in proptest::collection::vec(random_rule(), 0..60),
        incidents in proptest::collection::vec(random_incident(), 1..20),
    ) {
        let ix = WatchIndex::new(&rules);
        for (inc, zones) in &incidents {
            let got = ix.matches(inc, zones);
            prop_assert_eq!(&got, &ix.scan(inc, zones));
            let want: Vec<usize> = (0..rules.len())
                .filter(|i| reference(&rules[*i], inc, zones))
                .collect();
            let got: Vec<usize> = got.iter().map(|m| m.rule).collect();
            prop_assert_eq!(got, want);
        }
    }

    #[test]
    fn thresholds_agree_with_counting_day_by_day(
        count in 1u32..6,
        days in 1u32..10,
        offsets in proptest::collection::vec(-12i64..4, 0..10),
    ) {
        let today = parse_iso_date("2012-03-01").unwrap();
        let hits: Vec<Date> = offsets.iter().map(|o| today + Duration::days(*o)).collect();
        let within = offsets.iter().filter(|o| **o <= 0 && **o > -i64::from(days)).count();
        prop_assert_eq!(
            threshold_met(&Threshold { count, days }, today, &hits),
            within + 1 >= count as usize
        );
    }
}

/// The example in `docs/operations.md` is a valid rule file.
#[test]
fn the_documented_example_parses() {
    let doc = include_str!("../../../../docs/operations.md");
    let section = doc.split("## Watch rules and alerts").nth(1).unwrap();
    let json = section
        .split("```json")
        .nth(1)
        .and_then(|s| s.split("```").next())
        .unwrap();
    let rules = parse_rules(json).unwrap();
    assert_eq!(rules.len(), 3);
    assert_eq!(rules[2].threshold, Some(Threshold { count: 3, days: 7 }));
}
