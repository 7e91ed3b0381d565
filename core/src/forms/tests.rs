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

/// Every answer state the forms can be in that changes what is asked: each bundle complete, a
/// 户籍 outside Beijing, a Beijing 户籍 with another 常住地, a qualification given, 停发 for 其他情形.
fn answer_states() -> Vec<(&'static str, Answers, Records)> {
    use super::edit::Value;
    use super::samples;
    // Province and city as the wizard stores them (the samples leave them implied by the county).
    let explicit = |mut a: Answers| {
        let (p, c) = a.address().map(|x| (x.household_province(), x.household_city())).unwrap_or_default();
        if let (Some(p), Some(c)) = (p, c) {
            assert!(a.set(FieldId::HouseholdProvince, Value::Choice(Some(p))));
            assert!(a.set(FieldId::HouseholdCity, Value::Choice(Some(c))));
        }
        a
    };
    let set = |a: Answers, changes: &[(FieldId, Value)]| {
        let mut a = explicit(a);
        for (f, v) in changes {
            assert!(a.set(*f, v.clone()), "{f:?}");
        }
        a
    };
    let choice = |c: &str| Value::Choice(Some(c.into()));
    let text = |t: &str| Value::Text(t.into());
    let claim = complete_claim();
    let outside = [
        (FieldId::HouseholdProvince, choice("13")),
        (FieldId::HouseholdCity, choice("1301")),
        (FieldId::HouseholdDistrict, choice("130102")),
        (FieldId::ResidenceDistrict, choice("110105")),
        (FieldId::ResidenceStreet, choice("110105001")),
        (FieldId::ResidenceAddress, text("建国门外大街1号")),
    ];
    let beyond = |province: &str| {
        let mut v = vec![(FieldId::HouseholdProvince, choice(province))];
        v.extend(outside[3..].iter().cloned());
        v
    };
    let hong_kong = beyond("81");
    let foreign = beyond(crate::reference::regions::FOREIGN);
    let foreign_national = || Records { foreign_national: true, ..records(false) };
    let elsewhere_in_beijing = [
        (FieldId::ResidenceDiffers, Value::Flag(true)),
        (FieldId::ResidenceDistrict, choice("110108")),
        (FieldId::ResidenceStreet, choice("110108001")),
        (FieldId::ResidenceAddress, text("中关村大街1号")),
        (FieldId::ServiceAgency, choice("S110108001")),
    ];
    let mut change = Answers::new(Bundle::RegistrationChange);
    if let (Answers::RegistrationChange { change }, Answers::BenefitClaimJoint { basic, .. }) =
        (&mut change, &claim)
    {
        change.address = basic.clone();
        change.hukou_nature = Some(HukouNature::BeijingUrban);
    }
    let qualified = set(
        change.clone(),
        &[
            (FieldId::QualificationName, text("电工")),
            (FieldId::CertificateDate, text("2020-01-01")),
            (FieldId::SkillLevel, choice(crate::code::of(&SkillLevel::ALL[0]).as_str())),
        ],
    );
    let stop = |reason: StopReason| Answers::BenefitStop {
        stop: single_items::BenefitStop {
            reason: Some(reason),
            remarks: "已入职".into(),
            sms_code: "123456".into(),
        },
    };
    let cancel = Answers::RegistrationCancel {
        cancel: single_items::RegistrationCancel { reason: Some(CancelReason::Employed) },
    };
    vec![
        ("求职登记", explicit(samples::job_seeking("80")), records(true)),
        ("申领", explicit(claim.clone()), records(true)),
        (
            "申领 外埠",
            set(claim.clone(), &[&outside[..], &[(FieldId::SpecialIdentity, Value::Many(vec![]))]].concat()),
            records(false),
        ),
        ("申领 常住地另在本市", set(claim, &elsewhere_in_beijing), records(true)),
        ("求职登记 外埠", set(samples::job_seeking("80"), &outside), records(false)),
        (
            "申领 香港",
            set(
                complete_claim(),
                &[&hong_kong[..], &[(FieldId::SpecialIdentity, Value::Many(vec![]))]].concat(),
            ),
            records(false),
        ),
        ("求职登记 外国", set(samples::job_seeking("80"), &foreign), foreign_national()),
        ("变更", explicit(change.clone()), records(true)),
        ("变更 资格", qualified, records(true)),
        (
            "变更 外埠",
            set(change, &[&outside[..], &[(FieldId::HukouNature, choice("other_urban"))]].concat()),
            records(false),
        ),
        ("注销", cancel, records(true)),
        ("银行账号变更", samples::bank_change("6217000010000000001", "6217000010000000001"), records(true)),
        ("停发", stop(StopReason::Reemployed), records(true)),
        ("停发 其他", stop(StopReason::Other), records(true)),
    ]
}

