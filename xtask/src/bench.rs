//! `cargo xtask bench`: runs every criterion benchmark; each prints its own figures and ratios
//! against its target. Nothing here asserts a time.

use crate::proc::{cmd, run, Result};

/// (package, bench target)
const BENCHES: &[(&str, &str)] = &[("shiye-core", "search"), ("shiye", "drafts")];

pub fn bench() -> Result {
    for (package, target) in BENCHES {
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
    Ok(())
}
