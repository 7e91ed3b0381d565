//! The seven services of 失业“一件事” and how they combine (operations manual, 登录账号 §3–4):
//! five single items, and two joint items in which a bigger item ticks the ones it implies.

use serde::{Deserialize, Serialize};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    /// 求职登记
    JobSeeking,
    /// 失业登记
    Registration,
    /// 失业保险金申领
    BenefitClaim,
    /// 失业登记信息变更
    RegistrationChange,
    /// 失业登记注销
    RegistrationCancel,
    /// 失业保险金银行账号变更
    BankAccountChange,
    /// 失业保险金停发
    BenefitStop,
}

impl<'de> Deserialize<'de> for ServiceKind {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::code::one_of(d, &ServiceKind::ALL)
    }
}

impl ServiceKind {
    /// Whether the item is confirmed by an SMS code sent when the person asks, valid 5 minutes:
    /// it is done online, never queued to be sent later.
    pub fn needs_network(self) -> bool {
        self.sms_purpose().is_some()
    }

    /// The SMS code that confirms the item: the two that touch the money paid (停发, and where it is
    /// paid), so that whoever holds a session cannot stop or redirect a benefit alone.
    pub fn sms_purpose(self) -> Option<crate::api::SmsPurpose> {
        use crate::api::SmsPurpose;
        [SmsPurpose::BenefitStop, SmsPurpose::BankAccountChange].into_iter().find(|p| p.item() == Some(self))
    }

    /// In the order the service page lists them.
    pub const ALL: [ServiceKind; 7] = [
        ServiceKind::JobSeeking,
        ServiceKind::Registration,
        ServiceKind::BenefitClaim,
        ServiceKind::RegistrationChange,
        ServiceKind::RegistrationCancel,
        ServiceKind::BankAccountChange,
        ServiceKind::BenefitStop,
    ];

    pub fn label_zh(self) -> &'static str {
        match self {
            ServiceKind::JobSeeking => "求职登记",
            ServiceKind::Registration => "失业登记",
            ServiceKind::BenefitClaim => "失业保险金申领",
            ServiceKind::RegistrationChange => "失业登记信息变更",
            ServiceKind::RegistrationCancel => "失业登记注销",
            ServiceKind::BankAccountChange => "失业保险金银行账号变更",
            ServiceKind::BenefitStop => "失业保险金停发",
        }
    }

    /// The items a joint item ticks with it (DESIGN.md §1).
    pub fn implies(self) -> &'static [ServiceKind] {
        match self {
            ServiceKind::Registration => &[ServiceKind::JobSeeking],
            ServiceKind::BenefitClaim => &[ServiceKind::Registration, ServiceKind::JobSeeking],
            _ => &[],
        }
    }

    /// Whether this item belongs to the joint family (求职登记 ⊂ 失业登记 ⊂ 失业保险金申领).
    fn is_joint_family(self) -> bool {
        matches!(self, ServiceKind::JobSeeking | ServiceKind::Registration | ServiceKind::BenefitClaim)
    }

    fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl fmt::Display for ServiceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_zh())
    }
}

/// The ticked items on the service page. Only reachable through [`Selection::click`], so it is
/// always empty or exactly one valid [`Bundle`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Selection(u8);

/// Why a click changed nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SelectionError {
    /// The item is ticked because the given joint item implies it.
    ImpliedBy { item: ServiceKind, by: ServiceKind },
}

impl fmt::Display for SelectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SelectionError::ImpliedBy { item, by } => {
                write!(f, "已选择“{by}”，“{item}”须一并办理，不能单独取消")
            }
        }
    }
}

impl Selection {
    pub fn contains(self, item: ServiceKind) -> bool {
        self.0 & item.bit() != 0
    }

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn items(self) -> impl Iterator<Item = ServiceKind> {
        ServiceKind::ALL.into_iter().filter(move |k| self.contains(*k))
    }

    /// Which ticked item (if any) forces `item` to stay ticked.
    pub fn implied_by(self, item: ServiceKind) -> Option<ServiceKind> {
        self.items().find(|k| k.implies().contains(&item))
    }

    /// The selection after the person clicks `item`.
    ///
    /// Ticking an item of the joint family ticks what it implies and keeps the rest of the family;
    /// ticking a single item (变更, 注销, 银行账号变更, 停发) replaces everything else, since the manual
    /// offers no bundle that combines them. Unticking an item that a ticked joint item implies is
    /// refused with the reason.
    pub fn click(self, item: ServiceKind) -> Result<Selection, SelectionError> {
        if self.contains(item) {
            if let Some(by) = self.implied_by(item) {
                return Err(SelectionError::ImpliedBy { item, by });
            }
            return Ok(Selection(self.0 & !item.bit()));
        }
        let mut bits = item.bit() | item.implies().iter().fold(0, |acc, k| acc | k.bit());
        if item.is_joint_family() {
            bits |= self.items().filter(|k| k.is_joint_family()).fold(0, |acc, k| acc | k.bit());
        }
        Ok(Selection(bits))
    }

