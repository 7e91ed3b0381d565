//! The review workflow: list pending items, and decide them (start review, approve, reject or
//! return with a reason). An approval changes the person's records as the office would; every
//! decision is audited. Reached through the admin API and the `shiye-server review` CLI.

use crate::applications::today;
use crate::auth::Admin;
use crate::db::Conn;
use crate::error::Error;
use crate::seal::Sealer;
use crate::state::AppState;
use crate::{audit, records};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use shiye_core::api::{ItemState, ItemStatus};
use shiye_core::benefit;
use shiye_core::cn::bank_card;
use shiye_core::code;
use shiye_core::forms::Answers;
use shiye_core::records::BenefitRecord;
use shiye_core::registration::RegistrationChange;
use shiye_core::services::ServiceKind;
use sqlx::Row;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    StartReview,
    Approve,
    Reject,
    Return,
}

impl Action {
    fn status(self) -> ItemStatus {
        match self {
            Action::StartReview => ItemStatus::InReview,
            Action::Approve => ItemStatus::Approved,
            Action::Reject => ItemStatus::Rejected,
            Action::Return => ItemStatus::Returned,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub action: Action,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PendingItem {
    pub application_id: String,
    pub subject: String,
    #[serde(flatten)]
    pub state: ItemState,
}

/// Items not yet decided, oldest first: every page of [`pending_page`].
pub async fn pending(conn: &mut Conn) -> crate::Result<Vec<PendingItem>> {
    let (mut out, mut after) = (Vec::new(), 0);
    loop {
        let (items, next) = pending_page(conn, after, PAGE_MAX).await?;
        out.extend(items);
        match next {
            Some(n) => after = n,
            None => return Ok(out),
        }
    }
}

/// The longest page of the reviewer's queue, and its default.
pub const PAGE_MAX: i64 = 200;
pub const PAGE_DEFAULT: i64 = 50;

/// One page of the queue: the undecided items of up to `limit` applications after the one with
/// order number `after`, oldest first, and the cursor of the next page when there may be one. Read
/// from the undecided items' own index (items carry their application's order number): a page
/// costs its own size, however long the queue and however many applications were ever made.
pub async fn pending_page(
    conn: &mut Conn,
    after: i64,
    limit: i64,
) -> crate::Result<(Vec<PendingItem>, Option<i64>)> {
    // The page's applications (their order numbers), then their undecided items in one query.
    let seqs: Vec<i64> = sqlx::query(
        "SELECT DISTINCT seq FROM items WHERE status IN ('submitted', 'in_review') AND seq > $1 ORDER BY seq LIMIT $2",
    )
    .bind(after)
    .bind(limit)
    .fetch_all(&mut *conn)
    .await?
    .iter()
    .map(|r| r.get("seq"))
    .collect();
    let Some(&last) = seqs.last() else { return Ok((Vec::new(), None)) };
    let rows = sqlx::query(
        "SELECT application_id, subject, case_number, item, status, reason, expected_decision FROM items
         WHERE status IN ('submitted', 'in_review') AND seq > $1 AND seq <= $2 ORDER BY seq, position",
    )
    .bind(after)
    .bind(last)
    .fetch_all(&mut *conn)
    .await?;
    let out = rows
        .iter()
        .filter_map(|r| {
            let state = crate::applications::item_state(r)?;
            Some(PendingItem { application_id: r.get("application_id"), subject: r.get("subject"), state })
        })
        .collect();
    let next = (seqs.len() as i64 == limit).then_some(last);
    Ok((out, next))
}

fn conflict(code: &'static str, message: &str) -> Error {
    Error::Api { status: StatusCode::CONFLICT, code, message: message.into() }
}

/// Applies a decision to one item (by 办件编号) and its consequences, in one transaction.
pub async fn decide(
    db: &crate::db::Pool,
    seal: &Sealer,
    case_number: &str,
    d: &Decision,
    actor: &str,
) -> Result<ItemState, Error> {
    let reason = d.reason.as_deref().map(str::trim).filter(|r| !r.is_empty());
    if matches!(d.action, Action::Reject | Action::Return) && reason.is_none_or(|r| r.chars().count() > 200) {
        return Err(Error::bad_request("reason_required", "不予受理或退回补正时须填写原因（不超过200字）"));
    }
    // The item's person (which never changes) names the lock: their writes wait, nobody else's.
    let owner: Option<String> = sqlx::query("SELECT subject FROM items WHERE case_number = $1")
        .bind(case_number)
        .fetch_optional(db)
        .await?
        .map(|r| r.get("subject"));
    let mut tx = crate::db::write_for(db, owner.as_deref().ok_or_else(Error::not_found)?).await?;
    let row = sqlx::query(
        "SELECT i.item, i.status, i.application_id, a.subject, a.answers_json FROM items i
         JOIN applications a ON a.id = i.application_id WHERE i.case_number = $1",
    )
    .bind(case_number)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(Error::not_found)?;
    let status: String = row.get("status");
    if !matches!(status.as_str(), "submitted" | "in_review") {
        return Err(conflict("already_decided", "该事项已办结或已退回，不能再次审核"));
    }
    let subject: String = row.get("subject");
    let item: ServiceKind = serde_json::from_value(serde_json::Value::String(row.get("item")))
        .map_err(|_| Error::bad_request("unknown_item", "未知的事项"))?;
    let new_status = d.action.status();
    sqlx::query("UPDATE items SET status = $1, reason = $2 WHERE case_number = $3")
        .bind(code::of(&new_status))
        .bind(reason)
        .bind(case_number)
        .execute(&mut *tx)
        .await?;
    if d.action == Action::Approve {
        let answers: Answers = serde_json::from_str(&seal.open(row.get("answers_json"))?)
            .map_err(|_| Error::bad_request("unreadable_application", "申请内容无法读取"))?;
        apply_approval(&mut tx, seal, &subject, item, &answers).await?;
    }
    audit::record(
        &mut tx,
        &subject,
        actor,
        "decided",
        &format!("{case_number} {} {}", code::of(&item), code::of(&new_status)),
    )
    .await?;
    let app_id: String = row.get("application_id");
    let app = crate::applications::load(&mut tx, &app_id, None).await?.ok_or_else(Error::not_found)?;
    tx.commit().await?;
    app.items.into_iter().find(|i| i.case_number == case_number).ok_or_else(Error::not_found)
}

/// What an approved item changes in the person's records.
async fn apply_approval(
    conn: &mut Conn,
    seal: &Sealer,
    subject: &str,
    item: ServiceKind,
    answers: &Answers,
) -> Result<(), Error> {
    let (mut r, mut card) = records::load(conn, seal, subject).await?;
    match (item, answers) {
        (ServiceKind::Registration, answers) => {
            // A person already registered (the claim's joint bundle carries a registration item
            // whatever the records say) stays registered once, and keeps what their registration
            // holds beyond the address (户口性质, the qualification: asked by 失业登记信息变更
            // only); the address is the one just given.
            let kept = r.registration.take().filter(|_| r.registered).unwrap_or_default();
            r.registered = true;
            r.registration = match answers.address() {
                Some(address) => Some(RegistrationChange { address: address.clone(), ..kept }),
                None => Some(kept),
            };
        }
        (ServiceKind::RegistrationChange, Answers::RegistrationChange { change }) => {
            r.registration = Some(change.clone());
        }
        (ServiceKind::RegistrationCancel, _) => {
            r.registered = false;
            r.registration = None;
        }
        (ServiceKind::BenefitClaim, Answers::BenefitClaimJoint { claim, .. }) => {
            let number = claim.account.normalized_number().unwrap_or_default();
            r.benefit = Some(BenefitRecord {
                claim_date: today(),
                // The published rule in force on the day of the decision, as the app's preview.
                months_entitled: benefit::entitlement(
                    r.contribution.as_ref().map_or(0, |c| c.contribution_months),
                    today(),
                )
                .months,
                months_received: 0,
                card_type: claim.account.card_type.unwrap_or(shiye_core::options::BankCardType::DebitCard),
                bank_code: claim.account.bank.clone().unwrap_or_default(),
                card_masked: bank_card::mask(&number),
            });
            card = Some(number);
        }
        (ServiceKind::BankAccountChange, Answers::BankAccountChange { bank_change }) => {
            let number = bank_change.account.normalized_number().unwrap_or_default();
            if let Some(b) = r.benefit.as_mut() {
                b.card_masked = bank_card::mask(&number);
                b.bank_code = bank_change.account.bank.clone().unwrap_or_default();
                if let Some(t) = bank_change.account.card_type {
                    b.card_type = t;
                }
            }
            card = Some(number);
        }
        (ServiceKind::BenefitStop, _) => {
            r.benefit = None;
            card = None;
        }
        // 求职登记 changes no state the records hold.
        _ => return Ok(()),
    }
    records::save(conn, seal, subject, &r, card.as_deref()).await?;
    Ok(())
}

/// `GET /api/admin/items?after=N&limit=M`: a page of the queue; when more may follow, a `Link`
/// header names the next page (RFC 8288, `rel="next"`).
#[derive(Debug, Deserialize)]
pub struct Page {
    #[serde(default)]
    after: Option<i64>,
    #[serde(default)]
    limit: Option<i64>,
}

pub async fn list_pending(
    State(state): State<AppState>,
    _: Admin,
    axum::extract::Query(page): axum::extract::Query<Page>,
) -> Result<axum::response::Response, Error> {
    use axum::response::IntoResponse;
    let limit = page.limit.unwrap_or(PAGE_DEFAULT);
    if !(1..=PAGE_MAX).contains(&limit) || page.after.is_some_and(|a| a < 0) {
        return Err(Error::bad_request("bad_page", format!("limit 应为1至{PAGE_MAX}，after 不能为负数")));
    }
    let (items, next) = pending_page(&mut *state.db.acquire().await?, page.after.unwrap_or(0), limit).await?;
    let mut resp = Json(items).into_response();
    if let Some(n) = next {
        let link = format!("<{}/api/admin/items?after={n}&limit={limit}>; rel=\"next\"", state.issuer);
        if let Ok(v) = axum::http::HeaderValue::from_str(&link) {
            resp.headers_mut().insert(axum::http::header::LINK, v);
        }
    }
    Ok(resp)
}

pub async fn post_decision(
    State(state): State<AppState>,
    _: Admin,
    Path(case_number): Path<String>,
    crate::json::StrictJson(d): crate::json::StrictJson<Decision>,
) -> Result<Json<ItemState>, Error> {
    decide(&state.db, &state.seal, &case_number, &d, "reviewer").await.map(Json)
}

/// Demo mode: approves every item that has waited `after_secs`, checking once a second, so a demo
/// shows the whole journey without a reviewer. Runs until the process ends.
pub async fn auto_review(db: crate::db::Pool, seal: std::sync::Arc<Sealer>, after_secs: i64) {
    let approve = Decision { action: Action::Approve, reason: None };
    loop {
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
        let due = sqlx::query(
            "SELECT i.case_number FROM items i JOIN applications a ON a.id = i.application_id
             WHERE i.status IN ('submitted', 'in_review') AND a.submitted_unix <= $1 ORDER BY a.seq, i.position",
        )
        .bind(crate::db::now() - after_secs)
        .fetch_all(&db)
        .await;
        for row in due.unwrap_or_default() {
            let case: String = row.get("case_number");
            if let Err(e) = decide(&db, &seal, &case, &approve, "auto-review").await {
                tracing::warn!(error = %e, "auto-review failed");
            }
        }
    }
}
