//! The only place that calls the Tauri shell. Each command is a typed async function whose error
//! arm is the shell's `CommandError`; a rejection that is not one (the shell itself refused) is
//! turned into one, never unwrapped.

use serde::de::DeserializeOwned;
use serde::Serialize;
use shiye_core::api::Session;
use shiye_core::{CommandError, ErrorKind};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    // `withGlobalTauri` exposes the core API as `window.__TAURI__.core`.
    #[wasm_bindgen(js_namespace = ["window", "__TAURI__", "core"], js_name = invoke, catch)]
    async fn tauri_invoke(cmd: &str, args: JsValue) -> Result<JsValue, JsValue>;
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

async fn invoke<A: Serialize, T: DeserializeOwned>(cmd: &str, args: &A) -> Result<T, CommandError> {
    let args = serde_wasm_bindgen::to_value(args).map_err(|e| foreign_error(&e.into()))?;
    match tauri_invoke(cmd, args).await {
        Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|e| foreign_error(&e.into())),
        Err(rejection) => {
            Err(serde_wasm_bindgen::from_value(rejection.clone())
                .unwrap_or_else(|_| foreign_error(&rejection)))
        }
    }
}

/// Opens the identity platform's login window and waits for the whole login to finish.
pub async fn login() -> Result<Session, CommandError> {
    invoke("login", &NoArgs {}).await
}
