//! 失业登记信息变更: the address block of 基本信息, 户口性质, 职业（工种）资格名称, 证书发放日期,
//! 职业（工种）资格技术等级 and 职称.

use super::errors::{ErrorCode, FieldError};
use super::field::FieldId;
use super::rules::{self, Errors};
use super::Context;
use crate::options::HukouNature;
use crate::registration::RegistrationChange;

impl RegistrationChange {
    /// Whether every answer reads as in `other` (a province or city left implied by the county
    /// counts as the one it implies).
    pub fn same_as(&self, other: &RegistrationChange) -> bool {
        let a = super::Answers::RegistrationChange { change: self.clone() };
        let b = super::Answers::RegistrationChange { change: other.clone() };
        crate::forms::catalogue::fields(crate::services::SectionKind::RegistrationChange)
            .iter()
            .all(|f| a.value(f.id) == b.value(f.id))
    }
}

impl RegistrationChange {
    pub fn validate(&self, errs: &mut Errors, ctx: &Context) {
        use FieldId::*;
        if ctx.records.registration.as_ref().is_some_and(|current| self.same_as(current)) {
            errs.push(FieldError::new(
                HouseholdProvince,
                ErrorCode::SameAsBefore,
                "：未作任何变更，请修改需要变更的信息后再提交",
            ));
        }
        self.address.validate_for(errs, ctx.records);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forms::{Answers, Context};
    use crate::records::Records;
    use crate::registration::Address;
    use crate::services::Bundle;

    fn current() -> RegistrationChange {
        RegistrationChange {
            // Saved before province and city were asked: they read from the county.
            address: Address {
                household_district: Some("110108".into()),
                household_street: Some("110108001".into()),
                ..Address::default()
            },
            hukou_nature: Some(HukouNature::BeijingUrban),
            ..RegistrationChange::default()
        }
    }

    #[test]
    fn a_change_starts_from_the_registration_and_must_change_something() {
        let records = Records {
            beijing_hukou: true,
            registered: true,
            registration: Some(current()),
            ..Records::default()
        };
        let ctx = Context {
            today: crate::date::Date { year: 2026, month: 11, day: 29 },
            records: &records,
            old_card_number: None,
        };
        let start = Answers::starting(Bundle::RegistrationChange, &records);
        assert_eq!(start, Answers::RegistrationChange { change: current() });
        let errors = start.validate(&ctx);
        assert!(errors.iter().any(|e| e.code == ErrorCode::SameAsBefore), "{errors:?}");
        // Choosing the province and city the county already implies is no change either.
        let mut same = start.clone();
        same.set(FieldId::HouseholdProvince, crate::forms::edit::Value::Choice(Some("11".into())));
        assert!(same.validate(&ctx).iter().any(|e| e.code == ErrorCode::SameAsBefore));
        let mut changed = start.clone();
        changed
            .set(FieldId::ProfessionalTitle, crate::forms::edit::Value::Choice(Some("intermediate".into())));
        assert!(changed.validate(&ctx).is_empty(), "{:?}", changed.validate(&ctx));
        assert_eq!(
            Answers::starting(Bundle::RegistrationChange, &Records::default()),
            Answers::new(Bundle::RegistrationChange)
        );
    }
}
