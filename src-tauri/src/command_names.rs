// The app's command names, in one list shared by build.rs (which makes an `allow-<name>`
// permission for each) and the app (whose capability test checks main.json against it).
pub const NAMES: &[&str] = &[
    "start",
    "login",
    "refresh",
    "logout",
    "accepted_notices",
    "accept_notice",
    "set_prefs",
    "request_sms_code",
    "save_draft",
    "load_draft",
    "list_drafts",
    "discard_draft",
    "submit",
    "outbox_status",
    "local_submissions",
    "submission",
    "receipt",
    "reopen_submission",
    "correct_application",
    "sync_now",
];
