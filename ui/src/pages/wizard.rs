//! A bundle's wizard: one section per step with a step indicator, live validation, an error
//! summary that takes focus, autosave (debounced) with "已保存 HH:MM", resume-or-restart of a
//! saved draft, and the 信息确认 page with 修改 links, 上一步 and a 提交 that cannot submit twice.

use crate::components::check_answers::CheckAnswers;
use crate::components::field::FieldView;
use crate::route::Route;
use crate::session::{use_session, Session};
use crate::text;
use crate::view::{self, field_id, hhmm, step_of};
use crate::wizard::{Msg, Phase, Wizard};
use gloo_timers::callback::Timeout;
use shiye_core::benefit;
use shiye_core::date::Date;
use shiye_core::forms::benefit_claim::DISPUTE_NOTE_ZH;
use shiye_core::forms::catalogue::{fields, FieldSpec, Source};
use shiye_core::forms::edit::Value;
use shiye_core::forms::{Answers, FieldId};
use shiye_core::ipc::{DraftView, Overview, SubmitOutcome};
use shiye_core::services::{Bundle, SectionKind};
use shiye_core::ErrorKind;
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub bundle: Bundle,
}

/// What the wizard is given by the page: the person as the session holds them.
#[derive(Properties, PartialEq)]
struct BodyProps {
    bundle: Bundle,
    overview: Overview,
    session: Session,
}

fn today() -> Date {
    let now = (js_sys::Date::now() / 1000.0) as i64;
    // The clock cannot be before 1970; the fallback only satisfies the type.
    Date::beijing_from_unix(now).unwrap_or(Date { year: 1970, month: 1, day: 1 })
}

fn focus(id: &str) {
    if let Some(el) = gloo_utils::document().get_element_by_id(id) {
        if let Ok(el) = wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(el) {
            let _ = el.focus();
        }
    }
}

/// The wizard of a bundle for the signed-in person (nothing without one).
#[function_component(WizardPage)]
pub fn wizard_page(p: &Props) -> Html {
    let session = use_session();
    match session.overview.clone() {
        Some(overview) => html! {
            <WizardBody bundle={p.bundle} {overview} session={session.clone()} />
        },
        None => html! {},
    }
}

