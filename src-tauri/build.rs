include!("src/command_names.rs");

fn main() {
    // Declaring the app's commands makes Tauri generate an `allow-<command>` permission for each,
    // so a window can call only what its capability file grants (the login window gets nothing).
    let manifest = tauri_build::AppManifest::new().commands(NAMES);
    if let Err(e) = tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest)) {
        panic!("tauri-build failed: {e:#}");
    }
}
