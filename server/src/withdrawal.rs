//! 撤回: a person withdraws one of their items while it still waits for review (等待审核). The item
//! becomes 已撤回, a final status, recorded in the audit trail; the one-pending-item-of-a-kind slot
//! frees, so a new application of that kind can be made.

use crate::auth::Subject;
use crate::error::Error;
use crate::state::AppState;
use crate::{audit, db};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use shiye_core::api::{ItemState, ItemStatus};
use shiye_core::code;
use sqlx::Row;

/// `POST /api/v1/items/{case_number}/withdrawal`: the item as it now stands. Another person's item
/// answers as a missing one (404); one a reviewer has taken up or decided is 409.
pub async fn withdraw(
    State(state): State<AppState>,
    Subject(subject): Subject,
    Path(case_number): Path<String>,
) -> Result<Json<ItemState>, Error> {
    let mut tx = db::write_for(&state.db, &subject).await?;
    let row =
        sqlx::query("SELECT item, status, application_id FROM items WHERE case_number = $1 AND subject = $2")
            .bind(&case_number)
            .bind(&subject)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(Error::not_found)?;
    let status: ItemStatus = code::parse(row.get("status"))
        .ok_or_else(|| Error::bad_request("unknown_status", "事项状态无法识别"))?;
    if !status.withdrawable() {
        return Err(Error::Api {
            status: StatusCode::CONFLICT,
            code: "not_withdrawable",
            message: format!("该事项{}，不能撤回", status.label_zh()),
        });
    }
    sqlx::query("UPDATE items SET status = $1 WHERE case_number = $2")
        .bind(code::of(&ItemStatus::Withdrawn))
        .bind(&case_number)
        .execute(&mut *tx)
        .await?;
    let item: String = row.get("item");
    audit::record(&mut tx, &subject, "applicant", "withdrawn", &format!("{case_number} {item} withdrawn"))
        .await?;
    let app_id: String = row.get("application_id");
    let app =
        crate::applications::load(&mut tx, &app_id, Some(&subject)).await?.ok_or_else(Error::not_found)?;
    tx.commit().await?;
    app.items.into_iter().find(|i| i.case_number == case_number).map(Json).ok_or_else(Error::not_found)
}
