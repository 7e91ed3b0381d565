//! Throttling of guesses: failed password logins per account and per client address, failed SMS
//! login codes per phone, and SMS code requests per phone whether or not the phone is registered
//! (so the answer never tells which). A sliding window of attempt times per key, kept in the
//! database, so that every instance on one database counts the same attempts (N instances behind
//! a balancer do not give N × the guesses) and a restart forgets nothing. Keys are hashes, never
//! the typed number; attempts older than an hour are deleted as new ones come.

use crate::db::Pool;
use crate::error::Error;
use sha2::{Digest, Sha256};
use sqlx::Row;

/// What may happen within a window.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: usize,
    pub window_secs: i64,
}

/// Wrong passwords for one account: five a quarter hour.
pub const PASSWORD_PER_ACCOUNT: Limit = Limit { max: 5, window_secs: 15 * 60 };
/// Wrong passwords from one client address, whatever the account: twenty a quarter hour.
pub const PASSWORD_PER_ADDRESS: Limit = Limit { max: 20, window_secs: 15 * 60 };
/// Seconds between two SMS codes to one phone for one purpose.
pub const SMS_RESEND_SECS: i64 = 60;
/// SMS login: one code request a minute per phone, registered or not.
pub const SMS_SEND_PER_PHONE: Limit = Limit { max: 1, window_secs: SMS_RESEND_SECS };
/// Wrong SMS login codes per phone: five a quarter hour.
pub const SMS_LOGIN_PER_PHONE: Limit = Limit { max: 5, window_secs: 15 * 60 };

/// No window is longer: older attempts are deleted.
const KEPT_SECS: i64 = 3600;

/// The attempts every instance shares.
#[derive(Clone)]
pub struct Throttle {
    db: Pool,
}

/// A key for `what` (e.g. "pw-account") and a value, hashed so no number is kept as typed.
pub fn key(what: &str, value: &str) -> String {
    crate::secrets::hex(&Sha256::digest(format!("{what}\u{0}{value}").as_bytes()))
}

impl Throttle {
    pub fn new(db: Pool) -> Self {
        Throttle { db }
    }

    /// `Err(seconds)` when `key` already used up `limit` at `now`: wait that long.
    pub async fn check(&self, key: &str, limit: Limit, now: i64) -> Result<Result<(), i64>, Error> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n, MIN(at) AS first FROM throttle_events WHERE key = $1 AND at > $2",
        )
        .bind(key)
        .bind(now - limit.window_secs)
        .fetch_one(&self.db)
        .await?;
        let (n, first): (i64, Option<i64>) = (row.get("n"), row.get("first"));
        Ok(match first {
            Some(first) if n as usize >= limit.max => Err((first + limit.window_secs - now).max(1)),
            _ => Ok(()),
        })
    }

    /// Counts an attempt (a failure, or a request) for `key` at `now`, and lets hour-old ones go.
    pub async fn record(&self, key: &str, now: i64) -> Result<(), Error> {
        sqlx::query("INSERT INTO throttle_events (key, at) VALUES ($1, $2)")
            .bind(key)
            .bind(now)
            .execute(&self.db)
            .await?;
        sqlx::query("DELETE FROM throttle_events WHERE at <= $1")
            .bind(now - KEPT_SECS)
            .execute(&self.db)
            .await?;
        Ok(())
    }

    /// Forgets `key` (a successful login clears its account's failures).
    pub async fn clear(&self, key: &str) -> Result<(), Error> {
        sqlx::query("DELETE FROM throttle_events WHERE key = $1").bind(key).execute(&self.db).await?;
        Ok(())
    }
}

/// The client's address when the server was started with connect info (`Server::run`).
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let info = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>();
        Ok(ClientAddr(info.map(|c| c.0.ip())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db;

    #[tokio::test]
    async fn a_window_of_attempts_then_the_wait_until_the_oldest_leaves() {
        let dir = tempfile::tempdir().unwrap();
        let pool = db::open(&db::Location::Sqlite(dir.path().join("t.sqlite"))).await.unwrap();
        let t = Throttle::new(pool.clone());
        let k = key("pw-account", "110105199001011234");
        assert!(!k.contains("110105"), "hashed");
        let limit = Limit { max: 3, window_secs: 100 };
        for at in [10, 20, 30] {
            assert_eq!(t.check(&k, limit, at).await.unwrap(), Ok(()));
            t.record(&k, at).await.unwrap();
        }
        assert_eq!(t.check(&k, limit, 40).await.unwrap(), Err(70), "until the first attempt is 100 s old");
        assert_eq!(t.check(&k, limit, 110).await.unwrap(), Ok(()), "the first has left the window");
        assert_eq!(t.check(&key("pw-account", "other"), limit, 40).await.unwrap(), Ok(()), "per key");
        // Another instance on the same database sees the same attempts.
        let other = Throttle::new(pool);
        assert_eq!(other.check(&k, limit, 40).await.unwrap(), Err(70));
        t.clear(&k).await.unwrap();
        assert_eq!(other.check(&k, limit, 41).await.unwrap(), Ok(()));
        t.record(&k, 5000).await.unwrap();
        let left: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM throttle_events").fetch_one(&t.db).await.unwrap().get("n");
        assert_eq!(left, 1, "hour-old attempts are gone");
    }
}
