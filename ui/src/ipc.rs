//! The only place that calls the Tauri shell. Each command is a typed async function whose error
//! arm is the shell's `CommandError`; a rejection that is not one (the shell itself refused) is
//! turned into one, never unwrapped. Events from the shell arrive through `listen`.

use serde::de::DeserializeOwned;
use serde::Serialize;
use shiye_core::api::SmsSent;
use shiye_core::forms::Answers;
use shiye_core::ipc::{
    Draft, DraftSummary, DraftView, LocalSubmission, Notice, OutboxStatus, Overview, Prefs, Receipt, Startup,
    SubmitOutcome,
};
use shiye_core::services::{Bundle, ServiceKind};
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

#[derive(Serialize)]
struct NoArgs {}

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

async fn invoke<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> Result<T, CommandError> {
    if !shell_present() {
        return Err(CommandError::new(ErrorKind::Internal, "应用内部通信不可用：页面不在应用窗口中运行。"));
    }
    match tauri_invoke(cmd, to_js(args)?).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|e| foreign_error(&e.into())),
        Err(rejection) => {
            Err(serde_wasm_bindgen::from_value(rejection.clone())
                .unwrap_or_else(|_| foreign_error(&rejection)))
        }
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

pub async fn start() -> Result<Startup, CommandError> {
    invoke("start", &NoArgs {}).await
}

/// Opens the identity platform's login window and waits for the whole login to finish.
pub async fn login() -> Result<Overview, CommandError> {
    invoke("login", &NoArgs {}).await
}

pub async fn cancel_login() -> Result<(), CommandError> {
    invoke("cancel_login", &NoArgs {}).await
}

pub async fn refresh() -> Result<Overview, CommandError> {
    invoke("refresh", &NoArgs {}).await
}

pub async fn logout() -> Result<(), CommandError> {
    invoke("logout", &NoArgs {}).await
}

pub async fn accepted_notices() -> Result<Vec<(Notice, u32)>, CommandError> {
    invoke("accepted_notices", &NoArgs {}).await
}

#[derive(Serialize)]
struct AcceptArgs {
    notice: Notice,
    version: u32,
}

pub async fn accept_notice(notice: Notice, version: u32) -> Result<(), CommandError> {
    invoke("accept_notice", &AcceptArgs { notice, version }).await
}

#[derive(Serialize)]
struct PrefsArgs {
    prefs: Prefs,
}

pub async fn set_prefs(prefs: Prefs) -> Result<Prefs, CommandError> {
    invoke("set_prefs", &PrefsArgs { prefs }).await
}

pub async fn request_sms_code() -> Result<SmsSent, CommandError> {
    invoke("request_sms_code", &NoArgs {}).await
}

#[derive(Serialize)]
struct DraftArgs<'a> {
    draft: &'a Draft,
}

pub async fn save_draft(draft: &Draft) -> Result<i64, CommandError> {
    invoke("save_draft", &DraftArgs { draft }).await
}

#[derive(Serialize)]
struct BundleArgs {
    bundle: Bundle,
}

pub async fn load_draft(bundle: Bundle) -> Result<Option<DraftView>, CommandError> {
    invoke("load_draft", &BundleArgs { bundle }).await
}

pub async fn list_drafts() -> Result<Vec<DraftSummary>, CommandError> {
    invoke("list_drafts", &NoArgs {}).await
}

pub async fn discard_draft(bundle: Bundle) -> Result<(), CommandError> {
    invoke("discard_draft", &BundleArgs { bundle }).await
}

#[derive(Serialize)]
struct SubmitArgs<'a> {
    answers: &'a Answers,
    items: Option<&'a [ServiceKind]>,
}

/// Submits the answers: every item of their bundle, or only `items` (a resubmission).
pub async fn submit(answers: &Answers, items: Option<&[ServiceKind]>) -> Result<SubmitOutcome, CommandError> {
    invoke("submit", &SubmitArgs { answers, items }).await
}

pub async fn outbox_status() -> Result<OutboxStatus, CommandError> {
    invoke("outbox_status", &NoArgs {}).await
}

pub async fn local_submissions() -> Result<Vec<LocalSubmission>, CommandError> {
    invoke("local_submissions", &NoArgs {}).await
}

#[derive(Serialize)]
struct IdArgs<'a> {
    id: &'a str,
}

pub async fn submission(id: &str) -> Result<Option<LocalSubmission>, CommandError> {
    invoke("submission", &IdArgs { id }).await
}

/// The 回执 of an accepted application this device sent.
pub async fn receipt(id: &str) -> Result<Option<Receipt>, CommandError> {
    invoke("receipt", &IdArgs { id }).await
}

pub async fn reopen_submission(id: &str) -> Result<Option<Bundle>, CommandError> {
    invoke("reopen_submission", &IdArgs { id }).await
}

#[derive(Serialize)]
struct CorrectArgs<'a> {
    id: &'a str,
    bundle: Bundle,
    items: Option<&'a [ServiceKind]>,
}

/// 修改并重新提交: a draft of `bundle` for `items` of application `id` (the sent answers when this
/// device sent them).
pub async fn correct_application(
    id: &str,
    bundle: Bundle,
    items: Option<&[ServiceKind]>,
) -> Result<Bundle, CommandError> {
    invoke("correct_application", &CorrectArgs { id, bundle, items }).await
}

pub async fn sync_now() -> Result<(), CommandError> {
    invoke("sync_now", &NoArgs {}).await
}
