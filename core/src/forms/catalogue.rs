//! What the UI needs to render each section: its fields in order, where each value comes from
//! (identity platform, the person's records, or typed by the person), and whether it is required.

use super::field::FieldId;
use crate::services::SectionKind;

/// Where a field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// 自动调用北京市统一身份认证平台信息: shown read-only.
    Identity,
    /// From the service's records (缴费记录, 领取记录): shown read-only.
    Records,
    /// Typed or chosen by the person.
    Entered,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    Required,
    Optional,
    /// Required only in a situation the section's rules name (e.g. 常住地 when flagged).
    Conditional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// A choice from an option list or a reference table.
    Choice,
    /// Several choices.
    MultiChoice,
    Checkbox,
    Date,
    Amount,
    /// Digits: card numbers, codes.
    Digits,
    /// Whole months.
    Months,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    pub id: FieldId,
    pub kind: Kind,
    pub source: Source,
    pub need: Need,
}

const fn f(id: FieldId, kind: Kind, source: Source, need: Need) -> FieldSpec {
    FieldSpec { id, kind, source, need }
}

use FieldId as F;
use Kind::*;
use Need::*;
use Source::*;

const IDENTITY_SHORT: [FieldSpec; 4] = [
    f(F::Name, Text, Identity, Required),
    f(F::IdType, Choice, Identity, Required),
    f(F::IdNumber, Text, Identity, Required),
    f(F::Phone, Text, Identity, Required),
];

const ADDRESS: [FieldSpec; 9] = [
    f(F::HouseholdProvince, Choice, Entered, Required),
    f(F::HouseholdCity, Choice, Entered, Required),
    f(F::HouseholdDistrict, Choice, Entered, Required),
    // Only for a Beijing 户籍: the table has Beijing's 街道/乡镇.
    f(F::HouseholdStreet, Choice, Entered, Conditional),
    f(F::HouseholdAddress, Text, Entered, Optional),
    f(F::ResidenceDiffers, Checkbox, Entered, Optional),
    f(F::ResidenceDistrict, Choice, Entered, Conditional),
    f(F::ResidenceStreet, Choice, Entered, Conditional),
    f(F::ResidenceAddress, Text, Entered, Conditional),
];

const IDENTITY_PERSONAL: [FieldSpec; 2] =
    [f(F::Gender, Choice, Identity, Required), f(F::BirthDate, Date, Identity, Required)];

const JOB_SEEKING: [FieldSpec; 6] = [
    f(F::WorkDistrict, Choice, Entered, Required),
    f(F::JobTitle, Choice, Entered, Required),
    f(F::EmploymentForm, Choice, Entered, Required),
    f(F::PayType, Choice, Entered, Required),
    f(F::PayMin, Amount, Entered, Optional),
    f(F::PayMax, Amount, Entered, Optional),
];

const REGISTRATION: [FieldSpec; 3] = [
    f(F::UnemployedPersonType, Choice, Entered, Required),
    // Offered only to persons with a Beijing 户籍.
    f(F::SpecialIdentity, MultiChoice, Entered, Conditional),
    f(F::ServiceAgency, Choice, Entered, Required),
];

const BENEFIT_CLAIM: [FieldSpec; 8] = [
    f(F::BankCardType, Choice, Entered, Required),
    f(F::Bank, Choice, Entered, Required),
    f(F::BankCardNumber, Digits, Entered, Required),
    f(F::SeparationReason, Text, Records, Required),
    f(F::ContributionMonths, Months, Records, Required),
    f(F::LastEmployer, Text, Records, Required),
    f(F::LastContributionDate, Date, Records, Required),
    f(F::RecordConfirmed, Checkbox, Entered, Required),
];

const REGISTRATION_CHANGE: [FieldSpec; 5] = [
    f(F::HukouNature, Choice, Entered, Required),
    // Required once a 证书发放日期 or 技术等级 is given.
    f(F::QualificationName, Text, Entered, Conditional),
    f(F::CertificateDate, Date, Entered, Conditional),
    f(F::SkillLevel, Choice, Entered, Conditional),
    f(F::ProfessionalTitle, Choice, Entered, Optional),
];

const CANCEL: [FieldSpec; 1] = [f(F::CancelReason, Choice, Entered, Required)];

const BANK_CHANGE: [FieldSpec; 8] = [
    f(F::OldBankCardType, Choice, Records, Required),
    f(F::OldBank, Choice, Records, Required),
    f(F::OldCardNumber, Digits, Records, Required),
    f(F::NewBankCardType, Choice, Entered, Required),
    f(F::NewBank, Choice, Entered, Required),
    f(F::NewCardNumber, Digits, Entered, Required),
    f(F::ConfirmCardNumber, Digits, Entered, Required),
    // Not in the manual's list: a change of where the benefit is paid is confirmed on the phone.
    f(F::SmsCode, Digits, Entered, Required),
];

const STOP: [FieldSpec; 6] = [
    f(F::MonthsReceived, Months, Records, Required),
    f(F::ClaimDate, Date, Records, Required),
    f(F::MonthsEntitled, Months, Records, Required),
    f(F::StopReason, Choice, Entered, Required),
    // Required when 停发原因 is 其他情形.
    f(F::Remarks, Text, Entered, Conditional),
    f(F::SmsCode, Digits, Entered, Required),
];

/// The fields of a section, in the order the manual lists them.
pub fn fields(section: SectionKind) -> Vec<FieldSpec> {
    match section {
        SectionKind::BasicInfo => [&IDENTITY_SHORT[..], &IDENTITY_PERSONAL, &ADDRESS].concat(),
        SectionKind::BasicInfoShort => IDENTITY_SHORT.to_vec(),
        SectionKind::JobSeeking => JOB_SEEKING.to_vec(),
        SectionKind::Registration => REGISTRATION.to_vec(),
        SectionKind::BenefitClaim => BENEFIT_CLAIM.to_vec(),
        SectionKind::RegistrationChange => {
            [&IDENTITY_SHORT[..], &IDENTITY_PERSONAL, &ADDRESS, &REGISTRATION_CHANGE].concat()
        }
        SectionKind::RegistrationCancel => CANCEL.to_vec(),
        SectionKind::BankAccountChange => BANK_CHANGE.to_vec(),
        SectionKind::BenefitStop => STOP.to_vec(),
    }
}

/// The wizard step (section index) of a bundle that holds `field`.
pub fn step_of(bundle: crate::services::Bundle, field: FieldId) -> Option<usize> {
    bundle.sections().iter().position(|s| fields(*s).iter().any(|f| f.id == field))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::services::Bundle;

    #[test]
    fn every_field_belongs_to_a_section() {
        let sections = Bundle::ALL.iter().flat_map(|b| b.sections().iter().copied()).collect::<Vec<_>>();
        for id in FieldId::ALL {
            assert!(
                sections.iter().any(|s| fields(*s).iter().any(|f| f.id == *id)),
                "{id:?} is in no section"
            );
        }
    }

    #[test]
    fn the_manuals_short_basic_info_is_name_id_and_phone() {
        let labels: Vec<_> = fields(SectionKind::BasicInfoShort).iter().map(|f| f.id.label_zh()).collect();
        assert_eq!(labels, ["姓名", "证件类型", "证件号码", "电话"]);
        assert!(fields(SectionKind::BasicInfoShort).iter().all(|f| f.source == Source::Identity));
    }
}
