//! Component tests in a real browser engine (wasm-bindgen-test; `cargo xtask test` runs them in
//! WebKit through WebKitWebDriver). Each test mounts a component, acts on the DOM, and awaits
//! `yew::scheduler::flush()` before looking: no sleeping.
#![cfg(target_arch = "wasm32")]
// Test code: clippy's allow-unwrap-in-tests does not recognise `#[wasm_bindgen_test]`.
#![allow(clippy::unwrap_used)]

use shiye_core::date::Date;
use shiye_core::ipc::{Notice, Overview};
use shiye_core::records::{ContributionRecord, Records, SeparationReason};
use shiye_core::services::Bundle;
use shiye_ui::pages::notice::{NoticePage, Props as NoticeProps};
use shiye_ui::pages::services::ServicesPage;
use shiye_ui::pages::wizard::WizardPage;
use shiye_ui::route::Route;
use shiye_ui::session::use_session;
use shiye_ui::session::SessionHandle;
use shiye_ui::state::{current_version, AppState};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlButtonElement, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn root() -> Element {
    let doc = gloo_utils::document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

fn by_id<T: JsCast>(id: &str) -> T {
    gloo_utils::document().get_element_by_id(id).unwrap_or_else(|| panic!("#{id}")).dyn_into::<T>().unwrap()
}

fn exists(id: &str) -> bool {
    gloo_utils::document().get_element_by_id(id).is_some()
}

fn records(registered: bool) -> Records {
    Records {
        beijing_hukou: true,
        registered,
        open_claim: false,
        contribution: Some(ContributionRecord {
            separation_reason: SeparationReason::DismissedByEmployer,
            contribution_months: 40,
            last_employer: "北京某科技有限公司".into(),
            last_contribution_date: Date::new(2026, 10, 31).unwrap(),
        }),
        benefit: None,
        registration: None,
        foreign_national: false,
    }
}

#[derive(Properties, PartialEq)]
struct ServicesHostProps {
    records: Records,
    online: bool,
    /// Hears the bundle whose wizard the page navigates to.
    on_open: Callback<Bundle>,
}

/// The service page inside a signed-in person's session, with a probe of where it navigates.
#[function_component(ServicesHost)]
fn services_host(p: &ServicesHostProps) -> Html {
    let (records, online) = (p.records.clone(), p.online);
    let session = use_reducer(move || AppState {
        overview: Some(shiye_core::ipc::samples::overview("s", records)),
        online,
        // Past the two texts, as the app lets a person reach this page.
        accepted: [Notice::UserNotice, Notice::Commitment].map(|n| (n, current_version(n))).to_vec(),
        ..Default::default()
    });
    html! {
        <ContextProvider<SessionHandle> context={session}>
            <ServicesPage />
            <RouteProbe on_open={p.on_open.clone()} />
        </ContextProvider<SessionHandle>>
    }
}

#[derive(Properties, PartialEq)]
struct ProbeProps {
    on_open: Callback<Bundle>,
}

#[function_component(RouteProbe)]
fn route_probe(p: &ProbeProps) -> Html {
    let session = use_session();
    let on_open = p.on_open.clone();
    use_effect_with(session.route.clone(), move |route| {
        if let Route::Wizard(b) = route {
            on_open.emit(*b);
        }
    });
    html! {}
}

#[wasm_bindgen_test]
async fn the_claim_ticks_what_it_implies_and_the_dialog_confirms_or_cancels() {
    let opened = Rc::new(RefCell::new(None));
    let o = opened.clone();
    let props = ServicesHostProps {
        records: records(false),
        online: true,
        on_open: Callback::from(move |b| *o.borrow_mut() = Some(b)),
    };
    let app = yew::Renderer::<ServicesHost>::with_root_and_props(root(), props).render();
    yew::scheduler::flush().await;

    // 失业登记注销 needs a registration this person does not have.
    assert!(by_id::<HtmlInputElement>("svc-registration_cancel").disabled());
    assert_eq!(
        by_id::<HtmlElement>("svc-registration_cancel-reason").text_content().unwrap(),
        "您当前没有有效的失业登记"
    );
    // With what to do about it.
    assert!(by_id::<HtmlElement>("svc-registration_cancel-remedy")
        .text_content()
        .unwrap()
        .contains("请先办理失业登记"));

    by_id::<HtmlElement>("svc-benefit_claim").click();
    yew::scheduler::flush().await;
    assert!(by_id::<HtmlInputElement>("svc-registration").checked());
    assert!(by_id::<HtmlInputElement>("svc-job_seeking").checked());

    // Unticking an implied item is refused with the reason.
    by_id::<HtmlElement>("svc-registration").click();
    yew::scheduler::flush().await;
    assert!(by_id::<HtmlInputElement>("svc-registration").checked());
    assert!(by_id::<HtmlElement>("services-message").text_content().unwrap().contains("须一并办理"));

    by_id::<HtmlElement>("services-confirm").click();
    yew::scheduler::flush().await;
    assert!(exists("dialog-ok"));
    // Focus starts on 确认 and Tab keeps it inside the dialog, either way round.
    let focused = || gloo_utils::document().active_element().map(|e| e.id()).unwrap_or_default();
    let tab = |id: &str| {
        js_sys::eval(&format!(
            "document.getElementById('{id}').dispatchEvent(new KeyboardEvent('keydown', {{ key: 'Tab', bubbles: true, cancelable: true }}))"
        ))
        .unwrap();
    };
    assert_eq!(focused(), "dialog-ok");
    tab("dialog-ok");
    assert_eq!(focused(), "dialog-cancel");
    tab("dialog-cancel");
    assert_eq!(focused(), "dialog-ok", "Tab from the last button comes back to the first");
    by_id::<HtmlElement>("dialog-cancel").click();
    yew::scheduler::flush().await;
    assert!(!exists("dialog-ok"), "取消 closes the dialog");
    assert_eq!(*opened.borrow(), None, "取消 stays on the page");

    by_id::<HtmlElement>("services-confirm").click();
    yew::scheduler::flush().await;
    by_id::<HtmlElement>("dialog-ok").click();
    yew::scheduler::flush().await;
    assert_eq!(*opened.borrow(), Some(Bundle::BenefitClaimJoint));
    app.destroy();
}

#[wasm_bindgen_test]
async fn the_notice_is_acknowledged_only_after_reading_to_the_end() {
    // A box smaller than the text, as on a phone, so it has to be scrolled.
    let doc = gloo_utils::document();
    let style = doc.create_element("style").unwrap();
    style.set_text_content(Some("#notice-body { max-height: 60px !important; overflow-y: auto; }"));
    doc.head().unwrap().append_child(&style).unwrap();
    let accepted = Rc::new(RefCell::new(None));
    let a = accepted.clone();
    let props = NoticeProps {
        notice: Notice::Commitment,
        on_accept: Callback::from(move |n| *a.borrow_mut() = Some(n)),
    };
    let app = yew::Renderer::<NoticePage>::with_root_and_props(root(), props).render();
    yew::scheduler::flush().await;
    assert!(by_id::<HtmlButtonElement>("notice-accept").disabled(), "not read yet");
    let body = by_id::<HtmlElement>("notice-body");
    body.set_scroll_top(body.scroll_height());
    body.dispatch_event(&web_sys::Event::new("scroll").unwrap()).unwrap();
    yew::scheduler::flush().await;
    assert!(!by_id::<HtmlButtonElement>("notice-accept").disabled());
    by_id::<HtmlElement>("notice-accept").click();
    yew::scheduler::flush().await;
    assert_eq!(*accepted.borrow(), Some(Notice::Commitment));
    app.destroy();
    style.remove();
}

fn overview() -> Overview {
    shiye_core::ipc::samples::overview("s", records(true))
}

#[derive(Properties, PartialEq)]
struct SignedInProps {
    overview: Overview,
    bundle: Bundle,
}

/// A page as the app shows it: inside the session of a signed-in person.
#[function_component(SignedInWizard)]
fn signed_in_wizard(p: &SignedInProps) -> Html {
    let overview = p.overview.clone();
    let session =
        use_reducer(move || AppState { overview: Some(overview), online: true, ..Default::default() });
    html! {
        <ContextProvider<SessionHandle> context={session}>
            <WizardPage bundle={p.bundle} />
        </ContextProvider<SessionHandle>>
    }
}

#[wasm_bindgen_test]
async fn next_shows_a_focused_error_summary_and_the_message_beside_the_field() {
    let props = SignedInProps { bundle: Bundle::RegistrationCancel, overview: overview() };
    let app = yew::Renderer::<SignedInWizard>::with_root_and_props(root(), props).render();
    // Outside the app shell the draft lookup fails; the wizard still opens, saying so.
    for _ in 0..50 {
        yew::scheduler::flush().await;
        if exists("next") {
            break;
        }
        wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL))
            .await
            .unwrap();
    }
    assert!(exists("next"), "{}", gloo_utils::document().body().unwrap().inner_html());
    assert_eq!(by_id::<HtmlElement>("f-name").text_content().unwrap(), "王建国");
    assert_eq!(by_id::<HtmlElement>("f-id_number").text_content().unwrap(), "110105********0015", "masked");
    by_id::<HtmlElement>("next").click();
    yew::scheduler::flush().await;
    by_id::<HtmlElement>("next").click();
    yew::scheduler::flush().await;
    let summary = by_id::<HtmlElement>("error-summary");
    assert!(summary.text_content().unwrap().contains("注销原因为必填项"));
    assert_eq!(gloo_utils::document().active_element().map(|e| e.id()), Some("error-summary".to_string()));
    assert_eq!(by_id::<HtmlElement>("e-cancel_reason").text_content().unwrap(), "注销原因为必填项");
    let select = by_id::<HtmlSelectElement>("f-cancel_reason");
    assert_eq!(select.get_attribute("aria-describedby").as_deref(), Some("e-cancel_reason"));

    // Fixing the field clears its message at once; 下一步 then reaches 信息确认.
    select.set_value("employed");
    let init = web_sys::EventInit::new();
    init.set_bubbles(true);
    select.dispatch_event(&web_sys::Event::new_with_event_init_dict("change", &init).unwrap()).unwrap();
    yew::scheduler::flush().await;
    assert!(!exists("e-cancel_reason"));
    by_id::<HtmlElement>("next").click();
    yew::scheduler::flush().await;
    assert!(exists("check-heading"));
    assert_eq!(by_id::<HtmlElement>("check-f-cancel_reason").text_content().unwrap(), "被用人单位录用");
    app.destroy();
}

