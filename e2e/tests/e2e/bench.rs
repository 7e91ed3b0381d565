//! Benchmarks that need the real app in a real window, run by `cargo xtask bench` (`--ignored
//! bench::`, release binaries, inside the same private desktop session as the tests). They print
//! figures and `bench-row` lines for the summary table; they assert no time.
//!
//! - start-up: spawn → the first screen painted (the UI's `ui_ready` log line), split where the
//!   shell's setup is done (its `SET_UP` line: the shell's own start, then the page's), the release app
//!   against a blank Tauri 2 window (`bench/blank`) built in the same run with the same profile and
//!   lock file, alternating, with the summed RSS and PSS of each and its WebKit processes once the
//!   screen is up;
//! - the same on a slow device: the app and the blank window each limited to a quarter of one core
//!   (a cgroup CPU quota, as a cheap phone or an old kiosk CPU would run them), both alike;
//! - IPC: UI → command → UI round trips measured in the page;
//! - search: 岗位名称 and 开户行, each keystroke timed in the page until the list is rendered, the
//!   keys typed as a person types them (each 150 ms after the list before is painted: typing back to
//!   back from a script times the engine still painting the last list on a 2-core machine).

use crate::harness::{app_binary, Harness};
use crate::support::bench_row;
use shiye::logging::{SET_UP, UI_READY};
use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const RUNS: usize = 12;

fn percentile(v: &[f64], q: f64) -> f64 {
    let mut v = v.to_vec();
    v.sort_by(f64::total_cmp);
    v[((v.len() as f64 - 1.0) * q).round() as usize]
}

/// Every process below `root` (WebKit's web and network processes, through any sandbox helper).
fn descendants(root: u32) -> Vec<u32> {
    let mut parent: HashMap<u32, u32> = HashMap::new();
    for entry in std::fs::read_dir("/proc").into_iter().flatten().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(entry.path().join("stat")) else { continue };
        // pid (comm) state ppid …: the name may hold spaces, so read after the last ')'.
        let ppid = stat.rsplit_once(')').and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse().ok());
        if let Some(ppid) = ppid {
            parent.insert(pid, ppid);
        }
    }
    let mut all = vec![root];
    let mut i = 0;
    while i < all.len() {
        let p = all[i];
        all.extend(parent.iter().filter(|(_, pp)| **pp == p).map(|(c, _)| *c));
        i += 1;
    }
    all
}

/// kB of a `Key:   123 kB` line of a /proc file.
fn kb_of(text: &str, key: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(key)?.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// (RSS, PSS) in MB, summed over `root` and its descendants.
fn memory(root: u32) -> (f64, f64) {
    let (mut rss, mut pss) = (0, 0);
    for pid in descendants(root) {
        let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        rss += kb_of(&status, "VmRSS:");
        pss += kb_of(&rollup, "Pss:");
    }
    (rss as f64 / 1024.0, pss as f64 / 1024.0)
}

struct Start {
    seconds: f64,
    /// When the shell's setup was done (the rest is the page's).
    set_up: f64,
    rss: f64,
    pss: f64,
}

/// A CPU quota for the slow-device profile: a cgroup whose processes together get `quota` of one
/// core (cgroup v2's `cpu.max`, else v1's `cpu.cfs_quota_us`). `None` where it cannot be made (not
/// root, no cpu controller): the profile is then reported as not measured.
struct Quota(PathBuf);

impl Quota {
    fn quarter_core() -> Option<Quota> {
        let (period, quota) = (100_000, 25_000);
        // Only into files the cgroup file system made itself: a directory made elsewhere (a
        // tmpfs where no controller is mounted) would limit nothing.
        let set = |file: PathBuf, value: String| {
            use std::io::Write;
            std::fs::OpenOptions::new()
                .write(true)
                .open(file)
                .and_then(|mut f| f.write_all(value.as_bytes()))
                .is_ok()
        };
        let (v2_root, v1_root) = (Path::new("/sys/fs/cgroup"), Path::new("/sys/fs/cgroup/cpu"));
        let v2_cpu = std::fs::read_to_string(v2_root.join("cgroup.controllers"))
            .is_ok_and(|c| c.split_whitespace().any(|c| c == "cpu"));
        let dir = if v2_cpu { v2_root.join("shiye-slow-device") } else { v1_root.join("shiye-slow-device") };
        if std::fs::create_dir(&dir).is_err() && !dir.join("cgroup.procs").exists() {
            return None;
        }
        let made = if v2_cpu {
            set(dir.join("cpu.max"), format!("{quota} {period}"))
        } else {
            set(dir.join("cpu.cfs_period_us"), period.to_string())
                && set(dir.join("cpu.cfs_quota_us"), quota.to_string())
        };
        let quota = Quota(dir);
        made.then_some(quota)
    }
}

impl Drop for Quota {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir(&self.0);
    }
}

