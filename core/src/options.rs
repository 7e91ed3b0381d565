//! The closed option lists of the forms, each an enum with its Chinese labels and the source it
//! follows. Serialised as snake_case identifiers, never as labels, so wording can change safely.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An option as a picker offers it: its wire value and its label.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NamedEntry {
    pub code: String,
    pub name: String,
}

/// An option list as (code, label) entries, in display order.
pub fn entries<T: Copy + Serialize>(all: &[T], label: fn(T) -> &'static str) -> Vec<NamedEntry> {
    all.iter().map(|v| NamedEntry { code: crate::code::of(v), name: label(*v).to_string() }).collect()
}

/// Declares an option list: the enum, `ALL` in display order, and `label_zh`.
macro_rules! options {
    ($(#[$doc:meta])* $name:ident $list:literal { $($(#[$vdoc:meta])* $variant:ident => $label:literal,)+ }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vdoc])* $variant,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            pub fn label_zh(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                crate::code::one_of(d, $name::ALL)
            }
        }

        impl OptionList for $name {
            const LIST: &'static str = $list;
            const ALL: &'static [$name] = $name::ALL;
            fn label_zh(self) -> &'static str {
                $name::label_zh(self)
            }
        }
    };
}

/// An option list: its published name, its entries in display order and their bundled labels.
pub trait OptionList: Copy + Serialize + 'static {
    const LIST: &'static str;
    const ALL: &'static [Self];
    fn label_zh(self) -> &'static str;
}

/// Every list as published: name → (code, label) in display order.
pub type Lists = BTreeMap<String, Vec<NamedEntry>>;

fn bundled_of<T: OptionList>(lists: &mut Lists) {
    lists.insert(T::LIST.into(), entries(T::ALL, T::label_zh));
}

/// The bundled lists (the defaults of a fresh install; each enum's documentation names its source).
pub fn bundled() -> Lists {
    let mut lists = Lists::new();
    bundled_of::<EmploymentForm>(&mut lists);
    bundled_of::<PayType>(&mut lists);
    bundled_of::<UnemployedPersonType>(&mut lists);
    bundled_of::<SpecialIdentity>(&mut lists);
    bundled_of::<HukouNature>(&mut lists);
    bundled_of::<SkillLevel>(&mut lists);
    bundled_of::<ProfessionalTitle>(&mut lists);
    bundled_of::<CancelReason>(&mut lists);
    bundled_of::<StopReason>(&mut lists);
    bundled_of::<BankCardType>(&mut lists);
    lists
}

/// Why published lists cannot be used; `Ok` when they can. A published list may leave options
/// out (withdrawn), reorder and relabel them; a new option needs a release (the forms' rules are
/// written for each), so an unknown code is refused, named.
pub fn check(published: &Lists) -> Result<(), String> {
    let known = bundled();
    for (name, list) in published {
        let Some(bundled) = known.get(name) else { return Err(format!("没有名为{name}的选项列表")) };
        if list.is_empty() {
            return Err(format!("选项列表{name}为空"));
        }
        let mut seen = std::collections::BTreeSet::new();
        for e in list {
            if !bundled.iter().any(|b| b.code == e.code) {
                return Err(format!(
                    "选项列表{name}中的{}不是本应用已知的选项（新增选项需要发布新版本）",
                    e.code
                ));
            }
            if e.name.trim().is_empty() || !seen.insert(e.code.as_str()) {
                return Err(format!("选项列表{name}中的{}名称为空或重复", e.code));
            }
        }
    }
    Ok(())
}

static SERVED: crate::served::Served<Lists> = crate::served::Served::new();

/// Puts the published lists in use (lists not published keep their bundled entries).
pub fn install(published: Lists) -> Result<(), String> {
    SERVED.install(published, check)
}

pub fn reset() {
    SERVED.set(None);
}

