//! Reading the gazetteer's two tab-separated files (their columns are described in
//! `data/README.md`): the generated GeoNames places and the hand-curated places and variant
//! spellings. Strict: an unexpected header, a missing column or a bad number is an error naming
//! the file and line, never a skipped row.

use super::{GazetteerError, Place};

const GEONAMES_HEADER: &str =
    "geonameid\tname\tcountry\tadmin1\tlat\tlon\tpopulation\tsource\talt_names";
const CURATED_HEADER: &str =
    "id\tkind\tname\tcountry\tadmin1\tlat\tlon\tpopulation\tsource\talt_names";

/// The places of `gazetteer.tsv`, in file order, their ids written `geonames:<geonameid>`.
pub(super) fn geonames(file: &'static str, text: &str) -> Result<Vec<Place>, GazetteerError> {
    let mut places = Vec::new();
    for (line, fields) in rows(file, text, GEONAMES_HEADER, 9)? {
        let err = |reason: String| GazetteerError { file, line, reason };
        let [
            id,
            name,
            country,
            admin1,
            lat,
            lon,
            population,
            source,
            alts,
        ] = fields[..]
        else {
            return Err(err("expected 9 columns".into()));
        };
        let geonameid: u64 = id
            .parse()
            .map_err(|_| err(format!("geonameid {id:?} is not a number")))?;
        places.push(place(
            format!("geonames:{geonameid}"),
            [name, country, admin1, lat, lon, population, source, alts],
            &err,
        )?);
    }
    Ok(places)
}

/// Applies `places-curated.tsv` to the GeoNames places: `place` rows are added, `variant` rows
/// add their name and alternate names to the place their id names.
pub(super) fn curated(
    file: &'static str,
    text: &str,
    places: &mut Vec<Place>,
) -> Result<(), GazetteerError> {
    for (line, fields) in rows(file, text, CURATED_HEADER, 10)? {
        let err = |reason: String| GazetteerError { file, line, reason };
        let [
            id,
            kind,
            name,
            country,
            admin1,
            lat,
            lon,
            population,
            source,
            alts,
        ] = fields[..]
        else {
            return Err(err("expected 10 columns".into()));
        };
        if source.trim().is_empty() {
            return Err(err("every curated row states its source".into()));
        }
        match kind {
            "place" => {
                if !id.starts_with("curated:") {
                    return Err(err(format!(
                        "a curated place's id starts with \"curated:\", not {id:?}"
                    )));
                }
                if places.iter().any(|p| p.id == id) {
                    return Err(err(format!("id {id} is listed twice")));
                }
                let fields = [name, country, admin1, lat, lon, population, source, alts];
                places.push(place(id.to_owned(), fields, &err)?);
            }
            "variant" => {
                let target = places.iter_mut().find(|p| p.id == id).ok_or_else(|| {
                    err(format!("variant of {id}, which is not in the gazetteer"))
                })?;
                if name.trim().is_empty() {
                    return Err(err("a variant row names the variant".into()));
                }
                target.alt_names.push(name.to_owned());
                target.alt_names.extend(split_alts(alts));
            }
            other => {
                return Err(err(format!(
                    "kind {other:?} is neither \"place\" nor \"variant\""
                )));
            }
        }
    }
    Ok(())
}

/// Data lines after the header as (line number from 1, fields); blank lines are skipped.
fn rows<'t>(
    file: &'static str,
    text: &'t str,
    header: &str,
    columns: usize,
) -> Result<Vec<(usize, Vec<&'t str>)>, GazetteerError> {
    let mut lines = text.lines().enumerate();
    match lines.next() {
        Some((_, first)) if first == header => {}
        _ => {
            return Err(GazetteerError {
                file,
                line: 1,
                reason: format!("the header must be {header:?}"),
            });
        }
    }
    let mut out = Vec::new();
    for (i, text) in lines {
        if text.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = text.split('\t').collect();
        if fields.len() != columns {
            return Err(GazetteerError {
                file,
                line: i + 1,
                reason: format!(
                    "expected {columns} tab-separated columns, found {}",
                    fields.len()
                ),
            });
        }
        out.push((i + 1, fields));
    }
    Ok(out)
}

