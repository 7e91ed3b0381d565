//! `cargo xtask test`: everything CI checks, in order, ending with one summary line of counts.
//!
//! Tests that touch the OS keyring or open windows run inside a private D-Bus session with an
//! unlocked gnome-keyring (a real Secret Service) under a virtual X server, with XDG folders of
//! their own so nothing of the developer's desktop is read or written.

use crate::artifacts::build_ui;
use crate::paths;
use crate::postgres::TempPostgres;
use crate::proc::{cmd, run, run_capture, Result};
use crate::setup::{setup, Scope};
use std::process::Command;

/// The server's tests read the PostgreSQL server to use from here (they skip PostgreSQL without it).
const POSTGRES_VAR: &str = "SHIYE_TEST_POSTGRES";

/// The end-to-end test of the installed `.deb` (e2e/tests/e2e/installed.rs), `#[ignore]`d in the
/// main run and run on its own once the package is installed.
const INSTALLED_TEST: &str = "installed::";

/// The installers, built as `cargo xtask dist` builds them: the `.rpm`'s header and files checked,
/// the `.deb` installed, the installed app started by the end-to-end suite, the package removed.
fn installers(tally: &mut Tally) -> Result {
    let built = match crate::dist::build() {
        Ok(b) => b,
        Err(e) => {
            tally.failures.push(format!("installers: {e}"));
            return Ok(());
        }
    };
    if let Err(e) = crate::dist::check_rpm(&built.rpm) {
        tally.failures.push(e);
    }
    if let Err(e) = crate::dist::install_deb(&built.deb) {
        tally.failures.push(format!("installing the .deb: {e}"));
        return Ok(());
    }
    let mut installed = in_desktop_session(
        "cargo",
        &["test", "-p", "shiye-e2e", "--test", "e2e", "--", "--ignored", INSTALLED_TEST],
    )?;
    installed.env("SHIYE_APP_BIN", crate::dist::INSTALLED_BIN);
    let (ok, out) = run_capture(&mut installed)?;
    tally.add(&out);
    if !ok || !out.contains("test result: ok. 1 passed") {
        tally.failures.push("the installed app's test".into());
    }
    if let Err(e) = crate::dist::remove_deb() {
        tally.failures.push(e);
    }
    Ok(())
}

/// Every target, spelled out: `--all-targets` means `--tests`, which skips `test = false` targets.
fn targets(with_e2e: bool) -> [&'static str; 5] {
    ["--lib", "--bins", "--benches", "--examples", if with_e2e { "--test=*" } else { "--tests" }]
}

#[derive(Default)]
struct Tally {
    passed: u64,
    failed: u64,
    ignored: u64,
    failures: Vec<String>,
    /// What each failing test said when it panicked, repeated at the end so that the tail of the
    /// output (all CI keeps) names the cause, not only the test.
    panics: Vec<String>,
}

impl Tally {
    /// Adds the counts of every `test result:` line libtest printed, and keeps each panic's
    /// message (the `thread '…' panicked at` line and the two after it).
    fn add(&mut self, output: &str) {
        let lines: Vec<&str> = output.lines().collect();
        for (i, line) in lines.iter().enumerate() {
            if line.starts_with("thread '") && line.contains("panicked at") {
                self.panics.push(lines[i..(i + 3).min(lines.len())].join("\n"));
            }
        }
        for line in output.lines().filter_map(|l| l.trim().strip_prefix("test result: ")) {
            for part in line.split([';', '.']) {
                let mut words = part.split_whitespace();
                let (Some(n), Some(what)) = (words.next(), words.next()) else { continue };
                let Ok(n) = n.parse::<u64>() else { continue };
                match what {
                    "passed" => self.passed += n,
                    "failed" => self.failed += n,
                    "ignored" => self.ignored += n,
                    _ => {}
                }
            }
        }
    }
}

/// Wraps a command so it runs with a display, a session bus and an unlocked Secret Service.
pub fn in_desktop_session(program: &str, args: &[&str]) -> Result<Command> {
    let session = paths::target_dir().join("test-session");
    let _ = std::fs::remove_dir_all(&session);
    for d in ["data", "config", "cache", "runtime"] {
        std::fs::create_dir_all(session.join(d)).map_err(|e| format!("{}: {e}", session.display()))?;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(session.join("runtime"), std::fs::Permissions::from_mode(0o700));
    }
    let script =
        "printf shiye-ci | gnome-keyring-daemon --unlock --components=secrets >/dev/null && exec \"$@\"";
    let mut all = vec![
        "-a",
        "-s",
        "-screen 0 1280x1024x24",
        "dbus-run-session",
        "--",
        "sh",
        "-c",
        script,
        "sh",
        program,
    ];
    all.extend_from_slice(args);
    let mut c = cmd("xvfb-run", &all);
    c.env("XDG_DATA_HOME", session.join("data"))
        .env("XDG_CONFIG_HOME", session.join("config"))
        .env("XDG_CACHE_HOME", session.join("cache"))
        .env("XDG_RUNTIME_DIR", session.join("runtime"))
        // GTK otherwise waits ~25 s for xdg-desktop-portal on a bare X session.
        .env("GTK_USE_PORTAL", "0")
        .env("NO_AT_BRIDGE", "1")
        .env("RUST_BACKTRACE", "1");
    Ok(c)
}

