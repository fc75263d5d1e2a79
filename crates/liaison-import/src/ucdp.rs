//! UCDP Georeferenced Event Dataset (GED) rows → incidents.
//!
//! Columns are found by name: the official GED CSV (`best`, `low`, `high`; dates `YYYY-MM-DD`,
//! sometimes with a time) and the per-country exports (`best_est`, `low_est`, `high_est`; dates
//! `MM/DD/YYYY 00:00:00`; a trailing empty field), in any column order, with the optional columns
//! absent or present. The field-by-field mapping is documented in the crate doc and in
//! `docs/import-mapping.md`; this file is its implementation, kept in the same order.
//!
//! What this is not: a reader of the UCDP actor list, of `deaths_*` breakdowns (not kept), or a
//! judge of UCDP's coding: values are carried over as published, and a row is refused only when
//! it cannot be read or its dates contradict each other (date_start ≤ date_end). Fatality figures
//! whose bounds are out of order are kept as published, with a dispute note naming them.

use liaison_core::incident::{MAX_NAME_CHARS, MAX_NARRATIVE_CHARS, MAX_TITLE_CHARS};
use liaison_core::{
    ActorId, ActorRole, Casualties, CountryCode, Credibility, DatePrecision, DateSpan, Fatalities,
    GeoPoint, IncidentActor, IncidentContent, IncidentId, Lang, Location, LocationPrecision,
    Markings, Narrative, Provenance, Reliability, Source, SubType,
};

use crate::Dataset;
use crate::columns::Resolver;
use crate::countries::{CodeKind, Countries};
use crate::error::{HeaderError, RowError};
use crate::fields::{Row, clip, clip_opt, parse_iso, parse_ucdp_date, parse_whole};

/// The columns read, as indexes into the record.
pub(crate) struct Columns {
    id: usize,
    type_of_violence: usize,
    date_start: usize,
    date_end: usize,
    date_prec: usize,
    latitude: usize,
    longitude: usize,
    best: usize,
    low: usize,
    high: usize,
    country_id: Option<usize>,
    country: Option<usize>,
    where_prec: Option<usize>,
    where_coordinates: Option<usize>,
    adm_1: Option<usize>,
    adm_2: Option<usize>,
    dyad_name: Option<usize>,
    conflict_name: Option<usize>,
    side_a: Option<usize>,
    side_a_new_id: Option<usize>,
    side_b: Option<usize>,
    side_b_new_id: Option<usize>,
    source_office: Option<usize>,
    source_headline: Option<usize>,
    source_date: Option<usize>,
    event_clarity: Option<usize>,
}

impl Columns {
    pub(crate) fn resolve(names: &[String]) -> Result<Self, HeaderError> {
        let mut r = Resolver::new(names);
        let c = Columns {
            id: r.required(&["id"]),
            type_of_violence: r.required(&["type_of_violence"]),
            date_start: r.required(&["date_start"]),
            date_end: r.required(&["date_end"]),
            date_prec: r.required(&["date_prec"]),
            latitude: r.required(&["latitude"]),
            longitude: r.required(&["longitude"]),
            best: r.required(&["best", "best_est"]),
            low: r.required(&["low", "low_est"]),
            high: r.required(&["high", "high_est"]),
            country_id: r.optional(&["country_id"]),
            country: r.optional(&["country"]),
            where_prec: r.optional(&["where_prec"]),
            where_coordinates: r.optional(&["where_coordinates"]),
            adm_1: r.optional(&["adm_1"]),
            adm_2: r.optional(&["adm_2"]),
            dyad_name: r.optional(&["dyad_name"]),
            conflict_name: r.optional(&["conflict_name"]),
            side_a: r.optional(&["side_a"]),
            side_a_new_id: r.optional(&["side_a_new_id"]),
            side_b: r.optional(&["side_b"]),
            side_b_new_id: r.optional(&["side_b_new_id"]),
            source_office: r.optional(&["source_office"]),
            source_headline: r.optional(&["source_headline"]),
            source_date: r.optional(&["source_date"]),
            event_clarity: r.optional(&["event_clarity"]),
        };
        r.one_of(c.country_id, c.country, "country_id or country");
        r.finish(Dataset::UcdpGed.title())?;
        Ok(c)
    }
}

