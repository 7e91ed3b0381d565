//! Fixtures of the end-to-end suite: a real reference server on loopback (its own SQLite file,
//! stoppable and restartable), tauri-driver with WebKit's WebDriver, and a WebDriver session on
//! the real app binary with its own data folder; then the steps a person takes (find / act /
//! check) and the reviewer's decisions through the server's admin API.

use crate::browser::Browser;
use fantoccini::elements::Element;
use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use shiye_server::persons::{Seed, DEMO_PASSWORD};
use shiye_server::Server;
use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// How long any one step may take before the test fails (a cold WebKit start is slow).
pub const WAIT: Duration = Duration::from_secs(40);

/// One app and one server at a time: they share the session's keyring and a 2-core machine.
static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

type ServerTask = (oneshot::Sender<()>, tokio::task::JoinHandle<()>);

pub struct Harness {
    pub base: String,
    /// What the app was started with (a second launch gets the same).
    pub app_env: Vec<(String, String)>,
    pub client: Client,
    pub http: reqwest::Client,
    pub admin_token: String,
    /// The app's data folder (sealed drafts, outbox, cache).
    pub data_dir: PathBuf,
    addr: SocketAddr,
    db: PathBuf,
    server: Option<ServerTask>,
    /// The person's browser (not on a kiosk, which logs in through its own window).
    pub browser: tokio::sync::Mutex<Option<Browser>>,
    /// The app runs as a service-centre kiosk.
    pub kiosk: bool,
    _driver: Driver,
    port: u16,
    _dir: tempfile::TempDir,
    _serial: tokio::sync::MutexGuard<'static, ()>,
}

async fn serve(addr: SocketAddr, db: &std::path::Path) -> (String, String, ServerTask) {
    let server = Server::bind(addr, db).await.expect("reference server starts");
    let (base, admin) = (server.base_url(), server.admin_token());
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = server
            .run(async {
                let _ = stopped.await;
            })
            .await;
    });
    (base, admin, (stop, task))
}

/// The app binary under test: `SHIYE_APP_BIN`, else `shiye` beside this test's own profile folder
/// (`target/debug/deps/e2e-…` → `target/debug/shiye`), where `cargo xtask test` builds it.
pub fn app_binary() -> PathBuf {
    if let Some(p) = std::env::var_os("SHIYE_APP_BIN") {
        return PathBuf::from(p);
    }
    let exe = std::env::current_exe().expect("the test's own path");
    let profile = exe.parent().and_then(|deps| deps.parent()).expect("target/<profile>");
    let app = profile.join("shiye");
    assert!(app.exists(), "{} missing: build the app first (cargo build -p shiye)", app.display());
    app
}

/// Whether a process of the app binary is still running (it may outlive its closed WebDriver
/// session for a moment), or an exiting one still holds the single-instance name on the session
/// bus: a process's executable link goes before its sockets close, and an app started in that
/// instant hands over to the dying one and exits, leaving WebKitWebDriver waiting for a page.
fn app_running() -> bool {
    !app_pids().is_empty() || single_instance_held()
}

/// The D-Bus name tauri-plugin-single-instance owns on Linux (`<identifier>.SingleInstance`).
const SINGLE_INSTANCE_NAME: &str = "cn.gov.beijing.shiye.SingleInstance";

fn single_instance_held() -> bool {
    let asked = Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
            &format!("string:{SINGLE_INSTANCE_NAME}"),
        ])
        .stderr(Stdio::null())
        .output();
    asked.is_ok_and(|o| String::from_utf8_lossy(&o.stdout).contains("boolean true"))
}

