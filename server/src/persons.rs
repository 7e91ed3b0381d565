//! Persons known to the identity platform: the seeded demo and test persons, credential checks and
//! the userinfo view. Passwords are stored as argon2id hashes.

use crate::db::Pool;
use crate::seal::{Lookup, Sealer};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use shiye_core::cn::id_number;
use shiye_core::person::{Gender, IdType, UserInfo};
use sqlx::Row;
use std::sync::LazyLock;

/// The password of every seeded person (demo and test data only).
pub const DEMO_PASSWORD: &str = "Shiye@2026";

/// One seeded person. ID numbers are fictitious but well-formed (GB 11643 check character
/// computed at seed time); phone numbers are in the 170 virtual-operator range.
pub struct Seed {
    pub subject: &'static str,
    pub name: &'static str,
    /// 证件类型.
    pub id_type: IdType,
    /// The first 17 characters of the ID number; the check character is computed.
    pub id_head: &'static str,
    pub phone: &'static str,
    /// Which path through the service this person exercises.
    pub persona: &'static str,
}

pub const SEEDS: &[Seed] = &[
    Seed {
        subject: "p-new-bj",
        id_type: IdType::ResidentIdCard,
        name: "王建国",
        id_head: "11010519850315001",
        phone: "17000000001",
        persona: "新近失业、符合领取条件（本市户籍）",
    },
    Seed {
        subject: "p-new-nonbj",
        id_type: IdType::ResidentIdCard,
        name: "李秀英",
        id_head: "13010219900708002",
        phone: "17000000002",
        persona: "新近失业、符合领取条件（非本市户籍）",
    },
    Seed {
        subject: "p-registered",
        id_type: IdType::ResidentIdCard,
        name: "张伟",
        id_head: "11010819881120003",
        phone: "17000000003",
        persona: "已办理失业登记",
    },
    Seed {
        subject: "p-receiving",
        id_type: IdType::ResidentIdCard,
        name: "刘芳",
        id_head: "11010619791002004",
        phone: "17000000004",
        persona: "正在领取失业保险金（已登记银行账户）",
    },
    Seed {
        subject: "p-ineligible",
        id_type: IdType::ResidentIdCard,
        name: "陈静",
        id_head: "11011419990101006",
        phone: "17000000006",
        persona: "缴费不满12个月，不符合申领条件",
    },
    Seed {
        subject: "p-hk",
        id_type: IdType::HmtResidencePermit,
        name: "陈嘉欣",
        id_head: "81000019920315002",
        phone: "17000000007",
        persona: "持港澳台居民居住证（香港）、新近失业、符合领取条件",
    },
    Seed {
        subject: "p-foreign",
        id_type: IdType::ForeignPermanentResidentCard,
        name: "安娜",
        id_head: "91164319880720002",
        phone: "17000000008",
        persona: "持外国人永久居留身份证、新近失业、符合领取条件",
    },
];

impl Seed {
    pub fn id_number(&self) -> String {
        let check = id_number::check_char(self.id_head).unwrap_or('?');
        format!("{}{}", self.id_head, check)
    }

    /// GB 11643: the 17th digit is odd for men, even for women.
    pub fn gender(&self) -> Gender {
        let seq = self.id_head.as_bytes()[16];
        if (seq - b'0') % 2 == 1 {
            Gender::Male
        } else {
            Gender::Female
        }
    }

    pub fn birth_date(&self) -> String {
        let d = &self.id_head[6..14];
        format!("{}-{}-{}", &d[0..4], &d[4..6], &d[6..8])
    }
}

fn hash_password(password: &str) -> String {
    let Ok(salt) = SaltString::encode_b64(&crate::secrets::random_bytes::<16>()) else {
        return String::new();
    };
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).unwrap_or_default()
}

/// Inserts the seeded persons that are not there yet. Idempotent.
pub async fn seed(db: &Pool, seal: &Sealer) -> crate::Result<()> {
    for s in SEEDS {
        let exists = sqlx::query("SELECT 1 FROM persons WHERE subject = $1")
            .bind(s.subject)
            .fetch_optional(db)
            .await?;
        if exists.is_none() {
            insert(db, seal, s, &hash_password(DEMO_PASSWORD)).await?;
        }
    }
    Ok(())
}

