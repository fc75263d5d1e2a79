//! Tests of the patrol allocation: the bound, determinism, constraints, edge cases, bad inputs.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use std::collections::BTreeMap;

use super::allocation::{may_serve, thousands};
use super::*;

fn sector(id: &str, countries: &[&str]) -> Sector {
    Sector {
        id: id.into(),
        name: format!("Sector {id}"),
        area: Area::Bbox {
            bbox: [0.0, 15.0, 1.0, 16.0],
        },
        countries: countries.iter().map(|c| (*c).to_owned()).collect(),
        contacts: vec![Contact {
            name: "Ag Intalla".into(),
            role: "Tuareg elder".into(),
            community: "Kidal".into(),
            phone_or_channel: None,
        }],
    }
}

fn member(code: &str, troops: u64, c: Option<Constraint>) -> MemberTroops {
    MemberTroops {
        member: CountryCode::parse(code).unwrap(),
        committed_troops: troops,
        constraint: c,
    }
}

fn load(i: u64, f: u64, h: u64) -> SectorLoad {
    SectorLoad {
        incidents: i,
        fatalities: f,
        hotspot_points: h,
    }
}

/// A seeded mix of sectors and loads (SplitMix64).
fn seeded(n: usize, seed: u64) -> (Vec<Sector>, Vec<SectorLoad>) {
    let mut x = seed;
    let mut next = move || {
        x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = x;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    };
    let codes = ["DZA", "MLI", "MRT", "NER"];
    let mut sectors = Vec::new();
    let mut loads = Vec::new();
    for i in 0..n {
        let a = codes[(next() % 4) as usize];
        let b = codes[(next() % 4) as usize];
        sectors.push(sector(&format!("s{i:03}"), &[a, b]));
        loads.push(load(next() % 50, next() % 300, next() % 20));
    }
    (sectors, loads)
}

#[test]
fn everyone_everywhere_is_within_one_unit_of_ideal() {
    for seed in 0..20 {
        let (sectors, loads) = seeded(50, seed);
        let all =
            Constraint::Countries(vec!["DZA".into(), "MLI".into(), "MRT".into(), "NER".into()]);
        let members = vec![
            member("MLI", 7_350, Some(all.clone())),
            member("DZA", 12_000, Some(all.clone())),
            member("NER", 3_000, Some(all)),
        ];
        let a = allocate(&sectors, &loads, &members, &Settings::default()).unwrap();
        assert_eq!(a.total_troops, 22_300);
        let placed: u64 = a.sectors.iter().map(|s| s.allocated_troops).sum();
        assert_eq!(placed, a.total_troops);
        for s in &a.sectors {
            assert!(s.deficit_troops.abs() < 100.0 + 1e-6, "{s:?}");
        }
        assert_eq!(a.unallocated.len(), 1);
        assert_eq!(a.unallocated[0].troops, 50);
    }
}

#[test]
fn constrained_bound_holds_and_forbidden_sectors_get_nothing() {
    for seed in 0..20 {
        let (sectors, loads) = seeded(40, seed);
        let members = vec![
            member("DZA", 9_000, None),
            member(
                "MLI",
                5_000,
                Some(Constraint::Sectors(vec!["s001".into(), "s007".into()])),
            ),
            member(
                "MRT",
                2_000,
                Some(Constraint::Countries(vec!["MRT".into()])),
            ),
            member("NER", 4_000, None),
        ];
        let a = allocate(&sectors, &loads, &members, &Settings::default()).unwrap();
        for (s, sec) in a.sectors.iter().zip(&sectors) {
            for m in s.by_member.keys() {
                let mt = members.iter().find(|x| x.member.as_str() == m).unwrap();
                assert!(may_serve(mt, sec), "{m} in forbidden {}", sec.id);
                assert!(s.may_serve.contains(m));
            }
            // Bound (1): against the member of the last unit.
            if let Some(m) = &s.last_unit_from {
                let mt = members.iter().find(|x| x.member.as_str() == m).unwrap();
                for (o, osec) in a.sectors.iter().zip(&sectors) {
                    if may_serve(mt, osec) {
                        assert!(o.deficit_troops - s.deficit_troops <= 100.0 + 1e-6);
                    }
                }
            }
        }
        let placed: u64 = a.sectors.iter().map(|s| s.allocated_troops).sum();
        let lost: u64 = a.unallocated.iter().map(|u| u.troops).sum();
        assert_eq!(placed + lost, 20_000);
    }
}

