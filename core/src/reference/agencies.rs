//! Public employment service agencies (服务机构) and which streets they serve. In Beijing every
//! 街道/乡镇 has a 社会保障事务所 and every district a 人力资源公共服务中心 that offer public employment
//! services; the bundled snapshot is derived from the division table by that rule. The server's
//! `/api/v1/reference` answer is the source of truth: once it is installed (`install`), it replaces
//! the snapshot everywhere — what the picker offers and what validation accepts.

use super::divisions::{self, DistrictEntry};
use crate::served::Served;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// An agency as the server publishes it, with the streets it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AgencyEntry {
    pub id: String,
    pub name: String,
    /// Street codes it serves.
    pub streets: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    /// `S` + street code, or `D` + district code.
    pub id: String,
    pub name: String,
}

/// A list of agencies as the server publishes it, checked: ids and names present and unique
/// ids, street codes that exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table(Vec<AgencyEntry>);

/// Why a list cannot be used with this division table, naming the entry or the street.
pub fn check(entries: &[AgencyEntry], divisions: &[DistrictEntry]) -> Result<(), String> {
    if entries.is_empty() {
        return Err("服务机构列表为空".into());
    }
    let known: std::collections::BTreeSet<&str> =
        divisions.iter().flat_map(|d| d.streets.iter().map(|s| s.code.as_str())).collect();
    let mut ids = std::collections::BTreeSet::new();
    for e in entries {
        if e.id.trim().is_empty() || e.name.trim().is_empty() || e.streets.is_empty() {
            return Err(format!("服务机构“{}”（{}）缺少编号、名称或所服务的街道", e.name, e.id));
        }
        if !ids.insert(e.id.as_str()) {
            return Err(format!("服务机构编号{}重复", e.id));
        }
        if let Some(s) = e.streets.iter().find(|s| !known.contains(s.as_str())) {
            return Err(format!("服务机构“{}”所服务的街道{}不在区划表中", e.name, s));
        }
    }
    Ok(())
}

impl Table {
    /// `None` when the list is empty or an entry is unusable (no id, no name, a repeated id, no
    /// street of the division table in use): an app must not trade a working snapshot for a
    /// broken list.
    pub fn checked(entries: Vec<AgencyEntry>) -> Option<Table> {
        check(&entries, &divisions::table()).ok().map(|()| Table(entries))
    }

    /// The agencies that serve a street, the nearest first (the one serving fewest streets: the
    /// street's own office before the district's centre), then in the published order.
    pub fn for_street(&self, street_code: &str) -> Vec<Agency> {
        let mut serving: Vec<&AgencyEntry> =
            self.0.iter().filter(|e| e.streets.iter().any(|s| s == street_code)).collect();
        serving.sort_by_key(|e| e.streets.len());
        serving.into_iter().map(|e| Agency { id: e.id.clone(), name: e.name.clone() }).collect()
    }

    pub fn entries(&self) -> &[AgencyEntry] {
        &self.0
    }
}

/// The server's list once installed; `None` means the bundled snapshot.
static SERVED: Served<Table> = Served::new();

/// Puts the server's list in use in this process. Returns whether it was usable.
pub fn install(entries: Vec<AgencyEntry>) -> bool {
    match Table::checked(entries) {
        Some(t) => {
            SERVED.set(Some(t));
            true
        }
        None => false,
    }
}

/// Back to the bundled snapshot.
pub fn reset() {
    SERVED.set(None);
}

/// The server's list in use, if one was installed.
pub fn installed() -> Option<Arc<Table>> {
    SERVED.get()
}

/// The rule of the bundled snapshot: a street's own 社会保障事务所, then its district's
/// 人力资源公共服务中心 (the ids `exists` reads back).
fn rule_offices(street: (&str, &str), district: (&str, &str)) -> [Agency; 2] {
    [
        Agency { id: format!("S{}", street.0), name: format!("{}社会保障事务所", street.1) },
        Agency {
            id: format!("D{}", district.0), name: format!("{}人力资源公共服务中心", district.1)
        },
    ]
}

/// The bundled snapshot's agencies for a street: its own office first, then its district's centre.
fn bundled_for_street(street_code: &str) -> Vec<Agency> {
    let Some(street) = divisions::street(street_code) else { return Vec::new() };
    let Some(district) = divisions::district(&street.district) else { return Vec::new() };
    rule_offices((&street.code, &street.name), (&district.code, &district.name)).into()
}

