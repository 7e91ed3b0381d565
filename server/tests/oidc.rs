//! The identity provider over real HTTP on loopback with a real SQLite file: the authorization
//! code flow with PKCE, and the ways it must refuse.

#![allow(clippy::unwrap_used)] // test helpers: a panic is the failure report

mod common;

use common::{authorize_params, start, VERIFIER};
use shiye_core::oidc::REDIRECT_URI;
use shiye_server::persons::SEEDS;

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
    let code = idp.code_for(&SEEDS[0]).await;
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
    let code = idp.code_for(&SEEDS[0]).await;
    let (status, body) = idp.redeem(&code, &"x".repeat(43), REDIRECT_URI).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    // A failed attempt burns the code.
    assert_eq!(idp.redeem(&code, VERIFIER, REDIRECT_URI).await.0, 400);

    let code = idp.code_for(&SEEDS[0]).await;
    assert_eq!(idp.redeem(&code, VERIFIER, "http://127.0.0.1/elsewhere").await.0, 400);

    // Replaying a redeemed code fails and revokes the tokens it gave.
    let code = idp.code_for(&SEEDS[0]).await;
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
    let resp = idp.login_as(&SEEDS[0], "wrong").await;
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

async fn refresh(idp: &common::Idp, token: &str) -> (u16, serde_json::Value) {
    let resp = idp
        .http
        .post(format!("{}/oauth/token", idp.base))
        .form(&[
            ("grant_type", "refresh_token"),
            ("refresh_token", token),
            ("client_id", shiye_core::oidc::CLIENT_ID),
        ])
        .send()
        .await
        .unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test]
async fn refresh_tokens_rotate_and_reuse_revokes_the_family() {
    let idp = start().await;
    let code = idp.code_for(&SEEDS[0]).await;
    let (_, first) = idp.redeem(&code, VERIFIER, REDIRECT_URI).await;
    let r1 = first["refresh_token"].as_str().unwrap().to_string();
    let (status, second) = refresh(&idp, &r1).await;
    assert_eq!(status, 200);
    let r2 = second["refresh_token"].as_str().unwrap().to_string();
    let a2 = second["access_token"].as_str().unwrap().to_string();
    assert_ne!(r1, r2, "rotated");
    assert_eq!(idp.userinfo(&a2).await.status(), 200);
    // The spent r1 shows up again: everything of the grant dies, r2 and a2 included.
    let (status, body) = refresh(&idp, &r1).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    assert_eq!(idp.userinfo(&a2).await.status(), 401);
    assert_eq!(refresh(&idp, &r2).await.0, 400);
}

#[tokio::test]
async fn revocation_ends_the_grant() {
    let idp = start().await;
    let token = idp.token(&SEEDS[0]).await;
    assert_eq!(idp.userinfo(&token).await.status(), 200);
    let resp = idp
        .http
        .post(format!("{}/oauth/revoke", idp.base))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(idp.userinfo(&token).await.status(), 401);
    let unknown =
        idp.http.post(format!("{}/oauth/revoke", idp.base)).form(&[("token", "nope")]).send().await.unwrap();
    assert_eq!(unknown.status(), 200, "unknown tokens are not told apart");
}