/// One GED row as an incident, or the first thing wrong with it.
pub(crate) fn map(
    row: &Row<'_>,
    c: &Columns,
    countries: &mut Countries,
) -> Result<(IncidentId, IncidentContent), RowError> {
    // The id first: when values are shifted (a merged or cut record), this is where it shows.
    let record_id = row.required(c.id)?;
    if parse_whole(record_id).is_none() {
        return Err(row.bad(
            c.id,
            "is not a UCDP event id (a whole number): are the record's values shifted?",
        ));
    }
    let id = IncidentId::parse(&format!("{}:{record_id}", Dataset::UcdpGed.name()))
        .map_err(|e| row.fail(c.id, e))?;

    let violence = row.code(c.type_of_violence)?;
    let sub_type = SubType::from_ucdp(violence).ok_or_else(|| {
        row.fail(
            c.type_of_violence,
            format!(
                "{violence} is not a UCDP type of violence (1 state-based, 2 non-state, 3 one-sided)"
            ),
        )
    })?;

    let date = date_span(row, c)?;
    let location = location(row, c, countries)?;
    let fatalities = fatalities(row, c)?;

    let who = row
        .opt(c.dyad_name)
        .or_else(|| row.opt(c.conflict_name))
        .unwrap_or("UCDP GED event");
    let place = location
        .place_name
        .as_deref()
        .or(location.admin2.as_deref())
        .or(location.admin1.as_deref())
        .or_else(|| location.country.as_ref().map(CountryCode::name_en))
        .unwrap_or("unknown place");
    let title = clip(&format!("{who}: {place}"), MAX_TITLE_CHARS);

    let mut actors = Vec::with_capacity(2);
    for (name, actor_id, role) in [
        (c.side_a, c.side_a_new_id, ActorRole::SideA),
        (c.side_b, c.side_b_new_id, ActorRole::SideB),
    ] {
        if let Some(name) = row.opt(name) {
            actors.push(IncidentActor {
                name: clip(name, MAX_NAME_CHARS),
                role,
                actor_id: actor(row, actor_id)?,
            });
        }
    }

    let headline = row.opt(c.source_headline);
    let source = Source {
        name: clip(
            row.opt(c.source_office).unwrap_or("UCDP GED"),
            MAX_NAME_CHARS,
        ),
        reference: clip_opt(headline, MAX_TITLE_CHARS * 4),
        url: None,
        date: row
            .opt(c.source_date)
            .and_then(|s| s.split(';').find_map(|d| parse_iso(d.trim()))),
        reliability: Reliability::B,
        credibility: credibility(row, c)?,
    };

    let content = IncidentContent {
        title,
        sub_type,
        date,
        location,
        actors,
        casualties: Casualties {
            fatalities,
            ..Casualties::default()
        },
        narrative: headline.map(|t| Narrative {
            text: clip(t, MAX_NARRATIVE_CHARS),
            lang: Lang::En,
        }),
        sources: vec![source],
        markings: Markings::open(),
        provenance: Some(Provenance {
            dataset: Dataset::UcdpGed.name().to_owned(),
            record_id: record_id.to_owned(),
            original_type: Some(format!("type_of_violence={violence}")),
            attribution: Some(Dataset::UcdpGed.attribution().to_owned()),
        }),
    };
    Ok((id, content))
}

