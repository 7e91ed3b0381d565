//! What a reviewer decides on: an item's answers as submitted, the person's records it is checked
//! against, and its history. `GET /api/admin/items/{case_number}` and `shiye-server review show`.
//! Card numbers are masked unless the reviewer asks for the whole value (`?full=true`), and every
//! such request is written to the audit trail.

use crate::auth::Admin;
use crate::error::Error;
use crate::seal::Sealer;
use crate::state::AppState;
use crate::{audit, db, records};
use axum::extract::{Path, Query, State};
use axum::Json;
use serde::{Deserialize, Serialize};
use shiye_core::api::ItemState;
use shiye_core::cn::bank_card;
use shiye_core::records::Records;
use sqlx::Row;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HistoryEntry {
    /// Seconds since the Unix epoch.
    pub at: i64,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseFile {
    pub application_id: String,
    pub subject: String,
    pub submitted_at: String,
    #[serde(flatten)]
    pub state: ItemState,
    /// The whole application's answers as submitted (an item is decided in its bundle's context).
    #[schema(value_type = shiye_core::forms::Answers)]
    pub answers: serde_json::Value,
    /// The person's records as they stand now.
    pub records: Records,
    /// Which 用户通知 and 承诺书 the person accepted before applying, and when (absent when the
    /// application was sent without it).
    pub consent: Option<shiye_core::api::Consent>,
    /// The application's and the item's audit lines, oldest first.
    pub history: Vec<HistoryEntry>,
    /// Whether numbers are shown whole (audited) or masked.
    pub full: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct Show {
    #[serde(default)]
    pub full: bool,
}

/// Masks every run of 11 or more digits (card numbers) in the answers.
fn masked(value: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    match value {
        Value::String(s) if s.chars().filter(char::is_ascii_digit).count() >= 11 => {
            Value::String(bank_card::mask(&s.replace(' ', "")))
        }
        Value::Array(a) => Value::Array(a.into_iter().map(masked).collect()),
        Value::Object(o) => Value::Object(o.into_iter().map(|(k, v)| (k, masked(v))).collect()),
        other => other,
    }
}

/// The case file of one item; a full view is audited in the same transaction that reads it.
pub async fn load(
    db: &db::Pool,
    seal: &Sealer,
    case_number: &str,
    full: bool,
    actor: &str,
) -> Result<CaseFile, Error> {
    let mut tx = db::write(db).await?;
    let row = sqlx::query(
        "SELECT i.application_id, a.subject, a.submitted_at, a.answers_json, a.consent_json FROM items i
         JOIN applications a ON a.id = i.application_id WHERE i.case_number = $1",
    )
    .bind(case_number)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(Error::not_found)?;
    let (app_id, subject): (String, String) = (row.get("application_id"), row.get("subject"));
    let app = crate::applications::load(&mut tx, &app_id, None).await?.ok_or_else(Error::not_found)?;
    let state = app.items.into_iter().find(|i| i.case_number == case_number).ok_or_else(Error::not_found)?;
    let answers: serde_json::Value = serde_json::from_str(&seal.open(row.get("answers_json"))?)
        .map_err(|_| Error::bad_request("unreadable_application", "申请内容无法读取"))?;
    let consent = row.get::<Option<String>, _>("consent_json").and_then(|c| serde_json::from_str(&c).ok());
    let (records, _) = records::load(&mut tx, seal, &subject).await?;
    if full {
        audit::record(&mut tx, &subject, actor, "revealed", case_number).await?;
    }
    let history = sqlx::query(
        "SELECT at, actor, action, detail FROM audit WHERE subject = $1 AND (detail LIKE $2 OR detail LIKE $3)
         ORDER BY id",
    )
    .bind(&subject)
    .bind(format!("{app_id} %"))
    .bind(format!("{case_number}%"))
    .fetch_all(&mut *tx)
    .await?
    .iter()
    .map(|r| HistoryEntry {
        at: r.get("at"),
        actor: r.get("actor"),
        action: r.get("action"),
        detail: r.get("detail"),
    })
    .collect();
    tx.commit().await?;
    Ok(CaseFile {
        application_id: app_id,
        subject,
        submitted_at: row.get("submitted_at"),
        state,
        answers: if full { answers } else { masked(answers) },
        records,
        consent,
        history,
        full,
    })
}

pub async fn show(
    State(state): State<AppState>,
    _: Admin,
    Path(case_number): Path<String>,
    Query(q): Query<Show>,
) -> Result<Json<CaseFile>, Error> {
    load(&state.db, &state.seal, &case_number, q.full, "reviewer").await.map(Json)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn card_numbers_are_masked_anywhere_in_the_answers() {
        let v =
            serde_json::json!({"a": {"card_number": "6212 2602 0000 0000 014", "bank": "ICBC"}, "n": [12]});
        let m = masked(v);
        assert_eq!(m["a"]["card_number"], "6212***********0014");
        assert_eq!(m["a"]["bank"], "ICBC");
        assert_eq!(m["n"][0], 12);
    }
}
