//! Published data: `GET /api/v1/reference` (every table a policy office owns — the benefit rule,
//! the notices, the option lists, the banks, the divisions and the 服务机构 list — with a strong
//! ETag so clients revalidate cheaply: 304 on a matching If-None-Match), and the operators'
//! publish of one table, `PUT /api/admin/reference/{table}` or `shiye-server reference publish`:
//! checked on its own and against the other tables (refused whole, with the reason), shown as
//! what changes, stored with a version and an audit line naming the operator. Every instance
//! installs the newest versions before it answers the endpoint or validates a submission, so
//! several instances on one database agree.

use crate::auth::{Admin, Subject};
use crate::db::{Conn, Pool};
use crate::error::Error;
use crate::state::AppState;
use crate::{audit, db};
use axum::extract::{Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use shiye_core::reference::snapshot::{self, ReferenceData, Row, Table};
use sqlx::Row as _;
use std::sync::{Arc, Mutex};

/// The answer in use: the published versions it was built from (none: the bundled defaults),
/// the body and its ETag.
struct Answer {
    versions: Vec<(Table, i64)>,
    body: Arc<str>,
    etag: Arc<str>,
}

static ANSWER: Mutex<Option<Answer>> = Mutex::new(None);

fn build(versions: Vec<(Table, i64)>, data: &ReferenceData) -> Answer {
    let body = serde_json::to_string(data).unwrap_or_else(|_| "{}".into());
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!("\"{}\"", crate::secrets::hex(&digest[..12]));
    Answer { versions, body: body.into(), etag: etag.into() }
}

/// The published tables as stored (a row naming no table this server knows is left out).
async fn rows(conn: &mut Conn) -> Result<Vec<Row>, Error> {
    let rows = sqlx::query("SELECT name, version, body, source FROM reference ORDER BY name")
        .fetch_all(&mut *conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let table = Table::parse(r.get::<String, _>("name").as_str())?;
            Some((table, r.get("version"), r.get("body"), r.get("source")))
        })
        .collect())
}

/// The published versions as stored: what a process compares with the answer it has.
async fn versions(conn: &mut Conn) -> Result<Vec<(Table, i64)>, Error> {
    let rows = sqlx::query("SELECT name, version FROM reference ORDER BY name").fetch_all(&mut *conn).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| Some((Table::parse(r.get::<String, _>("name").as_str())?, r.get("version"))))
        .collect())
}

