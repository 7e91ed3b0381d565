//! The service API's envelopes, shared by the app, the UI and the reference server: submitting and
//! following applications, the profile, SMS codes and error bodies. (The person's own types are in
//! `person` and `records`, the reference tables' in `reference`.) Every field is typed; the server
//! and the app serialise the same structs, so a rename breaks the build, not production.

use crate::person::UserInfo;
use crate::records::Records;
use serde::{Deserialize, Serialize};

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
        /// Which 用户通知 and 集成服务承诺书 the person accepted before filling this in, and when:
        /// the evidence of their consent, kept with the application.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub consent: Option<Consent>,
    }

    /// The versions of the texts a person accepted, and when (Unix seconds).
    #[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct Consent {
        pub user_notice_version: u32,
        pub user_notice_accepted_at: i64,
        pub commitment_version: u32,
        pub commitment_accepted_at: i64,
    }

    impl Consent {
        /// The version accepted of each text.
        pub fn versions(&self) -> [(crate::notices::Notice, u32); 2] {
            use crate::notices::Notice;
            [(Notice::UserNotice, self.user_notice_version), (Notice::Commitment, self.commitment_version)]
        }
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
        /// 已撤回: the person withdrew it while it waited (等待审核).
        Withdrawn,
    }

    impl ItemStatus {
        pub fn label_zh(self) -> &'static str {
            match self {
                ItemStatus::Submitted => "等待审核",
                ItemStatus::InReview => "审核中",
                ItemStatus::Approved => "已通过",
                ItemStatus::Rejected => "不予受理",
                ItemStatus::Returned => "退回补正",
                ItemStatus::Withdrawn => "已撤回",
            }
        }

        pub fn is_final(self) -> bool {
            matches!(self, ItemStatus::Approved | ItemStatus::Rejected | ItemStatus::Withdrawn)
        }

        /// Whether the person may still withdraw it (撤回): only before a reviewer takes it up.
        pub fn withdrawable(self) -> bool {
            self == ItemStatus::Submitted
        }

        /// Waiting for a reviewer's decision (一项事项审核完成前不能再次申请).
        pub fn awaits_decision(self) -> bool {
            matches!(self, ItemStatus::Submitted | ItemStatus::InReview)
        }
    }

    /// Read leniently (no `deny_unknown_fields`): the review API's answers carry it flattened
    /// beside their own fields, which its published schema must then allow.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
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
        /// The bundle it was sent in (a resubmission of returned items is sent in it again).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub bundle: Option<crate::services::Bundle>,
        pub items: Vec<ItemState>,
    }

    impl Application {
        /// How an application with returned (退回补正) items is sent again: in the bundle it was
        /// sent in (known to the server; else its lead item's), with only the returned items
        /// unless they are all of the bundle's — so an application that was itself a resubmission
        /// of some items, returned again, sends those items again and never the ones that stand.
        pub fn resubmission(&self) -> Option<(crate::services::Bundle, Option<Vec<ServiceKind>>)> {
            let bundle = match self.bundle {
                Some(b) => b,
                None => {
                    crate::services::Selection::default().click(self.items.first()?.item).ok()?.bundle()?
                }
            };
            let returned: Vec<ServiceKind> =
                self.items.iter().filter(|i| i.status == ItemStatus::Returned).map(|i| i.item).collect();
            let items = (returned.len() < bundle.items().len()).then_some(returned);
            Some((bundle, items))
        }
    }

    /// `GET /api/v1/applications/{id}/record`: one of the person's own applications as the server
    /// keeps it — the statuses, the answers as submitted and the consent given — so that its 回执
    /// and its correction work on any device.
    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
    #[serde(deny_unknown_fields)]
    pub struct ApplicationRecord {
        pub application: Application,
        pub answers: Answers,
        /// When the server accepted it (Unix seconds).
        pub submitted_unix: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub consent: Option<Consent>,
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
    /// 失业保险金银行账号变更: where the benefit is paid.
    BankAccountChange,
    /// 手机号 + 短信验证码 login at the identity platform.
    Login,
}

impl SmsPurpose {
    /// What the code confirms, as the message names it, so that a person who did not ask knows
    /// what someone else is doing in their name.
    pub fn label_zh(self) -> &'static str {
        match self.item() {
            Some(item) => item.label_zh(),
            None => "登录北京市统一身份认证平台",
        }
    }

    /// The item the code confirms (the inverse of `ServiceKind::sms_purpose`); `None` for a login.
    pub fn item(self) -> Option<crate::services::ServiceKind> {
        use crate::services::ServiceKind;
        match self {
            SmsPurpose::BenefitStop => Some(ServiceKind::BenefitStop),
            SmsPurpose::BankAccountChange => Some(ServiceKind::BankAccountChange),
            SmsPurpose::Login => None,
        }
    }
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
