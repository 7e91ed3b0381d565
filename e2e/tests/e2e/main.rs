//! End-to-end tests: the real app binary in a real WebKit window, driven over WebDriver, against
//! the real reference server on loopback and a real Secret Service. Run by `cargo xtask test`.

mod bench;
mod browser;
mod flows;
mod harness;
mod installed;
mod kiosk;
mod reference;
#[path = "../support/mod.rs"]
mod support;

use fantoccini::Locator;
use harness::{Harness, WAIT};
use shiye_server::persons::{DEMO_PASSWORD, SEEDS};
use std::collections::HashMap;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_through_the_identity_platform_greets_the_person_by_name() {
    let h = Harness::start().await;
    let c = &h.client;
    let button = c.wait().at_most(WAIT).for_element(Locator::Id("login-button")).await.expect("login page");
    assert_eq!(button.text().await.expect("text"), "登录北京市统一身份认证平台");
    h.screenshot("01-login.png").await;
    h.axe("登录").await;

    // The provider's page opens in the person's browser (not in the app), for the app's own
    // request with a loopback redirect on the port the app listens on.
    button.click().await.expect("click login");
    h.wait_text("login-status", "已在浏览器中打开").await;
    h.screenshot("01b-login-waiting.png").await;
    h.axe("登录（等待浏览器）").await;
    let page = h.browser_login_page().await;
    assert_eq!(c.windows().await.expect("windows").len(), 1, "no login window in the app");
    let png = page.screenshot().await.expect("browser screenshot");
    std::fs::write(harness::screenshot_dir().join("02-identity-provider-in-browser.png"), png).expect("png");
    let params: HashMap<String, String> =
        page.current_url().await.expect("url").query_pairs().into_owned().collect();
    assert_eq!(params.get("code_challenge_method").map(String::as_str), Some("S256"));
    assert!(params.contains_key("state"), "the app sends a state");
    let redirect = params["redirect_uri"].clone();
    let port: u16 = redirect
        .strip_prefix("http://127.0.0.1:")
        .and_then(|r| r.strip_suffix(shiye_core::oidc::LOOPBACK_PATH))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("a loopback redirect with a port: {redirect}"));

    // PKCE on the server: a code issued for the app's challenge is worthless without its verifier.
    let attacker = &SEEDS[1];
    let stolen = h.code_for(&params, &attacker.id_number(), DEMO_PASSWORD).await;
    let resp = h
        .http
        .post(format!("{}/oauth/token", h.base))
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", stolen.as_str()),
            ("redirect_uri", redirect.as_str()),
            ("client_id", shiye_core::oidc::CLIENT_ID),
            ("code_verifier", "attacker-guess-attacker-guess-attacker-guess-0123"),
        ])
        .send()
        .await
        .expect("token request");
    assert_eq!(resp.status(), 400, "a wrong PKCE verifier must be refused");
    let body: serde_json::Value = resp.json().await.expect("oauth error json");
    assert_eq!(body["error"], "invalid_grant");

    // State in the app: an attacker's valid code for the app's own challenge, sent to the app's
    // listener with a forged state (login CSRF), is refused and redeems nothing; the person's own
    // login goes on.
    let injected = h.code_for(&params, &attacker.id_number(), DEMO_PASSWORD).await;
    let forged = h
        .http
        .get(format!("{redirect}?code={injected}&state=forged-by-attacker"))
        .send()
        .await
        .expect("the listener answers");
    assert_eq!(forged.status(), 400);
    assert!(forged.text().await.expect("page").contains("已拒绝"));
    assert!(c.find(Locator::Id("greeting")).await.is_err(), "the forged redirect logs nobody in");
    h.wait_text("login-status", "已在浏览器中打开").await;

    // The real login, in the browser: the app receives the redirect and greets the person; the
    // browser is told to go back to the app.
    let person = &SEEDS[0];
    h.login_in_browser(&page, person).await;
    let done = page.wait().at_most(WAIT).for_element(Locator::Id("message")).await.expect("the app's page");
    assert!(done.text().await.expect("text").contains("登录成功，请回到“失业一件事”"));
    let png = page.screenshot().await.expect("browser screenshot");
    std::fs::write(harness::screenshot_dir().join("03-browser-told-to-return.png"), png).expect("png");
    let greeting = c.wait().at_most(WAIT).for_element(Locator::Id("greeting")).await.expect("greeting");
    assert_eq!(greeting.text().await.expect("greeting text"), format!("您好，{}", person.name));
    h.screenshot("04-greeting.png").await;

    // Exactly one redirect: the listener is gone.
    let again = h.http.get(format!("{redirect}?code={injected}&state={}", params["state"])).send().await;
    assert!(again.is_err(), "a second redirect finds nothing listening on port {port}");

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

/// The loopback redirect the app's request names, from the browser's login page.
async fn redirect_of(page: &fantoccini::Client) -> String {
    let url = page.current_url().await.expect("url");
    let redirect = url.query_pairs().find(|(k, _)| k == "redirect_uri").map(|(_, v)| v.into_owned());
    redirect.expect("a redirect_uri")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_login_cancelled_in_the_app_or_abandoned_in_the_browser_ends_with_a_message() {
    let h = Harness::start_with(&[("SHIYE_LOGIN_TIMEOUT_SECS", "4")]).await;
    // Cancelled from the app: it stops listening.
    h.click("login-button").await;
    let page = h.browser_login_page().await;
    let redirect = redirect_of(&page).await;
    h.click("login-cancel").await;
    h.wait_text("login-error", "登录已取消").await;
    assert!(h.http.get(format!("{redirect}?code=x&state=y")).send().await.is_err(), "the listener is gone");

    // Abandoned in the browser: after the configured time the app says so and stops listening.
    h.click("login-button").await;
    let page = h.browser_login_page().await;
    let redirect = redirect_of(&page).await;
    h.wait_text("login-error", "登录超时").await;
    h.wait_text("login-error", "4秒内").await;
    h.screenshot("05-login-timed-out.png").await;
    h.axe("登录超时").await;
    assert!(h.http.get(format!("{redirect}?code=x&state=y")).send().await.is_err(), "the listener is gone");
    // The person finishes in that stale tab: nothing listens, nobody is logged in. A new login works.
    h.login_in_browser(&page, &SEEDS[0]).await;
    assert!(h.client.find(Locator::Id("greeting")).await.is_err());
    h.login(&SEEDS[0]).await;
    h.finish().await;
}
