//! 信息确认: every answer of the bundle by section, as it will be sent — read-only values from the
//! identity platform and the records, and for 失业登记信息变更 each changed answer as 原 → 新 — with
//! 修改 beside each section the person can change.

use crate::text;
use crate::view::field_id;
use shiye_core::display::read_only;
use shiye_core::forms::catalogue::{fields, Source};
use shiye_core::forms::Answers;
use shiye_core::ipc::Overview;
use shiye_core::services::SectionKind;
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub answers: Rc<Answers>,
    pub overview: Overview,
    pub sections: Vec<SectionKind>,
    /// 修改: go back to this step.
    pub on_edit: Callback<usize>,
}

#[function_component(CheckAnswers)]
pub fn check_answers(p: &Props) -> Html {
    html! {
        <>
            <h3 id="check-heading">{ text::CHECK_HEADING }</h3>
            { for p.sections.iter().enumerate().map(|(i, s)| check_section(&p.answers, &p.overview, i, *s, &p.on_edit)) }
        </>
    }
}

fn check_section(
    answers: &Answers,
    o: &Overview,
    step: usize,
    section: SectionKind,
    on_edit: &Callback<usize>,
) -> Html {
    // 失业登记信息变更: each changed answer reads 原 → 新.
    let before = match (answers, &o.records.registration) {
        (Answers::RegistrationChange { .. }, Some(current)) => {
            Some(Answers::RegistrationChange { change: current.clone() })
        }
        _ => None,
    };
    let rows = fields(section).into_iter().filter(|f| answers.shows(f.id, &o.records)).map(|f| {
        let value = match (f.source, &before) {
            (Source::Entered, Some(b)) if b.value(f.id) != answers.value(f.id) => {
                let old = b.display(f.id);
                format!("{} → {}", if old.is_empty() { "—" } else { &old }, answers.display(f.id))
            }
            (Source::Entered, _) => answers.display(f.id),
            _ => read_only(f.id, &o.basic, &o.records).unwrap_or_default(),
        };
        html! { <div class="row"><dt>{ f.id.label_zh() }</dt><dd id={format!("check-{}", field_id(f.id))}>{ if value.is_empty() { "—".to_string() } else { value } }</dd></div> }
    });
    html! {
        <section class="check-section" aria-labelledby={format!("check-{step}")}>
            <div class="check-head">
                <h4 id={format!("check-{step}")}>{ section.label_zh() }</h4>
                { edit_button(step, section, on_edit) }
            </div>
            <dl>{ for rows }</dl>
        </section>
    }
}

fn edit_button(step: usize, section: SectionKind, on_edit: &Callback<usize>) -> Html {
    // Read-only sections have nothing to change.
    if fields(section).iter().all(|f| f.source != Source::Entered) {
        return html! {};
    }
    let onclick = on_edit.reform(move |_: MouseEvent| step);
    html! {
        <button id={format!("edit-{step}")} class="link" {onclick}
            aria-label={format!("{}{}", text::EDIT, section.label_zh())}>{ text::EDIT }</button>
    }
}
