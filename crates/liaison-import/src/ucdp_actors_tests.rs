//! Tests of the actor list reader: bad input of every kind named by line and column, and the
//! real list in `data/ucdp/`, with the history of the region's jihadist and Azawad groups.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;

use liaison_core::{Actor, ActorKind, RelationKind, Script};

use super::*;

const HEADER: &str = "ActorId,NameData,NameOrig,NameOrigFull,NameOrigFullEng,NameChange,NewName,\
NewNameFullMotherTongue,NewNameFullEng,Org,Splinter,NamePrev,ActorIdPrev,SplitTemp,NameSplitTemp,\
ActorIdSplitTemp,Alliance,NameAlliance,ActorIdAlliance,JoinGroup,GroupName,ActorIdGroup,Location,\
GWNOLoc,Version";

/// A valid row (AQIM as the list has it), with `edit` applied to its cells by column name.
fn row(edit: &[(&str, &str)]) -> String {
    let mut cells: HashMap<&str, String> = HashMap::new();
    for (k, v) in [
        ("ActorId", "539"),
        ("NameData", "AQIM"),
        ("NameOrig", "GSPC"),
        (
            "NameOrigFull",
            "Groupe salafiste pour la prédication et le combat",
        ),
        ("NameOrigFullEng", "Salafist Group for Preaching and Combat"),
        ("NameChange", "1"),
        ("NewName", "AQIM"),
        (
            "NewNameFullMotherTongue",
            "Qaida al-Jihad fi Bilad al-Maghrib al-Islami",
        ),
        (
            "NewNameFullEng",
            "al-Qaida Organization in the Islamic Maghreb",
        ),
        ("Org", "1"),
        ("Splinter", "1"),
        ("NamePrev", "GIA"),
        ("ActorIdPrev", "538"),
        ("SplitTemp", "0"),
        ("Alliance", "0"),
        ("JoinGroup", "0"),
        ("Location", "Algeria, Mali"),
        ("GWNOLoc", "615, 432"),
        ("Version", "22.1"),
    ] {
        cells.insert(k, v.to_owned());
    }
    for (k, v) in edit {
        cells.insert(k, (*v).to_owned());
    }
    HEADER
        .split(',')
        .map(|c| {
            let v = cells.get(c).cloned().unwrap_or_default();
            if v.contains(',') {
                format!("\"{v}\"")
            } else {
                v
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn read(text: &str) -> Vec<Result<ParsedActor, RowError>> {
    open_actors(text.as_bytes()).unwrap().collect()
}

fn one_error(edit: &[(&str, &str)]) -> RowError {
    let text = format!("{HEADER}\n{}\n", row(edit));
    let mut rows = read(&text);
    assert_eq!(rows.len(), 1);
    rows.remove(0).unwrap_err()
}

#[test]
fn a_row_becomes_an_actor_with_aliases_country_and_history() {
    let text = format!("{HEADER}\n{}\n", row(&[("GWNOLoc", "432")]));
    let a = read(&text).remove(0).unwrap();
    assert_eq!(a.line, 2);
    let a = a.actor;
    assert_eq!(a.id.as_str(), "ucdp-actor:539");
    assert_eq!(
        (a.ucdp_id, a.kind, a.name.as_str()),
        (Some(539), ActorKind::ArmedGroup, "AQIM")
    );
    assert_eq!(a.country.as_ref().map(|c| c.as_str()), Some("MLI"));
    let names: Vec<&str> = a.aliases.iter().map(|x| x.name.as_str()).collect();
    assert_eq!(names[0], "GSPC");
    assert!(!names.contains(&"AQIM"), "the name is not its own alias");
    assert_eq!(a.aliases.len(), 5);
    assert!(
        a.aliases
            .iter()
            .all(|x| x.script == Script::Latin
                && x.source.as_deref() == Some("UCDP actor list v22.1"))
    );
    assert_eq!(
        a.source.as_deref(),
        Some("UCDP actor list v22.1 (CC BY 4.0)")
    );
    assert_eq!(
        a.description.as_deref(),
        Some("Named GSPC when it entered UCDP data; later AQIM.")
    );
    assert_eq!(a.relations.len(), 1);
    let r = &a.relations[0];
    assert_eq!(
        (r.kind, r.actor.as_str()),
        (RelationKind::SplinterOf, "ucdp-actor:538")
    );
    assert_eq!(r.name.as_deref(), Some("GIA"));
    assert_eq!(
        r.source.as_deref(),
        Some("UCDP actor list v22.1: Splinter, ActorIdPrev")
    );
}

#[test]
fn several_countries_give_none_and_names_pair_with_ids_only_when_counts_match() {
    let text = format!(
        "{HEADER}\n{}\n",
        row(&[
            ("Alliance", "1"),
            ("NameAlliance", "AN , UFR"),
            ("ActorIdAlliance", "716, 1069"),
            ("JoinGroup", "1"),
            ("GroupName", "Ansar Dine, JNIM, extra"),
            ("ActorIdGroup", "1157, 6716"),
        ])
    );
    let a = read(&text).remove(0).unwrap().actor;
    assert_eq!(a.country, None);
    let allies: Vec<_> = a
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::AlliedWith)
        .collect();
    assert_eq!(allies.len(), 2);
    assert_eq!(allies[1].name.as_deref(), Some("UFR"));
    let groups: Vec<_> = a
        .relations
        .iter()
        .filter(|r| r.kind == RelationKind::MemberOf)
        .collect();
    assert_eq!(groups.len(), 2);
    assert!(groups.iter().all(|r| r.name.is_none()));
}

#[test]
fn a_name_change_with_a_former_id_is_renamed_from() {
    let a = read(&format!("{HEADER}\n{}\n", row(&[("Splinter", "0")])))
        .remove(0)
        .unwrap()
        .actor;
    assert_eq!(a.relations[0].kind, RelationKind::RenamedFrom);
}

#[test]
fn bad_values_name_their_line_and_column() {
    // (cells changed, column at fault, words of the reason)
    type Case<'a> = (&'a [(&'a str, &'a str)], &'a str, &'a str);
    let cases: &[Case<'_>] = &[
        (&[("ActorId", "53x")], "ActorId", "not a whole number"),
        (&[("ActorId", "")], "ActorId", "empty"),
        (&[("NameData", "")], "NameData", "empty"),
        (&[("Org", "7")], "Org", "organisation code"),
        (&[("Splinter", "yes")], "Splinter", "not 0 or 1"),
        (
            &[("ActorIdPrev", "538, x1")],
            "ActorIdPrev",
            "'x1' in '538, x1'",
        ),
        (&[("ActorIdPrev", "538,")], "ActorIdPrev", "not a UCDP id"),
        (
            &[("ActorIdPrev", "")],
            "ActorIdPrev",
            "empty while Splinter is 1",
        ),
        (&[("ActorIdPrev", "539")], "ActorIdPrev", "the actor itself"),
        (
            &[("ActorIdAlliance", "4376")],
            "ActorIdAlliance",
            "while Alliance is 0",
        ),
        (&[("GWNOLoc", "615, Mali")], "GWNOLoc", "'Mali'"),
    ];
    for (edit, column, why) in cases {
        let e = one_error(edit);
        assert_eq!(e.line, 2, "{e}");
        assert_eq!(e.column.as_deref(), Some(*column), "{e}");
        assert!(e.reason.contains(why), "{edit:?}: {e}");
    }
}

#[test]
fn a_bad_row_does_not_stop_the_next_and_a_short_record_is_refused_whole() {
    let text = format!(
        "{HEADER}\n{}\n539,AQIM,GSPC\n{}\n",
        row(&[("ActorId", "x")]),
        row(&[("ActorId", "540")])
    );
    let rows = read(&text);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].as_ref().unwrap_err().line, 2);
    let short = rows[1].as_ref().unwrap_err();
    assert_eq!((short.line, short.column.as_ref()), (3, None));
    assert!(
        short.reason.contains("3 fields where the header has 25"),
        "{short}"
    );
    assert_eq!(rows[2].as_ref().unwrap().actor.ucdp_id, Some(540));
}

