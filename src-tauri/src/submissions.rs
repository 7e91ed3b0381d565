//! The person's local work: drafts being filled and submissions queued in the outbox. Submitting
//! validates with shiye-core against the records the session holds, then queues the submission
//! and drops its draft in one durable transaction, and wakes the sync engine.

use crate::drafts::{Draft, DraftSummary, Drafts, Loaded};
use crate::outbox::{Entry, Outbox, State};
use crate::seal::Sealer;
use crate::store::Store;
use crate::{Error, Result};
use shiye_core::api::{ApplicationSubmission, Consent, DRAFT_SCHEMA_VERSION};
use shiye_core::date::Date;
use shiye_core::forms::{blocks, Answers, Context, FieldError};
use shiye_core::records::Records;
use shiye_core::services::{Bundle, ServiceKind};
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::Notify;

pub use shiye_core::ipc::{DraftView, LocalState, LocalSubmission, OutboxStatus, Receipt, SubmitOutcome};

pub struct Submissions {
    drafts: Drafts,
    outbox: Arc<Outbox>,
    wake: Arc<Notify>,
    unanswered: Unanswered,
}

/// Online-only submissions sent without a reply (the connection cut after the request went): the
/// key each went under, so that sending the very same again asks the server for its first answer
/// instead of making a second application. In memory only: after a restart a resend is a new
/// request, refused while the first waits, which the person is told.
type Unanswered = std::sync::Mutex<HashMap<(String, Bundle), (uuid::Uuid, ApplicationSubmission)>>;

pub use crate::clock::now;

impl Submissions {
    /// Over the store's trees; drafts expire after `draft_ttl_secs` without a save.
    pub fn open(store: &Store, sealer: Sealer, draft_ttl_secs: i64) -> Result<Self> {
        Ok(Submissions {
            drafts: Drafts::open(store, sealer.clone(), draft_ttl_secs)?,
            outbox: Arc::new(Outbox::open(store, sealer)?),
            wake: Arc::new(Notify::new()),
            unanswered: Default::default(),
        })
    }

    /// The `Idempotency-Key` to send an online-only submission under: the key of the same
    /// submission sent before without a reply, else a new one.
    pub fn key_for(&self, subject: &str, submission: &ApplicationSubmission) -> uuid::Uuid {
        let bundle = submission.answers.bundle();
        let held = self.unanswered.lock().unwrap_or_else(|p| p.into_inner());
        match held.get(&(subject.to_string(), bundle)) {
            Some((id, sent)) if sent == submission => *id,
            _ => uuid::Uuid::now_v7(),
        }
    }

    /// Notes how a direct send ended: without a reply (`replied` false) the key is kept for the
    /// same submission; with one, the server has answered it and the key is done with.
    pub fn sent_directly(
        &self,
        subject: &str,
        id: uuid::Uuid,
        submission: &ApplicationSubmission,
        replied: bool,
    ) {
        let k = (subject.to_string(), submission.answers.bundle());
        let mut held = self.unanswered.lock().unwrap_or_else(|p| p.into_inner());
        if replied {
            held.remove(&k);
        } else {
            held.insert(k, (id, submission.clone()));
        }
    }

    pub fn outbox(&self) -> Arc<Outbox> {
        self.outbox.clone()
    }

    pub fn wake_handle(&self) -> Arc<Notify> {
        self.wake.clone()
    }

    /// Tells the sync engine to try now (立即同步).
    pub fn sync_now(&self) {
        self.wake.notify_one();
    }

    /// Whether any of this person's submissions wait to be sent.
    pub fn has_queued(&self, subject: &str) -> Result<bool> {
        Ok(self.outbox.queued_count(subject)? > 0)
    }

    /// Logout on a shared kiosk: the person's drafts and settled history leave the device; their
    /// still-queued submissions stay sealed until their next login sends them.
    pub async fn forget_person(&self, subject: &str) -> Result<()> {
        self.drafts.discard_all(subject).await?;
        self.outbox.forget_settled(subject).await?;
        // Their answers held for a resend go too: nothing of theirs stays, not even in memory.
        self.unanswered.lock().unwrap_or_else(|p| p.into_inner()).retain(|(s, _), _| s != subject);
        Ok(())
    }

