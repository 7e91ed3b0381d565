//! The one on-disk store: a single sled database, opened once, handing out a tree per concern
//! (drafts, the outbox's queued and settled entries, the cache). Because every tree lives in one
//! database, steps that must happen together (queue a submission and drop its draft) are one sled
//! transaction. Values are sealed by their owners; this module only opens, names and flushes.

use crate::Result;
use std::path::Path;

/// The folder of the database under the app's data folder.
pub const FOLDER: &str = "store";

#[derive(Clone)]
pub struct Store {
    db: sled::Db,
}

/// The trees, named once.
pub mod trees {
    pub const DRAFTS: &str = "drafts";
    pub const QUEUED: &str = "outbox_queued";
    pub const SETTLED: &str = "outbox_settled";
    /// When each person was last here (keyed by a hash of their subject), for outbox expiry.
    pub const SEEN: &str = "outbox_owner_seen";
    pub const CACHE: &str = "cache";
}

impl Store {
    /// Opens (or creates) the database in `<dir>/store`.
    pub fn open(dir: &Path) -> Result<Self> {
        Ok(Store { db: sled::open(dir.join(FOLDER))? })
    }

    pub fn tree(&self, name: &str) -> Result<sled::Tree> {
        Ok(self.db.open_tree(name)?)
    }
}
