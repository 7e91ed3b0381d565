//! Tauri commands: one-line adapters from IPC to the services, one per entry of shiye-core's
//! command table (`shiye_core::ipc::commands`): each takes its `args` struct and answers the
//! table's output type, or the app's `Error`, which reaches the UI as a `CommandError`.

use crate::account;
use crate::auth::AuthService;
use crate::cache::Cache;
use crate::config::Config;
use crate::submissions::Submissions;
use shiye_core::ipc::commands::{self as table, args, Command};
use tauri::{AppHandle, Runtime, State};

type Auth<'a> = State<'a, AuthService>;
type Subs<'a> = State<'a, Submissions>;
type Store<'a> = State<'a, Cache>;
type Settings<'a> = State<'a, Config>;
/// What command `C` answers.
type Answer<C> = crate::Result<<C as Command>::Output>;

#[tauri::command]
pub async fn start<R: Runtime>(
    app: AppHandle<R>,
    auth: Auth<'_>,
    cache: Store<'_>,
    subs: Subs<'_>,
    config: Settings<'_>,
    args: args::Start,
) -> Answer<table::Start> {
    let args::Start {} = args;
    account::start(&app, &auth, &cache, &subs, &config).await
}

#[tauri::command]
pub async fn login<R: Runtime>(
    app: AppHandle<R>,
    auth: Auth<'_>,
    cache: Store<'_>,
    subs: Subs<'_>,
    args: args::Login,
) -> Answer<table::Login> {
    let args::Login {} = args;
    account::login(&app, &auth, &cache, &subs).await
}

#[tauri::command]
pub fn cancel_login<R: Runtime>(
    app: AppHandle<R>,
    auth: Auth<'_>,
    args: args::CancelLogin,
) -> Answer<table::CancelLogin> {
    let args::CancelLogin {} = args;
    auth.cancel_login(&app);
    Ok(())
}

#[tauri::command]
pub async fn refresh(auth: Auth<'_>, cache: Store<'_>, args: args::Refresh) -> Answer<table::Refresh> {
    let args::Refresh {} = args;
    account::refresh(&auth, &cache).await
}

#[tauri::command]
pub async fn logout<R: Runtime>(
    app: AppHandle<R>,
    auth: Auth<'_>,
    cache: Store<'_>,
    subs: Subs<'_>,
    config: Settings<'_>,
    args: args::Logout,
) -> Answer<table::Logout> {
    let args::Logout {} = args;
    account::logout(&app, &auth, &cache, &subs, &config).await
}

#[tauri::command]
pub async fn accepted_notices(
    auth: Auth<'_>,
    cache: Store<'_>,
    args: args::AcceptedNotices,
) -> Answer<table::AcceptedNotices> {
    let args::AcceptedNotices {} = args;
    account::accepted(&auth, &cache)
}

#[tauri::command]
pub async fn accept_notice(
    auth: Auth<'_>,
    cache: Store<'_>,
    args: args::AcceptNotice,
) -> Answer<table::AcceptNotice> {
    account::accept(&auth, &cache, args.notice, args.version).await
}

#[tauri::command]
pub async fn set_prefs(cache: Store<'_>, args: args::SetPrefs) -> Answer<table::SetPrefs> {
    account::set_prefs(&cache, args.prefs).await
}

#[tauri::command]
pub async fn request_sms_code(auth: Auth<'_>, args: args::RequestSmsCode) -> Answer<table::RequestSmsCode> {
    account::request_sms_code(&auth, args.purpose).await
}

#[tauri::command]
pub async fn save_draft(auth: Auth<'_>, subs: Subs<'_>, args: args::SaveDraft) -> Answer<table::SaveDraft> {
    subs.save_draft(&auth.subject()?, &args.draft).await
}

#[tauri::command]
pub async fn load_draft(auth: Auth<'_>, subs: Subs<'_>, args: args::LoadDraft) -> Answer<table::LoadDraft> {
    subs.load_draft(&auth.subject()?, args.bundle)
}

#[tauri::command]
pub async fn list_drafts(
    auth: Auth<'_>,
    subs: Subs<'_>,
    args: args::ListDrafts,
) -> Answer<table::ListDrafts> {
    let args::ListDrafts {} = args;
    subs.list_drafts(&auth.subject()?)
}

#[tauri::command]
pub async fn discard_draft(
    auth: Auth<'_>,
    subs: Subs<'_>,
    args: args::DiscardDraft,
) -> Answer<table::DiscardDraft> {
    subs.discard_draft(&auth.subject()?, args.bundle).await
}

#[tauri::command]
pub async fn submit(
    auth: Auth<'_>,
    cache: Store<'_>,
    subs: Subs<'_>,
    args: args::Submit,
) -> Answer<table::Submit> {
    account::submit(&auth, &cache, &subs, args.answers, args.items).await
}

#[tauri::command]
pub async fn outbox_status(auth: Auth<'_>, subs: Subs<'_>, args: args::Outbox) -> Answer<table::Outbox> {
    let args::Outbox {} = args;
    subs.status(&auth.subject()?)
}

#[tauri::command]
pub async fn local_submissions(
    auth: Auth<'_>,
    subs: Subs<'_>,
    args: args::LocalSubmissions,
) -> Answer<table::LocalSubmissions> {
    let args::LocalSubmissions {} = args;
    subs.local(&auth.subject()?)
}

#[tauri::command]
pub async fn submission(auth: Auth<'_>, subs: Subs<'_>, args: args::Submission) -> Answer<table::Submission> {
    subs.submission(&auth.subject()?, &args.id)
}

#[tauri::command]
pub async fn receipt(auth: Auth<'_>, subs: Subs<'_>, args: args::ReceiptOf) -> Answer<table::ReceiptOf> {
    account::receipt(&auth, &subs, &args.id).await
}

#[tauri::command]
pub async fn reopen_submission(
    auth: Auth<'_>,
    subs: Subs<'_>,
    args: args::ReopenSubmission,
) -> Answer<table::ReopenSubmission> {
    subs.reopen(&auth.subject()?, &args.id).await
}

#[tauri::command]
pub async fn discard_submission(
    auth: Auth<'_>,
    subs: Subs<'_>,
    args: args::DiscardSubmission,
) -> Answer<table::DiscardSubmission> {
    subs.discard(&auth.subject()?, &args.id).await
}

#[tauri::command]
pub async fn withdraw(auth: Auth<'_>, cache: Store<'_>, args: args::Withdraw) -> Answer<table::Withdraw> {
    account::withdraw(&auth, &cache, &args.case_number).await
}

#[tauri::command]
pub async fn correct_application(
    auth: Auth<'_>,
    subs: Subs<'_>,
    args: args::CorrectApplication,
) -> Answer<table::CorrectApplication> {
    account::correct(&auth, &subs, &args.id, args.bundle, args.items).await
}

#[tauri::command]
pub fn sync_now(subs: Subs<'_>, args: args::SyncNow) -> Answer<table::SyncNow> {
    let args::SyncNow {} = args;
    subs.sync_now();
    Ok(())
}

#[tauri::command]
pub fn ui_ready(args: args::UiReady) -> Answer<table::UiReady> {
    let args::UiReady {} = args;
    log::info!("{}", crate::logging::UI_READY);
    Ok(())
}

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
        let expected: Vec<String> =
            shiye_core::ipc::commands::NAMES.iter().map(|n| n.replace('_', "-")).collect();
        assert_eq!(granted, expected);
        assert_eq!(cap["windows"], serde_json::json!(["main"]), "the login window gets nothing");
    }
}
