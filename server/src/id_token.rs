//! Signed ID tokens (OpenID Connect Core §2) as compact JWS with EdDSA (Ed25519, RFC 8037), and
//! the JWKS that publishes the verification keys. The signing key is made on first start and
//! kept in the database.

use crate::db::Pool;
use crate::error::Error;
use crate::state::AppState;
use crate::{db, secrets};
use axum::extract::State;
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use shiye_core::oidc::{IdTokenClaims, Jwk, Jwks};
use sqlx::Row;

/// Lifetime of an ID token.
pub const TTL_SECS: i64 = 600;

/// The newest signing key, made if there is none.
pub async fn signing_key(db: &Pool) -> crate::Result<(String, SigningKey)> {
    if let Some(row) =
        sqlx::query("SELECT kid, secret FROM signing_keys ORDER BY created_at DESC, kid LIMIT 1")
            .fetch_optional(db)
            .await?
    {
        let secret: Vec<u8> = row.get("secret");
        if let Ok(bytes) = <[u8; 32]>::try_from(secret.as_slice()) {
            return Ok((row.get("kid"), SigningKey::from_bytes(&bytes)));
        }
    }
    let bytes = secrets::random_bytes::<32>();
    let kid = secrets::new_id()[..16].to_string();
    sqlx::query("INSERT INTO signing_keys (kid, secret, created_at) VALUES ($1, $2, $3)")
        .bind(&kid)
        .bind(bytes.to_vec())
        .bind(db::now())
        .execute(db)
        .await?;
    Ok((kid, SigningKey::from_bytes(&bytes)))
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// An ID token for `subject`, for `client_id`, echoing `nonce`.
/// `signer` is `signing_key`'s answer, read before the caller's write transaction began.
pub fn issue(
    state: &AppState,
    signer: &(String, SigningKey),
    subject: &str,
    client_id: &str,
    nonce: Option<&str>,
    name: Option<&str>,
) -> String {
    let (kid, key) = signer;
    let now = db::now();
    let header = serde_json::json!({ "alg": "EdDSA", "typ": "JWT", "kid": kid });
    let claims = IdTokenClaims {
        iss: state.issuer.to_string(),
        sub: subject.into(),
        aud: client_id.into(),
        azp: None,
        iat: now,
        auth_time: Some(now),
        exp: now + TTL_SECS,
        name: name.map(String::from),
        nonce: nonce.map(String::from),
    };
    let claims = serde_json::to_string(&claims).unwrap_or_default();
    let signing_input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.as_bytes()));
    let signature = key.sign(signing_input.as_bytes());
    format!("{signing_input}.{}", b64(&signature.to_bytes()))
}

/// `GET /oauth/jwks`
pub async fn jwks(State(state): State<AppState>) -> Result<Json<Jwks>, Error> {
    let rows = sqlx::query("SELECT kid, secret FROM signing_keys ORDER BY created_at DESC")
        .fetch_all(&state.db)
        .await?;
    let keys = rows
        .iter()
        .filter_map(|r| {
            let secret: Vec<u8> = r.get("secret");
            let key = SigningKey::from_bytes(&<[u8; 32]>::try_from(secret.as_slice()).ok()?);
            Some(Jwk {
                kty: "OKP".into(),
                crv: "Ed25519".into(),
                use_: "sig".into(),
                alg: "EdDSA".into(),
                kid: r.get("kid"),
                x: b64(key.verifying_key().as_bytes()),
            })
        })
        .collect();
    Ok(Json(Jwks { keys }))
}
