//! Field-level reading and writing of `Answers`, so a UI can render any section from the
//! catalogue: the value of a field, setting it from what was typed or picked, which fields show,
//! the choices a picker offers, and how an answer reads on the check-answers page.

use super::field::FieldId;
use super::Answers;
use crate::code;
use crate::options::NamedEntry;
use crate::options::{self, *};
use crate::records::Records;
use crate::reference::{agencies, banks, divisions, occupations, regions};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// A field's value as the UI holds it. Choices are option codes (the serde names), never labels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "type", content = "value", rename_all = "snake_case")]
pub enum Value {
    Text(String),
    Choice(Option<String>),
    Flag(bool),
    Many(Vec<String>),
}

/// An option enum read and written as its code.
trait CodeSlot {
    fn code(&self) -> Option<String>;
    /// False when `code` is not one of the options.
    fn set_code(&mut self, code: Option<String>) -> bool;
}

impl<T: Serialize + DeserializeOwned> CodeSlot for Option<T> {
    fn code(&self) -> Option<String> {
        self.as_ref().map(code::of)
    }

    fn set_code(&mut self, code: Option<String>) -> bool {
        match code.filter(|c| !c.is_empty()) {
            None => {
                *self = None;
                true
            }
            Some(c) => match code::parse(&c) {
                Some(v) => {
                    *self = Some(v);
                    true
                }
                None => false,
            },
        }
    }
}

