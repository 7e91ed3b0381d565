//! Public employment service agencies (服务机构) and which streets they serve. In Beijing every
//! 街道/乡镇 has a 社会保障事务所 and every district a 人力资源公共服务中心 that offer public employment
//! services; this offline snapshot is derived from the division table by that rule. The server's
//! `/reference` answer is the source of truth and may add or rename agencies.

use super::divisions::{self, Street};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agency {
    /// `S` + street code, or `D` + district code.
    pub id: String,
    pub name: String,
}

fn street_agency(s: Street) -> Agency {
    Agency { id: format!("S{}", s.code), name: format!("{}社会保障事务所", s.name) }
}

/// The agencies that serve a street: its own office first, then its district's centre.
pub fn for_street(street_code: &str) -> Vec<Agency> {
    let Some(street) = divisions::street(street_code) else { return Vec::new() };
    let mut out = vec![street_agency(street)];
    if let Some(d) = divisions::district(street.district) {
        out.push(Agency {
            id: format!("D{}", d.code), name: format!("{}人力资源公共服务中心", d.name)
        });
    }
    out
}

/// Whether `agency_id` serves `street_code`.
pub fn serves(agency_id: &str, street_code: &str) -> bool {
    for_street(street_code).iter().any(|a| a.id == agency_id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_street_has_its_office_and_district_centre() {
        let a = for_street("110101001");
        assert_eq!(a[0].name, "东华门街道社会保障事务所");
        assert_eq!(a[1].name, "东城区人力资源公共服务中心");
        assert!(serves("D110101", "110101001"));
        assert!(!serves("D110102", "110101001"));
        assert!(for_street("999").is_empty());
        assert!(divisions::streets().all(|s| for_street(s.code).len() == 2));
    }
}