/// Starts `bin`, waits for the first screen's line on its stderr, lets it settle, measures its
/// memory and ends it and its processes. Under `quota`, the process enters the cgroup before it
/// runs, so every process it starts is limited too.
fn start_once(bin: &Path, data: &Path, quota: Option<&Quota>) -> Start {
    let started = Instant::now();
    let mut command = match quota {
        Some(q) => {
            let mut c = Command::new("sh");
            c.args(["-c", "echo $$ > \"$0/cgroup.procs\" && exec \"$1\""]).arg(&q.0).arg(bin);
            c
        }
        None => Command::new(bin),
    };
    let mut child = command
        .env("SHIYE_DATA_DIR", data)
        // Nothing listens there: the app starts offline, as the blank window does.
        .env("SHIYE_API_BASE", "http://127.0.0.1:9")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{}: {e}", bin.display()));
    let stderr = child.stderr.take().expect("stderr");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let mut set_up = None;
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains(SET_UP) {
                set_up = Some(started.elapsed().as_secs_f64());
            }
            if line.contains(UI_READY) {
                let _ = tx.send((started.elapsed().as_secs_f64(), set_up));
            }
        }
    });
    let (seconds, set_up) = rx
        .recv_timeout(Duration::from_secs(120))
        .unwrap_or_else(|_| panic!("{} never said its first screen was ready", bin.display()));
    let set_up = set_up.unwrap_or_else(|| panic!("{} never said its setup was done", bin.display()));
    std::thread::sleep(Duration::from_secs(2));
    let (rss, pss) = memory(child.id());
    let pids: Vec<String> = descendants(child.id()).iter().map(u32::to_string).collect();
    let _ = Command::new("kill").arg("-9").args(&pids).status();
    let _ = child.wait();
    std::thread::sleep(Duration::from_millis(500));
    Start { seconds, set_up, rss, pss }
}

fn release_bin(name: &str) -> PathBuf {
    let bin = app_binary().with_file_name(name);
    assert!(bin.exists(), "{} missing: cargo xtask bench builds it", bin.display());
    bin
}

/// Alternating starts of the app and the blank window, `runs` each after one unmeasured start of
/// each (the page cache, the keyring's first key).
fn alternate(app: &Path, blank: &Path, runs: usize, quota: Option<&Quota>) -> (Vec<Start>, Vec<Start>) {
    let data = tempfile::tempdir().expect("data dir");
    start_once(app, data.path(), quota);
    start_once(blank, data.path(), quota);
    let (mut a, mut b) = (Vec::new(), Vec::new());
    for _ in 0..runs {
        a.push(start_once(app, data.path(), quota));
        b.push(start_once(blank, data.path(), quota));
    }
    (a, b)
}

fn col(v: &[Start], f: fn(&Start) -> f64) -> Vec<f64> {
    v.iter().map(f).collect()
}

/// The medians of the two parts of a start, the shell's own and the page's, app against blank.
fn split_row(figure: &str, a: &[Start], b: &[Start]) {
    let shell = |v: &[Start]| percentile(&col(v, |s| s.set_up), 0.5);
    let page = |v: &[Start]| percentile(&col(v, |s| s.seconds - s.set_up), 0.5);
    let (ash, apg, bsh, bpg) = (shell(a), page(a), shell(b), page(b));
    println!("  split (medians): app {ash:.3} s + {apg:.3} s, blank {bsh:.3} s + {bpg:.3} s");
    bench_row(
        figure,
        &format!("{ash:.3} s + {apg:.3} s"),
        &format!("{bsh:.3} s + {bpg:.3} s blank Tauri"),
        &format!("{:.2}× + {:.2}×", ash / bsh, apg / bpg),
        "—",
    );
}

