//! 登录: the entry screen. One action: open the identity platform's login (and cancel it while it
//! waits).

use crate::session::use_session;
use crate::text;
use yew::prelude::*;

#[function_component(LoginPage)]
pub fn login_page() -> Html {
    let session = use_session();
    let (busy, kiosk, error) = (session.logging_in, session.kiosk.is_some(), session.error.clone());
    let offline_name = session.offline_offer.as_ref().map(|o| o.session.name.clone());
    let onclick = {
        let s = session.clone();
        Callback::from(move |_: MouseEvent| s.login())
    };
    let on_offline = {
        let s = session.clone();
        Callback::from(move |_: MouseEvent| s.continue_offline())
    };
    let on_cancel = {
        let s = session.clone();
        Callback::from(move |_: MouseEvent| s.cancel_login())
    };
    html! {
        <section class="card" aria-labelledby="login-heading">
            <h2 id="login-heading">{ text::LOGIN_HEADING }</h2>
            <p>{ text::LOGIN_INTRO }</p>
            <div aria-live="assertive">
                if let Some(e) = &error {
                    <div class="alert" role="alert" id="login-error">
                        <strong>{ text::ERROR_TITLE }</strong>
                        <p>{ &e.message }</p>
                    </div>
                }
            </div>
            <button id="login-button" class="primary" {onclick} disabled={busy} aria-busy={busy.to_string()}>
                { text::LOGIN_BUTTON }
            </button>
            if let Some(name) = &offline_name {
                <div class="banner" id="offline-offer">
                    <p>{ text::OFFLINE_OFFER }</p>
                    <button id="continue-offline" onclick={on_offline}>
                        { format!("{}（{}）", text::CONTINUE_OFFLINE, name) }
                    </button>
                </div>
            }
            <p class="status" id="login-status" aria-live="polite">
                if busy { { if kiosk { text::LOGIN_BUSY } else { text::LOGIN_BUSY_BROWSER } } }
            </p>
            if busy {
                <button id="login-cancel" onclick={on_cancel}>{ text::LOGIN_CANCEL }</button>
            }
        </section>
    }
}
