fn main() {
    // Declaring the app's commands makes Tauri generate an `allow-<command>` permission for each,
    // so a window can call only what its capability file grants (the login window gets nothing).
    // Keep in step with `commands::NAMES` (a test checks the capability file against it).
    let manifest = tauri_build::AppManifest::new().commands(&[
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
    ]);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        panic!("tauri-build failed: {e:#}");
    }
}
