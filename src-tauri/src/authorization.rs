//! One authorization request of the code flow (RFC 6749 §4.1) with PKCE S256 (RFC 7636) and the
//! OpenID Connect nonce: its URL, the secrets that check and redeem its answer, and what the app
//! checks in the redirect that answers it.

use crate::{Error, Result};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use shiye_core::oidc::{CLIENT_ID, OFFLINE_ACCESS};
use url::Url;

pub struct AuthRequest {
    /// The provider's page for this request.
    pub url: Url,
    /// Where the provider sends the browser back.
    pub redirect_uri: String,
    /// Must come back in the redirect (CSRF, RFC 6749 §10.12).
    pub state: String,
    /// PKCE: sent with the code; only its S256 hash was in the request.
    pub verifier: String,
    /// Must come back in the ID token.
    pub nonce: String,
}

/// `N` random bytes from the OS, base64url without padding.
fn random<const N: usize>() -> String {
    URL_SAFE_NO_PAD.encode(crate::seal::random_bytes::<N>())
}

/// The S256 code challenge of a verifier (RFC 7636 §4.2).
pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

impl AuthRequest {
    /// A request to `authorize_endpoint` for `scopes`, answered at `redirect_uri`, with fresh
    /// secrets. Asking for `offline_access` (a refresh token) carries `prompt=consent` (OpenID
    /// Connect Core §11: a provider otherwise ignores it).
    pub fn new(authorize_endpoint: &str, redirect_uri: &str, scopes: &[&str]) -> Result<Self> {
        // 32 bytes: a 43-character verifier, the shortest RFC 7636 allows and plenty of entropy.
        let (state, verifier, nonce) = (random::<16>(), random::<32>(), random::<16>());
        let scope = scopes.join(" ");
        let consent = scopes.contains(&OFFLINE_ACCESS).then_some(("prompt", "consent"));
        let url = Url::parse_with_params(
            authorize_endpoint,
            [
                ("response_type", "code"),
                ("client_id", CLIENT_ID),
                ("state", &state),
                ("code_challenge", &challenge(&verifier)),
                ("code_challenge_method", "S256"),
                ("redirect_uri", redirect_uri),
                ("scope", &scope),
                ("nonce", &nonce),
            ]
            .into_iter()
            .chain(consent),
        )
        .map_err(|e| Error::Config(e.to_string()))?;
        Ok(AuthRequest { url, redirect_uri: redirect_uri.into(), state, verifier, nonce })
    }
}

/// What the app checks in the redirect: it must carry the state this login sent, then a code.
pub fn code_from_redirect(url: &Url, expected_state: &str) -> Result<String> {
    let param = |name: &str| url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned());
    // The state is checked first: an answer to someone else's request is rejected whatever it says.
    if param("state").as_deref() != Some(expected_state) {
        return Err(Error::StateMismatch);
    }
    if let Some(error) = param("error") {
        return Err(Error::LoginRefused(error));
    }
    param("code").ok_or_else(|| Error::LoginRefused("missing_code".into()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiye_core::oidc::REDIRECT_URI;

    fn url(s: &str) -> Url {
        Url::parse(s).unwrap()
    }

    #[test]
    fn redirect_must_carry_our_state() {
        let ok = code_from_redirect(&url(&format!("{REDIRECT_URI}?code=c1&state=s123")), "s123").unwrap();
        assert_eq!(ok, "c1");
        assert!(matches!(
            code_from_redirect(&url(&format!("{REDIRECT_URI}?code=c1&state=other")), "s123"),
            Err(Error::StateMismatch)
        ));
        assert!(matches!(
            code_from_redirect(&url(&format!("{REDIRECT_URI}?code=c1")), "s123"),
            Err(Error::StateMismatch)
        ));
        assert!(matches!(
            code_from_redirect(&url(&format!("{REDIRECT_URI}?error=access_denied&state=s123")), "s123"),
            Err(Error::LoginRefused(_))
        ));
    }

    #[test]
    fn a_request_carries_fresh_secrets_and_only_the_challenge() {
        let endpoint = "http://127.0.0.1:8710/oauth/authorize";
        let a = AuthRequest::new(endpoint, REDIRECT_URI, shiye_core::oidc::SCOPES).unwrap();
        let b = AuthRequest::new(endpoint, REDIRECT_URI, shiye_core::oidc::SCOPES).unwrap();
        assert_ne!((&a.state, &a.verifier, &a.nonce), (&b.state, &b.verifier, &b.nonce));
        assert_eq!(a.verifier.len(), 43);
        let q: std::collections::HashMap<String, String> = a.url.query_pairs().into_owned().collect();
        assert_eq!(q["code_challenge"], challenge(&a.verifier));
        assert_eq!(q["code_challenge_method"], "S256");
        assert_eq!((q["state"].as_str(), q["nonce"].as_str()), (a.state.as_str(), a.nonce.as_str()));
        assert_eq!(q["redirect_uri"], REDIRECT_URI);
        assert_eq!(q["scope"], "openid profile");
        assert!(!q.contains_key("prompt"));
        let offline =
            AuthRequest::new(endpoint, REDIRECT_URI, &["openid", "profile", OFFLINE_ACCESS]).unwrap();
        let q: std::collections::HashMap<String, String> = offline.url.query_pairs().into_owned().collect();
        assert_eq!((q["scope"].as_str(), q["prompt"].as_str()), ("openid profile offline_access", "consent"));
        assert!(!a.url.as_str().contains(&a.verifier), "the verifier never leaves the app");
        // RFC 7636 appendix B.
        assert_eq!(
            challenge("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"),
            "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM"
        );
    }
}
