//! Login through the city's unified identity platform: OpenID Connect authorization code with PKCE
//! (S256), state and nonce; the ID token is verified against the provider's JWKS. Tokens go straight
//! to the keyring; the UI only ever learns the person's name.
//!
//! Where the provider's page is shown (RFC 8252 §8.12: a native app must not use an embedded
//! user-agent): on a desktop or laptop, the person's own browser, which is sent back to a loopback
//! listener (`loopback`); on a phone, the system browser, sent back through the app's private-use
//! URI scheme; on a service-centre kiosk, which has no browser to hand the person to, an in-app
//! window with a private, non-persistent data store whose redirect the app intercepts.

use crate::api::ApiClient;
use crate::authorization::{code_from_redirect, AuthRequest};
use crate::clock::now;
#[cfg(mobile)]
use crate::config::Config;
use crate::tokens::{Credentials, Grant};
use crate::vault::{Tokens, Vault};
use crate::{Error, Result};
use shiye_core::oidc::CLIENT_ID;
use shiye_core::person::Session;
use shiye_core::records::Records;
use std::future::Future;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Mutex;
use tauri::{AppHandle, Runtime};
use url::Url;

/// The one owner of "who is signed in here": the person, their records (which validation reads)
/// and their tokens. Every command, the refresher and the sync engine ask it; nothing else keeps
/// a copy.
pub struct AuthService {
    api: ApiClient,
    credentials: Credentials,
    busy: AtomicBool,
    current: Mutex<Option<Person>>,
    /// Counts sign-ins and sign-outs. A refresh that began before one must not bring back whom
    /// it fetched (and re-cache them after a kiosk wiped them): it re-checks the count under this
    /// lock before keeping anything.
    epoch: tokio::sync::Mutex<u64>,
    /// 取消登录: wakes a login waiting for the browser.
    cancel: tokio::sync::Notify,
}

/// The signed-in person as the app knows them.
#[derive(Clone)]
struct Person {
    session: Session,
    records: Records,
}

/// Clears the busy flag however `login` ends.
struct BusyGuard<'a>(&'a AtomicBool);

impl Drop for BusyGuard<'_> {
    fn drop(&mut self) {
        self.0.store(false, Ordering::SeqCst);
    }
}

impl AuthService {
    /// Over the app's one HTTP client (shared with the sync engine, one connection pool).
    pub fn new(api: ApiClient, vault: Vault) -> Self {
        let credentials = Credentials::new(api.clone(), vault);
        AuthService {
            api,
            credentials,
            busy: AtomicBool::new(false),
            current: Mutex::new(None),
            epoch: tokio::sync::Mutex::new(0),
            cancel: tokio::sync::Notify::new(),
        }
    }

    /// The token source shared with the sync engine (one refresh lock for all).
    pub fn credentials(&self) -> Credentials {
        self.credentials.clone()
    }

    /// A new authorization request answered at `redirect_uri`, at the endpoint the provider's
    /// metadata names, for the scopes it offers.
    async fn request(&self, redirect_uri: &str) -> Result<AuthRequest> {
        let provider = self.api.identity().metadata().await?;
        AuthRequest::new(&provider.authorization_endpoint, redirect_uri, &provider.scopes())
    }

