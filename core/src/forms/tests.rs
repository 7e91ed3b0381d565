//! Whole-bundle validation: a complete claim passes, every section reports its own faults, and
//! the rules that span sections hold.

use super::*;
use crate::options::*;
use crate::records::Records;

fn records(beijing: bool) -> Records {
    crate::fixtures::receiving(beijing)
}

fn ctx(r: &Records) -> Context<'_> {
    Context { today: Date::new(2026, 11, 27).unwrap(), records: r, old_card_number: None }
}

/// The sample claim, with a 特殊身份 (valid for a Beijing 户籍 only).
fn complete_claim() -> Answers {
    let mut a = super::samples::benefit_claim("6212 2602 0000 0000 006");
    if let Answers::BenefitClaimJoint { registration, .. } = &mut a {
        registration.special_identities = vec![SpecialIdentity::OlderWorker];
    }
    a
}

#[test]
fn a_complete_claim_passes() {
    let r = records(true);
    assert_eq!(complete_claim().validate(&ctx(&r)), vec![]);
}

#[test]
fn an_empty_bundle_reports_each_sections_required_fields_in_order() {
    let r = records(true);
    let errs = Answers::new(Bundle::BenefitClaimJoint).validate(&ctx(&r));
    let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
    assert_eq!(fields.first(), Some(&FieldId::HouseholdProvince));
    assert_eq!(fields.last(), Some(&FieldId::RecordConfirmed));
    assert!(errs.iter().all(|e| e.code == ErrorCode::Required), "{errs:?}");
    for b in Bundle::ALL {
        assert_eq!(Answers::new(b).bundle(), b);
    }
}

#[test]
fn special_identity_only_for_beijing_hukou_and_agency_must_serve_the_street() {
    let r = records(false);
    let mut a = complete_claim();
    if let Answers::BenefitClaimJoint { registration, .. } = &mut a {
        registration.agency = Some("S110101001".into());
    }
    let errs = a.validate_section(SectionKind::Registration, &ctx(&r));
    let msgs: Vec<_> = errs.iter().map(|e| e.message_zh.as_str()).collect();
    assert_eq!(msgs, ["特殊身份仅限本市户籍人员选择", "服务机构不服务于您所在的街道（乡镇），请重新选择"]);
}

#[test]
fn bank_change_checks_confirmation_and_repeat() {
    let r = records(true);
    let change = super::samples::bank_change;
    let codes = |a: Answers| a.validate(&ctx(&r)).into_iter().map(|e| (e.field, e.code)).collect::<Vec<_>>();
    assert_eq!(codes(change("6217000010000000001", "6217 0000 1000 0000 001")), vec![]);
    assert_eq!(
        codes(change("6217000010000000001", "6217000010000000002")),
        vec![(FieldId::ConfirmCardNumber, ErrorCode::Mismatch)]
    );
    assert_eq!(
        codes(change("6212260200000000006", "6212260200000000006")),
        vec![(FieldId::NewCardNumber, ErrorCode::SameAsBefore)]
    );
    let with_old = Context { old_card_number: Some("6217000010000000001"), ..ctx(&r) };
    let errs = change("6217000010000000001", "6217000010000000001").validate(&with_old);
    assert_eq!(errs[0].code, ErrorCode::SameAsBefore);
}

#[test]
fn stop_needs_a_reason_code_and_consistent_months() {
    let mut r = records(true);
    let stop = |reason, remarks: &str, code: &str| Answers::BenefitStop {
        stop: single_items::BenefitStop { reason, remarks: remarks.into(), sms_code: code.into() },
    };
    assert_eq!(stop(Some(StopReason::Reemployed), "", "123456").validate(&ctx(&r)), vec![]);
    let errs = stop(Some(StopReason::Other), "", "12345").validate(&ctx(&r));
    assert_eq!(errs.iter().map(|e| e.field).collect::<Vec<_>>(), [FieldId::Remarks, FieldId::SmsCode]);
    if let Some(b) = r.benefit.as_mut() {
        b.months_received = 13;
    }
    let errs = stop(Some(StopReason::Reemployed), "", "123456").validate(&ctx(&r));
    assert_eq!(errs[0].message_zh, "已享受月数（13个月）不能超过可享受月数（12个月），请联系经办机构核实");
}

#[test]
fn change_and_cancel() {
    let r = records(true);
    let change = Answers::RegistrationChange {
        change: crate::registration::RegistrationChange {
            address: Address {
                household_district: Some("110105".into()),
                household_street: Some("110105001".into()),
                ..Address::default()
            },
            hukou_nature: Some(HukouNature::OtherUrban),
            qualification_name: "电工".into(),
            certificate_date: String::new(),
            skill_level: None,
            professional_title: None,
        },
    };
    let fields: Vec<_> = change.validate(&ctx(&r)).into_iter().map(|e| e.field).collect();
    assert_eq!(fields, [FieldId::HukouNature, FieldId::CertificateDate, FieldId::SkillLevel]);
    let cancel = Answers::new(Bundle::RegistrationCancel);
    assert_eq!(cancel.validate(&ctx(&r))[0].message_zh, "注销原因为必填项");
}

#[test]
fn answers_round_trip_with_their_bundle_tag() {
    let json = serde_json::to_value(complete_claim()).unwrap();
    assert_eq!(json["bundle"], "benefit_claim_joint");
    assert_eq!(serde_json::from_value::<Answers>(json).unwrap(), complete_claim());
    let bad = serde_json::json!({"bundle": "benefit_stop", "cancel": {}});
    assert!(serde_json::from_value::<Answers>(bad).is_err());
}

#[test]
fn what_validation_requires_the_catalogue_marks_required() {
    use super::catalogue::{fields, Need};
    let r = records(true);
    for b in Bundle::ALL {
        let answers = Answers::new(b);
        for s in b.sections() {
            for e in answers.validate_section(*s, &ctx(&r)).iter().filter(|e| e.code == ErrorCode::Required) {
                let spec = fields(*s).into_iter().find(|f| f.id == e.field);
                assert!(
                    spec.is_some_and(|f| f.need != Need::Optional),
                    "{:?} is required by {s:?} but not marked so",
                    e.field
                );
            }
        }
    }
}
