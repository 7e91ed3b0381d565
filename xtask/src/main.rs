//! `cargo xtask <command>`: the project's automation, in Rust so it runs wherever cargo does.
//!
//! - `setup`: install the system packages and tools the build and the tests need (idempotent).
//! - `run`:   start the reference server with demo persons and the app pointed at it.
//! - `test`:  format and lint checks, every test, the UI's wasm build and the end-to-end suite.
//! - `bench`: the UI bundle's sizes, then the criterion benchmarks, with their figures and ratios.
//! - `dist`:  the `.deb` and `.rpm` installers (release build, Tauri's bundler).
//! - `ui`:    the UI's wasm bundle alone (offline trunk; `tauri build` runs it first).
//! - `data`:  regenerate the reference tables bundled in shiye-core.

mod artifacts;
mod bench;
mod bundle;
mod data;
mod dist;
mod paths;
mod postgres;
mod proc;
mod row;
mod run;
mod setup;
mod test;
mod wasm_owners;

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("setup") => setup::setup(setup::Scope::Everything),
        Some("run") => run::run(),
        Some("test") => test::test(&args[1..]),
        Some("data") => data::data(),
        Some("bench") => bench::bench(&args[1..]),
        Some("dist") => dist::dist(),
        Some("ui") => artifacts::build_ui(),
        _ => {
            eprintln!("usage: cargo xtask <setup|run|test|bench|dist|ui|data>\n");
            eprintln!("  setup   install system packages and pinned tools (idempotent)");
            eprintln!("  run     start the reference server and the app");
            eprintln!("  test    fmt, clippy (native + wasm32), all tests, UI build, end-to-end suite");
            eprintln!("  test --no-dist  the same without building and installing the packages");
            eprintln!("  bench   the UI bundle's sizes and the benchmarks, with their figures and ratios");
            eprintln!("  bench --size  the UI bundle's sizes and what its wasm is made of, alone");
            eprintln!("  dist    the .deb and .rpm installers");
            eprintln!("  ui      the UI's wasm bundle (tauri build's before-build step)");
            eprintln!("  data    regenerate the bundled reference tables from registry packages");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
