//! The UI bundle's figures for `cargo xtask bench`: what the webview loads from `ui/dist` (built by
//! trunk with wasm-opt), raw and compressed (gzip -9, brotli -q 11), against the goals of issue
//! #14. Printed as a Markdown table and written as JSON to `target/bench/bundle.json`. Nothing is
//! asserted: a figure over its goal is reported, not failed.

use crate::paths;
use crate::proc::Result;
use crate::row::Row;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// One file of the bundle and its sizes in bytes.
struct Figure {
    what: &'static str,
    file: PathBuf,
    raw: u64,
    gzip: Option<u64>,
    brotli: Option<u64>,
    /// (raw, gzip) goals in bytes, where the issue sets one.
    goal: Option<(u64, u64)>,
}

/// Bytes a compressor writes for `file` (`None` if the tool is missing).
fn compressed(program: &str, args: &[&str], file: &Path) -> Option<u64> {
    let out = Command::new(program).args(args).arg(file).stderr(Stdio::null()).output().ok()?;
    out.status.success().then_some(out.stdout.len() as u64)
}

fn find(dist: &Path, suffix: &str) -> Option<PathBuf> {
    std::fs::read_dir(dist)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with(suffix)))
}

fn kb(bytes: u64) -> String {
    format!("{:.1} KB", bytes as f64 / 1000.0)
}

/// Measures `ui/dist` (build it first), prints and writes the table, and answers the summary's
/// rows: every file's sizes, the wasm's against its goals.
pub fn report() -> Result<Vec<Row>> {
    let dist = paths::root().join("ui").join("dist");
    let files = [
        ("UI wasm (after wasm-opt)", "_bg.wasm", Some((400_000, 130_000))),
        ("JS glue", ".js", None),
        ("CSS", ".css", None),
        ("Beijing's divisions (loaded while the shell answers the start)", "divisions.txt", None),
        ("户籍地 table (loaded after the first screen)", "regions.txt", None),
        ("pinyin readings (loaded after the first screen)", "pinyin.txt", None),
        ("occupation catalogue (loaded after the first screen)", "occupations.txt", None),
        ("banks and card prefixes (loaded after the first screen)", "banks.txt", None),
    ];
    let mut figures = Vec::new();
    for (what, suffix, goal) in files {
        let file = find(&dist, suffix).ok_or_else(|| format!("no *{suffix} in {}", dist.display()))?;
        let raw = std::fs::metadata(&file).map_err(|e| e.to_string())?.len();
        let gzip = compressed("gzip", &["-9", "-c"], &file);
        let brotli = compressed("brotli", &["-q", "11", "-c"], &file);
        figures.push(Figure { what, file, raw, gzip, brotli, goal });
    }
    println!("\n| UI bundle | raw | gzip | brotli | goal (raw / gzip) | ratio to goal (raw / gzip) |");
    println!("| --- | --- | --- | --- | --- | --- |");
    let opt = |v: Option<u64>| v.map(kb).unwrap_or_else(|| "—".into());
    for f in &figures {
        let (goal, ratio) = match (f.goal, f.gzip) {
            (Some((r, g)), Some(gz)) => (
                format!("≤ {} / ≤ {}", kb(r), kb(g)),
                format!("{:.2}× / {:.2}×", f.raw as f64 / r as f64, gz as f64 / g as f64),
            ),
            _ => ("—".into(), "—".into()),
        };
        println!("| {} | {} | {} | {} | {goal} | {ratio} |", f.what, kb(f.raw), opt(f.gzip), opt(f.brotli));
    }
    let json: Vec<String> = figures
        .iter()
        .map(|f| {
            let n = |v: Option<u64>| v.map(|b| b.to_string()).unwrap_or_else(|| "null".into());
            format!(
                "{{\"figure\":\"{}\",\"file\":\"{}\",\"raw\":{},\"gzip\":{},\"brotli\":{},\"goal_raw\":{},\"goal_gzip\":{}}}",
                f.what,
                f.file.file_name().and_then(|n| n.to_str()).unwrap_or_default(),
                f.raw,
                n(f.gzip),
                n(f.brotli),
                n(f.goal.map(|g| g.0)),
                n(f.goal.map(|g| g.1)),
            )
        })
        .collect();
    let out = paths::target_dir().join("bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    std::fs::write(out.join("bundle.json"), format!("[{}]\n", json.join(","))).map_err(|e| e.to_string())?;
    let opt = |v: Option<u64>| v.map(kb).unwrap_or_else(|| "—".into());
    Ok(figures
        .iter()
        .map(|f| {
            let value = format!("{} raw / {} gzip / {} brotli", kb(f.raw), opt(f.gzip), opt(f.brotli));
            let (ratio, goal) = match (f.goal, f.gzip) {
                (Some((r, g)), Some(gz)) => (
                    format!("{:.2}× / {:.2}× of the goal", f.raw as f64 / r as f64, gz as f64 / g as f64),
                    format!("≤ {} raw, ≤ {} gzip", kb(r), kb(g)),
                ),
                _ => ("—".into(), "—".into()),
            };
            Row::new(f.what, value, "—", ratio, &goal)
        })
        .collect())
}
