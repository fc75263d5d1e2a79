//! `GET /ui/stats`: incidents counted per country, per integrated regional zone, per month and
//! per type, under filters by dates, type and country, drawn as bar charts on the server
//! (`chart`), each with its numbers in a table beside it.
//!
//! Every chart is the store's own statistics (`Store::stats`, as `GET /api/v1/stats`), under
//! the same [`IncidentFilter`]; zones are the built-in ones and the node's own, and zones with no
//! incident are kept in the chart (a quiet zone is news too).

mod chart;

use askama::Template;
use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use liaison_core::date::parse_iso_date;
use liaison_core::{CountryCode, EventType, IncidentFilter, StatsDimension, TypeFilter};
use liaison_store::StoreError;

use crate::agreements::type_label;
use crate::i18n::Tr;
use crate::layout::{Page, failure, render_status};
use crate::map::{Choice, type_choices};
use crate::session::{Screen, Session};
use crate::{WebState, assets};

use chart::Chart;

/// The month chart's span: two years of months that have incidents.
const MONTHS_SHOWN: usize = 24;

/// The filters as typed, to put back in the form.
#[derive(Debug, Default, Clone)]
struct Given {
    from: String,
    to: String,
    kind: String,
    country: String,
}

/// The query string as a filter, or the translated reasons it is not one. Unknown names are
/// refused rather than ignored, as by the API, so a mistyped filter cannot count everything.
fn parse_filter(tr: &Tr, query: &str) -> (Given, IncidentFilter, Vec<String>) {
    let mut given = Given::default();
    let mut errors = Vec::new();
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        let value = value.trim().to_owned();
        match name.as_ref() {
            "from" => given.from = value,
            "to" => given.to = value,
            "type" => given.kind = value,
            "country" => given.country = value,
            other => errors.push(tr.ta("stats-bad-param", &[("name", other.into())])),
        }
    }
    let mut filter = IncidentFilter::default();
    for (field, raw, slot) in [
        ("filter-from", &given.from, &mut filter.from),
        ("filter-to", &given.to, &mut filter.to),
    ] {
        if raw.is_empty() {
            continue;
        }
        match parse_iso_date(raw) {
            Ok(d) => *slot = Some(d),
            Err(_) => errors.push(tr.ta(
                "stats-bad-date",
                &[
                    ("field", tr.t(field).into()),
                    ("value", raw.as_str().into()),
                ],
            )),
        }
    }
    if let (Some(f), Some(t)) = (filter.from, filter.to)
        && f > t
    {
        errors.push(tr.t("stats-bad-range"));
    }
    if !given.kind.is_empty() {
        // Event types only: the zone chart can test nothing finer on a map point.
        match EventType::parse(&given.kind) {
            Some(t) => filter.types = vec![TypeFilter::Event(t)],
            None => errors.push(tr.ta("stats-bad-type", &[("value", given.kind.as_str().into())])),
        }
    }
    if !given.country.is_empty() {
        match CountryCode::parse(&given.country) {
            Ok(c) => {
                given.country = c.to_string();
                filter.country = Some(c);
            }
            Err(_) => errors.push(tr.ta(
                "stats-bad-country",
                &[("value", given.country.as_str().into())],
            )),
        }
    }
    (given, filter, errors)
}

/// Incidents per zone, every zone the node knows in its order (built-in, then the node's own),
/// zones with none kept.
async fn zone_counts(
    state: &WebState,
    f: &IncidentFilter,
) -> Result<Vec<(String, u64)>, StoreError> {
    let rows = counts(state, f, StatsDimension::Zone).await?;
    let zones = state.app.store.zones().await?;
    Ok(zones
        .into_iter()
        .map(|z| {
            let n = rows
                .iter()
                .find(|r| r.zone.as_deref() == Some(z.id.as_str()))
                .map_or(0, |r| r.incidents);
            (z.name, n)
        })
        .collect())
}

/// Largest first, then by label: the order a reader scans a ranking in.
fn ranked(mut rows: Vec<(String, u64)>) -> Vec<(String, u64)> {
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    rows
}

/// `YYYY-MM` in words, or as it is if it is not one.
fn month_label(tr: &Tr, ym: &str) -> String {
    let parsed = ym.split_once('-').and_then(|(y, m)| {
        let m: u8 = m.parse().ok()?;
        (1..=12).contains(&m).then_some((y.parse::<i32>().ok()?, m))
    });
    parsed.map_or_else(|| ym.to_owned(), |(y, m)| tr.month(y, m))
}

#[derive(Template)]
#[template(path = "stats.html")]
struct StatsPage {
    page: Page,
    screens_css: String,
    /// The drawing's geometry (`chart`), shared by the four charts.
    width: u32,
    label_x: u32,
    bar_x: u32,
    bar_height: u32,
    from: String,
    to: String,
    kind: String,
    country: String,
    types: Vec<Choice>,
    countries: Vec<String>,
    errors: Vec<String>,
    total: Option<String>,
    charts: Vec<Chart>,
}

async fn counts(
    state: &WebState,
    filter: &IncidentFilter,
    dim: StatsDimension,
) -> Result<Vec<liaison_core::StatsRow>, StoreError> {
    state.app.store.stats(filter, &[dim]).await
}

