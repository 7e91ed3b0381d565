//! The audit trail: every change of an application's or a person's state, with who made it.
//! Details name ids, items and statuses only, never personal data.

use sqlx::SqliteConnection;

pub async fn record(
    conn: &mut SqliteConnection,
    subject: &str,
    actor: &str,
    action: &str,
    detail: &str,
) -> crate::Result<()> {
    sqlx::query("INSERT INTO audit (at, subject, actor, action, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(crate::db::now())
        .bind(subject)
        .bind(actor)
        .bind(action)
        .bind(detail)
        .execute(conn)
        .await?;
    Ok(())
}
