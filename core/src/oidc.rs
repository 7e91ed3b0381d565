//! Facts of the login contract that both the app and the reference identity provider must agree on.

use crate::person::{Gender, IdType, Session, UserInfo};
use serde::{Deserialize, Serialize};

/// The OAuth client id the app registers with the identity platform.
pub const CLIENT_ID: &str = "shiye-app";

/// The kiosk's redirect: its in-app login window intercepts navigation to this address and never
/// loads it. Also the pattern of the desktop's loopback redirect, which adds the port the app
/// listens on for the one redirect (RFC 8252 §7.3).
pub const REDIRECT_URI: &str = "http://127.0.0.1/shiye/oauth/callback";

/// The path of every loopback redirect.
pub const LOOPBACK_PATH: &str = "/shiye/oauth/callback";

/// The phones' private-use URI scheme (RFC 8252 §7.1: reverse domain name of the app's identifier).
pub const MOBILE_SCHEME: &str = "cn.gov.beijing.shiye";

/// The phones' redirect, routed back to the app by the OS (`tauri-plugin-deep-link`).
pub const MOBILE_REDIRECT_URI: &str = "cn.gov.beijing.shiye:/oauth/callback";

/// The loopback redirect of a listener on `port`.
pub fn loopback_redirect(port: u16) -> String {
    format!("http://127.0.0.1:{port}{LOOPBACK_PATH}")
}

/// The redirect URIs the app registers, as the provider shows them (`{port}`: any port).
pub const REGISTERED_REDIRECTS: &[&str] = &[
    "http://127.0.0.1:{port}/shiye/oauth/callback",
    "http://[::1]:{port}/shiye/oauth/callback",
    MOBILE_REDIRECT_URI,
];

/// Whether `uri` is one of the app's registered redirects: the private-use scheme URI exactly, or
/// a loopback IP literal (127.0.0.1 or [::1], never the name `localhost`, RFC 8252 §8.3) over
/// plain http with any port (§7.3: the provider MUST allow any) or none, the registered path,
/// and nothing else (no user, query or fragment).
pub fn redirect_registered(uri: &str) -> bool {
    if uri == MOBILE_REDIRECT_URI {
        return true;
    }
    let Some(rest) = uri.strip_prefix("http://") else { return false };
    let (authority, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if path != LOOPBACK_PATH {
        return false;
    }
    let host_port = |host: &str| match authority.strip_prefix(host) {
        Some("") => true,
        Some(p) => p.strip_prefix(':').is_some_and(|p| {
            !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit()) && p.parse::<u16>().is_ok()
        }),
        None => false,
    };
    host_port("127.0.0.1") || host_port("[::1]")
}

/// Scopes the app asks for: who the person is and their name (the greeting). Everything else the
/// service needs comes from the service API, not from the identity provider's claims.
pub const SCOPES: &[&str] = &["openid", "profile"];

/// Every scope the identity provider grants; any other asked for is dropped from the grant.
/// `profile`: 姓名, 性别, 出生日期; `phone`: 电话; `id_card`: 证件类型 and 证件号码 (this project's
/// scope: the ID number is sensitive personal information, released only when asked for).
pub const KNOWN_SCOPES: &[&str] = &["openid", "profile", "phone", "id_card"];

/// The scopes of a request that the provider grants, in its order, each once.
pub fn granted_scopes(asked: &str) -> String {
    let mut granted: Vec<&str> = Vec::new();
    for s in asked.split_ascii_whitespace() {
        if KNOWN_SCOPES.contains(&s) && !granted.contains(&s) {
            granted.push(s);
        }
    }
    granted.join(" ")
}

/// The token endpoint's answer (RFC 6749 §5.1; `id_token` for the authorization code grant,
/// OpenID Connect Core §3.1.3.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct TokenResponse {
    pub access_token: String,
    /// Always `Bearer`.
    pub token_type: String,
    /// Seconds. RFC 6749 §5.1 only recommends it: a provider may leave it out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<i64>,
    /// The reference provider always issues one, and rotates it on refresh.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    #[serde(default)]
    pub scope: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

