//! The HTTP client of the remote API (the identity platform's calls are `identity`'s). One `reqwest::Client` (rustls, no
//! redirects followed, bounded timeouts) is shared by every call.

use crate::config::Config;
use shiye_core::api::{
    ApiError, Application, ApplicationRecord, ApplicationSubmission, Conflict, Profile, SmsPurpose,
    SmsRequest, SmsSent, ValidationFailure,
};
use shiye_core::reference::snapshot::ReferenceData;
use std::time::Duration;

/// The server's answer to a submission.
#[derive(Debug)]
pub enum SubmitAnswer {
    /// 201 (or the replay of one).
    Accepted(Application),
    /// 422 with field errors.
    Invalid(ValidationFailure),
    /// 409: the person's state forbids the item.
    Refused(Conflict),
    /// 401: the token is no longer valid.
    Unauthorized,
    /// Try again later: the first request with this key is still running (409), the server asks
    /// to slow down (429, 503) or failed (5xx); with the server's Retry-After when given.
    Later(Option<Duration>),
    /// Anything else: the request itself is wrong and retrying will not help.
    Unusable(u16),
}

/// TLS for every request: rustls with the ring provider and the Mozilla roots compiled in (as the
/// app had with reqwest 0.12), named here rather than taken from a process-wide default, and the
/// same on every platform — a phone's platform verifier would need the JVM set up first.
fn tls_config() -> rustls::ClientConfig {
    let roots = rustls::RootCertStore { roots: webpki_roots::TLS_SERVER_ROOTS.to_vec() };
    let provider = std::sync::Arc::new(rustls::crypto::ring::default_provider());
    rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("ring supports TLS 1.2 and 1.3")
        .with_root_certificates(roots)
        .with_no_client_auth()
}

/// How every HTTP client of the app starts: its TLS, and no redirect followed (OAuth endpoints must
/// not be followed through redirects, RFC 6749 §3.2, §10.9). Tests build their clients from it too.
pub fn client_builder() -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .tls_backend_preconfigured(tls_config())
        .redirect(reqwest::redirect::Policy::none())
}

#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    config: Config,
    identity: crate::identity::Identity,
}

