//! The signed-in person's access token, refreshed when due. Refresh is single-flight: one lock,
//! and under it the keyring is read again, so however many callers (the sync engine, the
//! refresher, 立即同步, a command) find the token due at the same moment, one refresh token is
//! presented once. Presenting it twice would make the provider revoke the whole grant (refresh
//! reuse detection, RFC 9700 §4.14) and throw the person out mid-form.

use crate::api::ApiClient;
use crate::clock::now;
use crate::vault::{Tokens, Vault};
use crate::{Error, Result};
use std::future::Future;
use std::sync::Arc;

/// Refresh this long before the access token expires.
const REFRESH_MARGIN_SECS: i64 = 60;

/// Whose token, and the token: the sync engine sends only this person's entries with it.
#[derive(Clone, PartialEq, Eq)]
pub struct Grant {
    pub subject: String,
    pub access_token: String,
}

impl std::fmt::Debug for Grant {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grant").field("subject", &self.subject).finish_non_exhaustive()
    }
}

impl From<Tokens> for Grant {
    fn from(t: Tokens) -> Self {
        Grant { subject: t.subject, access_token: t.access_token }
    }
}

/// The keyring's tokens and the one refresh lock. Cheap to clone; clones share the lock.
#[derive(Clone)]
pub struct Credentials {
    api: ApiClient,
    vault: Vault,
    refreshing: Arc<tokio::sync::Mutex<()>>,
}

/// Whether the access token should be replaced now: shortly before it lapses when there is a
/// refresh token to replace it with; without one (a provider that gives none), only once it has
/// lapsed, when the person must log in again.
fn due(t: &Tokens) -> bool {
    let margin = if t.refresh_token.is_some() { REFRESH_MARGIN_SECS } else { 0 };
    t.expires_at - margin <= now()
}

impl Credentials {
    pub fn new(api: ApiClient, vault: Vault) -> Self {
        Credentials { api, vault, refreshing: Arc::new(tokio::sync::Mutex::new(())) }
    }

    pub async fn store(&self, tokens: Tokens) -> Result<()> {
        let v = self.vault.clone();
        blocking(move || v.store_tokens(&tokens)).await
    }

    pub async fn clear(&self) -> Result<()> {
        let v = self.vault.clone();
        blocking(move || v.clear_tokens()).await
    }

    /// The stored tokens, or `NotLoggedIn`.
    pub async fn current(&self) -> Result<Tokens> {
        let v = self.vault.clone();
        blocking(move || v.tokens()).await
    }

    /// A valid access token, refreshed first when it is about to expire.
    pub async fn grant(&self) -> Result<Grant> {
        let tokens = self.current().await?;
        if !due(&tokens) {
            return Ok(tokens.into());
        }
        self.refresh_unless(|t| !due(t)).await
    }

    /// A new access token after the server refused `rejected` (401). If someone else already
    /// replaced it, that newer token is the answer and nothing is refreshed.
    pub async fn refreshed(&self, rejected: &str) -> Result<Grant> {
        self.refresh_unless(|t| t.access_token != rejected).await
    }

    /// Under the lock: reads the keyring again and refreshes only if `fine` says the stored pair
    /// still needs it. A refused refresh clears the tokens: the person must log in again.
    async fn refresh_unless(&self, fine: impl Fn(&Tokens) -> bool) -> Result<Grant> {
        let _one_at_a_time = self.refreshing.lock().await;
        let tokens = self.current().await?;
        if fine(&tokens) {
            return Ok(tokens.into());
        }
        let refresh = tokens.refresh_token.clone().ok_or(Error::NotLoggedIn)?;
        match self.api.identity().refresh(&refresh).await {
            Ok(mut fresh) => {
                fresh.subject = tokens.subject;
                self.store(fresh.clone()).await?;
                Ok(fresh.into())
            }
            Err(Error::NotLoggedIn) => {
                self.clear().await?;
                Err(Error::NotLoggedIn)
            }
            Err(e) => Err(e),
        }
    }
}

/// Where the engine gets whose token it holds, and the token (the session's `Credentials` in the
/// app; a fixed one in tests).
pub trait TokenSource: Send + Sync {
    fn grant(&self) -> impl Future<Output = Result<Grant>> + Send;
    /// A new token after the server refused `rejected` (401).
    fn refreshed(&self, rejected: &str) -> impl Future<Output = Result<Grant>> + Send;
}

impl TokenSource for Credentials {
    async fn grant(&self) -> Result<Grant> {
        Credentials::grant(self).await
    }

    async fn refreshed(&self, rejected: &str) -> Result<Grant> {
        Credentials::refreshed(self, rejected).await
    }
}

/// Runs a blocking keyring call off the async executor.
pub(crate) async fn blocking<T: Send + 'static>(f: impl FnOnce() -> Result<T> + Send + 'static) -> Result<T> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|e| Error::Config(format!("background task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(expires_in: i64, refresh: bool) -> Tokens {
        Tokens {
            subject: "p1".into(),
            access_token: "a".into(),
            refresh_token: refresh.then(|| "r".to_string()),
            expires_at: now() + expires_in,
        }
    }

    #[test]
    fn without_a_refresh_token_the_access_token_is_used_until_it_lapses() {
        assert!(due(&tokens(30, true)), "refreshed early when it can be");
        assert!(!due(&tokens(30, false)), "nothing to refresh with: used while it is valid");
        assert!(due(&tokens(-1, false)), "lapsed: the person must log in again");
    }
}
