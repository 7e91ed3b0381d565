//! 登录: the entry screen. One action: open the identity platform's login.

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
            <p class="status" aria-live="polite">
                if props.busy { { text::LOGIN_BUSY } }
            </p>
        </section>
    }
}