#[test]
#[ignore = "a benchmark: cargo xtask bench runs it against release builds"]
fn start_up_and_memory_against_a_blank_tauri_window() {
    let (app, blank) = (app_binary(), release_bin("shiye-blank"));
    let (a, b) = alternate(&app, &blank, RUNS, None);
    let (at, bt) = (col(&a, |s| s.seconds), col(&b, |s| s.seconds));
    let (ar, br) = (percentile(&col(&a, |s| s.rss), 0.5), percentile(&col(&b, |s| s.rss), 0.5));
    let (ap, bp) = (percentile(&col(&a, |s| s.pss), 0.5), percentile(&col(&b, |s| s.pss), 0.5));
    let (a50, b50) = (percentile(&at, 0.5), percentile(&bt, 0.5));
    println!("\nstart-up, {RUNS} alternating runs (medians; p95):");
    println!("  app   {:.3} s (p95 {:.3}), RSS {ar:.0} MB, PSS {ap:.0} MB", a50, percentile(&at, 0.95));
    println!("  blank {:.3} s (p95 {:.3}), RSS {br:.0} MB, PSS {bp:.0} MB", b50, percentile(&bt, 0.95));
    bench_row(
        "cold start → first screen painted (login page)",
        &format!("{a50:.3} s (p95 {:.3})", percentile(&at, 0.95)),
        &format!("{b50:.3} s (p95 {:.3}) blank Tauri", percentile(&bt, 0.95)),
        &format!("{:.2}×", a50 / b50),
        "≤ 1.15×",
    );
    split_row("cold start split: spawn → shell set up + → first screen painted", &a, &b);
    bench_row(
        "summed RSS, app + WebKit processes",
        &format!("{ar:.0} MB"),
        &format!("{br:.0} MB blank Tauri"),
        &format!("{:.2}×", ar / br),
        "≤ 1.15×",
    );
    bench_row(
        "summed PSS, app + WebKit processes",
        &format!("{ap:.0} MB"),
        &format!("{bp:.0} MB blank Tauri"),
        &format!("{:.2}×", ap / bp),
        "≤ 1.15×",
    );
}

