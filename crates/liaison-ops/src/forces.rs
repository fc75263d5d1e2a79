//! Force contributions: what each member has pledged, committed and deployed, by unit type and
//! zone, as dated records, and the pledged-versus-committed views summed per member and zone.
//!
//! Records are never edited: a member's figures for one unit type and zone at a later date are a
//! new record, and the current figures are those of the latest date (records of the same date:
//! the later one in the list). So the history of contributions is the list itself.
//!
//! **Base data.** The brief (Africa Security Brief No. 18, February 2012) gives one pledge: the
//! Joint Military Command set up in Tamanrasset in April 2010 by Algeria, Mali, Mauritania and
//! Niger was to field joint monitoring forces "expected to total 75,000, though these forces have
//! yet to be committed". It gives no split per member, so none is invented: the 75,000 are
//! recorded as the joint command's own pledge (member [`JOINT_COMMAND`]), committed 0, as of April
//! 2010 and again as of February 2012; each member's troop strength from the brief's 2009–2010
//! assets table (SIPRI, IISS) is shown beside its figures as its *available* strength, not as a
//! pledge.

use std::collections::BTreeMap;

use liaison_core::{CountryCode, Member, ValidationErrors};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::Date;
use time::macros::date;

/// The code under which the joint command's own records are kept: ISO 3166 leaves `X..` codes
/// to users, and `liaison_core::CountryCode` accepts them for bodies that are not states.
pub const JOINT_COMMAND: &str = "XJC";
/// Longest source text, in characters.
pub const MAX_SOURCE_CHARS: usize = 500;
/// Largest troop figure accepted in one record: more than any member fields in total.
pub const MAX_TROOPS: u32 = 1_000_000;

/// What kind of unit a contribution is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitType {
    Infantry,
    Motorised,
    Armoured,
    Air,
    SpecialForces,
    Gendarmerie,
    BorderGuard,
    Logistics,
    Engineers,
    Intelligence,
    Medical,
    /// Of no stated composition (the joint command's pledge).
    Mixed,
}

impl UnitType {
    pub fn as_str(self) -> &'static str {
        match self {
            UnitType::Infantry => "infantry",
            UnitType::Motorised => "motorised",
            UnitType::Armoured => "armoured",
            UnitType::Air => "air",
            UnitType::SpecialForces => "special_forces",
            UnitType::Gendarmerie => "gendarmerie",
            UnitType::BorderGuard => "border_guard",
            UnitType::Logistics => "logistics",
            UnitType::Engineers => "engineers",
            UnitType::Intelligence => "intelligence",
            UnitType::Medical => "medical",
            UnitType::Mixed => "mixed",
        }
    }
}

/// One dated statement of a member's contribution of one unit type (in one zone, or none).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Force {
    /// Given, or derived from the content ([`Force::derived_id`]), so adding the same record
    /// twice keeps one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    pub member: CountryCode,
    pub unit_type: UnitType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub zone: Option<String>,
    #[serde(default)]
    pub pledged: u32,
    #[serde(default)]
    pub committed: u32,
    #[serde(default)]
    pub deployed: u32,
    pub as_of: Date,
    pub source: String,
}

impl Force {
    /// Every broken rule, each naming its field.
    pub fn validate(&self) -> Result<(), ValidationErrors> {
        let mut e = ValidationErrors::default();
        if let Some(id) = &self.id
            && let Err(m) = crate::operation::check_operation_id(id)
        {
            e.push("id", m);
        }
        for (field, v) in [
            ("pledged", self.pledged),
            ("committed", self.committed),
            ("deployed", self.deployed),
        ] {
            if v > MAX_TROOPS {
                e.push(field, format!("at most {MAX_TROOPS} troops"));
            }
        }
        if self.deployed > self.committed {
            e.push(
                "deployed",
                format!(
                    "{} deployed is more than the {} committed: deployed troops are committed ones",
                    self.deployed, self.committed
                ),
            );
        }
        if let Some(z) = &self.zone
            && z.trim().is_empty()
        {
            e.push("zone", "is empty: leave it out instead");
        }
        if self.source.trim().is_empty() {
            e.push("source", "must say where the figures come from");
        } else if self.source.chars().count() > MAX_SOURCE_CHARS {
            e.push("source", format!("at most {MAX_SOURCE_CHARS} characters"));
        }
        e.into_result()
    }

    /// `force:` and the first 16 bytes of the SHA-256 of the record's JSON without its id, in
    /// hexadecimal: the same content always gets the same id.
    pub fn derived_id(&self) -> String {
        let mut copy = self.clone();
        copy.id = None;
        let json = serde_json::to_string(&copy).unwrap_or_default();
        let digest = Sha256::digest(json.as_bytes());
        format!(
            "force:{}",
            hex::encode(digest.get(..16).unwrap_or_default())
        )
    }

