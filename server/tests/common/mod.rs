//! A reference server on loopback with its own SQLite file (or a fresh PostgreSQL database), and
//! the login steps a client takes.

#![allow(clippy::unwrap_used, dead_code)]

pub mod contract_check;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use shiye_core::oidc::{CLIENT_ID, REDIRECT_URI};
use shiye_server::db::Location;
use shiye_server::persons::{Seed, DEMO_PASSWORD};
use shiye_server::Server;
use std::net::SocketAddr;

pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

pub struct Idp {
    pub base: String,
    pub admin_token: String,
    pub http: reqwest::Client,
    pub db_path: std::path::PathBuf,
    _dir: tempfile::TempDir,
}

pub async fn start() -> Idp {
    start_with(None).await
}

/// A server that approves items by itself after `auto_review` seconds, when given.
pub async fn start_with(auto_review: Option<i64>) -> Idp {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("s.sqlite");
    let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], 0)), &db_path).await.unwrap();
    if let Some(secs) = auto_review {
        server.auto_review(secs);
    }
    serve(server, db_path, dir)
}

/// A server whose ID tokens are signed with `alg`.
pub async fn start_signing_with(alg: shiye_server::id_token::Alg) -> Idp {
    let dir = tempfile::tempdir().unwrap();
    let db_path = dir.path().join("s.sqlite");
    let mut server = Server::bind(SocketAddr::from(([127, 0, 0, 1], 0)), &db_path).await.unwrap();
    server.sign_id_tokens_with(alg);
    serve(server, db_path, dir)
}

fn serve(server: Server, db_path: std::path::PathBuf, dir: tempfile::TempDir) -> Idp {
    // Requests go to this instance; the issuer may be another's (instances behind one address).
    let (base, admin_token) = (server.local_url(), server.admin_token());
    // Every answer checked against the published contract (a violation turns into a 500).
    let checker = contract_check::Checker::new();
    tokio::spawn(
        server.run_with(move |router| contract_check::layer(router, checker), std::future::pending()),
    );
    // reqwest is built without a default crypto provider (the app names its own); the tests'
    // client takes ring's, installed once for the process.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    Idp { base, admin_token, http, db_path, _dir: dir }
}

/// The variable `cargo xtask test` sets to the PostgreSQL server it started.
pub const POSTGRES_VAR: &str = "SHIYE_TEST_POSTGRES";

/// A new, empty PostgreSQL database on the test run's server, or `None` (with a notice) when
/// the run has no PostgreSQL (`cargo xtask test` always starts one).
pub async fn fresh_postgres() -> Option<String> {
    let Ok(admin) = std::env::var(POSTGRES_VAR) else {
        eprintln!("skipped on PostgreSQL: {POSTGRES_VAR} is not set (cargo xtask test sets it)");
        return None;
    };
    let name = format!("t_{}", shiye_server::secrets::new_id());
    let pool = sqlx::PgPool::connect(&admin).await.unwrap();
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&pool).await.unwrap();
    pool.close().await;
    let (base, _) = admin.rsplit_once('/').unwrap();
    Some(format!("{base}/{name}"))
}

/// `n` server instances on one PostgreSQL database, sharing one sealing key, as a deployment
/// behind a load balancer would run them; `None` without PostgreSQL.
pub async fn start_postgres_instances(n: usize) -> Option<Vec<Idp>> {
    Some(postgres_instances(n).await?.1)
}

/// As [`start_postgres_instances`], with the database's URL.
pub async fn postgres_instances(n: usize) -> Option<(String, Vec<Idp>)> {
    let url = fresh_postgres().await?;
    let key_dir = tempfile::tempdir().unwrap();
    let key_file = key_dir.path().join("server.key");
    let mut out = Vec::new();
    // One public issuer for all, as behind a load balancer: the first instance's address.
    let mut issuer = None;
    for _ in 0..n {
        let dir = tempfile::tempdir().unwrap();
        let mut server = Server::bind_with(
            SocketAddr::from(([127, 0, 0, 1], 0)),
            Location::Postgres(url.clone()),
            &key_file,
        )
        .await
        .unwrap();
        let issuer = issuer.get_or_insert_with(|| server.local_url());
        server.set_issuer(issuer).unwrap();
        out.push(serve(server, dir.path().join("no-sqlite"), dir));
    }
    Some((url, out))
}

/// One server on a fresh PostgreSQL database; `None` without PostgreSQL.
pub async fn start_postgres() -> Option<Idp> {
    start_postgres_instances(1).await.map(|mut v| v.remove(0))
}

/// Runs a test body on SQLite and on PostgreSQL: `on_both!(name)` makes `name::sqlite` and
/// `name::postgres` from `async fn name(idp: Idp)`.
#[macro_export]
macro_rules! on_both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name(super::common::start().await).await
            }

            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(idp) = super::common::start_postgres().await {
                    super::$name(idp).await
                }
            }
        }
    };
}

/// Posts a login form as a browser would: the login page first (its query the form's fields), then
/// the form with the page's anti-CSRF token and cookie.
pub async fn post_login<K: AsRef<str>, V: AsRef<str>>(
    http: &reqwest::Client,
    base: &str,
    form: Vec<(K, V)>,
) -> reqwest::Response {
    let mut form: Vec<(String, String)> =
        form.iter().map(|(k, v)| (k.as_ref().to_string(), v.as_ref().to_string())).collect();
    let url = format!("{base}/oauth/authorize");
    let page = http.get(&url).query(&form).send().await.unwrap();
    let set_cookie = page.headers()[reqwest::header::SET_COOKIE].to_str().unwrap().to_string();
    let (token, cookie) = shiye_server::csrf::scripted(&page.text().await.unwrap(), &set_cookie).unwrap();
    form.push((shiye_server::csrf::FIELD.into(), token));
    http.post(&url).header(reqwest::header::COOKIE, cookie).form(&form).send().await.unwrap()
}