#[function_component(WizardBody)]
fn wizard_body(p: &BodyProps) -> Html {
    let bundle = p.bundle;
    let records = p.overview.records.clone();
    let w = use_reducer(move || Wizard::new(bundle, records, today()));
    let error = use_state(|| None::<String>);
    let summary_ref = use_node_ref();
    // Set synchronously on the first 提交, so a second click in the same moment does nothing.
    let in_flight = use_mut_ref(|| false);

    // Look for a saved draft once.
    {
        let (w, error, session) = (w.clone(), error.clone(), p.session.clone());
        use_effect_with(bundle, move |b| {
            let b = *b;
            spawn_local(async move {
                match session.load_draft(b).await {
                    Ok(Some(DraftView::Resumable { draft, saved_at })) => {
                        w.dispatch(Msg::Found(Some((draft, saved_at))))
                    }
                    Ok(Some(DraftView::Outdated { .. })) => {
                        error.set(Some(text::OUTDATED_DRAFT.into()));
                        w.dispatch(Msg::Found(None));
                    }
                    Ok(None) => w.dispatch(Msg::Found(None)),
                    Err(e) => {
                        error.set(Some(e.message));
                        w.dispatch(Msg::Found(None));
                    }
                }
            });
        });
    }
    // Autosave: 300 ms after the last change, unless nothing was entered yet.
    {
        let (w2, error, session) = (w.clone(), error.clone(), p.session.clone());
        let draft = w.draft();
        let idle = w.phase != Phase::Editing
            || w.submitting
            || (draft.answers == Answers::starting(bundle, &p.overview.records) && draft.section == 0);
        use_effect_with((draft, idle), move |(draft, idle)| {
            let timer = (!*idle).then(|| {
                let draft = draft.clone();
                Timeout::new(300, move || {
                    spawn_local(async move {
                        match session.save_draft(draft).await {
                            Ok(at) => w2.dispatch(Msg::Saved(at)),
                            Err(e) => error.set(Some(e.message)),
                        }
                    })
                })
            });
            move || drop(timer)
        });
    }
    // The error summary takes focus when 下一步 finds errors.
    {
        let summary_ref = summary_ref.clone();
        use_effect_with(w.focus_summary, move |n| {
            if *n > 0 {
                if let Some(el) = summary_ref.cast::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        });
    }

    if let Phase::Resume { saved_at, .. } = &w.phase {
        let (resume, restart) = (w.clone(), w.clone());
        let (restart_bundle, session) = (bundle, p.session.clone());
        return html! {
            <section class="card" aria-labelledby="resume-heading">
                <h2 id="resume-heading">{ text::RESUME_HEADING }</h2>
                <p>{ format!("“{}”的草稿保存于 {}。", bundle.title_zh(), crate::view::date_time(*saved_at)) }</p>
                <div class="actions">
                    <button id="draft-restart" onclick={Callback::from(move |_: MouseEvent| {
                        restart.dispatch(Msg::Restart);
                        let session = session.clone();
                        spawn_local(async move { let _ = session.discard_draft(restart_bundle).await; });
                    })}>{ text::RESTART }</button>
                    <button id="draft-resume" class="primary" onclick={Callback::from(move |_: MouseEvent| resume.dispatch(Msg::Resume))}>{ text::RESUME }</button>
                </div>
            </section>
        };
    }
    if w.phase == Phase::Loading {
        return html! { <p class="status" role="status">{ text::LOADING }</p> };
    }

    let sections = bundle.sections();
    // Numbered in the text (a phone shows the current step only, with the count).
    let total = sections.len() + 1;
    let of = format!("（共{total}步）");
    let steps = html! {
        <ol class="steps" aria-label={text::STEP}>
            { for sections.iter().enumerate().map(|(i, s)| html! {
                <li class={classes!((i == w.step).then_some("current"), (i < w.step).then_some("done"))}
                    aria-current={(i == w.step).then_some("step")}>
                    { format!("{}. {}", i + 1, s.label_zh()) }<span class="step-of">{ &of }</span></li>
            }) }
            <li class={classes!(w.on_check_page().then_some("current"))}
                aria-current={w.on_check_page().then_some("step")}>
                { format!("{total}. {}", text::CHECK_HEADING) }<span class="step-of">{ &of }</span></li>
        </ol>
    };
    // Always present, so the page keeps its shape: Yew lines up unkeyed children from the end,
    // and a node appearing there would rebuild every input above it (losing focus and typing).
    let saved_text = w.saved_at.map(|t| format!("{}{}", text::SAVED_PREFIX, hhmm(t))).unwrap_or_default();
    let saved = html! { <p class="saved" id="saved-at" role="status">{ saved_text }</p> };
    // A live region that is always there, so messages are announced and the page keeps its shape.
    let error_html = html! {
        <div class={classes!(error.is_some().then_some("alert"))} role="alert" id="wizard-error">
            { (*error).clone().unwrap_or_default() }
        </div>
    };
    // 修改并重新提交 of returned items: say which are sent again and that the rest stand.
    let resubmit = w.items.as_ref().map(|items| {
        let names = items.iter().map(|i| i.label_zh()).collect::<Vec<_>>().join("、");
        html! { <p class="banner" id="resubmit-note">{ format!("{}{names}{}", text::RESUBMIT_PREFIX, text::RESUBMIT_SUFFIX) }</p> }
    });
    let heading = html! { <><h2 id="wizard-heading">{ bundle.title_zh() }</h2>{ for resubmit }</> };

    if w.on_check_page() {
        let on_edit = {
            let w = w.clone();
            Callback::from(move |step: usize| w.dispatch(Msg::Edit(step)))
        };
        return html! {
            <section class="card" aria-labelledby="wizard-heading">
                { heading }{ steps }{ error_html }
                <CheckAnswers answers={Rc::new(w.answers.clone())} overview={p.overview.clone()}
                    sections={sections.to_vec()} {on_edit} />
                <div class="actions">
                    <button id="prev" onclick={{ let w = w.clone(); move |_: MouseEvent| w.dispatch(Msg::Back) }}>{ text::PREV }</button>
                    <button id="submit" class="primary" disabled={w.submitting} aria-busy={w.submitting.to_string()}
                        onclick={submit(&w, &in_flight, &error, &p.session)}>
                        { if w.submitting { text::SUBMITTING } else { text::SUBMIT } }
                    </button>
                </div>
                { saved }
            </section>
        };
    }

    let section = sections[w.step];
    let on_set = {
        let w = w.clone();
        Callback::from(move |(f, v): (FieldId, Value)| w.dispatch(Msg::Set(f, v)))
    };
    let on_commit = {
        let w = w.clone();
        Callback::from(move |f: FieldId| w.dispatch(Msg::Blur(f)))
    };
    let on_luhn = {
        let w = w.clone();
        Callback::from(move |c: bool| w.dispatch(Msg::ConfirmLuhn(c)))
    };
    let specs: Vec<_> =
        fields(section).into_iter().filter(|f| w.answers.shows(f.id, &p.overview.records)).collect();
    let has_identity = specs.iter().any(|f| f.source == Source::Identity);
    // One copy of the answers per render, shared by every field.
    let answers = Rc::new(w.answers.clone());
    let view = |spec: FieldSpec| {
        html! {
            <FieldView {spec} answers={answers.clone()} basic={p.overview.basic.clone()}
                records={p.overview.records.clone()} error={w.error_for(spec.id).cloned()} reference={p.session.reference}
                on_set={on_set.clone()} on_commit={on_commit.clone()} on_luhn={on_luhn.clone()} />
        }
    };
    let is_bank_input = |s: &&FieldSpec| s.source == Source::Entered && s.id != FieldId::RecordConfirmed;
    let summary = w.summary();
    html! {
        <section class="card" aria-labelledby="wizard-heading">
            { heading }{ steps }{ error_html }
            if !summary.is_empty() {
                <div class="error-summary" id="error-summary" role="alert" tabindex="-1" ref={summary_ref}>
                    <h3>{ text::ERROR_SUMMARY }</h3>
                    <ul>{ for summary.iter().map(|e| {
                        let target = field_id(e.field);
                        let t = target.clone();
                        html! { <li><a href={format!("#{target}")} onclick={Callback::from(move |ev: MouseEvent| { ev.prevent_default(); focus(&t); })}>{ &e.message_zh }</a></li> }
                    }) }</ul>
                </div>
            }
            <h3 id="section-heading">{ section.label_zh() }</h3>
            if has_identity {
                // What the identity platform provides, folded on a phone so the first input shows
                // without scrolling; open on a wider screen.
                <details class="identity" id="identity-details" open={wide_screen()}>
                    <summary>{ format!("{}：{}", text::IDENTITY_SUMMARY, p.overview.basic.name) }</summary>
                    <p class="hint">{ text::READ_ONLY_NOTE }</p>
                    { for specs.iter().filter(|s| s.source == Source::Identity).map(|spec| view(*spec)) }
                </details>
            }
            <form novalidate=true onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                if section == SectionKind::BenefitClaim {
                    // The manual's two parts: the bank account the person types, then the record
                    // they confirm, each under its own heading so the record's notes sit with it.
                    <fieldset class="group" id="bank-group">
                        <legend>{ text::BANK_GROUP }</legend>
                        <p class="hint" id="bank-hint">{ text::BANK_HINT }</p>
                        { for specs.iter().filter(|s| is_bank_input(s)).map(|spec| view(*spec)) }
                    </fieldset>
                    <fieldset class="group records" id="record-group">
                        <legend>{ text::RECORD_GROUP }</legend>
                        { claim_notes(&p.overview) }
                        { for specs.iter().filter(|s| !is_bank_input(s)).map(|spec| view(*spec)) }
                    </fieldset>
                } else {
                    { for specs.iter().filter(|s| s.source != Source::Identity).map(|spec| view(*spec)) }
                }
            </form>
            <div class="actions">
                if w.step > 0 {
                    <button id="prev" onclick={{ let w = w.clone(); move |_: MouseEvent| w.dispatch(Msg::Back) }}>{ text::PREV }</button>
                }
                <button id="next" class="primary" onclick={{ let w = w.clone(); move |_: MouseEvent| w.dispatch(Msg::Next) }}>
                    // The manual: 填写完成后，点击确定完成求职登记.
                    { if section == SectionKind::JobSeeking { text::CONFIRM } else { text::NEXT } }
                </button>
            </div>
            { saved }
        </section>
    }
}

/// 失业保险金确认: where the record comes from, the dispute note and the entitlement it gives.
fn claim_notes(o: &Overview) -> Html {
    let preview = o.records.contribution.as_ref().map(|c| {
        text::entitlement_preview(
            c.contribution_months,
            &benefit::entitlement(c.contribution_months, view::today()),
        )
    });
    html! {
        <div class="notes">
            <p class="hint">{ text::RECORDS_NOTE }</p>
            <p class="hint" id="dispute-note">{ DISPUTE_NOTE_ZH }</p>
            <p class="preview" id="entitlement">{ preview.unwrap_or_default() }</p>
        </div>
    }
}

fn submit(
    w: &UseReducerHandle<Wizard>,
    in_flight: &std::rc::Rc<std::cell::RefCell<bool>>,
    error: &UseStateHandle<Option<String>>,
    session: &Session,
) -> Callback<MouseEvent> {
    let (w, error, session) = (w.clone(), error.clone(), session.clone());
    let in_flight = in_flight.clone();
    Callback::from(move |_: MouseEvent| {
        if in_flight.replace(true) {
            return;
        }
        w.dispatch(Msg::Submitting);
        let (w, error, session) = (w.clone(), error.clone(), session.clone());
        let in_flight = in_flight.clone();
        let (answers, items) = (w.answers.clone(), w.items.clone());
        let bundle = answers.bundle();
        spawn_local(async move {
            match session.submit(answers, items).await {
                Ok(SubmitOutcome::Queued { id }) => session.navigate(Route::Result { id, bundle }),
                Ok(SubmitOutcome::Invalid { errors }) => {
                    *in_flight.borrow_mut() = false;
                    let step = errors.first().and_then(|e| step_of(bundle, e.field)).unwrap_or(0);
                    w.dispatch(Msg::Rejected { errors, step });
                }
                // A new 用户通知 or 承诺书 is in force: it is read first (the draft is kept).
                Err(e) if e.kind == ErrorKind::NoticeUpdated => session.navigate(Route::Services),
                Err(e) => {
                    *in_flight.borrow_mut() = false;
                    error.set(Some(e.message));
                    w.dispatch(Msg::SubmitFailed);
                }
            }
        });
    })
}

/// Wider than a phone (the layout's 600 px breakpoint).
fn wide_screen() -> bool {
    web_sys::window().and_then(|w| w.inner_width().ok()).and_then(|v| v.as_f64()).is_none_or(|w| w > 600.0)
}