#[test]
fn deterministic_whatever_the_member_order() {
    let (sectors, loads) = seeded(60, 7);
    let ms = vec![
        member("DZA", 5_000, None),
        member("MLI", 4_400, None),
        member("NER", 900, None),
    ];
    let mut rev = ms.clone();
    rev.reverse();
    let a = allocate(&sectors, &loads, &ms, &Settings::default()).unwrap();
    let b = allocate(&sectors, &loads, &rev, &Settings::default()).unwrap();
    assert_eq!(a, b);
    assert_eq!(
        serde_json::to_string(&a).unwrap(),
        serde_json::to_string(&b).unwrap()
    );
}

#[test]
fn zero_weights_and_no_troops() {
    let sectors = vec![sector("a", &["MLI"]), sector("b", &["MLI"])];
    let loads = vec![load(0, 0, 0), load(0, 0, 0)];
    // The floor alone: an even split.
    let a = allocate(
        &sectors,
        &loads,
        &[member("MLI", 400, None)],
        &Settings::default(),
    )
    .unwrap();
    assert_eq!(a.sectors[0].allocated_troops, 200);
    assert_eq!(a.sectors[1].allocated_troops, 200);
    // All weights zero: nothing can be shared out, and it is said.
    let mut s = Settings::default();
    s.weights.floor = 0.0;
    let a = allocate(&sectors, &loads, &[member("MLI", 400, None)], &s).unwrap();
    assert_eq!(a.total_troops, 0);
    assert_eq!(a.unallocated[0].troops, 400);
    assert_eq!(a.unallocated[0].reason, "every sector weighs 0");
    // No troops.
    let a = allocate(&sectors, &loads, &[], &Settings::default()).unwrap();
    assert!(
        a.sectors
            .iter()
            .all(|s| s.allocated_troops == 0 && s.ideal_troops == 0.0)
    );
    // No sectors.
    let a = allocate(&[], &[], &[member("MLI", 400, None)], &Settings::default()).unwrap();
    assert_eq!(a.unallocated[0].reason, "no sector it may serve");
}

#[test]
fn explanation_reads_sector_by_sector() {
    let sectors = vec![sector("kidal", &["MLI", "DZA"]), sector("hodh", &["MRT"])];
    let mut named = sectors.clone();
    named[0].name = "Kidal corridor".into();
    let loads = vec![load(42, 310, 2), load(0, 0, 0)];
    let ms = vec![
        member("MLI", 1_200, None),
        member("DZA", 600, None),
        member("MRT", 0, Some(Constraint::Sectors(vec!["hodh".into()]))),
    ];
    let a = allocate(&named, &loads, &ms, &Settings::default()).unwrap();
    assert_eq!(
        a.sectors[0].explanation,
        "Kidal corridor: 42 incidents and 310 killed in the last 90 days, 2 hotspot points; \
         ideal 1,783 troops; allocated 1,800 (MLI 1,200, DZA 600); DZA, MLI may serve here, MRT may not"
    );
    assert!(
        a.sectors[1]
            .explanation
            .ends_with("MRT may serve here, DZA, MLI may not")
    );
    assert_eq!(thousands(1_234_567), "1,234,567");
}

#[test]
fn bad_inputs_are_named() {
    let mut bad = sector("x y", &[]);
    bad.contacts[0].role = " ".into();
    bad.area = Area::Polygon { polygons: vec![] };
    let sectors = vec![bad, sector("a", &[]), sector("a", &[])];
    let ms = vec![
        member("MLI", 100, Some(Constraint::Sectors(vec!["nope".into()]))),
        member("MLI", 100, None),
    ];
    let mut s = Settings {
        unit_troops: 0,
        ..Settings::default()
    };
    s.weights.per_fatality = f64::NAN;
    let e = allocate(&sectors, &[load(1, 1, 1)], &ms, &s).unwrap_err();
    let fields: Vec<&str> = e.0.iter().map(|f| f.field.as_str()).collect();
    for want in [
        "loads",
        "sectors[0].id",
        "sectors[0].area.polygons",
        "sectors[0].contacts[0].role",
        "sectors[2].id",
        "settings.weights.per_fatality",
        "settings.unit_troops",
        "members[1].member",
        "members[0].constraint.sectors[0]",
    ] {
        assert!(fields.contains(&want), "{want} missing from {fields:?}");
    }
}