/// A place from the columns the two files share, in the order name, country, admin1, lat, lon,
/// population, source, alt_names.
fn place(
    id: String,
    [name, country, admin1, lat, lon, population, source, alts]: [&str; 8],
    err: &dyn Fn(String) -> GazetteerError,
) -> Result<Place, GazetteerError> {
    if name.trim().is_empty() {
        return Err(err("the name is empty".into()));
    }
    if country.len() != 3 || !country.bytes().all(|b| b.is_ascii_uppercase()) {
        return Err(err(format!(
            "country {country:?} is not an ISO 3166-1 alpha-3 code"
        )));
    }
    let lat: f64 = lat
        .parse()
        .ok()
        .filter(|v: &f64| (-90.0..=90.0).contains(v))
        .ok_or_else(|| err(format!("lat {lat:?} is not a latitude")))?;
    let lon: f64 = lon
        .parse()
        .ok()
        .filter(|v: &f64| (-180.0..=180.0).contains(v))
        .ok_or_else(|| err(format!("lon {lon:?} is not a longitude")))?;
    let population: u64 = if population.is_empty() {
        0
    } else {
        population
            .parse()
            .map_err(|_| err(format!("population {population:?} is not a number")))?
    };
    Ok(Place {
        id,
        name: name.to_owned(),
        country: country.to_owned(),
        admin1: Some(admin1.trim())
            .filter(|a| !a.is_empty())
            .map(str::to_owned),
        lat,
        lon,
        population,
        source: source.to_owned(),
        alt_names: split_alts(alts).collect(),
    })
}

fn split_alts(alts: &str) -> impl Iterator<Item = String> + '_ {
    alts.split('|')
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(str::to_owned)
}

#[cfg(test)]
mod tests {
    use super::*;

    const G: &str = "geonameid\tname\tcountry\tadmin1\tlat\tlon\tpopulation\tsource\talt_names\n\
        1\tGao\tMLI\tGao\t16.27\t-0.04\t133110\tgeonames\tGawo|جاو\n";

    #[test]
    fn rows_become_places() {
        let places = geonames("g", G).unwrap();
        assert_eq!(places.len(), 1);
        assert_eq!(places[0].id, "geonames:1");
        assert_eq!(places[0].admin1.as_deref(), Some("Gao"));
        assert_eq!(places[0].alt_names, ["Gawo", "جاو"]);
    }

    #[test]
    fn errors_name_file_line_and_reason() {
        let bad = G.replace("16.27", "north");
        let e = geonames("g.tsv", &bad).unwrap_err();
        assert_eq!(
            e.to_string(),
            "g.tsv line 2: lat \"north\" is not a latitude"
        );
        let e = geonames("g.tsv", "name\n").unwrap_err();
        assert_eq!(e.line, 1);
        let mut places = geonames("g", G).unwrap();
        let c = format!("{CURATED_HEADER}\ngeonames:9\tvariant\tX\t\t\t\t\t\tsomewhere\t\n");
        let e = curated("c.tsv", &c, &mut places).unwrap_err();
        assert_eq!(
            e.to_string(),
            "c.tsv line 2: variant of geonames:9, which is not in the gazetteer"
        );
        let c = format!("{CURATED_HEADER}\ncurated:x\tplace\tX\tMLI\t\t1\t1\t\t\t\n");
        let e = curated("c.tsv", &c, &mut places).unwrap_err();
        assert_eq!(e.reason, "every curated row states its source");
    }

    #[test]
    fn variants_add_names_to_their_place() {
        let mut places = geonames("g", G).unwrap();
        let c = format!(
            "{CURATED_HEADER}\ngeonames:1\tvariant\tGaou\t\t\t\t\t\tthe test\tGaw\n\
             curated:x\tplace\tX\tNER\t\t1.5\t2.5\t\tthe test\t\n"
        );
        curated("c", &c, &mut places).unwrap();
        assert_eq!(places[0].alt_names, ["Gawo", "جاو", "Gaou", "Gaw"]);
        assert_eq!(places[1].population, 0);
        assert_eq!(places[1].admin1, None);
    }
}