/// `date_start`..`date_end` with `date_prec`: 1 day; 2 and 3 week (2–6 days, "within a week");
/// 4 month; 5 year.
fn date_span(row: &Row<'_>, c: &Columns) -> Result<DateSpan, RowError> {
    const WHAT: &str = "is not a date (YYYY-MM-DD or MM/DD/YYYY)";
    let start =
        parse_ucdp_date(row.required(c.date_start)?).ok_or_else(|| row.bad(c.date_start, WHAT))?;
    let end =
        parse_ucdp_date(row.required(c.date_end)?).ok_or_else(|| row.bad(c.date_end, WHAT))?;
    if end < start {
        return Err(row.fail(
            c.date_end,
            format!("{end} is before {} {start}", row.name(c.date_start)),
        ));
    }
    let precision = match row.code(c.date_prec)? {
        1 => DatePrecision::Day,
        2 | 3 => DatePrecision::Week,
        4 => DatePrecision::Month,
        5 => DatePrecision::Year,
        _ => return Err(row.bad(c.date_prec, "is not a UCDP date precision (1 to 5)")),
    };
    Ok(DateSpan {
        start,
        end,
        precision,
    })
}

/// The point, its precision (`where_prec`), the names, and the country: from `country_id`
/// (Gleditsch–Ward) when given, else from the `country` name.
fn location(row: &Row<'_>, c: &Columns, countries: &mut Countries) -> Result<Location, RowError> {
    let lat = row.coord(c.latitude, 90.0)?;
    let lon = row.coord(c.longitude, 180.0)?;
    let precision = match row.opt_at(c.where_prec) {
        // Absent (Niger_cleaned lacks the column): claim no more than the country.
        None => LocationPrecision::Country,
        Some((col, _)) => match row.code(col)? {
            1 => LocationPrecision::Exact,
            2 => LocationPrecision::Near,
            3 => LocationPrecision::Admin2,
            4 | 5 => LocationPrecision::Admin1,
            6 | 7 => LocationPrecision::Country,
            _ => return Err(row.bad(col, "is not a UCDP location precision (1 to 7)")),
        },
    };
    let country = countries.of_row(row, CodeKind::GleditschWard, c.country_id, c.country)?;
    Ok(Location {
        point: Some(GeoPoint { lat, lon }),
        precision,
        place_name: clip_opt(row.opt(c.where_coordinates), MAX_NAME_CHARS),
        admin1: clip_opt(row.opt(c.adm_1), MAX_NAME_CHARS),
        admin2: clip_opt(row.opt(c.adm_2), MAX_NAME_CHARS),
        country: Some(country),
        coordinates_country: None,
    })
}

/// best / low / high, exactly as published. When they break low ≤ best ≤ high (the per-country
/// exports hold such rows, a bound off by one), they are still kept as published, never
/// "corrected", and `dispute` says so, naming the three figures: statistics over an import must
/// add up to the source's own columns.
fn fatalities(row: &Row<'_>, c: &Columns) -> Result<Fatalities, RowError> {
    let best = row.whole(c.best)?;
    let low = row.whole(c.low)?;
    let high = row.whole(c.high)?;
    let dispute = (low > best || best > high).then(|| {
        format!("as published by UCDP GED: low {low}, best {best}, high {high} are out of order")
    });
    Ok(Fatalities {
        best,
        low,
        high,
        dispute,
    })
}

/// `ucdp-actor:<side_x_new_id>` when the id is given.
fn actor(row: &Row<'_>, col: Option<usize>) -> Result<Option<ActorId>, RowError> {
    let Some((col, v)) = row.opt_at(col) else {
        return Ok(None);
    };
    if parse_whole(v).is_none() {
        return Err(row.bad(col, "is not a UCDP actor id (a whole number)"));
    }
    ActorId::parse(&format!("ucdp-actor:{v}"))
        .map(Some)
        .map_err(|e| row.fail(col, e))
}

/// UCDP is graded B (usually reliable); its information 2 (probably true), or 3 (possibly true)
/// when `event_clarity` is 2 (UCDP's "lower clarity").
fn credibility(row: &Row<'_>, c: &Columns) -> Result<Credibility, RowError> {
    let grade = match row.opt_at(c.event_clarity) {
        None | Some((_, "1")) => 2,
        Some((_, "2")) => 3,
        Some((col, _)) => return Err(row.bad(col, "is not a UCDP event clarity (1 or 2)")),
    };
    Ok(Credibility::new(grade).unwrap_or(Credibility::CANNOT_JUDGE))
}