    /// The bundle this selection stands for, if any item is ticked.
    pub fn bundle(self) -> Option<Bundle> {
        let has = |k| self.contains(k);
        Some(if has(ServiceKind::BenefitClaim) {
            Bundle::BenefitClaimJoint
        } else if has(ServiceKind::Registration) {
            Bundle::RegistrationJoint
        } else if has(ServiceKind::JobSeeking) {
            Bundle::JobSeeking
        } else if has(ServiceKind::RegistrationChange) {
            Bundle::RegistrationChange
        } else if has(ServiceKind::RegistrationCancel) {
            Bundle::RegistrationCancel
        } else if has(ServiceKind::BankAccountChange) {
            Bundle::BankAccountChange
        } else if has(ServiceKind::BenefitStop) {
            Bundle::BenefitStop
        } else {
            return None;
        })
    }
}

/// What can be applied for in one go: the five single items and the two joint items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Bundle {
    /// 求职登记 alone.
    JobSeeking,
    /// 失业登记 + 求职登记.
    RegistrationJoint,
    /// 失业保险金申领 + 失业登记 + 求职登记.
    BenefitClaimJoint,
    RegistrationChange,
    RegistrationCancel,
    BankAccountChange,
    BenefitStop,
}

impl<'de> Deserialize<'de> for Bundle {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::code::one_of(d, &Bundle::ALL)
    }
}

/// The steps of a wizard, in the manual's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SectionKind {
    /// 基本信息 with 户籍地/常住地 (联办 and 求职登记).
    BasicInfo,
    /// 求职登记申请信息
    JobSeeking,
    /// 失业登记申请信息
    Registration,
    /// 失业保险金申领信息 (bank account and record confirmation)
    BenefitClaim,
    /// 失业登记信息变更: the extended basic information.
    RegistrationChange,
    /// 基本信息 of the single items: 姓名, 证件类型, 证件号码, 电话.
    BasicInfoShort,
    /// 失业登记注销申请
    RegistrationCancel,
    /// 失业保险金银行账号变更
    BankAccountChange,
    /// 失业保险金停发
    BenefitStop,
}

impl SectionKind {
    pub fn label_zh(self) -> &'static str {
        match self {
            SectionKind::BasicInfo | SectionKind::BasicInfoShort => "基本信息",
            SectionKind::JobSeeking => "求职登记申请信息",
            SectionKind::Registration => "失业登记申请信息",
            SectionKind::BenefitClaim => "失业保险金申领信息",
            SectionKind::RegistrationChange => "失业登记信息变更",
            SectionKind::RegistrationCancel => "失业登记注销申请",
            SectionKind::BankAccountChange => "失业保险金银行账号变更",
            SectionKind::BenefitStop => "失业保险金停发",
        }
    }
}

impl Bundle {
    /// Whether any of the bundle's items is done online only (see [`ServiceKind::needs_network`]).
    pub fn needs_network(self) -> bool {
        self.items().iter().any(|i| i.needs_network())
    }

    pub const ALL: [Bundle; 7] = [
        Bundle::JobSeeking,
        Bundle::RegistrationJoint,
        Bundle::BenefitClaimJoint,
        Bundle::RegistrationChange,
        Bundle::RegistrationCancel,
        Bundle::BankAccountChange,
        Bundle::BenefitStop,
    ];

