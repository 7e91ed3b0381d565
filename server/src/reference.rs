//! `GET /api/v1/reference`: agencies, banks and option lists, with a strong ETag so clients
//! revalidate cheaply (304 on a matching If-None-Match).

use crate::auth::Subject;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// The serialised answer and its ETag, computed once per process.
fn answer() -> &'static (String, String) {
    static ANSWER: OnceLock<(String, String)> = OnceLock::new();
    ANSWER.get_or_init(|| {
        let body = serde_json::to_string(&shiye_core::reference::snapshot::snapshot())
            .unwrap_or_else(|_| "{}".into());
        let digest = Sha256::digest(body.as_bytes());
        let etag = format!("\"{}\"", digest[..12].iter().map(|b| format!("{b:02x}")).collect::<String>());
        (body, etag)
    })
}

pub async fn reference(_: Subject, headers: HeaderMap) -> Response {
    let (body, etag) = answer();
    let etag_value = HeaderValue::from_str(etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response();
    }
    (
        StatusCode::OK,
        [
            (header::ETAG, etag_value),
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
        ],
        body.clone(),
    )
        .into_response()
}
