//! Field checks shared by the sections: required choices, text lengths, amounts, dates, card
//! numbers and SMS codes. Each pushes `FieldError`s and returns the cleaned value when usable.

use super::errors::{ErrorCode, FieldError};
use super::field::FieldId;
use crate::cn::bank_card;
use crate::date::Date;

pub type Errors = Vec<FieldError>;

/// A choice that must be made.
pub fn required<'v, T>(errs: &mut Errors, field: FieldId, value: &'v Option<T>) -> Option<&'v T> {
    if value.is_none() {
        errs.push(FieldError::required(field));
    }
    value.as_ref()
}

/// Free text: trimmed, at most `max` characters, required or not. Returns the trimmed text if non-empty.
pub fn text<'v>(
    errs: &mut Errors,
    field: FieldId,
    value: &'v str,
    required: bool,
    max: usize,
) -> Option<&'v str> {
    let t = value.trim();
    if t.is_empty() {
        if required {
            errs.push(FieldError::required(field));
        }
        return None;
    }
    if t.chars().count() > max {
        errs.push(FieldError::new(field, ErrorCode::TooLong, &format!("不能超过{max}个字")));
        return None;
    }
    if t.chars().any(|c| c.is_control()) {
        errs.push(FieldError::new(field, ErrorCode::Invalid, "不能包含控制字符"));
        return None;
    }
    Some(t)
}

/// An amount in yuan with at most two decimals, above zero and at most `max_yuan`; in fen.
pub fn amount(errs: &mut Errors, field: FieldId, value: &str, required: bool, max_yuan: u64) -> Option<u64> {
    let t = value.trim();
    if t.is_empty() {
        if required {
            errs.push(FieldError::required(field));
        }
        return None;
    }
    let (int, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits_ok = !int.is_empty()
        && int.len() <= 12
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 2
        && frac.bytes().all(|b| b.is_ascii_digit());
    if !digits_ok {
        errs.push(FieldError::new(field, ErrorCode::Invalid, "应为金额（元），最多两位小数"));
        return None;
    }
    let fen = int.parse::<u64>().ok()? * 100 + format!("{frac:0<2}").parse::<u64>().ok()?;
    if fen == 0 || fen > max_yuan * 100 {
        errs.push(FieldError::new(field, ErrorCode::OutOfRange, &format!("应大于0且不超过{max_yuan}元")));
        return None;
    }
    Some(fen)
}

/// A date (YYYY-MM-DD) that is not after `today`.
pub fn past_date(
    errs: &mut Errors,
    field: FieldId,
    value: &str,
    required: bool,
    today: Date,
) -> Option<Date> {
    let t = value.trim();
    if t.is_empty() {
        if required {
            errs.push(FieldError::required(field));
        }
        return None;
    }
    match Date::parse_iso(t) {
        None => {
            errs.push(FieldError::new(
                field,
                ErrorCode::Invalid,
                "不是有效日期（格式为年-月-日，如2024-05-01）",
            ));
            None
        }
        Some(d) if d > today => {
            errs.push(FieldError::new(field, ErrorCode::OutOfRange, "不能晚于今天"));
            None
        }
        Some(d) => Some(d),
    }
}

/// A 银行卡号 (a failed Luhn check is a warning unless the person confirmed it), or with `passbook`
/// a 存折 account number (its own length rule, no Luhn check).
pub fn card_number(
    errs: &mut Errors,
    field: FieldId,
    value: &str,
    luhn_confirmed: bool,
    passbook: bool,
) -> Option<String> {
    let normalized =
        if passbook { bank_card::normalize_passbook(value) } else { bank_card::normalize(value) };
    match normalized {
        Err(_) if value.trim().is_empty() => {
            errs.push(FieldError::required(field));
            None
        }
        Err(detail) => {
            errs.push(FieldError::new(field, ErrorCode::Invalid, detail));
            None
        }
        Ok(digits) => {
            if !passbook && !luhn_confirmed && !bank_card::luhn_ok(&digits) {
                errs.push(
                    FieldError::new(
                        field,
                        ErrorCode::Suspicious,
                        "未通过校验，请核对；如确认无误，请勾选“卡号无误”后继续",
                    )
                    .warning(),
                );
            }
            Some(digits)
        }
    }
}

/// A 6-digit SMS verification code.
pub fn sms_code(errs: &mut Errors, field: FieldId, value: &str) {
    let t = value.trim();
    if t.is_empty() {
        errs.push(FieldError::required(field));
    } else if t.len() != 6 || !t.bytes().all(|b| b.is_ascii_digit()) {
        errs.push(FieldError::new(field, ErrorCode::Invalid, "应为6位数字"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_in_fen() {
        let mut e = Errors::new();
        assert_eq!(amount(&mut e, FieldId::PayMin, "8000", true, 1_000_000), Some(800_000));
        assert_eq!(amount(&mut e, FieldId::PayMin, "12.5", true, 1_000_000), Some(1_250));
        assert!(e.is_empty());
        assert_eq!(amount(&mut e, FieldId::PayMin, "12.555", true, 100), None);
        assert_eq!(amount(&mut e, FieldId::PayMin, "-1", true, 100), None);
        assert_eq!(amount(&mut e, FieldId::PayMin, "0", true, 100), None);
        assert_eq!(amount(&mut e, FieldId::PayMin, "101", true, 100), None);
        assert_eq!(amount(&mut e, FieldId::PayMin, "", false, 100), None);
        assert_eq!(e.len(), 4);
        assert_eq!(e[0].message_zh, "期望薪酬（最低）应为金额（元），最多两位小数");
    }

    #[test]
    fn texts_dates_and_codes() {
        let mut e = Errors::new();
        assert_eq!(text(&mut e, FieldId::Remarks, "  好  ", true, 2), Some("好"));
        assert_eq!(text(&mut e, FieldId::Remarks, "太长了", true, 2), None);
        let today = Date::new(2026, 11, 27).unwrap();
        assert!(past_date(&mut e, FieldId::CertificateDate, "2027-01-01", true, today).is_none());
        assert!(past_date(&mut e, FieldId::CertificateDate, "2020-02-30", true, today).is_none());
        sms_code(&mut e, FieldId::SmsCode, "12345a");
        assert_eq!(e.len(), 4);
        assert_eq!(e[3].message_zh, "短信验证码应为6位数字");
    }

    #[test]
    fn luhn_failure_is_a_confirmable_warning() {
        let mut e = Errors::new();
        assert!(
            card_number(&mut e, FieldId::BankCardNumber, "6212 2602 0000 0000 001", false, false).is_some()
        );
        assert_eq!(e[0].severity, super::super::errors::Severity::Warning);
        let mut e = Errors::new();
        card_number(&mut e, FieldId::BankCardNumber, "6212260200000000001", true, false);
        assert!(e.is_empty());
    }
}
