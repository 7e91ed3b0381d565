//! Who the person is, as the identity platform knows them: 证件类型, 性别, the claims the service
//! reads (`UserInfo`) and what the app keeps of a signed-in person (`Session`).

use serde::{Deserialize, Serialize};

/// 证件类型: the documents the identity platform logs people in with.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum IdType {
    /// 居民身份证 (公民身份号码, GB 11643).
    #[default]
    ResidentIdCard,
    /// 港澳台居民居住证: 18 digits, 810000 / 820000 / 830000 then as a 公民身份号码.
    HmtResidencePermit,
    /// 外国人永久居留身份证: since 2023 18 digits with a leading 9 (MOD 11-2 check as GB 11643);
    /// earlier cards 15 characters (3 letters + 12 digits).
    ForeignPermanentResidentCard,
}

impl<'de> Deserialize<'de> for IdType {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        crate::code::one_of(d, &IdType::ALL)
    }
}

impl IdType {
    pub const ALL: [IdType; 3] =
        [IdType::ResidentIdCard, IdType::HmtResidencePermit, IdType::ForeignPermanentResidentCard];

    pub fn label_zh(self) -> &'static str {
        match self {
            IdType::ResidentIdCard => "居民身份证",
            IdType::HmtResidencePermit => "港澳台居民居住证",
            IdType::ForeignPermanentResidentCard => "外国人永久居留身份证",
        }
    }

    /// The document a number belongs to, read from its form (a leading 9, 81/82/83 0000, three
    /// letters); `None` for a number that is none of them.
    pub fn of_number(number: &str) -> Option<IdType> {
        let n = number.trim();
        let b = n.as_bytes();
        match (b.len(), b.first()) {
            (18, Some(b'9')) => Some(IdType::ForeignPermanentResidentCard),
            (18, _) if ["810000", "820000", "830000"].iter().any(|p| n.starts_with(p)) => {
                Some(IdType::HmtResidencePermit)
            }
            (18, _) => Some(IdType::ResidentIdCard),
            (15, _) if b[..3].iter().all(u8::is_ascii_alphabetic) => {
                Some(IdType::ForeignPermanentResidentCard)
            }
            _ => None,
        }
    }
}

/// 性别 as recorded by the identity platform.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Gender {
    Male,
    Female,
}

impl Gender {
    pub fn label_zh(self) -> &'static str {
        match self {
            Gender::Male => "男",
            Gender::Female => "女",
        }
    }
}

/// The identity platform's userinfo answer (OIDC `/oauth/userinfo`): the basic information the
/// manual says is "自动调用北京市统一身份认证平台信息".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UserInfo {
    /// Stable pseudonymous subject identifier (not the ID number).
    pub sub: String,
    /// 姓名
    pub name: String,
    /// 证件类型
    pub id_type: IdType,
    /// 证件号码
    pub id_number: String,
    /// 电话
    pub phone: String,
    /// 性别
    pub gender: Gender,
    /// 出生日期, ISO 8601 (YYYY-MM-DD)
    pub birth_date: String,
}

/// What the UI is told about the logged-in person. Deliberately holds no ID, card or phone number:
/// the webview keeps only what it must show on the greeting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Session {
    pub subject: String,
    pub name: String,
}

impl From<&UserInfo> for Session {
    fn from(u: &UserInfo) -> Self {
        Session { subject: u.sub.clone(), name: u.name.clone() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_round_trips_and_rejects_unknown_fields() {
        let u = UserInfo {
            sub: "s1".into(),
            name: "张三".into(),
            id_type: IdType::ResidentIdCard,
            id_number: "11010519491231002X".into(),
            phone: "13800000000".into(),
            gender: Gender::Female,
            birth_date: "1949-12-31".into(),
        };
        let json = serde_json::to_string(&u).unwrap();
        assert_eq!(serde_json::from_str::<UserInfo>(&json).unwrap(), u);
        let mut v: serde_json::Value = serde_json::from_str(&json).unwrap();
        v["extra"] = serde_json::json!(1);
        assert!(serde_json::from_value::<UserInfo>(v).is_err());
        assert_eq!(Session::from(&u), Session { subject: "s1".into(), name: "张三".into() });
    }
}