    /// Runs a whole login: shows the provider's page (the browser, or a kiosk's window), waits for
    /// its redirect, checks it, redeems the code with the PKCE verifier, keeps the tokens in the
    /// keyring and returns who logged in.
    pub async fn login<R: Runtime>(&self, app: &AppHandle<R>) -> Result<Session> {
        if self.busy.swap(true, Ordering::SeqCst) {
            #[cfg(desktop)]
            crate::login_window::focus(app);
            return Err(Error::LoginInProgress);
        }
        let _guard = BusyGuard(&self.busy);
        let config = self.api.config().clone();
        #[cfg(mobile)]
        return self.login_on_phone(app, &config).await;
        #[cfg(desktop)]
        if config.kiosk {
            use shiye_core::oidc::REDIRECT_URI;
            let request = self.request(REDIRECT_URI).await?;
            let wait = config.login_wait();
            let window = crate::login_window::open(app, request.url.clone());
            let Ok(redirect) = tokio::time::timeout(wait, window).await else {
                // Walked away mid-login: the window goes, and its private store with what was typed.
                crate::login_window::close(app);
                return Err(Error::LoginTimedOut(wait.as_secs()));
            };
            let redirect = redirect?;
            let code = code_from_redirect(&redirect, &request.state)?;
            return self.redeem(request, &code).await;
        }
        #[cfg(desktop)]
        {
            let open = |url: &Url| self.open_in_browser(app, config.browser.as_deref(), url);
            let answer = self.browser_login(config.login_wait(), open).await;
            if let Some(w) = tauri::Manager::get_webview_window(app, "main") {
                let _ = w.unminimize();
                let _ = w.set_focus();
            }
            answer
        }
    }

    /// The desktop login with `open` showing the provider's page: the person's browser in the
    /// app; a scripted browser in the interoperability tests, which drive this same path against
    /// other providers.
    #[cfg(desktop)]
    pub async fn login_with_browser(
        &self,
        timeout: std::time::Duration,
        open: impl FnOnce(&Url) -> Result<()>,
    ) -> Result<Session> {
        if self.busy.swap(true, Ordering::SeqCst) {
            return Err(Error::LoginInProgress);
        }
        let _guard = BusyGuard(&self.busy);
        self.browser_login(timeout, open).await
    }

    /// A desktop or laptop: the person's browser, sent back to a loopback listener.
    #[cfg(desktop)]
    async fn browser_login(
        &self,
        timeout: std::time::Duration,
        open: impl FnOnce(&Url) -> Result<()>,
    ) -> Result<Session> {
        let loopback = crate::loopback::Loopback::bind().await?;
        let request = self.request(&loopback.redirect_uri()).await?;
        open(&request.url)?;
        let received = tokio::select! {
            r = loopback.receive(&request.state) => r?,
            _ = tokio::time::sleep(timeout) => return Err(Error::LoginTimedOut(timeout.as_secs())),
            _ = self.cancel.notified() => return Err(Error::LoginCancelled),
        };
        let answer = match received.answer.clone() {
            Err(error) => Err(Error::LoginRefused(error)),
            Ok(code) => self.redeem(request, &code).await,
        };
        received
            .finish(match &answer {
                Ok(_) => crate::loopback::Page::Done,
                Err(e) => crate::loopback::Page::Failed(shiye_core::CommandError::from(e).message),
            })
            .await;
        answer
    }

    /// A phone: the system browser (Custom Tabs, SFSafariViewController), sent back through the
    /// app's private-use URI scheme, which the OS routes to the app (deep link).
    #[cfg(mobile)]
    async fn login_on_phone<R: Runtime>(&self, app: &AppHandle<R>, config: &Config) -> Result<Session> {
        use shiye_core::oidc::MOBILE_REDIRECT_URI;
        use tauri::Listener;
        use tauri_plugin_deep_link::DeepLinkExt;
        let request = self.request(MOBILE_REDIRECT_URI).await?;
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<Url>();
        let listening = app.deep_link().on_open_url(move |event| {
            for url in event.urls() {
                let _ = tx.send(url);
            }
        });
        let waited = async {
            self.open_in_browser(app, Some("inAppBrowser"), &request.url)?;
            loop {
                let url = rx.recv().await.ok_or(Error::LoginCancelled)?;
                if !url.as_str().starts_with(MOBILE_REDIRECT_URI) {
                    continue;
                }
                match code_from_redirect(&url, &request.state) {
                    // Not this login's answer: refused, and the wait goes on.
                    Err(Error::StateMismatch) => {
                        log::warn!("login: a redirect with another state was refused")
                    }
                    other => return other,
                }
            }
        };
        let code = tokio::select! {
            c = waited => c,
            _ = tokio::time::sleep(config.login_timeout) => Err(Error::LoginTimedOut(config.login_timeout.as_secs())),
            _ = self.cancel.notified() => Err(Error::LoginCancelled),
        };
        app.unlisten(listening);
        self.redeem(request, &code?).await
    }

