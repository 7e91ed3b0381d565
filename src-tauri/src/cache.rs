//! What the app remembers between runs besides drafts and the outbox: the person's last fetched
//! overview (profile, records, statuses; sealed, for offline use), which texts they acknowledged
//! (per text version), and the device's preferences. They live in the store's cache tree.

use crate::seal::Sealer;
use crate::store::{trees, Store};
use crate::{Error, Result};
use shiye_core::api::Application;
use shiye_core::ipc::{Notice, Overview, Prefs};
use shiye_core::reference::snapshot::ReferenceData;

const LAST_SUBJECT: &[u8] = b"last_subject";
const PREFS: &[u8] = b"prefs";
/// The reference data the server last sent, with its ETag (not personal; kept across logouts).
const REFERENCE: &[u8] = b"reference";
/// Its ETag on its own, so that revalidating (every refresher pass) does not unseal the whole copy.
const REFERENCE_ETAG: &[u8] = b"reference_etag";

/// Reference data as the server last sent it.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HeldReference {
    pub etag: String,
    pub data: ReferenceData,
}

pub struct Cache {
    db: sled::Tree,
    sealer: Sealer,
    /// The reference data held, once opened: unsealed and read once a run, not at every use.
    reference: std::sync::Mutex<Option<Option<std::sync::Arc<HeldReference>>>>,
}

fn overview_key(subject: &str) -> Vec<u8> {
    format!("overview\u{0}{subject}").into_bytes()
}

/// The statuses last notified to the person (the refresher's reference for what changed).
fn seen_key(subject: &str) -> Vec<u8> {
    format!("seen\u{0}{subject}").into_bytes()
}

fn notice_key(subject: &str, notice: Notice) -> Vec<u8> {
    format!("accepted\u{0}{subject}\u{0}{notice:?}").into_bytes()
}

impl Cache {
    pub fn open(store: &Store, sealer: Sealer) -> Result<Self> {
        Ok(Cache { db: store.tree(trees::CACHE)?, sealer, reference: Default::default() })
    }

    /// Keeps the overview sealed and marks its person as the one to resume offline.
    pub async fn save_overview(&self, overview: &Overview) -> Result<()> {
        let k = overview_key(&overview.session.subject);
        self.db.insert(&k, self.sealer.seal(&k, &serde_json::to_vec(overview)?))?;
        self.db.insert(LAST_SUBJECT, overview.session.subject.as_bytes())?;
        self.db.flush_async().await?;
        Ok(())
    }

    pub fn overview(&self, subject: &str) -> Result<Option<Overview>> {
        let k = overview_key(subject);
        let Some(sealed) = self.db.get(&k)? else { return Ok(None) };
        let plain = self.sealer.open(&k, &sealed).ok_or(Error::Unsealable)?;
        Ok(Some(serde_json::from_slice(&plain)?))
    }

    /// The overview of the person who was logged in last, if they have not logged out.
    pub fn last_overview(&self) -> Result<Option<Overview>> {
        match self.db.get(LAST_SUBJECT)? {
            Some(s) => self.overview(&String::from_utf8_lossy(&s)),
            None => Ok(None),
        }
    }

    /// 退出登录: the device no longer opens offline for anyone, and the person's overview goes.
    pub async fn forget_last(&self) -> Result<()> {
        if let Some(s) = self.db.remove(LAST_SUBJECT)? {
            self.db.remove(overview_key(&String::from_utf8_lossy(&s)))?;
        }
        self.db.flush_async().await?;
        Ok(())
    }

    /// Logout on a shared kiosk: everything kept for this person goes (their overview, the texts
    /// they acknowledged, and the offer to resume offline). Device preferences stay.
    pub async fn forget_person(&self, subject: &str) -> Result<()> {
        if self.db.get(LAST_SUBJECT)?.is_some_and(|s| s.as_ref() == subject.as_bytes()) {
            self.db.remove(LAST_SUBJECT)?;
        }
        self.db.remove(overview_key(subject))?;
        self.db.remove(seen_key(subject))?;
        for n in [Notice::UserNotice, Notice::Commitment] {
            self.db.remove(notice_key(subject, n))?;
        }
        self.db.flush_async().await?;
        Ok(())
    }

