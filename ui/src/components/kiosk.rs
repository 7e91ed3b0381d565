//! What a service-centre kiosk enforces in the page while someone is signed in: after
//! `idle_secs` without input a countdown of `countdown_secs` appears, which any input cancels; at
//! its end the person is logged out (结束办理), so the next person never finds their session. The
//! kiosk also keeps the person inside the app: no context menu, no reload, no developer tools.

use crate::text;
use shiye_core::ipc::KioskPolicy;
use std::cell::Cell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// What counts as the person still being there.
const ACTIVITY: &[&str] = &["pointerdown", "pointermove", "keydown", "touchstart", "wheel", "input"];

#[derive(Properties, PartialEq)]
pub struct Props {
    pub policy: KioskPolicy,
    /// Someone is signed in (the timer runs only then).
    pub active: bool,
    pub on_timeout: Callback<()>,
}

/// Seconds left before the logout, once the countdown shows; `None` before it.
pub fn remaining(policy: KioskPolicy, idle_ms: f64) -> Option<u32> {
    let idle = (idle_ms / 1000.0).max(0.0);
    let (warn, end) = (policy.idle_secs as f64, (policy.idle_secs + policy.countdown_secs) as f64);
    (idle >= warn).then(|| (end - idle).ceil().max(0.0) as u32)
}

/// Keys that would leave or reload the page: F5, Ctrl+R, F12, Ctrl+Shift+I/J/C, Ctrl+P, Ctrl+U.
pub fn is_blocked_key(key: &str, ctrl: bool, shift: bool) -> bool {
    let key = key.to_ascii_lowercase();
    matches!(key.as_str(), "f5" | "f12" | "f11")
        || (ctrl && matches!(key.as_str(), "r" | "p" | "u" | "s"))
        || (ctrl && shift && matches!(key.as_str(), "i" | "j" | "c"))
}

#[function_component(KioskGuard)]
pub fn kiosk_guard(p: &Props) -> Html {
    let last = use_mut_ref(|| Cell::new(js_sys::Date::now()));
    let left = use_state_eq(|| None::<u32>);

    // Input anywhere resets the timer; the kiosk's lockdown keys and menu do nothing.
    {
        let (last, left) = (last.clone(), left.clone());
        use_effect_with((), move |_| {
            let document = gloo_utils::document();
            let on_activity: Closure<dyn Fn(web_sys::Event)> = Closure::new(move |e: web_sys::Event| {
                if let Some(k) = e.dyn_ref::<web_sys::KeyboardEvent>() {
                    if is_blocked_key(&k.key(), k.ctrl_key() || k.meta_key(), k.shift_key()) {
                        e.prevent_default();
                    }
                }
                last.borrow().set(js_sys::Date::now());
                left.set(None);
            });
            let no_menu: Closure<dyn Fn(web_sys::Event)> =
                Closure::new(|e: web_sys::Event| e.prevent_default());
            let target: &web_sys::EventTarget = document.as_ref();
            for name in ACTIVITY {
                let _ = target.add_event_listener_with_callback(name, on_activity.as_ref().unchecked_ref());
            }
            let _ = target.add_event_listener_with_callback("contextmenu", no_menu.as_ref().unchecked_ref());
            move || {
                for name in ACTIVITY {
                    let _ = target_remove(name, &on_activity);
                }
                let _ = target_remove("contextmenu", &no_menu);
            }
        });
    }

    // Once a second: show, count down, and log out at zero.
    {
        let (last, left, policy, active, on_timeout) =
            (last.clone(), left.clone(), p.policy, p.active, p.on_timeout.clone());
        use_effect_with((policy, active), move |_| {
            last.borrow().set(js_sys::Date::now());
            left.set(None);
            let tick = active.then(|| {
                gloo_timers::callback::Interval::new(1000, move || {
                    let now = remaining(policy, js_sys::Date::now() - last.borrow().get());
                    if now == Some(0) {
                        last.borrow().set(js_sys::Date::now());
                        left.set(None);
                        on_timeout.emit(());
                    } else {
                        left.set(now);
                    }
                })
            });
            move || drop(tick)
        });
    }

    let stay = {
        let (last, left) = (last.clone(), left.clone());
        Callback::from(move |_: MouseEvent| {
            last.borrow().set(js_sys::Date::now());
            left.set(None);
        })
    };
    match (*left, p.active) {
        (Some(secs), true) => html! {
            <div class="backdrop">
                <div class="dialog" role="alertdialog" aria-modal="true" aria-labelledby="idle-title"
                    aria-describedby="idle-message" id="idle-warning">
                    <h2 id="idle-title">{ text::IDLE_TITLE }</h2>
                    <p id="idle-message" aria-live="assertive">
                        { text::IDLE_BEFORE }<strong id="idle-seconds">{ secs }</strong>{ text::IDLE_AFTER }
                    </p>
                    <div class="actions">
                        <button id="idle-stay" class="primary" onclick={stay}>{ text::IDLE_STAY }</button>
                    </div>
                </div>
            </div>
        },
        _ => html! {},
    }
}

fn target_remove(name: &str, f: &Closure<dyn Fn(web_sys::Event)>) -> Result<(), wasm_bindgen::JsValue> {
    let document = gloo_utils::document();
    let target: &web_sys::EventTarget = document.as_ref();
    target.remove_event_listener_with_callback(name, f.as_ref().unchecked_ref())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_countdown_starts_after_the_idle_time_and_ends_at_zero() {
        let p = KioskPolicy { idle_secs: 180, countdown_secs: 60 };
        assert_eq!(remaining(p, 179_000.0), None);
        assert_eq!(remaining(p, 180_000.0), Some(60));
        assert_eq!(remaining(p, 200_500.0), Some(40));
        assert_eq!(remaining(p, 240_000.0), Some(0));
        assert_eq!(remaining(p, 999_000.0), Some(0));
    }

    #[test]
    fn keys_that_leave_the_page_are_blocked_typing_is_not() {
        assert!(is_blocked_key("F5", false, false));
        assert!(is_blocked_key("r", true, false));
        assert!(is_blocked_key("I", true, true));
        assert!(!is_blocked_key("r", false, false), "typing an r");
        assert!(!is_blocked_key("Enter", false, false));
    }
}
