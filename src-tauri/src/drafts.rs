//! Drafts: one per (person, bundle), saved on every change and durable when `save` returns
//! (sled `flush_async`), sealed under the data key, tagged with the form schema version, and
//! expired after a stated period. They live in the store's drafts tree.

use crate::seal::Sealer;
use crate::store::{trees, Store};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use shiye_core::api::DRAFT_SCHEMA_VERSION;
use shiye_core::code;
use shiye_core::services::Bundle;

/// Drafts untouched this long are removed (the person is told when they list drafts).
pub const DEFAULT_TTL_SECS: i64 = 30 * 24 * 3600;

pub use shiye_core::ipc::{Draft, DraftSummary};

/// What is sealed on disk. `answers` stays untyped here so that a draft written by an older form
/// schema can still be read and flagged instead of failing.
#[derive(Serialize, Deserialize)]
struct Stored {
    schema_version: u32,
    saved_at: i64,
    section: usize,
    answers: serde_json::Value,
    /// A resubmission of some items only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    items: Option<Vec<shiye_core::services::ServiceKind>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded {
    Current {
        draft: Box<Draft>,
        saved_at: i64,
    },
    /// Written by another form schema that cannot be migrated: shown, not resumed.
    Outdated {
        schema_version: u32,
        saved_at: i64,
    },
}

pub struct Drafts {
    db: sled::Tree,
    sealer: Sealer,
    ttl_secs: i64,
}

/// A draft's key: one per (person, bundle).
pub(crate) fn key(subject: &str, bundle: Bundle) -> Vec<u8> {
    format!("{subject}\u{0}{}", code::of(&bundle)).into_bytes()
}

fn bundle_of(key: &[u8]) -> Option<Bundle> {
    code::parse(std::str::from_utf8(key).ok()?.split('\u{0}').nth(1)?)
}

impl Drafts {
    pub fn open(store: &Store, sealer: Sealer, ttl_secs: i64) -> Result<Self> {
        Ok(Drafts { db: store.tree(trees::DRAFTS)?, sealer, ttl_secs })
    }

    /// The tree, for a transaction that spans drafts and the outbox (`Outbox::enqueue`).
    pub(crate) fn tree(&self) -> &sled::Tree {
        &self.db
    }

    /// Saves and returns once the bytes are on disk.
    pub async fn save(&self, subject: &str, draft: &Draft, now: i64) -> Result<()> {
        let k = key(subject, draft.answers.bundle());
        let stored = Stored {
            schema_version: DRAFT_SCHEMA_VERSION,
            saved_at: now,
            section: draft.section,
            answers: serde_json::to_value(&draft.answers)?,
            items: draft.items.clone(),
        };
        self.db.insert(&k, self.sealer.seal(&k, &serde_json::to_vec(&stored)?))?;
        self.db.flush_async().await?;
        Ok(())
    }

    fn read(&self, k: &[u8]) -> Result<Option<Stored>> {
        let Some(sealed) = self.db.get(k)? else { return Ok(None) };
        let plain = self.sealer.open(k, &sealed).ok_or(Error::Unsealable)?;
        Ok(Some(serde_json::from_slice(&plain)?))
    }

    pub fn load(&self, subject: &str, bundle: Bundle) -> Result<Option<Loaded>> {
        let Some(stored) = self.read(&key(subject, bundle))? else { return Ok(None) };
        if stored.schema_version != DRAFT_SCHEMA_VERSION {
            return Ok(Some(Loaded::Outdated {
                schema_version: stored.schema_version,
                saved_at: stored.saved_at,
            }));
        }
        let answers = serde_json::from_value(stored.answers)?;
        Ok(Some(Loaded::Current {
            draft: Box::new(Draft { answers, section: stored.section, items: stored.items }),
            saved_at: stored.saved_at,
        }))
    }

    pub fn list(&self, subject: &str) -> Result<Vec<DraftSummary>> {
        let prefix = format!("{subject}\u{0}");
        let mut out = Vec::new();
        for entry in self.db.scan_prefix(prefix.as_bytes()) {
            let (k, _) = entry?;
            let (Some(bundle), Some(stored)) = (bundle_of(&k), self.read(&k)?) else { continue };
            out.push(DraftSummary {
                bundle,
                saved_at: stored.saved_at,
                expires_at: stored.saved_at + self.ttl_secs,
                outdated: stored.schema_version != DRAFT_SCHEMA_VERSION,
            });
        }
        out.sort_by_key(|d| std::cmp::Reverse(d.saved_at));
        Ok(out)
    }

    pub async fn discard(&self, subject: &str, bundle: Bundle) -> Result<()> {
        self.db.remove(key(subject, bundle))?;
        self.db.flush_async().await?;
        Ok(())
    }

    /// Removes every draft of one person (logout on a shared kiosk); returns how many went.
    pub async fn discard_all(&self, subject: &str) -> Result<usize> {
        let prefix = format!("{subject}\u{0}");
        let keys: Vec<_> = self.db.scan_prefix(prefix.as_bytes()).keys().collect::<Result<_, _>>()?;
        for k in &keys {
            self.db.remove(k)?;
        }
        self.db.flush_async().await?;
        Ok(keys.len())
    }

