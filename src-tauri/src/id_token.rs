//! Verifying the identity platform's ID token (OpenID Connect Core §3.1.3.7): an EdDSA (Ed25519)
//! compact JWS whose key is published in the provider's JWKS, issued by the configured issuer, for
//! this client, carrying the nonce this login sent, and not expired.

use crate::{Error, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use serde::Deserialize;
use shiye_core::oidc::{IdTokenClaims as Claims, Jwks};

/// Clock skew tolerated between the app and the provider.
const SKEW_SECS: i64 = 120;

#[derive(Debug, Deserialize)]
struct Header {
    alg: String,
    kid: Option<String>,
}

fn bad(why: &str) -> Error {
    Error::IdToken(why.to_string())
}

/// What the token must say.
pub struct Expect<'a> {
    pub issuer: &'a str,
    pub client_id: &'a str,
    pub nonce: &'a str,
    pub now: i64,
}

/// Checks `token` against `jwks` and `expect`; returns its claims.
pub fn verify(token: &str, jwks: &Jwks, expect: &Expect) -> Result<Claims> {
    let mut parts = token.split('.');
    let (Some(h), Some(c), Some(s), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(bad("not a compact JWS"));
    };
    let decode = |p: &str| URL_SAFE_NO_PAD.decode(p).map_err(|_| bad("bad base64url"));
    let header: Header = serde_json::from_slice(&decode(h)?).map_err(|_| bad("bad header"))?;
    if header.alg != "EdDSA" {
        return Err(bad("unexpected alg"));
    }
    let jwk = jwks
        .keys
        .iter()
        .find(|k| k.kty == "OKP" && k.crv == "Ed25519" && Some(&k.kid) == header.kid.as_ref())
        .ok_or_else(|| bad("unknown key"))?;
    let x: [u8; 32] = decode(&jwk.x)?.try_into().map_err(|_| bad("bad key"))?;
    let key = VerifyingKey::from_bytes(&x).map_err(|_| bad("bad key"))?;
    let sig = Signature::from_slice(&decode(s)?).map_err(|_| bad("bad signature"))?;
    key.verify(format!("{h}.{c}").as_bytes(), &sig).map_err(|_| bad("signature does not verify"))?;
    let claims: Claims = serde_json::from_slice(&decode(c)?).map_err(|_| bad("bad claims"))?;
    let checks = [
        (claims.iss == expect.issuer, "wrong issuer"),
        (claims.aud == expect.client_id, "wrong audience"),
        (claims.nonce.as_deref() == Some(expect.nonce), "nonce does not match"),
        (claims.exp + SKEW_SECS >= expect.now, "expired"),
        (claims.iat - SKEW_SECS <= expect.now, "issued in the future"),
    ];
    match checks.iter().find(|(ok, _)| !ok) {
        Some((_, why)) => Err(bad(why)),
        None => Ok(claims),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ed25519_dalek::{Signer, SigningKey};

    fn sign(key: &SigningKey, kid: &str, claims: serde_json::Value) -> String {
        let h = URL_SAFE_NO_PAD.encode(serde_json::json!({"alg": "EdDSA", "kid": kid}).to_string());
        let c = URL_SAFE_NO_PAD.encode(claims.to_string());
        let s = URL_SAFE_NO_PAD.encode(key.sign(format!("{h}.{c}").as_bytes()).to_bytes());
        format!("{h}.{c}.{s}")
    }

    #[test]
    fn accepts_only_a_matching_signed_token() {
        let key = SigningKey::from_bytes(&[5; 32]);
        let jwks: Jwks = serde_json::from_value(serde_json::json!({"keys": [{
            "kty": "OKP", "crv": "Ed25519", "use": "sig", "alg": "EdDSA", "kid": "k1",
            "x": URL_SAFE_NO_PAD.encode(key.verifying_key().as_bytes())
        }]}))
        .unwrap();
        let expect = Expect { issuer: "http://idp", client_id: "shiye-app", nonce: "n1", now: 1000 };
        let claims = |nonce: &str, exp: i64| serde_json::json!({"iss": "http://idp", "sub": "p1", "aud": "shiye-app", "exp": exp, "iat": 990, "nonce": nonce});
        let good = sign(&key, "k1", claims("n1", 1600));
        assert_eq!(verify(&good, &jwks, &expect).unwrap().sub, "p1");
        let other_key = SigningKey::from_bytes(&[6; 32]);
        for (token, why) in [
            (sign(&key, "k1", claims("n2", 1600)), "nonce"),
            (sign(&key, "k1", claims("n1", 500)), "expired"),
            (sign(&other_key, "k1", claims("n1", 1600)), "signature"),
            (sign(&key, "k9", claims("n1", 1600)), "unknown key"),
            ("a.b".to_string(), "compact"),
        ] {
            let err = verify(&token, &jwks, &expect).unwrap_err().to_string();
            assert!(err.contains(why), "{why}: {err}");
        }
    }
}
