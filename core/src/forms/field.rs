//! Every field of every section, as one enum: errors, the check-answers page and the UI's
//! labels all name fields through it.

use serde::Serialize;

/// Declares the field enum with its label.
macro_rules! fields {
    ($($variant:ident => $label:literal,)+) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum FieldId { $($variant,)+ }

        impl<'de> serde::Deserialize<'de> for FieldId {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::code::one_of(d, FieldId::ALL)
            }
        }

        impl FieldId {
            pub const ALL: &'static [FieldId] = &[$(FieldId::$variant,)+];

            pub fn label_zh(self) -> &'static str {
                match self { $(FieldId::$variant => $label,)+ }
            }
        }
    };
}

fields! {
    // 基本信息, from the identity platform (read-only).
    Name => "姓名",
    IdType => "证件类型",
    // The manual's word: the only 证件类型 is 居民身份证.
    IdNumber => "证件号码",
    Phone => "电话",
    Gender => "性别",
    BirthDate => "出生日期",
    // 基本信息, entered.
    HouseholdProvince => "户籍地行政区划（省/自治区/直辖市）",
    HouseholdCity => "户籍地行政区划（市/地区）",
    HouseholdDistrict => "户籍地行政区划（区/县）",
    HouseholdStreet => "户籍地行政区划（街道/乡镇）",
    HouseholdAddress => "户籍地详细地址",
    ResidenceDiffers => "户籍地与常住地不一致",
    ResidenceDistrict => "常住地行政区划（区）",
    ResidenceStreet => "常住地行政区划（街道/乡镇）",
    ResidenceAddress => "常住地详细地址",
    // 求职登记
    WorkDistrict => "工作地区",
    JobTitle => "岗位名称",
    EmploymentForm => "就业形式",
    PayType => "薪酬类型",
    PayMin => "期望薪酬（最低）",
    PayMax => "期望薪酬（最高）",
    // 失业登记
    UnemployedPersonType => "失业人员类型",
    SpecialIdentity => "特殊身份",
    ServiceAgency => "服务机构",
    // 失业保险金申领
    BankCardType => "银行卡类型",
    Bank => "开户行",
    BankCardNumber => "银行卡号",
    SeparationReason => "失业原因",
    ContributionMonths => "累计缴纳失业保险费时间",
    LastEmployer => "最后缴纳失业保险费所在单位名称",
    LastContributionDate => "最后缴纳失业保险费日期",
    RecordConfirmed => "失业保险金确认",
    // 失业登记信息变更
    HukouNature => "户口性质",
    QualificationName => "职业（工种）资格名称",
    CertificateDate => "证书发放日期",
    SkillLevel => "职业（工种）资格技术等级",
    ProfessionalTitle => "职称",
    // 失业登记注销
    CancelReason => "注销原因",
    // 失业保险金银行账号变更
    OldBankCardType => "原银行卡类型",
    OldBank => "原开户行",
    OldCardNumber => "原开户行卡号",
    NewBankCardType => "现银行卡类型",
    NewBank => "现开户行",
    NewCardNumber => "现开户行卡号",
    ConfirmCardNumber => "确认银行卡号",
    // 失业保险金停发
    MonthsReceived => "已享受月数",
    ClaimDate => "申领日期",
    MonthsEntitled => "可享受月数",
    StopReason => "停发原因",
    Remarks => "备注",
    SmsCode => "短信验证码",
}
