//! Where the app finds its server and identity provider, where it keeps its data, and how it runs
//! (kiosk, timeouts): a `shiye.toml` in the app's config folder, overridden by environment
//! variables, read once at start. An invalid value stops the app with a clear message instead of
//! failing later.

use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::Duration;
use url::Url;

/// The reference server that `cargo xtask run` starts.
pub const DEFAULT_API_BASE: &str = "http://127.0.0.1:8710";
/// The config file's name, in the platform's config folder under the app identifier.
pub const FILE_NAME: &str = "shiye.toml";
const IDENTIFIER: &str = "cn.gov.beijing.shiye";

#[derive(Debug, Clone)]
pub struct Config {
    /// Base URL of the service API (no trailing slash).
    pub api_base: Url,
    /// The identity platform's OpenID Connect issuer, as configured (it is compared with what the
    /// provider says of itself); by default the API's base, as with the reference server. Its
    /// endpoints come from its discovery document; the client id and redirect URIs are the
    /// registered ones (`shiye_core::oidc`).
    pub issuer: String,
    /// Seconds of clock difference tolerated between the device and the identity platform when an
    /// ID token's times are checked.
    pub clock_skew_secs: i64,
    /// Keep HTTP connections open between requests. Tests that drop connections turn it off so
    /// that every request gets a connection of its own.
    pub reuse_connections: bool,
    /// Where drafts and the outbox live; by default the platform's app data folder.
    pub data_dir: Option<PathBuf>,
    /// Longest wait for one HTTP request.
    pub request_timeout: Duration,
    /// Service-centre kiosk: the window fills the screen.
    pub kiosk: bool,
    /// How often records and statuses are fetched (and the outbox looked at) without a reason.
    pub refresh_interval: Duration,
    /// Drafts not saved for this long are removed (the person is told at the next start).
    pub draft_ttl: Duration,
    /// Kiosk: seconds without input before the logout countdown appears.
    pub kiosk_idle_secs: u32,
    /// Kiosk: how long the countdown runs before the person is logged out.
    pub kiosk_countdown_secs: u32,
    /// Outbox entries whose owner never came back to send them are removed after this long.
    pub outbox_keep: Duration,
    /// How long a login in the browser may take before the app stops waiting for it.
    pub login_timeout: Duration,
    /// The program that opens the login page; by default the person's default browser.
    pub browser: Option<String>,
}

/// The file's shape; every key optional, unknown keys refused.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    api_base: Option<String>,
    identity_base: Option<String>,
    clock_skew_secs: Option<u64>,
    data_dir: Option<PathBuf>,
    request_timeout_secs: Option<u64>,
    kiosk: Option<bool>,
    refresh_secs: Option<u64>,
    draft_ttl_days: Option<u64>,
    kiosk_idle_secs: Option<u64>,
    kiosk_countdown_secs: Option<u64>,
    outbox_keep_days: Option<u64>,
    login_timeout_secs: Option<u64>,
    browser: Option<String>,
}

/// A whole number from the environment (first) or the file, checked against its range; the
/// message names the key and the variable.
fn ranged(
    env: &impl Fn(&str) -> Option<String>,
    var: &str,
    key: &str,
    file: Option<u64>,
    range: std::ops::RangeInclusive<u64>,
    unit: &str,
) -> crate::Result<Option<u64>> {
    let value = env(var).map(|v| v.trim().parse::<u64>().unwrap_or(0)).or(file);
    match value {
        Some(v) if !range.contains(&v) => {
            Err(config_error(format!("{key}（{var}）应在{}至{}{unit}之间", range.start(), range.end())))
        }
        other => Ok(other),
    }
}

fn config_error(what: String) -> crate::Error {
    crate::Error::Config(what)
}

/// A base URL that is https, or http on loopback (the reference server on this machine).
fn checked_url(base: &str, key: &str) -> crate::Result<Url> {
    let url = Url::parse(base.trim_end_matches('/'))
        .map_err(|e| config_error(format!("服务地址（{key}）不是有效的网址（{e}）")))?;
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    match url.scheme() {
        "https" => Ok(url),
        "http" if loopback => Ok(url),
        _ => Err(config_error(format!("服务地址（{key}）必须使用 https（本机测试服务器除外）"))),
    }
}

