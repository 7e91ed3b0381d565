//! An identity platform the service trusts besides its own provider (the real deployment: the
//! city's 统一身份认证平台 logs people in, this server holds their cases). Its access tokens are
//! checked by OAuth 2.0 Token Introspection (RFC 7662) at the endpoint its discovery document names,
//! with this service's own client credentials; an active token's `sub` is the person's subject here
//! (the service keeps each person under the platform's subject identifier, so pairwise subjects
//! are not supported). The person's data keeps coming from the service, never from the platform.

use crate::error::Error;
use shiye_core::oidc::{same_issuer, ProviderMetadata};
use std::sync::Arc;
use tokio::sync::OnceCell;

/// How to reach and authenticate to the trusted platform.
#[derive(Debug, Clone)]
pub struct TrustedIssuer {
    pub issuer: String,
    /// This service's client at the platform (HTTP Basic, RFC 7662 §2.1).
    pub client_id: String,
    pub client_secret: String,
}

#[derive(Clone)]
pub struct External {
    config: TrustedIssuer,
    http: reqwest::Client,
    introspection: Arc<OnceCell<String>>,
}

/// What introspection answers (RFC 7662 §2.2); only the members the service reads.
#[derive(serde::Deserialize)]
struct Introspection {
    active: bool,
    sub: Option<String>,
    iss: Option<String>,
    token_type: Option<String>,
}

fn unavailable(what: &str) -> Error {
    tracing::warn!(what, "trusted identity platform unavailable");
    Error::Api {
        status: axum::http::StatusCode::SERVICE_UNAVAILABLE,
        code: "identity_platform_unavailable",
        message: "暂时无法核验统一身份认证平台的登录凭证，请稍后再试".into(),
    }
}

impl External {
    pub fn new(config: TrustedIssuer) -> crate::Result<Self> {
        let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
        let tls =
            rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                .with_safe_default_protocol_versions()
                .map_err(|e| Error::Config(format!("TLS: {e}")))?
                .with_root_certificates(roots)
                .with_no_client_auth();
        let http = reqwest::Client::builder()
            .tls_backend_preconfigured(tls)
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|e| Error::Config(format!("HTTP client: {e}")))?;
        Ok(External { config, http, introspection: Arc::new(OnceCell::new()) })
    }

    /// The platform's introspection endpoint, from its discovery document (issuer checked).
    async fn endpoint(&self) -> Result<&str, Error> {
        let issuer = self.config.issuer.clone();
        let http = self.http.clone();
        self.introspection
            .get_or_try_init(|| async move {
                let resp = http.get(ProviderMetadata::url_for(&issuer)).send().await;
                let m: ProviderMetadata = match resp {
                    Ok(r) if r.status().is_success() => {
                        r.json().await.map_err(|_| unavailable("discovery"))?
                    }
                    _ => return Err(unavailable("discovery")),
                };
                if !same_issuer(&m.issuer, &issuer) {
                    return Err(Error::Config("the trusted platform names another issuer".into()));
                }
                m.introspection_endpoint
                    .ok_or_else(|| Error::Config("the trusted platform has no introspection".into()))
            })
            .await
            .map(String::as_str)
    }

    /// The subject of an active access token of the platform, or `InvalidToken`.
    pub async fn subject(&self, token: &str) -> Result<String, Error> {
        let endpoint = self.endpoint().await?;
        let resp = self
            .http
            .post(endpoint)
            .basic_auth(&self.config.client_id, Some(&self.config.client_secret))
            .form(&[("token", token), ("token_type_hint", "access_token")])
            .send()
            .await
            .map_err(|_| unavailable("introspection"))?;
        if !resp.status().is_success() {
            return Err(unavailable("introspection refused"));
        }
        let answer: Introspection = resp.json().await.map_err(|_| unavailable("introspection answer"))?;
        let own_issuer = answer.iss.as_deref().is_none_or(|i| same_issuer(i, &self.config.issuer));
        // A refresh token is not an access token, whatever the platform says of it otherwise.
        let access = answer.token_type.as_deref().is_none_or(|t| !t.eq_ignore_ascii_case("refresh_token"));
        match (answer.active, answer.sub) {
            (true, Some(sub)) if own_issuer && access && !sub.is_empty() => Ok(sub),
            _ => Err(Error::InvalidToken),
        }
    }
}
