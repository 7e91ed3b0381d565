//! The one route enum: which screen shows. The app is a single window without URLs, so routes
//! live in the state reducer rather than in the address bar.

use shiye_core::ipc::Notice;
use shiye_core::services::Bundle;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Route {
    /// Asking the shell who is logged in. Nothing is drawn at first (the shell answers within a
    /// frame or two, and the first screen drawn is then the one a person acts on); if the answer
    /// is slow, the loading line.
    #[default]
    Starting,
    /// Fetching what the person's pages need (their notices, their drafts).
    Loading,
    Login,
    /// 用户须知, then the 承诺书.
    Notice(Notice),
    Services,
    /// The wizard of a bundle, ending on 信息确认.
    Wizard(Bundle),
    /// After 提交: follows the outbox entry with this id.
    Result {
        id: String,
        bundle: Bundle,
    },
    Applications,
    /// The 回执 of an accepted application (its id).
    Receipt(String),
    Drafts,
}

impl Route {
    /// A screen a person can act on (not the start, not loading).
    pub fn settled(&self) -> bool {
        !matches!(self, Route::Starting | Route::Loading)
    }
}
