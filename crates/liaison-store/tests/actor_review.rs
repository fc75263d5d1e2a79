//! Linking incidents' actor names to actor records and merging records, on both engines: a
//! confident link recorded with its provenance (the incident document untouched), proposals
//! accepted, rejected and redirected, a pass recorded twice writing nothing twice, a merge that
//! brings the other record's names (with their provenance) and links to the kept one and a split
//! that gives everything back exactly, and the merges refused.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::date::parse_iso_date;
use liaison_core::{
    Actor, ActorId, ActorKind, ActorRole, Alias, Casualties, CountryCode, DatePrecision, DateSpan,
    Incident, IncidentActor, IncidentContent, IncidentId, Location, LocationPrecision, Markings,
    Script, SubType,
};
use liaison_store::{LinkStatus, NewNameLink, Store, StoreError};
use serde_json::json;
use time::OffsetDateTime;

#[macro_use]
mod common;

/// An effective alias as (name, script, source, record, merge).
type AliasTuple<'a> = (&'a str, Script, Option<&'a str>, &'a str, Option<i64>);

fn at(s: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_357_000_000 + s).unwrap()
}

fn aid(s: &str) -> ActorId {
    ActorId::parse(s).unwrap()
}

fn actor(id: &str, name: &str, aliases: &[&str], source: &str) -> Actor {
    Actor {
        id: aid(id),
        kind: ActorKind::Person,
        name: name.into(),
        aliases: aliases
            .iter()
            .map(|a| Alias::new(a, Some(&format!("{source}, alias"))))
            .collect(),
        country: None,
        ucdp_id: None,
        description: None,
        source: Some(source.into()),
        reliability: None,
        credibility: None,
        relations: vec![],
    }
}

