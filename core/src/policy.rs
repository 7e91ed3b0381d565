//! Who may apply for what, and for how long benefit is paid: the one table of policy rules.
//!
//! Sources: 《失业保险条例》 (国务院令第258号) 第十四条 (conditions: at least one year of
//! contributions, employment ended against the person's will, registered and seeking work) and
//! 第十七条 (maximum benefit period: the published rule, `benefit`); the operations manual for which items a
//! registration or a running benefit is needed for.

use crate::records::Records;
use crate::services::ServiceKind;
use serde::{Deserialize, Serialize};

/// Why an item is not open to the person now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Ineligible {
    AlreadyRegistered,
    NotRegistered,
    NotReceivingBenefit,
    AlreadyReceivingBenefit,
    ClaimAlreadyOpen,
    NoContributionRecord,
    ContributionTooShort,
    LeftVoluntarily,
    /// The person already has an item of this kind waiting for a decision (one at a time).
    ItemPending,
}

impl Ineligible {
    /// What the person can do about it, when the records rule the item out (the manual: 如申请人对
    /// 以下信息有异议，联系原参保缴费单位或者原存档机构进行核实).
    pub fn remedy_zh(self) -> Option<&'static str> {
        match self {
            Ineligible::NoContributionRecord
            | Ineligible::ContributionTooShort
            | Ineligible::LeftVoluntarily => Some(
                "如对社会保险记录有异议，请联系原参保缴费单位或者原存档机构进行核实，记录更正后即可申领。",
            ),
            Ineligible::NotRegistered => Some("请先办理失业登记（可与求职登记联办）。"),
            Ineligible::ItemPending | Ineligible::ClaimAlreadyOpen => Some("请在“我的办件”中查看审核进度。"),
            _ => None,
        }
    }

    pub fn message_zh(self) -> &'static str {
        match self {
            Ineligible::AlreadyRegistered => "您已有有效的失业登记，无需重复登记",
            Ineligible::NotRegistered => "您当前没有有效的失业登记",
            Ineligible::NotReceivingBenefit => "您当前未在领取失业保险金",
            Ineligible::AlreadyReceivingBenefit => "您正在领取失业保险金，不能重复申领",
            Ineligible::ClaimAlreadyOpen => "您已有一笔正在审核的失业保险金申领",
            Ineligible::NoContributionRecord => "未查询到您的失业保险缴费记录",
            Ineligible::ContributionTooShort => "累计缴纳失业保险费不满12个月，不符合申领条件",
            Ineligible::LeftVoluntarily => "因本人意愿中断就业的，不符合申领条件",
            Ineligible::ItemPending => "您已有一项同类事项正在审核，请等待审核结果后再申请",
        }
    }
}

pub use crate::benefit::MIN_CONTRIBUTION_MONTHS;

/// Whether `item` is open to a person with these records.
pub fn eligibility(item: ServiceKind, r: &Records) -> Result<(), Ineligible> {
    use Ineligible::*;
    let require = |ok: bool, why: Ineligible| if ok { Ok(()) } else { Err(why) };
    match item {
        ServiceKind::JobSeeking => Ok(()),
        ServiceKind::Registration => require(!r.registered, AlreadyRegistered),
        ServiceKind::BenefitClaim => {
            require(r.benefit.is_none(), AlreadyReceivingBenefit)?;
            require(!r.open_claim, ClaimAlreadyOpen)?;
            let c = r.contribution.as_ref().ok_or(NoContributionRecord)?;
            require(c.contribution_months >= MIN_CONTRIBUTION_MONTHS, ContributionTooShort)?;
            require(c.separation_reason.is_involuntary(), LeftVoluntarily)
        }
        ServiceKind::RegistrationChange | ServiceKind::RegistrationCancel => {
            require(r.registered, NotRegistered)
        }
        ServiceKind::BankAccountChange | ServiceKind::BenefitStop => {
            require(r.benefit.is_some(), NotReceivingBenefit)
        }
    }
}

