//! Installing published data in a process (its own test binary: the tables in use are
//! process-wide): a copy held before the other tables were published still puts its 服务机构 list
//! in use, and a copy naming every table's version resets those at version 0 to their defaults.

use shiye_core::reference::agencies::{self, AgencyEntry};
use shiye_core::reference::snapshot::{self, Table};

#[test]
fn a_copy_held_by_an_older_version_keeps_its_agency_list_and_bundled_tables_come_back() {
    let mut held = snapshot::snapshot();
    held.agencies.push(AgencyEntry {
        id: "N1".into(),
        name: "建外街道就业服务站".into(),
        streets: vec!["110105001".into()],
    });
    // As an older app kept it: no `tables`.
    let mut old: serde_json::Value = serde_json::to_value(&held).unwrap();
    for field in ["tables", "divisions", "benefit_rules", "notices"] {
        old.as_object_mut().unwrap().remove(field);
    }
    let old: snapshot::ReferenceData = serde_json::from_value(old).expect("an older copy still reads");
    assert!(snapshot::install(&old).is_empty());
    assert!(agencies::exists("N1"), "the list it held is in use");

    // A current copy where every table is at version 0: back to the bundled defaults.
    let current = snapshot::snapshot();
    assert!(current.tables.iter().all(|t| t.version == 0) && current.tables.len() == Table::ALL.len());
    assert!(snapshot::install(&current).is_empty());
    assert!(!agencies::exists("N1"));
}
