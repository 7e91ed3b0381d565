//! The person's account on this device, composed from the services: starting (online, or
//! offline from the sealed cache), logging in and out (on a kiosk, leaving no trace of the
//! person), refreshing records and statuses, the acknowledged texts and the SMS code. Commands
//! call these; so does the background refresher.

use crate::auth::AuthService;
use crate::cache::Cache;
use crate::config::Config;
use crate::submissions::{now, Submissions, SubmitOutcome};
use crate::{Error, Result};
use shiye_core::api::{SmsPurpose, SmsSent};
use shiye_core::ipc::{BasicInfo, KioskPolicy, Notice, Overview, Prefs, Startup};
use tauri::{AppHandle, Manager, Runtime};

/// Fetches profile and statuses, keeps them sealed and hands person and records to the session.
pub async fn refresh(auth: &AuthService, cache: &Cache) -> Result<Overview> {
    let epoch = auth.epoch().await;
    let grant = auth.grant().await?;
    let profile = auth.api().profile(&grant.access_token).await?;
    let applications = auth.api().applications(&grant.access_token).await?;
    let overview = Overview {
        session: (&profile.user).into(),
        basic: BasicInfo::from(&profile.user),
        records: profile.records,
        applications,
        synced_at: now(),
    };
    // The server answered about the token's own person; anything else is not this session.
    if overview.session.subject != grant.subject {
        return Err(Error::NotLoggedIn);
    }
    // Kept only if nobody signed in or out while it was fetched (a kiosk may have wiped them).
    auth.keep_if_current(epoch, async {
        auth.set_person(overview.session.clone(), overview.records.clone());
        cache.save_overview(&overview).await
    })
    .await?;
    Ok(overview)
}

/// Submits the person's answers. An item confirmed by an SMS code is never queued for later (its
/// code lapses in 5 minutes): it is sent now, and if the server cannot be reached, or answers
/// other than by accepting it, the person is told and keeps the draft.
pub async fn submit(
    auth: &AuthService,
    cache: &Cache,
    subs: &Submissions,
    answers: shiye_core::forms::Answers,
    items: Option<Vec<shiye_core::services::ServiceKind>>,
) -> Result<SubmitOutcome> {
    let consent = consent(cache, &auth.subject()?)?;
    // The texts in force today must be the ones accepted: a newer version is read first.
    if let Some(c) = consent {
        let newer = shiye_core::date::Date::beijing_from_unix(now())
            .and_then(|today| shiye_core::notices::newer_than_accepted(&c.versions(), today));
        if let Some(text) = newer {
            return Err(Error::NoticeUpdated(text.title));
        }
    }
    if !answers.bundle().needs_network() {
        return subs.submit(&auth.subject()?, &auth.records()?, answers, items, consent).await;
    }
    if let Err(e) = refresh(auth, cache).await {
        return Err(if is_offline(&e) { Error::NeedsNetwork } else { e });
    }
    let submission = match Submissions::checked(&auth.records()?, answers, items, consent)? {
        Ok(s) => s,
        Err(errors) => return Ok(SubmitOutcome::Invalid { errors }),
    };
    let grant = auth.grant().await?;
    let id = subs.key_for(&grant.subject, &submission);
    let answer = auth.api().submit(&grant.access_token, &id.to_string(), &submission).await;
    use crate::api::SubmitAnswer;
    let replied = match &answer {
        Ok(SubmitAnswer::Later(_)) => false,
        Ok(_) => true,
        Err(e) => !is_offline(e),
    };
    subs.sent_directly(&grant.subject, id, &submission, replied);
    match answer {
        Ok(SubmitAnswer::Accepted(application)) => {
            subs.record_accepted(&grant.subject, id, submission, application).await?;
            Ok(SubmitOutcome::Queued { id: id.to_string() })
        }
        Ok(SubmitAnswer::Invalid(v)) => Ok(SubmitOutcome::Invalid { errors: v.errors }),
        Ok(SubmitAnswer::Refused(c)) => Err(Error::Refused(c.message_zh)),
        Ok(SubmitAnswer::Unauthorized) => Err(Error::NotLoggedIn),
        Ok(SubmitAnswer::Unusable(status)) => Err(Error::Status(status)),
        Ok(SubmitAnswer::Later(_)) => Err(Error::NeedsNetwork),
        Err(e) if is_offline(&e) => Err(Error::NeedsNetwork),
        Err(e) => Err(e),
    }
}