/// What a picker offers among `subset` (in use: published order and labels, withdrawn left out).
pub fn offered<T: OptionList>(subset: &[T]) -> Vec<NamedEntry> {
    let mine = entries(subset, T::label_zh);
    match SERVED.get().and_then(|p| p.get(T::LIST).cloned()) {
        Some(published) => published.into_iter().filter(|e| mine.iter().any(|m| m.code == e.code)).collect(),
        None => mine,
    }
}

/// Whether a published list withdrew this option of list `list` (a code: the wire value).
pub fn withdrawn(list: &str, code: &str) -> bool {
    SERVED.get().and_then(|p| p.get(list).map(|l| !l.iter().any(|e| e.code == code))).unwrap_or(false)
}

/// The bundled label of a code of list `list`, for saying what was withdrawn.
pub fn bundled_label(list: &str, code: &str) -> Option<String> {
    bundled().get(list)?.iter().find(|e| e.code == code).map(|e| e.name.clone())
}

options! {
    /// 就业形式 (operations manual, 求职登记 §3).
    EmploymentForm "employment_form" {
        FullTime => "全职",
        PartTime => "兼职",
        Temporary => "临时",
        Hourly => "小时工",
        NewForms => "新就业形态",
    }
}

options! {
    /// 薪酬类型 (operations manual, 求职登记 §4): 全职 takes 年薪 or 月薪, the others 时薪,
    /// 一次性劳务费 or 计件.
    PayType "pay_type" {
        Annual => "年薪",
        Monthly => "月薪",
        Hourly => "时薪",
        OneOff => "一次性劳务费",
        PieceRate => "计件",
    }
}

impl EmploymentForm {
    /// The pay types this employment form offers.
    pub fn pay_types(self) -> &'static [PayType] {
        match self {
            EmploymentForm::FullTime => &[PayType::Annual, PayType::Monthly],
            _ => &[PayType::Hourly, PayType::OneOff, PayType::PieceRate],
        }
    }
}

impl PayType {
    /// The unit an expected pay amount is in.
    pub fn unit_zh(self) -> &'static str {
        match self {
            PayType::Annual => "元/年",
            PayType::Monthly => "元/月",
            PayType::Hourly => "元/小时",
            PayType::OneOff => "元/次",
            PayType::PieceRate => "元/件",
        }
    }

    /// The largest plausible amount, in yuan, to catch slips of the keyboard.
    pub fn max_yuan(self) -> u64 {
        match self {
            PayType::Annual => 10_000_000,
            PayType::Monthly => 1_000_000,
            PayType::Hourly => 10_000,
            PayType::OneOff => 1_000_000,
            PayType::PieceRate => 100_000,
        }
    }
}

options! {
    /// 失业人员类型. The manual names 企业解除人员, 进京落户人员 and 初次进京的随军家属 "等"; the
    /// other entries follow the categories of persons who may register as unemployed in
    /// 《就业服务与就业管理规定》 (人社部令, 2022 revision) and have not been checked against the
    /// live platform (see README, limits).
    UnemployedPersonType "unemployed_person_type" {
        /// 企业解除人员
        EnterpriseTerminated => "企业解除人员",
        /// 进京落户人员
        SettledInBeijing => "进京落户人员",
        /// 初次进京的随军家属
        MilitaryFamily => "初次进京的随军家属",
        InstitutionTerminated => "机关事业单位解除聘用人员",
        SelfEmployedClosed => "个体经营者停业人员",
        Graduate => "毕业年度内及离校未就业高校毕业生",
        Veteran => "退役军人",
        Released => "刑满释放人员",
        Other => "其他失业人员",
    }
}

options! {
    /// 特殊身份, offered only to persons with a Beijing 户籍, used for 就业困难人员认定: the
    /// categories of Beijing's employment-difficulty definition (北京市就业困难人员认定).
    SpecialIdentity "special_identity" {
        ZeroEmploymentFamily => "城镇零就业家庭成员",
        MinimumLivingAllowance => "享受城乡居民最低生活保障人员",
        Disabled => "残疾人",
        OlderWorker => "女满40周岁、男满50周岁的大龄失业人员",
        LongTermUnemployed => "连续失业一年以上人员",
        LandRequisitioned => "因征地失去土地的农转居人员",
        Released => "刑满释放、解除强制隔离戒毒人员",
    }
}