fn incident(id: &str, actors: &[(&str, Option<&str>)]) -> Incident {
    let start = parse_iso_date("2012-04-01").unwrap();
    let content = IncidentContent {
        title: format!("Incident {id}"),
        sub_type: SubType::ArmedClash,
        date: DateSpan {
            start,
            end: start,
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
            .map(|(name, id)| IncidentActor {
                name: (*name).into(),
                role: ActorRole::Perpetrator,
                actor_id: id.map(aid),
            })
            .collect(),
        casualties: Casualties::default(),
        narrative: None,
        sources: vec![],
        markings: Markings::open(),
        provenance: None,
    };
    Incident::new(
        IncidentId::parse(id).unwrap(),
        CountryCode::parse("MLI").unwrap(),
        1,
        content,
    )
}

fn decision(incident: &str, name: &str, actor: &str, linked: bool, score: f64) -> NewNameLink {
    NewNameLink {
        incident_id: IncidentId::parse(incident).unwrap(),
        actor_name: name.into(),
        actor_id: aid(actor),
        linked,
        matched: "Abdelkarim Targui".into(),
        score,
        reasons: json!([{"a": "Abd al Karim", "b": "Abdelkarim", "how": "exact"}]),
    }
}

/// Two records of one man from two sources, another man, and three incidents: one naming the
/// first record by id, two naming men by name only.
async fn seed(store: &Store) {
    store
        .put_actor(&actor(
            "t:targui",
            "Abdelkarim Targui",
            &["Abdelkrim el-Targui"],
            "scenario sahel-2012",
        ))
        .await
        .unwrap();
    store
        .put_actor(&actor(
            "t:targui-2",
            "Abd al-Karim al-Targui",
            &["عبد الكريم الطارقي"],
            "press review",
        ))
        .await
        .unwrap();
    store
        .put_actor(&actor("t:hattab", "Hassan Hattab", &[], "press review"))
        .await
        .unwrap();
    for inc in [
        incident("t:1", &[("Abdelkarim Targui", Some("t:targui"))]),
        incident(
            "t:2",
            &[("Abd al-Karim al-Targui", None), ("Touareg", None)],
        ),
        incident("t:3", &[("عبد الكريم الطارقي", None)]),
    ] {
        store.create_incident(&inc, "amadou", at(0)).await.unwrap();
    }
}

async fn links_with_provenance_and_reviews(store: &Store) {
    seed(store).await;
    let before = store
        .get_incident(&IncidentId::parse("t:2").unwrap())
        .await
        .unwrap();
    let unlinked = store.unlinked_incident_names().await.unwrap();
    let names: Vec<(&str, &str)> = unlinked
        .iter()
        .map(|u| (u.incident_id.as_str(), u.name.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("t:2", "Abd al-Karim al-Targui"),
            ("t:2", "Touareg"),
            ("t:3", "عبد الكريم الطارقي"),
        ]
    );

    let pass = [
        decision("t:2", "Abd al-Karim al-Targui", "t:targui", true, 0.981),
        decision("t:2", "Touareg", "t:targui", false, 0.675),
        decision("t:3", "عبد الكريم الطارقي", "t:targui", false, 0.71),
    ];
    let out = store
        .record_name_links(&pass, "link-pass", at(10))
        .await
        .unwrap();
    assert_eq!((out.linked, out.proposed, out.already), (1, 2, 0));
    // The same pass again records nothing, and nothing is left to decide.
    let again = store
        .record_name_links(&pass, "link-pass", at(11))
        .await
        .unwrap();
    assert_eq!((again.linked, again.proposed, again.already), (0, 0, 3));
    assert!(store.unlinked_incident_names().await.unwrap().is_empty());

    // The incident itself is untouched: links live beside it.
    let after = store
        .get_incident(&IncidentId::parse("t:2").unwrap())
        .await
        .unwrap();
    assert_eq!(before, after);

    let linked = store.name_links(Some(LinkStatus::Linked)).await.unwrap();
    assert_eq!(linked.len(), 1);
    let auto = &linked[0];
    assert_eq!(auto.method, "auto");
    assert_eq!(auto.actor_id.as_deref(), Some("t:targui"));
    assert_eq!(auto.proposed_actor_id, "t:targui");
    assert!((auto.score - 0.981).abs() < 1e-9);
    assert_eq!(auto.reasons[0]["how"], "exact");
    assert_eq!(auto.decided_by.as_deref(), Some("link-pass"));
    assert_eq!(auto.decided_at.as_deref(), Some("2013-01-01T00:26:50Z"));

    let proposals = store.name_links(Some(LinkStatus::Proposed)).await.unwrap();
    assert_eq!(proposals.len(), 2);
    assert!(proposals.iter().all(|p| p.decided_at.is_none()));
    let (touareg, arabic) = (proposals[0].id, proposals[1].id);

    let accepted = store.accept_name_link(arabic, "awa", at(20)).await.unwrap();
    assert_eq!(accepted.status, LinkStatus::Linked);
    assert_eq!(accepted.method, "accepted");
    assert_eq!(accepted.decided_by.as_deref(), Some("awa"));
    let rejected = store
        .reject_name_link(touareg, None, "awa", at(21))
        .await
        .unwrap();
    assert_eq!(rejected.status, LinkStatus::Rejected);
    assert_eq!(rejected.actor_id, None);
    assert_eq!(rejected.proposed_actor_id, "t:targui");

    // Decided once: a second review is a conflict that says what was decided.
    match store.accept_name_link(touareg, "awa", at(22)).await {
        Err(StoreError::Conflict(m)) => assert!(m.contains("rejected"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        store.accept_name_link(9_999, "awa", at(22)).await,
        Err(StoreError::NotFound)
    ));

    // The incidents naming the man: t:1 by id, t:2 and t:3 by linked names.
    let counts = store.actor_incidents(&aid("t:targui")).await.unwrap();
    assert_eq!((counts.by_id, counts.by_name, counts.total), (1, 2, 3));
    // Its originator's next version of t:3 names someone else: the link no longer counts.
    let mut next = incident("t:3", &[("Hassan Hattab", None)]);
    next.version = 2;
    store
        .update_incident(&next, "amadou", at(30))
        .await
        .unwrap();
    let counts = store.actor_incidents(&aid("t:targui")).await.unwrap();
    assert_eq!((counts.by_id, counts.by_name, counts.total), (1, 1, 2));
}

async fn rejected_with_another_actor(store: &Store) {
    seed(store).await;
    store
        .record_name_links(
            &[decision("t:2", "Touareg", "t:targui", false, 0.675)],
            "link-pass",
            at(10),
        )
        .await
        .unwrap();
    let id = store.name_links(None).await.unwrap()[0].id;
    match store
        .reject_name_link(id, Some(&aid("t:nobody")), "awa", at(11))
        .await
    {
        Err(StoreError::Invalid { field, message }) => {
            assert_eq!(field, "actor");
            assert!(message.contains("t:nobody"), "{message}");
        }
        other => panic!("{other:?}"),
    }
    let row = store
        .reject_name_link(id, Some(&aid("t:hattab")), "awa", at(12))
        .await
        .unwrap();
    assert_eq!(row.status, LinkStatus::Linked);
    assert_eq!(row.method, "manual");
    assert_eq!(row.actor_id.as_deref(), Some("t:hattab"));
    assert_eq!(row.proposed_actor_id, "t:targui");
}

async fn merge_then_split_restores_exactly(store: &Store) {
    seed(store).await;
    store
        .record_name_links(
            &[decision(
                "t:3",
                "عبد الكريم الطارقي",
                "t:targui-2",
                true,
                0.93,
            )],
            "link-pass",
            at(10),
        )
        .await
        .unwrap();
    let (keep, other) = (aid("t:targui"), aid("t:targui-2"));
    let snapshot = |store: Store| async move {
        (
            store.actors().await.unwrap(),
            store.effective_actors().await.unwrap(),
            store.effective_actor(&aid("t:targui")).await.unwrap(),
            store.effective_actor(&aid("t:targui-2")).await.unwrap(),
            store.actor_incidents(&aid("t:targui")).await.unwrap(),
            store.actor_incidents(&aid("t:targui-2")).await.unwrap(),
            store.name_links(None).await.unwrap(),
        )
    };
    let before = snapshot(store.clone()).await;
    assert_eq!(before.1.len(), 3);
    assert_eq!(before.4.total, 1);
    assert_eq!(before.5.total, 1);

    let m = store
        .merge_actors(&keep, &other, " two spellings of one man ", "awa", at(20))
        .await
        .unwrap();
    assert!(m.standing());
    assert_eq!(m.reason, "two spellings of one man");
    assert_eq!(
        (m.keep_id.as_str(), m.other_id.as_str()),
        ("t:targui", "t:targui-2")
    );

    // The kept record gains the other's name and aliases, each saying where it comes from.
    let kept = store.effective_actor(&keep).await.unwrap();
    assert_eq!(kept.absorbed, ["t:targui-2"]);
    let names: Vec<AliasTuple<'_>> = kept
        .aliases
        .iter()
        .map(|a| {
            (
                a.name.as_str(),
                a.script,
                a.source.as_deref(),
                a.from_actor.as_str(),
                a.merge_id,
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (
                "Abdelkrim el-Targui",
                Script::Latin,
                Some("scenario sahel-2012, alias"),
                "t:targui",
                None
            ),
            (
                "Abd al-Karim al-Targui",
                Script::Latin,
                Some("press review"),
                "t:targui-2",
                Some(m.id)
            ),
            (
                "عبد الكريم الطارقي",
                Script::Arabic,
                Some("press review, alias"),
                "t:targui-2",
                Some(m.id)
            ),
        ]
    );
    let merged = store.effective_actor(&other).await.unwrap();
    assert_eq!(merged.merged_into.as_ref().map(|r| r.id), Some(m.id));
    // Matching sees one man, under every name.
    let effective = store.effective_actors().await.unwrap();
    assert_eq!(effective.len(), 2);
    // The other record's incidents and links count for the kept one.
    let counts = store.actor_incidents(&keep).await.unwrap();
    assert_eq!((counts.by_id, counts.by_name, counts.total), (1, 1, 2));
    // The records themselves were not rewritten.
    assert_eq!(store.actors().await.unwrap(), before.0);
    assert_eq!(
        store.actor_merges(&other).await.unwrap(),
        std::slice::from_ref(&m)
    );

    let split = store
        .split_actor_merge(m.id, Some("two men after all"), "root", at(30))
        .await
        .unwrap();
    assert_eq!(split.split_by.as_deref(), Some("root"));
    assert_eq!(split.split_reason.as_deref(), Some("two men after all"));
    assert_eq!(snapshot(store.clone()).await, before);
    // Nothing deleted: the merge stays on the record, split.
    let history = store.actor_merges(&keep).await.unwrap();
    assert_eq!(history.len(), 1);
    assert!(!history[0].standing());
    match store.split_actor_merge(m.id, None, "root", at(31)).await {
        Err(StoreError::Conflict(msg)) => assert!(msg.contains("already split"), "{msg}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        store.split_actor_merge(9_999, None, "root", at(31)).await,
        Err(StoreError::NotFound)
    ));
    // Split, the two may be merged again (the other way round, even).
    store
        .merge_actors(&other, &keep, "one man after all", "awa", at(40))
        .await
        .unwrap();
}

async fn merges_refused(store: &Store) {
    seed(store).await;
    let (keep, other, third) = (aid("t:targui"), aid("t:targui-2"), aid("t:hattab"));
    let invalid = |r: Result<liaison_store::MergeRow, StoreError>| match r {
        Err(StoreError::Invalid { field, message }) => (field, message),
        other => panic!("{other:?}"),
    };
    let (field, message) = invalid(store.merge_actors(&keep, &keep, "same", "awa", at(1)).await);
    assert_eq!(field, "other");
    assert!(message.contains("itself"), "{message}");
    let (field, _) = invalid(store.merge_actors(&keep, &other, "  ", "awa", at(1)).await);
    assert_eq!(field, "reason");
    let (field, message) = invalid(
        store
            .merge_actors(&aid("t:nobody"), &other, "why", "awa", at(1))
            .await,
    );
    assert_eq!(field, "keep");
    assert!(message.contains("t:nobody"), "{message}");
    let (field, _) = invalid(
        store
            .merge_actors(&keep, &aid("t:nobody"), "why", "awa", at(1))
            .await,
    );
    assert_eq!(field, "other");

    let m = store
        .merge_actors(&keep, &other, "one man", "awa", at(2))
        .await
        .unwrap();
    // An already merged record cannot be merged again, into anyone.
    match store
        .merge_actors(&third, &other, "why", "awa", at(3))
        .await
    {
        Err(StoreError::Conflict(msg)) => {
            assert!(msg.contains(&format!("merge {}", m.id)), "{msg}");
            assert!(msg.contains("already merged into t:targui"), "{msg}");
        }
        other => panic!("{other:?}"),
    }
    // Nor can anything be merged into a merged record.
    match store
        .merge_actors(&other, &third, "why", "awa", at(3))
        .await
    {
        Err(StoreError::Conflict(msg)) => assert!(msg.starts_with("keep t:targui-2"), "{msg}"),
        other => panic!("{other:?}"),
    }
    // A chain is followed: the third merged into the kept one brings everything together.
    store
        .merge_actors(&keep, &third, "one network", "awa", at(4))
        .await
        .unwrap();
    let kept = store.effective_actor(&keep).await.unwrap();
    assert_eq!(kept.absorbed, ["t:targui-2", "t:hattab"]);
    assert_eq!(store.effective_actors().await.unwrap().len(), 1);
}

on_both!(links, links_with_provenance_and_reviews);
on_both!(redirected, rejected_with_another_actor);
on_both!(merge_split, merge_then_split_restores_exactly);
on_both!(refused, merges_refused);
