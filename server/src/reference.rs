//! Reference data: `GET /api/v1/reference` (agencies, banks and option lists, with a strong ETag so
//! clients revalidate cheaply: 304 on a matching If-None-Match), and the operators' change of the
//! 服务机构 list, `PUT /api/admin/reference/agencies`. A published list is stored with a version;
//! every instance installs the newest before it answers the endpoint or validates a submission,
//! so several instances on one database agree.

use crate::auth::{Admin, Subject};
use crate::db::{Conn, Pool};
use crate::error::Error;
use crate::state::AppState;
use crate::{audit, db};
use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use shiye_core::reference::agencies::AgencyEntry;
use shiye_core::reference::{agencies, snapshot};
use sqlx::Row;
use std::sync::{Arc, Mutex};

const AGENCIES: &str = "agencies";

/// The answer in use: the published version it was built from (0: the bundled snapshot), the
/// body and its ETag.
struct Answer {
    version: i64,
    body: Arc<str>,
    etag: Arc<str>,
}

static ANSWER: Mutex<Option<Answer>> = Mutex::new(None);

fn build(version: i64) -> Answer {
    let body = serde_json::to_string(&snapshot::snapshot()).unwrap_or_else(|_| "{}".into());
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!("\"{}\"", crate::secrets::hex(&digest[..12]));
    Answer { version, body: body.into(), etag: etag.into() }
}

/// Installs the newest published list if this process has an older one, and returns the answer
/// (body, ETag) that goes with it.
pub async fn sync(conn: &mut Conn) -> Result<(Arc<str>, Arc<str>), Error> {
    let row = sqlx::query("SELECT version, body FROM reference WHERE name = $1")
        .bind(AGENCIES)
        .fetch_optional(&mut *conn)
        .await?;
    let (version, body): (i64, Option<String>) = match row {
        Some(r) => (r.get("version"), Some(r.get("body"))),
        None => (0, None),
    };
    let mut answer = ANSWER.lock().unwrap_or_else(|p| p.into_inner());
    if answer.as_ref().is_none_or(|a| a.version != version) {
        let installed = match body.map(|b| serde_json::from_str::<Vec<AgencyEntry>>(&b)) {
            None => {
                agencies::reset();
                true
            }
            Some(Ok(list)) => agencies::install(list),
            Some(Err(_)) => false,
        };
        if !installed {
            // Checked when published; a row damaged since keeps what is in use, said in the log.
            tracing::error!(version, "published agency list unusable; the previous list stays");
        }
        *answer = Some(build(version));
    }
    let a = answer.as_ref().expect("set above");
    Ok((a.body.clone(), a.etag.clone()))
}

async fn current(pool: &Pool) -> Result<(Arc<str>, Arc<str>), Error> {
    let mut conn = pool.acquire().await?;
    sync(&mut conn).await
}

pub async fn reference(
    State(state): State<AppState>,
    _: Subject,
    headers: HeaderMap,
) -> Result<Response, Error> {
    let (body, etag) = current(&state.db).await?;
    let etag_value = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == &*etag || t.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, [(header::ETAG, etag_value)]).into_response());
    }
    Ok((
        StatusCode::OK,
        [
            (header::ETAG, etag_value),
            (header::CONTENT_TYPE, HeaderValue::from_static("application/json")),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
        ],
        body.to_string(),
    )
        .into_response())
}

/// `PUT /api/admin/reference/agencies`: publishes a new 服务机构 list (the whole list). An
/// unusable list (empty, an entry without id or name, a repeated id, an unknown street) is 422
/// and changes nothing.
pub async fn put_agencies(
    State(state): State<AppState>,
    _: Admin,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<StatusCode, Error> {
    crate::json::require_json(&headers)?;
    let list: Vec<AgencyEntry> = crate::json::parse(&body)?;
    if agencies::Table::checked(list.clone()).is_none() {
        return Err(Error::Api {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            code: "unusable_agency_list",
            message: "服务机构列表不可用：列表为空，或有机构缺少编号、名称或所服务的街道，或编号重复，或街道代码不存在".into(),
        });
    }
    let text = serde_json::to_string(&list).map_err(|_| Error::bad_request("invalid_json", "无法保存"))?;
    let mut tx = db::write(&state.db).await?;
    let version: i64 = sqlx::query("SELECT version FROM reference WHERE name = $1")
        .bind(AGENCIES)
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.get("version"))
        .unwrap_or(0)
        + 1;
    sqlx::query(
        "INSERT INTO reference (name, version, body) VALUES ($1, $2, $3)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, body = excluded.body",
    )
    .bind(AGENCIES)
    .bind(version)
    .bind(&text)
    .execute(&mut *tx)
    .await?;
    audit::record(
        &mut tx,
        "-",
        "admin",
        "reference_published",
        &format!("agencies v{version}, {} entries", list.len()),
    )
    .await?;
    sync(&mut tx).await?;
    tx.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
