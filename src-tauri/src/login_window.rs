//! A service-centre kiosk's login: it has no browser to hand the person to, so the identity
//! platform's page opens in a window of the app, with a private, non-persistent data store
//! (nothing of the provider's page — cookies, storage, cache — outlives the window). The app
//! intercepts the navigation to the registered redirect and never loads it. The window is in no
//! capability and can call no command.

use crate::{Error, Result};
use shiye_core::oidc::REDIRECT_URI;
use std::sync::{Arc, Mutex};
use tauri::{AppHandle, Manager, Runtime, WebviewUrl, WebviewWindowBuilder, WindowEvent};
use tokio::sync::mpsc;
use url::Url;

/// The window's label.
pub const LABEL: &str = "login";

/// How the window ended.
#[derive(Debug)]
enum Outcome {
    Redirected(Url),
    Closed,
}

fn is_redirect(url: &Url) -> bool {
    url.as_str().starts_with(REDIRECT_URI) && url.as_str()[REDIRECT_URI.len()..].starts_with(['?', '#'])
}

/// Shows `auth_url` and returns the redirect it ends in (`LoginCancelled` if the window is closed).
pub async fn open<R: Runtime>(app: &AppHandle<R>, auth_url: Url) -> Result<Url> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Outcome>();
    let nav_tx = tx.clone();
    let window = WebviewWindowBuilder::new(app, LABEL, WebviewUrl::External(auth_url))
        .title("登录北京市统一身份认证平台")
        .inner_size(480.0, 720.0)
        .incognito(true)
        .on_navigation(move |url| {
            if is_redirect(url) {
                let _ = nav_tx.send(Outcome::Redirected(url.clone()));
                // Never load the redirect target: the code must not reach any page.
                return false;
            }
            true
        })
        .build()?;
    let closed_tx = Arc::new(Mutex::new(Some(tx)));
    window.on_window_event(move |event| {
        if matches!(event, WindowEvent::Destroyed) {
            if let Some(tx) = closed_tx.lock().ok().and_then(|mut t| t.take()) {
                let _ = tx.send(Outcome::Closed);
            }
        }
    });
    let outcome = rx.recv().await.unwrap_or(Outcome::Closed);
    let _ = window.destroy();
    match outcome {
        Outcome::Redirected(url) => Ok(url),
        Outcome::Closed => Err(Error::LoginCancelled),
    }
}

/// Brings an open login window to the front.
pub fn focus<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window(LABEL) {
        let _ = w.set_focus();
    }
}

/// Closes an open login window (取消登录); the waiting login ends as cancelled.
pub fn close<R: Runtime>(app: &AppHandle<R>) {
    if let Some(w) = app.get_webview_window(LABEL) {
        let _ = w.destroy();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_registered_redirect_is_intercepted() {
        let url = |s: &str| Url::parse(s).unwrap();
        assert!(is_redirect(&url(&format!("{REDIRECT_URI}?code=1"))));
        assert!(!is_redirect(&url("http://127.0.0.1:8710/oauth/authorize?x=1")));
        assert!(!is_redirect(&url(&format!("{REDIRECT_URI}extra?code=1"))));
    }
}
