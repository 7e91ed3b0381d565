//! `Idempotency-Key` for POST requests, after the IETF httpapi draft: the first answer for a
//! (person, key) is stored and replayed; the same key with another body is 422; a key whose first
//! request is still running is 409; a missing key is 400. Keys are kept 30 days.

use crate::db;
use crate::db::Pool;
use crate::error::Error;
use axum::http::{HeaderMap, StatusCode};
use sha2::{Digest, Sha256};
use sqlx::Row;

pub const HEADER: &str = "idempotency-key";
/// How long answers are kept for replay.
pub const RETENTION_SECS: i64 = 30 * 24 * 3600;
/// A claim with no answer after this long was abandoned (the server stopped mid-request): the
/// next request with the key takes it over.
pub const ABANDONED_SECS: i64 = 60;

/// What to do with a request.
pub enum Claim {
    /// First time: process it, then `finish`.
    New { key: String },
    /// Already answered: send this again.
    Replay { status: StatusCode, body: String },
}

/// Reads and checks the header.
pub fn key(headers: &HeaderMap) -> Result<String, Error> {
    let key = headers
        .get(HEADER)
        .ok_or_else(|| Error::bad_request("idempotency_key_missing", "缺少 Idempotency-Key 请求头"))?
        .to_str()
        .map_err(|_| {
            Error::bad_request("idempotency_key_invalid", "Idempotency-Key 只能包含可见 ASCII 字符")
        })?
        .trim()
        .trim_matches('"')
        .to_string();
    if key.is_empty() || key.len() > 255 {
        return Err(Error::bad_request("idempotency_key_invalid", "Idempotency-Key 长度应为1至255个字符"));
    }
    Ok(key)
}

/// Claims `key` for this request, or says how to answer it.
pub async fn claim(db: &Pool, subject: &str, key: String, body: &[u8]) -> Result<Claim, Error> {
    let hash = Sha256::digest(body).to_vec();
    let now = db::now();
    sqlx::query("DELETE FROM idempotency WHERE created_at < $1")
        .bind(now - RETENTION_SECS)
        .execute(db)
        .await?;
    let inserted = sqlx::query(
        "INSERT INTO idempotency (subject, key, request_hash, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT(subject, key) DO NOTHING",
    )
    .bind(subject)
    .bind(&key)
    .bind(&hash)
    .bind(now)
    .execute(db)
    .await?
    .rows_affected();
    if inserted == 1 {
        return Ok(Claim::New { key });
    }
    let row =
        sqlx::query("SELECT request_hash, status, body FROM idempotency WHERE subject = $1 AND key = $2")
            .bind(subject)
            .bind(&key)
            .fetch_one(db)
            .await?;
    if row.get::<Vec<u8>, _>("request_hash") != hash {
        return Err(Error::Api {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "idempotency_key_reused",
            message: "该 Idempotency-Key 已用于另一份不同的申请".into(),
        });
    }
    match (row.get::<Option<i64>, _>("status"), row.get::<Option<String>, _>("body")) {
        (Some(status), Some(body)) => {
            Ok(Claim::Replay { status: StatusCode::from_u16(status as u16).unwrap_or(StatusCode::OK), body })
        }
        _ => {
            let taken_over = sqlx::query(
                "UPDATE idempotency SET created_at = $1 WHERE subject = $2 AND key = $3 AND status IS NULL AND created_at < $4",
            )
            .bind(now)
            .bind(subject)
            .bind(&key)
            .bind(now - ABANDONED_SECS)
            .execute(db)
            .await?
            .rows_affected();
            if taken_over == 1 {
                return Ok(Claim::New { key });
            }
            Err(Error::Api {
                status: StatusCode::CONFLICT,
                code: "idempotency_key_in_flight",
                message: "同一申请正在处理中，请稍后再查询".into(),
            })
        }
    }
}

/// Stores the answer for replay, in the transaction that made it.
pub async fn finish(
    tx: &mut crate::db::Tx,
    subject: &str,
    key: &str,
    status: StatusCode,
    body: &str,
) -> Result<(), Error> {
    sqlx::query("UPDATE idempotency SET status = $1, body = $2 WHERE subject = $3 AND key = $4")
        .bind(i64::from(status.as_u16()))
        .bind(body)
        .bind(subject)
        .bind(key)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Forgets a claim whose request failed on the server's side, so a retry can succeed.
pub async fn release(db: &Pool, subject: &str, key: &str) {
    let _ = sqlx::query("DELETE FROM idempotency WHERE subject = $1 AND key = $2 AND status IS NULL")
        .bind(subject)
        .bind(key)
        .execute(db)
        .await;
}
