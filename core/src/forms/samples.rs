//! Complete, valid answers for a person registered in 朝阳区建外街道: what demos and the tests of
//! every crate submit, written once.

use super::benefit_claim::{Account, BenefitClaim};
use super::job_seeking::JobSeeking;
use super::registration::Registration;
use super::single_items::BankAccountChange;
use super::Answers;
use crate::options::*;
use crate::registration::Address;

/// 户籍地: 朝阳区 建外街道.
pub fn address() -> Address {
    Address {
        household_district: Some("110105".into()),
        household_street: Some("110105001".into()),
        ..Address::default()
    }
}

/// Seeking work as 计算机软件工程技术人员 in 海淀区.
pub fn job_seeking_section(form: EmploymentForm, pay_type: PayType, pay_min: &str) -> JobSeeking {
    JobSeeking {
        work_district: Some("110108".into()),
        job_title: Some("2-02-10-03".into()),
        employment_form: Some(form),
        pay_type: Some(pay_type),
        pay_min: pay_min.into(),
        pay_max: String::new(),
    }
}

/// 求职登记 alone, part-time at an hourly rate.
pub fn job_seeking(pay_min: &str) -> Answers {
    Answers::JobSeeking {
        basic: address(),
        job_seeking: job_seeking_section(EmploymentForm::PartTime, PayType::Hourly, pay_min),
    }
}

/// The three-item claim bundle, benefit paid to `card_number` (the person confirmed the number).
pub fn benefit_claim(card_number: &str) -> Answers {
    Answers::BenefitClaimJoint {
        basic: address(),
        job_seeking: job_seeking_section(EmploymentForm::FullTime, PayType::Monthly, "15000"),
        registration: Registration {
            person_type: Some(UnemployedPersonType::EnterpriseTerminated),
            special_identities: Vec::new(),
            agency: Some("S110105001".into()),
        },
        claim: BenefitClaim {
            account: Account {
                card_type: Some(BankCardType::DebitCard),
                bank: Some("ICBC".into()),
                card_number: card_number.into(),
                luhn_confirmed: true,
                bank_suggested: false,
            },
            record_confirmed: true,
        },
    }
}

/// 失业保险金银行账号变更 to a 建设银行 debit card `new`, confirmed as `confirm`, with a well-formed
/// SMS code (which no server sent).
pub fn bank_change(new: &str, confirm: &str) -> Answers {
    Answers::BankAccountChange {
        bank_change: BankAccountChange {
            account: Account {
                card_type: Some(BankCardType::DebitCard),
                bank: Some("CCB".into()),
                card_number: new.into(),
                luhn_confirmed: true,
                bank_suggested: false,
            },
            confirm_card_number: confirm.into(),
            sms_code: "000000".into(),
        },
    }
}
