//! The allocation itself: the weights, the ideal shares and the greedy water-filling over one
//! binary heap per member (method and bound in the parent module's documentation).

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};

use liaison_core::ValidationErrors;
use serde::{Deserialize, Serialize};

use super::{Constraint, MAX_SECTORS, MAX_UNITS, MemberTroops, Sector, SectorLoad, Settings};

/// A sector's weight and its parts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WeightParts {
    pub incidents: f64,
    pub fatalities: f64,
    pub hotspot_points: f64,
    pub floor: f64,
    pub total: f64,
}

/// One sector's proposed allocation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectorAllocation {
    pub sector: String,
    pub name: String,
    pub load: SectorLoad,
    pub weight: WeightParts,
    pub ideal_troops: f64,
    pub allocated_troops: u64,
    /// Troops by member code, members with none left out.
    pub by_member: BTreeMap<String, u64>,
    /// `ideal − allocated`: positive when short.
    pub deficit_troops: f64,
    pub may_serve: Vec<String>,
    pub may_not_serve: Vec<String>,
    /// The member that placed the sector's last unit (bound (1) is stated against it).
    pub last_unit_from: Option<String>,
    pub explanation: String,
}

/// Troops of a member that were not placed, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Unallocated {
    pub member: String,
    pub troops: u64,
    pub reason: String,
}

/// The proposal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Allocation {
    pub unit_troops: u32,
    /// `T`: troops of the units that had somewhere to go.
    pub total_troops: u64,
    /// In the order the sectors were given.
    pub sectors: Vec<SectorAllocation>,
    pub unallocated: Vec<Unallocated>,
}

