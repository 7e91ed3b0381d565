//! Records used by the unit tests of several modules.

use crate::date::Date;
use crate::options::BankCardType;
use crate::records::{BenefitRecord, ContributionRecord, Records, SeparationReason};

pub fn contribution(months: u32, reason: SeparationReason) -> ContributionRecord {
    ContributionRecord {
        separation_reason: reason,
        contribution_months: months,
        last_employer: "北京某科技有限公司".into(),
        last_contribution_date: Date::new(2026, 10, 31).unwrap(),
    }
}

pub fn benefit() -> BenefitRecord {
    BenefitRecord {
        claim_date: Date::new(2026, 6, 1).unwrap(),
        months_entitled: 12,
        months_received: 5,
        card_type: BankCardType::DebitCard,
        bank_code: "ICBC".into(),
        card_masked: "6212***********0006".into(),
    }
}

/// Newly unemployed: contributions, no registration, no benefit.
pub fn fresh(months: u32, reason: SeparationReason) -> Records {
    Records {
        beijing_hukou: true,
        registered: false,
        open_claim: false,
        contribution: Some(contribution(months, reason)),
        benefit: None,
        registration: None,
        foreign_national: false,
    }
}

/// Registered and receiving benefit.
pub fn receiving(beijing_hukou: bool) -> Records {
    Records {
        beijing_hukou,
        registered: true,
        benefit: Some(benefit()),
        ..fresh(40, SeparationReason::DismissedByEmployer)
    }
}
