//! 失业保险金申领信息: the account (银行卡类型, 开户行, 银行卡号 — the person's own) and the
//! confirmation of the contribution record shown read-only.

use super::errors::{ErrorCode, FieldError};
use super::field::FieldId;
use super::rules::{self, Errors};
use super::Context;
use crate::options::BankCardType;
use crate::reference::banks;
use serde::{Deserialize, Serialize};

/// What the manual tells the person to do if the record is wrong.
pub const DISPUTE_NOTE_ZH: &str = "如申请人对以下信息有异议，联系原参保缴费单位或者原存档机构进行核实。";

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct Account {
    pub card_type: Option<BankCardType>,
    /// A bank code of the reference data.
    pub bank: Option<String>,
    pub card_number: String,
    /// The person confirmed a number that fails the Luhn check.
    pub luhn_confirmed: bool,
    /// 开户行 was filled from the card number's prefix, not chosen by the person: it follows the
    /// number until they choose.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub bank_suggested: bool,
}

impl Account {
    /// Checks the account under the given field names (the claim's, or the bank change's 现…).
    pub fn validate(&self, errs: &mut Errors, fields: [FieldId; 3]) -> Option<String> {
        rules::required(errs, fields[0], &self.card_type);
        if let Some(code) = rules::required(errs, fields[1], &self.bank) {
            // Without the table (the page before it has loaded) the code's shape is checked.
            if !banks::acceptable(code) {
                errs.push(FieldError::new(
                    fields[1],
                    ErrorCode::NotAnOption,
                    "不在银行列表中，请从列表中选择",
                ));
            }
        }
        let passbook = self.card_type == Some(BankCardType::Passbook);
        rules::card_number(errs, fields[2], &self.card_number, self.luhn_confirmed, passbook)
    }

    /// The account number as kept once approved: a 存折 account by its own rule (8–25 digits), a
    /// card by the card rule; `None` if it follows neither.
    pub fn normalized_number(&self) -> Option<String> {
        let rule = match self.card_type {
            Some(BankCardType::Passbook) => crate::cn::bank_card::normalize_passbook,
            _ => crate::cn::bank_card::normalize,
        };
        rule(&self.card_number).ok()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BenefitClaim {
    pub account: Account,
    /// The person read the record and confirmed it.
    pub record_confirmed: bool,
}

impl BenefitClaim {
    pub fn validate(&self, errs: &mut Errors, ctx: &Context) {
        use FieldId::*;
        self.account.validate(errs, [BankCardType, Bank, BankCardNumber]);
        if ctx.records.contribution.is_none() {
            errs.push(FieldError::new(
                ContributionMonths,
                ErrorCode::Invalid,
                "：未查询到您的失业保险缴费记录",
            ));
        }
        if !self.record_confirmed {
            errs.push(FieldError::required(RecordConfirmed));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account(card_type: BankCardType, number: &str) -> Vec<FieldError> {
        let mut e = Errors::new();
        Account {
            card_type: Some(card_type),
            bank: Some("ICBC".into()),
            card_number: number.into(),
            ..Account::default()
        }
        .validate(&mut e, [FieldId::BankCardType, FieldId::Bank, FieldId::BankCardNumber]);
        e
    }

    #[test]
    fn a_passbook_number_is_held_to_its_own_rule() {
        // 12 digits: too short for a card, a fine passbook account; no Luhn warning for a passbook.
        assert!(account(BankCardType::Passbook, "0200 1234 5678").is_empty());
        assert_eq!(account(BankCardType::DebitCard, "020012345678")[0].code, ErrorCode::Invalid);
        assert_eq!(
            account(BankCardType::Passbook, "1234567")[0].message_zh,
            "银行卡号应为8至25位数字（存折账号）"
        );
        let warned = account(BankCardType::DebitCard, "6212260200000000015");
        assert_eq!(warned[0].code, ErrorCode::Suspicious);
        assert!(account(BankCardType::Passbook, "6212260200000000015").is_empty());
    }
}
