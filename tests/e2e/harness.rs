//! Fixtures of the end-to-end suite: a real reference server on loopback (its own SQLite file),
//! tauri-driver with WebKit's WebDriver, and a WebDriver session on the real app binary.

use fantoccini::wd::{Capabilities, WindowHandle};
use fantoccini::{Client, ClientBuilder};
use shiye_server::Server;
use std::collections::HashMap;
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

/// How long any one step may take before the test fails (a cold WebKit start is slow).
pub const WAIT: Duration = Duration::from_secs(40);

pub struct Harness {
    pub base: String,
    pub client: Client,
    pub http: reqwest::Client,
    driver: Child,
    stop_server: Option<oneshot::Sender<()>>,
    _dir: tempfile::TempDir,
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
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target").join("screenshots");
    std::fs::create_dir_all(&dir).expect("screenshot folder");
    dir
}

impl Harness {
    pub async fn start() -> Harness {
        let dir = tempfile::tempdir().expect("temp dir");
        let server = Server::bind(SocketAddr::from(([127, 0, 0, 1], 0)), &dir.path().join("server.sqlite"))
            .await
            .expect("reference server starts");
        let base = server.base_url();
        let (stop_server, stopped) = oneshot::channel::<()>();
        tokio::spawn(server.run(async {
            let _ = stopped.await;
        }));

        let (port, native_port) = (free_port(), free_port());
        let mut driver = Command::new("tauri-driver")
            .args(["--port", &port.to_string(), "--native-port", &native_port.to_string()])
            // The app inherits this through tauri-driver and WebKitWebDriver.
            .env("SHIYE_API_BASE", &base)
            .stdout(Stdio::null())
            .spawn()
            .expect("tauri-driver runs (cargo xtask setup installs it)");
        wait_for_port(port, &mut driver);

        let mut caps = Capabilities::new();
        caps.insert(
            "tauri:options".into(),
            serde_json::json!({ "application": env!("CARGO_BIN_EXE_shiye") }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("a WebDriver session on the app");
        let http =
            reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("http");
        Harness { base, client, http, driver, stop_server: Some(stop_server), _dir: dir }
    }

    /// Waits until a window other than `main` exists and returns it.
    pub async fn other_window(&self, main: &WindowHandle) -> WindowHandle {
        let deadline = Instant::now() + WAIT;
        loop {
            let handles = self.client.windows().await.expect("window handles");
            if let Some(h) = handles.into_iter().find(|h| h != main) {
                return h;
            }
            assert!(Instant::now() < deadline, "no second window opened");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
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
        form.push(("id_number".into(), id_number.into()));
        form.push(("password".into(), password.into()));
        let resp = self
            .http
            .post(format!("{}/oauth/authorize", self.base))
            .form(&form)
            .send()
            .await
            .expect("authorize");
        assert_eq!(resp.status(), 303, "login at the provider");
        let location = resp.headers()["location"].to_str().expect("location").to_string();
        let url = url::Url::parse(&location).expect("redirect url");
        url.query_pairs().find(|(k, _)| k == "code").map(|(_, v)| v.into_owned()).expect("code in redirect")
    }

    /// Runs `script` (with `arg` as `arguments[0]`) just after returning. For actions that end in
    /// a navigation the app intercepts: WebDriver would otherwise wait for a page load that never
    /// comes, and the window may be gone before it answers.
    pub async fn later(&self, script: &str, arg: String) {
        let deferred = format!("const a = arguments; setTimeout(function () {{ (function () {{ {script} }}).apply(null, a); }}, 0);");
        self.client.execute(&deferred, vec![serde_json::json!(arg)]).await.expect("script runs");
    }

    pub async fn screenshot(&self, name: &str) {
        let png = self.client.screenshot().await.expect("screenshot");
        std::fs::write(screenshot_dir().join(name), png).expect("write screenshot");
    }

    pub async fn finish(mut self) {
        let _ = self.client.clone().close().await;
        if let Some(s) = self.stop_server.take() {
            let _ = s.send(());
        }
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}
