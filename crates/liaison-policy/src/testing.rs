//! Fixtures for this crate's unit tests: codes, days, instants, agreements and one incident.

#![allow(clippy::unwrap_used)]

use liaison_core::{
    ActorRole, Agreement, Casualties, CountryCode, Credibility, DatePrecision, DateSpan,
    Fatalities, GeoPoint, Incident, IncidentActor, IncidentContent, IncidentId, Lang, Location,
    LocationPrecision, Markings, Narrative, Reliability, Source, SubType,
};
use time::{Date, OffsetDateTime};

pub fn code(s: &str) -> CountryCode {
    CountryCode::parse(s).unwrap()
}

pub fn day(s: &str) -> Date {
    liaison_core::date::parse_iso_date(s).unwrap()
}

/// 2012-01-24T00:00:00Z plus `seconds`.
pub fn at(seconds: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_327_363_200 + seconds).unwrap()
}

pub fn agreement(json: &str) -> Agreement {
    serde_json::from_str(json).unwrap()
}

/// The attack on Aguelhok (Mali, 2012-01-24), recorded by `originator`.
pub fn incident(originator: &str) -> Incident {
    let content = IncidentContent {
        title: "Attack on the Aguelhok garrison".into(),
        sub_type: SubType::ArmedAttack,
        date: DateSpan {
            start: day("2012-01-24"),
            end: day("2012-01-24"),
            precision: DatePrecision::Day,
        },
        location: Location {
            point: Some(GeoPoint {
                lat: 18.4411,
                lon: 1.4058,
            }),
            precision: LocationPrecision::Exact,
            place_name: Some("Aguelhok".into()),
            admin1: Some("Kidal".into()),
            admin2: Some("Tessalit".into()),
            country: Some(code("MLI")),
            coordinates_country: Some(code("MLI")),
        },
        actors: vec![IncidentActor {
            name: "MNLA".into(),
            role: ActorRole::Perpetrator,
            actor_id: None,
        }],
        casualties: Casualties {
            fatalities: Fatalities {
                best: 60,
                low: 55,
                high: 120,
                dispute: Some("Sources give 55 to 120.".into()),
            },
            ..Default::default()
        },
        narrative: Some(Narrative {
            text: "Soldiers were killed after the garrison ran out of ammunition.".into(),
            lang: Lang::En,
        }),
        sources: vec![Source {
            name: "Ministère de la Défense".into(),
            reference: Some("Communiqué 12".into()),
            url: Some("https://example.org/c12".into()),
            date: Some(day("2012-01-26")),
            reliability: Reliability::B,
            credibility: Credibility::new(2).unwrap(),
        }],
        markings: Markings::open(),
        provenance: None,
    };
    Incident::new(
        IncidentId::parse("aguelhok-2012").unwrap(),
        code(originator),
        2,
        content,
    )
}
