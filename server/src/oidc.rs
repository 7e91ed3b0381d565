//! The OpenID Connect provider: discovery, the authorize endpoint with its login form, the token
//! endpoint (authorization code + PKCE S256), and userinfo.

use crate::error::Error;
use crate::login_page::{login_page, Notice, Typed};
use crate::state::AppState;
use crate::throttle::{self, ClientAddr};
use crate::{csrf, db, id_token, persons, secrets, sms};
use axum::extract::{Form, Query, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::Json;
use serde::Deserialize;
use shiye_core::api::SmsPurpose;
use shiye_core::cn::mobile;
use shiye_core::oidc::Claims;
use shiye_core::oidc::{CLIENT_ID, REDIRECT_URI};
use sqlx::Row;

/// How long an authorization code may wait to be redeemed (RFC 6749 §4.1.2 recommends ≤ 10 min).
const CODE_TTL_SECS: i64 = 120;
/// Lifetime of an access token.
pub const ACCESS_TTL_SECS: i64 = 900;
/// Lifetime of a refresh token.
pub const REFRESH_TTL_SECS: i64 = 7 * 24 * 3600;

/// The registered clients: (client id, exact redirect URI). Public clients, so PKCE is mandatory.
const CLIENTS: &[(&str, &str)] = &[(CLIENT_ID, REDIRECT_URI)];

fn client_redirect(client_id: &str) -> Option<&'static str> {
    CLIENTS.iter().find(|(id, _)| *id == client_id).map(|(_, uri)| *uri)
}

pub async fn discovery(State(state): State<AppState>) -> Json<serde_json::Value> {
    let iss = &state.issuer;
    Json(serde_json::json!({
        "issuer": iss.as_ref(),
        "authorization_endpoint": format!("{iss}/oauth/authorize"),
        "token_endpoint": format!("{iss}/oauth/token"),
        "userinfo_endpoint": format!("{iss}/oauth/userinfo"),
        "jwks_uri": format!("{iss}/oauth/jwks"),
        "id_token_signing_alg_values_supported": ["EdDSA"],
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "revocation_endpoint": format!("{iss}/oauth/revoke"),
        "subject_types_supported": ["public"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["none"],
        "scopes_supported": shiye_core::oidc::KNOWN_SCOPES,
    }))
}

/// The query of `GET /oauth/authorize`, every field optional so that a missing one gets a clear
/// page instead of a bare extractor rejection.
#[derive(Debug, Default, Deserialize)]
pub struct AuthorizeQuery {
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
    nonce: Option<String>,
}

/// A validated authorization request.
#[derive(Debug, Clone)]
pub struct AuthorizeRequest {
    pub client_id: String,
    pub redirect_uri: String,
    pub scope: String,
    pub state: String,
    pub code_challenge: String,
    pub nonce: Option<String>,
}

impl AuthorizeRequest {
    /// The request's parameters, carried through the login form as hidden fields.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        let mut f = vec![
            ("response_type", "code".to_string()),
            ("client_id", self.client_id.clone()),
            ("redirect_uri", self.redirect_uri.clone()),
            ("scope", self.scope.clone()),
            ("state", self.state.clone()),
            ("code_challenge", self.code_challenge.clone()),
            ("code_challenge_method", "S256".to_string()),
        ];
        if let Some(n) = &self.nonce {
            f.push(("nonce", n.clone()));
        }
        f
    }
}

fn bad_page(message: &str) -> Error {
    Error::Page(StatusCode::BAD_REQUEST, message.to_string())
}

