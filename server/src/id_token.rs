//! Signed ID tokens (OpenID Connect Core §2) as compact JWS — RS256 (RFC 7518 §3.3, the algorithm
//! OpenID Connect makes mandatory) by default, or EdDSA (Ed25519, RFC 8037) — and the JWKS that
//! publishes every verification key. One key of each algorithm is made on first start and kept in
//! the database sealed with the server's key; the newest of each signs, all are published, so
//! tokens signed before a rotation still verify.

use crate::db::Pool;
use crate::error::Error;
use crate::seal::Sealer;
use crate::state::AppState;
use crate::{db, secrets};
use axum::extract::State;
use axum::Json;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use ed25519_dalek::{Signer, SigningKey};
use ring::signature::{RsaKeyPair, RSA_PKCS1_SHA256};
use shiye_core::oidc::{IdTokenClaims, Jwk, Jwks};
use sqlx::Row;
use std::sync::Arc;

/// Lifetime of an ID token.
pub const TTL_SECS: i64 = 600;

/// The algorithms the provider signs ID tokens with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alg {
    Rs256,
    EdDsa,
}

impl Alg {
    pub const ALL: [Alg; 2] = [Alg::Rs256, Alg::EdDsa];

    /// The JOSE name (RFC 7518 §3.1, RFC 8037 §3.1).
    pub fn name(self) -> &'static str {
        match self {
            Alg::Rs256 => "RS256",
            Alg::EdDsa => "EdDSA",
        }
    }

    pub fn parse(name: &str) -> Option<Alg> {
        Alg::ALL.into_iter().find(|a| a.name() == name)
    }
}

/// A private key of either algorithm.
#[derive(Clone)]
enum Key {
    Rsa(Arc<RsaKeyPair>),
    Ed(Box<SigningKey>),
}

/// The newest key of each algorithm, with its `kid`.
#[derive(Clone)]
pub struct Signers {
    rsa: (String, Arc<RsaKeyPair>),
    ed: (String, SigningKey),
}

fn unusable(what: &str) -> Error {
    Error::Config(format!("signing key: {what}"))
}

/// A stored key's bytes: sealed text, or (written before keys were sealed) the raw key.
fn unseal(stored: &[u8], seal: &Sealer) -> crate::Result<(Vec<u8>, bool)> {
    match std::str::from_utf8(stored) {
        Ok(text) if Sealer::is_sealed(text) => {
            let raw = STANDARD.decode(seal.open(text)?).map_err(|_| unusable("not base64"))?;
            Ok((raw, true))
        }
        _ => Ok((stored.to_vec(), false)),
    }
}

fn key_of(alg: Alg, raw: &[u8]) -> crate::Result<Key> {
    match alg {
        Alg::Rs256 => {
            RsaKeyPair::from_der(raw).map(|k| Key::Rsa(Arc::new(k))).map_err(|_| unusable("bad RSA key"))
        }
        Alg::EdDsa => <[u8; 32]>::try_from(raw)
            .map(|b| Key::Ed(Box::new(SigningKey::from_bytes(&b))))
            .map_err(|_| unusable("bad Ed25519 key")),
    }
}

/// A new private key of `alg`, as stored (PKCS#1 DER for RSA, the 32-byte seed for Ed25519).
async fn new_key(alg: Alg) -> crate::Result<Vec<u8>> {
    match alg {
        Alg::EdDsa => Ok(secrets::random_bytes::<32>().to_vec()),
        Alg::Rs256 => tokio::task::spawn_blocking(|| {
            use rsa::pkcs1::EncodeRsaPrivateKey;
            let key = rsa::RsaPrivateKey::new(&mut rsa::rand_core::OsRng, 2048)
                .map_err(|_| unusable("RSA keygen"))?;
            key.to_pkcs1_der().map(|d| d.as_bytes().to_vec()).map_err(|_| unusable("RSA encoding"))
        })
        .await
        .map_err(|_| unusable("RSA keygen task"))?,
    }
}

/// Every stored key, newest first: (kid, alg, key). Keys stored before sealing are sealed now.
async fn stored_keys(db: &Pool, seal: &Sealer) -> crate::Result<Vec<(String, Alg, Key)>> {
    let rows = sqlx::query("SELECT kid, alg, secret FROM signing_keys ORDER BY created_at DESC, kid")
        .fetch_all(db)
        .await?;
    let mut keys = Vec::new();
    for r in rows {
        let kid: String = r.get("kid");
        let Some(alg) = Alg::parse(r.get::<&str, _>("alg")) else { continue };
        let (raw, sealed) = unseal(&r.get::<Vec<u8>, _>("secret"), seal)?;
        if !sealed {
            sqlx::query("UPDATE signing_keys SET secret = $1 WHERE kid = $2")
                .bind(seal.seal(&STANDARD.encode(&raw)).into_bytes())
                .bind(&kid)
                .execute(db)
                .await?;
        }
        keys.push((kid, alg, key_of(alg, &raw)?));
    }
    Ok(keys)
}

