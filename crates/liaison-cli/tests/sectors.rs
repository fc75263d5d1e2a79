//! `liaison sectors` run as a user would, on real UCDP events (Mali): sectors added from a zone
//! and from polygons with their contacts, a bad file keeping nothing and naming the sector and
//! field, a member's constraint, and the proposed allocation of two members' committed troops:
//! its sums, the constraint respected, the window and the explanations.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{fails, json_of, ok, repo};

use std::path::Path;

use serde_json::{Value, json};

fn node(dir: &Path) -> String {
    let d = dir.join("node").to_str().unwrap().to_owned();
    ok(&["init", "--data", &d, "--member", "MLI"]);
    ok(&[
        "import",
        "ucdp",
        &repo("data/ucdp/ucdp_ged_Mali.csv"),
        "--data",
        &d,
    ]);
    d
}

fn write(dir: &Path, name: &str, body: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    path.to_str().unwrap().to_owned()
}

fn boxed([w, s, e, n]: [f64; 4]) -> Value {
    json!([[[[w, s], [e, s], [e, n], [w, n], [w, s]]]])
}

fn sectors_file() -> Value {
    json!([
        {"id": "kidal", "name": "Kidal corridor", "polygons": boxed([0.0, 18.0, 4.5, 21.5]),
         "contacts": [{"name": "Intalla Ag Attaher", "role": "Tuareg elder",
                       "community": "Kel Adagh", "phone_or_channel": "HF 7.045 MHz"}]},
        {"id": "liptako", "name": "Liptako-Gourma", "zone": "liptako-gourma",
         "contacts": [{"name": "Mayor of Ménaka", "role": "mayor", "community": "Ménaka"}]},
        {"id": "mopti", "name": "Mopti centre", "polygons": boxed([-5.0, 14.0, -2.0, 16.0]),
         "contacts": []}
    ])
}

#[test]
fn sectors_constraints_and_allocation() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path());
    let file = write(tmp.path(), "sectors.json", &sectors_file().to_string());
    ok(&["sectors", "add", &file, "--data", &d]);
    let list = json_of(&ok(&["sectors", "list", "--data", &d, "--json"]));
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 3);
    assert_eq!(list[0]["id"], "kidal");
    assert_eq!(list[0]["contacts"][0]["role"], "Tuareg elder");
    let kidal_countries: Vec<&str> = list[0]["countries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert!(kidal_countries.contains(&"DZA") && kidal_countries.contains(&"MLI"));
    assert_eq!(list[1]["area"]["type"], "zone");
    assert!(ok(&["sectors", "list", "--data", &d]).contains("Mayor of Ménaka (mayor, Ménaka)"));

    let forces = write(
        tmp.path(),
        "forces.json",
        &json!([
            {"member": "MLI", "unit_type": "infantry", "pledged": 5000, "committed": 3050,
             "as_of": "2011-06-01", "source": "test"},
            {"member": "DZA", "unit_type": "special_forces", "pledged": 2000, "committed": 1200,
             "as_of": "2011-06-01", "source": "test"}
        ])
        .to_string(),
    );
    ok(&["forces", "add", &forces, "--data", &d]);
    ok(&[
        "sectors",
        "constrain",
        "DZA",
        "--sectors",
        "kidal",
        "--data",
        &d,
    ]);

    let a = json_of(&ok(&["sectors", "allocate", "--data", &d, "--json"]));
    // The window ends at the newest incident of the file.
    assert_eq!(a["window"]["days"], 90);
    let until = a["window"]["until"].as_str().unwrap().to_owned();
    assert!(until.starts_with("202"), "{until}");
    let alloc = &a["allocation"];
    let sectors = alloc["sectors"].as_array().unwrap();
    assert_eq!(sectors.len(), 3);
    let placed: u64 = sectors
        .iter()
        .map(|s| s["allocated_troops"].as_u64().unwrap())
        .sum();
    let lost: u64 = alloc["unallocated"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["troops"].as_u64().unwrap())
        .sum();
    assert_eq!(placed + lost, 4_250);
    assert_eq!(alloc["total_troops"], 4_200);
    assert_eq!(alloc["unallocated"][0]["member"], "MLI");
    assert_eq!(alloc["unallocated"][0]["troops"], 50);
    for s in sectors {
        let dza = s["by_member"]["DZA"].as_u64().unwrap_or(0);
        if s["sector"] != "kidal" {
            assert_eq!(dza, 0, "DZA outside its constraint: {s}");
            assert!(
                s["explanation"]
                    .as_str()
                    .unwrap()
                    .ends_with("MLI may serve here, DZA may not")
            );
        }
        let w = &s["weight"];
        let parts = w["incidents"].as_f64().unwrap()
            + w["fatalities"].as_f64().unwrap()
            + w["hotspot_points"].as_f64().unwrap()
            + w["floor"].as_f64().unwrap();
        assert!((parts - w["total"].as_f64().unwrap()).abs() < 1e-9);
    }
    assert_eq!(sectors[0]["by_member"]["DZA"], 1_200);
    assert!(
        sectors[0]["explanation"]
            .as_str()
            .unwrap()
            .starts_with("Kidal corridor: ")
    );
    let text = ok(&["sectors", "allocate", "--data", &d, "--until", "2012-06-30"]);
    assert!(
        text.contains("Window 2012-04-02 to 2012-06-30 (90 days"),
        "{text}"
    );
    assert!(text.contains("unallocated: MLI 50 troops"), "{text}");

    // A member's constraint may name only sectors the node holds.
    let e = fails(&[
        "sectors",
        "constrain",
        "MRT",
        "--sectors",
        "kidal,nope",
        "--data",
        &d,
    ]);
    assert!(e.contains("--sectors") && e.contains("sectors[1]"), "{e}");
    let e = fails(&["sectors", "allocate", "--data", &d, "--days", "0"]);
    assert!(e.contains("--days"), "{e}");
    let e = fails(&["sectors", "allocate", "--data", &d, "--until", "2012-13-01"]);
    assert!(e.contains("--until"), "{e}");
}

