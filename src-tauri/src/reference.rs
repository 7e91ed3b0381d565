//! The reference data the server publishes (the 服务机构 list, over the bundled snapshot): the
//! sealed copy the device holds is installed at start, so it serves offline; the refresher
//! revalidates it with its ETag whenever the server answers, and a new list reaches the UI.

use crate::auth::AuthService;
use crate::cache::{Cache, HeldReference};
use crate::Result;
use shiye_core::reference::agencies;
use shiye_core::reference::agencies::AgencyEntry;

/// Puts the list held on the device in use. Returns whether there was a usable one.
pub fn install_held(cache: &Cache) -> bool {
    cache.reference().is_some_and(|held| agencies::install(held.data.agencies))
}

/// The list in use when it came from the server (`None`: the bundled snapshot).
pub fn agencies_in_use() -> Option<Vec<AgencyEntry>> {
    agencies::installed().map(|t| t.entries().to_vec())
}

/// Asks the server whether its reference data changed since the copy held here. A new, usable
/// list is kept sealed, installed and returned; an unusable one is ignored (the one in use stays).
pub async fn refresh(auth: &AuthService, cache: &Cache) -> Result<Option<Vec<AgencyEntry>>> {
    let grant = auth.grant().await?;
    let held_etag = cache.reference_etag();
    let Some((etag, data)) = auth.api().reference(&grant.access_token, held_etag.as_deref()).await? else {
        return Ok(None);
    };
    // The list in use is the one held (installed at start and at each change).
    if agencies::installed().is_some_and(|t| t.entries() == data.agencies.as_slice()) {
        // Another ETag for the same list (banks or option labels moved): keep it, nothing to show.
        cache.set_reference(&HeldReference { etag, data }).await?;
        return Ok(None);
    }
    let list = data.agencies.clone();
    if !agencies::install(list.clone()) {
        log::warn!("reference: the server's agency list is unusable; the one in use stays");
        return Ok(None);
    }
    cache.set_reference(&HeldReference { etag, data }).await?;
    log::info!("reference: {} agencies in use", list.len());
    Ok(Some(list))
}