/// The process ids of running copies of the app binary.
fn app_pids() -> Vec<String> {
    let app = std::fs::canonicalize(app_binary()).unwrap_or_default();
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| std::fs::read_link(e.path().join("exe")).is_ok_and(|exe| exe == app))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// A new WebDriver session on the app, once the previous app has exited: a second copy would
/// hand over to it and exit (single instance), and the session would have no app.
async fn session(port: u16) -> Client {
    let deadline = Instant::now() + WAIT;
    while app_running() {
        assert!(Instant::now() < deadline, "the previous app never exited");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut caps = Capabilities::new();
    caps.insert("tauri:options".into(), serde_json::json!({ "application": app_binary() }));
    // tauri-driver starts WebKitWebDriver for the session and may drop the first request while
    // that one is still coming up (seen once as IncompleteMessage): asked again, a few times.
    let mut attempt = 0;
    loop {
        // Bounded: a session whose app never opened its page would otherwise wait for ever.
        let connected = tokio::time::timeout(
            WAIT,
            ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                .capabilities(caps.clone())
                .connect(&format!("http://127.0.0.1:{port}")),
        )
        .await
        .unwrap_or_else(|_| panic!("no WebDriver session on the app within {WAIT:?}"));
        match connected {
            Ok(client) => return client,
            Err(e) if attempt < 3 => {
                eprintln!("WebDriver session not opened ({e}); asking again");
                attempt += 1;
                while app_running() {
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            Err(e) => panic!("a WebDriver session on the app: {e}"),
        }
    }
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port")
}

fn wait_for_port(port: u16, driver: &mut Child) {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let deadline = Instant::now() + WAIT;
    while TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_err() {
        assert!(
            driver.try_wait().ok().flatten().is_none(),
            "tauri-driver exited; is webkit2gtk-driver installed?"
        );
        assert!(Instant::now() < deadline, "tauri-driver did not listen on {port}");
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// Every file below `dir`.
pub fn files_under(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Where screenshots go: `target/screenshots/` in the repository.
pub fn screenshot_dir() -> PathBuf {
    let repository = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir = repository.join("target").join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

impl Harness {
    pub async fn start() -> Harness {
        Self::start_with(&[]).await
    }

    /// Like `start`, with more settings for the app (e.g. a kiosk's).
    pub async fn start_with(app_env: &[(&str, &str)]) -> Harness {
        Self::start_inner(app_env, None).await
    }

    /// Like `start`, but the app learns its server, data folder and `more` (TOML lines) from
    /// `shiye.toml` in the OS config folder, as an installed app at a service centre does, and
    /// from no variable. Only inside the test session's own `XDG_CONFIG_HOME`.
    pub async fn start_from_config_file(more: &str) -> Harness {
        Self::start_inner(&[], Some(more)).await
    }

    async fn start_inner(app_env: &[(&str, &str)], config_file: Option<&str>) -> Harness {
        let serial = SERIAL.lock().await;
        let dir = tempfile::tempdir().expect("temp dir");
        // Nobody is logged in on this device at the start of a test.
        tokio::task::spawn_blocking(|| shiye::vault::Vault::default().clear_tokens())
            .await
            .expect("join")
            .expect("keyring reachable");
        // Under XDG_DATA_HOME when set, so the plaintext scan covers it.
        let data_dir = match std::env::var_os("XDG_DATA_HOME") {
            Some(d) => PathBuf::from(d).join("shiye-e2e").join(dir.path().file_name().expect("name")),
            None => dir.path().join("app-data"),
        };
        let db = dir.path().join("server.sqlite");
        let addr = SocketAddr::from(([127, 0, 0, 1], free_port()));
        let (base, admin_token, server) = serve(addr, &db).await;

        let (port, native_port) = (free_port(), free_port());
        let mut app_env: Vec<(String, String)> =
            app_env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let mut kiosk = app_env.iter().any(|(k, v)| k == "SHIYE_KIOSK" && (v == "1" || v == "true"));
        match config_file {
            None => {
                app_env.push(("SHIYE_API_BASE".into(), base.clone()));
                app_env.push(("SHIYE_DATA_DIR".into(), data_dir.display().to_string()));
                app_env.push(("SHIYE_REFRESH_SECS".into(), "2".into()));
            }
            Some(more) => {
                let config = std::env::var_os("XDG_CONFIG_HOME")
                    .map(PathBuf::from)
                    .expect("XDG_CONFIG_HOME of the test session (cargo xtask test sets it)")
                    .join("cn.gov.beijing.shiye");
                std::fs::create_dir_all(&config).expect("config folder");
                let toml = format!(
                    "api_base = \"{base}\"\ndata_dir = \"{}\"\nrefresh_secs = 2\n{more}\n",
                    data_dir.display()
                );
                std::fs::write(config.join("shiye.toml"), toml).expect("shiye.toml");
                kiosk = more.lines().any(|l| l.replace(' ', "") == "kiosk=true");
            }
        }
        let browser = (!kiosk).then(|| Browser::new(dir.path()));
        if let Some(b) = &browser {
            app_env.push(("SHIYE_BROWSER".into(), b.program()));
        }
        let mut driver = Driver(
            Command::new("tauri-driver")
                .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
                // The app inherits these through tauri-driver and WebKitWebDriver.
                .envs(app_env.iter().map(|(k, v)| (k, v)))
                .stdout(Stdio::null())
                // A group of its own, so that its WebKitWebDriver goes with it.
                .process_group(0)
                .spawn()
                .expect("tauri-driver runs (cargo xtask setup installs it)"),
        );
        wait_for_port(port, &mut driver.0);
        // Should this panic, `driver` is dropped and killed: a tauri-driver left running would
        // hold the test run's output open and `cargo xtask test` would wait for it forever.
        let client = session(port).await;
        let http = crate::support::http_client();
        Harness {
            base,
            app_env,
            client,
            http,
            admin_token,
            data_dir,
            addr,
            db,
            server: Some(server),
            browser: tokio::sync::Mutex::new(browser),
            kiosk,
            _driver: driver,
            port,
            _dir: dir,
            _serial: serial,
        }
    }

    /// Stops the reference server (the network is gone, as far as the app can tell).
    pub async fn stop_server(&mut self) {
        if let Some((stop, task)) = self.server.take() {
            let _ = stop.send(());
            let _ = task.await;
        }
    }

    /// Starts the reference server again on the same address with the same database.
    pub async fn restart_server(&mut self) {
        let (_, admin, server) = serve(self.addr, &self.db).await;
        self.admin_token = admin;
        self.server = Some(server);
    }

    /// Closes the app and opens it again (same data folder, same keyring).
    pub async fn restart_app(&mut self) {
        let _ = self.client.clone().close().await;
        self.client = session(self.port).await;
    }

    /// Logs in at the identity provider directly over HTTP with the given authorization request
    /// parameters (as an attacker who copied them would) and returns the code it hands out.
    pub async fn code_for(
        &self,
        params: &HashMap<String, String>,
        id_number: &str,
        password: &str,
    ) -> String {
        let mut form: Vec<(String, String)> = params.clone().into_iter().collect();
        let url = format!("{}/oauth/authorize", self.base);
        // The login page first, as a browser: its anti-CSRF token and cookie go with the form.
        let page = self.http.get(&url).query(&form).send().await.expect("login page");
        let set_cookie = page.headers()["set-cookie"].to_str().expect("cookie").to_string();
        let (token, cookie) =
            shiye_server::csrf::scripted(&page.text().await.expect("page"), &set_cookie).expect("csrf token");
        form.push(("id_number".into(), id_number.into()));
        form.push(("password".into(), password.into()));
        form.push(("csrf".into(), token));
        let resp = self.http.post(&url).header("cookie", cookie).form(&form).send().await.expect("authorize");
        assert_eq!(resp.status(), 303, "login at the provider");
        let location = resp.headers()["location"].to_str().expect("location").to_string();
        let url = url::Url::parse(&location).expect("redirect url");
        url.query_pairs().find(|(k, _)| k == "code").map(|(_, v)| v.into_owned()).expect("code in redirect")
    }

    /// Waits until what was just typed is saved as a draft: past the autosave's 300 ms pause and
    /// its round trip to the shell ("已保存" may already show from an earlier save).
    pub async fn saved(&self) {
        tokio::time::sleep(Duration::from_millis(1200)).await;
        self.wait_text("saved-at", "已保存").await;
    }

    /// A screenshot named after the failing test.
    pub async fn failure_screenshot(&self) {
        let test =
            std::thread::current().name().unwrap_or("test").rsplit("::").next().unwrap_or("test").to_string();
        self.screenshot(&format!("failure-{test}.png")).await;
    }

    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(screenshot_dir().join(name), png).expect("write screenshot");
    }

    pub async fn finish(mut self) {
        let _ = self.client.clone().close().await;
        self.stop_server().await;
    }
}

/// The steps a person takes, and what they see.
impl Harness {
    pub async fn wait_id(&self, id: &str) -> Element {
        match self.client.wait().at_most(WAIT).for_element(Locator::Id(id)).await {
            Ok(el) => el,
            Err(e) => {
                self.failure_screenshot().await;
                panic!("#{id} never appeared: {e}")
            }
        }
    }

    /// Waits until nothing matches `css` any more (the page re-renders after an event, not during
    /// the WebDriver call that sent it).
    pub async fn wait_gone(&self, css: &str, why: &str) {
        let deadline = Instant::now() + WAIT;
        while self.client.find(Locator::Css(css)).await.is_ok() {
            if Instant::now() > deadline {
                self.failure_screenshot().await;
                panic!("{css} is still there: {why}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the form control `id` holds `expected` (a draft's answers arrive after the
    /// page that shows them); panics with what it holds instead.
    pub async fn wait_value(&self, id: &str, expected: &str) {
        let el = self.wait_id(id).await;
        let deadline = Instant::now() + WAIT;
        loop {
            let now = el.prop("value").await.expect("value").unwrap_or_default();
            if now == expected {
                return;
            }
            if Instant::now() > deadline {
                self.failure_screenshot().await;
                panic!("#{id} holds “{now}”, never “{expected}”");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Waits until the checkbox `id` is ticked.
    pub async fn wait_checked(&self, id: &str) {
        let el = self.wait_id(id).await;
        let deadline = Instant::now() + WAIT;
        while el.prop("checked").await.expect("checked").as_deref() != Some("true") {
            if Instant::now() > deadline {
                self.failure_screenshot().await;
                panic!("#{id} never got ticked");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, id: &str) {
        self.wait_id(id).await.click().await.unwrap_or_else(|e| panic!("click #{id}: {e}"));
    }

    /// Waits until the element's text contains `needle` and returns the text.
    pub async fn wait_text(&self, id: &str, needle: &str) -> String {
        let deadline = Instant::now() + WAIT;
        loop {
            if let Ok(el) = self.client.find(Locator::Id(id)).await {
                if let Ok(t) = el.text().await {
                    if t.contains(needle) {
                        return t;
                    }
                    if Instant::now() > deadline {
                        self.failure_screenshot().await;
                        panic!("#{id} says “{t}”, never “{needle}”");
                    }
                }
            }
            if Instant::now() > deadline {
                self.failure_screenshot().await;
                panic!("#{id} with “{needle}” never appeared");
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Picks an option of a field's select by its code, with the input and change events a
    /// browser sends for a person's choice. (WebKitWebDriver's click on an option that was just
    /// added to a select sets the value without sending them, so the page never hears it.)
    /// The options of a select that follows another choice arrive with the page's next render, so
    /// the option is waited for.
    pub async fn choose(&self, field: &str, code: &str) {
        let id = format!("f-{field}");
        self.wait_id(&id).await;
        self.wait_script(
            "const [id, v] = arguments; const e = document.getElementById(id);
             if (!e || ![...e.options].some(o => o.value === v)) return false;
             e.focus(); e.value = v;
             e.dispatchEvent(new Event('input', { bubbles: true }));
             e.dispatchEvent(new Event('change', { bubbles: true }));
             return true;",
            vec![serde_json::json!(id), serde_json::json!(code)],
            |picked| picked == &serde_json::Value::Bool(true),
            &format!("{field} offers no option {code}"),
        )
        .await;
    }

    /// Runs `script` in the page until what it returns satisfies `done`, and returns that.
    pub async fn wait_script(
        &self,
        script: &str,
        args: Vec<serde_json::Value>,
        done: impl Fn(&serde_json::Value) -> bool,
        what: &str,
    ) -> serde_json::Value {
        let deadline = Instant::now() + WAIT;
        loop {
            let now = self.client.execute(script, args.clone()).await.expect("script");
            if done(&now) {
                return now;
            }
            if Instant::now() > deadline {
                self.failure_screenshot().await;
                panic!("{what} (the page said {now})");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Types into a field (after clearing it) and leaves it.
    pub async fn fill(&self, field: &str, text: &str) {
        let el = self.wait_id(&format!("f-{field}")).await;
        // Emptied the way a person's deleting does it: with an input event the page hears.
        self.client
            .execute(
                "const e = arguments[0]; e.value = ''; e.dispatchEvent(new Event('input', { bubbles: true }));",
                vec![serde_json::to_value(&el).expect("element ref")],
            )
            .await
            .expect("empty the field");
        el.send_keys(text).await.unwrap_or_else(|e| panic!("type into {field}: {e}"));
        self.client
            .execute("document.activeElement && document.activeElement.blur();", vec![])
            .await
            .expect("blur");
    }

    /// Picks a date in a date field, as its calendar does (value, then input and change).
    pub async fn pick_date(&self, field: &str, iso: &str) {
        let el = self.wait_id(&format!("f-{field}")).await;
        self.client
            .execute(
                "const [e, v] = arguments; e.focus(); e.value = v;
                 e.dispatchEvent(new Event('input', { bubbles: true }));
                 e.dispatchEvent(new Event('change', { bubbles: true })); e.blur();",
                vec![serde_json::to_value(&el).expect("element ref"), serde_json::json!(iso)],
            )
            .await
            .expect("pick a date");
    }

    pub async fn tick(&self, id: &str) {
        self.click(id).await;
    }

    /// Logs in as a seeded person at the identity platform: in the browser the app opened (on a
    /// kiosk, in the app's login window).
    pub async fn login(&self, who: &Seed) {
        let c = &self.client;
        let main = c.window().await.expect("main window");
        self.click("login-button").await;
        if self.kiosk {
            // The kiosk's login window has a private data store of its own, which WebKit's
            // WebDriver cannot reach (one automation context per process): the keys go to it
            // through the X server, as from the kiosk's keyboard.
            assert_eq!(c.windows().await.expect("windows"), [main], "WebDriver sees only the app's window");
            kiosk_keyboard_login(&who.id_number()).await;
        } else {
            let page = self.browser_login_page().await;
            self.login_in_browser(&page, who).await;
            let done =
                page.wait().at_most(WAIT).for_element(Locator::Id("message")).await.expect("the app's page");
            assert!(
                done.text().await.expect("text").contains("登录成功"),
                "the browser is told the login succeeded"
            );
        }
        self.wait_greeting(who.name).await;
    }

    /// The browser tab showing the identity platform's page the app opened.
    pub async fn browser_login_page(&self) -> Client {
        let mut browser = self.browser.lock().await;
        browser.as_mut().expect("a browser (not on a kiosk)").login_page().await
    }

    /// Fills and sends the identity platform's form in the browser.
    pub async fn login_in_browser(&self, page: &Client, who: &Seed) {
        let id = page.wait().at_most(WAIT).for_element(Locator::Id("id_number")).await.expect("form");
        id.send_keys(&who.id_number()).await.expect("type id");
        page.find(Locator::Id("password"))
            .await
            .expect("pw")
            .send_keys(DEMO_PASSWORD)
            .await
            .expect("type pw");
        page.find(Locator::Id("login-submit")).await.expect("submit").click().await.expect("submit");
    }

    /// Waits until the app greets `name` (by content, not visible text: on a phone the greeting
    /// sits in the folded header menu).
    pub async fn wait_greeting(&self, name: &str) {
        let c = &self.client;
        let deadline = Instant::now() + WAIT;
        loop {
            let shown = c
                .execute(
                    "const g = document.getElementById('greeting'); return g ? g.textContent : '';",
                    vec![],
                )
                .await
                .expect("greeting");
            if shown.as_str().is_some_and(|t| t.contains(name)) {
                return;
            }
            if Instant::now() > deadline {
                self.failure_screenshot().await;
                panic!("the greeting never named {name}");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Reads the 用户须知 and the 承诺书 to the end and acknowledges both.
    pub async fn accept_notices(&self) {
        for title in ["用户通知", "承诺书"] {
            self.wait_text("notice-heading", title).await;
            self.accept_shown_notice().await;
        }
        self.wait_id("services-heading").await;
    }

    /// Reads the text shown to the end and accepts it.
    pub async fn accept_shown_notice(&self) {
        let button = self.wait_id("notice-accept").await;
        self.client
            .execute(
                "const b = document.getElementById('notice-body'); b.scrollTop = b.scrollHeight;",
                vec![],
            )
            .await
            .expect("scroll");
        let deadline = Instant::now() + WAIT;
        while !button.is_enabled().await.expect("enabled?") {
            assert!(Instant::now() < deadline, "reading to the end never enabled 我已阅读并同意");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        button.click().await.expect("accept");
    }

    /// Ticks an item on the service page, 确定, and 确定 in the dialog.
    /// 户籍地 in Beijing: 北京市 → 市辖区 → `district` (its 街道 is chosen apart).
    pub async fn beijing_household(&self, district: &str) {
        self.choose("household_province", "11").await;
        self.choose("household_city", "1101").await;
        self.choose("household_district", district).await;
    }

    pub async fn open(&self, item: &str) {
        self.wait_id("services-heading").await;
        self.tick(&format!("svc-{item}")).await;
        self.click("services-confirm").await;
        self.click("dialog-ok").await;
        // The wizard, or first the offer to resume a saved draft.
        self.client
            .wait()
            .at_most(WAIT)
            .for_element(Locator::Css("#wizard-heading, #resume-heading"))
            .await
            .expect("the wizard opens");
    }

    /// 下一步, then waits until the wizard answered: another step, or the error summary.
    pub async fn next(&self) {
        let probe = "const c = document.querySelector('.steps li.current');
                     const e = document.getElementById('error-summary');
                     return [c ? c.textContent : '', e ? e.textContent : '', e === document.activeElement];";
        let before = self.client.execute(probe, vec![]).await.expect("probe");
        self.click("next").await;
        let deadline = Instant::now() + WAIT;
        loop {
            let now = self.client.execute(probe, vec![]).await.expect("probe");
            if now != before || now[2] == true {
                return;
            }
            if Instant::now() > deadline {
                self.failure_screenshot().await;
                panic!("下一步 neither moved on nor showed errors");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// On 信息确认: 提交, then wait for the result page.
    pub async fn submit(&self) {
        self.wait_id("check-heading").await;
        self.click("submit").await;
        self.wait_id("result-heading").await;
    }

    /// Runs axe-core in the current page and fails on any WCAG 2.1 A/AA violation.
    pub async fn axe(&self, screen: &str) {
        let path = tools_dir().join("node_modules/axe-core/axe.min.js");
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{} (cargo xtask setup installs it): {e}", path.display()));
        self.client.execute(&source, vec![]).await.expect("axe-core loads");
        let result = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
                    .then(r => done(r.violations.map(v => ({ id: v.id, help: v.help,
                        nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5) }))))
                    .catch(e => done([{ id: 'axe-error', help: String(e), nodes: [] }]));",
                vec![],
            )
            .await
            .expect("axe runs");
        assert_eq!(result, serde_json::json!([]), "axe-core violations on {screen}");
    }
}

/// The reviewer: decisions through the server's admin API.
impl Harness {
    /// A GET of the server's admin API, as JSON.
    async fn admin_get<T: serde::de::DeserializeOwned>(&self, path: &str) -> T {
        let resp = self.http.get(format!("{}{path}", self.base)).bearer_auth(&self.admin_token).send().await;
        resp.expect("admin API").json().await.expect("admin API json")
    }

    /// What the reviewer sees of an item: its answers (cards masked), records and history.
    pub async fn case_file(&self, case: &str) -> serde_json::Value {
        self.admin_get(&format!("/api/admin/items/{case}")).await
    }

    /// The undecided items of a person, as (办件编号, item).
    pub async fn pending_items(&self, subject: &str) -> Vec<(String, String)> {
        let items: Vec<serde_json::Value> = self.admin_get("/api/admin/items").await;
        items
            .into_iter()
            .filter(|i| i["subject"] == subject)
            .map(|i| {
                (
                    i["case_number"].as_str().unwrap_or_default().into(),
                    i["item"].as_str().unwrap_or_default().into(),
                )
            })
            .collect()
    }

    /// A reviewer's decision on one item (approve, reject or return, with a reason for the last two).
    pub async fn decide(&self, case: &str, action: &str, reason: Option<&str>) {
        let resp = self
            .http
            .post(format!("{}/api/admin/items/{case}/decision", self.base))
            .bearer_auth(&self.admin_token)
            .json(&serde_json::json!({ "action": action, "reason": reason }))
            .send()
            .await
            .expect("decision");
        assert!(resp.status().is_success(), "decision on {case}: {}", resp.status());
    }

    /// Decides every undecided item of a person; returns how many.
    pub async fn decide_all(&self, subject: &str, action: &str, reason: Option<&str>) -> usize {
        let items = self.pending_items(subject).await;
        for (case, _) in &items {
            self.decide(case, action, reason).await;
        }
        items.len()
    }

    /// Publishes a 服务机构 list, as the operators would.
    pub async fn publish_agencies(&self, list: &[shiye_core::reference::agencies::AgencyEntry]) {
        self.publish("agencies", &serde_json::json!(list)).await;
    }

    /// Publishes a new version of a table as an operator would (the server's admin API).
    pub async fn publish(&self, table: &str, body: &serde_json::Value) {
        let resp = self
            .http
            .put(format!("{}/api/admin/reference/{table}?operator=e2e", self.base))
            .bearer_auth(&self.admin_token)
            .json(body)
            .send()
            .await
            .expect("publish");
        let status = resp.status().as_u16();
        assert_eq!(status, 200, "{table} is published: {}", resp.text().await.unwrap_or_default());
    }

    /// The newest SMS the server "sent" to a person ("" if none).
    pub async fn latest_sms(&self, subject: &str) -> String {
        let texts: Vec<String> = self.admin_get(&format!("/api/admin/sms-outbox/{subject}")).await;
        texts.into_iter().next().unwrap_or_default()
    }

    /// The code in the newest SMS the server "sent" to a person.
    pub async fn latest_sms_code(&self, subject: &str) -> String {
        self.latest_sms(subject).await.chars().filter(char::is_ascii_digit).take(6).collect()
    }

    /// Fails if the page keeps anything in its web storage or cookies.
    pub async fn assert_empty_web_storage(&self) {
        let storage = self
            .client
            .execute(
                "return [window.localStorage.length, window.sessionStorage.length, document.cookie];",
                vec![],
            )
            .await
            .expect("storage probe");
        assert_eq!(storage, serde_json::json!([0, 0, ""]), "web storage or cookies in use");
    }

    /// The operators' log files the app wrote (tauri-plugin-log, under the data folder).
    pub fn log_files(&self) -> Vec<PathBuf> {
        let data = std::env::var_os("XDG_DATA_HOME").map(PathBuf::from).unwrap_or_default();
        files_under(&data.join("cn.gov.beijing.shiye").join("logs"))
    }

    /// Fails if any file the app or its webview wrote holds one of `secrets` in plaintext.
    pub fn assert_no_plaintext(&self, secrets: &[String]) {
        let mut dirs: Vec<PathBuf> = ["XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"]
            .iter()
            .filter_map(|v| std::env::var_os(v).map(PathBuf::from))
            .collect();
        dirs.push(self.data_dir.clone());
        for dir in dirs {
            for file in files_under(&dir) {
                let bytes = std::fs::read(&file).unwrap_or_default();
                for s in secrets {
                    assert!(
                        !bytes.windows(s.len()).any(|w| w == s.as_bytes()),
                        "{} holds {s} in plaintext",
                        file.display()
                    );
                }
            }
        }
    }
}

/// Where `cargo xtask setup` puts npm tools (axe-core).
fn tools_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SHIYE_TOOLS_DIR") {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("shiye-tools")
}

/// Types a login into the kiosk's login window with xdotool: ID number, Tab, password, Enter (the
/// provider's page focuses the ID number field).
/// The X window id of the kiosk's login window, if it is open.
pub async fn kiosk_login_window() -> Option<String> {
    let out = tokio::process::Command::new("xdotool")
        .args(["search", "--name", "登录北京市统一身份认证平台"])
        .output()
        .await
        .expect("xdotool runs (cargo xtask setup installs it)");
    String::from_utf8_lossy(&out.stdout).lines().last().map(str::to_string)
}

/// Types into the kiosk's login window (its 证件号码 field has the focus when it opens), as from
/// the kiosk's keyboard.
pub async fn kiosk_keyboard_type(text: &str) {
    let deadline = Instant::now() + WAIT;
    let window = loop {
        if let Some(w) = kiosk_login_window().await {
            break w;
        }
        assert!(Instant::now() < deadline, "the kiosk's login window never opened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    // The provider's page loads from loopback; give it a moment to render and focus its field.
    tokio::time::sleep(Duration::from_millis(2000)).await;
    xdo(vec!["windowfocus".into(), "--sync".into(), window]).await;
    xdo(vec!["type".into(), "--delay".into(), "20".into(), text.into()]).await;
}

async fn xdo(args: Vec<String>) {
    let ok = tokio::process::Command::new("xdotool").args(&args).status().await.expect("xdotool");
    assert!(ok.success(), "xdotool {args:?}");
}

async fn kiosk_keyboard_login(id_number: &str) {
    kiosk_keyboard_type(id_number).await;
    xdo(vec!["key".into(), "Tab".into()]).await;
    xdo(vec!["type".into(), "--delay".into(), "20".into(), DEMO_PASSWORD.into()]).await;
    xdo(vec!["key".into(), "Return".into()]).await;
}

/// A card number of the given prefix, made valid by its Luhn check digit.
pub fn luhn_card(prefix: &str) -> String {
    (0..10)
        .map(|d| format!("{prefix}{d}"))
        .find(|c| shiye_core::cn::bank_card::luhn_ok(c))
        .expect("one check digit fits")
}

/// tauri-driver, killed when dropped (with the harness, or when starting one fails).
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // tauri-driver and the WebKitWebDriver it started (which it leaves behind when killed).
        let _ = Command::new("kill").args(["-9", "--", &format!("-{}", self.0.id())]).status();
        let _ = self.0.kill();
        let _ = self.0.wait();
        // A test that failed mid-way leaves its app running (WebKitWebDriver's child), and the next
        // test would wait for it in vain: it goes with the driver.
        let pids = app_pids();
        if !pids.is_empty() {
            let _ = Command::new("kill").arg("-9").args(&pids).status();
        }
    }
}
