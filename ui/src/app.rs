//! The root component: provides the session (the state reducer as a context, `session.rs`),
//! starts it, listens to the shell's events, and shows the page of the current route. Pages and
//! components read the session and call its intents.

use crate::assets;
use crate::components::header::Header;
use crate::components::kiosk::KioskGuard;
use crate::ipc::{self, args, cmd};
use crate::pages::{
    applications::ApplicationsPage, drafts::DraftsPage, login::LoginPage, notice::NoticePage,
    receipt::ReceiptPage, result::ResultPage, services::ServicesPage, wizard::WizardPage,
};
use crate::route::Route;
use crate::session::{use_session, Session, SessionHandle};
use crate::state::{Action, AppState};
use crate::text;
use gloo_timers::callback::Timeout;
use shiye_core::ipc::{events, Connectivity, Overview, Startup, StatusChange, SyncReport};
use shiye_core::reference::snapshot::{self, ReferenceData};
use shiye_core::{CommandError, ErrorKind};
use std::rc::Rc;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// How long the start may take before the loading line is shown: a start that answers sooner
/// goes straight to its first screen, without a line flashing by.
const SLOW_START_MS: u32 = 300;

/// The longest the page waits for its first screen to be painted before it goes on (a window
/// hidden at start paints nothing): a frame comes every 16 ms on a shown window.
const PAINT_WAIT_MS: i32 = 200;

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(AppState::default);
    html! {
        <ContextProvider<SessionHandle> context={state}>
            <Root />
        </ContextProvider<SessionHandle>>
    }
}

/// Starts the session, and listens to the shell's events for the life of the page. The start comes
/// first: `index.html` asked for it as the page loaded, and the login page (no one to resume,
/// offline, or no start) is drawn before anything else is sent to the shell or fetched.
fn start(session: Session) {
    // Published data is installed over the divisions (its 服务机构 are checked against them): what
    // arrives before their file is held until it is in.
    let early: Rc<assets::UntilInstalled<ReferenceData>> = Rc::default();
    spawn_local(async move {
        let mut started = ipc::start().await;
        let from_start = started.as_mut().ok().and_then(|s| s.reference.take()).map(|d| *d);
        let waiting = match started.as_ref().is_ok_and(Startup::resumes) {
            // A person's pages use Beijing's divisions: shown once they are in.
            true => Some(started),
            false => {
                begin(&session, started);
                painted().await;
                None
            }
        };
        listen(&session, &early);
        assets::install_divisions(assets::fetch_divisions()).await;
        // From here on the event's data is installed as it comes; what came early, after the start's.
        let arrived_early = early.open();
        for data in [from_start, arrived_early].into_iter().flatten() {
            snapshot::install(&data);
        }
        // A page already shown is drawn again with them.
        session.dispatch(Action::ReferenceInstalled);
        if let Some(started) = waiting {
            begin(&session, started);
        }
    });
}

/// Listens to the shell's events for the life of the page; published data waits at `early` until
/// the divisions are in.
fn listen(session: &Session, early: &Rc<assets::UntilInstalled<ReferenceData>>) {
    let s = session.clone();
    ipc::listen(events::OVERVIEW, move |o: Overview| s.dispatch(Action::Refreshed(o)));
    let s = session.clone();
    ipc::listen(events::CONNECTIVITY, move |c: Connectivity| s.dispatch(Action::Connectivity(c.online)));
    let s = session.clone();
    ipc::listen(events::STATUS_CHANGED, move |changes: Vec<StatusChange>| {
        s.dispatch(Action::StatusChanged(changes.len()))
    });
    let (s, gate) = (session.clone(), early.clone());
    ipc::listen(events::REFERENCE, move |data: ReferenceData| {
        if let Some(data) = gate.pass(data) {
            snapshot::install(&data);
            s.dispatch(Action::ReferenceInstalled)
        }
    });
    let s = session.clone();
    ipc::listen(events::SYNC_REPORT, move |report: SyncReport| {
        s.refresh_outbox();
        // The server refused the token and a refresh: the entries wait for a new login.
        if report.needs_login {
            s.dispatch(Action::Failed(CommandError::new(ErrorKind::NotLoggedIn, text::SESSION_EXPIRED)));
        }
    });
}

/// Shows the first page the start leads to.
fn begin(session: &Session, started: Result<Startup, CommandError>) {
    match started {
        Ok(start) => {
            let resumes = start.resumes();
            session.dispatch(Action::Started(start));
            if resumes {
                session.load_person();
            }
        }
        Err(e) => {
            session.navigate(Route::Login);
            session.dispatch(Action::Failed(e));
        }
    }
}

