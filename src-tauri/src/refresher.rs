//! The background refresher: fetches records, statuses and reference data when woken (login, window focus, a
//! sync pass that settled something) and every refresh interval, pushes them to the UI as
//! events, tells the UI whether the server answers, and wakes the sync engine when it does.

use crate::account;
use crate::auth::AuthService;
use crate::cache::Cache;
use crate::submissions::Submissions;
use shiye_core::ipc::{events, status_changes, Connectivity, Overview};
use std::sync::Arc;
use std::time::Duration;
use tauri::{AppHandle, Emitter, Manager, Runtime};
use tokio::sync::Notify;

pub fn spawn<R: Runtime>(app: AppHandle<R>, wake: Arc<Notify>, every: Duration) {
    tauri::async_runtime::spawn(async move {
        loop {
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(every) => {}
            }
            let (auth, cache, subs) =
                (app.state::<AuthService>(), app.state::<Cache>(), app.state::<Submissions>());
            if auth.subject().is_err() {
                continue;
            }
            let online = match account::refresh(&auth, &cache).await {
                Ok(overview) => {
                    let _ = app.emit(events::OVERVIEW, &overview);
                    notify_changes(&app, &cache, &overview).await;
                    match crate::reference::refresh(&auth, &cache).await {
                        Ok(Some(data)) => drop(app.emit(events::REFERENCE, data)),
                        Ok(None) => {}
                        Err(e) => log::warn!("reference not refreshed: {}", e.kind()),
                    }
                    // The server answers: whatever of this person's waits in the outbox can go
                    // now (the engine may be in a long backoff). Nothing waiting, no extra pass.
                    if subs.has_queued(&overview.session.subject).unwrap_or(false) {
                        subs.sync_now();
                    }
                    true
                }
                Err(e) => {
                    log::warn!("refresh failed: {}", e.kind());
                    !account::is_offline(&e)
                }
            };
            let _ = app.emit(events::CONNECTIVITY, Connectivity { online });
        }
    });
}

/// Tells the person of items a reviewer decided since they were last told (also while the app was
/// closed); the first time for a person on this device there is nothing to compare with.
async fn notify_changes<R: Runtime>(app: &AppHandle<R>, cache: &Cache, overview: &Overview) {
    let subject = &overview.session.subject;
    if let Ok(Some(before)) = cache.seen(subject) {
        // Nothing moved (the usual pass): no notification, and no write to the store.
        if before == overview.applications {
            return;
        }
        let changes = status_changes(&before, &overview.applications);
        if !changes.is_empty() {
            crate::notify::status_changed(app, &changes);
        }
    }
    if let Err(e) = cache.set_seen(subject, &overview.applications).await {
        log::warn!("status reference not kept: {}", e.kind());
    }
}