pub fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

pub fn authorize_params(redirect: &str) -> Vec<(&'static str, String)> {
    vec![
        ("response_type", "code".into()),
        ("client_id", CLIENT_ID.into()),
        ("redirect_uri", redirect.into()),
        ("scope", "openid profile".into()),
        ("state", "st-1".into()),
        ("code_challenge", challenge(VERIFIER)),
        ("code_challenge_method", "S256".into()),
    ]
}

impl Idp {
    /// `POST /api/v1/applications` as `token` with `Idempotency-Key: key`: the status and the answer
    /// (JSON null when there is none).
    pub async fn submit(&self, token: &str, key: &str, body: &serde_json::Value) -> (u16, serde_json::Value) {
        let resp = self
            .http
            .post(format!("{}/api/v1/applications", self.base))
            .bearer_auth(token)
            .header("Idempotency-Key", key)
            .json(body)
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.json().await.unwrap_or_default())
    }

    /// A reviewer's decision on an item through the admin API: (status, the item's answer).
    pub async fn decide(&self, case: &str, action: &str, reason: Option<&str>) -> (u16, serde_json::Value) {
        let resp = self
            .http
            .post(format!("{}/api/admin/items/{case}/decision", self.base))
            .bearer_auth(&self.admin_token)
            .json(&serde_json::json!({ "action": action, "reason": reason }))
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// `GET path` (as `token`, when given), read as JSON.
    pub async fn get_json(&self, path: &str, token: Option<&str>) -> serde_json::Value {
        let mut req = self.http.get(format!("{}{path}", self.base));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send().await.unwrap().json().await.unwrap()
    }

    /// `GET /oauth/authorize` with the app's request: the login page.
    pub async fn login_page(&self) -> reqwest::Response {
        let url = format!("{}/oauth/authorize", self.base);
        self.http.get(url).query(&authorize_params(REDIRECT_URI)).send().await.unwrap()
    }

    pub async fn login_as(&self, who: &Seed, password: &str) -> reqwest::Response {
        let mut form = authorize_params(REDIRECT_URI);
        form.push(("id_number", who.id_number()));
        form.push(("password", password.into()));
        post_login(&self.http, &self.base, form).await
    }

    pub async fn code_for(&self, who: &Seed) -> String {
        let resp = self.login_as(who, DEMO_PASSWORD).await;
        assert_eq!(resp.status(), 303);
        let loc = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
        assert!(loc.as_str().starts_with(REDIRECT_URI));
        let q: std::collections::HashMap<_, _> = loc.query_pairs().into_owned().collect();
        assert_eq!(q["state"], "st-1");
        q["code"].clone()
    }

    pub async fn redeem(&self, code: &str, verifier: &str, redirect: &str) -> (u16, serde_json::Value) {
        self.token_endpoint().redeem(code, verifier, redirect).await
    }

    /// The token endpoint, as a handle a spawned task can own.
    pub fn token_endpoint(&self) -> TokenEndpoint {
        TokenEndpoint { http: self.http.clone(), base: self.base.clone() }
    }

    /// A full login: the access token of `who`.
    pub async fn token(&self, who: &Seed) -> String {
        let code = self.code_for(who).await;
        let (status, body) = self.redeem(&code, VERIFIER, REDIRECT_URI).await;
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_string()
    }

    /// The SMS texts "sent" to a person (newest first), read through the admin API.
    pub async fn sms_outbox(&self, subject: &str) -> Vec<String> {
        self.http
            .get(format!("{}/api/admin/sms-outbox/{subject}", self.base))
            .bearer_auth(&self.admin_token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// The code in the newest SMS to a person ("" if none).
    pub async fn latest_sms_code(&self, subject: &str) -> String {
        let texts = self.sms_outbox(subject).await;
        texts.first().map(|t| t.chars().filter(char::is_ascii_digit).take(6).collect()).unwrap_or_default()
    }

    pub async fn userinfo(&self, token: &str) -> reqwest::Response {
        self.http.get(format!("{}/oauth/userinfo", self.base)).bearer_auth(token).send().await.unwrap()
    }
}

/// `POST /oauth/token` of one server: (status, JSON body; null if the body is not JSON).
#[derive(Clone)]
pub struct TokenEndpoint {
    http: reqwest::Client,
    base: String,
}

impl TokenEndpoint {
    async fn post(&self, form: &[(&str, &str)]) -> (u16, serde_json::Value) {
        let resp = self.http.post(format!("{}/oauth/token", self.base)).form(form).send().await.unwrap();
        (resp.status().as_u16(), resp.json().await.unwrap_or_default())
    }

    /// The authorization code grant (PKCE).
    pub async fn redeem(&self, code: &str, verifier: &str, redirect: &str) -> (u16, serde_json::Value) {
        self.post(&[
            ("grant_type", "authorization_code"),
            ("code", code),
            ("redirect_uri", redirect),
            ("client_id", CLIENT_ID),
            ("code_verifier", verifier),
        ])
        .await
    }

    /// The refresh grant.
    pub async fn refresh(&self, refresh_token: &str) -> (u16, serde_json::Value) {
        self.post(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", CLIENT_ID),
        ])
        .await
    }
}
