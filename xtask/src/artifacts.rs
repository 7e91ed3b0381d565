//! Building what `run` and `test` need: the UI's wasm bundle (trunk) and the native binaries.

use crate::paths;
use crate::proc::{cmd, run, Result};

/// `trunk build --release` in ui/, offline (trunk would otherwise download wasm-bindgen and
/// wasm-opt): it uses the versions `setup` installed. The app embeds ui/dist when it is compiled.
/// The `wasm` profile is the release one at `opt-level = "z"` (945 KB instead of 1,117 KB).
pub fn build_ui() -> Result {
    run(cmd("trunk", &["build", "--release", "--cargo-profile", "wasm"])
        .current_dir(paths::root().join("ui"))
        .env("TRUNK_OFFLINE", "true"))
}

/// The app and the reference server (debug profile: the app embeds ui/dist because tauri.conf.json
/// sets no dev server URL, so this is the same app a release build would show).
pub fn build_native() -> Result {
    run(&mut cmd("cargo", &["build", "-p", "shiye", "-p", "shiye-server", "--bins"]))
}

pub fn debug_bin(name: &str) -> std::path::PathBuf {
    paths::target_dir().join("debug").join(name)
}
