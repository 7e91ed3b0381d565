//! Applications: `POST /api/v1/applications` (idempotent intake: strict JSON, shiye-core's
//! validation, the policy table) and `GET /api/v1/applications[/{id}]` (per-item status).

use crate::auth::Subject;
use crate::db::Conn;
use crate::error::Error;
use crate::idempotency::{self, Claim};
use crate::seal::Sealer;
use crate::state::AppState;
use crate::{db, records, secrets, sms};
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use shiye_core::api::{
    Application, ApplicationRecord, ApplicationSubmission, Conflict, ItemState, ItemStatus,
    ValidationFailure, DRAFT_SCHEMA_VERSION,
};
use shiye_core::code;
use shiye_core::date::Date;
use shiye_core::forms::{blocks, Answers, Context, ErrorCode, FieldError, FieldId};
use shiye_core::policy::{self, Ineligible};
use shiye_core::services::{Bundle, ServiceKind};
use sqlx::Row;

/// Days from submission to the expected decision (5 working days, rounded up to a week).
const DECISION_DAYS: i64 = 7;

pub fn today() -> Date {
    Date::beijing_from_unix(db::now()).unwrap_or(Date { year: 2026, month: 1, day: 1 })
}

fn json_response<T: serde::Serialize>(status: StatusCode, value: &T) -> (StatusCode, String) {
    (status, serde_json::to_string(value).unwrap_or_else(|_| "{}".into()))
}

