//! The root component: owns the state reducer and turns intents into IPC calls.

use crate::ipc;
use crate::pages::home::HomePage;
use crate::pages::login::LoginPage;
use crate::state::{Action, AppState, Auth};
use crate::text;
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    let on_login = {
        let state = state.clone();
        Callback::from(move |()| {
            let state = state.clone();
            state.dispatch(Action::LoginStarted);
            wasm_bindgen_futures::spawn_local(async move {
                match ipc::login().await {
                    Ok(session) => state.dispatch(Action::LoginSucceeded(session)),
                    Err(e) => state.dispatch(Action::LoginFailed(e)),
                }
            });
        })
    };
    let page = match &state.auth {
        Auth::LoggedIn(session) => html! { <HomePage session={session.clone()} /> },
        auth => html! {
            <LoginPage busy={*auth == Auth::LoggingIn} error={state.error.clone()} {on_login} />
        },
    };
    html! {
        <>
            <header class="masthead" role="banner">
                <h1>{ text::APP_TITLE }</h1>
                <p>{ text::APP_SUBTITLE }</p>
            </header>
            <main id="main">{ page }</main>
        </>
    }
}
