//! The data of a 失业登记 as it stands and as it is changed: where the person is registered
//! (`Address`, also 基本信息's address block) and the changeable facts (`RegistrationChange`). The
//! records hold it and the forms edit it; its checks live with the forms (`forms::address`,
//! `forms::registration_change`).

use crate::options::{HukouNature, ProfessionalTitle, SkillLevel};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Address {
    /// 2-digit province code. Absent in answers saved before 户籍地 could be outside Beijing:
    /// then it is the county code's prefix.
    pub household_province: Option<String>,
    /// 4-digit city code (likewise).
    pub household_city: Option<String>,
    /// 6-digit county code, anywhere in mainland China.
    pub household_district: Option<String>,
    /// 9-digit 街道/乡镇 code; only for a Beijing 户籍 (the table has Beijing's).
    pub household_street: Option<String>,
    pub household_address: String,
    pub residence_differs: bool,
    pub residence_district: Option<String>,
    pub residence_street: Option<String>,
    pub residence_address: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RegistrationChange {
    pub address: Address,
    pub hukou_nature: Option<HukouNature>,
    pub qualification_name: String,
    /// YYYY-MM-DD, as typed.
    pub certificate_date: String,
    pub skill_level: Option<SkillLevel>,
    pub professional_title: Option<ProfessionalTitle>,
}