/// An OAuth 2.0 error (RFC 6749 §5.2) or a bearer-token error (RFC 6750 §3.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OAuthError {
    pub error: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// The claims of an ID token (OpenID Connect Core §2), as the provider signs them. Read leniently:
/// members this type does not name are ignored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdTokenClaims {
    pub iss: String,
    pub sub: String,
    pub aud: Audience,
    /// The authorized party: required by the app when `aud` names more than one audience.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub azp: Option<String>,
    pub exp: i64,
    pub iat: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auth_time: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nonce: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

/// An ID token's `aud`: one audience as a string, or several as an array (OpenID Connect Core §2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Audience {
    One(String),
    Many(Vec<String>),
}

impl Audience {
    pub fn contains(&self, client_id: &str) -> bool {
        match self {
            Audience::One(a) => a == client_id,
            Audience::Many(all) => all.iter().any(|a| a == client_id),
        }
    }

    /// Whether audiences other than `client_id` are named too (then `azp` must name the client).
    pub fn others_than(&self, client_id: &str) -> bool {
        match self {
            Audience::One(a) => a != client_id,
            Audience::Many(all) => all.iter().any(|a| a != client_id),
        }
    }
}

impl From<&str> for Audience {
    fn from(a: &str) -> Self {
        Audience::One(a.to_string())
    }
}

/// OpenID Provider metadata (OpenID Connect Discovery 1.0 §3), what the reference provider
/// publishes and what the app reads from any provider: the members the app uses, the rest
/// ignored; only `issuer`, the authorization, token and JWKS endpoints are required of a provider.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProviderMetadata {
    pub issuer: String,
    pub authorization_endpoint: String,
    pub token_endpoint: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub userinfo_endpoint: Option<String>,
    pub jwks_uri: String,
    /// RFC 8414 §2 / RFC 7009: where the app revokes its tokens at logout.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub revocation_endpoint: Option<String>,
    #[serde(default)]
    pub revocation_endpoint_auth_methods_supported: Vec<String>,
    /// RFC 7662 / RFC 8414 §2: where a resource server checks the provider's access tokens.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub introspection_endpoint: Option<String>,
    #[serde(default)]
    pub id_token_signing_alg_values_supported: Vec<String>,
    #[serde(default)]
    pub response_types_supported: Vec<String>,
    #[serde(default)]
    pub grant_types_supported: Vec<String>,
    #[serde(default)]
    pub subject_types_supported: Vec<String>,
    #[serde(default)]
    pub code_challenge_methods_supported: Vec<String>,
    #[serde(default)]
    pub token_endpoint_auth_methods_supported: Vec<String>,
    #[serde(default)]
    pub scopes_supported: Vec<String>,
    #[serde(default)]
    pub claims_supported: Vec<String>,
    #[serde(default)]
    pub prompt_values_supported: Vec<String>,
    /// This project's addition: the redirect URIs registered for the app (client `shiye-app`).
    /// `{port}` stands for any port (RFC 8252 §7.3); the private-use scheme is for phones (§7.1).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shiye_app_redirect_uris: Vec<String>,
}

impl ProviderMetadata {
    /// The discovery document of an issuer (Discovery §4: a terminating `/` is removed first).
    pub fn url_for(issuer: &str) -> String {
        format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'))
    }

    /// The scopes the app asks for at this provider: `openid profile`, and `offline_access` when
    /// the provider offers it (many issue refresh tokens only for it).
    pub fn scopes(&self) -> Vec<&'static str> {
        let mut s = SCOPES.to_vec();
        if self.scopes_supported.iter().any(|x| x == OFFLINE_ACCESS) {
            s.push(OFFLINE_ACCESS);
        }
        s
    }
}