/// An item of the person's applications that awaits a decision and keeps `kind` from being applied
/// for now: the same kind, or one that `kind` applies for with it (a joint item sends the items it
/// implies). The server refuses such a submission (409 `item_pending`); the service page says so
/// before anything is filled.
pub fn pending_blocker(
    kind: ServiceKind,
    applications: &[crate::api::Application],
) -> Option<&crate::api::ItemState> {
    let sent_with = |k: ServiceKind| k == kind || kind.implies().contains(&k);
    applications.iter().flat_map(|a| &a.items).find(|i| i.status.awaits_decision() && sent_with(i.item))
}

/// Whether a whole bundle is open: the claim's joint bundle registers the person as part of it,
/// so its registration item does not require (or refuse) an existing registration.
pub fn bundle_eligibility(bundle: crate::services::Bundle, r: &Records) -> Result<(), Ineligible> {
    use crate::services::Bundle;
    match bundle {
        Bundle::BenefitClaimJoint => eligibility(ServiceKind::BenefitClaim, r),
        b => b.items().iter().try_for_each(|i| eligibility(*i, r)),
    }
}

/// Whether `items` of `bundle` may be sent now: all of them (the bundle's rule), or some of them
/// again (a resubmission after 退回补正: each item by its own rule, since the others of its
/// application stand as they are). `Err` names the item and why.
pub fn items_eligibility(
    bundle: crate::services::Bundle,
    items: Option<&[ServiceKind]>,
    r: &Records,
) -> Result<(), (ServiceKind, Ineligible)> {
    match items {
        None => bundle_eligibility(bundle, r).map_err(|why| (bundle.lead(), why)),
        Some(subset) => subset.iter().try_for_each(|i| eligibility(*i, r).map_err(|why| (*i, why))),
    }
}

/// The items a submission asks for: the bundle's, or a valid subset of them in the bundle's order.
pub fn submitted_items(
    bundle: crate::services::Bundle,
    items: Option<&[ServiceKind]>,
) -> Option<Vec<ServiceKind>> {
    match items {
        None => Some(bundle.items().to_vec()),
        Some(subset) => {
            let all = bundle.items();
            let ok = !subset.is_empty() && subset.iter().all(|i| all.contains(i));
            ok.then(|| all.iter().copied().filter(|i| subset.contains(i)).collect())
        }
    }
}

#[cfg(test)]
mod pending_tests {
    use super::*;
    use crate::api::{Application, ItemState, ItemStatus};

    fn app(items: &[(ServiceKind, ItemStatus, &str)]) -> Application {
        Application {
            id: "A".into(),
            submitted_at: "t".into(),
            bundle: None,
            items: items
                .iter()
                .map(|(item, status, case)| ItemState {
                    item: *item,
                    case_number: case.to_string(),
                    status: *status,
                    reason: None,
                    expected_decision: None,
                })
                .collect(),
        }
    }

