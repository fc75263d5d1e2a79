//! ACLED (Armed Conflict Location & Event Data) rows → incidents.
//!
//! Columns are found by name, as the ACLED codebook names them (`event_id_cnty`, `event_date`,
//! `time_precision`, `event_type`, `sub_event_type`, `actor1`, …), in any order. The
//! field-by-field mapping is documented in the crate doc and in `docs/import-mapping.md`; this
//! file is its implementation, kept in the same order.
//!
//! What this is not: a client of the ACLED API (files only), nor a reader of ACLED's aggregated
//! (weekly, regional) files, which hold counts rather than events. `inter1`, `inter2`,
//! `interaction`, `civilian_targeting`, `disorder_type`, `admin3`, `source_scale`, `tags`,
//! `region`, `year` and `timestamp` are not kept.

use liaison_core::incident::{MAX_NAME_CHARS, MAX_NARRATIVE_CHARS, MAX_TITLE_CHARS};
use liaison_core::{
    ActorRole, Casualties, CountryCode, Credibility, DatePrecision, DateSpan, Fatalities, GeoPoint,
    IncidentActor, IncidentContent, IncidentId, Lang, Location, LocationPrecision, Markings,
    Narrative, Provenance, Reliability, Source, SubType,
};

use crate::Dataset;
use crate::columns::Resolver;
use crate::countries::{CodeKind, Countries};
use crate::error::{HeaderError, RowError};
use crate::fields::{Row, clip, clip_opt, parse_acled_date};

/// The columns read, as indexes into the record.
pub(crate) struct Columns {
    event_id_cnty: usize,
    event_date: usize,
    time_precision: usize,
    event_type: usize,
    sub_event_type: usize,
    actor1: usize,
    latitude: usize,
    longitude: usize,
    geo_precision: usize,
    fatalities: usize,
    assoc_actor_1: Option<usize>,
    actor2: Option<usize>,
    assoc_actor_2: Option<usize>,
    iso: Option<usize>,
    country: Option<usize>,
    admin1: Option<usize>,
    admin2: Option<usize>,
    location: Option<usize>,
    source: Option<usize>,
    notes: Option<usize>,
}

impl Columns {
    pub(crate) fn resolve(names: &[String]) -> Result<Self, HeaderError> {
        let mut r = Resolver::new(names);
        let c = Columns {
            event_id_cnty: r.required(&["event_id_cnty"]),
            event_date: r.required(&["event_date"]),
            time_precision: r.required(&["time_precision"]),
            event_type: r.required(&["event_type"]),
            sub_event_type: r.required(&["sub_event_type"]),
            actor1: r.required(&["actor1"]),
            latitude: r.required(&["latitude"]),
            longitude: r.required(&["longitude"]),
            geo_precision: r.required(&["geo_precision"]),
            fatalities: r.required(&["fatalities"]),
            assoc_actor_1: r.optional(&["assoc_actor_1"]),
            actor2: r.optional(&["actor2"]),
            assoc_actor_2: r.optional(&["assoc_actor_2"]),
            iso: r.optional(&["iso"]),
            country: r.optional(&["country"]),
            admin1: r.optional(&["admin1"]),
            admin2: r.optional(&["admin2"]),
            location: r.optional(&["location"]),
            source: r.optional(&["source"]),
            notes: r.optional(&["notes"]),
        };
        r.one_of(c.iso, c.country, "iso or country");
        r.finish(Dataset::Acled.title())?;
        Ok(c)
    }
}

