//! The only place that calls the Tauri shell: `call::<C>(args)` for any command `C` of shiye-core's
//! command table, whose error arm is the shell's `CommandError`; a rejection that is not one (the
//! shell itself refused) is turned into one, never unwrapped. Events arrive through `listen`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use shiye_core::ipc::commands::Command;
pub use shiye_core::ipc::commands::{self as cmd, args};
use shiye_core::{CommandError, ErrorKind};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // `withGlobalTauri` exposes the core API as `window.__TAURI__.core`.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "event"], js_name = listen, catch)]
    async fn tauri_listen(event: &str, handler: &Closure<dyn FnMut(JsValue)>) -> Result<JsValue, JsValue>;
}

/// Why a rejection could not be read as a `CommandError`.
fn foreign_error(value: &JsValue) -> CommandError {
    let detail = value
        .as_string()
        .or_else(|| js_sys::Reflect::get(value, &"message".into()).ok().and_then(|m| m.as_string()))
        .unwrap_or_default();
    CommandError::new(ErrorKind::Internal, format!("应用内部通信失败：{detail}"))
}

fn to_js<A: Serialize>(args: &A) -> Result<JsValue, CommandError> {
    // Maps as plain objects: Tauri reads command arguments from an object.
    let s = serde_wasm_bindgen::Serializer::json_compatible();
    args.serialize(&s).map_err(|e| foreign_error(&e.into()))
}

/// Whether the page runs inside the app shell (not, e.g., in a plain browser for a test).
fn shell_present() -> bool {
    let tauri = js_sys::Reflect::get(&js_sys::global(), &"__TAURI__".into()).unwrap_or(JsValue::UNDEFINED);
    !tauri.is_undefined() && !tauri.is_null()
}

/// The command's arguments as Tauri reads them: `{ "args": … }`.
#[derive(Serialize)]
struct Envelope<'a, A> {
    args: &'a A,
}

/// Calls command `C` of shiye-core's table with its arguments.
pub async fn call<C: Command>(args: C::Args) -> Result<C::Output, CommandError> {
    if !shell_present() {
        return Err(CommandError::new(ErrorKind::Internal, "应用内部通信不可用：页面不在应用窗口中运行。"));
    }
    answer::<C>(tauri_invoke(C::NAME, to_js(&Envelope { args: &args })?).await)
}

/// Command `C`'s answer as the shell gave it: its output, or its `CommandError`.
fn answer<C: Command>(given: Result<JsValue, JsValue>) -> Result<C::Output, CommandError> {
    match given {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|e| foreign_error(&e.into())),
        Err(rejection) => {
            Err(serde_wasm_bindgen::from_value(rejection.clone())
                .unwrap_or_else(|_| foreign_error(&rejection)))
        }
    }
}

/// Where `index.html` keeps the start it asks for as the page loads: a promise of the shell's
/// answer to `start`, so that the shell answers while the wasm is fetched and compiled.
pub const EARLY_START: &str = "__shiyeStart";

/// The start: the answer to the request `index.html` made as the page loaded (taken once), else
/// asked for now (a page without it, such as a test's).
pub async fn start() -> Result<shiye_core::ipc::Startup, CommandError> {
    let global = js_sys::global();
    let early = js_sys::Reflect::get(&global, &EARLY_START.into()).unwrap_or(JsValue::UNDEFINED);
    match early.dyn_into::<js_sys::Promise>() {
        Ok(asked) => {
            let _ = js_sys::Reflect::delete_property(
                global.unchecked_ref::<js_sys::Object>(),
                &EARLY_START.into(),
            );
            answer::<cmd::Start>(wasm_bindgen_futures::JsFuture::from(asked).await)
        }
        Err(_) => call::<cmd::Start>(args::Start {}).await,
    }
}

/// Calls `handler` with each payload of `event` for the life of the page.
pub fn listen<T: DeserializeOwned + 'static>(event: &'static str, handler: impl Fn(T) + 'static) {
    if !shell_present() {
        return;
    }
    let closure = Closure::<dyn FnMut(JsValue)>::new(move |e: JsValue| {
        let payload = js_sys::Reflect::get(&e, &"payload".into()).unwrap_or(JsValue::NULL);
        if let Ok(p) = serde_wasm_bindgen::from_value::<T>(payload) {
            handler(p);
        }
    });
    wasm_bindgen_futures::spawn_local(async move {
        let _ = tauri_listen(event, &closure).await;
        // The listener lives as long as the page.
        closure.forget();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `index.html` asks for the start by the command's name, in the envelope Tauri reads, and
    /// keeps the promise where `start` takes it from.
    #[test]
    fn the_page_asks_for_the_start_by_its_name_and_keeps_it_where_start_looks() {
        let page = include_str!("../index.html");
        let asked = format!(
            "window.{EARLY_START} = window.__TAURI__.core.invoke(\"{}\", {{ args: {{}} }});",
            cmd::Start::NAME
        );
        assert!(page.contains(&asked), "index.html should hold: {asked}");
        // Before the stylesheet: a script after a pending stylesheet waits for it.
        assert!(page.find(&asked) < page.find("rel=\"css\""));
        let envelope = serde_json::to_string(&Envelope { args: &args::Start {} }).unwrap();
        assert_eq!(envelope, r#"{"args":{}}"#);
    }
}
