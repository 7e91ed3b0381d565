//! The reference tables in use as one `ReferenceData` value (agencies as installed, else the
//! bundled snapshot): what the server answers at `/api/v1/reference`.

use crate::options::NamedEntry;
use crate::options::*;
use crate::reference::agencies::AgencyEntry;
use crate::reference::{agencies, banks};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// `GET /api/v1/reference`: the tables the forms choose from, as the server knows them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReferenceData {
    pub agencies: Vec<AgencyEntry>,
    pub banks: Vec<NamedEntry>,
    /// Option list name (e.g. `cancel_reason`) → (wire value, label) in display order.
    pub options: BTreeMap<String, Vec<NamedEntry>>,
}

pub fn snapshot() -> ReferenceData {
    let mut options = BTreeMap::new();
    options.insert("employment_form".into(), entries(EmploymentForm::ALL, EmploymentForm::label_zh));
    options.insert("pay_type".into(), entries(PayType::ALL, PayType::label_zh));
    options.insert(
        "unemployed_person_type".into(),
        entries(UnemployedPersonType::ALL, UnemployedPersonType::label_zh),
    );
    options.insert("special_identity".into(), entries(SpecialIdentity::ALL, SpecialIdentity::label_zh));
    options.insert("hukou_nature".into(), entries(HukouNature::ALL, HukouNature::label_zh));
    options.insert("skill_level".into(), entries(SkillLevel::ALL, SkillLevel::label_zh));
    options.insert("professional_title".into(), entries(ProfessionalTitle::ALL, ProfessionalTitle::label_zh));
    options.insert("cancel_reason".into(), entries(CancelReason::ALL, CancelReason::label_zh));
    options.insert("stop_reason".into(), entries(StopReason::ALL, StopReason::label_zh));
    options.insert("bank_card_type".into(), entries(BankCardType::ALL, BankCardType::label_zh));
    ReferenceData {
        agencies: agencies::all(),
        banks: banks::all().map(|b| NamedEntry { code: b.code.into(), name: b.name.into() }).collect(),
        options,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_street_is_served_and_every_list_is_there() {
        let r = super::snapshot();
        assert_eq!(r.agencies.len(), 349 + 16);
        assert_eq!(r.options.len(), 10);
        assert_eq!(r.options["cancel_reason"][0].code, "employed");
        assert!(r.banks.iter().any(|b| b.name == "中国工商银行"));
    }
}
