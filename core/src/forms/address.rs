//! 基本信息 as entered: 户籍地行政区划 anywhere in China (province, city, county, and the 街道/乡镇
//! for a Beijing 户籍), 户籍地详细地址, and, when 户籍地与常住地不一致 — always for a 户籍 outside Beijing,
//! whose Beijing 常住地 decides the serving office —, 常住地行政区划 (Beijing: the service is
//! Beijing's) and 常住地详细地址. (姓名, 证件, 电话, 性别, 出生日期 come from the identity
//! platform and are not part of the form.)

use super::errors::{ErrorCode, FieldError};
use super::field::FieldId;
use super::rules::{self, Errors};
use crate::reference::{divisions, regions};
use crate::registration::Address;

/// Longest 详细地址 accepted.
pub const ADDRESS_MAX_CHARS: usize = 100;

/// Checks a district + street pair against Beijing's division table.
fn division(
    errs: &mut Errors,
    fields: (FieldId, FieldId),
    district: &Option<String>,
    street: &Option<String>,
) {
    let Some(d) = rules::required(errs, fields.0, district) else {
        if street.is_none() {
            errs.push(FieldError::required(fields.1));
        }
        return;
    };
    if divisions::district(d).is_none() {
        errs.push(FieldError::new(fields.0, ErrorCode::NotAnOption, "不是北京市的区"));
        return;
    }
    match rules::required(errs, fields.1, street) {
        Some(s) if divisions::street(s).is_none_or(|s| s.district != *d) => {
            errs.push(FieldError::new(fields.1, ErrorCode::NotAnOption, "不属于所选的区"));
        }
        _ => {}
    }
}

impl Address {
    /// The 户籍地 province: as chosen, or the county code's prefix.
    pub fn household_province(&self) -> Option<String> {
        let derived = self.household_district.as_ref().and_then(|d| d.get(..2)).map(String::from);
        self.household_province.clone().or(derived)
    }

    /// The 户籍地 city: as chosen, or the county code's prefix.
    pub fn household_city(&self) -> Option<String> {
        let derived = self.household_district.as_ref().and_then(|d| d.get(..4)).map(String::from);
        self.household_city.clone().or(derived)
    }

    /// Whether the 户籍 is in Beijing (then its 街道/乡镇 is asked too).
    pub fn household_in_beijing(&self) -> bool {
        self.household_province().as_deref() == Some(regions::BEIJING)
    }

    /// Whether the 户籍 is known to be outside Beijing (a province other than Beijing chosen).
    pub fn household_outside_beijing(&self) -> bool {
        self.household_province().is_some_and(|p| p != regions::BEIJING)
    }

    /// Whether the Beijing 常住地 is asked: when the person says it differs from the 户籍地, and
    /// always when the 户籍 is elsewhere (the service, and the office that serves them, is where
    /// they live in Beijing).
    pub fn residence_required(&self) -> bool {
        self.residence_differs || self.household_outside_beijing()
    }

    /// 户籍地: each level required, each inside the one above, each in the table (when the table is
    /// there: the UI checks the shape until it has loaded it; the shell and the server always check).
    fn household(&self, errs: &mut Errors) {
        use FieldId::*;
        let levels = [
            (HouseholdProvince, self.household_province(), 2, "不是有效的省级行政区"),
            (HouseholdCity, self.household_city(), 4, "不是有效的市级行政区"),
            (HouseholdDistrict, self.household_district.clone(), 6, "不是有效的区县"),
        ];
        let mut parent = String::new();
        for (field, code, len, unknown) in levels {
            if regions::stands_alone(&parent) {
                // 香港, 澳门, 台湾, 外国: nothing below.
                return;
            }
            let Some(code) = rules::required(errs, field, &code) else { return };
            if code.len() != len || !code.starts_with(parent.as_str()) {
                let message =
                    if parent.is_empty() { unknown } else { "不属于所选的上一级行政区" };
                errs.push(FieldError::new(field, ErrorCode::NotAnOption, message));
                return;
            }
            if regions::loaded() && regions::name(code).is_none() {
                errs.push(FieldError::new(field, ErrorCode::NotAnOption, unknown));
                return;
            }
            parent = code.clone();
        }
        if self.household_in_beijing() {
            division(
                errs,
                (HouseholdDistrict, HouseholdStreet),
                &self.household_district,
                &self.household_street,
            );
        }
    }

