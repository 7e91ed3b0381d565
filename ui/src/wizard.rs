//! A wizard's state as a pure reducer: the answers, the step (the last step is 信息确认), the
//! errors shown, which fields were touched, where 修改 returns to, and the autosave time.

use shiye_core::date::Date;
use shiye_core::forms::edit::Value;
use shiye_core::forms::{blocks, Answers, Context, FieldError, FieldId};
use shiye_core::ipc::Draft;
use shiye_core::records::Records;
use shiye_core::services::{Bundle, ServiceKind};
use std::rc::Rc;
use yew::Reducible;

#[derive(Debug, Clone, PartialEq)]
pub enum Phase {
    /// Looking for a saved draft.
    Loading,
    /// A draft exists: resume it or start again.
    Resume {
        draft: Box<Draft>,
        saved_at: i64,
    },
    Editing,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Wizard {
    pub phase: Phase,
    pub answers: Answers,
    /// Sending only some items of the bundle again (修改并重新提交 of returned items).
    pub items: Option<Vec<ServiceKind>>,
    /// 0..sections; `sections` is the check-answers page.
    pub step: usize,
    /// Errors of the current step as last validated (shown for touched fields, or all after 下一步).
    pub errors: Vec<FieldError>,
    pub touched: Vec<FieldId>,
    /// After 下一步 failed: show every error and the summary.
    pub show_all: bool,
    /// Set by 修改 on the check page: 下一步 returns there.
    pub return_to_check: bool,
    pub saved_at: Option<i64>,
    pub submitting: bool,
    /// Bumped whenever the error summary should take focus.
    pub focus_summary: u32,
    /// What validation reads besides the answers.
    pub records: Records,
    pub today: Date,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    Found(Option<(Box<Draft>, i64)>),
    Resume,
    Restart,
    Set(FieldId, Value),
    ConfirmLuhn(bool),
    /// The person finished with a field (change or blur): validate the step.
    Blur(FieldId),
    /// 下一步: validate the step, go on only if nothing blocks.
    Next,
    Back,
    /// 修改 on the check page.
    Edit(usize),
    Saved(i64),
    Submitting,
    /// The submission was refused before queueing: show the first step with an error.
    Rejected {
        errors: Vec<FieldError>,
        step: usize,
    },
    SubmitFailed,
}

impl Wizard {
    pub fn new(bundle: Bundle, records: Records, today: Date) -> Wizard {
        Wizard {
            answers: Answers::starting(bundle, &records),
            items: None,
            records,
            today,
            phase: Phase::Loading,
            step: 0,
            errors: Vec::new(),
            touched: Vec::new(),
            show_all: false,
            return_to_check: false,
            saved_at: None,
            submitting: false,
            focus_summary: 0,
        }
    }

    pub fn sections(&self) -> usize {
        self.answers.bundle().sections().len()
    }

    pub fn on_check_page(&self) -> bool {
        self.step >= self.sections()
    }

    /// The error to show beside a field now.
    pub fn error_for(&self, field: FieldId) -> Option<&FieldError> {
        if !self.show_all && !self.touched.contains(&field) {
            return None;
        }
        self.errors.iter().find(|e| e.field == field)
    }

    /// The errors the summary lists (after 下一步).
    pub fn summary(&self) -> Vec<&FieldError> {
        if self.show_all {
            self.errors.iter().collect()
        } else {
            Vec::new()
        }
    }

    /// The current step's errors as the answers stand.
    pub fn validate_step(&self) -> Vec<FieldError> {
        let Some(section) = self.answers.bundle().sections().get(self.step) else { return Vec::new() };
        let ctx = Context { today: self.today, records: &self.records, old_card_number: None };
        self.answers.validate_section(*section, &ctx)
    }

    pub fn draft(&self) -> Draft {
        Draft {
            answers: self.answers.clone(),
            section: self.step.min(self.sections()),
            items: self.items.clone(),
        }
    }

    /// Options of the draft that a published list withdrew since they were chosen: the person is
    /// taken to the first step with one, each named in the summary and beside its field (back to
    /// 信息确认 once fixed, if that is where they were). Nothing else changes.
    fn mark_withdrawn(&mut self) {
        let sections = self.answers.bundle().sections();
        let found = sections.iter().enumerate().find_map(|(i, s)| {
            let errors = self.answers.withdrawn_in(*s);
            (!errors.is_empty()).then_some((i, errors))
        });
        if let Some((step, errors)) = found {
            // From 信息确认 the person comes back there; mid-way they go on from the fixed step.
            self.return_to_check = self.on_check_page();
            self.step = step;
            self.errors = errors;
            self.show_all = true;
            self.focus_summary += 1;
        }
    }

