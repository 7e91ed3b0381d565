//! The benefit rule: how many months of 失业保险金 a contribution time gives, and how much a month.
//! Published data (a policy office changes it by publishing a new version with the date it takes
//! effect), installed over the bundled default below; the app's preview and the server's decision
//! read the same rule.
//!
//! Bundled default: 《北京市失业保险规定》 (北京市人民政府令第38号) 第十九条 as commonly cited — a
//! contribution time of 1 to 2 years gives 3 months, each further year 3 months more up to 12 at 4
//! years, then one month more per year up to 24 (the national maximum, 《失业保险条例》 第十七条) —
//! and the monthly amounts by contribution time as commonly cited from 2024. Neither was confirmed
//! against the published rule here: the policy office publishes the rule in force (README, limits).

use crate::date::Date;
use crate::served::Served;
use serde::{Deserialize, Serialize};

/// From `from_months` of contributions on, `value` (months of benefit, or yuan a month).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Band {
    pub from_months: u32,
    pub value: u32,
}

/// One version of the rule, in force from its date until a later version's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BenefitRule {
    pub name: String,
    pub version: u32,
    /// Where the figures come from (the regulation and its article, the notice of the amounts).
    pub source: String,
    pub effective_from: Date,
    /// Months of benefit by contribution time, ascending.
    pub periods: Vec<Band>,
    /// Yuan a month by contribution time, ascending.
    pub monthly_yuan: Vec<Band>,
}

/// What a contribution time gives under the rule in force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Entitlement {
    pub months: u32,
    pub monthly_yuan: u32,
    pub rule_name: String,
    pub rule_version: u32,
}

/// Minimum months of contributions for benefit (条例第十四条: 满一年).
pub const MIN_CONTRIBUTION_MONTHS: u32 = 12;

/// The longest benefit period the national regulation allows (条例第十七条).
pub const MAX_MONTHS: u32 = 24;

pub fn bundled() -> Vec<BenefitRule> {
    let mut periods: Vec<Band> =
        (1..=4).map(|years| Band { from_months: years * 12, value: years * 3 }).collect();
    periods.extend((5..=16).map(|years| Band { from_months: years * 12, value: 8 + years }));
    let monthly_yuan = [(12, 2086), (60, 2113), (120, 2140), (180, 2167), (240, 2194)]
        .into_iter()
        .map(|(from_months, value)| Band { from_months, value })
        .collect();
    vec![BenefitRule {
        name: "北京市失业保险金领取期限和标准".into(),
        version: 1,
        source: "《北京市失业保险规定》第十九条（期限）及2024年公布的失业保险金标准，按通行引用整理，待政策部门发布确认"
            .into(),
        effective_from: Date { year: 2024, month: 8, day: 1 },
        periods,
        monthly_yuan,
    }]
}

fn bands_ok(bands: &[Band], what: &str, max: u32) -> Result<(), String> {
    if bands.is_empty() {
        return Err(format!("{what}为空"));
    }
    if bands.windows(2).any(|w| w[0].from_months >= w[1].from_months) {
        return Err(format!("{what}的缴费月数须从小到大排列且不重复"));
    }
    if let Some(b) = bands.iter().find(|b| b.value == 0 || b.value > max) {
        return Err(format!("{what}：缴费满{}个月对应的{}不在1至{max}之间", b.from_months, b.value));
    }
    Ok(())
}

/// Why a published list of rules cannot be used; `Ok` when it can.
pub fn check(rules: &[BenefitRule]) -> Result<(), String> {
    if rules.is_empty() {
        return Err("待遇规则为空".into());
    }
    let mut versions = std::collections::BTreeSet::new();
    for r in rules {
        if r.name.trim().is_empty() || r.source.trim().is_empty() {
            return Err(format!("第{}版待遇规则缺少名称或依据", r.version));
        }
        if !versions.insert(r.version) {
            return Err(format!("待遇规则版本{}重复", r.version));
        }
        bands_ok(&r.periods, "领取期限", MAX_MONTHS)?;
        bands_ok(&r.monthly_yuan, "月发放标准", 100_000)?;
        if r.periods[0].from_months < MIN_CONTRIBUTION_MONTHS {
            return Err("领取期限须从累计缴费满12个月起算（失业保险条例第十四条）".into());
        }
    }
    Ok(())
}

