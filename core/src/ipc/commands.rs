//! The IPC command table, written once: every command the UI may call, its name, its arguments
//! (one struct per command, sent as the command's `args`) and what it answers. The UI calls
//! `ipc::call::<C>(args)`; the shell's handlers take `args::C` and return `C::Output`; `build.rs`
//! makes one permission per name, and the tests check the handler list and the capability file
//! against `NAMES`. A renamed argument is a compile error on both sides.

use crate::api::{SmsPurpose, SmsSent};
use crate::forms::Answers;
use crate::ipc::{
    Draft, DraftSummary, DraftView, LocalSubmission, Notice, OutboxStatus, Overview, Prefs, Receipt, Startup,
    SubmitOutcome,
};
use crate::services::{Bundle, ServiceKind};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

/// One command of the table.
pub trait Command {
    /// The name the shell registers it under.
    const NAME: &'static str;
    /// Its arguments, sent as `{ "args": … }`.
    type Args: Serialize + DeserializeOwned;
    /// What it answers when it succeeds (a failure is a `CommandError`).
    type Output: Serialize + DeserializeOwned;
}

macro_rules! commands {
    ($( $(#[doc = $doc:literal])* $cmd:ident = $name:literal { $($field:ident : $fty:ty),* $(,)? } -> $out:ty; )*) => {
        $(
            $(#[doc = $doc])*
            pub enum $cmd {}

            impl Command for $cmd {
                const NAME: &'static str = $name;
                type Args = args::$cmd;
                type Output = $out;
            }
        )*

        /// Each command's arguments.
        pub mod args {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
                #[serde(deny_unknown_fields)]
                pub struct $cmd { $(pub $field: $fty),* }
            )*
        }

        /// Every command's name, in table order.
        pub const NAMES: &[&str] = &[$($name),*];
    };
}

commands! {
    /// Who is logged in on this device (online, or offline from the cache), and the preferences.
    Start = "start" {} -> Startup;
    /// Logs in through the identity platform.
    Login = "login" {} -> Overview;
    /// 取消登录 while a login waits.
    CancelLogin = "cancel_login" {} -> ();
    /// Records and statuses, fetched now.
    Refresh = "refresh" {} -> Overview;
    /// 退出登录 (结束办理 on a kiosk).
    Logout = "logout" {} -> ();
    /// Which version of each text the person acknowledged.
    AcceptedNotices = "accepted_notices" {} -> Vec<(Notice, u32)>;
    /// 我已阅读并同意 a text in a version.
    AcceptNotice = "accept_notice" { notice: Notice, version: u32 } -> ();
    /// The device's preferences (长辈模式).
    SetPrefs = "set_prefs" { prefs: Prefs } -> Prefs;
    /// Sends the SMS code that confirms 停发 or 银行账号变更 to the person's phone.
    RequestSmsCode = "request_sms_code" { purpose: SmsPurpose } -> SmsSent;
    /// Saves a draft; answers when it was saved (seconds since the epoch).
    SaveDraft = "save_draft" { draft: Draft } -> i64;
    /// The person's draft of a bundle.
    LoadDraft = "load_draft" { bundle: Bundle } -> Option<DraftView>;
    /// The person's drafts.
    ListDrafts = "list_drafts" {} -> Vec<DraftSummary>;
    /// Throws a draft away.
    DiscardDraft = "discard_draft" { bundle: Bundle } -> ();
    /// Submits answers (all of the bundle's items, or the ones named).
    Submit = "submit" { answers: Answers, items: Option<Vec<ServiceKind>> } -> SubmitOutcome;
    /// What waits in the outbox.
    Outbox = "outbox_status" {} -> OutboxStatus;
    /// Submissions of this device the server has not accepted.
    LocalSubmissions = "local_submissions" {} -> Vec<LocalSubmission>;
    /// Where one submission stands.
    Submission = "submission" { id: String } -> Option<LocalSubmission>;
    /// The 回执 of an accepted application: this device's copy, else from the server's record.
    ReceiptOf = "receipt" { id: String } -> Option<Receipt>;
    /// 修改: a submission the server sent back or refused, back into the person's draft of its
    /// bundle (kept as it is when they already have one).
    ReopenSubmission = "reopen_submission" { id: String } -> Option<Bundle>;
    /// 放弃: the person throws away a submission the server sent back or refused.
    DiscardSubmission = "discard_submission" { id: String } -> ();
    /// 退回补正: the sent answers of an application (this device's, else the server's record) back
    /// into a draft.
    CorrectApplication = "correct_application" { id: String, bundle: Bundle, items: Option<Vec<ServiceKind>> } -> Bundle;
    /// 撤回: the person withdraws an item still waiting for review; the overview as it then stands.
    Withdraw = "withdraw" { case_number: String } -> Overview;
    /// 立即同步.
    SyncNow = "sync_now" {} -> ();
    /// The first screen a person can act on is painted (said once per start; its log line is
    /// where `cargo xtask bench` stops the start-up clock).
    UiReady = "ui_ready" {} -> ();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_arguments_travel_by_field_name() {
        let mut names = NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), NAMES.len());
        assert_eq!(<Submission as Command>::NAME, "submission");
        let json =
            serde_json::to_value(args::AcceptNotice { notice: Notice::Commitment, version: 3 }).unwrap();
        assert_eq!(json, serde_json::json!({ "notice": "commitment", "version": 3 }));
        assert_eq!(serde_json::to_value(args::Start {}).unwrap(), serde_json::json!({}));
        assert!(serde_json::from_value::<args::Submission>(serde_json::json!({ "ident": "x" })).is_err());
    }
}