/// A heap entry: a sector's deficit when pushed and its allocation count then.
#[derive(Debug, PartialEq)]
struct Entry {
    deficit: f64,
    index: usize,
    placed: u64,
}
impl Eq for Entry {}
impl Ord for Entry {
    // Largest deficit first, then the smaller index (sectors are sorted by id).
    fn cmp(&self, o: &Self) -> Ordering {
        self.deficit
            .total_cmp(&o.deficit)
            .then_with(|| o.index.cmp(&self.index))
    }
}
impl PartialOrd for Entry {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

pub(super) fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// Checks the inputs, each error naming its field (`sectors[3].id`, `loads[2]`,
/// `members[1].constraint.sectors[0]`, `settings.unit_troops`).
fn check(
    sectors: &[Sector],
    loads: &[SectorLoad],
    members: &[MemberTroops],
    s: &Settings,
) -> Result<(), ValidationErrors> {
    let mut e = ValidationErrors::default();
    if sectors.len() > MAX_SECTORS {
        e.push("sectors", format!("at most {MAX_SECTORS}"));
    }
    if loads.len() != sectors.len() {
        e.push(
            "loads",
            format!("{} loads for {} sectors", loads.len(), sectors.len()),
        );
    }
    let mut ids = BTreeSet::new();
    for (i, sec) in sectors.iter().enumerate() {
        if let Err(inner) = sec.validate() {
            e.nest(&format!("sectors[{i}]"), inner);
        }
        if !ids.insert(sec.id.as_str()) {
            e.push(
                format!("sectors[{i}].id"),
                format!("'{}' given twice", sec.id),
            );
        }
    }
    let w = s.weights;
    for (f, v) in [
        ("per_incident", w.per_incident),
        ("per_fatality", w.per_fatality),
        ("per_hotspot_point", w.per_hotspot_point),
        ("floor", w.floor),
    ] {
        if !(v.is_finite() && v >= 0.0) {
            e.push(format!("settings.weights.{f}"), "must be a number ≥ 0");
        }
    }
    if s.unit_troops == 0 {
        e.push("settings.unit_troops", "must be at least 1");
    }
    let mut seen = BTreeSet::new();
    let mut units = 0u64;
    for (i, m) in members.iter().enumerate() {
        if !seen.insert(&m.member) {
            e.push(format!("members[{i}].member"), "given twice");
        }
        units = units.saturating_add(m.committed_troops / u64::from(s.unit_troops.max(1)));
        if let Some(Constraint::Sectors(list)) = &m.constraint {
            for (j, id) in list.iter().enumerate() {
                if !ids.contains(id.as_str()) {
                    e.push(
                        format!("members[{i}].constraint.sectors[{j}]"),
                        format!("no sector '{id}'"),
                    );
                }
            }
        }
    }
    if units > MAX_UNITS {
        e.push(
            "members",
            format!("{units} units; at most {MAX_UNITS}: take a larger unit"),
        );
    }
    e.into_result()
}

/// Whether `m` may serve `sector`.
pub(super) fn may_serve(m: &MemberTroops, sector: &Sector) -> bool {
    match &m.constraint {
        None => sector.countries.iter().any(|c| c == m.member.as_str()),
        Some(Constraint::Sectors(ids)) => ids.contains(&sector.id),
        Some(Constraint::Countries(cs)) => sector.countries.iter().any(|c| cs.contains(c)),
    }
}

/// Proposes an allocation of `members`' committed troops to `sectors`, `loads[i]` being the
/// load of `sectors[i]`. The same inputs give the same proposal (order of `members` included:
/// they are taken by code).
pub fn allocate(
    sectors: &[Sector],
    loads: &[SectorLoad],
    members: &[MemberTroops],
    settings: &Settings,
) -> Result<Allocation, ValidationErrors> {
    check(sectors, loads, members, settings)?;
    let unit = u64::from(settings.unit_troops);
    let w = settings.weights;
    // Sectors by id for tie-breaks; `order[k]` is the input position of the k-th by id.
    let mut order: Vec<usize> = (0..sectors.len()).collect();
    order.sort_by(|&a, &b| sectors[a].id.cmp(&sectors[b].id));
    let mut members: Vec<&MemberTroops> = members.iter().collect();
    members.sort_by(|a, b| a.member.cmp(&b.member));

    let parts: Vec<WeightParts> = loads
        .iter()
        .map(|l| {
            let incidents = w.per_incident * l.incidents as f64;
            let fatalities = w.per_fatality * l.fatalities as f64;
            let hotspot_points = w.per_hotspot_point * l.hotspot_points as f64;
            WeightParts {
                incidents,
                fatalities,
                hotspot_points,
                floor: w.floor,
                total: incidents + fatalities + hotspot_points + w.floor,
            }
        })
        .collect();
    let sum_w: f64 = parts.iter().map(|p| p.total).sum();

    // Per member: its allowed sectors (positions in `order`) and units.
    let allowed: Vec<Vec<usize>> = members
        .iter()
        .map(|m| {
            (0..order.len())
                .filter(|&k| may_serve(m, &sectors[order[k]]))
                .collect()
        })
        .collect();
    let mut unallocated = Vec::new();
    let mut units: Vec<u64> = Vec::with_capacity(members.len());
    for (m, allowed) in members.iter().zip(&allowed) {
        let whole = m.committed_troops / unit;
        let rest = m.committed_troops % unit;
        if allowed.is_empty() || sum_w <= 0.0 {
            units.push(0);
            if m.committed_troops > 0 {
                unallocated.push(Unallocated {
                    member: m.member.to_string(),
                    troops: m.committed_troops,
                    reason: if allowed.is_empty() {
                        "no sector it may serve".into()
                    } else {
                        "every sector weighs 0".into()
                    },
                });
            }
        } else {
            units.push(whole);
            if rest > 0 {
                unallocated.push(Unallocated {
                    member: m.member.to_string(),
                    troops: rest,
                    reason: format!("less than one unit of {unit}"),
                });
            }
        }
    }
    let total_troops = units.iter().sum::<u64>() * unit;
    let ideal: Vec<f64> = order
        .iter()
        .map(|&i| {
            parts
                .get(i)
                .map_or(0.0, |p| total_troops as f64 * p.total / sum_w)
        })
        .collect();

    let mut placed = vec![0u64; order.len()];
    let mut by_member = vec![vec![0u64; order.len()]; members.len()];
    let mut last = vec![None::<usize>; order.len()];
    let deficit = |k: usize, placed: &[u64]| ideal[k] - (placed[k] * unit) as f64;
    let mut heaps: Vec<BinaryHeap<Entry>> = allowed
        .iter()
        .map(|ks| {
            ks.iter()
                .map(|&k| Entry {
                    deficit: ideal[k],
                    index: k,
                    placed: 0,
                })
                .collect()
        })
        .collect();
    let mut left = units.clone();
    let mut remaining: u64 = left.iter().sum();
    while remaining > 0 {
        for (mi, heap) in heaps.iter_mut().enumerate() {
            if left[mi] == 0 {
                continue;
            }
            while let Some(top) = heap.pop() {
                let k = top.index;
                if top.placed != placed[k] {
                    heap.push(Entry {
                        deficit: deficit(k, &placed),
                        index: k,
                        placed: placed[k],
                    });
                    continue;
                }
                placed[k] += 1;
                by_member[mi][k] += 1;
                last[k] = Some(mi);
                heap.push(Entry {
                    deficit: deficit(k, &placed),
                    index: k,
                    placed: placed[k],
                });
                break;
            }
            left[mi] -= 1;
            remaining -= 1;
        }
    }

    // Back to the input order.
    let mut rank = vec![0usize; order.len()];
    for (k, &i) in order.iter().enumerate() {
        rank[i] = k;
    }
    let out = sectors
        .iter()
        .zip(loads)
        .zip(&parts)
        .zip(&rank)
        .map(|(((sec, load), part), &k)| {
            let mut by = BTreeMap::new();
            let (mut yes, mut no) = (Vec::new(), Vec::new());
            for (mi, m) in members.iter().enumerate() {
                let n = by_member[mi][k] * unit;
                if n > 0 {
                    by.insert(m.member.to_string(), n);
                }
                if allowed[mi].binary_search(&k).is_ok() {
                    yes.push(m.member.to_string());
                } else {
                    no.push(m.member.to_string());
                }
            }
            let allocated = placed[k] * unit;
            let explanation = explain(
                sec,
                load,
                settings.days,
                ideal[k],
                allocated,
                &by,
                &yes,
                &no,
            );
            SectorAllocation {
                sector: sec.id.clone(),
                name: sec.name.clone(),
                load: *load,
                weight: *part,
                ideal_troops: ideal[k],
                allocated_troops: allocated,
                by_member: by,
                deficit_troops: deficit(k, &placed),
                may_serve: yes,
                may_not_serve: no,
                last_unit_from: last[k].map(|mi| members[mi].member.to_string()),
                explanation,
            }
        })
        .collect();
    Ok(Allocation {
        unit_troops: settings.unit_troops,
        total_troops,
        sectors: out,
        unallocated,
    })
}

#[allow(clippy::too_many_arguments)]
fn explain(
    sec: &Sector,
    load: &SectorLoad,
    days: u32,
    ideal: f64,
    allocated: u64,
    by: &BTreeMap<String, u64>,
    yes: &[String],
    no: &[String],
) -> String {
    let mut by_desc: Vec<(&String, &u64)> = by.iter().collect();
    by_desc.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let split: Vec<String> = by_desc
        .iter()
        .map(|(m, n)| format!("{m} {}", thousands(**n)))
        .collect();
    let mut s = format!(
        "{}: {} incidents and {} killed in the last {days} days, {} hotspot points; ideal {} troops; allocated {}",
        sec.name,
        thousands(load.incidents),
        thousands(load.fatalities),
        thousands(load.hotspot_points),
        thousands(ideal.round() as u64),
        thousands(allocated),
    );
    if !split.is_empty() {
        s.push_str(&format!(" ({})", split.join(", ")));
    }
    match (yes.is_empty(), no.is_empty()) {
        (true, _) => s.push_str("; no member may serve here"),
        (false, true) => s.push_str(&format!("; {} may serve here", yes.join(", "))),
        (false, false) => s.push_str(&format!(
            "; {} may serve here, {} may not",
            yes.join(", "),
            no.join(", ")
        )),
    }
    s
}
