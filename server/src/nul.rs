//! Text a database cannot store, refused at the edge: PostgreSQL refuses the NUL character in
//! `text` (SQLite takes it), so a NUL anywhere in a request — the path or query (`%00`), or the
//! body (the byte itself, JSON's `\u0000`, a form's `%00`) — is answered 400 before any handler
//! reads it, alike on both databases.

use crate::error::Error;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

fn refused() -> Response {
    Error::bad_request("invalid_characters", "请求中含有不允许的字符（NUL），请删除后重试").into_response()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle))
}

/// Whether a body holds a NUL, in the encodings its content type allows.
pub fn body_has_nul(body: &[u8], form: bool) -> bool {
    body.contains(&0) || contains(body, br"\u0000") || (form && contains(body, b"%00"))
}

/// The layer: checks the URI, then reads the body (already held to the body limit) and hands it on.
pub async fn refuse(req: Request, next: Next) -> Response {
    let uri = req.uri();
    if contains(uri.path().as_bytes(), b"%00") || uri.query().is_some_and(|q| contains(q.as_bytes(), b"%00"))
    {
        return refused();
    }
    let form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/x-www-form-urlencoded"));
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, usize::MAX).await else {
        return Error::Api {
            status: StatusCode::PAYLOAD_TOO_LARGE,
            code: "body_too_large",
            message: "请求内容过大".into(),
        }
        .into_response();
    };
    if body_has_nul(&bytes, form) {
        return refused();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_in_any_encoding_is_found() {
        assert!(body_has_nul(b"{\"a\": \"x\\u0000\"}", false));
        assert!(body_has_nul(b"a\0b", false));
        assert!(body_has_nul(b"reason=%00", true));
        assert!(!body_has_nul(b"{\"rate\": \"100%00\"}", false), "a JSON text may say %00");
        assert!(!body_has_nul(b"{\"a\": \"\\u4e00\"}", false));
    }
}
