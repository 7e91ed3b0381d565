//! Ranked fuzzy search for the pickers (岗位名称, 行政区划, 开户行): a name matches by hanzi
//! substring, full pinyin ("ruanjian"), pinyin initials ("rjgc") or a mix, with 多音字 handled
//! by `ib-matcher`; aliases match literally. Results carry the matched byte range for highlighting.

use ib_matcher::matcher::{IbMatcher, PinyinMatchConfig};
use ib_matcher::pinyin::{PinyinData, PinyinNotation};
use std::ops::Range;

/// Which pinyin spellings a query may use.
const NOTATIONS: PinyinNotation = PinyinNotation::Ascii.union(PinyinNotation::AsciiFirstLetter);

/// Something a picker lists: a primary name and optional other names.
pub trait Searchable {
    fn name(&self) -> &str;
    /// Other names separated by '|', searched after the name ranks.
    fn aliases(&self) -> &str {
        ""
    }
}

impl Searchable for super::occupations::Occupation {
    fn name(&self) -> &str {
        self.name
    }
    fn aliases(&self) -> &str {
        self.aliases
    }
}

impl Searchable for super::divisions::Street {
    fn name(&self) -> &str {
        self.name
    }
}

impl Searchable for super::banks::Bank {
    fn name(&self) -> &str {
        self.name
    }
}

/// One result: the item's position in the searched list and where the name matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    /// Byte range of the match in the name; `None` when only an alias matched.
    pub range: Option<Range<usize>>,
}

/// (class, match start, name length), compared in that order: lower is better. Classes: 0 the
/// whole name, 1 a prefix of the name, 2 inside the name, 3 an alias only.
type Rank = (u8, usize, usize);

/// Holds the pinyin tables (built once, a few milliseconds) and answers queries.
pub struct Searcher {
    data: PinyinData,
}

impl Default for Searcher {
    fn default() -> Self {
        Searcher { data: PinyinData::new(NOTATIONS) }
    }
}

impl Searcher {
    /// The best `limit` matches of `query` in `items`, best first: an exact name, then a name that
    /// starts with the match, then earlier and shorter matches, then alias-only matches.
    pub fn search<T: Searchable>(&self, query: &str, items: &[T], limit: usize) -> Vec<Hit> {
        let query = query.trim();
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        // Pinyin is spelled in ASCII letters: a query without any needs no pinyin tables.
        let matcher = if query.bytes().any(|b| b.is_ascii_alphabetic()) {
            IbMatcher::builder(query)
                .pinyin(PinyinMatchConfig::builder(NOTATIONS).data(&self.data).build())
                .build()
        } else {
            IbMatcher::builder(query).build()
        };
        // Aliases are long lists of trade names and English terms: matched literally (ignoring
        // case), which keeps a query over the whole catalogue well under a millisecond.
        let alias_matcher = IbMatcher::builder(query).build();
        let mut scored: Vec<(Rank, usize, Option<Range<usize>>)> = Vec::new();
        for (index, item) in items.iter().enumerate() {
            let name = item.name();
            if let Some(m) = matcher.find(name) {
                let class = if m.start() == 0 && m.end() == name.len() {
                    0
                } else if m.start() == 0 {
                    1
                } else {
                    2
                };
                scored.push(((class, m.start(), name.len()), index, Some(m.start()..m.end())));
            } else if !item.aliases().is_empty() && alias_matcher.is_match(item.aliases()) {
                // Aliases are one '|'-separated string: a query never contains '|', so no match
                // can span two aliases, and one call replaces one per alias.
                scored.push(((3, 0, name.len()), index, None));
            }
        }
        scored.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(limit).map(|(_, index, range)| Hit { index, range }).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{divisions, occupations};

    fn names(q: &str) -> Vec<&'static str> {
        let all: Vec<_> = occupations::all().collect();
        Searcher::default().search(q, &all, 5).into_iter().map(|h| all[h.index].name).collect()
    }

    #[test]
    fn hanzi_pinyin_and_initials_find_the_same_occupation() {
        for q in ["软件工程", "ruanjiangongcheng", "rjgc", "ruanjgc"] {
            assert!(names(q).contains(&"计算机软件工程技术人员"), "{q}: {:?}", names(q));
        }
    }

    #[test]
    fn exact_and_prefix_matches_rank_first() {
        assert_eq!(names("企业董事").first(), Some(&"企业董事"));
        let all: Vec<_> = divisions::streets().collect();
        let hits = Searcher::default().search("jianguomen", &all, 3);
        assert_eq!(all[hits[0].index].name, "建国门街道");
        assert_eq!(hits[0].range, Some(0..9)); // three hanzi, three bytes each
    }

    #[test]
    fn heteronyms_and_aliases() {
        // 银行 is "yinhang", not "yinxing": 多音字 are matched by reading.
        let banks: Vec<_> = crate::reference::banks::all().collect();
        let hits = Searcher::default().search("zhongguoyinhang", &banks, 3);
        assert!(!hits.is_empty());
        // "副总经理" is an alias of 企业董事 and of others, found without matching a name.
        assert!(names("副总经理").contains(&"企业董事"));
        assert!(names("").is_empty());
    }
}
