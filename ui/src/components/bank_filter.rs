//! 开户行 found by hanzi, full pinyin or initials (as 岗位名称 is): the codes of the banks that match
//! a query, best first, to narrow the list the person picks from.

use shiye_core::options::NamedEntry;
use shiye_core::reference::search::search;

/// The codes of `offered` (the banks the field lists: the published list, else the table's)
/// matching `query`, best first; `None` for an empty query (the whole list).
pub fn matching(query: &str, offered: &[NamedEntry]) -> Option<Vec<String>> {
    if query.trim().is_empty() {
        return None;
    }
    Some(search(query, offered, 30).into_iter().map(|h| offered[h.index].code.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use shiye_core::reference::banks;

    #[test]
    fn banks_are_found_by_hanzi_pinyin_and_initials() {
        // As the page does once it has fetched the file (a build with the table compiled in has it).
        banks::install(include_str!("../../../core/data/banks.txt"));
        shiye_core::reference::pinyin::install(include_str!("../../../core/data/pinyin.txt"));
        let offered = banks::offered();
        for q in ["建设", "jianshe", "zgjsyh"] {
            assert_eq!(matching(q, &offered).unwrap().first().map(String::as_str), Some("CCB"), "{q}");
        }
        assert_eq!(matching("gongshang", &offered).unwrap().first().map(String::as_str), Some("ICBC"));
        assert_eq!(matching(" ", &offered), None);
    }
}