/// Waits `ms` on the page's clock (for what a timer shows; everything else awaits `flush`).
async fn wait_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// A shell's answer to the start for a device where nobody is signed in, as it crosses to the page.
fn nobody_started(elderly: bool) -> wasm_bindgen::JsValue {
    use serde::Serialize;
    use shiye_core::ipc::{Prefs, Startup};
    let start = Startup {
        overview: None,
        online: true,
        expired_drafts: vec![],
        prefs: Prefs { elderly },
        kiosk: None,
        reference: None,
    };
    start.serialize(&serde_wasm_bindgen::Serializer::json_compatible()).unwrap()
}

/// Lets the page run until `done` holds, for at most about `tries` × 10 ms.
async fn until(tries: usize, done: impl Fn() -> bool) {
    for _ in 0..tries {
        yew::scheduler::flush().await;
        if done() {
            return;
        }
        wait_ms(10).await;
    }
}

#[wasm_bindgen_test]
async fn nothing_is_drawn_until_the_shell_answers_the_start_and_the_loading_line_only_if_it_is_slow() {
    // A shell that has not answered the start yet: `start` never settles, listening succeeds.
    js_sys::eval(
        "window.__TAURI__ = { core: { invoke: (cmd) => cmd === 'start' ? new Promise(() => {}) \
         : Promise.reject({ kind: 'internal', message: 'no shell' }) }, \
         event: { listen: () => Promise.resolve(() => {}) } };",
    )
    .unwrap();
    let host = root();
    let app = yew::Renderer::<shiye_ui::app::App>::with_root(host.clone()).render();
    yew::scheduler::flush().await;
    let shown = || host.text_content().unwrap_or_default();
    assert!(host.first_element_child().is_some(), "the app is mounted");
    assert_eq!(shown(), "", "nothing drawn while the shell is asked");
    // A start that answers within a tenth of a second (as it does) goes straight to its page.
    wait_ms(100).await;
    yew::scheduler::flush().await;
    assert_eq!(shown(), "", "nothing drawn a tenth of a second later either");
    wait_ms(300).await;
    yew::scheduler::flush().await;
    assert!(shown().contains(shiye_ui::text::LOADING), "{}", shown());
    assert!(!exists("login-button"));
    app.destroy();
    js_sys::eval("delete window.__TAURI__;").unwrap();
}

