//! Fixtures shared by the liaison-stix tests: incidents that exercise every part of the mapping,
//! the node records they refer to, and fixed times.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;

use liaison_core::date::parse_iso_date;
use liaison_core::{
    Actor, ActorId, ActorKind, ActorRole, Alias, Casualties, Classification, CountryCode,
    Credibility, DatePrecision, DateSpan, Fatalities, GeoPoint, Incident, IncidentActor,
    IncidentContent, IncidentId, Lang, Location, LocationPrecision, Markings, Member, Narrative,
    Provenance, Reliability, Source, SubType, Tlp,
};
use liaison_stix::{Bundle, ExportContext, IncidentRecord, export_bundle};
use time::OffsetDateTime;

pub fn code(c: &str) -> CountryCode {
    CountryCode::parse(c).unwrap()
}

pub fn at(unix: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix) * 1_000_000_000 + 123_456_789)
        .unwrap()
}

/// A restricted kidnapping in Djanet with every optional field set.
pub fn kidnapping() -> Incident {
    let content = IncidentContent {
        title: "Kidnapping of an Italian tourist in Djanet province".into(),
        sub_type: SubType::Kidnapping,
        date: DateSpan {
            start: parse_iso_date("2011-02-02").unwrap(),
            end: parse_iso_date("2011-02-08").unwrap(),
            precision: DatePrecision::Week,
        },
        location: Location {
            point: Some(GeoPoint {
                lat: 24.554,
                lon: 9.4847,
            }),
            precision: LocationPrecision::Admin2,
            place_name: Some("Djanet".into()),
            admin1: Some("Illizi".into()),
            admin2: Some("Djanet".into()),
            country: Some(code("DZA")),
            coordinates_country: Some(code("DZA")),
        },
        actors: vec![
            IncidentActor {
                name: "AQIM".into(),
                role: ActorRole::Perpetrator,
                actor_id: Some(ActorId::parse("sahel-2012:aqim").unwrap()),
            },
            IncidentActor {
                name: "touriste italienne".into(),
                role: ActorRole::Victim,
                actor_id: None,
            },
            IncidentActor {
                name: "Algerian security forces".into(),
                role: ActorRole::Participant,
                actor_id: Some(ActorId::parse("sahel-2012:algerian-armed-forces").unwrap()),
            },
        ],
        casualties: Casualties {
            fatalities: Fatalities {
                best: 0,
                low: 0,
                high: 1,
                dispute: Some("one report of a driver killed, unconfirmed".into()),
            },
            injured: Some(2),
            kidnapped: Some(1),
            released: None,
        },
        narrative: Some(Narrative {
            text: "Enlèvement d'une touriste italienne près de Djanet, revendiqué par AQMI.".into(),
            lang: Lang::Fr,
        }),
        sources: vec![
            Source {
                name: "Africa Center for Strategic Studies".into(),
                reference: Some("Africa Security Brief No. 18".into()),
                url: Some("https://africacenter.org/publication/regional-security-cooperation-in-the-maghreb-and-sahel-algerias-pivotal-ambivalence/".into()),
                date: Some(parse_iso_date("2012-02-01").unwrap()),
                reliability: Reliability::B,
                credibility: Credibility::new(2).unwrap(),
            },
            Source {
                name: "Gendarmerie nationale, bulletin".into(),
                reference: None,
                url: None,
                date: None,
                reliability: Reliability::C,
                credibility: Credibility::new(3).unwrap(),
            },
        ],
        markings: Markings {
            classification: Classification::Restricted,
            tlp: Tlp::Amber,
            releasable_to: vec![code("NER"), code("MLI")],
        },
        provenance: Some(Provenance {
            dataset: "sahel-2012".into(),
            record_id: "djanet-kidnapping-2011-02".into(),
            original_type: None,
            attribution: Some("Africa Center for Strategic Studies".into()),
        }),
    };
    Incident::new(
        IncidentId::parse("sahel-2012:djanet-kidnapping-2011-02").unwrap(),
        code("DZA"),
        2,
        content,
    )
}

