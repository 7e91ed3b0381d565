//! The outbox: submissions waiting to be sent, each under a client-made UUID v7 that is its
//! `Idempotency-Key`, sealed and durable before `enqueue` returns, and settled with the server's
//! answer. Entries are never deleted by sending, so a restart resumes exactly where it stopped.
//! All sled use for the outbox is here.

use crate::seal::Sealer;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use shiye_core::api::{Application, ApplicationSubmission, Conflict};
use shiye_core::forms::FieldError;
use std::path::Path;
use uuid::Uuid;

/// Where an entry stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    /// Waiting to be sent (or re-sent: the key makes a retry safe).
    Queued,
    /// 201: the server's answer, with the 办件编号s.
    Accepted(Application),
    /// 422: back to the person as a draft, with these errors.
    Invalid(Vec<FieldError>),
    /// 409: the person's state forbids it.
    Refused(Conflict),
    /// Any other 4xx: the server cannot take this submission as it is (e.g. an app/server version
    /// mismatch). Kept for the person and support; it no longer blocks the queue.
    Failed(u16),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub id: Uuid,
    pub subject: String,
    pub submission: ApplicationSubmission,
    pub state: State,
    pub attempts: u32,
    pub queued_at: i64,
}

/// Queued and settled entries live in two trees, so that a pass reads only what is waiting.
pub struct Outbox {
    _db: sled::Db,
    queued: sled::Tree,
    settled: sled::Tree,
    sealer: Sealer,
}

impl Outbox {
    pub fn open(dir: &Path, sealer: Sealer) -> Result<Self> {
        let db = sled::open(dir)?;
        Ok(Outbox { queued: db.open_tree("queued")?, settled: db.open_tree("settled")?, _db: db, sealer })
    }

    fn sealed(&self, entry: &Entry) -> Result<Vec<u8>> {
        Ok(self.sealer.seal(entry.id.as_bytes(), &serde_json::to_vec(entry)?))
    }

    /// Writes an entry to the tree its state belongs in (moving it there in one transaction) and
    /// returns once it is on disk.
    async fn write(&self, entry: &Entry) -> Result<()> {
        use sled::Transactional;
        let k = entry.id.as_bytes();
        let v = self.sealed(entry)?;
        let queued = entry.state == State::Queued;
        (&self.queued, &self.settled)
            .transaction(|(q, s)| {
                if queued {
                    q.insert(k, v.as_slice())?;
                } else {
                    q.remove(k)?;
                    s.insert(k, v.as_slice())?;
                }
                Ok::<_, sled::transaction::ConflictableTransactionError<()>>(())
            })
            .map_err(|e| match e {
                sled::transaction::TransactionError::Storage(e) => Error::Storage(e),
                sled::transaction::TransactionError::Abort(()) => Error::Unsealable,
            })?;
        self.queued.flush_async().await?;
        self.settled.flush_async().await?;
        Ok(())
    }

    fn decode(&self, k: &[u8], sealed: &[u8]) -> Result<Entry> {
        let plain = self.sealer.open(k, sealed).ok_or(Error::Unsealable)?;
        Ok(serde_json::from_slice(&plain)?)
    }

    /// Queues a submission; durable when this returns. The id is its Idempotency-Key.
    pub async fn enqueue(&self, subject: &str, submission: ApplicationSubmission, now: i64) -> Result<Uuid> {
        let entry = Entry {
            id: Uuid::now_v7(),
            subject: subject.to_string(),
            submission,
            state: State::Queued,
            attempts: 0,
            queued_at: now,
        };
        self.write(&entry).await?;
        Ok(entry.id)
    }

    pub fn get(&self, id: Uuid) -> Result<Option<Entry>> {
        let k = id.as_bytes();
        match self.queued.get(k)?.or(self.settled.get(k)?) {
            Some(sealed) => Ok(Some(self.decode(k, &sealed)?)),
            None => Ok(None),
        }
    }

    fn entries(&self, tree: &sled::Tree) -> Result<Vec<Entry>> {
        tree.iter().map(|item| item.map_err(Error::from).and_then(|(k, v)| self.decode(&k, &v))).collect()
    }

    /// Every entry, oldest first (UUID v7 keys sort by time).
    pub fn all(&self) -> Result<Vec<Entry>> {
        let mut all = self.entries(&self.queued)?;
        all.extend(self.entries(&self.settled)?);
        all.sort_by_key(|e| e.id);
        Ok(all)
    }

    /// Entries waiting to be sent, oldest first.
    pub fn queued(&self) -> Result<Vec<Entry>> {
        self.entries(&self.queued)
    }

    pub fn queued_count(&self) -> usize {
        self.queued.len()
    }

    /// Records an attempt that got no final answer.
    pub async fn attempted(&self, id: Uuid) -> Result<()> {
        if let Some(mut e) = self.get(id)? {
            e.attempts += 1;
            self.write(&e).await?;
        }
        Ok(())
    }

    /// Deletes a settled entry the person has dealt with (reopened as a draft or dismissed).
    /// Queued entries are never removed: they may already have reached the server.
    pub async fn remove_settled(&self, id: Uuid) -> Result<Option<Entry>> {
        let Some(entry) = self.get(id)? else { return Ok(None) };
        if entry.state == State::Queued {
            return Ok(None);
        }
        self.settled.remove(id.as_bytes())?;
        self.settled.flush_async().await?;
        Ok(Some(entry))
    }

    /// Records the server's final answer.
    pub async fn settle(&self, id: Uuid, state: State) -> Result<()> {
        if let Some(mut e) = self.get(id)? {
            e.attempts += 1;
            e.state = state;
            self.write(&e).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiye_core::api::DRAFT_SCHEMA_VERSION;
    use shiye_core::forms::Answers;
    use shiye_core::services::Bundle;

    #[tokio::test]
    async fn queue_settle_and_survive_reopening() {
        let dir = tempfile::tempdir().unwrap();
        let sub = ApplicationSubmission {
            schema_version: DRAFT_SCHEMA_VERSION,
            answers: Answers::new(Bundle::JobSeeking),
        };
        let (a, b) = {
            let o = Outbox::open(dir.path(), Sealer::new(&[1; 32])).unwrap();
            let a = o.enqueue("p1", sub.clone(), 1).await.unwrap();
            let b = o.enqueue("p1", sub.clone(), 2).await.unwrap();
            o.attempted(a).await.unwrap();
            o.settle(b, State::Invalid(vec![])).await.unwrap();
            (a, b)
        };
        let o = crate::testing::reopen(|| Outbox::open(dir.path(), Sealer::new(&[1; 32])));
        assert_eq!(o.queued().unwrap().iter().map(|e| (e.id, e.attempts)).collect::<Vec<_>>(), [(a, 1)]);
        assert_eq!(o.get(b).unwrap().unwrap().state, State::Invalid(vec![]));
        assert!(a < b, "keys sort by time");
        drop(o);
        let other_key = crate::testing::reopen(|| Outbox::open(dir.path(), Sealer::new(&[2; 32])));
        assert!(matches!(other_key.all(), Err(Error::Unsealable)));
    }
}
