//! The root component: owns the state reducer, starts the session, listens to the shell's events
//! and turns the pages' intents into IPC calls.

use crate::components::header::Header;
use crate::components::kiosk::KioskGuard;
use crate::ipc::{self, args, cmd};
use crate::pages::{
    applications::ApplicationsPage, drafts::DraftsPage, login::LoginPage, notice::NoticePage,
    receipt::ReceiptPage, result::ResultPage, services::ServicesPage, wizard::WizardPage,
};
use crate::route::Route;
use crate::state::{current_version, Action, AppState};
use crate::text;
use shiye_core::ipc::{events, Connectivity, Notice, Overview, Prefs, StatusChange, SyncReport};
use shiye_core::reference::agencies;
use shiye_core::reference::agencies::AgencyEntry;
use shiye_core::{CommandError, ErrorKind};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

type Handle = UseReducerHandle<AppState>;

/// Reads which texts the person acknowledged and the outbox counts, after a login or a start.
fn load_person(state: &Handle) {
    refresh_outbox(state);
    let state = state.clone();
    spawn_local(async move {
        match ipc::call::<cmd::AcceptedNotices>(args::AcceptedNotices {}).await {
            Ok(a) => state.dispatch(Action::Accepted(a)),
            Err(e) => state.dispatch(Action::Failed(e)),
        }
    });
}

