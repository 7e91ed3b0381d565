//! The wizard's sections with every field the manual names, their option lists and rules. A
//! bundle's answers are one typed value (`Answers`), validated the same way by the UI (live), the
//! app (before queueing) and the server (before accepting).

pub mod address;
pub mod benefit_claim;
pub mod catalogue;
pub mod edit;
pub mod errors;
pub mod field;
pub mod job_seeking;
pub mod receipt;
pub mod registration;
pub mod registration_change;
pub mod rules;
#[cfg(any(test, feature = "samples"))]
pub mod samples;
pub mod single_items;

pub use errors::{blocks, ErrorCode, FieldError, Severity};
pub use field::FieldId;

use crate::date::Date;
use crate::records::Records;
use crate::registration::Address;
use crate::registration::RegistrationChange;
use crate::services::{Bundle, SectionKind};
use benefit_claim::BenefitClaim;
use job_seeking::JobSeeking;
use registration::Registration;
use serde::Serialize;
use single_items::{BankAccountChange, BenefitStop, RegistrationCancel};

#[cfg(test)]
mod tests;

/// What validation may read besides the answers.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub today: Date,
    pub records: &'a Records,
    /// The full old card number; only the server has it (the app compares masks).
    pub old_card_number: Option<&'a str>,
}

/// A bundle's answers, one variant per bundle, so an answer set always matches its bundle.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "bundle", rename_all = "snake_case", deny_unknown_fields)]
pub enum Answers {
    JobSeeking {
        basic: Address,
        job_seeking: JobSeeking,
    },
    RegistrationJoint {
        basic: Address,
        job_seeking: JobSeeking,
        registration: Registration,
    },
    BenefitClaimJoint {
        basic: Address,
        job_seeking: JobSeeking,
        registration: Registration,
        claim: BenefitClaim,
    },
    RegistrationChange {
        change: RegistrationChange,
    },
    RegistrationCancel {
        cancel: RegistrationCancel,
    },
    BankAccountChange {
        bank_change: BankAccountChange,
    },
    BenefitStop {
        stop: BenefitStop,
    },
}

crate::tagged::tagged! {
    Answers, tag "bundle", unknown_fields true,
    fields {
        basic: Address,
        job_seeking: JobSeeking,
        registration: Registration,
        claim: BenefitClaim,
        change: RegistrationChange,
        cancel: RegistrationCancel,
        bank_change: BankAccountChange,
        stop: BenefitStop,
    },
    variants {
        JobSeeking "job_seeking" { basic, job_seeking },
        RegistrationJoint "registration_joint" { basic, job_seeking, registration },
        BenefitClaimJoint "benefit_claim_joint" { basic, job_seeking, registration, claim },
        RegistrationChange "registration_change" { change },
        RegistrationCancel "registration_cancel" { cancel },
        BankAccountChange "bank_account_change" { bank_change },
        BenefitStop "benefit_stop" { stop },
    }
}

impl Answers {
    /// An empty answer set for a bundle.
    /// The answers a wizard starts from: empty, except 失业登记信息变更, which starts from the
    /// registration as it stands so that only what changes is touched.
    pub fn starting(bundle: Bundle, records: &crate::records::Records) -> Answers {
        match (bundle, &records.registration) {
            (Bundle::RegistrationChange, Some(current)) => {
                Answers::RegistrationChange { change: current.clone() }
            }
            _ => Answers::new(bundle),
        }
    }

