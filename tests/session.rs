//! Tokens in the real OS keyring against the real reference server: refresh before expiry with
//! rotation, a refused refresh clearing the tokens, and logout revoking the grant.

#![allow(clippy::unwrap_used)]

mod support;

use shiye::api::ApiClient;
use shiye::auth::{fresh_access_token, AuthService};
use shiye::config::Config;
use shiye::vault::{Tokens, Vault};
use std::net::SocketAddr;

fn unique_vault() -> Vault {
    Vault::with_service(format!("cn.gov.beijing.shiye.test-{}", uuid::Uuid::now_v7()))
}

async fn status_of(base: &str, token: &str) -> u16 {
    reqwest::Client::new()
        .get(format!("{base}/oauth/userinfo"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_logout_and_a_refused_refresh() {
    let dir = tempfile::tempdir().unwrap();
    let (base, _server) =
        support::serve_at(SocketAddr::from(([127, 0, 0, 1], 0)), &dir.path().join("s.sqlite")).await;
    let config = Config::with_api_base(&base).unwrap();
    let api = ApiClient::new(config.clone()).unwrap();

    // An access token about to expire is refreshed, and the rotated pair is kept.
    let first = support::login_tokens(&base).await;
    let vault = unique_vault();
    let old = Tokens {
        access_token: first["access_token"].as_str().unwrap().into(),
        refresh_token: first["refresh_token"].as_str().map(String::from),
        expires_at: 0,
    };
    vault.store_tokens(&old).unwrap();
    let fresh = fresh_access_token(&api, &vault, false).await.unwrap();
    assert_ne!(fresh, old.access_token);
    assert_eq!(status_of(&base, &fresh).await, 200);
    let kept = vault.tokens().unwrap();
    assert_eq!(kept.access_token, fresh);
    assert_ne!(kept.refresh_token, old.refresh_token, "rotated");
    assert_eq!(fresh_access_token(&api, &vault, false).await.unwrap(), fresh, "not refreshed while valid");

    // Logout revokes the grant and leaves nothing in the keyring.
    let auth = AuthService::new(ApiClient::new(config.clone()).unwrap(), vault.clone());
    auth.logout().await.unwrap();
    assert!(matches!(vault.tokens(), Err(shiye::Error::NotLoggedIn)));
    assert_eq!(status_of(&base, &fresh).await, 401);

    // A refresh the provider refuses (here: the spent first refresh token) clears the tokens.
    vault.store_tokens(&old).unwrap();
    assert!(matches!(fresh_access_token(&api, &vault, false).await, Err(shiye::Error::NotLoggedIn)));
    assert!(matches!(vault.tokens(), Err(shiye::Error::NotLoggedIn)));
}
