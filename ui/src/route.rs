//! The one route enum: which screen shows. The app is a single window without URLs, so routes
//! live in the state reducer rather than in the address bar.

use shiye_core::ipc::Notice;
use shiye_core::services::Bundle;

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Route {
    /// Asking the shell who is logged in.
    #[default]
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