impl ApiClient {
    pub fn new(config: Config) -> crate::Result<Self> {
        let mut builder = client_builder();
        if !config.reuse_connections {
            builder = builder.pool_max_idle_per_host(0);
        }
        let http = builder.connect_timeout(Duration::from_secs(5)).timeout(config.request_timeout).build()?;
        let identity = crate::identity::Identity::new(http.clone(), &config.issuer);
        Ok(ApiClient { http, config, identity })
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The identity platform, reached over the same connection pool.
    pub fn identity(&self) -> &crate::identity::Identity {
        &self.identity
    }

    /// `POST /api/v1/applications` with the outbox entry's id as `Idempotency-Key`.
    pub async fn submit(
        &self,
        token: &str,
        key: &str,
        submission: &ApplicationSubmission,
    ) -> crate::Result<SubmitAnswer> {
        let resp = self
            .http
            .post(self.config.endpoint("/api/v1/applications"))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(submission)
            .send()
            .await?;
        let status = resp.status().as_u16();
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        Ok(match status {
            200 | 201 => SubmitAnswer::Accepted(resp.json().await?),
            401 => SubmitAnswer::Unauthorized,
            409 => {
                let body: serde_json::Value = resp.json().await?;
                match serde_json::from_value::<Conflict>(body) {
                    Ok(c) => SubmitAnswer::Refused(c),
                    // idempotency_key_in_flight: the first attempt is still being processed.
                    Err(_) => SubmitAnswer::Later(retry_after),
                }
            }
            422 => {
                let body: serde_json::Value = resp.json().await?;
                match serde_json::from_value::<ValidationFailure>(body) {
                    Ok(v) => SubmitAnswer::Invalid(v),
                    Err(_) => SubmitAnswer::Unusable(422),
                }
            }
            429 | 500..=599 => SubmitAnswer::Later(retry_after),
            other => SubmitAnswer::Unusable(other),
        })
    }

    /// `GET /api/v1/me`.
    pub async fn profile(&self, token: &str) -> crate::Result<Profile> {
        let resp = self.http.get(self.config.endpoint("/api/v1/me")).bearer_auth(token).send().await?;
        if !resp.status().is_success() {
            return Err(crate::Error::Status(resp.status().as_u16()));
        }
        Ok(resp.json().await?)
    }

    /// `GET /api/v1/applications`.
    pub async fn applications(&self, token: &str) -> crate::Result<Vec<Application>> {
        let resp =
            self.http.get(self.config.endpoint("/api/v1/applications")).bearer_auth(token).send().await?;
        if !resp.status().is_success() {
            return Err(crate::Error::Status(resp.status().as_u16()));
        }
        Ok(resp.json().await?)
    }

    /// `GET /api/v1/reference`, revalidated with the ETag the device holds: `None` when it is
    /// still current (304), else the new ETag and data.
    pub async fn reference(
        &self,
        token: &str,
        etag: Option<&str>,
    ) -> crate::Result<Option<(String, ReferenceData)>> {
        let mut req = self.http.get(self.config.endpoint("/api/v1/reference")).bearer_auth(token);
        if let Some(e) = etag {
            req = req.header(reqwest::header::IF_NONE_MATCH, e);
        }
        let resp = req.send().await?;
        match resp.status().as_u16() {
            304 => Ok(None),
            200 => {
                let etag = resp
                    .headers()
                    .get(reqwest::header::ETAG)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                Ok(Some((etag, resp.json().await?)))
            }
            other => Err(crate::Error::Status(other)),
        }
    }

    /// `GET /api/v1/applications/{id}/record`: the person's application with its answers, or
    /// `None` when the server has none of theirs under that id.
    pub async fn application_record(
        &self,
        token: &str,
        id: &str,
    ) -> crate::Result<Option<ApplicationRecord>> {
        let id: String = id.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
        let url = self.config.endpoint(&format!("/api/v1/applications/{id}/record"));
        let resp = self.http.get(url).bearer_auth(token).send().await?;
        match resp.status().as_u16() {
            200 => Ok(Some(resp.json().await?)),
            404 => Ok(None),
            other => Err(crate::Error::Status(other)),
        }
    }

    /// `POST /api/v1/items/{case_number}/withdrawal` (撤回). A refusal (taken up by a reviewer,
    /// not found) comes back with the server's Chinese message.
    pub async fn withdraw(&self, token: &str, case_number: &str) -> crate::Result<()> {
        let case: String = case_number.chars().filter(char::is_ascii_alphanumeric).collect();
        let url = self.config.endpoint(&format!("/api/v1/items/{case}/withdrawal"));
        let resp = self.http.post(url).bearer_auth(token).send().await?;
        match resp.status().as_u16() {
            200 => Ok(()),
            401 => Err(crate::Error::Status(401)),
            status @ (404 | 409) => match resp.json::<ApiError>().await {
                Ok(e) => Err(crate::Error::Refused(e.message)),
                Err(_) => Err(crate::Error::Status(status)),
            },
            other => Err(crate::Error::Status(other)),
        }
    }

    /// `POST /api/v1/sms-codes`: sends a verification code to the person's registered phone.
    pub async fn sms_code(&self, token: &str, purpose: SmsPurpose) -> crate::Result<SmsSent> {
        let resp = self
            .http
            .post(self.config.endpoint("/api/v1/sms-codes"))
            .bearer_auth(token)
            .json(&SmsRequest { purpose })
            .send()
            .await?;
        match resp.status().as_u16() {
            200 | 201 => Ok(resp.json().await?),
            401 => Err(crate::Error::Status(401)),
            status @ 400..=499 => {
                // The server's Chinese message (e.g. how long to wait) is meant for the person.
                match resp.json::<ApiError>().await {
                    Ok(e) => Err(crate::Error::Refused(e.message)),
                    Err(_) => Err(crate::Error::Status(status)),
                }
            }
            other => Err(crate::Error::Status(other)),
        }
    }
}
