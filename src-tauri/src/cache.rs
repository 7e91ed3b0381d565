//! What the app remembers between runs besides drafts and the outbox: the person's last fetched
//! overview (profile, records, statuses; sealed, for offline use), which texts they acknowledged
//! (per text version), and the device's preferences. All sled use for these is here.

use crate::seal::Sealer;
use crate::{Error, Result};
use shiye_core::ipc::{Notice, Overview, Prefs};
use std::path::Path;

const LAST_SUBJECT: &[u8] = b"last_subject";
const PREFS: &[u8] = b"prefs";

pub struct Cache {
    db: sled::Db,
    sealer: Sealer,
}

fn overview_key(subject: &str) -> Vec<u8> {
    format!("overview\u{0}{subject}").into_bytes()
}

fn notice_key(subject: &str, notice: Notice) -> Vec<u8> {
    format!("accepted\u{0}{subject}\u{0}{notice:?}").into_bytes()
}

impl Cache {
    pub fn open(dir: &Path, sealer: Sealer) -> Result<Self> {
        Ok(Cache { db: sled::open(dir)?, sealer })
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

    /// The version of a text the person acknowledged, if any.
    pub fn accepted(&self, subject: &str, notice: Notice) -> Result<Option<u32>> {
        Ok(self
            .db
            .get(notice_key(subject, notice))?
            .and_then(|v| <[u8; 4]>::try_from(v.as_ref()).ok())
            .map(u32::from_be_bytes))
    }

    pub async fn accept(&self, subject: &str, notice: Notice, version: u32) -> Result<()> {
        self.db.insert(notice_key(subject, notice), &version.to_be_bytes())?;
        self.db.flush_async().await?;
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
            let c = Cache::open(dir.path(), Sealer::new(&[7; 32])).unwrap();
            c.save_overview(&overview("p1")).await.unwrap();
            c.accept("p1", Notice::UserNotice, 2).await.unwrap();
            c.set_prefs(Prefs { elderly: true }).await.unwrap();
        }
        let c = crate::testing::reopen(|| Cache::open(dir.path(), Sealer::new(&[7; 32])));
        assert_eq!(c.last_overview().unwrap(), Some(overview("p1")));
        assert_eq!(c.accepted("p1", Notice::UserNotice).unwrap(), Some(2));
        assert_eq!(c.accepted("p1", Notice::Commitment).unwrap(), None);
        assert_eq!(c.accepted("p2", Notice::UserNotice).unwrap(), None);
        assert!(c.prefs().elderly);
        c.forget_last().await.unwrap();
        assert_eq!(c.last_overview().unwrap(), None);
        drop(c);
        let raw: Vec<u8> = std::fs::read_dir(dir.path())
            .unwrap()
            .flat_map(|e| std::fs::read(e.unwrap().path()).unwrap_or_default())
            .collect();
        assert!(!raw.windows("王建国".len()).any(|w| w == "王建国".as_bytes()), "sealed on disk");
    }
}
