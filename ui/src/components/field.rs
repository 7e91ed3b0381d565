//! One field of a section, rendered from the catalogue: read-only values from the identity
//! platform or the records, or the input its kind calls for, with its label, its error beside
//! it (tied with aria-describedby) and, for card numbers, the Luhn-warning confirmation.

use crate::components::choice::{BankChoice, ChoiceSelect, SelectProps};
use crate::components::job_picker::JobPicker;
use crate::components::sms_button::SmsButton;
use crate::text;
use crate::view::{error_id, field_id};
use shiye_core::display::read_only;
use shiye_core::forms::catalogue::{FieldSpec, Kind, Source};
use shiye_core::forms::edit::Value;
use shiye_core::forms::{Answers, FieldError, FieldId, Severity};
use shiye_core::ipc::BasicInfo;
use shiye_core::records::Records;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub spec: FieldSpec,
    /// The whole answer set, shared (one copy per render of the step).
    pub answers: Rc<Answers>,
    pub basic: BasicInfo,
    pub records: Records,
    pub error: Option<FieldError>,
    pub on_set: Callback<(FieldId, Value)>,
    /// The person finished with the field (change or blur): validate and save.
    pub on_commit: Callback<FieldId>,
    pub on_luhn: Callback<bool>,
    /// Which 服务机构 list is in use: a new one re-renders the picker.
    #[prop_or_default]
    pub reference: u32,
}

