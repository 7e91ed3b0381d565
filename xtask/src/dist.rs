//! `cargo xtask dist`: the installers a service centre or a laptop takes — a `.deb` and an `.rpm`,
//! built by the Tauri CLI from `tauri.conf.json` (metadata, icon, desktop entry with its Chinese
//! name, dependencies) on a machine that reaches only the package registries. The AppImage is not
//! built: its bundler downloads linuxdeploy and its plugins from GitHub (README, limits).
//!
//! Also the checks `cargo xtask test` runs on them: the `.rpm`'s header and file list read with
//! `rpm -qip` / `rpm -qlp`, and the `.deb` installed with dpkg, started by the end-to-end suite's
//! `installed` test, and removed again.

use crate::paths;
use crate::proc::{cmd, output, run, Result};
use std::path::{Path, PathBuf};

/// The package's name (ASCII: dpkg and rpm refuse others; the Chinese name is the desktop entry's).
pub const PACKAGE: &str = "shiye";
/// Where the package puts the app.
pub const INSTALLED_BIN: &str = "/usr/bin/shiye";
/// The files every package must carry.
const FILES: &[&str] = &[
    INSTALLED_BIN,
    "/usr/share/applications/shiye.desktop",
    "/usr/share/icons/hicolor/128x128/apps/shiye.png",
];

pub struct Installers {
    pub deb: PathBuf,
    pub rpm: PathBuf,
}

/// `cargo xtask dist`: builds both installers and prints where they are and their sizes.
pub fn dist() -> Result {
    crate::setup::setup(crate::setup::Scope::Everything)?;
    let built = build()?;
    for p in [&built.deb, &built.rpm] {
        println!("{}  {}", p.display(), size(p).map(mb).unwrap_or_default());
    }
    Ok(())
}

/// The release build and both packages (`tauri build` runs `cargo xtask ui` first, from
/// `tauri.conf.json`, then `cargo build --release`).
pub fn build() -> Result<Installers> {
    let bundle = paths::target_dir().join("release").join("bundle");
    let _ = std::fs::remove_dir_all(&bundle);
    run(&mut cmd("tauri", &["build", "--ci", "--bundles", "deb,rpm"]))?;
    Ok(Installers {
        deb: only_file(&bundle.join("deb"), ".deb")?,
        rpm: only_file(&bundle.join("rpm"), ".rpm")?,
    })
}

fn only_file(dir: &Path, suffix: &str) -> Result<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect();
    match found.len() {
        1 => Ok(found.remove(0)),
        n => Err(format!("{} holds {n} *{suffix} files, expected one", dir.display())),
    }
}

pub fn size(p: &Path) -> Option<u64> {
    std::fs::metadata(p).ok().map(|m| m.len())
}

pub fn mb(bytes: u64) -> String {
    format!("{:.2} MB", bytes as f64 / 1_000_000.0)
}

/// The workspace's version, as the packages must carry it.
fn version() -> Result<String> {
    let manifest = std::fs::read_to_string(paths::root().join("Cargo.toml")).map_err(|e| e.to_string())?;
    let after = manifest.split("\n[package]").nth(1).ok_or("no [package] in Cargo.toml")?;
    after
        .lines()
        .find_map(|l| l.strip_prefix("version = \"").map(|v| v.trim_end_matches('"').to_string()))
        .ok_or_else(|| "no version in Cargo.toml's [package]".into())
}

/// A header field of `rpm -qi`'s output (`Name        : shiye`).
fn field<'a>(info: &'a str, name: &str) -> Option<&'a str> {
    info.lines().find_map(|l| {
        let (key, value) = l.split_once(':')?;
        (key.trim() == name).then(|| value.trim())
    })
}

/// What is wrong with a package's header and file list (empty when nothing is).
fn package_problems(info: &str, files: &str, version: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let expect = [
        ("Name", PACKAGE),
        ("Version", version),
        ("License", "MIT OR Apache-2.0"),
        ("Summary", "失业一件事：失业登记、求职登记与失业保险金申领"),
    ];
    for (name, want) in expect {
        match field(info, name) {
            Some(v) if v == want => {}
            other => problems.push(format!("{name}: {other:?}, expected {want:?}")),
        }
    }
    if !field(info, "Description").is_some_and(|_| info.contains("北京市失业“一件事”")) {
        problems.push("the description is not the Chinese one of tauri.conf.json".into());
    }
    for f in FILES {
        if !files.lines().any(|l| l.trim() == *f) {
            problems.push(format!("{f} is not in the package"));
        }
    }
    problems
}

