//! The identity provider over real HTTP on loopback with a real SQLite file: the authorization
//! code flow with PKCE, and the ways it must refuse.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure report

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sha2::{Digest, Sha256};
use shiye_core::oidc::{CLIENT_ID, REDIRECT_URI};
use shiye_server::persons::{DEMO_PASSWORD, SEEDS};
use shiye_server::Server;
use std::net::SocketAddr;

struct Idp {
    base: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn start() -> Idp {
    let dir = tempfile::tempdir().unwrap();
    let server =
        Server::bind(SocketAddr::from(([127, 0, 0, 1], 0)), &dir.path().join("s.sqlite")).await.unwrap();
    let base = server.base_url();
    tokio::spawn(server.run(std::future::pending()));
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    Idp { base, http, _dir: dir }
}

const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

fn challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn authorize_params(redirect: &str) -> Vec<(&'static str, String)> {
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
    async fn login(&self, password: &str) -> reqwest::Response {
        let mut form = authorize_params(REDIRECT_URI);
        form.push(("id_number", SEEDS[0].id_number()));
        form.push(("password", password.into()));
        self.http.post(format!("{}/oauth/authorize", self.base)).form(&form).send().await.unwrap()
    }

    async fn code(&self) -> String {
        let resp = self.login(DEMO_PASSWORD).await;
        assert_eq!(resp.status(), 303);
        let loc = url::Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
        assert!(loc.as_str().starts_with(REDIRECT_URI));
        let q: std::collections::HashMap<_, _> = loc.query_pairs().into_owned().collect();
        assert_eq!(q["state"], "st-1");
        q["code"].clone()
    }

    async fn redeem(&self, code: &str, verifier: &str, redirect: &str) -> (u16, serde_json::Value) {
        let resp = self
            .http
            .post(format!("{}/oauth/token", self.base))
            .form(&[
                ("grant_type", "authorization_code"),
                ("code", code),
                ("redirect_uri", redirect),
                ("client_id", CLIENT_ID),
                ("code_verifier", verifier),
            ])
            .send()
            .await
            .unwrap();
        (resp.status().as_u16(), resp.json().await.unwrap())
    }

    async fn userinfo(&self, token: &str) -> reqwest::Response {
        self.http.get(format!("{}/oauth/userinfo", self.base)).bearer_auth(token).send().await.unwrap()
    }
}

#[tokio::test]
async fn code_flow_with_pkce_yields_the_persons_userinfo() {
    let idp = start().await;
    let page = idp
        .http
        .get(format!("{}/oauth/authorize", idp.base))
        .query(&authorize_params(REDIRECT_URI))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("证件号码"));
    let code = idp.code().await;
    let (status, body) = idp.redeem(&code, VERIFIER, REDIRECT_URI).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["token_type"], "Bearer");
    let info: shiye_core::api::UserInfo =
        idp.userinfo(body["access_token"].as_str().unwrap()).await.json().await.unwrap();
    assert_eq!(info.name, SEEDS[0].name);
    assert_eq!(info.id_number, SEEDS[0].id_number());
    assert_eq!(idp.userinfo("not-a-token").await.status(), 401);
}

#[tokio::test]
async fn wrong_verifier_wrong_redirect_and_reused_code_are_refused() {
    let idp = start().await;
    let code = idp.code().await;
    let (status, body) = idp.redeem(&code, &"x".repeat(43), REDIRECT_URI).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    // A failed attempt burns the code.
    assert_eq!(idp.redeem(&code, VERIFIER, REDIRECT_URI).await.0, 400);

    let code = idp.code().await;
    assert_eq!(idp.redeem(&code, VERIFIER, "http://127.0.0.1/elsewhere").await.0, 400);

    // Replaying a redeemed code fails and revokes the tokens it gave.
    let code = idp.code().await;
    let (status, body) = idp.redeem(&code, VERIFIER, REDIRECT_URI).await;
    assert_eq!(status, 200);
    let access = body["access_token"].as_str().unwrap().to_string();
    assert_eq!(idp.userinfo(&access).await.status(), 200);
    assert_eq!(idp.redeem(&code, VERIFIER, REDIRECT_URI).await.0, 400);
    assert_eq!(idp.userinfo(&access).await.status(), 401);
}

#[tokio::test]
async fn bad_password_keeps_the_id_number_and_bad_redirect_is_never_followed() {
    let idp = start().await;
    let resp = idp.login("wrong").await;
    assert_eq!(resp.status(), 401);
    let page = resp.text().await.unwrap();
    assert!(page.contains("证件号码或密码不正确"));
    assert!(page.contains(&SEEDS[0].id_number()), "the typed ID number is kept");

    let resp = idp
        .http
        .get(format!("{}/oauth/authorize", idp.base))
        .query(&authorize_params("http://evil.example/cb"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 400);
    assert!(resp.headers().get("location").is_none());
}
