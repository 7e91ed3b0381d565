//! Wire types shared by the app, the UI and the reference server. Every field is typed; the
//! server and the app serialise the same structs, so a rename breaks the build, not production.

use serde::{Deserialize, Serialize};

/// 证件类型. The identity platform currently issues only resident ID cards to this service.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdType {
    /// 居民身份证
    ResidentIdCard,
}

impl IdType {
    pub fn label_zh(self) -> &'static str {
        match self {
            IdType::ResidentIdCard => "居民身份证",
        }
    }
}

/// 性别 as recorded by the identity platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label_zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// The identity platform's userinfo answer (OIDC `/oauth/userinfo`): the basic information the
/// manual says is "自动调用北京市统一身份认证平台信息".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserInfo {
    /// Stable pseudonymous subject identifier (not the ID number).
    pub sub: String,
    /// 姓名
    pub name: String,
    /// 证件类型
    pub id_type: IdType,
    /// 证件号码
    pub id_number: String,
    /// 电话
    pub phone: String,
    /// 性别
    pub gender: Gender,
    /// 出生日期, ISO 8601 (YYYY-MM-DD)
    pub birth_date: String,
}

/// What the UI is told about the logged-in person. Deliberately holds no ID, card or phone number:
/// the webview keeps only what it must show on the greeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub subject: String,
    pub name: String,
}

impl From<&UserInfo> for Session {
    fn from(u: &UserInfo) -> Self {
        Session { subject: u.sub.clone(), name: u.name.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_round_trips_and_rejects_unknown_fields() {
        let u = UserInfo {
            sub: "s1".into(),
            name: "张三".into(),
            id_type: IdType::ResidentIdCard,
            id_number: "11010519491231002X".into(),
            phone: "13800000000".into(),
            gender: Gender::Female,
            birth_date: "1949-12-31".into(),
        };
        let json = serde_json::to_string(&u).unwrap();
        assert_eq!(serde_json::from_str::<UserInfo>(&json).unwrap(), u);
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["extra"] = serde_json::json!(1);
        assert!(serde_json::from_value::<UserInfo>(v).is_err());
        assert_eq!(Session::from(&u), Session { subject: "s1".into(), name: "张三".into() });
    }
}

pub use records::*;

/// The person's records held by the service (`GET /api/v1/me`): what the forms show read-only
/// and what the eligibility rules read.
mod records {
    use crate::date::Date;
    use crate::forms::options::BankCardType;
    use serde::{Deserialize, Serialize};

    /// 失业原因 as recorded by the last employer's social insurance declaration.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum SeparationReason {
        /// 劳动合同期满终止
        ContractExpired,
        /// 用人单位解除劳动合同
        DismissedByEmployer,
        /// 协商一致解除（用人单位提出）
        MutualAgreementEmployerInitiated,
        /// 用人单位破产、关闭
        EmployerClosed,
        /// 本人辞职
        Resigned,
    }

    impl SeparationReason {
        pub fn label_zh(self) -> &'static str {
            match self {
                SeparationReason::ContractExpired => "劳动合同期满终止",
                SeparationReason::DismissedByEmployer => "用人单位解除劳动合同",
                SeparationReason::MutualAgreementEmployerInitiated => "用人单位提出协商一致解除劳动合同",
                SeparationReason::EmployerClosed => "用人单位破产、关闭或撤销",
                SeparationReason::Resigned => "本人辞职",
            }
        }

        /// 《失业保险条例》第十四条: benefit requires that employment ended against the person's will.
        pub fn is_involuntary(self) -> bool {
            !matches!(self, SeparationReason::Resigned)
        }
    }

    /// The contribution record the claim asks the person to confirm.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct ContributionRecord {
        pub separation_reason: SeparationReason,
        /// 累计缴纳失业保险费时间, in months.
        pub contribution_months: u32,
        pub last_employer: String,
        pub last_contribution_date: Date,
    }

    /// Benefit being paid (申领日期, 可享受月数, 已享受月数, the account, masked).
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct BenefitRecord {
        pub claim_date: Date,
        pub months_entitled: u32,
        pub months_received: u32,
        pub card_type: BankCardType,
        pub bank_code: String,
        /// e.g. 6212***********0006
        pub card_masked: String,
    }

    /// The default is a person the service knows nothing about.
    #[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct Records {
        /// 本市户籍: decides whether 特殊身份 is offered.
        pub beijing_hukou: bool,
        /// A valid 失业登记 exists.
        pub registered: bool,
        /// An application for 失业保险金 is open (submitted, not decided).
        pub open_claim: bool,
        pub contribution: Option<ContributionRecord>,
        pub benefit: Option<BenefitRecord>,
        /// The 失业登记 as it stands (from the registration and any change since), which
        /// 失业登记信息变更 starts from. Absent when not registered, or registered before it was kept.
        #[serde(default)]
        pub registration: Option<crate::forms::registration_change::RegistrationChange>,
    }
}