#[wasm_bindgen_test]
async fn the_start_asked_for_as_the_page_loaded_is_the_one_the_page_shows_and_is_taken_once() {
    // index.html's request, already answered; the shell asked again would never answer.
    let wire = nobody_started(false);
    let early = js_sys::Promise::resolve(&wire);
    js_sys::Reflect::set(&js_sys::global(), &shiye_ui::ipc::EARLY_START.into(), &early).unwrap();
    js_sys::eval(
        "window.__asked = []; window.__TAURI__ = { core: { invoke: (cmd) => { window.__asked.push(cmd); \
         return cmd === 'start' ? new Promise(() => {}) : Promise.reject({ kind: 'internal', message: 'no shell' }); } }, \
         event: { listen: () => Promise.resolve(() => {}) } };",
    )
    .unwrap();
    let host = root();
    let app = yew::Renderer::<shiye_ui::app::App>::with_root(host).render();
    until(50, || exists("login-button")).await;
    assert!(exists("login-button"), "the early answer leads to the login page");
    let asked = js_sys::eval("window.__asked.join(',')").unwrap().as_string().unwrap();
    assert!(!asked.split(',').any(|c| c == "start"), "the shell was not asked again: {asked}");
    let kept = js_sys::Reflect::get(&js_sys::global(), &shiye_ui::ipc::EARLY_START.into()).unwrap();
    assert!(kept.is_undefined(), "the early answer is taken once");
    app.destroy();
    js_sys::eval("delete window.__TAURI__; delete window.__asked;").unwrap();
}

