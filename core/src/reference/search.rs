//! Ranked fuzzy search for the pickers (岗位名称, 行政区划, 开户行): a name matches by hanzi
//! substring, full pinyin ("ruanjian"), pinyin initials ("rjgc"), a mix ("ruanjgc"), or a last
//! syllable still being typed ("ruanj"); a 多音字 matches by any of its readings. Aliases match
//! literally. Results carry the matched byte range for highlighting.
//!
//! The readings come from `pinyin`: only the characters that occur in the searched names, not a
//! whole-Unicode pinyin table.

pub use super::pinyin::readings;
use std::ops::Range;

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
        &self.name
    }
}

impl Searchable for crate::options::NamedEntry {
    fn name(&self) -> &str {
        &self.name
    }
}

impl Searchable for super::banks::Bank {
    fn name(&self) -> &str {
        self.name
    }
}

/// The most bytes of a query one character of a name matches: its longest reading ("zhuang"), or
/// the character itself (at most 4).
const MOST_BYTES_PER_CHARACTER: usize = super::pinyin::LONGEST_READING;

/// One result: the item's position in the searched list and where the name matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub index: usize,
    /// Byte range of the match in the name; `None` when only an alias matched.
    pub range: Option<Range<usize>>,
}

/// (guessed, class, match start, name length), compared in that order: lower is better. A match
/// is guessed when the query ends inside a reading ("jiansh" for 建设, still being typed): every
/// whole match ranks above it ("jianshe" is 建设, not 建省). Classes: 0 the whole name, 1 a prefix
/// of the name, 2 inside the name, 3 an alias only.
type Rank = (bool, u8, usize, usize);

/// The best `limit` matches of `query` in `items`, best first (see [`Index::search`]). Prepares
/// the names for this one query: a list searched at every keystroke keeps an [`Index`] instead.
pub fn search<T: Searchable>(query: &str, items: &[T], limit: usize) -> Vec<Hit> {
    Index::new(items).search(query, limit)
}

/// One character of a name: its byte offset, the character, its readings, and the letters that
/// begin it or one of its readings (one bit each).
type Char = (u32, char, Option<&'static str>, u32);

/// A list prepared for searching: each name's characters with their readings, and the letters they
/// hold, worked out once rather than at every keystroke. Built with the readings installed when it
/// is built (names match by their characters only before).
pub struct Index<'a> {
    names: Vec<Name<'a>>,
    /// Every name's characters, one after another.
    chars: Vec<Char>,
}

struct Name<'a> {
    text: &'a str,
    aliases: &'a str,
    /// Where its characters are in `Index::chars`.
    chars: Range<usize>,
    /// The ASCII letters of its characters and their readings, one bit each: a query with another
    /// letter cannot match it.
    letters: u32,
    /// The letters that begin one of its characters or readings: a query must begin with one.
    opens: u32,
    /// The ASCII letters of its aliases: a query with another letter matches none of them.
    alias_letters: u32,
}

impl<'a> Index<'a> {
    pub fn new<T: Searchable>(items: &'a [T]) -> Self {
        let mut chars = Vec::new();
        let names = items
            .iter()
            .map(|item| {
                let text = item.name();
                let first = chars.len();
                let (mut have, mut opens) = (0, 0);
                for (b, c) in text.char_indices() {
                    let spoken = readings(c);
                    let own = letters(c.encode_utf8(&mut [0; 4]));
                    let mut begins = own;
                    have |= own;
                    for r in spoken.into_iter().flat_map(|all| all.split('|')) {
                        have |= letters(r);
                        begins |= letters(&r[..1]);
                    }
                    opens |= begins;
                    chars.push((b as u32, c, spoken, begins));
                }
                let aliases = item.aliases();
                let alias_letters = letters(aliases);
                Name { text, aliases, chars: first..chars.len(), letters: have, opens, alias_letters }
            })
            .collect();
        Index { names, chars }
    }