fn refresh_outbox(state: &Handle) {
    let state = state.clone();
    spawn_local(async move {
        if let Ok(o) = ipc::call::<cmd::Outbox>(args::Outbox {}).await {
            state.dispatch(Action::Outbox(o));
        }
    });
}

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);

    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let s = state.clone();
            ipc::listen(events::OVERVIEW, move |o: Overview| s.dispatch(Action::Refreshed(o)));
            let s = state.clone();
            ipc::listen(events::CONNECTIVITY, move |c: Connectivity| {
                s.dispatch(Action::Connectivity(c.online))
            });
            let s = state.clone();
            ipc::listen(events::STATUS_CHANGED, move |changes: Vec<StatusChange>| {
                s.dispatch(Action::StatusChanged(changes.len()))
            });
            let s = state.clone();
            ipc::listen(events::AGENCIES, move |list: Vec<AgencyEntry>| {
                if agencies::install(list) {
                    s.dispatch(Action::AgenciesInstalled)
                }
            });
            let s = state.clone();
            ipc::listen(events::SYNC_REPORT, move |report: SyncReport| {
                refresh_outbox(&s);
                // The server refused the token and a refresh: the entries wait for a new login.
                if report.needs_login {
                    s.dispatch(Action::Failed(CommandError::new(
                        ErrorKind::NotLoggedIn,
                        text::SESSION_EXPIRED,
                    )));
                }
            });
            spawn_local(async move {
                match ipc::call::<cmd::Start>(args::Start {}).await {
                    Ok(mut start) => {
                        if start.agencies.take().is_some_and(agencies::install) {
                            state.dispatch(Action::AgenciesInstalled);
                        }
                        // Offline, the login page offers to continue; the person is loaded when they do.
                        let known = start.overview.is_some() && start.online;
                        state.dispatch(Action::Started(start));
                        if known {
                            load_person(&state);
                        }
                    }
                    Err(e) => {
                        state.dispatch(Action::Navigate(Route::Login));
                        state.dispatch(Action::Failed(e));
                    }
                }
            });
        });
    }

    let on_login = {
        let state = state.clone();
        Callback::from(move |()| {
            let state = state.clone();
            state.dispatch(Action::LoginStarted);
            spawn_local(async move {
                match ipc::call::<cmd::Login>(args::Login {}).await {
                    Ok(o) => {
                        state.dispatch(Action::LoggedIn(o));
                        load_person(&state);
                    }
                    Err(e) => state.dispatch(Action::Failed(e)),
                }
            });
        })
    };
    let on_cancel_login = Callback::from(|()| {
        spawn_local(async { drop(ipc::call::<cmd::CancelLogin>(args::CancelLogin {}).await) })
    });
    let on_logout = {
        let state = state.clone();
        Callback::from(move |()| {
            let state = state.clone();
            spawn_local(async move {
                match ipc::call::<cmd::Logout>(args::Logout {}).await {
                    Ok(()) => state.dispatch(Action::LoggedOut),
                    Err(e) => state.dispatch(Action::Failed(e)),
                }
            });
        })
    };
    let on_elderly = {
        let state = state.clone();
        Callback::from(move |on: bool| {
            let state = state.clone();
            let prefs = Prefs { elderly: on };
            state.dispatch(Action::Prefs(prefs));
            spawn_local(async move {
                if let Err(e) = ipc::call::<cmd::SetPrefs>(args::SetPrefs { prefs }).await {
                    state.dispatch(Action::Failed(e));
                }
            });
        })
    };
    let on_sync = {
        let state = state.clone();
        Callback::from(move |()| {
            let state = state.clone();
            spawn_local(async move {
                let _ = ipc::call::<cmd::SyncNow>(args::SyncNow {}).await;
                if let Ok(o) = ipc::call::<cmd::Refresh>(args::Refresh {}).await {
                    state.dispatch(Action::Refreshed(o));
                }
                refresh_outbox(&state);
            });
        })
    };
    let nav = {
        let state = state.clone();
        Callback::from(move |r: Route| state.dispatch(Action::Navigate(r)))
    };
    let on_accept = {
        let state = state.clone();
        Callback::from(move |n: Notice| {
            let state = state.clone();
            spawn_local(async move {
                let done = ipc::call::<cmd::AcceptNotice>(args::AcceptNotice {
                    notice: n,
                    version: current_version(n),
                })
                .await;
                match done {
                    Ok(()) => load_person(&state),
                    Err(e) => state.dispatch(Action::Failed(e)),
                }
            });
        })
    };
    let on_outbox = {
        let state = state.clone();
        Callback::from(move |()| refresh_outbox(&state))
    };

    let on_offline = {
        let state = state.clone();
        Callback::from(move |()| {
            state.dispatch(Action::ContinueOffline);
            load_person(&state);
        })
    };
    let page = match (&state.route, &state.overview) {
        (Route::Loading, _) => html! { <p class="status" role="status">{ text::LOADING }</p> },
        (Route::Login, _) | (_, None) => html! {
            <LoginPage busy={state.logging_in} error={state.error.clone()} {on_login}
                offline_name={state.offline_offer.as_ref().map(|o| o.session.name.clone())} {on_offline}
                on_cancel={on_cancel_login} kiosk={state.kiosk.is_some()} />
        },
        (Route::Notice(n), Some(_)) => html! { <NoticePage notice={*n} on_accept={on_accept.clone()} /> },
        (Route::Services, Some(o)) => html! {
            <ServicesPage records={o.records.clone()} online={state.online} on_open={nav.reform(Route::Wizard)} />
        },
        (Route::Wizard(b), Some(o)) => html! {
            <WizardPage key={format!("{b:?}")} bundle={*b} overview={o.clone()} reference={state.reference}
                on_submitted={nav.reform(|(id, bundle)| Route::Result { id, bundle })}
                on_outbox={on_outbox.clone()} />
        },
        (Route::Result { id, bundle }, Some(_)) => html! {
            <ResultPage id={id.clone()} bundle={*bundle} online={state.online}
                pending={state.outbox.queued} nav={nav.clone()} />
        },
        (Route::Receipt(id), Some(_)) => html! {
            <ReceiptPage id={id.clone()} on_back={nav.reform(|()| Route::Applications)} />
        },
        (Route::Applications, Some(o)) => html! {
            <ApplicationsPage overview={o.clone()} on_correct={nav.reform(Route::Wizard)} on_outbox={on_outbox.clone()}
                on_receipt={nav.reform(Route::Receipt)} />
        },
        (Route::Drafts, Some(_)) => html! { <DraftsPage on_continue={nav.reform(Route::Wizard)} /> },
    };
    let root_class = classes!("app", state.prefs.elderly.then_some("elderly"));
    html! {
        <div class={root_class}>
            <a class="skip-link" href="#main">{ "跳到主要内容" }</a>
            <Header
                person={state.overview.as_ref().map(|o| o.session.name.clone())}
                online={state.online}
                pending={state.outbox.queued}
                elderly={state.prefs.elderly}
                kiosk={state.kiosk.is_some()}
                route={state.route.clone()}
                unseen={state.unseen}
                {nav} on_logout={on_logout.clone()} {on_elderly} {on_sync} />
            if let Some(policy) = state.kiosk {
                <KioskGuard {policy} active={state.logged_in()} on_timeout={on_logout} />
            }
            <main id="main" tabindex="-1">
                if state.logged_in() && !state.online {
                    <p class="banner offline" role="status" id="offline-banner">{ text::OFFLINE_BANNER }</p>
                }
                if !state.expired.is_empty() {
                    <div class="banner" role="status" id="expired-drafts">
                        <p>{ text::EXPIRED_NOTICE }
                            { state.expired.iter().map(|b| b.title_zh()).collect::<Vec<_>>().join("、") }</p>
                        <button onclick={let s = state.clone(); move |_| s.dispatch(Action::DismissExpired)}>{ text::DISMISS }</button>
                    </div>
                }
                if let (Some(e), true) = (&state.error, state.logged_in()) {
                    <div class="alert" role="alert" id="app-error"><p>{ &e.message }</p></div>
                }
                { page }
            </main>
        </div>
    }
}