/// The first `shiye.toml` that exists: the user's own (`<config folder>/cn.gov.beijing.shiye/`),
/// else the machine's (each of `system` in order), so a service centre can configure every account
/// of its kiosks once. `SHIYE_CONFIG` overrides both.
pub fn file_path(user: Option<PathBuf>, system: &[PathBuf]) -> Option<PathBuf> {
    user.into_iter()
        .chain(system.iter().cloned())
        .map(|d| d.join(IDENTIFIER).join(FILE_NAME))
        .find(|p| p.exists())
}

/// The machine-wide config folders: on Linux and the BSDs `XDG_CONFIG_DIRS` (by default `/etc/xdg`);
/// elsewhere none (Windows and macOS installs use the account's folder).
fn system_config_dirs(xdg: Option<std::ffi::OsString>) -> Vec<PathBuf> {
    if !cfg!(all(unix, not(any(target_os = "macos", target_os = "ios", target_os = "android")))) {
        return Vec::new();
    }
    let dirs: Vec<PathBuf> =
        xdg.map(|v| std::env::split_paths(&v).filter(|p| p.is_absolute()).collect()).unwrap_or_default();
    if dirs.is_empty() {
        vec![PathBuf::from("/etc/xdg")]
    } else {
        dirs
    }
}

impl Config {
    /// The config file (see `file_path`), then the environment's `SHIYE_…` variables.
    pub fn from_env() -> crate::Result<Self> {
        let path = std::env::var_os("SHIYE_CONFIG").map(PathBuf::from).or_else(|| {
            file_path(dirs::config_dir(), &system_config_dirs(std::env::var_os("XDG_CONFIG_DIRS")))
        });
        let vars = |name: &str| std::env::var(name).ok();
        Self::load(path.as_deref(), vars)
    }

    /// Builds the configuration from an optional file and an environment lookup.
    pub fn load(path: Option<&Path>, env: impl Fn(&str) -> Option<String>) -> crate::Result<Self> {
        let file: File = match path {
            None => File::default(),
            Some(p) => {
                let text = std::fs::read_to_string(p)
                    .map_err(|e| config_error(format!("无法读取配置文件 {}（{e}）", p.display())))?;
                toml::from_str(&text)
                    .map_err(|e| config_error(format!("配置文件 {} 有误：{}", p.display(), e.message())))?
            }
        };
        let base = env("SHIYE_API_BASE").or(file.api_base).unwrap_or_else(|| DEFAULT_API_BASE.to_string());
        let mut config = Self::with_api_base(&base)?;
        if let Some(idp) = env("SHIYE_IDENTITY_BASE").or(file.identity_base) {
            checked_url(&idp, "identity_base / SHIYE_IDENTITY_BASE")?;
            config.issuer = idp.trim().to_string();
        }
        if let Some(secs) =
            ranged(&env, "SHIYE_CLOCK_SKEW_SECS", "clock_skew_secs", file.clock_skew_secs, 0..=900, "秒")?
        {
            config.clock_skew_secs = secs as i64;
        }
        config.data_dir = env("SHIYE_DATA_DIR").map(PathBuf::from).or(file.data_dir);
        if let Some(secs) = file.request_timeout_secs {
            if !(1..=300).contains(&secs) {
                return Err(config_error("request_timeout_secs 应在1至300秒之间".into()));
            }
            config.request_timeout = Duration::from_secs(secs);
        }
        if let Some(secs) =
            ranged(&env, "SHIYE_REFRESH_SECS", "refresh_secs", file.refresh_secs, 2..=3600, "秒")?
        {
            config.refresh_interval = Duration::from_secs(secs);
        }
        if let Some(days) =
            ranged(&env, "SHIYE_DRAFT_TTL_DAYS", "draft_ttl_days", file.draft_ttl_days, 1..=365, "天")?
        {
            config.draft_ttl = Duration::from_secs(days * 24 * 3600);
        }
        let idle =
            ranged(&env, "SHIYE_KIOSK_IDLE_SECS", "kiosk_idle_secs", file.kiosk_idle_secs, 1..=3600, "秒")?;
        if let Some(secs) = idle {
            config.kiosk_idle_secs = secs as u32;
        }
        let countdown = ranged(
            &env,
            "SHIYE_KIOSK_COUNTDOWN_SECS",
            "kiosk_countdown_secs",
            file.kiosk_countdown_secs,
            1..=300,
            "秒",
        )?;
        if let Some(secs) = countdown {
            config.kiosk_countdown_secs = secs as u32;
        }
        if let Some(days) =
            ranged(&env, "SHIYE_OUTBOX_KEEP_DAYS", "outbox_keep_days", file.outbox_keep_days, 1..=3650, "天")?
        {
            config.outbox_keep = Duration::from_secs(days * 24 * 3600);
        }
        if let Some(secs) = ranged(
            &env,
            "SHIYE_LOGIN_TIMEOUT_SECS",
            "login_timeout_secs",
            file.login_timeout_secs,
            2..=3600,
            "秒",
        )? {
            config.login_timeout = Duration::from_secs(secs);
        }
        config.browser = env("SHIYE_BROWSER").or(file.browser).filter(|b| !b.trim().is_empty());
        config.kiosk = match env("SHIYE_KIOSK").as_deref() {
            Some("1" | "true") => true,
            Some("0" | "false") => false,
            Some(other) => {
                return Err(config_error(format!("SHIYE_KIOSK 应为 true 或 false，而不是“{other}”")))
            }
            None => file.kiosk.unwrap_or(false),
        };
        Ok(config)
    }

