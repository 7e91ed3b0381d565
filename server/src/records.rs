//! Each person's records (户籍, 失业登记, contributions, benefit) and the seeded starting state of
//! every demo person. Stored as the JSON of shiye-core's types; the full benefit account number
//! never leaves the server (the records carry only its mask).

use crate::db::{Conn, Pool};
use crate::seal::Sealer;
use shiye_core::cn::bank_card;
use shiye_core::date::Date;
use shiye_core::options::{BankCardType, HukouNature};
use shiye_core::records::{BenefitRecord, ContributionRecord, Records, SeparationReason};
use shiye_core::registration::Address;
use shiye_core::registration::RegistrationChange;
use shiye_core::services::ServiceKind;
use sqlx::Row;

fn date(y: u16, m: u8, d: u8) -> Date {
    Date::new(y, m, d).unwrap_or(Date { year: 2026, month: 1, day: 1 })
}

fn contribution(months: u32, reason: SeparationReason, employer: &str) -> Option<ContributionRecord> {
    Some(ContributionRecord {
        separation_reason: reason,
        contribution_months: months,
        last_employer: employer.to_string(),
        last_contribution_date: date(2026, 10, 31),
    })
}

/// The registration of a seeded registered person: a Beijing 户籍 (城镇), no qualification.
fn registered_in(district: &str, street: &str, address: &str) -> RegistrationChange {
    RegistrationChange {
        address: Address {
            household_province: Some("11".into()),
            household_city: Some("1101".into()),
            household_district: Some(district.into()),
            household_street: Some(street.into()),
            household_address: address.into(),
            ..Address::default()
        },
        hukou_nature: Some(HukouNature::BeijingUrban),
        ..RegistrationChange::default()
    }
}

/// The benefit account of the seeded person who is receiving benefit.
pub const SEEDED_BENEFIT_CARD: &str = "6212260200000000006";

/// The starting records of a seeded person, and the full benefit account number if any.
pub fn seeded(subject: &str) -> Option<(Records, Option<&'static str>)> {
    let base = |beijing_hukou| Records { beijing_hukou, ..Records::default() };
    Some(match subject {
        "p-new-bj" => (
            Records {
                contribution: contribution(40, SeparationReason::DismissedByEmployer, "北京星河软件有限公司"),
                ..base(true)
            },
            None,
        ),
        "p-new-nonbj" => (
            Records {
                contribution: contribution(30, SeparationReason::ContractExpired, "北京远航物流有限公司"),
                ..base(false)
            },
            None,
        ),
        "p-registered" => (
            Records {
                registered: true,
                registration: Some(registered_in("110108", "110108001", "海淀区中关村大街1号")),
                contribution: contribution(70, SeparationReason::EmployerClosed, "北京东方印刷厂"),
                ..base(true)
            },
            None,
        ),
        "p-receiving" => (
            Records {
                registered: true,
                registration: Some(registered_in("110106", "110106001", "丰台区丰台北路2号")),
                contribution: contribution(
                    130,
                    SeparationReason::DismissedByEmployer,
                    "北京华联商贸有限公司",
                ),
                benefit: Some(BenefitRecord {
                    claim_date: date(2026, 6, 1),
                    months_entitled: 24,
                    months_received: 5,
                    card_type: BankCardType::DebitCard,
                    bank_code: "ICBC".into(),
                    card_masked: bank_card::mask(SEEDED_BENEFIT_CARD),
                }),
                ..base(true)
            },
            Some(SEEDED_BENEFIT_CARD),
        ),
        "p-hk" => (
            Records {
                contribution: contribution(26, SeparationReason::ContractExpired, "北京港信咨询有限公司"),
                ..base(false)
            },
            None,
        ),
        "p-foreign" => (
            Records {
                contribution: contribution(20, SeparationReason::DismissedByEmployer, "北京国际学校有限公司"),
                ..base(false)
            },
            None,
        ),
        "p-ineligible" => (
            Records {
                contribution: contribution(8, SeparationReason::ContractExpired, "北京晨光餐饮有限公司"),
                ..base(true)
            },
            None,
        ),
        _ => return None,
    })
}