/// The bundled snapshot as the server publishes a list: one entry per agency with its streets,
/// derived from the division table in use.
pub fn bundled() -> Vec<AgencyEntry> {
    derived(&divisions::table())
}

/// The agencies a division table gives by the rule (so a published street without a published
/// 服务机构 list is served too).
pub fn derived(table: &[DistrictEntry]) -> Vec<AgencyEntry> {
    let mut by_id: std::collections::BTreeMap<String, AgencyEntry> = Default::default();
    for d in table {
        for s in &d.streets {
            for a in rule_offices((&s.code, &s.name), (&d.code, &d.name)) {
                by_id
                    .entry(a.id.clone())
                    .or_insert_with(|| AgencyEntry { id: a.id, name: a.name, streets: Vec::new() })
                    .streets
                    .push(s.code.clone());
            }
        }
    }
    by_id.into_values().collect()
}

/// The agencies that serve a street, the nearest first.
pub fn for_street(street_code: &str) -> Vec<Agency> {
    match installed() {
        Some(t) => t.for_street(street_code),
        None => bundled_for_street(street_code),
    }
}

/// Whether an agency of this id is in the list in use (a draft may name one since withdrawn).
pub fn exists(agency_id: &str) -> bool {
    match installed() {
        Some(t) => t.entries().iter().any(|e| e.id == agency_id),
        // The snapshot's ids are made by rule (`rule_offices`): read the rule back instead of
        // building the whole list for one lookup.
        None => match (agency_id.get(..1), agency_id.get(1..)) {
            (Some("S"), Some(street)) => divisions::street(street).is_some(),
            (Some("D"), Some(district)) => divisions::district(district).is_some(),
            _ => false,
        },
    }
}

/// Whether `agency_id` serves `street_code`.
pub fn serves(agency_id: &str, street_code: &str) -> bool {
    for_street(street_code).iter().any(|a| a.id == agency_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, name: &str, streets: &[&str]) -> AgencyEntry {
        AgencyEntry {
            id: id.into(),
            name: name.into(),
            streets: streets.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn every_street_has_its_office_and_district_centre() {
        let a = bundled_for_street("110101001");
        assert_eq!(a[0].name, "东华门街道社会保障事务所");
        assert_eq!(a[1].name, "东城区人力资源公共服务中心");
        assert!(divisions::streets().iter().all(|s| bundled_for_street(&s.code).len() == 2));
        assert!(bundled_for_street("999").is_empty());
    }

    #[test]
    fn without_a_published_list_exactly_the_snapshots_ids_exist() {
        let ids: std::collections::BTreeSet<String> = bundled().into_iter().map(|e| e.id).collect();
        // No test of this crate installs a list.
        assert!(ids.iter().all(|id| exists(id)));
        for other in ["S999", "D999999", "X110101001", "S", "", "s110101001"] {
            assert!(!exists(other), "{other}");
        }
    }

    #[test]
    fn the_bundled_list_read_as_a_table_answers_like_the_snapshot() {
        let t = Table::checked(bundled()).expect("the snapshot is a usable table");
        for s in divisions::streets() {
            assert_eq!(t.for_street(&s.code), bundled_for_street(&s.code), "{}", s.code);
        }
    }

    #[test]
    fn a_published_table_renames_adds_and_drops() {
        let t = Table::checked(vec![
            entry("D110101", "东城区公共就业服务中心", &["110101001", "110101002"]),
            entry("S110101001", "东华门街道就业服务站", &["110101001"]),
            entry("X1", "东城区零工市场", &["110101001", "110101002", "110101003"]),
        ])
        .expect("usable");
        let ids: Vec<String> = t.for_street("110101001").into_iter().map(|a| a.id).collect();
        assert_eq!(ids, ["S110101001", "D110101", "X1"], "nearest first");
        assert_eq!(t.for_street("110101001")[0].name, "东华门街道就业服务站");
        assert!(t.for_street("110102001").is_empty(), "a street the list leaves out has none");
    }

    #[test]
    fn an_unusable_list_is_refused() {
        assert!(Table::checked(Vec::new()).is_none());
        assert!(Table::checked(vec![entry("", "无名", &["110101001"])]).is_none());
        assert!(Table::checked(vec![entry("A", " ", &["110101001"])]).is_none());
        assert!(Table::checked(vec![entry("A", "甲", &["999999999"])]).is_none());
        assert!(Table::checked(vec![entry("A", "甲", &[])]).is_none());
        assert!(Table::checked(vec![entry("A", "甲", &["110101001"]), entry("A", "乙", &["110101002"])])
            .is_none());
    }
}