#[test]
fn a_header_without_a_required_column_names_it() {
    let header = HEADER.replace("ActorIdPrev,", "").replace(",Org,", ",");
    let e = open_actors(format!("{header}\n").as_bytes()).err().unwrap();
    assert_eq!(e.missing_columns(), ["Org", "ActorIdPrev"]);
    assert!(e.to_string().contains("UCDP actor list"), "{e}");
    assert!(open_actors(&b"just one field\n"[..]).is_err());
    assert!(open_actors(&b""[..]).is_err());
}

fn real_list() -> HashMap<u32, Actor> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../data/ucdp/ucdp_actors_v22_1_sahel_maghreb.csv"
    );
    let file = std::fs::File::open(path).unwrap();
    let mut out = HashMap::new();
    for r in open_actors(std::io::BufReader::new(file)).unwrap() {
        let a = r.unwrap_or_else(|e| panic!("{e}")).actor;
        out.insert(a.ucdp_id.unwrap(), a);
    }
    out
}

fn relations(a: &Actor, kind: RelationKind) -> Vec<&str> {
    a.relations
        .iter()
        .filter(|r| r.kind == kind)
        .map(|r| r.actor.as_str())
        .collect()
}

#[test]
fn the_real_list_reads_whole_with_the_history_it_states() {
    let all = real_list();
    assert_eq!(all.len(), 290);
    // Every government of the list is Org 4, and nothing else is.
    for a in all.values() {
        assert_eq!(
            a.kind == ActorKind::Government,
            a.name.starts_with("Government of"),
            "{}",
            a.name
        );
    }
    // AQIM (539) entered UCDP data as GSPC, which split from the GIA (538).
    let aqim = &all[&539];
    assert_eq!(aqim.name, "AQIM");
    assert!(aqim.aliases.iter().any(|a| a.name == "GSPC"));
    assert!(
        aqim.aliases
            .iter()
            .any(|a| a.name == "Salafist Group for Preaching and Combat")
    );
    assert_eq!(
        relations(aqim, RelationKind::SplinterOf),
        ["ucdp-actor:538"]
    );
    assert_eq!(all[&538].name, "GIA");
    assert_eq!(aqim.country, None, "AQIM is located in six states");
    // MUJAO split from AQIM and allied into al-Murabitun, which later joined AQIM.
    assert_eq!(
        relations(&all[&1161], RelationKind::SplinterOf),
        ["ucdp-actor:539"]
    );
    assert_eq!(
        relations(&all[&1161], RelationKind::AlliedWith),
        ["ucdp-actor:4376"]
    );
    assert_eq!(
        relations(&all[&4376], RelationKind::MemberOf),
        ["ucdp-actor:539"]
    );
    // Ansar Dine (1157) allied into JNIM (6716); the FLM split from Ansar Dine and joined both.
    let ansar = &all[&1157];
    assert_eq!(ansar.country.as_ref().map(|c| c.as_str()), Some("MLI"));
    assert_eq!(
        relations(ansar, RelationKind::AlliedWith),
        ["ucdp-actor:6716"]
    );
    assert_eq!(all[&6716].name, "JNIM");
    assert!(all[&6716].relations.is_empty());
    assert_eq!(
        relations(&all[&6267], RelationKind::SplinterOf),
        ["ucdp-actor:1157"]
    );
    assert_eq!(
        relations(&all[&6267], RelationKind::MemberOf),
        ["ucdp-actor:1157", "ucdp-actor:6716"]
    );
    // The MNLA is listed as CMA (1158) under its original name; the MSA split from it.
    let cma = &all[&1158];
    assert_eq!(cma.name, "CMA");
    assert_eq!(cma.aliases.first().map(|a| a.name.as_str()), Some("MNLA"));
    assert_eq!(
        relations(&all[&6836], RelationKind::SplinterOf),
        ["ucdp-actor:1158"]
    );
    // The GIA's battalions were temporary splits of it.
    let battalion = &all[&903].relations[0];
    assert_eq!(
        (battalion.kind, battalion.actor.as_str()),
        (RelationKind::SplinterOf, "ucdp-actor:538")
    );
    assert!(battalion.source.as_deref().unwrap().contains("SplitTemp"));
}
