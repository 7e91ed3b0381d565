//! The commands as the UI sees them: invoked through Tauri's IPC on the mock runtime, with the
//! app's real builder, capability file and stores, answering with the exact JSON `ipc.rs`
//! decodes. Needs a Secret Service (the data key lives in the keyring): `cargo xtask test`.

use serde_json::{json, Value};
use tauri::ipc::{CallbackFn, InvokeBody};
use tauri::test::get_ipc_response;
use tauri::webview::InvokeRequest;
use tauri::{Manager, WebviewWindow};

fn app(data: &std::path::Path) -> tauri::App<tauri::test::MockRuntime> {
    app_with(data, false)
}

/// One app at a time: they share the session's keyring entries.
static SERIAL: std::sync::Mutex<()> = std::sync::Mutex::new(());

fn app_with(data: &std::path::Path, kiosk: bool) -> tauri::App<tauri::test::MockRuntime> {
    // Port 9 (discard) on loopback: nothing answers, as when the network is down.
    let mut config = shiye::config::Config::with_api_base("http://127.0.0.1:9").expect("config");
    config.data_dir = Some(data.to_path_buf());
    config.kiosk = kiosk;
    let mut app = shiye::builder(config).build(tauri::generate_context!()).expect("app builds");
    // `setup` (stores, keyring, services) runs with the first turn of the event loop.
    #[allow(deprecated)]
    app.run_iteration(|_, _| {});
    app
}

/// Calls `cmd` as the UI does: its arguments under `args`.
fn invoke(window: &WebviewWindow<tauri::test::MockRuntime>, cmd: &str, args: Value) -> Result<Value, Value> {
    invoke_raw(window, cmd, json!({ "args": args }))
}

fn invoke_raw(
    window: &WebviewWindow<tauri::test::MockRuntime>,
    cmd: &str,
    body: Value,
) -> Result<Value, Value> {
    let request = InvokeRequest {
        cmd: cmd.into(),
        callback: CallbackFn(0),
        error: CallbackFn(1),
        url: "tauri://localhost".parse().expect("url"),
        body: InvokeBody::Json(body),
        headers: Default::default(),
        invoke_key: tauri::Manager::app_handle(window).invoke_key().to_string(),
    };
    get_ipc_response(window, request).map(|b| b.deserialize::<Value>().expect("json answer"))
}

#[test]
fn commands_answer_with_the_json_the_ui_decodes() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    // A device where nobody is logged in (an earlier test of this session may have left tokens).
    shiye::vault::Vault::default().clear_tokens().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let main = app.get_webview_window("main").expect("the main window of tauri.conf.json");

    // Nobody has logged in on this device: no overview, the default preferences.
    assert_eq!(
        invoke(&main, "start", json!({})),
        Ok(json!({
            "overview": null, "online": true, "expired_drafts": [], "prefs": { "elderly": false }, "kiosk": null,
            "reference": null
        }))
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
        invoke(&main, "request_sms_code", json!({"purpose": "bank_account_change"})),
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
    // An argument under another name than the table's is refused, not taken as missing.
    let renamed = invoke(&main, "set_prefs", json!({ "preferences": { "elderly": true } })).unwrap_err();
    assert!(renamed.to_string().contains("prefs"), "{renamed}");
}

/// Every name of shiye-core's command table has a handler (the handler list in `lib.rs` is the
/// one other place commands are listed): a malformed call is refused for its arguments, never as
/// an unknown command, and the unknown command's refusal looks different.
#[test]
fn every_command_of_the_table_is_handled() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    let app = app(dir.path());
    let main = app.get_webview_window("main").expect("main window");
    let unknown = invoke_raw(&main, "no_such_command", json!({ "args": 1 })).unwrap_err().to_string();
    assert!(unknown.contains("not found"), "{unknown}");
    for name in shiye_core::ipc::commands::NAMES {
        // `args` of the wrong type: every handler refuses it before doing anything.
        let answer = invoke_raw(&main, name, json!({ "args": 1 }));
        let refused = answer.expect_err(name).to_string();
        assert!(!refused.contains("not found"), "{name} has no handler: {refused}");
        assert!(refused.contains("args"), "{name}: {refused}");
    }
}

/// A kiosk never offers the person left in its cache (a crash, a power cut): at start it forgets
/// them, and tells the UI its idle policy.
#[test]
fn a_kiosk_starts_with_nobody_and_says_its_idle_policy() {
    let _one = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let dir = tempfile::tempdir().unwrap();
    {
        let key = shiye::vault::Vault::default().data_key().unwrap();
        let store = shiye::store::Store::open(dir.path()).unwrap();
        let cache = shiye::cache::Cache::open(&store, shiye::seal::Sealer::new(&key)).unwrap();
        let left = shiye_core::ipc::samples::overview("p-left-behind", Default::default());
        tauri::async_runtime::block_on(cache.save_overview(&left)).unwrap();
        assert!(cache.last_overview().unwrap().is_some());
    }
    let app = app_with(dir.path(), true);
    let main = app.get_webview_window("main").expect("main window");
    let start = invoke(&main, "start", json!({})).unwrap();
    assert_eq!(start["overview"], Value::Null, "no 离线继续 on a kiosk");
    assert_eq!(start["kiosk"], json!({ "idle_secs": 180, "countdown_secs": 60 }));
    let cache = app.state::<shiye::cache::Cache>();
    assert_eq!(cache.last_overview().unwrap(), None, "the person left behind is forgotten");
    assert_eq!(cache.overview("p-left-behind").unwrap(), None);
}