/// One ACLED row as an incident, or the first thing wrong with it.
pub(crate) fn map(
    row: &Row<'_>,
    c: &Columns,
    countries: &mut Countries,
) -> Result<(IncidentId, IncidentContent), RowError> {
    let record_id = row.required(c.event_id_cnty)?;
    let id = IncidentId::parse(&format!("{}:{record_id}", Dataset::Acled.name()))
        .map_err(|e| row.fail(c.event_id_cnty, e))?;

    let day = parse_acled_date(row.required(c.event_date)?)
        .ok_or_else(|| row.bad(c.event_date, "is not a date (YYYY-MM-DD or D Month YYYY)"))?;
    let precision = match row.code(c.time_precision)? {
        1 => DatePrecision::Day,
        2 => DatePrecision::Week,
        3 => DatePrecision::Month,
        _ => return Err(row.bad(c.time_precision, "is not an ACLED time precision (1 to 3)")),
    };

    let event_type = row.required(c.event_type)?;
    let sub_event_type = row.required(c.sub_event_type)?;
    let sub_type = SubType::from_acled(event_type, sub_event_type)
        .ok_or_else(|| row.bad(c.event_type, "is not an ACLED event type"))?;

    let location = location(row, c, countries)?;
    let fatalities = Fatalities::exact(row.whole(c.fatalities)?);

    let place = location
        .place_name
        .as_deref()
        .or(location.admin2.as_deref())
        .or(location.admin1.as_deref())
        .or_else(|| location.country.as_ref().map(CountryCode::name_en))
        .unwrap_or("unknown place");
    let title = clip(&format!("{sub_event_type}: {place}"), MAX_TITLE_CHARS);

    let mut actors = Vec::with_capacity(4);
    push_actor(&mut actors, Some(row.required(c.actor1)?), ActorRole::SideA);
    push_list(&mut actors, row.opt(c.assoc_actor_1));
    push_actor(&mut actors, row.opt(c.actor2), ActorRole::SideB);
    push_list(&mut actors, row.opt(c.assoc_actor_2));

    let mut sources: Vec<Source> = row
        .opt(c.source)
        .into_iter()
        .flat_map(|s| s.split(';'))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(source)
        .collect();
    if sources.is_empty() {
        sources.push(source("ACLED"));
    }

    let content = IncidentContent {
        title,
        sub_type,
        date: DateSpan {
            start: day,
            end: day,
            precision,
        },
        location,
        actors,
        casualties: Casualties {
            fatalities,
            ..Casualties::default()
        },
        narrative: row.opt(c.notes).map(|t| Narrative {
            text: clip(t, MAX_NARRATIVE_CHARS),
            lang: Lang::En,
        }),
        sources,
        markings: Markings::open(),
        provenance: Some(Provenance {
            dataset: Dataset::Acled.name().to_owned(),
            record_id: record_id.to_owned(),
            original_type: Some(format!("{event_type} / {sub_event_type}")),
            attribution: Some(Dataset::Acled.attribution().to_owned()),
        }),
    };
    Ok((id, content))
}

/// The point, `geo_precision` (1 exact, 2 near, 3 admin1), the names, and the country: from
/// `iso` (ISO 3166-1 numeric) when given, else from the `country` name.
fn location(row: &Row<'_>, c: &Columns, countries: &mut Countries) -> Result<Location, RowError> {
    let lat = row.coord(c.latitude, 90.0)?;
    let lon = row.coord(c.longitude, 180.0)?;
    let precision = match row.code(c.geo_precision)? {
        1 => LocationPrecision::Exact,
        2 => LocationPrecision::Near,
        3 => LocationPrecision::Admin1,
        _ => return Err(row.bad(c.geo_precision, "is not an ACLED geo precision (1 to 3)")),
    };
    let country = countries.of_row(row, CodeKind::IsoNumeric, c.iso, c.country)?;
    Ok(Location {
        point: Some(GeoPoint { lat, lon }),
        precision,
        place_name: clip_opt(row.opt(c.location), MAX_NAME_CHARS),
        admin1: clip_opt(row.opt(c.admin1), MAX_NAME_CHARS),
        admin2: clip_opt(row.opt(c.admin2), MAX_NAME_CHARS),
        country: Some(country),
        coordinates_country: None,
    })
}

fn push_actor(actors: &mut Vec<IncidentActor>, name: Option<&str>, role: ActorRole) {
    if let Some(name) = name.map(str::trim).filter(|n| !n.is_empty()) {
        actors.push(IncidentActor {
            name: clip(name, MAX_NAME_CHARS),
            role,
            actor_id: None,
        });
    }
}

/// `assoc_actor_*` are `;`-separated lists; each associated actor takes part.
fn push_list(actors: &mut Vec<IncidentActor>, list: Option<&str>) {
    for name in list.into_iter().flat_map(|l| l.split(';')) {
        push_actor(actors, Some(name), ActorRole::Participant);
    }
}

/// Each ACLED source is graded B2 (usually reliable, probably true): a fixed grade, as for UCDP.
fn source(name: &str) -> Source {
    Source {
        name: clip(name, MAX_NAME_CHARS),
        reference: None,
        url: None,
        date: None,
        reliability: Reliability::B,
        credibility: Credibility::new(2).unwrap_or(Credibility::CANNOT_JUDGE),
    }
}
