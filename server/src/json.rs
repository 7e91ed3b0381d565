//! JSON request bodies: only under a JSON content type (415 otherwise), and a parse failure
//! answered with a fixed description (400) — serde's own message can quote the input, which may
//! be personal data (an ID number typed into the wrong field).

use crate::error::Error;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request};
use axum::http::{header, HeaderMap, StatusCode};
use serde::de::DeserializeOwned;

/// `application/json`, or a `+json` type, with any parameters (charset).
pub fn require_json(headers: &HeaderMap) -> Result<(), Error> {
    let kind = headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let essence = kind.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    if essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json")) {
        Ok(())
    } else {
        Err(Error::Api {
            status: StatusCode::UNSUPPORTED_MEDIA_TYPE,
            code: "unsupported_media_type",
            message: "请求内容须为 JSON（Content-Type: application/json）".into(),
        })
    }
}

/// What went wrong, without a word of the input.
pub fn describe(e: &serde_json::Error) -> &'static str {
    match e.classify() {
        serde_json::error::Category::Io | serde_json::error::Category::Eof => "内容不完整",
        serde_json::error::Category::Syntax => "不是有效的 JSON",
        serde_json::error::Category::Data => "字段缺失、多余或取值不符",
    }
}

/// Parses a JSON body already read, for handlers that also need its bytes.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    serde_json::from_slice(body)
        .map_err(|e| Error::bad_request("invalid_body", format!("请求内容格式不正确：{}", describe(&e))))
}

/// The body as `T`, checked as above.
pub struct StrictJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for StrictJson<T> {
    type Rejection = Error;

    async fn from_request(req: Request, state: &S) -> Result<Self, Error> {
        require_json(req.headers())?;
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|_| Error::bad_request("invalid_body", "请求内容无法读取或过大"))?;
        parse(&bytes).map(StrictJson)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_types_only_and_parse_errors_never_quote_the_input() {
        let mut h = HeaderMap::new();
        assert!(require_json(&h).is_err());
        h.insert(header::CONTENT_TYPE, "text/plain".parse().unwrap());
        assert!(require_json(&h).is_err());
        h.insert(header::CONTENT_TYPE, "application/json; charset=utf-8".parse().unwrap());
        assert!(require_json(&h).is_ok());
        let Err(Error::Api { message, .. }) =
            parse::<shiye_core::api::SmsRequest>(br#"{"purpose":"110105194912310021"}"#)
        else {
            panic!("refused")
        };
        assert!(!message.contains("110105"), "{message}");
    }
}
