//! Operations as a member declares them: who declares (one writer per operation), who takes
//! part, where (an [`Area`]), when (a window of whole days), what kind, what for, and how far
//! along it is, with validation that names every broken field.
//!
//! Not here: deciding whether two operations clash or whom to warn (`deconflict.rs`), or
//! storing versions (`liaison-store`).

use liaison_core::{CountryCode, ValidationErrors};
use serde::{Deserialize, Serialize};
use time::Date;

use crate::area::Area;

/// Longest operation id, in bytes: ids travel in URLs and file names.
pub const MAX_OPERATION_ID_BYTES: usize = 96;
/// Longest objective, in characters.
pub const MAX_OBJECTIVE_CHARS: usize = 2_000;
/// Longest time window, in days (inclusive): a standing monitoring mission is declared for a
/// period and renewed, not left open for ever.
pub const MAX_WINDOW_DAYS: i64 = 3_660;
/// Most participants besides the declaring member.
pub const MAX_PARTICIPANTS: usize = 32;

/// What an operation is. `unspecified` when the declaring member does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Patrol,
    Raid,
    Search,
    Escort,
    Exercise,
    JointOperation,
    Reconnaissance,
    Unspecified,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Patrol,
        Kind::Raid,
        Kind::Search,
        Kind::Escort,
        Kind::Exercise,
        Kind::JointOperation,
        Kind::Reconnaissance,
        Kind::Unspecified,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Patrol => "patrol",
            Kind::Raid => "raid",
            Kind::Search => "search",
            Kind::Escort => "escort",
            Kind::Exercise => "exercise",
            Kind::JointOperation => "joint_operation",
            Kind::Reconnaissance => "reconnaissance",
            Kind::Unspecified => "unspecified",
        }
    }

    /// Parses a kind by its name, with the known names in the refusal.
    pub fn parse(s: &str) -> Result<Kind, String> {
        let s = s.trim();
        Kind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                let known: Vec<&str> = Kind::ALL.iter().map(|k| k.as_str()).collect();
                format!("unknown kind '{s}'; the kinds are {}", known.join(", "))
            })
    }
}

/// How far along an operation is. A cancelled operation never conflicts and warns nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    Planned,
    Active,
    Completed,
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 4] = [
        Status::Planned,
        Status::Active,
        Status::Completed,
        Status::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Planned => "planned",
            Status::Active => "active",
            Status::Completed => "completed",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Result<Status, String> {
        let s = s.trim();
        Status::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| {
                format!(
                    "unknown status '{s}'; the statuses are planned, active, completed, cancelled"
                )
            })
    }
}

/// An operation as declared by `member`, its one writer. `participants` are the other members
/// (or partners) taking part; a national operation has none. The window is whole days, both
/// ends included.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Operation {
    pub id: String,
    pub member: CountryCode,
    #[serde(default)]
    pub participants: Vec<CountryCode>,
    pub area: Area,
    pub from: Date,
    pub to: Date,
    #[serde(default = "unspecified")]
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objective: Option<String>,
    #[serde(default)]
    pub status: Status,
    /// Whether deconfliction notices carry the kind. Off by default: a notice says where and
    /// when, and the declaring member decides to say more.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub notice_kind: bool,
}

fn unspecified() -> Kind {
    Kind::Unspecified
}

/// Checks an operation id: 1 to 96 bytes of ASCII letters, digits and `- _ . :`.
pub fn check_operation_id(id: &str) -> Result<(), String> {
    if id.is_empty() || id.len() > MAX_OPERATION_ID_BYTES {
        return Err(format!(
            "must be 1 to {MAX_OPERATION_ID_BYTES} bytes, found {}",
            id.len()
        ));
    }
    if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b':'))
    {
        return Err(format!(
            "'{id}' may only hold ASCII letters, digits and - _ . :"
        ));
    }
    Ok(())
}