    /// `validate`, and 外国 as 户籍地 only for a person the service knows as a foreign national.
    pub fn validate_for(&self, errs: &mut Errors, records: &crate::records::Records) {
        self.validate(errs);
        if self.household_province.as_deref() == Some(regions::FOREIGN) && !records.foreign_national {
            errs.push(FieldError::new(
                FieldId::HouseholdProvince,
                ErrorCode::NotOffered,
                "：“外国”仅限持外国人永久居留身份证的申请人选择",
            ));
        }
    }

    pub fn validate(&self, errs: &mut Errors) {
        use FieldId::*;
        self.household(errs);
        rules::text(errs, HouseholdAddress, &self.household_address, false, ADDRESS_MAX_CHARS);
        if self.residence_required() {
            division(
                errs,
                (ResidenceDistrict, ResidenceStreet),
                &self.residence_district,
                &self.residence_street,
            );
            rules::text(errs, ResidenceAddress, &self.residence_address, true, ADDRESS_MAX_CHARS);
        }
    }

    /// The street whose agencies serve the person: where they live.
    pub fn service_street(&self) -> Option<&str> {
        if self.residence_required() {
            self.residence_street.as_deref()
        } else {
            self.household_street.as_deref()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn valid() -> Address {
        Address {
            household_district: Some("110101".into()),
            household_street: Some("110101001".into()),
            ..Address::default()
        }
    }

    #[test]
    fn household_division_is_required_and_consistent() {
        let mut e = Errors::new();
        valid().validate(&mut e);
        assert!(e.is_empty(), "{e:?}");
        Address::default().validate(&mut e);
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), [FieldId::HouseholdProvince]);
        let mut e = Errors::new();
        let beijing = Address {
            household_province: Some("11".into()),
            household_city: Some("1101".into()),
            household_district: Some("110101".into()),
            ..Address::default()
        };
        beijing.validate(&mut e);
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), [FieldId::HouseholdStreet]);
        let mut e = Errors::new();
        Address { household_street: Some("110102001".into()), ..valid() }.validate(&mut e);
        assert_eq!(e[0].message_zh, "户籍地行政区划（街道/乡镇）不属于所选的区");
    }

    #[test]
    fn a_household_outside_beijing_needs_no_street_and_must_be_consistent() {
        let hebei = Address {
            household_province: Some("13".into()),
            household_city: Some("1301".into()),
            household_district: Some("130102".into()),
            residence_district: Some("110105".into()),
            residence_street: Some("110105001".into()),
            residence_address: "建国门外大街1号".into(),
            ..Address::default()
        };
        let mut e = Errors::new();
        hebei.validate(&mut e);
        assert!(e.is_empty(), "{e:?}");
        assert!(!hebei.household_in_beijing());
        assert_eq!(hebei.service_street(), Some("110105001"), "the Beijing 常住地 serves, box or not");
        // Without the Beijing 常住地 it is refused there, ticked or not.
        let mut e = Errors::new();
        Address { residence_district: None, residence_street: None, ..hebei.clone() }.validate(&mut e);
        assert_eq!(
            e.iter().map(|e| e.field).collect::<Vec<_>>(),
            [FieldId::ResidenceDistrict, FieldId::ResidenceStreet]
        );
        let mut e = Errors::new();
        Address { household_city: Some("1302".into()), ..hebei.clone() }.validate(&mut e);
        assert_eq!(e[0].field, FieldId::HouseholdDistrict);
        assert_eq!(e[0].message_zh, "户籍地行政区划（区/县）不属于所选的上一级行政区");
        #[cfg(feature = "regions")]
        {
            let mut e = Errors::new();
            Address { household_district: Some("130199".into()), ..hebei }.validate(&mut e);
            assert_eq!(e[0].message_zh, "户籍地行政区划（区/县）不是有效的区县");
        }
    }

    #[test]
    fn residence_is_required_only_when_flagged() {
        let mut e = Errors::new();
        let a = Address { residence_differs: true, ..valid() };
        a.validate(&mut e);
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, [FieldId::ResidenceDistrict, FieldId::ResidenceStreet, FieldId::ResidenceAddress]);
        assert_eq!(a.service_street(), None);
        assert_eq!(valid().service_street(), Some("110101001"));
    }
}