options! {
    /// 户口性质 (the four categories of Beijing's social insurance records).
    HukouNature "hukou_nature" {
        BeijingUrban => "本市城镇",
        BeijingRural => "本市农村",
        OtherUrban => "外埠城镇",
        OtherRural => "外埠农村",
    }
}

options! {
    /// 职业（工种）资格技术等级: the five levels of the national vocational qualification system
    /// (《国家职业技能标准编制技术规程》2018).
    SkillLevel "skill_level" {
        Level5 => "五级/初级工",
        Level4 => "四级/中级工",
        Level3 => "三级/高级工",
        Level2 => "二级/技师",
        Level1 => "一级/高级技师",
    }
}

options! {
    /// 职称 level, as in 《关于深化职称制度改革的意见》 (2016): 员级 to 正高级.
    ProfessionalTitle "professional_title" {
        None => "无",
        Clerk => "员级",
        Assistant => "助理级",
        Intermediate => "中级",
        AssociateSenior => "副高级",
        Senior => "正高级",
    }
}

options! {
    /// 注销原因: the situations in which 失业登记 is cancelled, 《就业服务与就业管理规定》 第六十三条.
    CancelReason "cancel_reason" {
        Employed => "被用人单位录用",
        SelfEmployed => "从事个体经营或创办企业，并领取工商营业执照",
        StableIncome => "已从事有稳定收入的劳动，且月收入不低于当地最低工资标准",
        Pension => "已享受基本养老保险待遇",
        Incapacitated => "完全丧失劳动能力",
        StudyMilitaryEmigration => "入学、服兵役、移居境外",
        Imprisoned => "被判刑收监执行",
        NoLongerSeeking => "终止就业要求或拒绝接受公共就业服务",
        NoContact => "连续6个月未与公共就业服务机构联系",
        Other => "其他法律法规规定的情形",
    }
}

options! {
    /// 停发原因: the grounds to stop unemployment benefit, 《失业保险条例》 第十五条.
    StopReason "stop_reason" {
        Reemployed => "重新就业",
        Conscripted => "应征服兵役",
        Emigrated => "移居境外",
        Pension => "享受基本养老保险待遇",
        Imprisoned => "被判刑收监执行",
        RefusedJobOffer => "无正当理由拒不接受指定机构介绍的工作",
        Other => "法律、行政法规规定的其他情形",
    }
}

options! {
    /// 银行卡类型 (operations manual, 失业保险金申领 §1).
    BankCardType "bank_card_type" {
        DebitCard => "银行储蓄卡",
        Passbook => "银行存折",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pay_types_follow_the_employment_form() {
        assert_eq!(EmploymentForm::FullTime.pay_types(), &[PayType::Annual, PayType::Monthly]);
        for f in &EmploymentForm::ALL[1..] {
            assert_eq!(f.pay_types(), &[PayType::Hourly, PayType::OneOff, PayType::PieceRate]);
        }
    }

    #[test]
    fn labels_match_the_manual() {
        let labels: Vec<_> = EmploymentForm::ALL.iter().map(|f| f.label_zh()).collect();
        assert_eq!(labels, ["全职", "兼职", "临时", "小时工", "新就业形态"]);
        let manual = ["企业解除人员", "进京落户人员", "初次进京的随军家属"];
        for m in manual {
            assert!(UnemployedPersonType::ALL.iter().any(|t| t.label_zh() == m));
        }
        assert_eq!(
            BankCardType::ALL.iter().map(|t| t.label_zh()).collect::<Vec<_>>(),
            ["银行储蓄卡", "银行存折"]
        );
        assert_eq!(serde_json::to_string(&StopReason::Reemployed).unwrap(), "\"reemployed\"");
    }
}
