//! The person's records held by the service (`GET /api/v1/me`): what the forms show read-only
//! and what the eligibility rules read.

use crate::date::Date;
use crate::options::BankCardType;
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
    pub registration: Option<crate::registration::RegistrationChange>,
    /// Holds a 外国人永久居留身份证: no 户籍 (they give 外国 for it, and their Beijing 常住地).
    #[serde(default)]
    pub foreign_national: bool,
}
