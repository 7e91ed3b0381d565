//! The session as a Yew context: the app's state (the `state` reducer) shared with every page and
//! component through `ContextProvider`, and `use_session()`, whose methods are the person's intents
//! (log in, cancel, log out, go to a page, 长辈模式, sync now, refresh the outbox, acknowledge a
//! text, continue offline) and the questions pages wait on (drafts, submissions, receipts). Only the
//! session calls the shell; pages and components read the state and call the session.

use crate::ipc::{self, args, cmd};
use crate::route::Route;
use crate::state::{current_version, Action, AppState};
use shiye_core::forms::Answers;
use shiye_core::ipc::{
    Draft, DraftSummary, DraftView, LocalSubmission, Notice, Prefs, Receipt, SubmitOutcome,
};
use shiye_core::services::{Bundle, ServiceKind};
use shiye_core::CommandError;
use std::ops::Deref;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

/// What the context carries: the reducer's handle (cheap to clone, compared by state).
pub type SessionHandle = UseReducerHandle<AppState>;

/// The state and the intents.
#[derive(Clone, PartialEq)]
pub struct Session(SessionHandle);

impl Deref for Session {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.0
    }
}

/// The session of the nearest `ContextProvider<SessionHandle>` (the app's root provides it).
#[hook]
pub fn use_session() -> Session {
    Session(use_context::<SessionHandle>().expect("the app's root provides the session"))
}

impl Session {
    pub fn new(handle: SessionHandle) -> Self {
        Session(handle)
    }

    pub fn dispatch(&self, action: Action) {
        self.0.dispatch(action)
    }

    /// Which texts the person acknowledged and the outbox counts, after a login or a start.
    pub fn load_person(&self) {
        self.refresh_outbox();
        let s = self.0.clone();
        spawn_local(async move {
            match ipc::call::<cmd::AcceptedNotices>(args::AcceptedNotices {}).await {
                Ok(a) => s.dispatch(Action::Accepted(a)),
                Err(e) => s.dispatch(Action::Failed(e)),
            }
        });
    }

    pub fn refresh_outbox(&self) {
        let s = self.0.clone();
        spawn_local(async move {
            if let Ok(o) = ipc::call::<cmd::Outbox>(args::Outbox {}).await {
                s.dispatch(Action::Outbox(o));
            }
        });
    }

    pub fn login(&self) {
        let session = self.clone();
        session.dispatch(Action::LoginStarted);
        spawn_local(async move {
            match ipc::call::<cmd::Login>(args::Login {}).await {
                Ok(o) => {
                    session.dispatch(Action::LoggedIn(o));
                    session.load_person();
                }
                Err(e) => session.dispatch(Action::Failed(e)),
            }
        });
    }

    /// 取消登录: the waiting login ends (as cancelled) through `login`'s own answer.
    pub fn cancel_login(&self) {
        spawn_local(async { drop(ipc::call::<cmd::CancelLogin>(args::CancelLogin {}).await) });
    }

    pub fn logout(&self) {
        let s = self.0.clone();
        spawn_local(async move {
            match ipc::call::<cmd::Logout>(args::Logout {}).await {
                Ok(()) => s.dispatch(Action::LoggedOut),
                Err(e) => s.dispatch(Action::Failed(e)),
            }
        });
    }

    pub fn navigate(&self, route: Route) {
        self.dispatch(Action::Navigate(route))
    }

    pub fn set_elderly(&self, on: bool) {
        let prefs = Prefs { elderly: on };
        self.dispatch(Action::Prefs(prefs));
        let s = self.0.clone();
        spawn_local(async move {
            if let Err(e) = ipc::call::<cmd::SetPrefs>(args::SetPrefs { prefs }).await {
                s.dispatch(Action::Failed(e));
            }
        });
    }

    /// 立即同步: the outbox is sent and the records and statuses fetched now.
    pub fn sync_now(&self) {
        let session = self.clone();
        spawn_local(async move {
            let _ = ipc::call::<cmd::SyncNow>(args::SyncNow {}).await;
            if let Ok(o) = ipc::call::<cmd::Refresh>(args::Refresh {}).await {
                session.dispatch(Action::Refreshed(o));
            }
            session.refresh_outbox();
        });
    }