    /// The record with its id set (given or derived).
    pub fn with_id(mut self) -> Force {
        if self.id.is_none() {
            self.id = Some(self.derived_id());
        }
        self
    }
}

/// Pledged, committed and deployed troops, and the gap between what was pledged and what was
/// committed (negative when more was committed than pledged).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub pledged: u64,
    pub committed: u64,
    pub deployed: u64,
    pub gap: i64,
}

impl Totals {
    fn add(&mut self, f: &Force) {
        self.pledged += u64::from(f.pledged);
        self.committed += u64::from(f.committed);
        self.deployed += u64::from(f.deployed);
        self.gap = self.pledged as i64 - self.committed as i64;
    }
}

/// A member's troop strength from the assets table, shown beside its contributions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Available {
    pub troops: u32,
    pub period: String,
    pub source: String,
}

/// One member's current figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MemberForces {
    pub member: CountryCode,
    #[serde(flatten)]
    pub totals: Totals,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub available: Option<Available>,
}

/// One zone's current figures; `zone` is `None` for contributions given for no zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ZoneForces {
    pub zone: Option<String>,
    #[serde(flatten)]
    pub totals: Totals,
}

/// The pledged-versus-committed view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForcesView {
    /// Every member with a record or an assets entry, by code.
    pub members: Vec<MemberForces>,
    /// By zone, the no-zone row last.
    pub zones: Vec<ZoneForces>,
    pub total: Totals,
}

/// The current records: for each (member, unit type, zone), the one of the latest `as_of`, the
/// later in `records` on a tie.
pub fn current(records: &[Force]) -> Vec<&Force> {
    let mut latest: BTreeMap<(&CountryCode, UnitType, Option<&str>), &Force> = BTreeMap::new();
    for f in records {
        let key = (&f.member, f.unit_type, f.zone.as_deref());
        match latest.get(&key) {
            Some(prev) if prev.as_of > f.as_of => {}
            _ => {
                latest.insert(key, f);
            }
        }
    }
    latest.into_values().collect()
}

/// Sums the current records per member and per zone; `members` gives each member's available
/// strength (its latest assets entry).
pub fn view(records: &[Force], members: &[Member]) -> ForcesView {
    let mut by_member: BTreeMap<CountryCode, MemberForces> = BTreeMap::new();
    let mut by_zone: BTreeMap<Option<String>, Totals> = BTreeMap::new();
    let mut total = Totals::default();
    for m in members {
        let available = m
            .assets
            .iter()
            .max_by(|a, b| a.period.cmp(&b.period))
            .map(|a| Available {
                troops: a.troops,
                period: a.period.clone(),
                source: a.source.clone(),
            });
        if available.is_some() {
            by_member.insert(
                m.code.clone(),
                MemberForces {
                    member: m.code.clone(),
                    totals: Totals::default(),
                    available,
                },
            );
        }
    }
    for f in current(records) {
        by_member
            .entry(f.member.clone())
            .or_insert_with(|| MemberForces {
                member: f.member.clone(),
                totals: Totals::default(),
                available: None,
            })
            .totals
            .add(f);
        by_zone.entry(f.zone.clone()).or_default().add(f);
        total.add(f);
    }
    let mut zones: Vec<ZoneForces> = by_zone
        .into_iter()
        .map(|(zone, totals)| ZoneForces { zone, totals })
        .collect();
    // `None` sorts first in a BTreeMap; the no-zone row reads better last.
    zones.sort_by_key(|z| (z.zone.is_none(), z.zone.clone()));
    ForcesView {
        members: by_member.into_values().collect(),
        zones,
        total,
    }
}

const BRIEF: &str =
    "Africa Center for Strategic Studies, Africa Security Brief No. 18 (February 2012)";

