//! The native shell of 失业一件事. This file is the table of contents: the modules below own one
//! concern each, and `run` wires them into a Tauri app whose commands are one-line adapters.

pub mod account;
pub mod api;
pub mod auth;
pub mod authorization;
pub mod cache;
pub mod clock;
pub mod commands;
pub mod config;
pub mod drafts;
pub mod error;
pub mod id_token;
pub mod identity;
pub mod logging;
#[cfg(desktop)]
pub mod login_window;
#[cfg(desktop)]
pub mod loopback;
pub mod notify;
pub mod outbox;
pub mod reference;
pub mod refresher;
pub mod seal;
pub mod store;
pub mod submissions;
pub mod sync;
pub mod tokens;
pub mod vault;

pub use error::{Error, Result};

use shiye_core::ipc::events;
use tauri::{Emitter, Manager};

/// Opens the one store, starts the sync engine and the refresher, registers the services.
fn setup<R: tauri::Runtime>(app: &mut tauri::App<R>, config: config::Config) -> Result<()> {
    let vault = vault::Vault::default();
    let dir = match &config.data_dir {
        Some(d) => d.clone(),
        None => app.path().app_data_dir()?,
    };
    let sealer = seal::Sealer::new(&vault.data_key()?);
    let store = store::Store::open(&dir)?;
    let ttl = config.draft_ttl.as_secs() as i64;
    let submissions = submissions::Submissions::open(&store, sealer.clone(), ttl)?;
    let expired =
        tauri::async_runtime::block_on(submissions.expire_outbox(config.outbox_keep.as_secs() as i64))?;
    if expired > 0 {
        log::info!("outbox: {expired} entries past outbox_keep_days removed");
    }
    let backoff = sync::Backoff { idle: config.refresh_interval, ..Default::default() };
    // One HTTP client (one connection pool) for the sync engine, its token source and login; one
    // owner of the session, whose credentials (one refresh lock) the engine shares.
    let api = api::ApiClient::new(config.clone())?;
    let auth = auth::AuthService::new(api.clone(), vault);
    let engine = sync::SyncEngine::new(api, submissions.outbox(), auth.credentials(), backoff);
    let (wake, stop) = (submissions.wake_handle(), std::sync::Arc::new(tokio::sync::Notify::new()));
    let refresh_wake = std::sync::Arc::new(tokio::sync::Notify::new());
    let handle = app.handle().clone();
    let after_sync = refresh_wake.clone();
    tauri::async_runtime::spawn(async move {
        engine
            .run(wake, stop, |report| {
                if report.settled_any() {
                    log::info!(
                        "sync: {} accepted, {} invalid, {} refused, {} failed, {} queued",
                        report.accepted,
                        report.invalid,
                        report.refused,
                        report.failed,
                        report.queued
                    );
                    after_sync.notify_one();
                }
                drop(handle.emit(events::SYNC_REPORT, report))
            })
            .await;
    });
    refresher::spawn(app.handle().clone(), refresh_wake.clone(), config.refresh_interval);
    if let Some(w) = app.get_webview_window("main") {
        // A service-centre kiosk: the whole screen, no title bar to close or move it by. (A phone's
        // window is the whole screen already.)
        #[cfg(desktop)]
        if config.kiosk {
            w.set_decorations(false)?;
            w.set_fullscreen(true)?;
        }
        // Coming back to the window is a moment to look for news (DESIGN.md §3: "on focus").
        w.on_window_event(move |e| {
            if matches!(e, tauri::WindowEvent::Focused(true)) {
                refresh_wake.notify_one();
            }
        });
    }
    log::info!("started (kiosk: {})", config.kiosk);
    let cache = cache::Cache::open(&store, sealer)?;
    if reference::install_held(&cache) {
        log::info!("reference: the data last published is in use");
    }
    app.manage(auth);
    app.manage(cache);
    app.manage(submissions);
    app.manage(config);
    log::info!("{}", logging::SET_UP);
    Ok(())
}

/// Builds the app over any runtime, so tests can use Tauri's mock runtime.
pub fn builder<R: tauri::Runtime>(config: config::Config) -> tauri::Builder<R> {
    tauri::Builder::<R>::new()
        .setup(move |app| setup(app, config.clone()).map_err(Into::into))
        .invoke_handler(tauri::generate_handler![
            commands::start,
            commands::login,
            commands::cancel_login,
            commands::refresh,
            commands::logout,
            commands::accepted_notices,
            commands::accept_notice,
            commands::set_prefs,
            commands::request_sms_code,
            commands::save_draft,
            commands::load_draft,
            commands::list_drafts,
            commands::discard_draft,
            commands::submit,
            commands::outbox_status,
            commands::local_submissions,
            commands::submission,
            commands::receipt,
            commands::reopen_submission,
            commands::discard_submission,
            commands::withdraw,
            commands::correct_application,
            commands::sync_now,
            commands::ui_ready,
        ])
}

#[cfg_attr(mobile, tauri::mobile_entry_point)]
pub fn run() {
    let config = match config::Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("失业一件事无法启动：{e}");
            std::process::exit(2);
        }
    };
    let built = builder::<tauri::Wry>(config);
    // Before anything else: a second launch hands over to the running app and exits (sled's
    // store can have one process only, and a kiosk one window). Phones do this themselves.
    #[cfg(desktop)]
    let built = built.plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
        if let Some(w) = app.get_webview_window("main") {
            let _ = w.unminimize();
            let _ = w.set_focus();
        }
    }));
    // Phones: the login's redirect comes back as a deep link (the app's private-use scheme).
    #[cfg(mobile)]
    let built = built.plugin(tauri_plugin_deep_link::init());
    let built = built
        .plugin(logging::plugin())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init());
    if let Err(e) = built.run(tauri::generate_context!()) {
        eprintln!("失业一件事运行出错：{e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod testing;