#[test]
#[ignore = "a benchmark: cargo xtask bench runs it against release builds"]
fn start_up_on_a_slow_device_against_a_blank_tauri_window() {
    const SLOW_RUNS: usize = 6;
    let figure = "cold start on a slow device (¼ of one core, cgroup quota) → first screen painted";
    let Some(quota) = Quota::quarter_core() else {
        println!("\nslow-device profile not measured: no cgroup CPU quota could be made here (needs root)");
        bench_row(figure, "not measured (no cgroup CPU quota: needs root)", "—", "—", "≤ 1.15×");
        return;
    };
    let (app, blank) = (app_binary(), release_bin("shiye-blank"));
    let (a, b) = alternate(&app, &blank, SLOW_RUNS, Some(&quota));
    let (at, bt) = (col(&a, |s| s.seconds), col(&b, |s| s.seconds));
    let (a50, b50) = (percentile(&at, 0.5), percentile(&bt, 0.5));
    println!(
        "\nstart-up at a quarter of one core ({}), {SLOW_RUNS} alternating runs (medians):",
        quota.0.display()
    );
    println!("  app   {a50:.3} s (max {:.3})", percentile(&at, 1.0));
    println!("  blank {b50:.3} s (max {:.3})", percentile(&bt, 1.0));
    bench_row(
        figure,
        &format!("{a50:.3} s (max {:.3})", percentile(&at, 1.0)),
        &format!("{b50:.3} s (max {:.3}) blank Tauri", percentile(&bt, 1.0)),
        &format!("{:.2}×", a50 / b50),
        "≤ 1.15×",
    );
    split_row("cold start split on a slow device: spawn → shell set up + → first screen painted", &a, &b);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: cargo xtask bench runs it against release builds"]
async fn ipc_round_trip_from_the_page() {
    let h = Harness::start().await;
    h.wait_id("login-button").await;
    // The smallest command (nothing waits on a login): the cost is the round trip itself. WebKit's
    // clock in the page ticks in whole milliseconds, so calls are timed in batches of 50 and each
    // batch gives one per-call figure; the first 100 calls warm up.
    let script = r#"
        const done = arguments[arguments.length - 1];
        (async () => {
            const perCall = [];
            for (let i = 0; i < 102; i++) {
                const t = performance.now();
                for (let j = 0; j < 50; j++) {
                    await window.__TAURI__.core.invoke("cancel_login", { args: {} });
                }
                perCall.push((performance.now() - t) / 50);
            }
            done(perCall.slice(2));
        })();
    "#;
    let times: Vec<f64> =
        serde_json::from_value(h.client.execute_async(script, vec![]).await.expect("script")).expect("times");
    let (p50, p99) = (percentile(&times, 0.5), percentile(&times, 0.99));
    println!(
        "\nIPC round trip, {} batches of 50 calls: per call p50 {p50:.3} ms, p99 {p99:.3} ms",
        times.len()
    );
    bench_row(
        "IPC round trip UI → command → UI, per call in batches of 50, p50 / p99",
        &format!("{p50:.3} / {p99:.3} ms"),
        "—",
        "—",
        "p99 ≤ 5 ms",
    );
    h.finish().await;
}

/// Times each query in the page, from the input event to the list re-rendered (the first DOM
/// change after it; Yew renders the whole update in one pass): milliseconds per query.
const KEYSTROKE_SCRIPT: &str = r#"
    const [inputId, queries, rounds] = arguments;
    const done = arguments[arguments.length - 1];
    const input = document.getElementById(inputId);
    const main = document.getElementById('main');
    // The next keystroke comes after the list is painted and a person's pause between keys.
    const frame = () => new Promise(r => requestAnimationFrame(() => setTimeout(r, 150)));
    const type = v => { input.value = v; input.dispatchEvent(new Event('input', { bubbles: true })); };
    (async () => {
        const times = [];
        for (let round = 0; round < rounds; round++) {
            for (const q of queries) {
                type('');
                await frame();
                const changed = new Promise(r => {
                    const o = new MutationObserver(() => { o.disconnect(); r(performance.now()); });
                    o.observe(main, { subtree: true, childList: true, characterData: true, attributes: true });
                });
                const t = performance.now();
                type(q);
                times.push((await changed) - t);
                await frame();
            }
        }
        done(times);
    })();
"#;

/// Runs the queries in the search box `input` and reports p50 / p99 / max as a summary row.
async fn keystrokes(h: &Harness, input: &str, queries: &[&str], figure: &str) {
    const ROUNDS: usize = 3;
    let times: Vec<f64> = serde_json::from_value(
        h.client
            .execute_async(
                KEYSTROKE_SCRIPT,
                vec![serde_json::json!(input), serde_json::json!(queries), serde_json::json!(ROUNDS)],
            )
            .await
            .expect("script"),
    )
    .expect("times");
    let (p50, p99, max) = (percentile(&times, 0.5), percentile(&times, 0.99), percentile(&times, 1.0));
    println!("\n{figure}: {} keystrokes, p50 {p50:.2} ms, p99 {p99:.2} ms, max {max:.2} ms", times.len());
    // Each keystroke, in the order typed: where the slow ones fall (the first round is the page's
    // first use of the code and the list).
    for (round, row) in times.chunks(queries.len()).enumerate() {
        let row: Vec<String> = row.iter().zip(queries).map(|(t, q)| format!("{q} {t:.0}")).collect();
        println!("  round {}: {}", round + 1, row.join(", "));
    }
    bench_row(figure, &format!("{p50:.2} / {p99:.2} ms (max {max:.2})"), "—", "—", "p99 ≤ 2 ms");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "a benchmark: cargo xtask bench runs it against release builds"]
async fn occupation_and_bank_search_from_a_keystroke_to_the_list() {
    let h = Harness::start().await;
    let who = shiye_server::persons::SEEDS.iter().find(|s| s.subject == "p-receiving").expect("seeded");
    h.login(who).await;
    h.accept_notices().await;
    // 求职登记: 岗位名称 over the 1,634 occupations (loaded after the first screen).
    h.open("job_seeking").await;
    h.wait_text("section-heading", "基本信息").await;
    h.beijing_household("110105").await;
    h.choose("household_street", "110105001").await;
    h.next().await;
    h.wait_text("section-heading", "求职登记").await;
    let jobs = [
        "rjgc",
        "kuaidi",
        "会计",
        "jz",
        "司机",
        "chushi",
        "baoan",
        "yingyeyuan",
        "fuwuyuan",
        "护士",
        "dg",
        "jiaoshi",
        "电工",
        "shouyin",
        "bj",
        "厨师",
        "yy",
        "weixiu",
        "设计",
        "xs",
    ];
    keystrokes(&h, "f-job_title", &jobs, "岗位名称 search, keystroke → list rendered in the page (keys typed 150 ms after each paint), p50 / p99")
        .await;
    // 银行账号变更: 现开户行's search box over the banks.
    h.click("nav-services").await;
    h.open("bank_account_change").await;
    h.next().await;
    h.wait_id("f-new_bank-filter").await;
    let banks = [
        "gongshang",
        "jianshe",
        "zgyh",
        "招商",
        "nongye",
        "jiaotong",
        "yz",
        "北京",
        "minsheng",
        "pufa",
        "xingye",
        "gd",
        "中信",
        "huaxia",
        "nongshang",
        "hz",
        "上海",
        "guangfa",
        "pa",
        "邮政",
    ];
    keystrokes(
        &h,
        "f-new_bank-filter",
        &banks,
        "开户行 search, keystroke → list rendered in the page (same pace), p50 / p99",
    )
    .await;
    h.finish().await;
}