    /// The items applied for, leading item first.
    pub fn items(self) -> &'static [ServiceKind] {
        use ServiceKind::*;
        match self {
            Bundle::JobSeeking => &[JobSeeking],
            Bundle::RegistrationJoint => &[Registration, JobSeeking],
            Bundle::BenefitClaimJoint => &[BenefitClaim, Registration, JobSeeking],
            Bundle::RegistrationChange => &[RegistrationChange],
            Bundle::RegistrationCancel => &[RegistrationCancel],
            Bundle::BankAccountChange => &[BankAccountChange],
            Bundle::BenefitStop => &[BenefitStop],
        }
    }

    /// The item that names the bundle (its confirm dialog and its title).
    pub fn lead(self) -> ServiceKind {
        self.items()[0]
    }

    /// The wizard's sections in order; the check-answers page follows the last.
    pub fn sections(self) -> &'static [SectionKind] {
        use SectionKind::*;
        match self {
            Bundle::JobSeeking => &[BasicInfo, JobSeeking],
            Bundle::RegistrationJoint => &[BasicInfo, JobSeeking, Registration],
            Bundle::BenefitClaimJoint => &[BasicInfo, JobSeeking, Registration, BenefitClaim],
            Bundle::RegistrationChange => &[RegistrationChange],
            Bundle::RegistrationCancel => &[BasicInfoShort, RegistrationCancel],
            Bundle::BankAccountChange => &[BasicInfoShort, BankAccountChange],
            Bundle::BenefitStop => &[BasicInfoShort, BenefitStop],
        }
    }

    pub fn title_zh(self) -> String {
        match self {
            Bundle::RegistrationJoint | Bundle::BenefitClaimJoint => {
                let names: Vec<&str> = self.items().iter().map(|k| k.label_zh()).collect();
                format!("{}（联办）", names.join("、"))
            }
            _ => self.lead().label_zh().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_items_confirmed_by_sms_are_the_stop_and_the_bank_change_and_their_codes_name_them() {
        let confirmed: Vec<_> = ServiceKind::ALL.into_iter().filter(|k| k.needs_network()).collect();
        assert_eq!(confirmed, [ServiceKind::BankAccountChange, ServiceKind::BenefitStop]);
        for k in confirmed {
            let purpose = k.sms_purpose().unwrap();
            assert_eq!((purpose.item(), purpose.label_zh()), (Some(k), k.label_zh()));
        }
    }
    use super::ServiceKind::*;
    use super::*;

    fn select(clicks: &[ServiceKind]) -> Selection {
        clicks.iter().fold(Selection::default(), |s, k| s.click(*k).unwrap())
    }

    #[test]
    fn ticking_registration_ticks_job_seeking() {
        let s = select(&[Registration]);
        assert!(s.contains(Registration) && s.contains(JobSeeking));
        assert_eq!(s.bundle(), Some(Bundle::RegistrationJoint));
    }

    #[test]
    fn ticking_the_claim_ticks_registration_and_job_seeking() {
        let s = select(&[BenefitClaim]);
        assert_eq!(s.items().collect::<Vec<_>>(), vec![JobSeeking, Registration, BenefitClaim]);
        assert_eq!(s.bundle(), Some(Bundle::BenefitClaimJoint));
    }

    #[test]
    fn implied_items_cannot_be_unticked_while_their_implier_is_ticked() {
        let s = select(&[BenefitClaim]);
        assert_eq!(
            s.click(JobSeeking),
            Err(SelectionError::ImpliedBy { item: JobSeeking, by: Registration })
        );
        assert_eq!(
            s.click(Registration),
            Err(SelectionError::ImpliedBy { item: Registration, by: BenefitClaim })
        );
        // Unticking the claim releases the others, one level at a time.
        let s = s.click(BenefitClaim).unwrap();
        assert_eq!(s.bundle(), Some(Bundle::RegistrationJoint));
        let s = s.click(Registration).unwrap().click(JobSeeking).unwrap();
        assert!(s.is_empty());
        assert_eq!(s.bundle(), None);
    }

    #[test]
    fn a_single_item_replaces_the_rest() {
        let s = select(&[BenefitClaim, BenefitStop]);
        assert_eq!(s.items().collect::<Vec<_>>(), vec![BenefitStop]);
        let s = s.click(JobSeeking).unwrap();
        assert_eq!(s.bundle(), Some(Bundle::JobSeeking));
        assert_eq!(s.items().count(), 1);
    }

    #[test]
    fn every_reachable_selection_is_a_bundle() {
        // Breadth-first over all click sequences: every non-empty reachable selection maps to a
        // bundle whose items are exactly the ticked ones.
        let mut seen = vec![Selection::default()];
        let mut i = 0;
        while i < seen.len() {
            let s = seen[i];
            for k in ServiceKind::ALL {
                if let Ok(next) = s.click(k) {
                    if !seen.contains(&next) {
                        seen.push(next);
                    }
                }
            }
            i += 1;
        }
        for s in seen.iter().filter(|s| !s.is_empty()) {
            let b = s.bundle().unwrap();
            let mut items: Vec<_> = b.items().to_vec();
            items.sort();
            assert_eq!(s.items().collect::<Vec<_>>(), items);
        }
        assert_eq!(seen.len(), 8, "empty + seven bundles");
    }

    #[test]
    fn each_bundle_has_its_sections_in_the_manuals_order() {
        assert_eq!(
            Bundle::BenefitClaimJoint.sections(),
            &[
                SectionKind::BasicInfo,
                SectionKind::JobSeeking,
                SectionKind::Registration,
                SectionKind::BenefitClaim
            ]
        );
        assert_eq!(Bundle::BenefitClaimJoint.title_zh(), "失业保险金申领、失业登记、求职登记（联办）");
        for b in Bundle::ALL {
            assert!(!b.sections().is_empty());
            assert_eq!(b.lead(), b.items()[0]);
        }
    }
}