pub fn test(args: &[String]) -> Result {
    let quick = args.iter().any(|a| a == "--no-e2e");
    let packages = !quick && !args.iter().any(|a| a == "--no-dist");
    setup(if packages { Scope::Everything } else { Scope::BuildAndTest })?;
    run(&mut cmd("cargo", &["fmt", "--all", "--check"]))?;
    // The app embeds ui/dist at compile time, so the UI is built before anything compiles the app.
    build_ui()?;
    // Two passes: `--all-targets` lints unit tests too but leaves out the end-to-end target (it is
    // `test = false` so that a bare `cargo test` does not start it), which the second names.
    run(&mut cmd("cargo", &["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"]))?;
    run(&mut cmd("cargo", &["clippy", "-p", "shiye-e2e", "--test", "e2e", "--", "-D", "warnings"]))?;
    let wasm = ["--target", "wasm32-unknown-unknown"];
    run(&mut cmd(
        "cargo",
        &[&["clippy", "-p", "shiye-core", "--lib"][..], &wasm, &["--", "-D", "warnings"]].concat(),
    ))?;
    run(&mut cmd(
        "cargo",
        &[&["clippy", "-p", "shiye-ui", "--lib", "--tests"][..], &wasm, &["--", "-D", "warnings"]].concat(),
    ))?;
    run(&mut cmd("cargo", &["build", "-p", "shiye-core", "--target", "wasm32-unknown-unknown"]))?;

    // The end-to-end suite drives the app binary (it is another crate's: no CARGO_BIN_EXE).
    run(&mut cmd("cargo", &["build", "-p", "shiye", "--bin", "shiye"]))?;
    // One `cargo test` over the whole workspace (the end-to-end target included) so that every
    // crate is compiled once, with one set of unified features.
    let mut tally = Tally::default();
    let mut args = vec!["test", "--workspace", "--no-fail-fast"];
    args.extend(targets(!quick));
    // The server's tests run on SQLite and, with this variable, on PostgreSQL too.
    let postgres = TempPostgres::start()?;
    let mut tests = in_desktop_session("cargo", &args)?;
    tests.env(POSTGRES_VAR, postgres.url());
    let (ok, out) = run_capture(&mut tests)?;
    drop(postgres);
    tally.add(&out);
    if !ok {
        tally.failures.push("cargo test".to_string());
    }
    // The UI's component tests in both engines the app meets: WebKit (Linux, macOS, iOS) through
    // WebKitWebDriver, which speaks the protocol of safaridriver (the variable the runner reads),
    // and Chromium (Android's WebView, Windows' WebView2) through Debian's chromedriver, headless.
    for (engine, driver_var, driver) in [
        ("WebKit", "SAFARIDRIVER", "/usr/bin/WebKitWebDriver"),
        ("Chromium", "CHROMEDRIVER", "/usr/bin/chromedriver"),
    ] {
        let mut browser = in_desktop_session(
            "cargo",
            &[&["test", "-p", "shiye-ui", "--test", "components"][..], &wasm].concat(),
        )?;
        browser
            .env("CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER", "wasm-bindgen-test-runner")
            .env(driver_var, driver);
        let (ok, out) = run_capture(&mut browser)?;
        tally.add(&out);
        if !ok {
            tally.failures.push(format!("UI component tests in {engine}"));
        }
    }
    if packages {
        installers(&mut tally)?;
    }
    println!();
    for panic in &tally.panics {
        println!("{panic}");
    }
    if !tally.failures.is_empty() {
        println!("failed: {}", tally.failures.join(", "));
    }
    // The plain closing line CI reads.
    println!("summary: {} passed, {} failed, {} skipped", tally.passed, tally.failed, tally.ignored);
    if tally.failures.is_empty() && tally.failed == 0 {
        Ok(())
    } else {
        Err("tests failed".into())
    }
}

#[cfg(test)]
mod tests {
    use super::Tally;

    #[test]
    fn sums_libtest_result_lines() {
        let mut t = Tally::default();
        t.add(
            "test result: ok. 3 passed; 0 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.01s\n",
        );
        t.add("running 2 tests\ntest result: FAILED. 1 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out\n");
        assert_eq!((t.passed, t.failed, t.ignored), (4, 1, 1));
        assert!(t.panics.is_empty());
    }

    #[test]
    fn keeps_what_a_failing_test_said() {
        let mut t = Tally::default();
        t.add("---- flows::x stdout ----\nthread 'flows::x' panicked at e2e/tests/e2e/flows.rs:9:5:\n#a never appeared\nnote: …\nmore\n");
        assert_eq!(
            t.panics,
            ["thread 'flows::x' panicked at e2e/tests/e2e/flows.rs:9:5:\n#a never appeared\nnote: …"]
        );
    }
}
