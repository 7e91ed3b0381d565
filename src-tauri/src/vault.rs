//! The OS credential store as the only home of the login tokens and the data key: keyring 4's entry
//! on desktops (Secret Service, Keychain, Credential Manager); on phones keyring-core over the
//! platform's own store (Android: Keystore-encrypted SharedPreferences; iOS: the data-protection
//! keychain). Nothing here is written to disk by the app itself, logged or returned to the webview.

use serde::{Deserialize, Serialize};

/// The keyring service name; the entry name says what is kept.
pub const SERVICE: &str = "cn.gov.beijing.shiye";
const TOKENS: &str = "oidc-tokens";
const DATA_KEY: &str = "data-key";

/// What a login leaves behind.
#[derive(Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Tokens {
    /// Whose tokens these are (the ID token's `sub`): the outbox sends only their entries.
    #[serde(default)]
    pub subject: String,
    pub access_token: String,
    pub refresh_token: Option<String>,
    /// Seconds since the Unix epoch after which the access token is no longer valid.
    pub expires_at: i64,
}

// Hand-written so that a token can never reach a log through `{:?}`.
impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Tokens")
            .field("subject", &self.subject)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

type Entry = keyring::Entry;

/// A desktop's entry: keyring 4 picks and initialises the platform's store.
#[cfg(desktop)]
fn entry(service: &str, name: &str) -> crate::Result<Entry> {
    Ok(keyring::Entry::new(service, name)?)
}

/// A phone's entry, in the platform's store (set once as keyring-core's default).
#[cfg(mobile)]
fn entry(service: &str, name: &str) -> crate::Result<Entry> {
    static STORE: std::sync::OnceLock<Result<(), String>> = std::sync::OnceLock::new();
    let ready = STORE.get_or_init(|| {
        #[cfg(target_os = "android")]
        let store = android_native_keyring_store::Store::new().map_err(|e| e.to_string())?;
        #[cfg(target_os = "ios")]
        let store = apple_native_keyring_store::protected::Store::new().map_err(|e| e.to_string())?;
        keyring_core::set_default_store(store);
        Ok(())
    });
    if let Err(e) = ready {
        return Err(crate::Error::Config(format!("系统凭据库不可用（{e}）")));
    }
    Ok(keyring::Entry { inner: keyring_core::Entry::new(service, name)? })
}

/// Access to the app's keyring entries. The calls block on D-Bus (or the platform's API), so
/// async code runs them on the blocking pool.
#[derive(Debug, Clone)]
pub struct Vault {
    service: String,
}

impl Default for Vault {
    fn default() -> Self {
        Vault { service: SERVICE.to_string() }
    }
}

impl Vault {
    /// A vault under another service name (tests keep their entries apart with it).
    pub fn with_service(service: impl Into<String>) -> Self {
        Vault { service: service.into() }
    }

    fn entry(&self) -> crate::Result<Entry> {
        entry(&self.service, TOKENS)
    }

    pub fn store_tokens(&self, tokens: &Tokens) -> crate::Result<()> {
        self.entry()?.set_password(&serde_json::to_string(tokens)?)?;
        Ok(())
    }

    /// The stored tokens, or `NotLoggedIn` when there are none.
    pub fn tokens(&self) -> crate::Result<Tokens> {
        match self.entry()?.get_password() {
            Ok(json) => Ok(serde_json::from_str(&json)?),
            Err(keyring::Error::NoEntry) => Err(crate::Error::NotLoggedIn),
            Err(e) => Err(e.into()),
        }
    }

    /// The installation's data key (sealing drafts, outbox and caches), made on first use.
    pub fn data_key(&self) -> crate::Result<[u8; 32]> {
        let entry = entry(&self.service, DATA_KEY)?;
        match entry.get_secret() {
            Ok(bytes) => <[u8; 32]>::try_from(bytes.as_slice())
                .map_err(|_| crate::Error::Config("系统凭据库中的数据密钥已损坏".into())),
            Err(keyring::Error::NoEntry) => {
                let key = crate::seal::Sealer::generate_key();
                entry.set_secret(&key)?;
                Ok(key)
            }
            Err(e) => Err(e.into()),
        }
    }

    pub fn clear_tokens(&self) -> crate::Result<()> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_prints_tokens() {
        let t = Tokens {
            subject: "p".into(),
            access_token: "secret-a".into(),
            refresh_token: Some("secret-r".into()),
            expires_at: 1,
        };
        let shown = format!("{t:?}");
        assert!(!shown.contains("secret"), "{shown}");
    }
}
