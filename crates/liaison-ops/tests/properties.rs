//! Property checks of deconfliction over random operations: the R-tree answer equals a brute
//! force over every pair, conflicts are symmetric, and an operation never conflicts with itself
//! or with its own member's operations.

#![allow(clippy::unwrap_used)]

use geo::Intersects;
use liaison_core::CountryCode;
use liaison_ops::{Area, Deconflictor, Kind, Operation, Status};
use proptest::prelude::*;
use time::{Duration, macros::date};

const MEMBERS: [&str; 4] = ["DZA", "MLI", "MRT", "NER"];

fn operation() -> impl Strategy<Value = Operation> {
    (
        0usize..4,
        proptest::collection::vec(0usize..4, 0..3),
        (0.0f64..4.0, 14.0f64..18.0, 0.05f64..1.0, 0.05f64..1.0),
        any::<bool>(),
        0i64..40,
        0i64..10,
        prop_oneof![
            Just(Status::Planned),
            Just(Status::Active),
            Just(Status::Cancelled)
        ],
    )
        .prop_map(|(m, parts, (x, y, w, h), poly, start, len, status)| {
            let member = CountryCode::parse(MEMBERS[m]).unwrap();
            let mut participants: Vec<CountryCode> = Vec::new();
            for p in parts {
                let c = CountryCode::parse(MEMBERS[p]).unwrap();
                if c != member && !participants.contains(&c) {
                    participants.push(c);
                }
            }
            let area = if poly {
                // A triangle in the lower-left half of the box.
                Area::Polygon {
                    polygons: vec![vec![vec![[x, y], [x + w, y], [x, y + h], [x, y]]]],
                }
            } else {
                Area::Bbox {
                    bbox: [x, y, x + w, y + h],
                }
            };
            let from = date!(2026 - 01 - 01) + Duration::days(start);
            Operation {
                id: String::new(),
                member,
                participants,
                area,
                from,
                to: from + Duration::days(len),
                kind: Kind::Patrol,
                objective: None,
                status,
                notice_kind: false,
            }
        })
}

fn operations() -> impl Strategy<Value = Vec<Operation>> {
    proptest::collection::vec(operation(), 1..40).prop_map(|mut ops| {
        for (i, o) in ops.iter_mut().enumerate() {
            o.id = format!("op-{i:02}");
        }
        ops
    })
}

/// The rule of `liaison_ops::deconflict`, written out plainly over every pair.
fn brute(a: &Operation, b: &Operation) -> bool {
    a.id != b.id
        && a.member != b.member
        && a.status != Status::Cancelled
        && b.status != Status::Cancelled
        && !(a.participants.contains(&b.member) && b.participants.contains(&a.member))
        && a.from <= b.to
        && b.from <= a.to
        && a.area.geometry().intersects(&b.area.geometry())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn index_matches_brute_force_and_is_symmetric(ops in operations()) {
        let d = Deconflictor::new(&ops);
        for a in &ops {
            let found: Vec<String> = d.conflicts(a).into_iter().map(|c| c.other).collect();
            let expected: Vec<String> =
                ops.iter().filter(|b| brute(a, b)).map(|b| b.id.clone()).collect();
            prop_assert_eq!(&found, &expected);
            for other in &found {
                prop_assert_ne!(other, &a.id);
                let b = ops.iter().find(|b| &b.id == other).unwrap();
                prop_assert_ne!(&b.member, &a.member);
                // Symmetric: b finds a.
                prop_assert!(d.conflicts(b).iter().any(|c| c.other == a.id));
            }
        }
        // Every pair once.
        let pairs: Vec<(String, String)> =
            d.all_conflicts().into_iter().map(|c| (c.operation, c.other)).collect();
        let mut expected = Vec::new();
        for (i, a) in ops.iter().enumerate() {
            for b in &ops[i + 1..] {
                if brute(a, b) {
                    expected.push((a.id.clone(), b.id.clone()));
                }
            }
        }
        prop_assert_eq!(pairs, expected);
    }
}
