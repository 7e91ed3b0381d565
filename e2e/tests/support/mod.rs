//! Shared by the app's integration tests: a reference server on loopback and an HTTP login.

#![allow(clippy::unwrap_used, dead_code)]

use shiye::tokens::{Grant, TokenSource};
use shiye_core::oidc::{CLIENT_ID, REDIRECT_URI};
use shiye_server::persons::{DEMO_PASSWORD, SEEDS};
use shiye_server::Server;
use std::net::SocketAddr;
use std::path::Path;
use tokio::sync::oneshot;

/// Starts the server on `addr` with `db`; the sender stops it gracefully.
pub async fn serve(addr: SocketAddr, db: &Path) -> (oneshot::Sender<()>, tokio::task::JoinHandle<()>) {
    serve_at(addr, db).await.1
}

/// Like `serve`, and says where it listens (for port 0).
pub async fn serve_at(
    addr: SocketAddr,
    db: &Path,
) -> (String, (oneshot::Sender<()>, tokio::task::JoinHandle<()>)) {
    let server = Server::bind(addr, db).await.unwrap();
    let base = server.base_url();
    let (tx, rx) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        server
            .run(async {
                let _ = rx.await;
            })
            .await
            .unwrap();
    });
    (base, (tx, task))
}

/// Logs the first seeded person in over HTTP (authorization code + PKCE) and returns the access token.
pub async fn login(base: &str) -> String {
    login_tokens(base).await["access_token"].as_str().unwrap().to_string()
}

/// The whole token response of a login of the first seeded person.
pub async fn login_tokens(base: &str) -> serde_json::Value {
    login_tokens_of(base, &SEEDS[0]).await
}

/// The whole token response of a login of one seeded person.
pub async fn login_tokens_of(base: &str, who: &shiye_server::persons::Seed) -> serde_json::Value {
    let verifier = "sync-test-verifier-sync-test-verifier-0123456789";
    let challenge = shiye::authorization::challenge(verifier);
    let http = http_client();
    let id_number = who.id_number();
    let mut form = vec![
        ("response_type", "code"),
        ("client_id", CLIENT_ID),
        ("redirect_uri", REDIRECT_URI),
        ("scope", "openid"),
        ("state", "s"),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ];
    // The login page first, as a browser: its anti-CSRF token and cookie go with the form.
    let page = http.get(format!("{base}/oauth/authorize")).query(&form).send().await.unwrap();
    let set_cookie = page.headers()["set-cookie"].to_str().unwrap().to_string();
    let (token, cookie) = shiye_server::csrf::scripted(&page.text().await.unwrap(), &set_cookie).unwrap();
    form.extend([("id_number", id_number.as_str()), ("password", DEMO_PASSWORD), ("csrf", &token)]);
    let resp = http
        .post(format!("{base}/oauth/authorize"))
        .header("cookie", cookie)
        .form(&form)
        .send()
        .await
        .unwrap();
    let loc = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
    let code = loc.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let tokens: serde_json::Value = http
        .post(format!("{base}/oauth/token"))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT_URI),
            ("client_id", CLIENT_ID),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    tokens
}

/// A reference server on loopback with a database in `dir`, serving until the test ends: its base
/// URL and admin token (for the reviewer's decisions and the SMS outbox).
pub async fn serve_with_admin(dir: &Path) -> (String, String) {
    let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], 0)), &dir.join("s.sqlite")).await.unwrap();
    let (base, admin) = (server.base_url(), server.admin_token());
    tokio::spawn(server.run(std::future::pending()));
    (base, admin)
}

/// The code of the last SMS "sent" to `subject`, read through the admin API as from their phone.
pub async fn latest_sms_code(base: &str, admin: &str, subject: &str) -> String {
    let texts: Vec<String> = http_client()
        .get(format!("{base}/api/admin/sms-outbox/{subject}"))
        .bearer_auth(admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    texts.first().map(|t| t.chars().filter(char::is_ascii_digit).take(6).collect()).unwrap_or_default()
}

/// The status a GET of `url` with bearer `token` gets (userinfo at a provider: is the token alive).
pub async fn bearer_status(url: &str, token: &str) -> u16 {
    http_client().get(url).bearer_auth(token).send().await.unwrap().status().as_u16()
}

/// A login of `who` on this device: their tokens in `vault` (the keyring), as a login leaves them.
pub async fn log_in(base: &str, vault: &shiye::vault::Vault, who: &shiye_server::persons::Seed) {
    let t = login_tokens_of(base, who).await;
    vault
        .store_tokens(&shiye::vault::Tokens {
            subject: who.subject.to_string(),
            access_token: t["access_token"].as_str().unwrap().into(),
            refresh_token: t["refresh_token"].as_str().map(String::from),
            expires_at: shiye::clock::now() + 600,
        })
        .unwrap();
}

/// A client for the test's own requests, set up as the app's (its TLS: reqwest is built without a
/// default crypto provider; no redirects followed).
pub fn http_client() -> reqwest::Client {
    shiye::api::client_builder().build().expect("http client")
}

/// A token source that always hands out one access token (of the first seeded person).
pub struct StaticToken(pub String);

/// The person whose entries these are (the first seeded person, whom `login` logs in).
pub const SUBJECT: &str = "p-new-bj";

impl TokenSource for StaticToken {
    async fn grant(&self) -> shiye::Result<Grant> {
        Ok(Grant { subject: SUBJECT.into(), access_token: self.0.clone() })
    }

    async fn refreshed(&self, _rejected: &str) -> shiye::Result<Grant> {
        Err(shiye::Error::NotLoggedIn)
    }
}

/// Drives passes until the outbox is empty; returns when done or when `stop` fires.
pub async fn drive(engine: std::sync::Arc<shiye::sync::SyncEngine<StaticToken>>) {
    let mut failures = 0;
    loop {
        let report = engine.pass(failures).await.unwrap();
        if report.queued == 0 {
            return;
        }
        match report.retry_after {
            Some(d) => {
                failures += 1;
                tokio::time::sleep(d).await;
            }
            None => failures = 0,
        }
    }
}

/// One row of `cargo xtask bench`'s summary table, printed for it to collect.
pub fn bench_row(figure: &str, value: &str, baseline: &str, ratio: &str, goal: &str) {
    println!("bench-row\t{figure}\t{value}\t{baseline}\t{ratio}\t{goal}");
}

/// A count from the server's SQLite file, on a fresh connection each time (the server may have been
/// restarted in between).
pub async fn count_on_server(db: &Path, sql: &'static str) -> i64 {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display())).await.unwrap();
    let n: (i64,) = sqlx::query_as(sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    n.0
}

/// The application ids of the accepted entries of a drained outbox of one person's 求职登记:
/// every other entry must have been refused because that first one awaits its decision.
pub fn accepted_ids(entries: &[shiye::outbox::Entry]) -> Vec<String> {
    let mut accepted = Vec::new();
    for e in entries {
        match &e.state {
            shiye::outbox::State::Accepted(app) => accepted.push(app.id.clone()),
            shiye::outbox::State::Refused(c) => {
                assert_eq!(c.reason, shiye_core::policy::Ineligible::ItemPending, "entry {}", e.id)
            }
            other => panic!("entry {} ended {other:?}", e.id),
        }
    }
    accepted
}