/// `rpm -qip` / `rpm -qlp`: the `.rpm`'s metadata and files are those of the app.
pub fn check_rpm(rpm: &Path) -> Result {
    let path = rpm.to_string_lossy();
    let info = output("rpm", &["-qip", &path]).ok_or("rpm -qip failed (is the rpm package installed?)")?;
    let files = output("rpm", &["-qlp", &path]).ok_or("rpm -qlp failed")?;
    println!("{info}\n{files}");
    let problems = package_problems(&info, &files, &version()?);
    if problems.is_empty() {
        println!("✓ {}: metadata and files", rpm.display());
        Ok(())
    } else {
        Err(format!("{}: {}", rpm.display(), problems.join("; ")))
    }
}

/// `dpkg -i`, then the `.deb`'s own metadata and files as dpkg recorded them; the desktop entry
/// names the app in Chinese.
pub fn install_deb(deb: &Path) -> Result {
    if output("id", &["-u"]).as_deref() != Some("0") {
        return Err("installing the .deb needs root (CI runs as root)".into());
    }
    // A previous run that stopped half-way may have left it installed.
    let _ = run(&mut cmd("dpkg", &["--purge", PACKAGE]));
    run(&mut cmd("dpkg", &["-i", &deb.to_string_lossy()]))?;
    let status = output("dpkg-query", &["-W", "-f=${Status} ${Version}", PACKAGE]).unwrap_or_default();
    let version = version()?;
    if status != format!("install ok installed {version}") {
        return Err(format!("dpkg says {status:?} after installing"));
    }
    let listed = output("dpkg", &["-L", PACKAGE]).unwrap_or_default();
    let info =
        output("dpkg-deb", &["-f", &deb.to_string_lossy(), "Package", "Version", "Description", "Depends"])
            .unwrap_or_default();
    println!("{info}");
    let mut problems: Vec<String> = FILES
        .iter()
        .filter(|f| !listed.lines().any(|l| l == **f))
        .map(|f| format!("{f} not installed"))
        .collect();
    if !info.contains("libwebkit2gtk-4.1-0") {
        problems.push("Depends lacks libwebkit2gtk-4.1-0".into());
    }
    let desktop = std::fs::read_to_string("/usr/share/applications/shiye.desktop").unwrap_or_default();
    if !desktop.lines().any(|l| l == "Name[zh_CN]=失业一件事")
        || !desktop.contains(&format!("Exec={PACKAGE}"))
    {
        problems.push(format!("the desktop entry lacks its Chinese name or command:\n{desktop}"));
    }
    if problems.is_empty() {
        println!("✓ {PACKAGE} {version} installed from {}", deb.display());
        Ok(())
    } else {
        Err(problems.join("; "))
    }
}

/// `dpkg -r`: the app's files are gone again.
pub fn remove_deb() -> Result {
    run(&mut cmd("dpkg", &["--purge", PACKAGE]))?;
    if Path::new(INSTALLED_BIN).exists() {
        return Err(format!("{INSTALLED_BIN} is still there after dpkg --purge"));
    }
    println!("✓ {PACKAGE} removed");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const INFO: &str = "Name        : shiye\nVersion     : 0.1.0\nRelease     : 1\nLicense     : MIT OR Apache-2.0\nSummary     : 失业一件事：失业登记、求职登记与失业保险金申领\nDescription :\n北京市失业“一件事”申办应用\n";
    const FILES_OK: &str =
        "/usr/bin/shiye\n/usr/share/applications/shiye.desktop\n/usr/share/icons/hicolor/128x128/apps/shiye.png\n";

    #[test]
    fn a_complete_package_has_no_problems() {
        assert_eq!(package_problems(INFO, FILES_OK, "0.1.0"), Vec::<String>::new());
    }

    #[test]
    fn each_wrong_field_and_missing_file_is_named() {
        let info = INFO.replace("0.1.0", "0.0.9").replace("MIT OR Apache-2.0", "");
        let problems = package_problems(&info, "/usr/bin/shiye\n", "0.1.0");
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems.iter().any(|p| p.starts_with("Version")));
        assert!(problems.iter().any(|p| p.starts_with("License")));
        assert!(problems.iter().any(|p| p.contains("shiye.desktop")));
    }
}
