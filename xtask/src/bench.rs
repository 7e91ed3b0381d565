//! `cargo xtask bench`: the UI bundle's sizes (`bundle`), then every benchmark; each prints its own
//! figures and ratios against its target. Nothing here asserts a time. The server's load benchmark gets a PostgreSQL of its own.

use crate::postgres::TempPostgres;
use crate::proc::{cmd, run, Result};

/// (package, bench target)
const CRITERION: &[(&str, &str)] = &[("shiye-core", "search"), ("shiye", "drafts")];

pub fn bench() -> Result {
    crate::setup::setup(crate::setup::Scope::BuildAndTest)?;
    crate::artifacts::build_ui()?;
    crate::bundle::report()?;
    for (package, target) in CRITERION {
        run(&mut cmd(
            "cargo",
            &[
                "bench",
                "-p",
                package,
                "--bench",
                target,
                "--",
                "--warm-up-time",
                "1",
                "--measurement-time",
                "3",
            ],
        ))?;
    }
    let postgres = TempPostgres::start()?;
    run(cmd("cargo", &["bench", "-p", "shiye-server", "--bench", "load"])
        .env("SHIYE_TEST_POSTGRES", postgres.url()))
}
