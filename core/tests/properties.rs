//! Property tests: no validator panics on arbitrary input, and every wire type survives a JSON
//! round trip unchanged.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use shiye_core::api::*;
use shiye_core::cn::{bank_card, id_number, mobile};
use shiye_core::date::Date;
use shiye_core::forms::benefit_claim::{Account, BenefitClaim};
use shiye_core::forms::job_seeking::JobSeeking;
use shiye_core::forms::registration::Registration;
use shiye_core::forms::single_items::{BankAccountChange, BenefitStop, RegistrationCancel};
use shiye_core::forms::{Answers, Context, ErrorCode, FieldError, FieldId, Severity};
use shiye_core::options::*;
use shiye_core::person::*;
use shiye_core::policy::Ineligible;
use shiye_core::records::*;
use shiye_core::registration::Address;
use shiye_core::registration::RegistrationChange;
use shiye_core::services::{Bundle, ServiceKind};
use shiye_core::{CommandError, ErrorKind};

fn pick<T: Copy + std::fmt::Debug + 'static>(all: &'static [T]) -> impl Strategy<Value = T> {
    proptest::sample::select(all)
}

/// Text that is sometimes well-formed and sometimes anything at all.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{0,40}",
        "[0-9 ]{0,24}",
        "[0-9]{17}[0-9Xx]",
        Just("110105".to_string()),
        Just("110105001".to_string()),
        Just("2-02-10-03".to_string()),
        Just("ICBC".to_string()),
        Just("S110105001".to_string()),
    ]
}

fn date() -> impl Strategy<Value = Date> {
    (1900u16..2199, 1u8..=12, 1u8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

fn address() -> impl Strategy<Value = Address> {
    (
        (proptest::option::of(text()), proptest::option::of(text())),
        proptest::option::of(text()),
        proptest::option::of(text()),
        text(),
        any::<bool>(),
        proptest::option::of(text()),
        proptest::option::of(text()),
        text(),
    )
        .prop_map(|((hp, hc), hd, hs, ha, differs, rd, rs, ra)| Address {
            household_province: hp,
            household_city: hc,
            household_district: hd,
            household_street: hs,
            household_address: ha,
            residence_differs: differs,
            residence_district: rd,
            residence_street: rs,
            residence_address: ra,
        })
}

fn account() -> impl Strategy<Value = Account> {
    (proptest::option::of(pick(BankCardType::ALL)), proptest::option::of(text()), text(), any::<bool>())
        .prop_map(|(card_type, bank, card_number, luhn_confirmed)| Account {
            card_type,
            bank,
            card_number,
            luhn_confirmed,
            bank_suggested: false,
        })
}

fn job_seeking() -> impl Strategy<Value = JobSeeking> {
    (
        proptest::option::of(text()),
        proptest::option::of(text()),
        proptest::option::of(pick(EmploymentForm::ALL)),
        proptest::option::of(pick(PayType::ALL)),
        text(),
        text(),
    )
        .prop_map(|(work_district, job_title, employment_form, pay_type, pay_min, pay_max)| JobSeeking {
            work_district,
            job_title,
            employment_form,
            pay_type,
            pay_min,
            pay_max,
        })
}

fn registration() -> impl Strategy<Value = Registration> {
    (
        proptest::option::of(pick(UnemployedPersonType::ALL)),
        proptest::collection::vec(pick(SpecialIdentity::ALL), 0..4),
        proptest::option::of(text()),
    )
        .prop_map(|(person_type, special_identities, agency)| Registration {
            person_type,
            special_identities,
            agency,
        })
}

fn answers() -> impl Strategy<Value = Answers> {
    let claim = (account(), any::<bool>())
        .prop_map(|(account, record_confirmed)| BenefitClaim { account, record_confirmed });
    let change = (
        address(),
        proptest::option::of(pick(HukouNature::ALL)),
        text(),
        text(),
        proptest::option::of(pick(SkillLevel::ALL)),
        proptest::option::of(pick(ProfessionalTitle::ALL)),
    )
        .prop_map(
            |(
                address,
                hukou_nature,
                qualification_name,
                certificate_date,
                skill_level,
                professional_title,
            )| {
                RegistrationChange {
                    address,
                    hukou_nature,
                    qualification_name,
                    certificate_date,
                    skill_level,
                    professional_title,
                }
            },
        );
    prop_oneof![
        (address(), job_seeking())
            .prop_map(|(basic, job_seeking)| Answers::JobSeeking { basic, job_seeking }),
        (address(), job_seeking(), registration()).prop_map(|(basic, job_seeking, registration)| {
            Answers::RegistrationJoint { basic, job_seeking, registration }
        }),
        (address(), job_seeking(), registration(), claim).prop_map(
            |(basic, job_seeking, registration, claim)| {
                Answers::BenefitClaimJoint { basic, job_seeking, registration, claim }
            }
        ),
        change.prop_map(|change| Answers::RegistrationChange { change }),
        proptest::option::of(pick(CancelReason::ALL))
            .prop_map(|reason| Answers::RegistrationCancel { cancel: RegistrationCancel { reason } }),
        (account(), text(), text()).prop_map(|(account, confirm_card_number, sms_code)| {
            Answers::BankAccountChange {
                bank_change: BankAccountChange { account, confirm_card_number, sms_code },
            }
        }),
        (proptest::option::of(pick(StopReason::ALL)), text(), text()).prop_map(
            |(reason, remarks, sms_code)| Answers::BenefitStop {
                stop: BenefitStop { reason, remarks, sms_code }
            }
        ),
    ]
}

fn records() -> impl Strategy<Value = Records> {
    let contribution =
        (pick(&[SeparationReason::Resigned, SeparationReason::ContractExpired]), 0u32..600, text(), date())
            .prop_map(|(separation_reason, contribution_months, last_employer, last_contribution_date)| {
                ContributionRecord {
                    separation_reason,
                    contribution_months,
                    last_employer,
                    last_contribution_date,
                }
            });
    let benefit = (date(), 0u32..30, 0u32..30, pick(BankCardType::ALL), text(), text()).prop_map(
        |(claim_date, months_entitled, months_received, card_type, bank_code, card_masked)| BenefitRecord {
            claim_date,
            months_entitled,
            months_received,
            card_type,
            bank_code,
            card_masked,
        },
    );
    (
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(contribution),
        proptest::option::of(benefit),
        proptest::option::of(address()),
    )
        .prop_map(|(beijing_hukou, registered, open_claim, contribution, benefit, address)| Records {
            beijing_hukou,
            registered,
            open_claim,
            contribution,
            benefit,
            // The registration as it stands (the change validation compares against it).
            registration: address.map(|address| RegistrationChange { address, ..Default::default() }),
            foreign_national: !beijing_hukou && registered,
        })
}

fn round_trips<T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug>(v: &T) {
    let json = serde_json::to_string(v).unwrap();
    assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), v, "{json}");
}

