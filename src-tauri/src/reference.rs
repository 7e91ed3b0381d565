//! The data the server publishes (the benefit rule, the notices, the option lists, the banks, the
//! divisions and the 服务机构 list, over their bundled defaults): the sealed copy the device holds
//! is installed at start, so it serves offline; the refresher revalidates it with its ETag
//! whenever the server answers, and new data reaches the UI.

use crate::auth::AuthService;
use crate::cache::{Cache, HeldReference};
use crate::Result;
use shiye_core::reference::snapshot::{self, ReferenceData};

/// Puts the data held on the device in use. Returns whether there was any.
pub fn install_held(cache: &Cache) -> bool {
    cache.reference().is_some_and(|held| install(&held.data))
}

fn install(data: &ReferenceData) -> bool {
    for (table, why) in snapshot::install(data) {
        log::warn!("reference: {} unusable, the one in use stays: {why}", table.name());
    }
    true
}

/// The data in use when some of it was published (`None`: the bundled defaults, which the page
/// has without being sent them).
pub fn in_use(cache: &Cache) -> Option<ReferenceData> {
    cache.reference().map(|held| held.data.clone()).filter(ReferenceData::any_published)
}

/// Asks the server whether its published data changed since the copy held here. New data is kept
/// sealed, installed and returned (a table that cannot be used is left out, the one in use stays).
pub async fn refresh(auth: &AuthService, cache: &Cache) -> Result<Option<ReferenceData>> {
    let grant = auth.grant().await?;
    let held_etag = cache.reference_etag();
    let Some((etag, data)) = auth.api().reference(&grant.access_token, held_etag.as_deref()).await? else {
        return Ok(None);
    };
    let changed = cache.reference().is_none_or(|held| held.data != data);
    install(&data);
    cache.set_reference(&HeldReference { etag, data: data.clone() }).await?;
    let versions: Vec<String> =
        data.tables.iter().map(|t| format!("{} v{}", t.table.name(), t.version)).collect();
    log::info!("reference: in use {}", versions.join(", "));
    Ok(changed.then_some(data))
}