enum Slot<'a> {
    Text(&'a mut String),
    Flag(&'a mut bool),
    Code(&'a mut dyn CodeSlot),
    Many(&'a mut Vec<SpecialIdentity>),
}

impl Answers {
    /// Where a field lives in this bundle's answers; `None` for fields the person does not type
    /// (identity, records) or that another bundle holds.
    fn slot(&mut self, field: FieldId) -> Option<Slot<'_>> {
        use FieldId as F;
        use Slot::*;
        let (basic, job, registration, claim) = match self {
            Answers::JobSeeking { basic, job_seeking } => (Some(basic), Some(job_seeking), None, None),
            Answers::RegistrationJoint { basic, job_seeking, registration } => {
                (Some(basic), Some(job_seeking), Some(registration), None)
            }
            Answers::BenefitClaimJoint { basic, job_seeking, registration, claim } => {
                (Some(basic), Some(job_seeking), Some(registration), Some(claim))
            }
            Answers::RegistrationChange { change } => {
                let c = change;
                return Some(match field {
                    F::HukouNature => Code(&mut c.hukou_nature),
                    F::QualificationName => Text(&mut c.qualification_name),
                    F::CertificateDate => Text(&mut c.certificate_date),
                    F::SkillLevel => Code(&mut c.skill_level),
                    F::ProfessionalTitle => Code(&mut c.professional_title),
                    _ => return address_slot(&mut c.address, field),
                });
            }
            Answers::RegistrationCancel { cancel } => {
                return (field == F::CancelReason).then_some(Code(&mut cancel.reason));
            }
            Answers::BankAccountChange { bank_change: b } => {
                return Some(match field {
                    F::NewBankCardType => Code(&mut b.account.card_type),
                    F::NewBank => Code(&mut b.account.bank),
                    F::NewCardNumber => Text(&mut b.account.card_number),
                    F::ConfirmCardNumber => Text(&mut b.confirm_card_number),
                    F::SmsCode => Text(&mut b.sms_code),
                    _ => return None,
                });
            }
            Answers::BenefitStop { stop } => {
                return Some(match field {
                    F::StopReason => Code(&mut stop.reason),
                    F::Remarks => Text(&mut stop.remarks),
                    F::SmsCode => Text(&mut stop.sms_code),
                    _ => return None,
                });
            }
        };
        if let Some(s) = basic.and_then(|b| address_slot(b, field)) {
            return Some(s);
        }
        match (field, job, registration, claim) {
            (F::WorkDistrict, Some(j), ..) => Some(Code(&mut j.work_district)),
            (F::JobTitle, Some(j), ..) => Some(Code(&mut j.job_title)),
            (F::EmploymentForm, Some(j), ..) => Some(Code(&mut j.employment_form)),
            (F::PayType, Some(j), ..) => Some(Code(&mut j.pay_type)),
            (F::PayMin, Some(j), ..) => Some(Text(&mut j.pay_min)),
            (F::PayMax, Some(j), ..) => Some(Text(&mut j.pay_max)),
            (F::UnemployedPersonType, _, Some(r), _) => Some(Code(&mut r.person_type)),
            (F::SpecialIdentity, _, Some(r), _) => Some(Many(&mut r.special_identities)),
            (F::ServiceAgency, _, Some(r), _) => Some(Code(&mut r.agency)),
            (F::BankCardType, .., Some(c)) => Some(Code(&mut c.account.card_type)),
            (F::Bank, .., Some(c)) => Some(Code(&mut c.account.bank)),
            (F::BankCardNumber, .., Some(c)) => Some(Text(&mut c.account.card_number)),
            (F::RecordConfirmed, .., Some(c)) => Some(Flag(&mut c.record_confirmed)),
            _ => None,
        }
    }

    /// The value of a field the person fills; `None` if this bundle has no such field.
    pub fn value(&self, field: FieldId) -> Option<Value> {
        // 户籍地's province and city read through the county code when answers saved before they
        // existed have only the county.
        let derived = match field {
            FieldId::HouseholdProvince => self.address().map(|a| a.household_province()),
            FieldId::HouseholdCity => self.address().map(|a| a.household_city()),
            _ => None,
        };
        if let Some(code) = derived {
            return Some(Value::Choice(code));
        }
        let mut copy = self.clone();
        let slot = copy.slot(field)?;
        Some(match slot {
            Slot::Text(s) => Value::Text(s.clone()),
            Slot::Flag(b) => Value::Flag(*b),
            Slot::Code(c) => Value::Choice(c.code()),
            Slot::Many(m) => Value::Many(m.iter().map(code::of).collect()),
        })
    }

    /// Sets a field. Returns false (and changes nothing) if the bundle has no such field or the
    /// value does not fit it. Choosing a district clears the street that no longer belongs to it;
    /// changing 就业形式 clears a 薪酬类型 it does not offer; a new card number drops the
    /// confirmation of a failed Luhn check.
    pub fn set(&mut self, field: FieldId, value: Value) -> bool {
        let Some(slot) = self.slot(field) else { return false };
        let done = match (slot, value) {
            (Slot::Text(s), Value::Text(v)) => {
                *s = v;
                true
            }
            (Slot::Flag(b), Value::Flag(v)) => {
                *b = v;
                true
            }
            (Slot::Code(c), Value::Choice(v)) => c.set_code(v),
            (Slot::Many(m), Value::Many(v)) => {
                let parsed: Option<Vec<SpecialIdentity>> = v.iter().map(|c| code::parse(c)).collect();
                match parsed {
                    Some(p) => {
                        *m = p;
                        true
                    }
                    None => false,
                }
            }
            _ => false,
        };
        if done {
            self.follow(field);
        }
        done
    }

    /// The answers' 基本信息 address, in the bundles that have one.
    pub fn address(&self) -> Option<&crate::registration::Address> {
        match self {
            Answers::JobSeeking { basic, .. }
            | Answers::RegistrationJoint { basic, .. }
            | Answers::BenefitClaimJoint { basic, .. } => Some(basic),
            Answers::RegistrationChange { change } => Some(&change.address),
            _ => None,
        }
    }

    /// Keeps dependent fields consistent after `field` changed.
    fn follow(&mut self, field: FieldId) {
        use FieldId as F;
        // 户籍地 from the top: a level that no longer lies inside the one above is cleared, and
        // the 街道/乡镇 goes with any change above it.
        let below = match field {
            F::HouseholdProvince => &[F::HouseholdCity, F::HouseholdDistrict][..],
            F::HouseholdCity => &[F::HouseholdDistrict][..],
            _ => &[][..],
        };
        for lower in below {
            let parent = self.choice(field).unwrap_or_default();
            let stored = self.clone().slot(*lower).and_then(|s| match s {
                Slot::Code(c) => c.code(),
                _ => None,
            });
            if stored.is_some_and(|c| parent.is_empty() || !c.starts_with(&parent)) {
                self.set(*lower, Value::Choice(None));
            }
        }
        let street_of = |district: F| match district {
            F::HouseholdDistrict => Some(F::HouseholdStreet),
            F::ResidenceDistrict => Some(F::ResidenceStreet),
            _ => None,
        };
        if let Some(street) = street_of(field) {
            let district = self.choice(field);
            let belongs = self
                .choice(street)
                .and_then(|s| divisions::street(&s))
                .is_some_and(|s| Some(s.district.as_str()) == district.as_deref());
            if !belongs {
                self.set(street, Value::Choice(None));
            }
        }
        if field == F::EmploymentForm {
            let form: Option<EmploymentForm> = self.choice(F::EmploymentForm).and_then(|c| code::parse(&c));
            let pay: Option<PayType> = self.choice(F::PayType).and_then(|c| code::parse(&c));
            if let (Some(f), Some(p)) = (form, pay) {
                if !f.pay_types().contains(&p) {
                    self.set(F::PayType, Value::Choice(None));
                }
            }
        }
        if matches!(field, F::BankCardNumber | F::NewCardNumber) {
            self.set_luhn_confirmed(false);
            // 开户行 follows the card number's prefix until the person chooses one themselves.
            let passbook = self.account().is_some_and(|a| a.card_type == Some(BankCardType::Passbook));
            if let Some(account) =
                self.account_mut().filter(|a| !passbook && (a.bank.is_none() || a.bank_suggested))
            {
                let digits: String = account.card_number.chars().filter(char::is_ascii_digit).collect();
                let suggested = banks::suggest(&digits).map(|(b, _)| b.code.to_string());
                account.bank_suggested = suggested.is_some();
                account.bank = suggested;
            }
        }
        if matches!(field, F::Bank | F::NewBank) {
            if let Some(account) = self.account_mut() {
                account.bank_suggested = false;
            }
        }
    }

    /// The code chosen in a choice field.
    pub fn choice(&self, field: FieldId) -> Option<String> {
        match self.value(field) {
            Some(Value::Choice(c)) => c,
            _ => None,
        }
    }

    /// Whether the person confirmed a card number that fails the Luhn check (a warning).
    pub fn luhn_confirmed(&self) -> bool {
        match self {
            Answers::BenefitClaimJoint { claim, .. } => claim.account.luhn_confirmed,
            Answers::BankAccountChange { bank_change } => bank_change.account.luhn_confirmed,
            _ => false,
        }
    }

    /// The bank account being entered (the claim's, or the bank change's 现…).
    fn account(&self) -> Option<&super::benefit_claim::Account> {
        match self {
            Answers::BenefitClaimJoint { claim, .. } => Some(&claim.account),
            Answers::BankAccountChange { bank_change } => Some(&bank_change.account),
            _ => None,
        }
    }

    fn account_mut(&mut self) -> Option<&mut super::benefit_claim::Account> {
        match self {
            Answers::BenefitClaimJoint { claim, .. } => Some(&mut claim.account),
            Answers::BankAccountChange { bank_change } => Some(&mut bank_change.account),
            _ => None,
        }
    }

    pub fn set_luhn_confirmed(&mut self, confirmed: bool) {
        match self {
            Answers::BenefitClaimJoint { claim, .. } => claim.account.luhn_confirmed = confirmed,
            Answers::BankAccountChange { bank_change } => bank_change.account.luhn_confirmed = confirmed,
            _ => {}
        }
    }

    /// Whether a field is shown now: 常住地 only when it differs from 户籍地, 特殊身份 only to
    /// persons with a Beijing 户籍.
    pub fn shows(&self, field: FieldId, records: &Records) -> bool {
        use FieldId as F;
        match field {
            F::ResidenceDistrict | F::ResidenceStreet | F::ResidenceAddress => {
                self.address().is_some_and(|a| a.residence_required())
            }
            // Outside Beijing the 常住地 is asked anyway: no box to find first.
            F::ResidenceDiffers => self.address().is_none_or(|a| !a.household_outside_beijing()),
            F::HouseholdStreet => self.address().is_none_or(|a| a.household_in_beijing()),
            // 香港, 澳门, 台湾, 外国: the province level names it.
            F::HouseholdCity | F::HouseholdDistrict => self
                .address()
                .is_none_or(|a| !a.household_province().is_some_and(|p| regions::stands_alone(&p))),
            F::SpecialIdentity => records.beijing_hukou,
            _ => true,
        }
    }

    /// The street whose agencies serve the person.
    fn service_street(&self) -> Option<String> {
        self.address().and_then(|a| a.service_street()).map(String::from)
    }

    /// Whether the person must answer `field` as the answers stand: one rule with validation (a
    /// test compares the two over every field), so that the UI's `*` and `aria-required` mark
    /// exactly what an empty answer would be refused for. Fields not shown, and fields the person
    /// does not type, are not required of them.
    pub fn required(&self, field: FieldId, records: &Records) -> bool {
        use super::catalogue::{fields, Need, Source};
        use FieldId as F;
        let spec = self.bundle().sections().iter().flat_map(|s| fields(*s)).find(|s| s.id == field);
        let Some(spec) = spec.filter(|s| s.source == Source::Entered) else { return false };
        if !self.shows(field, records) {
            return false;
        }
        match spec.need {
            Need::Required => true,
            Need::Optional => false,
            Need::Conditional => match field {
                // Shown only when they apply, and then asked for.
                F::HouseholdStreet | F::ResidenceDistrict | F::ResidenceStreet | F::ResidenceAddress => true,
                F::CertificateDate | F::SkillLevel => {
                    matches!(self.value(F::QualificationName), Some(Value::Text(t)) if !t.trim().is_empty())
                }
                F::QualificationName => {
                    matches!(self.value(F::CertificateDate), Some(Value::Text(t)) if !t.trim().is_empty())
                        || self.choice(F::SkillLevel).is_some()
                }
                F::Remarks => {
                    self.choice(F::StopReason).as_deref() == Some(code::of(&StopReason::Other).as_str())
                }
                // 特殊身份: 本市人员可根据实际情况自行选择 (the manual).
                _ => false,
            },
        }
    }

    /// A sentence the form shows under a field as the answers stand: what decides it, or what to
    /// fill first when it has nothing to offer yet.
    pub fn hint(&self, field: FieldId) -> Option<&'static str> {
        use FieldId as F;
        let address = self.address();
        match field {
            F::ResidenceDistrict if address.is_some_and(|a| a.household_outside_beijing()) => {
                Some("您的户籍地不在本市：请填写您在本市的常住地，服务机构按常住地确定。")
            }
            F::ServiceAgency if self.service_street().is_none() => Some(match address {
                Some(a) if a.residence_required() => "请先在基本信息中选择本市常住地的街道（乡镇），服务机构按常住地确定。",
                _ => "请先在基本信息中选择户籍地的街道（乡镇）；常住地与户籍地不一致的，请勾选“户籍地与常住地不一致”并填写常住地。",
            }),
            _ => None,
        }
    }

    /// What a picker offers for a field now. Empty for 岗位名称, which is searched instead (the
    /// catalogue has 1,634 entries).
    pub fn choices(&self, field: FieldId) -> Vec<NamedEntry> {
        use FieldId as F;
        let district_choices = || {
            divisions::districts()
                .into_iter()
                .map(|d| NamedEntry { code: d.code, name: d.name })
                .collect::<Vec<_>>()
        };
        let named = |(code, name): (&str, &str)| NamedEntry { code: code.into(), name: name.into() };
        let children = |parent: &str| regions::children(parent).into_iter().map(named).collect::<Vec<_>>();
        let streets = |district: F| {
            self.choice(district)
                .map(|d| {
                    divisions::streets_of(&d)
                        .into_iter()
                        .map(|s| NamedEntry { code: s.code, name: s.name })
                        .collect()
                })
                .unwrap_or_default()
        };
        match field {
            F::HouseholdProvince => regions::provinces().into_iter().map(named).collect(),
            F::HouseholdCity => self.choice(F::HouseholdProvince).map(|p| children(&p)).unwrap_or_default(),
            F::HouseholdDistrict => match self.choice(F::HouseholdCity) {
                // Beijing's districts are always at hand, table or not.
                Some(c) if c == "1101" && !regions::loaded() => district_choices(),
                Some(c) => children(&c),
                None => Vec::new(),
            },
            F::ResidenceDistrict | F::WorkDistrict => district_choices(),
            F::HouseholdStreet => streets(F::HouseholdDistrict),
            F::ResidenceStreet => streets(F::ResidenceDistrict),
            F::EmploymentForm => offered(EmploymentForm::ALL),
            F::PayType => {
                let form: Option<EmploymentForm> =
                    self.choice(F::EmploymentForm).and_then(|c| code::parse(&c));
                form.map(|f| offered(f.pay_types())).unwrap_or_default()
            }
            F::UnemployedPersonType => offered(UnemployedPersonType::ALL),
            F::SpecialIdentity => offered(SpecialIdentity::ALL),
            F::ServiceAgency => self
                .service_street()
                .map(|s| {
                    agencies::for_street(&s)
                        .into_iter()
                        .map(|a| NamedEntry { code: a.id, name: a.name })
                        .collect()
                })
                .unwrap_or_default(),
            F::BankCardType | F::NewBankCardType => offered(BankCardType::ALL),
            F::Bank | F::NewBank => banks::offered(),
            F::HukouNature => offered(HukouNature::ALL),
            F::SkillLevel => offered(SkillLevel::ALL),
            F::ProfessionalTitle => offered(ProfessionalTitle::ALL),
            F::CancelReason => offered(CancelReason::ALL),
            F::StopReason => offered(StopReason::ALL),
            _ => Vec::new(),
        }
    }

    /// The options of a section's answers that a published list withdrew after they were chosen
    /// (a draft, a queued submission): each an error on its field naming the option, so that the
    /// person sees what changed and picks again; what else they entered stays.
    pub fn withdrawn_in(&self, section: crate::services::SectionKind) -> Vec<super::FieldError> {
        use super::errors::{ErrorCode, FieldError};
        let mut errs = Vec::new();
        for field in super::catalogue::fields(section).iter().map(|s| s.id) {
            let Some(list) = option_list(field) else { continue };
            let codes = match self.value(field) {
                Some(Value::Choice(Some(c))) => vec![c],
                Some(Value::Many(v)) => v,
                _ => continue,
            };
            for c in codes.iter().filter(|c| options::withdrawn(list, c)) {
                let label = options::bundled_label(list, c).unwrap_or_else(|| c.clone());
                errs.push(FieldError::new(
                    field,
                    ErrorCode::Withdrawn,
                    &format!("的选项“{label}”已停用（政策调整），请重新选择"),
                ));
            }
        }
        errs
    }

    /// How a field's answer reads on the check-answers page (labels, not codes).
    pub fn display(&self, field: FieldId) -> String {
        let label_of = |code: &str| {
            if field == FieldId::JobTitle {
                return occupations::by_code(code).map(|o| o.name.to_string());
            }
            self.choices(field).into_iter().find(|c| c.code == code).map(|c| c.name)
        };
        match self.value(field) {
            Some(Value::Text(t)) => t.trim().to_string(),
            Some(Value::Flag(true)) => "是".into(),
            Some(Value::Flag(false)) => "否".into(),
            Some(Value::Choice(Some(c))) => label_of(&c).unwrap_or(c),
            Some(Value::Choice(None)) | None => String::new(),
            Some(Value::Many(v)) => {
                v.iter().map(|c| label_of(c).unwrap_or_else(|| c.clone())).collect::<Vec<_>>().join("、")
            }
        }
    }
}

/// The published option list a field chooses from.
fn option_list(field: FieldId) -> Option<&'static str> {
    use FieldId as F;
    Some(match field {
        F::EmploymentForm => EmploymentForm::LIST,
        F::PayType => PayType::LIST,
        F::UnemployedPersonType => UnemployedPersonType::LIST,
        F::SpecialIdentity => SpecialIdentity::LIST,
        F::BankCardType | F::NewBankCardType => BankCardType::LIST,
        F::HukouNature => HukouNature::LIST,
        F::SkillLevel => SkillLevel::LIST,
        F::ProfessionalTitle => ProfessionalTitle::LIST,
        F::CancelReason => CancelReason::LIST,
        F::StopReason => StopReason::LIST,
        _ => return None,
    })
}

