//! Status notifications: when the refresher sees a reviewer's decision, the UI is told (a badge on
//! 我的办件) and the operating system shows it (`tauri-plugin-notification`). The text names items
//! and statuses only, never personal data.

use shiye_core::ipc::{events, StatusChange};
use tauri::{AppHandle, Emitter, Runtime};
use tauri_plugin_notification::NotificationExt;

pub const TITLE: &str = "失业“一件事”办件状态更新";

pub fn status_changed<R: Runtime>(app: &AppHandle<R>, changes: &[StatusChange]) {
    let body = changes.iter().map(StatusChange::line_zh).collect::<Vec<_>>().join("；");
    match app.notification().builder().title(TITLE).body(body).show() {
        Ok(()) => log::info!("status change notified: {} item(s)", changes.len()),
        // No notification service (e.g. a kiosk session without one): the badge still shows.
        Err(_) => log::warn!("status change notification not shown: {} item(s)", changes.len()),
    }
    let _ = app.emit(events::STATUS_CHANGED, changes);
}