/// The four charts, and the number of incidents matching the filter.
async fn charts(
    state: &WebState,
    tr: &Tr,
    f: &IncidentFilter,
) -> Result<(Vec<Chart>, u64), StoreError> {
    let by_country = counts(state, f, StatsDimension::Country).await?;
    let by_month = counts(state, f, StatsDimension::Month).await?;
    let by_type = counts(state, f, StatsDimension::Type).await?;
    let by_zone = zone_counts(state, f).await?;
    let total = by_country.iter().map(|r| r.incidents).sum();
    let country_rows = ranked(
        by_country
            .into_iter()
            .map(|r| (r.country.unwrap_or_else(|| "—".into()), r.incidents))
            .collect(),
    );
    // The store orders months oldest first; the chart keeps the latest ones, in that order.
    let skip = by_month.len().saturating_sub(MONTHS_SHOWN);
    let month_rows = by_month
        .into_iter()
        .skip(skip)
        .map(|r| {
            (
                month_label(tr, r.month.as_deref().unwrap_or("—")),
                r.incidents,
            )
        })
        .collect();
    let type_rows = ranked(
        by_type
            .into_iter()
            .map(|r| {
                (
                    type_label(tr, r.event_type.as_deref().unwrap_or("—")),
                    r.incidents,
                )
            })
            .collect(),
    );
    let mut zone = chart::chart(
        tr,
        "zone",
        tr.t("stats-by-zone"),
        tr.t("stats-col-zone"),
        by_zone,
    );
    zone.note = Some(tr.t("stats-zone-note"));
    let charts = vec![
        chart::chart(
            tr,
            "country",
            tr.t("stats-by-country"),
            tr.t("stats-col-country"),
            country_rows,
        ),
        zone,
        chart::chart(
            tr,
            "month",
            tr.ta(
                "stats-by-month",
                &[("months", (MONTHS_SHOWN as i64).into())],
            ),
            tr.t("stats-col-month"),
            month_rows,
        ),
        chart::chart(
            tr,
            "type",
            tr.t("stats-by-type"),
            tr.t("stats-col-type"),
            type_rows,
        ),
    ];
    Ok((charts, total))
}

async fn page(State(state): State<WebState>, s: Session, RawQuery(query): RawQuery) -> Response {
    if let Err(refused) = s.require(Screen::Stats) {
        return refused;
    }
    let member = state.app.member.as_str();
    let query = query.unwrap_or_default();
    let (given, filter, errors) = parse_filter(&s.tr, &query);
    // Every country the node has incidents in, unfiltered, so a filter can be widened again.
    let countries = match counts(&state, &IncidentFilter::default(), StatsDimension::Country).await
    {
        Ok(rows) => rows.into_iter().filter_map(|r| r.country).collect(),
        Err(e) => return failure(&s, member, &e),
    };
    let path = if query.is_empty() {
        "/ui/stats".to_owned()
    } else {
        format!("/ui/stats?{query}")
    };
    let mut view = StatsPage {
        page: Page::new(&s, member, Screen::Stats, "stats-title", &path),
        screens_css: assets::url("screens.css"),
        width: chart::WIDTH,
        label_x: chart::LABEL_WIDTH - 6,
        bar_x: chart::LABEL_WIDTH,
        bar_height: chart::BAR_HEIGHT,
        from: given.from,
        to: given.to,
        kind: given.kind,
        country: given.country,
        types: type_choices(&s),
        countries,
        errors,
        total: None,
        charts: vec![],
    };
    // A bad filter draws nothing: charts of something other than what was asked would mislead.
    if !view.errors.is_empty() {
        return render_status(StatusCode::BAD_REQUEST, &view);
    }
    let (charts, total) = match charts(&state, &s.tr, &filter).await {
        Ok(c) => c,
        Err(e) => return failure(&s, member, &e),
    };
    view.charts = charts;
    view.total = Some(s.tr.ta(
        "stats-total",
        &[
            ("count", i64::try_from(total).unwrap_or(i64::MAX).into()),
            (
                "n",
                s.tr.num(i64::try_from(total).unwrap_or(i64::MAX)).into(),
            ),
        ],
    ));
    render_status(StatusCode::OK, &view)
}

pub fn routes() -> Router<WebState> {
    Router::new().route("/ui/stats", get(page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Locale;

    #[test]
    fn filters_parse_and_bad_ones_are_named() {
        let tr = Tr::new(Locale::En);
        let (given, f, errors) = parse_filter(&tr, "from=2012-01-01&to=&type=attack&country=mli");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(given.country, "MLI");
        assert_eq!(f.country.as_ref().map(CountryCode::as_str), Some("MLI"));
        assert_eq!(f.types, vec![TypeFilter::Event(EventType::Attack)]);
        assert!(f.from.is_some() && f.to.is_none());
        let (_, _, errors) = parse_filter(
            &tr,
            "from=2012-13-01&to=2011-01-01&type=kidnapping&country=ZZZ&contry=MLI",
        );
        assert_eq!(errors.len(), 4, "{errors:?}");
        let (_, _, errors) = parse_filter(&tr, "from=2012-02-01&to=2012-01-01");
        assert_eq!(errors.len(), 1, "{errors:?}");
    }

    #[test]
    fn months_read_as_words() {
        let tr = Tr::new(Locale::Fr);
        assert_eq!(month_label(&tr, "2012-01"), "janvier 2012");
        assert_eq!(month_label(&tr, "2012-13"), "2012-13");
    }
}
