//! The result page: follows the submission in the outbox. Online it shows each item's 办件编号,
//! "等待审核", the expected decision date and what happens next; offline "已保存，联网后自动提交"
//! with the number waiting.

use crate::route::Route;
use crate::session::use_session;
use crate::text;
use shiye_core::ipc::{LocalState, LocalSubmission};
use shiye_core::services::Bundle;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub id: String,
    pub bundle: Bundle,
}

#[function_component(ResultPage)]
pub fn result_page(p: &Props) -> Html {
    let session = use_session();
    let (online, counts) = (session.online, session.outbox.clone());
    let sub = use_state(|| None::<LocalSubmission>);
    {
        // Looked up again whenever the outbox counts change: the shell reports each settled entry
        // (sync-report → outbox counts), so no polling is needed. All the counts, not only those
        // waiting: a send settled before this page counted it waiting changes only the others.
        let (sub, session) = (sub.clone(), session.clone());
        use_effect_with((p.id.clone(), counts.clone()), move |(id, _)| {
            let id = id.clone();
            spawn_local(async move {
                if let Ok(s) = session.submission(id).await {
                    sub.set(s);
                }
            });
        });
    }
    // Sent back with errors (e.g. an SMS code that lapsed): 修改 reopens the answers as a draft at
    // the step of the first error.
    let correct = {
        let (id, session, bundle) = (p.id.clone(), session.clone(), p.bundle);
        Callback::from(move |_: MouseEvent| {
            let (id, session) = (id.clone(), session.clone());
            spawn_local(async move {
                let reopened = session.reopen(id).await.ok().flatten().unwrap_or(bundle);
                session.navigate(Route::Wizard(reopened));
            });
        })
    };
    let body = match sub.as_ref().map(|s| &s.state) {
        Some(LocalState::Accepted { application }) => html! {
            <>
                <p class="result-status" id="result-status">{ text::RESULT_ACCEPTED }</p>
                <table class="items">
                    <thead><tr><th scope="col">{ "事项" }</th><th scope="col">{ text::CASE_NUMBER }</th>
                        <th scope="col">{ text::STATUS }</th><th scope="col">{ text::EXPECTED }</th></tr></thead>
                    <tbody>{ for application.items.iter().map(|i| html! {
                        <tr><td>{ i.item.label_zh() }</td><td class="case-number">{ &i.case_number }</td>
                            <td>{ text::RESULT_ACCEPTED }</td>
                            <td>{ i.expected_decision.map(|d| d.to_string()).unwrap_or_default() }</td></tr>
                    }) }</tbody>
                </table>
                <p>{ text::RESULT_NEXT }</p>
            </>
        },
        Some(LocalState::Invalid { errors }) => html! {
            <div class="alert" role="alert" id="result-status">
                <p>{ text::LOCAL_INVALID }</p>
                <ul>{ for errors.iter().map(|e| html! { <li>{ &e.message_zh }</li> }) }</ul>
                <button id="result-correct" class="primary" onclick={correct.clone()}>{ text::CORRECT }</button>
            </div>
        },
        // Refused or failed: the answers are kept; 修改 brings them back as a draft (放弃 is in 我的办件).
        Some(LocalState::Refused { message, .. }) => html! {
            <div class="alert" role="alert" id="result-status">
                <p>{ format!("{}：{}", text::LOCAL_REFUSED, message) }</p>
                <p>{ text::ANSWERS_KEPT }</p>
                <button id="result-correct" class="primary" onclick={correct.clone()}>{ text::MODIFY }</button>
            </div>
        },
        Some(LocalState::Failed { status }) => html! {
            <div class="alert" role="alert" id="result-status">
                <p>{ format!("{}（HTTP {status}）", text::LOCAL_FAILED) }</p>
                <p>{ text::ANSWERS_KEPT }</p>
                <button id="result-correct" class="primary" onclick={correct}>{ text::MODIFY }</button>
            </div>
        },
        Some(LocalState::Pending) | None if !online => html! {
            <>
                <p class="result-status" id="result-status">{ text::RESULT_OFFLINE }</p>
                <p>{ format!("{}{}件", text::PENDING_PREFIX, counts.queued.max(1)) }</p>
            </>
        },
        _ => html! { <p class="result-status" id="result-status" role="status">{ text::RESULT_WAITING }</p> },
    };
    let to = |route: Route| {
        let s = session.clone();
        Callback::from(move |_: MouseEvent| s.navigate(route.clone()))
    };
    html! {
        <section class="card" aria-labelledby="result-heading">
            <h2 id="result-heading">{ format!("{}：{}", text::RESULT_HEADING, p.bundle.title_zh()) }</h2>
            <div aria-live="polite">{ body }</div>
            <div class="actions">
                <button id="to-services" onclick={to(Route::Services)}>{ text::NAV_SERVICES }</button>
                <button id="to-applications" class="primary" onclick={to(Route::Applications)}>{ text::NAV_APPLICATIONS }</button>
            </div>
        </section>
    }
}
