//! Verifying an ID token from any conformant identity platform (OpenID Connect Core §3.1.3.7):
//! a compact JWS signed with RS256, PS256, ES256 or EdDSA (RFC 8037; `Ed25519` as RFC 9864 names
//! it) by a key of the provider's JWKS, issued by the expected issuer, for this client, carrying
//! the nonce this login sent, and current within the configured clock skew. The signature is
//! checked by `jsonwebtoken` (over ring); this module picks the key and checks the claims.

use crate::{Error, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk};
use jsonwebtoken::{Algorithm, DecodingKey};
use serde::Deserialize;
use shiye_core::oidc::IdTokenClaims as Claims;

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
    /// Clock difference tolerated between the device and the provider.
    pub skew_secs: i64,
}

/// One published key, with the members the app selects by read apart from the key itself.
#[derive(Clone)]
struct Key {
    kid: Option<String>,
    alg: Option<String>,
    use_: Option<String>,
    jwk: Jwk,
}

/// A provider's signing keys (RFC 7517 §5). Each key is read on its own: a key this app cannot
/// use (an encryption key, a type it does not know) is left out instead of failing the set.
#[derive(Clone, Default)]
pub struct KeySet {
    keys: Vec<Key>,
}

impl KeySet {
    /// Reads a JWKS document; `None` when it is not one (no `keys` array).
    pub fn parse(doc: &serde_json::Value) -> Option<KeySet> {
        let keys = doc.get("keys")?.as_array()?;
        let text = |v: &serde_json::Value, name: &str| v.get(name).and_then(|x| x.as_str()).map(String::from);
        let keys = keys
            .iter()
            .filter_map(|k| {
                let (kid, alg, use_) = (text(k, "kid"), text(k, "alg"), text(k, "use"));
                // `alg` and `use` are read here: the JOSE library knows fewer names than the registry.
                let mut bare = k.as_object()?.clone();
                bare.remove("alg");
                bare.remove("use");
                let jwk = serde_json::from_value(serde_json::Value::Object(bare)).ok()?;
                Some(Key { kid, alg, use_, jwk })
            })
            .collect();
        Some(KeySet { keys })
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Whether the set has a key the token could be signed with (else the provider may have
    /// rotated its keys, and the set is fetched again once).
    pub fn knows(&self, token: &str) -> bool {
        match parts(token).and_then(|(h, _, _)| header(h)) {
            Ok(header) => algorithm(&header.alg).is_ok_and(|alg| !self.candidates(&header, alg).is_empty()),
            Err(_) => true,
        }
    }

    /// The keys a token with `header` may be signed with: the one its `kid` names, or, without a
    /// `kid`, every signing key of the algorithm's type (OpenID Connect Core §10.1).
    fn candidates(&self, header: &Header, alg: Algorithm) -> Vec<&Key> {
        self.keys
            .iter()
            .filter(|k| header.kid.is_none() || k.kid == header.kid)
            .filter(|k| k.use_.as_deref().is_none_or(|u| u == "sig"))
            .filter(|k| k.alg.as_deref().is_none_or(|a| algorithm(a).ok() == Some(alg)))
            .filter(|k| fits(&k.jwk, alg))
            .collect()
    }
}

/// The algorithms an ID token may use; never `none` nor a MAC (a public client has no secret).
fn algorithm(name: &str) -> Result<Algorithm> {
    use Algorithm::*;
    Ok(match name {
        "RS256" => RS256,
        "RS384" => RS384,
        "RS512" => RS512,
        "PS256" => PS256,
        "PS384" => PS384,
        "PS512" => PS512,
        "ES256" => ES256,
        "ES384" => ES384,
        "EdDSA" | "Ed25519" => EdDSA,
        _ => return Err(bad("unexpected alg")),
    })
}

/// Whether a key's type can verify `alg`.
fn fits(jwk: &Jwk, alg: Algorithm) -> bool {
    use Algorithm::*;
    match (&jwk.algorithm, alg) {
        (AlgorithmParameters::RSA(_), RS256 | RS384 | RS512 | PS256 | PS384 | PS512) => true,
        (AlgorithmParameters::EllipticCurve(p), ES256) => p.curve == EllipticCurve::P256,
        (AlgorithmParameters::EllipticCurve(p), ES384) => p.curve == EllipticCurve::P384,
        (AlgorithmParameters::OctetKeyPair(p), EdDSA) => p.curve == EllipticCurve::Ed25519,
        _ => false,
    }
}

fn parts(token: &str) -> Result<(&str, &str, &str)> {
    let mut parts = token.split('.');
    match (parts.next(), parts.next(), parts.next(), parts.next()) {
        (Some(h), Some(c), Some(s), None) => Ok((h, c, s)),
        _ => Err(bad("not a compact JWS")),
    }
}

fn decode(part: &str) -> Result<Vec<u8>> {
    URL_SAFE_NO_PAD.decode(part).map_err(|_| bad("bad base64url"))
}

fn header(h: &str) -> Result<Header> {
    serde_json::from_slice(&decode(h)?).map_err(|_| bad("bad header"))
}

/// Checks `token` against `keys` and `expect`; returns its claims.
pub fn verify(token: &str, keys: &KeySet, expect: &Expect) -> Result<Claims> {
    let (h, c, s) = parts(token)?;
    let header = header(h)?;
    let alg = algorithm(&header.alg)?;
    let candidates = keys.candidates(&header, alg);
    if candidates.is_empty() {
        return Err(bad("unknown key"));
    }
    let message = format!("{h}.{c}");
    let signed = candidates.iter().any(|k| {
        DecodingKey::from_jwk(&k.jwk)
            .and_then(|key| jsonwebtoken::crypto::verify(s, message.as_bytes(), &key, alg))
            .unwrap_or(false)
    });
    if !signed {
        return Err(bad("signature does not verify"));
    }
    let claims: Claims = serde_json::from_slice(&decode(c)?).map_err(|_| bad("bad claims"))?;
    let checks = [
        (claims.iss == expect.issuer, "wrong issuer"),
        (claims.aud.contains(expect.client_id), "wrong audience"),
        // Core §3.1.3.7 (4, 5): with other audiences the authorized party must be this client.
        (
            match &claims.azp {
                Some(azp) => azp == expect.client_id,
                None => !claims.aud.others_than(expect.client_id),
            },
            "wrong authorized party",
        ),
        (claims.nonce.as_deref() == Some(expect.nonce), "nonce does not match"),
        (claims.exp + expect.skew_secs >= expect.now, "expired"),
        (claims.iat - expect.skew_secs <= expect.now, "issued in the future"),
    ];
    match checks.iter().find(|(ok, _)| !ok) {
        Some((_, why)) => Err(bad(why)),
        None => Ok(claims),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::EncodingKey;
    use ring::rand::SystemRandom;
    use ring::signature::{EcdsaKeyPair, Ed25519KeyPair, KeyPair, ECDSA_P256_SHA256_FIXED_SIGNING};
    use serde_json::{json, Value};

    const SKEW: i64 = 120;
    const NOW: i64 = 100_000;

    /// A signing key and its public JWK (without `kid`/`alg`, which each case sets).
    struct Signer {
        key: EncodingKey,
        public: Value,
    }

    fn b64(b: &[u8]) -> String {
        URL_SAFE_NO_PAD.encode(b)
    }

    fn rsa() -> Signer {
        let fixture: Value = serde_json::from_str(include_str!("../test-keys/rsa-2048.json")).unwrap();
        let der =
            base64::engine::general_purpose::STANDARD.decode(fixture["pkcs1_der"].as_str().unwrap()).unwrap();
        Signer {
            key: EncodingKey::from_rsa_der(&der),
            public: json!({"kty": "RSA", "n": fixture["n"], "e": fixture["e"]}),
        }
    }

    fn ec() -> Signer {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, &rng).unwrap();
        let pair = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, pkcs8.as_ref(), &rng).unwrap();
        let point = pair.public_key().as_ref();
        Signer {
            key: EncodingKey::from_ec_der(pkcs8.as_ref()),
            public: json!({"kty": "EC", "crv": "P-256", "x": b64(&point[1..33]), "y": b64(&point[33..65])}),
        }
    }

    fn ed() -> Signer {
        let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        let pair = Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).unwrap();
        Signer {
            key: EncodingKey::from_ed_der(pkcs8.as_ref()),
            public: json!({"kty": "OKP", "crv": "Ed25519", "x": b64(pair.public_key().as_ref())}),
        }
    }