    /// Removes still-queued submissions of owners not here for `keep_secs` (see
    /// `Outbox::expire`); returns how many went.
    pub async fn expire_outbox(&self, keep_secs: i64) -> Result<usize> {
        self.outbox.expire(now() - keep_secs).await
    }

    /// Notes that `subject` is here now, so that their queued submissions do not expire.
    pub fn owner_seen(&self, subject: &str) -> Result<()> {
        self.outbox.owner_seen(subject, now())
    }

    pub async fn save_draft(&self, subject: &str, draft: &Draft) -> Result<i64> {
        let at = now();
        self.drafts.save(subject, draft, at).await?;
        Ok(at)
    }

    pub fn load_draft(&self, subject: &str, bundle: Bundle) -> Result<Option<DraftView>> {
        Ok(self.drafts.load(subject, bundle)?.map(|l| match l {
            Loaded::Current { draft, saved_at } => DraftView::Resumable { draft, saved_at },
            Loaded::Outdated { saved_at, .. } => DraftView::Outdated { saved_at },
        }))
    }

    pub fn list_drafts(&self, subject: &str) -> Result<Vec<DraftSummary>> {
        self.drafts.list(subject)
    }

    pub async fn discard_draft(&self, subject: &str, bundle: Bundle) -> Result<()> {
        self.drafts.discard(subject, bundle).await
    }

    /// The submission of `answers`, or the field errors that keep it from being sent.
    pub fn checked(
        records: &Records,
        answers: Answers,
        items: Option<Vec<ServiceKind>>,
        consent: Option<Consent>,
    ) -> Result<std::result::Result<ApplicationSubmission, Vec<FieldError>>> {
        let today = Date::beijing_from_unix(now()).ok_or(Error::NoRecords)?;
        let errors = answers.validate(&Context { today, records, old_card_number: None });
        if blocks(&errors) {
            return Ok(Err(errors));
        }
        Ok(Ok(ApplicationSubmission { schema_version: DRAFT_SCHEMA_VERSION, answers, items, consent }))
    }

    /// Keeps the 回执 of an online-only submission the server just accepted, and lets its draft go.
    pub async fn record_accepted(
        &self,
        subject: &str,
        id: uuid::Uuid,
        submission: ApplicationSubmission,
        application: shiye_core::api::Application,
    ) -> Result<()> {
        self.outbox.record_accepted(subject, id, submission, application, now(), &self.drafts).await
    }

    /// Validates and queues a submission (with the person's `consent` to the texts, when known).
    pub async fn submit(
        &self,
        subject: &str,
        records: &Records,
        answers: Answers,
        items: Option<Vec<ServiceKind>>,
        consent: Option<Consent>,
    ) -> Result<SubmitOutcome> {
        let submission = match Self::checked(records, answers, items, consent)? {
            Ok(s) => s,
            Err(errors) => return Ok(SubmitOutcome::Invalid { errors }),
        };
        // Queued and the draft let go in one transaction, durable before this returns.
        let id = self.outbox.enqueue(subject, submission, now(), &self.drafts).await?;
        self.wake.notify_one();
        Ok(SubmitOutcome::Queued { id: id.to_string() })
    }

    /// This person's submissions the server has not accepted: waiting, or needing their action.
    pub fn local(&self, subject: &str) -> Result<Vec<LocalSubmission>> {
        let entries = self.outbox.mine(subject)?.into_iter();
        Ok(entries.filter(|e| !matches!(e.state, State::Accepted(_))).map(local_view).collect())
    }

    /// The 回执 of one of this person's accepted applications, if this device sent it.
    pub fn receipt(&self, subject: &str, application_id: &str) -> Result<Option<Receipt>> {
        Ok(self.outbox.mine(subject)?.into_iter().find_map(|e| match e.state {
            State::Accepted(application) if application.id == application_id => {
                Some(Receipt { application, answers: e.submission.answers, queued_at: e.queued_at })
            }
            _ => None,
        }))
    }

