//! The native shell of 失业一件事. This file is the table of contents: the modules below own one
//! concern each, and `run` wires them into a Tauri app whose commands are one-line adapters.

pub mod api;
pub mod auth;
pub mod commands;
pub mod config;
pub mod drafts;
pub mod error;
pub mod outbox;
pub mod seal;
pub mod sync;
pub mod vault;

pub use error::{Error, Result};

use tauri::Manager;

/// Builds the app over any runtime, so tests can use Tauri's mock runtime.
pub fn builder<R: tauri::Runtime>(config: config::Config) -> tauri::Builder<R> {
    tauri::Builder::<R>::new()
        .setup(move |app| {
            let auth = auth::AuthService::new(config.clone(), vault::Vault::default())?;
            app.manage(auth);
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![commands::login])
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
