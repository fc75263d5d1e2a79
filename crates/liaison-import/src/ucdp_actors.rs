//! The UCDP actor list (CSV, `ActorId,NameData,…,Version`) → [`liaison_core::Actor`] records
//! with their UCDP ids, names and history, streaming, one record at a time.
//!
//! GED events name their sides by `side_a_new_id` / `side_b_new_id`, which are the actor list's
//! `ActorId`s: the records made here carry the same `ucdp-actor:<ActorId>` id the GED importer
//! puts on incident actors, so events link to them without any matching by name.
//!
//! What this is not: a reader of the list's conflict, dyad or coalition columns (`ConflictId`,
//! `DyadId`, `OSID`, `NSID`, `*Coalition*`: not kept), or a judge of UCDP's coding. A record is
//! refused whole, with its line and column, when a value cannot be read; nothing is patched. The
//! column mapping and what the codebook says of it are in `docs/import-mapping.md`.

use std::io::Read;

use csv::{Position, StringRecord};
use liaison_core::incident::MAX_NAME_CHARS;
use liaison_core::{
    Actor, ActorId, ActorKind, ActorRelation, Alias, CountryCode, Credibility, RelationKind,
    Reliability,
};

use crate::columns::Resolver;
use crate::error::{HeaderError, RowError};
use crate::fields::{Row, clip, parse_whole, shown};

/// The dataset's name in errors.
const DATASET: &str = "UCDP actor list";
/// The version assumed when the file has no `Version` column.
const DEFAULT_VERSION: &str = "22.1";

/// One record read whole.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedActor {
    /// The 1-based physical line on which the record starts.
    pub line: u64,
    pub actor: Actor,
}

/// The source of a record of version `v`: `UCDP actor list v22.1 (CC BY 4.0)`.
pub fn actor_list_source(version: &str) -> String {
    format!("UCDP actor list v{version} (CC BY 4.0)")
}

struct Columns {
    actor_id: usize,
    name_data: usize,
    org: usize,
    name_change: usize,
    splinter: usize,
    actor_id_prev: usize,
    split_temp: usize,
    actor_id_split_temp: usize,
    alliance: usize,
    actor_id_alliance: usize,
    join_group: usize,
    actor_id_group: usize,
    name_prev: Option<usize>,
    name_split_temp: Option<usize>,
    name_alliance: Option<usize>,
    group_name: Option<usize>,
    /// NameOrig, NameOrigFull, NameOrigFullEng, NewName, NewNameFullMotherTongue, NewNameFullEng.
    alias_columns: [Option<usize>; 6],
    new_name: Option<usize>,
    name_orig: Option<usize>,
    gwno_loc: Option<usize>,
    version: Option<usize>,
}

impl Columns {
    fn resolve(names: &[String]) -> Result<Self, HeaderError> {
        let mut r = Resolver::new(names);
        // The history columns are required with their dummies: a list without them would import
        // silently without history.
        let c = Columns {
            actor_id: r.required(&["ActorId"]),
            name_data: r.required(&["NameData"]),
            org: r.required(&["Org"]),
            name_change: r.required(&["NameChange"]),
            splinter: r.required(&["Splinter"]),
            actor_id_prev: r.required(&["ActorIdPrev"]),
            split_temp: r.required(&["SplitTemp"]),
            actor_id_split_temp: r.required(&["ActorIdSplitTemp"]),
            alliance: r.required(&["Alliance"]),
            actor_id_alliance: r.required(&["ActorIdAlliance"]),
            join_group: r.required(&["JoinGroup"]),
            actor_id_group: r.required(&["ActorIdGroup"]),
            name_prev: r.optional(&["NamePrev"]),
            name_split_temp: r.optional(&["NameSplitTemp"]),
            name_alliance: r.optional(&["NameAlliance"]),
            group_name: r.optional(&["GroupName"]),
            alias_columns: [
                r.optional(&["NameOrig"]),
                r.optional(&["NameOrigFull"]),
                r.optional(&["NameOrigFullEng"]),
                r.optional(&["NewName"]),
                r.optional(&["NewNameFullMotherTongue"]),
                r.optional(&["NewNameFullEng"]),
            ],
            new_name: None,
            name_orig: None,
            gwno_loc: r.optional(&["GWNOLoc"]),
            version: r.optional(&["Version"]),
        };
        r.finish(DATASET)?;
        Ok(Columns {
            name_orig: c.alias_columns[0],
            new_name: c.alias_columns[3],
            ..c
        })
    }
}

/// Reads the actor list's records from a CSV stream. Built by [`open_actors`]; iterate it.
pub struct ActorReader<R> {
    csv: csv::Reader<R>,
    names: Vec<String>,
    columns: Columns,
    record: StringRecord,
    done: bool,
}