impl Operation {
    /// Every broken rule, each naming its field (`area.bbox`, `participants[1]`, `to`).
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if let Err(m) = check_operation_id(&self.id) {
            e.push("id", m);
        }
        if self.participants.len() > MAX_PARTICIPANTS {
            e.push(
                "participants",
                format!("at most {MAX_PARTICIPANTS} participants"),
            );
        }
        for (i, p) in self.participants.iter().enumerate() {
            if *p == self.member {
                e.push(
                    format!("participants[{i}]"),
                    format!("{p} is the declaring member; list only the others"),
                );
            } else if self.participants[..i].contains(p) {
                e.push(format!("participants[{i}]"), format!("{p} is listed twice"));
            }
        }
        if self.from > self.to {
            e.push(
                "to",
                format!("ends ({}) before it starts ({})", self.to, self.from),
            );
        } else if (self.to - self.from).whole_days() + 1 > MAX_WINDOW_DAYS {
            e.push(
                "to",
                format!("a window is at most {MAX_WINDOW_DAYS} days: declare it again to renew it"),
            );
        }
        if let Some(o) = &self.objective {
            if o.trim().is_empty() {
                e.push("objective", "is empty: leave it out instead");
            } else if o.chars().count() > MAX_OBJECTIVE_CHARS {
                e.push(
                    "objective",
                    format!("at most {MAX_OBJECTIVE_CHARS} characters"),
                );
            }
        }
        e.nest("area", self.area.validate());
        e.into_result()
    }

    /// The members involved: the declaring member and the participants.
    pub fn involves(&self, code: &CountryCode) -> bool {
        self.member == *code || self.participants.contains(code)
    }

    /// Whether the two windows share at least one day. A window ending on the day another
    /// starts overlaps it: both forces are out that day.
    pub fn overlaps_in_time(&self, other: &Operation) -> bool {
        self.from <= other.to && other.from <= self.to
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::testing::op;

    #[test]
    fn kinds_and_statuses_round_trip() {
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Ok(k));
            let json = serde_json::to_string(&k).unwrap();
            assert_eq!(json, format!("\"{}\"", k.as_str()));
        }
        for s in Status::ALL {
            assert_eq!(Status::parse(s.as_str()), Ok(s));
        }
        assert!(Kind::parse("invasion").unwrap_err().contains("patrol"));
    }

    #[test]
    fn a_valid_operation_passes() {
        assert_eq!(
            op(
                "a",
                "MLI",
                [0.0, 15.0, 1.0, 16.0],
                "2026-01-01",
                "2026-01-10"
            )
            .validate(),
            Ok(())
        );
    }

    #[test]
    fn every_broken_field_is_named() {
        let mut o = op(
            "bad id!",
            "MLI",
            [2.0, 15.0, 1.0, 16.0],
            "2026-02-01",
            "2026-01-10",
        );
        o.participants = vec![
            CountryCode::parse("MLI").unwrap(),
            CountryCode::parse("NER").unwrap(),
            CountryCode::parse("NER").unwrap(),
        ];
        o.objective = Some("  ".into());
        let fields: Vec<String> = o
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|f| f.field)
            .collect();
        assert_eq!(
            fields,
            [
                "id",
                "participants[0]",
                "participants[2]",
                "to",
                "objective",
                "area.bbox"
            ]
        );
    }

    #[test]
    fn windows_too_long_are_refused() {
        let o = op(
            "a",
            "MLI",
            [0.0, 15.0, 1.0, 16.0],
            "2020-01-01",
            "2030-12-31",
        );
        assert_eq!(o.validate().unwrap_err().0[0].field, "to");
    }

    #[test]
    fn touching_windows_overlap() {
        let a = op(
            "a",
            "MLI",
            [0.0, 15.0, 1.0, 16.0],
            "2026-01-01",
            "2026-01-10",
        );
        let b = op(
            "b",
            "NER",
            [0.0, 15.0, 1.0, 16.0],
            "2026-01-10",
            "2026-01-20",
        );
        let c = op(
            "c",
            "NER",
            [0.0, 15.0, 1.0, 16.0],
            "2026-01-11",
            "2026-01-20",
        );
        assert!(a.overlaps_in_time(&b) && b.overlaps_in_time(&a));
        assert!(!a.overlaps_in_time(&c) && !c.overlaps_in_time(&a));
    }

    #[test]
    fn json_shape() {
        let o = op(
            "a",
            "MLI",
            [0.0, 15.0, 1.0, 16.0],
            "2026-01-01",
            "2026-01-10",
        );
        let v = serde_json::to_value(&o).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"id": "a", "member": "MLI", "participants": [],
                "area": {"type": "bbox", "bbox": [0.0, 15.0, 1.0, 16.0]},
                "from": "2026-01-01", "to": "2026-01-10", "kind": "unspecified",
                "status": "planned"})
        );
        let back: Operation = serde_json::from_value(v).unwrap();
        assert_eq!(back, o);
        let unknown = serde_json::json!({"id": "a", "member": "MLI",
            "area": {"type": "bbox", "bbox": [0.0, 15.0, 1.0, 16.0]},
            "from": "2026-01-01", "to": "2026-01-10", "secret": 1});
        assert!(serde_json::from_value::<Operation>(unknown).is_err());
    }
}
