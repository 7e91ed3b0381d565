//! The OpenID Connect provider's protocol endpoints: discovery, the authorization request and its
//! checks, the token endpoint (authorization code + PKCE S256, refresh with rotation), revocation
//! and userinfo. The login form is `login.rs`; issued tokens are kept by `token_store.rs`.

use crate::error::Error;
use crate::state::AppState;
use crate::token_store::{self, issue_tokens, revoke_family};
use crate::{db, id_token, persons, secrets};
use axum::extract::{Form, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use serde::Deserialize;
use shiye_core::oidc::CLIENT_ID;
use shiye_core::oidc::{Claims, ProviderMetadata};
use sqlx::Row;

/// The registered clients: (client id, whether a redirect URI is one it registered). Public
/// clients, so PKCE is mandatory. The app registers a loopback redirect with any port (desktop,
/// RFC 8252 §7.3; the kiosk's login window uses it without a port) and a private-use scheme (phones).
const CLIENTS: &[(&str, RedirectRule)] = &[(CLIENT_ID, shiye_core::oidc::redirect_registered)];

/// Whether a redirect URI is one a client registered.
type RedirectRule = fn(&str) -> bool;

fn client_redirects(client_id: &str) -> Option<RedirectRule> {
    CLIENTS.iter().find(|(id, _)| *id == client_id).map(|(_, registered)| *registered)
}

pub async fn discovery(State(state): State<AppState>) -> Json<ProviderMetadata> {
    let iss = &state.issuer;
    let list = |v: &[&str]| v.iter().map(|s| s.to_string()).collect();
    Json(ProviderMetadata {
        issuer: iss.to_string(),
        authorization_endpoint: format!("{iss}/oauth/authorize"),
        token_endpoint: format!("{iss}/oauth/token"),
        userinfo_endpoint: Some(format!("{iss}/oauth/userinfo")),
        jwks_uri: format!("{iss}/oauth/jwks"),
        revocation_endpoint: Some(format!("{iss}/oauth/revoke")),
        revocation_endpoint_auth_methods_supported: list(&["none"]),
        introspection_endpoint: None,
        id_token_signing_alg_values_supported: list(&[state.id_token_alg.name()]),
        response_types_supported: list(&["code"]),
        grant_types_supported: list(&["authorization_code", "refresh_token"]),
        subject_types_supported: list(&["public"]),
        code_challenge_methods_supported: list(&["S256"]),
        token_endpoint_auth_methods_supported: list(&["none"]),
        scopes_supported: list(shiye_core::oidc::KNOWN_SCOPES),
        claims_supported: list(&[
            "sub",
            "name",
            "gender",
            "birthdate",
            "phone_number",
            "id_type",
            "id_number",
        ]),
        prompt_values_supported: list(&["none", "login", "consent"]),
        shiye_app_redirect_uris: list(shiye_core::oidc::REGISTERED_REDIRECTS),
    })
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
    /// OpenID Connect Core §3.1.2.1: `none`, `login`, `consent` (the form is always shown, so the
    /// last two change nothing; `none` cannot be honoured without one).
    prompt: Option<String>,
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

pub(crate) fn bad_page(message: &str) -> Error {
    Error::Page(StatusCode::BAD_REQUEST, message.to_string())
}

/// The browser sent back to `redirect_uri` with an OAuth error (RFC 6749 §4.1.2.1) and the
/// request's `state` when it had one.
pub(crate) fn error_redirect(
    redirect_uri: &str,
    state: Option<&str>,
    error: &str,
    description: &str,
) -> Error {
    let mut to = match url::Url::parse(redirect_uri) {
        Ok(u) => u,
        Err(_) => return bad_page(description),
    };
    {
        let mut q = to.query_pairs_mut();
        q.append_pair("error", error).append_pair("error_description", description);
        if let Some(s) = state.filter(|s| !s.is_empty() && s.len() <= 256) {
            q.append_pair("state", s);
        }
    }
    Error::AuthorizeRedirect(to.to_string())
}

impl AuthorizeQuery {
    /// Whether the client asked that no page be shown (`prompt=none`).
    pub(crate) fn prompt_none(&self) -> bool {
        self.prompt.as_deref().is_some_and(|p| p.split_ascii_whitespace().any(|v| v == "none"))
    }

    /// RFC 6749 §4.1.2.1: a bad client or redirect URI is shown to the person, never redirected to;
    /// any other fault of the request is sent back to the verified redirect URI.
    pub(crate) fn validate(&self) -> Result<AuthorizeRequest, Error> {
        let client_id =
            self.client_id.clone().ok_or_else(|| bad_page("登录请求缺少应用标识（client_id）。"))?;
        let registered =
            client_redirects(&client_id).ok_or_else(|| bad_page("发起登录的应用未在本平台登记。"))?;
        let redirect_uri =
            self.redirect_uri.clone().ok_or_else(|| bad_page("登录请求缺少回调地址（redirect_uri）。"))?;
        if !registered(&redirect_uri) {
            return Err(bad_page("登录请求的回调地址与该应用登记的地址不一致。"));
        }
        let back = |error: &str, description: &str| {
            error_redirect(&redirect_uri, self.state.as_deref(), error, description)
        };
        if self.response_type.as_deref() != Some("code") {
            return Err(back("unsupported_response_type", "only the code response type is supported"));
        }
        let code_challenge = self
            .code_challenge
            .clone()
            .filter(|c| {
                c.len() == 43 && c.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
            })
            .ok_or_else(|| back("invalid_request", "a valid S256 code_challenge is required"))?;
        if self.code_challenge_method.as_deref() != Some("S256") {
            return Err(back("invalid_request", "code_challenge_method must be S256"));
        }
        let state = self
            .state
            .clone()
            .filter(|s| !s.is_empty() && s.len() <= 256)
            .ok_or_else(|| back("invalid_request", "state is required"))?;
        let asked = self.scope.clone().unwrap_or_default();
        if !asked.split_ascii_whitespace().any(|s| s == "openid") || asked.len() > 256 {
            return Err(back("invalid_scope", "the scope must include openid"));
        }
        // Scopes the provider does not know are dropped from the grant, not granted as asked.
        let scope = shiye_core::oidc::granted_scopes(&asked);
        let nonce = self.nonce.clone().filter(|n| !n.is_empty() && n.len() <= 256);
        Ok(AuthorizeRequest { client_id, redirect_uri, scope, state, code_challenge, nonce })
    }
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
    // One code's redemptions wait for each other (it is spent once); nobody else's do.
    let mut tx = db::write_for(&state.db, &format!("code:{}", secrets::hex(&code_hash))).await?;
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
    // Claims are released by scope, in the ID token as at userinfo: the name only with `profile`.
    let name = match scope.split_ascii_whitespace().any(|s| s == "profile") {
        true => persons::userinfo(&mut *tx, &state.seal, &subject).await?.map(|u| u.name),
        false => None,
    };
    let who = id_token::Subject {
        subject: &subject,
        client_id: &client_id,
        nonce: nonce.as_deref(),
        name: name.as_deref(),
    };
    let id_token = id_token::issue(state, &who);
    let response = issue_tokens(&mut tx, &subject, &client_id, &scope, &code_hash, Some(&id_token)).await?;
    tx.commit().await?;
    Ok(response)
}

/// The refresh grant with rotation (OAuth 2.0 Security BCP §4.14): each refresh token works once;
/// presenting a spent one revokes every token of its family, since one of the two holders is a thief.
async fn refresh(state: &AppState, form: TokenForm) -> Result<Response, Error> {
    let token = form.refresh_token.ok_or_else(|| Error::invalid_request("refresh_token is required"))?;
    let client_id = form.client_id.ok_or_else(|| Error::invalid_request("client_id is required"))?;
    // A family's refreshes wait for each other (rotation, and the revocation of a replayed one,
    // see each other's writes); other families' do not.
    let family: Option<Vec<u8>> =
        sqlx::query("SELECT family FROM tokens WHERE token_hash = $1 AND kind = 'refresh'")
            .bind(secrets::hash(&token))
            .fetch_optional(&state.db)
            .await?
            .map(|r| r.get("family"));
    let family = family.ok_or_else(|| Error::invalid_grant("unknown refresh token"))?;
    let mut tx = db::write_for(&state.db, &format!("family:{}", secrets::hex(&family))).await?;
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
    /// A public client names itself (RFC 7009 §2.1); older clients of this provider did not.
    client_id: Option<String>,
}

fn invalid_client(description: &str) -> Error {
    Error::OAuth {
        status: StatusCode::UNAUTHORIZED,
        error: "invalid_client",
        description: description.into(),
    }
}

/// `POST /oauth/revoke` (RFC 7009): revokes the token and everything of its grant; 200 whether or
/// not the token existed, so that nobody learns which do. A `client_id` must be a registered
/// client and, for a known token, the one it was issued to (§2.1: else the request is refused).
pub async fn revoke(
    State(state): State<AppState>,
    Form(form): Form<RevokeForm>,
) -> Result<StatusCode, Error> {
    let Some(token) = form.token else { return Err(Error::invalid_request("token is required")) };
    if form.client_id.as_deref().is_some_and(|c| client_redirects(c).is_none()) {
        return Err(invalid_client("unknown client"));
    }
    let mut conn = state.db.acquire().await?;
    let found = sqlx::query("SELECT family, client_id FROM tokens WHERE token_hash = $1")
        .bind(secrets::hash(&token))
        .fetch_optional(&mut *conn)
        .await?
        .map(|r| (r.get::<Vec<u8>, _>("family"), r.get::<String, _>("client_id")));
    if let Some((family, owner)) = found {
        if form.client_id.as_deref().is_some_and(|c| c != owner) {
            return Err(invalid_client("the token was issued to another client"));
        }
        revoke_family(&mut conn, &family).await?;
    }
    Ok(StatusCode::OK)
}

/// The claims the token's scope releases: `sub` alone for `openid`.
pub async fn userinfo(State(state): State<AppState>, headers: HeaderMap) -> Result<Json<Claims>, Error> {
    let (subject, scope) = token_store::bearer_grant(&state, &headers).await?;
    let person = persons::userinfo(&state.db, &state.seal, &subject).await?.ok_or(Error::InvalidToken)?;
    Ok(Json(Claims::released(&person, &scope)))
}