/// Stores a person with their personal data sealed and their lookup hashes (nothing if the
/// subject exists). `password_hash` is an argon2 PHC string.
pub async fn insert(db: &Pool, seal: &Sealer, s: &Seed, password_hash: &str) -> crate::Result<()> {
    sqlx::query(
        "INSERT INTO persons (subject, name, id_type, id_number, phone, gender, birth_date, password_hash, persona, id_lookup, phone_lookup)
         VALUES ($1, $2, $11, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (subject) DO NOTHING",
    )
    .bind(s.subject)
    .bind(seal.seal(s.name))
    .bind(seal.seal(&s.id_number()))
    .bind(seal.seal(s.phone))
    .bind(gender_code(s.gender()))
    .bind(seal.seal(&s.birth_date()))
    .bind(password_hash)
    .bind(s.persona)
    .bind(seal.lookup(Lookup::IdNumber, &s.id_number()))
    .bind(seal.lookup(Lookup::Phone, s.phone))
    .bind(shiye_core::code::of(&s.id_type))
    .execute(db)
    .await?;
    Ok(())
}

fn gender_code(g: Gender) -> &'static str {
    match g {
        Gender::Male => "male",
        Gender::Female => "female",
    }
}

/// A hash to verify against when the ID number is unknown, so that a wrong ID number and a wrong
/// password take the same time to answer.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| hash_password("not-a-password"));

/// Checks a login; returns the subject on success.
pub async fn authenticate(
    db: &Pool,
    seal: &Sealer,
    id_number: &str,
    password: &str,
) -> crate::Result<Option<String>> {
    let id_number = id_number.trim().to_ascii_uppercase();
    let row = sqlx::query("SELECT subject, password_hash FROM persons WHERE id_lookup = $1")
        .bind(seal.lookup(Lookup::IdNumber, &id_number))
        .fetch_optional(db)
        .await?;
    let (subject, stored) = match &row {
        Some(r) => (Some(r.get::<String, _>("subject")), r.get::<String, _>("password_hash")),
        None => (None, DUMMY_HASH.clone()),
    };
    let ok = PasswordHash::new(&stored)
        .map(|h| Argon2::default().verify_password(password.as_bytes(), &h).is_ok())
        .unwrap_or(false);
    Ok(subject.filter(|_| ok))
}

/// The subject registered with a (normalised) mobile number.
pub async fn by_phone(db: &Pool, seal: &Sealer, phone: &str) -> crate::Result<Option<String>> {
    let row = sqlx::query("SELECT subject FROM persons WHERE phone_lookup = $1")
        .bind(seal.lookup(Lookup::Phone, phone))
        .fetch_optional(db)
        .await?;
    Ok(row.map(|r| r.get("subject")))
}

/// The userinfo view of a person.
pub async fn userinfo<'c>(
    db: impl sqlx::Executor<'c, Database = sqlx::Any>,
    seal: &Sealer,
    subject: &str,
) -> crate::Result<Option<UserInfo>> {
    let row = sqlx::query(
        "SELECT subject, name, id_type, id_number, phone, gender, birth_date FROM persons WHERE subject = $1",
    )
    .bind(subject)
    .fetch_optional(db)
    .await?;
    let Some(r) = row else { return Ok(None) };
    let open = |col: &str| seal.open(r.get(col));
    Ok(Some(UserInfo {
        sub: r.get("subject"),
        name: open("name")?,
        id_type: shiye_core::code::parse(&r.get::<String, _>("id_type")).unwrap_or_default(),
        id_number: open("id_number")?,
        phone: open("phone")?,
        gender: if r.get::<String, _>("gender") == "male" { Gender::Male } else { Gender::Female },
        birth_date: open("birth_date")?,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_id_numbers_are_valid_and_consistent() {
        for s in SEEDS {
            let id = s.id_number();
            let today = shiye_core::date::Date::new(2026, 12, 1).unwrap();
            let parsed =
                id_number::parse_as(s.id_type, &id, today).unwrap_or_else(|e| panic!("{}: {e:?}", s.subject));
            assert_eq!(IdType::of_number(&id), Some(s.id_type), "{}", s.subject);
            assert_eq!(parsed.birth_date.map(|d| d.to_string()), Some(s.birth_date()));
            assert_eq!(parsed.gender, Some(s.gender()));
        }
        assert_eq!(SEEDS[0].gender(), Gender::Male);
        assert_eq!(SEEDS[1].gender(), Gender::Female);
    }
}
