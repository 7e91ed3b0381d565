//! The identity platform as a standard OpenID Provider: where its endpoints are (Discovery 1.0,
//! from the configured issuer), its signing keys, and the calls the app makes to it — the code
//! and refresh grants (RFC 6749, 7636), userinfo (Core §5.3) and revocation (RFC 7009). Nothing
//! here assumes the reference server's paths or claims: any conformant provider will do.
//!
//! The metadata is fetched when first needed and kept for a day; the keys are fetched when first
//! needed and once more when a token names a key the set does not hold (a key rotation).

use crate::id_token::KeySet;
use crate::{Error, Result};
use serde::de::DeserializeOwned;
use shiye_core::oidc::{OAuthError, ProviderMetadata, TokenResponse, CLIENT_ID};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::Mutex;

/// How long discovered metadata is used before it is fetched again.
const METADATA_MAX_AGE: Duration = Duration::from_secs(24 * 3600);

/// Lifetime assumed for an access token whose response says none (RFC 6749 §5.1 only recommends
/// `expires_in`): short, so that the app refreshes early rather than sends a lapsed token.
const ASSUMED_EXPIRES_IN: i64 = 300;

/// Discovered metadata and when it was fetched.
type Discovered = Option<(Arc<ProviderMetadata>, Instant)>;

#[derive(Clone)]
pub struct Identity {
    http: reqwest::Client,
    /// As configured; the provider's own `issuer` must be this (a trailing `/` aside).
    issuer: String,
    metadata: Arc<Mutex<Discovered>>,
    keys: Arc<Mutex<Option<KeySet>>>,
}

/// A provider's answer the app cannot use: said as what it is, never as a network failure.
fn protocol(what: &str) -> Error {
    Error::Provider(what.to_string())
}

/// A JSON body of the provider; unreadable is a protocol error (the network did its part).
async fn json<T: DeserializeOwned>(resp: reqwest::Response, what: &str) -> Result<T> {
    let bytes = resp.bytes().await?;
    serde_json::from_slice(&bytes).map_err(|_| protocol(&format!("{what}: unreadable answer")))
}

impl Identity {
    pub fn new(http: reqwest::Client, issuer: &str) -> Self {
        Identity {
            http,
            issuer: issuer.to_string(),
            metadata: Arc::new(Mutex::new(None)),
            keys: Arc::new(Mutex::new(None)),
        }
    }

    /// The provider's metadata, fetched if not known or older than a day.
    pub async fn metadata(&self) -> Result<Arc<ProviderMetadata>> {
        let mut held = self.metadata.lock().await;
        if let Some((m, at)) = held.as_ref() {
            if at.elapsed() < METADATA_MAX_AGE {
                return Ok(m.clone());
            }
        }
        let resp = self.http.get(ProviderMetadata::url_for(&self.issuer)).send().await?;
        if !resp.status().is_success() {
            return Err(protocol(&format!("discovery: HTTP {}", resp.status().as_u16())));
        }
        let m: ProviderMetadata = json(resp, "discovery").await?;
        // Discovery §4.3: the issuer must be the one asked for (the configured text may differ
        // by a terminating `/`, which §4 removes before asking); ID tokens then name `m.issuer`.
        if !shiye_core::oidc::same_issuer(&m.issuer, &self.issuer) {
            return Err(protocol("discovery: the issuer is not the configured one"));
        }
        let m = Arc::new(m);
        *held = Some((m.clone(), Instant::now()));
        Ok(m)
    }

    /// The signing keys that can verify `token`: the held set, or the set fetched again if the
    /// held one has no key for it.
    pub async fn keys_for(&self, token: &str) -> Result<KeySet> {
        let mut held = self.keys.lock().await;
        if let Some(k) = held.as_ref() {
            if k.knows(token) {
                return Ok(k.clone());
            }
        }
        let uri = self.metadata().await?.jwks_uri.clone();
        let resp = self.http.get(uri).send().await?;
        if !resp.status().is_success() {
            return Err(protocol(&format!("jwks: HTTP {}", resp.status().as_u16())));
        }
        let doc: serde_json::Value = json(resp, "jwks").await?;
        let keys = KeySet::parse(&doc).ok_or_else(|| protocol("jwks: not a key set"))?;
        *held = Some(keys.clone());
        Ok(keys)
    }

    /// The token endpoint's answer: the tokens, or the provider's refusal (`refused`).
    async fn token(&self, form: &[(&str, &str)], refused: fn(String) -> Error) -> Result<TokenResponse> {
        let endpoint = self.metadata().await?.token_endpoint.clone();
        let resp = self.http.post(endpoint).form(form).send().await?;
        match resp.status().as_u16() {
            200 => json(resp, "token").await,
            400 | 401 => {
                let e = json::<OAuthError>(resp, "token error").await;
                Err(refused(e.map(|e| e.error).unwrap_or_else(|_| "invalid_response".into())))
            }
            other => Err(Error::Status(other)),
        }
    }

    /// The authorization code grant (RFC 6749 §4.1.3) with the PKCE verifier.
    pub async fn redeem_code(&self, code: &str, verifier: &str, redirect_uri: &str) -> Result<TokenResponse> {
        let form = [
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect_uri),
            ("client_id", CLIENT_ID),
            ("code_verifier", verifier),
        ];
        self.token(&form, Error::TokenExchange).await
    }

    /// The refresh grant; the provider may rotate the refresh token (if it does not, the one
    /// presented stays). A refusal (`invalid_grant`: revoked, spent, expired) means the person
    /// must log in again.
    pub async fn refresh(&self, refresh_token: &str) -> Result<crate::vault::Tokens> {
        let form =
            [("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", CLIENT_ID)];
        let a = self.token(&form, |_| Error::NotLoggedIn).await?;
        Ok(crate::vault::Tokens {
            // The caller knows whose grant it refreshed.
            subject: String::new(),
            access_token: a.access_token,
            refresh_token: a.refresh_token.or_else(|| Some(refresh_token.to_string())),
            expires_at: expires_at(a.expires_in),
        })
    }

    /// Userinfo (Core §5.3) with the given access token.
    pub async fn userinfo(&self, access_token: &str) -> Result<shiye_core::oidc::Claims> {
        let endpoint = self.metadata().await?.userinfo_endpoint.clone();
        let endpoint = endpoint.ok_or_else(|| protocol("discovery: no userinfo_endpoint"))?;
        let resp = self.http.get(endpoint).bearer_auth(access_token).send().await?;
        if !resp.status().is_success() {
            return Err(Error::Status(resp.status().as_u16()));
        }
        json(resp, "userinfo").await
    }

    /// RFC 7009 revocation of one token, the public client naming itself (§2.1) and the kind of
    /// token as a hint. `Ok(false)` when the provider has no revocation endpoint.
    pub async fn revoke(&self, token: &str, hint: &str) -> Result<bool> {
        let Some(endpoint) = self.metadata().await?.revocation_endpoint.clone() else {
            return Ok(false);
        };
        let form = [("token", token), ("token_type_hint", hint), ("client_id", CLIENT_ID)];
        let resp = self.http.post(endpoint).form(&form).send().await?;
        match resp.status().as_u16() {
            200 => Ok(true),
            other => Err(Error::Status(other)),
        }
    }
}

/// When a token issued now with `expires_in` lapses.
pub fn expires_at(expires_in: Option<i64>) -> i64 {
    crate::clock::now() + expires_in.unwrap_or(ASSUMED_EXPIRES_IN)
}
