// The app's command names, in one list shared by build.rs (which makes an `allow-<name>`
// permission for each) and the app (whose capability test checks main.json against it).
pub const NAMES: &[&str] = &[
    "login",
    "refresh_records",
    "save_draft",
    "load_draft",
    "list_drafts",
    "discard_draft",
    "submit",
    "outbox_status",
    "sync_now",
    "logout",
];
