//! The service page: the single items and the two joint items, ticked with shiye-core's rules;
//! items the person's records forbid are disabled with the reason; 确定 opens the confirm dialog
//! (确定 enters the wizard, 取消 stays).

use crate::components::dialog::ConfirmDialog;
use crate::route::Route;
use crate::session::use_session;
use crate::text;
use shiye_core::code;
use shiye_core::policy;
use shiye_core::records::Records;
use shiye_core::services::{Selection, ServiceKind};
use yew::prelude::*;

const SINGLE: [ServiceKind; 5] = [
    ServiceKind::JobSeeking,
    ServiceKind::RegistrationChange,
    ServiceKind::RegistrationCancel,
    ServiceKind::BankAccountChange,
    ServiceKind::BenefitStop,
];
const JOINT: [ServiceKind; 2] = [ServiceKind::Registration, ServiceKind::BenefitClaim];

/// For the signed-in person's records; items confirmed by SMS only while the server answers.
#[function_component(ServicesPage)]
pub fn services_page() -> Html {
    let session = use_session();
    let selection = use_state(Selection::default);
    let message = use_state(String::new);
    let confirming = use_state(|| false);
    let Some(overview) = session.overview.as_ref() else { return html! {} };
    let records = overview.records.clone();
    let online = session.online;

    let item = |kind: ServiceKind| {
        let id = format!("svc-{}", code::of(&kind));
        let reason = policy::eligibility(kind, &records).err();
        // One item of a kind awaits a decision at a time: ruled out before anything is filled.
        let pending = policy::pending_blocker(kind, &overview.applications);
        let pending_text = pending.map(|i| {
            format!("{}{}{}{}", text::PENDING_BLOCKS, i.item.label_zh(), text::PENDING_CASE, i.case_number)
        });
        // An implied item follows its joint item even if it could not be chosen alone.
        let implied = selection.implied_by(kind).is_some();
        let offline_only = kind.needs_network() && !online;
        let disabled = (reason.is_some() || pending.is_some() || offline_only) && !implied;
        let remedy = reason.filter(|_| pending.is_none()).and_then(|r| r.remedy_zh());
        let described = (reason.is_some() || pending.is_some() || kind.needs_network()).then(|| {
            if remedy.is_some() {
                format!("{id}-reason {id}-remedy")
            } else {
                format!("{id}-reason")
            }
        });
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
                    aria-describedby={described} />
                <label for={id.clone()}>{ kind.label_zh() }
                    if !kind.implies().is_empty() {
                        <span class="implies">{ format!("（联办{}）", kind.implies().iter().map(|k| k.label_zh()).collect::<Vec<_>>().join("、")) }</span>
                    }
                </label>
                if let Some(t) = pending_text {
                    <p class="reason" id={format!("{id}-reason")}>{ t }</p>
                } else if let Some(r) = reason {
                    <p class="reason" id={format!("{id}-reason")}>{ r.message_zh() }</p>
                    if let Some(remedy) = remedy {
                        <p class="remedy" id={format!("{id}-remedy")}>{ remedy }</p>
                        if records.contribution.is_some() {
                            { record_details(&id, &records) }
                        }
                    }
                } else if kind.needs_network() {
                    <p class={if offline_only { "reason" } else { "implies" }} id={format!("{id}-reason")}>
                        { if offline_only { text::NEEDS_NETWORK_OFFLINE } else { text::NEEDS_NETWORK } }
                    </p>
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
            let (session, confirming_ok) = (session.clone(), confirming.clone());
            let on_ok = Callback::from(move |()| {
                confirming_ok.set(false);
                session.navigate(Route::Wizard(bundle));
            });
            let c = confirming.clone();
            html! {
                <ConfirmDialog title={bundle.title_zh()}
                    message={format!("您选择办理“{}”。点击确认进入申请页面，点击取消则不进入。", bundle.title_zh())}
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

/// The record that rules an item out, to be seen beside it (what the person would ask the former
/// employer or 存档机构 to check).
fn record_details(id: &str, r: &Records) -> Html {
    let Some(c) = r.contribution.as_ref() else { return html! {} };
    html! {
        <details class="record" id={format!("{id}-record")}>
            <summary>{ text::SEE_RECORD }</summary>
            <dl>
                <div class="row"><dt>{ "失业原因" }</dt><dd>{ c.separation_reason.label_zh() }</dd></div>
                <div class="row"><dt>{ "累计缴纳失业保险费时间" }</dt><dd>{ format!("{}个月", c.contribution_months) }</dd></div>
                <div class="row"><dt>{ "最后缴纳失业保险费所在单位名称" }</dt><dd>{ &c.last_employer }</dd></div>
                <div class="row"><dt>{ "最后缴纳失业保险费日期" }</dt><dd>{ c.last_contribution_date.to_string() }</dd></div>
            </dl>
        </details>
    }
}