/// The texts the person accepted and when, sent with each application as the evidence of their
/// consent; `None` if either mark is missing or was kept without its time.
fn consent(cache: &Cache, subject: &str) -> Result<Option<shiye_core::api::Consent>> {
    let notice = cache.acceptance(subject, Notice::UserNotice)?;
    let commitment = cache.acceptance(subject, Notice::Commitment)?;
    Ok(match (notice, commitment) {
        (Some((n, Some(n_at))), Some((c, Some(c_at)))) => Some(shiye_core::api::Consent {
            user_notice_version: n,
            user_notice_accepted_at: n_at,
            commitment_version: c,
            commitment_accepted_at: c_at,
        }),
        _ => None,
    })
}

/// Whether an error means the server could not be reached (rather than a refusal).
pub fn is_offline(e: &Error) -> bool {
    matches!(e, Error::Http(_)) || matches!(e, Error::Status(s) if *s >= 500)
}

/// The kiosk policy the UI enforces, when this device is one.
fn kiosk_policy(config: &Config) -> Option<KioskPolicy> {
    config.kiosk.then_some(KioskPolicy {
        idle_secs: config.kiosk_idle_secs,
        countdown_secs: config.kiosk_countdown_secs,
    })
}

/// At start: the person last logged in on this device, fresh from the server when it answers,
/// otherwise from the sealed cache (offline). Nobody if they logged out or their login lapsed.
/// A kiosk never resumes anyone: whoever was left signed in (a crash, a power cut) is logged
/// out and forgotten first.
pub async fn start<R: Runtime>(
    app: &AppHandle<R>,
    auth: &AuthService,
    cache: &Cache,
    subs: &Submissions,
    config: &Config,
) -> Result<Startup> {
    let prefs = cache.prefs();
    let kiosk = kiosk_policy(config);
    let reference = crate::reference::in_use(cache).map(Box::new);
    let nobody = Startup {
        overview: None,
        online: true,
        expired_drafts: vec![],
        prefs,
        kiosk,
        reference: reference.clone(),
    };
    if kiosk.is_some() {
        let (_, tokens) = auth.sign_out().await?;
        forget(app, cache, subs, cache.last_subject()?).await?;
        auth.revoke(tokens).await;
        return Ok(nobody);
    }
    let Some(last) = cache.last_overview()? else { return Ok(nobody) };
    let expired_drafts = subs.expire_drafts(&last.session.subject).await?;
    let (overview, online) = match refresh(auth, cache).await {
        Ok(o) => {
            subs.owner_seen(&o.session.subject)?;
            (Some(o), true)
        }
        Err(e) if is_offline(&e) => {
            subs.owner_seen(&last.session.subject)?;
            auth.set_person(last.session.clone(), last.records.clone());
            (Some(last), false)
        }
        Err(Error::NotLoggedIn) | Err(Error::Status(401)) => {
            cache.forget_last().await?;
            (None, true)
        }
        Err(e) => return Err(e),
    };
    Ok(Startup { overview, online, expired_drafts, prefs, kiosk, reference })
}

/// Logs in through the identity platform, then fetches the person's overview; the person is
/// noted as here (their queued submissions do not expire).
pub async fn login<R: Runtime>(
    app: &AppHandle<R>,
    auth: &AuthService,
    cache: &Cache,
    subs: &Submissions,
) -> Result<Overview> {
    auth.login(app).await?;
    let overview = refresh(auth, cache).await?;
    subs.owner_seen(&overview.session.subject)?;
    Ok(overview)
}

/// 退出登录 (结束办理 on a kiosk): revokes and deletes the tokens, and the device stops opening
/// offline for the person. On a kiosk the person leaves no trace: their drafts, settled
/// submissions, cached overview, acknowledged texts and the webview's storage (the identity
/// provider's cookies included) go too; only their still-queued submissions stay, sealed, until
/// their next login sends them.
pub async fn logout<R: Runtime>(
    app: &AppHandle<R>,
    auth: &AuthService,
    cache: &Cache,
    subs: &Submissions,
    config: &Config,
) -> Result<()> {
    // The device first: the person is signed out and (on a kiosk) their traces go before the
    // network is asked anything.
    let (who, tokens) = auth.sign_out().await?;
    if config.kiosk {
        forget(app, cache, subs, who.or(cache.last_subject()?)).await?;
    } else {
        cache.forget_last().await?;
    }
    auth.revoke(tokens).await;
    Ok(())
}

