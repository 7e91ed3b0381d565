//! Where things are: the repository, the shared cargo target folder, the tools folder.

use std::path::PathBuf;

/// The repository root: the nearest folder at or above the working directory that holds
/// `xtask/Cargo.toml`. Found at run time, not baked in at build time: a shared target folder may
/// hold an xtask binary built from another clone.
pub fn root() -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_default();
    cwd.ancestors().find(|d| d.join("xtask").join("Cargo.toml").is_file()).map(PathBuf::from).unwrap_or_else(
        || {
            let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
            manifest.parent().map(PathBuf::from).unwrap_or(manifest)
        },
    )
}

/// Cargo's target folder: `CARGO_TARGET_DIR` when set (CI points it outside the clone), else `target/`.
pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("target"))
}

/// Tools that do not come from cargo (wasm-opt from npm), kept outside the clone so a fresh clone
/// reuses them: `SHIYE_TOOLS_DIR`, else `~/.cache/shiye-tools`.
pub fn tools_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("SHIYE_TOOLS_DIR") {
        return PathBuf::from(d);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from).unwrap_or_else(std::env::temp_dir);
    home.join(".cache").join("shiye-tools")
}

/// The folder holding the npm-installed `wasm-opt`.
pub fn tools_bin() -> PathBuf {
    tools_dir().join("node_modules").join(".bin")
}

/// `PATH` with the tools folder and cargo's bin folder in front.
pub fn path_with_tools() -> std::ffi::OsString {
    let mut dirs = vec![tools_bin()];
    if let Some(home) = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")))
    {
        dirs.push(home.join("bin"));
    }
    if let Some(p) = std::env::var_os("PATH") {
        dirs.extend(std::env::split_paths(&p));
    }
    std::env::join_paths(dirs).unwrap_or_default()
}
