//! The sync engine: sends queued outbox entries, one at a time in queue order, whenever a network
//! and a valid token are there. A transport failure or a "later" answer backs off exponentially
//! with full jitter, never sooner than the server's Retry-After; a final answer settles the entry.
//! Because every entry carries its Idempotency-Key, a retry after a lost answer is replayed by the
//! server, so each submission is counted exactly once. Only the entries of the person whose token
//! it holds are sent: on a shared device everyone else's wait, sealed, for their own login.

use crate::api::{ApiClient, SubmitAnswer};
use crate::outbox::{Outbox, State};
use crate::tokens::{Grant, TokenSource};
use crate::Result;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;

/// Retry timing.
#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub base: Duration,
    pub cap: Duration,
    /// How often to look for work when nothing wakes the engine.
    pub idle: Duration,
}

impl Default for Backoff {
    fn default() -> Self {
        Backoff {
            base: Duration::from_millis(500),
            cap: Duration::from_secs(60),
            idle: Duration::from_secs(30),
        }
    }
}

impl Backoff {
    /// Full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"): uniform in
    /// [0, min(cap, base·2^failures)], and at least what the server asked for.
    pub fn delay(&self, failures: u32, server_asked: Option<Duration>) -> Duration {
        let ceiling = self.base.saturating_mul(1u32 << failures.min(16)).min(self.cap);
        let jittered = Duration::from_millis(rand::random_range(0..=ceiling.as_millis() as u64));
        jittered.max(server_asked.unwrap_or_default())
    }
}

/// What one pass over the outbox did: the `sync-report` event's payload.
pub use shiye_core::ipc::SyncReport as Report;

pub struct SyncEngine<T> {
    api: ApiClient,
    outbox: Arc<Outbox>,
    tokens: T,
    backoff: Backoff,
}

impl<T: TokenSource> SyncEngine<T> {
    pub fn new(api: ApiClient, outbox: Arc<Outbox>, tokens: T, backoff: Backoff) -> Self {
        SyncEngine { api, outbox, tokens, backoff }
    }

    /// Sends queued entries in order until all are settled or one cannot be sent now.
    pub async fn pass(&self, failures: u32) -> Result<Report> {
        let mut report = Report::default();
        let Grant { subject, access_token: mut token } = self.tokens.grant().await?;
        let waiting = self.outbox.queued(&subject)?;
        report.queued = waiting.len();
        for entry in waiting {
            let key = entry.id.to_string();
            let send = |token: String| {
                let (api, submission) = (&self.api, &entry.submission);
                let key = key.clone();
                async move { api.submit(&token, &key, submission).await.unwrap_or(SubmitAnswer::Later(None)) }
            };
            let mut answer = send(token.clone()).await;
            if matches!(answer, SubmitAnswer::Unauthorized) {
                // Refresh once and retry; a second 401 means the person must log in again.
                match self.tokens.refreshed(&token).await {
                    // The same person's new token; never someone else's.
                    Ok(fresh) if fresh.subject == subject => {
                        token = fresh.access_token;
                        answer = send(token.clone()).await;
                    }
                    _ => {}
                }
            }
            let state = match answer {
                SubmitAnswer::Accepted(app) => {
                    report.accepted += 1;
                    State::Accepted(app)
                }
                SubmitAnswer::Invalid(v) => {
                    report.invalid += 1;
                    State::Invalid(v.errors)
                }
                SubmitAnswer::Refused(c) => {
                    report.refused += 1;
                    State::Refused(c)
                }
                SubmitAnswer::Unauthorized => {
                    report.needs_login = true;
                    break;
                }
                SubmitAnswer::Later(asked) => {
                    self.outbox.attempted(&subject, entry.id).await?;
                    report.retry_after = Some(self.backoff.delay(failures, asked));
                    break;
                }
                SubmitAnswer::Unusable(status) => {
                    report.failed += 1;
                    State::Failed(status)
                }
            };
            self.outbox.settle(&subject, entry.id, state)?;
            // Counted from the list this pass read: the outbox is decrypted once per pass.
            report.queued -= 1;
        }
        // The answers settled in this pass reach the disk together (see `Outbox::settle`).
        self.outbox.flush().await?;
        Ok(report)
    }

    /// Runs until `stop` is notified: a pass whenever woken (new entry, 立即同步, network back),
    /// after a backoff when a pass stopped early, and every `idle` otherwise. Each report goes to
    /// `on_report` (the app turns it into a UI event).
    pub async fn run(&self, wake: Arc<Notify>, stop: Arc<Notify>, on_report: impl Fn(&Report) + Send) {
        let mut failures = 0u32;
        loop {
            let wait = match self.pass(failures).await {
                Ok(report) => {
                    on_report(&report);
                    match report.retry_after {
                        Some(d) => {
                            failures = failures.saturating_add(1);
                            d
                        }
                        None => {
                            failures = 0;
                            self.backoff.idle
                        }
                    }
                }
                Err(_) => {
                    failures = failures.saturating_add(1);
                    self.backoff.delay(failures, None)
                }
            };
            tokio::select! {
                _ = stop.notified() => return,
                _ = wake.notified() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_its_cap_and_honours_retry_after() {
        let b = Backoff {
            base: Duration::from_millis(100),
            cap: Duration::from_secs(2),
            idle: Duration::from_secs(1),
        };
        for failures in 0..20 {
            let d = b.delay(failures, None);
            assert!(d <= Duration::from_millis(100 * (1u64 << failures.min(16))).min(Duration::from_secs(2)));
        }
        assert!(b.delay(0, Some(Duration::from_secs(5))) >= Duration::from_secs(5));
    }
}
