//! Helpers for this crate's unit tests: operations built in one line.

#![allow(clippy::unwrap_used)]

use liaison_core::CountryCode;
use liaison_core::date::parse_iso_date;

use crate::area::Area;
use crate::operation::{Kind, Operation, Status};

/// A planned national operation over a bounding box.
pub(crate) fn op(id: &str, member: &str, bbox: [f64; 4], from: &str, to: &str) -> Operation {
    Operation {
        id: id.to_owned(),
        member: CountryCode::parse(member).unwrap(),
        participants: Vec::new(),
        area: Area::Bbox { bbox },
        from: parse_iso_date(from).unwrap(),
        to: parse_iso_date(to).unwrap(),
        kind: Kind::Unspecified,
        objective: None,
        status: Status::Planned,
        notice_kind: false,
    }
}

/// `o` with these participants.
pub(crate) fn with_participants(mut o: Operation, codes: &[&str]) -> Operation {
    o.participants = codes
        .iter()
        .map(|c| CountryCode::parse(c).unwrap())
        .collect();
    o
}
