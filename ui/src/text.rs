//! Every user-facing string of the UI, in one place so a second language can be added.

pub const APP_TITLE: &str = "失业“一件事”";
pub const APP_SUBTITLE: &str = "失业登记、求职登记、失业保险金申领一次办";
pub const LOGIN_HEADING: &str = "登录";
pub const LOGIN_INTRO: &str = "办理失业“一件事”前，请先使用北京市统一身份认证平台账号登录。";
pub const LOGIN_BUTTON: &str = "登录北京市统一身份认证平台";
pub const LOGIN_BUSY: &str = "请在弹出的登录窗口中完成登录…";
pub const ERROR_TITLE: &str = "登录未完成";
pub const GREETING_PREFIX: &str = "您好，";
pub const GREETING_SUFFIX: &str = "";
pub const LOGGED_IN_NOTE: &str = "您已通过北京市统一身份认证平台登录。";