#[function_component(Root)]
fn root() -> Html {
    let session = use_session();
    {
        let session = session.clone();
        use_effect_with((), move |_| start(session));
    }
    // Once the first screen a person can act on is painted, the shell is told — once per start
    // (离线继续 passes through the loading screen again): after the frame that shows it, as the
    // blank page of the start-up benchmark does too. Then the tables the first page does not need
    // are loaded, and the page drawn again with them.
    let told = use_mut_ref(|| false);
    {
        let s = session.clone();
        use_effect_with(session.route.settled(), move |settled| {
            if *settled && !told.replace(true) {
                after_next_paint(|| {
                    spawn_local(async move {
                        let _ = ipc::call::<cmd::UiReady>(args::UiReady {}).await;
                        assets::load_the_rest().await;
                        s.dispatch(Action::ReferenceInstalled);
                    })
                });
            }
        });
    }
    // Until the shell answers the start, nothing; the loading line if it is slow to.
    let slow = use_state(|| false);
    {
        let slow = slow.clone();
        use_effect_with(session.route == Route::Starting, move |starting| {
            let timer = starting.then(|| Timeout::new(SLOW_START_MS, move || slow.set(true)));
            move || drop(timer)
        });
    }
    if session.route == Route::Starting && !*slow {
        return html! { <div class="app"></div> };
    }
    let page = match (&session.route, &session.overview) {
        (Route::Starting | Route::Loading, _) => {
            html! { <p class="status" role="status">{ text::LOADING }</p> }
        }
        (Route::Login, _) | (_, None) => html! { <LoginPage /> },
        (Route::Notice(n), Some(_)) => {
            let s = session.clone();
            html! { <NoticePage notice={*n} on_accept={Callback::from(move |n| s.accept(n))} /> }
        }
        (Route::Services, Some(_)) => html! { <ServicesPage /> },
        (Route::Wizard(b), Some(_)) => html! { <WizardPage key={format!("{b:?}")} bundle={*b} /> },
        (Route::Result { id, bundle }, Some(_)) => html! { <ResultPage id={id.clone()} bundle={*bundle} /> },
        (Route::Receipt(id), Some(_)) => html! { <ReceiptPage id={id.clone()} /> },
        (Route::Applications, Some(_)) => html! { <ApplicationsPage /> },
        (Route::Drafts, Some(_)) => html! { <DraftsPage /> },
    };
    let root_class = classes!("app", session.prefs.elderly.then_some("elderly"));
    let on_timeout = {
        let s = session.clone();
        Callback::from(move |()| s.logout())
    };
    html! {
        <div class={root_class}>
            <a class="skip-link" href="#main">{ "跳到主要内容" }</a>
            <Header />
            if let Some(policy) = session.kiosk {
                <KioskGuard {policy} active={session.logged_in()} {on_timeout} />
            }
            <main id="main" tabindex="-1">
                if session.logged_in() && !session.online {
                    <p class="banner offline" role="status" id="offline-banner">{ text::OFFLINE_BANNER }</p>
                }
                if !session.expired.is_empty() {
                    <div class="banner" role="status" id="expired-drafts">
                        <p>{ text::EXPIRED_NOTICE }
                            { session.expired.iter().map(|b| b.title_zh()).collect::<Vec<_>>().join("、") }</p>
                        <button onclick={let s = session.clone(); move |_| s.dispatch(Action::DismissExpired)}>{ text::DISMISS }</button>
                    </div>
                }
                if let (Some(e), true) = (&session.error, session.logged_in()) {
                    <div class="alert" role="alert" id="app-error"><p>{ &e.message }</p></div>
                }
                { page }
            </main>
        </div>
    }
}

/// Resolves once the next frame has been painted, in a task of its own: the other callbacks of
/// that frame — telling the shell the first screen is painted — run first. At the latest after
/// `PAINT_WAIT_MS`: a window hidden as the app starts paints no frame, and what waits for the
/// paint (the event listens) must not wait for the window to be shown.
async fn painted() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, PAINT_WAIT_MS);
        }
        after_next_paint(move || match web_sys::window() {
            Some(w) if w.set_timeout_with_callback(&resolve).is_ok() => {}
            _ => drop(resolve.call0(&wasm_bindgen::JsValue::NULL)),
        })
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

/// Runs `f` once the next frame has been painted: a frame callback runs before its paint, so the
/// one it asks for runs after it.
fn after_next_paint(f: impl FnOnce() + 'static) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(window) = web_sys::window() else { return f() };
    let second = Closure::once_into_js(f);
    let first = Closure::once_into_js(move || {
        if let Some(w) = web_sys::window() {
            let _ = w.request_animation_frame(second.unchecked_ref());
        }
    });
    let _ = window.request_animation_frame(first.unchecked_ref());
}