/// Installs the newest published tables if this process has older ones, and returns the answer
/// (body, ETag) that goes with them. Every intake and every reference request asks, so only the
/// versions are read unless they changed.
pub async fn sync(conn: &mut Conn) -> Result<(Arc<str>, Arc<str>), Error> {
    let stored = versions(conn).await?;
    let held = |stored: &[(Table, i64)]| {
        let answer = ANSWER.lock().unwrap_or_else(|p| p.into_inner());
        answer.as_ref().filter(|a| a.versions == stored).map(|a| (a.body.clone(), a.etag.clone()))
    };
    if let Some(answer) = held(&stored) {
        return Ok(answer);
    }
    let rows = rows(conn).await?;
    let versions: Vec<(Table, i64)> = rows.iter().map(|r| (r.0, r.1)).collect();
    let data = match snapshot::assemble(&rows) {
        Ok(data) => data,
        Err((table, why)) => {
            // Checked when published; a row damaged since keeps what is in use, said in the log.
            tracing::error!(table = table.name(), why, "published table unreadable; the bundled one is used");
            let readable: Vec<Row> = rows.iter().filter(|r| r.0 != table).cloned().collect();
            snapshot::assemble(&readable).unwrap_or_else(|_| snapshot::snapshot())
        }
    };
    let mut answer = ANSWER.lock().unwrap_or_else(|p| p.into_inner());
    for (table, why) in snapshot::install(&data) {
        tracing::error!(table = table.name(), why, "published table unusable; the previous one stays");
    }
    let a = answer.insert(build(versions, &data));
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

/// What a publish did (or, on a dry run, would do).
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Published {
    pub table: Table,
    /// The version it has (would have) once published.
    pub version: i64,
    /// One line a change: 新增, 删除, 修改 with the entry's code, id or version.
    pub changes: Vec<String>,
    pub dry_run: bool,
}

/// A publish refused: the table and why, in Chinese, naming the entry.
fn refused(table: Table, why: String) -> Error {
    Error::Api {
        status: StatusCode::UNPROCESSABLE_ENTITY,
        code: "unusable_reference_table",
        message: format!("{}不可用：{why}", table.label_zh()),
    }
}

/// Publishes `body` (JSON) as the new version of `table`, by `operator`: refused whole when it
/// cannot be read, fails its own check or leaves the tables inconsistent; a dry run only says
/// what would change.
pub async fn publish(
    pool: &Pool,
    table: Table,
    body: &str,
    operator: &str,
    dry_run: bool,
) -> Result<Published, Error> {
    let mut tx = db::write(pool).await?;
    let old_rows = rows(&mut tx).await?;
    let old = snapshot::assemble(&old_rows).map_err(|(t, why)| refused(t, why))?;
    let version = old_rows.iter().find(|r| r.0 == table).map_or(0, |r| r.1) + 1;
    // Stored as read back, so that a body is kept in one form whatever its spacing.
    let mut parsed = old.clone();
    snapshot::replace(&mut parsed, table, body).map_err(|why| refused(table, why))?;
    let text = snapshot::body(&parsed, table);
    let source = format!("{operator}于{}发布，第{version}版", crate::applications::today());
    let mut new_rows: Vec<Row> = old_rows.into_iter().filter(|r| r.0 != table).collect();
    new_rows.push((table, version, text.clone(), source.clone()));
    let new = snapshot::assemble(&new_rows).map_err(|(t, why)| refused(t, why))?;
    snapshot::check(table, &new).map_err(|why| refused(table, why))?;
    let changes = snapshot::changes(table, &old, &new);
    if dry_run {
        tx.rollback().await?;
        return Ok(Published { table, version, changes, dry_run });
    }
    sqlx::query(
        "INSERT INTO reference (name, version, body, source) VALUES ($1, $2, $3, $4)
         ON CONFLICT (name) DO UPDATE SET version = excluded.version, body = excluded.body, source = excluded.source",
    )
    .bind(table.name())
    .bind(version)
    .bind(&text)
    .bind(&source)
    .execute(&mut *tx)
    .await?;
    let detail = format!("{} v{version} by {operator}: {} change(s)", table.name(), changes.len());
    audit::record(&mut tx, "-", operator, "reference_published", &detail).await?;
    sync(&mut tx).await?;
    tx.commit().await?;
    tracing::info!(table = table.name(), version, operator, "reference published");
    Ok(Published { table, version, changes, dry_run })
}

/// A table in use as JSON (`reference show`), with its version and source.
pub async fn show(pool: &Pool, table: Table) -> Result<(i64, String, String), Error> {
    let mut conn = pool.acquire().await?;
    let rows = rows(&mut conn).await?;
    let data = snapshot::assemble(&rows).map_err(|(t, why)| refused(t, why))?;
    let info = data.tables.iter().find(|t| t.table == table).cloned();
    let (version, source) = info.map(|i| (i.version, i.source)).unwrap_or_default();
    Ok((version, source, snapshot::body(&data, table)))
}

#[derive(Debug, Deserialize)]
pub struct PublishQuery {
    #[serde(default)]
    dry_run: bool,
    /// Who publishes, for the audit line (the admin token is shared by the office's operators).
    operator: Option<String>,
}

/// `PUT /api/admin/reference/{table}`: publishes a new version of a table (the whole table).
pub async fn put_table(
    State(state): State<AppState>,
    _: Admin,
    Path(name): Path<String>,
    Query(q): Query<PublishQuery>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<Json<Published>, Error> {
    let table = Table::parse(&name).ok_or_else(Error::not_found)?;
    crate::json::require_json(&headers)?;
    // Malformed JSON is 400; JSON that is not the table's shape is refused with the reason (422).
    let _: serde_json::Value = crate::json::parse(&body)?;
    let text = String::from_utf8_lossy(&body);
    let operator =
        q.operator.filter(|o| !o.trim().is_empty() && o.len() <= 64).unwrap_or_else(|| "admin".into());
    Ok(Json(publish(&state.db, table, &text, &operator, q.dry_run).await?))
}
