//! The identity provider's login form (`GET`/`POST /oauth/authorize`): 证件号码 + 密码 or 手机号 +
//! 短信验证码, behind the anti-CSRF token and the throttles, ending in a single-use authorization
//! code sent back to the client's redirect URI.

use crate::error::Error;
use crate::html::{Notice, Typed};
use crate::oidc::{bad_page, AuthorizeQuery, AuthorizeRequest};
use crate::state::AppState;
use crate::throttle::{self, ClientAddr};
use crate::{csrf, db, persons, secrets, sms};
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use serde::Deserialize;
use shiye_core::api::SmsPurpose;
use shiye_core::cn::mobile;

/// The login page for `req`, its forms carrying the request and the page's anti-CSRF token.
fn login_page(req: &AuthorizeRequest, csrf: &str, typed: &Typed, notice: Notice) -> String {
    let mut hidden = req.fields();
    hidden.push((csrf::FIELD, csrf.to_string()));
    crate::html::login_page(&hidden, typed, notice)
}

/// How long an authorization code may wait to be redeemed (RFC 6749 §4.1.2 recommends ≤ 10 min).
const CODE_TTL_SECS: i64 = 120;

pub async fn authorize_page(Query(q): Query<AuthorizeQuery>) -> Result<Response, Error> {
    let req = q.validate()?;
    // No session is kept at the provider: without showing the form nobody can be signed in.
    if q.prompt_none() {
        let why = "the person must sign in on the login page";
        return Err(crate::oidc::error_redirect(&req.redirect_uri, Some(&req.state), "login_required", why));
    }
    let (csrf, cookie) = csrf::issue();
    let page = login_page(&req, &csrf, &Typed::default(), Notice::None);
    Ok(([(header::SET_COOKIE, cookie)], Html(page)).into_response())
}

/// The login form as posted: the authorization request plus the credentials.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(flatten)]
    request: AuthorizeQuery,
    #[serde(default)]
    id_number: String,
    #[serde(default)]
    password: String,
    /// `sms` for 手机号 + 短信验证码.
    method: Option<String>,
    /// `send_code` or `login`, for the SMS form.
    action: Option<String>,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    sms_code: String,
    /// The page's anti-CSRF token.
    #[serde(default)]
    csrf: String,
}

