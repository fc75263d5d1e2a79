//! Tests of the link graph: co-occurrence counting, the breadth-first neighbourhood and its
//! filters, and the three exports (GraphML checked for well-formedness by a small tag parser).

use super::*;
use crate::actor::ActorRelation;

fn id(s: &str) -> ActorId {
    ActorId::parse(s).expect("id")
}

fn actor(slug: &str, name: &str, relations: Vec<ActorRelation>) -> Actor {
    Actor {
        id: id(&format!("t:{slug}")),
        kind: ActorKind::ArmedGroup,
        name: name.into(),
        aliases: Vec::new(),
        country: None,
        ucdp_id: None,
        description: None,
        source: None,
        reliability: None,
        credibility: None,
        relations,
    }
}

fn rel(kind: RelationKind, to: &str) -> ActorRelation {
    ActorRelation::new(kind, id(&format!("t:{to}")))
}

fn date(s: &str) -> Date {
    let f = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(s, f).expect("date")
}

/// A chain aqim ← targui, aqim → colombians, boko ↔ aqim by incidents, and a far node.
fn sample() -> ActorGraph {
    let mut coop = rel(RelationKind::CooperatesWith, "colombians");
    coop.from = Some(date("2010-10-01"));
    coop.source = Some("brief, \"summit\" <Guinea-Bissau> & more".into());
    let actors = vec![
        actor("aqim", "AQIM", vec![coop]),
        actor(
            "targui",
            "Abdelkarim Targui",
            vec![rel(RelationKind::PartOf, "aqim")],
        ),
        actor("colombians", "Colombian drug traffickers", vec![]),
        actor("boko", "Boko Haram", vec![]),
        actor("far", "Far", vec![rel(RelationKind::AlliedWith, "boko")]),
    ];
    let co = co_occurrences(vec![
        vec![id("t:aqim"), id("t:boko")],
        vec![id("t:boko"), id("t:aqim"), id("t:aqim")],
        vec![id("t:colombians")],
    ]);
    ActorGraph::new(&actors, &co)
}

fn ids(g: &ActorGraph) -> Vec<(&str, u32)> {
    g.nodes.iter().map(|n| (n.id.as_str(), n.depth)).collect()
}

#[test]
fn co_occurrences_count_incidents_once_per_pair() {
    let co = co_occurrences(vec![
        vec![id("t:b"), id("t:a"), id("t:a")],
        vec![id("t:a"), id("t:b"), id("t:c")],
    ]);
    let got: Vec<(&str, &str, u64)> = co
        .iter()
        .map(|c| (c.a.as_str(), c.b.as_str(), c.weight))
        .collect();
    assert_eq!(
        got,
        [("t:a", "t:b", 2), ("t:a", "t:c", 1), ("t:b", "t:c", 1)]
    );
}

#[test]
fn neighbourhood_walks_both_directions_by_depth() {
    let g = sample();
    let n1 = g
        .neighbourhood(&id("t:aqim"), 1, &Filter::default())
        .expect("n1");
    assert_eq!(
        ids(&n1),
        [
            ("t:aqim", 0),
            ("t:boko", 1),
            ("t:colombians", 1),
            ("t:targui", 1)
        ]
    );
    let boko = n1.node(&id("t:boko")).expect("boko");
    let via = &n1.edges[boko.via.expect("via")];
    assert_eq!((via.kind, via.weight), (EdgeKind::CoOccurs, 2));
    let n2 = g
        .neighbourhood(&id("t:aqim"), 2, &Filter::default())
        .expect("n2");
    assert_eq!(
        n2.nodes.last().map(|n| (n.id.as_str(), n.depth)),
        Some(("t:far", 2))
    );
    assert_eq!(n2.edges.len(), 4);
    // The same input gives the same answer, whatever the order of the actors.
    assert_eq!(
        n2,
        g.neighbourhood(&id("t:aqim"), 2, &Filter::default())
            .expect("again")
    );
    let n0 = g
        .neighbourhood(&id("t:aqim"), 0, &Filter::default())
        .expect("n0");
    assert_eq!((n0.nodes.len(), n0.edges.len()), (1, 0));
}

#[test]
fn filters_restrict_kinds_days_and_weights() {
    let g = sample();
    let only_part = Filter {
        kinds: Some([RelationKind::PartOf].into()),
        no_co_occurrence: true,
        ..Filter::default()
    };
    let n = g.neighbourhood(&id("t:aqim"), 4, &only_part).expect("n");
    assert_eq!(ids(&n), [("t:aqim", 0), ("t:targui", 1)]);
    let before = Filter {
        at: Some(date("2010-09-30")),
        min_weight: 3,
        ..Filter::default()
    };
    let n = g.neighbourhood(&id("t:aqim"), 4, &before).expect("n");
    assert_eq!(ids(&n), [("t:aqim", 0), ("t:targui", 1)]);
}