/// The newest key of each algorithm, made if there is none.
pub async fn signers(db: &Pool, seal: &Sealer) -> crate::Result<Signers> {
    let mut keys = stored_keys(db, seal).await?;
    for alg in Alg::ALL {
        if keys.iter().any(|(_, a, _)| *a == alg) {
            continue;
        }
        let raw = new_key(alg).await?;
        let kid = secrets::new_id()[..16].to_string();
        sqlx::query("INSERT INTO signing_keys (kid, alg, secret, created_at) VALUES ($1, $2, $3, $4)")
            .bind(&kid)
            .bind(alg.name())
            .bind(seal.seal(&STANDARD.encode(&raw)).into_bytes())
            .bind(db::now())
            .execute(db)
            .await?;
        keys.push((kid, alg, key_of(alg, &raw)?));
    }
    let rsa = keys.iter().find_map(|(kid, _, k)| match k {
        Key::Rsa(k) => Some((kid.clone(), k.clone())),
        Key::Ed(_) => None,
    });
    let ed = keys.iter().find_map(|(kid, _, k)| match k {
        Key::Ed(k) => Some((kid.clone(), (**k).clone())),
        Key::Rsa(_) => None,
    });
    match (rsa, ed) {
        (Some(rsa), Some(ed)) => Ok(Signers { rsa, ed }),
        _ => Err(unusable("missing")),
    }
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// What an ID token says.
pub struct Subject<'a> {
    pub subject: &'a str,
    pub client_id: &'a str,
    pub nonce: Option<&'a str>,
    /// Only when the grant's scope releases it (`profile`).
    pub name: Option<&'a str>,
}

/// An ID token signed with the provider's `alg` (`AppState::id_token_alg`) by its key.
pub fn issue(state: &AppState, who: &Subject) -> String {
    let signers = &state.signers;
    let now = db::now();
    let alg = state.id_token_alg;
    let kid = match alg {
        Alg::Rs256 => &signers.rsa.0,
        Alg::EdDsa => &signers.ed.0,
    };
    let header = serde_json::json!({ "alg": alg.name(), "typ": "JWT", "kid": kid });
    let claims = IdTokenClaims {
        iss: state.issuer.to_string(),
        sub: who.subject.into(),
        aud: who.client_id.into(),
        azp: None,
        iat: now,
        auth_time: Some(now),
        exp: now + TTL_SECS,
        name: who.name.map(String::from),
        nonce: who.nonce.map(String::from),
    };
    let claims = serde_json::to_string(&claims).unwrap_or_default();
    let signing_input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.as_bytes()));
    let signature = match alg {
        Alg::Rs256 => {
            let key = &signers.rsa.1;
            let mut sig = vec![0; key.public().modulus_len()];
            // Fails only if the buffer were the wrong size, which it is not.
            let _ = key.sign(
                &RSA_PKCS1_SHA256,
                &ring::rand::SystemRandom::new(),
                signing_input.as_bytes(),
                &mut sig,
            );
            sig
        }
        Alg::EdDsa => signers.ed.1.sign(signing_input.as_bytes()).to_bytes().to_vec(),
    };
    format!("{signing_input}.{}", b64(&signature))
}

/// `GET /oauth/jwks`: every key's public half.
pub async fn jwks(State(state): State<AppState>) -> Result<Json<Jwks>, Error> {
    let keys = stored_keys(&state.db, &state.seal).await?;
    let keys = keys
        .into_iter()
        .map(|(kid, alg, key)| {
            let base = Jwk {
                kty: String::new(),
                use_: "sig".into(),
                alg: alg.name().into(),
                kid,
                n: None,
                e: None,
                crv: None,
                x: None,
            };
            match key {
                Key::Rsa(k) => {
                    let c: ring::rsa::PublicKeyComponents<Vec<u8>> = k.public().into();
                    Jwk { kty: "RSA".into(), n: Some(b64(&c.n)), e: Some(b64(&c.e)), ..base }
                }
                Key::Ed(k) => Jwk {
                    kty: "OKP".into(),
                    crv: Some("Ed25519".into()),
                    x: Some(b64(k.verifying_key().as_bytes())),
                    ..base
                },
            }
        })
        .collect();
    Ok(Json(Jwks { keys }))
}