    pub fn apply(&self, msg: Msg) -> Wizard {
        let mut w = self.clone();
        match msg {
            Msg::Found(None) => w.phase = Phase::Editing,
            Msg::Found(Some((draft, saved_at))) => w.phase = Phase::Resume { draft, saved_at },
            Msg::Resume => {
                if let Phase::Resume { draft, saved_at } = &self.phase {
                    w.answers = draft.answers.clone();
                    w.items = draft.items.clone();
                    w.step = draft.section.min(w.sections());
                    w.saved_at = Some(*saved_at);
                    w.mark_withdrawn();
                }
                w.phase = Phase::Editing;
            }
            Msg::Restart => {
                // A blank form, still for the items it was to send (修改并重新提交 of returned items).
                let items = match &self.phase {
                    Phase::Resume { draft, .. } => draft.items.clone(),
                    _ => self.items.clone(),
                };
                w = Wizard {
                    phase: Phase::Editing,
                    items,
                    ..Wizard::new(self.answers.bundle(), self.records.clone(), self.today)
                };
            }
            Msg::Set(field, value) => {
                w.answers.set(field, value);
                if w.show_all || w.touched.contains(&field) {
                    w.errors = w.validate_step();
                }
            }
            Msg::ConfirmLuhn(c) => {
                w.answers.set_luhn_confirmed(c);
                w.errors = w.validate_step();
            }
            Msg::Blur(field) => {
                if !w.touched.contains(&field) {
                    w.touched.push(field);
                }
                w.errors = w.validate_step();
            }
            Msg::Next => {
                let errors = w.validate_step();
                if blocks(&errors) {
                    w.errors = errors;
                    w.show_all = true;
                    w.focus_summary += 1;
                } else {
                    w.errors.clear();
                    w.touched.clear();
                    w.show_all = false;
                    w.step = if w.return_to_check { w.sections() } else { w.step + 1 };
                }
            }
            Msg::Back => {
                w.step = w.step.saturating_sub(1);
                w.errors.clear();
                w.show_all = false;
                w.return_to_check = false;
            }
            Msg::Edit(step) => {
                w.step = step.min(w.sections());
                w.return_to_check = true;
                w.errors.clear();
                w.show_all = false;
            }
            Msg::Saved(at) => w.saved_at = Some(at),
            Msg::Submitting => w.submitting = true,
            Msg::Rejected { errors, step } => {
                w.submitting = false;
                w.step = step;
                w.errors = errors;
                w.show_all = true;
                w.return_to_check = true;
                w.focus_summary += 1;
            }
            Msg::SubmitFailed => w.submitting = false,
        }
        w
    }
}

impl Reducible for Wizard {
    type Action = Msg;

