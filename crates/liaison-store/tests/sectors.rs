//! Patrol sectors on both engines: sectors stored with their contacts and versioned (unchanged
//! writes nothing), a bad sector keeps nothing and is named by index and field, and members'
//! constraints stored, versioned and checked against the sectors the node holds.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use liaison_core::CountryCode;
use liaison_ops::Area;
use liaison_ops::sectors::{Constraint, Contact, Sector};
use liaison_store::{Store, StoreError};
use time::OffsetDateTime;

#[macro_use]
mod common;

fn at(s: i64) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp(1_700_000_000 + s).unwrap()
}

fn sector(id: &str, name: &str) -> Sector {
    Sector {
        id: id.into(),
        name: name.into(),
        area: Area::Polygon {
            polygons: vec![vec![vec![
                [0.5, 20.5],
                [1.5, 20.5],
                [1.5, 21.5],
                [0.5, 21.5],
                [0.5, 20.5],
            ]]],
        },
        countries: vec!["DZA".into(), "MLI".into()],
        contacts: vec![Contact {
            name: "Intalla Ag Attaher".into(),
            role: "Tuareg elder".into(),
            community: "Kel Adagh".into(),
            phone_or_channel: Some("HF 7.045 MHz".into()),
        }],
    }
}

fn invalid_field(e: StoreError) -> String {
    match e {
        StoreError::Invalid { field, .. } => field,
        other => panic!("expected Invalid, got {other:?}"),
    }
}

async fn sectors_versioned(store: &Store) {
    let a = sector("tessalit", "Tessalit corridor");
    let b = sector("kidal", "Kidal");
    assert_eq!(
        store
            .add_sectors(&[a.clone(), b.clone()], at(0), "admin")
            .await
            .unwrap(),
        vec![1, 1]
    );
    // Unchanged: nothing written.
    assert_eq!(
        store
            .add_sectors(std::slice::from_ref(&a), at(1), "admin")
            .await
            .unwrap(),
        vec![1]
    );
    let mut a2 = a.clone();
    a2.contacts.push(Contact {
        name: "Mayor of Tessalit".into(),
        role: "mayor".into(),
        community: "Tessalit".into(),
        phone_or_channel: None,
    });
    assert_eq!(
        store
            .add_sectors(&[a2.clone()], at(2), "admin")
            .await
            .unwrap(),
        vec![2]
    );
    let rows = store.sectors().await.unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].sector, b);
    assert_eq!(rows[1].sector, a2);
    assert_eq!(rows[1].version, 2);
    let versions = store.sector_versions("tessalit").await.unwrap();
    assert_eq!(versions, vec![(1, a), (2, a2)]);
}

async fn bad_sector_keeps_nothing(store: &Store) {
    let good = sector("good", "Good");
    let mut bad = sector("bad", "Bad");
    bad.contacts[0].role = "  ".into();
    let e = store
        .add_sectors(&[good.clone(), bad], at(0), "admin")
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "sectors[1].contacts[0].role");
    let e = store
        .add_sectors(&[good.clone(), good], at(0), "admin")
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "sectors[1].id");
    assert!(store.sectors().await.unwrap().is_empty());
}

async fn constraints_versioned_and_checked(store: &Store) {
    store
        .add_sectors(&[sector("kidal", "Kidal")], at(0), "admin")
        .await
        .unwrap();
    let dza = CountryCode::parse("DZA").unwrap();
    let c = Constraint::Sectors(vec!["kidal".into()]);
    assert_eq!(
        store
            .set_member_constraint(&dza, &c, at(1), "admin")
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .set_member_constraint(&dza, &c, at(2), "admin")
            .await
            .unwrap(),
        1
    );
    let c2 = Constraint::Countries(vec!["DZA".into(), "MLI".into()]);
    assert_eq!(
        store
            .set_member_constraint(&dza, &c2, at(3), "admin")
            .await
            .unwrap(),
        2
    );
    let rows = store.member_constraints().await.unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].constraint, c2);
    assert_eq!(rows[0].version, 2);
    let e = store
        .set_member_constraint(
            &dza,
            &Constraint::Sectors(vec!["kidal".into(), "nope".into()]),
            at(4),
            "admin",
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "sectors[1]");
    let e = store
        .set_member_constraint(
            &dza,
            &Constraint::Countries(vec!["ZZZ".into()]),
            at(4),
            "admin",
        )
        .await
        .unwrap_err();
    assert_eq!(invalid_field(e), "countries[0]");
    assert_eq!(store.member_constraints().await.unwrap()[0].version, 2);
}

on_both!(sectors_are_versioned, sectors_versioned);
on_both!(a_bad_sector_keeps_nothing, bad_sector_keeps_nothing);
on_both!(
    constraints_are_versioned_and_checked,
    constraints_versioned_and_checked
);
