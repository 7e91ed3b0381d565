//! 我的办件: every application and item with its status and the reviewer's reason (退回补正: 修改并重新提交;
//! 等待审核: 撤回, confirmed), the ones still on this device (waiting, or sent back or refused: 修改 or
//! 放弃, confirmed), and the time of the last sync.

use crate::route::Route;
use crate::session::use_session;
use crate::text;
use crate::view::date_time;
use shiye_core::api::ItemStatus;
use shiye_core::ipc::{LocalState, LocalSubmission};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[function_component(ApplicationsPage)]
pub fn applications_page() -> Html {
    let session = use_session();
    let local = use_state(Vec::<LocalSubmission>::new);
    // The refused submission whose 放弃 waits for the person's confirmation.
    let abandoning = use_state(|| None::<String>);
    // The item (办件编号) whose 撤回 waits for confirmation, and what a refused one said.
    let withdrawing = use_state(|| None::<String>);
    let withdraw_error = use_state(String::new);
    let synced_at = session.overview.as_ref().map(|o| o.synced_at);
    let reload = {
        let (local, session) = (local.clone(), session.clone());
        Callback::from(move |()| {
            let (local, session) = (local.clone(), session.clone());
            spawn_local(async move {
                if let Ok(l) = session.local_submissions().await {
                    local.set(l);
                }
            });
        })
    };
    {
        let reload = reload.clone();
        use_effect_with(synced_at, move |_| reload.emit(()));
    }
    let Some(overview) = session.overview.as_ref() else { return html! {} };
    let reopen = |id: String| {
        let (session, reload) = (session.clone(), reload.clone());
        Callback::from(move |_: MouseEvent| {
            let (id, session, reload) = (id.clone(), session.clone(), reload.clone());
            spawn_local(async move {
                let reopened = session.reopen(id).await;
                reload.emit(());
                if let Ok(Some(b)) = reopened {
                    session.navigate(Route::Wizard(b));
                }
            });
        })
    };
    // A refusal deletes nothing: 修改 brings the answers back as a draft, 放弃 (confirmed) discards.
    let refused_actions = |id: String| {
        let ask = {
            let (abandoning, id) = (abandoning.clone(), id.clone());
            Callback::from(move |_: MouseEvent| abandoning.set(Some(id.clone())))
        };
        html! {
            <>
                <button class="primary" onclick={reopen(id)}>{ text::MODIFY }</button>
                <button onclick={ask}>{ text::ABANDON }</button>
            </>
        }
    };
    let withdraw_dialog = match (*withdrawing).clone() {
        Some(case) => {
            let (session, withdrawing_ok, error) =
                (session.clone(), withdrawing.clone(), withdraw_error.clone());
            let on_ok = Callback::from(move |()| {
                withdrawing_ok.set(None);
                let (case, session, error) = (case.clone(), session.clone(), error.clone());
                spawn_local(async move {
                    match session.withdraw(case).await {
                        Ok(()) => error.set(String::new()),
                        Err(e) => error.set(e.message),
                    }
                });
            });
            let c = withdrawing.clone();
            html! {
                <crate::components::dialog::ConfirmDialog title={text::WITHDRAW_TITLE} message={text::WITHDRAW_MESSAGE}
                    {on_ok} on_cancel={Callback::from(move |()| c.set(None))} />
            }
        }
        None => html! {},
    };
    let dialog = match (*abandoning).clone() {
        Some(id) => {
            let (session, reload, abandoning_ok) = (session.clone(), reload.clone(), abandoning.clone());
            let on_ok = Callback::from(move |()| {
                abandoning_ok.set(None);
                let (id, session, reload) = (id.clone(), session.clone(), reload.clone());
                spawn_local(async move {
                    let _ = session.discard_submission(id).await;
                    reload.emit(());
                });
            });
            let c = abandoning.clone();
            html! {
                <crate::components::dialog::ConfirmDialog title={text::ABANDON_TITLE} message={text::ABANDON_MESSAGE}
                    {on_ok} on_cancel={Callback::from(move |()| c.set(None))} />
            }
        }
        None => html! {},
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
                html! { <><p>{ message }</p><p>{ text::ANSWERS_KEPT }</p></> },
                refused_actions(l.id.clone()),
            ),
            LocalState::Failed { status } => (
                text::LOCAL_FAILED,
                html! { <><p>{ format!("HTTP {status}") }</p><p>{ text::ANSWERS_KEPT }</p></> },
                refused_actions(l.id.clone()),
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
    let apps = overview.applications.iter().map(|a| html! {
        <li class="application" key={a.id.clone()}>
            <h3>{ a.items.iter().map(|i| i.item.label_zh()).collect::<Vec<_>>().join("、") }</h3>
            <p class="hint">{ format!("{}{}", text::SUBMITTED_AT, a.submitted_at.replace('T', " ").chars().take(16).collect::<String>()) }
                <button class="link" id={format!("receipt-{}", a.id)} onclick={{ let (s, id) = (session.clone(), a.id.clone()); move |_: MouseEvent| s.navigate(Route::Receipt(id.clone())) }}>{ text::SEE_RECEIPT }</button>
            </p>
            <table class="items">
                <thead><tr><th scope="col">{ "事项" }</th><th scope="col">{ text::CASE_NUMBER }</th>
                    <th scope="col">{ text::STATUS }</th><th scope="col">{ text::EXPECTED_DECISION }</th><th scope="col">{ text::REASON }</th></tr></thead>
                <tbody>{ for a.items.iter().map(|i| {
                    let (bundle, items) = a.resubmission().unzip();
                    let items = items.flatten();
                    let correct = (i.status == ItemStatus::Returned).then_some(bundle).flatten().map(|b| {
                        let (session, app_id) = (session.clone(), a.id.clone());
                        let onclick = Callback::from(move |_: MouseEvent| {
                            let (session, app_id, items) = (session.clone(), app_id.clone(), items.clone());
                            // The sent answers come back as a draft when this device sent them; only
                            // the returned items are sent again.
                            spawn_local(async move {
                                let bundle = session.correct(app_id, b, items).await.unwrap_or(b);
                                session.navigate(Route::Wizard(bundle));
                            });
                        });
                        html! { <button class="link" {onclick}>{ text::CORRECT }</button> }
                    });
                    // 撤回 while it waits (等待审核), confirmed first.
                    let withdraw = i.status.withdrawable().then(|| {
                        let (withdrawing, case) = (withdrawing.clone(), i.case_number.clone());
                        let onclick = Callback::from(move |_: MouseEvent| withdrawing.set(Some(case.clone())));
                        html! { <button class="link withdraw" {onclick}>{ text::WITHDRAW }</button> }
                    });
                    html! {
                        <tr>
                            <td>{ i.item.label_zh() }</td>
                            <td class="case-number">{ &i.case_number }</td>
                            <td class={classes!("status", format!("status-{}", shiye_core::code::of(&i.status)))}>{ i.status.label_zh() }</td>
                            <td class="expected">{ if i.status.is_final() { String::new() } else { i.expected_decision.map(|d| d.to_string()).unwrap_or_default() } }</td>
                            <td>{ i.reason.clone().unwrap_or_default() }{ for correct }{ for withdraw }</td>
                        </tr>
                    }
                }) }</tbody>
            </table>
        </li>
    });
    let empty = overview.applications.is_empty() && local.is_empty();
    html! {
        <section class="card" aria-labelledby="applications-heading">
            <h2 id="applications-heading">{ text::APPLICATIONS_HEADING }</h2>
            <p class="hint" id="last-sync">{ format!("{}{}", text::LAST_SYNC, date_time(overview.synced_at)) }</p>
            if empty { <p>{ text::NO_APPLICATIONS }</p> }
            <p class="alert" role="alert" id="withdraw-error" hidden={withdraw_error.is_empty()}>{ (*withdraw_error).clone() }</p>
            <ul class="applications" id="applications">{ for local_rows }{ for apps }</ul>
            { dialog }{ withdraw_dialog }
        </section>
    }
}