    /// Where one submission of this person stands (the result page follows it).
    pub fn submission(&self, subject: &str, id: &str) -> Result<Option<LocalSubmission>> {
        let Ok(id) = uuid::Uuid::parse_str(id) else { return Ok(None) };
        Ok(self.outbox.get(subject, id)?.map(local_view))
    }

    /// 修改: turns a submission the server did not accept — sent back with field errors (422),
    /// refused (409: e.g. an item of the kind still awaits a decision) or failed (another 4xx) —
    /// into the person's draft again, at the step of the first field the server named. Nothing
    /// the person typed is lost: when they already have a draft of that bundle, that newer draft
    /// is kept and so is the submission (listed until they deal with it). Returns the bundle.
    pub async fn reopen(&self, subject: &str, id: &str) -> Result<Option<Bundle>> {
        let Some(entry) = self.settled_of(subject, id)? else { return Ok(None) };
        let bundle = entry.submission.answers.bundle();
        if self.drafts.load(subject, bundle)?.is_some() {
            return Ok(Some(bundle));
        }
        let errors = match &entry.state {
            State::Invalid(errors) => errors.as_slice(),
            _ => &[],
        };
        // Back at the step of the first field the server refused (e.g. the SMS code of 停发).
        let section =
            errors.iter().find_map(|e| shiye_core::forms::catalogue::step_of(bundle, e.field)).unwrap_or(0);
        let draft = Draft {
            answers: entry.submission.answers.clone(),
            section,
            items: entry.submission.items.clone(),
        };
        self.drafts.save(subject, &draft, now()).await?;
        self.outbox.remove_settled(subject, entry.id).await?;
        Ok(Some(bundle))
    }

    /// 放弃: the person throws away a submission the server did not accept.
    pub async fn discard(&self, subject: &str, id: &str) -> Result<()> {
        if let Some(entry) = self.settled_of(subject, id)? {
            self.outbox.remove_settled(subject, entry.id).await?;
        }
        Ok(())
    }

    /// One of this person's submissions the server answered other than by accepting it.
    fn settled_of(&self, subject: &str, id: &str) -> Result<Option<Entry>> {
        let Ok(id) = uuid::Uuid::parse_str(id) else { return Ok(None) };
        Ok(self.outbox.get(subject, id)?.filter(|e| !matches!(e.state, State::Queued | State::Accepted(_))))
    }

    /// 退回补正: puts the answers this device sent in an application back into a draft, so the
    /// person corrects them rather than starting again. Returns the bundle, or `None` when this
    /// device did not send it (the wizard then starts empty).
    /// 修改并重新提交: a draft of `bundle` for sending `items` again (all of them when `None`),
    /// holding the answers this device sent for the application, or empty if another device did.
    pub async fn correct(
        &self,
        subject: &str,
        application_id: &str,
        bundle: Bundle,
        items: Option<Vec<ServiceKind>>,
    ) -> Result<Bundle> {
        let sent = self.sent_answers(subject, application_id)?;
        self.correct_with(subject, bundle, items, sent).await
    }

    /// The answers this device sent in one of this person's accepted applications.
    pub fn sent_answers(&self, subject: &str, application_id: &str) -> Result<Option<Answers>> {
        Ok(self.outbox.mine(subject)?.into_iter().find_map(|e| match e.state {
            State::Accepted(a) if a.id == application_id => Some(e.submission.answers),
            _ => None,
        }))
    }

    /// 修改并重新提交 with the answers `sent` (from this device, or the server's record of the
    /// application): a draft of `bundle` for sending `items` again, empty if `sent` is another
    /// bundle's or unknown.
    pub async fn correct_with(
        &self,
        subject: &str,
        bundle: Bundle,
        items: Option<Vec<ServiceKind>>,
        sent: Option<Answers>,
    ) -> Result<Bundle> {
        let answers = sent.filter(|a| a.bundle() == bundle);
        let draft = Draft { answers: answers.unwrap_or_else(|| Answers::new(bundle)), section: 0, items };
        self.drafts.save(subject, &draft, now()).await?;
        Ok(bundle)
    }

