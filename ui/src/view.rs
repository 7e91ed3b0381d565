//! View logic without a browser: element ids, read-only values from the identity platform and the
//! records, times in Beijing, and which step a field is on. Unit-tested natively.

use shiye_core::code;
use shiye_core::date::Date;
use shiye_core::forms::catalogue::Source;
use shiye_core::forms::FieldId;
use shiye_core::ipc::BasicInfo;
use shiye_core::records::Records;
use shiye_core::reference::banks;

/// The id of a field's input, which labels, error links and tests refer to.
pub fn field_id(field: FieldId) -> String {
    format!("f-{}", code::of(&field))
}

pub fn error_id(field: FieldId) -> String {
    format!("e-{}", code::of(&field))
}

/// A value that is shown, not typed: from the identity platform or from the records.
pub fn read_only(field: FieldId, basic: &BasicInfo, records: &Records) -> Option<String> {
    use FieldId as F;
    let c = records.contribution.as_ref();
    let b = records.benefit.as_ref();
    Some(match field {
        F::Name => basic.name.clone(),
        F::IdType => basic.id_type.label_zh().into(),
        F::IdNumber => basic.id_number_masked.clone(),
        F::Phone => basic.phone_masked.clone(),
        F::Gender => basic.gender.label_zh().into(),
        F::BirthDate => basic.birth_date.clone(),
        F::SeparationReason => c?.separation_reason.label_zh().into(),
        F::ContributionMonths => format!("{}个月", c?.contribution_months),
        F::LastEmployer => c?.last_employer.clone(),
        F::LastContributionDate => c?.last_contribution_date.to_string(),
        F::MonthsReceived => format!("{}个月", b?.months_received),
        F::ClaimDate => b?.claim_date.to_string(),
        F::MonthsEntitled => format!("{}个月", b?.months_entitled),
        F::OldBankCardType => b?.card_type.label_zh().into(),
        F::OldBank => {
            banks::by_code(&b?.bank_code).map(|k| k.name.to_string()).unwrap_or(b?.bank_code.clone())
        }
        F::OldCardNumber => b?.card_masked.clone(),
        _ => return None,
    })
}

/// Whether a field is shown, not typed.
pub fn is_read_only(source: Source) -> bool {
    source != Source::Entered
}

pub use shiye_core::forms::catalogue::step_of;

const BEIJING_OFFSET_SECS: i64 = 8 * 3600;

/// "HH:MM" in Beijing time.
pub fn hhmm(unix: i64) -> String {
    let secs = (unix + BEIJING_OFFSET_SECS).rem_euclid(86_400);
    format!("{:02}:{:02}", secs / 3600, secs % 3600 / 60)
}

/// "YYYY-MM-DD HH:MM" in Beijing time.
pub fn date_time(unix: i64) -> String {
    match Date::beijing_from_unix(unix) {
        Some(d) => format!("{d} {}", hhmm(unix)),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiye_core::services::Bundle;

    #[test]
    fn ids_are_stable_snake_case() {
        assert_eq!(field_id(FieldId::HouseholdDistrict), "f-household_district");
        assert_eq!(error_id(FieldId::SmsCode), "e-sms_code");
    }

    #[test]
    fn beijing_time() {
        // 2026-11-27 02:45 UTC is 10:45 in Beijing.
        assert_eq!(hhmm(1_795_747_500), "10:45");
        assert_eq!(date_time(1_795_747_500), "2026-11-27 10:45");
    }

    #[test]
    fn identity_fields_show_masked_numbers() {
        let basic = shiye_core::ipc::samples::basic_info();
        let r = Records::default();
        assert_eq!(read_only(FieldId::IdNumber, &basic, &r).as_deref(), Some("110105********0015"));
        assert_eq!(read_only(FieldId::ContributionMonths, &basic, &r), None, "no record, nothing shown");
        assert_eq!(read_only(FieldId::CancelReason, &basic, &r), None);
    }

    #[test]
    fn fields_map_to_their_step() {
        assert_eq!(step_of(Bundle::BenefitClaimJoint, FieldId::BankCardNumber), Some(3));
        assert_eq!(step_of(Bundle::BenefitStop, FieldId::SmsCode), Some(1));
    }
}