/// The base records from the brief (see the module documentation): the joint command's pledge
/// of 75,000 as of April 2010 (the month the brief gives; recorded on its first day), and the
/// same pledge still uncommitted as of February 2012, the brief's date.
pub fn base_forces() -> Vec<Force> {
    // `XJC` is a user-assigned code, which `CountryCode::parse` always accepts.
    let Ok(jmc) = CountryCode::parse(JOINT_COMMAND) else {
        return Vec::new();
    };
    let record = |id: &str, as_of: Date, source: String| Force {
        id: Some(id.to_owned()),
        member: jmc.clone(),
        unit_type: UnitType::Mixed,
        zone: None,
        pledged: 75_000,
        committed: 0,
        deployed: 0,
        as_of,
        source,
    };
    vec![
        record(
            "sahel-2012:jmc-pledge-2010-04",
            date!(2010 - 04 - 01),
            format!(
                "{BRIEF}: the Joint Military Command of Algeria, Mali, Mauritania and Niger, set up in Tamanrasset in April 2010, was to field joint monitoring forces expected to total 75,000; no split per member is given"
            ),
        ),
        record(
            "sahel-2012:jmc-status-2012-02",
            date!(2012 - 02 - 01),
            format!("{BRIEF}: \"these forces have yet to be committed\""),
        ),
    ]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use liaison_core::MilitaryAssets;

    fn force(
        member: &str,
        unit: UnitType,
        zone: Option<&str>,
        p: u32,
        c: u32,
        d: u32,
        as_of: &str,
    ) -> Force {
        Force {
            id: None,
            member: CountryCode::parse(member).unwrap(),
            unit_type: unit,
            zone: zone.map(str::to_owned),
            pledged: p,
            committed: c,
            deployed: d,
            as_of: liaison_core::date::parse_iso_date(as_of).unwrap(),
            source: "test".into(),
        }
    }

    #[test]
    fn validation_names_fields() {
        let mut f = force("MLI", UnitType::Infantry, Some(" "), 10, 5, 6, "2011-01-01");
        f.source = String::new();
        let fields: Vec<String> = f
            .validate()
            .unwrap_err()
            .0
            .into_iter()
            .map(|e| e.field)
            .collect();
        assert_eq!(fields, ["deployed", "zone", "source"]);
        assert!(
            force("MLI", UnitType::Air, None, 10, 5, 5, "2011-01-01")
                .validate()
                .is_ok()
        );
    }

    #[test]
    fn derived_ids_follow_content() {
        let a = force("MLI", UnitType::Infantry, None, 10, 5, 5, "2011-01-01");
        let b = force("MLI", UnitType::Infantry, None, 10, 6, 5, "2011-01-01");
        assert_eq!(a.derived_id(), a.clone().derived_id());
        assert_ne!(a.derived_id(), b.derived_id());
        assert!(a.derived_id().starts_with("force:"));
        assert_eq!(a.clone().with_id().id, Some(a.derived_id()));
    }

    #[test]
    fn the_latest_record_is_current() {
        let old = force(
            "MLI",
            UnitType::Infantry,
            Some("z"),
            1000,
            0,
            0,
            "2011-01-01",
        );
        let new = force(
            "MLI",
            UnitType::Infantry,
            Some("z"),
            1000,
            600,
            400,
            "2011-06-01",
        );
        let other = force("MLI", UnitType::Air, Some("z"), 100, 100, 0, "2010-01-01");
        let records = [new.clone(), old, other.clone()];
        let cur = current(&records);
        assert_eq!(cur.len(), 2);
        assert!(cur.contains(&&new) && cur.contains(&&other));
    }

    #[test]
    fn sums_per_member_and_zone_with_available_strength() {
        let records = [
            force(
                "MLI",
                UnitType::Infantry,
                Some("z1"),
                1000,
                600,
                400,
                "2011-06-01",
            ),
            force("MLI", UnitType::Air, None, 100, 0, 0, "2011-06-01"),
            force(
                "NER",
                UnitType::Infantry,
                Some("z1"),
                500,
                700,
                700,
                "2011-06-01",
            ),
        ];
        let members = vec![Member {
            code: CountryCode::parse("MLI").unwrap(),
            name: "Mali".into(),
            joint_command: true,
            fusion_cell: true,
            assets: vec![MilitaryAssets {
                period: "2009-2010".into(),
                spending_musd: 174.0,
                troops: 7750,
                source: "SIPRI".into(),
            }],
            attacks_since_2001: None,
        }];
        let v = view(&records, &members);
        let mli = &v.members[0];
        assert_eq!(mli.member.as_str(), "MLI");
        assert_eq!(
            (
                mli.totals.pledged,
                mli.totals.committed,
                mli.totals.deployed,
                mli.totals.gap
            ),
            (1100, 600, 400, 500)
        );
        assert_eq!(mli.available.as_ref().unwrap().troops, 7750);
        assert_eq!(v.members[1].totals.gap, -200);
        assert_eq!(v.zones[0].zone.as_deref(), Some("z1"));
        assert_eq!(v.zones[0].totals.pledged, 1500);
        assert_eq!(v.zones[1].zone, None);
        assert_eq!(v.total.pledged, 1600);
        assert_eq!(v.total.committed, 1300);
    }

    #[test]
    fn base_data_is_the_brief_pledge_uncommitted() {
        let base = base_forces();
        assert!(base.iter().all(|f| f.validate().is_ok()));
        let v = view(&base, &[]);
        assert_eq!(v.members.len(), 1);
        assert_eq!(v.members[0].member.as_str(), JOINT_COMMAND);
        assert_eq!(
            v.total,
            Totals {
                pledged: 75_000,
                committed: 0,
                deployed: 0,
                gap: 75_000
            }
        );
    }
}