#[test]
fn unknown_roots_and_deep_searches_are_refused() {
    let g = sample();
    let e = g
        .neighbourhood(&id("t:nobody"), 1, &Filter::default())
        .expect_err("unknown");
    assert_eq!(e.to_string(), "no actor has the id 't:nobody'");
    assert_eq!(
        g.neighbourhood(&id("t:aqim"), MAX_DEPTH + 1, &Filter::default()),
        Err(GraphError::TooDeep(5))
    );
}

#[test]
fn shared_ucdp_ids_join_records_and_unknown_targets_become_nodes() {
    let mut a = actor("aqim", "AQIM", vec![rel(RelationKind::SplinterOf, "gia")]);
    a.ucdp_id = Some(539);
    let mut b = actor("u539", "AQIM (UCDP)", vec![]);
    b.ucdp_id = Some(539);
    let g = ActorGraph::new(&[b, a], &[]);
    let n = g
        .neighbourhood(&id("t:u539"), 2, &Filter::default())
        .expect("n");
    assert_eq!(ids(&n), [("t:u539", 0), ("t:aqim", 1), ("t:gia", 2)]);
    assert!(!n.node(&id("t:gia")).expect("gia").known);
    let text = n.to_text();
    assert_eq!(
        text,
        "AQIM (UCDP) (t:u539)\n  — same_ucdp_id AQIM (t:aqim)\n    → splinter_of t:gia (t:gia)\n"
    );
}

#[test]
fn cytoscape_elements_carry_ids_kinds_and_spans() {
    let g = sample();
    let n = g
        .neighbourhood(&id("t:aqim"), 1, &Filter::default())
        .expect("n");
    let c = n.to_cytoscape();
    assert_eq!(c.elements.nodes.len(), 4);
    let coop = c
        .elements
        .edges
        .iter()
        .find(|e| e.data.kind == "cooperates_with")
        .expect("coop");
    assert_eq!(
        (coop.data.source.as_str(), coop.data.target.as_str()),
        ("t:aqim", "t:colombians")
    );
    assert_eq!(coop.data.from.as_deref(), Some("2010-10-01"));
    assert!(coop.data.directed);
}

#[test]
fn graphml_is_well_formed_declares_its_keys_and_escapes_text() {
    let g = sample();
    let xml_text = g
        .neighbourhood(&id("t:aqim"), 2, &Filter::default())
        .expect("n")
        .to_graphml();
    check_well_formed(&xml_text);
    assert!(xml_text.contains("&quot;summit&quot; &lt;Guinea-Bissau&gt; &amp; more"));
    assert!(!xml_text.contains("<Guinea"));
    // Every key used is declared.
    for used in xml_text.split("<data key=\"").skip(1) {
        let key = used.split('"').next().expect("key");
        assert!(xml_text.contains(&format!("<key id=\"{key}\"")), "{key}");
    }
    assert_eq!(xml_text.matches("<node ").count(), 5);
    assert_eq!(xml_text.matches("<edge ").count(), 4);
    assert_eq!(xml("a\u{1}b'"), "ab&apos;");
}

/// A minimal XML check: tags balance, attribute values are quoted, and no `&` starts anything
/// but a known entity.
fn check_well_formed(s: &str) {
    let body = s
        .strip_prefix("<?xml")
        .and_then(|r| r.split_once("?>"))
        .expect("decl")
        .1;
    let mut open: Vec<String> = Vec::new();
    let mut rest = body;
    while let Some(lt) = rest.find('<') {
        check_text(&rest[..lt]);
        let gt = rest[lt..].find('>').expect("unclosed tag") + lt;
        let tag = &rest[lt + 1..gt];
        assert!(!tag.contains('<'), "{tag}");
        if let Some(name) = tag.strip_prefix('/') {
            assert_eq!(open.pop().as_deref(), Some(name), "mismatched </{name}>");
        } else {
            let self_closing = tag.ends_with('/');
            let name = tag.split([' ', '/']).next().expect("name").to_owned();
            assert_eq!(tag.matches('"').count() % 2, 0, "{tag}");
            check_text(tag);
            if !self_closing {
                open.push(name);
            }
        }
        rest = &rest[gt + 1..];
    }
    check_text(rest);
    assert!(open.is_empty(), "unclosed {open:?}");
}

fn check_text(t: &str) {
    for (i, _) in t.match_indices('&') {
        let tail = &t[i..];
        assert!(
            ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .iter()
                .any(|e| tail.starts_with(e)),
            "bare & in {t}"
        );
    }
}