/// Reads the header of `input` as the UCDP actor list and returns the reader of its records.
///
/// Fails when the input is not a CSV file with a header, or lacks a column the list requires
/// (every missing one is named).
pub fn open_actors<R: Read>(input: R) -> Result<ActorReader<R>, HeaderError> {
    let mut csv = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        // As in `reader.rs`: `\n` alone ends a record, so a record's line is where it starts.
        .terminator(csv::Terminator::Any(b'\n'))
        .from_reader(input);
    let mut header = StringRecord::new();
    match csv.read_record(&mut header) {
        Ok(true) => {}
        Ok(false) => return Err(HeaderError::NotCsv("it holds no header line".into())),
        Err(e) => return Err(HeaderError::NotCsv(e.to_string())),
    }
    let mut names: Vec<String> = header.iter().map(|n| n.trim().to_owned()).collect();
    if let Some(first) = names.first_mut()
        && let Some(rest) = first.strip_prefix('\u{feff}')
    {
        *first = rest.to_owned();
    }
    if names.len() < 2 {
        return Err(HeaderError::NotCsv(
            "its first line holds a single field, not a comma-separated header".into(),
        ));
    }
    let columns = Columns::resolve(&names)?;
    Ok(ActorReader {
        csv,
        names,
        columns,
        record: StringRecord::new(),
        done: false,
    })
}

impl<R: Read> Iterator for ActorReader<R> {
    type Item = Result<ParsedActor, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            match self.csv.read_record(&mut self.record) {
                Ok(true) => {}
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Err(e) => {
                    let line = e
                        .position()
                        .map_or_else(|| self.csv.position().line(), Position::line);
                    // An I/O error ends the file; a bad record (not UTF-8) is reported and
                    // the next one read.
                    self.done = matches!(e.kind(), csv::ErrorKind::Io(_));
                    return Some(Err(RowError {
                        line,
                        column: None,
                        reason: format!("the record cannot be read: {e}"),
                    }));
                }
            }
            let blank =
                self.record.len() == 1 && self.record.get(0).is_some_and(|f| f.trim().is_empty());
            if !blank {
                break;
            }
        }
        let line = self.record.position().map_or(0, Position::line);
        if self.record.len() != self.names.len() {
            return Some(Err(RowError {
                line,
                column: None,
                reason: format!(
                    "{} fields where the header has {}: the record is cut short or merged with \
                     another",
                    self.record.len(),
                    self.names.len()
                ),
            }));
        }
        let row = Row::new(&self.record, &self.names, line);
        Some(map(&row, &self.columns).map(|actor| ParsedActor { line, actor }))
    }
}

/// One record → one actor, or the first thing wrong with it.
fn map(row: &Row<'_>, c: &Columns) -> Result<Actor, RowError> {
    let ucdp_id = row.whole(c.actor_id)?;
    let id = actor_id(row, c.actor_id, ucdp_id)?;
    let name = clip(row.required(c.name_data)?, MAX_NAME_CHARS);
    let kind = match row.required(c.org)? {
        "1" => ActorKind::ArmedGroup,
        "2" | "3" => ActorKind::Community,
        "4" => ActorKind::Government,
        _ => return Err(row.bad(c.org, "is not a UCDP organisation code (1, 2, 3 or 4)")),
    };
    let version = row.opt(c.version).unwrap_or(DEFAULT_VERSION);
    let list = format!("UCDP actor list v{version}");
    let renamed = dummy(row, c.name_change)?;
    let mut relations = Vec::new();
    // ActorIdPrev is the splinter's parent; without Splinter it can only be a renamed actor's
    // former id, and then NameChange must say so.
    let prev_kind = if dummy(row, c.splinter)? {
        Some(RelationKind::SplinterOf)
    } else if renamed {
        Some(RelationKind::RenamedFrom)
    } else {
        None
    };
    let history = [
        (prev_kind, c.splinter, c.actor_id_prev, c.name_prev),
        (
            dummy(row, c.split_temp)?.then_some(RelationKind::SplinterOf),
            c.split_temp,
            c.actor_id_split_temp,
            c.name_split_temp,
        ),
        (
            dummy(row, c.alliance)?.then_some(RelationKind::AlliedWith),
            c.alliance,
            c.actor_id_alliance,
            c.name_alliance,
        ),
        (
            dummy(row, c.join_group)?.then_some(RelationKind::MemberOf),
            c.join_group,
            c.actor_id_group,
            c.group_name,
        ),
    ];
    for (kind, flag, ids_col, names_col) in history {
        let ids = id_list(row, ids_col)?;
        let Some(kind) = kind else {
            if ids.is_empty() {
                continue;
            }
            return Err(row.fail(
                ids_col,
                format!("names actors while {} is 0", row.name(flag)),
            ));
        };
        if ids.is_empty() && dummy(row, flag)? {
            return Err(row.fail(ids_col, format!("is empty while {} is 1", row.name(flag))));
        }
        let names = row.opt(names_col).map(split_list).unwrap_or_default();
        for (i, other) in ids.iter().enumerate() {
            if *other == ucdp_id {
                return Err(row.fail(ids_col, "names the actor itself"));
            }
            // Names are paired with ids only when the two lists are as long as each other.
            let name = (names.len() == ids.len())
                .then(|| names.get(i).map(|n| clip(n, MAX_NAME_CHARS)))
                .flatten();
            let relation = ActorRelation {
                kind,
                actor: actor_id(row, ids_col, *other)?,
                name,
                source: Some(format!("{list}: {}, {}", row.name(flag), row.name(ids_col))),
                from: None,
                until: None,
                reliability: None,
                credibility: None,
            };
            if !relations
                .iter()
                .any(|r: &ActorRelation| r.kind == relation.kind && r.actor == relation.actor)
            {
                relations.push(relation);
            }
        }
    }
    Ok(Actor {
        id,
        kind,
        aliases: aliases(row, c, &name, &list),
        country: country(row, c.gwno_loc)?,
        ucdp_id: Some(ucdp_id),
        description: renamed.then(|| name_history(row, c)).flatten(),
        source: Some(actor_list_source(version)),
        // As the GED importer grades UCDP: B (usually reliable), 2 (probably true).
        reliability: Some(Reliability::B),
        credibility: Some(Credibility::new(2).unwrap_or(Credibility::CANNOT_JUDGE)),
        relations,
        name,
    })
}

