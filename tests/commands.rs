//! The commands as the UI sees them: invoked through Tauri's IPC on the mock runtime, with the
//! app's real builder, capability file and stores, answering with the exact JSON `ipc.rs`
//! decodes. Needs a Secret Service (the data key lives in the keyring): `cargo xtask test`.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::get_ipc_response;
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

fn app(data: &std::path::Path) -> tauri::App<tauri::test::MockRuntime> {
    // Port 9 (discard) on loopback: nothing answers, as when the network is down.
    let mut config = shiye::config::Config::with_api_base("http://127.0.0.1:9").expect("config");
    config.data_dir = Some(data.to_path_buf());
    let mut app = shiye::builder(config).build(tauri::generate_context!()).expect("app builds");
    // `setup` (stores, keyring, services) runs with the first turn of the event loop.
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    app
}

fn invoke(window: &WebviewWindow<tauri::test::MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(args),
        headers: Default::default(),
        invoke_key: tauri::Manager::app_handle(window).invoke_key().to_string(),
    };
    get_ipc_response(window, request).map(|b| b.deserialize::<Value>().expect("json answer"))
}

#[test]
fn commands_answer_with_the_json_the_ui_decodes() {
    // A device where nobody is logged in (an earlier test of this session may have left tokens).
    shiye::vault::Vault::default().clear_tokens().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let main = app.get_webview_window("main").expect("the main window of tauri.conf.json");

    // Nobody has logged in on this device: no overview, the default preferences.
    assert_eq!(
        invoke(&main, "start", json!({})),
        Ok(json!({ "overview": null, "online": true, "expired_drafts": [], "prefs": { "elderly": false } }))
    );
    // Anything personal needs a login first; the error is the one `CommandError` shape.
    let not_logged_in = json!({ "kind": "not_logged_in", "message": "尚未登录或登录已失效，请重新登录。" });
    assert_eq!(invoke(&main, "list_drafts", json!({})), Err(not_logged_in.clone()));
    assert_eq!(
        invoke(&main, "submit", json!({ "answers": { "bundle": "registration_cancel", "cancel": {} } })),
        Err(not_logged_in.clone())
    );
    assert_eq!(invoke(&main, "accepted_notices", json!({})), Err(not_logged_in));
    // With the server unreachable, the network error says so in Chinese.
    assert_eq!(
        invoke(&main, "request_sms_code", json!({})),
        Err(json!({ "kind": "not_logged_in", "message": "尚未登录或登录已失效，请重新登录。" })),
        "no tokens in the keyring: asked to log in, not sent to the server"
    );
    // 长辈模式 is remembered (the cache's own test reopens the store).
    assert_eq!(
        invoke(&main, "set_prefs", json!({ "prefs": { "elderly": true } })),
        Ok(json!({ "elderly": true }))
    );
    assert_eq!(invoke(&main, "start", json!({})).map(|v| v["prefs"].clone()), Ok(json!({ "elderly": true })));
    // A command outside the list does not exist for the page.
    assert!(invoke(&main, "no_such_command", json!({})).is_err());
}