    fn reduce(self: Rc<Self>, msg: Msg) -> Rc<Self> {
        let next = self.apply(msg);
        crate::state::same_or_new(self, next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiye_core::forms::ErrorCode;

    fn today() -> Date {
        Date::new(2026, 11, 27).unwrap()
    }

    fn editing(bundle: Bundle) -> Wizard {
        Wizard::new(bundle, Records::default(), today()).apply(Msg::Found(None))
    }

    fn cancel_reason(w: Wizard) -> Wizard {
        w.apply(Msg::Set(FieldId::CancelReason, Value::Choice(Some("employed".into()))))
    }

    #[test]
    fn next_stays_with_a_focused_summary_until_the_step_is_valid() {
        let w = editing(Bundle::RegistrationCancel).apply(Msg::Next);
        assert_eq!(w.step, 1, "基本信息 is read-only: nothing to fix");
        let stuck = w.apply(Msg::Next);
        assert_eq!(stuck.step, 1);
        assert_eq!(stuck.summary().len(), 1);
        assert_eq!(stuck.focus_summary, 1);
        assert_eq!(stuck.error_for(FieldId::CancelReason).unwrap().message_zh, "注销原因为必填项");
        let fixed = cancel_reason(stuck);
        assert!(fixed.error_for(FieldId::CancelReason).is_none(), "fixing clears the error at once");
        let on = fixed.apply(Msg::Next);
        assert!(on.on_check_page());
        assert!(on.summary().is_empty());
    }

    #[test]
    fn errors_show_beside_a_field_only_once_it_was_left() {
        let w = editing(Bundle::RegistrationCancel).apply(Msg::Next);
        let w = w.apply(Msg::Blur(FieldId::Remarks));
        assert!(w.error_for(FieldId::CancelReason).is_none(), "not touched yet");
        let w = w.apply(Msg::Blur(FieldId::CancelReason));
        assert_eq!(w.error_for(FieldId::CancelReason).map(|e| e.code), Some(ErrorCode::Required));
    }

    #[test]
    fn edit_from_the_check_page_returns_there() {
        let mut w = cancel_reason(editing(Bundle::RegistrationCancel));
        w = w.apply(Msg::Next).apply(Msg::Next);
        assert!(w.on_check_page());
        w = w.apply(Msg::Edit(0));
        assert_eq!(w.step, 0);
        w = w.apply(Msg::Next);
        assert!(w.on_check_page(), "修改 then 下一步 comes back to 信息确认");
        assert_eq!(w.apply(Msg::Back).step, 1, "上一步 from 信息确认 is the last step");
    }

    #[test]
    fn a_draft_is_offered_then_resumed_or_dropped() {
        let mut answers = Answers::new(Bundle::RegistrationCancel);
        answers.set(FieldId::CancelReason, Value::Choice(Some("employed".into())));
        let draft = Draft { answers: answers.clone(), section: 1, items: None };
        let offered = Wizard::new(Bundle::RegistrationCancel, Records::default(), today())
            .apply(Msg::Found(Some((Box::new(draft), 42))));
        assert!(matches!(offered.phase, Phase::Resume { .. }));
        let resumed = offered.apply(Msg::Resume);
        assert_eq!((resumed.answers.clone(), resumed.step, resumed.saved_at), (answers, 1, Some(42)));
        let restarted = offered.apply(Msg::Restart);
        assert_eq!(restarted.answers, Answers::new(Bundle::RegistrationCancel));
        assert_eq!(restarted.phase, Phase::Editing);
    }

    #[test]
    fn a_draft_naming_a_withdrawn_option_opens_at_its_step_with_the_option_named() {
        // Only 停发原因 应征服兵役 is withdrawn (no other test of this process chooses it).
        let mut lists = shiye_core::options::bundled();
        lists.get_mut("stop_reason").unwrap().retain(|e| e.code != "conscripted");
        shiye_core::options::install(lists).unwrap();
        let mut answers = Answers::new(Bundle::BenefitStop);
        answers.set(FieldId::StopReason, Value::Choice(Some("conscripted".into())));
        let draft =
            Draft { answers: answers.clone(), section: Bundle::BenefitStop.sections().len(), items: None };
        let resumed = Wizard::new(Bundle::BenefitStop, Records::default(), today())
            .apply(Msg::Found(Some((Box::new(draft), 42))))
            .apply(Msg::Resume);
        assert_eq!(resumed.answers, answers, "nothing the person entered is lost");
        assert_eq!((resumed.step, resumed.return_to_check, resumed.focus_summary), (1, true, 1));
        let e = resumed.error_for(FieldId::StopReason).expect("the field is marked");
        assert_eq!(e.message_zh, "停发原因的选项“应征服兵役”已停用（政策调整），请重新选择");
        assert_eq!(resumed.summary().len(), 1);
        let picked = resumed.apply(Msg::Set(FieldId::StopReason, Value::Choice(Some("reemployed".into()))));
        assert!(picked.error_for(FieldId::StopReason).is_none(), "another choice clears it");
    }

    #[test]
    fn starting_a_correction_again_keeps_the_items_it_sends() {
        let items = Some(vec![ServiceKind::Registration]);
        let draft =
            Draft { answers: Answers::new(Bundle::BenefitClaimJoint), section: 2, items: items.clone() };
        let offered = Wizard::new(Bundle::BenefitClaimJoint, Records::default(), today())
            .apply(Msg::Found(Some((Box::new(draft), 42))));
        let restarted = offered.apply(Msg::Restart);
        assert_eq!(
            (restarted.items, restarted.step),
            (items, 0),
            "重新填写 sends only the returned items still"
        );
    }

    #[test]
    fn a_rejected_submission_goes_back_to_the_step_with_the_error() {
        let w = cancel_reason(editing(Bundle::RegistrationCancel)).apply(Msg::Next).apply(Msg::Next);
        let w = w.apply(Msg::Submitting);
        assert!(w.submitting);
        let errors = vec![FieldError::required(FieldId::CancelReason)];
        let back = w.apply(Msg::Rejected { errors, step: 1 });
        assert!(!back.submitting && back.step == 1 && back.return_to_check);
        assert!(back.error_for(FieldId::CancelReason).is_some());
    }
}
