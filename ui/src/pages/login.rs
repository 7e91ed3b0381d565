//! 登录: the entry screen. One action: open the identity platform's login (and cancel it while it
//! waits).

use crate::text;
use shiye_core::CommandError;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct Props {
    pub busy: bool,
    pub error: Option<CommandError>,
    pub on_login: Callback<()>,
    /// Offline, with a person who logged in here before: their name, to continue offline.
    pub offline_name: Option<String>,
    pub on_offline: Callback<()>,
    /// 取消登录 while the login waits.
    pub on_cancel: Callback<()>,
    /// A kiosk logs in through its own window; elsewhere the person's browser opens.
    #[prop_or_default]
    pub kiosk: bool,
}

#[function_component(LoginPage)]
pub fn login_page(props: &Props) -> Html {
    let onclick = props.on_login.reform(|_: MouseEvent| ());
    html! {
        <section class="card" aria-labelledby="login-heading">
            <h2 id="login-heading">{ text::LOGIN_HEADING }</h2>
            <p>{ text::LOGIN_INTRO }</p>
            <div aria-live="assertive">
                if let Some(e) = &props.error {
                    <div class="alert" role="alert" id="login-error">
                        <strong>{ text::ERROR_TITLE }</strong>
                        <p>{ &e.message }</p>
                    </div>
                }
            </div>
            <button id="login-button" class="primary" {onclick} disabled={props.busy} aria-busy={props.busy.to_string()}>
                { text::LOGIN_BUTTON }
            </button>
            if let Some(name) = &props.offline_name {
                <div class="banner" id="offline-offer">
                    <p>{ text::OFFLINE_OFFER }</p>
                    <button id="continue-offline" onclick={props.on_offline.reform(|_: MouseEvent| ())}>
                        { format!("{}（{}）", text::CONTINUE_OFFLINE, name) }
                    </button>
                </div>
            }
            <p class="status" id="login-status" aria-live="polite">
                if props.busy { { if props.kiosk { text::LOGIN_BUSY } else { text::LOGIN_BUSY_BROWSER } } }
            </p>
            if props.busy {
                <button id="login-cancel" onclick={props.on_cancel.reform(|_: MouseEvent| ())}>{ text::LOGIN_CANCEL }</button>
            }
        </section>
    }
}