    pub fn with_api_base(base: &str) -> crate::Result<Self> {
        let url = checked_url(base, "api_base / SHIYE_API_BASE")?;
        Ok(Config {
            issuer: url.as_str().trim_end_matches('/').to_string(),
            clock_skew_secs: 120,
            api_base: url,
            reuse_connections: true,
            data_dir: None,
            request_timeout: Duration::from_secs(20),
            kiosk: false,
            refresh_interval: Duration::from_secs(60),
            draft_ttl: Duration::from_secs(crate::drafts::DEFAULT_TTL_SECS as u64),
            kiosk_idle_secs: 180,
            kiosk_countdown_secs: 60,
            outbox_keep: Duration::from_secs(90 * 24 * 3600),
            login_timeout: Duration::from_secs(300),
            browser: None,
        })
    }

    /// How long a login may wait for the person: `login_timeout`, and on a kiosk no longer than an
    /// idle session lasts (`kiosk_idle_secs` + `kiosk_countdown_secs`), so that a login left
    /// half-typed closes, with what was typed, before the next person comes to the screen.
    pub fn login_wait(&self) -> Duration {
        let idle =
            Duration::from_secs(u64::from(self.kiosk_idle_secs) + u64::from(self.kiosk_countdown_secs));
        if self.kiosk {
            self.login_timeout.min(idle)
        } else {
            self.login_timeout
        }
    }

