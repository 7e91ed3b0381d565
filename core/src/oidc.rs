//! Facts of the login contract that both the app and the reference identity provider must agree on.

/// The OAuth client id the app registers with the identity platform.
pub const CLIENT_ID: &str = "shiye-app";

/// Where the identity platform sends the browser back after login. The app's login window
/// intercepts navigation to this address and never loads it (RFC 8252 §7.3 loopback redirect).
pub const REDIRECT_URI: &str = "http://127.0.0.1/shiye/oauth/callback";

/// Scopes the app asks for.
pub const SCOPES: &[&str] = &["openid", "profile", "phone"];
