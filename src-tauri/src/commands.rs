//! Tauri commands: one-line adapters from IPC to the services. Each returns `CommandError`, the
//! type the UI's `ipc.rs` decodes.

use crate::account;
use crate::auth::AuthService;
use crate::cache::Cache;
use crate::config::Config;
use crate::submissions::Submissions;
use shiye_core::api::SmsSent;
use shiye_core::forms::Answers;
use shiye_core::ipc::{
    Draft, DraftSummary, DraftView, LocalSubmission, Notice, OutboxStatus, Overview, Prefs, Receipt, Startup,
    SubmitOutcome,
};
use shiye_core::services::{Bundle, ServiceKind};
use shiye_core::CommandError;
use tauri::{AppHandle, Runtime, State};

type Auth<'a> = State<'a, AuthService>;
type Subs<'a> = State<'a, Submissions>;
type Store<'a> = State<'a, Cache>;
type Settings<'a> = State<'a, Config>;
type Answer<T> = Result<T, CommandError>;

/// Who is logged in on this device (online, or offline from the cache), and the preferences.
#[tauri::command]
pub async fn start<R: Runtime>(
    app: AppHandle<R>,
    auth: Auth<'_>,
    cache: Store<'_>,
    subs: Subs<'_>,
    config: Settings<'_>,
) -> Answer<Startup> {
    account::start(&app, &auth, &cache, &subs, &config).await.map_err(Into::into)
}

#[tauri::command]
pub async fn login<R: Runtime>(app: AppHandle<R>, auth: Auth<'_>, cache: Store<'_>) -> Answer<Overview> {
    account::login(&app, &auth, &cache).await.map_err(Into::into)
}

/// 取消登录: stop waiting for the browser (or close a kiosk's login window).
#[tauri::command]
pub fn cancel_login<R: Runtime>(app: AppHandle<R>, auth: Auth<'_>) {
    auth.cancel_login(&app)
}

/// Records and statuses, fetched now.
#[tauri::command]
pub async fn refresh(auth: Auth<'_>, cache: Store<'_>) -> Answer<Overview> {
    account::refresh(&auth, &cache).await.map_err(Into::into)
}

/// 退出登录, and 结束办理 on a kiosk (which also removes the person's traces).
#[tauri::command]
pub async fn logout<R: Runtime>(
    app: AppHandle<R>,
    auth: Auth<'_>,
    cache: Store<'_>,
    subs: Subs<'_>,
    config: Settings<'_>,
) -> Answer<()> {
    account::logout(&app, &auth, &cache, &subs, &config).await.map_err(Into::into)
}

#[tauri::command]
pub async fn accepted_notices(auth: Auth<'_>, cache: Store<'_>) -> Answer<Vec<(Notice, u32)>> {
    account::accepted(&auth, &cache).map_err(Into::into)
}

#[tauri::command]
pub async fn accept_notice(auth: Auth<'_>, cache: Store<'_>, notice: Notice, version: u32) -> Answer<()> {
    account::accept(&auth, &cache, notice, version).await.map_err(Into::into)
}

#[tauri::command]
pub async fn set_prefs(cache: Store<'_>, prefs: Prefs) -> Answer<Prefs> {
    account::set_prefs(&cache, prefs).await.map_err(Into::into)
}

#[tauri::command]
pub async fn request_sms_code(auth: Auth<'_>) -> Answer<SmsSent> {
    account::request_sms_code(&auth).await.map_err(Into::into)
}

#[tauri::command]
pub async fn save_draft(auth: Auth<'_>, subs: Subs<'_>, draft: Draft) -> Answer<i64> {
    subs.save_draft(&auth.subject()?, &draft).await.map_err(Into::into)
}

#[tauri::command]
pub async fn load_draft(auth: Auth<'_>, subs: Subs<'_>, bundle: Bundle) -> Answer<Option<DraftView>> {
    subs.load_draft(&auth.subject()?, bundle).map_err(Into::into)
}

#[tauri::command]
pub async fn list_drafts(auth: Auth<'_>, subs: Subs<'_>) -> Answer<Vec<DraftSummary>> {
    subs.list_drafts(&auth.subject()?).map_err(Into::into)
}

#[tauri::command]
pub async fn discard_draft(auth: Auth<'_>, subs: Subs<'_>, bundle: Bundle) -> Answer<()> {
    subs.discard_draft(&auth.subject()?, bundle).await.map_err(Into::into)
}

#[tauri::command]
pub async fn submit(
    auth: Auth<'_>,
    cache: Store<'_>,
    subs: Subs<'_>,
    answers: Answers,
    items: Option<Vec<ServiceKind>>,
) -> Answer<SubmitOutcome> {
    account::submit(&auth, &cache, &subs, answers, items).await.map_err(Into::into)
}

#[tauri::command]
pub async fn outbox_status(auth: Auth<'_>, subs: Subs<'_>) -> Answer<OutboxStatus> {
    subs.status(&auth.subject()?).map_err(Into::into)
}

/// Submissions of this device the server has not accepted (waiting, or needing the person).
#[tauri::command]
pub async fn local_submissions(auth: Auth<'_>, subs: Subs<'_>) -> Answer<Vec<LocalSubmission>> {
    subs.local(&auth.subject()?).map_err(Into::into)
}

/// Where one submission stands (the result page follows it).
#[tauri::command]
pub async fn submission(auth: Auth<'_>, subs: Subs<'_>, id: String) -> Answer<Option<LocalSubmission>> {
    subs.submission(&auth.subject()?, &id).map_err(Into::into)
}

/// The 回执 of an accepted application this device sent (opens offline).
#[tauri::command]
pub async fn receipt(auth: Auth<'_>, subs: Subs<'_>, id: String) -> Answer<Option<Receipt>> {
    subs.receipt(&auth.subject()?, &id).map_err(Into::into)
}

/// Reopens a submission the server sent back as a draft (or lets a refused one go).
#[tauri::command]
pub async fn reopen_submission(auth: Auth<'_>, subs: Subs<'_>, id: String) -> Answer<Option<Bundle>> {
    subs.reopen(&auth.subject()?, &id).await.map_err(Into::into)
}

/// 退回补正: the sent answers of an application back into a draft.
#[tauri::command]
pub async fn correct_application(
    auth: Auth<'_>,
    subs: Subs<'_>,
    id: String,
    bundle: Bundle,
    items: Option<Vec<ServiceKind>>,
) -> Answer<Bundle> {
    subs.correct(&auth.subject()?, &id, bundle, items).await.map_err(Into::into)
}

/// 立即同步.
#[tauri::command]
pub fn sync_now(subs: Subs<'_>) {
    subs.sync_now()
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
