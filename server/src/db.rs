//! The SQLite store: opening the file and applying the embedded migrations. Queries are written
//! at runtime (no DATABASE_URL at build time) in the module that owns each table.

use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{SqlSafeStr, SqlitePool};
use std::borrow::Cow;
use std::path::Path;

/// The schema, in order. Each file is applied once and its checksum is recorded by sqlx.
const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "identity", include_str!("../migrations/0001_identity.sql")),
    (2, "service", include_str!("../migrations/0002_service.sql")),
    (3, "sms outbox", include_str!("../migrations/0003_sms_outbox.sql")),
    (4, "signing keys", include_str!("../migrations/0004_signing_keys.sql")),
    (5, "submitted unix", include_str!("../migrations/0005_submitted_unix.sql")),
];

fn migrator() -> Migrator {
    let migrations = MIGRATIONS
        .iter()
        .map(|&(version, description, sql)| {
            Migration::new(
                version,
                Cow::Borrowed(description),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

/// Opens (creating if needed) the database file and brings its schema up to date.
pub async fn open(path: &Path) -> crate::Result<SqlitePool> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        // An accepted request must survive a crash of the machine, not only of the process.
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        // How long a writer waits for another's transaction before giving up.
        .busy_timeout(std::time::Duration::from_secs(10));
    let pool = SqlitePoolOptions::new().max_connections(4).connect_with(options).await?;
    migrator().run(&pool).await?;
    Ok(pool)
}

/// Starts a write transaction that holds SQLite's write lock from its first statement
/// (`BEGIN IMMEDIATE`). A deferred `BEGIN` reads first and upgrades to a writer later, and SQLite
/// refuses that upgrade (SQLITE_BUSY, not waited on) when another connection committed in between:
/// under concurrency that surfaced as 500 "database is locked". An immediate transaction waits for
/// the lock instead (the busy timeout), then sees the other's commit. While one is held, do every
/// query on it: a second pool connection could wait on a pool that its own waiters hold.
pub async fn write(pool: &SqlitePool) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
    pool.begin_with("BEGIN IMMEDIATE").await
}

/// Now as RFC 3339 in Beijing time, e.g. 2026-11-27T09:30:00+08:00.
pub fn now_rfc3339() -> String {
    let secs = now() + 8 * 3600;
    let date = shiye_core::date::Date::from_unix_days(secs.div_euclid(86_400))
        .map(|d| d.to_string())
        .unwrap_or_default();
    let t = secs.rem_euclid(86_400);
    format!("{date}T{:02}:{:02}:{:02}+08:00", t / 3600, t % 3600 / 60, t % 60)
}

/// Seconds since the Unix epoch, the unit of every timestamp column.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}
