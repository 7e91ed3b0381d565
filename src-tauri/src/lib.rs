//! The native shell of 失业一件事. This file is the table of contents: the modules below own one
//! concern each, and `run` wires them into a Tauri app whose commands are one-line adapters.

pub mod api;
pub mod auth;
#[rustfmt::skip]
mod command_names;
pub mod commands;
pub mod config;
pub mod drafts;
pub mod error;
pub mod id_token;
pub mod outbox;
pub mod seal;
pub mod submissions;
pub mod sync;
pub mod vault;

pub use error::{Error, Result};

use tauri::{Emitter, Manager};

/// Opens the sealed stores, starts the sync engine and registers the services.
fn setup<R: tauri::Runtime>(app: &mut tauri::App<R>, config: config::Config) -> Result<()> {
    let vault = vault::Vault::default();
    let dir = match &config.data_dir {
        Some(d) => d.clone(),
        None => app.path().app_data_dir()?,
    };
    let submissions = submissions::Submissions::open(&dir, seal::Sealer::new(&vault.data_key()?))?;
    let engine = sync::SyncEngine::new(
        api::ApiClient::new(config.clone())?,
        submissions.outbox(),
        sync::KeyringTokens { api: api::ApiClient::new(config.clone())?, vault: vault.clone() },
        sync::Backoff::default(),
    );
    let (wake, stop) = (submissions.wake_handle(), std::sync::Arc::new(tokio::sync::Notify::new()));
    let handle = app.handle().clone();
    tauri::async_runtime::spawn(async move {
        engine.run(wake, stop, |report| drop(handle.emit("sync-report", report))).await;
    });
    if config.kiosk {
        if let Some(w) = app.get_webview_window("main") {
            w.set_fullscreen(true)?;
        }
    }
    app.manage(auth::AuthService::new(config, vault)?);
    app.manage(submissions);
    Ok(())
}

/// Builds the app over any runtime, so tests can use Tauri's mock runtime.
pub fn builder<R: tauri::Runtime>(config: config::Config) -> tauri::Builder<R> {
    tauri::Builder::<R>::new()
        .setup(move |app| setup(app, config.clone()).map_err(Into::into))
        .invoke_handler(tauri::generate_handler![
            commands::login,
            commands::refresh_records,
            commands::save_draft,
            commands::load_draft,
            commands::list_drafts,
            commands::discard_draft,
            commands::submit,
            commands::outbox_status,
            commands::sync_now,
            commands::logout,
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
    if let Err(e) = builder::<tauri::Wry>(config).run(tauri::generate_context!()) {
        eprintln!("失业一件事运行出错：{e}");
        std::process::exit(1);
    }
}
