//! Facts of the login contract that both the app and the reference identity provider must agree on.

use crate::api::{Gender, IdType, Session, UserInfo};
use serde::{Deserialize, Serialize};

/// The OAuth client id the app registers with the identity platform.
pub const CLIENT_ID: &str = "shiye-app";

/// Where the identity platform sends the browser back after login. The app's login window
/// intercepts navigation to this address and never loads it (RFC 8252 §7.3 loopback redirect).
pub const REDIRECT_URI: &str = "http://127.0.0.1/shiye/oauth/callback";

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

/// What userinfo answers (OpenID Connect Core §5.3–5.4): `sub` always, the rest by scope.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Claims {
    pub sub: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender: Option<Gender>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub birth_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_type: Option<IdType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_number: Option<String>,
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