    /// 取消登录: a login waiting for the browser stops waiting (its listener closes); a kiosk's
    /// login window closes.
    #[cfg_attr(mobile, allow(unused_variables))]
    pub fn cancel_login<R: Runtime>(&self, app: &AppHandle<R>) {
        self.cancel.notify_waiters();
        #[cfg(desktop)]
        crate::login_window::close(app);
    }

    /// Opens the provider's page in the person's browser (`with` a given program, else the
    /// default one) through the opener plugin.
    fn open_in_browser<R: Runtime>(&self, app: &AppHandle<R>, with: Option<&str>, url: &Url) -> Result<()> {
        use tauri_plugin_opener::OpenerExt;
        app.opener().open_url(url.as_str(), with).map_err(|e| Error::BrowserUnavailable(e.to_string()))
    }

    /// Redeems the code with the verifier, verifies the ID token, keeps the tokens and returns
    /// who logged in.
    async fn redeem(&self, request: AuthRequest, code: &str) -> Result<Session> {
        let token = self.api.identity().redeem_code(code, &request.verifier, &request.redirect_uri).await?;
        let id_token = token.id_token.as_deref().ok_or_else(|| Error::IdToken("missing".into()))?;
        let claims = self.verify_id_token(id_token, &request.nonce).await?;
        let tokens = Tokens {
            subject: claims.sub.clone(),
            access_token: token.access_token,
            refresh_token: token.refresh_token,
            expires_at: crate::identity::expires_at(token.expires_in),
        };
        // Whoever the app showed before (e.g. the person offered 离线继续) is not who signed in.
        self.forget_person().await;
        self.credentials.store(tokens).await?;
        let session = self.current_session().await?;
        // The userinfo answer must be about the person the ID token names.
        if session.subject != claims.sub {
            return Err(Error::IdToken("userinfo subject differs".into()));
        }
        Ok(session)
    }

    async fn verify_id_token(&self, token: &str, nonce: &str) -> Result<shiye_core::oidc::IdTokenClaims> {
        let identity = self.api.identity();
        let provider = identity.metadata().await?;
        let keys = identity.keys_for(token).await?;
        let expect = crate::id_token::Expect {
            issuer: &provider.issuer,
            client_id: CLIENT_ID,
            nonce,
            now: now(),
            skew_secs: self.api.config().clock_skew_secs,
        };
        crate::id_token::verify(token, &keys, &expect)
    }

    /// Who is logged in, asked of the identity provider with the token kept in the keyring.
    pub async fn current_session(&self) -> Result<Session> {
        let token = self.access_token().await?;
        let info = self.api.identity().userinfo(&token).await?;
        Ok(Session::from(&info))
    }

    pub fn api(&self) -> &ApiClient {
        &self.api
    }

    fn person(&self) -> Option<Person> {
        self.current.lock().ok().and_then(|p| p.clone())
    }

    /// Sets who is signed in and their records (after a fetch, or from the cache offline).
    pub fn set_person(&self, session: Session, records: Records) {
        if let Ok(mut p) = self.current.lock() {
            *p = Some(Person { session, records });
        }
    }

    /// The subject of the person signed in on this device.
    pub fn subject(&self) -> Result<String> {
        self.person().map(|p| p.session.subject).ok_or(Error::NotLoggedIn)
    }

    /// The signed-in person's records, as validation reads them.
    pub fn records(&self) -> Result<Records> {
        self.person().map(|p| p.records).ok_or(Error::NotLoggedIn)
    }

    /// A valid access token of the signed-in person, refreshed when due (single-flight).
    pub async fn access_token(&self) -> Result<String> {
        self.grant().await.map(|g| g.access_token)
    }

