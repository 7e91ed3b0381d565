//! `cargo xtask bench`: every figure of issue #14 from a fresh build, ending with one Markdown
//! table (figure, value, baseline measured in the same run, ratio, goal), also written as JSON to
//! `target/bench/summary.json`. Each benchmark prints its own detail and `bench-row` lines that
//! are collected here. Nothing asserts a time: a figure over its goal is reported, not failed.

use crate::paths;
use crate::postgres::TempPostgres;
use crate::proc::{cmd, run, run_capture, Result};
use crate::row::{rows_in, Row};

/// (package, bench target): criterion and plain benches run with `cargo bench`.
const BENCHES: &[(&str, &str)] = &[("shiye-core", "search"), ("shiye", "drafts"), ("shiye-e2e", "drain")];

fn collect(rows: &mut Vec<Row>, c: &mut std::process::Command) -> Result {
    let (ok, out) = run_capture(c)?;
    rows.extend(rows_in(&out));
    if ok {
        Ok(())
    } else {
        Err("a benchmark failed".into())
    }
}

pub fn bench(args: &[String]) -> Result {
    let size_only = args.iter().any(|a| a == "--size");
    crate::setup::setup(if size_only {
        crate::setup::Scope::BuildAndTest
    } else {
        crate::setup::Scope::Everything
    })?;
    crate::artifacts::build_ui()?;
    let mut rows = crate::bundle::report()?;
    rows.extend(crate::wasm_owners::report()?);
    if size_only {
        return summary(&rows);
    }
    for (package, target) in BENCHES {
        let mut c = cmd("cargo", &["bench", "-p", package, "--bench", target]);
        if *package != "shiye-e2e" {
            c.args(["--", "--warm-up-time", "1", "--measurement-time", "3"]);
        }
        collect(&mut rows, &mut c)?;
    }
    {
        // fsync on, as SQLite's synchronous = FULL: the two compared alike.
        let postgres = TempPostgres::start_durable()?;
        for bench in ["load", "city"] {
            collect(
                &mut rows,
                cmd("cargo", &["bench", "-p", "shiye-server", "--bench", bench])
                    .env("SHIYE_TEST_POSTGRES", postgres.url()),
            )?;
        }
    }
    // The installers (this is also the app's release build), and the blank window built the same way.
    let built = crate::dist::build()?;
    for (what, file) in [(".deb", &built.deb), (".rpm", &built.rpm)] {
        let size = crate::dist::size(file).unwrap_or(0);
        let ratio = format!("{:.2}× of the goal", size as f64 / 8_000_000.0);
        rows.push(Row::new(&format!("{what} installer"), crate::dist::mb(size), "—", ratio, "≤ 8 MB"));
    }
    run(&mut cmd(
        "cargo",
        &["build", "--release", "-p", "shiye-blank", "--features", "tauri/custom-protocol"],
    ))?;
    let release = paths::target_dir().join("release");
    let mut window = crate::test::in_desktop_session(
        "cargo",
        &[
            "test",
            "-p",
            "shiye-e2e",
            "--test",
            "e2e",
            "--",
            "--ignored",
            "--nocapture",
            "--test-threads",
            "1",
            "bench::",
        ],
    )?;
    window.env("SHIYE_APP_BIN", release.join("shiye"));
    collect(&mut rows, &mut window)?;
    summary(&rows)
}

fn summary(rows: &[Row]) -> Result {
    println!("\n## cargo xtask bench\n");
    println!("| figure | value | baseline (same run) | ratio | goal |");
    println!("| --- | --- | --- | --- | --- |");
    for r in rows {
        println!("| {} | {} | {} | {} | {} |", r.figure, r.value, r.baseline, r.ratio, r.goal);
    }
    let esc = |s: &str| s.replace('\\', "\\\\").replace('"', "\\\"");
    let json: Vec<String> = rows
        .iter()
        .map(|r| {
            format!(
                "{{\"figure\":\"{}\",\"value\":\"{}\",\"baseline\":\"{}\",\"ratio\":\"{}\",\"goal\":\"{}\"}}",
                esc(&r.figure),
                esc(&r.value),
                esc(&r.baseline),
                esc(&r.ratio),
                esc(&r.goal)
            )
        })
        .collect();
    let out = paths::target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    std::fs::write(out.join("summary.json"), format!("[\n{}\n]\n", json.join(",\n")))
        .map_err(|e| e.to_string())
}
