//! Where the claims of a fused incident agree and where they differ, field by field.
//!
//! Each field is [`Agreement::Agree`] with the shared value (as the first claim by id gives it)
//! or [`Agreement::Differ`] with every claim's own value, in claim-id order. Tolerances:
//!
//! | field | agree when |
//! |---|---|
//! | date | every span has the same start, end and precision |
//! | place point | every two points are within [`POINT_AGREE_KM`] km (none has no point) |
//! | place country, precision | equal |
//! | place name | equal once folded (case, accents, punctuation) |
//! | sub-type | equal |
//! | fatalities | the same best, low and high (dispute notes are not compared) |
//! | actors | every actor of each claim is named by every other claim (same id or folded name) |
//!
//! Nothing is averaged or chosen here: that is [`crate::agreed`]. Pure.

use liaison_core::{CountryCode, DateSpan, Fatalities, GeoPoint, Incident, IncidentId};
use liaison_core::{LocationPrecision, SubType};
use serde::{Deserialize, Serialize};

use crate::geo::haversine_km;
use crate::window::fold_name;

/// Points closer than this agree, in km: two readings of one village's coordinates.
pub const POINT_AGREE_KM: f64 = 5.0;

/// One claim's value of a field.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClaimValue<T> {
    pub claim: IncidentId,
    pub originator: CountryCode,
    pub value: T,
}

/// A field's agreement across the claims of a fused incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Agreement<T> {
    Agree(T),
    Differ(Vec<ClaimValue<T>>),
}

impl<T> Agreement<T> {
    pub fn agrees(&self) -> bool {
        matches!(self, Agreement::Agree(_))
    }
}

/// The place, compared part by part.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceComparison {
    pub point: Agreement<Option<GeoPoint>>,
    pub country: Agreement<Option<CountryCode>>,
    pub place_name: Agreement<Option<String>>,
    pub precision: Agreement<LocationPrecision>,
}

/// Every compared field of a fused incident.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Comparison {
    pub date: Agreement<DateSpan>,
    pub place: PlaceComparison,
    pub sub_type: Agreement<SubType>,
    pub fatalities: Agreement<Fatalities>,
    pub actors: Agreement<Vec<String>>,
}

impl Comparison {
    /// The names of the fields that differ, in a fixed order.
    pub fn differing(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let fields = [
            ("date", self.date.agrees()),
            ("place.point", self.place.point.agrees()),
            ("place.country", self.place.country.agrees()),
            ("place.place_name", self.place.place_name.agrees()),
            ("place.precision", self.place.precision.agrees()),
            ("sub_type", self.sub_type.agrees()),
            ("fatalities", self.fatalities.agrees()),
            ("actors", self.actors.agrees()),
        ];
        for (name, agrees) in fields {
            if !agrees {
                out.push(name);
            }
        }
        out
    }
}

fn field<T: Clone>(
    claims: &[&Incident],
    get: impl Fn(&Incident) -> T,
    same: impl Fn(&T, &T) -> bool,
) -> Agreement<T> {
    let values: Vec<T> = claims.iter().map(|c| get(c)).collect();
    let all_agree = values
        .iter()
        .enumerate()
        .all(|(i, a)| values.iter().skip(i + 1).all(|b| same(a, b)));
    match (all_agree, values.first()) {
        (true, Some(first)) => Agreement::Agree(first.clone()),
        _ => Agreement::Differ(
            claims
                .iter()
                .zip(values)
                .map(|(c, value)| ClaimValue {
                    claim: c.id.clone(),
                    originator: c.originator.clone(),
                    value,
                })
                .collect(),
        ),
    }
}

fn actor_named_by(a: &liaison_core::IncidentActor, c: &Incident) -> bool {
    let folded = fold_name(&a.name);
    c.content
        .actors
        .iter()
        .any(|b| (a.actor_id.is_some() && a.actor_id == b.actor_id) || fold_name(&b.name) == folded)
}

/// Compares the claims of one fused incident (any order; compared in claim-id order).
pub fn compare(claims: &[&Incident]) -> Comparison {
    let mut claims: Vec<&Incident> = claims.to_vec();
    claims.sort_by(|a, b| a.id.cmp(&b.id));
    let claims = claims.as_slice();
    let actors_agree = claims.iter().all(|c| {
        claims
            .iter()
            .all(|d| c.content.actors.iter().all(|a| actor_named_by(a, d)))
    });
    let actors = if actors_agree {
        Agreement::Agree(
            claims
                .first()
                .map(|c| c.content.actors.iter().map(|a| a.name.clone()).collect())
                .unwrap_or_default(),
        )
    } else {
        field(
            claims,
            |c| c.content.actors.iter().map(|a| a.name.clone()).collect(),
            |_, _| false,
        )
    };
    Comparison {
        date: field(claims, |c| c.content.date, |a, b| a == b),
        place: PlaceComparison {
            point: field(
                claims,
                |c| c.content.location.point,
                |a, b| match (a, b) {
                    (Some(a), Some(b)) => haversine_km(*a, *b) <= POINT_AGREE_KM,
                    _ => false,
                },
            ),
            country: field(
                claims,
                |c| c.content.location.country.clone(),
                |a, b| a == b,
            ),
            place_name: field(
                claims,
                |c| c.content.location.place_name.clone(),
                |a, b| a.as_deref().map(fold_name) == b.as_deref().map(fold_name),
            ),
            precision: field(claims, |c| c.content.location.precision, |a, b| a == b),
        },
        sub_type: field(claims, |c| c.content.sub_type, |a, b| a == b),
        fatalities: field(
            claims,
            |c| c.content.casualties.fatalities.clone(),
            |a, b| a.best == b.best && a.low == b.low && a.high == b.high,
        ),
        actors,
    }
}
