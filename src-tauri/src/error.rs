//! The app's one error type, and the single place where each case becomes the Chinese message
//! the user sees (`CommandError`). Messages never carry tokens or personal data.

use shiye_core::{CommandError, ErrorKind};

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("login cancelled before it finished")]
    LoginCancelled,
    #[error("login not finished in the browser within {0} s")]
    LoginTimedOut(u64),
    #[error("the browser could not be opened: {0}")]
    BrowserUnavailable(String),
    #[error("the login redirect listener failed: {0}")]
    Loopback(String),
    #[error("a login is already in progress")]
    LoginInProgress,
    #[error("login callback state does not match the request")]
    StateMismatch,
    #[error("identity provider refused the login: {0}")]
    LoginRefused(String),
    #[error("token exchange failed: {0}")]
    TokenExchange(String),
    #[error("no tokens stored")]
    NotLoggedIn,
    #[error("server answered HTTP {0}")]
    Status(u16),
    #[error("network: {0}")]
    Http(#[from] reqwest::Error),
    #[error("keyring: {0}")]
    Keyring(#[from] keyring::Error),
    #[error("stored data unreadable: {0}")]
    Corrupt(#[from] serde_json::Error),
    #[error("config: {0}")]
    Config(String),
    #[error("window: {0}")]
    Tauri(#[from] tauri::Error),
    #[error("storage: {0}")]
    Storage(#[from] sled::Error),
    #[error("a stored record cannot be unsealed")]
    Unsealable,
    #[error("the person's records are not known yet")]
    NoRecords,
    #[error("server refused: {0}")]
    Refused(String),
    #[error("ID token rejected: {0}")]
    IdToken(String),
    /// The identity platform answered, but not as the OpenID Connect standards say it must.
    #[error("identity platform protocol: {0}")]
    Provider(String),
    /// An item confirmed by an SMS code was submitted without a connection to the server.
    #[error("this item must be submitted online")]
    NeedsNetwork,
    /// A new version of a text the person accepted is in force (its title).
    #[error("a new version of a notice is in force")]
    NoticeUpdated(String),
}

impl Error {
    /// What kind of failure, for the operators' log: a fixed word, never data from the case.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::LoginCancelled => "login_cancelled",
            Error::LoginTimedOut(_) => "login_timed_out",
            Error::BrowserUnavailable(_) => "browser_unavailable",
            Error::Loopback(_) => "loopback",
            Error::LoginInProgress => "login_in_progress",
            Error::StateMismatch => "state_mismatch",
            Error::LoginRefused(_) => "login_refused",
            Error::TokenExchange(_) => "token_exchange",
            Error::NotLoggedIn => "not_logged_in",
            Error::Status(s) if *s >= 500 => "server_5xx",
            Error::Status(_) => "server_4xx",
            Error::Http(_) => "network",
            Error::Keyring(_) => "keyring",
            Error::Corrupt(_) => "corrupt",
            Error::Config(_) => "config",
            Error::Tauri(_) => "window",
            Error::Storage(_) => "storage",
            Error::Unsealable => "unsealable",
            Error::NoRecords => "no_records",
            Error::Refused(_) => "refused",
            Error::IdToken(_) => "id_token",
            Error::Provider(_) => "provider_protocol",
            Error::NeedsNetwork => "needs_network",
            Error::NoticeUpdated(_) => "notice_updated",
        }
    }
}

/// A command's failure reaches the UI as its `CommandError` (kind and Chinese message), never as
/// the error's own text.
impl serde::Serialize for Error {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        CommandError::from(self).serialize(serializer)
    }
}

impl From<Error> for CommandError {
    fn from(e: Error) -> Self {
        CommandError::from(&e)
    }
}

impl From<&Error> for CommandError {
    fn from(e: &Error) -> Self {
        use ErrorKind::*;
        let (kind, message) = match e {
            Error::LoginCancelled => (LoginCancelled, "登录已取消，尚未完成登录。".to_string()),
            Error::LoginTimedOut(secs) => (
                LoginCancelled,
                format!("登录超时：{}内未完成登录，登录页面已关闭，填写的内容已清除。请重新点击登录。", duration_zh(*secs)),
            ),
            Error::BrowserUnavailable(_) => (
                Config,
                "无法打开浏览器显示统一身份认证平台的登录页面，请确认本机已安装并设置了默认浏览器。".to_string(),
            ),
            Error::Loopback(_) => (Internal, "无法在本机接收登录结果，请重试。".to_string()),
            Error::LoginInProgress => {
                (Internal, "登录页面已经打开，请在该页面中完成登录，或取消后重新登录。".to_string())
            }
            Error::StateMismatch => (
                LoginRejected,
                "登录结果与本次登录请求不符（state 校验失败），已拒绝。请重新登录。".to_string(),
            ),
            Error::LoginRefused(code) => {
                (LoginRejected, format!("统一身份认证平台拒绝了登录请求（{code}），请重新登录。"))
            }
            Error::TokenExchange(_) => (Server, "登录凭证兑换失败，请重新登录。".to_string()),
            Error::NotLoggedIn => (NotLoggedIn, "尚未登录或登录已失效，请重新登录。".to_string()),
            Error::Status(401) => (NotLoggedIn, "登录已失效，请重新登录。".to_string()),
            Error::Status(code) => (Server, format!("服务器暂时无法处理请求（HTTP {code}），请稍后再试。")),
            Error::Http(_) => (Network, "无法连接服务器，请检查网络后重试。".to_string()),
            Error::Keyring(_) => {
                (Keyring, "无法访问系统凭据库（钥匙串），请确认系统密钥服务可用。".to_string())
            }
            Error::Corrupt(_) => (Internal, "本机保存的数据无法读取，请重新登录后再试。".to_string()),
            Error::Config(m) => (Config, format!("应用配置有误：{m}")),
            Error::Tauri(_) => (Internal, "无法打开登录窗口，请重试。".to_string()),
            Error::Storage(_) => (Internal, "本机存储读写失败，请检查磁盘空间后重试。".to_string()),
            Error::IdToken(_) => (
                LoginRejected,
                "统一身份认证平台返回的身份凭证校验未通过，已拒绝登录。请重新登录。".to_string(),
            ),
            Error::Provider(_) => (
                Server,
                "统一身份认证平台的应答不符合 OpenID Connect 规范，暂时无法登录。请稍后再试；如仍不能登录，请联系服务机构。"
                    .to_string(),
            ),
            Error::Refused(m) => (Server, m.clone()),
            Error::NeedsNetwork => (
                Network,
                "当前无法连接服务器。本事项需用短信验证码确认（5分钟内有效），不能离线提交；填写的内容已保存，请联网后重新获取验证码并提交。"
                    .to_string(),
            ),
            Error::NoticeUpdated(title) => (
                NoticeUpdated,
                format!("“{title}”已更新：请阅读并确认新版本后再提交。您填写的内容已保存。"),
            ),
            Error::NoRecords => (Network, "尚未获取您的办事记录，请联网并登录后再提交。".to_string()),
            Error::Unsealable => {
                (Internal, "本机保存的数据无法解密（可能来自其他设备或已损坏）。".to_string())
            }
        };
        CommandError::new(kind, message)
    }
}

/// "5分钟", "90秒".
fn duration_zh(secs: u64) -> String {
    if secs >= 60 && secs.is_multiple_of(60) {
        format!("{}分钟", secs / 60)
    } else {
        format!("{secs}秒")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_mismatch_is_a_rejected_login_in_chinese() {
        let c = CommandError::from(Error::StateMismatch);
        assert_eq!(c.kind, ErrorKind::LoginRejected);
        assert!(c.message.contains("state 校验失败"));
    }

    #[test]
    fn a_provider_answering_out_of_protocol_is_not_called_a_network_failure() {
        for e in
            [Error::Provider("discovery: unreadable answer".into()), Error::IdToken("unexpected alg".into())]
        {
            let c = CommandError::from(&e);
            assert_ne!(c.kind, ErrorKind::Network, "{e}");
            assert!(!c.message.contains("网络"), "{}", c.message);
            assert!(c.message.contains("统一身份认证平台"), "{}", c.message);
        }
    }

    #[test]
    fn a_timed_out_login_says_how_long_it_waited() {
        assert!(CommandError::from(Error::LoginTimedOut(300)).message.contains("5分钟内"));
        assert!(CommandError::from(Error::LoginTimedOut(3)).message.contains("3秒内"));
    }
}