    /// Removes drafts past their expiry; returns this person's that went.
    pub async fn expire_drafts(&self, subject: &str) -> Result<Vec<Bundle>> {
        Ok(self
            .drafts
            .expire(now())
            .await?
            .into_iter()
            .filter(|(s, _)| s == subject)
            .map(|(_, b)| b)
            .collect())
    }

    pub fn status(&self, subject: &str) -> Result<OutboxStatus> {
        let mut s = OutboxStatus::default();
        for e in self.outbox.mine(subject)? {
            match e.state {
                State::Queued => s.queued += 1,
                State::Accepted(_) => s.accepted += 1,
                State::Invalid(_) | State::Refused(_) | State::Failed(_) => s.needs_attention += 1,
            }
        }
        Ok(s)
    }
}

fn local_view(e: crate::outbox::Entry) -> LocalSubmission {
    let state = match e.state {
        State::Queued => LocalState::Pending,
        State::Accepted(application) => LocalState::Accepted { application },
        State::Invalid(errors) => LocalState::Invalid { errors },
        State::Refused(c) => LocalState::Refused { item: c.item, message: c.message_zh },
        State::Failed(status) => LocalState::Failed { status },
    };
    LocalSubmission {
        id: e.id.to_string(),
        bundle: e.submission.answers.bundle(),
        queued_at: e.queued_at,
        state,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiye_core::records::{BenefitRecord, SeparationReason};

    const DAY: i64 = 24 * 3600;

    fn open(dir: &std::path::Path, key: u8, ttl: i64) -> Submissions {
        Submissions::open(&Store::open(dir).unwrap(), Sealer::new(&[key; 32]), ttl).unwrap()
    }

    fn records() -> Records {
        Records {
            beijing_hukou: true,
            registered: true,
            open_claim: false,
            contribution: Some(shiye_core::records::ContributionRecord {
                separation_reason: SeparationReason::DismissedByEmployer,
                contribution_months: 40,
                last_employer: "单位".into(),
                last_contribution_date: Date::new(2026, 10, 31).unwrap(),
            }),
            benefit: Some(BenefitRecord {
                claim_date: Date::new(2026, 6, 1).unwrap(),
                months_entitled: 12,
                months_received: 5,
                card_type: shiye_core::options::BankCardType::DebitCard,
                bank_code: "ICBC".into(),
                card_masked: "6212***********0006".into(),
            }),
            registration: None,
            foreign_national: false,
        }
    }

    /// A send without a reply keeps its key for the very same answers only, per person; a reply
    /// ends it; a kiosk logout of one person forgets theirs and keeps another's.
    #[tokio::test]
    async fn a_lost_replys_key_is_reused_for_the_same_answers_only_and_forgotten_at_logout() {
        let dir = tempfile::tempdir().unwrap();
        let subs = open(dir.path(), 4, DAY);
        let stop = |code: &str| {
            let mut answers =
                shiye_core::forms::samples::bank_change("6217000010000000001", "6217000010000000001");
            answers
                .set(shiye_core::forms::FieldId::SmsCode, shiye_core::forms::edit::Value::Text(code.into()));
            ApplicationSubmission {
                schema_version: DRAFT_SCHEMA_VERSION,
                answers,
                items: None,
                consent: None,
            }
        };
        let first = stop("111111");
        let id = subs.key_for("a", &first);
        subs.sent_directly("a", id, &first, false);
        subs.sent_directly("b", id, &first, false);
        assert_eq!(subs.key_for("a", &first), id, "the same answers again: the same key");
        assert_ne!(subs.key_for("a", &stop("222222")), id, "other answers: a new key");
        subs.forget_person("a").await.unwrap();
        assert_ne!(subs.key_for("a", &first), id, "forgotten at logout");
        assert_eq!(subs.key_for("b", &first), id, "another person's stays theirs");
        subs.sent_directly("b", id, &first, true);
        assert_ne!(subs.key_for("b", &first), id, "answered: done with");
    }

    #[tokio::test]
    async fn submitting_validates_queues_durably_then_drops_the_draft() {
        let dir = tempfile::tempdir().unwrap();
        let subs = open(dir.path(), 3, DAY * 30);
        let incomplete = Answers::new(Bundle::RegistrationCancel);
        subs.save_draft("p", &Draft { answers: incomplete.clone(), section: 1, items: None }).await.unwrap();
        let SubmitOutcome::Invalid { errors } =
            subs.submit("p", &records(), incomplete, None, None).await.unwrap()
        else {
            panic!()
        };
        assert_eq!(errors[0].message_zh, "注销原因为必填项");
        assert!(subs.load_draft("p", Bundle::RegistrationCancel).unwrap().is_some(), "kept while invalid");
        let complete = Answers::RegistrationCancel {
            cancel: shiye_core::forms::single_items::RegistrationCancel {
                reason: Some(shiye_core::options::CancelReason::Employed),
            },
        };
        let SubmitOutcome::Queued { id } = subs.submit("p", &records(), complete, None, None).await.unwrap()
        else {
            panic!()
        };
        assert_eq!(subs.outbox.queued("p").unwrap()[0].id.to_string(), id);
        assert!(
            subs.load_draft("p", Bundle::RegistrationCancel).unwrap().is_none(),
            "draft gone once queued"
        );
        assert_eq!(subs.status("p").unwrap(), OutboxStatus { queued: 1, accepted: 0, needs_attention: 0 });
        assert_eq!(subs.status("someone-else").unwrap(), OutboxStatus::default());
    }

    /// Person `p` submits a 求职登记; returns what was sent and its outbox id.
    async fn sent_by_p(subs: &Submissions) -> (Answers, uuid::Uuid) {
        let sent = shiye_core::forms::samples::job_seeking("30");
        let SubmitOutcome::Queued { id } =
            subs.submit("p", &records(), sent.clone(), None, None).await.unwrap()
        else {
            panic!()
        };
        (sent, uuid::Uuid::parse_str(&id).unwrap())
    }

    /// The server accepts the entry as application A1.
    async fn accepted_as_a1(subs: &Submissions, id: uuid::Uuid) -> shiye_core::api::Application {
        let app = shiye_core::api::Application {
            id: "A1".into(),
            submitted_at: "t".into(),
            bundle: None,
            items: vec![],
        };
        subs.outbox.settle("p", id, State::Accepted(app.clone())).unwrap();
        app
    }

    #[tokio::test]
    async fn a_receipt_is_its_senders_only() {
        let dir = tempfile::tempdir().unwrap();
        let subs = open(dir.path(), 6, DAY * 30);
        let (sent, id) = sent_by_p(&subs).await;
        assert_eq!(subs.receipt("p", "A1").unwrap(), None, "not accepted yet");
        let app = accepted_as_a1(&subs, id).await;
        let receipt = subs.receipt("p", "A1").unwrap().expect("the sender's receipt");
        assert_eq!((receipt.application, receipt.answers), (app, sent));
        // A second person on the same device, asking for the same application id: nothing.
        assert_eq!(subs.receipt("someone-else", "A1").unwrap(), None);
    }

    #[tokio::test]
    async fn a_returned_application_comes_back_as_a_draft_of_what_was_sent() {
        let dir = tempfile::tempdir().unwrap();
        let subs = open(dir.path(), 4, DAY * 30);
        let (sent, id) = sent_by_p(&subs).await;
        accepted_as_a1(&subs, id).await;
        let blank = |subs: &Submissions| match subs.load_draft("someone-else", Bundle::JobSeeking).unwrap() {
            Some(DraftView::Resumable { draft, .. }) => draft.answers == Answers::new(Bundle::JobSeeking),
            _ => false,
        };
        // Another person's application: a blank draft, never the sender's answers.
        subs.correct("someone-else", "A1", Bundle::JobSeeking, None).await.unwrap();
        assert!(blank(&subs), "only the sender's answers come back");
        subs.correct("p", "A1", Bundle::JobSeeking, Some(vec![ServiceKind::JobSeeking])).await.unwrap();
        let Some(DraftView::Resumable { draft, .. }) = subs.load_draft("p", Bundle::JobSeeking).unwrap()
        else {
            panic!("a draft")
        };
        assert_eq!(draft.answers, sent);
        assert_eq!(draft.items, Some(vec![ServiceKind::JobSeeking]), "the items to send again are kept");
    }

    #[tokio::test]
    async fn expired_drafts_are_removed_and_reported_to_their_owner() {
        let dir = tempfile::tempdir().unwrap();
        // A TTL already in the past at the next start: every draft has expired.
        let subs = open(dir.path(), 5, -1);
        let draft = |b| Draft { answers: Answers::new(b), section: 0, items: None };
        subs.save_draft("p", &draft(Bundle::JobSeeking)).await.unwrap();
        subs.save_draft("q", &draft(Bundle::RegistrationCancel)).await.unwrap();
        assert_eq!(
            subs.expire_drafts("p").await.unwrap(),
            [Bundle::JobSeeking],
            "only p's are reported to p"
        );
        assert!(subs.list_drafts("p").unwrap().is_empty() && subs.list_drafts("q").unwrap().is_empty());
    }

    /// A refusal (409 item_pending, a 422 that is not field errors, any other 4xx) never deletes
    /// the answers: 修改 puts them back as the person's draft (never over a newer draft of theirs,
    /// and only their own), and only 放弃 throws them away.
    #[tokio::test]
    async fn a_refused_submission_comes_back_as_a_draft_and_only_the_person_discards_it() {
        let dir = tempfile::tempdir().unwrap();
        let subs = open(dir.path(), 7, DAY * 30);
        let conflict = shiye_core::api::Conflict {
            reason: shiye_core::policy::Ineligible::ItemPending,
            item: ServiceKind::JobSeeking,
            message_zh: "您有一项求职登记正在审核中".into(),
        };
        for state in [State::Refused(conflict), State::Failed(422)] {
            let (sent, id) = sent_by_p(&subs).await;
            subs.outbox.settle("p", id, state.clone()).unwrap();
            assert_eq!(subs.reopen("someone-else", &id.to_string()).await.unwrap(), None, "not theirs");
            assert_eq!(
                subs.reopen("p", &id.to_string()).await.unwrap(),
                Some(Bundle::JobSeeking),
                "{state:?}"
            );
            let Some(DraftView::Resumable { draft, .. }) = subs.load_draft("p", Bundle::JobSeeking).unwrap()
            else {
                panic!("{state:?}: the answers are a draft again")
            };
            assert_eq!(draft.answers, sent);
            assert!(subs.submission("p", &id.to_string()).unwrap().is_none(), "listed once, as the draft");
            subs.discard_draft("p", Bundle::JobSeeking).await.unwrap();
        }
        // With a newer draft of the bundle, 修改 keeps both: the draft as it is, the refusal listed.
        let (_, id) = sent_by_p(&subs).await;
        subs.outbox.settle("p", id, State::Failed(400)).unwrap();
        let newer = Draft { answers: Answers::new(Bundle::JobSeeking), section: 2, items: None };
        subs.save_draft("p", &newer).await.unwrap();
        subs.reopen("p", &id.to_string()).await.unwrap();
        let Some(DraftView::Resumable { draft, .. }) = subs.load_draft("p", Bundle::JobSeeking).unwrap()
        else {
            panic!()
        };
        assert_eq!(draft.section, 2, "the newer draft is not overwritten");
        assert!(subs.submission("p", &id.to_string()).unwrap().is_some(), "the refused answers stay listed");
        // 放弃: gone, by the person's hand only (and not by anyone else's).
        subs.discard("someone-else", &id.to_string()).await.unwrap();
        assert!(subs.submission("p", &id.to_string()).unwrap().is_some());
        subs.discard("p", &id.to_string()).await.unwrap();
        assert!(subs.submission("p", &id.to_string()).unwrap().is_none());
    }
}
