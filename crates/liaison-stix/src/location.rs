//! Where an incident happened, as a STIX `location`: the point with a precision in metres
//! derived from the precision class, the country (ISO 3166-1 alpha-2), the region (UN M49
//! sub-region, STIX `region-ov`), the first-order area, a name. At country precision no point is
//! given: a pin at a country's centroid would mislead anyone who reads a map (the point stays in
//! the incident's extension, so nothing is lost).

use liaison_core::{Incident, LocationPrecision};
use serde_json::{Value, json};

use crate::export::{Times, head};
use crate::ids::derived;
use crate::markings::IncidentMarkings;
use crate::region::region_of;

/// Precision in metres of a location precision class (none at country precision: no point).
pub fn precision_metres(p: LocationPrecision) -> Option<f64> {
    match p {
        LocationPrecision::Exact => Some(1_000.0),
        LocationPrecision::Near => Some(25_000.0),
        LocationPrecision::Admin2 => Some(50_000.0),
        LocationPrecision::Admin1 => Some(250_000.0),
        LocationPrecision::Country => None,
    }
}

pub(crate) fn location_object(
    inc: &Incident,
    times: &Times,
    m: &IncidentMarkings,
) -> Option<Value> {
    let loc = &inc.content.location;
    let alpha3 = loc.country.as_ref().map(|c| c.as_str());
    let alpha2 = alpha3
        .and_then(liaison_core::country::by_alpha3)
        .map(|c| c.alpha2);
    let region = alpha3.and_then(region_of);
    let point = loc.point.zip(precision_metres(loc.precision));
    if point.is_none() && alpha2.is_none() && region.is_none() {
        return None;
    }
    let id = derived("location", inc.originator.as_str(), inc.id.as_str());
    let mut o = head("location", &id, times, &inc.originator, m);
    let name = loc
        .place_name
        .clone()
        .or_else(|| loc.admin2.clone())
        .or_else(|| loc.admin1.clone())
        .or_else(|| loc.country.as_ref().map(|c| c.name_en().to_owned()));
    if let Some(n) = name {
        o.insert("name".into(), json!(n));
    }
    let mut d = format!("Location precision: {}", loc.precision.as_str());
    match precision_metres(loc.precision) {
        Some(metres) => d.push_str(&format!(" (within about {} km).", metres / 1000.0)),
        None => d.push_str(" (only the country is known; no point is given)."),
    }
    if let Some(a2) = &loc.admin2 {
        d.push_str(&format!(" Second-order area: {a2}."));
    }
    if loc.country_disagrees()
        && let Some(cc) = &loc.coordinates_country
    {
        d.push_str(&format!(
            " The source places it in {}; its coordinates fall in {cc}.",
            loc.country.as_ref().map_or("?", |c| c.as_str())
        ));
    }
    o.insert("description".into(), json!(d));
    if let Some((p, metres)) = point {
        o.insert("latitude".into(), json!(p.lat));
        o.insert("longitude".into(), json!(p.lon));
        o.insert("precision".into(), json!(metres));
    }
    if let Some(a1) = &loc.admin1 {
        o.insert("administrative_area".into(), json!(a1));
    }
    if let Some(r) = region {
        o.insert("region".into(), json!(r));
    }
    if let Some(a2) = alpha2 {
        o.insert("country".into(), json!(a2));
    }
    Some(Value::Object(o))
}
