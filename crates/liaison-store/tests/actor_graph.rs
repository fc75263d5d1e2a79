//! The link graph's inputs on both engines: every actor with its relations (spans and grades
//! kept), and each current incident's actor ids, deduplicated, in the node's order; an incident
//! naming no actor id is left out, and a new version replaces what the old one named.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::actor::parse_day;
use liaison_core::{
    Actor, ActorGraph, ActorId, ActorKind, ActorRelation, ActorRole, Casualties, CountryCode,
    DatePrecision, DateSpan, Incident, IncidentActor, IncidentContent, IncidentId, Location,
    LocationPrecision, Markings, RelationKind, Reliability, SubType, co_occurrences,
};
use liaison_store::{Prepared, Store};
use time::OffsetDateTime;

#[macro_use]
mod common;

fn at() -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_700_000_000).unwrap()
}

fn id(s: &str) -> ActorId {
    ActorId::parse(s).unwrap()
}

fn actor(slug: &str, relations: Vec<ActorRelation>) -> Actor {
    Actor {
        id: id(&format!("t:{slug}")),
        kind: ActorKind::ArmedGroup,
        name: slug.to_uppercase(),
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

fn incident(n: u32, version: u32, actors: &[Option<&str>]) -> Incident {
    let day = parse_day("2011-06-30").unwrap();
    let content = IncidentContent {
        title: format!("Incident {n}"),
        sub_type: SubType::ArmedAttack,
        date: DateSpan {
            start: day,
            end: day,
            precision: DatePrecision::Day,
        },
        location: Location {
            point: None,
            precision: LocationPrecision::Country,
            place_name: None,
            admin1: None,
            admin2: None,
            country: Some(CountryCode::parse("MLI").unwrap()),
            coordinates_country: None,
        },
        actors: actors
            .iter()
            .map(|a| IncidentActor {
                name: a.unwrap_or("someone").into(),
                role: ActorRole::Participant,
                actor_id: a.map(|s| id(&format!("t:{s}"))),
            })
            .collect(),
        casualties: Casualties::default(),
        narrative: None,
        sources: vec![],
        markings: Markings::open(),
        provenance: None,
    };
    Incident::new(
        IncidentId::parse(&format!("test:{n}")).unwrap(),
        CountryCode::parse("MLI").unwrap(),
        version,
        content,
    )
}

async fn inputs(store: &Store) {
    let mut coop = ActorRelation::new(RelationKind::CooperatesWith, id("t:colombians"));
    coop.from = Some(parse_day("2010-10-21").unwrap());
    coop.until = Some(parse_day("2010-10-31").unwrap());
    coop.reliability = Some(Reliability::B);
    coop.source = Some("brief, opening section".into());
    let aqim = actor("aqim", vec![coop.clone()]);
    let targui = actor(
        "targui",
        vec![ActorRelation::new(RelationKind::PartOf, id("t:aqim"))],
    );
    store
        .put_actors(&[aqim, targui, actor("colombians", vec![])])
        .await
        .unwrap();

    let batch: Vec<Prepared> = [
        incident(1, 1, &[Some("aqim"), Some("targui"), Some("aqim")]),
        incident(2, 1, &[None]),
        incident(3, 1, &[Some("colombians"), Some("aqim"), None]),
    ]
    .into_iter()
    .map(|i| Prepared::new(i).unwrap())
    .collect();
    let mut s = store.begin_import("test", at()).await.unwrap();
    s.insert_batch(&batch).await.unwrap();
    s.commit().await.unwrap();

    let got = store.actor_graph_input().await.unwrap();
    let names: Vec<&str> = got.actors.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(names, ["t:aqim", "t:colombians", "t:targui"]);
    assert_eq!(got.actors[0].relations, [coop]);
    let pairs: Vec<(&str, Vec<&str>)> = got
        .incident_actors
        .iter()
        .map(|(i, ids)| (i.as_str(), ids.iter().map(ActorId::as_str).collect()))
        .collect();
    assert_eq!(
        pairs,
        [
            ("test:1", vec!["t:aqim", "t:targui"]),
            ("test:3", vec!["t:aqim", "t:colombians"]),
        ]
    );

    // A new version of incident 3 names Targui instead: the old names are gone.
    store
        .update_incident(
            &incident(3, 2, &[Some("targui"), Some("aqim")]),
            "ana",
            at(),
        )
        .await
        .unwrap();
    let got = store.actor_graph_input().await.unwrap();
    let co = co_occurrences(got.incident_actors.into_iter().map(|(_, ids)| ids));
    assert_eq!(co.len(), 1);
    assert_eq!((co[0].b.as_str(), co[0].weight), ("t:targui", 2));
    let graph = ActorGraph::new(&got.actors, &co);
    let n = graph
        .neighbourhood(&id("t:targui"), 2, &Default::default())
        .unwrap();
    assert_eq!(n.nodes.len(), 3);
}

on_both!(actor_graph_inputs, inputs);