    /// Removes drafts not saved for the TTL; returns (subject, bundle) of each removed.
    pub async fn expire(&self, now: i64) -> Result<Vec<(String, Bundle)>> {
        let mut removed = Vec::new();
        for entry in self.db.iter() {
            let (k, _) = entry?;
            let expired = match self.read(&k) {
                Ok(Some(s)) => s.saved_at + self.ttl_secs < now,
                // Unreadable records (another installation's key) cannot be resumed either.
                _ => true,
            };
            if expired {
                self.db.remove(&k)?;
                let text = String::from_utf8_lossy(&k).into_owned();
                if let (Some(subject), Some(bundle)) = (text.split('\u{0}').next(), bundle_of(&k)) {
                    removed.push((subject.to_string(), bundle));
                }
            }
        }
        self.db.flush_async().await?;
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiye_core::forms::Answers;
    use std::path::Path;

    fn drafts(dir: &Path) -> Drafts {
        crate::testing::reopen(|| Drafts::open(&Store::open(dir)?, Sealer::new(&[7; 32]), 100))
    }

    #[tokio::test]
    async fn save_load_list_discard_expire() {
        let dir = tempfile::tempdir().unwrap();
        let d = drafts(dir.path());
        let mut answers = Answers::new(Bundle::BenefitStop);
        if let Answers::BenefitStop { stop } = &mut answers {
            stop.remarks = "已在新单位入职".into();
        }
        let draft = Draft { answers, section: 1, items: None };
        d.save("p1", &draft, 1000).await.unwrap();
        d.save("p1", &Draft { answers: Answers::new(Bundle::JobSeeking), section: 0, items: None }, 1050)
            .await
            .unwrap();
        assert_eq!(
            d.load("p1", Bundle::BenefitStop).unwrap(),
            Some(Loaded::Current { draft: Box::new(draft.clone()), saved_at: 1000 })
        );
        assert_eq!(d.load("p2", Bundle::BenefitStop).unwrap(), None, "per person");
        let list = d.list("p1").unwrap();
        assert_eq!(
            list.iter().map(|s| s.bundle).collect::<Vec<_>>(),
            [Bundle::JobSeeking, Bundle::BenefitStop]
        );
        assert_eq!(list[1].expires_at, 1100);
        assert_eq!(d.expire(1101).await.unwrap(), vec![("p1".to_string(), Bundle::BenefitStop)]);
        assert_eq!(d.load("p1", Bundle::BenefitStop).unwrap(), None);
        d.discard("p1", Bundle::JobSeeking).await.unwrap();
        assert!(d.list("p1").unwrap().is_empty());
        // Logout on a kiosk: one person's drafts go, another's stay.
        d.save("p1", &Draft { answers: Answers::new(Bundle::JobSeeking), section: 0, items: None }, 1200)
            .await
            .unwrap();
        d.save("p10", &Draft { answers: Answers::new(Bundle::JobSeeking), section: 0, items: None }, 1200)
            .await
            .unwrap();
        assert_eq!(d.discard_all("p1").await.unwrap(), 1);
        assert!(d.list("p1").unwrap().is_empty());
        assert_eq!(d.list("p10").unwrap().len(), 1, "a prefix of another subject is not theirs");
    }

    #[tokio::test]
    async fn nothing_readable_on_disk_and_older_schemas_are_flagged() {
        let dir = tempfile::tempdir().unwrap();
        {
            let d = drafts(dir.path());
            let mut answers = Answers::new(Bundle::BenefitStop);
            if let Answers::BenefitStop { stop } = &mut answers {
                stop.remarks = "备注里写了手机13800138000".into();
            }
            d.save("p1", &Draft { answers, section: 0, items: None }, 5).await.unwrap();
            let k = key("p1", Bundle::BenefitStop);
            let old = Stored {
                schema_version: 0,
                saved_at: 4,
                section: 0,
                items: None,
                answers: serde_json::json!({"old": true}),
            };
            d.db.insert(&k, d.sealer.seal(&k, &serde_json::to_vec(&old).unwrap())).unwrap();
            assert_eq!(
                d.load("p1", Bundle::BenefitStop).unwrap(),
                Some(Loaded::Outdated { schema_version: 0, saved_at: 4 })
            );
            assert!(d.list("p1").unwrap()[0].outdated);
            d.db.flush().unwrap();
        }
        for entry in walk(dir.path()) {
            let bytes = std::fs::read(&entry).unwrap();
            assert!(!bytes.windows(11).any(|w| w == b"13800138000"), "{} holds plaintext", entry.display());
        }
    }

    fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
        let mut out = Vec::new();
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            if e.path().is_dir() {
                out.extend(walk(&e.path()));
            } else {
                out.push(e.path());
            }
        }
        out
    }
}