    /// 我已阅读并同意 a text in its current version.
    pub fn accept(&self, notice: Notice) {
        let session = self.clone();
        spawn_local(async move {
            let version = current_version(notice);
            match ipc::call::<cmd::AcceptNotice>(args::AcceptNotice { notice, version }).await {
                Ok(()) => session.load_person(),
                Err(e) => session.dispatch(Action::Failed(e)),
            }
        });
    }

    /// 获取验证码 (停发, 银行账号变更): the code goes to the person's registered phone; `reply` hears
    /// where it went and when another may be asked, or why not.
    pub fn request_sms_code(
        &self,
        purpose: shiye_core::api::SmsPurpose,
        reply: Callback<Result<shiye_core::api::SmsSent, shiye_core::CommandError>>,
    ) {
        spawn_local(async move {
            reply.emit(ipc::call::<cmd::RequestSmsCode>(args::RequestSmsCode { purpose }).await)
        });
    }

    /// 离线继续 as the person last logged in on this device.
    pub fn continue_offline(&self) {
        self.dispatch(Action::ContinueOffline);
        self.load_person();
    }
}

/// What a page asks the shell and waits for: one call each, answered to the page.
impl Session {
    /// The person's drafts (草稿箱).
    pub async fn drafts(&self) -> Result<Vec<DraftSummary>, CommandError> {
        ipc::call::<cmd::ListDrafts>(args::ListDrafts {}).await
    }

    pub async fn load_draft(&self, bundle: Bundle) -> Result<Option<DraftView>, CommandError> {
        ipc::call::<cmd::LoadDraft>(args::LoadDraft { bundle }).await
    }

    /// Saves a draft; answers when (seconds since the epoch).
    pub async fn save_draft(&self, draft: Draft) -> Result<i64, CommandError> {
        ipc::call::<cmd::SaveDraft>(args::SaveDraft { draft }).await
    }

    pub async fn discard_draft(&self, bundle: Bundle) -> Result<(), CommandError> {
        ipc::call::<cmd::DiscardDraft>(args::DiscardDraft { bundle }).await
    }

    /// 提交: queued (the outbox counts are refreshed) or sent back with field errors.
    pub async fn submit(
        &self,
        answers: Answers,
        items: Option<Vec<ServiceKind>>,
    ) -> Result<SubmitOutcome, CommandError> {
        let outcome = ipc::call::<cmd::Submit>(args::Submit { answers, items }).await;
        if matches!(outcome, Ok(SubmitOutcome::Queued { .. })) {
            self.refresh_outbox();
        }
        outcome
    }

    /// What this device sent or still holds.
    pub async fn local_submissions(&self) -> Result<Vec<LocalSubmission>, CommandError> {
        ipc::call::<cmd::LocalSubmissions>(args::LocalSubmissions {}).await
    }

    pub async fn submission(&self, id: String) -> Result<Option<LocalSubmission>, CommandError> {
        ipc::call::<cmd::Submission>(args::Submission { id }).await
    }

    pub async fn receipt(&self, id: String) -> Result<Option<Receipt>, CommandError> {
        ipc::call::<cmd::ReceiptOf>(args::ReceiptOf { id }).await
    }

    /// A submission sent back with errors becomes a draft again; answers its bundle (the outbox
    /// counts are refreshed).
    pub async fn reopen(&self, id: String) -> Result<Option<Bundle>, CommandError> {
        let reopened = ipc::call::<cmd::ReopenSubmission>(args::ReopenSubmission { id }).await;
        self.refresh_outbox();
        reopened
    }

    /// 撤回 of an item still waiting for review; the overview follows.
    pub async fn withdraw(&self, case_number: String) -> Result<(), CommandError> {
        let overview = ipc::call::<cmd::Withdraw>(args::Withdraw { case_number }).await?;
        self.dispatch(Action::Refreshed(overview));
        Ok(())
    }

    /// 放弃: throws away a submission the server did not accept.
    pub async fn discard_submission(&self, id: String) -> Result<(), CommandError> {
        let discarded = ipc::call::<cmd::DiscardSubmission>(args::DiscardSubmission { id }).await;
        self.refresh_outbox();
        discarded
    }

    /// 修改 of a 退回补正 item: the bundle to open, with the answers back as a draft when this device
    /// sent them.
    pub async fn correct(
        &self,
        id: String,
        bundle: Bundle,
        items: Option<Vec<ServiceKind>>,
    ) -> Result<Bundle, CommandError> {
        ipc::call::<cmd::CorrectApplication>(args::CorrectApplication { id, bundle, items }).await
    }
}
