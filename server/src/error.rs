//! The server's one error type and how each case answers over HTTP. Client mistakes are 4xx with
//! a machine-readable code; only storage faults are 5xx, and their details stay in the log.

use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::Json;
use shiye_core::api::ApiError;
use shiye_core::oidc::OAuthError;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An OAuth 2.0 error answered as JSON (RFC 6749 §5.2).
    #[error("oauth error {error}: {description}")]
    OAuth { status: StatusCode, error: &'static str, description: String },
    /// A bearer token was missing, unknown, expired or revoked (RFC 6750 §3).
    #[error("invalid bearer token")]
    InvalidToken,
    /// An error shown to a person in the browser (the authorize endpoint must not redirect to an
    /// unverified redirect URI, RFC 6749 §4.1.2.1).
    #[error("page error: {0}")]
    Page(StatusCode, String),
    /// An authorization error found once the redirect URI was verified: the browser is sent back
    /// to the client with `error` and `state` (RFC 6749 §4.1.2.1). Holds the whole target URL.
    #[error("authorization error redirected to the client")]
    AuthorizeRedirect(String),
    /// A service API error: status, a stable code, and a Chinese message.
    #[error("api error {code}: {message}")]
    Api { status: StatusCode, code: &'static str, message: String },
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    /// The server's configuration is unusable (e.g. no sealing key for PostgreSQL).
    #[error("configuration: {0}")]
    Config(String),
    /// A sealed value did not open with the server's key (wrong key file, or tampering).
    #[error("a sealed value could not be opened")]
    Sealed,
}

impl Error {
    pub fn invalid_grant(description: impl Into<String>) -> Self {
        Error::OAuth {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_grant",
            description: description.into(),
        }
    }

    pub fn invalid_request(description: impl Into<String>) -> Self {
        Error::OAuth {
            status: StatusCode::BAD_REQUEST,
            error: "invalid_request",
            description: description.into(),
        }
    }
}

impl Error {
    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Error::Api { status: StatusCode::BAD_REQUEST, code, message: message.into() }
    }

    pub fn not_found() -> Self {
        Error::Api { status: StatusCode::NOT_FOUND, code: "not_found", message: "未找到该记录".into() }
    }
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        match self {
            Error::OAuth { status, error, description } => (
                status,
                [(header::CACHE_CONTROL, "no-store")],
                Json(OAuthError { error: error.into(), error_description: Some(description) }),
            )
                .into_response(),
            Error::InvalidToken => (
                StatusCode::UNAUTHORIZED,
                [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")],
                Json(OAuthError { error: "invalid_token".into(), error_description: None }),
            )
                .into_response(),
            Error::Api { status, code, message } => {
                (status, Json(ApiError { error: code.into(), message })).into_response()
            }
            Error::Page(status, message) => (status, Html(crate::html::error_page(&message))).into_response(),
            Error::AuthorizeRedirect(to) => axum::response::Redirect::to(&to).into_response(),
            Error::Db(_) | Error::Migrate(_) | Error::Io(_) | Error::Config(_) | Error::Sealed => {
                tracing::error!(error = %self, "internal error");
                let body = ApiError {
                    error: "internal".into(),
                    message: "服务暂时不可用，请稍后再试".into(),
                };
                (StatusCode::INTERNAL_SERVER_ERROR, Json(body)).into_response()
            }
        }
    }
}
