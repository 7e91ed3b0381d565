//! The pickers' pinyin readings (`data/pinyin.txt`) are ib-matcher's readings
//! (crates.io `ib-matcher` 0.4, whose data is the public pinyin-data set) of every character in
//! the searched names, and the search built on them finds whatever ib-matcher's own matcher
//! finds. `SHIYE_WRITE_GENERATED=1` rewrites the table (`cargo xtask data` does).

use ib_matcher::matcher::{IbMatcher, PinyinMatchConfig};
use ib_matcher::pinyin::{PinyinData, PinyinNotation};
use shiye_core::reference::search::{search, Searchable};
use shiye_core::reference::{banks, divisions, occupations};
use std::collections::BTreeSet;
use std::fmt::Write as _;

const TABLE: &str = "data/pinyin.txt";
const NOTATIONS: PinyinNotation = PinyinNotation::Ascii.union(PinyinNotation::AsciiFirstLetter);

/// Every name a picker searches.
fn names() -> Vec<String> {
    let mut all: Vec<String> = occupations::all().map(|o| o.name.to_string()).collect();
    all.extend(divisions::streets().into_iter().map(|s| s.name));
    all.extend(banks::all().map(|b| b.name.to_string()));
    all
}

/// The toneless readings of `c`, each once, in ib-matcher's order.
fn readings(data: &PinyinData, c: char) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in data.get_pinyins(c) {
        if let Some(r) = p.notation(PinyinNotation::Ascii) {
            if !out.iter().any(|o| o == r) {
                out.push(r.to_string());
            }
        }
    }
    out
}

fn expected_table() -> String {
    let data = PinyinData::new(PinyinNotation::Ascii);
    let chars: BTreeSet<char> = names().iter().flat_map(|n| n.chars()).collect();
    // One `character<TAB>readings` line each, in character order (`shiye_core::reference::pinyin`).
    let mut out = String::new();
    for c in chars {
        let r = readings(&data, c);
        if !r.is_empty() {
            writeln!(out, "{c}\t{}", r.join("|")).expect("string");
        }
    }
    out
}

#[test]
fn the_readings_table_is_current() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(TABLE);
    let expected = expected_table();
    if std::env::var_os("SHIYE_WRITE_GENERATED").is_some() {
        std::fs::write(&path, &expected).expect("write the table");
    }
    let actual = std::fs::read_to_string(&path).expect("the table");
    assert!(actual == expected, "{TABLE} is stale: run `cargo xtask data`");
}

/// Queries a person might type for `name`: its initials and its full pinyin (first reading of
/// each character), and both cut short.
fn queries_for(data: &PinyinData, name: &str) -> Vec<String> {
    let firsts: Vec<String> =
        name.chars().map(|c| readings(data, c).into_iter().next().unwrap_or_else(|| c.to_string())).collect();
    let initials: String = firsts.iter().filter_map(|r| r.chars().next()).collect();
    let full: String = firsts.concat();
    let cut = |s: &str, n: usize| s.chars().take(n).collect::<String>();
    vec![cut(&initials, 3), initials.clone(), cut(&full, 5), full]
}

struct Name(String);

impl Searchable for Name {
    fn name(&self) -> &str {
        &self.0
    }
}

#[test]
fn the_search_finds_what_ib_matcher_finds() {
    let data = PinyinData::new(NOTATIONS);
    let items: Vec<Name> = names().into_iter().map(Name).collect();
    // Every 40th name's own queries, over every name.
    let mut queries: Vec<String> = items.iter().step_by(40).flat_map(|n| queries_for(&data, &n.0)).collect();
    queries.extend(["yinhang", "zhongguo", "jianzhu", "gongcheng", "dianqi"].map(String::from));
    let mut checked = 0;
    for q in &queries {
        let ib = IbMatcher::builder(q.as_str())
            .pinyin(PinyinMatchConfig::builder(NOTATIONS).data(&data).build())
            .build();
        let ours: BTreeSet<usize> = search(q, &items, items.len()).into_iter().map(|h| h.index).collect();
        for (i, item) in items.iter().enumerate() {
            if ib.is_match(item.0.as_str()) {
                assert!(ours.contains(&i), "ib-matcher finds {} for {q}; the search does not", item.0);
                checked += 1;
            }
        }
    }
    assert!(checked > 1000, "only {checked} matches compared");
}

#[test]
fn every_name_is_found_by_its_own_pinyin_and_initials() {
    let data = PinyinData::new(PinyinNotation::Ascii);
    let items: Vec<Name> = names().into_iter().map(Name).collect();
    for (i, item) in items.iter().enumerate().step_by(7) {
        for q in queries_for(&data, &item.0) {
            let hits = search(&q, &items, items.len());
            assert!(hits.iter().any(|h| h.index == i), "{q} does not find {}", item.0);
        }
    }
}
