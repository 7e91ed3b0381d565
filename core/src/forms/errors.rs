//! Validation results as data: which field, what kind of fault, and the Chinese message that names
//! the field and the fault. The UI shows them, the app refuses to queue with them, the server
//! answers 422 with them.

use super::field::FieldId;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    Required,
    TooLong,
    Invalid,
    NotAnOption,
    OutOfRange,
    Mismatch,
    SameAsBefore,
    NotOffered,
    NotConfirmed,
    /// A check that some valid input fails (Luhn); the person may confirm and go on.
    Suspicious,
    /// An option chosen before a published list withdrew it: the person picks another.
    Withdrawn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Blocks 下一步 and 提交.
    Error,
    /// Shown; the person confirms it and may go on.
    Warning,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FieldError {
    pub field: FieldId,
    pub code: ErrorCode,
    pub message_zh: String,
    pub severity: Severity,
}

impl FieldError {
    /// An error whose message is the field's label followed by `detail`, e.g. 现开户行卡号 +
    /// 应为16至19位数字.
    pub fn new(field: FieldId, code: ErrorCode, detail: &str) -> Self {
        FieldError {
            field,
            code,
            message_zh: format!("{}{detail}", field.label_zh()),
            severity: Severity::Error,
        }
    }

    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    pub fn required(field: FieldId) -> Self {
        let verb =
            if matches!(field, FieldId::RecordConfirmed) { "：请阅读并确认" } else { "为必填项" };
        FieldError::new(field, ErrorCode::Required, verb)
    }
}

/// Whether a list of results blocks going on (warnings do not).
pub fn blocks(errors: &[FieldError]) -> bool {
    errors.iter().any(|e| e.severity == Severity::Error)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_field() {
        assert_eq!(FieldError::required(FieldId::StopReason).message_zh, "停发原因为必填项");
        let e = FieldError::new(FieldId::NewCardNumber, ErrorCode::Invalid, "只能包含数字");
        assert_eq!(e.message_zh, "现开户行卡号只能包含数字");
        let e = FieldError::new(FieldId::Remarks, ErrorCode::TooLong, "不能超过200个字");
        assert_eq!(e.message_zh, "备注不能超过200个字");
        assert!(blocks(std::slice::from_ref(&e)));
        assert!(!blocks(&[e.warning()]));
    }
}
