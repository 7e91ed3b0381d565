//! The person's account on this device, composed from the services: starting (online, or
//! offline from the sealed cache), logging in and out, refreshing records and statuses, the
//! acknowledged texts and the SMS code. Commands call these; so does the background refresher.

use crate::auth::AuthService;
use crate::cache::Cache;
use crate::submissions::{now, Submissions};
use crate::{Error, Result};
use shiye_core::api::{SmsPurpose, SmsSent};
use shiye_core::ipc::{BasicInfo, Notice, Overview, Prefs, Startup};
use tauri::{AppHandle, Runtime};

/// Fetches profile and statuses, keeps them sealed and hands the records to validation.
pub async fn refresh(auth: &AuthService, cache: &Cache, subs: &Submissions) -> Result<Overview> {
    let token = auth.access_token().await?;
    let profile = auth.api().profile(&token).await?;
    let applications = auth.api().applications(&token).await?;
    let overview = Overview {
        session: (&profile.user).into(),
        basic: BasicInfo::from(&profile.user),
        records: subs.keep_records(profile.records),
        applications,
        synced_at: now(),
    };
    auth.set_session(overview.session.clone());
    cache.save_overview(&overview).await?;
    Ok(overview)
}

/// Whether an error means the server could not be reached (rather than a refusal).
pub fn is_offline(e: &Error) -> bool {
    matches!(e, Error::Http(_)) || matches!(e, Error::Status(s) if *s >= 500)
}

/// At start: the person last logged in on this device, fresh from the server when it answers,
/// otherwise from the sealed cache (offline). Nobody if they logged out or their login lapsed.
pub async fn start(auth: &AuthService, cache: &Cache, subs: &Submissions) -> Result<Startup> {
    let prefs = cache.prefs();
    let Some(last) = cache.last_overview()? else {
        return Ok(Startup { overview: None, online: true, expired_drafts: vec![], prefs });
    };
    let expired_drafts = subs.expire_drafts(&last.session.subject).await?;
    let (overview, online) = match refresh(auth, cache, subs).await {
        Ok(o) => (Some(o), true),
        Err(e) if is_offline(&e) => {
            auth.set_session(last.session.clone());
            subs.keep_records(last.records.clone());
            (Some(last), false)
        }
        Err(Error::NotLoggedIn) | Err(Error::Status(401)) => {
            cache.forget_last().await?;
            (None, true)
        }
        Err(e) => return Err(e),
    };
    Ok(Startup { overview, online, expired_drafts, prefs })
}

/// Logs in through the identity platform, then fetches the person's overview.
pub async fn login<R: Runtime>(
    app: &AppHandle<R>,
    auth: &AuthService,
    cache: &Cache,
    subs: &Submissions,
) -> Result<Overview> {
    auth.login(app).await?;
    refresh(auth, cache, subs).await
}

/// 退出登录: revokes and deletes the tokens, and the device stops opening offline for them.
pub async fn logout(auth: &AuthService, cache: &Cache) -> Result<()> {
    auth.logout().await?;
    cache.forget_last().await
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
    cache.accept(&auth.subject()?, notice, version).await
}

pub async fn set_prefs(cache: &Cache, prefs: Prefs) -> Result<Prefs> {
    cache.set_prefs(prefs).await?;
    Ok(prefs)
}

/// Sends the 停发 SMS verification code to the person's registered phone.
pub async fn request_sms_code(auth: &AuthService) -> Result<SmsSent> {
    let token = auth.access_token().await?;
    auth.api().sms_code(&token, SmsPurpose::BenefitStop).await
}