    fn jwk(signer: &Signer, extra: Value) -> Value {
        let mut k = signer.public.clone();
        k.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        k
    }

    fn set(keys: Vec<Value>) -> KeySet {
        KeySet::parse(&json!({ "keys": keys })).unwrap()
    }

    fn claims() -> Value {
        json!({"iss": "https://idp.example/", "sub": "p1", "aud": "shiye-app", "exp": NOW + 600, "iat": NOW, "nonce": "n1", "given_name": "三"})
    }

    /// A token signed by `signer` with header `alg` (as written) and `kid`, over `claims`.
    fn token(signer: &Signer, alg: &str, kid: Option<&str>, claims: &Value) -> String {
        let mut header = json!({"alg": alg, "typ": "JWT"});
        if let Some(k) = kid {
            header["kid"] = json!(k);
        }
        let input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()));
        let sign_alg = algorithm(alg).unwrap();
        let sig = jsonwebtoken::crypto::sign(input.as_bytes(), &signer.key, sign_alg).unwrap();
        format!("{input}.{sig}")
    }

    fn expect() -> Expect<'static> {
        Expect {
            issuer: "https://idp.example/",
            client_id: "shiye-app",
            nonce: "n1",
            now: NOW,
            skew_secs: SKEW,
        }
    }

    fn check(token: &str, keys: &KeySet) -> std::result::Result<String, String> {
        verify(token, keys, &expect()).map(|c| c.sub).map_err(|e| e.to_string())
    }

    #[test]
    fn every_algorithm_a_provider_may_use_verifies_by_kid_or_by_key_type() {
        let (r, e, d) = (rsa(), ec(), ed());
        let mixed = set(vec![
            jwk(&r, json!({"kid": "r1", "alg": "RS256", "use": "sig"})),
            jwk(&e, json!({"kid": "e1"})),
            jwk(&d, json!({"kid": "d1", "alg": "EdDSA"})),
            // Keys the app cannot use are left out, not fatal: an encryption key, an unknown type.
            json!({"kty": "RSA", "use": "enc", "alg": "RSA-OAEP-256", "kid": "enc", "n": r.public["n"], "e": "AQAB"}),
            json!({"kty": "AKP", "alg": "ML-DSA-44", "kid": "pq", "pub": "AAAA"}),
        ]);
        assert_eq!(mixed.len(), 4, "the unknown key type is skipped, the rest kept");
        for (signer, alg, kid) in [
            (&r, "RS256", Some("r1")),
            (&r, "RS256", None),
            (&e, "ES256", Some("e1")),
            (&e, "ES256", None),
            (&d, "EdDSA", Some("d1")),
            (&d, "Ed25519", None),
        ] {
            assert_eq!(
                check(&token(signer, alg, kid, &claims()), &mixed),
                Ok("p1".into()),
                "{alg} kid {kid:?}"
            );
        }
        // A key whose `alg` says RS256 is not used for PS256 (RFC 7517 §4.4)...
        let ps = token(&r, "PS256", None, &claims());
        assert_eq!(check(&ps, &mixed), Err("ID token rejected: unknown key".into()));
        // ...a JWK without the optional `alg` (and without `kid`) serves both.
        let bare = set(vec![jwk(&r, json!({}))]);
        assert_eq!(check(&ps, &bare), Ok("p1".into()));
        assert_eq!(check(&token(&r, "RS256", None, &claims()), &bare), Ok("p1".into()));
        assert_eq!(
            check(&token(&r, "RS256", Some("any"), &claims()), &bare),
            Err("ID token rejected: unknown key".into())
        );
    }

    #[test]
    fn a_key_the_set_does_not_hold_is_unknown_so_the_set_is_fetched_again() {
        let (old, new) = (ec(), ec());
        let before = set(vec![jwk(&old, json!({"kid": "2025"}))]);
        let signed = token(&new, "ES256", Some("2026"), &claims());
        assert!(!before.knows(&signed));
        assert_eq!(check(&signed, &before), Err("ID token rejected: unknown key".into()));
        let rotated = set(vec![jwk(&old, json!({"kid": "2025"})), jwk(&new, json!({"kid": "2026"}))]);
        assert!(rotated.knows(&signed));
        assert_eq!(check(&signed, &rotated), Ok("p1".into()));
        // The same kid with a key of another type is not a candidate for this alg.
        assert!(!set(vec![jwk(&ed(), json!({"kid": "2026"}))]).knows(&signed));
    }

    #[test]
    fn refuses_what_the_standard_refuses() {
        let (r, other) = (rsa(), ec());
        let keys = set(vec![jwk(&r, json!({"kid": "r1"})), jwk(&ec(), json!({"kid": "e1"}))]);
        let with = |f: &dyn Fn(&mut Value)| {
            let mut c = claims();
            f(&mut c);
            token(&r, "RS256", Some("r1"), &c)
        };
        let tampered = {
            let good = token(&r, "RS256", Some("r1"), &claims());
            let (h, _, s) = parts(&good).unwrap();
            let mut c = claims();
            c["sub"] = json!("someone-else");
            format!("{h}.{}.{s}", b64(c.to_string().as_bytes()))
        };
        let unsigned = format!(
            "{}.{}.",
            b64(json!({"alg": "none"}).to_string().as_bytes()),
            b64(claims().to_string().as_bytes())
        );
        for (t, why) in [
            (tampered, "signature does not verify"),
            (token(&other, "ES256", Some("e1"), &claims()), "signature does not verify"),
            (unsigned, "unexpected alg"),
            (with(&|c| c["iss"] = json!("https://idp.example")), "wrong issuer"),
            (with(&|c| c["aud"] = json!("another-app")), "wrong audience"),
            (with(&|c| c["aud"] = json!(["another-app", "api"])), "wrong audience"),
            (with(&|c| c["aud"] = json!(["shiye-app", "api"])), "wrong authorized party"),
            (with(&|c| c["azp"] = json!("api")), "wrong authorized party"),
            (with(&|c| c["nonce"] = json!("n2")), "nonce does not match"),
            (with(&|c| c["exp"] = json!(NOW - SKEW - 1)), "expired"),
            (with(&|c| c["iat"] = json!(NOW + SKEW + 1)), "issued in the future"),
            ("a.b".to_string(), "not a compact JWS"),
        ] {
            assert_eq!(check(&t, &keys), Err(format!("ID token rejected: {why}")));
        }
        for (t, case) in [
            (with(&|c| c["aud"] = json!(["shiye-app"])), "aud as a one-member array"),
            (
                with(&|c| {
                    c["aud"] = json!(["shiye-app", "api"]);
                    c["azp"] = json!("shiye-app");
                }),
                "several audiences with azp",
            ),
            (with(&|c| c["exp"] = json!(NOW - SKEW)), "expired just inside the skew"),
            (with(&|c| c["iat"] = json!(NOW + SKEW)), "issued just inside the skew"),
        ] {
            assert_eq!(check(&t, &keys), Ok("p1".into()), "{case}");
        }
    }

    #[test]
    fn a_document_without_keys_is_not_a_key_set() {
        assert!(KeySet::parse(&json!({"error": "x"})).is_none());
        assert!(KeySet::parse(&json!({"keys": []})).unwrap().is_empty());
    }
}
