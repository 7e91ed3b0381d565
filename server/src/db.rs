//! The store: SQLite (a file, the embedded default) or PostgreSQL (for several server instances),
//! reached through sqlx's `Any` driver so that every query is written once. Queries use `$1`
//! placeholders, which both accept, and are written at runtime in the module that owns each table.

use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{ConnectOptions, Executor, SqlSafeStr};
use std::borrow::Cow;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// The pool every handler shares.
pub type Pool = sqlx::AnyPool;
/// One connection, for queries that belong together without a transaction.
pub type Conn = sqlx::AnyConnection;
/// A write transaction (see [`write`]).
pub type Tx = sqlx::Transaction<'static, sqlx::Any>;

/// Where the data lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A SQLite file, created if missing.
    Sqlite(PathBuf),
    /// A PostgreSQL URL (`postgres://user@host/db`); the database must exist.
    Postgres(String),
}

impl Location {
    /// `postgres://…` or `postgresql://…` is PostgreSQL; anything else is a SQLite file path.
    pub fn parse(s: &str) -> Location {
        if s.starts_with("postgres://") || s.starts_with("postgresql://") {
            Location::Postgres(s.to_string())
        } else {
            Location::Sqlite(PathBuf::from(s.strip_prefix("sqlite://").unwrap_or(s)))
        }
    }

    /// Where the sealing key is kept unless the operator says otherwise: beside a SQLite file;
    /// PostgreSQL has no file of its own, so there the key file must be given.
    pub fn default_key_file(&self) -> Option<PathBuf> {
        match self {
            Location::Sqlite(path) => {
                let mut name = path.file_name().unwrap_or_default().to_os_string();
                name.push(".key");
                Some(path.with_file_name(name))
            }
            Location::Postgres(_) => None,
        }
    }
}

impl From<&Path> for Location {
    fn from(p: &Path) -> Self {
        Location::Sqlite(p.to_path_buf())
    }
}

impl From<&PathBuf> for Location {
    fn from(p: &PathBuf) -> Self {
        Location::Sqlite(p.clone())
    }
}

fn migration(version: i64, description: &'static str, sql: &'static str) -> Migration {
    Migration::new(version, Cow::Borrowed(description), MigrationType::Simple, sql.into_sql_str(), false)
}

/// The schema, in order, per database. Each file is applied once and its checksum recorded.
fn migrator(location: &Location) -> Migrator {
    let migrations = match location {
        Location::Sqlite(_) => vec![
            migration(1, "identity", include_str!("../migrations/sqlite/0001_identity.sql")),
            migration(2, "service", include_str!("../migrations/sqlite/0002_service.sql")),
            migration(3, "sms outbox", include_str!("../migrations/sqlite/0003_sms_outbox.sql")),
            migration(4, "signing keys", include_str!("../migrations/sqlite/0004_signing_keys.sql")),
            migration(5, "submitted unix", include_str!("../migrations/sqlite/0005_submitted_unix.sql")),
            migration(
                6,
                "items subject, sealed",
                include_str!("../migrations/sqlite/0006_items_subject_sealed.sql"),
            ),
            migration(7, "registration", include_str!("../migrations/sqlite/0007_registration.sql")),
            migration(8, "reference", include_str!("../migrations/sqlite/0008_reference.sql")),
            migration(9, "signing key alg", include_str!("../migrations/sqlite/0009_signing_key_alg.sql")),
            migration(10, "consent", include_str!("../migrations/sqlite/0010_consent.sql")),
            migration(11, "throttle", include_str!("../migrations/sqlite/0011_throttle.sql")),
            migration(12, "items queue", include_str!("../migrations/sqlite/0012_items_queue.sql")),
            migration(13, "reference source", include_str!("../migrations/sqlite/0013_reference_source.sql")),
        ],
        Location::Postgres(_) => {
            vec![
                migration(1, "schema", include_str!("../migrations/postgres/0001_schema.sql")),
                migration(2, "registration", include_str!("../migrations/postgres/0002_registration.sql")),
                migration(3, "reference", include_str!("../migrations/postgres/0003_reference.sql")),
                migration(
                    4,
                    "signing key alg",
                    include_str!("../migrations/postgres/0004_signing_key_alg.sql"),
                ),
                migration(5, "consent", include_str!("../migrations/postgres/0005_consent.sql")),
                migration(
                    6,
                    "application sequence",
                    include_str!("../migrations/postgres/0006_application_seq.sql"),
                ),
                migration(7, "throttle", include_str!("../migrations/postgres/0007_throttle.sql")),
                migration(8, "items queue", include_str!("../migrations/postgres/0008_items_queue.sql")),
                migration(
                    9,
                    "reference source",
                    include_str!("../migrations/postgres/0009_reference_source.sql"),
                ),
            ]
        }
    };
    Migrator { migrations: Cow::Owned(migrations), ..Migrator::DEFAULT }
}