pub async fn authorize_submit(
    State(state): State<AppState>,
    ClientAddr(addr): ClientAddr,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Result<Response, Error> {
    // Nothing of the login form, only the request's parameters: an authorization request sent by
    // POST (OpenID Connect Core §3.1.2.1), answered as the GET is, with the login page.
    let credentials = [&form.csrf, &form.id_number, &form.password, &form.phone, &form.sms_code];
    if credentials.iter().all(|v| v.is_empty()) && form.method.is_none() && form.action.is_none() {
        return authorize_page(Query(form.request)).await;
    }
    csrf::check(&headers, &form.csrf)?;
    let req = form.request.validate()?;
    if form.method.as_deref() == Some("sms") {
        return sms_login(&state, &req, &form).await;
    }
    let typed = Typed { id_number: &form.id_number, phone: &form.phone };
    // Guessing is throttled per account and per client address; the right password does not
    // get through while the account is throttled.
    let now = db::now();
    let account = throttle::key("password-account", &form.id_number.trim().to_ascii_uppercase());
    let address = addr.map(|a| throttle::key("password-address", &a.to_string()));
    let mut waited = state.throttle.check(&account, throttle::PASSWORD_PER_ACCOUNT, now).await?;
    if let (Ok(()), Some(a)) = (waited, &address) {
        waited = state.throttle.check(a, throttle::PASSWORD_PER_ADDRESS, now).await?;
    }
    if let Err(wait) = waited {
        tracing::warn!(retry_after = wait, "password login throttled");
        return Ok(too_many(login_page(&req, &form.csrf, &typed, Notice::Error(&wait_message(wait))), wait));
    }
    let subject = persons::authenticate(&state.db, &state.seal, &form.id_number, &form.password).await?;
    let Some(subject) = subject else {
        state.throttle.record(&account, now).await?;
        if let Some(a) = &address {
            state.throttle.record(a, now).await?;
        }
        let page = login_page(&req, &form.csrf, &typed, Notice::Error("证件号码或密码不正确，请重新输入。"));
        return Ok((StatusCode::UNAUTHORIZED, Html(page)).into_response());
    };
    state.throttle.clear(&account).await?;
    issue_code(&state, &req, &subject).await
}

fn wait_message(wait: i64) -> String {
    format!("尝试次数过多，请{}分钟后再试。", (wait + 59) / 60)
}

/// 429 with the page and Retry-After.
fn too_many(page: String, wait: i64) -> Response {
    let mut resp = (StatusCode::TOO_MANY_REQUESTS, Html(page)).into_response();
    if let Ok(v) = header::HeaderValue::from_str(&wait.to_string()) {
        resp.headers_mut().insert(header::RETRY_AFTER, v);
    }
    resp
}

/// 手机号 + 短信验证码: sends a code, or logs in with one. Neither answer says whether a phone
/// number is registered.
async fn sms_login(state: &AppState, req: &AuthorizeRequest, form: &LoginForm) -> Result<Response, Error> {
    let typed = Typed { id_number: &form.id_number, phone: &form.phone };
    let page = |status: StatusCode, notice: Notice| {
        (status, Html(login_page(req, &form.csrf, &typed, notice))).into_response()
    };
    let Ok(phone) = mobile::normalize(&form.phone) else {
        return Ok(page(StatusCode::BAD_REQUEST, Notice::Error("请输入正确的11位手机号。")));
    };
    let subject = persons::by_phone(&state.db, &state.seal, &phone).await?;
    let now = db::now();
    if form.action.as_deref() == Some("send_code") {
        // One request a minute per number, registered or not: the answer tells nothing.
        let k = throttle::key("sms-send", &phone);
        if let Err(wait) = state.throttle.check(&k, throttle::SMS_SEND_PER_PHONE, now).await? {
            let message = format!("验证码发送过于频繁，请{wait}秒后再试。");
            return Ok(too_many(login_page(req, &form.csrf, &typed, Notice::Error(&message)), wait));
        }
        state.throttle.record(&k, now).await?;
        if let Some(subject) = &subject {
            let mut tx = db::write_for(&state.db, subject).await?;
            // Over the hourly limit nothing is sent, and the answer stays the same.
            if sms::send(&mut tx, &state.seal, subject, SmsPurpose::Login).await?.is_err() {
                tracing::warn!("sms login code not sent: hourly limit");
            }
            tx.commit().await?;
        }
        return Ok(page(StatusCode::OK, Notice::Info("如该手机号已在平台登记，验证码已发送，5分钟内有效。")));
    }
    let guesses = throttle::key("sms-login", &phone);
    if let Err(wait) = state.throttle.check(&guesses, throttle::SMS_LOGIN_PER_PHONE, now).await? {
        return Ok(too_many(login_page(req, &form.csrf, &typed, Notice::Error(&wait_message(wait))), wait));
    }
    let verified = match &subject {
        Some(s) => {
            sms::verify(&mut *state.db.acquire().await?, s, SmsPurpose::Login, &form.sms_code).await?.is_ok()
        }
        None => false,
    };
    match subject.filter(|_| verified) {
        Some(subject) => {
            state.throttle.clear(&guesses).await?;
            issue_code(state, req, &subject).await
        }
        None => {
            state.throttle.record(&guesses, now).await?;
            Ok(page(StatusCode::UNAUTHORIZED, Notice::Error("手机号或短信验证码不正确，请重新输入。")))
        }
    }
}

/// Issues a single-use authorization code for `subject` and redirects to the client with it.
async fn issue_code(state: &AppState, req: &AuthorizeRequest, subject: &str) -> Result<Response, Error> {
    let code = secrets::new_secret();
    sqlx::query(
        "INSERT INTO auth_codes (code_hash, client_id, redirect_uri, code_challenge, subject, scope, nonce, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(secrets::hash(&code))
    .bind(&req.client_id)
    .bind(&req.redirect_uri)
    .bind(&req.code_challenge)
    .bind(subject)
    .bind(&req.scope)
    .bind(&req.nonce)
    .bind(db::now() + CODE_TTL_SECS)
    .execute(&state.db)
    .await?;
    let mut target = url::Url::parse(&req.redirect_uri).map_err(|_| bad_page("回调地址无效。"))?;
    target.query_pairs_mut().append_pair("code", &code).append_pair("state", &req.state);
    Ok(Redirect::to(target.as_str()).into_response())
}