    /// The best `limit` matches of `query`, best first: an exact name, then a name that starts
    /// with the match, then earlier and shorter matches, then alias-only matches, then the guesses
    /// at a syllable still being typed.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Hit> {
        let query = query.trim().to_ascii_lowercase();
        if query.is_empty() || limit == 0 {
            return Vec::new();
        }
        let mut matcher = NameMatcher::new(&query);
        let mut scored: Vec<(Rank, usize, Option<Range<usize>>)> = Vec::new();
        for (index, name) in self.names.iter().enumerate() {
            // Every letter of the query is one of a character's own or of its readings, and the
            // first opens one of them.
            let possible = !matcher.pinyin
                || (matcher.letters & !name.letters == 0 && matcher.first_letter & !name.opens == 0);
            let found =
                if possible { matcher.find(name.text, &self.chars[name.chars.clone()]) } else { None };
            let text = name.text;
            if let Some((m, guessed)) = found {
                let class = if m.start == 0 && m.end == text.len() {
                    0
                } else if m.start == 0 {
                    1
                } else {
                    2
                };
                scored.push(((guessed, class, m.start, text.len()), index, Some(m)));
            } else if matcher.letters & !name.alias_letters == 0
                && contains_ignoring_ascii_case(name.aliases, &query)
            {
                // Aliases are one '|'-separated string: a query never contains '|', so no match
                // can span two aliases.
                scored.push(((false, 3, 0, text.len()), index, None));
            }
        }
        scored.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        scored.into_iter().take(limit).map(|(_, index, range)| Hit { index, range }).collect()
    }
}

/// Whether `haystack` contains `needle` (already lower case), ASCII letters in any case. Bytes
/// compare safely: a UTF-8 sequence cannot match inside another character.
fn contains_ignoring_ascii_case(haystack: &str, needle: &str) -> bool {
    if !needle.bytes().any(|b| b.is_ascii_alphabetic()) {
        return haystack.contains(needle);
    }
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    h.len() >= n.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
}

/// The ASCII letters of `s`, in any case, one bit each.
fn letters(s: &str) -> u32 {
    s.bytes().fold(0, |m, b| m | letter(b))
}

/// A byte's letter bit (any case); 0 for a byte that is not an ASCII letter.
fn letter(b: u8) -> u32 {
    if b.is_ascii_alphabetic() {
        1 << (b.to_ascii_lowercase() - b'a')
    } else {
        0
    }
}

/// Matches one query against names, reusing its memo between names.
struct NameMatcher<'q> {
    query: &'q str,
    /// Whether pinyin is tried at all: it is spelled in ASCII letters.
    pinyin: bool,
    /// The query's letters, one bit each.
    letters: u32,
    /// The query's first character, and its letter's bit (0 for a character that is not one).
    first: char,
    first_letter: u32,
    /// For (name position, query position): not yet known, no match, or the best match of the
    /// rest of the query from there.
    memo: Vec<Reach>,
}

#[derive(Clone, Copy, PartialEq)]
enum Reach {
    Unknown,
    Never,
    /// The name position a match reaches, and whether it ends inside a reading.
    To {
        end: u16,
        guessed: bool,
    },
}

impl<'q> NameMatcher<'q> {
    fn new(query: &'q str) -> Self {
        let first = query.chars().next().unwrap_or_default();
        let first_letter = letters(first.encode_utf8(&mut [0; 4]));
        let letters = letters(query);
        NameMatcher { query, pinyin: letters != 0, letters, first, first_letter, memo: Vec::new() }
    }

    /// The leftmost whole match of the query in `name` (its `chars`), as long as it can be from
    /// there; else the leftmost guessed one.
    fn find(&mut self, name: &str, chars: &[Char]) -> Option<(Range<usize>, bool)> {
        // A longer query (pasted text) cannot match and is not tried.
        if self.query.len() > MOST_BYTES_PER_CHARACTER * chars.len() {
            return None;
        }
        let mut guess = None;
        let byte = |i: usize| chars.get(i).map_or(name.len(), |(b, ..)| *b as usize);
        let mut memo_ready = false;
        for start in 0..chars.len() {
            // Cheap refusal: the query's first character must begin this character or a reading.
            let (_, c, _, begins) = chars[start];
            let opens = match self.first_letter {
                0 => c == self.first,
                bit => begins & bit != 0,
            };
            if !opens {
                continue;
            }
            if !memo_ready {
                self.memo.clear();
                self.memo.resize((chars.len() + 1) * (self.query.len() + 1), Reach::Unknown);
                memo_ready = true;
            }
            match self.reach(chars, start, 0) {
                Reach::To { end, guessed: false } => return Some((byte(start)..byte(end as usize), false)),
                Reach::To { end, guessed: true } if guess.is_none() => {
                    guess = Some((byte(start)..byte(end as usize), true))
                }
                _ => {}
            }
        }
        guess
    }