pub use applications::*;

/// Submitting a bundle and following its items (`/api/v1/applications`).
mod applications {
    use crate::date::Date;
    use crate::forms::{Answers, FieldError};
    use crate::policy::Ineligible;
    use crate::services::ServiceKind;
    use serde::{Deserialize, Serialize};

    /// The form schema a draft or submission was written against. Bump it when a section's shape
    /// changes; drafts of an older version are migrated or flagged.
    pub const DRAFT_SCHEMA_VERSION: u32 = 1;

    /// `POST /api/v1/applications` body; the `Idempotency-Key` header carries the client's UUID.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct ApplicationSubmission {
        pub schema_version: u32,
        pub answers: Answers,
        /// Only these items of the bundle: the returned items of a joint application sent again
        /// (修改并重新提交) while its other items are pending or decided. Absent: every item.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub items: Option<Vec<ServiceKind>>,
    }

    /// The status of one item, as the manual and DESIGN.md §3 name them.
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(rename_all = "snake_case")]
    pub enum ItemStatus {
        /// 等待审核 (the manual: 点击提交，等待审核)
        Submitted,
        /// 审核中
        InReview,
        /// 已通过
        Approved,
        /// 不予受理
        Rejected,
        /// 退回补正
        Returned,
    }

    impl ItemStatus {
        pub fn label_zh(self) -> &'static str {
            match self {
                ItemStatus::Submitted => "等待审核",
                ItemStatus::InReview => "审核中",
                ItemStatus::Approved => "已通过",
                ItemStatus::Rejected => "不予受理",
                ItemStatus::Returned => "退回补正",
            }
        }

        pub fn is_final(self) -> bool {
            matches!(self, ItemStatus::Approved | ItemStatus::Rejected)
        }
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct ItemState {
        pub item: ServiceKind,
        /// 办件编号
        pub case_number: String,
        pub status: ItemStatus,
        /// The reviewer's reason for 不予受理 or 退回补正.
        pub reason: Option<String>,
        pub expected_decision: Option<Date>,
    }

    /// 201 answer and `GET /api/v1/applications/{id}`.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct Application {
        pub id: String,
        /// RFC 3339 time the server accepted it.
        pub submitted_at: String,
        pub items: Vec<ItemState>,
    }

    /// The body of every other service API error: a stable code and a Chinese message for the person.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    pub struct ApiError {
        pub error: String,
        pub message: String,
    }

    /// 422 answer: the same field errors the UI shows.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct ValidationFailure {
        pub errors: Vec<FieldError>,
    }

    /// 409 answer when the person's state forbids an item.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct Conflict {
        pub reason: Ineligible,
        pub item: ServiceKind,
        pub message_zh: String,
    }
}

/// `GET /api/v1/me`: who the person is and what the service knows of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Profile {
    pub user: UserInfo,
    pub records: Records,
}

/// What an SMS verification code is for; a code works only for its purpose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SmsPurpose {
    /// 失业保险金停发
    BenefitStop,
    /// 手机号 + 短信验证码 login at the identity platform.
    Login,
}

/// `POST /api/v1/sms-codes` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SmsRequest {
    pub purpose: SmsPurpose,
}

/// `POST /api/v1/sms-codes` answer: where it went (masked) and for how long it is valid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SmsSent {
    pub phone_masked: String,
    pub expires_in: u32,
    /// Seconds before another code may be requested.
    pub resend_after: u32,
}

pub use reference_data::*;

/// `GET /api/v1/reference`: the tables the forms choose from, as the server knows them (the app
/// bundles a snapshot of the same, so forms work offline).
mod reference_data {
    use serde::{Deserialize, Serialize};
    use std::collections::BTreeMap;

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct AgencyEntry {
        pub id: String,
        pub name: String,
        /// Street codes it serves.
        pub streets: Vec<String>,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct NamedEntry {
        pub code: String,
        pub name: String,
    }

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct ReferenceData {
        pub agencies: Vec<AgencyEntry>,
        pub banks: Vec<NamedEntry>,
        /// Option list name (e.g. `cancel_reason`) → (wire value, label) in display order.
        pub options: BTreeMap<String, Vec<NamedEntry>>,
    }
}
