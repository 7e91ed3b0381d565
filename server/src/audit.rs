//! The audit trail: every change of an application's or a person's state, with who made it.
//! Details name ids, items and statuses only, never personal data.

use crate::db::Conn;

pub async fn record(
    conn: &mut Conn,
    subject: &str,
    actor: &str,
    action: &str,
    detail: &str,
) -> crate::Result<()> {
    sqlx::query("INSERT INTO audit (at, subject, actor, action, detail) VALUES ($1, $2, $3, $4, $5)")
        .bind(crate::db::now())
        .bind(subject)
        .bind(actor)
        .bind(action)
        .bind(detail)
        .execute(conn)
        .await?;
    Ok(())
}
