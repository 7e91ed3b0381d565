//! End-to-end tests: the real app binary in a real WebKit window, driven over WebDriver, against
//! the real reference server on loopback and a real Secret Service. Run by `cargo xtask test`.

mod flows;
mod harness;
mod kiosk;
mod reference;

use fantoccini::Locator;
use harness::{Harness, WAIT};
use shiye_core::oidc::REDIRECT_URI;
use shiye_server::persons::{DEMO_PASSWORD, SEEDS};
use std::collections::HashMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_through_the_identity_platform_greets_the_person_by_name() {
    let h = Harness::start().await;
    let c = &h.client;
    let main = c.window().await.expect("main window");
    let button = c.wait().at_most(WAIT).for_element(Locator::Id("login-button")).await.expect("login page");
    assert_eq!(button.text().await.expect("text"), "登录北京市统一身份认证平台");
    h.screenshot("01-login.png").await;
    h.axe("登录").await;

    // The login window shows the provider's page for the app's own request.
    button.click().await.expect("click login");
    let login = h.other_window(&main).await;
    c.switch_to_window(login).await.expect("switch to login window");
    c.wait().at_most(WAIT).for_element(Locator::Id("id_number")).await.expect("provider login form");
    h.screenshot("02-identity-provider.png").await;
    let params: HashMap<String, String> =
        c.current_url().await.expect("url").query_pairs().into_owned().collect();
    assert_eq!(params.get("code_challenge_method").map(String::as_str), Some("S256"));
    assert!(params.contains_key("state"), "the app sends a state");

    // PKCE on the server: a code issued for the app's challenge is worthless without its verifier.
    let attacker = &SEEDS[1];
    let stolen = h.code_for(&params, &attacker.id_number(), DEMO_PASSWORD).await;
    let resp = h
        .http
        .post(format!("{}/oauth/token", h.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", stolen.as_str()),
            ("redirect_uri", REDIRECT_URI),
            ("client_id", shiye_core::oidc::CLIENT_ID),
            ("code_verifier", "attacker-guess-attacker-guess-attacker-guess-0123"),
        ])
        .send()
        .await
        .expect("token request");
    assert_eq!(resp.status(), 400, "a wrong PKCE verifier must be refused");
    let body: serde_json::Value = resp.json().await.expect("oauth error json");
    assert_eq!(body["error"], "invalid_grant");

    // State in the app: an attacker's valid code for the app's own challenge, pushed into the
    // login window with a forged state (login CSRF), must be rejected, not redeemed.
    let injected = h.code_for(&params, &attacker.id_number(), DEMO_PASSWORD).await;
    let forged = format!("{REDIRECT_URI}?code={injected}&state=forged-by-attacker");
    h.later("window.location.href = arguments[0];", forged).await;
    c.switch_to_window(main.clone()).await.expect("back to main window");
    let error =
        c.wait().at_most(WAIT).for_element(Locator::Id("login-error")).await.expect("an error is shown");
    let message = error.text().await.expect("error text");
    assert!(message.contains("state 校验失败"), "unexpected message: {message}");
    assert!(c.find(Locator::Id("greeting")).await.is_err(), "the forged login must not log anyone in");
    h.screenshot("03-state-rejected.png").await;

    // The real login.
    let person = &SEEDS[0];
    c.find(Locator::Id("login-button")).await.expect("login button").click().await.expect("click login");
    let login = h.other_window(&main).await;
    c.switch_to_window(login).await.expect("switch to login window");
    let id = c.wait().at_most(WAIT).for_element(Locator::Id("id_number")).await.expect("form");
    id.send_keys(&person.id_number()).await.expect("type id");
    c.find(Locator::Id("password")).await.expect("pw").send_keys(DEMO_PASSWORD).await.expect("type pw");
    c.find(Locator::Id("login-submit")).await.expect("submit button");
    h.later("document.getElementById('login-submit').click();", String::new()).await;
    c.switch_to_window(main.clone()).await.expect("back to main window");
    let greeting = c.wait().at_most(WAIT).for_element(Locator::Id("greeting")).await.expect("greeting");
    assert_eq!(greeting.text().await.expect("greeting text"), format!("您好，{}", person.name));
    h.screenshot("04-greeting.png").await;

    // The tokens are in the OS keyring, and they are the person's.
    let tokens = tokio::task::spawn_blocking(|| shiye::vault::Vault::default().tokens())
        .await
        .expect("join")
        .expect("tokens in the keyring");
    let me: shiye_core::oidc::Claims = h
        .http
        .get(format!("{}/oauth/userinfo", h.base))
        .bearer_auth(&tokens.access_token)
        .send()
        .await
        .expect("userinfo")
        .json()
        .await
        .expect("userinfo json");
    assert_eq!(me.sub, person.subject);

    // Nothing of the login is kept in webview storage.
    h.assert_empty_web_storage().await;
    // Nothing personal in plaintext anywhere the app or its webview wrote: app data (sealed
    // drafts, outbox and cache), config, caches and WebKit's storage.
    h.assert_no_plaintext(&[person.id_number(), person.phone.to_string(), attacker.id_number()]);
    h.finish().await;
}