fn actor_id(row: &Row<'_>, col: usize, n: u32) -> Result<ActorId, RowError> {
    ActorId::parse(&format!("ucdp-actor:{n}")).map_err(|e| row.fail(col, e))
}

/// A 0/1 dummy; empty reads as 0 (nothing stated).
fn dummy(row: &Row<'_>, col: usize) -> Result<bool, RowError> {
    match row.get(col) {
        "" | "0" => Ok(false),
        "1" => Ok(true),
        _ => Err(row.bad(col, "is not 0 or 1")),
    }
}

/// The items of a comma-separated cell, trimmed.
fn split_list(cell: &str) -> Vec<&str> {
    cell.split(',').map(str::trim).collect()
}

/// A cell of comma-separated whole numbers ("11347, 13637"); empty → none.
fn id_list(row: &Row<'_>, col: usize) -> Result<Vec<u32>, RowError> {
    let cell = row.get(col);
    if cell.is_empty() {
        return Ok(Vec::new());
    }
    split_list(cell)
        .into_iter()
        .map(|item| {
            parse_whole(item).ok_or_else(|| {
                row.fail(
                    col,
                    format!(
                        "'{}' in '{}' is not a UCDP id (a whole number)",
                        shown(item),
                        shown(cell)
                    ),
                )
            })
        })
        .collect()
}

/// The country of an actor located in exactly one state with a known Gleditsch–Ward code.
fn country(row: &Row<'_>, col: Option<usize>) -> Result<Option<CountryCode>, RowError> {
    let Some(col) = col else { return Ok(None) };
    let codes = id_list(row, col)?;
    let [code] = codes.as_slice() else {
        return Ok(None);
    };
    let found = u16::try_from(*code)
        .ok()
        .and_then(liaison_core::country::by_gw_code);
    match found {
        Some(c) => CountryCode::parse(c.alpha3)
            .map(Some)
            .map_err(|e| row.fail(col, e)),
        None => Ok(None),
    }
}

/// Every other name the record gives, once each, in column order.
fn aliases(row: &Row<'_>, c: &Columns, name: &str, list: &str) -> Vec<Alias> {
    let mut out: Vec<Alias> = Vec::new();
    for col in c.alias_columns.into_iter().flatten() {
        let cell = row.get(col);
        // NewName lists successive short names ("TQJBR, ISI, ISIS, IS"); the long names may hold
        // commas of their own and are kept whole.
        let items = if Some(col) == c.new_name {
            split_list(cell)
        } else {
            vec![cell]
        };
        for item in items {
            let item = clip(item, MAX_NAME_CHARS);
            if item.is_empty()
                || item.eq_ignore_ascii_case("n/a")
                || item == name
                || out.iter().any(|a| a.name == item)
            {
                continue;
            }
            out.push(Alias::new(&item, Some(list)));
        }
    }
    out
}

/// "Named GSPC when it entered UCDP data; later AQIM", from NameOrig and NewName.
fn name_history(row: &Row<'_>, c: &Columns) -> Option<String> {
    let orig = row.opt(c.name_orig)?;
    let new = row.opt(c.new_name)?;
    Some(format!(
        "Named {orig} when it entered UCDP data; later {}.",
        split_list(new).join(", then ")
    ))
}

#[cfg(test)]
#[path = "ucdp_actors_tests.rs"]
mod tests;