    #[test]
    fn an_item_awaiting_a_decision_rules_out_its_kind_and_the_joint_items_that_send_it() {
        use ServiceKind::*;
        let apps = [
            app(&[(JobSeeking, ItemStatus::InReview, "QZ1")]),
            app(&[
                (RegistrationCancel, ItemStatus::Approved, "ZX1"),
                (BenefitStop, ItemStatus::Returned, "TF1"),
            ]),
        ];
        for kind in [JobSeeking, Registration, BenefitClaim] {
            assert_eq!(pending_blocker(kind, &apps).map(|i| i.case_number.as_str()), Some("QZ1"), "{kind:?}");
        }
        for kind in [RegistrationChange, RegistrationCancel, BankAccountChange, BenefitStop] {
            assert_eq!(pending_blocker(kind, &apps), None, "{kind:?}: decided or returned is not pending");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_returned_item_of_a_joint_application_is_sent_again_alone() {
        use crate::api::{Application, ItemState, ItemStatus};
        let item = |item, status| ItemState {
            item,
            case_number: String::new(),
            status,
            reason: None,
            expected_decision: None,
        };
        let app = |items| Application { id: "a".into(), submitted_at: String::new(), bundle: None, items };
        let joint = app(vec![
            item(ServiceKind::BenefitClaim, ItemStatus::Submitted),
            item(ServiceKind::Registration, ItemStatus::Returned),
            item(ServiceKind::JobSeeking, ItemStatus::Approved),
        ]);
        assert_eq!(
            joint.resubmission(),
            Some((Bundle::BenefitClaimJoint, Some(vec![ServiceKind::Registration])))
        );
        let single = app(vec![item(ServiceKind::RegistrationChange, ItemStatus::Returned)]);
        assert_eq!(single.resubmission(), Some((Bundle::RegistrationChange, None)));
        // A resubmission of the registration alone, returned again: the registration alone again,
        // in the claim's bundle, never the 求职登记 that was approved the first time.
        let again = Application {
            bundle: Some(Bundle::BenefitClaimJoint),
            ..app(vec![item(ServiceKind::Registration, ItemStatus::Returned)])
        };
        assert_eq!(
            again.resubmission(),
            Some((Bundle::BenefitClaimJoint, Some(vec![ServiceKind::Registration])))
        );
        assert_eq!(
            submitted_items(
                Bundle::BenefitClaimJoint,
                Some(&[ServiceKind::JobSeeking, ServiceKind::Registration])
            ),
            Some(vec![ServiceKind::Registration, ServiceKind::JobSeeking])
        );
        assert_eq!(submitted_items(Bundle::JobSeeking, Some(&[ServiceKind::BenefitStop])), None);
        assert_eq!(submitted_items(Bundle::JobSeeking, Some(&[])), None);
    }
    use crate::fixtures::fresh;
    use crate::records::SeparationReason;
    use crate::services::Bundle;

    #[test]
    fn claim_conditions() {
        let ok = fresh(36, SeparationReason::DismissedByEmployer);
        assert_eq!(bundle_eligibility(Bundle::BenefitClaimJoint, &ok), Ok(()));
        assert_eq!(
            eligibility(ServiceKind::BenefitClaim, &fresh(11, SeparationReason::ContractExpired)),
            Err(Ineligible::ContributionTooShort)
        );
        assert_eq!(
            eligibility(ServiceKind::BenefitClaim, &fresh(36, SeparationReason::Resigned)),
            Err(Ineligible::LeftVoluntarily)
        );
        let open = Records { open_claim: true, ..ok.clone() };
        assert_eq!(eligibility(ServiceKind::BenefitClaim, &open), Err(Ineligible::ClaimAlreadyOpen));
        let none = Records { contribution: None, ..ok.clone() };
        assert_eq!(eligibility(ServiceKind::BenefitClaim, &none), Err(Ineligible::NoContributionRecord));
    }

    #[test]
    fn registration_and_benefit_items() {
        let unregistered = fresh(36, SeparationReason::DismissedByEmployer);
        assert_eq!(
            eligibility(ServiceKind::RegistrationCancel, &unregistered),
            Err(Ineligible::NotRegistered)
        );
        assert_eq!(
            eligibility(ServiceKind::RegistrationChange, &unregistered),
            Err(Ineligible::NotRegistered)
        );
        assert_eq!(
            eligibility(ServiceKind::BenefitStop, &unregistered),
            Err(Ineligible::NotReceivingBenefit)
        );
        assert_eq!(
            eligibility(ServiceKind::BankAccountChange, &unregistered),
            Err(Ineligible::NotReceivingBenefit)
        );
        assert_eq!(bundle_eligibility(Bundle::JobSeeking, &unregistered), Ok(()));
        let receiving = crate::fixtures::receiving(true);
        assert_eq!(
            bundle_eligibility(Bundle::RegistrationJoint, &receiving),
            Err(Ineligible::AlreadyRegistered)
        );
        assert_eq!(bundle_eligibility(Bundle::BenefitStop, &receiving), Ok(()));
        assert_eq!(
            bundle_eligibility(Bundle::BenefitClaimJoint, &receiving),
            Err(Ineligible::AlreadyReceivingBenefit)
        );
        assert_eq!(Ineligible::NotRegistered.message_zh(), "您当前没有有效的失业登记");
    }
}