/// A UCDP GED row as the importer makes it: open data, UCDP actors not in the node's records.
pub fn ucdp() -> Incident {
    let content = IncidentContent {
        title: "Government of Mali - JNIM: Boni".into(),
        sub_type: SubType::ClashWithArmedForces,
        date: DateSpan::day(parse_iso_date("2019-03-17").unwrap()),
        location: Location {
            point: Some(GeoPoint {
                lat: 15.0183,
                lon: -1.9817,
            }),
            precision: LocationPrecision::Exact,
            place_name: Some("Boni village".into()),
            admin1: Some("Mopti region".into()),
            admin2: Some("Douentza cercle".into()),
            country: Some(code("MLI")),
            coordinates_country: Some(code("MLI")),
        },
        actors: vec![
            IncidentActor {
                name: "Government of Mali".into(),
                role: ActorRole::SideA,
                actor_id: Some(ActorId::parse("ucdp-actor:112").unwrap()),
            },
            IncidentActor {
                name: "JNIM".into(),
                role: ActorRole::SideB,
                actor_id: Some(ActorId::parse("ucdp-actor:6276").unwrap()),
            },
        ],
        casualties: Casualties {
            fatalities: Fatalities {
                best: 13,
                low: 13,
                high: 12,
                dispute: Some("as published: high 12 < best 13".into()),
            },
            ..Default::default()
        },
        narrative: None,
        sources: vec![Source {
            name: "Agence France Presse".into(),
            reference: Some("Mali: 13 soldiers killed".into()),
            url: None,
            date: Some(parse_iso_date("2019-03-18").unwrap()),
            reliability: Reliability::B,
            credibility: Credibility::new(2).unwrap(),
        }],
        markings: Markings::open(),
        provenance: Some(Provenance {
            dataset: "ucdp-ged".into(),
            record_id: "301234".into(),
            original_type: Some("type_of_violence=1".into()),
            attribution: Some("UCDP GED 23.1, CC BY 4.0".into()),
        }),
    };
    Incident::new(
        IncidentId::parse("ucdp-ged:301234").unwrap(),
        code("MLI"),
        1,
        content,
    )
}

/// Known only to the country, no point: a strategic development.
pub fn country_only() -> Incident {
    let content = IncidentContent {
        title: "Algerian instructors sent to northern Mali".into(),
        sub_type: SubType::Deployment,
        date: DateSpan {
            start: parse_iso_date("2011-12-01").unwrap(),
            end: parse_iso_date("2011-12-31").unwrap(),
            precision: DatePrecision::Month,
        },
        location: Location {
            point: Some(GeoPoint {
                lat: 17.57,
                lon: -3.99,
            }),
            precision: LocationPrecision::Country,
            place_name: None,
            admin1: None,
            admin2: None,
            country: Some(code("MLI")),
            coordinates_country: None,
        },
        actors: vec![],
        casualties: Casualties::default(),
        narrative: Some(Narrative {
            text: "Algeria sends military instructors to northern Mali.".into(),
            lang: Lang::En,
        }),
        sources: vec![],
        markings: Markings {
            classification: Classification::Unclassified,
            tlp: Tlp::Green,
            releasable_to: vec![code("NER")],
        },
        provenance: None,
    };
    Incident::new(
        IncidentId::parse("mli:2011-0042").unwrap(),
        code("MLI"),
        1,
        content,
    )
}

pub fn actors() -> HashMap<ActorId, Actor> {
    let aqim = Actor {
        id: ActorId::parse("sahel-2012:aqim").unwrap(),
        kind: ActorKind::ArmedGroup,
        name: "Al Qaeda in the Islamic Maghreb".into(),
        aliases: vec![
            Alias::new("AQIM", Some("the brief")),
            Alias::new("AQMI", Some("French usage")),
            Alias::new("تنظيم القاعدة في بلاد المغرب الإسلامي", Some("Arabic usage")),
        ],
        country: Some(code("DZA")),
        ucdp_id: Some(539),
        description: Some("Algerian-led armed group.".into()),
        source: Some("Africa Center for Strategic Studies".into()),
        reliability: Some(Reliability::B),
        credibility: Some(Credibility::new(2).unwrap()),
        // Its history travels with it (AQIM broke away from the GIA, per UCDP's actor list).
        relations: vec![liaison_core::ActorRelation {
            name: Some("GIA".into()),
            source: Some("UCDP actor list v22.1".into()),
            ..liaison_core::ActorRelation::new(
                liaison_core::RelationKind::SplinterOf,
                ActorId::parse("ucdp-actor:538").unwrap(),
            )
        }],
    };
    let army = Actor {
        id: ActorId::parse("sahel-2012:algerian-armed-forces").unwrap(),
        kind: ActorKind::Government,
        name: "Algerian armed forces".into(),
        aliases: vec![],
        country: Some(code("DZA")),
        ucdp_id: None,
        description: None,
        source: None,
        reliability: None,
        credibility: None,
        relations: vec![],
    };
    [aqim, army]
        .into_iter()
        .map(|a| (a.id.clone(), a))
        .collect()
}

pub fn members() -> HashMap<CountryCode, Member> {
    let dza = Member {
        code: code("DZA"),
        name: "Algeria".into(),
        joint_command: true,
        fusion_cell: true,
        assets: vec![],
        attacks_since_2001: Some(938),
    };
    [(dza.code.clone(), dza)].into_iter().collect()
}

/// Exports `incidents` as node MLI, each created at `t0` and modified an hour later.
pub fn export(incidents: &[Incident]) -> Bundle {
    let actors = actors();
    let members = members();
    let mli = code("MLI");
    let ctx = ExportContext {
        exporter: &mli,
        actors: &actors,
        members: &members,
        description: Some("test selection"),
    };
    let records: Vec<IncidentRecord> = incidents
        .iter()
        .map(|i| IncidentRecord {
            incident: i,
            created: at(1_700_000_000),
            modified: at(1_700_003_600),
        })
        .collect();
    export_bundle(&ctx, &records).unwrap()
}
