//! The outbox: submissions waiting to be sent, each under a client-made UUID v7 that is its
//! `Idempotency-Key`, sealed and durable before `enqueue` returns, and settled with the server's
//! answer. Entries are never deleted by sending, so a restart resumes exactly where it stopped.
//! Every entry belongs to the person who queued it (`subject`, sealed with the rest): only their
//! login sends it, and only they see it. The entries live in two trees of the one store, keyed by
//! a hash of their owner and then their id, so that a person's ledger is one range of keys: a
//! listing opens only that person's entries, never the others' on a shared device.

use crate::drafts::{self, Drafts};
use crate::seal::Sealer;
use crate::store::{trees, Store};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use shiye_core::api::{Application, ApplicationSubmission, Conflict};
use shiye_core::forms::FieldError;
use sled::transaction::{ConflictableTransactionError, TransactionError};
use sled::Transactional;
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

/// Queued and settled entries live in two trees, so that a pass reads only what is waiting; a
/// third holds when each owner was last here.
pub struct Outbox {
    queued: sled::Tree,
    settled: sled::Tree,
    seen: sled::Tree,
    sealer: Sealer,
}

/// A person's key prefix in every tree (and their key in `seen`): a hash, so no tree names anybody.
fn owner_key(subject: &str) -> Vec<u8> {
    use sha2::Digest;
    sha2::Sha256::digest(subject.as_bytes()).to_vec()
}

/// An entry's key: its owner's prefix, then its id (UUID v7: a person's entries sort by time).
fn entry_key(subject: &str, id: Uuid) -> Vec<u8> {
    let mut k = owner_key(subject);
    k.extend_from_slice(id.as_bytes());
    k
}

/// The id in a key, which is what the seal binds each value to (keys written before the owner
/// prefix are the id alone).
fn id_bytes(k: &[u8]) -> &[u8] {
    &k[k.len().saturating_sub(16)..]
}

fn storage_error(e: TransactionError<()>) -> Error {
    match e {
        TransactionError::Storage(e) => Error::Storage(e),
        TransactionError::Abort(()) => Error::Unsealable,
    }
}

impl Outbox {
    pub fn open(store: &Store, sealer: Sealer) -> Result<Self> {
        let outbox = Outbox {
            queued: store.tree(trees::QUEUED)?,
            settled: store.tree(trees::SETTLED)?,
            seen: store.tree(trees::SEEN)?,
            sealer,
        };
        outbox.rekey()?;
        Ok(outbox)
    }

    /// Moves entries an earlier version keyed by id alone under their owner's prefix; an entry no
    /// key here opens stays as it is, for `expire`.
    fn rekey(&self) -> Result<()> {
        let mut moved = 0;
        for tree in [&self.queued, &self.settled] {
            for item in tree.iter() {
                let (k, v) = item?;
                if k.len() != 16 {
                    continue;
                }
                let Ok(entry) = self.decode(&k, &v) else { continue };
                let new = entry_key(&entry.subject, entry.id);
                tree.transaction(|t| {
                    t.insert(new.as_slice(), v.as_ref())?;
                    t.remove(k.as_ref())?;
                    Ok::<_, ConflictableTransactionError<()>>(())
                })
                .map_err(storage_error)?;
                moved += 1;
            }
        }
        // A start with nothing to move (every start after the first) waits for no disk.
        if moved > 0 {
            self.queued.flush()?;
        }
        Ok(())
    }

    fn sealed(&self, entry: &Entry) -> Result<Vec<u8>> {
        Ok(self.sealer.seal(entry.id.as_bytes(), &serde_json::to_vec(entry)?))
    }

    /// Writes an entry to the tree its state belongs in (moving it there in one transaction) and
    /// returns once it is on disk.
    async fn write(&self, entry: &Entry) -> Result<()> {
        self.put(entry)?;
        self.flush().await
    }

    /// Waits until everything written so far is on disk.
    pub async fn flush(&self) -> Result<()> {
        // One database: one flush covers both trees.
        self.queued.flush_async().await?;
        Ok(())
    }

    /// `write` without waiting for the disk (sled writes it within its flush interval).
    fn put(&self, entry: &Entry) -> Result<()> {
        let k = entry_key(&entry.subject, entry.id);
        let k = k.as_slice();
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
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(storage_error)?;
        Ok(())
    }

    fn decode(&self, k: &[u8], sealed: &[u8]) -> Result<Entry> {
        let plain = self.sealer.open(id_bytes(k), sealed).ok_or(Error::Unsealable)?;
        Ok(serde_json::from_slice(&plain)?)
    }

