//! A blank Tauri 2 window whose page says when it is painted, as the app's UI does: the
//! baseline of `cargo xtask bench`'s start-up and memory figures.

#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

/// The page is painted (told after the frame that shows it): the same line, on the same stream, as
/// the app's `ui_ready`.
#[tauri::command]
fn ui_ready() {
    eprintln!("INFO shiye_blank ui: first screen ready");
}

fn main() {
    let app = tauri::Builder::default()
        // The app's `shell set up` line, at the same point: the end of Tauri's setup.
        .setup(|_| {
            eprintln!("INFO shiye_blank shell set up, the page loads");
            Ok(())
        })
        .invoke_handler(tauri::generate_handler![ui_ready])
        .run(tauri::generate_context!());
    if let Err(e) = app {
        eprintln!("blank window: {e}");
        std::process::exit(1);
    }
}
