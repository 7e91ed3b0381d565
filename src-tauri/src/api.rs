//! The HTTP client of the remote API and identity provider. One `reqwest::Client` (rustls, no
//! redirects followed, bounded timeouts) is shared by every call.

use crate::config::Config;
use shiye_core::api::UserInfo;
use std::time::Duration;

#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    config: Config,
}

impl ApiClient {
    pub fn new(config: Config) -> crate::Result<Self> {
        let http = reqwest::Client::builder()
            // OAuth endpoints must not be followed through redirects (RFC 6749 §3.2, §10.9).
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(20))
            .build()?;
        Ok(ApiClient { http, config })
    }

    pub fn http(&self) -> &reqwest::Client {
        &self.http
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// `GET /oauth/userinfo` with the given access token.
    pub async fn userinfo(&self, access_token: &str) -> crate::Result<UserInfo> {
        let resp =
            self.http.get(self.config.endpoint("/oauth/userinfo")).bearer_auth(access_token).send().await?;
        if !resp.status().is_success() {
            return Err(crate::Error::Status(resp.status().as_u16()));
        }
        Ok(resp.json().await?)
    }
}
