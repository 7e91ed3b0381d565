//! A service-centre kiosk, as two people use it one after the other: the first leaves a
//! submission queued offline and a draft, walks away, and the idle countdown ends their session;
//! nothing of them is left readable on the device, the next person sees nothing of theirs, and
//! their queued submission is sent once, as theirs, when they come back. Also: a second launch
//! hands over to the running app, and the operators' log carries nothing personal.

use crate::harness::{Harness, WAIT};
use fantoccini::Locator;
use shiye_server::persons::{Seed, SEEDS};
use std::time::{Duration, Instant};

fn seed(subject: &str) -> &'static Seed {
    SEEDS.iter().find(|s| s.subject == subject).expect("seeded person")
}

/// Waits until the page shows `needle` somewhere (lists load after their heading).
async fn until_page_says(h: &Harness, needle: &str) {
    let deadline = Instant::now() + WAIT;
    while !h.client.source().await.expect("page").contains(needle) {
        if Instant::now() > deadline {
            h.failure_screenshot().await;
            panic!("the page never said “{needle}”");
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// 草稿箱 loaded and empty.
async fn no_drafts(h: &Harness, why: &str) {
    h.click("nav-drafts").await;
    until_page_says(h, "暂无草稿").await;
    assert!(h.client.find_all(Locator::Css("#drafts li")).await.expect("rows").is_empty(), "{why}");
}

/// Waits until the admin API lists `n` undecided items of a person.
async fn until_pending(h: &Harness, subject: &str, n: usize) {
    let deadline = Instant::now() + WAIT;
    while h.pending_items(subject).await.len() < n {
        assert!(Instant::now() < deadline, "{subject} never had {n} items on the server");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_forgets_a_person_who_walks_away_and_sends_their_queued_submission_when_they_return() {
    let mut h = Harness::start_with(&[
        ("SHIYE_KIOSK", "true"),
        ("SHIYE_KIOSK_IDLE_SECS", "12"),
        ("SHIYE_KIOSK_COUNTDOWN_SECS", "5"),
    ])
    .await;
    let (a, b) = (seed("p-registered"), seed("p-new-bj"));
    let address = "朝阳门内大街9号院";

    // A second launch hands over to the running app and exits (no second window, no sled lock
    // failure).
    h.wait_id("login-button").await;
    let second = tokio::process::Command::new(crate::harness::app_binary())
        .envs(h.app_env.iter().map(|(k, v)| (k, v)))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status();
    let status = tokio::time::timeout(WAIT, second).await.expect("the second launch exits").expect("runs");
    assert!(status.success(), "the second launch exits cleanly: {status}");
    assert_eq!(h.client.windows().await.expect("windows").len(), 1, "still one window");

    // A: 结束办理 instead of 退出登录.
    h.login(a).await;
    h.accept_notices().await;
    h.wait_id("end-session").await;
    assert!(h.client.find(Locator::Id("logout")).await.is_err(), "a kiosk offers 结束办理, not 退出登录");

    // A submits 失业登记注销 with the network gone: it waits in the outbox.
    h.open("registration_cancel").await;
    h.next().await;
    h.choose("cancel_reason", "pension").await;
    h.stop_server().await;
    h.next().await;
    h.submit().await;
    h.wait_text("result-status", "已保存，联网后自动提交").await;
    // And leaves a draft of 求职登记 with an address typed.
    h.click("nav-services").await;
    h.open("job_seeking").await;
    h.beijing_household("110101").await;
    h.fill("household_address", address).await;
    h.saved().await;

    // A walks away: the countdown shows, then the session ends by itself.
    h.wait_text("idle-message", "秒后将自动结束办理").await;
    h.screenshot("40-kiosk-idle-countdown.png").await;
    h.axe("自动结束办理倒计时").await;
    let ended = Instant::now();
    h.wait_id("login-button").await;
    tokio::time::sleep(Duration::from_secs(2).saturating_sub(ended.elapsed())).await;
    assert!(h.client.find(Locator::Id("continue-offline")).await.is_err(), "no 离线继续 on a kiosk");
    h.screenshot("41-kiosk-after-idle.png").await;
    let no_tokens =
        tokio::task::spawn_blocking(|| shiye::vault::Vault::default().tokens()).await.expect("join");
    assert!(matches!(no_tokens, Err(shiye::Error::NotLoggedIn)), "A's tokens are gone");
    // Nothing of A readable anywhere the app or its webview wrote, the log included.
    h.assert_no_plaintext(&[a.id_number(), a.phone.to_string(), a.name.to_string(), address.to_string()]);
    h.assert_empty_web_storage().await;

    // B signs in on the same kiosk with the server back: nothing of A's is theirs to see or send.
    h.restart_server().await;
    h.login(b).await;
    h.accept_notices().await;
    h.wait_text("pending", "0").await;
    no_drafts(&h, "no drafts of A's").await;
    h.click("nav-applications").await;
    h.wait_id("applications-heading").await;
    // The device's own entries load after the heading.
    tokio::time::sleep(Duration::from_secs(1)).await;
    let listed = h.client.find(Locator::Id("applications")).await.expect("list").text().await.expect("text");
    assert!(!listed.contains("注销"), "none of A's items: {listed}");
    let page = h.client.source().await.expect("page");
    assert!(!page.contains(a.name), "A's name is nowhere on B's screens");
    assert!(h.pending_items(b.subject).await.is_empty(), "nothing of A's was sent as B's");
    assert!(h.pending_items(a.subject).await.is_empty(), "A's waits for A");
    h.click("end-session").await;
    h.wait_id("login-button").await;

    // A comes back: their queued submission goes, once, as theirs; their draft is gone.
    h.login(a).await;
    h.accept_notices().await;
    until_pending(&h, a.subject, 1).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(h.pending_items(a.subject).await.len(), 1, "sent exactly once");
    assert!(h.pending_items(b.subject).await.is_empty());
    no_drafts(&h, "A's draft went at logout").await;
    h.click("end-session").await;
    h.wait_id("login-button").await;

    // The operators' log: written, rotated by the plugin, and nothing personal in it.
    let logs = h.log_files();
    assert!(!logs.is_empty(), "the app writes its log under the data folder");
    let text: String = logs.iter().map(|f| std::fs::read_to_string(f).unwrap_or_default()).collect();
    assert!(text.contains("kiosk: session ended"), "the log tells operators what happened: {text}");
    for secret in [a.id_number(), a.phone.to_string(), a.name.to_string(), b.id_number(), b.name.to_string()]
    {
        assert!(!text.contains(&secret), "the log holds personal data");
    }
    h.finish().await;
}

/// A login left half-typed on a kiosk: the login window closes by itself (no longer than an idle
/// session lasts), its private store and what was typed with it, and the next person's login
/// starts from an empty page: their own number, typed whole, logs them in — had the first
/// person's half number still been in the field, theirs would have followed it and failed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_kiosk_login_left_half_typed_closes_and_the_next_person_starts_empty() {
    let h = Harness::start_with(&[
        ("SHIYE_KIOSK", "true"),
        ("SHIYE_KIOSK_IDLE_SECS", "6"),
        ("SHIYE_KIOSK_COUNTDOWN_SECS", "4"),
    ])
    .await;
    let (a, b) = (seed("p-registered"), seed("p-new-bj"));
    h.click("login-button").await;
    crate::harness::kiosk_keyboard_type(&a.id_number()[..9]).await;
    let opened = Instant::now();
    let deadline = opened + WAIT;
    while crate::harness::kiosk_login_window().await.is_some() {
        assert!(Instant::now() < deadline, "the half-typed login window stayed open");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    h.wait_text("login-error", "登录超时").await;
    h.wait_text("login-error", "填写的内容已清除").await;
    h.axe("登录超时").await;
    h.login(b).await;
    h.accept_notices().await;
    h.finish().await;
}
