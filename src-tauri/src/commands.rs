//! Tauri commands: one-line adapters from IPC to the services. Each returns `CommandError`, the
//! type the UI's `ipc.rs` decodes.

use crate::auth::AuthService;
use crate::drafts::{Draft, DraftSummary};
use crate::submissions::{DraftView, OutboxStatus, Submissions, SubmitOutcome};
use shiye_core::api::{Records, Session};
use shiye_core::forms::Answers;
use shiye_core::services::Bundle;
use shiye_core::CommandError;
use tauri::{AppHandle, Runtime, State};

type Auth<'a> = State<'a, AuthService>;
type Subs<'a> = State<'a, Submissions>;

#[tauri::command]
pub async fn login<R: Runtime>(app: AppHandle<R>, auth: Auth<'_>) -> Result<Session, CommandError> {
    auth.login(&app).await.map_err(Into::into)
}

/// Fetches the person's records (for validation and read-only fields) and keeps them.
#[tauri::command]
pub async fn refresh_records(auth: Auth<'_>, subs: Subs<'_>) -> Result<Records, CommandError> {
    Ok(subs.keep_records(auth.records().await?))
}

#[tauri::command]
pub async fn save_draft(auth: Auth<'_>, subs: Subs<'_>, draft: Draft) -> Result<i64, CommandError> {
    subs.save_draft(&auth.subject()?, &draft).await.map_err(Into::into)
}

#[tauri::command]
pub async fn load_draft(
    auth: Auth<'_>,
    subs: Subs<'_>,
    bundle: Bundle,
) -> Result<Option<DraftView>, CommandError> {
    subs.load_draft(&auth.subject()?, bundle).map_err(Into::into)
}

#[tauri::command]
pub async fn list_drafts(auth: Auth<'_>, subs: Subs<'_>) -> Result<Vec<DraftSummary>, CommandError> {
    subs.list_drafts(&auth.subject()?).map_err(Into::into)
}

#[tauri::command]
pub async fn discard_draft(auth: Auth<'_>, subs: Subs<'_>, bundle: Bundle) -> Result<(), CommandError> {
    subs.discard_draft(&auth.subject()?, bundle).await.map_err(Into::into)
}

#[tauri::command]
pub async fn submit(auth: Auth<'_>, subs: Subs<'_>, answers: Answers) -> Result<SubmitOutcome, CommandError> {
    subs.submit(&auth.subject()?, answers).await.map_err(Into::into)
}

#[tauri::command]
pub async fn outbox_status(auth: Auth<'_>, subs: Subs<'_>) -> Result<OutboxStatus, CommandError> {
    subs.status(&auth.subject()?).map_err(Into::into)
}

#[tauri::command]
pub fn sync_now(subs: Subs<'_>) {
    subs.sync_now()
}

/// 退出登录.
#[tauri::command]
pub async fn logout(auth: Auth<'_>) -> Result<(), CommandError> {
    auth.logout().await.map_err(Into::into)
}

/// The command names (shared with build.rs).
pub use crate::command_names::NAMES;

#[cfg(test)]
mod tests {
    /// Every command is granted to the main window, and nothing else of the app's is.
    #[test]
    fn the_capability_file_grants_exactly_the_commands() {
        let cap: serde_json::Value =
            serde_json::from_str(include_str!("../../capabilities/main.json")).unwrap();
        let granted: Vec<String> = cap["permissions"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p.as_str())
            .filter_map(|p| p.strip_prefix("allow-"))
            .map(String::from)
            .collect();
        let expected: Vec<String> = super::NAMES.iter().map(|n| n.replace('_', "-")).collect();
        assert_eq!(granted, expected);
        assert_eq!(cap["windows"], serde_json::json!(["main"]), "the login window gets nothing");
    }
}