#[test]
fn countries_come_from_the_boundaries() {
    let b = liaison_geo::default_boundaries();
    // Around Tessalit, Mali, reaching into Algeria.
    let mut s = sector("t", &[]);
    s.area = Area::Bbox {
        bbox: [0.5, 20.5, 1.5, 21.5],
    };
    let s = s.with_countries(b);
    assert!(s.countries.contains(&"MLI".to_owned()), "{:?}", s.countries);
    assert!(s.countries.contains(&"DZA".to_owned()), "{:?}", s.countries);
}

/// The method as stated, without heaps: every unit scans its member's sectors.
fn naive(
    sectors: &[Sector],
    loads: &[SectorLoad],
    members: &[MemberTroops],
    unit: u64,
) -> BTreeMap<(String, String), u64> {
    let w = Weights::default();
    let weight: Vec<f64> = loads
        .iter()
        .map(|l| {
            w.per_incident * l.incidents as f64
                + w.per_fatality * l.fatalities as f64
                + w.per_hotspot_point * l.hotspot_points as f64
                + w.floor
        })
        .collect();
    let sum: f64 = weight.iter().sum();
    let mut ms: Vec<&MemberTroops> = members.iter().collect();
    ms.sort_by(|a, b| a.member.cmp(&b.member));
    let allowed: Vec<Vec<usize>> = ms
        .iter()
        .map(|m| {
            (0..sectors.len())
                .filter(|&i| may_serve(m, &sectors[i]))
                .collect()
        })
        .collect();
    let mut left: Vec<u64> = ms
        .iter()
        .zip(&allowed)
        .map(|(m, a)| {
            if a.is_empty() {
                0
            } else {
                m.committed_troops / unit
            }
        })
        .collect();
    let total = left.iter().sum::<u64>() * unit;
    let ideal: Vec<f64> = weight.iter().map(|x| total as f64 * x / sum).collect();
    let mut placed = vec![0u64; sectors.len()];
    let mut out = BTreeMap::new();
    while left.iter().any(|&n| n > 0) {
        for (mi, m) in ms.iter().enumerate() {
            if left[mi] == 0 {
                continue;
            }
            let best = allowed[mi]
                .iter()
                .copied()
                .max_by(|&a, &b| {
                    let (da, db) = (
                        ideal[a] - (placed[a] * unit) as f64,
                        ideal[b] - (placed[b] * unit) as f64,
                    );
                    da.total_cmp(&db).then(sectors[b].id.cmp(&sectors[a].id))
                })
                .unwrap();
            placed[best] += 1;
            *out.entry((sectors[best].id.clone(), m.member.to_string()))
                .or_insert(0) += unit;
            left[mi] -= 1;
        }
    }
    out
}

#[test]
fn heaps_give_what_the_plain_method_gives() {
    for seed in 0..10 {
        let (sectors, loads) = seeded(80, 100 + seed);
        let members = vec![
            member("NER", 6_100, None),
            member(
                "DZA",
                9_000,
                Some(Constraint::Sectors(vec!["s003".into(), "s010".into()])),
            ),
            member("MLI", 4_000, None),
            member(
                "MRT",
                2_500,
                Some(Constraint::Countries(vec!["MRT".into(), "MLI".into()])),
            ),
        ];
        let a = allocate(&sectors, &loads, &members, &Settings::default()).unwrap();
        let mut got = BTreeMap::new();
        for s in &a.sectors {
            for (m, n) in &s.by_member {
                got.insert((s.sector.clone(), m.clone()), *n);
            }
        }
        assert_eq!(got, naive(&sectors, &loads, &members, 100), "seed {seed}");
    }
}
