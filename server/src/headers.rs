//! Response headers every answer carries, by what it is: nothing is sniffed or referred anywhere;
//! HTML pages (the identity provider's login pages) may not be framed, run no script and load
//! nothing from elsewhere; answers that carry credentials or personal data are never cached (the
//! failed-login page shows the typed 证件号码 again, userinfo and `/me` are a person's data).

use axum::extract::Request;
use axum::http::{header, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// The login pages' policy: their own inline style, nothing else; no script at all; no framing.
pub const HTML_CSP: &str =
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'";

/// Paths whose answers are personal or secret whatever their type.
const NO_STORE_PATHS: &[&str] = &["/oauth/authorize", "/oauth/token", "/oauth/userinfo", "/api/v1/me"];

pub async fn protect(req: Request, next: Next) -> Response {
    let no_store_path = NO_STORE_PATHS.contains(&req.uri().path());
    let mut resp = next.run(req).await;
    let is_html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let h = resp.headers_mut();
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    if is_html {
        h.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(HTML_CSP));
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if is_html || no_store_path {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        h.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    }
    resp
}
