//! The sections of the single items after their short 基本信息: 失业登记注销 (注销原因),
//! 失业保险金银行账号变更 (原 account from the records, 现 account entered twice, 短信验证码 — beyond the
//! manual's list: a change of where the benefit is paid is confirmed on the registered phone), and
//! 失业保险金停发 (the benefit record read-only, 停发原因, 备注, 短信验证码).

use super::benefit_claim::Account;
use super::errors::{ErrorCode, FieldError};
use super::field::FieldId;
use super::rules::{self, Errors};
use super::Context;
use crate::cn::bank_card;
use crate::options::{CancelReason, StopReason};
use serde::{Deserialize, Serialize};

/// Longest 备注 accepted.
pub const REMARKS_MAX_CHARS: usize = 200;

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct RegistrationCancel {
    pub reason: Option<CancelReason>,
}

impl RegistrationCancel {
    pub fn validate(&self, errs: &mut Errors) {
        rules::required(errs, FieldId::CancelReason, &self.reason);
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BankAccountChange {
    pub account: Account,
    pub confirm_card_number: String,
    pub sms_code: String,
}

impl BankAccountChange {
    pub fn validate(&self, errs: &mut Errors, ctx: &Context) {
        use FieldId::*;
        let new = self.account.validate(errs, [NewBankCardType, NewBank, NewCardNumber]);
        // Compared as typed, spaces aside: a 存折 account follows its own rule, not a card's.
        let confirm = bank_card::strip_separators(&self.confirm_card_number);
        match &new {
            _ if confirm.is_empty() => errs.push(FieldError::required(ConfirmCardNumber)),
            Some(n) if &confirm != n => {
                errs.push(FieldError::new(ConfirmCardNumber, ErrorCode::Mismatch, "与现开户行卡号不一致"))
            }
            _ => {}
        }
        rules::sms_code(errs, SmsCode, &self.sms_code);
        let Some(new) = new else { return };
        // The server knows the old number; the app only its mask, which is enough to catch a repeat.
        let same = match (ctx.old_card_number, &ctx.records.benefit) {
            (Some(old), _) => old == new,
            (None, Some(b)) => bank_card::mask(&new) == b.card_masked,
            (None, None) => false,
        };
        if same {
            errs.push(FieldError::new(
                NewCardNumber,
                ErrorCode::SameAsBefore,
                "与原开户行卡号相同，无需变更",
            ));
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
pub struct BenefitStop {
    pub reason: Option<StopReason>,
    pub remarks: String,
    pub sms_code: String,
}

impl BenefitStop {
    pub fn validate(&self, errs: &mut Errors, ctx: &Context) {
        use FieldId::*;
        let reason = rules::required(errs, StopReason, &self.reason);
        let other = reason == Some(&self::StopReason::Other);
        rules::text(errs, Remarks, &self.remarks, other, REMARKS_MAX_CHARS);
        rules::sms_code(errs, SmsCode, &self.sms_code);
        match &ctx.records.benefit {
            None => errs.push(FieldError::new(
                MonthsReceived,
                ErrorCode::Invalid,
                "：未查询到您正在领取失业保险金的记录",
            )),
            Some(b) if b.months_received > b.months_entitled => errs.push(FieldError::new(
                MonthsReceived,
                ErrorCode::OutOfRange,
                &format!(
                    "（{}个月）不能超过可享受月数（{}个月），请联系经办机构核实",
                    b.months_received, b.months_entitled
                ),
            )),
            Some(_) => {}
        }
    }
}
