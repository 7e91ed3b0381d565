//! `cargo xtask setup`: brings a machine to the point where `run` and `test` work. Every step
//! checks first and skips what is already there, so it is cheap to call before each run.

use crate::paths;
use crate::proc::{cmd, output, run, Result};

/// Debian/Ubuntu packages: build (WebKitGTK, GTK), end-to-end (WebKit's WebDriver, a virtual X
/// server, Chromium and ChromeDriver as the person's browser), a real Secret Service for the keyring,
/// CJK fonts so Chinese does not render as boxes, and PostgreSQL for the server's tests.
const APT_PACKAGES: &[&str] = &[
    "pkg-config",
    "libwebkit2gtk-4.1-dev",
    "libgtk-3-dev",
    "libayatana-appindicator3-dev",
    "librsvg2-dev",
    "webkit2gtk-driver",
    "xvfb",
    "xauth",
    "dbus",
    "dbus-x11",
    "gnome-keyring",
    "fonts-noto-cjk",
    // The reference server's second database, started per test run (xtask/src/postgres.rs).
    "postgresql",
    // The person's browser in the end-to-end suite: the app opens the identity platform's page
    // in it (RFC 8252) and the suite drives it through ChromeDriver.
    "chromium",
    "chromium-driver",
    // The kiosk's login window keeps a private data store WebDriver cannot reach; the suite types
    // into it through the X server.
    "xdotool",
    // `cargo xtask bench` reports the UI bundle's brotli size too.
    "brotli",
    // `cargo xtask test` reads the built .rpm's header and file list.
    "rpm",
];

const TRUNK_VERSION: &str = "0.21.14";
/// The Tauri CLI (icons, installers), as npm ships it: a prebuilt binary from the npm registry, so
/// `dist` does not spend ten minutes compiling it on a 2-core machine.
const TAURI_CLI_VERSION: &str = "2.12.4";
const TAURI_DRIVER_VERSION: &str = "2.1.0";
/// Debian's binaryen (wasm-opt 108) cannot read what current rustc emits; npm's build can.
const BINARYEN_VERSION: &str = "132.0.0";
/// The accessibility checker the end-to-end suite injects into the app's pages.
const AXE_CORE_VERSION: &str = "4.14.1";
/// OpenID Certified implementations the identity work is tested against (e2e/tests/interop.rs):
/// a provider the app logs in with, and a relying party that logs in to the reference provider.
const OIDC_PROVIDER_VERSION: &str = "9.13.3";
const OPENID_CLIENT_VERSION: &str = "6.9.1";
/// pyoidc (PyPI `oic`), the certified Python relying party.
const PYOIDC_VERSION: &str = "1.7.0";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// What `run` and `test` need.
    BuildAndTest,
    /// Also the Tauri CLI and the packaging tools, for icons and installers (`dist`).
    Everything,
}

pub fn setup(scope: Scope) -> Result {
    system_packages()?;
    rust_targets()?;
    let installed = output("cargo", &["install", "--list"]).unwrap_or_default();
    let wasm_bindgen = wasm_bindgen_version()?;
    // (crate, version, whether `--locked` works for it)
    let tools: [(&str, String, bool); 3] = [
        ("trunk", TRUNK_VERSION.into(), true),
        ("tauri-driver", TAURI_DRIVER_VERSION.into(), true),
        // `--locked` fails for some wasm-bindgen-cli releases (a pinned dependency is missing).
        ("wasm-bindgen-cli", wasm_bindgen, false),
    ];
    for (krate, version, locked) in &tools {
        if installed.lines().any(|l| l.starts_with(&format!("{krate} v{version}:"))) {
            eprintln!("✓ {krate} {version}");
            continue;
        }
        eprintln!("… installing {krate} {version} (several minutes on 2 cores)");
        let mut args = vec!["install", *krate, "--version", version.as_str()];
        if *locked {
            args.push("--locked");
        }
        run(&mut cmd("cargo", &args))?;
    }
    wasm_opt()?;
    axe_core()?;
    npm_tool("oidc-provider", OIDC_PROVIDER_VERSION)?;
    npm_tool("openid-client", OPENID_CLIENT_VERSION)?;
    pyoidc()?;
    if scope == Scope::Everything {
        npm_tool("@tauri-apps/cli", TAURI_CLI_VERSION)?;
    }
    eprintln!("✓ setup complete");
    Ok(())
}