#[test]
fn a_bad_file_keeps_nothing_and_names_the_sector() {
    let tmp = tempfile::tempdir().unwrap();
    let d = node(tmp.path());
    let mut body = sectors_file();
    body[1]["contacts"][0]["role"] = json!(" ");
    let file = write(tmp.path(), "bad.json", &body.to_string());
    let e = fails(&["sectors", "add", &file, "--data", &d]);
    assert!(e.contains("sectors[1].contacts[0].role"), "{e}");
    let mut body = sectors_file();
    body[2]["zone"] = json!("atlantis");
    body[2].as_object_mut().unwrap().remove("polygons");
    let file = write(tmp.path(), "bad2.json", &body.to_string());
    let e = fails(&["sectors", "add", &file, "--data", &d]);
    assert!(
        e.contains("sectors[2].zone") && e.contains("atlantis"),
        "{e}"
    );
    let mut body = sectors_file();
    body[0]["polygons"] = json!([[[[0, 18], [4, 18], [4, 21]]]]);
    let file = write(tmp.path(), "bad3.json", &body.to_string());
    let e = fails(&["sectors", "add", &file, "--data", &d]);
    assert!(e.contains("sectors[0].area.polygons[0][0]"), "{e}");
    let e = fails(&[
        "sectors",
        "add",
        &write(tmp.path(), "x.json", "{}"),
        "--data",
        &d,
    ]);
    assert!(e.contains("JSON array"), "{e}");
    assert_eq!(
        json_of(&ok(&["sectors", "list", "--data", &d, "--json"])),
        json!([])
    );
}

#[test]
fn an_allocation_without_located_incidents_asks_for_until() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path().join("empty");
    let d = d.to_str().unwrap();
    ok(&["init", "--data", d, "--member", "MLI"]);
    let err = fails(&["sectors", "allocate", "--data", d]);
    assert!(err.contains("give --until"), "{err}");
    assert!(fails(&["sectors", "allocate", "--days", "0", "--data", d]).contains("--days"));
    // With a window's last day given, an empty node allocates nothing, plainly.
    let out = ok(&["sectors", "allocate", "--until", "2012-01-31", "--data", d]);
    assert!(out.contains("0 located incidents"), "{out}");
}
