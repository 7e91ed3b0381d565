//! How the values a person does not type read: what the identity platform says of them
//! (`BasicInfo`) and what the service's records hold, per field of the catalogue. The wizard, the
//! check page and the receipt show them the same way.

use crate::forms::FieldId;
use crate::ipc::BasicInfo;
use crate::records::Records;
use crate::reference::banks;

/// The shown value of a read-only field, or `None` when the field is not one or the record it
/// reads is absent.
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
        F::OldBank => banks::name_of(&b?.bank_code).unwrap_or(b?.bank_code.clone()),
        F::OldCardNumber => b?.card_masked.clone(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_fields_show_masked_numbers() {
        let basic = crate::ipc::samples::basic_info();
        let r = Records::default();
        assert_eq!(read_only(FieldId::IdNumber, &basic, &r).as_deref(), Some("110105********0015"));
        assert_eq!(read_only(FieldId::ContributionMonths, &basic, &r), None, "no record, nothing shown");
        assert_eq!(read_only(FieldId::CancelReason, &basic, &r), None);
    }
}
