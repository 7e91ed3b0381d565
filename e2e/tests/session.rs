//! Tokens in the real OS keyring against the real reference server: refresh before expiry with
//! rotation, a refused refresh clearing the tokens, logout revoking the grant, and many callers
//! refreshing at the same moment without ever presenting one refresh token twice.

#![allow(clippy::unwrap_used)]

mod support;

use shiye::api::ApiClient;
use shiye::auth::AuthService;
use shiye::config::Config;
use shiye::tokens::Credentials;
use shiye::vault::{Tokens, Vault};
use std::net::SocketAddr;

fn unique_vault() -> Vault {
    Vault::with_service(format!("cn.gov.beijing.shiye.test-{}", uuid::Uuid::now_v7()))
}

async fn status_of(base: &str, token: &str) -> u16 {
    support::bearer_status(&format!("{base}/oauth/userinfo"), token).await
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
    let credentials = Credentials::new(api.clone(), vault.clone());
    let old = Tokens {
        subject: shiye_server::persons::SEEDS[0].subject.to_string(),
        access_token: first["access_token"].as_str().unwrap().into(),
        refresh_token: first["refresh_token"].as_str().map(String::from),
        expires_at: 0,
    };
    vault.store_tokens(&old).unwrap();
    let fresh = credentials.grant().await.unwrap().access_token;
    assert_ne!(fresh, old.access_token);
    assert_eq!(status_of(&base, &fresh).await, 200);
    let kept = vault.tokens().unwrap();
    assert_eq!(kept.access_token, fresh);
    assert_ne!(kept.refresh_token, old.refresh_token, "rotated");
    assert_eq!(credentials.grant().await.unwrap().access_token, fresh, "not refreshed while valid");
    assert_eq!(kept.subject, old.subject, "the rotated pair stays the same person's");

    // Logout revokes the grant and leaves nothing in the keyring.
    let auth = AuthService::new(ApiClient::new(config.clone()).unwrap(), vault.clone());
    auth.logout().await.unwrap();
    assert!(matches!(vault.tokens(), Err(shiye::Error::NotLoggedIn)));
    assert_eq!(status_of(&base, &fresh).await, 401);

    // A refresh the provider refuses (here: the spent first refresh token) clears the tokens.
    vault.store_tokens(&old).unwrap();
    assert!(matches!(credentials.grant().await, Err(shiye::Error::NotLoggedIn)));
    assert!(matches!(vault.tokens(), Err(shiye::Error::NotLoggedIn)));
}

/// Two callers find the token due at the same moment, 100 times over one grant: with the refresh
/// single-flight, the provider never sees a refresh token twice, so its reuse detection never
/// revokes the grant and the person stays signed in.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_refreshes_never_end_the_grant() {
    let dir = tempfile::tempdir().unwrap();
    let (base, _server) =
        support::serve_at(SocketAddr::from(([127, 0, 0, 1], 0)), &dir.path().join("s.sqlite")).await;
    let api = ApiClient::new(Config::with_api_base(&base).unwrap()).unwrap();
    let vault = unique_vault();
    let first = support::login_tokens(&base).await;
    vault
        .store_tokens(&Tokens {
            subject: shiye_server::persons::SEEDS[0].subject.to_string(),
            access_token: first["access_token"].as_str().unwrap().into(),
            refresh_token: first["refresh_token"].as_str().map(String::from),
            expires_at: 0,
        })
        .unwrap();
    // Two handles on one lock, as the sync engine and a command hold them in the app.
    let a = Credentials::new(api, vault.clone());
    let b = a.clone();
    for round in 0..100 {
        // Make the stored token due again, keeping the current refresh token.
        let mut due = vault.tokens().unwrap();
        due.expires_at = 0;
        vault.store_tokens(&due).unwrap();
        let (x, y) = tokio::join!(a.grant(), b.grant());
        let (x, y) = (
            x.unwrap_or_else(|e| panic!("round {round}: {e}")),
            y.unwrap_or_else(|e| panic!("round {round}: {e}")),
        );
        assert_eq!(x, y, "round {round}: both callers got the one refreshed token");
        assert_ne!(x.access_token, due.access_token, "round {round}: refreshed");
        assert_eq!(status_of(&base, &x.access_token).await, 200, "round {round}: the grant is alive");
    }
    // A 401 for a token someone else already replaced refreshes nothing more.
    let now = vault.tokens().unwrap();
    let again = a.refreshed("an-older-token").await.unwrap();
    assert_eq!(again.access_token, now.access_token);
}
