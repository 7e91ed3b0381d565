//! SMS verification codes: 6 digits, valid 5 minutes, single use, bound to a purpose; at most one
//! request a minute per purpose and ten an hour per person (429 with Retry-After); five wrong guesses burn a
//! code. Codes are stored hashed; the "sent" messages go to an outbox table standing in for the
//! SMS gateway, which the admin API exposes so demos and tests can read them.

use crate::auth::{Admin, Subject};
use crate::db::Conn;
use crate::error::Error;
use crate::seal::Sealer;
use crate::state::AppState;
use crate::throttle::SMS_RESEND_SECS;
use crate::{db, persons};
use axum::extract::{Path, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sha2::{Digest, Sha256};
use shiye_core::api::{SmsPurpose, SmsRequest, SmsSent};
use shiye_core::cn::mobile;
use shiye_core::code;
use sqlx::Row;
use subtle::ConstantTimeEq;

pub const TTL_SECS: i64 = 300;
pub const MAX_PER_HOUR: i64 = 10;
pub const MAX_ATTEMPTS: i64 = 5;

fn hash(subject: &str, code: &str) -> Vec<u8> {
    Sha256::digest(format!("{subject}:{code}").as_bytes()).to_vec()
}

/// Why a code was not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// No live code for this purpose (never sent, expired or used).
    NoCode,
    Wrong,
    /// Too many wrong guesses: the code is burned.
    Locked,
}

impl Refused {
    pub fn detail_zh(self) -> &'static str {
        match self {
            Refused::NoCode => "已失效或未获取，请重新获取",
            Refused::Wrong => "不正确，请核对后重新输入",
            Refused::Locked => "错误次数过多，请重新获取",
        }
    }
}

/// Makes and "sends" a code; `Err(seconds)` when the person must wait that long first.
pub async fn send(
    conn: &mut Conn,
    seal: &Sealer,
    subject: &str,
    purpose: SmsPurpose,
) -> Result<Result<(), i64>, Error> {
    let now = db::now();
    let row = sqlx::query(
        "SELECT MAX(CASE WHEN purpose = $3 THEN created_at END) AS last, COUNT(*) AS n
         FROM sms_codes WHERE subject = $1 AND created_at > $2",
    )
    .bind(subject)
    .bind(now - 3600)
    .bind(code::of(&purpose))
    .fetch_one(&mut *conn)
    .await?;
    let last: Option<i64> = row.get("last");
    if let Some(last) = last.filter(|l| now - l < SMS_RESEND_SECS) {
        return Ok(Err(SMS_RESEND_SECS - (now - last)));
    }
    if row.get::<i64, _>("n") >= MAX_PER_HOUR {
        return Ok(Err(3600));
    }
    let code = format!("{:06}", crate::secrets::random_below(1_000_000));
    sqlx::query(
        "INSERT INTO sms_codes (subject, purpose, code_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(subject)
    .bind(code::of(&purpose))
    .bind(hash(subject, &code))
    .bind(now)
    .bind(now + TTL_SECS)
    .execute(&mut *conn)
    .await?;
    let text = format!(
        "【北京人社】您正在办理{}，验证码为{code}，5分钟内有效，请勿告诉他人。如非本人操作，请忽略本短信。",
        purpose.label_zh()
    );
    sqlx::query("INSERT INTO sms_outbox (subject, purpose, text, sent_at) VALUES ($1, $2, $3, $4)")
        .bind(subject)
        .bind(code::of(&purpose))
        .bind(seal.seal(&text))
        .bind(now)
        .execute(&mut *conn)
        .await?;
    Ok(Ok(()))
}

/// Checks and spends a code.
pub async fn verify(
    conn: &mut Conn,
    subject: &str,
    purpose: SmsPurpose,
    code: &str,
) -> Result<Result<(), Refused>, Error> {
    let row = sqlx::query(
        "SELECT id, code_hash, attempts FROM sms_codes
         WHERE subject = $1 AND purpose = $2 AND used_at IS NULL AND expires_at >= $3 ORDER BY id DESC LIMIT 1",
    )
    .bind(subject)
    .bind(code::of(&purpose))
    .bind(db::now())
    .fetch_optional(&mut *conn)
    .await?;
    let Some(row) = row else { return Ok(Err(Refused::NoCode)) };
    let id: i64 = row.get("id");
    if row.get::<i64, _>("attempts") >= MAX_ATTEMPTS {
        return Ok(Err(Refused::Locked));
    }
    let ok: bool = hash(subject, code.trim()).ct_eq(&row.get::<Vec<u8>, _>("code_hash")).into();
    if !ok {
        sqlx::query("UPDATE sms_codes SET attempts = attempts + 1 WHERE id = $1")
            .bind(id)
            .execute(&mut *conn)
            .await?;
        return Ok(Err(Refused::Wrong));
    }
    // Spent only if nobody spent it in between (another request, another server instance).
    let spent = sqlx::query("UPDATE sms_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL")
        .bind(db::now())
        .bind(id)
        .execute(&mut *conn)
        .await?
        .rows_affected();
    Ok(if spent == 1 { Ok(()) } else { Err(Refused::NoCode) })
}

fn too_many(wait: i64) -> Response {
    let mut resp = Error::Api {
        status: StatusCode::TOO_MANY_REQUESTS,
        code: "sms_rate_limited",
        message: format!("验证码发送过于频繁，请{wait}秒后再试"),
    }
    .into_response();
    if let Ok(v) = HeaderValue::from_str(&wait.to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

pub async fn request(
    State(state): State<AppState>,
    Subject(subject): Subject,
    crate::json::StrictJson(req): crate::json::StrictJson<SmsRequest>,
) -> Result<Response, Error> {
    if req.purpose == SmsPurpose::Login {
        return Err(Error::bad_request("wrong_purpose", "登录验证码请在统一身份认证平台的登录页面获取"));
    }
    let user = persons::userinfo(&state.db, &state.seal, &subject).await?.ok_or(Error::InvalidToken)?;
    // The rate check and the insert under the write lock: two requests at once cannot both pass.
    let mut tx = db::write_for(&state.db, &subject).await?;
    let sent = send(&mut tx, &state.seal, &subject, req.purpose).await?;
    tx.commit().await?;
    match sent {
        Err(wait) => Ok(too_many(wait)),
        Ok(()) => Ok((
            StatusCode::CREATED,
            Json(SmsSent {
                phone_masked: mobile::mask(&user.phone),
                expires_in: TTL_SECS as u32,
                resend_after: SMS_RESEND_SECS as u32,
            }),
        )
            .into_response()),
    }
}

/// Demo and tests only: the messages "sent" to a person, newest first.
pub async fn outbox(
    State(state): State<AppState>,
    _: Admin,
    Path(subject): Path<String>,
) -> Result<Json<Vec<String>>, Error> {
    let rows = sqlx::query("SELECT text FROM sms_outbox WHERE subject = $1 ORDER BY id DESC LIMIT 20")
        .bind(subject)
        .fetch_all(&state.db)
        .await?;
    rows.iter().map(|r| state.seal.open(r.get("text"))).collect::<Result<_, _>>().map(Json)
}
