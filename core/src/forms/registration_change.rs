//! 失业登记信息变更: the address block of 基本信息, 户口性质, 职业（工种）资格名称, 证书发放日期,
//! 职业（工种）资格技术等级 and 职称.

use super::address::Address;
use super::errors::{ErrorCode, FieldError};
use super::field::FieldId;
use super::options::{HukouNature, ProfessionalTitle, SkillLevel};
use super::rules::{self, Errors};
use super::Context;
use serde::{Deserialize, Serialize};

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

impl RegistrationChange {
    pub fn validate(&self, errs: &mut Errors, ctx: &Context) {
        use FieldId::*;
        self.address.validate(errs);
        if let Some(n) = rules::required(errs, HukouNature, &self.hukou_nature) {
            let beijing = matches!(n, self::HukouNature::BeijingUrban | self::HukouNature::BeijingRural);
            if beijing != ctx.records.beijing_hukou {
                errs.push(FieldError::new(HukouNature, ErrorCode::Mismatch, "与您的户籍记录不符"));
            }
        }
        // A qualification needs its date and level; without one, neither may be given.
        if rules::text(errs, QualificationName, &self.qualification_name, false, 50).is_some() {
            rules::past_date(errs, CertificateDate, &self.certificate_date, true, ctx.today);
            rules::required(errs, SkillLevel, &self.skill_level);
        } else if !self.certificate_date.trim().is_empty() || self.skill_level.is_some() {
            errs.push(FieldError::new(
                QualificationName,
                ErrorCode::Required,
                "：填写证书发放日期或技术等级时须填写资格名称",
            ));
        }
    }
}