/// Inserts the seeded records that are not there yet.
pub async fn seed(db: &Pool, seal: &Sealer) -> crate::Result<()> {
    for s in crate::persons::SEEDS {
        let Some((records, card)) = seeded(s.subject) else { continue };
        let mut tx = crate::db::write(db).await?;
        let exists = sqlx::query("SELECT 1 FROM records WHERE subject = $1")
            .bind(s.subject)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            save(&mut tx, seal, s.subject, &records, card).await?;
        }
        tx.commit().await?;
    }
    Ok(())
}

fn json<T: serde::Serialize>(v: &Option<T>) -> Option<String> {
    v.as_ref().and_then(|v| serde_json::to_string(v).ok())
}

/// Stores a person's records; the full benefit card number sealed.
pub async fn save(
    conn: &mut Conn,
    seal: &Sealer,
    subject: &str,
    r: &Records,
    card: Option<&str>,
) -> crate::Result<()> {
    sqlx::query(
        "INSERT INTO records (subject, beijing_hukou, registered, contribution_json, benefit_json, benefit_card, registration_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT(subject) DO UPDATE SET beijing_hukou = excluded.beijing_hukou, registered = excluded.registered,
           contribution_json = excluded.contribution_json, benefit_json = excluded.benefit_json,
           benefit_card = excluded.benefit_card, registration_json = excluded.registration_json",
    )
    .bind(subject)
    .bind(i64::from(r.beijing_hukou))
    .bind(i64::from(r.registered))
    .bind(json(&r.contribution))
    .bind(json(&r.benefit))
    .bind(card.map(|c| seal.seal(c)))
    // The registered address is personal data: sealed like the card.
    .bind(json(&r.registration).map(|j| seal.seal(&j)))
    .execute(conn)
    .await?;
    Ok(())
}

/// A person's records and full benefit card number, with `open_claim` derived from their items.
pub async fn load(conn: &mut Conn, seal: &Sealer, subject: &str) -> crate::Result<(Records, Option<String>)> {
    // One round trip: the person's document (a 外国人永久居留身份证 holder has no 户籍: the forms
    // offer 外国 for it) and their records, if any.
    let row = sqlx::query(
        "SELECT p.id_type, r.subject AS has_records, r.beijing_hukou, r.registered, r.contribution_json, r.benefit_json,
                r.benefit_card, r.registration_json
         FROM persons p LEFT JOIN records r ON r.subject = p.subject WHERE p.subject = $1",
    )
    .bind(subject)
    .fetch_optional(&mut *conn)
    .await?;
    let foreign_national = row.as_ref().and_then(|r| shiye_core::code::parse(&r.get::<String, _>("id_type")))
        == Some(shiye_core::person::IdType::ForeignPermanentResidentCard);
    let Some(row) = row.filter(|r| r.get::<Option<String>, _>("has_records").is_some()) else {
        return Ok((Records { foreign_national, ..Records::default() }, None));
    };
    let parse = |col: &str| row.get::<Option<String>, _>(col);
    let open_claim = pending(conn, subject, ServiceKind::BenefitClaim).await?;
    let records = Records {
        beijing_hukou: row.get::<i64, _>("beijing_hukou") != 0,
        registered: row.get::<i64, _>("registered") != 0,
        open_claim,
        contribution: parse("contribution_json").and_then(|j| serde_json::from_str(&j).ok()),
        benefit: parse("benefit_json").and_then(|j| serde_json::from_str(&j).ok()),
        registration: match parse("registration_json") {
            Some(sealed) => serde_json::from_str(&seal.open(&sealed)?).ok(),
            None => None,
        },
        foreign_national,
    };
    let card = row.get::<Option<String>, _>("benefit_card").map(|c| seal.open(&c)).transpose()?;
    Ok((records, card))
}

/// Whether `subject` has an item of this kind waiting for a decision (an index lookup).
pub async fn pending(conn: &mut Conn, subject: &str, item: ServiceKind) -> crate::Result<bool> {
    Ok(sqlx::query("SELECT 1 AS one FROM items WHERE subject = $1 AND item = $2 AND status IN ('submitted', 'in_review')")
        .bind(subject)
        .bind(shiye_core::code::of(&item))
        .fetch_optional(&mut *conn)
        .await?
        .is_some())
}
