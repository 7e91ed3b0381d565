//! 我的办件: every application and item with its status and the reviewer's reason, the ones still
//! on this device (waiting, or sent back with errors to correct), and the time of the last sync.

use crate::ipc::{self, args, cmd};
use crate::text;
use crate::view::date_time;
use shiye_core::api::ItemStatus;
use shiye_core::ipc::{LocalState, LocalSubmission, Overview};
use shiye_core::services::Bundle;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub overview: Overview,
    /// Opens a bundle's wizard (to correct and resubmit).
    pub on_correct: Callback<Bundle>,
    pub on_outbox: Callback<()>,
    /// Opens an application's 回执.
    pub on_receipt: Callback<String>,
}

#[function_component(ApplicationsPage)]
pub fn applications_page(p: &Props) -> Html {
    let local = use_state(Vec::<LocalSubmission>::new);
    let reload = {
        let local = local.clone();
        Callback::from(move |()| {
            let local = local.clone();
            spawn_local(async move {
                if let Ok(l) = ipc::call::<cmd::LocalSubmissions>(args::LocalSubmissions {}).await {
                    local.set(l);
                }
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with(p.overview.synced_at, move |_| reload.emit(()));
    }
    let reopen = |id: String| {
        let (on_correct, reload, on_outbox) = (p.on_correct.clone(), reload.clone(), p.on_outbox.clone());
        Callback::from(move |_: MouseEvent| {
            let (id, on_correct, reload, on_outbox) =
                (id.clone(), on_correct.clone(), reload.clone(), on_outbox.clone());
            spawn_local(async move {
                let reopened = ipc::call::<cmd::ReopenSubmission>(args::ReopenSubmission { id }).await;
                on_outbox.emit(());
                reload.emit(());
                if let Ok(Some(b)) = reopened {
                    on_correct.emit(b);
                }
            });
        })
    };
    // The outbox lists oldest first; the newest is shown first.
    let local_rows = local.iter().rev().map(|l| {
        let (status, detail, action) = match &l.state {
            LocalState::Pending => (text::LOCAL_PENDING, html! {}, html! {}),
            LocalState::Invalid { errors } => (
                text::LOCAL_INVALID,
                html! { <ul>{ for errors.iter().map(|e| html! { <li>{ &e.message_zh }</li> }) }</ul> },
                html! { <button class="primary" onclick={reopen(l.id.clone())}>{ text::CORRECT }</button> },
            ),
            LocalState::Refused { message, .. } => (
                text::LOCAL_REFUSED,
                html! { <p>{ message }</p> },
                html! { <button onclick={reopen(l.id.clone())}>{ text::DISMISS }</button> },
            ),
            LocalState::Failed { status } => (
                text::LOCAL_FAILED,
                html! { <p>{ format!("HTTP {status}") }</p> },
                html! { <button onclick={reopen(l.id.clone())}>{ text::DISMISS }</button> },
            ),
            // Not listed (filtered by the shell); a keyed placeholder keeps the list keyed.
            LocalState::Accepted { .. } => return html! { <li key={l.id.clone()} hidden=true></li> },
        };
        html! {
            <li class="application local" key={l.id.clone()}>
                <h3>{ l.bundle.title_zh() }</h3>
                <p class="status-line"><span class="status">{ status }</span>{ format!(" · {}", date_time(l.queued_at)) }</p>
                { detail }{ action }
            </li>
        }
    });
    // Newest first, as the server lists them.
    let apps = p.overview.applications.iter().map(|a| html! {
        <li class="application" key={a.id.clone()}>
            <h3>{ a.items.iter().map(|i| i.item.label_zh()).collect::<Vec<_>>().join("、") }</h3>
            <p class="hint">{ format!("{}{}", text::SUBMITTED_AT, a.submitted_at.replace('T', " ").chars().take(16).collect::<String>()) }
                <button class="link" id={format!("receipt-{}", a.id)} onclick={p.on_receipt.reform({ let id = a.id.clone(); move |_: MouseEvent| id.clone() })}>{ text::SEE_RECEIPT }</button>
            </p>
            <table class="items">
                <thead><tr><th scope="col">{ "事项" }</th><th scope="col">{ text::CASE_NUMBER }</th>
                    <th scope="col">{ text::STATUS }</th><th scope="col">{ text::EXPECTED_DECISION }</th><th scope="col">{ text::REASON }</th></tr></thead>
                <tbody>{ for a.items.iter().map(|i| {
                    let (bundle, items) = a.resubmission().unzip();
                    let items = items.flatten();
                    let correct = (i.status == ItemStatus::Returned).then_some(bundle).flatten().map(|b| {
                        let (on_correct, app_id) = (p.on_correct.clone(), a.id.clone());
                        let onclick = Callback::from(move |_: MouseEvent| {
                            let (on_correct, app_id, items) = (on_correct.clone(), app_id.clone(), items.clone());
                            // The sent answers come back as a draft when this device sent them; only
                            // the returned items are sent again.
                            spawn_local(async move {
                                let bundle = ipc::call::<cmd::CorrectApplication>(args::CorrectApplication { id: app_id, bundle: b, items }).await.unwrap_or(b);
                                on_correct.emit(bundle);
                            });
                        });
                        html! { <button class="link" {onclick}>{ text::CORRECT }</button> }
                    });
                    html! {
                        <tr>
                            <td>{ i.item.label_zh() }</td>
                            <td class="case-number">{ &i.case_number }</td>
                            <td class={classes!("status", format!("status-{}", shiye_core::code::of(&i.status)))}>{ i.status.label_zh() }</td>
                            <td class="expected">{ if i.status.is_final() { String::new() } else { i.expected_decision.map(|d| d.to_string()).unwrap_or_default() } }</td>
                            <td>{ i.reason.clone().unwrap_or_default() }{ for correct }</td>
                        </tr>
                    }
                }) }</tbody>
            </table>
        </li>
    });
    let empty = p.overview.applications.is_empty() && local.is_empty();
    html! {
        <section class="card" aria-labelledby="applications-heading">
            <h2 id="applications-heading">{ text::APPLICATIONS_HEADING }</h2>
            <p class="hint" id="last-sync">{ format!("{}{}", text::LAST_SYNC, date_time(p.overview.synced_at)) }</p>
            if empty { <p>{ text::NO_APPLICATIONS }</p> }
            <ul class="applications" id="applications">{ for local_rows }{ for apps }</ul>
        </section>
    }
}
