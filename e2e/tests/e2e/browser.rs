//! The person's own browser (RFC 8252: the app shows the identity platform's page there, not in a
//! webview of its own): Debian's Chromium, which the app launches through the opener plugin — the
//! suite names a small launcher as the browser (`SHIYE_BROWSER`) that starts Chromium with a
//! private profile and a DevTools port — and ChromeDriver attached to that running Chromium, so
//! the test reads and fills the page the person would see.

use fantoccini::wd::Capabilities;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::harness::WAIT;

pub struct Browser {
    profile: PathBuf,
    launcher: PathBuf,
    debug_port: u16,
    driver: Option<Child>,
    client: Option<Client>,
    /// Tabs already handed out: each login opens a tab of its own.
    seen: Vec<fantoccini::wd::WindowHandle>,
}

fn port_open(port: u16) -> bool {
    TcpStream::connect_timeout(&SocketAddr::from(([127, 0, 0, 1], port)), Duration::from_millis(200)).is_ok()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a port")
}

impl Browser {
    /// Writes the launcher into `dir`; nothing runs until the app opens a page.
    pub fn new(dir: &Path) -> Browser {
        let profile = dir.join("browser-profile");
        let launcher = dir.join("browser.sh");
        let debug_port = free_port();
        // Root in CI: no sandbox. The password store is Chromium's own file, so the browser never
        // touches the session keyring the app's tokens are in; no network beyond loopback.
        let script = format!(
            "#!/bin/sh\nexec /usr/bin/chromium --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run \
             --no-default-browser-check --disable-background-networking --disable-component-update --disable-sync \
             --disable-quic --disable-default-apps --password-store=basic --window-size=900,800 \
             --user-data-dir={} --remote-debugging-port={debug_port} \"$@\" >{} 2>&1\n",
            profile.display(),
            dir.join("browser.log").display()
        );
        std::fs::write(&launcher, script).expect("launcher");
        let mut perms = std::fs::metadata(&launcher).expect("meta").permissions();
        std::os::unix::fs::PermissionsExt::set_mode(&mut perms, 0o755);
        std::fs::set_permissions(&launcher, perms).expect("chmod");
        Browser { profile, launcher, debug_port, driver: None, client: None, seen: Vec::new() }
    }

    /// What the app is told to open pages with.
    pub fn program(&self) -> String {
        self.launcher.display().to_string()
    }

    /// Whether the app has launched the browser.
    pub fn running(&self) -> bool {
        port_open(self.debug_port)
    }

    /// ChromeDriver attached to the browser the app launched (waits for it to start).
    pub async fn client(&mut self) -> Client {
        if let Some(c) = &self.client {
            return c.clone();
        }
        let deadline = Instant::now() + WAIT;
        while !self.running() {
            assert!(Instant::now() < deadline, "the app never opened the browser");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let port = free_port();
        let driver = Command::new("chromedriver")
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver runs (cargo xtask setup installs chromium-driver)");
        self.driver = Some(driver);
        while !port_open(port) {
            assert!(Instant::now() < deadline, "chromedriver did not listen");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let mut caps = Capabilities::new();
        caps.insert("browserName".into(), serde_json::json!("chrome"));
        caps.insert(
            "goog:chromeOptions".into(),
            serde_json::json!({ "debuggerAddress": format!("127.0.0.1:{}", self.debug_port) }),
        );
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("ChromeDriver attaches to the browser");
        self.client = Some(client.clone());
        client
    }

    /// Switches to the tab the app opened last for the identity platform's login page (one not
    /// handed out before), and returns it.
    pub async fn login_page(&mut self) -> Client {
        let c = self.client().await;
        let deadline = Instant::now() + WAIT;
        loop {
            let handles = c.windows().await.expect("tabs");
            for h in handles.into_iter().filter(|h| !self.seen.contains(h)) {
                c.switch_to_window(h.clone()).await.expect("switch tab");
                let url = c.current_url().await.expect("url");
                if url.path() == "/oauth/authorize" && c.find(Locator::Id("id_number")).await.is_ok() {
                    self.seen.push(h);
                    return c;
                }
            }
            assert!(Instant::now() < deadline, "the browser never showed the login page");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        if let Some(mut d) = self.driver.take() {
            let _ = d.kill();
            let _ = d.wait();
        }
        // Every Chromium process of this profile (the browser and its helpers).
        let marker = format!("--user-data-dir={}", self.profile.display());
        let pids: Vec<String> = std::fs::read_dir("/proc")
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| {
                // Chromium rewrites its processes' titles into one string: look inside it.
                std::fs::read(e.path().join("cmdline"))
                    .is_ok_and(|c| String::from_utf8_lossy(&c).contains(&marker))
            })
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        if !pids.is_empty() {
            let _ = Command::new("kill").arg("-9").args(&pids).status();
        }
    }
}
