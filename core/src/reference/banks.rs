//! Banks and the card-prefix table (npm `bankcardinfo` 2.0.6, about 2017 data), in
//! `core/data/banks.txt` (`cargo xtask data` writes it): `B<TAB>code<TAB>name` per bank, then
//! `P<TAB>prefix<TAB>card length<TAB>bank code<TAB>kind` per prefix. A prefix match is only a
//! suggestion for 开户行: the person confirms or changes it. The shell and the server compile the file
//! in (feature `banks`); the UI's wasm installs it from the app's assets after its first screen, as it
//! does the occupations. Until then nothing is found and a bank code is checked for its shape only.

use super::data_file::DataFile;
use crate::options::NamedEntry;

/// Where the bundled table comes from, and its date.
pub const BUNDLED_SOURCE: &str = "npm bankcardinfo 2.0.6（约2017年数据）";

/// The file's name among the UI's assets.
pub const FILE_NAME: &str = "banks.txt";

#[cfg(feature = "banks")]
const BUNDLED: Option<&str> = Some(include_str!("../../data/banks.txt"));
#[cfg(not(feature = "banks"))]
const BUNDLED: Option<&str> = None;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bank {
    pub code: &'static str,
    pub name: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardKind {
    /// 储蓄卡 (debit)
    Debit,
    /// 信用卡
    Credit,
    /// 准贷记卡
    SemiCredit,
    /// 预付费卡
    Prepaid,
}

/// A card-number prefix: the whole card's length, the bank and the kind of card.
#[derive(Debug, Clone, Copy)]
struct Bin {
    prefix: &'static str,
    len: usize,
    bank: &'static str,
    kind: CardKind,
}

struct Table {
    /// Every bank once, in the file's order.
    banks: Vec<Bank>,
    bins: Vec<Bin>,
}

fn parse(text: &'static str) -> Option<Table> {
    let mut t = Table { banks: Vec::new(), bins: Vec::new() };
    for line in text.lines().filter(|l| !l.is_empty()) {
        let f: Vec<&'static str> = line.split('\t').collect();
        match f.as_slice() {
            ["B", code, name] if is_code(code) && !name.is_empty() => {
                if !t.banks.iter().any(|b| b.code == *code) {
                    t.banks.push(Bank { code, name });
                }
            }
            ["P", prefix, len, bank, kind] if prefix.bytes().all(|b| b.is_ascii_digit()) => {
                let kind = match *kind {
                    "CC" => CardKind::Credit,
                    "SCC" => CardKind::SemiCredit,
                    "PC" => CardKind::Prepaid,
                    _ => CardKind::Debit,
                };
                t.bins.push(Bin { prefix, len: len.parse().ok()?, bank, kind });
            }
            _ => return None,
        }
    }
    (!t.banks.is_empty()).then_some(t)
}

static TABLE: DataFile<Table> = DataFile::new(BUNDLED, parse);

fn table() -> Option<&'static Table> {
    TABLE.get()
}

/// Installs the table from the file's text (the UI, once it has fetched it). Returns whether the
/// text was a table and is now the one in use. The text is kept for the program's life.
pub fn install(text: &str) -> bool {
    TABLE.install(text)
}

/// Whether lookups can answer.
pub fn loaded() -> bool {
    table().is_some_and(|t| !t.banks.is_empty())
}

/// Every bank once, in the table's order (none before the table is in).
pub fn list() -> &'static [Bank] {
    table().map(|t| t.banks.as_slice()).unwrap_or(&[])
}

pub fn all() -> impl Iterator<Item = Bank> {
    list().iter().copied()
}

pub fn by_code(code: &str) -> Option<Bank> {
    all().find(|b| b.code == code)
}

/// The banks a policy office published (code and name; the card prefixes stay the bundled
/// table's, so a bank new to it is offered without a suggestion from the card number).
static PUBLISHED: crate::served::Served<Vec<NamedEntry>> = crate::served::Served::new();

/// Why a published bank list cannot be used; `Ok` when it can.
pub fn check(list: &[NamedEntry]) -> Result<(), String> {
    if list.is_empty() {
        return Err("开户银行列表为空".into());
    }
    let mut seen = std::collections::BTreeSet::new();
    match list.iter().find(|b| !is_code(&b.code) || b.name.trim().is_empty() || !seen.insert(b.code.as_str()))
    {
        Some(b) => Err(format!(
            "开户银行{}（{}）：代码应为2至12位大写字母或数字且不重复，名称不能为空",
            b.name, b.code
        )),
        None => Ok(()),
    }
}

pub fn install_offered(list: Vec<NamedEntry>) -> Result<(), String> {
    PUBLISHED.install(list, |l| check(l))
}

pub fn reset() {
    PUBLISHED.set(None);
}

/// The banks a picker offers: the published list once installed, else every bank of the table.
pub fn offered() -> Vec<NamedEntry> {
    PUBLISHED.or_bundled(bundled)
}

/// Every bank of the bundled table, as a published list.
pub fn bundled() -> Vec<NamedEntry> {
    all().map(|b| NamedEntry { code: b.code.into(), name: b.name.into() }).collect()
}

/// Whether a bank code may be chosen now: in the published list, else in the table (its shape
/// only, before the table is in).
pub fn acceptable(code: &str) -> bool {
    match PUBLISHED.get() {
        Some(list) => list.iter().any(|b| b.code == code),
        None if loaded() => by_code(code).is_some(),
        None => is_code(code),
    }
}

/// A bank's name: the published one, else the table's.
pub fn name_of(code: &str) -> Option<String> {
    PUBLISHED
        .get()
        .and_then(|l| l.iter().find(|b| b.code == code).map(|b| b.name.clone()))
        .or_else(|| by_code(code).map(|b| b.name.to_string()))
}

/// A bank code's shape: capital letters and digits, as the table writes them (e.g. ICBC, BOCD).
pub fn is_code(code: &str) -> bool {
    (2..=12).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
}

/// The bank and card kind that a card number's prefix and length suggest (longest prefix wins).
pub fn suggest(card_digits: &str) -> Option<(Bank, CardKind)> {
    let bin = table()?
        .bins
        .iter()
        .filter(|b| b.len == card_digits.len() && card_digits.starts_with(b.prefix))
        .max_by_key(|b| b.prefix.len())?;
    let bank = by_code(bin.bank)?;
    acceptable(bank.code).then_some((bank, bin.kind))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "banks")]
    #[test]
    fn prefixes_suggest_a_bank() {
        let (bank, kind) = suggest("6210960000000000000").unwrap();
        assert_eq!(bank.name, "中国邮政储蓄银行");
        assert_eq!(kind, CardKind::Debit);
        assert_eq!(suggest("6228120000000000").map(|(_, k)| k), Some(CardKind::Credit));
        assert!(suggest("1234567890123456").is_none());
        let codes: Vec<_> = all().map(|b| b.code).collect();
        let mut unique = codes.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(codes.len(), unique.len());
        assert!(codes.iter().all(|c| is_code(c)), "every code has the shape checked without the table");
    }

    #[test]
    fn a_malformed_file_is_refused() {
        assert!(parse("B\tICBC\t中国工商银行\nP\t62\tx\tICBC\tDC\n").is_none());
        assert!(parse("X\tsomething\n").is_none());
        assert!(parse("B\tICBC\t中国工商银行\nP\t622202\t19\tICBC\tDC\n").is_some_and(|t| t.bins.len() == 1));
    }
}