/// Opens the store (creating a SQLite file if needed) and brings its schema up to date.
pub async fn open(location: &Location) -> crate::Result<Pool> {
    sqlx::any::install_default_drivers();
    let (url, connections) = match location {
        Location::Sqlite(path) => (format!("sqlite://{}?mode=rwc", path.display()), 4),
        Location::Postgres(url) => (url.clone(), 8),
    };
    let options = AnyConnectOptions::from_str(&url)?.disable_statement_logging();
    let sqlite = matches!(location, Location::Sqlite(_));
    let pool = AnyPoolOptions::new()
        .max_connections(connections)
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if sqlite {
                    // WAL lets readers go on during a write; FULL makes an accepted request survive
                    // a crash of the machine; the busy timeout is how long a writer waits for another;
                    // secure_delete overwrites what is deleted or replaced (values sealed at start).
                    conn.execute(
                        "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA secure_delete = ON;",
                    )
                    .await?;
                }
                Ok(())
            })
        })
        .connect_with(options)
        .await?;
    migrator(location).run(&pool).await?;
    Ok(pool)
}

pub fn is_postgres(pool: &Pool) -> bool {
    matches!(pool.connect_options().database_url.scheme(), "postgres" | "postgresql")
}

/// Starts a write transaction that holds the one write lock from its first statement, so that a
/// read-then-write sees every earlier commit and no two interleave:
/// - SQLite: `BEGIN IMMEDIATE`. A deferred `BEGIN` reads first and upgrades to a writer later, and
///   SQLite refuses that upgrade (SQLITE_BUSY, not waited on) when another connection committed in
///   between: under concurrency that surfaced as 500 "database is locked".
/// - PostgreSQL: a transaction-scoped advisory lock, taken by every instance on the database, so
///   several server processes serialise their writes the same way; each later statement (READ
///   COMMITTED) sees what the previous holder committed. Only for what is global (the published
///   reference data, signing keys, the sealing at start, a reviewer's case-file audit): a person's
///   writes take [`write_for`].
///
/// While one is held, do every query on it: a second pool connection could wait on a pool that its
/// own waiters hold.
pub async fn write(pool: &Pool) -> Result<Tx, sqlx::Error> {
    locked(pool, None).await
}

/// A write transaction that waits only for others of the same `key` — a person's subject, one
/// authorization code, one refresh-token family: on PostgreSQL a transaction-scoped advisory lock
/// on the key's hash (two persons' writes never wait for each other, whichever instance serves
/// them); on SQLite `BEGIN IMMEDIATE`, as [`write`] (one file has one writer at a time anyway).
/// What is global among such writers is kept so by the database itself: sequences, unique keys,
/// conditional updates.
pub async fn write_for(pool: &Pool, key: &str) -> Result<Tx, sqlx::Error> {
    locked(pool, Some(key)).await
}

/// A write transaction holding, on PostgreSQL, the global lock (`key` `None`) or `key`'s; on SQLite
/// the one writer's (`BEGIN IMMEDIATE`). The wait is timed (see [`lock_waits`]).
async fn locked(pool: &Pool, key: Option<&str>) -> Result<Tx, sqlx::Error> {
    if !is_postgres(pool) {
        let started = std::time::Instant::now();
        let tx = pool.begin_with("BEGIN IMMEDIATE").await?;
        waited(started.elapsed());
        return Ok(tx);
    }
    let mut tx = pool.begin().await?;
    let started = std::time::Instant::now();
    // The lock function returns `void`, a type the Any driver cannot read: count its one row.
    let lock = match key {
        None => sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(7370001)) AS l"),
        Some(k) => {
            sqlx::query("SELECT COUNT(*) FROM (SELECT pg_advisory_xact_lock(7370002, hashtext($1))) AS l")
                .bind(k)
        }
    };
    lock.execute(&mut *tx).await?;
    waited(started.elapsed());
    Ok(tx)
}