    /// How far in the name a match of the query from `q` can reach, starting at character `at`.
    fn reach(&mut self, chars: &[Char], at: usize, q: usize) -> Reach {
        if q == self.query.len() {
            return Reach::To { end: at as u16, guessed: false };
        }
        let slot = at * (self.query.len() + 1) + q;
        if self.memo[slot] != Reach::Unknown {
            return self.memo[slot];
        }
        let mut best = Reach::Never;
        if let Some(&(_, c, spoken, begins)) = chars.get(at) {
            let rest = &self.query[q..];
            let mut consider = |me: &mut Self, used: usize, guessed: bool| {
                let r = if used == rest.len() {
                    Reach::To { end: at as u16 + 1, guessed }
                } else {
                    me.reach(chars, at + 1, q + used)
                };
                if r.better_than(best) {
                    best = r;
                }
            };
            // The character itself (ASCII letters in any case).
            let lower = c.to_ascii_lowercase();
            if rest.starts_with(lower) {
                consider(self, lower.len_utf8(), false);
            }
            // A reading can follow only where the query's next letter begins one.
            if begins & letter(rest.as_bytes()[0]) != 0 {
                if let Some(all) = spoken {
                    for reading in all.split('|') {
                        if rest.starts_with(reading) {
                            consider(self, reading.len(), false);
                        }
                        // Its initial letter, unless the reading is that one letter ("e").
                        if reading.len() > 1 && rest.as_bytes()[0] == reading.as_bytes()[0] {
                            consider(self, 1, false);
                        }
                        // The query ends inside the reading: a syllable still being typed.
                        if rest.len() > 1 && rest.len() < reading.len() && reading.starts_with(rest) {
                            consider(self, rest.len(), true);
                        }
                    }
                }
            }
        }
        self.memo[slot] = best;
        best
    }
}

impl Reach {
    /// A whole match beats a guessed one; then the one that reaches further.
    fn better_than(self, other: Reach) -> bool {
        match (self, other) {
            (Reach::To { end, guessed }, Reach::To { end: e, guessed: g }) => (!guessed, end) > (!g, e),
            (Reach::To { .. }, _) => true,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::reference::{divisions, occupations};

    fn names(q: &str) -> Vec<&'static str> {
        let all: Vec<_> = occupations::all().collect();
        search(q, &all, 5).into_iter().map(|h| all[h.index].name).collect()
    }

    #[test]
    fn hanzi_pinyin_and_initials_find_the_same_occupation() {
        for q in ["软件工程", "ruanjiangongcheng", "rjgc", "ruanjgc", "RJGC", "软件gc", "ruanjiangongch"]
        {
            assert!(names(q).contains(&"计算机软件工程技术人员"), "{q}: {:?}", names(q));
        }
    }

    #[test]
    fn exact_and_prefix_matches_rank_first() {
        assert_eq!(names("企业董事").first(), Some(&"企业董事"));
        let all = divisions::streets();
        let hits = search("jianguomen", &all, 3);
        assert_eq!(all[hits[0].index].name, "建国门街道");
        assert_eq!(hits[0].range, Some(0..9)); // three hanzi, three bytes each
                                               // The whole name in pinyin is class 0, even where a shorter reading path exists.
        let hits = search("jianguomenjiedao", &all, 1);
        assert_eq!(hits[0].range, Some(0..15));
    }

    #[test]
    fn heteronyms_and_aliases() {
        // 银行 reads "yinhang" (行 is also "xing"): each reading of a 多音字 is tried.
        let banks: Vec<_> = crate::reference::banks::all().collect();
        let hits = search("zhongguoyinhang", &banks, 3);
        assert_eq!(banks[hits[0].index].name, "中国银行");
        // "jianshe" is 建设 whole, before 建省 guessed (福建省…).
        let hits = search("jianshe", &banks, 3);
        assert_eq!(banks[hits[0].index].name, "中国建设银行");
        assert!(hits.iter().any(|h| banks[h.index].name.starts_with("福建省")), "the guess is still offered");
        assert_eq!(readings('行').map(|r| r.split('|').collect::<Vec<_>>().contains(&"xing")), Some(true));
        // "副总经理" is an alias of 企业董事 and of others, found without matching a name.
        assert!(names("副总经理").contains(&"企业董事"));
        // Aliases in Latin letters match in any case; a letter they lack matches none.
        assert!(names("cto").contains(&"企业经理") && names("GIS").contains(&"地理信息系统工程技术人员"));
        assert!(!names("ctox").contains(&"企业经理"));
        assert!(names("").is_empty());
    }

    #[test]
    fn what_does_not_match_is_not_found() {
        // 计算机软件工程技术人员: after 工程 comes 技 (ji), never an x.
        assert!(!names("rjgcx").contains(&"计算机软件工程技术人员"));
        assert!(!names("ruanjiangongchengx").contains(&"计算机软件工程技术人员"));
        assert!(names("qqqqqq").is_empty());
    }
}