fn address_slot(a: &mut crate::registration::Address, field: FieldId) -> Option<Slot<'_>> {
    use FieldId as F;
    Some(match field {
        F::HouseholdProvince => Slot::Code(&mut a.household_province),
        F::HouseholdCity => Slot::Code(&mut a.household_city),
        F::HouseholdDistrict => Slot::Code(&mut a.household_district),
        F::HouseholdStreet => Slot::Code(&mut a.household_street),
        F::HouseholdAddress => Slot::Text(&mut a.household_address),
        F::ResidenceDiffers => Slot::Flag(&mut a.residence_differs),
        F::ResidenceDistrict => Slot::Code(&mut a.residence_district),
        F::ResidenceStreet => Slot::Code(&mut a.residence_street),
        F::ResidenceAddress => Slot::Text(&mut a.residence_address),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bank_is_suggested_from_the_card_prefix_until_the_person_chooses() {
        let mut a = Answers::new(crate::services::Bundle::BenefitClaimJoint);
        a.set(FieldId::BankCardNumber, Value::Text("6210 9600 0000 0000 000".into()));
        let suggested = a.choice(FieldId::Bank).expect("a suggestion");
        assert_eq!(banks::by_code(&suggested).map(|b| b.name), Some("中国邮政储蓄银行"));
        // A bank the person chose is not replaced; a 存折 gets no card-prefix guess.
        a.set(FieldId::Bank, Value::Choice(Some("ICBC".into())));
        a.set(FieldId::BankCardNumber, Value::Text("6210960000000000001".into()));
        assert_eq!(a.choice(FieldId::Bank).as_deref(), Some("ICBC"));
        let mut p = Answers::new(crate::services::Bundle::BenefitClaimJoint);
        p.set(FieldId::BankCardType, Value::Choice(Some("passbook".into())));
        p.set(FieldId::BankCardNumber, Value::Text("6210960000000000000".into()));
        assert_eq!(p.choice(FieldId::Bank), None);
    }
    use crate::forms::catalogue::{fields, Source};
    use crate::services::Bundle;

    /// Every entered field of every bundle's sections can be read and written.
    #[test]
    fn every_entered_field_has_a_slot() {
        for bundle in Bundle::ALL {
            let answers = Answers::new(bundle);
            for section in bundle.sections() {
                for spec in fields(*section).into_iter().filter(|f| f.source == Source::Entered) {
                    assert!(answers.value(spec.id).is_some(), "{bundle:?} {:?}", spec.id);
                }
            }
        }
    }

    #[test]
    fn set_reads_back_and_refuses_what_does_not_fit() {
        let mut a = Answers::new(Bundle::RegistrationJoint);
        assert!(a.set(FieldId::EmploymentForm, Value::Choice(Some("full_time".into()))));
        assert_eq!(a.display(FieldId::EmploymentForm), "全职");
        assert!(!a.set(FieldId::EmploymentForm, Value::Choice(Some("nonsense".into()))));
        assert!(!a.set(FieldId::EmploymentForm, Value::Text("全职".into())));
        assert!(!a.set(FieldId::CancelReason, Value::Choice(None)), "not in this bundle");
        assert!(a.set(FieldId::SpecialIdentity, Value::Many(vec![code::of(&SpecialIdentity::ALL[0])])));
        assert_eq!(a.display(FieldId::SpecialIdentity), SpecialIdentity::ALL[0].label_zh());
    }

    #[test]
    fn dependent_fields_follow() {
        let mut a = Answers::new(Bundle::JobSeeking);
        a.set(FieldId::HouseholdDistrict, Value::Choice(Some("110101".into())));
        assert!(a.choices(FieldId::HouseholdStreet).iter().all(|c| c.code.starts_with("110101")));
        a.set(FieldId::HouseholdStreet, Value::Choice(Some("110101001".into())));
        a.set(FieldId::HouseholdDistrict, Value::Choice(Some("110101".into())));
        assert_eq!(
            a.choice(FieldId::HouseholdStreet).as_deref(),
            Some("110101001"),
            "same district keeps it"
        );
        a.set(FieldId::HouseholdDistrict, Value::Choice(Some("110105".into())));
        assert_eq!(a.choice(FieldId::HouseholdStreet), None, "another district clears it");

        a.set(FieldId::EmploymentForm, Value::Choice(Some("full_time".into())));
        assert_eq!(a.choices(FieldId::PayType).len(), 2);
        a.set(FieldId::PayType, Value::Choice(Some("monthly".into())));
        a.set(FieldId::EmploymentForm, Value::Choice(Some("part_time".into())));
        assert_eq!(a.choice(FieldId::PayType), None, "月薪 is not offered for 兼职");
    }

    #[test]
    fn residence_and_special_identity_show_only_when_they_apply() {
        let mut a = Answers::new(Bundle::RegistrationJoint);
        let mut r = crate::fixtures::fresh(24, crate::records::SeparationReason::DismissedByEmployer);
        assert!(!a.shows(FieldId::ResidenceStreet, &r));
        a.set(FieldId::ResidenceDiffers, Value::Flag(true));
        assert!(a.shows(FieldId::ResidenceStreet, &r));
        r.beijing_hukou = false;
        assert!(!a.shows(FieldId::SpecialIdentity, &r));
    }

    #[test]
    fn agencies_follow_where_the_person_lives() {
        let mut a = Answers::new(Bundle::RegistrationJoint);
        assert!(a.choices(FieldId::ServiceAgency).is_empty());
        a.set(FieldId::HouseholdDistrict, Value::Choice(Some("110101".into())));
        a.set(FieldId::HouseholdStreet, Value::Choice(Some("110101001".into())));
        assert_eq!(a.choices(FieldId::ServiceAgency)[0].code, "S110101001");
    }
}