fn check_answers(a: Answers, r: Records, old: Option<String>) -> Result<(), TestCaseError> {
    let ctx =
        Context { today: Date::new(2026, 11, 27).unwrap(), records: &r, old_card_number: old.as_deref() };
    for e in &a.validate(&ctx) {
        prop_assert!(!e.message_zh.is_empty());
        prop_assert!(e.message_zh.starts_with(e.field.label_zh()), "{}", e.message_zh);
    }
    round_trips(&a);
    round_trips(&r);
    round_trips(&ApplicationSubmission {
        schema_version: DRAFT_SCHEMA_VERSION,
        answers: a,
        items: None,
        consent: None,
    });
    for item in ServiceKind::ALL {
        let _ = shiye_core::policy::eligibility(item, &r);
    }
    for b in Bundle::ALL {
        let _ = shiye_core::policy::bundle_eligibility(b, &r);
    }
    Ok(())
}

#[test]
fn form_validation_never_panics_and_answers_round_trip() {
    // The nested strategy types need more stack than a test thread has in a debug build.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(|| {
            let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig {
                cases: 256,
                ..ProptestConfig::default()
            });
            let inputs = (answers(), records(), proptest::option::of(text()));
            runner.run(&inputs, |(a, r, old)| check_answers(a, r, old)).unwrap();
        })
        .unwrap()
        .join()
        .unwrap();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn format_validators_never_panic(s in "\\PC{0,40}", t in "[0-9Xx -]{0,24}") {
        let today = Date::new(2026, 11, 27).unwrap();
        for input in [&s, &t] {
            let _ = id_number::parse(input, today);
            let _ = id_number::checksum_ok(input);
            let _ = id_number::mask(input);
            let _ = mobile::normalize(input);
            let _ = mobile::mask(input);
            let _ = bank_card::normalize(input);
            let _ = bank_card::luhn_ok(input);
            let _ = bank_card::mask(input);
            let _ = Date::parse_iso(input);
            let _ = Date::parse_compact(input);
        }
    }

    #[test]
    fn other_wire_types_round_trip(
        s in text(), d in date(), item in pick(&ServiceKind::ALL), status in pick(&[ItemStatus::Submitted, ItemStatus::InReview, ItemStatus::Approved, ItemStatus::Rejected, ItemStatus::Returned]),
        field in pick(FieldId::ALL), code in pick(&[ErrorCode::Required, ErrorCode::Invalid, ErrorCode::Suspicious]),
        months in 0u32..1000,
    ) {
        let state = ItemState { item, case_number: s.clone(), status, reason: Some(s.clone()), expected_decision: Some(d) };
        round_trips(&Application { id: s.clone(), submitted_at: s.clone(), bundle: None, items: vec![state.clone(), ItemState { reason: None, expected_decision: None, ..state }] });
        let fe = FieldError { field, code, message_zh: s.clone(), severity: Severity::Warning };
        round_trips(&ValidationFailure { errors: vec![fe.clone(), FieldError { severity: Severity::Error, ..fe }] });
        round_trips(&Conflict { reason: Ineligible::NotRegistered, item, message_zh: s.clone() });
        round_trips(&CommandError::new(ErrorKind::Network, s.clone()));
        round_trips(&Session { subject: s.clone(), name: s.clone() });
        round_trips(&UserInfo { sub: s.clone(), name: s.clone(), id_type: IdType::ResidentIdCard, id_number: s.clone(), phone: s.clone(), gender: Gender::Male, birth_date: d.to_string() });
        round_trips(&d);
        prop_assert!(shiye_core::benefit::entitlement(months, d).months <= shiye_core::benefit::MAX_MONTHS);
    }
}
