//! The service page: the single items and the two joint items, ticked with shiye-core's rules;
//! items the person's records forbid are disabled with the reason; 确定 opens the confirm dialog
//! (确定 enters the wizard, 取消 stays).

use crate::components::dialog::ConfirmDialog;
use crate::text;
use shiye_core::api::Records;
use shiye_core::code;
use shiye_core::policy;
use shiye_core::services::{Bundle, Selection, ServiceKind};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub records: Records,
    pub on_open: Callback<Bundle>,
}

const SINGLE: [ServiceKind; 5] = [
    ServiceKind::JobSeeking,
    ServiceKind::RegistrationChange,
    ServiceKind::RegistrationCancel,
    ServiceKind::BankAccountChange,
    ServiceKind::BenefitStop,
];
const JOINT: [ServiceKind; 2] = [ServiceKind::Registration, ServiceKind::BenefitClaim];

#[function_component(ServicesPage)]
pub fn services_page(p: &Props) -> Html {
    let selection = use_state(Selection::default);
    let message = use_state(String::new);
    let confirming = use_state(|| false);

    let item = |kind: ServiceKind| {
        let id = format!("svc-{}", code::of(&kind));
        let reason = policy::eligibility(kind, &p.records).err();
        // An implied item follows its joint item even if it could not be chosen alone.
        let implied = selection.implied_by(kind).is_some();
        let disabled = reason.is_some() && !implied;
        let onchange = {
            let (selection, message) = (selection.clone(), message.clone());
            Callback::from(move |_: Event| match selection.click(kind) {
                Ok(next) => {
                    selection.set(next);
                    message.set(String::new());
                }
                Err(e) => {
                    // Put the box back the way it was and say why.
                    selection.set(*selection);
                    message.set(e.to_string());
                }
            })
        };
        html! {
            <li class={classes!("service", disabled.then_some("disabled"))}>
                <input type="checkbox" id={id.clone()} checked={selection.contains(kind)} {disabled} {onchange}
                    aria-describedby={reason.map(|_| format!("{id}-reason"))} />
                <label for={id.clone()}>{ kind.label_zh() }
                    if !kind.implies().is_empty() {
                        <span class="implies">{ format!("（联办{}）", kind.implies().iter().map(|k| k.label_zh()).collect::<Vec<_>>().join("、")) }</span>
                    }
                </label>
                if let Some(r) = reason {
                    <p class="reason" id={format!("{id}-reason")}>{ r.message_zh() }</p>
                }
            </li>
        }
    };
    let open_dialog = {
        let (selection, message, confirming) = (selection.clone(), message.clone(), confirming.clone());
        Callback::from(move |_: MouseEvent| match selection.bundle() {
            Some(_) => confirming.set(true),
            None => message.set(text::PICK_FIRST.to_string()),
        })
    };
    let dialog = match (*confirming, selection.bundle()) {
        (true, Some(bundle)) => {
            let on_open = p.on_open.clone();
            let confirming_ok = confirming.clone();
            let on_ok = Callback::from(move |()| {
                confirming_ok.set(false);
                on_open.emit(bundle);
            });
            let c = confirming.clone();
            html! {
                <ConfirmDialog title={bundle.title_zh()}
                    message={format!("您选择办理“{}”。点击确定进入申请页面，点击取消则不进入。", bundle.title_zh())}
                    {on_ok} on_cancel={Callback::from(move |()| c.set(false))} />
            }
        }
        _ => html! {},
    };
    html! {
        <section class="card" aria-labelledby="services-heading">
            <h2 id="services-heading">{ text::SERVICES_HEADING }</h2>
            <p>{ text::SERVICES_INTRO }</p>
            <fieldset>
                <legend>{ text::SINGLE_ITEMS }</legend>
                <ul class="services">{ for SINGLE.into_iter().map(item) }</ul>
            </fieldset>
            <fieldset>
                <legend>{ text::JOINT_ITEMS }</legend>
                <ul class="services">{ for JOINT.into_iter().map(item) }</ul>
            </fieldset>
            <p class="status" role="status" id="services-message">{ (*message).clone() }</p>
            <button id="services-confirm" class="primary" onclick={open_dialog}>{ text::CONFIRM }</button>
            { dialog }
        </section>
    }
}