    /// Queues a submission and drops the person's draft of its bundle in one transaction: after a
    /// crash there is either the draft or the queued entry, never both (a second submission under
    /// a new key) and never neither. Durable when this returns. The id is its Idempotency-Key.
    pub async fn enqueue(
        &self,
        subject: &str,
        submission: ApplicationSubmission,
        now: i64,
        drafts: &Drafts,
    ) -> Result<Uuid> {
        let draft_key = drafts::key(subject, submission.answers.bundle());
        let entry = Entry {
            id: Uuid::now_v7(),
            subject: subject.to_string(),
            submission,
            state: State::Queued,
            attempts: 0,
            queued_at: now,
        };
        let (k, v) = (entry_key(subject, entry.id), self.sealed(&entry)?);
        (&self.queued, drafts.tree())
            .transaction(|(q, d)| {
                q.insert(k.as_slice(), v.as_slice())?;
                d.remove(draft_key.as_slice())?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(storage_error)?;
        self.queued.flush_async().await?;
        Ok(entry.id)
    }

    /// Records a submission the server accepted while the person waited (an online-only item,
    /// never queued) and drops the person's draft of its bundle, in one transaction: the 回执 is
    /// kept like any other, and the answers are either the draft or the accepted entry.
    pub async fn record_accepted(
        &self,
        subject: &str,
        id: Uuid,
        submission: ApplicationSubmission,
        application: shiye_core::api::Application,
        now: i64,
        drafts: &Drafts,
    ) -> Result<()> {
        let draft_key = drafts::key(subject, submission.answers.bundle());
        let entry = Entry {
            id,
            subject: subject.to_string(),
            submission,
            state: State::Accepted(application),
            attempts: 1,
            queued_at: now,
        };
        let (k, v) = (entry_key(subject, entry.id), self.sealed(&entry)?);
        (&self.settled, drafts.tree())
            .transaction(|(s, d)| {
                s.insert(k.as_slice(), v.as_slice())?;
                d.remove(draft_key.as_slice())?;
                Ok::<_, ConflictableTransactionError<()>>(())
            })
            .map_err(storage_error)?;
        self.settled.flush_async().await?;
        Ok(())
    }

    /// One of a person's entries.
    pub fn get(&self, subject: &str, id: Uuid) -> Result<Option<Entry>> {
        let k = entry_key(subject, id);
        match self.queued.get(&k)?.or(self.settled.get(&k)?) {
            Some(sealed) => Ok(Some(self.decode(&k, &sealed)?).filter(|e| e.subject == subject)),
            None => Ok(None),
        }
    }

    /// The entries of one person in a tree, oldest first; nobody else's is opened.
    fn owned(&self, tree: &sled::Tree, subject: &str) -> Result<Vec<Entry>> {
        let entries = tree
            .scan_prefix(owner_key(subject))
            .map(|item| item.map_err(Error::from).and_then(|(k, v)| self.decode(&k, &v)));
        // The hash is the index; the sealed owner is the truth.
        Ok(entries.collect::<Result<Vec<_>>>()?.into_iter().filter(|e| e.subject == subject).collect())
    }

    /// One person's ledger on this device: every entry of theirs, oldest first.
    pub fn mine(&self, subject: &str) -> Result<Vec<Entry>> {
        let mut all = self.owned(&self.queued, subject)?;
        all.extend(self.owned(&self.settled, subject)?);
        all.sort_by_key(|e| e.id);
        Ok(all)
    }

    /// Every entry of every person, oldest first: for tests and tools, never a person's view.
    pub fn all(&self) -> Result<Vec<Entry>> {
        let open = |tree: &sled::Tree| -> Result<Vec<Entry>> {
            tree.iter().map(|item| item.map_err(Error::from).and_then(|(k, v)| self.decode(&k, &v))).collect()
        };
        let mut all = open(&self.queued)?;
        all.extend(open(&self.settled)?);
        all.sort_by_key(|e| e.id);
        Ok(all)
    }

    /// One person's entries waiting to be sent, oldest first. Other people's wait for their own
    /// login.
    pub fn queued(&self, subject: &str) -> Result<Vec<Entry>> {
        self.owned(&self.queued, subject)
    }

    /// How many of one person's entries wait (counted by key, nothing opened).
    pub fn queued_count(&self, subject: &str) -> Result<usize> {
        let mut n = 0;
        for item in self.queued.scan_prefix(owner_key(subject)) {
            item?;
            n += 1;
        }
        Ok(n)
    }

    /// Logout on a kiosk: deletes the person's settled entries (their history leaves the device);
    /// their queued ones stay, sealed, until their next login sends them. Returns how many went.
    pub async fn forget_settled(&self, subject: &str) -> Result<usize> {
        let mine = self.owned(&self.settled, subject)?;
        for e in &mine {
            self.settled.remove(entry_key(subject, e.id))?;
        }
        self.settled.flush_async().await?;
        Ok(mine.len())
    }

    /// Notes that `subject` was here (logged in, or opened the app as the person last signed in).
    pub fn owner_seen(&self, subject: &str, at: i64) -> Result<()> {
        self.seen.insert(owner_key(subject), &at.to_be_bytes())?;
        Ok(())
    }

    /// When `subject` was last here, if this device has noted it.
    fn last_seen(&self, subject: &str) -> Result<Option<i64>> {
        Ok(self
            .seen
            .get(owner_key(subject))?
            .and_then(|v| <[u8; 8]>::try_from(v.as_ref()).ok())
            .map(i64::from_be_bytes))
    }

    /// Removes what nobody will send: still-queued submissions whose owner has not been here since
    /// `cutoff` (Unix seconds; `outbox_keep_days`) — queued before it, and not seen after it — and
    /// entries no key here opens. Nothing settled goes: an accepted entry is the person's 回执 and
    /// a refused one waits for the person to deal with it (only they discard what they typed).
    /// Returns how many went.
    pub async fn expire(&self, cutoff: i64) -> Result<usize> {
        let mut gone = 0;
        for item in self.queued.iter() {
            let (k, v) = item?;
            let abandoned = match self.decode(&k, &v) {
                Ok(e) => e.queued_at.max(self.last_seen(&e.subject)?.unwrap_or(i64::MIN)) < cutoff,
                // Another installation's key: it can never be sent.
                Err(_) => true,
            };
            if abandoned {
                self.queued.remove(&k)?;
                gone += 1;
            }
        }
        for item in self.settled.iter() {
            let (k, v) = item?;
            if self.decode(&k, &v).is_err() {
                self.settled.remove(&k)?;
                gone += 1;
            }
        }
        self.queued.flush_async().await?;
        Ok(gone)
    }

    /// Records an attempt that got no final answer.
    pub async fn attempted(&self, subject: &str, id: Uuid) -> Result<()> {
        if let Some(mut e) = self.get(subject, id)? {
            e.attempts += 1;
            self.write(&e).await?;
        }
        Ok(())
    }

    /// Deletes a settled entry the person has dealt with (reopened as a draft or dismissed).
    /// Queued entries are never removed: they may already have reached the server.
    pub async fn remove_settled(&self, subject: &str, id: Uuid) -> Result<Option<Entry>> {
        let Some(entry) = self.get(subject, id)? else { return Ok(None) };
        if entry.state == State::Queued {
            return Ok(None);
        }
        self.settled.remove(entry_key(subject, id))?;
        self.settled.flush_async().await?;
        Ok(Some(entry))
    }

    /// Records the server's final answer, without waiting for the disk: the sync pass that settles
    /// entries flushes once at its end (`flush`), and sled within its interval before that. An answer
    /// lost in a crash in between leaves its entry queued; it is sent again under the same key and
    /// the server answers it with the answer it kept, so nothing is submitted twice and no
    /// submission waits on an fsync of the one before it.
    pub fn settle(&self, subject: &str, id: Uuid, state: State) -> Result<()> {
        if let Some(mut e) = self.get(subject, id)? {
            e.attempts += 1;
            e.state = state;
            self.put(&e)?;
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
            items: None,
            consent: None,
        };
        let open = |key: u8| {
            crate::testing::reopen(|| {
                let store = Store::open(dir.path())?;
                Ok((
                    Outbox::open(&store, Sealer::new(&[key; 32]))?,
                    Drafts::open(&store, Sealer::new(&[key; 32]), 100)?,
                ))
            })
        };
        let (a, b) = {
            let (o, d) = open(1);
            let a = o.enqueue("p1", sub.clone(), 1, &d).await.unwrap();
            let b = o.enqueue("p1", sub.clone(), 2, &d).await.unwrap();
            o.enqueue("p2", sub.clone(), 3, &d).await.unwrap();
            o.attempted("p1", a).await.unwrap();
            o.settle("p1", b, State::Invalid(vec![])).unwrap();
            (a, b)
        };
        let (o, _) = open(1);
        assert_eq!(o.queued("p1").unwrap().iter().map(|e| (e.id, e.attempts)).collect::<Vec<_>>(), [(a, 1)]);
        assert_eq!(o.queued_count("p2").unwrap(), 1, "each person's queue is their own");
        assert_eq!(o.get("p1", b).unwrap().unwrap().state, State::Invalid(vec![]));
        assert_eq!(o.get("p2", b).unwrap(), None, "another person's id is not theirs");
        assert_eq!(o.mine("p1").unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), [a, b]);
        assert!(a < b, "keys sort by time");
        // A kiosk logout of p1: their history goes, their waiting entry stays; p2 is untouched.
        assert_eq!(o.forget_settled("p1").await.unwrap(), 1);
        assert_eq!((o.get("p1", b).unwrap(), o.queued_count("p1").unwrap()), (None, 1));
        drop(o);
        let (other_key, _) = open(2);
        assert!(matches!(other_key.all(), Err(Error::Unsealable)));
    }

    /// Expiry removes only a still-queued submission whose owner has not been here since the
    /// cutoff: an old entry of someone who keeps coming back stays (and is sent), settled entries
    /// stay however old (a refusal, a failure: for their owner to deal with).
    #[tokio::test]
    async fn expiry_takes_only_what_an_absent_owner_left_queued() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let (o, d) = (
            Outbox::open(&store, Sealer::new(&[1; 32])).unwrap(),
            Drafts::open(&store, Sealer::new(&[1; 32]), 100).unwrap(),
        );
        let sub = || ApplicationSubmission {
            schema_version: DRAFT_SCHEMA_VERSION,
            answers: Answers::new(Bundle::JobSeeking),
            items: None,
            consent: None,
        };
        let day = 86_400;
        let now = 1_000 * day;
        let cutoff = now - 90 * day;
        // Queued 91 days ago by someone seen 10 days ago, and by someone not seen since.
        let returning = o.enqueue("returning", sub(), now - 91 * day, &d).await.unwrap();
        o.owner_seen("returning", now - 10 * day).unwrap();
        o.enqueue("gone", sub(), now - 91 * day, &d).await.unwrap();
        o.owner_seen("gone", now - 91 * day).unwrap();
        // Queued yesterday by someone never noted: recent enough.
        o.enqueue("new", sub(), now - day, &d).await.unwrap();
        // A failure and a refusal, 200 days old, of the absent owner.
        let failed = o.enqueue("gone", sub(), now - 200 * day, &d).await.unwrap();
        o.settle("gone", failed, State::Failed(422)).unwrap();
        let refused = o.enqueue("gone", sub(), now - 200 * day, &d).await.unwrap();
        o.settle("gone", refused, State::Invalid(vec![])).unwrap();
        assert_eq!(o.expire(cutoff).await.unwrap(), 1, "only the absent owner's queued entry");
        assert_eq!(o.queued("returning").unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), [returning]);
        assert_eq!((o.queued_count("gone").unwrap(), o.queued_count("new").unwrap()), (0, 1));
        assert!(o.get("gone", failed).unwrap().is_some() && o.get("gone", refused).unwrap().is_some());
    }

    /// A person's listing opens only their entries: another installation's entry, which this key
    /// cannot open, does not break it. An entry an earlier version keyed by id alone is moved under
    /// its owner at open.
    #[tokio::test]
    async fn a_persons_ledger_is_theirs_alone_and_old_keys_move_under_their_owner() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let sub = ApplicationSubmission {
            schema_version: DRAFT_SCHEMA_VERSION,
            answers: Answers::new(Bundle::JobSeeking),
            items: None,
            consent: None,
        };
        let drafts = Drafts::open(&store, Sealer::new(&[1; 32]), 100).unwrap();
        let o = Outbox::open(&store, Sealer::new(&[1; 32])).unwrap();
        let a = o.enqueue("p1", sub.clone(), 1, &drafts).await.unwrap();
        let old = Entry {
            id: Uuid::now_v7(),
            subject: "p2".into(),
            submission: sub.clone(),
            state: State::Queued,
            attempts: 0,
            queued_at: 2,
        };
        o.queued.insert(old.id.as_bytes(), o.sealed(&old).unwrap()).unwrap();
        let foreign = Outbox::open(&store, Sealer::new(&[2; 32])).unwrap();
        foreign.enqueue("p3", sub, 3, &drafts).await.unwrap();
        drop((o, foreign));

        let o = Outbox::open(&store, Sealer::new(&[1; 32])).unwrap();
        assert_eq!(o.queued("p2").unwrap(), [old], "moved under its owner");
        assert_eq!(o.mine("p1").unwrap().iter().map(|e| e.id).collect::<Vec<_>>(), [a]);
        assert_eq!((o.queued_count("p1").unwrap(), o.queued_count("p3").unwrap()), (1, 1));
        assert!(matches!(o.all(), Err(Error::Unsealable)), "the listing of everyone would open p3's");
    }
}