    pub fn new(bundle: Bundle) -> Answers {
        match bundle {
            Bundle::JobSeeking => {
                Answers::JobSeeking { basic: Default::default(), job_seeking: Default::default() }
            }
            Bundle::RegistrationJoint => Answers::RegistrationJoint {
                basic: Default::default(),
                job_seeking: Default::default(),
                registration: Default::default(),
            },
            Bundle::BenefitClaimJoint => Answers::BenefitClaimJoint {
                basic: Default::default(),
                job_seeking: Default::default(),
                registration: Default::default(),
                claim: Default::default(),
            },
            Bundle::RegistrationChange => Answers::RegistrationChange { change: Default::default() },
            Bundle::RegistrationCancel => Answers::RegistrationCancel { cancel: Default::default() },
            Bundle::BankAccountChange => Answers::BankAccountChange { bank_change: Default::default() },
            Bundle::BenefitStop => Answers::BenefitStop { stop: Default::default() },
        }
    }

    pub fn bundle(&self) -> Bundle {
        match self {
            Answers::JobSeeking { .. } => Bundle::JobSeeking,
            Answers::RegistrationJoint { .. } => Bundle::RegistrationJoint,
            Answers::BenefitClaimJoint { .. } => Bundle::BenefitClaimJoint,
            Answers::RegistrationChange { .. } => Bundle::RegistrationChange,
            Answers::RegistrationCancel { .. } => Bundle::RegistrationCancel,
            Answers::BankAccountChange { .. } => Bundle::BankAccountChange,
            Answers::BenefitStop { .. } => Bundle::BenefitStop,
        }
    }

    /// The SMS code these answers carry and what it confirms; the server checks it last.
    pub fn sms_confirmation(&self) -> Option<(crate::api::SmsPurpose, &str)> {
        use crate::api::SmsPurpose;
        match self {
            Answers::BenefitStop { stop } => Some((SmsPurpose::BenefitStop, &stop.sms_code)),
            Answers::BankAccountChange { bank_change } => {
                Some((SmsPurpose::BankAccountChange, &bank_change.sms_code))
            }
            _ => None,
        }
    }

    fn parts(&self) -> (Option<&Address>, Option<&JobSeeking>, Option<&Registration>) {
        match self {
            Answers::JobSeeking { basic, job_seeking } => (Some(basic), Some(job_seeking), None),
            Answers::RegistrationJoint { basic, job_seeking, registration }
            | Answers::BenefitClaimJoint { basic, job_seeking, registration, .. } => {
                (Some(basic), Some(job_seeking), Some(registration))
            }
            _ => (None, None, None),
        }
    }

    /// The results for one step of the wizard (for 下一步).
    pub fn validate_section(&self, section: SectionKind, ctx: &Context) -> Vec<FieldError> {
        let mut errs = Vec::new();
        let (basic, job, registration) = self.parts();
        match (section, self) {
            (SectionKind::BasicInfo, _) => basic.iter().for_each(|b| b.validate_for(&mut errs, ctx.records)),
            (SectionKind::JobSeeking, _) => job.iter().for_each(|j| j.validate(&mut errs)),
            (SectionKind::Registration, _) => {
                if let (Some(r), Some(b)) = (registration, basic) {
                    r.validate(&mut errs, ctx, b);
                }
            }
            (SectionKind::BenefitClaim, Answers::BenefitClaimJoint { claim, .. }) => {
                claim.validate(&mut errs, ctx)
            }
            (SectionKind::RegistrationChange, Answers::RegistrationChange { change }) => {
                change.validate(&mut errs, ctx)
            }
            (SectionKind::RegistrationCancel, Answers::RegistrationCancel { cancel }) => {
                cancel.validate(&mut errs)
            }
            (SectionKind::BankAccountChange, Answers::BankAccountChange { bank_change }) => {
                bank_change.validate(&mut errs, ctx)
            }
            (SectionKind::BenefitStop, Answers::BenefitStop { stop }) => stop.validate(&mut errs, ctx),
            _ => {}
        }
        errs.extend(self.withdrawn_in(section));
        errs
    }

    /// The results for the whole bundle, section by section in the wizard's order (for 提交).
    pub fn validate(&self, ctx: &Context) -> Vec<FieldError> {
        self.bundle().sections().iter().flat_map(|s| self.validate_section(*s, ctx)).collect()
    }
}