fn respond(status: StatusCode, body: String, replayed: bool) -> Response {
    let mut resp = (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    if replayed {
        resp.headers_mut().insert("idempotent-replayed", header::HeaderValue::from_static("true"));
    }
    resp
}

pub async fn submit(
    State(state): State<AppState>,
    Subject(subject): Subject,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, Error> {
    crate::json::require_json(&headers)?;
    let key = idempotency::key(&headers)?;
    // The claim and the intake run as a task of their own: if the client disconnects, hyper drops
    // this handler, but a claimed key must still end with a stored answer (or be released), never
    // stay in flight — also when the disconnect comes while the key is being claimed.
    let task = tokio::spawn(async move {
        let key = match idempotency::claim(&state.db, &subject, key, &body).await? {
            Claim::Replay { status, body } => return Ok((status, body, true)),
            Claim::New { key } => key,
        };
        let answer = intake(&state, &subject, &key, &body).await;
        if answer.is_err() {
            idempotency::release(&state.db, &subject, &key).await;
        }
        answer.map(|(status, body)| (status, body, false))
    });
    match task.await {
        Ok(Ok((status, body, replayed))) => Ok(respond(status, body, replayed)),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(Error::Api {
            status: StatusCode::SERVICE_UNAVAILABLE,
            code: "interrupted",
            message: "申请处理被中断，请稍后重试".into(),
        }),
    }
}

/// Decides the answer to a new submission and stores it with the idempotency key, in one transaction.
async fn intake(
    state: &AppState,
    subject: &str,
    key: &str,
    body: &[u8],
) -> Result<(StatusCode, String), Error> {
    let submission: ApplicationSubmission = crate::json::parse(body)?;
    // Serialised with this person's other writes only: the one-pending rule and the idempotency
    // key are theirs; the order number comes from a sequence.
    let mut tx = crate::db::write_for(&state.db, subject).await?;
    let answer = if submission.schema_version != DRAFT_SCHEMA_VERSION {
        json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &serde_json::json!({"error": "unsupported_schema_version", "message": "申请表版本已更新，请在应用中重新检查后提交"}),
        )
    } else {
        decide(&mut tx, &state.seal, subject, &submission).await?
    };
    idempotency::finish(&mut tx, subject, key, answer.0, &answer.1).await?;
    tx.commit().await?;
    Ok(answer)
}

async fn decide(
    conn: &mut Conn,
    seal: &Sealer,
    subject: &str,
    submission: &ApplicationSubmission,
) -> Result<(StatusCode, String), Error> {
    let (records, old_card) = records::load(conn, seal, subject).await?;
    // 服务机构 are checked against the list published now (perhaps by another instance).
    crate::reference::sync(conn).await?;
    let today = today();
    let ctx = Context { today, records: &records, old_card_number: old_card.as_deref() };
    // The person's state first: answers to an item they cannot apply for are not worth checking.
    let bundle = submission.answers.bundle();
    let Some(items) = policy::submitted_items(bundle, submission.items.as_deref()) else {
        return Ok(json_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &shiye_core::api::ApiError {
                error: "items_not_in_bundle".into(),
                message: "所选事项不属于该申请".into(),
            },
        ));
    };
    if let Err((item, reason)) = policy::items_eligibility(bundle, submission.items.as_deref(), &records) {
        return Ok(json_response(
            StatusCode::CONFLICT,
            &Conflict { reason, item, message_zh: reason.message_zh().into() },
        ));
    }
    // One item of a kind waits for a decision at a time (a unique index holds the rule too).
    for item in &items {
        if records::pending(conn, subject, *item).await? {
            let reason = Ineligible::ItemPending;
            return Ok(json_response(
                StatusCode::CONFLICT,
                &Conflict { reason, item: *item, message_zh: reason.message_zh().into() },
            ));
        }
    }
    let mut errors = submission.answers.validate(&ctx);
    if !blocks(&errors) {
        if let Some((purpose, code)) = submission.answers.sms_confirmation() {
            // The code proves the phone's owner asked; checked last so a form error does not spend it.
            if let Err(refused) = sms::verify(conn, subject, purpose, code).await? {
                errors.push(FieldError::new(FieldId::SmsCode, ErrorCode::Invalid, refused.detail_zh()));
            }
        }
    }
    if blocks(&errors) {
        return Ok(json_response(StatusCode::UNPROCESSABLE_ENTITY, &ValidationFailure { errors }));
    }
    let id = secrets::new_ordered_id();
    let submitted_at = db::now_rfc3339();
    let answers = serde_json::to_string(&submission.answers)
        .map_err(|_| Error::bad_request("invalid_body", "申请内容无法保存"))?;
    // The order of arrival, which the 办件编号 carry.
    let seq = db::next_application_seq(conn).await?;
    let consent = submission.consent.as_ref().and_then(|c| serde_json::to_string(c).ok());
    sqlx::query(
        "INSERT INTO applications (id, subject, bundle, answers_json, submitted_at, submitted_unix, seq, consent_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(&id)
    .bind(subject)
    .bind(code::of(&bundle))
    .bind(seal.seal(&answers))
    .bind(&submitted_at)
    .bind(db::now())
    .bind(seq)
    .bind(consent)
    .execute(&mut *conn)
    .await?;
    let expected = today.plus_days(DECISION_DAYS);
    let mut states = Vec::new();
    for (position, item) in items.iter().enumerate() {
        let case_number =
            format!("SY{:04}{:02}{:02}{seq:06}{}", today.year, today.month, today.day, position + 1);
        sqlx::query(
            "INSERT INTO items (case_number, application_id, position, item, status, expected_decision, subject, seq)
             VALUES ($1, $2, $3, $4, 'submitted', $5, $6, $7)",
        )
        .bind(&case_number)
        .bind(&id)
        .bind(position as i64)
        .bind(code::of(item))
        .bind(expected.map(|d| d.to_string()))
        .bind(subject)
        .bind(seq)
        .execute(&mut *conn)
        .await?;
        states.push(ItemState {
            item: *item,
            case_number,
            status: ItemStatus::Submitted,
            reason: None,
            expected_decision: expected,
        });
    }
    crate::audit::record(conn, subject, "applicant", "submitted", &format!("{id} {}", code::of(&bundle)))
        .await?;
    Ok(json_response(
        StatusCode::CREATED,
        &Application { id, submitted_at, bundle: Some(bundle), items: states },
    ))
}

/// One application of `subject` (or of anyone, when `subject` is `None`: the review API).
pub async fn load(conn: &mut Conn, id: &str, subject: Option<&str>) -> Result<Option<Application>, Error> {
    let Some(app) = sqlx::query("SELECT id, subject, bundle, submitted_at FROM applications WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut *conn)
        .await?
    else {
        return Ok(None);
    };
    if subject.is_some_and(|s| s != app.get::<&str, _>("subject")) {
        return Ok(None);
    }
    let rows = sqlx::query(
        "SELECT case_number, item, status, reason, expected_decision FROM items WHERE application_id = $1 ORDER BY position",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    let items = rows.iter().filter_map(item_state).collect();
    let bundle = code::parse::<Bundle>(app.get("bundle"));
    Ok(Some(Application { id: app.get("id"), submitted_at: app.get("submitted_at"), bundle, items }))
}

/// An item as a row of `items` gives it (case_number, item, status, reason, expected_decision);
/// `None` for a row of a kind or status this build does not know.
pub(crate) fn item_state(r: &sqlx::any::AnyRow) -> Option<ItemState> {
    Some(ItemState {
        item: code::parse::<ServiceKind>(r.get("item"))?,
        case_number: r.get("case_number"),
        status: code::parse::<ItemStatus>(r.get("status"))?,
        reason: r.get("reason"),
        expected_decision: r.get::<Option<String>, _>("expected_decision").and_then(|d| Date::parse_iso(&d)),
    })
}

/// `GET /api/v1/applications/{id}/record`: the person's own application with the answers as they
/// submitted them; another person's answers exactly like a missing one (404).
pub async fn record(
    State(state): State<AppState>,
    Subject(subject): Subject,
    Path(id): Path<String>,
) -> Result<Json<ApplicationRecord>, Error> {
    let mut conn = state.db.acquire().await?;
    let application = load(&mut conn, &id, Some(&subject)).await?.ok_or_else(Error::not_found)?;
    let row =
        sqlx::query("SELECT answers_json, submitted_unix, consent_json FROM applications WHERE id = $1")
            .bind(&id)
            .fetch_one(&mut *conn)
            .await?;
    let answers: Answers = serde_json::from_str(&state.seal.open(row.get("answers_json"))?)
        .map_err(|_| Error::bad_request("unreadable_application", "申请内容无法读取"))?;
    let consent = row.get::<Option<String>, _>("consent_json").and_then(|c| serde_json::from_str(&c).ok());
    Ok(Json(ApplicationRecord { application, answers, submitted_unix: row.get("submitted_unix"), consent }))
}

pub async fn list(
    State(state): State<AppState>,
    Subject(subject): Subject,
) -> Result<Json<Vec<Application>>, Error> {
    let mut conn = state.db.acquire().await?;
    let ids: Vec<String> = sqlx::query("SELECT id FROM applications WHERE subject = $1 ORDER BY seq DESC")
        .bind(&subject)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| r.get("id"))
        .collect();
    let mut out = Vec::new();
    for id in ids {
        out.extend(load(&mut conn, &id, Some(&subject)).await?);
    }
    Ok(Json(out))
}

pub async fn get_one(
    State(state): State<AppState>,
    Subject(subject): Subject,
    Path(id): Path<String>,
) -> Result<Json<Application>, Error> {
    // Another person's application answers exactly like a missing one.
    load(&mut *state.db.acquire().await?, &id, Some(&subject)).await?.map(Json).ok_or_else(Error::not_found)
}
