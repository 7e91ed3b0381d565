//! Tauri commands: one-line adapters from IPC to the services. Each returns `CommandError`, the
//! type the UI's `ipc.rs` decodes.

use crate::auth::AuthService;
use shiye_core::api::Session;
use shiye_core::CommandError;
use tauri::{AppHandle, Runtime, State};

#[tauri::command]
pub async fn login<R: Runtime>(
    app: AppHandle<R>,
    auth: State<'_, AuthService>,
) -> Result<Session, CommandError> {
    auth.login(&app).await.map_err(Into::into)
}