    /// An absolute URL under the API base, e.g. `endpoint("/api/v1/me")`.
    pub fn endpoint(&self, path: &str) -> String {
        format!("{}{}", self.api_base.as_str().trim_end_matches('/'), path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn accepts_https_and_loopback_http_only() {
        assert!(Config::with_api_base("https://shiye.example.cn").is_ok());
        assert!(Config::with_api_base("http://127.0.0.1:8710/").is_ok());
        assert!(Config::with_api_base("http://example.cn").is_err());
        assert!(Config::with_api_base("not a url").is_err());
        let c = Config::with_api_base("http://127.0.0.1:8710/").unwrap();
        assert_eq!(c.endpoint("/oauth/token"), "http://127.0.0.1:8710/oauth/token");
    }

    #[test]
    fn the_account_s_file_wins_over_the_machine_s_and_either_is_found() {
        let (user, system) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let place = |root: &Path| {
            std::fs::create_dir_all(root.join(IDENTIFIER)).unwrap();
            std::fs::write(root.join(IDENTIFIER).join(FILE_NAME), "kiosk = true\n").unwrap();
            root.join(IDENTIFIER).join(FILE_NAME)
        };
        let machine = vec![system.path().to_path_buf()];
        assert_eq!(file_path(Some(user.path().into()), &machine), None, "no file anywhere");
        let system_file = place(system.path());
        assert_eq!(file_path(Some(user.path().into()), &machine), Some(system_file.clone()));
        assert_eq!(file_path(None, &machine), Some(system_file));
        let user_file = place(user.path());
        assert_eq!(file_path(Some(user.path().into()), &machine), Some(user_file));
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn machine_folders_come_from_xdg_config_dirs_or_etc_xdg() {
        assert_eq!(system_config_dirs(None), vec![PathBuf::from("/etc/xdg")]);
        assert_eq!(system_config_dirs(Some("relative:".into())), vec![PathBuf::from("/etc/xdg")]);
        assert_eq!(
            system_config_dirs(Some("/opt/a:/opt/b".into())),
            vec![PathBuf::from("/opt/a"), PathBuf::from("/opt/b")]
        );
    }

    #[test]
    fn file_then_environment() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(
            &path,
            "api_base = \"https://shiye.example.cn\"\nkiosk = true\nrequest_timeout_secs = 5\n",
        )
        .unwrap();
        let c = Config::load(Some(&path), no_env).unwrap();
        assert_eq!(c.api_base.as_str(), "https://shiye.example.cn/");
        assert!(c.kiosk);
        assert_eq!(c.request_timeout, Duration::from_secs(5));
        let env = |k: &str| (k == "SHIYE_API_BASE").then(|| "http://127.0.0.1:9000".to_string());
        let c = Config::load(Some(&path), env).unwrap();
        assert_eq!(c.api_base.as_str(), "http://127.0.0.1:9000/");
        assert_eq!(c.issuer, "http://127.0.0.1:9000", "the API's by default");
        // An issuer is kept as written, a trailing slash included (it is compared exactly).
        let idp = |k: &str| (k == "SHIYE_IDENTITY_BASE").then(|| "https://login.example.cn/idp/".to_string());
        let c = Config::load(Some(&path), idp).unwrap();
        assert_eq!(
            (c.issuer.as_str(), c.endpoint("/api/v1/me").as_str(), c.clock_skew_secs),
            ("https://login.example.cn/idp/", "https://shiye.example.cn/api/v1/me", 120)
        );
        std::fs::write(&path, "clock_skew_secs = 30\n").unwrap();
        assert_eq!(Config::load(Some(&path), no_env).unwrap().clock_skew_secs, 30);
        std::fs::write(&path, "clock_skew_secs = 3600\n").unwrap();
        assert!(Config::load(Some(&path), no_env).unwrap_err().to_string().contains("clock_skew_secs"));
        std::fs::write(&path, "draft_ttl_days = 7\nrefresh_secs = 30\n").unwrap();
        let c = Config::load(Some(&path), no_env).unwrap();
        assert_eq!(
            (c.draft_ttl, c.refresh_interval),
            (Duration::from_secs(7 * 86_400), Duration::from_secs(30))
        );
        let defaults = Config::load(None, no_env).unwrap();
        assert_eq!((defaults.api_base.as_str(), defaults.kiosk), ("http://127.0.0.1:8710/", false));
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let err = |text: &str| {
            std::fs::write(&path, text).unwrap();
            Config::load(Some(&path), no_env).unwrap_err().to_string()
        };
        assert!(err("api_bass = \"x\"\n").contains("api_bass"), "unknown keys are named");
        assert!(err("api_base = \"http://example.cn\"\n").contains("https"));
        assert!(err("request_timeout_secs = 0\n").contains("request_timeout_secs"));
        assert!(Config::load(Some(&dir.path().join("missing.toml")), no_env)
            .unwrap_err()
            .to_string()
            .contains("无法读取"));
        let kiosk = |k: &str| (k == "SHIYE_KIOSK").then(|| "maybe".to_string());
        assert!(Config::load(None, kiosk).unwrap_err().to_string().contains("SHIYE_KIOSK"));
        assert!(err("draft_ttl_days = 0\n").contains("draft_ttl_days"));
        assert!(err("refresh_secs = 1\n").contains("refresh_secs"));
        assert!(err("kiosk_idle_secs = 0\n").contains("kiosk_idle_secs"));
        assert!(err("outbox_keep_days = 0\n").contains("outbox_keep_days"));
        let idle = |k: &str| (k == "SHIYE_KIOSK_IDLE_SECS").then(|| "5".to_string());
        std::fs::write(&path, "kiosk = true\nkiosk_idle_secs = 600\nkiosk_countdown_secs = 30\n").unwrap();
        let c = Config::load(Some(&path), idle).unwrap();
        assert_eq!((c.kiosk, c.kiosk_idle_secs, c.kiosk_countdown_secs), (true, 5, 30), "the variable wins");
        let defaults = Config::load(None, no_env).unwrap();
        assert_eq!((defaults.kiosk_idle_secs, defaults.kiosk_countdown_secs), (180, 60));
    }

    #[test]
    fn a_kiosk_login_waits_no_longer_than_an_idle_session() {
        let mut c = Config::with_api_base("http://127.0.0.1:8710").unwrap();
        assert_eq!(c.login_wait(), Duration::from_secs(300));
        c.kiosk = true;
        assert_eq!(c.login_wait(), Duration::from_secs(240), "180 s idle + 60 s countdown");
        c.login_timeout = Duration::from_secs(30);
        assert_eq!(c.login_wait(), Duration::from_secs(30));
    }
}