    /// The applications as the person was last told of them; `None` before the first time.
    pub fn seen(&self, subject: &str) -> Result<Option<Vec<Application>>> {
        let k = seen_key(subject);
        let Some(sealed) = self.db.get(&k)? else { return Ok(None) };
        let plain = self.sealer.open(&k, &sealed).ok_or(Error::Unsealable)?;
        Ok(Some(serde_json::from_slice(&plain)?))
    }

    pub async fn set_seen(&self, subject: &str, applications: &[Application]) -> Result<()> {
        let k = seen_key(subject);
        self.db.insert(&k, self.sealer.seal(&k, &serde_json::to_vec(applications)?))?;
        self.db.flush_async().await?;
        Ok(())
    }

    /// Whoever was last kept for offline use (a kiosk clears them at start).
    pub fn last_subject(&self) -> Result<Option<String>> {
        Ok(self.db.get(LAST_SUBJECT)?.map(|s| String::from_utf8_lossy(&s).into_owned()))
    }

    /// The version of a text the person acknowledged, if any.
    pub fn accepted(&self, subject: &str, notice: Notice) -> Result<Option<u32>> {
        Ok(self.acceptance(subject, notice)?.map(|(version, _)| version))
    }

    /// The version of `notice` the person accepted and when (Unix seconds; `None` for a mark kept
    /// before the time was).
    pub fn acceptance(&self, subject: &str, notice: Notice) -> Result<Option<(u32, Option<i64>)>> {
        let Some(v) = self.db.get(notice_key(subject, notice))? else { return Ok(None) };
        let version = v.get(..4).and_then(|b| <[u8; 4]>::try_from(b).ok()).map(u32::from_be_bytes);
        let at = v.get(4..12).and_then(|b| <[u8; 8]>::try_from(b).ok()).map(i64::from_be_bytes);
        Ok(version.map(|version| (version, at)))
    }

    /// Marks `version` of `notice` accepted by the person at `at`.
    pub async fn accept(&self, subject: &str, notice: Notice, version: u32, at: i64) -> Result<()> {
        let mut mark = version.to_be_bytes().to_vec();
        mark.extend_from_slice(&at.to_be_bytes());
        self.db.insert(notice_key(subject, notice), mark)?;
        self.db.flush_async().await?;
        Ok(())
    }

    /// The reference data last fetched, if it opens (a damaged copy is as good as none: the
    /// bundled snapshot serves until the next fetch).
    pub fn reference(&self) -> Option<std::sync::Arc<HeldReference>> {
        let mut memo = self.reference.lock().unwrap_or_else(|p| p.into_inner());
        memo.get_or_insert_with(|| {
            let sealed = self.db.get(REFERENCE).ok()??;
            let plain = self.sealer.open(REFERENCE, &sealed)?;
            serde_json::from_slice(&plain).ok().map(std::sync::Arc::new)
        })
        .clone()
    }

    /// The ETag of the reference data held, if any.
    pub fn reference_etag(&self) -> Option<String> {
        self.db.get(REFERENCE_ETAG).ok()?.map(|v| String::from_utf8_lossy(&v).into_owned())
    }

    pub async fn set_reference(&self, held: &HeldReference) -> Result<()> {
        self.db.insert(REFERENCE, self.sealer.seal(REFERENCE, &serde_json::to_vec(held)?))?;
        self.db.insert(REFERENCE_ETAG, held.etag.as_bytes())?;
        self.db.flush_async().await?;
        *self.reference.lock().unwrap_or_else(|p| p.into_inner()) =
            Some(Some(std::sync::Arc::new(held.clone())));
        Ok(())
    }

    pub fn prefs(&self) -> Prefs {
        self.db.get(PREFS).ok().flatten().and_then(|v| serde_json::from_slice(&v).ok()).unwrap_or_default()
    }