/// Whether `named` (what a provider says of itself, or a token's `iss`) is the issuer `configured`
/// by an operator: the same URL, a terminating `/` aside (Discovery §4 removes it before asking for
/// the metadata, and people type it either way).
pub fn same_issuer(named: &str, configured: &str) -> bool {
    named.trim_end_matches('/') == configured.trim_end_matches('/')
}

/// The scope that asks for a refresh token (OpenID Connect Core §11); the request must then
/// carry `prompt=consent`.
pub const OFFLINE_ACCESS: &str = "offline_access";

/// A JSON Web Key Set (RFC 7517 §5) of the ID-token signing keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Jwks {
    pub keys: Vec<Jwk>,
}

/// One public signing key as the reference provider publishes it: RSA (RFC 7518 §6.3: `n`, `e`)
/// or Ed25519 (RFC 8037 §2: `crv`, `x`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Jwk {
    /// `RSA` or `OKP`
    pub kty: String,
    /// `sig`
    #[serde(rename = "use")]
    pub use_: String,
    /// `RS256` or `EdDSA`
    pub alg: String,
    pub kid: String,
    /// RSA: the modulus, base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<String>,
    /// RSA: the public exponent, base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub e: Option<String>,
    /// OKP: `Ed25519`
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub crv: Option<String>,
    /// OKP: the public key, base64url.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub x: Option<String>,
}

/// What userinfo answers (OpenID Connect Core §5.3–5.4): `sub` always, the rest by scope, under
/// the standard claim names (§5.1; the earlier `birth_date` and `phone` are still read). Read
/// leniently, as from any provider: unknown members are ignored, and a `gender` other than
/// `male`/`female` (the standard allows any) is read as not given.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Claims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "lenient_gender", skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, rename = "birthdate", alias = "birth_date", skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, rename = "phone_number", alias = "phone", skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_type: Option<IdType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
}

/// A `gender` claim as this service's two values, any other value (or type) as not given.
fn lenient_gender<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Gender>, D::Error> {
    let any = serde_json::Value::deserialize(d)?;
    Ok(serde_json::from_value(any).ok())
}

impl Claims {
    /// The claims of `person` that the granted `scope` releases.
    pub fn released(person: &UserInfo, scope: &str) -> Claims {
        let has = |s: &str| scope.split_ascii_whitespace().any(|g| g == s);
        let mut c = Claims { sub: person.sub.clone(), ..Claims::default() };
        if has("profile") {
            c.name = Some(person.name.clone());
            c.gender = Some(person.gender);
            c.birth_date = Some(person.birth_date.clone());
        }
        if has("phone") {
            c.phone = Some(person.phone.clone());
        }
        if has("id_card") {
            c.id_type = Some(person.id_type);
            c.id_number = Some(person.id_number.clone());
        }
        c
    }
}

