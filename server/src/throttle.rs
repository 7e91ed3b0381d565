//! Throttling of guesses: failed password logins per account and per client address, failed SMS
//! login codes per phone, and SMS code requests per phone whether or not the phone is registered
//! (so the answer never tells which). A sliding window of attempt times per key, in memory: one
//! server instance's view (a restart forgets it). Keys are hashes, never the typed number.

use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex};

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
/// Seconds between two SMS codes to one phone (login and 停发 alike).
pub const SMS_RESEND_SECS: i64 = 60;
/// SMS login: one code request a minute per phone, registered or not.
pub const SMS_SEND_PER_PHONE: Limit = Limit { max: 1, window_secs: SMS_RESEND_SECS };
/// Wrong SMS login codes per phone: five a quarter hour.
pub const SMS_LOGIN_PER_PHONE: Limit = Limit { max: 5, window_secs: 15 * 60 };

#[derive(Clone, Default)]
pub struct Throttle {
    seen: Arc<Mutex<HashMap<Vec<u8>, VecDeque<i64>>>>,
}

/// A key for `what` (e.g. "pw-account") and a value, hashed so no number is kept as typed.
pub fn key(what: &str, value: &str) -> Vec<u8> {
    Sha256::digest(format!("{what}\u{0}{value}").as_bytes()).to_vec()
}

impl Throttle {
    /// `Err(seconds)` when `key` already used up `limit` at `now`: wait that long.
    pub fn check(&self, key: &[u8], limit: Limit, now: i64) -> Result<(), i64> {
        let Ok(mut seen) = self.seen.lock() else { return Ok(()) };
        let Some(times) = seen.get_mut(key) else { return Ok(()) };
        while times.front().is_some_and(|t| *t <= now - limit.window_secs) {
            times.pop_front();
        }
        match times.front() {
            Some(first) if times.len() >= limit.max => Err((first + limit.window_secs - now).max(1)),
            _ => Ok(()),
        }
    }

    /// Counts an attempt (a failure, or a request) for `key` at `now`.
    pub fn record(&self, key: &[u8], now: i64) {
        if let Ok(mut seen) = self.seen.lock() {
            // Old keys go when the map grows, so guessing many accounts cannot fill memory.
            if seen.len() > 100_000 {
                seen.retain(|_, times| times.back().is_some_and(|t| *t > now - 3600));
            }
            seen.entry(key.to_vec()).or_default().push_back(now);
        }
    }

    /// Forgets `key` (a successful login clears its account's failures).
    pub fn clear(&self, key: &[u8]) {
        if let Ok(mut seen) = self.seen.lock() {
            seen.remove(key);
        }
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

    #[test]
    fn a_window_of_attempts_then_the_wait_until_the_oldest_leaves() {
        let t = Throttle::default();
        let k = key("pw-account", "110105199001011234");
        let limit = Limit { max: 3, window_secs: 100 };
        for at in [10, 20, 30] {
            assert_eq!(t.check(&k, limit, at), Ok(()));
            t.record(&k, at);
        }
        assert_eq!(t.check(&k, limit, 40), Err(70), "until the first attempt is 100 s old");
        assert_eq!(t.check(&k, limit, 110), Ok(()), "the first has left the window");
        assert_eq!(t.check(&key("pw-account", "other"), limit, 40), Ok(()), "per key");
        t.clear(&k);
        assert_eq!(t.check(&k, limit, 41), Ok(()));
    }
}