#[function_component(FieldView)]
pub fn field_view(p: &Props) -> Html {
    let f = p.spec.id;
    let id = field_id(f);
    let label = f.label_zh();
    if p.spec.source != Source::Entered {
        let value = read_only(f, &p.basic, &p.records).unwrap_or_else(|| "—".into());
        return html! {
            <div class="field readonly">
                <span class="label" id={format!("{id}-label")}>{ label }</span>
                <span class="value" id={id.clone()} aria-labelledby={format!("{id}-label")}>{ value }</span>
            </div>
        };
    }
    // Marked required exactly when leaving it empty would be refused (shiye-core's one rule).
    let required = p.answers.required(f, &p.records);
    let err_id = error_id(f);
    let invalid = p.error.as_ref().is_some_and(|e| e.severity == Severity::Error);
    let hint = p.answers.hint(f);
    let hint_id = format!("{id}-hint");
    let described = [p.error.as_ref().map(|_| err_id.clone()), hint.map(|_| hint_id.clone())]
        .into_iter()
        .flatten()
        .reduce(|a, b| format!("{a} {b}"));
    let commit = {
        let c = p.on_commit.clone();
        Callback::from(move |_: FocusEvent| c.emit(f))
    };
    let set_text = {
        let s = p.on_set.clone();
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            s.emit((f, Value::Text(v)));
        })
    };
    let text_value = match p.answers.value(f) {
        Some(Value::Text(t)) => t,
        _ => String::new(),
    };
    let label_html = html! {
        <label for={id.clone()}>{ label }
            if required { <span class="required" aria-hidden="true">{ " *" }</span> }
        </label>
    };
    let control = match (p.spec.kind, f) {
        (_, FieldId::JobTitle) => html! {
            <JobPicker id={id.clone()} value={p.answers.choice(f)} invalid={invalid} {required}
                described_by={described.clone()}
                on_pick={{ let (s, c) = (p.on_set.clone(), p.on_commit.clone());
                    Callback::from(move |code: Option<String>| { s.emit((f, Value::Choice(code))); c.emit(f); }) }} />
        },
        (Kind::Choice, _) => {
            let onchange = {
                let (s, c) = (p.on_set.clone(), p.on_commit.clone());
                Callback::from(move |e: Event| {
                    let v = e.target_unchecked_into::<HtmlSelectElement>().value();
                    s.emit((f, Value::Choice(Some(v).filter(|v| !v.is_empty()))));
                    c.emit(f);
                })
            };
            let select = SelectProps {
                id: id.clone().into(),
                choices: p.answers.choices(f),
                current: p.answers.choice(f).unwrap_or_default(),
                invalid,
                required,
                described_by: described.clone(),
                onchange,
                onblur: commit.clone(),
            };
            // 开户行: a search box narrows the long list (best matches first; the chosen bank stays).
            match f {
                FieldId::Bank | FieldId::NewBank => html! { <BankChoice label={label} {select} /> },
                _ => html! { <ChoiceSelect ..select /> },
            }
        }
        (Kind::MultiChoice, _) => {
            let chosen = match p.answers.value(f) {
                Some(Value::Many(v)) => v,
                _ => Vec::new(),
            };
            html! {
                <fieldset id={id.clone()} class="choices" aria-describedby={described.clone()}>
                    <legend class="visually-hidden">{ label }</legend>
                    { for p.answers.choices(f).into_iter().map(|c| {
                        let on = chosen.contains(&c.code);
                        let (s, cm, all, code) = (p.on_set.clone(), p.on_commit.clone(), chosen.clone(), c.code.clone());
                        let onchange = Callback::from(move |_: Event| {
                            let mut next: Vec<String> = all.iter().filter(|x| **x != code).cloned().collect();
                            if !on { next.push(code.clone()); }
                            s.emit((f, Value::Many(next)));
                            cm.emit(f);
                        });
                        let cid = format!("{id}-{}", c.code);
                        html! { <div class="choice"><input type="checkbox" id={cid.clone()} checked={on} {onchange} />
                            <label for={cid}>{ c.name }</label></div> }
                    }) }
                </fieldset>
            }
        }
        (Kind::Checkbox, _) => {
            let on = p.answers.value(f) == Some(Value::Flag(true));
            let onchange = {
                let (s, c) = (p.on_set.clone(), p.on_commit.clone());
                Callback::from(move |_: Event| {
                    s.emit((f, Value::Flag(!on)));
                    c.emit(f);
                })
            };
            let text = if f == FieldId::RecordConfirmed { text::CONFIRM_RECORD } else { label };
            return html! {
                <div class={classes!("field", "check", invalid.then_some("has-error"))}>
                    <input type="checkbox" id={id.clone()} checked={on} {onchange} aria-invalid={invalid.to_string()}
                        aria-describedby={described.clone()} />
                    <label for={id.clone()}>{ text }</label>
                    { error_html(&p.error, &err_id) }
                </div>
            };
        }
        (Kind::Date, _) => html! {
            <input type="date" id={id.clone()} value={text_value} oninput={set_text} onblur={commit.clone()}
                aria-invalid={invalid.to_string()} aria-required={required.to_string()}
                aria-describedby={described.clone()} />
        },
        (kind, _) => {
            let numeric = matches!(kind, Kind::Digits | Kind::Amount | Kind::Months);
            html! {
                <input type="text" id={id.clone()} value={text_value} oninput={set_text} onblur={commit.clone()}
                    inputmode={numeric.then_some("numeric")} autocomplete="off"
                    aria-invalid={invalid.to_string()} aria-required={required.to_string()}
                    aria-describedby={described.clone()} />
            }
        }
    };
    let luhn = match &p.error {
        Some(e) if e.severity == Severity::Warning => {
            let confirmed = p.answers.luhn_confirmed();
            let on_luhn = p.on_luhn.clone();
            let cid = format!("{id}-luhn");
            html! {
                <div class="check">
                    <input type="checkbox" id={cid.clone()} checked={confirmed}
                        onchange={Callback::from(move |_: Event| on_luhn.emit(!confirmed))} />
                    <label for={cid}>{ text::LUHN_CONFIRM }</label>
                </div>
            }
        }
        _ => html! {},
    };
    let sms = p.answers.sms_confirmation().filter(|_| f == FieldId::SmsCode).map(|(purpose, _)| {
        html! { <SmsButton {purpose} /> }
    });
    // 开户行 as the card number's prefix suggests: said, so the person checks it.
    let number_field = match f {
        FieldId::Bank => Some(FieldId::BankCardNumber),
        FieldId::NewBank => Some(FieldId::NewCardNumber),
        _ => None,
    };
    let suggested = number_field.and_then(|n| match p.answers.value(n) {
        Some(Value::Text(t)) => {
            let digits: String = t.chars().filter(char::is_ascii_digit).collect();
            shiye_core::reference::banks::suggest(&digits).map(|(b, _)| b.code)
        }
        _ => None,
    });
    let suggested_note =
        (suggested.is_some() && suggested.map(String::from) == p.answers.choice(f)).then(|| {
            html! { <p class="hint" id={format!("{id}-suggested")}>{ text::BANK_SUGGESTED }</p> }
        });
    html! {
        <div class={classes!("field", invalid.then_some("has-error"))}>
            { label_html }
            <div class="control">{ control }{ for sms }</div>
            if let Some(h) = hint { <p class="hint" id={hint_id}>{ h }</p> }
            { error_html(&p.error, &err_id) }
            { for suggested_note }
            { luhn }
        </div>
    }
}

fn error_html(error: &Option<FieldError>, id: &str) -> Html {
    match error {
        Some(e) => {
            let class = if e.severity == Severity::Warning { "field-warning" } else { "field-error" };
            html! { <p class={class} id={id.to_string()}>{ &e.message_zh }</p> }
        }
        None => html! {},
    }
}
