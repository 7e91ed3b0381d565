//! The installed `.deb`: `cargo xtask test` builds the package, installs it with dpkg and runs this
//! test with `SHIYE_APP_BIN=/usr/bin/shiye` (`--ignored`: the main run leaves it out); then removes
//! the package.
//!
//! The installed app is configured as a service centre configures it: `shiye.toml` in the OS
//! config folder names the server and makes the device a kiosk. No variable tells it anything.

use crate::harness::{app_binary, Harness};
use shiye_server::persons::SEEDS;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "needs the installed package: cargo xtask test installs it and runs this"]
async fn the_installed_package_starts_as_a_kiosk_from_its_config_file_and_logs_a_person_in() {
    let app = app_binary();
    assert!(
        app.starts_with("/usr/bin"),
        "run by `cargo xtask test` against the installed package (SHIYE_APP_BIN=/usr/bin/shiye), not {}",
        app.display()
    );
    let h = Harness::start_from_config_file("kiosk = true").await;
    assert!(h.app_env.is_empty(), "the app is told nothing through its environment");

    // The login page, in Chinese, from the packaged UI.
    h.wait_text("login-button", "登录北京市统一身份认证平台").await;
    h.screenshot("90-installed-login.png").await;
    h.axe("登录（安装包）").await;

    // The kiosk flag came from the file: the login opens the kiosk's own window (not a browser),
    // and after it the header offers 结束办理 instead of 退出登录.
    let person = &SEEDS[0];
    h.login(person).await;
    h.wait_id("end-session").await;
    assert!(h.client.find(fantoccini::Locator::Id("logout")).await.is_err(), "a kiosk offers 结束办理");
    // The server came from the file too: the person's records arrived from it.
    h.accept_notices().await;
    h.screenshot("91-installed-kiosk-signed-in.png").await;
    h.finish().await;
}