#[wasm_bindgen_test]
async fn a_window_that_paints_no_frame_still_listens_to_the_shell() {
    // A window hidden as the app starts: no frame comes. The start answers (nobody known).
    let wire = nobody_started(false);
    js_sys::Reflect::set(&js_sys::global(), &"__hidden_start".into(), &wire).unwrap();
    js_sys::eval(
        "window.__raf = window.requestAnimationFrame; window.requestAnimationFrame = () => 0; \
         window.__listened = []; \
         window.__TAURI__ = { core: { invoke: (cmd) => cmd === 'start' ? Promise.resolve(window.__hidden_start) \
         : Promise.reject({ kind: 'internal', message: 'no shell' }) }, \
         event: { listen: (name) => { window.__listened.push(name); return Promise.resolve(() => {}); } } };",
    )
    .unwrap();
    let app = yew::Renderer::<shiye_ui::app::App>::with_root(root()).render();
    let listened = || js_sys::eval("window.__listened.length").unwrap().as_f64().unwrap_or(0.0);
    until(60, || listened() >= 5.0).await;
    js_sys::eval("window.requestAnimationFrame = window.__raf;").unwrap();
    assert!(exists("login-button"), "the login page is in the page");
    assert_eq!(listened(), 5.0, "every event is listened to without a painted frame");
    app.destroy();
    js_sys::eval("delete window.__TAURI__; delete window.__listened; delete window.__hidden_start; delete window.__raf;")
        .unwrap();
}

#[wasm_bindgen_test]
async fn a_phone_in_elderly_mode_draws_its_large_login_page_first_never_a_smaller_screen() {
    // A shell that answers the start at once, for a device whose person chose 长辈模式.
    let wire = nobody_started(true);
    js_sys::Reflect::set(&js_sys::global(), &"__shiye_start".into(), &wire).unwrap();
    js_sys::eval(
        "window.__TAURI__ = { core: { invoke: (cmd) => cmd === 'start' ? Promise.resolve(window.__shiye_start) \
         : Promise.reject({ kind: 'internal', message: 'no shell' }) }, \
         event: { listen: () => Promise.resolve(() => {}) } };",
    )
    .unwrap();
    let host = root();
    host.set_id("elderly-start");
    // The app's class each time the page holds text, as the page saw it.
    js_sys::eval(
        "window.__drawn = []; const h = document.getElementById('elderly-start'); \
         new MutationObserver(() => { if (h.textContent) window.__drawn.push(h.firstElementChild.className); }) \
         .observe(h, { subtree: true, childList: true, attributes: true, characterData: true });",
    )
    .unwrap();
    let app = yew::Renderer::<shiye_ui::app::App>::with_root(host).render();
    until(50, || exists("login-button")).await;
    assert!(exists("login-button"));
    let drawn = js_sys::eval("window.__drawn.join(',')").unwrap().as_string().unwrap();
    assert!(!drawn.is_empty() && drawn.split(',').all(|c| c.split(' ').any(|c| c == "elderly")), "{drawn}");
    app.destroy();
    js_sys::eval("delete window.__TAURI__; delete window.__shiye_start;").unwrap();
}
