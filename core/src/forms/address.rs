//! 基本信息 as entered: 户籍地行政区划 (district then street), 户籍地详细地址, and, when
//! 户籍地与常住地不一致, 常住地行政区划 and 常住地详细地址. (姓名, 证件, 电话, 性别, 出生日期 come
//! from the identity platform and are not part of the form.)

use super::errors::{ErrorCode, FieldError};
use super::field::FieldId;
use super::rules::{self, Errors};
use crate::reference::divisions;
use serde::{Deserialize, Serialize};

/// Longest 详细地址 accepted.
pub const ADDRESS_MAX_CHARS: usize = 100;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Address {
    pub household_district: Option<String>,
    pub household_street: Option<String>,
    pub household_address: String,
    pub residence_differs: bool,
    pub residence_district: Option<String>,
    pub residence_street: Option<String>,
    pub residence_address: String,
}

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
        Some(s) if divisions::street(s).is_none_or(|s| s.district != d) => {
            errs.push(FieldError::new(fields.1, ErrorCode::NotAnOption, "不属于所选的区"));
        }
        _ => {}
    }
}

impl Address {
    pub fn validate(&self, errs: &mut Errors) {
        use FieldId::*;
        division(
            errs,
            (HouseholdDistrict, HouseholdStreet),
            &self.household_district,
            &self.household_street,
        );
        rules::text(errs, HouseholdAddress, &self.household_address, false, ADDRESS_MAX_CHARS);
        if self.residence_differs {
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
        if self.residence_differs {
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
        assert_eq!(
            e.iter().map(|e| e.field).collect::<Vec<_>>(),
            [FieldId::HouseholdDistrict, FieldId::HouseholdStreet]
        );
        let mut e = Errors::new();
        Address { household_street: Some("110102001".into()), ..valid() }.validate(&mut e);
        assert_eq!(e[0].message_zh, "户籍地行政区划（街道/乡镇）不属于所选的区");
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
