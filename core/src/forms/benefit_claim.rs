//! 失业保险金申领信息: the account (银行卡类型, 开户行, 银行卡号 — the person's own) and the
//! confirmation of the contribution record shown read-only.

use super::errors::{ErrorCode, FieldError};
use super::field::FieldId;
use super::options::BankCardType;
use super::rules::{self, Errors};
use super::Context;
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
}

impl Account {
    /// Checks the account under the given field names (the claim's, or the bank change's 现…).
    pub fn validate(&self, errs: &mut Errors, fields: [FieldId; 3]) -> Option<String> {
        rules::required(errs, fields[0], &self.card_type);
        if let Some(code) = rules::required(errs, fields[1], &self.bank) {
            if banks::by_code(code).is_none() {
                errs.push(FieldError::new(
                    fields[1],
                    ErrorCode::NotAnOption,
                    "不在银行列表中，请从列表中选择",
                ));
            }
        }
        rules::card_number(errs, fields[2], &self.card_number, self.luhn_confirmed)
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