/// Time spent taking write locks by this process (every transaction of [`write`] and
/// [`write_for`]: on PostgreSQL the advisory lock's statement, its round trip included; on SQLite
/// the `BEGIN IMMEDIATE`): (transactions, total). What a benchmark reports to
/// show whether writes queue behind each other.
pub fn lock_waits() -> (u64, std::time::Duration) {
    use std::sync::atomic::Ordering;
    (LOCKS.load(Ordering::Relaxed), std::time::Duration::from_micros(LOCK_MICROS.load(Ordering::Relaxed)))
}

static LOCKS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
static LOCK_MICROS: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

fn waited(d: std::time::Duration) {
    use std::sync::atomic::Ordering;
    LOCKS.fetch_add(1, Ordering::Relaxed);
    LOCK_MICROS.fetch_add(d.as_micros() as u64, Ordering::Relaxed);
}

/// The next number in the order of arrival of applications: a sequence on PostgreSQL (no lock),
/// the largest so far plus one on SQLite (read under its one writer).
pub async fn next_application_seq(conn: &mut Conn) -> Result<i64, sqlx::Error> {
    use sqlx::Row;
    let sql = if conn.backend_name().eq_ignore_ascii_case("postgresql") {
        "SELECT nextval('application_seq') AS next"
    } else {
        // `WHERE seq > 0` lets the (partial) index answer MAX at once instead of a scan.
        "SELECT COALESCE(MAX(seq), 0) + 1 AS next FROM applications WHERE seq > 0"
    };
    Ok(sqlx::query(sql).fetch_one(&mut *conn).await?.get("next"))
}

/// SQLite: copies the write-ahead log into the database file and empties it, so that the file
/// alone is the data (after the start-up sealing, and at a clean stop). Nothing on PostgreSQL.
pub async fn checkpoint(pool: &Pool) -> Result<(), sqlx::Error> {
    if !is_postgres(pool) {
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(pool).await?;
    }
    Ok(())
}

/// Now as RFC 3339 in Beijing time to the second, e.g. 2026-11-27T09:30:00+08:00.
pub fn now_rfc3339() -> String {
    rfc3339_beijing(time::OffsetDateTime::now_utc())
}

fn rfc3339_beijing(at: time::OffsetDateTime) -> String {
    let beijing = time::UtcOffset::from_hms(8, 0, 0).unwrap_or(time::UtcOffset::UTC);
    let at = at.to_offset(beijing);
    let at = at.replace_nanosecond(0).unwrap_or(at);
    at.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Seconds since the Unix epoch, the unit of every timestamp column.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_in_beijing_time_to_the_second() {
        let at = time::OffsetDateTime::from_unix_timestamp(1_795_743_000).unwrap()
            + time::Duration::milliseconds(700);
        assert_eq!(rfc3339_beijing(at), "2026-11-27T09:30:00+08:00");
        let midnight = time::OffsetDateTime::from_unix_timestamp(1_795_708_800).unwrap();
        assert_eq!(rfc3339_beijing(midnight), "2026-11-27T00:00:00+08:00");
    }

    #[test]
    fn a_postgres_url_is_postgres_and_anything_else_a_file() {
        assert_eq!(Location::parse("postgres://u@h/db"), Location::Postgres("postgres://u@h/db".into()));
        assert_eq!(Location::parse("data/s.sqlite"), Location::Sqlite("data/s.sqlite".into()));
        assert_eq!(Location::parse("sqlite:///tmp/x"), Location::Sqlite("/tmp/x".into()));
        assert_eq!(Location::parse("/d/s.sqlite").default_key_file(), Some(PathBuf::from("/d/s.sqlite.key")));
        assert_eq!(Location::parse("postgresql://h/db").default_key_file(), None);
    }
}