/// The `*` and `aria-required` the UI shows come from `Answers::required`; here it is compared,
/// for every field the person fills in every answer state, with what validation says of that
/// field left empty.
#[test]
fn a_field_is_marked_required_exactly_when_leaving_it_empty_is_refused() {
    use super::catalogue::{fields, Kind, Source};
    use super::edit::Value;
    // Each state complete, so that a field left empty is the one thing wrong (validation reports
    // the first missing level of an address only).
    for (state, answers, r) in answer_states() {
        let errs = answers.validate(&ctx(&r));
        assert!(!blocks(&errs), "{state}: the state itself is valid: {errs:?}");
        for s in answers.bundle().sections() {
            for spec in fields(*s).into_iter().filter(|f| f.source == Source::Entered) {
                if !answers.shows(spec.id, &r) {
                    assert!(!answers.required(spec.id, &r), "{state}: {:?} is hidden", spec.id);
                    continue;
                }
                let empty = match spec.kind {
                    Kind::Choice => Value::Choice(None),
                    Kind::MultiChoice => Value::Many(vec![]),
                    Kind::Checkbox => Value::Flag(false),
                    _ => Value::Text(String::new()),
                };
                let mut cleared = answers.clone();
                cleared.set(spec.id, empty.clone());
                if cleared.value(spec.id) != Some(empty) {
                    // Implied by a level below (a province by its county): it cannot be empty here.
                    continue;
                }
                let refused = cleared
                    .validate(&ctx(&r))
                    .iter()
                    .any(|e| e.field == spec.id && e.code == ErrorCode::Required);
                assert_eq!(answers.required(spec.id, &r), refused, "{state}: {:?}", spec.id);
            }
        }
    }
}

/// 香港, 澳门, 台湾 and 外国 are a 户籍地 at the province level; 外国 only for a foreign national.
#[test]
fn a_household_beyond_the_mainland_is_named_at_the_province() {
    use super::edit::Value;
    let mut a = Answers::new(Bundle::JobSeeking);
    a.set(FieldId::HouseholdProvince, Value::Choice(Some("82".into())));
    let r = records(false);
    assert!(!a.shows(FieldId::HouseholdCity, &r) && !a.shows(FieldId::HouseholdDistrict, &r));
    assert!(a.shows(FieldId::ResidenceStreet, &r), "the Beijing 常住地 is asked");
    assert_eq!(a.display(FieldId::HouseholdProvince), "澳门特别行政区");
    let mut f = Answers::new(Bundle::JobSeeking);
    f.set(FieldId::HouseholdProvince, Value::Choice(Some(crate::reference::regions::FOREIGN.into())));
    let errs = f.validate_section(SectionKind::BasicInfo, &ctx(&r));
    let province = errs.iter().find(|e| e.field == FieldId::HouseholdProvince).expect("refused at 户籍地");
    assert!(province.message_zh.ends_with("：“外国”仅限持外国人永久居留身份证的申请人选择"), "{province:?}");
    let foreigner = Records { foreign_national: true, ..r };
    let errs = f.validate_section(SectionKind::BasicInfo, &ctx(&foreigner));
    assert!(errs.iter().all(|e| e.field != FieldId::HouseholdProvince), "{errs:?}");
}

/// A 户籍 outside Beijing asks for the Beijing 常住地 at once (no box to find first), its
/// 服务机构 follow that 常住地, and with no street yet the list says what to fill first.
#[test]
fn outside_beijing_the_residence_is_asked_and_decides_the_office() {
    use super::edit::Value;
    let r = records(false);
    let mut a = Answers::new(Bundle::RegistrationJoint);
    assert!(a.hint(FieldId::ServiceAgency).is_some_and(|h| h.contains("户籍地的街道")));
    a.set(FieldId::HouseholdProvince, Value::Choice(Some("13".into())));
    assert!(a.shows(FieldId::ResidenceDistrict, &r) && !a.shows(FieldId::ResidenceDiffers, &r));
    assert!(a.required(FieldId::ResidenceStreet, &r));
    assert!(a.hint(FieldId::ResidenceDistrict).is_some_and(|h| h.contains("服务机构按常住地确定")));
    assert!(a.choices(FieldId::ServiceAgency).is_empty());
    assert!(a.hint(FieldId::ServiceAgency).is_some_and(|h| h.contains("本市常住地的街道")));
    a.set(FieldId::ResidenceDistrict, Value::Choice(Some("110101".into())));
    a.set(FieldId::ResidenceStreet, Value::Choice(Some("110101001".into())));
    assert_eq!(a.choices(FieldId::ServiceAgency)[0].code, "S110101001");
    assert_eq!(a.hint(FieldId::ServiceAgency), None);
    // Left without a 常住地, it is refused at the 常住地, not at an empty office list.
    let mut b = Answers::new(Bundle::RegistrationJoint);
    b.set(FieldId::HouseholdProvince, Value::Choice(Some("13".into())));
    let fields: Vec<_> = b.validate(&ctx(&r)).into_iter().map(|e| e.field).collect();
    assert!(
        fields.contains(&FieldId::ResidenceDistrict) && fields.contains(&FieldId::ResidenceAddress),
        "{fields:?}"
    );
}