    pub async fn set_prefs(&self, prefs: Prefs) -> Result<()> {
        self.db.insert(PREFS, serde_json::to_vec(&prefs)?)?;
        self.db.flush_async().await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn overview(subject: &str) -> Overview {
        shiye_core::ipc::samples::overview(subject, Default::default())
    }

    #[tokio::test]
    async fn overview_survives_reopening_sealed_until_logout() {
        let dir = tempfile::tempdir().unwrap();
        {
            let c = Cache::open(&Store::open(dir.path()).unwrap(), Sealer::new(&[7; 32])).unwrap();
            c.save_overview(&overview("p1")).await.unwrap();
            c.accept("p1", Notice::UserNotice, 2, 1_700_000_000).await.unwrap();
            c.set_prefs(Prefs { elderly: true }).await.unwrap();
        }
        let c = crate::testing::reopen(|| Cache::open(&Store::open(dir.path())?, Sealer::new(&[7; 32])));
        assert_eq!(c.last_overview().unwrap(), Some(overview("p1")));
        assert_eq!(c.accepted("p1", Notice::UserNotice).unwrap(), Some(2));
        assert_eq!(
            c.acceptance("p1", Notice::UserNotice).unwrap(),
            Some((2, Some(1_700_000_000))),
            "and when"
        );
        assert_eq!(c.accepted("p1", Notice::Commitment).unwrap(), None);
        assert_eq!(c.accepted("p2", Notice::UserNotice).unwrap(), None);
        assert!(c.prefs().elderly);
        c.forget_last().await.unwrap();
        assert_eq!(c.last_overview().unwrap(), None);
        // A kiosk forgets the person entirely, and nobody else.
        c.save_overview(&overview("p2")).await.unwrap();
        c.accept("p2", Notice::Commitment, 1, 1_700_000_000).await.unwrap();
        c.forget_person("p2").await.unwrap();
        assert_eq!((c.last_subject().unwrap(), c.overview("p2").unwrap()), (None, None));
        assert_eq!(c.accepted("p2", Notice::Commitment).unwrap(), None);
        assert_eq!(c.accepted("p1", Notice::UserNotice).unwrap(), Some(2), "another person's marks stay");
        assert!(c.prefs().elderly, "the device's preferences stay");
        drop(c);
        let raw: Vec<u8> = std::fs::read_dir(dir.path().join(crate::store::FOLDER))
            .unwrap()
            .flat_map(|e| std::fs::read(e.unwrap().path()).unwrap_or_default())
            .collect();
        assert!(!raw.windows("王建国".len()).any(|w| w == "王建国".as_bytes()), "sealed on disk");
    }

    #[tokio::test]
    async fn the_published_reference_survives_reopening_and_opens_only_with_the_device_key() {
        let dir = tempfile::tempdir().unwrap();
        let mut data = shiye_core::reference::snapshot::snapshot();
        data.agencies[0].name = "建外街道就业服务站".into();
        let held = HeldReference { etag: "\"v2\"".into(), data };
        {
            let c = Cache::open(&Store::open(dir.path()).unwrap(), Sealer::new(&[7; 32])).unwrap();
            assert_eq!((c.reference(), c.reference_etag()), (None, None));
            c.set_reference(&held).await.unwrap();
            assert_eq!(c.reference().as_deref(), Some(&held), "the copy read once a run follows a new one");
            c.forget_person("p1").await.unwrap();
        }
        let c = crate::testing::reopen(|| Cache::open(&Store::open(dir.path())?, Sealer::new(&[7; 32])));
        assert_eq!(c.reference_etag().as_deref(), Some(held.etag.as_str()));
        assert_eq!(c.reference().as_deref(), Some(&held), "kept across a kiosk's logout: it is nobody's");
        drop(c);
        let other = crate::testing::reopen(|| Cache::open(&Store::open(dir.path())?, Sealer::new(&[8; 32])));
        assert_eq!(other.reference(), None, "another device key cannot open it");
    }
}
