//! 失业登记申请信息: 失业人员类型, 特殊身份 (Beijing 户籍 only, for 就业困难人员认定) and the
//! 服务机构 that serves the person's street.

use super::errors::{ErrorCode, FieldError};
use super::field::FieldId;
use super::rules::{self, Errors};
use super::Context;
use crate::options::{SpecialIdentity, UnemployedPersonType};
use crate::reference::agencies;
use crate::registration::Address;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Registration {
    pub person_type: Option<UnemployedPersonType>,
    pub special_identities: Vec<SpecialIdentity>,
    /// An agency id from the reference data.
    pub agency: Option<String>,
}

impl Registration {
    pub fn validate(&self, errs: &mut Errors, ctx: &Context, address: &Address) {
        use FieldId::*;
        rules::required(errs, UnemployedPersonType, &self.person_type);
        if !self.special_identities.is_empty() && !ctx.records.beijing_hukou {
            errs.push(FieldError::new(SpecialIdentity, ErrorCode::NotOffered, "仅限本市户籍人员选择"));
        }
        let mut seen = Vec::new();
        for s in &self.special_identities {
            if seen.contains(s) {
                errs.push(FieldError::new(SpecialIdentity, ErrorCode::Invalid, "不能重复选择"));
                break;
            }
            seen.push(*s);
        }
        if let Some(agency) = rules::required(errs, ServiceAgency, &self.agency) {
            match address.service_street() {
                Some(_) if !agencies::exists(agency) => {
                    errs.push(FieldError::new(
                        ServiceAgency,
                        ErrorCode::NotOffered,
                        "已调整或撤销，请重新选择",
                    ));
                }
                Some(street) if !agencies::serves(agency, street) => {
                    errs.push(FieldError::new(
                        ServiceAgency,
                        ErrorCode::NotOffered,
                        "不服务于您所在的街道（乡镇），请重新选择",
                    ));
                }
                None => errs.push(FieldError::new(
                    ServiceAgency,
                    ErrorCode::Invalid,
                    "：请先在基本信息中选择街道（乡镇）",
                )),
                _ => {}
            }
        }
    }
}
