//! The one error type that crosses the IPC boundary: app commands return it, the UI's `ipc.rs`
//! receives the same enum back. `message` is already user-facing Chinese text.

use serde::{Deserialize, Serialize};

/// What went wrong, as a category the UI can act on (e.g. offer to log in again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// No valid session: the user must log in (again).
    NotLoggedIn,
    /// The user closed the login window before finishing.
    LoginCancelled,
    /// The login answer did not belong to the request this app made (state mismatch).
    LoginRejected,
    /// The identity platform or the service API refused the request.
    Server,
    /// The server could not be reached.
    Network,
    /// The OS credential store failed.
    Keyring,
    /// The app's configuration is invalid.
    Config,
    /// A text the person must accept (用户通知, 承诺书) has a new version in force: they read and
    /// accept it before sending (what they filled in is kept).
    NoticeUpdated,
    /// Anything else; the message says what.
    Internal,
}

/// An error as the UI sees it: a category and a plain Chinese message naming what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommandError {
    pub kind: ErrorKind,
    pub message: String,
}

impl CommandError {
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Self { kind, message: message.into() }
    }
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CommandError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shape_is_kind_and_message() {
        let e = CommandError::new(ErrorKind::LoginRejected, "登录请求校验失败");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json, serde_json::json!({"kind": "login_rejected", "message": "登录请求校验失败"}));
        let back: CommandError = serde_json::from_value(json).unwrap();
        assert_eq!(back, e);
    }
}