impl AuthorizeQuery {
    /// RFC 6749 §4.1.2.1: a bad client or redirect URI is shown to the person, never redirected to.
    fn validate(&self) -> Result<AuthorizeRequest, Error> {
        let client_id =
            self.client_id.clone().ok_or_else(|| bad_page("登录请求缺少应用标识（client_id）。"))?;
        let registered =
            client_redirect(&client_id).ok_or_else(|| bad_page("发起登录的应用未在本平台登记。"))?;
        let redirect_uri =
            self.redirect_uri.clone().ok_or_else(|| bad_page("登录请求缺少回调地址（redirect_uri）。"))?;
        if redirect_uri != registered {
            return Err(bad_page("登录请求的回调地址与该应用登记的地址不一致。"));
        }
        if self.response_type.as_deref() != Some("code") {
            return Err(bad_page("登录请求的响应类型不受支持（仅支持 code）。"));
        }
        let code_challenge = self
            .code_challenge
            .clone()
            .filter(|c| {
                c.len() == 43 && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
            .ok_or_else(|| bad_page("登录请求缺少有效的 PKCE 校验值（code_challenge）。"))?;
        if self.code_challenge_method.as_deref() != Some("S256") {
            return Err(bad_page("登录请求必须使用 S256 方式的 PKCE 校验。"));
        }
        let state = self
            .state
            .clone()
            .filter(|s| !s.is_empty() && s.len() <= 256)
            .ok_or_else(|| bad_page("登录请求缺少状态参数（state）。"))?;
        let asked = self.scope.clone().unwrap_or_default();
        if !asked.split_ascii_whitespace().any(|s| s == "openid") || asked.len() > 256 {
            return Err(bad_page("登录请求的授权范围必须包含 openid。"));
        }
        // Scopes the provider does not know are dropped from the grant, not granted as asked.
        let scope = shiye_core::oidc::granted_scopes(&asked);
        let nonce = self.nonce.clone().filter(|n| !n.is_empty() && n.len() <= 256);
        Ok(AuthorizeRequest { client_id, redirect_uri, scope, state, code_challenge, nonce })
    }
}

pub async fn authorize_page(Query(q): Query<AuthorizeQuery>) -> Result<Response, Error> {
    let req = q.validate()?;
    let (csrf, cookie) = csrf::issue();
    let page = login_page(&req, &Typed { csrf: &csrf, ..Typed::default() }, Notice::None);
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
    csrf::check(&headers, &form.csrf)?;
    let req = form.request.validate()?;
    if form.method.as_deref() == Some("sms") {
        return sms_login(&state, &req, &form).await;
    }
    let typed = Typed { id_number: &form.id_number, phone: &form.phone, csrf: &form.csrf };
    // Guessing is throttled per account and per client address; the right password does not
    // get through while the account is throttled.
    let now = db::now();
    let account = throttle::key("password-account", &form.id_number.trim().to_ascii_uppercase());
    let address = addr.map(|a| throttle::key("password-address", &a.to_string()));
    let waited = state.throttle.check(&account, throttle::PASSWORD_PER_ACCOUNT, now).and_then(|()| {
        address.as_ref().map_or(Ok(()), |a| state.throttle.check(a, throttle::PASSWORD_PER_ADDRESS, now))
    });
    if let Err(wait) = waited {
        tracing::warn!(retry_after = wait, "password login throttled");
        return Ok(too_many(login_page(&req, &typed, Notice::Error(&wait_message(wait))), wait));
    }
    let subject = persons::authenticate(&state.db, &state.seal, &form.id_number, &form.password).await?;
    let Some(subject) = subject else {
        state.throttle.record(&account, now);
        if let Some(a) = &address {
            state.throttle.record(a, now);
        }
        let page = login_page(&req, &typed, Notice::Error("证件号码或密码不正确，请重新输入。"));
        return Ok((StatusCode::UNAUTHORIZED, Html(page)).into_response());
    };
    state.throttle.clear(&account);
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
    let typed = Typed { id_number: &form.id_number, phone: &form.phone, csrf: &form.csrf };
    let page =
        |status: StatusCode, notice: Notice| (status, Html(login_page(req, &typed, notice))).into_response();
    let Ok(phone) = mobile::normalize(&form.phone) else {
        return Ok(page(StatusCode::BAD_REQUEST, Notice::Error("请输入正确的11位手机号。")));
    };
    let subject = persons::by_phone(&state.db, &state.seal, &phone).await?;
    let now = db::now();
    if form.action.as_deref() == Some("send_code") {
        // One request a minute per number, registered or not: the answer tells nothing.
        let k = throttle::key("sms-send", &phone);
        if let Err(wait) = state.throttle.check(&k, throttle::SMS_SEND_PER_PHONE, now) {
            let message = format!("验证码发送过于频繁，请{wait}秒后再试。");
            return Ok(too_many(login_page(req, &typed, Notice::Error(&message)), wait));
        }
        state.throttle.record(&k, now);
        if let Some(subject) = &subject {
            let mut tx = db::write(&state.db).await?;
            // Over the hourly limit nothing is sent, and the answer stays the same.
            if sms::send(&mut tx, &state.seal, subject, SmsPurpose::Login).await?.is_err() {
                tracing::warn!("sms login code not sent: hourly limit");
            }
            tx.commit().await?;
        }
        return Ok(page(StatusCode::OK, Notice::Info("如该手机号已在平台登记，验证码已发送，5分钟内有效。")));
    }
    let guesses = throttle::key("sms-login", &phone);
    if let Err(wait) = state.throttle.check(&guesses, throttle::SMS_LOGIN_PER_PHONE, now) {
        return Ok(too_many(login_page(req, &typed, Notice::Error(&wait_message(wait))), wait));
    }
    let verified = match &subject {
        Some(s) => {
            sms::verify(&mut *state.db.acquire().await?, s, SmsPurpose::Login, &form.sms_code).await?.is_ok()
        }
        None => false,
    };
    match subject.filter(|_| verified) {
        Some(subject) => {
            state.throttle.clear(&guesses);
            issue_code(state, req, &subject).await
        }
        None => {
            state.throttle.record(&guesses, now);
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

/// `POST /oauth/token` form (RFC 6749 §4.1.3 with RFC 7636 §4.5).
#[derive(Deserialize)]
pub struct TokenForm {
    grant_type: Option<String>,
    code: Option<String>,
    redirect_uri: Option<String>,
    client_id: Option<String>,
    code_verifier: Option<String>,
    refresh_token: Option<String>,
}

pub async fn token(State(state): State<AppState>, Form(form): Form<TokenForm>) -> Result<Response, Error> {
    match form.grant_type.as_deref() {
        Some("authorization_code") => redeem_code(&state, form).await,
        Some("refresh_token") => refresh(&state, form).await,
        Some(_) => Err(Error::OAuth {
            status: StatusCode::BAD_REQUEST,
            error: "unsupported_grant_type",
            description: "only authorization_code and refresh_token are supported".into(),
        }),
        None => Err(Error::invalid_request("grant_type is required")),
    }
}

async fn redeem_code(state: &AppState, form: TokenForm) -> Result<Response, Error> {
    let code = form.code.ok_or_else(|| Error::invalid_request("code is required"))?;
    let client_id = form.client_id.ok_or_else(|| Error::invalid_request("client_id is required"))?;
    let verifier = form.code_verifier.ok_or_else(|| Error::invalid_request("code_verifier is required"))?;
    let code_hash = secrets::hash(&code);
    // Read before the write transaction: while it is held, no second connection is taken.
    let signer = id_token::signing_key(&state.db).await?;
    let mut tx = db::write(&state.db).await?;
    let row = sqlx::query(
        "SELECT client_id, redirect_uri, code_challenge, subject, scope, nonce, expires_at, used_at
         FROM auth_codes WHERE code_hash = $1",
    )
    .bind(&code_hash)
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::invalid_grant("unknown authorization code"))?;
    if row.get::<Option<i64>, _>("used_at").is_some() {
        // RFC 6749 §4.1.2: a replayed code revokes what it was exchanged for.
        revoke_family(&mut tx, &code_hash).await?;
        tx.commit().await?;
        return Err(Error::invalid_grant("authorization code already used"));
    }
    // Mark used before any other check, so that a failed attempt also burns the code.
    sqlx::query("UPDATE auth_codes SET used_at = $1 WHERE code_hash = $2")
        .bind(db::now())
        .bind(&code_hash)
        .execute(&mut *tx)
        .await?;
    let checks = [
        (row.get::<i64, _>("expires_at") >= db::now(), "authorization code expired"),
        (row.get::<String, _>("client_id") == client_id, "code was issued to another client"),
        (
            form.redirect_uri.as_deref() == Some(row.get::<&str, _>("redirect_uri")),
            "redirect_uri does not match",
        ),
        (secrets::is_valid_verifier(&verifier), "code_verifier is malformed"),
        (secrets::pkce_s256_matches(&verifier, row.get("code_challenge")), "PKCE verification failed"),
    ];
    if let Some((_, why)) = checks.iter().find(|(ok, _)| !ok) {
        tx.commit().await?;
        return Err(Error::invalid_grant(*why));
    }
    let subject: String = row.get("subject");
    let scope: String = row.get("scope");
    let nonce: Option<String> = row.get("nonce");
    let name = persons::userinfo(&mut *tx, &state.seal, &subject).await?.map(|u| u.name).unwrap_or_default();
    let id_token = id_token::issue(state, &signer, &subject, &client_id, nonce.as_deref(), &name);
    let response = issue_tokens(&mut tx, &subject, &client_id, &scope, &code_hash, Some(&id_token)).await?;
    tx.commit().await?;
    Ok(response)
}

/// Issues an access and a refresh token in `family` and answers with them (RFC 6749 §5.1).
async fn issue_tokens(
    conn: &mut crate::db::Conn,
    subject: &str,
    client_id: &str,
    scope: &str,
    family: &[u8],
    id_token: Option<&str>,
) -> Result<Response, Error> {
    let access = secrets::new_secret();
    let refresh = secrets::new_secret();
    for (secret, kind, ttl) in [(&access, "access", ACCESS_TTL_SECS), (&refresh, "refresh", REFRESH_TTL_SECS)]
    {
        sqlx::query(
            "INSERT INTO tokens (token_hash, kind, subject, client_id, scope, family, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(secrets::hash(secret))
        .bind(kind)
        .bind(subject)
        .bind(client_id)
        .bind(scope)
        .bind(family)
        .bind(db::now() + ttl)
        .execute(&mut *conn)
        .await?;
    }
    let mut body = serde_json::json!({
        "access_token": access,
        "token_type": "Bearer",
        "expires_in": ACCESS_TTL_SECS,
        "refresh_token": refresh,
        "scope": scope,
    });
    if let Some(t) = id_token {
        body["id_token"] = serde_json::Value::String(t.to_string());
    }
    Ok(([(header::CACHE_CONTROL, "no-store")], Json(body)).into_response())
}

async fn revoke_family(conn: &mut crate::db::Conn, family: &[u8]) -> Result<(), Error> {
    sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE family = $2 AND revoked_at IS NULL")
        .bind(db::now())
        .bind(family)
        .execute(conn)
        .await?;
    Ok(())
}

/// The refresh grant with rotation (OAuth 2.0 Security BCP §4.14): each refresh token works once;
/// presenting a spent one revokes every token of its family, since one of the two holders is a thief.
async fn refresh(state: &AppState, form: TokenForm) -> Result<Response, Error> {
    let token = form.refresh_token.ok_or_else(|| Error::invalid_request("refresh_token is required"))?;
    let client_id = form.client_id.ok_or_else(|| Error::invalid_request("client_id is required"))?;
    let mut tx = db::write(&state.db).await?;
    let row = sqlx::query(
        "SELECT subject, client_id, scope, family, expires_at, revoked_at FROM tokens WHERE token_hash = $1 AND kind = 'refresh'",
    )
    .bind(secrets::hash(&token))
    .fetch_optional(&mut *tx)
    .await?
    .ok_or_else(|| Error::invalid_grant("unknown refresh token"))?;
    let family: Vec<u8> = row.get("family");
    if row.get::<Option<i64>, _>("revoked_at").is_some() {
        revoke_family(&mut tx, &family).await?;
        tx.commit().await?;
        return Err(Error::invalid_grant("refresh token already used; the whole grant is revoked"));
    }
    if row.get::<i64, _>("expires_at") < db::now() || row.get::<String, _>("client_id") != client_id {
        return Err(Error::invalid_grant("refresh token expired or issued to another client"));
    }
    sqlx::query("UPDATE tokens SET revoked_at = $1 WHERE token_hash = $2")
        .bind(db::now())
        .bind(secrets::hash(&token))
        .execute(&mut *tx)
        .await?;
    let subject: String = row.get("subject");
    let scope: String = row.get("scope");
    let response = issue_tokens(&mut tx, &subject, &client_id, &scope, &family, None).await?;
    tx.commit().await?;
    Ok(response)
}

#[derive(Deserialize)]
pub struct RevokeForm {
    token: Option<String>,
}

/// `POST /oauth/revoke` (RFC 7009): revokes the token and everything of its grant; always 200, so
/// that nobody learns whether a token existed.
pub async fn revoke(
    State(state): State<AppState>,
    Form(form): Form<RevokeForm>,
) -> Result<StatusCode, Error> {
    let Some(token) = form.token else { return Err(Error::invalid_request("token is required")) };
    let mut conn = state.db.acquire().await?;
    let family: Option<Vec<u8>> = sqlx::query("SELECT family FROM tokens WHERE token_hash = $1")
        .bind(secrets::hash(&token))
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| r.get("family"));
    if let Some(family) = family {
        revoke_family(&mut conn, &family).await?;
    }
    Ok(StatusCode::OK)
}

/// Resolves `Authorization: Bearer …` to the subject of a live access token.
pub async fn bearer_subject(state: &AppState, headers: &HeaderMap) -> Result<String, Error> {
    bearer_grant(state, headers).await.map(|(subject, _)| subject)
}

/// The subject and granted scope of a live access token.
async fn bearer_grant(state: &AppState, headers: &HeaderMap) -> Result<(String, String), Error> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or(Error::InvalidToken)?;
    let row = sqlx::query(
        "SELECT subject, scope FROM tokens
         WHERE token_hash = $1 AND kind = 'access' AND revoked_at IS NULL AND expires_at >= $2",
    )
    .bind(secrets::hash(token.trim()))
    .bind(db::now())
    .fetch_optional(&state.db)
    .await?;
    row.map(|r| (r.get("subject"), r.get("scope"))).ok_or(Error::InvalidToken)
}

/// The claims the token's scope releases: `sub` alone for `openid`.
pub async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Claims>, Error> {
    let (subject, scope) = bearer_grant(&state, &headers).await?;
    let person = persons::userinfo(&state.db, &state.seal, &subject).await?.ok_or(Error::InvalidToken)?;
    Ok(Json(Claims::released(&person, &scope)))
}