impl From<&Claims> for Session {
    fn from(c: &Claims) -> Self {
        Session { subject: c.sub.clone(), name: c.name.clone().unwrap_or_default() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn claims_of_any_provider_are_read_leniently() {
        let c: Claims = serde_json::from_value(serde_json::json!({
            "sub": "p1", "name": "张三", "given_name": "三", "birthdate": "1990-01-01",
            "gender": "other", "phone_number": "13900000000", "phone_number_verified": true,
            "updated_at": 1, "address": {"country": "CN"}
        }))
        .unwrap();
        assert_eq!(
            (c.gender, c.birth_date.as_deref(), c.phone.as_deref()),
            (None, Some("1990-01-01"), Some("13900000000"))
        );
        let old: Claims = serde_json::from_value(
            serde_json::json!({"sub": "p1", "birth_date": "1990-01-01", "phone": "1", "gender": "female"}),
        )
        .unwrap();
        assert_eq!((old.gender, old.birth_date.as_deref()), (Some(Gender::Female), Some("1990-01-01")));
        let t: TokenResponse =
            serde_json::from_value(serde_json::json!({"access_token": "a", "token_type": "Bearer"})).unwrap();
        assert_eq!(t.expires_in, None);
        let m: ProviderMetadata = serde_json::from_value(serde_json::json!({
            "issuer": "https://idp/", "authorization_endpoint": "https://idp/auth", "token_endpoint": "https://idp/token",
            "jwks_uri": "https://idp/jwks", "scopes_supported": ["openid", "offline_access"], "x": 1
        }))
        .unwrap();
        assert_eq!(m.scopes(), ["openid", "profile", "offline_access"]);
        assert_eq!(ProviderMetadata::url_for(&m.issuer), "https://idp/.well-known/openid-configuration");
        assert!(same_issuer(&m.issuer, "https://idp") && same_issuer("https://idp", "https://idp/"));
        assert!(!same_issuer("https://idp/a", "https://idp") && !same_issuer("http://idp", "https://idp"));
    }

    #[test]
    fn an_audience_is_a_string_or_an_array() {
        let one: Audience = serde_json::from_value(serde_json::json!("shiye-app")).unwrap();
        let many: Audience = serde_json::from_value(serde_json::json!(["shiye-app", "api"])).unwrap();
        assert!(one.contains("shiye-app") && !one.others_than("shiye-app"));
        assert!(many.contains("shiye-app") && many.others_than("shiye-app"));
        assert!(!Audience::from("other").contains("shiye-app"));
    }

    #[test]
    fn unknown_scopes_are_dropped_and_claims_follow_the_grant() {
        assert_eq!(granted_scopes("openid evil admin profile openid"), "openid profile");
        let person = crate::ipc::samples::user_info();
        let only_sub = Claims::released(&person, "openid");
        assert_eq!(only_sub, Claims { sub: person.sub.clone(), ..Claims::default() });
        let profile = Claims::released(&person, "openid profile");
        assert_eq!(
            (profile.name.as_deref(), profile.phone, profile.id_number),
            (Some(person.name.as_str()), None, None)
        );
        let all = Claims::released(&person, "openid profile phone id_card");
        assert_eq!(all.id_number.as_deref(), Some(person.id_number.as_str()));
        let json = serde_json::to_value(&only_sub).unwrap();
        assert_eq!(json, serde_json::json!({ "sub": person.sub }), "absent claims are not sent as null");
    }
}

#[cfg(test)]
mod redirect_tests {
    use super::*;

    #[test]
    fn loopback_on_any_port_and_the_private_scheme_are_registered_nothing_else() {
        for ok in [
            REDIRECT_URI,
            MOBILE_REDIRECT_URI,
            "http://127.0.0.1:1/shiye/oauth/callback",
            "http://127.0.0.1:49152/shiye/oauth/callback",
            "http://127.0.0.1:65535/shiye/oauth/callback",
            "http://[::1]:8080/shiye/oauth/callback",
            &loopback_redirect(50123),
        ] {
            assert!(redirect_registered(ok), "{ok}");
        }
        for bad in [
            "https://127.0.0.1:5000/shiye/oauth/callback",
            "http://localhost:5000/shiye/oauth/callback",
            "http://127.0.0.2:5000/shiye/oauth/callback",
            "http://127.0.0.1:65536/shiye/oauth/callback",
            "http://127.0.0.1:/shiye/oauth/callback",
            "http://127.0.0.1:80a/shiye/oauth/callback",
            "http://127.0.0.1:5000/shiye/oauth/callback/",
            "http://127.0.0.1:5000/shiye/oauth/callback?x=1",
            "http://127.0.0.1:5000/shiye/oauth/callback#x",
            "http://user@127.0.0.1:5000/shiye/oauth/callback",
            "http://127.0.0.1.evil.example/shiye/oauth/callback",
            "http://127.0.0.1@evil.example/shiye/oauth/callback",
            "cn.gov.beijing.shiye:/oauth/callback?x",
            "cn.gov.beijing.shiye://oauth/callback",
            "",
        ] {
            assert!(!redirect_registered(bad), "{bad}");
        }
    }
}