static SERVED: Served<Vec<BenefitRule>> = Served::new();

/// Puts the published rules in use; an unusable list keeps the one in use and says why.
pub fn install(rules: Vec<BenefitRule>) -> Result<(), String> {
    SERVED.install(rules, |t| check(t))
}

pub fn reset() {
    SERVED.set(None);
}

/// The rules in use: the published ones once installed, else the bundled default.
pub fn rules() -> Vec<BenefitRule> {
    SERVED.or_bundled(bundled)
}

/// The version in force on a date: the latest that took effect by then (the earliest when every
/// version is still to come).
pub fn in_force(rules: &[BenefitRule], on: Date) -> Option<&BenefitRule> {
    crate::date::in_force(rules, on, |r| (r.effective_from, r.version))
}

fn band(bands: &[Band], contribution_months: u32) -> u32 {
    bands.iter().rev().find(|b| b.from_months <= contribution_months).map_or(0, |b| b.value)
}

impl BenefitRule {
    /// What a contribution time gives under this rule (no months below the first band).
    pub fn entitlement(&self, contribution_months: u32) -> Entitlement {
        let months = band(&self.periods, contribution_months);
        Entitlement {
            months,
            monthly_yuan: if months == 0 { 0 } else { band(&self.monthly_yuan, contribution_months) },
            rule_name: self.name.clone(),
            rule_version: self.version,
        }
    }
}

/// What a contribution time gives under the rule in use on `on`.
pub fn entitlement(contribution_months: u32, on: Date) -> Entitlement {
    let rules = rules();
    let rule = in_force(&rules, on).cloned().unwrap_or_else(|| bundled().remove(0));
    rule.entitlement(contribution_months)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn on() -> Date {
        Date { year: 2026, month: 12, day: 7 }
    }

    #[test]
    fn the_bundled_rule_grades_by_contribution_years_up_to_24() {
        let rule = &bundled()[0];
        let table = [
            (0, 0),
            (11, 0),
            (12, 3),
            (23, 3),
            (24, 6),
            (36, 9),
            (48, 12),
            (59, 12),
            (60, 13),
            (72, 14),
            (180, 23),
            (192, 24),
            (400, 24),
        ];
        for (contrib, months) in table {
            assert_eq!(rule.entitlement(contrib).months, months, "{contrib} months of contributions");
        }
        assert_eq!(rule.entitlement(11).monthly_yuan, 0, "nothing a month without a period");
        assert_eq!(rule.entitlement(59).monthly_yuan, 2086);
        assert_eq!(rule.entitlement(60).monthly_yuan, 2113);
        assert!(check(&bundled()).is_ok());
    }

    #[test]
    fn the_version_in_force_is_the_latest_that_took_effect() {
        let mut later = bundled()[0].clone();
        later.version = 2;
        later.effective_from = Date { year: 2027, month: 1, day: 1 };
        later.monthly_yuan[0].value = 2200;
        let rules = vec![bundled()[0].clone(), later];
        assert_eq!(in_force(&rules, on()).map(|r| r.version), Some(1));
        assert_eq!(in_force(&rules, Date { year: 2027, month: 1, day: 1 }).map(|r| r.version), Some(2));
        assert_eq!(in_force(&rules[1..], on()).map(|r| r.version), Some(2), "only future: the earliest");
    }

    #[test]
    fn an_unusable_rule_is_refused_with_the_reason() {
        let mut r = bundled();
        r[0].periods.last_mut().unwrap().value = 25;
        assert!(check(&r).unwrap_err().contains("领取期限"));
        let mut r = bundled();
        r[0].periods.swap(0, 1);
        assert!(check(&r).unwrap_err().contains("从小到大"));
        let mut r = bundled();
        r[0].periods[0].from_months = 6;
        assert!(check(&r).unwrap_err().contains("12个月"));
        let mut r = bundled();
        r.push(r[0].clone());
        assert!(check(&r).unwrap_err().contains("重复"));
        assert!(check(&[]).is_err());
    }
}
