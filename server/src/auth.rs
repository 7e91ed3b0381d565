//! Who is calling: the bearer token of the service API resolved to the person it was issued to,
//! and the admin token of the review API.

use crate::error::Error;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use subtle::ConstantTimeEq;

/// The subject of a live access token.
pub struct Subject(pub String);

impl FromRequestParts<AppState> for Subject {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        match crate::token_store::bearer_subject(state, &parts.headers).await {
            Ok(subject) => Ok(Subject(subject)),
            // Not one of this provider's tokens: perhaps the trusted platform's.
            Err(Error::InvalidToken) => match (&state.external, crate::token_store::bearer(&parts.headers)) {
                (Some(external), Some(token)) => external.subject(token).await.map(Subject),
                _ => Err(Error::InvalidToken),
            },
            Err(e) => Err(e),
        }
    }
}

/// A request carrying the admin token (`Authorization: Bearer <admin token>`).
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = Error;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Error> {
        let given = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .unwrap_or_default();
        let ok: bool = given.as_bytes().ct_eq(state.admin_token.as_bytes()).into();
        if ok && !state.admin_token.is_empty() {
            Ok(Admin)
        } else {
            Err(Error::InvalidToken)
        }
    }
}
