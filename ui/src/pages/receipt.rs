//! 回执: an accepted application as this device sent it — 办件编号 per item, the time, the expected
//! decision and every answer (card numbers and the SMS code masked) — kept sealed in the shell, so it
//! opens offline; printable through the webview's print.

use crate::route::Route;
use crate::session::use_session;
use crate::text;
use crate::view::{self, date_time, field_id};
use shiye_core::benefit;
use shiye_core::date::Date;
use shiye_core::forms::receipt;
use shiye_core::ipc::Receipt;
use shiye_core::services::ServiceKind;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    /// The application's id.
    pub id: String,
}

#[function_component(ReceiptPage)]
pub fn receipt_page(p: &Props) -> Html {
    // None: loading; Some(None): this device did not send it.
    let session = use_session();
    let loaded = use_state(|| None::<Option<Receipt>>);
    {
        let (loaded, id, s) = (loaded.clone(), p.id.clone(), session.clone());
        use_effect_with(id, move |id| {
            let id = id.clone();
            spawn_local(async move { loaded.set(Some(s.receipt(id).await.ok().flatten())) });
        });
    }
    let contribution = session
        .overview
        .as_ref()
        .and_then(|o| o.records.contribution.as_ref())
        .map(|c| c.contribution_months);
    let back = Callback::from(move |_: MouseEvent| session.navigate(Route::Applications));
    let print = Callback::from(|_: MouseEvent| {
        if let Some(w) = web_sys::window() {
            let _ = w.print();
        }
    });
    let body = match &*loaded {
        None => html! { <p class="status" role="status">{ text::LOADING }</p> },
        Some(None) => html! { <p id="receipt-missing">{ text::RECEIPT_MISSING }</p> },
        Some(Some(r)) => {
            let a = &r.application;
            html! {
                <>
                    <p id="receipt-time">{ format!("{}{}", text::SUBMITTED_AT, date_time(r.queued_at)) }</p>
                    <table class="items">
                        <thead><tr><th scope="col">{ "事项" }</th><th scope="col">{ text::CASE_NUMBER }</th>
                            <th scope="col">{ text::EXPECTED_DECISION }</th></tr></thead>
                        <tbody>{ for a.items.iter().map(|i| html! {
                            <tr>
                                <td>{ i.item.label_zh() }</td>
                                <td class="case-number">{ &i.case_number }</td>
                                <td>{ i.expected_decision.map(|d| d.to_string()).unwrap_or_default() }</td>
                            </tr>
                        }) }</tbody>
                    </table>
                    // What the published rule in force that day gives (the claim step showed the same).
                    { match (a.items.iter().any(|i| i.item == ServiceKind::BenefitClaim), contribution) {
                        (true, Some(months)) => {
                            let on = Date::beijing_from_unix(r.queued_at).unwrap_or_else(view::today);
                            html! { <p id="receipt-entitlement">{ text::entitlement_preview(months, &benefit::entitlement(months, on)) }</p> }
                        }
                        _ => html! {},
                    } }
                    { for receipt::lines(&r.answers).into_iter().filter(|(_, rows)| !rows.is_empty()).map(|(section, rows)| html! {
                        <section class="check-section">
                            <h3>{ section.label_zh() }</h3>
                            <dl>{ for rows.into_iter().map(|(f, v)| html! {
                                <div class="row"><dt>{ f.label_zh() }</dt>
                                    <dd id={format!("receipt-{}", field_id(f))}>{ v }</dd></div>
                            }) }</dl>
                        </section>
                    }) }
                </>
            }
        }
    };
    html! {
        <section class="card receipt" aria-labelledby="receipt-heading">
            <h2 id="receipt-heading">{ text::RECEIPT_HEADING }</h2>
            { body }
            <div class="actions no-print">
                <button id="receipt-back" onclick={back}>{ text::BACK_TO_APPLICATIONS }</button>
                <button id="receipt-print" class="primary" onclick={print}>{ text::PRINT }</button>
            </div>
        </section>
    }
}