/// Everything a kiosk keeps of one person, gone.
async fn forget<R: Runtime>(
    app: &AppHandle<R>,
    cache: &Cache,
    subs: &Submissions,
    subject: Option<String>,
) -> Result<()> {
    if let Some(subject) = subject {
        subs.forget_person(&subject).await?;
        cache.forget_person(&subject).await?;
    }
    for (_, webview) in app.webview_windows() {
        webview.clear_all_browsing_data()?;
    }
    log::info!("kiosk: session ended, the person's local data removed");
    Ok(())
}

/// Which version of each text the logged-in person acknowledged.
pub fn accepted(auth: &AuthService, cache: &Cache) -> Result<Vec<(Notice, u32)>> {
    let subject = auth.subject()?;
    let mut out = Vec::new();
    for n in [Notice::UserNotice, Notice::Commitment] {
        if let Some(v) = cache.accepted(&subject, n)? {
            out.push((n, v));
        }
    }
    Ok(out)
}

pub async fn accept(auth: &AuthService, cache: &Cache, notice: Notice, version: u32) -> Result<()> {
    cache.accept(&auth.subject()?, notice, version, now()).await
}

pub async fn set_prefs(cache: &Cache, prefs: Prefs) -> Result<Prefs> {
    cache.set_prefs(prefs).await?;
    Ok(prefs)
}

/// The server's record of one of the signed-in person's applications, when it answers (offline,
/// or not theirs: none).
async fn server_record(auth: &AuthService, id: &str) -> Result<Option<shiye_core::api::ApplicationRecord>> {
    let token = match auth.access_token().await {
        Ok(t) => t,
        Err(e) if is_offline(&e) => return Ok(None),
        Err(e) => return Err(e),
    };
    match auth.api().application_record(&token, id).await {
        Ok(r) => Ok(r),
        Err(e) if is_offline(&e) => Ok(None),
        Err(e) => Err(e),
    }
}

/// The 回执 of one of the person's applications: this device's copy (offline too), else built
/// from the server's record — on another device, after a kiosk's 结束办理, after the copy went.
pub async fn receipt(
    auth: &AuthService,
    subs: &Submissions,
    id: &str,
) -> Result<Option<shiye_core::ipc::Receipt>> {
    let subject = auth.subject()?;
    if let Some(r) = subs.receipt(&subject, id)? {
        return Ok(Some(r));
    }
    Ok(server_record(auth, id).await?.map(|r| shiye_core::ipc::Receipt {
        application: r.application,
        answers: r.answers,
        queued_at: r.submitted_unix,
    }))
}

/// 修改并重新提交: a draft holding the answers as sent — this device's, else the server's record.
pub async fn correct(
    auth: &AuthService,
    subs: &Submissions,
    id: &str,
    bundle: shiye_core::services::Bundle,
    items: Option<Vec<shiye_core::services::ServiceKind>>,
) -> Result<shiye_core::services::Bundle> {
    let subject = auth.subject()?;
    let sent = match subs.sent_answers(&subject, id)? {
        Some(a) => Some(a),
        None => server_record(auth, id).await?.map(|r| r.answers),
    };
    subs.correct_with(&subject, bundle, items, sent).await
}

/// 撤回: withdraws one of the person's items still waiting for review, then fetches the overview as
/// it now stands (the item 已撤回, and a new one of its kind possible).
pub async fn withdraw(auth: &AuthService, cache: &Cache, case_number: &str) -> Result<Overview> {
    let token = auth.access_token().await?;
    auth.api().withdraw(&token, case_number).await?;
    refresh(auth, cache).await
}

/// Sends the SMS verification code of an item (停发, 银行账号变更) to the person's registered phone.
pub async fn request_sms_code(auth: &AuthService, purpose: SmsPurpose) -> Result<SmsSent> {
    let token = auth.access_token().await?;
    auth.api().sms_code(&token, purpose).await
}