fn system_packages() -> Result {
    if !std::path::Path::new("/etc/debian_version").exists() {
        eprintln!(
            "! not Debian/Ubuntu: install by hand the equivalents of: {}\n  (see https://v2.tauri.app/start/prerequisites/), plus Node.js/npm",
            APT_PACKAGES.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| {
            output("dpkg-query", &["-W", "-f=${db:Status-Status}", p]).as_deref() != Some("installed")
        })
        .collect();
    let mut missing = missing;
    if output("npm", &["--version"]).is_none() {
        missing.push("npm");
    }
    if missing.is_empty() {
        eprintln!("✓ system packages");
        return Ok(());
    }
    let is_root = output("id", &["-u"]).as_deref() == Some("0");
    if !is_root {
        return Err(format!(
            "missing system packages; run:\n  sudo apt-get update && sudo apt-get install -y {}",
            missing.join(" ")
        ));
    }
    eprintln!("… installing system packages: {}", missing.join(" "));
    run(&mut cmd("apt-get", &["update", "-qq"]))?;
    let mut args = vec!["install", "-y", "-qq", "--no-install-recommends"];
    args.extend(missing.iter().copied());
    run(cmd("apt-get", &args).env("DEBIAN_FRONTEND", "noninteractive"))
}

fn rust_targets() -> Result {
    let installed = output("rustup", &["target", "list", "--installed"]).unwrap_or_default();
    if installed.lines().any(|l| l.trim() == "wasm32-unknown-unknown") {
        eprintln!("✓ rust target wasm32-unknown-unknown");
        return Ok(());
    }
    run(&mut cmd("rustup", &["target", "add", "wasm32-unknown-unknown"]))
}

/// The wasm-bindgen version in Cargo.lock: the CLI must match it exactly.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock =
        std::fs::read_to_string(paths::root().join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_string());
            }
        }
    }
    Err("wasm-bindgen not found in Cargo.lock".into())
}

/// axe-core from npm (a script file, not a binary), read by tests/e2e.
fn axe_core() -> Result {
    npm_tool("axe-core", AXE_CORE_VERSION)
}

/// One npm package at an exact version in the tools folder, unless it is there already.
fn npm_tool(package: &str, version: &str) -> Result {
    let dir = paths::tools_dir();
    let manifest = dir.join("node_modules").join(package).join("package.json");
    let current = std::fs::read_to_string(&manifest).unwrap_or_default();
    if current.contains(&format!("\"version\": \"{version}\"")) {
        eprintln!("✓ {package} {version}");
        return Ok(());
    }
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let dir = dir.to_string_lossy().into_owned();
    let pkg = format!("{package}@{version}");
    run(&mut cmd("npm", &["install", "--prefix", &dir, "--no-audit", "--no-fund", "--save-exact", &pkg]))
}

/// pyoidc and what it needs, from PyPI, in the tools folder's `python` (read through PYTHONPATH by
/// e2e/tests/interop.rs), unless that version is there already.
fn pyoidc() -> Result {
    let dir = paths::tools_dir().join("python");
    let marker = dir.join(format!("oic-{PYOIDC_VERSION}.dist-info"));
    if marker.exists() {
        eprintln!("✓ pyoidc {PYOIDC_VERSION}");
        return Ok(());
    }
    let dir = dir.to_string_lossy().into_owned();
    let pkg = format!("oic=={PYOIDC_VERSION}");
    let args = [
        "-m",
        "pip",
        "install",
        "--quiet",
        "--disable-pip-version-check",
        "--no-warn-conflicts",
        "--root-user-action=ignore",
        "--upgrade",
        "--target",
        &dir,
        &pkg,
    ];
    run(&mut cmd("python3", &args))
}

fn wasm_opt() -> Result {
    let bin = paths::tools_bin().join("wasm-opt");
    let major = BINARYEN_VERSION.split('.').next().unwrap_or(BINARYEN_VERSION);
    let current = output(&bin.to_string_lossy(), &["--version"]).unwrap_or_default();
    if current.contains(&format!("version {major}")) {
        eprintln!("✓ wasm-opt {major}");
        return Ok(());
    }
    let dir = paths::tools_dir();
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let dir = dir.to_string_lossy().into_owned();
    let pkg = format!("binaryen@{BINARYEN_VERSION}");
    run(&mut cmd("npm", &["install", "--prefix", &dir, "--no-audit", "--no-fund", "--save-exact", &pkg]))
}
