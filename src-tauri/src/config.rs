//! Where the app finds its server and identity provider. Read once at start; an invalid value stops
//! the app with a clear message instead of failing later.

use url::Url;

/// The reference server that `cargo xtask run` starts.
pub const DEFAULT_API_BASE: &str = "http://127.0.0.1:8710";

#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL of the service API and of the identity provider (no trailing slash).
    pub api_base: Url,
    /// Keep HTTP connections open between requests. Tests that drop connections turn it off so
    /// that every request gets a connection of its own.
    pub reuse_connections: bool,
    /// Where drafts and the outbox live; by default the platform's app data folder
    /// (`SHIYE_DATA_DIR` overrides it, e.g. for tests and kiosks with a dedicated volume).
    pub data_dir: Option<std::path::PathBuf>,
}

impl Config {
    /// Defaults, overridden by `SHIYE_API_BASE`.
    pub fn from_env() -> crate::Result<Self> {
        let base = std::env::var("SHIYE_API_BASE").unwrap_or_else(|_| DEFAULT_API_BASE.to_string());
        let mut config = Self::with_api_base(&base)?;
        config.data_dir = std::env::var_os("SHIYE_DATA_DIR").map(Into::into);
        Ok(config)
    }

    pub fn with_api_base(base: &str) -> crate::Result<Self> {
        let url = Url::parse(base.trim_end_matches('/'))
            .map_err(|e| crate::Error::Config(format!("SHIYE_API_BASE 不是有效的网址（{e}）")))?;
        let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            _ => {
                return Err(crate::Error::Config(
                    "SHIYE_API_BASE 必须使用 https（本机测试服务器除外）".into(),
                ))
            }
        }
        Ok(Config { api_base: url, reuse_connections: true, data_dir: None })
    }

    /// An absolute URL under the API base, e.g. `endpoint("/oauth/token")`.
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{}", self.api_base.as_str().trim_end_matches('/'), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_https_and_loopback_http_only() {
        assert!(Config::with_api_base("https://shiye.example.cn").is_ok());
        assert!(Config::with_api_base("http://127.0.0.1:8710/").is_ok());
        assert!(Config::with_api_base("http://example.cn").is_err());
        assert!(Config::with_api_base("not a url").is_err());
        let c = Config::with_api_base("http://127.0.0.1:8710/").unwrap();
        assert_eq!(c.endpoint("/oauth/token"), "http://127.0.0.1:8710/oauth/token");
    }
}
