//! Issued access and refresh tokens, kept as SHA-256 hashes: issuing a pair in a grant's family,
//! revoking a family, and resolving a bearer token to its subject and scope.

use crate::error::Error;
use crate::state::AppState;
use crate::{db, secrets};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use shiye_core::oidc::TokenResponse;
use sqlx::Row;

/// Lifetime of an access token.
pub const ACCESS_TTL_SECS: i64 = 900;
/// Lifetime of a refresh token.
pub const REFRESH_TTL_SECS: i64 = 7 * 24 * 3600;

/// What a token is issued for.
pub struct Grant<'a> {
    pub subject: &'a str,
    pub client_id: &'a str,
    pub scope: &'a str,
    /// The family its refreshes rotate in.
    pub family: &'a [u8],
}

/// Keeps one token of `kind` ("access" or "refresh"), hashed, valid `ttl` seconds from now.
pub async fn store(
    conn: &mut crate::db::Conn,
    secret: &str,
    kind: &str,
    grant: &Grant<'_>,
    ttl: i64,
) -> Result<(), Error> {
    sqlx::query(
        "INSERT INTO tokens (token_hash, kind, subject, client_id, scope, family, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(secrets::hash(secret))
    .bind(kind)
    .bind(grant.subject)
    .bind(grant.client_id)
    .bind(grant.scope)
    .bind(grant.family)
    .bind(db::now() + ttl)
    .execute(&mut *conn)
    .await?;
    Ok(())
}

/// Issues an access and a refresh token in `family` and answers with them (RFC 6749 §5.1).
pub async fn issue_tokens(
    conn: &mut crate::db::Conn,
    subject: &str,
    client_id: &str,
    scope: &str,
    family: &[u8],
    id_token: Option<&str>,
) -> Result<Response, Error> {
    let access = secrets::new_secret();
    let refresh = secrets::new_secret();
    let grant = Grant { subject, client_id, scope, family };
    store(conn, &access, "access", &grant, ACCESS_TTL_SECS).await?;
    store(conn, &refresh, "refresh", &grant, REFRESH_TTL_SECS).await?;
    let body = TokenResponse {
        access_token: access,
        token_type: "Bearer".into(),
        expires_in: Some(ACCESS_TTL_SECS),
        refresh_token: Some(refresh),
        scope: scope.into(),
        id_token: id_token.map(String::from),
    };
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}

pub async fn revoke_family(conn: &mut crate::db::Conn, family: &[u8]) -> Result<(), Error> {
    sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE family = $2 AND revoked_at IS NULL")
        .bind(db::now())
        .bind(family)
        .execute(conn)
        .await?;
    Ok(())
}

/// Resolves `Authorization: Bearer …` to the subject of a live access token.
pub async fn bearer_subject(state: &AppState, headers: &HeaderMap) -> Result<String, Error> {
    bearer_grant(state, headers).await.map(|(subject, _)| subject)
}

/// The bearer token of a request (RFC 6750 §2.1).
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "))
}

/// The subject and granted scope of a live access token.
pub async fn bearer_grant(state: &AppState, headers: &HeaderMap) -> Result<(String, String), Error> {
    let token = bearer(headers).ok_or(Error::InvalidToken)?;
    let row = sqlx::query(
        "SELECT subject, scope FROM tokens
         WHERE token_hash = $1 AND kind = 'access' AND revoked_at IS NULL AND expires_at >= $2",
    )
    .bind(secrets::hash(token.trim()))
    .bind(db::now())
    .fetch_optional(&state.db)
    .await?;
    row.map(|r| (r.get("subject"), r.get("scope"))).ok_or(Error::InvalidToken)
}