    /// Whose token and the token. Refuses a keyring holding someone else's grant than the person
    /// this app shows as signed in.
    pub async fn grant(&self) -> Result<Grant> {
        let grant = self.credentials.grant().await?;
        match self.person() {
            Some(p) if p.session.subject != grant.subject => Err(Error::NotLoggedIn),
            _ => Ok(grant),
        }
    }

    /// Which sign-in is current; pass it to `keep_if_current`.
    pub async fn epoch(&self) -> u64 {
        *self.epoch.lock().await
    }

    /// Runs `keep` (setting the person, caching what was fetched) only if nobody signed in or out
    /// since `epoch`; otherwise the fetched data is stale and `NotLoggedIn` is the answer.
    pub async fn keep_if_current<T>(&self, epoch: u64, keep: impl Future<Output = Result<T>>) -> Result<T> {
        let now = self.epoch.lock().await;
        if *now != epoch {
            return Err(Error::NotLoggedIn);
        }
        let kept = keep.await;
        drop(now);
        kept
    }

    /// Forgets the person shown as signed in and starts a new epoch; returns whom it forgot.
    async fn forget_person(&self) -> Option<String> {
        let mut epoch = self.epoch.lock().await;
        *epoch += 1;
        self.current.lock().ok().and_then(|mut p| p.take()).map(|p| p.session.subject)
    }

    /// 退出登录 on this device, with no network: the person is forgotten and their tokens leave
    /// the keyring. Returns whom it forgot and the tokens, for `revoke`.
    pub async fn sign_out(&self) -> Result<(Option<String>, Option<Tokens>)> {
        let who = self.forget_person().await;
        let tokens = self.credentials.current().await.ok();
        self.credentials.clear().await?;
        Ok((who, tokens))
    }

    /// Revokes the grant at the provider: the refresh token (which ends the grant at most
    /// providers), then the access token. The device is already wiped; a failed revocation (offline:
    /// the tokens lapse by themselves) is logged for the operator, never shown as the person's problem.
    pub async fn revoke(&self, tokens: Option<Tokens>) {
        let Some(t) = tokens else { return };
        let identity = self.api.identity();
        let refresh = t.refresh_token.as_deref().map(|r| (r, "refresh_token"));
        for (token, hint) in refresh.into_iter().chain([(t.access_token.as_str(), "access_token")]) {
            match identity.revoke(token, hint).await {
                Ok(true) => {}
                Ok(false) => {
                    log::warn!("logout: the identity platform publishes no revocation endpoint");
                    return;
                }
                Err(e) => log::warn!("logout: revoking the {hint} failed ({})", e.kind()),
            }
        }
    }

    /// 退出登录: signs out on the device, then revokes the grant. Returns whom it forgot.
    pub async fn logout(&self) -> Result<Option<String>> {
        let (who, tokens) = self.sign_out().await?;
        self.revoke(tokens).await;
        Ok(who)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_refresh_that_began_before_a_sign_out_keeps_nothing() {
        let config = crate::config::Config::with_api_base("http://127.0.0.1:9").unwrap();
        let vault = Vault::with_service(format!("cn.gov.beijing.shiye.unit-{}", uuid::Uuid::now_v7()));
        let auth = AuthService::new(ApiClient::new(config).unwrap(), vault);
        let session = Session { subject: "p1".into(), name: "甲".into() };
        let records = shiye_core::ipc::samples::overview("p1", Default::default()).records;
        let began = auth.epoch().await;
        auth.set_person(session.clone(), records.clone());
        // The person leaves while the refresh is on the network...
        assert_eq!(auth.forget_person().await, Some("p1".into()));
        // ...and what it fetched is not kept, nor the person brought back.
        let kept = auth
            .keep_if_current(began, async {
                auth.set_person(session.clone(), records.clone());
                Ok(())
            })
            .await;
        assert!(matches!(kept, Err(Error::NotLoggedIn)));
        assert!(auth.subject().is_err());
        let now = auth.epoch().await;
        assert!(auth.keep_if_current(now, async { Ok(()) }).await.is_ok());
    }
}
